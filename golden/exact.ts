// The defining path: every operation forms its exact result as a BigInt significand and a
// power-of-two exponent, then rounds it once with the shared rounder (round.ts).
//
//   decode → raw {kind, sign, sig·2^exp} → roundRaw → code, flags
//
// Nothing here is approximate; fast.ts must agree with it bit for bit (golden/fast.test.ts).
import { decode, Kind } from './codec.ts';
import type { Format } from './format.ts';
import { finish, infinityResult, nanResult, quantumOf, tinyAfterRounding, zeroCode, type Fraction } from './round.ts';
import type { Mode, Result, Rounding } from './rounding.ts';

/** An exact value. `invalid` marks a NaN created by an invalid operation (∞·0, ∞−∞). */
export interface Raw {
  kind: Kind;
  negative: boolean;
  sig: bigint;
  exp: number;
  invalid?: boolean;
}

const NAN: Raw = { kind: Kind.NaN, negative: false, sig: 0n, exp: 0 };
const INVALID: Raw = { kind: Kind.NaN, negative: false, sig: 0n, exp: 0, invalid: true };

/** Bits of a non-negative integer: the position of its leading one plus one (0 for 0). */
export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

export function rawOf(code: number, f: Format): Raw {
  const d = decode(code, f);
  return { kind: d.kind, negative: d.negative, sig: BigInt(d.sig), exp: d.exp };
}

/** The exact value of a double. */
export function rawOfNumber(x: number): Raw {
  if (Number.isNaN(x)) return NAN;
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a === Infinity) return { kind: Kind.Inf, negative, sig: 0n, exp: 0 };
  if (a === 0) return { kind: Kind.Zero, negative, sig: 0n, exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const field = Number(bits >> 52n);
  const frac = bits & ((1n << 52n) - 1n);
  if (field === 0) return { kind: Kind.Finite, negative, sig: frac, exp: -1074 };
  return { kind: Kind.Finite, negative, sig: frac | (1n << 52n), exp: field - 1075 };
}

/** Splits sig·2^exp at quantum 2^q into k and the fraction descriptor. */
function split(sig: bigint, exp: number, q: number, rbits: number): { k: number; fr: Fraction } {
  const shift = q - exp;
  if (shift <= 0) return { k: Number(sig << BigInt(-shift)), fr: { exact: true, cmpHalf: -1, srF: 0 } };
  const s = BigInt(shift);
  const rem = sig & ((1n << s) - 1n);
  const half = 1n << (s - 1n);
  const srF = shift >= rbits ? rem >> BigInt(shift - rbits) : rem << BigInt(rbits - shift);
  return {
    k: Number(sig >> s),
    fr: { exact: rem === 0n, cmpHalf: rem < half ? -1 : rem === half ? 0 : 1, srF: Number(srF) },
  };
}

/** Rounds an exact value into format f (SPEC §3), reporting flags. */
export function roundRaw(x: Raw, f: Format, rnd: Rounding): Result {
  switch (x.kind) {
    case Kind.NaN: return nanResult(x.invalid === true, f);
    case Kind.Inf: return infinityResult(x.negative, f);
    case Kind.Zero: return { code: zeroCode(x.negative, f), flags: 0 };
  }
  const rbits = rnd.rbits ?? 0;
  const ex = x.exp + bitLength(x.sig) - 1;
  const q = quantumOf(ex, f);
  const { k, fr } = split(x.sig, x.exp, q, rbits);
  const tiny = ex < f.emin && !fr.exact
    && tinyAfterRounding(ex, f, () => split(x.sig, x.exp, ex - f.man, rbits), x.negative, rnd);
  return finish(x.negative, k, q, fr, tiny, f, rnd);
}

export function mulRaw(a: Raw, b: Raw): Raw {
  if (a.kind === Kind.NaN || b.kind === Kind.NaN) return NAN;
  const negative = a.negative !== b.negative;
  if (a.kind === Kind.Inf || b.kind === Kind.Inf) {
    if (a.kind === Kind.Zero || b.kind === Kind.Zero) return INVALID; // ∞ · 0
    return { kind: Kind.Inf, negative, sig: 0n, exp: 0 };
  }
  if (a.kind === Kind.Zero || b.kind === Kind.Zero) return { kind: Kind.Zero, negative, sig: 0n, exp: 0 };
  return { kind: Kind.Finite, negative, sig: a.sig * b.sig, exp: a.exp + b.exp };
}

/** Exact sum; the sign of an exact zero sum depends on the mode (−0 only under rdn). */
export function addRaw(a: Raw, b: Raw, mode: Mode): Raw {
  if (a.kind === Kind.NaN) return a.invalid ? a : NAN;
  if (b.kind === Kind.NaN) return b.invalid ? b : NAN;
  if (a.kind === Kind.Inf || b.kind === Kind.Inf) {
    if (a.kind === Kind.Inf && b.kind === Kind.Inf && a.negative !== b.negative) return INVALID; // ∞ − ∞
    return a.kind === Kind.Inf ? a : b;
  }
  if (a.kind === Kind.Zero && b.kind === Kind.Zero) {
    const negative = a.negative === b.negative ? a.negative : mode === 'rdn';
    return { kind: Kind.Zero, negative, sig: 0n, exp: 0 };
  }
  if (a.kind === Kind.Zero) return b;
  if (b.kind === Kind.Zero) return a;
  const e = Math.min(a.exp, b.exp);
  const sa = a.sig << BigInt(a.exp - e);
  const sb = b.sig << BigInt(b.exp - e);
  const sum = (a.negative ? -sa : sa) + (b.negative ? -sb : sb);
  if (sum === 0n) return { kind: Kind.Zero, negative: mode === 'rdn', sig: 0n, exp: 0 };
  return { kind: Kind.Finite, negative: sum < 0n, sig: sum < 0n ? -sum : sum, exp: e };
}

/** a·b + c exactly. A NaN operand wins over an invalid product (no `invalid` flag then). */
export function fmaRaw(a: Raw, b: Raw, c: Raw, mode: Mode): Raw {
  if (a.kind === Kind.NaN || b.kind === Kind.NaN || c.kind === Kind.NaN) return NAN;
  return addRaw(mulRaw(a, b), c, mode);
}

// --- operations on codes ------------------------------------------------------------------

export function convertExact(a: number, fa: Format, to: Format, rnd: Rounding): Result {
  return roundRaw(rawOf(a, fa), to, rnd);
}

export function mulExact(a: number, fa: Format, b: number, fb: Format, to: Format, rnd: Rounding): Result {
  return roundRaw(mulRaw(rawOf(a, fa), rawOf(b, fb)), to, rnd);
}

export function addExact(a: number, fa: Format, b: number, fb: Format, to: Format, rnd: Rounding): Result {
  return roundRaw(addRaw(rawOf(a, fa), rawOf(b, fb), rnd.mode), to, rnd);
}

export function fmaExact(a: number, fa: Format, b: number, fb: Format, c: number, fc: Format, to: Format, rnd: Rounding): Result {
  return roundRaw(fmaRaw(rawOf(a, fa), rawOf(b, fb), rawOf(c, fc), rnd.mode), to, rnd);
}

/** Rounds a double (exactly as given) into format f. */
export function quantizeExact(x: number, f: Format, rnd: Rounding): Result {
  return roundRaw(rawOfNumber(x), f, rnd);
}
