// The committed regression list (docs/testing.md, "Seeds and replay"): every property case that
// once failed, kept as fast-check's { seed, path } under its test's id, and replayed by `check()`
// in every later run before the run's own cases. A night adds the failures it finds
// (reports/regressions.ts); the list is a file in the repository, so keeping them is a commit.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One kept failure: the test (`file > full name`), fast-check's seed and path of the shrunk case. */
export interface RegressionCase {
  test: string;
  seed: number;
  path: string;
  /** The regression seed (MPSA_SEED) of the run that found it: `MPSA_SEED=… npx vitest run …` re-runs it whole. */
  regressionSeed: number;
  /** The night (YYYY-MM-DD) or the person that added it. */
  found: string;
  /** The failure's first line. */
  message?: string;
}

export const REGRESSIONS_FILE = fileURLToPath(new URL('../regressions.json', import.meta.url));

/** The list's file: MPSA_REGRESSIONS (tests of this mechanism), else property-tests/regressions.json. */
export function regressionsFile(): string {
  return process.env.MPSA_REGRESSIONS || REGRESSIONS_FILE;
}

function fail(file: string, why: string): never {
  throw new Error(`${file}: ${why} (the regression list: { "cases": [{ "test", "seed", "path", "regressionSeed", "found" }] })`);
}

/** The list; a missing file is an empty list, a damaged one an error naming what is wrong. */
export function loadRegressions(file = regressionsFile()): RegressionCase[] {
  if (!existsSync(file)) return [];
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(file, `not JSON (${(e as Error).message})`);
  }
  const cases = (v as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(cases)) fail(file, 'no "cases" array');
  cases.forEach((c: unknown, i) => {
    const x = c as Record<string, unknown> | null;
    const ok = x !== null && typeof x === 'object' && typeof x.test === 'string' && x.test.includes(' > ') &&
      Number.isInteger(x.seed) && typeof x.path === 'string' && /^\d+(:\d+)*$/.test(x.path) &&
      Number.isInteger(x.regressionSeed) && (x.regressionSeed as number) >= 0 && (x.regressionSeed as number) <= 0xffffffff && typeof x.found === 'string';
    if (!ok) fail(file, `cases[${i}] is not { test: "file > name", seed: integer, path: "n:n…", regressionSeed: 0..2^32-1, found: string }: ${JSON.stringify(c)}`);
  });
  return cases as RegressionCase[];
}

/** The id a test is kept under: its file relative to the repository, ' > ', its full name. */
export function testId(file: string, fullName: string): string {
  const rel = file.replace(/^.*?\/(golden|property-tests|harness|rtl|cli|model|synth|train|reports|examples|configs|bench|faults)\//, '$1/');
  return `${rel} > ${fullName}`;
}

/** Adds cases not already kept (same test, seed and path); returns those added. Written atomically. */
export function addRegressions(add: readonly RegressionCase[], file = regressionsFile()): RegressionCase[] {
  const kept = loadRegressions(file);
  const key = (c: RegressionCase) => `${c.test}\n${c.seed}\n${c.path}`;
  const have = new Set(kept.map(key));
  const fresh = add.filter((c) => !have.has(key(c)) && have.add(key(c)));
  if (fresh.length === 0) return [];
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ cases: [...kept, ...fresh] }, null, 2) + '\n');
  renameSync(tmp, file);
  return fresh;
}
