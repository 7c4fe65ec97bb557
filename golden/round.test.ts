// Hand-worked cases of the rounding rules (docs/arithmetic.md §2–§3); each expectation is
// derived in the comment beside it, not read back from the implementation.
import { describe, expect, it } from 'vitest';
import { toNumber } from './codec.ts';
import { format } from './format.ts';
import { add, convert, mul, quantize } from './ops.ts';
import { flagNames, type Mode, type Rounding } from './rounding.ts';

function q(x: number, fmt: string | object, r: Rounding | Mode): [number, string[]] {
  const f = format(fmt as string);
  const res = quantize(x, f, typeof r === 'string' ? { mode: r } : r);
  return [toNumber(res.code, f), flagNames(res.flags)];
}
const val = (x: number, fmt: string | object, r: Rounding | Mode) => q(x, fmt, r)[0];

describe('the six deterministic modes (e2m1 grid 0 .5 1 1.5 2 3 4 6)', () => {
  // 2.25: lo 2 (k = 2, even), hi 3, f = 1/4.   -2.5: a tie between 2 and 3 (k even).
  it.each([
    ['rne', 2, -2, 2], ['rna', 2, -3, 3], ['rtz', 2, -2, 2],
    ['rup', 3, -2, 3], ['rdn', 2, -3, 2], ['rto', 3, -3, 3],
  ] as const)('%s: 2.25 → %d, -2.5 → %d, 2.5 → %d', (mode, a, b, c) => {
    expect(val(2.25, 'e2m1', mode)).toBe(a);
    expect(val(-2.5, 'e2m1', mode)).toBe(b);
    expect(val(2.5, 'e2m1', mode)).toBe(c);
  });

  it('rne ties to the even significand, also across a binade (1.75 → 2)', () => {
    expect(val(1.25, 'e2m1', 'rne')).toBe(1); // 1.0 (k=2) vs 1.5 (k=3)
    expect(val(1.75, 'e2m1', 'rne')).toBe(2); // 1.5 (k=3) vs 2.0 (k=4)
    expect(val(3.5, 'e2m1', 'rne')).toBe(4);
    expect(val(5, 'e2m1', 'rne')).toBe(4); // 4 (k=2) vs 6 (k=3)
  });

  it('exact values never move and raise nothing', () => {
    for (const m of ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto'] as const) expect(q(1.5, 'e2m1', m)).toEqual([1.5, []]);
    expect(q(3, 'e2m1', { mode: 'sr', rbits: 8, rand: 255 })).toEqual([3, []]);
  });
});

describe('sr: F = ⌊f·2^r⌋ rounds up iff F + R >= 2^r', () => {
  it('2.25 (f = 1/4) with r = 2: F = 1, up iff R >= 3', () => {
    expect([0, 1, 2, 3].map((rand) => val(2.25, 'e2m1', { mode: 'sr', rbits: 2, rand }))).toEqual([2, 2, 2, 3]);
  });
  it('bits of f beyond r are ignored: f = 1/4 with r = 1 never rounds up', () => {
    expect([0, 1].map((rand) => val(2.25, 'e2m1', { mode: 'sr', rbits: 1, rand }))).toEqual([2, 2]);
  });
  it('negative values round in magnitude', () => {
    expect(val(-2.75, 'e2m1', { mode: 'sr', rbits: 2, rand: 1 })).toBe(-3); // F = 3, 3 + 1 >= 4
    expect(val(-2.75, 'e2m1', { mode: 'sr', rbits: 2, rand: 0 })).toBe(-2);
  });
});

describe('overflow is decided after rounding (fp16: max 65504, next 65536)', () => {
  it('65519.99 rounds to max under rne, 65520 (the tie) overflows', () => {
    expect(q(65519.99, 'fp16', 'rne')).toEqual([65504, ['inexact']]);
    expect(q(65520, 'fp16', 'rne')).toEqual([Infinity, ['overflow', 'inexact']]);
  });
  it.each([
    ['rne', Infinity, -Infinity], ['rna', Infinity, -Infinity], ['rtz', 65504, -65504],
    ['rup', Infinity, -65504], ['rdn', 65504, -Infinity], ['rto', 65504, -65504],
  ] as const)('%s: ±70000 → %d / %d', (mode, pos, neg) => {
    expect(q(70000, 'fp16', mode)).toEqual([pos, ['overflow', 'inexact']]);
    expect(q(-70000, 'fp16', mode)).toEqual([neg, ['overflow', 'inexact']]);
  });
  it('sr: rounding up gives Inf, rounding down stays at max', () => {
    // 65520 = 65504 + f·32 with f = 1/2: r = 1, F = 1; R = 1 → up → Inf, R = 0 → max.
    expect(val(65520, 'fp16', { mode: 'sr', rbits: 1, rand: 1 })).toBe(Infinity);
    expect(val(65520, 'fp16', { mode: 'sr', rbits: 1, rand: 0 })).toBe(65504);
  });
  it("an 'fn' format gives NaN where ieee gives Inf; saturate clamps", () => {
    expect(q(500, 'e4m3', 'rne')).toEqual([NaN, ['overflow', 'inexact']]);
    expect(q(500, 'e4m3', 'rtz')).toEqual([448, ['overflow', 'inexact']]);
    expect(q(-500, { exp: 4, man: 3, specials: 'fn', overflow: 'saturate' }, 'rne')).toEqual([-448, ['overflow', 'inexact']]);
    expect(q(1e6, 'e2m1', 'rup')).toEqual([6, ['overflow', 'inexact']]);
  });
  it('464 in e4m3 is a tie that rounds to even 448, not an overflow', () => {
    expect(q(464, 'e4m3', 'rne')).toEqual([448, ['inexact']]);
    expect(q(464, 'e4m3', 'rna')).toEqual([NaN, ['overflow', 'inexact']]);
  });
});

describe('infinities and NaNs', () => {
  it('an Inf operand stays Inf in ieee, even with saturate', () => {
    expect(q(Infinity, 'fp16', 'rtz')).toEqual([Infinity, []]);
    expect(q(-Infinity, { exp: 5, man: 10, overflow: 'saturate' }, 'rne')).toEqual([-Infinity, []]);
  });
  it('an Inf operand becomes max (saturate) or NaN (infinity) in fn, max in finite', () => {
    expect(q(Infinity, { exp: 4, man: 3, specials: 'fn', overflow: 'saturate' }, 'rne')).toEqual([448, ['overflow', 'inexact']]);
    expect(q(-Infinity, 'e4m3', 'rtz')).toEqual([NaN, ['overflow', 'inexact']]);
    expect(q(-Infinity, 'e2m1', 'rne')).toEqual([-6, ['overflow', 'inexact']]);
  });
  it('NaN → canonical NaN; into a finite format +0 and invalid', () => {
    expect(quantize(NaN, 'e4m3', { mode: 'rne' })).toEqual({ code: 0x7f, flags: 0 });
    expect(convert(0xfe01, 'fp16', 'fp16', { mode: 'rne' }).code).toBe(0x7e00);
    expect(q(NaN, 'e2m1', 'rne')).toEqual([0, ['invalid']]);
  });
  it('∞·0 and ∞−∞ are invalid', () => {
    expect(mul(0x7c00, 'fp16', 0x8000, 'fp16', 'fp16', { mode: 'rne' })).toEqual({ code: 0x7e00, flags: 1 });
    expect(add(0x7c00, 'fp16', 0xfc00, 'fp16', 'e2m1', { mode: 'rne' })).toEqual({ code: 0, flags: 1 });
    expect(add(0x7c00, 'fp16', 0x7c00, 'fp16', 'fp16', { mode: 'rne' })).toEqual({ code: 0x7c00, flags: 0 });
  });
});

describe('subnormals, tininess after rounding, and the no-subnormal rule', () => {
  it('fp16 subnormal grid: ulp 2^-24 below 2^-14', () => {
    expect(q(2 ** -25, 'fp16', 'rne')).toEqual([0, ['underflow', 'inexact']]); // tie with 0 → even 0
    expect(q(3 * 2 ** -26, 'fp16', 'rne')).toEqual([2 ** -24, ['underflow', 'inexact']]);
    expect(q(3 * 2 ** -24, 'fp16', 'rne')).toEqual([3 * 2 ** -24, []]); // exact subnormal: no underflow
  });
  it('underflow is tininess after rounding, not before', () => {
    // x = 2^-14 - 3·2^-27. At 11 bits, unbounded: quantum 2^-25, f = 1/4 → 2^-14 - 2^-25 (tiny).
    // On the subnormal grid (2^-24): f = 5/8 → rounds up to 2^-14, a normal: underflow still raised.
    expect(q(2 ** -14 - 3 * 2 ** -27, 'fp16', 'rne')).toEqual([2 ** -14, ['underflow', 'inexact']]);
    // x = 2^-14 - 2^-26: at 11 bits a tie between 1.11…1·2^-15 (odd) and 2^-14 → 2^-14: not tiny.
    expect(q(2 ** -14 - 2 ** -26, 'fp16', 'rne')).toEqual([2 ** -14, ['inexact']]);
  });
  it('rto never gives zero for an inexact value', () => {
    expect(q(2 ** -40, 'fp16', 'rto')).toEqual([2 ** -24, ['underflow', 'inexact']]);
    expect(val(-(2 ** -40), { exp: 5, man: 10, subnormals: false }, 'rto')).toBe(-(2 ** -14));
  });
  const nosub = { exp: 5, man: 10, subnormals: false };
  it('subnormals off: below 2^-14 the only neighbours are 0 and 2^-14', () => {
    expect(q(2 ** -15, nosub, 'rne')).toEqual([0, ['underflow', 'inexact']]); // tie → 0 (even)
    expect(val(2 ** -15, nosub, 'rna')).toBe(2 ** -14);
    expect(val(2 ** -15 + 2 ** -30, nosub, 'rne')).toBe(2 ** -14);
    expect(val(2 ** -14 - 2 ** -30, nosub, 'rtz')).toBe(0);
    expect(val(2 ** -20, nosub, 'rup')).toBe(2 ** -14);
    // sr: f = x / 2^-14 = 3/4, r = 2: F = 3, up iff R >= 1.
    expect([0, 1].map((rand) => val(3 * 2 ** -16, nosub, { mode: 'sr', rbits: 2, rand }))).toEqual([0, 2 ** -14]);
  });
  it('subnormals off in tiny formats: the 2^emin grid below emin is not an overflow', () => {
    // e2m3 without subnormals: emin = 0, emax = 2, values 0, 1, 1.125 … 7.5. 2^-5 → 0 or 1.
    const e2m3ns = { exp: 2, man: 3, specials: 'finite', subnormals: false };
    expect(q(2 ** -5, e2m3ns, 'rne')).toEqual([0, ['underflow', 'inexact']]);
    expect(q(0.75, e2m3ns, 'rne')).toEqual([1, ['underflow', 'inexact']]);
    // e1m1 finite without subnormals: bias 0, emin 1, values 0, 2, 3.
    expect(q(1e-9, { exp: 1, man: 1, specials: 'finite', subnormals: false }, 'rtz')).toEqual([0, ['underflow', 'inexact']]);
  });
  it('subnormals off: subnormal operand codes read as zero of the same sign', () => {
    expect(convert(0x0001, nosub, 'fp32', { mode: 'rne' })).toEqual({ code: 0, flags: 0 });
    expect(convert(0x83ff, nosub, 'fp32', { mode: 'rne' })).toEqual({ code: 0x80000000, flags: 0 });
    expect(mul(0x0200, nosub, 0x3c00, 'fp16', 'fp16', { mode: 'rne' })).toEqual({ code: 0, flags: 0 });
  });
});

describe('signed zeros', () => {
  const fp16 = 'fp16';
  it('exact zero sums: +0, except −0 under rdn; x + (±0) = x', () => {
    expect(add(0x3c00, fp16, 0xbc00, fp16, fp16, { mode: 'rne' }).code).toBe(0x0000);
    expect(add(0x3c00, fp16, 0xbc00, fp16, fp16, { mode: 'rdn' }).code).toBe(0x8000);
    expect(add(0x3c00, fp16, 0xbc00, fp16, fp16, { mode: 'sr', rbits: 4, rand: 15 }).code).toBe(0x0000);
    expect(add(0x0000, fp16, 0x8000, fp16, fp16, { mode: 'rne' }).code).toBe(0x0000);
    expect(add(0x0000, fp16, 0x8000, fp16, fp16, { mode: 'rdn' }).code).toBe(0x8000);
    expect(add(0x8000, fp16, 0x8000, fp16, fp16, { mode: 'rup' }).code).toBe(0x8000);
    expect(add(0x8000, fp16, 0x3c00, fp16, fp16, { mode: 'rne' }).code).toBe(0x3c00);
  });
  it('a product takes the XOR of the signs; tiny results keep the exact sign', () => {
    expect(mul(0x8000, fp16, 0x4000, fp16, fp16, { mode: 'rne' }).code).toBe(0x8000);
    expect(mul(0x8001, fp16, 0x0001, fp16, fp16, { mode: 'rne' })).toEqual({ code: 0x8000, flags: 12 });
    expect(mul(0x8001, fp16, 0x8001, fp16, fp16, { mode: 'rup' })).toEqual({ code: 0x0001, flags: 12 });
  });
});
