// Faults: a filtered or --cached-only `mpsa synth` run (issue 16, kind 5). It must add to
// results.json and configs.md, never shrink them, and --cached-only must list the jobs it found
// no cached result for. On the code before the fix both tables were overwritten with the run's
// few rows (here: none) and nothing said what was missing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { run, said } from './run.ts';

const row = (design: string, target: string, lut: number) => ({
  design, kind: 'pe', target, top: 'mac_pe', params: {}, macs: 1, resources: { lut, ff: 10, dsp: 1, bram: 0, carry: 0 }, cells: {},
  fmax: { mhz: null, method: 'not measured' }, tools: { yosys: 'Yosys 0.23' }, seconds: 1, key: `k-${design}-${target}`,
});

const made: string[] = [];
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

function setup(earlier: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mpsa-faults-synth-'));
  made.push(dir);
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'results.json'), earlier);
  // No committed results either (synth/results/ would answer these jobs): the cache alone is under test.
  return { dir, out, env: { MPSA_SYNTH_OUT: out, MPSA_CACHE_DIR: join(dir, 'cache'), MPSA_SYNTH_COMMITTED: join(dir, 'no-committed') } };
}

test('a --cached-only run of one configuration keeps the other rows and lists what it could not find', async () => {
  const earlier = [row('int8-4x4.pe', 'xc7', 111), row('e4m3-4x4-fp16-rne.pe', 'xc7', 222)];
  const { out, env } = setup(JSON.stringify({ wallSeconds: 1, toolSeconds: 2, results: earlier }));
  const r = await run('node', ['bin/mpsa.js', 'synth', 'configs', '--config', 'bf16-8x8-fused-sr', '--target', 'xc7', '--target', 'ice40', '--cached-only'], { env, limitMs: 120_000 });
  expect(r.code, said(r)).toBe(0);
  expect(r.stderr).toContain('--cached-only: 2 of 2 job(s) have no cached result (run without --cached-only to make them): bf16-8x8-fused-sr.pe xc7, bf16-8x8-fused-sr.pe ice40');
  expect(r.stderr).toContain('results.json keeps 2 row(s) of earlier runs');
  const results = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { results: { design: string; resources: { lut: number } }[] }).results;
  expect(results.map((x) => [x.design, x.resources.lut])).toEqual([['int8-4x4.pe', 111], ['e4m3-4x4-fp16-rne.pe', 222]]);
  const md = readFileSync(join(out, 'configs.md'), 'utf8');
  expect(md).toContain('| int8-4x4 | xc7 | 111 / 10 / 1 |');
  expect(md).toContain('| e4m3-4x4-fp16-rne | xc7 | 222 / 10 / 1 |');
}, 150_000);

test('a damaged earlier results.json is named, not a crash', async () => {
  const { out, env } = setup('{"results": [nul');
  const r = await run('node', ['bin/mpsa.js', 'synth', 'configs', '--config', 'int8-4x4', '--target', 'xc7', '--cached-only'], { env, limitMs: 120_000 });
  expect(r.code, said(r)).toBe(0);
  expect(r.stderr).toContain(`${join(out, 'results.json')} cannot be read`);
}, 150_000);

test('rows of this run replace the same design and target, others are kept in order', async () => {
  const { mergeResults } = await import('../cli/synth.ts');
  type R = Parameters<typeof mergeResults>[0][number];
  const a = row('a.pe', 'xc7', 1) as unknown as R, b = row('b.pe', 'xc7', 2) as unknown as R, b2 = row('b.pe', 'xc7', 20) as unknown as R, c = row('c.pe', 'ice40', 3) as unknown as R;
  expect(mergeResults([a, b], [b2, c]).map((x) => x.resources.lut)).toEqual([1, 20, 3]);
  expect(mergeResults([], [c])).toEqual([c]);
});
