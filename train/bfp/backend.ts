// A BFP GEMM as a training backend call: the native kernel plus the run's counters (quantizer
// elements that saturated, underflowed to 0 or were NaN; accumulation flags per output).
import { countFlags, type GemmCounters } from '../gemm.ts';
import { bfpGemm, type BfpGemmArith } from './gemm.ts';

export function bfpGemmCounted(a: Float32Array, b: Float32Array, M: number, K: number, N: number, arith: BfpGemmArith, counters: GemmCounters | undefined, threads: number): Float32Array {
  const r = bfpGemm(a, b, M, K, N, arith, { threads });
  if (counters) {
    counters.calls++;
    counters.macs += M * K * N;
    for (const q of [r.quant.a, r.quant.b]) {
      counters.overflow += q.overflow;
      counters.underflow += q.underflow;
      counters.invalid += q.invalid;
    }
    for (const f of r.flags) countFlags(counters, f);
  }
  return r.c;
}
