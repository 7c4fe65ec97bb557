// The night's verification part: the date's seed, failed property cases kept in the regression
// list, functional coverage merged from the test processes with its holes and verdict, the
// mutation result read back, and the page section (escaped).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coverpoints } from '../property-tests/support/coverage.ts';
import type { JunitRun } from './junit.ts';
import { failedCases, keepFailures, nightSeed, runSeed, shrunkCase } from './seeds.ts';
import { coverageVerdict, mergeFunctionalCoverage, mergeRtlCoverage, parseCoverageDat, parseMutation, verificationOf, verificationSection } from './verification.ts';
import { copyFileSync } from 'node:fs';
import { FIXTURES } from './fixtures/night.ts';

const tmp = mkdtempSync(join(tmpdir(), 'mpsa-verification-'));
const savedSeed = process.env.MPSA_SEED;
afterEach(() => { if (savedSeed === undefined) delete process.env.MPSA_SEED; else process.env.MPSA_SEED = savedSeed; });

const FAIL_TEXT = 'replay: MPSA_SEED=77 MPSA_PROFILE=nightly npx vitest run property-tests/rtl-units.prop.test.ts -t \'mul\'\n(test seed 123)\nProperty failed after 3 tests\n{ seed: 123, path: "2:0:1", endOnFailure: true }\nCounterexample: …';
const run = (file: string, text: string): JunitRun => ({
  regressionSeed: 77, duplicates: [],
  tests: [{ id: `${file} > suite > mul`, name: 'suite > mul', classname: 'x', file, time: 1, state: 'failed', failure: { message: 'replay: …', type: 'Error', text } }],
});

describe('seeds that move', () => {
  it('a night\'s seed comes from its date, the same every time', () => {
    delete process.env.MPSA_SEED;
    expect(nightSeed('2026-12-07')).toBe(nightSeed('2026-12-07'));
    expect(nightSeed('2026-12-07')).not.toBe(nightSeed('2026-12-08'));
    expect(runSeed('2026-12-07')).toBe(nightSeed('2026-12-07'));
    process.env.MPSA_SEED = '42';
    expect(runSeed('2026-12-07')).toBe(42);
    process.env.MPSA_SEED = '-1';
    expect(() => runSeed('2026-12-07')).toThrow(/MPSA_SEED must be an integer/);
  });

  it('a failed property case goes into the regression list, once', () => {
    expect(shrunkCase(FAIL_TEXT)).toEqual({ seed: 123, path: '2:0:1' });
    expect(failedCases(run('harness/x.test.ts', FAIL_TEXT), 'd')).toEqual([]);
    expect(failedCases(run('property-tests/rtl-units.prop.test.ts', 'no shrunk case here'), 'd')).toEqual([]);
    const repo = join(tmp, 'repo');
    mkdirSync(join(repo, 'property-tests'), { recursive: true });
    const added = keepFailures(repo, run('property-tests/rtl-units.prop.test.ts', FAIL_TEXT), '2026-12-07');
    expect(added).toMatchObject([{ test: 'property-tests/rtl-units.prop.test.ts > suite > mul', seed: 123, path: '2:0:1', regressionSeed: 77, found: '2026-12-07' }]);
    expect(keepFailures(repo, run('property-tests/rtl-units.prop.test.ts', FAIL_TEXT), '2026-12-08')).toEqual([]);
    expect(JSON.parse(readFileSync(join(repo, 'property-tests', 'regressions.json'), 'utf8')).cases).toHaveLength(1);
  });
});

describe('functional coverage of a night', () => {
  it('merges the processes\' counts and names the holes', () => {
    const dir = join(tmp, 'cov');
    mkdirSync(dir);
    const all = Object.fromEntries(coverpoints('fp_mul').map((p) => [p, 1]));
    writeFileSync(join(dir, 'functional-1.json'), JSON.stringify({ fp_mul: { ...all, 'exact-tie': 0 } }));
    writeFileSync(join(dir, 'functional-2.json'), JSON.stringify({ fp_mul: { 'mode:sr': 4 }, fp_add: { 'mode:rne': 2 } }));
    const units = mergeFunctionalCoverage(dir);
    const mul = units.find((u) => u.unit === 'fp_mul')!;
    expect(mul.points['mode:sr']).toBe(5);
    expect(mul.holes).toEqual(['exact-tie']);
    expect(units.find((u) => u.unit === 'fp_add')!.holes).toContain('exact-cancellation:rdn');
    expect(coverageVerdict(units, false).ok).toBe(true);
    const full = coverageVerdict(units, true);
    expect(full.ok).toBe(false);
    expect(full.note).toMatch(/fp_mul exact-tie/);
    writeFileSync(join(dir, 'functional-3.json'), '{"fp_mul": {"mode:rne": -1}}');
    expect(() => mergeFunctionalCoverage(dir)).toThrow(/functional-3\.json: fp_mul mode:rne is not a count/);
    expect(() => mergeFunctionalCoverage(join(tmp, 'none'))).toThrow(/no coverage was written/);
  });

  it('reads the mutation result and renders the section escaped', async () => {
    const m = parseMutation(JSON.stringify({ seed: 9, random: 2, killRate: 0.75, results: [
      { id: 'a', what: 'x', status: 'killed' }, { id: 'b', what: 'x', status: 'killed' }, { id: 'c', what: 'x', status: 'killed' },
      { id: '<s>', what: 'a <b> fault', status: 'survived' }, { id: 'e', what: 'x', status: 'stillborn' },
      { id: 'q', what: 'x', status: 'equivalent', by: 'both give <w>' }] }));
    expect(m).toMatchObject({ killed: 3, survived: 1, stillborn: 1, survivors: [{ id: '<s>' }], equivalent: [{ id: 'q', why: 'both give <w>' }] });
    expect(() => parseMutation('{}')).toThrow(/scripts\/mutate\.ts/);
    const v = { seed: { value: 5, from: 'date' as const }, regressionsAdded: [], coverage: { available: false as const, reason: 'r' }, mutation: { available: true as const, data: m } };
    const html = await verificationSection(v, []);
    expect(html).toContain('75.0 %');
    expect(html).toMatch(/1 at sites judged equivalent \(not run, not in the rate\)/);
    expect(html).toContain('both give &lt;w&gt;');
    expect(html).toContain('&lt;s&gt;');
    expect(html).not.toContain('<s>');
    expect(verificationOf(JSON.parse(JSON.stringify(v)))).toEqual(v);
    expect(verificationOf({ seed: null })).toBeUndefined();
    expect(await verificationSection(undefined, [])).toMatch(/not recorded/);
  });
});

describe('Verilator line and toggle coverage', () => {
  // An excerpt of a real coverage.dat (fp_mul e4m3 under rne and sr only: the other modes' lines
  // of fp_round's round_up case never ran).
  const excerpt = join(FIXTURES, 'coverage', 'verilator-excerpt.dat');
  it('reads lines run and bits toggled per RTL file, with the holes', () => {
    const files = parseCoverageDat(readFileSync(excerpt, 'latin1'));
    expect(files.map((f) => f.file)).toEqual(['rtl/fp/fp_round.v', 'rtl/fp/fp_unpack.v']);
    expect(files[0].lines).toEqual({ covered: 5, total: 12, holes: [102, 103, 104, 105, 106, 212, 213] });
    expect(files[1].toggles).toMatchObject({ covered: 8, total: 8, holes: [] });
  });

  it('merges the instances\' files with verilator_coverage', async () => {
    const dir = join(tmp, 'rtlcov');
    mkdirSync(dir);
    copyFileSync(excerpt, join(dir, 'verilator-1-1.dat'));
    copyFileSync(excerpt, join(dir, 'verilator-2-1.dat'));
    const files = await mergeRtlCoverage(dir);
    expect(files[0].lines.holes).toEqual([102, 103, 104, 105, 106, 212, 213]);
    expect(readFileSync(join(dir, 'coverage.dat'), 'latin1')).toMatch(/fp_round\.v.*' 352$/m);
    await expect(mergeRtlCoverage(join(tmp, 'empty'))).rejects.toThrow(/no verilator-\*\.dat/);
  });
});
