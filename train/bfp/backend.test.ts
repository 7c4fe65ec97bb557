// The BFP backend call's counters: quantizer elements plus the accumulation flags of every
// output, whether the native kernel or golden computed it.
import { describe, expect, it } from 'vitest';
import { newCounters } from '../gemm.ts';
import { bfpGemmCounted } from './backend.ts';
import { bfpGemm, bfpGemmSpec } from './gemm.ts';

describe('bfpGemmCounted', () => {
  it('counts accumulation underflow of outputs the native kernel rounded', () => {
    // 2^-100 · 2^-100 per product: every element is exact in BFP (one per block, at the block's
    // exponent), every output underflows to 0 in fp32 — no overflow, so no output goes to golden.
    const M = 2, K = 3, N = 2;
    const a = new Float32Array(M * K).fill(2 ** -100);
    const b = new Float32Array(K * N).fill(2 ** -100);
    const arith = { ...bfpGemmSpec({ manA: 4, manB: 4, quantize: { a: 'rne', b: 'rne' } }), seed: 1 };
    const direct = bfpGemm(a, b, M, K, N, arith);
    expect(direct.goldenOutputs).toBe(0);
    expect(direct.quant.a.underflow + direct.quant.b.underflow).toBe(0);
    const counters = newCounters();
    const c = bfpGemmCounted(a, b, M, K, N, arith, counters, 1);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
    expect(counters).toEqual({ calls: 1, macs: M * K * N, overflow: 0, underflow: M * N, invalid: 0 });
  });
});
