// `mpsa nightly`: the nightly regression and its report (docs/nightly.md).
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { DATE_RE } from '../reports/history.ts';
import { runNight, runShard } from '../reports/nightly.ts';
import { STEP_GROUPS } from '../reports/plan.ts';
import type { Profile } from '../reports/summary.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const HELP = `usage: mpsa nightly [options]                   tests, model validation, synthesis, benchmarks,
                                                training → reports/out/<date>/index.html
       mpsa nightly --shard I/N [--junit FILE]  one test shard of a CI matrix (JUnit only)
       mpsa nightly report --merge PATH...      a report from shards' JUnit files, nothing else run

  --profile quick|full   quick: the make-test suites, short benchmarks and training  [quick]
                         full: MPSA_PROFILE=nightly property runs, synth all, longer runs
  --date YYYY-MM-DD      the night's name (history and new-failure comparison)     [today]
                         and its regression seed (MPSA_SEED, when set, wins)
  --merge PATH...        JUnit files or folders of them: these are the tests' results
                         (the tests step is not run; the other steps are)
  --only STEP,...        run only these steps or groups (${STEP_GROUPS.join(', ')})
  --skip STEP,...        leave these out
  --out DIR              where nights are kept                                     [reports/out]
  --junit FILE           (--shard) the shard's JUnit file    [reports/out/shards/shard-I-of-N.xml]

Progress goes to stderr. Exit status: 0 all green, 1 a test or a step failed (the report is
written either way), 2 usage.`;

const OPTIONS = {
  profile: { type: 'string' }, date: { type: 'string' }, merge: { type: 'string', multiple: true }, only: { type: 'string', multiple: true }, skip: { type: 'string', multiple: true },
  out: { type: 'string' }, shard: { type: 'string' }, junit: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export interface NightlyArgs { report: boolean; profile: Profile; date: string; merge?: string[]; only?: string[]; skip: string[]; out: string; shard?: string; junit?: string }

/** 2026-02-30 matches the pattern but is no day: it must round-trip through Date. */
const realDate = (v: string) => { const d = new Date(`${v}T00:00:00Z`); return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v; };

const today = () => new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD in local time

export function parseNightlyArgs(argv: string[]): NightlyArgs {
  const a: NightlyArgs = { report: false, profile: 'quick', date: today(), skip: [], out: 'reports/out' };
  const list = (v: string | undefined, k: string) => { if (!v) throw new UsageError(`${k} needs a value`); return v.split(',').filter(Boolean); };
  // --merge takes every following word that is not an option: parseArgs gives them as positionals
  // right after it, in order (tokens).
  const p = parseCommandArgs(argv, OPTIONS, { positionals: true });
  let last: string | undefined;
  for (const t of p.tokens) {
    if (t.kind === 'positional') {
      if (t.value === 'report' && t.index === 0) a.report = true;
      else if (last === 'merge') a.merge!.push(t.value);
      else throw new UsageError(`unexpected argument '${t.value}'`);
      continue;
    }
    if (t.kind !== 'option') continue;
    const k = t.name, v = t.value, flag = t.rawName;
    last = k;
    if (k === 'profile') { if (v !== 'quick' && v !== 'full') throw new UsageError(`--profile must be quick | full, got ${JSON.stringify(v ?? null)}`); a.profile = v; }
    else if (k === 'date') {
      if (!v || !DATE_RE.test(v)) throw new UsageError(`--date must be YYYY-MM-DD, got ${JSON.stringify(v ?? null)}`);
      if (!realDate(v)) throw new UsageError(`--date ${v} is not a day of the calendar`);
      a.date = v;
    }
    else if (k === 'merge') {
      a.merge ??= [];
      if (v !== undefined && !v.startsWith('-')) a.merge.push(v);
    } else if (k === 'only') a.only = list(v, flag);
    else if (k === 'skip') a.skip.push(...list(v, flag));
    else if (k === 'out') a.out = v!;
    else if (k === 'shard') { if (!v || !/^\d+\/\d+$/.test(v) || Number(v.split('/')[0]) < 1 || Number(v.split('/')[0]) > Number(v.split('/')[1])) throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, got ${JSON.stringify(v ?? null)}`); a.shard = v; }
    else if (k === 'junit') a.junit = v!;
  }
  if (a.merge && a.merge.length === 0) throw new UsageError('--merge needs JUnit files or folders');
  for (const s of [...(a.only ?? []), ...a.skip]) {
    if (!(STEP_GROUPS as readonly string[]).includes(s.split('-')[0])) throw new UsageError(`unknown step '${s}' (steps: ${STEP_GROUPS.join(', ')}, or one of a group such as bench-emu)`);
  }
  if (a.report && !a.merge) throw new UsageError("'report' needs --merge PATH...");
  if (a.shard && (a.merge || a.report)) throw new UsageError('--shard runs one test shard; it does not take --merge or report');
  if (a.report) a.only = ['screenshot'];
  return a;
}

export async function nightlyCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP + '\n'); return 0; }
  let a: NightlyArgs;
  try {
    a = parseNightlyArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure('nightly', e.message, HELP);
    throw e;
  }
  if (a.shard) {
    const [i, n] = a.shard.split('/');
    const rec = await runShard(ROOT, a.profile, a.date, a.shard, a.junit ?? resolve(a.out, 'shards', `shard-${i}-of-${n}.xml`));
    return rec.status === 'ok' ? 0 : 1;
  }
  const { summary } = await runNight({ repo: ROOT, outRoot: resolve(a.out), date: a.date, profile: a.profile, merge: a.merge?.map((p) => resolve(p)), only: a.only, skip: a.skip });
  const failedTests = summary.tests.available ? summary.tests.data.totals.failed : 0;
  const failedSteps = summary.steps.filter((s) => s.status === 'failed' || s.status === 'timeout').map((s) => s.name);
  if (failedTests || failedSteps.length) process.stderr.write(`mpsa nightly: ${failedTests} failed test(s)${failedSteps.length ? `; failed steps: ${failedSteps.join(', ')}` : ''}\n`);
  return failedTests || failedSteps.length ? 1 : 0;
}
