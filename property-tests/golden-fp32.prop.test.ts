// golden fp32 arithmetic against the platform's own binary32 rounding (Math.fround):
//   mul: the double product of two fp32 values is exact, fround rounds it once;
//   add: double rounding through binary64 is innocuous for + (53 >= 2·24 + 2, Figueroa 1995);
//   fma: a·b exact, the sum made round-to-odd at 53 bits (TwoSum + sticky), then fround —
//        correct since 53 >= 24 + 2 (Boldo & Melquiond 2008).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { addExact, fmaExact, format, mulExact, quantizeExact, toNumber, FLAG_INEXACT, FLAG_OVERFLOW } from '../golden/index.ts';
import { codeArb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

const fp32 = format('fp32');
const RNE = { mode: 'rne' } as const;
const view = new DataView(new ArrayBuffer(8));

function bits32(x: number): number {
  view.setFloat32(0, x);
  return view.getUint32(0);
}

/** One step of a double towards ±infinity (finite, non-zero x). */
function nextToward(x: number, up: boolean): number {
  view.setFloat64(0, x);
  const b = view.getBigUint64(0);
  view.setBigUint64(0, (x > 0) === up ? b + 1n : b - 1n);
  return view.getFloat64(0);
}

function fmaRef(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  if (!Number.isFinite(s)) return Math.fround(s);
  const bb = s - p;
  const e = (p - (s - bb)) + (c - bb);
  let odd = s;
  if (e !== 0) {
    view.setFloat64(0, s);
    if ((view.getUint8(7) & 1) === 0) odd = nextToward(s, e > 0);
  }
  return Math.fround(odd);
}

function expectSame(what: string, code: number, ref: number): void {
  const got = toNumber(code, fp32);
  const ok = Number.isNaN(ref) ? code === 0x7fc00000 : Object.is(got, ref);
  if (!ok) throw new Error(`${what}: golden 0x${code.toString(16)} (${got}), Math.fround reference 0x${bits32(ref).toString(16)} (${ref})`);
}

const pair = fc.tuple(codeArb(fp32), codeArb(fp32), codeArb(fp32));

describe('golden fp32 == Math.fround references (rne)', () => {
  it('mul, add and fma, with inexact and overflow flags', () => {
    check(testContext(), fc.property(pair, ([a, b, c]) => {
      const x = toNumber(a, fp32), y = toNumber(b, fp32), z = toNumber(c, fp32);
      const hex = `a=0x${a.toString(16)} b=0x${b.toString(16)} c=0x${c.toString(16)}`;
      const m = mulExact(a, fp32, b, fp32, fp32, RNE);
      expectSame(`mul ${hex}`, m.code, Math.fround(x * y));
      const s = addExact(a, fp32, b, fp32, fp32, RNE);
      expectSame(`add ${hex}`, s.code, Math.fround(x + y));
      // The sum x + y = sum + err exactly (TwoSum); the product is exact in a double.
      const sum = x + y, bb = sum - x, err = (x - (sum - bb)) + (y - bb);
      for (const [what, r, exact, tail] of [['mul', m, x * y, 0], ['add', s, sum, err]] as const) {
        if (!Number.isFinite(exact)) continue;
        const ref = Math.fround(exact);
        if (((r.flags & FLAG_INEXACT) !== 0) !== (ref !== exact || tail !== 0)) throw new Error(`${what} ${hex}: inexact flag ${r.flags}`);
        if (((r.flags & FLAG_OVERFLOW) !== 0) !== !Number.isFinite(ref)) throw new Error(`${what} ${hex}: overflow flag ${r.flags}`);
      }
      expectSame(`fma ${hex}`, fmaExact(a, fp32, b, fp32, c, fp32, fp32, RNE).code, fmaRef(x, y, z));
    }), runs(30_000));
  });

  it('quantize of any double', () => {
    check(testContext(), fc.property(fc.double(), (x) => {
      expectSame(`quantize(${x})`, quantizeExact(x, fp32, RNE).code, Math.fround(x));
    }), runs(30_000));
  });
});
