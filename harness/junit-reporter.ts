// A vitest reporter writing cocotb-shaped JUnit XML (harness/junit.ts) for the
// whole run, harness tests with their seed, sim time and ratio:
//   npx vitest run --reporter=default --reporter=./harness/junit-reporter.ts
// Output: $MPSA_JUNIT, else reports/out/results.xml. Written atomically.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import { regressionSeed } from '../property-tests/support/seed.ts';
import { type JunitCase, junitXml } from './junit.ts';
import type { HarnessMeta } from './test.ts';

function classnameOf(file: string): string {
  return file.replace(/\.test\.ts$/, '').replace(/[/\\]/g, '.');
}

/** A test that was meant to run: not skipped or todo by its own options. */
const meantToRun = (t: TestCase) => t.options.mode !== 'skip' && t.options.mode !== 'todo';

interface ErrorLike { name?: string; message?: string; stack?: string; cause?: unknown }

function describeError(e: unknown): { message: string; type: string; text: string } {
  const err = (e ?? {}) as ErrorLike;
  const cause = err.cause as ErrorLike | undefined;
  const message = [err.message, cause?.message].filter(Boolean).join(': ') || String((e as { type?: string })?.type ?? e);
  return { message: message.split('\n')[0] ?? message, type: err.name ?? 'Error', text: [message, err.stack ?? '', cause?.stack ?? ''].filter(Boolean).join('\n') };
}

function toCase(t: TestCase, root: string, moduleError: { message: string; type: string; text: string } | undefined): JunitCase {
  const file = relative(root, t.module.moduleId);
  const r = t.result();
  const d = t.diagnostic();
  const meta = (t.meta() as { mpsa?: HarnessMeta }).mpsa;
  let state: JunitCase['state'] = r.state === 'failed' ? 'failed' : r.state === 'passed' ? 'passed' : 'skipped';
  const c: JunitCase = {
    name: t.fullName,
    classname: classnameOf(file),
    file,
    line: t.location?.line,
    time: (d?.duration ?? 0) / 1000,
    state,
    seed: meta?.seed,
    simTimeNs: meta?.simTimeNs,
    ratioTime: meta?.ratioTime,
  };
  if (state === 'failed') {
    const e = r.errors?.[0];
    const message = e?.message ?? 'failed';
    c.failure = { message: message.split('\n')[0] ?? message, type: e?.name ?? 'Error', text: [message, e?.stack ?? ''].join('\n') };
  } else if (state === 'skipped' && meantToRun(t) && (moduleError || r.state === 'pending')) {
    // Not skipped by choice: its suite broke (a failed build in beforeAll, a dead worker).
    state = c.state = 'error';
    const why = moduleError ?? { message: 'the test never finished: its worker process died (or the run was stopped)', type: 'WorkerDied', text: '' };
    c.failure = { message: `did not run: ${why.message}`, type: why.type, text: why.text };
  }
  return c;
}

/** The first error of a describe block around `t` (a failed beforeAll inside describe). */
function suiteError(t: TestCase): ReturnType<typeof describeError> | undefined {
  for (let s = t.parent; s.type === 'suite'; s = s.parent) {
    const e = s.errors()[0];
    if (e) return describeError(e);
  }
  return undefined;
}

/** The run's cases: every test, plus one error case per broken file or unhandled error. */
export function junitCases(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<unknown>, root: string): JunitCase[] {
  const cases: JunitCase[] = [];
  for (const m of modules) {
    const file = relative(root, m.moduleId);
    const errors = m.errors().map(describeError);
    const tests = [...m.children.allTests()];
    cases.push(...tests.map((t) => toCase(t, root, suiteError(t) ?? errors[0])));
    const covered = cases.some((c) => c.file === file && c.state === 'error');
    // A file that failed to load has no tests to carry its error; a suite-level error no test
    // took (an afterAll failure) would be lost too.
    if (errors.length && !covered) {
      for (const e of errors) cases.push({ name: `${file} (suite error)`, classname: classnameOf(file), file, time: 0, state: 'error', failure: { message: `the test file failed: ${e.message}`, type: e.type, text: e.text } });
    } else if (!errors.length && m.state() === 'pending' && !tests.some(meantToRun)) {
      cases.push({ name: `${file} (suite error)`, classname: classnameOf(file), file, time: 0, state: 'error', failure: { message: 'the test file never finished: its worker process died', type: 'WorkerDied', text: '' } });
    }
  }
  unhandled.forEach((e, i) => {
    const d = describeError(e);
    cases.push({ name: `unhandled error ${i + 1}: ${d.message}`, classname: 'vitest', file: '(run)', time: 0, state: 'error', failure: d });
  });
  return cases;
}

export default class JunitReporter implements Reporter {
  private root = process.cwd();

  onInit(ctx: { config: { root: string } }): void {
    this.root = ctx.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    const cases = junitCases(modules, unhandledErrors, this.root);
    const out = process.env.MPSA_JUNIT ?? 'reports/out/results.xml';
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.tmp-${process.pid}`;
    writeFileSync(tmp, junitXml(cases, regressionSeed()));
    renameSync(tmp, out);
  }
}
