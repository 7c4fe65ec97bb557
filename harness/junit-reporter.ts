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

function toCase(t: TestCase, root: string): JunitCase {
  const file = relative(root, t.module.moduleId);
  const r = t.result();
  const d = t.diagnostic();
  const meta = (t.meta() as { mpsa?: HarnessMeta }).mpsa;
  const state = r.state === 'failed' ? 'failed' : r.state === 'passed' ? 'passed' : 'skipped';
  const c: JunitCase = {
    name: t.fullName,
    classname: file.replace(/\.test\.ts$/, '').replace(/[/\\]/g, '.'),
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
  }
  return c;
}

export default class JunitReporter implements Reporter {
  private root = process.cwd();

  onInit(ctx: { config: { root: string } }): void {
    this.root = ctx.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const cases = modules.flatMap((m) => [...m.children.allTests()].map((t) => toCase(t, this.root)));
    const out = process.env.MPSA_JUNIT ?? 'reports/out/results.xml';
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.tmp-${process.pid}`;
    writeFileSync(tmp, junitXml(cases, regressionSeed()));
    renameSync(tmp, out);
  }
}
