// The latency model of an mpsa_gemm array (docs/model.md): clock cycles of a GEMM, exactly as
// the RTL counts them, and the time including host transfers.
//
// The control of the array is small enough to model cycle by cycle: operand beats are taken
// unless the tile's last beat would overwrite results not yet read; a tile's results are ready
// R + C + PIPE cycles after its last beat; they leave one row per cycle the host accepts.
// `cycles()` replays that with the host's stall pattern; `cyclesNoStall()` is its closed form.
import type { GemmShape } from '../golden/index.ts';
import type { AcceleratorConfig } from '../rtl/config.ts';
import { checkStalls, stallDecider, type StallPattern } from '../rtl/stalls.ts';

/** rows × cols of C per tile; a packed integer array has cols / lanes PE columns (docs/model.md). */
type Geometry = Pick<AcceleratorConfig, 'rows' | 'cols' | 'pipe'> & { lanes?: number };

function tilesOf(g: Geometry, { M, N }: GemmShape): number {
  return Math.ceil(M / g.rows) * Math.ceil(N / g.cols);
}

function checkShape({ M, K, N }: GemmShape): void {
  for (const [k, v] of [['M', M], ['K', K], ['N', N]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k}: must be a positive integer, got ${v}`);
  }
}

/**
 * Cycles from the first cycle after reset to the cycle that takes the last result row,
 * inclusive — what `offload()` measures — for a host with the given stall pattern.
 */
export function cycles(g: Geometry, shape: GemmShape, stalls?: StallPattern): number {
  checkShape(shape);
  checkStalls(stalls);
  const R = g.rows, C = g.cols / (g.lanes ?? 1), K = shape.K;
  const tiles = tilesOf(g, shape);
  const { offer, accept } = stallDecider(stalls);
  const latency = R + C + g.pipe; // last beat taken at edge e → results readable from edge e + latency + 1
  let k = 0, inTile = 0, busy = false;
  let have = false, readyAt = -1, row = 0, outTile = 0;
  for (let e = 1; ; e++) {
    const offering = inTile < tiles && offer();
    const ready = accept();
    // Decisions on the values before edge e.
    const take = offering && !(k === K - 1 && busy);
    const give = ready && have;
    // State after edge e.
    if (e === readyAt) have = true;
    if (take) {
      if (k === K - 1) { k = 0; inTile++; busy = true; readyAt = e + latency; } else k++;
    }
    if (give) {
      if (++row === R) {
        row = 0; have = false; busy = false;
        if (++outTile === tiles) return e;
      }
    }
  }
}

/** The same without stalls, in closed form. */
export function cyclesNoStall(g: Geometry, shape: GemmShape): number {
  checkShape(shape);
  const R = g.rows, C = g.cols / (g.lanes ?? 1), K = shape.K;
  const tiles = tilesOf(g, shape);
  const drain = R + C + g.pipe + R; // last beat → last result row taken
  // Tile t's last beat goes at max(previous last beat + K, previous tile fully read + 1).
  const period = Math.max(K, drain + 1);
  return K + (tiles - 1) * period + drain;
}

export interface TransferModel {
  /** Host ↔ accelerator bandwidth in bytes/s. */
  bandwidth: number;
  /** Fixed cost of one offload call (driver, DMA setup) in seconds. */
  setupS: number;
}

/** Bytes streamed for a GEMM: every tile's K operand beats, and every result row. */
export function transferBytes(cfg: AcceleratorConfig, shape: GemmShape): number {
  const w = (f: { exp: number; man: number }) => f.exp + f.man + 1;
  const tiles = tilesOf(cfg, shape);
  const beatBits = cfg.rows * w(cfg.mac.a) + cfg.cols * w(cfg.mac.b);
  const outBits = cfg.cols * w(cfg.out?.fmt ?? cfg.mac.acc.fmt);
  return Math.ceil((tiles * (shape.K * beatBits + cfg.rows * outBits)) / 8);
}

/** Seconds for a GEMM: cycles at fmaxHz plus the transfer, which is not overlapped. */
export function gemmSeconds(cfg: AcceleratorConfig, shape: GemmShape, fmaxHz: number, t: TransferModel): number {
  if (!(fmaxHz > 0)) throw new RangeError(`fmax: must be positive, got ${fmaxHz}`);
  if (!(t.bandwidth > 0)) throw new RangeError(`bandwidth: must be positive, got ${t.bandwidth}`);
  if (!(t.setupS >= 0)) throw new RangeError(`setupS: must be ≥ 0, got ${t.setupS}`);
  return cyclesNoStall(cfg, shape) / fmaxHz + transferBytes(cfg, shape) / t.bandwidth + t.setupS;
}
