// The BFP training GEMM against golden: every output's fp32 bits and accumulation flags equal
// golden's blockDot of golden's bfpQuantize of its row and column (with the sr words of
// stream.ts), and the quantizer flags equal golden's. The outputs the kernel hands to golden
// (−0 accumulators meeting a zero block) and every other output are also held to an
// accumulation written from the contract in BigInt (property-tests/oracles/contract-ref.ts):
// exact block sums with their zero signs, one fp32 rne rounding per block.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bfpDequantize, bfpQuantize, rawsOfCodes } from '../../golden/index.ts';
import { refAccumulate, refBlockSums, refFlagMask } from '../../property-tests/oracles/contract-ref.ts';
import { testContext } from '../../property-tests/support/context.ts';
import { check, runs } from '../../property-tests/support/seed.ts';
import { bfpDotGolden, bfpGemm, bfpGemmSpec, operandFormat, type BfpGemmArith } from './gemm.ts';
import { operandSeed, srWords } from './stream.ts';

const f32 = (x: number) => Math.fround(x);

/** fp32 values: every kind (NaN, ±Inf, ±0, subnormals) now and then, mostly values of one scale. */
const valueArb = (scale: number) => fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }).map((x) => f32(x * scale)) },
  { weight: 1, arbitrary: fc.float() },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 2 ** -149, -(2 ** -126), 3.4e38) },
);

const arithArb: fc.Arbitrary<BfpGemmArith> = fc.record({
  manA: fc.integer({ min: 1, max: 15 }),
  manB: fc.integer({ min: 1, max: 15 }),
  block: fc.oneof(fc.constantFrom(16, 32), fc.integer({ min: 1, max: 40 })),
  expBits: fc.oneof(fc.constant(8), fc.integer({ min: 2, max: 10 })),
  quantize: fc.record({ a: fc.constantFrom('rne' as const, 'sr' as const), b: fc.constantFrom('rne' as const, 'sr' as const) }),
  rbits: fc.integer({ min: 1, max: 24 }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
}).map((a) => ({ ...bfpGemmSpec(a), seed: a.seed }));

/** Scales of A and B: ordinary, then pairs whose products are subnormal (exact or not), underflow to 0 or overflow in fp32. */
const scalesArb = fc.constantFrom([1, 1], [1e-3, 1e3], [2 ** -70, 2 ** -70], [2 ** -63, 2 ** -64], [2 ** -80, 2 ** -72], [2 ** -76, 2 ** -74], [2 ** 64, 2 ** 64], [1e19, 1e19]);

const caseArb = fc.tuple(arithArb, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 5 }), scalesArb, fc.constantFrom(1, 2, 3))
  .chain(([arith, M, K, N, [sa, sb], threads]) => fc.record({
    arith: fc.constant(arith), M: fc.constant(M), K: fc.constant(K), N: fc.constant(N), threads: fc.constant(threads),
    A: fc.array(valueArb(sa), { minLength: M * K, maxLength: M * K }).map((v) => Float32Array.from(v)),
    B: fc.array(valueArb(sb), { minLength: K * N, maxLength: K * N }).map((v) => Float32Array.from(v)),
  }));

const hexOf = (x: Float32Array) => Array.from(new Uint32Array(x.buffer), (u) => u.toString(16)).join(',');

/** OR of golden's quantizer flags over the vectors of one operand. */
function goldenQuantFlags(x: Float32Array, vectors: number, K: number, at: (v: number, k: number) => number, arith: BfpGemmArith, operand: 'a' | 'b'): number {
  let flags = 0;
  const f = operandFormat(arith, operand);
  const mode = arith.quantize[operand];
  for (let v = 0; v < vectors; v++) {
    const bits = Array.from({ length: K }, (_, k) => new Uint32Array(Float32Array.of(x[at(v, k)]).buffer)[0]);
    const r = mode === 'sr' ? { mode, rbits: arith.rbits, rand: srWords(operandSeed(arith.seed, operand), v, K, arith.rbits) } : { mode };
    flags |= bfpQuantize(rawsOfCodes(bits), f, r).flags;
  }
  return flags;
}

const FP32 = { exp: 8, man: 23, subnormals: true, specials: 'ieee', overflow: 'infinity' } as const;

/** Output (i, j) from golden's quantized row and column, accumulated by the BigInt reference. */
function bfpDotRef(A: Float32Array, B: Float32Array, K: number, N: number, i: number, j: number, arith: BfpGemmArith): { code: number; flags: number } {
  const side = (at: (k: number) => number, operand: 'a' | 'b', vector: number) => {
    const f = operandFormat(arith, operand);
    const bits = Array.from({ length: K }, (_, k) => new Uint32Array(Float32Array.of(at(k)).buffer)[0]);
    const mode = arith.quantize[operand];
    const r = mode === 'sr' ? { mode, rbits: arith.rbits, rand: srWords(operandSeed(arith.seed, operand), vector, K, arith.rbits) } : { mode };
    return bfpDequantize(bfpQuantize(rawsOfCodes(bits), f, r), f);
  };
  const a = side((k) => A[i * K + k], 'a', i);
  const b = side((k) => B[k * N + j], 'b', j);
  let acc = 0;
  let flags = 0;
  for (const sum of refBlockSums(a, b, arith.block, 'rne')) {
    const r = refAccumulate(acc, FP32, sum, { mode: 'rne' });
    acc = r.code;
    flags |= refFlagMask(r);
  }
  return { code: acc, flags };
}

describe('bfpGemm', () => {
  it('equals golden (quantize rows and columns, block dot into fp32 rne) bit for bit, flags included', () => {
    check(testContext(), fc.property(caseArb, ({ arith, M, K, N, A, B, threads }) => {
      const got = bfpGemm(A, B, M, K, N, arith, { threads });
      const bits = new Uint32Array(got.c.buffer);
      const what = `man ${arith.manA}/${arith.manB} block ${arith.block} expBits ${arith.expBits} quantize ${arith.quantize.a}/${arith.quantize.b} rbits ${arith.rbits} seed ${arith.seed} ${M}×${K}×${N} A=[${hexOf(A)}] B=[${hexOf(B)}]`;
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        const want = bfpDotGolden(A, B, K, N, i, j, arith);
        const o = i * N + j;
        if (bits[o] !== want.code || got.flags[o] !== want.flags) {
          throw new Error(`${what}: output (${i}, ${j}): kernel 0x${bits[o].toString(16)} flags ${got.flags[o]}, golden 0x${want.code.toString(16)} flags ${want.flags}`);
        }
        const ref = bfpDotRef(A, B, K, N, i, j, arith);
        if (bits[o] !== ref.code || got.flags[o] !== ref.flags) {
          throw new Error(`${what}: output (${i}, ${j}): kernel 0x${bits[o].toString(16)} flags ${got.flags[o]}, BigInt reference 0x${ref.code.toString(16)} flags ${ref.flags}`);
        }
      }
      expect(got.quant.a.flags, `${what}: A quantizer flags`).toBe(goldenQuantFlags(A, M, K, (v, k) => v * K + k, arith, 'a'));
      expect(got.quant.b.flags, `${what}: B quantizer flags`).toBe(goldenQuantFlags(B, N, K, (v, k) => k * N + v, arith, 'b'));
    }), runs(150));
  });

  it('hand-worked: man 2, one block; rne ties to even, saturation of the block maximum', () => {
    // A = [1.5, 0.25]: E = 0, grid 2^−1 → [3, 0.5 → 0 (tie, even)]; B = [1, 1]: E = 0 → [2, 2].
    // Σ = 3·2 + 0·2 = 6, scale 2^(0 − 1 + 0 − 1) → 1.5.
    const arith = { ...bfpGemmSpec({ manA: 2, manB: 2, quantize: { a: 'rne', b: 'rne' } }), seed: 0 };
    const r = bfpGemm(Float32Array.of(1.5, 0.25), Float32Array.of(1, 1), 1, 2, 1, arith);
    expect(r.c[0]).toBe(1.5);
    expect(r.quant.a).toEqual({ overflow: 0, underflow: 1, invalid: 0, flags: 12 });
    // 1.9 → 3.8 quanta of 2^−1 → 4 > 3: saturates at 3 (overflow), E is not bumped.
    expect(bfpGemm(Float32Array.of(1.9), Float32Array.of(1), 1, 1, 1, arith).c[0]).toBe(1.5);
  });

  it('threads do not change the bits; subnormal results are rounded natively, as golden', () => {
    const arith = { ...bfpGemmSpec({ manA: 4, manB: 3 }), seed: 7 };
    const M = 37, K = 75, N = 23;
    const A = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i) * 2 ** -80);
    const B = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i * 1.3) * 2 ** -72);
    const one = bfpGemm(A, B, M, K, N, arith, { threads: 1 });
    const two = bfpGemm(A, B, M, K, N, arith, { threads: 2 });
    expect(Array.from(new Uint32Array(two.c.buffer))).toEqual(Array.from(new Uint32Array(one.c.buffer)));
    expect(Array.from(two.flags)).toEqual(Array.from(one.flags));
    const bits = new Uint32Array(one.c.buffer);
    for (const o of [0, 1, 100, 500, M * N - 1]) {
      const want = bfpDotGolden(A, B, K, N, Math.floor(o / N), o % N, arith);
      expect([bits[o], one.flags[o]]).toEqual([want.code, want.flags]);
    }
    expect(one.flags.some((f) => f & 4)).toBe(true); // underflow happened
    expect(one.goldenOutputs).toBeLessThan(M * N / 10); // only −0 accumulators that met a zero block
  });

  it('−0 accumulator then a zero block: golden decides (+0 under rne)', () => {
    // Block 1: −2^−100 · 2^−60 = −2^−160 rounds to −0 (underflow); block 2: +0·+0 = +0, and −0 + +0 = +0.
    const arith = { ...bfpGemmSpec({ manA: 3, manB: 3, block: 1, quantize: { a: 'rne', b: 'rne' } }), seed: 0 };
    const r = bfpGemm(Float32Array.of(-(2 ** -100), 0), Float32Array.of(2 ** -60, 0), 1, 2, 1, arith);
    expect([new Uint32Array(r.c.buffer)[0], r.flags[0], r.goldenOutputs]).toEqual([0, 12, 1]);
    expect(bfpDotRef(Float32Array.of(-(2 ** -100), 0), Float32Array.of(2 ** -60, 0), 2, 1, 0, 0, arith)).toEqual({ code: 0, flags: 12 });
    // Without the zero block the result is −0.
    const neg = bfpGemm(Float32Array.of(-(2 ** -100)), Float32Array.of(2 ** -60), 1, 1, 1, arith);
    expect([new Uint32Array(neg.c.buffer)[0], neg.flags[0], neg.goldenOutputs]).toEqual([0x80000000, 12, 0]);
  });

  it('rejects widths, blocks and modes it cannot compute, naming the field', () => {
    expect(() => bfpGemmSpec({ manA: 16, manB: 4 })).toThrow(/^bfp\.manA: must be an integer in 1\.\.15, got 16/);
    expect(() => bfpGemmSpec({ manA: 4, manB: 4, block: 0 })).toThrow(/^bfp\.block:/);
    expect(() => bfpGemmSpec({ manA: 4, manB: 4, quantize: { a: 'rtz' } })).toThrow(/^bfp\.quantize\.a: must be rne \| sr, got "rtz"/);
    const arith = { ...bfpGemmSpec({ manA: 4, manB: 4 }), seed: 1 };
    expect(() => bfpGemm(new Float32Array(3), new Float32Array(2), 1, 2, 1, arith)).toThrow(/^A: must hold M·K = 2 values, got 3/);
  });
});
