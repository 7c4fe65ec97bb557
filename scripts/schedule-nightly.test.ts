// scripts/schedule-nightly.sh (make schedule-nightly): what it would install, from its `print`
// mode (nothing is installed by a test), and its usage errors.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = resolve(ROOT, 'scripts/schedule-nightly.sh');
const sh = promisify(execFile);

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  return sh('bash', [SCRIPT, ...args]).then(
    () => { throw new Error(`schedule-nightly.sh ${args.join(' ')}: expected a usage error`); },
    (e: { code: number; stderr: string }) => e,
  );
}

describe('schedule-nightly.sh', () => {
  it('prints a systemd service and timer and a crontab line that run make nightly in this checkout', async () => {
    const { stdout } = await sh('bash', [SCRIPT, 'print', 'quick', '02:15']);
    expect(stdout).toContain(`cd '${ROOT}' && PATH=`);
    expect(stdout).toMatch(/make nightly PROFILE=quick >> '[^']*reports\/out\/nightly-cron\.log' 2>&1/);
    expect(stdout).toContain('OnCalendar=*-*-* 02:15:00');
    expect(stdout).toContain('Persistent=true');
    expect(stdout).toMatch(/^15 02 \* \* \* mkdir -p /m);
    const defaults = (await sh('bash', [SCRIPT, 'print'])).stdout;
    expect(defaults).toContain('OnCalendar=*-*-* 01:30:00');
    expect(defaults).toContain('PROFILE=full');
  });

  it('refuses a bad profile, time or verb with exit 2 and the reason', async () => {
    expect(await fails(['print', 'nightly'])).toMatchObject({ code: 2, stderr: expect.stringContaining("PROFILE must be quick or full, got 'nightly'") });
    expect(await fails(['print', 'full', '25:00'])).toMatchObject({ code: 2, stderr: expect.stringContaining("time must be HH:MM (00:00-23:59), got '25:00'") });
    expect(await fails(['install'])).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: scripts/schedule-nightly.sh') });
  });
});
