// The JSONL request protocol (docs/jsonl.md): one JSON request per line, one answer per
// request, in order. Parsing is shared with `mpsa rtl --jsonl`, which answers the same
// requests through the RTL units.
import { hexCode, parseHexCode } from './codec.ts';
import { ArithmeticInputError, format, type Format } from './format.ts';
import { answerBlockRequest, BLOCK_OPS } from './jsonl-block.ts';
import { apply, ARITY, OPS, type Op } from './ops.ts';
import { flagNames, rounding, type Result, type Rounding } from './rounding.ts';

/** A validated request. */
export interface Request {
  op: Op;
  fmt: Format;
  in: Format[];
  rounding: Rounding;
  operands: number[];
}

const KEYS = ['op', 'fmt', 'in', 'mode', 'rbits', 'rand', 'a', 'b', 'c'];
const OPERAND_KEYS = ['a', 'b', 'c'] as const;

/** Parses and validates one request object; throws ArithmeticInputError naming the field. */
export function parseRequest(obj: unknown): Request {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new ArithmeticInputError('request', 'must be a JSON object');
  }
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.includes(k)) throw new ArithmeticInputError(k, `unknown field (allowed: ${KEYS.join(', ')})`);
  }
  if (o.op === undefined) throw new ArithmeticInputError('op', `is required (${OPS.join(' | ')})`);
  if (typeof o.op !== 'string' || !(OPS as readonly string[]).includes(o.op)) {
    throw new ArithmeticInputError('op', `unknown operation ${JSON.stringify(o.op)} (expected ${OPS.join(' | ')})`);
  }
  const op = o.op as Op;
  const n = ARITY[op];
  if (o.fmt === undefined) throw new ArithmeticInputError('fmt', 'is required (a preset name or a format object)');
  const fmt = format(o.fmt as string, 'fmt');
  let ins: Format[];
  if (o.in === undefined) ins = Array.from({ length: n }, () => fmt);
  else {
    if (!Array.isArray(o.in) || o.in.length !== n) {
      throw new ArithmeticInputError('in', `must be an array of ${n} operand format${n > 1 ? 's' : ''} for '${op}'`);
    }
    ins = o.in.map((f, i) => format(f as string, `in[${i}]`));
  }
  // Only an absent mode means rne: an explicit null is an error, as for every other field.
  const rnd = rounding(o.mode === undefined ? 'rne' : o.mode, o.rbits, o.rand);
  const operands: number[] = [];
  OPERAND_KEYS.forEach((key, i) => {
    if (i < n) {
      if (o[key] === undefined) throw new ArithmeticInputError(key, `is required for '${op}'`);
      operands.push(parseHexCode(o[key], ins[i], key));
    } else if (o[key] !== undefined) {
      throw new ArithmeticInputError(key, `is not an operand of '${op}' (it takes ${OPERAND_KEYS.slice(0, n).join(', ')})`);
    }
  });
  return { op, fmt, in: ins, rounding: rnd, operands };
}

/** The answer object for a result. */
export function answerOf(r: Result, f: Format): { code: string; flags: string[] } {
  return { code: hexCode(r.code, f), flags: flagNames(r.flags) };
}

/** Golden answer to one request object: a scalar op, or a block op (jsonl-block.ts). */
export function answerRequest(obj: unknown): { code: string; flags: string[] } | Record<string, unknown> | { error: string } {
  try {
    if (isBlockRequest(obj)) return answerBlockRequest(obj);
    const req = parseRequest(obj);
    return answerOf(apply(req.op, req.operands, req.in, req.fmt, req.rounding), req.fmt);
  } catch (e) {
    return { error: errorText(e) };
  }
}

function isBlockRequest(obj: unknown): obj is Record<string, unknown> {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return false;
  const op = (obj as Record<string, unknown>).op;
  return typeof op === 'string' && (BLOCK_OPS as readonly string[]).includes(op);
}

export function errorText(e: unknown): string {
  if (e instanceof ArithmeticInputError) return e.message;
  return `internal error: ${e instanceof Error ? e.message : String(e)}`;
}

/** Parses one line's JSON: throws ArithmeticInputError('request', …) on malformed JSON. */
export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (e) {
    throw new ArithmeticInputError('request', `invalid JSON (${(e as Error).message})`);
  }
}

/** Golden answer to one line of the protocol, as a JSON line (without newline). */
export function answerLine(line: string): string {
  let obj: unknown;
  try {
    obj = parseLine(line);
  } catch (e) {
    return JSON.stringify({ error: errorText(e) });
  }
  return JSON.stringify(answerRequest(obj));
}
