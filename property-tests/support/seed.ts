// Reproducibility for every random test (docs/testing.md): one regression seed, from which
// each test derives its own from its full name, so re-running one test alone reproduces it.
import fc from 'fast-check';
import { loadRegressions, testId } from './regressions.ts';

/** The documented default regression seed ("mpsa" in ASCII). Override with MPSA_SEED. */
export const DEFAULT_SEED = 0x6d707361;

export function regressionSeed(): number {
  const env = process.env.MPSA_SEED;
  if (env === undefined || env === '') return DEFAULT_SEED;
  const v = Number(env);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new Error(`MPSA_SEED must be an integer in 0..4294967295, got ${JSON.stringify(env)}`);
  }
  return v;
}

/** FNV-1a over the name, mixed with the regression seed: a stable 31-bit seed per test. */
export function testSeed(fullName: string, seed = regressionSeed()): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < fullName.length; i++) {
    h ^= fullName.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  return h & 0x7fffffff;
}

export type Profile = 'quick' | 'nightly';

/** MPSA_PROFILE=nightly runs the long property runs; `make test` runs the quick profile. */
export function profile(): Profile {
  const p = process.env.MPSA_PROFILE ?? 'quick';
  if (p !== 'quick' && p !== 'nightly') throw new Error(`MPSA_PROFILE must be 'quick' or 'nightly', got ${JSON.stringify(p)}`);
  return p;
}

/** Number of runs: `quick` in make test, `nightly` (default 10×) in the nightly profile. */
export function runs(quick: number, nightly = quick * 10): number {
  return profile() === 'nightly' ? nightly : quick;
}

/** The command that re-runs one test with the same regression seed. */
export function replayCommand(file: string, testName: string): string {
  const rel = file.replace(/^.*?\/(golden|property-tests|harness|rtl|cli|model|synth|train|reports|examples|configs|bench|faults)\//, '$1/');
  const leaf = testName.split(' > ').pop() ?? testName;
  const pattern = leaf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'\\''");
  return `MPSA_SEED=${regressionSeed()} MPSA_PROFILE=${profile()} npx vitest run ${rel} -t '${pattern}'`;
}

/**
 * fc.assert with the test's derived seed; a failure's message starts with the replay command
 * and fast-check's own `{ seed, path }` header (paste it into `fc.assert` to replay one case).
 * First, every case of the committed regression list kept for this test (its `{ seed, path }`,
 * property-tests/regressions.json) is replayed: a failure found once is checked in every run.
 */
export function check<Ts extends [unknown, ...unknown[]]>(
  ctx: { file: string; name: string },
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  numRuns: number,
): void | Promise<void> {
  const id = testId(ctx.file, ctx.name);
  const kept = loadRegressions().filter((c) => c.test === id);
  const seed = testSeed(ctx.name);
  const runs = [
    ...kept.map((c) => ({ params: { seed: c.seed, path: c.path, numRuns: 1, includeErrorInReport: true }, head: `replay: ${replayCommand(ctx.file, ctx.name)}\n(kept regression case { seed: ${c.seed}, path: "${c.path}" }, found ${c.found}, regression seed ${c.regressionSeed})` })),
    { params: { seed, numRuns, includeErrorInReport: true }, head: `replay: ${replayCommand(ctx.file, ctx.name)}\n(test seed ${seed})` },
  ];
  const one = (r: (typeof runs)[number]): void | Promise<void> => {
    const wrap = (e: unknown): never => {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`${r.head}\n${msg}`);
    };
    try {
      const out = fc.assert(property as fc.IProperty<Ts>, r.params) as void | Promise<void>;
      if (out instanceof Promise) return out.catch(wrap);
    } catch (e) {
      wrap(e);
    }
  };
  let chain: Promise<void> | undefined;
  for (const r of runs) {
    if (chain) chain = chain.then(() => one(r));
    else { const out = one(r); if (out instanceof Promise) chain = out; }
  }
  return chain;
}
