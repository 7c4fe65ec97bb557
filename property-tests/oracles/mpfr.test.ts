// Tests of the MPFR oracle itself on hand-worked values, plus a cross-check against a direct
// BigInt transcription of the contract (contract-ref.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMpfrOracle, type MpfrOracle, type OracleFormat, type OracleMode, type OracleRounding } from './mpfr.ts';
import { refOp } from './contract-ref.ts';

const fmt = (exp: number, man: number, specials: OracleFormat['specials'], subnormals = true, overflow: OracleFormat['overflow'] = 'infinity'): OracleFormat =>
  ({ exp, man, specials, subnormals, overflow });
const FP32 = fmt(8, 23, 'ieee');
const FP16 = fmt(5, 10, 'ieee');
const FP16SAT = fmt(5, 10, 'ieee', true, 'saturate');
const FP16N = fmt(5, 10, 'ieee', false);
const E5M2 = fmt(5, 2, 'ieee');
const E4M3 = fmt(4, 3, 'fn', true, 'saturate');
const E4M3I = fmt(4, 3, 'fn', true, 'infinity');
const E2M1 = fmt(2, 1, 'finite');
const E2M1N = fmt(2, 1, 'finite', false);
const E2M3 = fmt(2, 3, 'finite');
const E3M2 = fmt(3, 2, 'finite');

/** IEEE binary32 bits of x (x must be exactly representable); JS Float32Array is the reference. */
function f32(x: number): number {
  const f = new Float32Array([x]);
  if (f[0] !== x && !(Number.isNaN(x) && Number.isNaN(f[0]))) throw new Error(`${x} is not a float32`);
  return new Uint32Array(f.buffer)[0];
}
const RNE: OracleRounding = { mode: 'rne' };
const m = (mode: OracleMode): OracleRounding => ({ mode });
const sr = (rbits: number, rand: number): OracleRounding => ({ mode: 'sr', rbits, rand });
const IX = ['inexact'];
const UF = ['underflow', 'inexact'];
const OF = ['overflow', 'inexact'];

let o: MpfrOracle;
beforeAll(async () => { o = await createMpfrOracle(); });
afterAll(() => o.dispose());
/** convert fp32 value x into `to`. */
const cv = (x: number, to: OracleFormat, r: OracleRounding = RNE) => o.convert(f32(x), FP32, to, r);

describe('decoding (convert to fp32 is exact)', () => {
  it('e2m1 codes 0..15', () => {
    // bias 1, emin 0: code 1 = subnormal 1*2^(0-1) = 0.5; 2,3 = 1.0,1.5 (field 1); 4,5 = 2,3; 6,7 = 4,6.
    const vals = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
    for (let c = 0; c < 16; c++) expect(o.convert(c, E2M1, FP32, RNE)).toEqual({ code: f32(c < 8 ? vals[c] : -vals[c - 8]), flags: [] });
  });
  it('maxima of e2m3, e3m2, e4m3, fp16', () => {
    expect(o.convert(0x1f, E2M3, FP32, RNE).code).toBe(f32(7.5)); // field 3: 1.875 * 2^(3-1)
    expect(o.convert(0x1f, E3M2, FP32, RNE).code).toBe(f32(28)); // field 7: 1.75 * 2^(7-3)
    expect(o.convert(0x7e, E4M3, FP32, RNE).code).toBe(0x43e00000); // 1.75 * 2^8 = 448: exp 135, frac 0x600000
    expect(o.convert(0x7bff, FP16, FP32, RNE).code).toBe(0x477fe000); // 65504 = (2 - 2^-10) 2^15
  });
  it('small values, specials', () => {
    expect(o.convert(0x01, E4M3, FP32, RNE).code).toBe(f32(2 ** -9)); // 1 * 2^(emin - M) = 2^(-6-3)
    expect(o.convert(0x0001, FP16, FP32, RNE).code).toBe(0x33800000); // 2^-24: exp field 103
    expect(o.convert(0x0400, FP16, FP32, RNE).code).toBe(0x38800000); // 2^-14: exp field 113
    expect(o.convert(0x7c00, FP16, FP32, RNE)).toEqual({ code: 0x7f800000, flags: [] }); // +Inf
    expect(o.convert(0xfc00, FP16, FP32, RNE)).toEqual({ code: 0xff800000, flags: [] }); // -Inf
    expect(o.convert(0xfe01, FP16, FP32, RNE)).toEqual({ code: 0x7fc00000, flags: [] }); // any NaN -> canonical
    expect(o.convert(0x7f, E4M3, FP32, RNE).code).toBe(0x7fc00000); // S.1111.111 is NaN
    expect(o.convert(0xff, E4M3, FP32, RNE).code).toBe(0x7fc00000);
    expect(o.convert(0x78, E4M3, FP32, RNE).code).toBe(f32(256)); // fn: top field is normal, 2^(15-7)
  });
  it('subnormals=false reads subnormal codes as signed zero', () => {
    expect(o.convert(0x1, E2M1N, FP32, RNE).code).toBe(0); // would be 0.5
    expect(o.convert(0x9, E2M1N, FP32, RNE).code).toBe(0x80000000); // -0.5 -> -0
    expect(o.convert(0x03ff, FP16N, FP32, RNE).code).toBe(0);
  });
});

describe('binary16 rounding', () => {
  it('near max: overflow is decided after rounding', () => {
    expect(cv(65519, FP16)).toEqual({ code: 0x7bff, flags: IX }); // 65504 + 15, quantum 32: f < 1/2
    // 65520 = tie between 65504 (significand 2047, odd) and 65536 (even) -> 65536 > max -> +Inf
    expect(cv(65520, FP16)).toEqual({ code: 0x7c00, flags: OF });
    expect(cv(65520, FP16, m('rtz'))).toEqual({ code: 0x7bff, flags: IX }); // rounds to 65504 = max: no overflow
    expect(cv(65520, FP16SAT)).toEqual({ code: 0x7bff, flags: OF });
  });
  it('overflow per mode (70000 rounds above max in every mode)', () => {
    expect(cv(70000, FP16, m('rne')).code).toBe(0x7c00);
    expect(cv(70000, FP16, m('rna')).code).toBe(0x7c00);
    expect(cv(70000, FP16, m('rup')).code).toBe(0x7c00);
    expect(cv(70000, FP16, m('rdn')).code).toBe(0x7bff);
    expect(cv(70000, FP16, m('rtz')).code).toBe(0x7bff);
    expect(cv(70000, FP16, m('rto')).code).toBe(0x7bff);
    expect(cv(-70000, FP16, m('rup')).code).toBe(0xfbff);
    expect(cv(-70000, FP16, m('rdn'))).toEqual({ code: 0xfc00, flags: OF });
    expect(cv(-70000, FP16SAT, m('rdn'))).toEqual({ code: 0xfbff, flags: OF });
  });
  it('ties', () => {
    // 1 + 2^-11: tie between 1 (significand 1024, even) and 1 + 2^-10 (1025, odd)
    expect(cv(1 + 2 ** -11, FP16)).toEqual({ code: 0x3c00, flags: IX });
    expect(cv(1 + 2 ** -11, FP16, m('rna')).code).toBe(0x3c01);
    expect(cv(1 + 2 ** -11, FP16, m('rto')).code).toBe(0x3c01); // lo even -> odd neighbour
    // 1 + 3*2^-11: tie between 1025 (odd) and 1026 (even)
    expect(cv(1 + 3 * 2 ** -11, FP16).code).toBe(0x3c02);
    expect(cv(1 + 3 * 2 ** -11, FP16, m('rto')).code).toBe(0x3c01); // lo 1025 is odd -> stays
    expect(cv(-(1 + 3 * 2 ** -11), FP16, m('rna')).code).toBe(0xbc02);
  });
  it('subnormals and underflow', () => {
    expect(cv(2 ** -24, FP16)).toEqual({ code: 0x0001, flags: [] }); // exact tiny: no underflow
    expect(cv(2 ** -25, FP16)).toEqual({ code: 0x0000, flags: UF }); // tie 0 / 2^-24: zero is even
    expect(cv(-(2 ** -25), FP16)).toEqual({ code: 0x8000, flags: UF }); // keeps the sign
    expect(cv(2 ** -25, FP16, m('rna')).code).toBe(0x0001);
    expect(cv(-(2 ** -25), FP16, m('rup')).code).toBe(0x8000);
    expect(cv(-(2 ** -25), FP16, m('rdn')).code).toBe(0x8001);
    expect(cv(2 ** -30, FP16, m('rto'))).toEqual({ code: 0x0001, flags: UF }); // rto never gives zero
    expect(cv(3 * 2 ** -25, FP16).code).toBe(0x0002); // 1.5 quanta: tie 1 (odd) / 2 (even)
  });
  it('tininess after rounding', () => {
    // 2^-14 - 2^-26: at 11 bits unbounded it lies in [2^-15, 2^-14), quantum 2^-25: tie between
    // 2047*2^-25 (odd) and 2048*2^-25 = 2^-14 -> rounds to 2^-14, not tiny. Subnormal grid: f = 3/4 -> 2^-14.
    expect(cv(2 ** -14 - 2 ** -26, FP16)).toEqual({ code: 0x0400, flags: IX });
    // 2^-14 - 2^-25 is exact at 11 bits (< 2^-14: tiny); subnormal grid: tie 1023 (odd) / 1024 -> 2^-14
    expect(cv(2 ** -14 - 2 ** -25, FP16)).toEqual({ code: 0x0400, flags: UF });
  });
  it('no-subnormal fp16: tie at 2^(emin-1) = 2^-15', () => {
    expect(cv(2 ** -15, FP16N)).toEqual({ code: 0, flags: UF });
    expect(cv(2 ** -15, FP16N, m('rna'))).toEqual({ code: 0x0400, flags: UF });
    expect(cv(2 ** -24, FP16N, m('rto')).code).toBe(0x0400);
    expect(cv(1.5 * 2 ** -15, FP16N).code).toBe(0x0400); // f = 3/4
  });
});

describe('OCP E4M3 (fn) and E2M1 (finite)', () => {
  it('E4M3 ties and overflow', () => {
    // [256, 512): quantum 32; 448 = 14*32 (even) and 480 = 15*32 -> 464 ties to 448
    expect(cv(464, E4M3)).toEqual({ code: 0x7e, flags: IX });
    expect(cv(464, E4M3, m('rna'))).toEqual({ code: 0x7e, flags: OF }); // 480 > 448, saturate
    expect(cv(464, E4M3I, m('rna'))).toEqual({ code: 0x7f, flags: OF }); // "Inf" is NaN in fn
    expect(cv(480, E4M3I, m('rtz'))).toEqual({ code: 0x7e, flags: OF }); // on the grid but > max
    expect(o.mul(0x58, E4M3, 0x60, E4M3, E4M3, RNE)).toEqual({ code: 0x7e, flags: OF }); // 16 * 32 = 512
    expect(cv(-1000, E4M3I, m('rup'))).toEqual({ code: 0xfe, flags: OF }); // -max
  });
  it('E4M3 specials and subnormals', () => {
    expect(o.mul(0x7f, E4M3, 0x38, E4M3, E4M3, RNE)).toEqual({ code: 0x7f, flags: [] }); // NaN * 1
    expect(o.convert(0x7c00, FP16, E4M3, RNE)).toEqual({ code: 0x7e, flags: OF }); // Inf -> max
    expect(o.convert(0xfc00, FP16, E4M3, RNE)).toEqual({ code: 0xfe, flags: OF });
    expect(o.convert(0x7c00, FP16, E4M3I, RNE)).toEqual({ code: 0x7f, flags: OF }); // Inf -> NaN
    expect(cv(2 ** -10, E4M3)).toEqual({ code: 0, flags: UF }); // half the smallest subnormal 2^-9
    expect(cv(2 ** -10, E4M3, m('rup'))).toEqual({ code: 0x01, flags: UF });
    expect(cv(1.0, E4M3)).toEqual({ code: 0x38, flags: [] }); // field 7 = bias
  });
  it('E2M1 rounding', () => {
    expect(cv(5, E2M1)).toEqual({ code: 0x6, flags: IX }); // [4,8) quantum 2: tie 4 (2, even) / 6 (3)
    expect(cv(5, E2M1, m('rna')).code).toBe(0x7);
    expect(cv(7, E2M1)).toEqual({ code: 0x7, flags: OF }); // tie 6 (odd) / 8 (even) -> 8 > 6: saturate
    expect(cv(0.25, E2M1)).toEqual({ code: 0, flags: UF }); // tie 0 / 0.5
    expect(cv(0.25, E2M1, m('rna'))).toEqual({ code: 0x1, flags: UF });
    // 0.75: tie 0.5 (1 quantum, odd) / 1 (even) -> 1.0; 0.75 = 1.1b * 2^-1 is exact at 2 bits and < 1: tiny
    expect(cv(0.75, E2M1)).toEqual({ code: 0x2, flags: UF });
    expect(o.mul(0x7, E2M1, 0xf, E2M1, E2M1, RNE)).toEqual({ code: 0xf, flags: OF }); // 6 * -6 = -36
  });
  it('finite formats: NaN -> +0 invalid, Inf saturates', () => {
    expect(o.convert(0x7e00, FP16, E2M1, RNE)).toEqual({ code: 0, flags: ['invalid'] });
    expect(o.convert(0xfc00, FP16, E2M1, RNE)).toEqual({ code: 0xf, flags: OF });
    expect(o.mul(0x7c00, FP16, 0x0000, FP16, E2M1, RNE)).toEqual({ code: 0, flags: ['invalid'] });
  });
  it('E2M1 without subnormals (grid {0, 1} below 2^emin = 1)', () => {
    expect(cv(0.5, E2M1N)).toEqual({ code: 0, flags: UF }); // tie: zero counts as even
    expect(cv(0.5, E2M1N, m('rna'))).toEqual({ code: 0x2, flags: UF });
    expect(cv(0.5, E2M1N, m('rup')).code).toBe(0x2);
    expect(cv(0.5, E2M1N, m('rtz')).code).toBe(0x0);
    expect(cv(-0.5, E2M1N, m('rdn')).code).toBe(0xa);
    expect(cv(0.75, E2M1N).code).toBe(0x2); // f = 3/4
    expect(cv(0.25, E2M1N, m('rto')).code).toBe(0x2);
    expect(cv(0.75, E2M1N, sr(2, 0)).code).toBe(0x0); // F = 3, 3 + 0 < 4
    expect(cv(0.75, E2M1N, sr(2, 1)).code).toBe(0x2); // 3 + 1 >= 4
    expect(o.mul(0x2, E2M1N, 0x2, E2M1N, E2M1N, RNE)).toEqual({ code: 0x2, flags: [] });
  });
});

describe('signed zeros, specials, invalid (fp16)', () => {
  const add = (a: number, b: number, r = RNE) => o.add(a, FP16, b, FP16, FP16, r);
  it('zero sums', () => {
    expect(add(0x3c00, 0xbc00)).toEqual({ code: 0x0000, flags: [] }); // 1 + (-1) = +0
    expect(add(0x3c00, 0xbc00, m('rdn')).code).toBe(0x8000);
    expect(add(0x3c00, 0xbc00, sr(4, 15)).code).toBe(0x0000);
    expect(add(0x3c00, 0xbc00, m('rto')).code).toBe(0x0000);
    expect(add(0x8000, 0x8000, m('rup')).code).toBe(0x8000); // (-0) + (-0) = -0
    expect(add(0x0000, 0x8000).code).toBe(0x0000);
    expect(add(0x0000, 0x8000, m('rdn')).code).toBe(0x8000);
    expect(add(0x3c00, 0x8000)).toEqual({ code: 0x3c00, flags: [] }); // x + (-0) = x
  });
  it('products and fma zeros', () => {
    expect(o.mul(0x8000, FP16, 0x4200, FP16, FP16, RNE).code).toBe(0x8000); // -0 * 3
    // -2^-14 * 2^-14 = -2^-28 < half of 2^-24: rounds to -0
    expect(o.mul(0x8400, FP16, 0x0400, FP16, FP16, RNE)).toEqual({ code: 0x8000, flags: UF });
    const fma = (a: number, b: number, c: number, r = RNE) => o.fma(a, FP16, b, FP16, c, FP16, FP16, r);
    expect(fma(0x0000, 0x3c00, 0x8000).code).toBe(0x0000);
    expect(fma(0x0000, 0x3c00, 0x8000, m('rdn')).code).toBe(0x8000);
    expect(fma(0x8000, 0x3c00, 0x8000).code).toBe(0x8000);
    expect(fma(0x4000, 0x4200, 0xc600).code).toBe(0x0000); // 2*3 - 6
    expect(fma(0x4000, 0x4200, 0xc600, m('rdn')).code).toBe(0x8000);
  });
  it('infinities and invalid operations', () => {
    const INV = { code: 0x7e00, flags: ['invalid'] };
    expect(o.mul(0x7c00, FP16, 0x0000, FP16, FP16, RNE)).toEqual(INV);
    expect(o.mul(0x7c00, FP16, 0xc000, FP16, FP16, RNE)).toEqual({ code: 0xfc00, flags: [] }); // Inf * -2
    expect(add(0x7c00, 0xfc00)).toEqual(INV);
    expect(add(0x7c00, 0x3c00)).toEqual({ code: 0x7c00, flags: [] });
    expect(o.fma(0x0000, FP16, 0x7c00, FP16, 0x3c00, FP16, FP16, RNE)).toEqual(INV); // 0*Inf + 1
    expect(o.fma(0x7c00, FP16, 0x3c00, FP16, 0xfc00, FP16, FP16, RNE)).toEqual(INV); // Inf - Inf
    expect(o.fma(0x3c00, FP16, 0x3c00, FP16, 0xfc00, FP16, FP16, RNE)).toEqual({ code: 0xfc00, flags: [] });
    expect(o.fma(0x7e00, FP16, 0x0000, FP16, 0x7c00, FP16, FP16, RNE)).toEqual({ code: 0x7e00, flags: [] }); // NaN first
    expect(o.convert(0x7e00, FP16, E5M2, RNE).code).toBe(0x7e); // 0 11111 10
  });
});

describe('fused and stochastic rounding', () => {
  it('fma rounds once', () => {
    // fp16: (1+2^-6)^2 - 1 = 2^-5 + 2^-12 exactly = 2^-5 (1 + 2^-7): field 10, frac 8
    expect(o.fma(0x3c10, FP16, 0x3c10, FP16, 0xbc00, FP16, FP16, RNE)).toEqual({ code: 0x2808, flags: [] });
    // rounding the product first would give 1 + 2^-5 (0x3c20), then 2^-5 = 0x2800
    expect(o.mul(0x3c10, FP16, 0x3c10, FP16, FP16, RNE).code).toBe(0x3c20); // 1 + 2^-5: the 2^-12 is a quarter ulp
    // fp32: (1+2^-12)^2 = 1 + 2^-11 + 2^-24: tie at 2^-23 quantum, lo frac 2^12 even
    expect(o.mul(0x3f800800, FP32, 0x3f800800, FP32, FP32, RNE)).toEqual({ code: 0x3f801000, flags: IX });
    // ... minus 1 exactly: 2^-11 (1 + 2^-13): exp field 116, frac 2^10
    expect(o.fma(0x3f800800, FP32, 0x3f800800, FP32, 0xbf800000, FP32, FP32, RNE)).toEqual({ code: 0x3a000400, flags: [] });
  });
  it('sr: F = floor(f * 2^r), up iff F + R >= 2^r', () => {
    // 1 + 2^-12 in fp16: f = 1/4
    expect(cv(1 + 2 ** -12, FP16, sr(2, 3))).toEqual({ code: 0x3c01, flags: IX }); // F = 1, 1 + 3 >= 4
    expect(cv(1 + 2 ** -12, FP16, sr(2, 2))).toEqual({ code: 0x3c00, flags: IX });
    expect(cv(1 + 2 ** -12, FP16, sr(1, 1)).code).toBe(0x3c00); // F = 0: 0 + 1 < 2
    expect(cv(1 + 2 ** -12, FP16, sr(24, 2 ** 24 - 2 ** 22))).toEqual({ code: 0x3c01, flags: IX }); // F = 2^22
    expect(cv(1 + 2 ** -12, FP16, sr(24, 2 ** 24 - 2 ** 22 - 1)).code).toBe(0x3c00);
    expect(cv(1.5, FP16, sr(8, 255))).toEqual({ code: 0x3e00, flags: [] }); // exact: never moves
    // 70000: [65536, 131072) quantum 64, lo = 69952 > max, f = 48/64 -> F = 3 with r = 2
    expect(cv(70000, FP16, sr(2, 0))).toEqual({ code: 0x7bff, flags: OF }); // rounded down: max
    expect(cv(70000, FP16, sr(2, 1))).toEqual({ code: 0x7c00, flags: OF }); // rounded up: Inf
    expect(cv(65520, FP16, sr(1, 0))).toEqual({ code: 0x7bff, flags: IX }); // 65504, no overflow
  });
  it('rto', () => {
    expect(cv(1 + 2 ** -12, FP16, m('rto')).code).toBe(0x3c01);
    expect(cv(1 + 2 ** -10 + 2 ** -12, FP16, m('rto')).code).toBe(0x3c01);
    expect(cv(2, FP16, m('rto'))).toEqual({ code: 0x4000, flags: [] }); // exact: unchanged
  });
  it('rejects bad arguments', () => {
    expect(() => cv(1, FP16, sr(0, 0))).toThrow();
    expect(() => cv(1, FP16, sr(2, 4))).toThrow();
    expect(() => o.convert(0x100, E4M3, FP16, RNE)).toThrow();
  });
});

describe('cross-check against the BigInt contract transcription', () => {
  const MODES: OracleRounding[] = [m('rne'), m('rna'), m('rtz'), m('rup'), m('rdn'), m('rto'), sr(1, 1), sr(3, 5), sr(12, 3000)];
  const same = (got: unknown, exp: unknown, what: unknown) => { if (JSON.stringify(got) !== JSON.stringify(exp)) expect({ what, got }).toEqual({ what, got: exp }); };
  it('exhaustive small formats: mul, add, fma', () => {
    const small = [E2M1, E2M1N, fmt(3, 1, 'ieee'), fmt(2, 2, 'fn', true, 'infinity')];
    for (const f of small) for (const to of [...small, E4M3I, fmt(3, 2, 'finite', false)]) for (const r of MODES) {
      const n = 2 ** (1 + f.exp + f.man);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
        same(o.mul(a, f, b, f, to, r), refOp('mul', [a, b], [f, f], to, r), ['mul', a, b, f, to, r]);
        same(o.add(a, f, b, f, to, r), refOp('add', [a, b], [f, f], to, r), ['add', a, b, f, to, r]);
        const c = (a * 7 + b * 3) % n;
        same(o.fma(a, f, b, f, c, f, to, r), refOp('fma', [a, b, c], [f, f, f], to, r), ['fma', a, b, c, f, to, r]);
      }
    }
  });
  it('random fp32/fp16/bf16 operands', () => {
    let s = 12345;
    const rnd = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return Math.floor((s / 2 ** 32) * n); };
    const fmts = [FP32, FP16, fmt(8, 7, 'ieee', false, 'saturate'), FP16N, E4M3, E5M2];
    for (let i = 0; i < 20000; i++) {
      const to = fmts[rnd(fmts.length)], f = i & 1 ? FP32 : to, r = MODES[rnd(MODES.length)];
      const e = (x: number) => (rnd(2) * 2 ** 31 + Math.min(254, Math.max(0, x + rnd(7) - 3)) * 2 ** 23 + rnd(2 ** 23)) >>> 0;
      const ea = 70 + rnd(60), eb = 70 + rnd(60);
      const cs = f === FP32 ? [e(ea), e(eb), e(Math.max(1, ea + eb - 127))] : [rnd(2 ** 16), rnd(2 ** 16), rnd(2 ** 16)].map((x) => x % 2 ** (1 + f.exp + f.man));
      same(o.fma(cs[0], f, cs[1], f, cs[2], f, to, r), refOp('fma', cs, [f, f, f], to, r), ['fma', cs, f, to, r]);
      same(o.add(cs[0], f, cs[2], f, to, r), refOp('add', [cs[0], cs[2]], [f, f], to, r), ['add', cs, f, to, r]);
      same(o.convert(cs[1], f, to, r), refOp('convert', [cs[1]], [f], to, r), ['convert', cs, f, to, r]);
    }
  });
});
