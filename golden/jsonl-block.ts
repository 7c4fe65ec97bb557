// The block-format requests of the JSONL protocol (docs/jsonl.md, "Block and integer formats"):
// bfp_quantize, mx_quantize, int_quantize and block_dot. Same conventions as the scalar ops:
// `fmt` is the result format, `in` the operand formats, codes are hex strings, errors name the
// field. A quantize answer can be passed back unchanged as an operand of block_dot.
import { bfpFormat, bfpQuantize, checkBfpVector, type BfpVector } from './bfp.ts';
import { blockDot, blockOperand, type BlockFormat, type BlockVector } from './block-dot.ts';
import { hexBits, hexCode, parseHexBits, parseHexCode } from './codec.ts';
import { ArithmeticInputError, checkKeys, format, type Format } from './format.ts';
import { rawsOfCodes, type VectorRounding } from './grid.ts';
import { checkIntVector, intFormat, intQuantize, type IntVector } from './int.ts';
import { checkMxVector, checkScaleMode, mxFormat, mxQuantize, type MxVector } from './mx.ts';
import { checkMode, flagNames } from './rounding.ts';

export type BlockOp = 'bfp_quantize' | 'mx_quantize' | 'int_quantize' | 'block_dot';
export const BLOCK_OPS: readonly BlockOp[] = ['bfp_quantize', 'mx_quantize', 'int_quantize', 'block_dot'];

const QUANTIZE_KEYS = ['op', 'fmt', 'in', 'mode', 'rbits', 'rand', 'a'];
const KEYS: Record<BlockOp, string[]> = {
  bfp_quantize: QUANTIZE_KEYS,
  mx_quantize: [...QUANTIZE_KEYS, 'scale'],
  int_quantize: QUANTIZE_KEYS,
  block_dot: ['op', 'fmt', 'in', 'mode', 'rbits', 'rand', 'a', 'b', 'c'],
};

/** A block format by name (mx…, bfp…b…, int…, fixed…) or by object with `kind`. */
export function blockFormat(spec: unknown, field: string): BlockFormat {
  const kind = typeof spec === 'string'
    ? (/^mx/.test(spec) ? 'mx' : /^bfp/.test(spec) ? 'bfp' : /^(int|fixed)/.test(spec) ? 'int' : undefined)
    : spec !== null && typeof spec === 'object' ? (spec as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case 'mx': return mxFormat(spec, field);
    case 'bfp': return bfpFormat(spec, field);
    case 'int': case 'fixed': return intFormat(spec, field);
  }
  throw new ArithmeticInputError(field, `must be a block format: an MX name (mxfp8-e4m3 …), bfp<man>b<block>, int<w>, fixed<wl>.<fl>, or an object with kind bfp | mx | int | fixed; got ${JSON.stringify(spec)}`);
}

function hexArray(v: unknown, width: number, field: string): number[] {
  if (!Array.isArray(v)) throw new ArithmeticInputError(field, 'must be an array of hex strings');
  return v.map((t, i) => parseHexBits(t, width, `${field}[${i}]`));
}

function vectorRoundingOf(o: Record<string, unknown>): VectorRounding {
  return { mode: checkMode(o.mode === undefined ? 'rne' : o.mode), rbits: o.rbits as number | undefined, rand: o.rand as number[] | undefined };
}

/** The operand format of a quantize op: `in` is an array of one float format (default fp32). */
function inputFormat(o: Record<string, unknown>): Format {
  if (o.in === undefined) return format('fp32');
  if (!Array.isArray(o.in) || o.in.length !== 1) throw new ArithmeticInputError('in', `must be an array of 1 operand format for '${o.op as string}'`);
  return format(o.in[0] as string, 'in[0]');
}

function quantizedAnswer(v: BlockVector, f: BlockFormat, flags: number): Record<string, unknown> {
  const codes = v.codes.map((c) => hexBits(c, f.width));
  switch (f.kind) {
    case 'bfp': return { exps: (v as BfpVector).exps, codes, flags: flagNames(flags) };
    case 'mx': return { scales: (v as MxVector).scales.map((s) => hexBits(s, 8)), codes, flags: flagNames(flags) };
    case 'int': return { exp: (v as IntVector).exp, codes, flags: flagNames(flags) };
  }
}

/** A quantized operand of block_dot: the object a quantize op answered (its `flags` ignored). */
function operandOf(v: unknown, f: BlockFormat, field: string): BlockVector {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ArithmeticInputError(field, `must be a quantized ${f.kind} vector object`);
  const o = v as Record<string, unknown>;
  const scaleKey = f.kind === 'bfp' ? 'exps' : f.kind === 'mx' ? 'scales' : 'exp';
  checkKeys(field, o, [scaleKey, 'codes', 'flags']);
  if (o[scaleKey] === undefined) throw new ArithmeticInputError(`${field}.${scaleKey}`, 'is required');
  const codes = hexArray(o.codes, f.width, `${field}.codes`);
  switch (f.kind) {
    case 'bfp': return checkBfpVector({ exps: o.exps, codes }, f, field);
    case 'mx': return checkMxVector({ scales: hexArray(o.scales, 8, `${field}.scales`), codes }, f, field);
    case 'int': return checkIntVector({ exp: o.exp, codes }, f, field);
  }
}

/** Answers one block request (the object's `op` is one of BLOCK_OPS); throws ArithmeticInputError. */
export function answerBlockRequest(o: Record<string, unknown>): Record<string, unknown> {
  const op = o.op as BlockOp;
  for (const k of Object.keys(o)) {
    if (!KEYS[op].includes(k)) throw new ArithmeticInputError(k, `unknown field for '${op}' (allowed: ${KEYS[op].join(', ')})`);
  }
  if (o.fmt === undefined) throw new ArithmeticInputError('fmt', 'is required');
  if (op === 'block_dot') return blockDotAnswer(o);
  const from = inputFormat(o);
  if (o.a === undefined) throw new ArithmeticInputError('a', `is required for '${op}'`);
  if (!Array.isArray(o.a)) throw new ArithmeticInputError('a', 'must be an array of hex codes');
  const xs = rawsOfCodes(o.a.map((t, i) => parseHexCode(t, from, `a[${i}]`)), from);
  const r = vectorRoundingOf(o);
  switch (op) {
    case 'bfp_quantize': {
      const f = bfpFormat(o.fmt);
      const v = bfpQuantize(xs, f, r);
      return quantizedAnswer(v, f, v.flags);
    }
    case 'mx_quantize': {
      const f = mxFormat(o.fmt);
      const v = mxQuantize(xs, f, checkScaleMode(o.scale ?? 'floor'), r);
      return quantizedAnswer(v, f, v.flags);
    }
    case 'int_quantize': {
      const f = intFormat(o.fmt);
      const v = intQuantize(xs, f, r);
      return quantizedAnswer(v, f, v.flags);
    }
  }
}

function blockDotAnswer(o: Record<string, unknown>): Record<string, unknown> {
  const acc = format(o.fmt as string, 'fmt');
  if (!Array.isArray(o.in) || o.in.length !== 2) throw new ArithmeticInputError('in', "must be an array of 2 block formats for 'block_dot'");
  const fa = blockFormat(o.in[0], 'in[0]');
  const fb = blockFormat(o.in[1], 'in[1]');
  if (o.a === undefined) throw new ArithmeticInputError('a', "is required for 'block_dot'");
  if (o.b === undefined) throw new ArithmeticInputError('b', "is required for 'block_dot'");
  const a = blockOperand(operandOf(o.a, fa, 'a'), fa);
  const b = blockOperand(operandOf(o.b, fb, 'b'), fb);
  const c = o.c === undefined ? undefined : parseHexCode(o.c, acc, 'c');
  const res = blockDot(a, b, acc, vectorRoundingOf(o), c);
  return { code: hexCode(res.code, acc), flags: flagNames(res.flags) };
}
