import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, p3109Arb, roundingArb } from '../property-tests/support/arbitraries.ts';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs } from '../property-tests/support/seed.ts';
import { hexCode } from './codec.ts';
import { formatFields } from './format.ts';
import { flagNames } from './rounding.ts';
import { apply } from './ops.ts';
import { answerLine } from './jsonl.ts';

const ask = (req: object | string) => JSON.parse(answerLine(typeof req === 'string' ? req : JSON.stringify(req)));

describe('JSONL protocol', () => {
  it('answers the four ops with codes padded to the format width and flags in order', () => {
    // 0x43f00000 = 480 = 1.111·2^8: above e4m3's max 448, and 'fn' has no Inf: NaN.
    expect(ask({ op: 'convert', fmt: 'e4m3', in: ['fp32'], a: '0x43f00000', mode: 'rne' })).toEqual({ code: '0x7f', flags: ['overflow', 'inexact'] });
    // 0x43e80000 = 464: the tie between 448 (even) and 480.
    expect(ask({ op: 'convert', fmt: 'e4m3', in: ['fp32'], a: '0x43e80000', mode: 'rne' })).toEqual({ code: '0x7e', flags: ['inexact'] });
    expect(ask({ op: 'mul', fmt: 'fp32', a: '0x3f800000', b: '0x40000000' })).toEqual({ code: '0x40000000', flags: [] });
    expect(ask({ op: 'add', fmt: 'fp16', in: ['fp16', 'e5m2'], a: '0x3c00', b: '0x3c' })).toEqual({ code: '0x4000', flags: [] });
    expect(ask({ op: 'fma', fmt: 'bf16', in: ['e4m3', 'e4m3', 'bf16'], a: '0x38', b: '0x38', c: '0xbf80' })).toEqual({ code: '0x0000', flags: [] });
    expect(ask({ op: 'convert', fmt: 'e2m1', in: ['fp32'], a: '0x40100000', mode: 'sr', rbits: 2, rand: 3 })).toEqual({ code: '0x5', flags: ['inexact'] });
    expect(ask({ op: 'convert', fmt: { exp: 3, man: 2 }, in: ['fp16'], a: '0x0001', mode: 'rtz' })).toEqual({ code: '0x00', flags: ['underflow', 'inexact'] });
  });

  it.each([
    [{ op: 'convert', fmt: { exp: 0, man: 3 }, a: '0x1' }, /^fmt\.exp: must be an integer in 1\.\.8, got 0$/],
    [{ op: 'convert', fmt: { exp: 5, man: 40 }, a: '0x1' }, /^fmt\.man: must be an integer in 0\.\.23, got 40$/],
    [{ op: 'convert', fmt: { exp: 5, man: 2, specials: 'signalling' }, a: '0x1' }, /^fmt\.specials: must be one of ieee \| fn \| finite \| p3109e \| p3109f/],
    [{ op: 'convert', fmt: 'binary8p4ue', a: '0x1' }, /^fmt: "binary8p4ue": unsigned P3109 formats are not supported/],
    [{ op: 'convert', fmt: 'binary8p9se', a: '0x1' }, /^fmt: "binary8p9se": precision P must be in 1\.\.K−1 = 1\.\.7, got 9$/],
    [{ op: 'convert', fmt: { exp: 4, man: 3, specials: 'p3109e', subnormals: false }, a: '0x1' }, /^fmt\.subnormals: P3109 formats always have subnormals/],
    [{ op: 'convert', fmt: 'fp16', in: ['binary8p4se'], a: '0x100' }, /^a: 0x100 does not fit the 8 bits of binary8p4se$/],
    [{ op: 'convert', fmt: { exp: 2, man: 1, specials: 'finite', overflow: 'infinity' }, a: '0x1' }, /^fmt\.overflow: a 'finite' format has no Inf or NaN and must saturate/],
    [{ op: 'convert', fmt: 'fp16', in: [{ exp: 9, man: 1 }], a: '0x1' }, /^in\[0\]\.exp: /],
    [{ op: 'convert', fmt: 'fp16', mode: 'nearest', a: '0x1' }, /^mode: unknown rounding mode "nearest"/],
    [{ op: 'convert', fmt: 'fp16', mode: 'sr', a: '0x1', rand: 1 }, /^rbits: is required with mode 'sr'$/],
    [{ op: 'convert', fmt: 'fp16', mode: 'sr', a: '0x1', rbits: 4 }, /^rand: is required with mode 'sr'$/],
    [{ op: 'convert', fmt: 'fp16', mode: 'sr', a: '0x1', rbits: 4, rand: 16 }, /^rand: must be an integer in 0\.\.15 for rbits = 4/],
    [{ op: 'convert', fmt: 'fp16', mode: 'sr', a: '0x1', rbits: 25, rand: 0 }, /^rbits: must be an integer in 1\.\.24/],
    [{ op: 'convert', fmt: 'fp16', mode: 'rne', a: '0x1', rbits: 4 }, /^rbits: only allowed with mode 'sr'/],
    [{ op: 'convert', fmt: 'fp16', a: '3c00' }, /^a: must be a hex string like "0x3c00", got "3c00"$/],
    [{ op: 'convert', fmt: 'fp16', a: '0xzz' }, /^a: must be a hex string/],
    [{ op: 'convert', fmt: 'fp16', a: 15360 }, /^a: must be a hex string/],
    [{ op: 'convert', fmt: 'fp16', a: '0x10000' }, /^a: 0x10000 does not fit the 16 bits of fp16$/],
    [{ op: 'mul', fmt: 'fp16', a: '0x1' }, /^b: is required for 'mul'$/],
    [{ op: 'mul', fmt: 'fp16', a: '0x1', b: '0x1', c: '0x1' }, /^c: is not an operand of 'mul'/],
    [{ op: 'div', fmt: 'fp16', a: '0x1' }, /^op: unknown operation "div" \(expected convert \| mul \| add \| fma\)$/],
    [{ fmt: 'fp16', a: '0x1' }, /^op: is required/],
    [{ op: 'add', a: '0x1', b: '0x1' }, /^fmt: is required/],
    [{ op: 'add', fmt: 'fp16', in: ['fp16'], a: '0x1', b: '0x1' }, /^in: must be an array of 2 operand formats for 'add'$/],
    [{ op: 'add', fmt: 'fp16', a: '0x1', b: '0x1', round: 'rne' }, /^round: unknown field/],
    [{ op: 'add', fmt: 'fp8', a: '0x1', b: '0x1' }, /^fmt: unknown format name "fp8"/],
    ['[1,2]', /^request: must be a JSON object$/],
    ['{"op":', /^request: invalid JSON/],
  ])('%j → error naming the field', (req, msg) => {
    const ans = ask(req);
    expect(Object.keys(ans)).toEqual(['error']);
    expect(ans.error).toMatch(msg);
  });

  // P3109 (docs/arithmetic.md §1.1): names and objects in, canonical codes out.
  it('answers P3109 requests: one NaN 0x80, no −0, Inf 0x7f/0xff only in the extended domain', () => {
    // 0x7e (224, max) · 2 overflows: Inf in 'e', the NaN in 'f' (its default overflow), max with -sat.
    expect(ask({ op: 'mul', fmt: 'binary8p4se', a: '0x7e', b: '0x48' })).toEqual({ code: '0x7f', flags: ['overflow', 'inexact'] });
    expect(ask({ op: 'mul', fmt: 'binary8p4sf', a: '0x7e', b: '0x48' })).toEqual({ code: '0x80', flags: ['overflow', 'inexact'] });
    expect(ask({ op: 'mul', fmt: 'binary8p4sf-sat', a: '0x7e', b: '0x48' })).toEqual({ code: '0x7f', flags: ['overflow', 'inexact'] });
    // −1 · 0 and 1 − 1 under rdn are +0; −Inf · 2 = 0xff; NaN in, 0x80 out; fp32 −0 in, +0 out.
    expect(ask({ op: 'mul', fmt: 'binary8p4se', a: '0xc0', b: '0x00' })).toEqual({ code: '0x00', flags: [] });
    expect(ask({ op: 'add', fmt: 'binary8p4se', mode: 'rdn', a: '0x40', b: '0xc0' })).toEqual({ code: '0x00', flags: [] });
    expect(ask({ op: 'mul', fmt: 'binary8p4se', a: '0xff', b: '0x48' })).toEqual({ code: '0xff', flags: [] });
    expect(ask({ op: 'add', fmt: 'binary8p3se', in: ['binary8p4se', 'binary8p3se'], a: '0x80', b: '0x40' })).toEqual({ code: '0x80', flags: [] });
    expect(ask({ op: 'convert', fmt: 'binary8p4se', in: ['fp32'], a: '0x80000000' })).toEqual({ code: '0x00', flags: [] });
    // A negative value below half the smallest subnormal rounds to +0 (underflow, inexact).
    expect(ask({ op: 'convert', fmt: 'binary8p4se', in: ['fp32'], mode: 'rtz', a: '0xb0000000' })).toEqual({ code: '0x00', flags: ['underflow', 'inexact'] });
    // The object form is the same format.
    expect(ask({ op: 'mul', fmt: { exp: 4, man: 3, specials: 'p3109e' }, a: '0x7e', b: '0x48' })).toEqual({ code: '0x7f', flags: ['overflow', 'inexact'] });
  });

  it('round trips random P3109 requests (format by name and as an object) to golden\'s answer, and the answer back as an operand', () => {
    const arb = fc.tuple(p3109Arb(), p3109Arb(), roundingArb()).chain(([to, from, r]) =>
      fc.tuple(fc.constant(to), fc.constant(from), fc.constant(r), codeArb(from), codeArb(from)));
    check(testContext(), fc.property(arb, ([to, from, r, a, b]) => {
      const want = apply('mul', [a, b], [from, from], to, r);
      const sr = r.mode === 'sr' ? { rbits: r.rbits, rand: r.rand } : {};
      for (const [fmt, inf] of [[to.name, from.name], [formatFields(to), formatFields(from)]] as const) {
        const ans = ask({ op: 'mul', fmt, in: [inf, inf], mode: r.mode, ...sr, a: hexCode(a, from), b: hexCode(b, from) });
        expect(ans).toEqual({ code: hexCode(want.code, to), flags: flagNames(want.flags) });
        // The answer's code is a valid operand of the same format and converts to itself.
        expect(ask({ op: 'convert', fmt, in: [fmt], a: ans.code })).toEqual({ code: ans.code, flags: [] });
      }
    }), runs(500));
  });
});
