// `mpsa synth`: synthesis of the configurations' PEs (and, on request, whole arrays) and of the
// cost-table PE kinds on xc7, xcup and iCE40 (docs/synth.md). Progress on stderr; results JSON
// and markdown under reports/out/synth/; `cost` also rewrites the committed synth/cost-table.md.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deviceByName, DEVICES, fit, pnrPart } from '../model/devices.ts';
import { isBlockConfig, loadAllConfigs } from '../rtl/config.ts';
import { blockConfigPeDesign, blockPeKinds } from '../synth/block-design.ts';
import { arrayDesign, exactPeKinds, peDesign, peKindDesign, peKinds } from '../synth/design.ts';
import { costJson, costMarkdown, costRows } from '../synth/cost.ts';
import { configHardware, hardwareMarkdown } from '../synth/hardware.ts';
import type { PnrPart, SynthResult } from '../synth/flow.ts';
import { lastSeconds, runJobs, type Job, type JobEvent } from '../synth/run.ts';
import { TARGETS, type Target } from '../synth/stat.ts';
import { writeFileAtomic } from './fs-atomic.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';
import { formatDuration } from './progress.ts';
import { committedDir, writeCommitted } from '../synth/committed.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where the tables go: reports/out/synth, or $MPSA_SYNTH_OUT. */
const outDir = () => (process.env.MPSA_SYNTH_OUT ? resolve(process.env.MPSA_SYNTH_OUT) : join(ROOT, 'reports', 'out', 'synth'));
const COST_TABLE = join(ROOT, 'synth', 'cost-table.md');
const COST_JSON = join(ROOT, 'synth', 'cost-table.json');

const HELP = `usage: mpsa synth [configs|cost|all] [options]

  configs            every configuration's PE (and array with --whole)          [default: all]
  cost               the cost-table PE kinds: {e2m1,e4m3,e5m2,fp16,bf16} operands ×
                     {fp16,bf16,fp32} accumulators × {separate,fused}, and the integer
                     and block PEs (int8, int4, DSP-packed int8x2/int4x2/int4x3, bfp7b16,
                     mxfp8-e4m3, mxfp4-e2m1 into fp32)
  all                both
  --config NAME      only this configuration (repeatable)
  --pe NAME          only this cost-table PE kind (repeatable), e.g. int8x2-packed
  --target T         xc7 | xcup | ice40 (repeatable)                            [all three]
  --whole            also synthesise whole arrays (slow: a 4×4 fp array on xc7 takes minutes
                     and ~10 GB; a 16×16 one far more)
  --no-pnr           iCE40 synthesis only, no nextpnr Fmax
  --pnr-device D     the iCE40 device nextpnr places on: up5k | hx8k                [up5k]
  --bitstream        also write an icepack bitstream for each placed iCE40 design (in its
                     cache folder; the path is in the result)
  --jobs N           jobs at a time                                              [1]
  --force            ignore cached and committed results
  --cached-only      run nothing: tables from the results already in the cache or committed
  --no-committed     do not answer from the committed results (synth/results/)
  --commit           write this run's PE results into synth/results/ (the committed defaults;
                     jobs whose key is unchanged are answered from there, the rest re-run):
                     npx mpsa synth all --jobs 2 --commit
  --json             print one JSON line per result (cost: per PE kind and target) on stdout

A job is answered from the cache, else from the committed results of synth/results/ when their
key (RTL, parameters, flow, tool versions) is the job's; anything else runs the tools.
Results are cached under $MPSA_CACHE_DIR/synth (default ~/.cache/mpsa/synth). Tables go to
reports/out/synth/ ($MPSA_SYNTH_OUT): results.json keeps the rows of earlier runs that this run
did not make (a filtered or --cached-only run adds to it, never shrinks it), and configs.md is
written from all of them. 'cost' and 'all' rewrite synth/cost-table.md from a complete set.`;

interface Args { what: 'configs' | 'cost' | 'all'; configs: string[]; pes: string[]; targets: Target[]; whole: boolean; pnr: boolean; pnrDevice: string; bitstream: boolean; jobs: number; force: boolean; cachedOnly: boolean; json: boolean; noCommitted: boolean; commit: boolean }

const OPTIONS = {
  config: { type: 'string', multiple: true }, pe: { type: 'string', multiple: true }, target: { type: 'string', multiple: true }, jobs: { type: 'string' },
  whole: { type: 'boolean' }, 'no-pnr': { type: 'boolean' }, bitstream: { type: 'boolean' }, 'pnr-device': { type: 'string' }, force: { type: 'boolean' },
  'cached-only': { type: 'boolean' }, 'no-committed': { type: 'boolean' }, commit: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export function parseSynthArgs(argv: string[]): Args {
  const a: Args = { what: 'all', configs: [], pes: [], targets: [], whole: false, pnr: true, pnrDevice: 'up5k', bitstream: false, jobs: 1, force: false, cachedOnly: false, json: false, noCommitted: false, commit: false };
  const p = parseCommandArgs(argv, OPTIONS, { positionals: true });
  for (const k of p.positionals) {
    if (k === 'configs' || k === 'cost' || k === 'all') a.what = k;
    else throw new UsageError(`unknown subcommand '${k}' (known: configs, cost, all)`);
  }
  for (const { name: k, value: v } of p.options) {
    if (k === 'config') a.configs.push(v!);
    else if (k === 'pe') a.pes.push(v!);
    else if (k === 'target') {
      if (!(TARGETS as readonly string[]).includes(v!)) throw new UsageError(`--target must be ${TARGETS.join(' | ')}, got ${JSON.stringify(v ?? null)}`);
      a.targets.push(v as Target);
    } else if (k === 'jobs') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs must be an integer ≥ 1, got ${JSON.stringify(v ?? null)}`);
      a.jobs = n;
    } else if (k === 'whole') a.whole = true;
    else if (k === 'no-pnr') a.pnr = false;
    else if (k === 'bitstream') a.bitstream = true;
    else if (k === 'pnr-device') {
      const d = DEVICES.find((x) => x.name === v && x.pnr);
      if (!d) throw new UsageError(`--pnr-device must be ${DEVICES.filter((x) => x.pnr).map((x) => x.name).join(' | ')}, got ${JSON.stringify(v ?? null)}`);
      a.pnrDevice = d.name;
    }
    else if (k === 'force') a.force = true;
    else if (k === 'cached-only') a.cachedOnly = true;
    else if (k === 'no-committed') a.noCommitted = true;
    else if (k === 'commit') a.commit = true;
    else if (k === 'json') a.json = true;
  }
  if (a.commit && (a.whole || a.bitstream || !a.pnr || a.pnrDevice !== 'up5k')) throw new UsageError('--commit records the default flow (PEs, iCE40 routed on up5k); it does not take --whole, --bitstream, --no-pnr or --pnr-device');
  if (a.targets.length === 0) a.targets = [...TARGETS];
  return a;
}


function jobsFor(a: Args): Job[] {
  const jobs: Job[] = [];
  const add = (design: Job['design']) => { for (const target of a.targets) jobs.push({ design, target }); };
  if (a.what !== 'cost') {
    const all = loadAllConfigs();
    for (const n of a.configs) if (!all.some((c) => c.name === n)) throw new UsageError(`unknown configuration '${n}' (known: ${all.map((c) => c.name).join(', ')})`);
    for (const cfg of all.filter((c) => a.configs.length === 0 || a.configs.includes(c.name))) {
      add(isBlockConfig(cfg) ? blockConfigPeDesign(cfg) : peDesign(cfg));
      if (a.whole) add(arrayDesign(cfg));
    }
  }
  if (a.what !== 'configs') {
    const kinds = [...peKinds().map((k) => ({ name: k.name, design: () => peKindDesign(k) })), ...exactPeKinds(), ...blockPeKinds()];
    for (const n of a.pes) if (!kinds.some((k) => k.name === n)) throw new UsageError(`unknown PE kind '${n}' (known: ${kinds.map((k) => k.name).join(', ')})`);
    for (const k of kinds) if (a.pes.length === 0 || a.pes.includes(k.name)) add(k.design());
  }
  return jobs;
}

const fmtRes = (r: SynthResult) => `LUT ${r.resources.lut} FF ${r.resources.ff} DSP ${r.resources.dsp} BRAM ${r.resources.bram} CARRY ${r.resources.carry}` +
  (r.fmax.mhz !== null ? `  Fmax ${r.fmax.mhz} MHz` : r.fit && !r.fit.fits ? `  (${r.fit.reason})` : '');

/**
 * Progress on stderr: a line per finished job (and where its result came from); on a terminal, a
 * ticking line for running ones with the time each took last time (its committed result) and an
 * ETA for the rest. Not a terminal: a line when a tool run starts, with the time it took last time.
 */
function progress(jobs: readonly Job[], parallel: number) {
  const running = new Map<number, { label: string; t0: number; last?: number; said?: boolean }>();
  const done = new Set<number>();
  const tty = process.stderr.isTTY;
  const eta = () => {
    // Jobs not done yet, each at its last time (unknown: 0 — the ETA is then a lower bound).
    const now = performance.now();
    let left = 0;
    jobs.forEach((j, i) => {
      if (done.has(i)) return;
      const last = lastSeconds(j) ?? 0;
      const r = running.get(i);
      left += r ? Math.max(0, last - (now - r.t0) / 1000) : last;
    });
    return left / Math.max(1, Math.min(parallel, jobs.length - done.size));
  };
  const status = () => {
    if (!tty) return;
    const now = performance.now();
    const slow = [...running.values()].filter((r) => now - r.t0 > 500);
    if (!slow.length) return;
    const s = slow.map((r) => `${r.label} ${((now - r.t0) / 1000).toFixed(0)}s${r.last ? `/~${Math.round(r.last)}s` : ''}`).join(', ');
    const e = eta();
    process.stderr.write(`\r\x1b[K  ${done.size}/${jobs.length} done; running: ${s}${e > 0 ? `; ETA ~${formatDuration(e)}` : ''}`);
  };
  const timer = tty ? setInterval(status, 1000) : undefined;
  return {
    onEvent(e: JobEvent) {
      const label = `${e.job.design.id} ${e.job.target}`;
      const n = `[${String(e.index + 1).padStart(String(e.total).length)}/${e.total}]`;
      if (e.type === 'start') {
        running.set(e.index, { label, t0: performance.now(), last: lastSeconds(e.job) });
      } else {
        running.delete(e.index);
        done.add(e.index);
        const from = e.source === 'run' ? `${e.seconds.toFixed(1)}s` : `${e.source === 'committed' ? 'committed' : 'cached'} (${e.result.seconds}s when made)`;
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}${n} ${label}: ${fmtRes(e.result)}  ${from}\n`);
      }
      status();
    },
    /** Not a terminal: a job that has run for 5 s is a tool run; say so once, with its last time. */
    tick() {
      if (tty) return;
      const now = performance.now();
      for (const [i, r] of running) {
        if (now - r.t0 < 5000 || r.said) continue;
        r.said = true;
        process.stderr.write(`[${i + 1}/${jobs.length}] ${r.label}: running Yosys${r.last ? ` (took ${Math.round(r.last)} s last time; ETA of the rest ~${formatDuration(eta())})` : ''} …\n`);
      }
    },
    stop() { if (timer) clearInterval(timer); if (tty) process.stderr.write('\r\x1b[K'); },
  };
}

/** Per configuration: the PE, the array (composed or whole), MACs/cycle, clock, peak GMAC/s, fits. */
function configsMarkdown(results: SynthResult[]): string {
  const all = loadAllConfigs();
  // Rows kept from an earlier run of a configuration since removed are left out.
  const known = results.filter((r) => all.some((c) => r.design === c.name || r.design === `${c.name}.pe`));
  const rows = configHardware(known, (name) => all.find((c) => c.name === name)!);
  return ['# Synthesis per configuration', '',
    'Generated by `mpsa synth`. "composed" = the configuration\'s PE synthesised alone × rows·cols (array registers and control not counted); "whole" = mpsa_gemm synthesised. ' +
    'Clocks: iCE40 routed by nextpnr-ice40 (scan-wrapped, register to register); xc7/xcup the logic-only upper bound of Yosys sta (xc7 cell delays, no routing). Peak GMAC/s = MACs/cycle × clock.', '',
    hardwareMarkdown(rows)].join('\n');
}

/** The rows of an earlier results.json; a damaged file is named and treated as empty. */
function readEarlierResults(file: string): SynthResult[] {
  if (!existsSync(file)) return [];
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { results?: unknown };
    if (!Array.isArray(v?.results)) throw new Error('no "results" list');
    return v.results.filter((r): r is SynthResult => r !== null && typeof r === 'object' && typeof (r as SynthResult).design === 'string' && typeof (r as SynthResult).target === 'string' &&
      typeof (r as SynthResult).resources === 'object' && (r as SynthResult).resources !== null && typeof (r as SynthResult).fmax === 'object' && (r as SynthResult).fmax !== null);
  } catch (e) {
    process.stderr.write(`mpsa synth: ${file} cannot be read (${(e as Error).message}); it is replaced by this run's results\n`);
    return [];
  }
}

/** Earlier rows, each replaced by this run's row for the same design and target; this run's new rows after them. */
export function mergeResults(earlier: readonly SynthResult[], now: readonly SynthResult[]): SynthResult[] {
  const id = (r: SynthResult) => `${r.design}\u0000${r.target}`;
  const fresh = new Map(now.map((r) => [id(r), r]));
  const merged: SynthResult[] = [];
  const seen = new Set<string>();
  for (const r of earlier) {
    const k = id(r);
    if (seen.has(k)) continue;
    seen.add(k);
    merged.push(fresh.get(k) ?? r);
  }
  for (const r of now) if (!seen.has(id(r))) { seen.add(id(r)); merged.push(r); }
  return merged;
}

export async function synthCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP + '\n'); return 0; }
  let a: Args;
  let jobs: Job[];
  try {
    a = parseSynthArgs(argv);
    jobs = jobsFor(a);
  } catch (e) {
    if (e instanceof UsageError || (e as Error).name === 'ArithmeticInputError') return usageFailure('synth', (e as Error).message, HELP);
    throw e;
  }
  const p = progress(jobs, a.jobs);
  const ticker = setInterval(() => p.tick(), 5000);
  const t0 = performance.now();
  let results: SynthResult[];
  try {
    results = await runJobs(jobs, { parallel: a.jobs, force: a.force, cachedOnly: a.cachedOnly, noCommitted: a.noCommitted, pnrPart: a.pnr ? (pnrPart(deviceByName(a.pnrDevice)) as PnrPart) : undefined, bitstream: a.bitstream, onEvent: p.onEvent });
  } catch (e) {
    process.stderr.write(`mpsa synth: ${(e as Error).message}\n`);
    return 1;
  } finally {
    clearInterval(ticker);
    p.stop();
  }
  const wall = (performance.now() - t0) / 1000;
  const toolSeconds = results.reduce((s, r) => s + r.seconds, 0);
  const OUT = outDir();
  const missing = jobs.filter((j) => !results.some((r) => r.design === j.design.id && r.target === j.target));
  if (missing.length) process.stderr.write(`mpsa synth: --cached-only: ${missing.length} of ${jobs.length} job(s) have no cached result (run without --cached-only to make them): ${missing.map((j) => `${j.design.id} ${j.target}`).join(', ')}\n`);
  const earlier = readEarlierResults(join(OUT, 'results.json'));
  const all = mergeResults(earlier, results);
  const kept = all.length - results.length;
  if (kept) process.stderr.write(`mpsa synth: results.json keeps ${kept} row(s) of earlier runs that this run did not make\n`);
  const rows = costRows(results.filter((r) => r.design.startsWith('pe.')));
  const allRows = costRows(all.filter((r) => r.design.startsWith('pe.')));
  writeFileAtomic(join(OUT, 'results.json'), JSON.stringify({ wallSeconds: wall, toolSeconds, results: all }, null, 2) + '\n');
  if (a.what !== 'cost') writeFileAtomic(join(OUT, 'configs.md'), configsMarkdown(all));
  if (rows.length) {
    const part = pnrPart(deviceByName(a.pnrDevice)).name;
    const flow = 'each PE synthesised inside a scan wrapper with its own module kept (resources are the PE\'s alone), then flattened for timing: ' +
      `xc7/xcup synth_xilinx -flatten -noiopad and Yosys sta with the xc7 cell delays of Yosys' Xilinx library (a logic-only upper bound: no routing); iCE40 synth_ice40 -dsp, nextpnr-ice40 on ${part}, seed 1 (routed)`;
    const header = `# PE cost table\n\nGenerated by \`mpsa synth cost\` from ${results[0].tools.yosys} and ${results[0].tools['nextpnr-ice40']}; do not edit (synth/cost-table.json holds the same rows). Flow: ${flow}. ` +
      'Numbers are per MAC: the resources of a PE divided by the MACs it does per clock (1; a DSP-packed int PE, `int8x2-packed` …, one per lane). Float and block kinds round with rne (block kinds into fp32); `separate` rounds the product into the accumulator format, `fused` rounds once. ' +
      '"stages" is a float PE\'s pipeline, product-path registers + accumulate-loop depth (the default pipeline, docs/rtl.md); for the integer and block PEs, their latency in clock edges.';
    // reports/out: every row known (earlier runs' included); the committed tables only from a
    // complete set made by this run.
    writeFileAtomic(join(OUT, 'cost-table.md'), costMarkdown(allRows, header));
    writeFileAtomic(join(OUT, 'cost-table.json'), costJson(allRows, { tools: results[0].tools, pnrPart: part, flow }));
    const md = costMarkdown(rows, header);
    const json = costJson(rows, { tools: results[0].tools, pnrPart: part, flow });
    if (a.what !== 'configs' && rows.length === (peKinds().length + exactPeKinds().length + blockPeKinds().length) * TARGETS.length && a.pnr) {
      writeFileAtomic(COST_TABLE, md);
      writeFileAtomic(COST_JSON, json);
    }
  }
  if (a.commit) {
    const files = writeCommitted(results.filter((r) => r.kind !== 'array'));
    process.stderr.write(`mpsa synth: --commit: ${files.length} design file(s) written in ${committedDir()} (commit them)\n`);
  }
  if (a.json) {
    const lines = a.what === 'cost' ? rows.map((r) => JSON.stringify(r)) : results.map((r) => JSON.stringify(r));
    process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
  }
  process.stderr.write(`mpsa synth: ${results.length} result(s) in ${wall.toFixed(1)} s wall (tool time of the results: ${toolSeconds.toFixed(1)} s, cached ones as when made); tables in ${OUT}\n`);
  return 0;
}
