// The one rounder. Both paths (exact BigInt in exact.ts, float64 in fast.ts) reduce an
// operation to the same question and hand it here:
//
//   |x| = (k + f) · 2^q      k: integer significand at quantum 2^q (k < 2^(man+1))
//                            f: fraction in [0, 1), described by `Fraction` below
//
// The quantum comes from quantumOf(): the binade's ulp with the exponent unbounded above,
// the subnormal ulp below 2^emin, or 2^emin itself when subnormals are off (docs/arithmetic.md §2).
import type { Format } from './format.ts';
import { FLAG_INEXACT, FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW, type Mode, type Result, type Rounding } from './rounding.ts';

/** What the rounder needs to know of f = (|x| - lo)/ulp. */
export interface Fraction {
  /** f == 0: x is on the grid. */
  exact: boolean;
  /** sign(f - 1/2): -1, 0 (tie) or +1. */
  cmpHalf: number;
  /** ⌊f · 2^rbits⌋, only read under `sr`. */
  srF: number;
}

/** Quantum exponent q for a value whose leading bit has weight 2^ex. */
export function quantumOf(ex: number, f: Format): number {
  if (ex >= f.emin) return ex - f.man;
  return f.subnormals ? f.emin - f.man : f.emin;
}

/**
 * Does the magnitude go from lo = k·2^q up to hi = (k+1)·2^q?
 *
 *   mode  rounds up when
 *   rne   f > 1/2, or f = 1/2 and k is odd         (zero counts as even)
 *   rna   f >= 1/2
 *   rtz   never
 *   rup   inexact and positive
 *   rdn   inexact and negative
 *   rto   inexact and k is even                   (the odd neighbour; never zero)
 *   sr    F + R >= 2^r with F = ⌊f·2^r⌋           (SPEC §3 sr, P3109 StochasticA)
 */
export function roundsUp(mode: Mode, negative: boolean, kOdd: boolean, fr: Fraction, rnd: Rounding): boolean {
  if (fr.exact) return false;
  switch (mode) {
    case 'rne': return fr.cmpHalf > 0 || (fr.cmpHalf === 0 && kOdd);
    case 'rna': return fr.cmpHalf >= 0;
    case 'rtz': return false;
    case 'rup': return !negative;
    case 'rdn': return negative;
    case 'rto': return !kOdd;
    case 'sr': return fr.srF + (rnd.rand as number) >= 2 ** (rnd.rbits as number);
  }
}

/** Code of ±0. */
export function zeroCode(negative: boolean, f: Format): number {
  return negative && f.signedZero ? f.signBit : 0; // P3109 has no −0: it becomes +0
}

/** Code of a finite magnitude K·2^q (K < 2^(man+2), on the format's grid, not overflowing). */
export function encodeFinite(negative: boolean, K: number, q: number, f: Format): number {
  if (K === 0) return zeroCode(negative, f);
  const sign = negative ? f.signBit : 0;
  const M = f.man;
  const one = 2 ** M;
  if (K >= 2 * one) { K /= 2; q += 1; } // carry out of the significand: 1.11…1 + ulp = 10.0…0
  // Normalise: a value on a coarser grid (2^emin with subnormals off) is still a normal number.
  const qSub = f.emin - M;
  while (K < one && q > qSub) { K *= 2; q -= 1; }
  if (K < one) return sign + K; // subnormal: exponent field 0
  return sign + (q + M + f.bias) * one + (K - one);
}

/**
 * The code for an overflowing finite result (rounded magnitude above max), SPEC §3:
 * saturate → ±max; otherwise IEEE: the directions that move away from zero give Inf
 * (NaN in a format with a NaN and no Inf: 'fn', 'p3109f'), the others stay at ±max.
 */
export function overflowCode(negative: boolean, roundedUp: boolean, f: Format, mode: Mode): number {
  const sign = negative ? f.signBit : 0;
  if (f.overflow === 'saturate') return sign + f.maxCode;
  let toInf: boolean;
  switch (mode) {
    case 'rne': case 'rna': toInf = true; break;
    case 'sr': toInf = roundedUp; break;
    case 'rup': toInf = !negative; break;
    case 'rdn': toInf = negative; break;
    default: toInf = false; // rtz, rto
  }
  if (!toInf) return sign + f.maxCode;
  return f.infCode >= 0 ? sign + f.infCode : f.nanCode;
}

/**
 * Finishes a finite, non-zero rounding: applies the decision, the overflow rule (decided
 * after rounding, with the exponent unbounded) and the flags. `tiny` is IEEE tininess after
 * rounding, computed by the caller with tinyAfterRounding().
 */
export function finish(negative: boolean, k: number, q: number, fr: Fraction, tiny: boolean, f: Format, rnd: Rounding): Result {
  const up = roundsUp(rnd.mode, negative, (k & 1) === 1, fr, rnd);
  const K = up ? k + 1 : k;
  const flags = fr.exact ? 0 : (tiny ? FLAG_UNDERFLOW | FLAG_INEXACT : FLAG_INEXACT);
  // K·2^q > maxSig·2^maxQ. Below maxQ nothing overflows (K <= 2^(man+1) there, so the value
  // is at most 2^emax). The test is on the value, not on q alone: without subnormals the grid
  // under 2^emin is 2^emin itself, which in tiny formats (e1m1, e2m3) is coarser than 2^maxQ.
  const maxQ = f.emax - f.man;
  if (K > 0 && q >= maxQ && K * 2 ** (q - maxQ) > f.maxSig) {
    return { code: overflowCode(negative, up, f, rnd.mode), flags: FLAG_OVERFLOW | FLAG_INEXACT };
  }
  return { code: encodeFinite(negative, K, q, f), flags };
}

/**
 * Tininess after rounding for an inexact |x| with leading exponent ex < emin: would |x|,
 * rounded to man+1 bits with the exponent unbounded, still be below 2^emin? Only an x in the
 * top ulp of the binade just below 2^emin (significand all ones at that precision) can round
 * up to 2^emin; `topRoundsUp` answers whether it does, in the same mode with the same R.
 */
export function tinyAfterRounding(ex: number, f: Format, kAtP: () => { k: number; fr: Fraction }, negative: boolean, rnd: Rounding): boolean {
  if (ex < f.emin - 1) return true;
  const { k, fr } = kAtP();
  if (k !== 2 ** (f.man + 1) - 1) return true;
  return !roundsUp(rnd.mode, negative, true, fr, rnd);
}

/** Result for an infinite exact value (an Inf operand) in the destination format. */
export function infinityResult(negative: boolean, f: Format): Result {
  const sign = negative ? f.signBit : 0;
  if (f.infCode >= 0) return { code: sign + f.infCode, flags: 0 };
  // No Inf to give: treated as an overflowing value (project decision, docs/arithmetic.md §3).
  if (f.nanCode >= 0 && f.overflow === 'infinity') return { code: f.nanCode, flags: FLAG_OVERFLOW | FLAG_INEXACT };
  return { code: sign + f.maxCode, flags: FLAG_OVERFLOW | FLAG_INEXACT };
}

/** Result for a NaN: canonical NaN, or +0 with `invalid` in a format without NaN ('finite'). */
export function nanResult(invalid: boolean, f: Format): Result {
  if (f.nanCode < 0) return { code: 0, flags: FLAG_INVALID };
  return { code: f.nanCode, flags: invalid ? FLAG_INVALID : 0 };
}
