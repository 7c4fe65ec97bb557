// The kept history: every night's summary.json under reports/out/<YYYY-MM-DD>/. A night compares
// its failures with the latest earlier night that ran tests (new vs known, by test id), and the
// trend plots read the same files. Nights are only ever added by renaming a finished folder into
// place (reports/publish.ts), so an interrupted night never leaves a half-written one here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JunitRun } from './junit.ts';
import { type FailureRow, type NightSummary, SUMMARY_SCHEMA, type SuiteRow, type TestsData } from './summary.ts';

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Earlier nights, oldest first (unreadable or foreign summaries are left out with a note). */
export function loadHistory(root: string, before: string, warn: (msg: string) => void = () => {}): NightSummary[] {
  if (!existsSync(root)) return [];
  const nights: NightSummary[] = [];
  for (const d of readdirSync(root).filter((n) => DATE_RE.test(n) && n < before).sort()) {
    const file = join(root, d, 'summary.json');
    if (!existsSync(file)) continue;
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as NightSummary;
      if (s.schema !== SUMMARY_SCHEMA) { warn(`history: ${file}: schema ${String(s.schema)}, expected ${SUMMARY_SCHEMA}; left out`); continue; }
      nights.push(s);
    } catch (e) {
      warn(`history: ${file}: ${(e as Error).message}; left out`);
    }
  }
  return nights;
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
