// Format description, code -> double decoder and double -> code encoder for the MPFR oracle.
// Written from the arithmetic contract only (independent of golden/): integer and bit
// operations plus exact power-of-two scaling; no Math.log2 / Math.pow.

export interface OracleFormat {
  exp: number;
  man: number;
  subnormals: boolean;
  specials: 'ieee' | 'fn' | 'finite' | 'p3109e' | 'p3109f';
  overflow: 'saturate' | 'infinity';
}

export const SPEC_IEEE = 0;
export const SPEC_FN = 1;
export const SPEC_FINITE = 2;
// IEEE P3109 (signed): one NaN at 1|0…0, no −0, bias 2^(E−1), the all-ones magnitude ±Inf
// (extended) or ±max (finite), subnormals always.
export const SPEC_P3109E = 3;
export const SPEC_P3109F = 4;
const SPEC_OF = { ieee: SPEC_IEEE, fn: SPEC_FN, finite: SPEC_FINITE, p3109e: SPEC_P3109E, p3109f: SPEC_P3109F } as const;

/** Is the spec one of P3109's (no negative zero)? */
export function isP3109Spec(spec: number): boolean {
  return spec === SPEC_P3109E || spec === SPEC_P3109F;
}

/** Exact powers of two 2^n for n in [-1074, 1023], built by exact doubling/halving. */
const P2_OFF = 1074;
const P2 = new Float64Array(1074 + 1024);
P2[P2_OFF] = 1;
for (let i = 1; i <= 1023; i++) P2[P2_OFF + i] = P2[P2_OFF + i - 1] * 2;
for (let i = 1; i <= 1074; i++) P2[P2_OFF - i] = P2[P2_OFF - i + 1] / 2;

export function pow2(n: number): number {
  if (n < -1074 || n > 1023 || (n | 0) !== n) throw new RangeError(`pow2: exponent ${n} out of range`);
  return P2[P2_OFF + n];
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little endian: high word is [1]

/** floor(log2(v)) for a positive NORMAL double v, read from its exponent bits. */
export function exponentOf(v: number): number {
  F64[0] = v;
  return ((U32[HI] >>> 20) & 0x7ff) - 1023;
}

/** Everything the oracle needs about one format, derived once. */
export interface FormatParams {
  readonly E: number;
  readonly M: number;
  readonly p: number; // significand precision M + 1
  readonly bias: number;
  readonly emin: number;
  readonly emax: number;
  readonly sub: boolean;
  readonly spec: number; // SPEC_*
  readonly sat: boolean; // overflow = saturate (always true for finite)
  readonly expMask: number;
  readonly fracMask: number;
  readonly signShift: number; // E + M
  readonly minNormal: number; // 2^emin
  readonly subQuantum: number; // 2^(emin - M)
  readonly max: number; // largest finite magnitude
  readonly maxCode: number; // its positive code
  readonly nanCode: number; // canonical NaN code (-1 when the format has none)
  readonly infCode: number; // +Inf code (-1 when the format has none)
  readonly negBit: number; // 2^(E+M), the sign bit as a number
}

const cache = new Map<number, FormatParams>();

export function formatParams(f: OracleFormat): FormatParams {
  const spec = SPEC_OF[f.specials];
  if (spec === undefined) throw new RangeError(`oracle: unknown specials ${String(f.specials)}`);
  const sat = f.overflow === 'saturate';
  const key = f.exp | (f.man << 4) | ((f.subnormals ? 1 : 0) << 9) | (spec << 10) | ((sat ? 1 : 0) << 13);
  let fp = cache.get(key);
  if (fp === undefined) {
    fp = buildParams(f.exp, f.man, f.subnormals, spec, sat || spec === SPEC_FINITE);
    cache.set(key, fp);
  }
  return fp;
}

function buildParams(E: number, M: number, sub: boolean, spec: number, sat: boolean): FormatParams {
  if (!Number.isInteger(E) || E < 1 || E > 8) throw new RangeError(`exp bits ${E} not in 1..8`);
  if (!Number.isInteger(M) || M < 0 || M > 23) throw new RangeError(`man bits ${M} not in 0..23`);
  const p3109 = isP3109Spec(spec);
  if (p3109 && (E + M < 2 || !sub)) throw new RangeError(`oracle: a P3109 format needs K >= 3 and subnormals`);
  const bias = p3109 ? 1 << (E - 1) : (1 << (E - 1)) - 1;
  const emin = 1 - bias;
  const emax = spec === SPEC_IEEE ? bias : bias + 1;
  const expMask = (1 << E) - 1;
  const fracMask = (1 << M) - 1;
  // Largest finite positive code: ieee -> below the all-ones exponent; fn -> one below the
  // NaN pattern; finite -> all ones. Its value equals the contract's max formula
  // ((2 - 2^-M)*2^emax for ieee/finite, (2 - 2^(1-M))*2^emax for fn) in every format that has
  // normal numbers at emax; degenerate formats (ieee E=1, fn M=0) use the largest encoding.
  const allOnes = (expMask << M) | fracMask;
  // P3109 extended: the all-ones magnitude is +Inf, max is the code below it.
  const maxCode = spec === SPEC_IEEE ? ((expMask - 1) << M) | fracMask : spec === SPEC_FN || spec === SPEC_P3109E ? allOnes - 1 : allOnes;
  const nanCode = spec === SPEC_IEEE ? (M === 0 ? -1 : (expMask << M) | (1 << (M - 1))) : spec === SPEC_FN ? allOnes : p3109 ? allOnes + 1 : -1;
  const infCode = spec === SPEC_IEEE ? expMask << M : spec === SPEC_P3109E ? allOnes : -1;
  const fp: FormatParams = {
    E, M, p: M + 1, bias, emin, emax, sub, spec, sat, expMask, fracMask, signShift: E + M,
    minNormal: pow2(emin), subQuantum: pow2(emin - M), max: 0, maxCode, nanCode, infCode, negBit: pow2(E + M),
  };
  (fp as { max: number }).max = rawValue(fp, maxCode);
  return fp;
}

/** Magnitude of a finite code as written (ignores the subnormals=false flush). */
function rawValue(fp: FormatParams, code: number): number {
  const field = (code >>> fp.M) & fp.expMask;
  const frac = code & fp.fracMask;
  if (field === 0) return frac * fp.subQuantum;
  return (fp.fracMask + 1 + frac) * pow2(field - fp.bias - fp.M);
}

/** Decode a code to a double (exact). NaN codes give NaN, Inf codes give +-Infinity. */
export function decode(fp: FormatParams, code: number): number {
  if (code < 0 || code >= 2 * fp.negBit || (code >>> 0) !== code) {
    throw new RangeError(`code ${code} out of range for e${fp.E}m${fp.M}`);
  }
  const neg = (code >>> fp.signShift) & 1;
  const field = (code >>> fp.M) & fp.expMask;
  const frac = code & fp.fracMask;
  let v: number;
  if (isP3109Spec(fp.spec)) {
    if (code === fp.nanCode) return NaN; // 1|0…0
    if (fp.spec === SPEC_P3109E && code - neg * fp.negBit === fp.infCode) return neg ? -Infinity : Infinity;
  } else if (field === fp.expMask && fp.spec !== SPEC_FINITE) {
    if (fp.spec === SPEC_IEEE) {
      if (frac !== 0) return NaN;
      return neg ? -Infinity : Infinity;
    }
    if (frac === fp.fracMask) return NaN; // fn: S.1..1.1..1
  }
  if (field === 0) v = fp.sub ? frac * fp.subQuantum : 0;
  else v = (fp.fracMask + 1 + frac) * pow2(field - fp.bias - fp.M);
  return neg ? -v : v;
}

/**
 * Encode a finite magnitude that is already on the format's grid and <= max, with a sign.
 * Throws if the value is not representable (an oracle bug, never silently wrong).
 */
export function encode(fp: FormatParams, mag: number, neg: boolean): number {
  let body: number;
  if (mag === 0) body = 0;
  else {
    const e = exponentOf(mag);
    let field: number;
    let frac: number;
    if (e < fp.emin) {
      field = 0;
      frac = mag / fp.subQuantum;
      if (!fp.sub) frac = -1; // a subnormal result in a no-subnormal format is a bug
    } else {
      field = e + fp.bias;
      frac = mag * pow2(fp.M - e) - (fp.fracMask + 1);
    }
    if (!(frac >= 0 && frac <= fp.fracMask && Number.isInteger(frac)) || field > fp.expMask || mag > fp.max) {
      throw new Error(`oracle: magnitude ${mag} not representable in e${fp.E}m${fp.M}`);
    }
    body = (field << fp.M) | frac;
  }
  if (body === 0 && isP3109Spec(fp.spec)) return 0; // no −0: a zero is +0
  return neg ? body + fp.negBit : body;
}

export function signedMax(fp: FormatParams, neg: boolean): number {
  return neg ? fp.maxCode + fp.negBit : fp.maxCode;
}

export function signedInf(fp: FormatParams, neg: boolean): number {
  return neg ? fp.infCode + fp.negBit : fp.infCode;
}
