// The MAC of a processing element (docs/arithmetic.md §4):
//   separate: p = round_mul(a·b); acc ← round_acc(acc + p)
//   fused:    acc ← round_acc(acc + a·b)
import { addExact, fmaExact, mulExact } from './exact.ts';
import { addFast, fmaFast, mulFast } from './fast.ts';
import { ArithmeticInputError, format, type FloatFormat, type Format } from './format.ts';
import { checkMode, checkRbits, type Mode, type Result, type Rounding } from './rounding.ts';

export type MacStyle = 'separate' | 'fused';

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
}

/** A MAC configuration as JSON carries it: formats by name or object. */
export interface MacConfigSpec {
  a: string | Partial<FloatFormat>;
  b: string | Partial<FloatFormat>;
  mul?: { fmt: string | Partial<FloatFormat>; mode: string; rbits?: number };
  acc: { fmt: string | Partial<FloatFormat>; mode: string; rbits?: number };
  style: string;
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
  if (style !== 'separate' && style !== 'fused') {
    throw new ArithmeticInputError('style', `must be 'separate' or 'fused', got ${JSON.stringify(style)}`);
  }
  if (style === 'separate' && spec.mul === undefined) throw new ArithmeticInputError('mul', "is required with style 'separate'");
  return {
    a: format(spec.a as string, 'a'),
    b: format(spec.b as string, 'b'),
    mul: spec.mul === undefined ? undefined : step(spec.mul, 'mul'),
    acc: step(spec.acc, 'acc'),
    style,
  };
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
 * One MAC: returns the new accumulator code and the flags of its roundings (OR).
 * `randMul`/`randAcc` are the R values of this step's generators (ignored unless `sr`).
 */
export function mac(acc: number, a: number, b: number, cfg: MacConfig, randMul = 0, randAcc = 0, path: Path = 'exact'): Result {
  const ops = path === 'exact' ? { mul: mulExact, add: addExact, fma: fmaExact } : { mul: mulFast, add: addFast, fma: fmaFast };
  const accFmt = cfg.acc.fmt;
  if (cfg.style === 'fused') {
    return ops.fma(a, cfg.a, b, cfg.b, acc, accFmt, accFmt, rounding(cfg.acc, randAcc));
  }
  const mulStep = cfg.mul as Step;
  const p = ops.mul(a, cfg.a, b, cfg.b, mulStep.fmt, rounding(mulStep, randMul));
  const s = ops.add(acc, accFmt, p.code, mulStep.fmt, accFmt, rounding(cfg.acc, randAcc));
  return { code: s.code, flags: s.flags | p.flags };
}
