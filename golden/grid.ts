// What block floating point, MX and integer formats share (docs/arithmetic.md §7): exact input
// values, the exponent of a value read from its bits, and rounding onto a fixed-point grid
// k·2^q with a magnitude limit — the same decision rule as every float rounding (round.ts's
// roundsUp), only the grid and the saturation differ.
//
//   |x| = sig·2^exp  ──split at 2^q──►  k + f   ──roundsUp──►  K = k or k+1  ──clamp──►  min(K, kmax)
import { Kind } from './codec.ts';
import { bitLength, rawOf, rawOfNumber, type Raw } from './exact.ts';
import { ArithmeticInputError, format, type Format } from './format.ts';
import { roundsUp, type Fraction } from './round.ts';
import { checkRbits, FLAG_INEXACT, FLAG_OVERFLOW, FLAG_UNDERFLOW, type Mode, type Rounding } from './rounding.ts';

/** Rounding of a whole vector: under `sr` one random word per rounded value. */
export interface VectorRounding {
  readonly mode: Mode;
  readonly rbits?: number;
  readonly rand?: readonly number[];
}

/** Validates a vector rounding: `rand` must hold `count` words of `rbits` bits under `sr`. */
export function vectorRounding(r: VectorRounding, count: number, what: string): VectorRounding {
  if (r.mode !== 'sr') {
    if (r.rbits !== undefined) throw new ArithmeticInputError('rbits', `only allowed with mode 'sr' (mode is '${r.mode}')`);
    if (r.rand !== undefined) throw new ArithmeticInputError('rand', `only allowed with mode 'sr' (mode is '${r.mode}')`);
    return r;
  }
  if (r.rbits === undefined) throw new ArithmeticInputError('rbits', "is required with mode 'sr'");
  const rbits = checkRbits(r.rbits);
  if (!Array.isArray(r.rand) || r.rand.length !== count) {
    throw new ArithmeticInputError('rand', `must be an array of ${count} random words under 'sr' (one per ${what})`);
  }
  r.rand.forEach((R, i) => {
    if (typeof R !== 'number' || !Number.isInteger(R) || R < 0 || R >= 2 ** rbits) {
      throw new ArithmeticInputError(`rand[${i}]`, `must be an integer in 0..${2 ** rbits - 1} for rbits = ${rbits}, got ${JSON.stringify(R)}`);
    }
  });
  return r;
}

/** The scalar rounding of the i-th value of a vector. */
export function nth(r: VectorRounding, i: number): Rounding {
  return r.mode === 'sr' ? { mode: 'sr', rbits: r.rbits, rand: (r.rand as readonly number[])[i] } : { mode: r.mode };
}

/** Exact input values: codes of a float format (fp32 by default) or doubles. */
export function rawsOfCodes(codes: readonly number[], from: Format = format('fp32')): Raw[] {
  return codes.map((c) => rawOf(c, from));
}

export function rawsOfNumbers(xs: readonly number[]): Raw[] {
  return xs.map((x) => {
    if (typeof x !== 'number') throw new ArithmeticInputError('x', `must be numbers, got ${JSON.stringify(x)}`);
    return rawOfNumber(x);
  });
}

/**
 * ⌊log2|x|⌋ of a finite non-zero exact value, from its bits: the weight of its leading bit.
 * Never Math.log2: for x = 2^k·(1 − 2^−24) the double log2 rounds up to k (docs/arithmetic.md §7).
 */
export function leadExp(x: Raw): number {
  return x.exp + bitLength(x.sig) - 1;
}

/** sign(|a| − |b|) for finite or zero exact values. */
export function compareMag(a: Raw, b: Raw): number {
  const za = a.kind === Kind.Zero || a.sig === 0n;
  const zb = b.kind === Kind.Zero || b.sig === 0n;
  if (za || zb) return za && zb ? 0 : za ? -1 : 1;
  const la = leadExp(a);
  const lb = leadExp(b);
  if (la !== lb) return la < lb ? -1 : 1;
  const e = Math.min(a.exp, b.exp);
  const sa = a.sig << BigInt(a.exp - e);
  const sb = b.sig << BigInt(b.exp - e);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The largest magnitude among the finite values (a zero Raw when there is none). */
export function maxMagnitude(xs: readonly Raw[]): Raw {
  let best: Raw = { kind: Kind.Zero, negative: false, sig: 0n, exp: 0 };
  for (const x of xs) if (x.kind === Kind.Finite && compareMag(x, best) > 0) best = x;
  return best;
}

/** A value rounded onto a grid: magnitude K (an integer count of 2^q), sign, flags. */
export interface GridValue {
  negative: boolean;
  mag: bigint;
  flags: number;
}

/**
 * Rounds a finite or zero exact value to a multiple of 2^q (SPEC §3's decision rule, the same
 * roundsUp as the float rounder), then saturates the magnitude at `kmax` (`overflow` +
 * `inexact`). Grid formats have no tininess: `underflow` means a non-zero value became zero.
 */
export function roundToGrid(x: Raw, q: number, kmax: bigint, r: Rounding): GridValue {
  if (x.kind === Kind.Zero || x.sig === 0n) return { negative: x.negative, mag: 0n, flags: 0 };
  const shift = q - x.exp;
  let k: bigint;
  let fr: Fraction;
  if (shift <= 0) {
    k = x.sig << BigInt(-shift);
    fr = { exact: true, cmpHalf: -1, srF: 0 };
  } else {
    const s = BigInt(shift);
    const rem = x.sig & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    const rbits = r.rbits ?? 0;
    const srF = shift >= rbits ? rem >> BigInt(shift - rbits) : rem << BigInt(rbits - shift);
    k = x.sig >> s;
    fr = { exact: rem === 0n, cmpHalf: rem < half ? -1 : rem === half ? 0 : 1, srF: Number(srF) };
  }
  const up = roundsUp(r.mode, x.negative, (k & 1n) === 1n, fr, r);
  const K = up ? k + 1n : k;
  if (K > kmax) return { negative: x.negative, mag: kmax, flags: FLAG_OVERFLOW | FLAG_INEXACT };
  if (fr.exact) return { negative: x.negative, mag: K, flags: 0 };
  return { negative: x.negative, mag: K, flags: K === 0n ? FLAG_UNDERFLOW | FLAG_INEXACT : FLAG_INEXACT };
}

/** An exact value sign·mag·2^q as a Raw. */
export function rawOfGrid(negative: boolean, mag: bigint, q: number): Raw {
  if (mag === 0n) return { kind: Kind.Zero, negative, sig: 0n, exp: 0 };
  return { kind: Kind.Finite, negative, sig: mag, exp: q };
}
