// Committed synthesis results (synth/committed.ts): used only under the job's own key, never when
// the key differs (a stale result is re-run, not trusted); the cache still wins over them.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { committedDir, committedResult, readCommitted, writeCommitted } from './committed.ts';
import type { SynthResult } from './flow.ts';

const run = promisify(execFile);
const tmp = () => mkdtempSync(join(tmpdir(), 'mpsa-committed-'));

/** `mpsa synth configs --cached-only` for one configuration with an empty cache and the given committed folder. */
const cachedOnly = (committed: string) => run('node', ['bin/mpsa.js', 'synth', 'configs', '--cached-only', '--config', 'int8-2x4', '--target', 'xc7'],
  { env: { ...process.env, MPSA_CACHE_DIR: tmp(), MPSA_SYNTH_OUT: tmp(), MPSA_SYNTH_COMMITTED: committed }, timeout: 120_000 });

describe('committed synthesis results', () => {
  it('every configuration PE of configs/ has a committed result per target, with a key', () => {
    const rows = readCommitted('int8-2x4.pe');
    expect(rows.map((r) => r.target).sort()).toEqual(['ice40', 'xc7', 'xcup']);
    for (const r of rows) expect(r.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers a job with an empty cache when the key is the job\'s', async () => {
    const { stderr } = await cachedOnly(committedDir());
    expect(stderr).toMatch(/int8-2x4\.pe xc7: LUT \d+ .*committed \(/);
  }, 120_000);

  it('a committed result under another key is not used: the job has no result (it would run)', async () => {
    const dir = tmp();
    cpSync(join(committedDir(), 'int8-2x4.pe.json'), join(dir, 'int8-2x4.pe.json'));
    const f = JSON.parse(readFileSync(join(dir, 'int8-2x4.pe.json'), 'utf8')) as { results: SynthResult[] };
    for (const r of f.results) r.key = '0'.repeat(32); // as if the RTL had changed since
    writeFileSync(join(dir, 'int8-2x4.pe.json'), JSON.stringify(f));
    const { stderr } = await cachedOnly(dir);
    expect(stderr).toMatch(/--cached-only: 1 of 1 job\(s\) have no cached result .*int8-2x4\.pe xc7/);
    expect(stderr).not.toMatch(/committed \(/);
  }, 120_000);

  it('writes per design, replaces the rows of the targets it has, keeps the others, drops machine paths; a damaged file is named and ignored', () => {
    const dir = tmp();
    const row = (target: string, key: string, lut: number) => ({ design: 'd.pe', target, key, resources: { lut, ff: 1, dsp: 0, bram: 0 }, fmax: { mhz: 1, method: 'm' }, bitstream: '/abs/scan.bin' }) as unknown as SynthResult;
    writeCommitted([row('xc7', 'a'.repeat(32), 1), row('ice40', 'b'.repeat(32), 2)], dir);
    writeCommitted([row('xc7', 'c'.repeat(32), 3)], dir);
    const rows = readCommitted('d.pe', dir);
    expect(rows.map((r) => [r.target, r.resources.lut])).toEqual([['ice40', 2], ['xc7', 3]]);
    expect(rows.every((r) => r.bitstream === undefined)).toBe(true);
    expect(committedResult('d.pe', 'a'.repeat(32), dir)).toBeUndefined();
    expect(committedResult('d.pe', 'c'.repeat(32), dir)?.resources.lut).toBe(3);
    writeFileSync(join(dir, 'd.pe.json'), '{"design": "d.pe", "res');
    expect(readCommitted('d.pe', dir)).toEqual([]);
  });
});
