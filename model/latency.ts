// The latency model of an mpsa_gemm array (docs/model.md): clock cycles of a GEMM, exactly as
// the RTL counts them, and the time including host transfers.
//
// The top's control is small enough to replay register by register (rtl/array/mpsa_gemm.v):
// the input register, the launch of each slot's beat at its phase, the last round of a group
// waiting until the previous group has drained, the captures counted at the last PE, the drain
// of ROWS * L entries credited by the output FIFO, the conversion pipeline and the FIFO itself.
// `cycles()` replays it with the host's stall pattern; `cyclesNoStall()` is its closed form.
import type { GemmShape } from '../golden/index.ts';
import type { AcceleratorConfig } from '../rtl/config.ts';
import { elaborate, type ArrayTiming } from '../rtl/elaborate.ts';
import { checkStalls, stallDecider, type StallPattern } from '../rtl/stalls.ts';

export type { ArrayTiming } from '../rtl/elaborate.ts';

function tilesOf(t: ArrayTiming, { M, N }: GemmShape): number {
  return Math.ceil(M / t.rows) * Math.ceil(N / t.cols);
}

function checkShape({ M, K, N }: GemmShape): void {
  for (const [k, v] of [['M', M], ['K', K], ['N', N]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k}: must be a positive integer, got ${v}`);
  }
}

/** Cycles from a launch of a group's last-round beat to its capture at the last PE. */
const captureDelay = (t: ArrayTiming) => t.rows + t.peCols + t.peLatency;

/**
 * Cycles from the first cycle after reset to the cycle that takes the last result beat,
 * inclusive — what `offload()` measures — for a host with the given stall pattern. The host
 * offers beats in group, k, slot order and reads every result the cycle it may.
 */
export function cycles(t: ArrayTiming, shape: GemmShape, stalls?: StallPattern): number {
  checkShape(shape);
  checkStalls(stalls);
  const R = t.rows, L = t.interleave, K = shape.K;
  const tiles = tilesOf(t, shape);
  const beats = tiles * K;
  const results = tiles * R;
  const D = captureDelay(t);
  const { offer, accept } = stallDecider(stalls);
  let sent = 0, got = 0;
  // mpsa_gemm's registers after reset
  let inV = false, phase = 0, slot = 0, k = 0;
  let n = Math.min(L, tiles), left = tiles - n, busy = false, dn = 0;
  let cap = 0, dact = false, dq = 0, drow = 0, cred = t.fifoDepth, fifo = 0;
  const captures = new Set<number>();   // cycles with last_done high
  const pushes = new Set<number>();     // cycles the conversion hands the FIFO a beat
  // The host's first cycle is the reset's last edge: it decides, nothing is taken.
  if (sent < beats) offer();
  accept();
  for (let e = 1; ; e++) {
    const offering = sent < beats && offer();
    const ready = accept();
    // Decisions on the values before edge e.
    const kLast: boolean = k === K - 1;
    const launch: boolean = inV && n !== 0 && phase === slot && (!kLast || slot !== 0 || !busy);
    const take: boolean = offering && (!inV || launch);
    const stale = dq < L - dn;
    const drain = dact && (stale || cred !== 0);
    const emit = drain && !stale;
    const drained = drain && dq === L - 1 && drow === R - 1;
    const pop = fifo > 0 && ready;
    const start = busy && !dact && cap === dn && dn !== 0;
    if (emit) pushes.add(e + t.convLatency);
    if (launch && kLast) captures.add(e + D);
    if (take) sent++;
    if (pop && ++got === results) return e;
    // State after edge e.
    inV = take || (inV && !launch);
    phase = (phase + 1) % L;
    if (launch) {
      if (kLast && slot === 0) { busy = true; dn = n; }
      if (slot + 1 === n) {
        slot = 0;
        if (kLast) { k = 0; const next = Math.min(L, left); n = next; left -= next; } else k++;
      } else slot++;
    }
    if (captures.delete(e)) cap++;
    if (start) { dact = true; cap = 0; }
    if (drain) {
      if (dq === L - 1) { dq = 0; drow = drow === R - 1 ? 0 : drow + 1; } else dq++;
      if (drained) { dact = false; busy = false; }
    }
    cred += (pop ? 1 : 0) - (emit ? 1 : 0);
    fifo += (pushes.delete(e) ? 1 : 0) - (pop ? 1 : 0);
  }
}

/** The same without stalls, in closed form (model/latency.test.ts holds it to the replay). */
export function cyclesNoStall(t: ArrayTiming, shape: GemmShape): number {
  checkShape(shape);
  const R = t.rows, L = t.interleave, K = shape.K;
  const tiles = tilesOf(t, shape);
  const groups = Math.ceil(tiles / L);
  const D = captureDelay(t);
  // A slot-0 beat launches only in a cycle c with (c - 1) mod L = 0 (phase 0).
  const align = (c: number) => c + ((L - ((c - 1) % L)) % L);
  let start = L + 1;            // the first launch: the beat arrives in cycle 2, waits for phase 0
  let free = -Infinity;         // the first cycle the previous group's buffers are free
  let drainStart = 0;
  for (let g = 0; g < groups; g++) {
    const n = Math.min(L, tiles - g * L);
    const lastRound = align(Math.max(start + (K - 1) * L, free));
    drainStart = lastRound + n + D + 1;
    free = drainStart + R * L;
    start = lastRound + L;
  }
  return drainStart + R * L + t.convLatency;
}

export interface TransferModel {
  /** Host ↔ accelerator bandwidth in bytes/s. */
  bandwidth: number;
  /** Fixed cost of one offload call (driver, DMA setup) in seconds. */
  setupS: number;
}

/** Bytes streamed for a GEMM: every tile's K operand beats, and every result row. */
export function transferBytes(cfg: AcceleratorConfig, shape: GemmShape): number {
  const { ports, timing } = elaborate(cfg);
  const tiles = tilesOf(timing, shape);
  return Math.ceil((tiles * (shape.K * (ports.a + ports.b) + cfg.rows * ports.out)) / 8);
}

/** Seconds for a GEMM: cycles at fmaxHz plus the transfer, which is not overlapped. */
export function gemmSeconds(cfg: AcceleratorConfig, shape: GemmShape, fmaxHz: number, t: TransferModel): number {
  if (!(fmaxHz > 0)) throw new RangeError(`fmax: must be positive, got ${fmaxHz}`);
  if (!(t.bandwidth > 0)) throw new RangeError(`bandwidth: must be positive, got ${t.bandwidth}`);
  if (!(t.setupS >= 0)) throw new RangeError(`setupS: must be ≥ 0, got ${t.setupS}`);
  return cyclesNoStall(elaborate(cfg).timing, shape) / fmaxHz + transferBytes(cfg, shape) / t.bandwidth + t.setupS;
}
