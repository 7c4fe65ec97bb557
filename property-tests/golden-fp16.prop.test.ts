// golden binary16 conversions against @petamoriken/float16 (an independent IEEE half library).
import { f16round, getFloat16 } from '@petamoriken/float16';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertExact, format, quantizeExact, toNumber } from '../golden/index.ts';
import { codeArb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

const fp16 = format('fp16');
const fp32 = format('fp32');
const RNE = { mode: 'rne' } as const;
const view = new DataView(new ArrayBuffer(4));

function sameValue(code: number, ref: number): boolean {
  return Number.isNaN(ref) ? code === 0x7e00 : Object.is(toNumber(code, fp16), ref);
}

describe('golden fp16 == @petamoriken/float16', () => {
  it('decodes every one of the 65536 codes', () => {
    for (let c = 0; c < 0x10000; c++) {
      view.setUint16(0, c);
      const ref = getFloat16(view, 0);
      const got = toNumber(c, fp16);
      if (!(Number.isNaN(ref) ? Number.isNaN(got) : Object.is(got, ref))) expect({ code: c, got }).toEqual({ code: c, got: ref });
    }
  });

  it('converts fp32 codes to fp16 (rne), subnormals and overflow included', () => {
    // Bias half the cases into fp16's exponent range, where the rounding happens.
    const near = fc.integer({ min: 0x33000000 - 0x800000, max: 0x477fffff }).chain((c) => fc.constantFrom(c, (c | 0x80000000) >>> 0));
    check(testContext(), fc.property(fc.oneof(codeArb(fp32), near), (c) => {
      const r = convertExact(c, fp32, fp16, RNE);
      const ref = f16round(toNumber(c, fp32));
      if (!sameValue(r.code, ref)) throw new Error(`fp32 0x${c.toString(16)} -> fp16: golden 0x${r.code.toString(16)}, float16 ${ref}`);
    }), runs(50_000));
  });

  it('quantizes any double to fp16 (rne)', () => {
    check(testContext(), fc.property(fc.double({ min: -70000, max: 70000 }), (x) => {
      const r = quantizeExact(x, fp16, RNE);
      if (!sameValue(r.code, f16round(x))) throw new Error(`quantize(${x}) -> fp16: golden 0x${r.code.toString(16)}, float16 ${f16round(x)}`);
    }), runs(50_000));
  });
});
