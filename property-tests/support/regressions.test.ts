// The committed regression list: validation, adding without duplicates, and check() replaying a
// kept { seed, path } before the run's own cases (docs/testing.md, "Seeds and replay").
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addRegressions, loadRegressions, REGRESSIONS_FILE, type RegressionCase, testId } from './regressions.ts';
import { check } from './seed.ts';

const dir = mkdtempSync(join(tmpdir(), 'mpsa-regressions-'));
const saved = process.env.MPSA_REGRESSIONS;
afterEach(() => { if (saved === undefined) delete process.env.MPSA_REGRESSIONS; else process.env.MPSA_REGRESSIONS = saved; });

/** Fails for one value in a thousand: random runs of a few cases almost never see it. */
const rare = fc.property(fc.integer({ min: 0, max: 999_999 }), (x) => x % 1000 !== 7);

describe('regression list', () => {
  it('the committed list is valid', () => {
    expect(() => loadRegressions(REGRESSIONS_FILE)).not.toThrow();
  });

  it('names what is wrong in a damaged list', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{"cases": [{"test": "x", "seed": 1}]}');
    expect(() => loadRegressions(f)).toThrow(/bad\.json: cases\[0\] is not/);
    writeFileSync(f, 'nope');
    expect(() => loadRegressions(f)).toThrow(/bad\.json: not JSON/);
    writeFileSync(f, '[]');
    expect(() => loadRegressions(f)).toThrow(/no "cases" array/);
  });

  it('adds a case once', () => {
    const f = join(dir, 'add.json');
    const c: RegressionCase = { test: 'property-tests/x.test.ts > a > b', seed: 5, path: '3:1', regressionSeed: 9, found: '2026-12-07' };
    expect(addRegressions([c, c], f)).toHaveLength(1);
    expect(addRegressions([c], f)).toHaveLength(0);
    expect(JSON.parse(readFileSync(f, 'utf8')).cases).toEqual([c]);
  });

  it('check() replays a kept case of its test, which a fresh run does not find', async () => {
    let found: { seed: number; path: string } | undefined;
    for (let seed = 1; !found; seed++) {
      const r = fc.check(rare, { seed, numRuns: 5000 });
      if (r.failed && r.counterexamplePath) found = { seed, path: r.counterexamplePath };
    }
    const ctx = { file: '/repo/property-tests/support/regressions.test.ts', name: 'regression list > the replayed property' };
    const f = join(dir, 'kept.json');
    process.env.MPSA_REGRESSIONS = f;
    writeFileSync(f, JSON.stringify({ cases: [] }));
    expect(() => check(ctx, rare, 3)).not.toThrow();
    addRegressions([{ test: testId(ctx.file, ctx.name), ...found, regressionSeed: 1, found: 'test' }], f);
    expect(() => check(ctx, rare, 3)).toThrow(/kept regression case \{ seed: \d+, path: "[\d:]+" \}, found test/);
    // Another test's kept case is not replayed here.
    expect(() => check({ ...ctx, name: 'regression list > another' }, rare, 3)).not.toThrow();
  });
});
