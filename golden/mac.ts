// The MAC of a processing element (docs/arithmetic.md §4–5):
//   separate: p = round_mul(a·b); acc ← round_acc(acc + p)
//   fused:    acc ← round_acc(acc + a·b)
//   exact:    S ← S + a·b exactly (a wide fixed-point register); C = round_acc(S) once, at drain
// and, with `kahan`, the compensated (Kahan) accumulation of §5.2 in the accumulator format.
import { decode, Kind } from './codec.ts';
import { addExact, addRaw, fmaExact, mulExact, mulRaw, rawOf, roundRaw, type Raw } from './exact.ts';
import { addFast, fmaFast, mulFast } from './fast.ts';
import { ArithmeticInputError, format, negateCode, type FloatFormat, type Format } from './format.ts';
import { checkMode, checkRbits, type Mode, type Result, type Rounding } from './rounding.ts';

export type MacStyle = 'separate' | 'fused' | 'exact';
/** The styles whose accumulator is a float register rounded at every MAC. */
export type FloatMacStyle = Exclude<MacStyle, 'exact'>;

/** A rounding step whose R (under `sr`) comes from a generator. */
export interface Step {
  readonly fmt: Format;
  readonly mode: Mode;
  /** Random bits r, only with `sr`. */
  readonly rbits?: number;
}

export interface MacConfig {
  /** Operand formats of A and B. */
  readonly a: Format;
  readonly b: Format;
  /** Multiply rounding; with `fused` it is not used and may be omitted. */
  readonly mul?: Step;
  readonly acc: Step;
  readonly style: MacStyle;
  /** Compensated (Kahan) accumulation in the accumulator format (§5.2); `separate` and `fused` only. */
  readonly kahan?: boolean;
}

/** A MAC configuration as JSON carries it: formats by name or object. */
export interface MacConfigSpec {
  a: string | Partial<FloatFormat>;
  b: string | Partial<FloatFormat>;
  mul?: { fmt: string | Partial<FloatFormat>; mode: string; rbits?: number };
  acc: { fmt: string | Partial<FloatFormat>; mode: string; rbits?: number };
  style: string;
  kahan?: boolean;
}

export function step(spec: { fmt: unknown; mode: unknown; rbits?: unknown }, field: string): Step {
  if (spec === null || typeof spec !== 'object') throw new ArithmeticInputError(field, 'must be an object {fmt, mode, rbits?}');
  for (const k of Object.keys(spec)) {
    if (!['fmt', 'mode', 'rbits'].includes(k)) throw new ArithmeticInputError(`${field}.${k}`, 'unknown field (allowed: fmt, mode, rbits)');
  }
  const fmt = format(spec.fmt as string, `${field}.fmt`);
  const mode = checkMode(spec.mode, `${field}.mode`);
  if (mode === 'sr') return { fmt, mode, rbits: checkRbits(spec.rbits, `${field}.rbits`) };
  if (spec.rbits !== undefined) throw new ArithmeticInputError(`${field}.rbits`, `only allowed with mode 'sr' (mode is '${mode}')`);
  return { fmt, mode };
}

/** Validates a MAC configuration; errors name the field (`mul.rbits`, `style`, …). */
export function macConfig(spec: MacConfigSpec): MacConfig {
  if (spec === null || typeof spec !== 'object') throw new ArithmeticInputError('mac', 'must be an object {a, b, mul, acc, style}');
  const style = spec.style;
  if (style !== 'separate' && style !== 'fused' && style !== 'exact') {
    throw new ArithmeticInputError('style', `must be 'separate', 'fused' or 'exact', got ${JSON.stringify(style)}`);
  }
  if (style === 'separate' && spec.mul === undefined) throw new ArithmeticInputError('mul', "is required with style 'separate'");
  if (spec.kahan !== undefined && typeof spec.kahan !== 'boolean') throw new ArithmeticInputError('kahan', `must be true or false, got ${JSON.stringify(spec.kahan)}`);
  if (spec.kahan === true && style === 'exact') {
    throw new ArithmeticInputError('kahan', "compensation is for the float accumulators ('separate', 'fused'); style 'exact' rounds once and has nothing to compensate");
  }
  return {
    a: format(spec.a as string, 'a'),
    b: format(spec.b as string, 'b'),
    mul: spec.mul === undefined ? undefined : step(spec.mul, 'mul'),
    acc: step(spec.acc, 'acc'),
    style,
    ...(spec.kahan === true ? { kahan: true } : {}),
  };
}

/** How many random words a MAC draws from its PE's accumulate generator: 4 with Kahan (§5.2), else 1. */
export function accDraws(cfg: MacConfig): number {
  return cfg.kahan ? 4 : 1;
}

/** Does this configuration consume random bits? */
export function usesSr(cfg: MacConfig): boolean {
  return cfg.acc.mode === 'sr' || (cfg.style === 'separate' && cfg.mul?.mode === 'sr');
}

function rounding(s: Step, rand: number): Rounding {
  return s.mode === 'sr' ? { mode: 'sr', rbits: s.rbits, rand } : { mode: s.mode };
}

export type Path = 'exact' | 'fast';

/**
 * One MAC of a float style (`separate`, `fused`; not `exact`, which has no per-MAC rounding:
 * see exactDot) without compensation: returns the new accumulator code and the flags of its roundings (OR).
 * `randMul`/`randAcc` are the R values of this step's generators (ignored unless `sr`).
 */
export function mac(acc: number, a: number, b: number, cfg: MacConfig, randMul = 0, randAcc = 0, path: Path = 'exact'): Result {
  const ops = path === 'exact' ? { mul: mulExact, add: addExact, fma: fmaExact } : { mul: mulFast, add: addFast, fma: fmaFast };
  const accFmt = cfg.acc.fmt;
  if (cfg.style === 'exact' || cfg.kahan) throw new RangeError(`mac: a '${cfg.style}${cfg.kahan ? '+kahan' : ''}' MAC is not one rounding per step (use exactDot / kahanMac)`);
  if (cfg.style === 'fused') {
    return ops.fma(a, cfg.a, b, cfg.b, acc, accFmt, accFmt, rounding(cfg.acc, randAcc));
  }
  const mulStep = cfg.mul as Step;
  const p = ops.mul(a, cfg.a, b, cfg.b, mulStep.fmt, rounding(mulStep, randMul));
  const s = ops.add(acc, accFmt, p.code, mulStep.fmt, accFmt, rounding(cfg.acc, randAcc));
  return { code: s.code, flags: s.flags | p.flags };
}

/** The state of a compensated accumulator: the sum s and the compensation c, codes of the accumulator format. */
export interface KahanState { s: number; c: number }

/**
 * One compensated MAC (docs/arithmetic.md §5.2), every rounding in the accumulator's step:
 *
 *   y = round(a·b − c)          fused: one rounding of the exact product (an fma);
 *                               separate: y = round(p − c) with p = round_mul(a·b)
 *   t = round(s + y)
 *   c = round(round(t − s) − y)  (c = +0 when t is Inf or NaN: nothing left to compensate)
 *   s = t
 *
 * `randAcc` holds the four R values of the accumulate generator in that order (y, t, t − s, c);
 * all four are drawn for every MAC, used or not. Returns the new state and the OR of the flags.
 */
export function kahanMac(st: KahanState, a: number, b: number, cfg: MacConfig, randMul: number, randAcc: readonly number[], path: Path = 'exact'): KahanState & { flags: number } {
  const ops = path === 'exact' ? { mul: mulExact, add: addExact, fma: fmaExact } : { mul: mulFast, add: addFast, fma: fmaFast };
  const F = cfg.acc.fmt;
  const neg = (code: number): number => negateCode(code, F);
  let flags = 0;
  let y: Result;
  if (cfg.style === 'fused') {
    y = ops.fma(a, cfg.a, b, cfg.b, neg(st.c), F, F, rounding(cfg.acc, randAcc[0]));
  } else {
    const m = cfg.mul as Step;
    const p = ops.mul(a, cfg.a, b, cfg.b, m.fmt, rounding(m, randMul));
    flags |= p.flags;
    y = ops.add(p.code, m.fmt, neg(st.c), F, F, rounding(cfg.acc, randAcc[0]));
  }
  flags |= y.flags;
  const t = ops.add(st.s, F, y.code, F, F, rounding(cfg.acc, randAcc[1]));
  flags |= t.flags;
  const tk = decode(t.code, F).kind;
  if (tk === Kind.Inf || tk === Kind.NaN) return { s: t.code, c: 0, flags };
  const d = ops.add(t.code, F, neg(st.s), F, F, rounding(cfg.acc, randAcc[2]));
  const c = ops.add(d.code, F, neg(y.code), F, F, rounding(cfg.acc, randAcc[3]));
  return { s: t.code, c: c.code, flags: flags | d.flags | c.flags };
}

/**
 * The exact dot product of style `exact` (docs/arithmetic.md §5.1): S = c0 + Σ_k a_k·b_k formed
 * exactly, k in order (specials and the sign of an exact zero as golden's block dot: §3, §7.4),
 * then rounded once into the accumulator format with R = `rand` under `sr`.
 */
export function exactDot(as: ArrayLike<number>, bs: ArrayLike<number>, cfg: MacConfig, c0 = 0, rand = 0): Result {
  const mode = cfg.acc.mode;
  let S: Raw = rawOf(c0, cfg.acc.fmt);
  for (let k = 0; k < as.length; k++) S = addRaw(S, mulRaw(rawOf(as[k], cfg.a), rawOf(bs[k], cfg.b)), mode);
  return roundRaw(S, cfg.acc.fmt, rounding(cfg.acc, rand));
}
