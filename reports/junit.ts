// JUnit results read back: the cocotb-shaped XML that harness/junit-reporter.ts writes (one file
// per run or per shard) parsed into plain test records, merged across shards, and written again
// as one document. XML goes through harness/xml.ts, the project's one xml2js adapter; harness/
// index.ts is not used because it loads the simulator binding, which a report has no use for.
import { type JunitCase, junitXml } from '../harness/junit.ts';
import { type XmlElement, parseXml } from '../harness/xml.ts';

export type TestState = 'passed' | 'failed' | 'skipped';

/** One test as the report sees it. */
export interface TestRecord {
  /** `file > full name`: stable across nights, the key of new-vs-known failures. */
  id: string;
  name: string;
  classname: string;
  file: string;
  line?: number;
  time: number;
  state: TestState;
  /** The test's own seed (harness tests: a property; property tests: "(test seed N)" in the failure). */
  seed?: number;
  simTimeNs?: number;
  failure?: { message: string; type: string; text: string };
  /** The `replay: …` command a failing property test printed, else one built from file and name. */
  replay?: string;
}

export interface JunitRun {
  tests: TestRecord[];
  /** The regression seed (`random_seed` property), when the files carry one. */
  regressionSeed?: number;
  /** Ids that appeared in more than one input (shards should never overlap). */
  duplicates: string[];
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
};

const kids = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

function properties(e: XmlElement): Map<string, string> {
  const m = new Map<string, string>();
  for (const ps of kids(e, 'properties')) for (const p of kids(ps, 'property')) if (p.attrs.name !== undefined) m.set(p.attrs.name, p.attrs.value ?? '');
  return m;
}

/** The command that re-runs one test: the property suites' own `replay:` line, else vitest -t on its leaf name. */
export function replayFor(file: string, name: string, text: string, regressionSeed: number | undefined): string {
  const printed = /^replay: (.+)$/m.exec(text);
  if (printed) return printed[1].trim();
  const leaf = (name.split(' > ').pop() ?? name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'\\''");
  return `${regressionSeed !== undefined ? `MPSA_SEED=${regressionSeed} ` : ''}npx vitest run ${file} -t '${leaf}'`;
}

function testRecord(tc: XmlElement, regressionSeed: number | undefined): TestRecord {
  const a = tc.attrs;
  const name = a.name ?? '(unnamed)';
  const classname = a.classname ?? '';
  const file = a.file ?? (classname ? `${classname.replace(/\./g, '/')}.test.ts` : '(unknown file)');
  const props = properties(tc);
  const failEl = kids(tc, 'failure')[0] ?? kids(tc, 'error')[0];
  const state: TestState = failEl ? 'failed' : kids(tc, 'skipped').length ? 'skipped' : 'passed';
  const r: TestRecord = { id: `${file} > ${name}`, name, classname, file, time: num(a.time) ?? 0, state };
  const line = num(a.lineno);
  if (line !== undefined) r.line = line;
  const sim = num(props.get('sim_time_ns') ?? a.sim_time_ns);
  if (sim !== undefined) r.simTimeNs = sim;
  let seed = num(props.get('seed'));
  if (failEl) {
    const text = failEl.text ?? '';
    r.failure = { message: failEl.attrs.message ?? text.split('\n')[0] ?? 'failed', type: failEl.attrs.type ?? 'Error', text };
    const printed = /\(test seed (\d+)\)/.exec(`${r.failure.message}\n${text}`);
    if (seed === undefined && printed) seed = Number(printed[1]);
    r.replay = replayFor(file, name, `${r.failure.message}\n${text}`, regressionSeed);
  }
  if (seed !== undefined) r.seed = seed;
  return r;
}

function collect(e: XmlElement, regressionSeed: number | undefined, out: TestRecord[], seeds: number[]): void {
  let seed = regressionSeed;
  if (e.name === 'testsuite') {
    const s = num(properties(e).get('random_seed'));
    if (s !== undefined) { seed = s; seeds.push(s); }
  }
  const first = out.length;
  for (const c of e.children) {
    if (c.name === 'testcase') out.push(testRecord(c, seed));
    else if (c.name === 'testsuite' || c.name === 'testsuites') collect(c, seed, out, seeds);
  }
  // A suite that says it had failures or errors its test cases do not show (a writer that only
  // counts suite errors) must not read as green.
  if (e.name === 'testsuite') {
    const said = (num(e.attrs.failures) ?? 0) + (num(e.attrs.errors) ?? 0);
    const shown = out.slice(first).filter((t) => t.state === 'failed').length;
    if (said > shown) out.push(brokenRecord(e.attrs.name ?? '(unnamed suite)', `the suite reports ${said} failure(s)/error(s) but only ${shown} failing test case(s) are listed`));
  }
}

/** A failed record standing for something that broke outside any one test. */
export function brokenRecord(where: string, message: string): TestRecord {
  const name = `${where} (suite error)`;
  return { id: `${where} > ${name}`, name, classname: 'suite', file: where, time: 0, state: 'failed', failure: { message, type: 'SuiteError', text: message }, replay: 'npx vitest run' };
}

/** Parses one JUnit document (`<testsuites>` or a bare `<testsuite>`). */
export async function parseJunit(xml: string): Promise<JunitRun> {
  const root = await parseXml(xml);
  if (root.name !== 'testsuites' && root.name !== 'testsuite') throw new Error(`not JUnit XML: root element <${root.name}>`);
  const tests: TestRecord[] = [];
  const seeds: number[] = [];
  collect({ name: 'testsuites', attrs: {}, children: [root] }, undefined, tests, seeds);
  return { tests, regressionSeed: seeds[0], duplicates: [] };
}

const RANK: Record<TestState, number> = { failed: 2, passed: 1, skipped: 0 };

/** Merges shard results: a test reported twice keeps its worst state (failed > passed > skipped). */
export function mergeRuns(runs: readonly JunitRun[]): JunitRun {
  const byId = new Map<string, TestRecord>();
  const duplicates = new Set<string>();
  for (const run of runs) {
    for (const t of run.tests) {
      const seen = byId.get(t.id);
      if (seen) duplicates.add(t.id);
      if (!seen || RANK[t.state] > RANK[seen.state]) byId.set(t.id, t);
    }
  }
  return { tests: [...byId.values()], regressionSeed: runs.find((r) => r.regressionSeed !== undefined)?.regressionSeed, duplicates: [...duplicates] };
}

/** The merged results as one cocotb-shaped document (the same writer the reporter uses). */
export function mergedJunitXml(run: JunitRun, timestamp = new Date()): string {
  const cases: JunitCase[] = run.tests.map((t) => ({
    name: t.name, classname: t.classname, file: t.file, line: t.line, time: t.time, state: t.state,
    seed: t.seed, simTimeNs: t.simTimeNs, failure: t.failure,
  }));
  return junitXml(cases, run.regressionSeed ?? 0, timestamp);
}
