// The public scalar operations: validated inputs, the exact (defining) path.
// Operand formats may differ from each other and from the result format.
import { checkCode } from './codec.ts';
import { convertExact, fmaExact, mulExact, addExact, quantizeExact } from './exact.ts';
import { ArithmeticInputError, format, type FloatFormat, type Format } from './format.ts';
import { rounding, type Result, type Rounding } from './rounding.ts';

export type FormatSpec = string | Partial<FloatFormat> | Format;
export type Op = 'convert' | 'mul' | 'add' | 'fma';
export const OPS: readonly Op[] = ['convert', 'mul', 'add', 'fma'];
export const ARITY: Readonly<Record<Op, number>> = { convert: 1, mul: 2, add: 2, fma: 3 };

function rnd(r: Rounding): Rounding {
  return rounding(r.mode, r.rbits, r.rand);
}

/** Rounds a double (as given, exactly) into `to`. */
export function quantize(x: number, to: FormatSpec, r: Rounding): Result {
  if (typeof x !== 'number') throw new ArithmeticInputError('x', `must be a number, got ${JSON.stringify(x)}`);
  return quantizeExact(x, format(to as string, 'fmt'), rnd(r));
}

export function convert(a: number, from: FormatSpec, to: FormatSpec, r: Rounding): Result {
  const fa = format(from as string, 'in[0]');
  return convertExact(checkCode(a, fa, 'a'), fa, format(to as string, 'fmt'), rnd(r));
}

export function mul(a: number, fa: FormatSpec, b: number, fb: FormatSpec, to: FormatSpec, r: Rounding): Result {
  const A = format(fa as string, 'in[0]');
  const B = format(fb as string, 'in[1]');
  return mulExact(checkCode(a, A, 'a'), A, checkCode(b, B, 'b'), B, format(to as string, 'fmt'), rnd(r));
}

export function add(a: number, fa: FormatSpec, b: number, fb: FormatSpec, to: FormatSpec, r: Rounding): Result {
  const A = format(fa as string, 'in[0]');
  const B = format(fb as string, 'in[1]');
  return addExact(checkCode(a, A, 'a'), A, checkCode(b, B, 'b'), B, format(to as string, 'fmt'), rnd(r));
}

/** a·b + c with a single rounding. */
export function fma(a: number, fa: FormatSpec, b: number, fb: FormatSpec, c: number, fc: FormatSpec, to: FormatSpec, r: Rounding): Result {
  const A = format(fa as string, 'in[0]');
  const B = format(fb as string, 'in[1]');
  const C = format(fc as string, 'in[2]');
  return fmaExact(checkCode(a, A, 'a'), A, checkCode(b, B, 'b'), B, checkCode(c, C, 'c'), C, format(to as string, 'fmt'), rnd(r));
}

/** One operation of any kind on validated formats (the JSONL protocol's core). */
export function apply(op: Op, operands: readonly number[], ins: readonly Format[], to: Format, r: Rounding): Result {
  switch (op) {
    case 'convert': return convertExact(operands[0], ins[0], to, r);
    case 'mul': return mulExact(operands[0], ins[0], operands[1], ins[1], to, r);
    case 'add': return addExact(operands[0], ins[0], operands[1], ins[1], to, r);
    case 'fma': return fmaExact(operands[0], ins[0], operands[1], ins[1], operands[2], ins[2], to, r);
  }
}
