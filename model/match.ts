// Configuration matching (docs/model.md): for the GEMM sequence of one training step, choose per
// GEMM a pre-generated configuration whose arithmetic is exactly the one the GEMM requires and
// that fits the device, minimising the total time including a reconfiguration cost whenever
// consecutive GEMMs use different configurations. Dynamic programming over the sequence.
import type { GemmShape, MacConfig } from '../golden/index.ts';
import type { AcceleratorConfig } from '../rtl/config.ts';
import { elaborate } from '../rtl/elaborate.ts';
import { sameMac } from '../train/backends.ts';
import { cyclesNoStall, transferBytes, type TransferModel } from './latency.ts';

export interface WorkloadGemm {
  /** e.g. "fc1/forward". */
  name: string;
  shape: GemmShape;
  /** The arithmetic the GEMM requires. */
  mac: MacConfig;
}

/** A configuration as the matcher sees it on one device. */
export interface Candidate {
  config: AcceleratorConfig;
  /** Clock of the configuration on this device, Hz. */
  fmaxHz: number;
  /** How many copies of the array fit the device (0: it does not fit). */
  copies: number;
}

export interface MatchOptions {
  transfer: TransferModel;
  /** Seconds to switch the device from one configuration to another. */
  reconfigS: number;
}

export interface PlanStep { gemm: string; config: string; copies: number; cycles: number; seconds: number; reconfigure: boolean }
export interface Plan { steps: PlanStep[]; totalSeconds: number; reconfigurations: number }

/**
 * Time of one GEMM on a candidate: the output tile rows are split evenly over the copies
 * (the busiest copy decides), each copy streams its own operands over the shared link.
 */
export function gemmOn(c: Candidate, shape: GemmShape, t: TransferModel): { cycles: number; seconds: number } {
  const R = c.config.rows;
  const tileRows = Math.ceil(shape.M / R);
  const used = Math.min(c.copies, tileRows);
  const part = { ...shape, M: Math.min(shape.M, Math.ceil(tileRows / used) * R) };
  const cyc = cyclesNoStall(elaborate(c.config).timing, part);
  return { cycles: cyc, seconds: cyc / c.fmaxHz + transferBytes(c.config, shape) / t.bandwidth + t.setupS };
}

/** The configurations that compute this GEMM's arithmetic exactly and fit the device. */
export function candidatesFor(g: WorkloadGemm, all: readonly Candidate[]): Candidate[] {
  return all.filter((c) => c.copies > 0 && !c.config.out && sameMac(c.config.mac, g.mac));
}

export function match(workload: readonly WorkloadGemm[], all: readonly Candidate[], o: MatchOptions): Plan {
  if (workload.length === 0) return { steps: [], totalSeconds: 0, reconfigurations: 0 };
  if (!(o.reconfigS >= 0)) throw new RangeError(`reconfigS: must be ≥ 0, got ${o.reconfigS}`);
  const cands = workload.map((g) => {
    const c = candidatesFor(g, all);
    if (c.length === 0) throw new Error(`${g.name}: no configuration computes its arithmetic and fits the device`);
    return c.map((cand) => ({ cand, ...gemmOn(cand, g.shape, o.transfer) }));
  });
  // best[i][j]: least time for GEMMs 0..i with GEMM i on candidate j; from[i][j]: the argmin.
  const best: number[][] = [cands[0].map((x) => x.seconds)];
  const from: number[][] = [cands[0].map(() => -1)];
  for (let i = 1; i < workload.length; i++) {
    best.push([]); from.push([]);
    for (const x of cands[i]) {
      let b = Infinity, arg = -1;
      cands[i - 1].forEach((p, pj) => {
        const t = best[i - 1][pj] + (p.cand.config.name === x.cand.config.name ? 0 : o.reconfigS);
        if (t < b) { b = t; arg = pj; }
      });
      best[i].push(b + x.seconds);
      from[i].push(arg);
    }
  }
  const last = workload.length - 1;
  let j = best[last].indexOf(Math.min(...best[last]));
  const total = best[last][j];
  const picks: number[] = [];
  for (let i = last; i >= 0; i--) { picks.push(j); j = from[i][j]; }
  picks.reverse();
  let reconf = 0;
  const steps = picks.map((pj, i) => {
    const x = cands[i][pj];
    const reconfigure = i > 0 && cands[i - 1][picks[i - 1]].cand.config.name !== x.cand.config.name;
    if (reconfigure) reconf++;
    return { gemm: workload[i].name, config: x.cand.config.name, copies: x.cand.copies, cycles: x.cycles, seconds: x.seconds, reconfigure };
  });
  return { steps, totalSeconds: total, reconfigurations: reconf };
}

/** Exhaustive search over every assignment (for tests on small workloads). */
export function matchBruteForce(workload: readonly WorkloadGemm[], all: readonly Candidate[], o: MatchOptions): number {
  const cands = workload.map((g) => candidatesFor(g, all).map((cand) => ({ cand, s: gemmOn(cand, g.shape, o.transfer).seconds })));
  let best = Infinity;
  const walk = (i: number, prev: string | null, acc: number) => {
    if (i === workload.length) { best = Math.min(best, acc); return; }
    for (const x of cands[i]) walk(i + 1, x.cand.config.name, acc + x.s + (prev !== null && prev !== x.cand.config.name ? o.reconfigS : 0));
  };
  walk(0, null, 0);
  return best;
}
