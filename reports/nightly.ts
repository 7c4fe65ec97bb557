// The night: every step of the profile (reports/plan.ts) run in turn, each one's failure recorded
// while the night goes on; then summary.json, the merged JUnit and index.html written into a
// staging folder that replaces reports/out/<date> only when complete (reports/publish.ts).
// Interrupted (SIGINT/SIGTERM), the running step is stopped and the staging folder removed, so the
// previous report and the kept history stay as they were.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { $ } from 'zx';
import { writeFileAtomic } from '../cli/fs-atomic.ts';
import { loadHistory, previousTestedNight, testsData } from './history.ts';
import { type JunitRun, mergedJunitXml, mergeRuns, parseJunit } from './junit.ts';
import { accuracyTableStep, groupOf, independentSteps, mutationStep, testStep, trainPlans } from './plan.ts';
import { publishNight, removeStale, stagingDir } from './publish.ts';
import { renderNight } from './render.ts';
import { screenshot } from './chromium.ts';
import * as src from './sources.ts';
import { keepFailures, runSeed } from './seeds.ts';
import { coverageVerdict, mergeFunctionalCoverage, mergeRtlCoverage, parseMutation, type VerificationData } from './verification.ts';
import { killCurrentStep, runStep, type StepOutput, type StepSpec } from './step.ts';
import { missing, type NightSummary, type Profile, type Section, type StepRecord, SUMMARY_SCHEMA, type TrainingRun } from './summary.ts';

export interface NightOptions {
  /** The repository (where commands run). */
  repo: string;
  /** Where nights are kept (reports/out). */
  outRoot: string;
  date: string;
  profile: Profile;
  /** Step names or groups (`bench`) to run; all when undefined. */
  only?: string[];
  skip?: string[];
  /** JUnit files or folders of them (shards): the tests step is not run, these are its results. */
  merge?: string[];
  say?: (line: string) => void;
}

const MAX_WAVE_RERUNS = 3;

/** JUnit files named by `paths` (folders: every *.xml inside, sorted). */
export function junitInputs(paths: string[]): string[] {
  return paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.xml')).sort().map((f) => join(p, f)) : [p]));
}

async function gitInfo(repo: string): Promise<NightSummary['git']> {
  const head = await $({ cwd: repo, nothrow: true, quiet: true })`git rev-parse HEAD`;
  if (head.exitCode !== 0) return null;
  const st = await $({ cwd: repo, nothrow: true, quiet: true })`git status --porcelain --untracked-files=no`;
  return { commit: head.stdout.trim(), dirty: st.stdout.trim() !== '' };
}

function parsed<T>(out: StepOutput | undefined, parse: (o: StepOutput) => T): Section<T> {
  if (!out) return missing('not run in this night');
  try {
    return { available: true, data: parse(out) };
  } catch (e) {
    const how = out.record.status === 'ok' ? '' : `step ${out.record.status}${out.record.note ? ` (${out.record.note})` : ''}; `;
    return missing(`${how}${(e as Error).message} — see ${out.record.log}`);
  }
}

export async function runNight(o: NightOptions): Promise<{ dir: string; summary: NightSummary }> {
  const say = o.say ?? ((l: string) => process.stderr.write(`[nightly] ${l}\n`));
  const wanted = (name: string) => (!o.only || o.only.some((x) => x === name || x === groupOf(name))) && !(o.skip ?? []).some((x) => x === name || x === groupOf(name));
  for (const gone of removeStale(o.outRoot)) say(`removed ${gone}, left by an interrupted night`);
  const dir = stagingDir(o.outRoot, o.date);
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping the running step and everything it started; the previous report is left as it was`);
    void killCurrentStep().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const startedAt = new Date();
    const t0 = performance.now();
    const steps: StepRecord[] = [];
    const outputs = new Map<string, StepOutput>();
    const run = async (s: StepSpec) => {
      if (!wanted(s.name)) { steps.push({ name: s.name, status: 'not run', seconds: 0, note: 'left out (--only/--skip)' }); return undefined; }
      const out = await runStep(s, o.repo, dir, say);
      steps.push(out.record);
      outputs.set(s.name, out);
      return out;
    };
    const history = loadHistory(o.outRoot, o.date, say);
    const seed = runSeed(o.date);
    const verification: VerificationData = { seed: { value: seed, from: process.env.MPSA_SEED ? 'MPSA_SEED' : 'date' }, regressionsAdded: [], coverage: missing('not run in this night'), mutation: missing('not run in this night (the full profile runs it)') };
    say(`night ${o.date}, profile ${o.profile}, ${history.length} earlier night(s) kept; building in ${dir}`);

    // Tests: run here, or merged from shards.
    let junit: JunitRun | undefined;
    let junitWhy = 'not run in this night';
    let inputs: string[] = [];
    if (o.merge) {
      const files = junitInputs(o.merge);
      mkdirSync(join(dir, 'junit'), { recursive: true });
      inputs = files.map((f, i) => { const rel = join('junit', `${i}-${basename(f)}`); copyFileSync(f, join(dir, rel)); return rel; });
      junit = mergeRuns(await Promise.all(files.map(async (f) => parseJunit(readFileSync(f, 'utf8')))));
      steps.push({ name: 'tests', status: 'ok', seconds: 0, note: `merged from ${files.length} JUnit file(s): ${o.merge.join(' ')}` });
    } else {
      const step = testStep(o.profile, join(dir, 'junit', 'tests.xml'), seed);
      const out = await run({ ...step, env: { ...step.env, MPSA_COVERAGE_DIR: join(dir, 'coverage') } });
      const file = join(dir, 'junit', 'tests.xml');
      if (out && existsSync(file)) { junit = await parseJunit(readFileSync(file, 'utf8')); inputs = ['junit/tests.xml']; } else if (out) junitWhy = `tests step ${out.record.status} without writing JUnit XML — see ${out.record.log}`;
    }
    const tests: NightSummary['tests'] = junit ? { available: true, data: testsData(junit, previousTestedNight(history), inputs) } : missing(junitWhy);
    // Kept only from tests this night ran in this checkout: merged shards' failures belong to the
    // checkouts that ran them (docs/nightly.md).
    if (junit && !o.merge) {
      try {
        verification.regressionsAdded = keepFailures(o.repo, junit, o.date);
        for (const c of verification.regressionsAdded) say(`regression list: kept ${c.test} { seed: ${c.seed}, path: "${c.path}" } in property-tests/regressions.json (commit it)`);
      } catch (e) {
        say(`regression list: the night's failed property cases were not kept: ${(e as Error).message}`);
      }
    }
    // Functional coverage of the property suites: a step of its own, so a hole shows as a failed step.
    if (!o.merge && outputs.has('tests') && wanted('coverage')) {
      const t0c = performance.now();
      try {
        const units = mergeFunctionalCoverage(join(dir, 'coverage'));
        verification.coverage = { available: true, data: units };
        const v = coverageVerdict(units, o.profile === 'full');
        steps.push({ name: 'coverage', status: v.ok ? 'ok' : 'failed', seconds: (performance.now() - t0c) / 1000, note: v.note });
      } catch (e) {
        verification.coverage = missing((e as Error).message);
        steps.push({ name: 'coverage', status: 'failed', seconds: 0, note: (e as Error).message });
      }
      if (o.profile !== 'full') verification.rtl = missing('Verilator line and toggle coverage is collected in the full profile (coverage builds, MPSA_RTL_COVERAGE=1)');
      else {
        try {
          verification.rtl = { available: true, data: await mergeRtlCoverage(join(dir, 'coverage')) };
        } catch (e) {
          verification.rtl = missing((e as Error).message);
        }
      }
    }
    if (junit) writeFileAtomic(join(dir, 'results.xml'), mergedJunitXml(junit));

    // Waves for new failures of harness tests: each re-run alone with MPSA_WAVES=1.
    if (tests.available && !o.merge) {
      const rerun = tests.data.failures.filter((f) => f.isNew && f.simTimeNs !== undefined).slice(0, MAX_WAVE_RERUNS);
      for (const [i, f] of rerun.entries()) {
        const before = new Set(existsSync(join(dir, 'waves')) ? readdirSync(join(dir, 'waves')) : []);
        const leaf = (f.name.split(' > ').pop() ?? f.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        await run({ name: `waves-${i + 1}`, cmd: ['npx', 'vitest', 'run', f.file, '-t', leaf], timeoutS: 300,
          env: { MPSA_WAVES: '1', MPSA_WAVES_DIR: join(dir, 'waves'), MPSA_JUNIT: join(dir, 'junit', `waves-${i + 1}.xml`), ...(junit?.regressionSeed !== undefined ? { MPSA_SEED: String(junit.regressionSeed) } : {}) } });
        const made = existsSync(join(dir, 'waves')) ? readdirSync(join(dir, 'waves')).filter((w) => !before.has(w) && w.endsWith('.fst')) : [];
        if (made.length) f.waves = join('waves', made[0]);
      }
    }

    for (const s of independentSteps(o.profile)) await run(s);
    const mutation = mutationStep(o.profile, seed, join(dir, 'mutation.json'));
    if (mutation) {
      const out = await run(mutation);
      if (out) verification.mutation = parsed(out, () => parseMutation(readFileSync(join(dir, 'mutation.json'), 'utf8')));
    }
    const runs: TrainingRun[] = [];
    const trainErrors: string[] = [];
    for (const p of trainPlans(o.profile)) {
      const file = join(dir, 'train', `${p.label}.json`);
      const out = await run({ name: `train-${p.label}`, cmd: ['npx', 'mpsa', 'train', ...p.args, '--out', file], timeoutS: p.timeoutS });
      if (!out) continue;
      try { runs.push(src.parseTrainingRun(readFileSync(file, 'utf8'), p.label)); } catch (e) { trainErrors.push(`${p.label}: step ${out.record.status}; ${(e as Error).message}`); }
    }
    const table = accuracyTableStep(o.profile, o.repo);
    if (table) await run(table);
    const accFile = join(o.outRoot, 'accuracy.json');
    let accuracy: NightSummary['training']['accuracy'] = missing('reports/out/accuracy.json not found: the accuracy table (npm run train:table) has not been written on this machine');
    if (existsSync(accFile)) {
      try {
        copyFileSync(accFile, join(dir, 'accuracy.json'));
        accuracy = { available: true, data: src.parseAccuracyTable(readFileSync(accFile, 'utf8'), `accuracy.json (written ${statSync(accFile).mtime.toISOString().slice(0, 16)})`) };
      } catch (e) { accuracy = missing((e as Error).message); }
    }

    const summary: NightSummary = {
      schema: SUMMARY_SCHEMA,
      date: o.date,
      profile: o.profile,
      startedAt: startedAt.toISOString(),
      finishedAt: '',
      wallSeconds: 0,
      git: await gitInfo(o.repo),
      host: { cpus: availableParallelism(), node: process.versions.node },
      steps,
      tests,
      model: parsed(outputs.get('model'), (x) => src.parseModelValidate(x.stdout, x.stderr)),
      synth: parsed(outputs.get('synth'), (x) => src.parseSynthLines(x.stdout)),
      bench: {
        harness: parsed(outputs.get('bench-harness'), (x) => src.parseHarnessBench(x.stdout)),
        emu: parsed(outputs.get('bench-emu'), (x) => src.parseEmuBench(x.stdout)),
        gemm: parsed(outputs.get('bench-gemm'), (x) => src.parseGemmBench(x.stdout)),
        golden: parsed(outputs.get('bench-golden'), (x) => src.parseGoldenBench(x.stdout)),
      },
      verification,
      training: {
        runs: runs.length ? { available: true, data: runs } : missing(trainErrors.length ? trainErrors.join('; ') : 'not run in this night'),
        accuracy,
      },
    };
    // Commands name the staging folder, which is renamed when the night is published: show them
    // with the night's final folder.
    const finalDir = join(o.outRoot, o.date);
    for (const st of steps) if (st.command) st.command = st.command.split(dir).join(finalDir);
    const finish = async () => {
      summary.finishedAt = new Date().toISOString();
      summary.wallSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
      writeFileAtomic(join(dir, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
      writeFileAtomic(join(dir, 'index.html'), await renderNight(summary, history));
    };
    await finish();
    if (wanted('screenshot')) {
      // The whole page at a desktop width and at a phone's.
      const wide = await screenshot(join(dir, 'index.html'), join(dir, 'screenshot.png'), 1280);
      const narrow = wide.ok ? await screenshot(join(dir, 'index.html'), join(dir, 'screenshot-narrow.png'), 420) : wide;
      const ok = wide.ok && narrow.ok;
      steps.push({ name: 'screenshot', status: ok ? 'ok' : 'failed', seconds: Number((wide.seconds + (narrow === wide ? 0 : narrow.seconds)).toFixed(2)),
        ...(ok ? { log: 'screenshot.png', note: 'also screenshot-narrow.png (420 px wide)' } : { note: (wide.ok ? narrow : wide).message }) });
      if (!ok) say(`screenshot: ${(wide.ok ? narrow : wide).message}`);
      await finish();
    }
    const final = publishNight(o.outRoot, dir, o.date);
    say(`report: ${join(final, 'index.html')} (${summary.wallSeconds} s)`);
    return { dir: final, summary };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** One test shard of a CI matrix: only the tests, JUnit to `junitFile`. Returns the step's status. */
export async function runShard(repo: string, profile: Profile, date: string, shard: string, junitFile: string, say = (l: string) => process.stderr.write(`[nightly] ${l}\n`)): Promise<StepRecord> {
  // The step runs in its own process group (no terminal Ctrl-C reaches it): pass a stop on.
  const onSignal = (sig: NodeJS.Signals) => {
    say(`${sig}: stopping the shard's tests`);
    void killCurrentStep().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const out = await runStep(testStep(profile, resolve(junitFile), runSeed(date), shard), repo, resolve(junitFile, '..'), say);
    return out.record;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
