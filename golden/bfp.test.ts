// Hand-worked BFP cases (docs/arithmetic.md §7.1); every expectation is derived in its comment.
import { describe, expect, it } from 'vitest';
import { bfpDequantize, bfpFormat, bfpQuantize } from './bfp.ts';
import { rawsOfCodes, rawsOfNumbers } from './grid.ts';
import { flagNames, type Mode } from './rounding.ts';

const q = (fmt: object | string, xs: number[], mode: Mode = 'rne') => {
  const v = bfpQuantize(rawsOfNumbers(xs), bfpFormat(fmt), { mode });
  return { exps: v.exps, codes: v.codes, flags: flagNames(v.flags) };
};

describe('BFP quantize', () => {
  it('the block exponent is the largest leading bit; elements are man-bit magnitudes on 2^(E − man + 1)', () => {
    // man 3, block 4: amax 1.0 → E = 0, grid 2^−2: 1 → 4, 0.75 → 3, −0.3 → 1.2 → 1 (sign 8 + 1), 0.1 → 0.4 → 0.
    expect(q({ man: 3, block: 4 }, [1, 0.75, -0.3, 0.1])).toEqual({ exps: [0], codes: [4, 3, 9, 0], flags: ['underflow', 'inexact'] });
    // amax 6.5 → E = 2, grid 2^0: 6.5 → 6 (tie, even); 7.5 → 8 saturates at 7.
    expect(q({ man: 3, block: 2 }, [6.5, 1])).toEqual({ exps: [2], codes: [6, 1], flags: ['inexact'] });
    expect(q({ man: 3, block: 2 }, [7.5, 1])).toEqual({ exps: [2], codes: [7, 1], flags: ['overflow', 'inexact'] });
  });

  it('reads the exponent from the bits: 0x417fffff = 16(1 − 2^−24) is in binade 3, not 4', () => {
    // fl32(log2(15.999999)) = 4 would put the grid at 2^(4 − 8 + 1) = 1/8 and give 128 (no
    // saturation); the true E = 3 puts it at 1/16, where 255.99998 rounds to 256 and saturates.
    expect(Math.floor(Math.fround(Math.log2(15.999999046325684)))).toBe(4);
    const v = bfpQuantize(rawsOfCodes([0x417fffff]), bfpFormat({ man: 8, block: 1 }), { mode: 'rne' });
    expect(v.exps).toEqual([3]);
    expect(v.codes).toEqual([255]);
    expect(flagNames(v.flags)).toEqual(['overflow', 'inexact']);
    // Toward zero it stays in range: 255.99998 → 255, inexact only.
    expect(flagNames(bfpQuantize(rawsOfCodes([0x417fffff]), bfpFormat({ man: 8, block: 1 }), { mode: 'rtz' }).flags)).toEqual(['inexact']);
  });

  it('every mode, and sr with one random word per element', () => {
    // man 2, amax 3 → E = 1, grid 2^0: 2.5 is a tie between 2 and 3.
    const at = (mode: Mode) => q({ man: 2, block: 2 }, [3, -2.5], mode).codes[1];
    expect(['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto'].map((m) => at(m as Mode))).toEqual([6, 7, 6, 6, 7, 7]);
    // 2.25 → f = 1/4, F = 1 with r = 2: up iff R ≥ 3.
    const sr = (R: number) => bfpQuantize(rawsOfNumbers([3, 2.25]), bfpFormat({ man: 2, block: 2 }), { mode: 'sr', rbits: 2, rand: [0, R] }).codes[1];
    expect([0, 1, 2, 3].map(sr)).toEqual([2, 2, 2, 3]);
  });

  it('zero blocks take the lowest exponent; signs of zeros are kept', () => {
    expect(q({ man: 4, block: 2 }, [0, -0])).toEqual({ exps: [-128], codes: [0, 16], flags: [] });
  });

  it('Inf saturates at the top exponent, NaN becomes +0 with invalid', () => {
    // expBits 8: E = 127; 1.0 is far below the grid 2^(127 − 3 + 1) and underflows.
    expect(q({ man: 3, block: 3 }, [Infinity, -1, NaN])).toEqual({ exps: [127], codes: [7, 8, 0], flags: ['invalid', 'overflow', 'underflow', 'inexact'] });
  });

  it('the shared exponent is clamped to its expBits range', () => {
    // expBits 4: E in −8..7. 2^10 → E = 7, saturates; 2^−12 → E = −8, grid 2^−10: 2^−12 → 0.25 → 0.
    expect(q({ man: 3, block: 1, expBits: 4 }, [2 ** 10, 2 ** -12])).toEqual({ exps: [7, -8], codes: [7, 0], flags: ['overflow', 'underflow', 'inexact'] });
  });

  it('dequantize: (−1)^s · m · 2^(E − man + 1), exact', () => {
    const f = bfpFormat('bfp3b2');
    expect(bfpDequantize({ exps: [0, -3], codes: [7, 14, 4, 1], flags: 0 }, f)).toEqual([1.75, -1.5, 4 / 32, 1 / 32]);
  });

  it.each([
    [{ block: 4 }, /^fmt\.man: is required$/],
    [{ man: 0 }, /^fmt\.man: must be an integer in 1\.\.24, got 0$/],
    [{ man: 4, block: 0 }, /^fmt\.block: must be an integer in 1\.\.4096/],
    [{ man: 4, expBits: 12 }, /^fmt\.expBits: must be an integer in 2\.\.10/],
    [{ man: 4, mantissa: 3 }, /^fmt\.mantissa: unknown field/],
    ['bfp8', /^fmt: unknown BFP format name "bfp8"/],
  ])('%j is rejected naming the field', (spec, msg) => {
    expect(() => bfpFormat(spec)).toThrow(msg);
  });

  it('under sr the rand array must hold one word per element', () => {
    expect(() => bfpQuantize(rawsOfNumbers([1, 2]), bfpFormat('bfp3b2'), { mode: 'sr', rbits: 4, rand: [1] })).toThrow(/^rand: must be an array of 2 random words/);
    expect(() => bfpQuantize(rawsOfNumbers([1, 2]), bfpFormat('bfp3b2'), { mode: 'sr', rbits: 4, rand: [1, 16] })).toThrow(/^rand\[1\]: must be an integer in 0\.\.15/);
  });
});
