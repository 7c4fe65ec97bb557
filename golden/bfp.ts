// Block floating point as FAST uses it (SPEC §5, docs/arithmetic.md §7.1): `block` consecutive
// values share one exponent E, the exponent of the block's largest magnitude, read from the
// bits; each element is a sign and a `man`-bit magnitude on the grid 2^(E − man + 1), so the
// largest element's leading bit is the top magnitude bit:
//
//   element code:  | s | m (man bits) |        value = (−1)^s · m · 2^(E − man + 1)
//
// E is a two's-complement `expBits` integer; a block whose exponent is outside that range
// takes the nearest end (its elements then saturate or lose low bits).
import { Kind } from './codec.ts';
import type { Raw } from './exact.ts';
import { ArithmeticInputError, checkInt, checkKeys } from './format.ts';
import { leadExp, nth, rawOfGrid, roundToGrid, vectorRounding, type VectorRounding } from './grid.ts';
import { FLAG_INEXACT, FLAG_INVALID, FLAG_OVERFLOW } from './rounding.ts';

export interface BfpFormatSpec {
  kind?: 'bfp';
  /** Magnitude bits of an element, 1..24. */
  man: number;
  /** Elements per shared exponent, 1..4096. @defaultValue 16 */
  block?: number;
  /** Width of the shared exponent (two's complement), 2..10. @defaultValue 8 */
  expBits?: number;
}

export interface BfpFormat {
  readonly kind: 'bfp';
  readonly name: string;
  readonly man: number;
  readonly block: number;
  readonly expBits: number;
  /** Range of the shared exponent. */
  readonly emin: number;
  readonly emax: number;
  /** Largest element magnitude, 2^man − 1. */
  readonly maxMag: number;
  /** Element code width, 1 + man. */
  readonly width: number;
}

/** A quantized BFP vector: one shared exponent per block, one sign-magnitude code per element. */
export interface BfpVector {
  exps: number[];
  codes: number[];
  flags: number;
}

const KEYS = ['kind', 'man', 'block', 'expBits'];

/** Validates a BFP format: an object, or a name `bfp<man>b<block>` (e.g. `bfp7b16`). */
export function bfpFormat(spec: unknown, field = 'fmt'): BfpFormat {
  let o: Record<string, unknown>;
  if (typeof spec === 'string') {
    const m = /^bfp(\d+)b(\d+)$/.exec(spec);
    if (!m) throw new ArithmeticInputError(field, `unknown BFP format name ${JSON.stringify(spec)} (expected bfp<man>b<block>, e.g. bfp7b16)`);
    o = { man: Number(m[1]), block: Number(m[2]) };
  } else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    o = spec as Record<string, unknown>;
    checkKeys(field, o, KEYS);
    if (o.kind !== undefined && o.kind !== 'bfp') throw new ArithmeticInputError(`${field}.kind`, `must be "bfp", got ${JSON.stringify(o.kind)}`);
  } else {
    throw new ArithmeticInputError(field, `must be a BFP format name or object, got ${JSON.stringify(spec)}`);
  }
  if (o.man === undefined) throw new ArithmeticInputError(`${field}.man`, 'is required');
  const man = checkInt(`${field}.man`, o.man, 1, 24);
  const block = checkInt(`${field}.block`, o.block ?? 16, 1, 4096);
  const expBits = checkInt(`${field}.expBits`, o.expBits ?? 8, 2, 10);
  return Object.freeze({
    kind: 'bfp' as const,
    name: `bfp${man}b${block}${expBits === 8 ? '' : `e${expBits}`}`,
    man, block, expBits,
    emin: -(2 ** (expBits - 1)),
    emax: 2 ** (expBits - 1) - 1,
    maxMag: 2 ** man - 1,
    width: 1 + man,
  });
}

/** Shared exponent of one block: the leading-bit exponent of its largest finite magnitude. */
export function bfpSharedExp(xs: readonly Raw[], f: BfpFormat): number {
  let E = -Infinity;
  for (const x of xs) {
    if (x.kind === Kind.Inf) return f.emax; // ∞ is above every exponent: clamp to the top
    if (x.kind === Kind.Finite) E = Math.max(E, leadExp(x));
  }
  if (E === -Infinity) return f.emin; // a block of zeros (and NaNs): elements are 0 at any E
  return Math.min(f.emax, Math.max(f.emin, E));
}

/**
 * Quantizes exact values into BFP. Each element is rounded once with the mode (under `sr` with
 * its own random word) and saturates at 2^man − 1. Inf saturates (`overflow`, `inexact`); NaN
 * has no encoding and becomes +0 with `invalid` (the rule of a 'finite' float format).
 */
export function bfpQuantize(xs: readonly Raw[], f: BfpFormat, r: VectorRounding): BfpVector {
  const rnd = vectorRounding(r, xs.length, 'element');
  const exps: number[] = [];
  const codes: number[] = [];
  let flags = 0;
  const kmax = BigInt(f.maxMag);
  for (let start = 0; start < xs.length; start += f.block) {
    const blk = xs.slice(start, start + f.block);
    const E = bfpSharedExp(blk, f);
    exps.push(E);
    const q = E - f.man + 1;
    blk.forEach((x, j) => {
      const sign = x.negative ? 2 ** f.man : 0;
      if (x.kind === Kind.NaN) { codes.push(0); flags |= FLAG_INVALID; return; }
      if (x.kind === Kind.Inf) { codes.push(sign + f.maxMag); flags |= FLAG_OVERFLOW | FLAG_INEXACT; return; }
      const g = roundToGrid(x, q, kmax, nth(rnd, start + j));
      codes.push(sign + Number(g.mag));
      flags |= g.flags;
    });
  }
  return { exps, codes, flags };
}

/** Checks a quantized vector against its format (used for operands that come from outside). */
export function checkBfpVector(v: { exps: unknown; codes: unknown }, f: BfpFormat, field: string): BfpVector {
  if (!Array.isArray(v.codes)) throw new ArithmeticInputError(`${field}.codes`, 'must be an array of element codes');
  const nBlocks = Math.ceil(v.codes.length / f.block);
  if (!Array.isArray(v.exps) || v.exps.length !== nBlocks) {
    throw new ArithmeticInputError(`${field}.exps`, `must be an array of ${nBlocks} shared exponents (one per block of ${f.block})`);
  }
  v.exps.forEach((e, i) => checkInt(`${field}.exps[${i}]`, e, f.emin, f.emax));
  v.codes.forEach((c, i) => checkInt(`${field}.codes[${i}]`, c, 0, 2 ** f.width - 1));
  return { exps: v.exps as number[], codes: v.codes as number[], flags: 0 };
}

/** Exact value of element i at unit scale (the shared exponent applied separately). */
export function bfpElement(code: number, f: BfpFormat): Raw {
  const negative = code >= 2 ** f.man;
  return rawOfGrid(negative, BigInt(code % 2 ** f.man), -f.man + 1);
}

/** The values of a BFP vector as doubles (exact: man ≤ 24 and |E| ≤ 512). */
export function bfpDequantize(v: BfpVector, f: BfpFormat): number[] {
  return v.codes.map((c, i) => {
    const m = c % 2 ** f.man;
    const x = m * 2 ** (v.exps[Math.floor(i / f.block)] - f.man + 1);
    return c >= 2 ** f.man ? -x : x;
  });
}
