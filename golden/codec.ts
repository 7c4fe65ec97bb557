// Encodings: code → class/sign/significand/exponent, and code → float64 (always exact:
// exp <= 8 and man <= 23 fit a double).
//
//   code:  | s | exponent field (exp bits) | fraction (man bits) |
//            MSB                                              LSB
import { ArithmeticInputError, type Format } from './format.ts';

export enum Kind { Zero = 0, Finite = 1, Inf = 2, NaN = 3 }

/** A decoded operand: (-1)^sign · sig · 2^exp for Finite; sign only for Zero and Inf. */
export interface Decoded {
  kind: Kind;
  negative: boolean;
  /** Integer significand (hidden bit included for normals). */
  sig: number;
  exp: number;
}

/** Throws unless `code` is an integer encoding of the format's width. */
export function checkCode(code: unknown, f: Format, field = 'code'): number {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code >= 2 * f.signBit) {
    throw new ArithmeticInputError(field, `must be a ${f.width}-bit code (0..0x${(2 * f.signBit - 1).toString(16)}) for ${f.name}, got ${typeof code === 'number' ? '0x' + code.toString(16) : JSON.stringify(code)}`);
  }
  return code;
}

/** Decodes a code (assumed valid). Subnormal codes of a format without subnormals read as ±0. */
export function decode(code: number, f: Format): Decoded {
  const M = f.man;
  const negative = code >= f.signBit;
  const field = Math.floor(code / 2 ** M) % 2 ** f.exp;
  const frac = code % 2 ** M;
  const top = 2 ** f.exp - 1;
  // P3109: S.0…0 is the one NaN (there is no −0); in the extended domain the all-ones
  // magnitude is ±Inf, in the finite domain it is ±max like every other code.
  if (!f.signedZero && code === f.nanCode) return { kind: Kind.NaN, negative: true, sig: 0, exp: 0 };
  if (f.specials === 'p3109e' && code % f.signBit === f.infCode) return { kind: Kind.Inf, negative, sig: 0, exp: 0 };
  if (field === top) {
    if (f.specials === 'ieee') return { kind: frac === 0 ? Kind.Inf : Kind.NaN, negative, sig: 0, exp: 0 };
    if (f.specials === 'fn' && frac === f.fracMask) return { kind: Kind.NaN, negative, sig: 0, exp: 0 };
  }
  if (field === 0) {
    if (frac === 0 || !f.subnormals) return { kind: Kind.Zero, negative, sig: 0, exp: 0 };
    return { kind: Kind.Finite, negative, sig: frac, exp: f.emin - M };
  }
  return { kind: Kind.Finite, negative, sig: frac + 2 ** M, exp: field - f.bias - M };
}

/** The value of a code as a double (NaN, ±Infinity, ±0 included). Exact. */
export function toNumber(code: number, f: Format): number {
  const d = decode(code, f);
  let v: number;
  switch (d.kind) {
    case Kind.NaN: return NaN;
    case Kind.Inf: v = Infinity; break;
    case Kind.Zero: v = 0; break;
    default: v = d.sig * 2 ** d.exp;
  }
  return d.negative ? -v : v;
}

/** Is this code a NaN of the format? */
export function isNaNCode(code: number, f: Format): boolean {
  return decode(code, f).kind === Kind.NaN;
}

/**
 * Parses a "0x…" hex string into a code of `width` bits; `fits` names the bits in the error
 * (a format's: "the 16 bits of fp16"; block element codes and scales: "8 bits").
 */
export function parseHexBits(text: unknown, width: number, field: string, fits = `${width} bits`): number {
  if (typeof text !== 'string' || !/^0[xX][0-9a-fA-F]+$/.test(text)) {
    throw new ArithmeticInputError(field, `must be a hex string like "0x3c00", got ${JSON.stringify(text)}`);
  }
  const v = parseInt(text.slice(2), 16);
  if (!Number.isSafeInteger(v) || v >= 2 ** width) throw new ArithmeticInputError(field, `${text} does not fit ${fits}`);
  return v;
}

/** Parses a "0x…" hex string into a code of the format. */
export function parseHexCode(text: unknown, f: Format, field: string): number {
  return parseHexBits(text, f.width, field, `the ${f.width} bits of ${f.name}`);
}

/** Formats a code as "0x…" with as many hex digits as `width` bits need. */
export function hexBits(code: number, width: number): string {
  return '0x' + code.toString(16).padStart(Math.ceil(width / 4), '0');
}

/** Formats a code as "0x…" with as many hex digits as the format's width needs. */
export function hexCode(code: number, f: Format): string {
  return hexBits(code, f.width);
}
