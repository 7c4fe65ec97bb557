// Hand-worked block dot products and the block requests of the JSONL protocol
// (docs/arithmetic.md §7.4, docs/jsonl.md).
import { describe, expect, it } from 'vitest';
import { bfpFormat } from './bfp.ts';
import { blockDot, blockOperand } from './block-dot.ts';
import { format } from './format.ts';
import { answerLine } from './jsonl.ts';
import { mxFormat } from './mx.ts';
import { flagNames, type Mode } from './rounding.ts';

const ask = (req: object) => JSON.parse(answerLine(JSON.stringify(req)));

describe('block dot product', () => {
  it('BFP: exact integer sums per block, scaled, one rounding per block into bf16', () => {
    // Block 0: a = b = [7, 6]·2^−2 → (49 + 36)·2^−4 = 5.3125 (exact in bf16).
    // Block 1: a = [4, 1]·2^−5, b = [4, 1]·2^−2 → 17·2^−7 = 0.1328125.
    // 5.4453125 = 174.25 quanta of 2^−5 in bf16 → 174 → 5.4375 (0x40ae), inexact.
    const f = bfpFormat('bfp3b2');
    const a = blockOperand({ exps: [0, -3], codes: [7, 6, 4, 1], flags: 0 }, f);
    const b = blockOperand({ exps: [0, 0], codes: [7, 6, 4, 1], flags: 0 }, f);
    const r = blockDot(a, b, format('bf16'), { mode: 'rne' });
    expect([r.code, flagNames(r.flags)]).toEqual([0x40ae, ['inexact']]);
    // One rounding per block, not per product: as one block of 4 the sum is rounded once too.
    // Under sr each block has its own word: rbits 2, block 1 adds 0.1328125 = 4.25 quanta → F = 1.
    const up = blockDot(a, b, format('bf16'), { mode: 'sr', rbits: 2, rand: [0, 3] });
    expect(up.code).toBe(0x40af);
  });

  it('MX: X_A·X_B·Σ P_i Q_i; a NaN scale makes the accumulator NaN', () => {
    const f = mxFormat('mxfp8-e4m3');
    const a = blockOperand({ scales: [127, 255], codes: [0x38, 0x40, 0x38, 0x38], flags: 0 }, mxFormat({ elem: 'e4m3', block: 2 }));
    const b = blockOperand({ scales: [128, 127], codes: [0x38, 0x38, 0x38, 0x38], flags: 0 }, mxFormat({ elem: 'e4m3', block: 2 }));
    // Block 0: (1 + 2)·2^0·2^1 = 6; block 1 has scale NaN → NaN (quiet, no flag).
    expect(blockDot(a, b, format('fp32'), { mode: 'rne' })).toEqual({ code: 0x7fc00000, flags: 0 });
    expect(f.block).toBe(32);
  });

  it('signed zeros follow §3: a block of −0 products keeps −0; an exact cancellation is +0 (−0 under rdn)', () => {
    const f = bfpFormat('bfp3b2');
    const dot = (ca: number[], cb: number[], mode: Mode, c?: number) => blockDot(
      blockOperand({ exps: [0], codes: ca, flags: 0 }, f), blockOperand({ exps: [0], codes: cb, flags: 0 }, f), format('fp16'), { mode }, c).code;
    expect(dot([8, 8], [0, 0], 'rne', 0x8000)).toBe(0x8000); // −0 + (−0·… sums) = −0
    expect(dot([1, 9], [1, 1], 'rne')).toBe(0x0000); // 1 − 1
    expect(dot([1, 9], [1, 1], 'rdn', 0x8000)).toBe(0x8000);
  });

  it('integer tensors: one exact wide sum, one rounding', () => {
    // int16 codes 32767 · 32767 · 4 = 4294705156 needs 33 bits; into fp32 (24 bits) once:
    // 4294705156 = 0xFFFC0004 → rne to 24 bits → 0xFFFC00·2^8 = 4294705152 (0x4f7ffc00).
    expect(ask({ op: 'block_dot', fmt: 'fp32', in: ['int16', 'int16'], a: { exp: 0, codes: Array(4).fill('0x7fff') }, b: { exp: 0, codes: Array(4).fill('0x7fff') } }))
      .toEqual({ code: '0x4f7ffc00', flags: ['inexact'] });
  });
});

describe('JSONL block requests', () => {
  it('quantize answers chain into block_dot unchanged', () => {
    const a = ask({ op: 'mx_quantize', fmt: 'mxfp8-e4m3', a: ['0x3f800000', '0x40000000'] });
    // amax 2 → s = 1 − 8 = −7 (0x78): 1·2^7 = 128 → 0x70 (field 14), 2·2^7 → 0x78.
    expect(a).toEqual({ scales: ['0x78'], codes: ['0x70', '0x78'], flags: [] });
    const b = ask({ op: 'bfp_quantize', fmt: { man: 7, block: 32 }, in: ['fp16'], a: ['0x3c00', '0x3c00'] });
    expect(b).toEqual({ exps: [0], codes: ['0x40', '0x40'], flags: [] });
    expect(ask({ op: 'block_dot', fmt: 'fp32', in: ['mxfp8-e4m3', { kind: 'bfp', man: 7, block: 32 }], a, b })).toEqual({ code: '0x40400000', flags: [] });
    // int4-sym, amax 7.9 → s = 2 − 2 = 0: ±7.9 round to ±8 and saturate at ±7 (0x7, 0x9).
    expect(ask({ op: 'int_quantize', fmt: 'int4-sym', a: ['0x40fccccd', '0xc0fccccd'] })).toEqual({ exp: 0, codes: ['0x7', '0x9'], flags: ['overflow', 'inexact'] });
  });

  it.each([
    [{ op: 'mx_quantize', fmt: 'mxfp8', a: [] }, /^fmt: unknown MX format "mxfp8"/],
    [{ op: 'mx_quantize', fmt: 'mxint8', scale: 'round', a: [] }, /^scale: must be one of floor \| ceil \| even \| rceil/],
    [{ op: 'bfp_quantize', fmt: 'bfp3b2', scale: 'floor', a: [] }, /^scale: unknown field for 'bfp_quantize'/],
    [{ op: 'bfp_quantize', fmt: 'bfp3b2', a: ['0x3f800000', 'x'] }, /^a\[1\]: must be a hex string/],
    [{ op: 'bfp_quantize', fmt: 'bfp3b2', in: ['fp16'], a: ['0x3f800000'] }, /^a\[0\]: 0x3f800000 does not fit the 16 bits of fp16/],
    [{ op: 'bfp_quantize', fmt: 'bfp3b2', mode: 'sr', rbits: 3, a: ['0x0'] }, /^rand: must be an array of 1 random words/],
    [{ op: 'int_quantize', fmt: 'int8', a: '0x1' }, /^a: must be an array of hex codes/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['mxint8'], a: {}, b: {} }, /^in: must be an array of 2 block formats/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['mxint8', 'fp8'], a: {}, b: {} }, /^in\[1\]: must be a block format/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['mxint8', 'mxint8'], a: { scales: ['0x7f'], codes: ['0x100'] }, b: {} }, /^a\.codes\[0\]: 0x100 does not fit 8 bits/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['mxint8', 'mxint8'], a: { scales: [], codes: ['0x1'] }, b: {} }, /^a\.scales: must be an array of 1 E8M0/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['mxint8', 'mxint8'], a: { scales: ['0x7f'], codes: ['0x1'] }, b: { scales: ['0x7f'], codes: ['0x1', '0x2'] } }, /^b\.codes: must have as many elements as a/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['mxint8', 'bfp3b2'], a: { scales: ['0x7f'], codes: ['0x1'] }, b: { exps: [0], codes: ['0x1'] } }, /^in\[1\]\.block: blocks must line up/],
    [{ op: 'block_dot', fmt: 'fp32', in: ['bfp3b2', 'bfp3b2'], a: { exp: 0, codes: [] }, b: {} }, /^a\.exp: unknown field \(allowed: exps, codes, flags\)/],
  ])('%j → error naming the field', (req, msg) => {
    const ans = ask(req);
    expect(Object.keys(ans)).toEqual(['error']);
    expect(ans.error).toMatch(msg);
  });
});
