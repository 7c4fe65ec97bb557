// Integer and fixed-point tensors (SPEC §5, docs/arithmetic.md §7.3): w-bit integers i with one
// power-of-two scale 2^s for the whole tensor, value = i · 2^s.
//
//   int<w>      two's complement, i in [−2^(w−1), 2^(w−1) − 1]
//   int<w>-sym  symmetric,        i in [−(2^(w−1) − 1), 2^(w−1) − 1]   (0x80…0 never produced)
//   fixed(wl, fl) = two's complement wl bits with the fixed scale 2^−fl
//
// Codes are the w-bit two's-complement encodings. With scale 'auto' the tensor's largest
// magnitude puts its leading bit on the top magnitude bit: s = ⌊log2 amax⌋ − (w − 2), from bits.
import type { Raw } from './exact.ts';
import { Kind } from './codec.ts';
import { ArithmeticInputError, checkInt, checkKeys } from './format.ts';
import { leadExp, maxMagnitude, nth, rawOfGrid, roundToGrid, vectorRounding, type VectorRounding } from './grid.ts';
import { FLAG_INEXACT, FLAG_INVALID, FLAG_OVERFLOW } from './rounding.ts';

export type IntSigned = 'twos' | 'symmetric';

export interface IntFormatSpec {
  kind?: 'int' | 'fixed';
  /** Word width w (int), 2..32. */
  width?: number;
  /** @defaultValue 'twos' */
  signed?: IntSigned;
  /** 'auto' (per tensor, from amax) or a fixed scale exponent. @defaultValue 'auto' */
  scale?: 'auto' | number;
  /** fixed: word length and fraction length (scale 2^−fl, two's complement). */
  wl?: number;
  fl?: number;
}

export interface IntFormat {
  readonly kind: 'int';
  readonly name: string;
  readonly width: number;
  readonly signed: IntSigned;
  readonly scale: 'auto' | number;
  /** Largest magnitudes of a positive and of a negative value. */
  readonly maxPos: number;
  readonly maxNeg: number;
}

export interface IntVector {
  /** The tensor's scale exponent s. */
  exp: number;
  codes: number[];
  flags: number;
}

const SCALE_RANGE = 1100; // any exponent of a double's range, with room for w

/** Validates `int<w>`, `int<w>-sym`, `fixed<wl>.<fl>` or an object {kind, width, signed, scale} / {kind:'fixed', wl, fl}. */
export function intFormat(spec: unknown, field = 'fmt'): IntFormat {
  let width: number;
  let signed: IntSigned = 'twos';
  let scale: 'auto' | number = 'auto';
  if (typeof spec === 'string') {
    const mi = /^int(\d+)(-sym)?$/.exec(spec);
    const mf = /^fixed(\d+)\.(\d+)$/.exec(spec);
    if (mi) {
      width = checkInt(`${field}.width`, Number(mi[1]), 2, 32);
      if (mi[2]) signed = 'symmetric';
    } else if (mf) {
      width = checkInt(`${field}.wl`, Number(mf[1]), 2, 32);
      scale = 0 - checkInt(`${field}.fl`, Number(mf[2]), 0, SCALE_RANGE);
    } else {
      throw new ArithmeticInputError(field, `unknown integer format ${JSON.stringify(spec)} (expected int<w>, int<w>-sym or fixed<wl>.<fl>)`);
    }
  } else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const o = spec as Record<string, unknown>;
    if (o.kind === 'fixed') {
      checkKeys(field, o, ['kind', 'wl', 'fl']);
      if (o.wl === undefined) throw new ArithmeticInputError(`${field}.wl`, 'is required');
      if (o.fl === undefined) throw new ArithmeticInputError(`${field}.fl`, 'is required');
      width = checkInt(`${field}.wl`, o.wl, 2, 32);
      scale = 0 - checkInt(`${field}.fl`, o.fl, -SCALE_RANGE, SCALE_RANGE);
    } else {
      if (o.kind !== undefined && o.kind !== 'int') throw new ArithmeticInputError(`${field}.kind`, `must be "int" or "fixed", got ${JSON.stringify(o.kind)}`);
      checkKeys(field, o, ['kind', 'width', 'signed', 'scale']);
      if (o.width === undefined) throw new ArithmeticInputError(`${field}.width`, 'is required');
      width = checkInt(`${field}.width`, o.width, 2, 32);
      if (o.signed !== undefined) {
        if (o.signed !== 'twos' && o.signed !== 'symmetric') throw new ArithmeticInputError(`${field}.signed`, `must be one of twos | symmetric, got ${JSON.stringify(o.signed)}`);
        signed = o.signed;
      }
      if (o.scale !== undefined && o.scale !== 'auto') scale = checkInt(`${field}.scale`, o.scale, -SCALE_RANGE, SCALE_RANGE);
    }
  } else {
    throw new ArithmeticInputError(field, `must be an integer format name or object, got ${JSON.stringify(spec)}`);
  }
  const top = 2 ** (width - 1);
  const base = `int${width}${signed === 'symmetric' ? '-sym' : ''}`;
  return Object.freeze({
    kind: 'int' as const,
    name: scale === 'auto' ? base : `${base}@2^${scale}`,
    width, signed, scale,
    maxPos: top - 1,
    maxNeg: signed === 'twos' ? top : top - 1,
  });
}

/** The tensor's scale exponent: fixed, or from the bits of the largest finite magnitude. */
export function intScaleExp(xs: readonly Raw[], f: IntFormat): number {
  if (f.scale !== 'auto') return f.scale;
  const amax = maxMagnitude(xs);
  return amax.kind === Kind.Zero ? 0 : leadExp(amax) - (f.width - 2);
}

/**
 * Quantizes exact values: i = round(x / 2^s) with the mode (under `sr` one word per element),
 * saturating at the format's range (`overflow`, `inexact`). Inf saturates too; NaN becomes 0
 * with `invalid`.
 */
export function intQuantize(xs: readonly Raw[], f: IntFormat, r: VectorRounding): IntVector {
  const rnd = vectorRounding(r, xs.length, 'element');
  const s = intScaleExp(xs, f);
  const mask = 2 ** f.width;
  let flags = 0;
  const codes = xs.map((x, i) => {
    const kmax = x.negative ? f.maxNeg : f.maxPos;
    if (x.kind === Kind.NaN) { flags |= FLAG_INVALID; return 0; }
    if (x.kind === Kind.Inf) { flags |= FLAG_OVERFLOW | FLAG_INEXACT; return x.negative ? mask - kmax : kmax; }
    const g = roundToGrid(x, s, BigInt(kmax), nth(rnd, i));
    flags |= g.flags;
    const v = Number(g.mag);
    return g.negative && v !== 0 ? mask - v : v;
  });
  return { exp: s, codes, flags };
}

/** Checks a quantized integer vector that comes from outside. */
export function checkIntVector(v: { exp: unknown; codes: unknown }, f: IntFormat, field: string): IntVector {
  if (!Array.isArray(v.codes)) throw new ArithmeticInputError(`${field}.codes`, 'must be an array of element codes');
  const exp = checkInt(`${field}.exp`, v.exp, -SCALE_RANGE, SCALE_RANGE);
  if (f.scale !== 'auto' && exp !== f.scale) throw new ArithmeticInputError(`${field}.exp`, `must be the format's fixed scale ${f.scale}, got ${exp}`);
  v.codes.forEach((c, i) => checkInt(`${field}.codes[${i}]`, c, 0, 2 ** f.width - 1));
  return { exp, codes: v.codes as number[], flags: 0 };
}

/** The signed integer of a code. */
export function intValue(code: number, f: IntFormat): number {
  return code >= 2 ** (f.width - 1) ? code - 2 ** f.width : code;
}

/** Exact value of element i at unit scale. */
export function intElementRaw(code: number, f: IntFormat): Raw {
  const i = intValue(code, f);
  return rawOfGrid(i < 0, BigInt(Math.abs(i)), 0);
}

/** The values i · 2^s as doubles (exact for w ≤ 32 within the double range). */
export function intDequantize(v: IntVector, f: IntFormat): number[] {
  return v.codes.map((c) => intValue(c, f) * 2 ** v.exp);
}
