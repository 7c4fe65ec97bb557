// The fast path: the same operations as exact.ts on float64, proven equal to it by
// golden/fast.test.ts (random and exhaustive) — never used where that proof does not reach.
//
// Why float64 is enough (formats have exp <= 8, man <= 23):
//   - every operand decodes exactly to a double;
//   - a product of two operands has <= 48 significant bits and magnitude in [2^-298, 2^256]:
//     exact in a double;
//   - a sum is represented exactly as s + t by TwoSum (Knuth), s = fl(a + b), |t| <= ulp(s)/2;
//     fma is TwoSum(a·b, c) with the exact product.
// The rounder then needs k, the fraction f of the exact value at quantum 2^q, and the sign of
// the tail t where the double s alone sits exactly on a threshold (f = 0, 1/2, j/2^r). Since s
// carries >= 29 bits below the rounding point, |t| is smaller than any distance from s to the
// next threshold, so only its sign matters there.
import { toNumber } from './codec.ts';
import { rawOfNumber, roundRaw } from './exact.ts';
import type { Format } from './format.ts';
import { finish, infinityResult, nanResult, quantumOf, tinyAfterRounding, zeroCode, type Fraction } from './round.ts';
import type { Result, Rounding } from './rounding.ts';

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: high word at [1]
const LO = 1 - HI;

/** Decoder tables: a Float64Array per format of width <= 16, arithmetic decode above. */
const tables = new WeakMap<Format, Float64Array>();

export function decoderFor(f: Format): (code: number) => number {
  if (f.width > 16) return (code) => toNumber(code, f);
  let t = tables.get(f);
  if (!t) {
    t = new Float64Array(2 ** f.width);
    for (let c = 0; c < t.length; c++) t[c] = toNumber(c, f);
    tables.set(f, t);
  }
  const table = t;
  return (code) => table[code];
}

/** Value of a code, via the table when the format is narrow. */
export function decodeFast(code: number, f: Format): number {
  return decoderFor(f)(code);
}

// Scratch results of splitF64 (no allocation per operation).
const frac: Fraction = { exact: false, cmpHalf: 0, srF: 0 };
let splitK = 0;

/** k and the fraction of |x| = a + tm (tail in the direction of |x|) at quantum 2^q. */
function splitF64(a: number, tm: number, q: number, rbits: number): void {
  const scale = 2 ** -q;
  const y = a * scale;
  let ts = tm * scale;
  if (ts === 0 && tm !== 0) ts = tm > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE; // keep the tail's sign
  let k = Math.floor(y);
  let fr = y - k;
  if (fr === 0 && ts < 0) { k -= 1; fr = 1; } // just below an integer: f = 1 - tiny
  splitK = k;
  frac.exact = fr === 0 && ts === 0;
  frac.cmpHalf = fr < 0.5 ? -1 : fr > 0.5 ? 1 : ts > 0 ? 1 : ts < 0 ? -1 : 0;
  if (rbits > 0) {
    const v = fr * 2 ** rbits;
    let F = Math.floor(v);
    if (v === F && ts < 0) F -= 1;
    frac.srF = F;
  }
}

/**
 * Rounds the exact value s + t (s = fl(s + t), finite, non-NaN) into f. Doubles below the
 * normal range of float64 are handed to the exact path (they never arise from operands).
 */
export function roundF64(s: number, t: number, f: Format, rnd: Rounding): Result {
  if (s === Infinity || s === -Infinity) return infinityResult(s < 0, f);
  if (s === 0) return { code: zeroCode(Object.is(s, -0), f), flags: 0 };
  const negative = s < 0;
  const a = negative ? -s : s;
  const tm = negative ? -t : t;
  F64[0] = a;
  const hi = U32[HI];
  const field = hi >>> 20;
  if (field === 0) return roundRaw(rawOfNumber(s), f, rnd); // float64 subnormal: exact path
  let ex = field - 1023;
  if (tm < 0 && (hi & 0xfffff) === 0 && U32[LO] === 0) ex -= 1; // |x| just below a power of two
  const rbits = rnd.rbits ?? 0;
  const q = quantumOf(ex, f);
  splitF64(a, tm, q, rbits);
  const k = splitK;
  if (ex < f.emin && !frac.exact) {
    const fr = { ...frac };
    const tiny = tinyAfterRounding(ex, f, () => {
      splitF64(a, tm, ex - f.man, rbits);
      return { k: splitK, fr: frac };
    }, negative, rnd);
    return finish(negative, k, q, fr, tiny, f, rnd);
  }
  return finish(negative, k, q, frac, false, f, rnd);
}

/** Rounds a double into f (the quantizer of training code). */
export function quantizeFast(x: number, f: Format, rnd: Rounding): Result {
  if (x !== x) return nanResult(false, f);
  return roundF64(x, 0, f, rnd);
}

export function convertFast(a: number, fa: Format, to: Format, rnd: Rounding): Result {
  return quantizeFast(decodeFast(a, fa), to, rnd);
}

export function mulFast(a: number, fa: Format, b: number, fb: Format, to: Format, rnd: Rounding): Result {
  const x = decodeFast(a, fa);
  const y = decodeFast(b, fb);
  const p = x * y;
  if (p !== p) return nanResult(x === x && y === y, to); // ∞·0 is invalid; NaN operands are not
  return roundF64(p, 0, to, rnd);
}

/** s + t = x + y exactly, with the IEEE sign of an exact zero sum (−0 only under rdn). */
function sumF64(x: number, y: number, to: Format, rnd: Rounding): Result {
  const s = x + y;
  if (s !== s) return nanResult(x === x && y === y, to); // ∞ − ∞
  if (s === 0) {
    const negative = rnd.mode === 'rdn' ? !(Object.is(x, 0) && Object.is(y, 0)) : Object.is(s, -0);
    return { code: zeroCode(negative, to), flags: 0 };
  }
  if (s === Infinity || s === -Infinity) return infinityResult(s < 0, to);
  const bb = s - x;
  const t = (x - (s - bb)) + (y - bb);
  return roundF64(s, t, to, rnd);
}

export function addFast(a: number, fa: Format, b: number, fb: Format, to: Format, rnd: Rounding): Result {
  return sumF64(decodeFast(a, fa), decodeFast(b, fb), to, rnd);
}

export function fmaFast(a: number, fa: Format, b: number, fb: Format, c: number, fc: Format, to: Format, rnd: Rounding): Result {
  const x = decodeFast(a, fa);
  const y = decodeFast(b, fb);
  const z = decodeFast(c, fc);
  if (x !== x || y !== y || z !== z) return nanResult(false, to); // a NaN operand wins, no `invalid`
  const p = x * y;
  if (p !== p) return nanResult(true, to); // ∞·0
  return sumF64(p, z, to, rnd);
}
