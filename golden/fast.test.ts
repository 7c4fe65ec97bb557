// The proof that the float64 path equals the defining BigInt path: random formats, modes and
// special-biased operands, plus every operand pair of small formats.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, describeCase, formatArb, roundingArb } from '../property-tests/support/arbitraries.ts';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs } from '../property-tests/support/seed.ts';
import { addExact, convertExact, fmaExact, mulExact, quantizeExact } from './exact.ts';
import { addFast, convertFast, fmaFast, mulFast, quantizeFast } from './fast.ts';
import { format, type Format } from './format.ts';
import { MODES, type Rounding } from './rounding.ts';

const same = (what: string, a: { code: number; flags: number }, b: { code: number; flags: number }) => {
  if (a.code !== b.code || a.flags !== b.flags) {
    throw new Error(`${what}: exact {code 0x${a.code.toString(16)}, flags ${a.flags}} != fast {code 0x${b.code.toString(16)}, flags ${b.flags}}`);
  }
};

const opCase = fc.tuple(formatArb(), formatArb(), formatArb(), formatArb(), roundingArb()).chain(([fa, fb, fc_, to, r]) =>
  fc.tuple(codeArb(fa), codeArb(fb), codeArb(fc_)).map(([a, b, c]) => ({ fa, fb, fc: fc_, to, r, a, b, c })),
);

describe('fast path == exact path', () => {
  it('convert, mul, add, fma on random formats and modes', () => {
    check(testContext(), fc.property(opCase, ({ fa, fb, fc: fcf, to, r, a, b, c }) => {
      same(describeCase('convert', [fa], [a], to, r), convertExact(a, fa, to, r), convertFast(a, fa, to, r));
      same(describeCase('mul', [fa, fb], [a, b], to, r), mulExact(a, fa, b, fb, to, r), mulFast(a, fa, b, fb, to, r));
      same(describeCase('add', [fa, fb], [a, b], to, r), addExact(a, fa, b, fb, to, r), addFast(a, fa, b, fb, to, r));
      same(describeCase('fma', [fa, fb, fcf], [a, b, c], to, r), fmaExact(a, fa, b, fb, c, fcf, to, r), fmaFast(a, fa, b, fb, c, fcf, to, r));
    }), runs(20_000));
  });

  it('fma with cancellation: c ≈ −a·b in wide formats', () => {
    const fp32 = format('fp32');
    const arb = fc.tuple(formatArb({ minMan: 5 }), codeArb(fp32), codeArb(fp32), fc.integer({ min: -3, max: 3 }), roundingArb());
    check(testContext(), fc.property(arb, ([to, a, b, d, r]) => {
      const p = mulExact(a, fp32, b, fp32, fp32, { mode: 'rtz' }).code;
      const c = ((p ^ 0x80000000) + d) >>> 0; // −p nudged by a few ulps
      same(describeCase('fma', [fp32, fp32, fp32], [a, b, c], to, r), fmaExact(a, fp32, b, fp32, c, fp32, to, r), fmaFast(a, fp32, b, fp32, c, fp32, to, r));
    }), runs(20_000));
  });

  it('quantize of arbitrary doubles, float64 subnormals included', () => {
    const arb = fc.tuple(fc.double(), formatArb(), roundingArb());
    check(testContext(), fc.property(arb, ([x, to, r]) => {
      same(`quantize(${x}) -> ${to.name} ${JSON.stringify(r)}`, quantizeExact(x, to, r), quantizeFast(x, to, r));
    }), runs(20_000));
  });
});

describe('fast path == exact path, every operand pair', () => {
  const rounds = (f: Format): Rounding[] => [
    ...MODES.filter((m) => m !== 'sr').map((mode) => ({ mode })),
    { mode: 'sr', rbits: 3, rand: 5 },
    { mode: 'sr', rbits: 12, rand: 0xfff },
    { mode: 'sr', rbits: 1 + (f.man % 24), rand: 0 },
  ];
  it.each(['e2m1', 'e3m2', 'e2m3', { exp: 3, man: 1, subnormals: false }, { exp: 1, man: 3, specials: 'finite', subnormals: false }, { exp: 2, man: 3, specials: 'finite', subnormals: false }, { exp: 4, man: 2, specials: 'fn', overflow: 'saturate' }])('%j', (spec) => {
    const f = format(spec as string);
    const n = 2 * f.signBit;
    const to = [f, format('e4m3'), format({ exp: 2, man: 2, specials: 'finite', subnormals: false })];
    for (const t of to) for (const r of rounds(t)) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
      const m1 = mulExact(a, f, b, f, t, r), m2 = mulFast(a, f, b, f, t, r);
      const s1 = addExact(a, f, b, f, t, r), s2 = addFast(a, f, b, f, t, r);
      if (m1.code !== m2.code || m1.flags !== m2.flags) expect({ op: 'mul', a, b, to: t.name, r, fast: m2 }).toEqual({ op: 'mul', a, b, to: t.name, r, fast: m1 });
      if (s1.code !== s2.code || s1.flags !== s2.flags) expect({ op: 'add', a, b, to: t.name, r, fast: s2 }).toEqual({ op: 'add', a, b, to: t.name, r, fast: s1 });
    }
  });
});
