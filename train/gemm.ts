// The one GEMM interface every layer goes through. C (M×N) = A (M×K) · B (K×N), row-major float32.
// A backend either computes in fp32 or runs the arithmetic of a MAC configuration bit for bit
// (`emu`: the emulation kernel; `rtl`: the Verilator array through the harness).
import { FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW, type Geometry, type MacConfig } from '../golden/index.ts';
import type { BfpGemmArith } from './bfp/gemm.ts';

/** Which GEMM of a layer this is: MPTorch-style, each has its own arithmetic. */
export type GemmRole = 'forward' | 'gradInput' | 'gradWeight';
export const GEMM_ROLES: readonly GemmRole[] = ['forward', 'gradInput', 'gradWeight'];

/** Arithmetic of one GEMM: the MAC, how fp32 operands are quantized into its operand formats,
 * and (for `sr`) the array geometry and seed that define the random streams. */
export interface GemmArith {
  mac: MacConfig;
  /** Rounding of the fp32 → operand-format quantizers (deterministic modes). */
  quantize: { a: 'rne' | 'rna' | 'rtz' | 'rup' | 'rdn' | 'rto'; b: 'rne' | 'rna' | 'rtz' | 'rup' | 'rdn' | 'rto' };
  geometry: Geometry;
  seed: number;
}

/** Overflow/underflow/invalid counts of one GEMM (quantizers and accumulation), per layer and role. */
export interface GemmCounters {
  calls: number;
  macs: number;
  overflow: number;
  underflow: number;
  invalid: number;
}

/** A GEMM's arithmetic: a MAC configuration on float operands, or block floating point (train/bfp). */
export type AnyGemmArith = GemmArith | BfpGemmArith;

export interface GemmBackend {
  readonly name: 'fp32' | 'emu' | 'rtl';
  /** `arith` null means plain fp32 (what the `fp32` backend always does). */
  gemm(a: Float32Array, b: Float32Array, M: number, K: number, N: number, arith: AnyGemmArith | null, counters?: GemmCounters): Promise<Float32Array>;
  close?(): Promise<void>;
}

export function newCounters(): GemmCounters {
  return { calls: 0, macs: 0, overflow: 0, underflow: 0, invalid: 0 };
}

/** Counts one result's flags (overflow, underflow, invalid; `inexact` is not counted). */
export function countFlags(counters: GemmCounters | undefined, flags: number): void {
  if (!counters || flags === 0) return;
  if (flags & FLAG_OVERFLOW) counters.overflow++;
  if (flags & FLAG_UNDERFLOW) counters.underflow++;
  if (flags & FLAG_INVALID) counters.invalid++;
}

/** fp32 GEMM: float64 accumulation along k in order, one rounding to float32 per output. */
export function gemmF32(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Float32Array {
  const c = new Float32Array(M * N);
  const row = new Float64Array(N);
  for (let i = 0; i < M; i++) {
    row.fill(0);
    const ai = i * K;
    for (let k = 0; k < K; k++) {
      const x = a[ai + k];
      if (x === 0) continue;
      const bk = k * N;
      for (let j = 0; j < N; j++) row[j] += x * b[bk + j];
    }
    c.set(row, i * N);
  }
  return c;
}

export function checkShape(a: Float32Array, b: Float32Array, M: number, K: number, N: number): void {
  for (const [name, v] of [['M', M], ['K', K], ['N', N]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`gemm: ${name} must be a positive integer, got ${v}`);
  }
  if (a.length !== M * K) throw new RangeError(`gemm: A has ${a.length} elements, expected M·K = ${M}·${K}`);
  if (b.length !== K * N) throw new RangeError(`gemm: B has ${b.length} elements, expected K·N = ${K}·${N}`);
}

export const fp32Backend: GemmBackend = {
  name: 'fp32',
  async gemm(a, b, M, K, N, _arith, counters) {
    checkShape(a, b, M, K, N);
    if (counters) { counters.calls++; counters.macs += M * K * N; }
    return gemmF32(a, b, M, K, N);
  },
};

/** Row-major transpose of an r×c matrix. */
export function transpose(x: Float32Array, r: number, c: number): Float32Array {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j];
  return t;
}
