// Float formats: validation, presets and the derived constants every other golden
// module reads. This file is the one format table of the project (docs/arithmetic.md §1).

export type Specials = 'ieee' | 'fn' | 'finite' | 'p3109e' | 'p3109f';
export type Overflow = 'saturate' | 'infinity';

/** A custom float format as a user writes it. */
export interface FloatFormat {
  /** Exponent bits E, 1..8 (E = 1 only with specials 'finite'). */
  exp: number;
  /** Fraction bits M, 0..23 (M >= 1 for 'ieee' and 'fn': they need a NaN code). */
  man: number;
  /** @defaultValue true */
  subnormals: boolean;
  /** @defaultValue 'ieee' */
  specials: Specials;
  /** @defaultValue 'infinity', except 'saturate' for 'finite' formats (the only legal value there). */
  overflow: Overflow;
}

/** A validated format with the constants derived from it, frozen. */
export interface Format extends Readonly<FloatFormat> {
  readonly name: string;
  /** Total width in bits: 1 + exp + man. */
  readonly width: number;
  readonly bias: number;
  /** Exponent of the smallest normal number: 1 - bias. */
  readonly emin: number;
  /** Exponent of the largest finite binade: bias ('ieee') or bias + 1 ('fn', 'finite'). */
  readonly emax: number;
  /** Largest finite significand at quantum 2^(emax - man), as an integer. */
  readonly maxSig: number;
  /** Largest finite magnitude. */
  readonly maxValue: number;
  readonly signBit: number;
  readonly expMask: number;
  readonly fracMask: number;
  /** Canonical NaN code, or -1 when the format has no NaN. */
  readonly nanCode: number;
  /** +Inf code, or -1 when the format has no infinity. */
  readonly infCode: number;
  /** Code of +max finite. */
  readonly maxCode: number;
  /** Does the format have −0? (P3109 formats do not: their code S.0…0 is the NaN.) */
  readonly signedZero: boolean;
}

/** Thrown for every invalid format, mode or operand: the message names the field. */
export class ArithmeticInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ArithmeticInputError';
  }
}

const FIELDS = ['exp', 'man', 'subnormals', 'specials', 'overflow'] as const;
/** The specials kinds in order: the RTL (fp_defs.vh) and the emulator take their indices. */
export const SPECIALS: readonly Specials[] = ['ieee', 'fn', 'finite', 'p3109e', 'p3109f'];

/** Is this one of the IEEE P3109 specials (single NaN at S.0…0, no −0, bias 2^(E−1))? */
export function isP3109(specials: Specials): boolean {
  return specials === 'p3109e' || specials === 'p3109f';
}

/** The default overflow of a format: `saturate` where it has neither Inf nor NaN, else `infinity`. */
function defaultOverflow(specials: Specials): Overflow {
  return specials === 'finite' ? 'saturate' : 'infinity';
}
/** The overflow rules in order (indices as for SPECIALS). */
export const OVERFLOWS: readonly Overflow[] = ['saturate', 'infinity'];

const PRESETS: Record<string, Partial<FloatFormat> & { exp: number; man: number }> = {
  fp32: { exp: 8, man: 23 },
  bf16: { exp: 8, man: 7 },
  fp16: { exp: 5, man: 10 },
  e5m2: { exp: 5, man: 2 },
  e4m3: { exp: 4, man: 3, specials: 'fn' },
  e3m2: { exp: 3, man: 2, specials: 'finite' },
  e2m3: { exp: 2, man: 3, specials: 'finite' },
  e2m1: { exp: 2, man: 1, specials: 'finite' },
};

/** Names of the preset formats, in table order. */
export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);

const cache = new Map<string, Format>();

/**
 * The code of −x: the sign bit flipped, except in a format without −0 (P3109), where +0 and the
 * one NaN (1|0…0) are their own negation.
 */
export function negateCode(code: number, f: Format): number {
  if (!f.signedZero && code % f.signBit === 0) return code;
  return (code ^ f.signBit) >>> 0;
}

/** Checks an integer field of a specification: an integer in lo..hi, or an error naming the field. */
export function checkInt(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new ArithmeticInputError(field, `must be an integer in ${lo}..${hi}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Rejects fields of a specification object that are not in `allowed`, naming `field.key`. */
export function checkKeys(field: string, o: object, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new ArithmeticInputError(`${field}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

function checkOneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ArithmeticInputError(field, `must be one of ${allowed.join(' | ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** The canonical name of a format: its preset name, else e<E>m<M> plus any non-default fields. */
function nameOf(f: FloatFormat): string {
  for (const [name, p] of Object.entries(PRESETS)) {
    const d = withDefaults(p);
    if (FIELDS.every((k) => d[k] === f[k])) return name;
  }
  const over = f.overflow === defaultOverflow(f.specials) ? [] : [f.overflow === 'saturate' ? 'sat' : 'inf'];
  // P3109 names: binary<K>p<P>s<e|f>, K = 1 + E + M bits, precision P = M + 1 (signed only).
  if (isP3109(f.specials)) return [`binary${1 + f.exp + f.man}p${f.man + 1}s${f.specials === 'p3109e' ? 'e' : 'f'}`, ...over].join('-');
  const parts = [`e${f.exp}m${f.man}`];
  if (f.specials !== 'ieee') parts.push(f.specials);
  if (!f.subnormals) parts.push('nosub');
  return [...parts, ...over].join('-');
}

function withDefaults(p: Partial<FloatFormat> & { exp: unknown; man: unknown }): FloatFormat {
  const specials = p.specials ?? 'ieee';
  return {
    exp: p.exp as number,
    man: p.man as number,
    subnormals: p.subnormals ?? true,
    specials,
    overflow: p.overflow ?? defaultOverflow(specials),
  };
}

function derive(f: FloatFormat): Format {
  const { exp: E, man: M, specials } = f;
  const p3109 = isP3109(specials);
  // P3109: bias 2^(K−P−1) = 2^(E−1), one more than IEEE's, and the all-ones field is normal.
  const bias = p3109 ? 2 ** (E - 1) : 2 ** (E - 1) - 1;
  const signBit = 2 ** (E + M);
  const expMask = (2 ** E - 1) * 2 ** M;
  const fracMask = 2 ** M - 1;
  // Magnitude of the largest finite code: every format but 'finite' and 'p3109f' gives the
  // top code(s) to Inf/NaN — 'ieee' the whole all-ones field, 'fn' (NaN) and 'p3109e' (Inf)
  // the all-ones magnitude only.
  const maxCode = specials === 'ieee' ? expMask - 2 ** M + fracMask
    : specials === 'fn' || specials === 'p3109e' ? signBit - 2 : signBit - 1;
  // Its binade and significand at quantum 2^(emax − M) (max is always a normal number).
  const maxField = Math.floor(maxCode / 2 ** M);
  const emax = maxField - bias;
  const maxSig = 2 ** M + (maxCode % 2 ** M);
  const format: Format = {
    ...f,
    name: nameOf(f),
    width: 1 + E + M,
    bias,
    emin: 1 - bias,
    emax,
    maxSig,
    maxValue: maxSig * 2 ** (emax - M),
    signBit,
    expMask,
    fracMask,
    nanCode: specials === 'ieee' ? expMask + 2 ** (M - 1) : specials === 'fn' ? expMask + fracMask : p3109 ? signBit : -1,
    infCode: specials === 'ieee' ? expMask : specials === 'p3109e' ? signBit - 1 : -1,
    maxCode,
    signedZero: !p3109,
  };
  return Object.freeze(format);
}

/**
 * Validates a format given as a preset name (`fp32`, `bf16`, `fp16`, `e5m2`, `e4m3`, `e3m2`,
 * `e2m3`, `e2m1`, `e<E>m<M>` for a plain ieee format, or a P3109 name `binary<K>p<P>s<e|f>`)
 * or as a (partial) object; missing fields take their defaults. Throws ArithmeticInputError naming the offending field.
 */
export function format(spec: string | Partial<FloatFormat> | Format, field = 'format'): Format {
  if (typeof spec === 'string') {
    const hit = cache.get(spec);
    if (hit) return hit;
    // Own keys only: 'toString' or '__proto__' must not find Object.prototype's members.
    const preset = Object.hasOwn(PRESETS, spec) ? PRESETS[spec] : undefined;
    let parsed: Partial<FloatFormat> & { exp: number; man: number };
    if (preset) parsed = preset;
    else {
      const m = /^e(\d+)m(\d+)$/.exec(spec);
      if (m) parsed = { exp: Number(m[1]), man: Number(m[2]) };
      else if (spec.startsWith('binary')) parsed = parseP3109Name(spec, field);
      else {
        throw new ArithmeticInputError(field, `unknown format name ${JSON.stringify(spec)} (presets: ${PRESET_NAMES.join(', ')}, or e<E>m<M>, or binary<K>p<P>s<e|f>)`);
      }
    }
    const f = validate(parsed, field);
    cache.set(spec, f);
    return f;
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ArithmeticInputError(field, `must be a preset name or a format object, got ${JSON.stringify(spec)}`);
  }
  return validate(spec, field);
}

/**
 * A P3109 name: binary<K>p<P>s<e|f>, optionally -sat or -inf for the non-default overflow
 * (docs/arithmetic.md §1.1). Signed formats only; K and P are checked here, E = K − P and
 * M = P − 1 by validate().
 */
function parseP3109Name(spec: string, field: string): Partial<FloatFormat> & { exp: number; man: number } {
  const m = /^binary(\d+)p(\d+)([a-z])([a-z])(?:-(sat|inf))?$/.exec(spec);
  if (!m) {
    throw new ArithmeticInputError(field, `bad P3109 format name ${JSON.stringify(spec)}: expected binary<K>p<P>s<e|f> with an optional -sat or -inf (e.g. binary8p4se)`);
  }
  const [, k, p, sign, domain, over] = m;
  if (sign === 'u') throw new ArithmeticInputError(field, `${JSON.stringify(spec)}: unsigned P3109 formats are not supported (signed only: binary<K>p<P>s<e|f>)`);
  if (sign !== 's') throw new ArithmeticInputError(field, `${JSON.stringify(spec)}: signedness must be 's' (signed), got '${sign}'`);
  if (domain !== 'e' && domain !== 'f') throw new ArithmeticInputError(field, `${JSON.stringify(spec)}: domain must be 'e' (extended, ±Inf) or 'f' (finite), got '${domain}'`);
  const K = Number(k);
  const P = Number(p);
  if (P < 1 || P > K - 1) throw new ArithmeticInputError(field, `${JSON.stringify(spec)}: precision P must be in 1..K−1 = 1..${K - 1}, got ${P}`);
  const out: Partial<FloatFormat> & { exp: number; man: number } = { exp: K - P, man: P - 1, specials: domain === 'e' ? 'p3109e' : 'p3109f' };
  if (over) out.overflow = over === 'sat' ? 'saturate' : 'infinity';
  return out;
}

function validate(spec: Partial<FloatFormat>, field: string): Format {
  for (const k of Object.keys(spec)) {
    if (!(FIELDS as readonly string[]).includes(k) && !isDerivedKey(k)) {
      throw new ArithmeticInputError(`${field}.${k}`, `unknown field (allowed: ${FIELDS.join(', ')})`);
    }
  }
  if (spec.exp === undefined) throw new ArithmeticInputError(`${field}.exp`, 'is required');
  if (spec.man === undefined) throw new ArithmeticInputError(`${field}.man`, 'is required');
  const f = withDefaults(spec as Partial<FloatFormat> & { exp: unknown; man: unknown });
  checkInt(`${field}.exp`, f.exp, 1, 8);
  checkInt(`${field}.man`, f.man, 0, 23);
  if (typeof f.subnormals !== 'boolean') {
    throw new ArithmeticInputError(`${field}.subnormals`, `must be true or false, got ${JSON.stringify(f.subnormals)}`);
  }
  checkOneOf(`${field}.specials`, f.specials, SPECIALS);
  checkOneOf(`${field}.overflow`, f.overflow, OVERFLOWS);
  const p3109 = isP3109(f.specials);
  if (f.exp === 1 && f.specials !== 'finite' && !p3109) {
    throw new ArithmeticInputError(`${field}.exp`, `exp = 1 is allowed only with specials 'finite', 'p3109e' or 'p3109f' (got '${f.specials}')`);
  }
  if (f.man === 0 && f.specials !== 'finite' && !p3109) {
    throw new ArithmeticInputError(`${field}.man`, `man = 0 is allowed only with specials 'finite', 'p3109e' or 'p3109f': '${f.specials}' needs a NaN code`);
  }
  if (p3109 && f.exp + f.man < 2) {
    throw new ArithmeticInputError(`${field}.man`, `a P3109 format needs K = 1 + exp + man >= 3 bits (got K = ${1 + f.exp + f.man})`);
  }
  if (p3109 && !f.subnormals) {
    throw new ArithmeticInputError(`${field}.subnormals`, `P3109 formats always have subnormals (got false)`);
  }
  if (f.specials === 'finite' && f.overflow !== 'saturate') {
    throw new ArithmeticInputError(`${field}.overflow`, `a 'finite' format has no Inf or NaN and must saturate (got '${f.overflow}')`);
  }
  const key = `${f.exp}/${f.man}/${f.subnormals}/${f.specials}/${f.overflow}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const d = derive(f);
  cache.set(key, d);
  return d;
}

// A derived Format passed back in is accepted as its own spec.
function isDerivedKey(k: string): boolean {
  return ['name', 'width', 'bias', 'emin', 'emax', 'maxSig', 'maxValue', 'signBit', 'expMask', 'fracMask', 'nanCode', 'infCode', 'maxCode', 'signedZero'].includes(k);
}

/** The plain five-field object of a format (what JSON and configs carry). */
export function formatFields(f: Format): FloatFormat {
  return { exp: f.exp, man: f.man, subnormals: f.subnormals, specials: f.specials, overflow: f.overflow };
}
