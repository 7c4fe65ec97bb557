import { describe, expect, it } from 'vitest';
import { ArithmeticInputError, format, PRESET_NAMES } from './format.ts';
import { toNumber } from './codec.ts';

describe('format presets', () => {
  it.each([
    ['fp32', 8, 23, 3.4028234663852886e38, 0x7fc00000],
    ['bf16', 8, 7, 3.3895313892515355e38, 0x7fc0],
    ['fp16', 5, 10, 65504, 0x7e00],
    ['e5m2', 5, 2, 57344, 0x7e],
    ['e4m3', 4, 3, 448, 0x7f],
    ['e3m2', 3, 2, 28, -1],
    ['e2m3', 2, 3, 7.5, -1],
    ['e2m1', 2, 1, 6, -1],
  ])('%s: E%iM%i, max %d, canonical NaN %i', (name, E, M, max, nan) => {
    const f = format(name);
    expect([f.exp, f.man]).toEqual([E, M]);
    expect(f.maxValue).toBe(max);
    expect(toNumber(f.maxCode, f)).toBe(max);
    expect(f.nanCode).toBe(nan);
    expect(f.name).toBe(name);
  });

  it('knows every preset by name', () => {
    expect(PRESET_NAMES).toEqual(['fp32', 'bf16', 'fp16', 'e5m2', 'e4m3', 'e3m2', 'e2m3', 'e2m1']);
  });

  it('reads e<E>m<M> as a plain ieee format, presets first', () => {
    expect(format('e5m10')).toBe(format('fp16'));
    expect(format('e3m4')).toMatchObject({ exp: 3, man: 4, specials: 'ieee', overflow: 'infinity', subnormals: true });
    expect(format('e4m3').specials).toBe('fn');
  });

  it('fills defaults; finite formats default to saturate', () => {
    expect(format({ exp: 5, man: 2 })).toBe(format('e5m2'));
    expect(format({ exp: 2, man: 1, specials: 'finite' })).toBe(format('e2m1'));
    expect(format({ exp: 4, man: 3, specials: 'fn', overflow: 'saturate' }).name).toBe('e4m3-fn-sat');
    expect(format({ exp: 5, man: 10, subnormals: false }).name).toBe('e5m10-nosub');
  });

  // bias 0, emin 1: subnormals frac·2^-1, the one normal binade 1.frac·2^1.
  it('E = 1 finite formats exist (every code is a number)', () => {
    const f = format({ exp: 1, man: 2, specials: 'finite' });
    expect(f.bias).toBe(0);
    expect(f.emax).toBe(1);
    expect(Array.from({ length: 8 }, (_, c) => toNumber(c, f))).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
  });
});

describe('format validation names the field', () => {
  it.each([
    [{ exp: 0, man: 3 }, 'format.exp', /1\.\.8/],
    [{ exp: 9, man: 3 }, 'format.exp', /1\.\.8/],
    [{ exp: 5, man: 40 }, 'format.man', /0\.\.23/],
    [{ exp: 5, man: 2.5 }, 'format.man', /integer/],
    [{ exp: 5, man: 2, specials: 'nan' }, 'format.specials', /ieee \| fn \| finite \| p3109e \| p3109f/],
    [{ exp: 2, man: 1, specials: 'finite', overflow: 'infinity' }, 'format.overflow', /must saturate/],
    [{ exp: 5, man: 2, overflow: 'wrap' }, 'format.overflow', /saturate \| infinity/],
    [{ exp: 1, man: 3 }, 'format.exp', /only with specials 'finite'/],
    [{ exp: 4, man: 0, specials: 'fn' }, 'format.man', /needs a NaN code/],
    [{ exp: 5, man: 2, subnormals: 'yes' }, 'format.subnormals', /true or false/],
    [{ exp: 5, man: 2, mantissa: 2 }, 'format.mantissa', /unknown field/],
    [{ man: 2 }, 'format.exp', /required/],
  ])('%j → %s', (spec, field, msg) => {
    let err: unknown;
    try { format(spec as never); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ArithmeticInputError);
    expect((err as ArithmeticInputError).field).toBe(field);
    expect((err as Error).message).toMatch(msg);
    expect((err as Error).message.startsWith(field + ':')).toBe(true);
  });

  it('unknown names list the presets', () => {
    expect(() => format('fp8')).toThrow(/format: unknown format name "fp8" \(presets: fp32, bf16/);
    expect(() => format(42 as never, 'in[1]')).toThrow(/^in\[1\]: must be a preset name or a format object/);
  });
});

// IEEE P3109 (docs/arithmetic.md §1.1): binary<K>p<P>s<e|f>, E = K − P, M = P − 1, bias 2^(E−1).
describe('P3109 formats', () => {
  it.each([
    // name, E, M, bias, max, smallest subnormal
    ['binary8p4se', 4, 3, 8, 224, 2 ** -10],
    ['binary8p4sf', 4, 3, 8, 240, 2 ** -10],
    ['binary8p3se', 5, 2, 16, 49152, 2 ** -17],
    ['binary8p3sf', 5, 2, 16, 57344, 2 ** -17],
    ['binary8p1se', 7, 0, 64, 2 ** 62, 2 ** -63],
    ['binary8p7sf', 1, 6, 1, 127 / 64, 2 ** -6],
    ['binary3p1se', 2, 0, 2, 1, 0.5],
  ])('%s: E%iM%i, bias %i, max %d, min subnormal %d', (name, E, M, bias, max, tiny) => {
    const f = format(name);
    expect([f.exp, f.man, f.bias, f.maxValue, toNumber(1, f)]).toEqual([E, M, bias, max, tiny]);
    expect(f.name).toBe(name);
    expect(toNumber(f.maxCode, f)).toBe(max);
  });

  it('one NaN at 1|0…0, no −0, ±Inf at the all-ones magnitude only in the extended domain', () => {
    const e = format('binary8p4se');
    const fin = format('binary8p4sf');
    expect([e.nanCode, e.infCode, fin.nanCode, fin.infCode]).toEqual([0x80, 0x7f, 0x80, -1]);
    expect([toNumber(0x80, e), toNumber(0x7f, e), toNumber(0xff, e)]).toEqual([NaN, Infinity, -Infinity]);
    expect([toNumber(0x80, fin), toNumber(0x7f, fin), toNumber(0xff, fin)]).toEqual([NaN, 240, -240]);
    expect(Array.from({ length: 256 }, (_, c) => toNumber(c, e)).filter((v) => Object.is(v, -0))).toEqual([]);
    expect([e.signedZero, format('e4m3').signedZero]).toEqual([false, true]);
    // P = 1: the zero exponent field is zero only; every other field is a power of two.
    const p1 = format('binary3p1sf');
    expect(Array.from({ length: 8 }, (_, c) => toNumber(c, p1))).toEqual([0, 0.5, 1, 2, NaN, -0.5, -1, -2]);
  });

  it('object form, overflow suffixes and defaults', () => {
    expect(format({ exp: 4, man: 3, specials: 'p3109e' })).toBe(format('binary8p4se'));
    expect(format('binary8p4se').overflow).toBe('infinity');
    expect(format('binary8p4sf').overflow).toBe('infinity');
    expect(format('binary8p4sf-sat')).toBe(format({ exp: 4, man: 3, specials: 'p3109f', overflow: 'saturate' }));
    expect(format('binary8p4sf-sat').name).toBe('binary8p4sf-sat');
    expect(format('binary8p4se-inf')).toBe(format('binary8p4se'));
  });

  it.each([
    ['binary8p4ue', /unsigned P3109 formats are not supported/],
    ['binary8p4sx', /domain must be 'e' \(extended, ±Inf\) or 'f' \(finite\)/],
    ['binary8p8se', /precision P must be in 1\.\.K−1 = 1\.\.7, got 8/],
    ['binary8p0sf', /precision P must be in 1\.\.K−1/],
    ['binary8p4', /bad P3109 format name/],
    ['binary40p4se', /format\.exp: must be an integer in 1\.\.8/],
  ])('%s is rejected', (name, msg) => {
    expect(() => format(name)).toThrow(ArithmeticInputError);
    expect(() => format(name)).toThrow(msg);
  });

  it('needs subnormals and K >= 3', () => {
    expect(() => format({ exp: 4, man: 3, specials: 'p3109e', subnormals: false })).toThrow(/format\.subnormals: P3109 formats always have subnormals/);
    expect(() => format({ exp: 1, man: 0, specials: 'p3109f' })).toThrow(/format\.man: a P3109 format needs K = 1 \+ exp \+ man >= 3 bits/);
  });
});
