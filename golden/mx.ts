// OCP Microscaling (MX) v1.0 (SPEC §5, docs/arithmetic.md §7.2): blocks of 32 elements share an
// E8M0 scale X = 2^s (code s + 127; 0xFF is NaN; there is no zero), each element is a small
// float or an 8-bit integer, and the value of element i is X · P_i.
//
//   s = ⌊log2 amax⌋ − emax_elem         'floor' (the spec), from the bits of amax
//   s = smallest with amax ≤ X·max_elem  'ceil'  (no element saturates)
//   s from amax rounded to man_elem+1 bits with ties away, then as 'floor'   'even'
//   s = ⌈log2 fl32(amax / max_elem)⌉     'rceil' (cuBLAS / torchao RCEIL: the quotient in fp32)
//
// s is clamped to [−127, 127]; P_i = V_i / X rounded into the element format with saturation.
import { Kind } from './codec.ts';
import { bitLength, rawOf, roundRaw, type Raw } from './exact.ts';
import { ArithmeticInputError, checkInt, checkKeys, format, type Format } from './format.ts';
import { leadExp, maxMagnitude, nth, rawOfGrid, roundToGrid, vectorRounding, type VectorRounding } from './grid.ts';
import { FLAG_INEXACT, FLAG_OVERFLOW } from './rounding.ts';

export type MxElement = 'e4m3' | 'e5m2' | 'e3m2' | 'e2m3' | 'e2m1' | 'int8';
export type ScaleMode = 'floor' | 'ceil' | 'even' | 'rceil';
export const SCALE_MODES: readonly ScaleMode[] = ['floor', 'ceil', 'even', 'rceil'];

/** The OCP names of the MX formats and their element types. */
export const MX_NAMES: Readonly<Record<string, MxElement>> = {
  'mxfp8-e4m3': 'e4m3', 'mxfp8-e5m2': 'e5m2', 'mxfp6-e3m2': 'e3m2', 'mxfp6-e2m3': 'e2m3', 'mxfp4-e2m1': 'e2m1', mxint8: 'int8',
};

export interface MxFormat {
  readonly kind: 'mx';
  readonly name: string;
  readonly elem: MxElement;
  /** 32 per OCP v1.0; other sizes are accepted for experiments. */
  readonly block: number;
  /** The float element format with overflow 'saturate'; null for MXINT8. */
  readonly elemFormat: Format | null;
  /** Exponent of the largest binade of the element (OCP table: 8, 15, 4, 2, 2, 0). */
  readonly emaxElem: number;
  /** Fraction bits of the element (MXINT8: 6). */
  readonly manElem: number;
  /** Largest element magnitude, exact. */
  readonly maxElem: Raw;
  /** Element code width in bits. */
  readonly width: number;
}

export interface MxVector {
  /** E8M0 codes, one per block. */
  scales: number[];
  codes: number[];
  flags: number;
}

export const E8M0_NAN = 0xff;
const E8M0_BIAS = 127;
const FP32 = format('fp32');
// The element formats of OCP v1.0 with saturating conversion (e4m3 keeps its one NaN code).
const ELEMENTS: Record<Exclude<MxElement, 'int8'>, Format> = {
  e4m3: format({ exp: 4, man: 3, specials: 'fn', overflow: 'saturate' }),
  e5m2: format({ exp: 5, man: 2, overflow: 'saturate' }),
  e3m2: format('e3m2'),
  e2m3: format('e2m3'),
  e2m1: format('e2m1'),
};

/** Validates an MX format: a name (`mxfp8-e4m3` …, `mxint8`) or {kind:'mx', elem, block}. */
export function mxFormat(spec: unknown, field = 'fmt'): MxFormat {
  let elem: unknown;
  let block: unknown = 32;
  if (typeof spec === 'string') {
    elem = MX_NAMES[spec];
    if (elem === undefined) throw new ArithmeticInputError(field, `unknown MX format ${JSON.stringify(spec)} (expected ${Object.keys(MX_NAMES).join(' | ')})`);
  } else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const o = spec as Record<string, unknown>;
    checkKeys(field, o, ['kind', 'elem', 'block']);
    if (o.kind !== undefined && o.kind !== 'mx') throw new ArithmeticInputError(`${field}.kind`, `must be "mx", got ${JSON.stringify(o.kind)}`);
    elem = o.elem;
    block = o.block ?? 32;
    const elems = [...Object.values(MX_NAMES)];
    if (typeof elem !== 'string' || !elems.includes(elem as MxElement)) {
      throw new ArithmeticInputError(`${field}.elem`, `must be one of ${elems.join(' | ')}, got ${JSON.stringify(elem)}`);
    }
  } else {
    throw new ArithmeticInputError(field, `must be an MX format name or object, got ${JSON.stringify(spec)}`);
  }
  const b = checkInt(`${field}.block`, block, 1, 4096);
  const e = elem as MxElement;
  const name = Object.keys(MX_NAMES).find((n) => MX_NAMES[n] === e) as string;
  if (e === 'int8') {
    return Object.freeze({
      kind: 'mx' as const, name: b === 32 ? name : `${name}-b${b}`, elem: e, block: b, elemFormat: null,
      emaxElem: 0, manElem: 6, maxElem: rawOfGrid(false, 127n, -6), width: 8,
    });
  }
  const ef = ELEMENTS[e];
  return Object.freeze({
    kind: 'mx' as const, name: b === 32 ? name : `${name}-b${b}`, elem: e, block: b, elemFormat: ef,
    emaxElem: ef.emax, manElem: ef.man, maxElem: rawOf(ef.maxCode, ef), width: ef.width,
  });
}

export function checkScaleMode(v: unknown, field = 'scale'): ScaleMode {
  if (typeof v !== 'string' || !(SCALE_MODES as readonly string[]).includes(v)) {
    throw new ArithmeticInputError(field, `must be one of ${SCALE_MODES.join(' | ')}, got ${JSON.stringify(v)}`);
  }
  return v as ScaleMode;
}

/** amax rounded to p significant bits, ties away (add half an ulp, truncate). */
function roundAway(x: Raw, p: number): Raw {
  const drop = bitLength(x.sig) - p;
  if (drop <= 0) return x;
  const sig = ((x.sig + (1n << BigInt(drop - 1))) >> BigInt(drop)) << BigInt(drop);
  return { ...x, sig };
}

/** fl32(a / b) under rne for finite non-zero a, b: long division with a sticky bit. */
function divideToFp32(a: Raw, b: Raw): Raw {
  const N = 64n; // quotient bits well beyond fp32's 24 + guard
  const num = a.sig << N;
  const quo = num / b.sig;
  const sticky = num % b.sig === 0n ? 0n : 1n;
  const exact: Raw = { kind: Kind.Finite, negative: false, sig: (quo << 1n) | sticky, exp: a.exp - b.exp - Number(N) - 1 };
  return rawOf(roundRaw(exact, FP32, { mode: 'rne' }).code, FP32);
}

/** The unbiased scale exponent s of one block (before clamping), for finite non-zero amax. */
function scaleExp(amax: Raw, f: MxFormat, mode: ScaleMode): number {
  const floor = leadExp(amax) - f.emaxElem;
  switch (mode) {
    case 'floor': return floor;
    case 'ceil': {
      // amax ≤ max_elem·2^floor, or else the next power: max_elem·2^floor is in the binade of amax.
      const m = f.maxElem;
      const over = compareScaled(amax, m, floor) > 0;
      return over ? floor + 1 : floor;
    }
    case 'even': return leadExp(roundAway(amax, f.manElem + 1)) - f.emaxElem;
    case 'rceil': {
      const q = divideToFp32(amax, f.maxElem);
      if (q.kind === Kind.Zero) return -Infinity;
      if (q.kind === Kind.Inf) return Infinity;
      const e = leadExp(q);
      return q.sig === 1n << BigInt(bitLength(q.sig) - 1) ? e : e + 1;
    }
  }
}

/** sign(|a| − |m|·2^s). */
function compareScaled(a: Raw, m: Raw, s: number): number {
  const ms = { ...m, exp: m.exp + s };
  const e = Math.min(a.exp, ms.exp);
  const x = a.sig << BigInt(a.exp - e);
  const y = ms.sig << BigInt(ms.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The E8M0 code of one block's scale (0xFF when the block holds NaN or Inf). */
export function mxScale(xs: readonly Raw[], f: MxFormat, mode: ScaleMode): number {
  if (xs.some((x) => x.kind === Kind.NaN || x.kind === Kind.Inf)) return E8M0_NAN;
  const amax = maxMagnitude(xs);
  const s = amax.kind === Kind.Zero ? -Infinity : scaleExp(amax, f, mode);
  return Math.min(E8M0_BIAS, Math.max(-E8M0_BIAS, s)) + E8M0_BIAS;
}

/**
 * Quantizes exact values into MX: a scale per block, then P_i = round(V_i / X) into the element
 * format with saturation (V_i / X is exact: a change of exponent). A block holding NaN or Inf
 * gets scale NaN and +0 elements; Inf raises `overflow` and `inexact` (it cannot be represented),
 * NaN nothing (quiet).
 */
export function mxQuantize(xs: readonly Raw[], f: MxFormat, scaleMode: ScaleMode, r: VectorRounding): MxVector {
  const rnd = vectorRounding(r, xs.length, 'element');
  const scales: number[] = [];
  const codes: number[] = [];
  let flags = 0;
  for (let start = 0; start < xs.length; start += f.block) {
    const blk = xs.slice(start, start + f.block);
    const scale = mxScale(blk, f, scaleMode);
    scales.push(scale);
    if (scale === E8M0_NAN) {
      for (const x of blk) {
        codes.push(0);
        if (x.kind === Kind.Inf) flags |= FLAG_OVERFLOW | FLAG_INEXACT;
      }
      continue;
    }
    const s = scale - E8M0_BIAS;
    blk.forEach((x, j) => {
      const y: Raw = x.kind === Kind.Finite ? { ...x, exp: x.exp - s } : x;
      const res = mxElement(y, f, nth(rnd, start + j));
      codes.push(res.code);
      flags |= res.flags;
    });
  }
  return { scales, codes, flags };
}

/** One element: the float conversion with saturation, or MXINT8's two's-complement i/64. */
function mxElement(y: Raw, f: MxFormat, r: ReturnType<typeof nth>): { code: number; flags: number } {
  if (f.elemFormat !== null) return roundRaw(y, f.elemFormat, r);
  // MXINT8 quantizes symmetrically to −127..127 (the OCP reference clamps to ±max); 0x80 = −2
  // is still read as a value.
  const g = roundToGrid(y, -6, 127n, r);
  const i = g.negative ? -Number(g.mag) : Number(g.mag);
  return { code: i & 0xff, flags: g.flags };
}

/** Checks a quantized MX vector that comes from outside. */
export function checkMxVector(v: { scales: unknown; codes: unknown }, f: MxFormat, field: string): MxVector {
  if (!Array.isArray(v.codes)) throw new ArithmeticInputError(`${field}.codes`, 'must be an array of element codes');
  const nBlocks = Math.ceil(v.codes.length / f.block);
  if (!Array.isArray(v.scales) || v.scales.length !== nBlocks) {
    throw new ArithmeticInputError(`${field}.scales`, `must be an array of ${nBlocks} E8M0 scale codes (one per block of ${f.block})`);
  }
  v.scales.forEach((c, i) => checkInt(`${field}.scales[${i}]`, c, 0, 255));
  v.codes.forEach((c, i) => checkInt(`${field}.codes[${i}]`, c, 0, 2 ** f.width - 1));
  return { scales: v.scales as number[], codes: v.codes as number[], flags: 0 };
}

/** Exact value of an element code at unit scale. */
export function mxElementRaw(code: number, f: MxFormat): Raw {
  if (f.elemFormat !== null) return rawOf(code, f.elemFormat);
  const i = code >= 128 ? code - 256 : code;
  return rawOfGrid(i < 0, BigInt(Math.abs(i)), -6);
}

/** The values X · P_i as doubles (exact); every element of a NaN-scale block is NaN. */
export function mxDequantize(v: MxVector, f: MxFormat): number[] {
  return v.codes.map((c, i) => {
    const scale = v.scales[Math.floor(i / f.block)];
    if (scale === E8M0_NAN) return NaN;
    const e = mxElementRaw(c, f);
    const X = 2 ** (scale - E8M0_BIAS);
    if (e.kind === Kind.NaN) return NaN;
    if (e.kind === Kind.Inf) return e.negative ? -Infinity : Infinity;
    const m = e.kind === Kind.Zero ? 0 : Number(e.sig) * 2 ** e.exp * X;
    return e.negative ? -m : m;
  });
}
