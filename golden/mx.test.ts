// Hand-worked MX cases (docs/arithmetic.md §7.2); every expectation is derived in its comment.
import { describe, expect, it } from 'vitest';
import { rawOf, rawOfNumber } from './exact.ts';
import { format } from './format.ts';
import { rawsOfCodes, rawsOfNumbers } from './grid.ts';
import { E8M0_NAN, mxDequantize, mxFormat, mxQuantize, mxScale, type ScaleMode } from './mx.ts';
import { flagNames } from './rounding.ts';

const f32 = (x: number) => { const v = new DataView(new ArrayBuffer(4)); v.setFloat32(0, x); return v.getUint32(0); };
const fromBits = (c: number) => { const v = new DataView(new ArrayBuffer(4)); v.setUint32(0, c); return v.getFloat32(0); };
const q = (fmt: string, xs: number[], scale: ScaleMode = 'floor') => {
  const v = mxQuantize(rawsOfNumbers(xs), mxFormat(fmt), scale, { mode: 'rne' });
  return { scales: v.scales, codes: v.codes, flags: flagNames(v.flags) };
};

describe('MX scale selection', () => {
  // amax = 480 = 1.875·2^8; e4m3 emax = 8, max 448.
  it('floor: s = ⌊log2 amax⌋ − emax; the OCP rule may saturate the largest element', () => {
    // s = 8 − 8 = 0 (code 127): 480 saturates to 448 (0x7e); 1.0 is 0x38.
    expect(q('mxfp8-e4m3', [1, 480])).toEqual({ scales: [127], codes: [0x38, 0x7e], flags: ['overflow', 'inexact'] });
  });
  it('ceil: the smallest X with amax ≤ X·max (480 > 448·2^0, so s = 1)', () => {
    // 240 = 1.875·2^7: field 14, fraction 7 → 0x77; 0.5 → 0x30.
    expect(q('mxfp8-e4m3', [1, 480], 'ceil')).toEqual({ scales: [128], codes: [0x30, 0x77], flags: [] });
    // amax = 448 exactly fits at s = 0.
    expect(q('mxfp8-e4m3', [448], 'ceil').scales).toEqual([127]);
  });
  it('even: amax rounded to man+1 bits with ties away, then floor', () => {
    // 496 = 1.9375·2^8 rounds (4 bits) to 512: s = 1; 248 is the tie 240 | 256 → 256 (0x78, even).
    expect(q('mxfp8-e4m3', [1, 496], 'even')).toEqual({ scales: [128], codes: [0x30, 0x78], flags: ['inexact'] });
    // 464 = 1.8125·2^8 rounds to 1.75·2^8 (4 bits): s stays 0.
    expect(q('mxfp8-e4m3', [464], 'even').scales).toEqual([127]);
  });
  it('rceil: ⌈log2 fl32(amax / max)⌉ — equal to ceil for fp32 inputs, not always for doubles', () => {
    expect(q('mxfp8-e4m3', [1, 480], 'rceil').scales).toEqual([128]);
    // amax = (127/64)(1 + 2^−40) as a double: amax/max = 1 + 2^−40 rounds to 1.0 in fp32, so
    // rceil keeps s = 0 (127·(1 + 2^−40) rounds to 127), while ceil moves to s = 1.
    const amax = (127 / 64) * (1 + 2 ** -40);
    expect(q('mxint8', [amax], 'rceil')).toEqual({ scales: [127], codes: [127], flags: ['inexact'] });
    expect(q('mxint8', [amax], 'ceil')).toEqual({ scales: [128], codes: [64], flags: ['inexact'] });
  });

  it('reads ⌊log2 amax⌋ from the bits: 2^k·(1 − 2^−24) is in binade k − 1 for every fp32 k', () => {
    // A log2 evaluated in fp32 (as a framework does on an fp32 tensor) rounds k − 8.6e−8 up to k
    // for most k: e.g. fl32(log2(0x417fffff = 15.999999)) = 4, giving s = 4 − 8 = −4 instead of −5.
    const e4m3 = mxFormat('mxfp8-e4m3');
    let naiveWrong = 0;
    for (let k = -100; k <= 127; k++) {
      const x = fromBits(f32(2 ** k) - 1); // the fp32 just below 2^k
      const naive = Math.floor(Math.fround(Math.log2(x))) - 8;
      const s = mxScale(rawsOfCodes([f32(x)]), e4m3, 'floor') - 127;
      expect(s).toBe(Math.max(-127, k - 1 - 8));
      if (naive !== k - 1 - 8) naiveWrong++;
    }
    expect(naiveWrong).toBeGreaterThan(100); // the naive rule fails on about half of the binades
    expect(Math.floor(Math.fround(Math.log2(fromBits(0x417fffff))))).toBe(4); // the pitfall itself
    // 0x3f7fffff = 1 − 2^−24 belongs to binade −1: s = −1 − 8.
    expect(mxScale(rawsOfCodes([0x3f7fffff]), e4m3, 'floor') - 127).toBe(-9);
    // With doubles even Math.log2 in double precision is off: log2(2^100·(1 − 2^−53)) rounds to 100.
    const d = 2 ** 100 * (1 - 2 ** -53);
    expect(Math.floor(Math.log2(d))).toBe(100);
    expect(mxScale([rawOfNumber(d)], e4m3, 'floor') - 127).toBe(99 - 8);
  });

  it('E8M0 clamps to [−127, 127]; a zero block gets 2^−127', () => {
    // 2^−149·… : s = −157 → −127 (code 0); 2^−149 / 2^−127 = 2^−22 underflows in e4m3.
    expect(q('mxfp8-e4m3', [2 ** -149])).toEqual({ scales: [0], codes: [0], flags: ['underflow', 'inexact'] });
    expect(q('mxfp8-e4m3', [0, -0])).toEqual({ scales: [0], codes: [0, 0x80], flags: [] });
    // 2^200 (a double): s = 192 → 127 (0xfe); 2^73 saturates at 448.
    expect(q('mxfp8-e4m3', [2 ** 200])).toEqual({ scales: [254], codes: [0x7e], flags: ['overflow', 'inexact'] });
  });

  it('NaN or Inf in a block gives scale NaN (0xFF) and +0 elements; other blocks are untouched', () => {
    // Second block: amax 2 → s = 1 − 15; the element 2/2^−14 = 2^15 is e5m2 field 30: 0x78.
    const xs = [...Array(31).fill(1), NaN, 2];
    expect(q('mxfp8-e5m2', xs)).toEqual({ scales: [E8M0_NAN, 127 + 1 - 15], codes: [...Array(32).fill(0), 0x78], flags: [] });
    expect(q('mxfp4-e2m1', [Infinity, 1])).toEqual({ scales: [E8M0_NAN], codes: [0, 0], flags: ['overflow', 'inexact'] });
    expect(mxDequantize({ scales: [E8M0_NAN], codes: [0x2], flags: 0 }, mxFormat('mxfp4-e2m1'))).toEqual([NaN]);
  });
});

describe('MX elements', () => {
  it('every element format, with saturation and the chosen rounding', () => {
    // e2m1, emax 2: amax 5 → s = 2 − 2 = 0; 5 is the tie 4 | 6 → 4 (even); 0.25 → 0 (tie 0 | 0.5).
    expect(q('mxfp4-e2m1', [5, 0.25, -1.5])).toEqual({ scales: [127], codes: [0x6, 0x0, 0xb], flags: ['underflow', 'inexact'] });
    // e3m2, emax 4: amax 30 → s = 0; 30 > 28 saturates to 28 (0x1f).
    expect(q('mxfp6-e3m2', [30])).toEqual({ scales: [127], codes: [0x1f], flags: ['overflow', 'inexact'] });
    // e2m3, emax 2: amax 7.9 → s = 0; 7.9 → 7.5 (0x1f) saturated.
    expect(q('mxfp6-e2m3', [7.9])).toEqual({ scales: [127], codes: [0x1f], flags: ['overflow', 'inexact'] });
    // sr: amax 2.25 → s = 1 − 2 = −1, element 4.5 between 4 (0x6) and 6 (0x7) with f = 1/4:
    // F = 1 (r = 2) rounds up iff R ≥ 3.
    const sr = (rand: number) => mxQuantize(rawsOfNumbers([2.25]), mxFormat('mxfp4-e2m1'), 'floor', { mode: 'sr', rbits: 2, rand: [rand] }).codes[0];
    expect([0, 1, 2, 3].map(sr)).toEqual([0x6, 0x6, 0x6, 0x7]);
  });

  it('MXINT8: two\'s complement i/64, quantized symmetrically to ±127, 0x80 read as −2', () => {
    // amax 1.999 → s = 0; −1.999·64 = −127.94 → −128 saturates to −127 (0x81).
    expect(q('mxint8', [1.999, -1.999, 0.5])).toEqual({ scales: [127], codes: [0x7f, 0x81, 0x20], flags: ['overflow', 'inexact'] });
    expect(mxDequantize({ scales: [128], codes: [0x80, 0x01], flags: 0 }, mxFormat('mxint8'))).toEqual([-4, 2 / 64]);
  });

  it('dequantize is exact: X · P_i', () => {
    const f = mxFormat('mxfp8-e4m3');
    const v = mxQuantize(rawsOfNumbers([3, 0.1, -448 * 4]), f, 'floor', { mode: 'rne' });
    // amax 1792 → s = 10 − 8 = 2, X = 4: 3/4 = 0.75 exact; 0.1/4 = 0.025 → e4m3 0.025390625.
    expect(mxDequantize(v, f)).toEqual([3, 0.025390625 * 4, -1792]);
  });

  it('a vector longer than one block gets one scale per block of 32 (the last one short)', () => {
    const v = q('mxfp8-e4m3', [...Array(32).fill(1), 256]);
    expect(v.scales).toEqual([127 - 8, 127]);
    expect(v.codes.length).toBe(33);
  });

  it('element formats reach MPFR-checked conversions (fp32 codes in)', () => {
    // 0x3f7fffff alone: s = −9, element (1 − 2^−24)·2^9 → 512 in e4m3 (rne), inexact.
    const v = mxQuantize(rawsOfCodes([0x3f7fffff]), mxFormat('mxfp8-e4m3'), 'floor', { mode: 'rne' });
    expect(v.codes).toEqual([0x7e]); // 512 > 448 saturates: the floor rule's known clipping
    expect(rawOf(0x7e, format({ exp: 4, man: 3, specials: 'fn', overflow: 'saturate' })).sig).toBe(14n);
  });

  it.each([
    ['mxfp9', /^fmt: unknown MX format "mxfp9"/],
    [{ elem: 'e4m4' }, /^fmt\.elem: must be one of/],
    [{ elem: 'e4m3', block: 0 }, /^fmt\.block: must be an integer in 1\.\.4096/],
    [{ elem: 'e4m3', size: 32 }, /^fmt\.size: unknown field/],
  ])('%j is rejected naming the field', (spec, msg) => {
    expect(() => mxFormat(spec)).toThrow(msg);
  });
});
