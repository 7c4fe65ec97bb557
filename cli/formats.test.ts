import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { format, PRESET_NAMES } from '../golden/index.ts';
import { P3109_LISTED } from './formats.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'mpsa.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('mpsa formats', () => {
  it('lists the presets and every K = 8 P3109 format, each parseable by its name', () => {
    const r = run(['formats', '--json']);
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.name)).toEqual([...PRESET_NAMES, ...P3109_LISTED]);
    expect(P3109_LISTED).toHaveLength(14);
    for (const x of rows) {
      const f = format(x.name);
      expect([f.name, f.exp, f.man, f.specials, f.bias, f.maxValue]).toEqual([x.name, x.exp, x.man, x.specials, x.bias, x.max]);
    }
    expect(rows.find((x) => x.name === 'binary8p4se')).toMatchObject({ family: 'p3109', exp: 4, man: 3, bias: 8, max: 224 });
    expect(rows.find((x) => x.name === 'binary8p3sf')).toMatchObject({ family: 'p3109', exp: 5, man: 2, bias: 16, max: 57344 });
  });

  it('prints the table with the P3109 family under its own heading', () => {
    const r = run(['formats']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/IEEE P3109, K = 8/);
    expect(r.stdout).toMatch(/^binary8p4se +4 +3 +p3109e +infinity +8 +-7 +7 +224$/m);
  });
});
