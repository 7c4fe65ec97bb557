// The dot product of two block-quantized vectors into a float accumulator (SPEC §5,
// docs/arithmetic.md §7.4): within a block the products of the element integers are summed
// exactly (a wide register, no rounding), the sum is scaled by both shared scales, and the
// accumulator takes it with one rounding per block:
//
//   acc ← round_acc(acc + 2^(sA + sB) · Σ_{i in block} P_i · Q_i)        blocks in order
//
// An integer tensor is one block (its scale is per tensor), so its dot product is one exact
// wide sum and one rounding. Signed zeros, Inf and NaN follow §3 (an exact sum is formed with
// addRaw: a block of −0 products sums to −0; a NaN scale or element makes the block NaN).
import { Kind } from './codec.ts';
import { addRaw, mulRaw, rawOf, roundRaw, type Raw } from './exact.ts';
import { ArithmeticInputError, type Format } from './format.ts';
import { bfpElement, type BfpFormat, type BfpVector } from './bfp.ts';
import { nth, vectorRounding, type VectorRounding } from './grid.ts';
import { intElementRaw, type IntFormat, type IntVector } from './int.ts';
import { E8M0_NAN, mxElementRaw, type MxFormat, type MxVector } from './mx.ts';
import type { Mode, Result } from './rounding.ts';

export type BlockFormat = BfpFormat | MxFormat | IntFormat;
export type BlockVector = BfpVector | MxVector | IntVector;

/** A quantized vector as exact element values at unit scale plus one scale exponent per block. */
export interface BlockOperand {
  block: number;
  length: number;
  /** Scale exponent of each block; NaN for an MX NaN scale. */
  scales: number[];
  elems: Raw[];
}

/** The exact view of a quantized vector of any block format. */
export function blockOperand(v: BlockVector, f: BlockFormat): BlockOperand {
  switch (f.kind) {
    case 'bfp': {
      const b = v as BfpVector;
      return { block: f.block, length: b.codes.length, scales: b.exps, elems: b.codes.map((c) => bfpElement(c, f)) };
    }
    case 'mx': {
      const m = v as MxVector;
      return {
        block: f.block, length: m.codes.length,
        scales: m.scales.map((s) => (s === E8M0_NAN ? NaN : s - 127)),
        elems: m.codes.map((c) => mxElementRaw(c, f)),
      };
    }
    case 'int': {
      const n = v as IntVector;
      return { block: Math.max(1, n.codes.length), length: n.codes.length, scales: [n.exp], elems: n.codes.map((c) => intElementRaw(c, f)) };
    }
  }
}

const NAN: Raw = { kind: Kind.NaN, negative: false, sig: 0n, exp: 0 };

/** The exact value of block j of a·b: 2^(sA + sB) · Σ P_i·Q_i (an exact zero sum signed as §3 says for `mode`). */
export function blockSum(a: BlockOperand, b: BlockOperand, j: number, mode: Mode = 'rne'): Raw {
  const sA = a.scales[j];
  const sB = b.scales[j];
  if (Number.isNaN(sA) || Number.isNaN(sB)) return NAN;
  const start = j * a.block;
  const end = Math.min(a.length, start + a.block);
  // Σ starts from +0 only when the block is empty, which the split below never produces.
  let sum: Raw = mulRaw(a.elems[start], b.elems[start]);
  for (let i = start + 1; i < end; i++) sum = addRaw(sum, mulRaw(a.elems[i], b.elems[i]), mode);
  if (sum.kind !== Kind.Finite) return sum;
  return { ...sum, exp: sum.exp + sA + sB };
}

/**
 * acc ← round(acc + block sum) for each block in order, starting from `c` (a code of the
 * accumulator format, default +0). Under `sr` one random word per block. The flags are the OR
 * of every rounding's flags.
 */
export function blockDot(a: BlockOperand, b: BlockOperand, acc: Format, r: VectorRounding, c?: number): Result {
  if (a.length !== b.length) throw new ArithmeticInputError('b.codes', `must have as many elements as a (${a.length}), got ${b.length}`);
  if (a.block !== b.block) throw new ArithmeticInputError('in[1].block', `blocks must line up: a has blocks of ${a.block}, b of ${b.block}`);
  const nBlocks = Math.ceil(a.length / a.block);
  const rnd = vectorRounding(r, nBlocks, 'block');
  let code = c ?? 0;
  let flags = 0;
  for (let j = 0; j < nBlocks; j++) {
    const rj = nth(rnd, j);
    const res = roundRaw(addRaw(rawOf(code, acc), blockSum(a, b, j, rj.mode), rj.mode), acc, rj);
    code = res.code;
    flags |= res.flags;
  }
  return { code, flags };
}
