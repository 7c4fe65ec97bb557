// test(): a cocotb-style test bound to a design, run by vitest. Every test gets
// a fresh model instance, a seed derived from the regression seed and its full
// name, an optional simulated-time limit, expectFail and skip; a failure says
// the seed and the command that replays it. JUnit properties (seed, sim time,
// ratio) go into the vitest task's meta for harness/junit-reporter.ts.
import { join } from 'node:path';
import { beforeAll, TestRunner, test as vitestTest } from 'vitest';
import { regressionSeed, replayCommand, testSeed } from '../property-tests/support/seed.ts';
import { buildModel, type DesignSpec } from './build.ts';
import { type Dut, type RunOptions, runSimulation } from './run.ts';
import { selectTest } from './selection.ts';
import type { TimeUnit } from './time-units.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface TestOptions {
  /** Simulated-time limit, e.g. [10, 'us']; passing it fails the test. */
  timeout?: readonly [number, TimeUnit];
  /** Wall-clock limit of the simulation in ms. @defaultValue 60 000 */
  wallTimeoutMs?: number;
  /**
   * The test passes only if it fails: `true` for any failure, an error class,
   * or a RegExp the failure's message must match.
   */
  expectFail?: boolean | ErrorClass | RegExp;
  /** Skip the test (a string says why). */
  skip?: boolean | string;
  /** Record an FST wave file (MPSA_WAVES=1, or cocotb's WAVES=1, turns it on for every test). @defaultValue false */
  waves?: boolean;
  /** Let clocks run in C while nothing else is pending. @defaultValue true */
  fastPath?: boolean;
}

/** What a test body gets besides the DUT. */
export interface TestInfo {
  /** Full name: suites and test, joined by ' > '. */
  readonly name: string;
  /** This test's seed (regression seed + full name); also seeds the model's $random. */
  readonly seed: number;
  /** A seeded generator of floats in [0, 1) for stimulus. */
  random(): number;
  /** Where this test's waves go, when recorded. */
  readonly wavesPath: string | undefined;
}

export type TestBody = (dut: Dut, t: TestInfo) => Promise<void> | void;

/** Per-test results for the JUnit reporter (vitest task meta, key `mpsa`). */
export interface HarnessMeta {
  seed: number;
  simTimeNs: number;
  ratioTime: number;
}

/** Time for a cold build of one design (Verilator + g++ on a busy 2-core machine). */
const BUILD_TIMEOUT_MS = 300_000;

const registered = new Set<string>();

/** Whether a test records waves: its option, else MPSA_WAVES=1 or cocotb's own WAVES=1 (cocotb's Makefiles, cocotb-test). */
export function wavesOn(options: TestOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.waves ?? (env.MPSA_WAVES === '1' || env.WAVES === '1');
}

function designFor(spec: DesignSpec, options: TestOptions): DesignSpec {
  return wavesOn(options) ? { ...spec, waves: true } : spec;
}

/** mulberry32: small, fast, good enough for stimulus. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matches(e: unknown, expect: TestOptions['expectFail']): boolean {
  if (expect === true) return true;
  if (expect instanceof RegExp) return expect.test(e instanceof Error ? e.message : String(e));
  if (typeof expect === 'function') return e instanceof expect;
  return false;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 120);
}

/** A simulation test of `design`, run by vitest (call at the top of a test file or in describe). */
export function test(design: DesignSpec, name: string, body: TestBody, options: TestOptions = {}): void {
  const spec = designFor(design, options);
  const key = JSON.stringify(spec);
  // MPSA_TEST_FILTER / MPSA_TESTCASE / MPSA_LIST_TESTS (harness/selection.ts).
  const parent = TestRunner.getCurrentSuite().suite?.fullTestName;
  const chosen = selectTest(name, parent ? `${parent} > ${name}` : name);
  if (!chosen.selected || chosen.list) {
    vitestTest(name, (ctx) => {
      if (chosen.list && chosen.selected) console.log(`harness test: ${ctx.task.fullTestName ?? name}`);
      ctx.skip(chosen.reason ?? 'MPSA_LIST_TESTS=1: listed, not run');
    });
    return;
  }
  if (!registered.has(key)) {
    registered.add(key);
    // Build before the first test of the file so a cold build does not count
    // against that test; the build is cached across files and runs.
    if (!options.skip) beforeAll(() => buildModel(spec).then(() => undefined), BUILD_TIMEOUT_MS);
  }
  const wallMs = options.wallTimeoutMs ?? 60_000;
  vitestTest(name, { skip: !!options.skip, timeout: wallMs + BUILD_TIMEOUT_MS }, async (ctx) => {
    const fullName = ctx.task.fullTestName ?? ctx.task.name;
    const file = ctx.task.file.filepath;
    const seed = testSeed(fullName);
    const wavesPath = wavesOn(options) ? join(process.env.MPSA_WAVES_DIR ?? 'reports/out/waves', `${safeName(fullName)}.fst`) : undefined;
    const info: TestInfo = { name: fullName, seed, random: mulberry32(seed), wavesPath };
    const run: RunOptions = { seed, timeout: options.timeout, wallTimeoutMs: wallMs, fstPath: wavesPath, fastPath: options.fastPath };
    let failure: unknown;
    const t0 = performance.now();
    let simTimeNs = 0;
    let ratioTime = 0;
    try {
      const r = await runSimulation(await buildModel(spec), (dut) => body(dut, info), run);
      simTimeNs = r.simTimeNs;
      ratioTime = r.ratio;
    } catch (e) {
      failure = e;
    }
    (ctx.task.meta as Record<string, unknown>).mpsa = { seed, simTimeNs, ratioTime } satisfies HarnessMeta;
    if (wavesPath) console.log(`waves: ${wavesPath}`);
    const replay = `test seed ${seed} (regression seed ${regressionSeed()}); replay: ${replayCommand(file, fullName)}`;
    if (options.expectFail) {
      if (failure === undefined) throw new Error(`expected this test to fail, but it passed\n${replay}`);
      if (!matches(failure, options.expectFail)) throw annotate(failure, `failed, but not as expectFail says (${String(options.expectFail)})\n${replay}`);
      console.log(`failed as expected after ${((performance.now() - t0) / 1000).toFixed(3)} s: ${failure instanceof Error ? failure.message.split('\n')[0] : String(failure)}`);
      return;
    }
    if (failure !== undefined) throw annotate(failure, replay);
  });
}

function annotate(e: unknown, note: string): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  err.message = `${err.message}\n${note}`;
  return err;
}

type Combination<P extends Record<string, readonly unknown[]>> = { [K in keyof P]: P[K][number] };

/**
 * One test per combination of `params` (cocotb's parametrize), named
 * `name[a=1, b=2]`; the body receives the combination.
 */
test.parametrize = function parametrize<P extends Record<string, readonly unknown[]>>(
  design: DesignSpec,
  name: string,
  params: P,
  body: (dut: Dut, p: Combination<P>, t: TestInfo) => Promise<void> | void,
  options: TestOptions = {},
): void {
  let combos: Record<string, unknown>[] = [{}];
  for (const [k, values] of Object.entries(params)) {
    if (values.length === 0) throw new RangeError(`parametrize '${name}': '${k}' has no values`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  }
  for (const c of combos) {
    const label = Object.entries(c)
      .map(([k, v]) => `${k}=${typeof v === 'bigint' ? `${v}n` : String(v)}`)
      .join(', ');
    test(design, `${name}[${label}]`, (dut, t) => body(dut, c as Combination<P>, t), options);
  }
};
