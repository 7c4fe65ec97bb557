// `mpsa model validate --json` prints the summary line and exits 0 when every case is exact.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('mpsa model validate', () => {
  it('predicts the measured cycles of random GEMMs exactly', async () => {
    const { stdout } = await run('node', ['bin/mpsa.js', 'model', 'validate', '--config', 'e4m3-4x4-fp16-rne', '--cases', '4', '--json'], { timeout: 600_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ cases: 4, exact: 4, max_error_cycles: 0 });
  }, 600_000);

  it('names a bad option', async () => {
    await expect(run('node', ['bin/mpsa.js', 'model', 'validate', '--cases', 'x'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/--cases: must be a positive integer/) });
  });
});
