// Hand-worked integer and fixed-point cases (docs/arithmetic.md §7.3).
import { describe, expect, it } from 'vitest';
import { rawsOfNumbers } from './grid.ts';
import { intDequantize, intFormat, intQuantize } from './int.ts';
import { flagNames, type Mode } from './rounding.ts';

const q = (fmt: object | string, xs: number[], mode: Mode = 'rne') => {
  const f = intFormat(fmt);
  const v = intQuantize(rawsOfNumbers(xs), f, { mode });
  return { exp: v.exp, codes: v.codes, flags: flagNames(v.flags), values: intDequantize(v, f) };
};

describe('integer and fixed-point quantize', () => {
  it('int8 auto scale puts amax\'s leading bit on bit 6', () => {
    // amax 3 → ⌊log2⌋ = 1, s = 1 − 6 = −5: 3 → 96, −0.1 → −3.2 → −3 (0xfd).
    expect(q('int8', [3, -0.1])).toEqual({ exp: -5, codes: [96, 0xfd], flags: ['inexact'], values: [3, -3 / 32] });
  });

  it('two\'s complement reaches −2^(w−1); symmetric saturates at −(2^(w−1) − 1)', () => {
    // fixed8.4: scale 2^−4, range −128..127: −8 → −128 (0x80) fits; 8 → 128 saturates to 127.
    expect(q('fixed8.4', [-8, 8])).toEqual({ exp: -4, codes: [0x80, 0x7f], flags: ['overflow', 'inexact'], values: [-8, 127 / 16] });
    expect(q({ width: 8, signed: 'symmetric', scale: -4 }, [-8]).codes).toEqual([0x81]);
  });

  it('fixed(wl, fl) rounds with every mode', () => {
    // fixed6.2: grid 1/4. −1.125 is a tie between −1 (k = 4, even) and −1.25 (k = 5).
    const at = (mode: Mode) => q({ kind: 'fixed', wl: 6, fl: 2 }, [-1.125], mode).values[0];
    expect(['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto'].map((m) => at(m as Mode))).toEqual([-1, -1.25, -1, -1, -1.25, -1.25]);
  });

  it('values below half the grid vanish with underflow; Inf saturates; NaN is 0 with invalid', () => {
    expect(q('fixed8.0', [0.4, Infinity, -Infinity, NaN])).toEqual({ exp: 0, codes: [0, 127, 0x80, 0], flags: ['invalid', 'overflow', 'underflow', 'inexact'], values: [0, 127, -128, 0] });
  });

  it.each([
    ['int1', /^fmt\.width: must be an integer in 2\.\.32, got 1$/],
    ['uint8', /^fmt: unknown integer format "uint8"/],
    [{ width: 8, signed: 'unsigned' }, /^fmt\.signed: must be one of twos \| symmetric/],
    [{ kind: 'fixed', wl: 8 }, /^fmt\.fl: is required$/],
    [{ width: 8, scale: 1.5 }, /^fmt\.scale: must be an integer/],
  ])('%j is rejected naming the field', (spec, msg) => {
    expect(() => intFormat(spec)).toThrow(msg);
  });
});
