// Number formats of the non-GEMM operations (LayerNorm, softmax, GELU, residual adds, the
// optimiser state): a format and a rounding for each place a value is stored — an operation's
// inputs, its outputs and its internal accumulations — fp32 (no rounding) when not set, as
// MPTorch's per-layer format records. Values stay in Float32Arrays; rounding into a format with at
// most 8 exponent and 23 fraction bits gives a value that float32 holds exactly.
import { ArithmeticInputError, decodeFast, fmix32, format, quantizeFast, XorShift32, FLAG_OVERFLOW, FLAG_UNDERFLOW, type Format } from '../golden/index.ts';
import { checkRbits } from '../golden/rounding.ts';
import { decodeArray, quantizeArray } from './quantized.ts';

/** One rounding place: a format and `rne` or `sr` (with `rbits` random bits). */
export interface RoundSpec { fmt: string; mode: 'rne' | 'sr'; rbits?: number }

/** Parses `FMT:MODE[:RBITS]`, e.g. `bf16:rne`, `e4m3:sr`, `e5m2:sr:4`. */
export function parseRoundSpec(text: string, field: string): RoundSpec {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new ArithmeticInputError(field, `expected FMT:rne or FMT:sr[:RBITS] (e.g. bf16:sr), got ${JSON.stringify(text)}`);
  }
  const [fmt, mode, rbits] = parts;
  return checkRoundSpec({ fmt, mode: mode as RoundSpec['mode'], ...(rbits === undefined ? {} : { rbits: Number(rbits) }) }, field);
}

/** Validates a RoundSpec (errors name the field); fills rbits (8) in for sr. */
export function checkRoundSpec(s: unknown, field: string): RoundSpec {
  if (typeof s === 'string') return parseRoundSpec(s, field);
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new ArithmeticInputError(field, 'must be "FMT:MODE" or an object {fmt, mode, rbits?}');
  const o = s as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['fmt', 'mode', 'rbits'].includes(k)) throw new ArithmeticInputError(`${field}.${k}`, 'unknown field (allowed: fmt, mode, rbits)');
  if (typeof o.fmt !== 'string') throw new ArithmeticInputError(`${field}.fmt`, `must be a format name, got ${JSON.stringify(o.fmt)}`);
  format(o.fmt, `${field}.fmt`);
  if (o.mode !== 'rne' && o.mode !== 'sr') throw new ArithmeticInputError(`${field}.mode`, `must be rne or sr, got ${JSON.stringify(o.mode)}`);
  if (o.mode === 'rne') {
    if (o.rbits !== undefined) throw new ArithmeticInputError(`${field}.rbits`, "only allowed with mode 'sr'");
    return { fmt: o.fmt, mode: 'rne' };
  }
  return { fmt: o.fmt, mode: 'sr', rbits: checkRbits(o.rbits ?? 8, `${field}.rbits`) };
}

export interface RoundCounts { overflow: number; underflow: number }

/**
 * A rounding place bound to a random stream. `array` rounds a whole array in place; `one` rounds
 * a single value (the internal accumulations). `sr` draws `rbits` bits of a xorshift32 stream per
 * rounded value, in order, so a run is reproducible.
 */
export class Rounder {
  readonly f: Format;
  readonly counts: RoundCounts = { overflow: 0, underflow: 0 };
  private readonly rng: XorShift32 | null;
  private readonly rbits: number;
  constructor(readonly spec: RoundSpec, seed: number) {
    this.f = format(spec.fmt, 'fmt');
    this.rbits = spec.mode === 'sr' ? spec.rbits ?? 8 : 0;
    this.rng = spec.mode === 'sr' ? new XorShift32(fmix32(seed >>> 0) || 1) : null;
  }

  one(x: number): number {
    const r = this.rng ? quantizeFast(x, this.f, { mode: 'sr', rbits: this.rbits, rand: this.rng.next(this.rbits) }) : quantizeFast(x, this.f, { mode: 'rne' });
    if (r.flags & FLAG_OVERFLOW) this.counts.overflow++;
    if (r.flags & FLAG_UNDERFLOW) this.counts.underflow++;
    return decodeFast(r.code, this.f);
  }

  array(x: Float32Array): Float32Array {
    if (this.rng) {
      for (let i = 0; i < x.length; i++) x[i] = this.one(x[i]);
      return x;
    }
    const c = { calls: 0, macs: 0, overflow: 0, underflow: 0, invalid: 0 };
    x.set(decodeArray(quantizeArray(x, this.f, 'rne', c), this.f));
    this.counts.overflow += c.overflow;
    this.counts.underflow += c.underflow;
    return x;
  }
}

/** The rounding places of one element-wise operation; each absent place is fp32. */
export interface OpPrecisionSpec { input?: RoundSpec | string; output?: RoundSpec | string; acc?: RoundSpec | string }
export const OP_NAMES = ['layernorm', 'softmax', 'gelu', 'residual'] as const;
export type OpName = (typeof OP_NAMES)[number];
/** Formats of the ViT's element-wise operations, by operation. */
export type OpsSpec = Partial<Record<OpName, OpPrecisionSpec>>;

export interface OpPrecision { input: Rounder | null; output: Rounder | null; acc: Rounder | null }

const PLACES = ['input', 'output', 'acc'] as const;

/** Validates an OpsSpec (errors name the field, e.g. `ops.softmax.acc.mode`). */
export function checkOps(spec: unknown): OpsSpec {
  if (spec === undefined || spec === null) return {};
  if (typeof spec !== 'object' || Array.isArray(spec)) throw new ArithmeticInputError('ops', 'must be an object {layernorm?, softmax?, gelu?, residual?}');
  const out: OpsSpec = {};
  for (const [k, v] of Object.entries(spec as Record<string, unknown>)) {
    if (!(OP_NAMES as readonly string[]).includes(k)) throw new ArithmeticInputError(`ops.${k}`, `unknown operation (allowed: ${OP_NAMES.join(', ')})`);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ArithmeticInputError(`ops.${k}`, 'must be an object {input?, output?, acc?}');
    const p: OpPrecisionSpec = {};
    for (const [place, r] of Object.entries(v as Record<string, unknown>)) {
      if (!(PLACES as readonly string[]).includes(place)) throw new ArithmeticInputError(`ops.${k}.${place}`, `unknown place (allowed: ${PLACES.join(', ')})`);
      p[place as (typeof PLACES)[number]] = checkRoundSpec(r, `ops.${k}.${place}`);
    }
    out[k as OpName] = p;
  }
  return out;
}

/** `FMT:MODE` for every place of every operation (the CLI's --ops bf16:rne). */
export function uniformOps(text: string): OpsSpec {
  const r = parseRoundSpec(text, '--ops');
  return Object.fromEntries(OP_NAMES.map((n) => [n, { input: r, output: r, acc: r }])) as OpsSpec;
}

/** The rounders of operation `op` of layer `layer`, seeded per (run seed, layer, place). */
export function opPrecision(spec: OpsSpec, op: OpName, layer: string, seed: number): OpPrecision {
  const p = spec[op] ?? {};
  const make = (place: (typeof PLACES)[number]): Rounder | null => {
    const s = p[place];
    if (s === undefined) return null;
    let h = fmix32((seed ^ 0x0e1e) >>> 0);
    for (const ch of `${layer}/${op}/${place}`) h = fmix32((h ^ ch.charCodeAt(0)) >>> 0);
    return new Rounder(checkRoundSpec(s, `ops.${op}.${place}`), h);
  };
  return { input: make('input'), output: make('output'), acc: make('acc') };
}

export const FP32_OP: OpPrecision = { input: null, output: null, acc: null };

/** Sum of counts of rounders (for the run JSON). */
export function addCounts(into: RoundCounts, r: Rounder | null): void {
  if (!r) return;
  into.overflow += r.counts.overflow;
  into.underflow += r.counts.underflow;
}
