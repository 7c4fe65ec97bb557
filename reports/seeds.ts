// Seeds that move (docs/testing.md, "Seeds and replay"): a night's regression seed comes from its
// date, so every night draws new random cases and any night can be replayed from its name; the
// property cases a night finds failing are added to the committed regression list
// (property-tests/regressions.json), which every later run replays.
import { join } from 'node:path';
import { addRegressions, type RegressionCase } from '../property-tests/support/regressions.ts';
import { regressionSeed } from '../property-tests/support/seed.ts';
import type { JunitRun } from './junit.ts';

/** The regression seed of the night named `date` (YYYY-MM-DD): FNV-1a of the name, 32 bits. */
export function nightSeed(date: string): number {
  let h = 0x811c9dc5;
  for (const ch of `mpsa-night-${date}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A night's regression seed: MPSA_SEED when set (replaying a seed), else the date's. */
export function runSeed(date: string): number {
  return process.env.MPSA_SEED ? regressionSeed() : nightSeed(date);
}

/** fast-check's `{ seed: N, path: "…" }` of a failed property, when the failure text holds one. */
export function shrunkCase(text: string): { seed: number; path: string } | undefined {
  const m = /\{ seed: (-?\d+), path: "(\d+(?::\d+)*)"/.exec(text);
  return m ? { seed: Number(m[1]), path: m[2] } : undefined;
}

/**
 * The failed property cases of a run (tests under property-tests/ whose failure shows
 * fast-check's `{ seed, path }`), as regression-list entries.
 */
export function failedCases(run: JunitRun, found: string): RegressionCase[] {
  const out: RegressionCase[] = [];
  for (const t of run.tests) {
    if (t.state !== 'failed' || !t.failure || !t.file.startsWith('property-tests/') || run.regressionSeed === undefined) continue;
    const c = shrunkCase(`${t.failure.message}\n${t.failure.text}`);
    if (c) out.push({ test: t.id, ...c, regressionSeed: run.regressionSeed, found, message: t.failure.message.slice(0, 300) });
  }
  return out;
}

/** Adds a night's failed property cases to the repository's regression list; returns the new ones. */
export function keepFailures(repo: string, run: JunitRun, date: string): RegressionCase[] {
  return addRegressions(failedCases(run, date), join(repo, 'property-tests', 'regressions.json'));
}
