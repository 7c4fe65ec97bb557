// Mutation testing of the RTL (docs/testing.md, "Mutation testing"): plants each mutant of
// scripts/mutants.ts (the fixed list, plus --random N drawn by --seed) in a scratch copy of the
// repository, runs the quick RTL suites that read the mutated file (first failure stops a
// mutant: --bail 1, suites in order of cost), lints a mutant they all pass as `make lint` does
// (scripts/lint.sh: Verilator -Wall and Yosys, warnings fail) and reports the kill rate and the
// survivors.
//
//   npx tsx scripts/mutate.ts [--random N] [--seed S] [--only ID,...] [--skip-baseline] [--json] [--out FILE]
//
// A mutant is killed when a suite (or lint, for one they all pass) fails on it, survives when both pass, and is
// stillborn when its design does not build (left out of the rate); a random one at a site judged
// equivalent (EQUIVALENT_SITES) is not run and left out too, with the reason. A suite that kills a mutant is
// run once unmutated too (the first time it kills): a failure there stops the run.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $ } from 'zx';
import { parseCommandArgs, UsageError } from '../cli/args.ts';
import { cacheDir } from '../harness/cache-dir.ts';
import { BLOCK_PE_SOURCES } from '../rtl/block-units.ts';
import { GEMM_SOURCES } from '../rtl/generate.ts';
import { PE_SOURCES, UNIT_SOURCES } from '../rtl/units.ts';
import { applyMutant, FIXED, type Mutant, randomMutants } from './mutants.ts';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const rel = (abs: string) => abs.slice(REPO.length + 1);

/** The quick RTL suites, cheapest first, with the RTL files their designs read. */
const SUITES: readonly { file: string; reads: readonly string[] }[] = [
  { file: 'property-tests/rtl-exhaustive.prop.test.ts', reads: UNIT_SOURCES },
  { file: 'property-tests/rtl-units.prop.test.ts', reads: UNIT_SOURCES },
  { file: 'property-tests/rtl-pe.prop.test.ts', reads: PE_SOURCES },
  { file: 'property-tests/rtl-block-pe.prop.test.ts', reads: BLOCK_PE_SOURCES },
  { file: 'property-tests/rtl-gemm-1.prop.test.ts', reads: GEMM_SOURCES },
  { file: 'property-tests/rtl-gemm-2.prop.test.ts', reads: GEMM_SOURCES },
  { file: 'property-tests/rtl-gemm-block.prop.test.ts', reads: GEMM_SOURCES },
].map((s) => ({ file: s.file, reads: s.reads.map(rel) }));

/** Headers a file pulls in: a mutant of one counts as a mutant of every file of the suite's folder. */
const readsFile = (reads: readonly string[], file: string) => reads.includes(file) || (file.endsWith('.vh') && reads.some((r) => dirname(r) === dirname(file)));

export interface MutantResult {
  id: string; file: string; what: string; from: string; to: string;
  status: 'killed' | 'survived' | 'stillborn' | 'equivalent';
  /** The suite (and its first failing test) that killed it; for an equivalent one, why. */
  by?: string;
  seconds: number;
}

interface Args { random: number; seed: number; only?: string[]; json: boolean; out?: string; timeoutMin: number; baseline: boolean }

const USAGE = 'usage: scripts/mutate.ts [--random N] [--seed S] [--only ID,...] [--timeout-min M] [--skip-baseline] [--json] [--out FILE]';

/** The command line, through the CLI's parser (node:util parseArgs, strict); a bad one is a UsageError. */
function parseArgs(argv: string[]): Args {
  const { values: v } = parseCommandArgs(argv, {
    random: { type: 'string' }, seed: { type: 'string' }, 'timeout-min': { type: 'string' }, only: { type: 'string' },
    json: { type: 'boolean' }, 'skip-baseline': { type: 'boolean' }, out: { type: 'string' },
  });
  const int = (flag: string, lo: number, hi: number, dflt: number): number => {
    const raw = v[flag];
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < lo || n > hi) throw new UsageError(`--${flag} must be an integer in ${lo}..${hi}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const only = typeof v.only === 'string' ? v.only.split(',').filter(Boolean) : undefined;
  if (only !== undefined && only.length === 0) throw new UsageError('--only needs mutant ids');
  return {
    random: int('random', 0, 1000, 0), seed: int('seed', 0, 0xffffffff, 0x6d707361), timeoutMin: int('timeout-min', 1, 600, 30),
    json: v.json === true, baseline: v['skip-baseline'] !== true,
    ...(only ? { only } : {}), ...(typeof v.out === 'string' ? { out: v.out } : {}),
  };
}

const say = (l: string) => process.stderr.write(`[mutate] ${l}\n`);

/** A copy of the repository's files (tracked and new, not ignored) with node_modules linked. */
async function scratchCopy(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'mpsa-mutate-'));
  const dir = join(root, 'repo');
  const files = (await $({ cwd: REPO, quiet: true })`git ls-files -z --cached --others --exclude-standard`).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(REPO, f))) continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    copyFileSync(join(REPO, f), join(dir, f));
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** `make lint`'s cases for one module (scripts/lint.sh <top>) in the copy: the first warning when it fails. */
async function lintModule(dir: string, top: string): Promise<{ ok: boolean; test?: string }> {
  const p = await $({ cwd: dir, nothrow: true, quiet: true, timeout: '5m', killSignal: 'SIGKILL' })`nice -n 10 bash scripts/lint.sh ${top}`;
  if (p.exitCode === 0) return { ok: true };
  const warning = p.stdout.split('\n').find((l) => /%(Warning|Error)|ERROR|Warning/.test(l)) ?? `exit ${p.exitCode}`;
  return { ok: false, test: warning.trim().slice(0, 200) };
}

/** Runs one suite in the copy; the first failing test's name and whether it failed to build. */
async function runSuite(dir: string, cache: string, suite: string, seed: number, timeoutMin: number): Promise<{ ok: boolean; test?: string; build?: boolean }> {
  const junit = join(dir, '..', 'junit.xml');
  rmSync(junit, { force: true });
  const p = await $({ cwd: dir, nothrow: true, quiet: true, timeout: `${timeoutMin}m`, killSignal: 'SIGKILL',
    env: { ...process.env, MPSA_PROFILE: 'quick', MPSA_SEED: String(seed), MPSA_CACHE_DIR: cache, MPSA_JUNIT: junit, MPSA_REGRESSIONS: join(dir, 'property-tests', 'regressions.json') } })`nice -n 10 npx vitest run --bail 1 ${suite}`;
  if (p.exitCode === 0) return { ok: true };
  const xml = existsSync(junit) ? readFileSync(junit, 'utf8') : '';
  const failed = /<testcase name="([^"]*)"[^>]*>\s*<(failure|error)[^>]*message="([^"]*)"/.exec(xml);
  const text = `${xml}\n${p.stdout}\n${p.stderr}`;
  const build = /BuildError|verilator --cc failed|verilator --xml-only failed|%Error/.test(text) && !/RTL != golden|rtl [0-9a-fx]+ flags|measured \d+ cycles/.test(text);
  return { ok: false, test: failed ? failed[1] : p.exitCode === null ? `timed out after ${timeoutMin} min` : `exit ${p.exitCode}`, build };
}

export async function mutate(a: Args): Promise<{ results: MutantResult[]; killRate: number; baselineSeconds: number }> {
  const dir = await scratchCopy();
  // The scratch cache links every model already built (keys are content hashes, so an entry is
  // the build of exactly those sources); mutants' builds land beside them and are removed.
  const cache = join(dir, '..', 'cache');
  mkdirSync(join(cache, 'verilator'), { recursive: true });
  const shared = cacheDir();
  if (existsSync(shared)) for (const e of readdirSync(shared)) if (!e.endsWith('.lock') && !e.includes('.tmp-')) symlinkSync(join(shared, e), join(cache, 'verilator', e));
  say(`scratch copy ${dir}; suites: ${SUITES.map((s) => s.file.split('/').pop()).join(', ')}; regression seed ${a.seed}`);
  try {
    let mutants: Mutant[] = [...FIXED, ...randomMutants(REPO, a.random, a.seed)];
    if (a.only) mutants = mutants.filter((m) => a.only?.includes(m.id));
    for (const m of mutants) applyMutant(readFileSync(join(REPO, m.file), 'utf8'), m);
    // The baseline: a check (a suite, or lint of a module) that kills a mutant must pass
    // unmutated, or the kill means nothing. Checked the first time each one fails on a mutant
    // (with the mutant taken out), so checks that kill nothing are never run twice;
    // --skip-baseline only when a run on the same tree already passed them.
    const pristine = new Set(readdirSync(join(cache, 'verilator')));
    const baseline = new Map<string, number>();
    const dropMutantBuilds = () => { for (const e of readdirSync(join(cache, 'verilator'))) if (!pristine.has(e)) rmSync(join(cache, 'verilator', e), { recursive: true, force: true }); };
    const passesUnmutated = async (check: string, run: () => Promise<{ ok: boolean; test?: string }>): Promise<void> => {
      if (!a.baseline || baseline.has(check)) return;
      const t0 = performance.now();
      const r = await run();
      if (!r.ok) throw new Error(`the unmutated RTL fails ${check} (${r.test}): fix that before measuring mutants`);
      for (const e of readdirSync(join(cache, 'verilator'))) pristine.add(e);
      baseline.set(check, (performance.now() - t0) / 1000);
      say(`baseline: ${check} passes unmutated (${baseline.get(check)!.toFixed(0)} s)`);
    };
    say(`${mutants.length} mutants`);
    const results: MutantResult[] = [];
    for (const m of mutants) {
      if (m.equivalent !== undefined) {
        results.push({ id: m.id, file: m.file, what: m.what, from: m.from, to: m.to, status: 'equivalent', by: m.equivalent, seconds: 0 });
        say(`${m.id}: equivalent, not run (${m.equivalent})`);
        continue;
      }
      const path = join(dir, m.file);
      const orig = readFileSync(path, 'utf8');
      writeFileSync(path, applyMutant(orig, m));
      const t = performance.now();
      let res: MutantResult = { id: m.id, file: m.file, what: m.what, from: m.from, to: m.to, status: 'survived', seconds: 0 };
      try {
        for (const s of SUITES.filter((x) => readsFile(x.reads, m.file))) {
          const r = await runSuite(dir, cache, s.file, a.seed, a.timeoutMin);
          if (!r.ok) {
            res = { ...res, status: r.build ? 'stillborn' : 'killed', by: `${s.file} > ${r.test}` };
            if (!r.build) {
              writeFileSync(path, orig);
              dropMutantBuilds();
              await passesUnmutated(s.file, () => runSuite(dir, cache, s.file, a.seed, a.timeoutMin));
            }
            break;
          }
        }
        // A mutant every suite passed is linted as make lint does (a second): one lint rejects
        // (a width mismatch, a signal left unused) could not land either. Last, so the suites'
        // kills are measured as they are.
        if (res.status === 'survived') {
          const top = m.file.split('/').pop()!.replace(/\.v$/, '');
          const lint = await lintModule(dir, top);
          if (!lint.ok) {
            res = { ...res, status: 'killed', by: `scripts/lint.sh ${top} > ${lint.test}` };
            writeFileSync(path, orig);
            await passesUnmutated(`scripts/lint.sh ${top}`, () => lintModule(dir, top));
          }
        }
      } finally {
        writeFileSync(path, orig);
        dropMutantBuilds();
      }
      res.seconds = Number(((performance.now() - t) / 1000).toFixed(1));
      results.push(res);
      say(`${m.id}: ${res.status}${res.by ? ` by ${res.by}` : ''} (${res.seconds} s)`);
    }
    const live = results.filter((r) => r.status === 'killed' || r.status === 'survived');
    const killRate = live.length ? live.filter((r) => r.status === 'killed').length / live.length : 0;
    return { results, killRate, baselineSeconds: [...baseline.values()].reduce((x, y) => x + y, 0) };
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

/** The result as markdown: the rate, the survivors, every mutant. */
export function mutationMarkdown(r: { results: MutantResult[]; killRate: number }, seed: number): string {
  const n = (s: MutantResult['status']) => r.results.filter((x) => x.status === s).length;
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/`/g, "'");
  return [
    `kill rate ${(100 * r.killRate).toFixed(1)} % (${n('killed')} killed, ${n('survived')} survived, ${n('stillborn')} stillborn, ${n('equivalent')} equivalent; regression seed ${seed})`,
    '',
    '| mutant | file | fault | result |',
    '|---|---|---|---|',
    ...r.results.map((x) => `| ${x.id} | ${x.file.split('/').pop()} | ${esc(x.what)} | ${x.status}${x.by ? ` (${esc(x.status === 'equivalent' ? x.by : x.by.replace(/^[\w.-]*\//, ''))})` : ''} |`),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let a: Args;
  try { a = parseArgs(process.argv.slice(2)); } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`mutate: ${e.message}\n${USAGE}\n`);
    process.exit(2);
  }
  const r = await mutate(a);
  const md = mutationMarkdown(r, a.seed);
  if (a.out) writeFileSync(a.out, JSON.stringify({ seed: a.seed, random: a.random, ...r }, null, 1) + '\n');
  process.stdout.write(a.json ? JSON.stringify({ seed: a.seed, random: a.random, killRate: r.killRate, mutants: r.results.length, equivalent: r.results.filter((x) => x.status === 'equivalent').map((x) => x.id), survivors: r.results.filter((x) => x.status === 'survived').map((x) => x.id) }) + '\n' : md + '\n');
  process.exit(0);
}
