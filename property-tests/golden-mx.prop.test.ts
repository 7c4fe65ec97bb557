// MX (docs/arithmetic.md §7.2) against independent references: every element conversion against
// MPFR (element = convert(V / X) with saturation), and the four scale rules against
// re-implementations on fp32 bits (torchao's bit trick for 'even', Math.fround for 'rceil').
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { flagNames, format, hexCode, mxFormat, mxQuantize, mxScale, rawsOfCodes, SCALE_MODES, type MxFormat, type Rounding, type ScaleMode, type VectorRounding } from '../golden/index.ts';
import { createMpfrOracle, type MpfrOracle, type OracleRounding } from './oracles/mpfr.ts';
import { roundingArb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

let oracle: MpfrOracle;
beforeAll(async () => { oracle = await createMpfrOracle(); });
afterAll(() => oracle.dispose());

const FP32 = format('fp32');
const view = new DataView(new ArrayBuffer(4));
const bitsOf = (x: number) => { view.setFloat32(0, x); return view.getUint32(0); };
const valueOf = (c: number) => { view.setUint32(0, c); return view.getFloat32(0); };
const MX = ['mxfp8-e4m3', 'mxfp8-e5m2', 'mxfp6-e3m2', 'mxfp6-e2m3', 'mxfp4-e2m1', 'mxint8'];
const FLAG_BITS = { invalid: 1, overflow: 2, underflow: 4, inexact: 8 } as const;

/** A finite fp32 code whose exponent field lies within `spread` below `top`. */
const codeNear = (top: number, spread: number) => fc.record({
  s: fc.boolean(),
  d: fc.integer({ min: 0, max: spread }),
  frac: fc.oneof(fc.integer({ min: 0, max: 0x7fffff }), fc.constantFrom(0, 0x7fffff, 0x400000)),
}).map(({ s, d, frac }) => ((s ? 0x80000000 : 0) + Math.max(0, top - d) * 0x800000 + frac) >>> 0);

/** A block of finite fp32 codes: clustered (the realistic case) or spread over the whole range. */
const blockArb = fc.record({ top: fc.integer({ min: 0, max: 254 }), spread: fc.constantFrom(0, 3, 12, 40, 254), n: fc.integer({ min: 1, max: 32 }) })
  .chain(({ top, spread, n }) => fc.array(codeNear(top, spread), { minLength: n, maxLength: n }));

/** One random word per element, derived from the drawn one. */
function vectorRnd(r: Rounding, n: number): VectorRounding {
  if (r.mode !== 'sr') return { mode: r.mode };
  const m = 2 ** (r.rbits as number);
  return { mode: 'sr', rbits: r.rbits, rand: Array.from({ length: n }, (_, i) => ((r.rand as number) + i * 40503) % m) };
}
const nthRnd = (r: VectorRounding, i: number): OracleRounding =>
  r.mode === 'sr' ? { mode: 'sr', rbits: r.rbits, rand: r.rand![i] } : { mode: r.mode };

/**
 * The fp32 code of V / X for the oracle. Scaling by 2^−s is exact unless it leaves fp32's normal
 * range; it can only fall below it (|V / X| < 2^(emax_elem + 2) above), and every value below
 * 2^−40 rounds like ±2^−149 in every element format and mode: the finest element grid is e5m2's
 * 2^−16 and sr looks at r ≤ 24 bits below it, so F = 0, k = 0, inexact and tiny either way.
 */
function scaledCode(code: number, s: number): number {
  const y = valueOf(code) * 2 ** -s;
  if (y !== 0 && Math.abs(y) < 2 ** -40) return (y < 0 ? 0x80000000 : 0) + 1;
  if (Math.fround(y) !== y) throw new Error(`V/X = ${y} is not an fp32`);
  return bitsOf(y);
}

describe('MX elements == MPFR convert(V / X) with saturation', () => {
  it.each(MX.filter((n) => n !== 'mxint8').map((n) => [n]))('%s, every scale rule and mode', (name) => {
    const f = mxFormat(name);
    const ef = f.elemFormat!;
    check(testContext(), fc.property(blockArb, fc.constantFrom(...SCALE_MODES), roundingArb(), (codes, scale, r) => {
      const rnd = vectorRnd(r, codes.length);
      const v = mxQuantize(rawsOfCodes(codes), f, scale, rnd);
      const s = v.scales[0] - 127;
      let flags = 0;
      codes.forEach((c, i) => {
        const want = oracle.convert(scaledCode(c, s), FP32, ef, nthRnd(rnd, i));
        if (want.code !== v.codes[i]) {
          throw new Error(`${name} scale=${scale} ${JSON.stringify(nthRnd(rnd, i))} block [${codes.map((x) => hexCode(x, FP32))}] s=${s}: element ${i} golden ${hexCode(v.codes[i], ef)} mpfr ${hexCode(want.code, ef)}`);
        }
        for (const n of want.flags) flags |= FLAG_BITS[n];
      });
      if (flagNames(flags).join() !== flagNames(v.flags).join()) throw new Error(`flags: golden ${flagNames(v.flags)} mpfr ${flagNames(flags)}`);
    }), runs(1500, 15_000));
  });

  it('mxint8: the grid i/64 equals MPFR into e2m6 (the same grid below 2) clamped to ±127/64', () => {
    const f = mxFormat('mxint8');
    const e2m6 = format({ exp: 2, man: 6, specials: 'finite' }); // emin 0: quantum 2^−6 on [0, 2)
    check(testContext(), fc.property(blockArb, fc.constantFrom(...SCALE_MODES), roundingArb(), (codes, scale, r) => {
      const rnd = vectorRnd(r, codes.length);
      const v = mxQuantize(rawsOfCodes(codes), f, scale, rnd);
      const s = v.scales[0] - 127;
      codes.forEach((c, i) => {
        const want = oracle.convert(scaledCode(c, s), FP32, e2m6, nthRnd(rnd, i));
        const d = Math.max(-127 / 64, Math.min(127 / 64, decodeE2m6(want.code)));
        const got = (v.codes[i] >= 128 ? v.codes[i] - 256 : v.codes[i]) / 64;
        if (got !== d) throw new Error(`mxint8 scale=${scale} ${JSON.stringify(nthRnd(rnd, i))} element ${hexCode(c, FP32)} s=${s}: golden ${got} mpfr ${d}`);
      });
    }), runs(1500, 15_000));
  });
});

function decodeE2m6(code: number): number {
  const neg = code >= 256; // width 1 + 2 + 6 = 9 bits
  const field = (code >> 6) & 3;
  const frac = code & 63;
  const v = field === 0 ? frac / 64 : (1 + frac / 64) * 2 ** (field - 1);
  return neg ? -v : v;
}

/** ⌊log2 |x|⌋ of a non-zero fp32 code from its fields (subnormals by the leading fraction bit). */
function exponentOfBits(c: number): number {
  const field = (c >>> 23) & 0xff;
  const frac = c & 0x7fffff;
  return field === 0 ? 31 - Math.clz32(frac) - 149 : field - 127;
}

const clamp = (s: number) => Math.max(-127, Math.min(127, s));

/** Reference scale exponents, written from the definitions on fp32 bits and doubles. */
function referenceScale(codes: number[], f: MxFormat, mode: ScaleMode): number {
  const amaxBits = Math.max(...codes.map((c) => c & 0x7fffffff)); // fp32 magnitudes order as their bits
  if (amaxBits === 0) return -127;
  const amax = valueOf(amaxBits);
  const maxElem = f.elemFormat ? f.elemFormat.maxValue : 127 / 64;
  switch (mode) {
    case 'floor': return clamp(exponentOfBits(amaxBits) - f.emaxElem);
    case 'ceil': {
      let s = -200;
      while (amax > maxElem * 2 ** s) s++; // the smallest s with amax ≤ max·2^s
      return clamp(s);
    }
    case 'even': {
      // torchao's ScaleCalculationMode.EVEN: add half an ulp at man_elem bits, mask the fraction.
      const rounded = (amaxBits + (1 << (23 - f.manElem - 1))) & 0x7f800000;
      return clamp((rounded >>> 23) - 127 - f.emaxElem);
    }
    case 'rceil': {
      const q = Math.fround(amax / maxElem); // double rounding is innocuous for division (53 ≥ 2·24 + 2)
      if (q === 0) return -127;
      const qb = bitsOf(q);
      // ⌈log2 q⌉: ⌊log2 q⌋, plus one unless q is a power of two (a subnormal one included:
      // q = 2^-127 is 0x00400000).
      const pow2 = 2 ** exponentOfBits(qb) === q;
      return clamp(exponentOfBits(qb) + (pow2 ? 0 : 1));
    }
  }
}

describe('MX scales == definitions on fp32 bits', () => {
  it.each(MX.map((n) => [n]))('%s: floor, ceil, even, rceil', (name) => {
    const f = mxFormat(name);
    check(testContext(), fc.property(blockArb, fc.constantFrom(...SCALE_MODES), (codes, mode) => {
      const got = mxScale(rawsOfCodes(codes), f, mode) - 127;
      const want = referenceScale(codes, f, mode);
      if (got !== want) throw new Error(`${name} ${mode} block [${codes.map((x) => hexCode(x, FP32))}]: golden s=${got}, reference s=${want}`);
    }), runs(1000, 10_000));
  });
});
