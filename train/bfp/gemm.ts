// The BFP training GEMM: C = A·B with both operands quantized to block floating point along K
// (golden/bfp.ts) and the block dot product of golden/block-dot.ts into an fp32 accumulator under
// rne — bit for bit what golden computes, on the native kernel (native/bfp.c). The few outputs
// the kernel leaves to golden (an overflow, or a −0 accumulator meeting a zero block) are
// recomputed here with golden itself.
import {
  ArithmeticInputError, bfpFormat, bfpQuantize, blockDot, blockOperand, checkInt, format, rawsOfCodes,
  type BfpFormat, type Result,
} from '../../golden/index.ts';
import { bfpNative } from './ffi.ts';
import { operandSeed, srWords } from './stream.ts';

export type BfpQuantMode = 'rne' | 'sr';
export const BFP_QUANT_MODES: readonly BfpQuantMode[] = ['rne', 'sr'];

/** The arithmetic of one BFP GEMM (without its seed: a layer's role carries this). */
export interface BfpGemmSpec {
  readonly kind: 'bfp';
  /** Element magnitude bits (golden's `man`) of A and B, 1..15. */
  readonly manA: number;
  readonly manB: number;
  /** Elements per shared exponent along K. @defaultValue 16 */
  readonly block: number;
  /** Width of the shared exponent. @defaultValue 8 */
  readonly expBits: number;
  /** Rounding of the fp32 → BFP quantizers of A and B. */
  readonly quantize: { readonly a: BfpQuantMode; readonly b: BfpQuantMode };
  /** Random bits per element under `sr`. @defaultValue 8 */
  readonly rbits: number;
}

/** A BFP GEMM with the seed of its `sr` words (train/bfp/stream.ts). */
export interface BfpGemmArith extends BfpGemmSpec {
  readonly seed: number;
}

function quantMode(field: string, v: unknown): BfpQuantMode {
  if (!BFP_QUANT_MODES.includes(v as BfpQuantMode)) throw new ArithmeticInputError(field, `must be ${BFP_QUANT_MODES.join(' | ')}, got ${JSON.stringify(v)}`);
  return v as BfpQuantMode;
}

/**
 * Validates a BFP GEMM. man ≤ 15 keeps elements in int16 and a block sum exact in a double
 * (|S| < 2^(15 + 15 + 12)); the accumulator is fp32 under rne, not configurable.
 */
export function bfpGemmSpec(o: { manA: unknown; manB: unknown; block?: unknown; expBits?: unknown; quantize?: { a?: unknown; b?: unknown }; rbits?: unknown }, field = 'bfp'): BfpGemmSpec {
  return Object.freeze({
    kind: 'bfp' as const,
    manA: checkInt(`${field}.manA`, o.manA, 1, 15),
    manB: checkInt(`${field}.manB`, o.manB, 1, 15),
    block: checkInt(`${field}.block`, o.block ?? 16, 1, 4096),
    expBits: checkInt(`${field}.expBits`, o.expBits ?? 8, 2, 10),
    quantize: Object.freeze({ a: quantMode(`${field}.quantize.a`, o.quantize?.a ?? 'sr'), b: quantMode(`${field}.quantize.b`, o.quantize?.b ?? 'sr') }),
    rbits: checkInt(`${field}.rbits`, o.rbits ?? 8, 1, 24),
  });
}

export function isBfpArith(a: object | null): a is BfpGemmSpec {
  return a !== null && (a as { kind?: unknown }).kind === 'bfp';
}

/** Golden's format of operand A or B. */
export function operandFormat(s: BfpGemmSpec, operand: 'a' | 'b'): BfpFormat {
  return bfpFormat({ man: operand === 'a' ? s.manA : s.manB, block: s.block, expBits: s.expBits });
}

/** Quantizer element counts of one operand: elements that saturated, underflowed to 0, were NaN; and the OR of their flags. */
export interface QuantCounts { overflow: number; underflow: number; invalid: number; flags: number }

export interface BfpGemmResult {
  c: Float32Array;
  /** Accumulation flags of each output (golden's blockDot flags). */
  flags: Uint8Array;
  quant: { a: QuantCounts; b: QuantCounts };
  /** Outputs the kernel handed to golden. */
  goldenOutputs: number;
}

const NEED_GOLDEN = 0x80;
const FP32 = format('fp32');

/** Output (i, j) exactly as golden computes it: quantize row i of A and column j of B, block dot. */
export function bfpDotGolden(A: Float32Array, B: Float32Array, K: number, N: number, i: number, j: number, arith: BfpGemmArith): Result {
  const row = new Float32Array(K);
  const col = new Float32Array(K);
  for (let k = 0; k < K; k++) { row[k] = A[i * K + k]; col[k] = B[k * N + j]; }
  const side = (x: Float32Array, operand: 'a' | 'b', vector: number) => {
    const f = operandFormat(arith, operand);
    const mode = arith.quantize[operand];
    const r = mode === 'sr' ? { mode, rbits: arith.rbits, rand: srWords(operandSeed(arith.seed, operand), vector, K, arith.rbits) } : { mode };
    return blockOperand(bfpQuantize(rawsOfCodes(Array.from(new Uint32Array(x.buffer))), f, r), f);
  };
  return blockDot(side(row, 'a', i), side(col, 'b', j), FP32, { mode: 'rne' });
}

export interface BfpGemmOptions {
  /** Native threads (rows are split; the result does not depend on it). @defaultValue 1 */
  threads?: number;
}

/** C (M×N) = A (M×K) · B (K×N), row-major fp32, under a BFP GEMM arithmetic. */
export function bfpGemm(A: Float32Array, B: Float32Array, M: number, K: number, N: number, arith: BfpGemmArith, opts: BfpGemmOptions = {}): BfpGemmResult {
  for (const [name, v] of [['M', M], ['K', K], ['N', N]] as const) checkInt(name, v, 1, 1 << 24);
  if (A.length !== M * K) throw new ArithmeticInputError('A', `must hold M·K = ${M * K} values, got ${A.length}`);
  if (B.length !== K * N) throw new ArithmeticInputError('B', `must hold K·N = ${K * N} values, got ${B.length}`);
  const s = bfpGemmSpec(arith);
  checkInt('seed', arith.seed, 0, 0xffffffff);
  const threads = checkInt('threads', opts.threads ?? 1, 1, 256);
  const native = bfpNative();
  const p = new Int32Array(native.paramCount());
  p.set([
    M, K, N, s.manA, s.manB, s.block, s.expBits, s.quantize.a === 'sr' ? 1 : 0, s.quantize.b === 'sr' ? 1 : 0, s.rbits,
    operandSeed(arith.seed, 'a') | 0, operandSeed(arith.seed, 'b') | 0, threads,
  ]);
  const c = new Float32Array(M * N);
  const flags = new Uint8Array(M * N);
  const counts = new Uint32Array(8);
  if (native.gemm(p, A, B, c, flags, counts) !== 0) throw new RangeError(`bfpGemm: the native kernel could not allocate its buffers for ${M}×${K}×${N}`);
  let goldenOutputs = 0;
  const bits = new Uint32Array(c.buffer);
  for (let o = 0; o < flags.length; o++) {
    if (flags[o] !== NEED_GOLDEN) continue;
    const r = bfpDotGolden(A, B, K, N, Math.floor(o / N), o % N, { ...s, seed: arith.seed });
    bits[o] = r.code;
    flags[o] = r.flags;
    goldenOutputs++;
  }
  const quant = (at: number, or: number): QuantCounts => ({ overflow: counts[at], underflow: counts[at + 1], invalid: counts[at + 2], flags: counts[or] });
  return { c, flags, quant: { a: quant(0, 6), b: quant(3, 7) }, goldenOutputs };
}
