// The kept history: every night's summary.json under reports/out/<YYYY-MM-DD>/. A night compares
// its failures with the latest earlier night that ran tests (new vs known, by test id), and the
// trend plots read the same files. Nights are only ever added by renaming a finished folder into
// place (reports/publish.ts), so an interrupted night never leaves a half-written one here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JunitRun } from './junit.ts';
import { type FailureRow, missing, type NightSummary, type Section, SUMMARY_SCHEMA, type SuiteRow, type TestsData } from './summary.ts';
import { verificationOf } from './verification.ts';

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Earlier nights, oldest first (unreadable or foreign summaries are left out with a note). */
export function loadHistory(root: string, before: string, warn: (msg: string) => void = () => {}): NightSummary[] {
  if (!existsSync(root)) return [];
  const nights: NightSummary[] = [];
  for (const d of readdirSync(root).filter((n) => DATE_RE.test(n) && n < before).sort()) {
    const file = join(root, d, 'summary.json');
    if (!existsSync(file)) continue;
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (!isObject(s)) { warn(`history: ${file}: not a JSON object; left out`); continue; }
      if (s.schema !== SUMMARY_SCHEMA) { warn(`history: ${file}: schema ${String(s.schema)}, expected ${SUMMARY_SCHEMA}; left out`); continue; }
      nights.push(historyNight(s, d, (what) => warn(`history: ${file}: ${what} is damaged; that part is left out`)));
    } catch (e) {
      warn(`history: ${file}: ${(e as Error).message}; left out`);
    }
  }
  return nights;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const STATES = new Set(['passed', 'failed', 'skipped']);

/** A section as read back: kept when its data has what readers use, else missing with a reason. */
function section<T>(v: unknown, what: string, ok: (data: unknown) => boolean, damaged: (what: string) => void): Section<T> {
  if (isObject(v) && v.available === false) return missing(typeof v.reason === 'string' ? v.reason : 'not available');
  if (isObject(v) && v.available === true && ok(v.data)) return { available: true, data: v.data as T };
  damaged(what);
  return missing(`${what} was damaged in the kept summary.json`);
}

/**
 * An earlier night's summary.json as later nights may read it: every part that the new-vs-known
 * comparison and the trend plots use is checked, and a damaged part (null where an object
 * belongs, a string for a number, …) becomes a missing section rather than a crash. `date` is
 * the night's folder name.
 */
export function historyNight(raw: Record<string, unknown>, date: string, damaged: (what: string) => void = () => {}): NightSummary {
  const okTests = (d: unknown) =>
    isObject(d) && isObject(d.totals) && ['tests', 'passed', 'failed', 'skipped', 'seconds'].every((k) => isNum((d.totals as Record<string, unknown>)[k])) &&
    isObject(d.states) && Object.values(d.states).every((x) => typeof x === 'string' && STATES.has(x));
  const bench = isObject(raw.bench) ? raw.bench : {};
  const training = isObject(raw.training) ? raw.training : {};
  if (!isObject(raw.bench)) damaged('bench');
  if (!isObject(raw.training)) damaged('training');
  const any = () => true;
  return {
    schema: SUMMARY_SCHEMA,
    date,
    profile: raw.profile === 'full' ? 'full' : 'quick',
    startedAt: typeof raw.startedAt === 'string' ? raw.startedAt : '',
    finishedAt: typeof raw.finishedAt === 'string' ? raw.finishedAt : '',
    wallSeconds: isNum(raw.wallSeconds) ? raw.wallSeconds : Number.NaN,
    git: isObject(raw.git) && typeof raw.git.commit === 'string' ? { commit: raw.git.commit, dirty: raw.git.dirty === true } : null,
    host: isObject(raw.host) ? { cpus: isNum(raw.host.cpus) ? raw.host.cpus : 0, node: String(raw.host.node ?? '') } : { cpus: 0, node: '' },
    steps: Array.isArray(raw.steps) ? (raw.steps.filter((x) => isObject(x) && typeof x.name === 'string' && typeof x.status === 'string') as unknown as NightSummary['steps']) : [],
    tests: section(raw.tests, 'tests', okTests, damaged),
    model: section(raw.model, 'model', (d) => isObject(d) && isNum(d.cases) && isNum(d.exact), damaged),
    synth: section(raw.synth, 'synth', Array.isArray, damaged),
    bench: {
      harness: section(bench.harness, 'bench.harness', (d) => isObject(d) && isNum(d.per_cycle_hz) && isNum(d.bulk_hz), damaged),
      emu: section(bench.emu, 'bench.emu', (d) => Array.isArray(d) && d.length > 0 && d.every((r) => isObject(r) && isNum(r.gmacs)), damaged),
      gemm: section(bench.gemm, 'bench.gemm', Array.isArray, damaged),
      golden: section(bench.golden, 'bench.golden', Array.isArray, damaged),
    },
    training: { runs: section(training.runs, 'training.runs', Array.isArray, damaged), accuracy: section(training.accuracy, 'training.accuracy', any, damaged) },
    verification: verificationOf(raw.verification),
  };
}

/** The latest earlier night whose tests ran: what "new" failures are new against. */
export function previousTestedNight(history: readonly NightSummary[]): NightSummary | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].tests.available) return history[i];
  return undefined;
}

/**
 * Per-suite counts and failures of this night, each failure marked new unless the previous
 * tested night also had that test failing (a test the previous night did not run is new).
 */
export function testsData(run: JunitRun, previous: NightSummary | undefined, inputs: string[]): TestsData {
  const prevStates = previous?.tests.available ? previous.tests.data.states : {};
  const suites = new Map<string, SuiteRow>();
  const states: TestsData['states'] = {};
  const failures: FailureRow[] = [];
  for (const t of run.tests) {
    const s = suites.get(t.file) ?? { file: t.file, tests: 0, passed: 0, failed: 0, skipped: 0, seconds: 0 };
    s.tests++;
    s[t.state]++;
    s.seconds += t.time;
    suites.set(t.file, s);
    states[t.id] = t.state;
    if (t.state === 'failed') failures.push({ ...t, isNew: prevStates[t.id] !== 'failed' });
  }
  const fixed = Object.entries(prevStates).filter(([id, st]) => st === 'failed' && states[id] === 'passed').map(([id]) => id);
  const rows = [...suites.values()].sort((a, b) => a.file.localeCompare(b.file));
  const sum = (k: 'tests' | 'passed' | 'failed' | 'skipped' | 'seconds') => rows.reduce((acc, r) => acc + r[k], 0);
  failures.sort((a, b) => Number(b.isNew) - Number(a.isNew) || a.id.localeCompare(b.id));
  const data: TestsData = {
    inputs,
    totals: { tests: sum('tests'), passed: sum('passed'), failed: sum('failed'), skipped: sum('skipped'), seconds: sum('seconds') },
    suites: rows,
    failures,
    fixed,
    states,
    duplicates: run.duplicates,
  };
  if (run.regressionSeed !== undefined) data.regressionSeed = run.regressionSeed;
  if (previous) data.previousNight = previous.date;
  return data;
}

/** One number per night for a trend plot; nights without it are skipped. */
export function trend(nights: readonly NightSummary[], pick: (n: NightSummary) => number | undefined): [string, number][] {
  const out: [string, number][] = [];
  for (const n of nights) {
    const v = pick(n);
    if (v !== undefined && Number.isFinite(v)) out.push([n.date, v]);
  }
  return out;
}
