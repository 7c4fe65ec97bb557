// `mpsa match`: which pre-generated configuration runs each GEMM of a training step on a device.
import { readFileSync } from 'node:fs';
import { inputFile, parseCommandArgs, UsageError, usageFailure } from './args.ts';
import { ArithmeticInputError, macConfig, type MacConfigSpec } from '../golden/index.ts';
import { deviceByName, fit, pnrPart, type Device, type ResourceUse } from '../model/devices.ts';
import { sameMac } from '../train/backends.ts';
import { proposal } from './config.ts';
import { match, type Candidate, type WorkloadGemm } from '../model/match.ts';
import { trainingWorkload } from '../model/workload.ts';
import { loadConfigs, type AcceleratorConfig } from '../rtl/config.ts';
import { peDesign } from '../synth/design.ts';
import { synthesize } from '../synth/flow.ts';
import { loadArith } from '../train/arith.ts';
import { MODEL_NAMES, type ModelName } from '../train/nn.ts';

const HELP = `usage: mpsa match --workload W --device D [options]

Chooses, for every GEMM of one training step, a configuration of configs/ that computes exactly
the arithmetic the GEMM requires and fits the device, minimising the total time including a
reconfiguration cost; prints the plan and the predicted time.

  --workload W      <model>:<arith>[:<batch>] (e.g. mlp:fp8-bf16-sr:32) — the GEMMs of one step of
                    that training run — or a JSON file [{name, M, K, N, mac: {a, b, mul?, acc, style}}]
  --device D        ${'a catalog device (mpsa match --devices lists them)'}
  --fmax MHz        the clock to plan with; default: the measured one — iCE40: routed by
                    nextpnr on the device; xc7/xcup: the logic-only upper bound from Yosys sta
  --bandwidth GB/s  host link bandwidth                                    [8]
  --setup-us US     fixed cost per offload call                            [10]
  --reconfig-ms MS  cost of switching configuration                        [50]
  --utilisation U   fraction of each device resource to budget             [0.8]
  --synthesize      synthesise PEs that are not in the synthesis cache (else: run make synth first)
  --json            the plan as JSON
  --devices         list the device catalog`;

interface Args { workload: string; device: string; fmax?: number; bandwidth: number; setupUs: number; reconfigMs: number; utilisation: number; synthesize: boolean; json: boolean }

function num(name: string, v: string | undefined, min: number, max = Infinity): number {
  const x = Number(v);
  if (v === undefined || !Number.isFinite(x) || x < min || x > max) throw new UsageError(`${name}: must be a number in [${min}, ${max}], got ${JSON.stringify(v ?? null)}`);
  return x;
}

const OPTIONS = {
  workload: { type: 'string' }, device: { type: 'string' }, fmax: { type: 'string' }, bandwidth: { type: 'string' }, 'setup-us': { type: 'string' },
  'reconfig-ms': { type: 'string' }, utilisation: { type: 'string' }, synthesize: { type: 'boolean' }, json: { type: 'boolean' }, devices: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export function parseMatchArgs(argv: string[]): Args {
  const a: Partial<Args> = { bandwidth: 8, setupUs: 10, reconfigMs: 50, utilisation: 0.8, synthesize: false, json: false };
  for (const { name, flag, value: v } of parseCommandArgs(argv, OPTIONS).options) {
    switch (name) {
      case 'workload': a.workload = v; break;
      case 'device': a.device = v; break;
      case 'fmax': a.fmax = num(flag, v, 1e-3); break;
      case 'bandwidth': a.bandwidth = num(flag, v, 1e-6); break;
      case 'setup-us': a.setupUs = num(flag, v, 0); break;
      case 'reconfig-ms': a.reconfigMs = num(flag, v, 0); break;
      case 'utilisation': a.utilisation = num(flag, v, 0.01, 1); break;
      case 'synthesize': a.synthesize = true; break;
      case 'json': a.json = true; break;
    }
  }
  if (!a.workload) throw new UsageError('--workload: is required');
  if (!a.device) throw new UsageError('--device: is required');
  if (a.workload.endsWith('.json')) inputFile('--workload', a.workload);
  return a as Args;
}

async function loadWorkload(w: string): Promise<WorkloadGemm[]> {
  if (w.endsWith('.json')) {
    let list: { name: string; M: number; K: number; N: number; mac: MacConfigSpec }[];
    try { list = JSON.parse(readFileSync(w, 'utf8')); } catch (e) { throw new Error(`--workload: ${w}: ${(e as Error).message}`); }
    if (!Array.isArray(list) || list.length === 0) throw new Error(`--workload: ${w}: must be a non-empty JSON array of GEMMs`);
    return list.map((g, i) => {
      for (const d of ['M', 'K', 'N'] as const) if (!Number.isInteger(g[d]) || g[d] < 1) throw new Error(`--workload: ${w}: [${i}].${d}: must be a positive integer, got ${JSON.stringify(g[d])}`);
      try {
        return { name: String(g.name ?? `gemm${i}`), shape: { M: g.M, K: g.K, N: g.N }, mac: macConfig(g.mac) };
      } catch (e) {
        if (e instanceof ArithmeticInputError) throw new Error(`--workload: ${w}: [${i}].mac.${e.message}`);
        throw e;
      }
    });
  }
  const [model, arith, batch = '32'] = w.split(':');
  if (!(MODEL_NAMES as readonly string[]).includes(model) || !arith) throw new Error(`--workload: expected <model>:<arith>[:<batch>] with model ${MODEL_NAMES.join(' | ')}, or a .json file; got ${JSON.stringify(w)}`);
  return trainingWorkload(model as ModelName, loadArith(arith), num('--workload batch', batch, 1));
}

/** The clock a plan uses for a configuration, and where it comes from. */
export interface PlanClock { mhz: number; source: 'given (--fmax)' | 'routed (nextpnr)' | 'logic-only upper bound (Yosys sta)'; method: string }

function printProposals(seen: Map<string, { gemms: string[]; p: ReturnType<typeof proposal> }>, device: Device): void {
  for (const { gemms, p } of seen.values()) {
    process.stderr.write(`\n  for ${gemms.join(', ')}:\n    ${p.command}\n    (size ${p.costedBy ? `from the ${p.costedBy}: the largest square that fits ${device.name}` : 'a default: no cost-table row for this arithmetic'}; then 'npx mpsa synth configs --config ${p.name}' or 'mpsa match … --synthesize')\n`);
  }
}

/** A configuration's array on a device: composed PE resources × rows·cols (docs/synth.md), and its clock. */
async function candidate(cfg: AcceleratorConfig, device: Device, a: Args): Promise<Candidate & { clock: PlanClock; pe: ResourceUse; limitedBy: string }> {
  const d = peDesign(cfg);
  const opts = device.family === 'ice40' ? { pnrPart: pnrPart(device) } : {};
  const r = a.synthesize ? await synthesize(d, device.family, opts) : await synthesize(d, device.family, { ...opts, cachedOnly: true });
  if (r === null) throw new Error(`${cfg.name}: no synthesis result for ${device.name} in the cache; run 'make synth' (or pass --synthesize)`);
  const n = cfg.rows * cfg.cols;
  const use = { lut: r.resources.lut * n, ff: r.resources.ff * n, dsp: r.resources.dsp * n, bram: r.resources.bram * n };
  let clock: PlanClock;
  if (a.fmax !== undefined) clock = { mhz: a.fmax, source: 'given (--fmax)', method: '--fmax' };
  else if (r.fmax.mhz !== null) clock = { mhz: r.fmax.mhz, source: r.fmax.kind === 'routed' ? 'routed (nextpnr)' : 'logic-only upper bound (Yosys sta)', method: r.fmax.method };
  else throw new Error(`${cfg.name}: the clock on ${device.name} is ${r.fmax.method}; give one with --fmax MHz`);
  const f = fit(use, device, a.utilisation);
  return { config: cfg, fmaxHz: clock.mhz * 1e6, copies: f.count, clock, pe: { lut: r.resources.lut, ff: r.resources.ff, dsp: r.resources.dsp, bram: r.resources.bram }, limitedBy: f.limitedBy };
}

export async function matchCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP + '\n'); return 0; }
  if (argv.includes('--devices')) {
    const { DEVICES } = await import('../model/devices.ts');
    for (const d of DEVICES) process.stdout.write(`${d.name.padEnd(8)} ${d.part.padEnd(20)} ${d.family.padEnd(5)} LUT ${d.totals.lut} FF ${d.totals.ff} DSP ${d.totals.dsp} BRAM ${d.totals.bram}\n`);
    return 0;
  }
  let a: Args;
  try { a = parseMatchArgs(argv); } catch (e) { if (e instanceof UsageError) return usageFailure('match', e.message, HELP); throw e; }
  let device: Device, workload: WorkloadGemm[];
  try {
    device = deviceByName(a.device);
    workload = await loadWorkload(a.workload);
  } catch (e) {
    return usageFailure('match', (e as Error).message, HELP);
  }
  try {
    const configs = loadConfigs();
    // GEMMs whose arithmetic no configuration computes: say so, and the configuration to generate.
    const uncovered = workload.filter((g) => !configs.some((c) => !c.out && sameMac(c.mac, g.mac)));
    if (uncovered.length) {
      const seen = new Map<string, { gemms: string[]; p: ReturnType<typeof proposal> }>();
      for (const g of uncovered) {
        const p = proposal(g.mac, device, a.utilisation);
        const e = seen.get(p.command) ?? { gemms: [], p };
        e.gemms.push(g.name);
        seen.set(p.command, e);
      }
      process.stderr.write(`mpsa match: no configuration in configs/ computes the arithmetic of ${uncovered.length} of ${workload.length} GEMMs. Generate one and run again:\n`);
      printProposals(seen, device);
      return 1;
    }
    const candidates: Awaited<ReturnType<typeof candidate>>[] = [];
    for (const cfg of configs) {
      if (cfg.out || !workload.some((g) => g.mac.a === cfg.mac.a && g.mac.b === cfg.mac.b)) continue; // cannot be used: skip its synthesis
      candidates.push(await candidate(cfg, device, a));
    }
    // GEMMs whose configurations all compute it but none fits: a smaller array of the same arithmetic.
    const unfit = workload.filter((g) => !candidates.some((c) => c.copies > 0 && !c.config.out && sameMac(c.config.mac, g.mac)));
    if (unfit.length) {
      const seen = new Map<string, { gemms: string[]; p: ReturnType<typeof proposal> }>();
      const why = new Map<string, string[]>();
      for (const g of unfit) {
        const c = candidates.find((x) => !x.config.out && sameMac(x.config.mac, g.mac))!;
        const w = `${c.config.name} (${c.config.rows}×${c.config.cols}) does not fit ${device.name} (${c.limitedBy.toUpperCase()}, budget ${a.utilisation * 100} % of the device)`;
        why.set(w, [...(why.get(w) ?? []), g.name]);
        const p = proposal(g.mac, device, a.utilisation, { use: c.pe, from: `synthesised PE of ${c.config.name} on ${device.family}` });
        const e = seen.get(p.command) ?? { gemms: [], p };
        e.gemms.push(g.name);
        seen.set(p.command, e);
      }
      process.stderr.write(`mpsa match: ${[...why].map(([w, gs]) => `${w}; it computes ${gs.join(', ')}`).join('\n            ')}\nA smaller array of the same arithmetic:\n`);
      printProposals(seen, device);
      return 1;
    }
    const plan = match(workload, candidates, { transfer: { bandwidth: a.bandwidth * 1e9, setupS: a.setupUs * 1e-6 }, reconfigS: a.reconfigMs * 1e-3 });
    const used = [...new Set(plan.steps.map((s) => s.config))];
    const clocks = Object.fromEntries(used.map((name) => [name, candidates.find((c) => c.config.name === name)!.clock]));
    if (a.json) {
      process.stdout.write(JSON.stringify({ device: device.name, workload: a.workload, clocks, ...plan }) + '\n');
      return 0;
    }
    const ms = (s: number) => (s * 1e3).toFixed(3);
    process.stdout.write(`device ${device.name} (${device.part}); workload ${a.workload}: ${workload.length} GEMMs\n\n`);
    process.stdout.write(`${'GEMM'.padEnd(20)} ${'shape'.padEnd(14)} ${'configuration'.padEnd(24)} copies ${'cycles'.padStart(9)} ${'ms'.padStart(9)}\n`);
    plan.steps.forEach((s, i) => {
      const g = workload[i].shape;
      process.stdout.write(`${s.gemm.padEnd(20)} ${`${g.M}x${g.K}x${g.N}`.padEnd(14)} ${s.config.padEnd(24)} ${String(s.copies).padStart(6)} ${String(s.cycles).padStart(9)} ${ms(s.seconds).padStart(9)}${s.reconfigure ? '  (reconfigure)' : ''}\n`);
    });
    process.stdout.write('\n');
    for (const [name, c] of Object.entries(clocks)) process.stdout.write(`clock of ${name}: ${c.mhz} MHz, ${c.source}${c.source === 'given (--fmax)' ? '' : ` — ${c.method}`}\n`);
    process.stdout.write(`\npredicted time of one step: ${ms(plan.totalSeconds)} ms (${plan.reconfigurations} reconfiguration${plan.reconfigurations === 1 ? '' : 's'} at ${a.reconfigMs} ms)\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`mpsa match: ${(e as Error).message}\n`);
    return 1;
  }
}
