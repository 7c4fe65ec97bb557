// One synthesis job: a design on a target family, cached. Xilinx families give resource counts
// (synth_xilinx) and a logic-only clock bound (Yosys sta); iCE40 gives resource counts
// (synth_ice40) and, where the design fits the part, a placed-and-routed Fmax from nextpnr-ice40
// (and on request an icepack bitstream). Timing is always on the scan-wrapped design
// (synth/wrap.ts), so every path is register to register.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Design } from './design.ts';
import { cacheKey, rtlFiles, synthCacheDir } from './cache.ts';
import { committedResult } from './committed.ts';
import { overflow, parseNextpnrLog, parseUtilisation } from './nextpnr.ts';
import { parseStaLog } from './sta.ts';
import { parseStatJson, resources, type CellCounts, type Resources, type Stat, type Target } from './stat.ts';
import { runIcepack, runNextpnr, runYosys, SynthToolError, toolVersion } from './tools.ts';
import { scanWrapper } from './wrap.ts';

/** Bumped when the meaning of a result changes without any script text changing. */
export const FLOW_VERSION = 2;

/** Timing arcs Yosys' Xilinx library lacks (read over it before `sta`). */
const XILINX_TIMING_LIB = join(dirname(fileURLToPath(import.meta.url)), 'xilinx-timing.v');

/** The iCE40 part that nextpnr places on: capacities for the fit check (model/devices.ts has the catalog). */
export interface PnrPart {
  name: string;
  /** nextpnr-ice40 device and package options, e.g. ['--up5k', '--package', 'sg48']. */
  args: string[];
  lut: number;
  ff: number;
  dsp: number;
  bram: number;
}

export interface Fmax {
  /** MHz, or null: not measured. */
  mhz: number | null;
  /** `routed`: nextpnr after placement and routing. `logic-only`: Yosys `sta` on the mapped
   * netlist with the cells' own delays and no routing — an upper bound on the clock. */
  kind?: 'routed' | 'logic-only';
  /** Logic-only: the longest register-to-register path, ns (clock-to-Q included). */
  ns?: number;
  method: string;
}

export interface SynthResult {
  design: string;
  kind: Design['kind'];
  target: Target;
  top: string;
  params: Record<string, number>;
  macs: number;
  stages: Design['stages'];
  resources: Resources;
  cells: CellCounts;
  fmax: Fmax;
  /** iCE40 only: whether the design (plus the scan wrapper) fits the P&R part, with the reason when not. */
  fit?: { part: string; fits: boolean; reason?: string };
  /** iCE40 P&R: nextpnr's utilisation of the part (scan wrapper included), e.g. ICESTORM_LC. */
  utilisation?: Record<string, { used: number; available: number }>;
  /** iCE40 P&R on request: the bitstream icepack wrote (a build output in the cache folder). */
  bitstream?: string;
  tools: Record<string, string>;
  /** Deviations from the scripted flow, e.g. the iCE40 `share` pass skipped (see withoutShare). */
  notes?: string[];
  /** Tool time when the result was made (a cached result keeps its original time). */
  seconds: number;
  key: string;
}

/** The design's own instance inside the scan wrapper (synth/wrap.ts). */
const DUT = 'u_dut';

/**
 * The Yosys script of a job. Every job synthesises the design inside its scan wrapper
 * (`scan.v`, synth/wrap.ts) with the design's instance kept as its own module, so one run gives
 * both figures: the design's resources (its module in `stat`, exactly what a bare run counts —
 * no optimisation crosses a kept boundary) and a register-to-register netlist for timing (the
 * hierarchy flattened after `stat`): Yosys `sta` on Xilinx, nextpnr on iCE40 (`netlist`).
 * `rtl` stands for the RTL folder so the text is machine independent.
 */
export function yosysScript(d: Design, target: Target, opts: { netlist?: string; timingLib?: string } = {}): string {
  const top = `${d.top}_scan`;
  const lines = [
    `read_verilog ${d.includes.map((i) => `-I${i}`).join(' ')} ${d.sources.join(' ')}`,
    'read_verilog scan.v',
    `hierarchy -top ${top}`,
    `setattr -set keep_hierarchy 1 ${top}/${DUT}`,
  ];
  // -flatten: one netlist per kept module; -noiopad: a PE or an array is a block inside a larger
  // design, so no I/O buffers are counted.
  if (target === 'ice40') lines.push(`synth_ice40 -top ${top} -dsp`);
  else lines.push(`synth_xilinx -family ${target} -top ${top} -flatten -noiopad`);
  lines.push('tee -q -o stat.json stat -json', `setattr -unset keep_hierarchy ${top}/${DUT}`, 'flatten');
  if (target === 'ice40') {
    if (opts.netlist) lines.push(`write_json ${opts.netlist}`);
  } else {
    // Yosys' Xilinx library carries xc7 cell delays (prjxray); read_verilog -specify makes them
    // timing arcs for sta. Our file adds the arcs the library lacks (synth/xilinx-timing.v).
    lines.push('read_verilog -lib -specify +/xilinx/cells_sim.v');
    if (opts.timingLib) lines.push(`read_verilog -lib -specify -overwrite ${opts.timingLib}`);
    lines.push('tee -q -o sta.log sta');
  }
  return lines.join('\n') + '\n';
}

/**
 * The iCE40 script with synth_ice40's `coarse` step spelled out minus `share` (Yosys 0.23, same
 * commands and order, -dsp on). `share` merges mutually exclusive shifters with a SAT search; on
 * some float PEs (fp16 x fp16 -> fp32 separate) it found 52572 activation patterns and grew past
 * 23 GB. Skipping it can only cost LUTs (no sharing of exclusive cells), never correctness.
 */
export function withoutShare(script: string): string {
  return script.replace(/^synth_ice40 -top (\S+) -dsp(.*)$/m, (_, top: string, rest: string) => [
    `synth_ice40 -top ${top} -dsp -run begin:coarse`,
    'opt_expr', 'opt_clean', 'check', 'opt -nodffe -nosdff', 'fsm', 'opt', 'wreduce', 'peepopt', 'opt_clean',
    'techmap -map +/cmp2lut.v -D LUT_WIDTH=4', 'opt_expr', 'opt_clean', 'memory_dff', 'wreduce t:$mul',
    'techmap -map +/mul2dsp.v -map +/ice40/dsp_map.v -D DSP_A_MAXWIDTH=16 -D DSP_B_MAXWIDTH=16 -D DSP_A_MINWIDTH=2 -D DSP_B_MINWIDTH=2 -D DSP_Y_MINWIDTH=11 -D DSP_NAME=$__MUL16X16',
    'select a:mul2dsp', 'setattr -unset mul2dsp', 'opt_expr -fine', 'wreduce', 'select -clear', 'ice40_dsp', 'chtype -set $mul t:$__soft_mul',
    'alumacc', 'opt', 'memory -nomap', 'opt_clean',
    `synth_ice40 -top ${top} -dsp -run map_ram:${rest}`,
  ].join('\n'));
}

/** Whether a failed Yosys log stopped inside the `share` pass (the last pass it started). */
export function stoppedInShare(log: string): boolean {
  const passes = [...log.matchAll(/^\d+(?:\.\d+)*\. Executing (\S+) pass/gm)];
  return passes.length > 0 && passes[passes.length - 1][1] === 'SHARE';
}

/**
 * Writes `script` to synth.ys in `cwd` and runs Yosys on it; on iCE40, if `share` blows up
 * (memory cap or kill), once more without it, with a note saying so.
 */
async function runYosysScript(script: string, cwd: string, what: string, target: Target, notes: string[]): Promise<{ seconds: number }> {
  writeFileSync(join(cwd, 'synth.ys'), script);
  try {
    return await runYosys('synth.ys', cwd, what);
  } catch (e) {
    if (target !== 'ice40' || !(e instanceof SynthToolError) || !stoppedInShare(e.log)) throw e;
    renameSync(join(cwd, 'yosys.log'), join(cwd, 'yosys-share-failed.log'));
    writeFileSync(join(cwd, 'synth.ys'), withoutShare(script));
    const note = `${what}: Yosys share pass failed (${e.message.split('\n')[0].replace(/^.*\((.*)\); full log.*$/, '$1')}); synthesised without it`;
    notes.push(note);
    return runYosys('synth.ys', cwd, `${what} without share`);
  }
}

// --timing-allow-fail: a design slower than the nominal 12 MHz is a result to report, not an error.
const NEXTPNR_OPTS = ['--pcf-allow-unconstrained', '--seed', '1', '--freq', '12', '--timing-allow-fail'];

/** Scan-wrapper overhead: input and output shift registers and the capture muxes. */
function wrapperOverhead(d: Design): { ff: number; lut: number } {
  const wIn = d.ports.filter((p) => p.dir === 'input' && p.name !== 'clk_i').reduce((s, p) => s + p.width, 0);
  const wOut = d.ports.filter((p) => p.dir === 'output').reduce((s, p) => s + p.width, 0);
  return { ff: wIn + wOut, lut: wOut };
}

/** Whether the scan-wrapped design fits the part, from the bare design's counts. */
export function pnrFit(d: Design, r: Resources, part: PnrPart): { part: string; fits: boolean; reason?: string } {
  const o = wrapperOverhead(d);
  const need = { lut: r.lut + o.lut, ff: r.ff + o.ff, dsp: r.dsp, bram: r.bram };
  const over = (Object.keys(need) as (keyof typeof need)[]).filter((k) => need[k] > part[k]).map((k) => `${k.toUpperCase()} ${need[k]} > ${part[k]}`);
  return over.length ? { part: part.name, fits: false, reason: `does not fit: ${over.join(', ')} (design + scan wrapper)` } : { part: part.name, fits: true };
}

export interface FlowOptions {
  /** The iCE40 part for P&R; without it iCE40 jobs stop after synthesis. */
  pnrPart?: PnrPart;
  cacheDir?: string;
  /** Ignore cached results (they are still overwritten). */
  force?: boolean;
  /** Only answer from the cache: a job without a cached result gives null instead of running. */
  cachedOnly?: boolean;
  /** iCE40 with a P&R part: also write the bitstream (nextpnr --asc, icepack) into the job's folder. */
  bitstream?: boolean;
  /** Do not answer from the committed results (synth/results/, synth/committed.ts). */
  noCommitted?: boolean;
}

/** Where a result came from: the synthesis cache, the committed results, or a run of the tools now. */
export type ResultSource = 'cache' | 'committed' | 'run';

let versions: Promise<Record<string, string>> | undefined;
/** Tool versions, asked once per process. */
export function toolVersions(): Promise<Record<string, string>> {
  versions ??= (async () => ({ yosys: await toolVersion('yosys'), 'nextpnr-ice40': await toolVersion('nextpnr-ice40') }))();
  return versions;
}

const relRtl = (text: string, d: Design) => {
  const rtl = d.includes[0].replace(/[^/]+\/?$/, '');
  return text.split(rtl).join('<rtl>/');
};

/** The design's own counts in a wrapped run's `stat`: its kept module (the one that is not the wrapper). */
export function dutCells(stat: Stat, d: Design): CellCounts {
  const wrapper = `${d.top}_scan`;
  const own = Object.keys(stat.modules).filter((m) => m.replace(/^\\/, '') !== wrapper);
  if (own.length !== 1) throw new Error(`synth: expected the wrapped ${d.top} as one kept module beside ${wrapper}, found ${JSON.stringify(Object.keys(stat.modules))}`);
  return stat.modules[own[0]];
}

/** The logic-only clock of a Xilinx job from its `sta` log. */
export function xilinxFmax(staLog: string, target: Target): Fmax {
  const { ps } = parseStaLog(staLog);
  const ns = ps / 1000;
  const lib = target === 'xc7' ? 'xc7 cell delays' : 'xc7 cell delays (Yosys has none for UltraScale+)';
  return { mhz: Math.round(100000 / ns) / 100, kind: 'logic-only', ns, method: `logic-only upper bound: Yosys sta, ${lib}, no routing; scan-wrapped, register to register` };
}

/** What is wrong with a cached result.json (not JSON, fields missing or of the wrong type), or undefined. */
export function resultProblem(file: string): string | undefined {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return `not JSON: ${(e as Error).message}`;
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'not a JSON object';
  const res = r.resources as Record<string, unknown> | null;
  if (res === null || typeof res !== 'object' || !['lut', 'ff', 'dsp', 'bram'].every((k) => Number.isFinite(res[k]))) return '"resources" lacks numeric lut/ff/dsp/bram';
  const f = r.fmax as Record<string, unknown> | null;
  if (f === null || typeof f !== 'object' || !(f.mhz === null || Number.isFinite(f.mhz)) || typeof f.method !== 'string') return '"fmax" is not {mhz, method}';
  if (typeof r.kind !== 'string' || typeof r.target !== 'string' || typeof r.top !== 'string' || !Number.isFinite(r.macs) || !Number.isFinite(r.seconds)) return 'kind/target/top/macs/seconds missing';
  if (r.cells === null || typeof r.cells !== 'object' || r.tools === null || typeof r.tools !== 'object' || r.params === null || typeof r.params !== 'object') return 'cells/tools/params missing';
  return undefined;
}

/** Removes work folders of jobs whose process was killed (a failed job's folder has FAILED and stays). */
function removeKilledWork(root: string): void {
  for (const name of readdirSync(root)) {
    const m = /^tmp-[0-9a-f]{8}-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid || existsSync(join(root, name, 'FAILED'))) continue;
    try { process.kill(Number(m[1]), 0); continue; } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EPERM') continue; }
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

/** Runs (or takes from the cache) one design on one target. */
export async function synthesize(d: Design, target: Target, opts: FlowOptions & { cachedOnly: true }): Promise<(SynthResult & { cached: boolean; source: ResultSource }) | null>;
export async function synthesize(d: Design, target: Target, opts?: FlowOptions): Promise<SynthResult & { cached: boolean; source: ResultSource }>;
export async function synthesize(d: Design, target: Target, opts: FlowOptions = {}): Promise<(SynthResult & { cached: boolean; source: ResultSource }) | null> {
  const tools = await toolVersions();
  const root = opts.cacheDir ?? synthCacheDir();
  const pnr = target === 'ice40' ? opts.pnrPart : undefined;
  const bitstream = pnr !== undefined && opts.bitstream === true;
  const wrapperText = scanWrapper(d.top, d.ports, d.params);
  const timingLib = target === 'ice40' ? undefined : XILINX_TIMING_LIB;
  const script = yosysScript(d, target, { netlist: pnr ? 'scan.json' : undefined, timingLib: timingLib ? 'timing.v' : undefined });
  const key = cacheKey({
    files: { ...rtlFiles(d.sources, d.includes), ...(timingLib ? { 'timing.v': readFileSync(timingLib, 'utf8') } : {}) }, top: d.top, params: d.params, target, tools,
    scripts: [relRtl(script, d), wrapperText], options: { flow: FLOW_VERSION, pnr: pnr ?? null, nextpnr: NEXTPNR_OPTS, bitstream },
  });
  const dir = join(root, key);
  const resultFile = join(dir, 'result.json');
  const damage = !opts.force && existsSync(resultFile) ? resultProblem(resultFile) : undefined;
  if (damage) process.stderr.write(`mpsa synth: the cached result ${resultFile} is damaged (${damage}); ${opts.cachedOnly ? 'left out (run without --cached-only to make it again)' : 'running the job again'}\n`);
  if (!opts.force && existsSync(resultFile) && !damage) {
    const cached = JSON.parse(readFileSync(resultFile, 'utf8')) as SynthResult;
    // The routed Fmax is re-read from the kept nextpnr log, so a parser fix reaches cached results.
    const pnrLog = join(dir, 'nextpnr.log');
    if (cached.fmax.kind === 'routed' && existsSync(pnrLog)) cached.fmax = { ...cached.fmax, mhz: parseNextpnrLog(readFileSync(pnrLog, 'utf8')).fmaxMhz };
    if (cached.bitstream) cached.bitstream = join(dir, 'scan.bin');
    return { ...cached, design: d.id, stages: d.stages, cached: true, source: 'cache' };
  }
  // The committed result of this exact key (never for a bitstream, which only a run makes).
  const committed = opts.force || opts.noCommitted || bitstream ? undefined : committedResult(d.id, key);
  if (committed) return { ...committed, design: d.id, stages: d.stages, cached: true, source: 'committed' };
  if (opts.cachedOnly) return null;
  mkdirSync(root, { recursive: true });
  removeKilledWork(root);
  const work = mkdtempSync(join(root, `tmp-${key.slice(0, 8)}-${process.pid}-`));
  try {
    const what = `${d.id} (${target})`;
    const notes: string[] = [];
    writeFileSync(join(work, 'scan.v'), wrapperText);
    if (timingLib) writeFileSync(join(work, 'timing.v'), readFileSync(timingLib, 'utf8'));
    let { seconds } = await runYosysScript(script, work, what, target, notes);
    const stat = parseStatJson(readFileSync(join(work, 'stat.json'), 'utf8'));
    const cells = dutCells(stat, d);
    const res = resources(cells);
    let fmax: Fmax = { mhz: null, method: 'not measured: no P&R part given' };
    let fit: SynthResult['fit'];
    let utilisation: SynthResult['utilisation'];
    if (target !== 'ice40') fmax = xilinxFmax(readFileSync(join(work, 'sta.log'), 'utf8'), target);
    else if (pnr) {
      fit = pnrFit(d, res, pnr);
      if (!fit.fits) fmax = { mhz: null, method: `not measured: ${fit.reason} on ${pnr.name}` };
      else {
        const args = [...pnr.args, '--json', 'scan.json', ...NEXTPNR_OPTS, ...(bitstream ? ['--asc', 'scan.asc'] : [])];
        let p: { log: string; seconds: number } | undefined;
        try {
          p = await runNextpnr(args, work, `${what}, place and route`);
        } catch (e) {
          // Packing can need more logic cells than the counts promised (a LUT and a flop share a
          // cell only when the LUT feeds that flop alone): then the design does not fit — a result.
          const over = e instanceof SynthToolError ? overflow(e.log) : [];
          if (over.length === 0) throw e;
          fit = { part: pnr.name, fits: false, reason: `does not fit: ${over.join(', ')} after packing (design + scan wrapper)` };
          fmax = { mhz: null, method: `not measured: ${fit.reason} on ${pnr.name}` };
          utilisation = parseUtilisation((e as SynthToolError).log);
        }
        if (p) {
          seconds += p.seconds;
          const rep = parseNextpnrLog(p.log);
          fmax = { mhz: rep.fmaxMhz, kind: 'routed', method: `nextpnr-ice40 ${pnr.name}, scan-wrapped, register to register, seed 1` };
          utilisation = rep.utilisation;
          if (bitstream) {
            seconds += (await runIcepack('scan.asc', 'scan.bin', work, `${what}, bitstream`)).seconds;
            rmSync(join(work, 'scan.asc'), { force: true });
          }
        }
      }
      rmSync(join(work, 'scan.json'), { force: true }); // large; the logs stay
    }
    const result: SynthResult = {
      design: d.id, kind: d.kind, target, top: d.top, params: d.params, macs: d.macs, stages: d.stages, resources: res, cells, fmax,
      ...(fit ? { fit } : {}), ...(utilisation ? { utilisation } : {}), ...(bitstream && fit?.fits ? { bitstream: join(dir, 'scan.bin') } : {}),
      ...(notes.length ? { notes } : {}), tools, seconds: Math.round(seconds * 10) / 10, key,
    };
    writeFileSync(join(work, 'result.json'), JSON.stringify(result, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    return { ...result, cached: false, source: 'run' };
  } catch (e) {
    // The work folder stays for a failed job: the error names its log (the marker keeps
    // removeKilledWork off it).
    writeFileSync(join(work, 'FAILED'), `${(e as Error).message}\n`);
    throw e;
  }
}
