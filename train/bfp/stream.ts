// The random words of the BFP operand quantizers under `sr` — this file is their definition;
// native/bfp.c computes the same words. Golden's BFP quantizer takes one word per element from
// the caller (golden/grid.ts VectorRounding); here the word of element idx is a counter-based
// hash, so any element's word is known without walking a stream (and threads need no split):
//
//   seed_X = fmix32(gemmSeed ^ 0x0bf9a)   (X = A)      or ^ 0x0bf9b (X = B)
//   R(idx) = fmix32(seed_X + idx·0x9e3779b9 mod 2^32) >> (32 − rbits)
//
// idx counts the operand in quantization order: A row-major (row i, then k), B column by
// column (column j, then k) — idx = vector·K + k either way.
import { fmix32 } from '../../golden/index.ts';

export function operandSeed(gemmSeed: number, operand: 'a' | 'b'): number {
  return fmix32((gemmSeed ^ (operand === 'a' ? 0x0bf9a : 0x0bf9b)) >>> 0);
}

export function srWord(seed: number, idx: number, rbits: number): number {
  return fmix32((seed + Math.imul(idx, 0x9e3779b9)) >>> 0) >>> (32 - rbits);
}

/** The words of one vector (row of A / column of B) of length K. */
export function srWords(seed: number, vector: number, K: number, rbits: number): number[] {
  return Array.from({ length: K }, (_, k) => srWord(seed, vector * K + k, rbits));
}
