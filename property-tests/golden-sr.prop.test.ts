// Stochastic rounding against a direct reading of its definition: lo and hi are found by
// enumerating every finite code of the format (exact rationals, BigInt), f = (|x| − lo)/ulp,
// F = ⌊f·2^r⌋, up iff F + R >= 2^r. Independent of golden's rounder (which never enumerates).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { decode, format, Kind, quantizeExact, toNumber, type Format } from '../golden/index.ts';
import { formatArb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

/** Sorted finite magnitudes of f as integers in units of 2^unitExp, plus the first value past max. */
function grid(f: Format, unitExp: number): bigint[] {
  const out = new Set<bigint>();
  for (let c = 0; c < f.signBit; c++) {
    const d = decode(c, f);
    if (d.kind === Kind.Zero) out.add(0n);
    if (d.kind === Kind.Finite) out.add(BigInt(d.sig) << BigInt(d.exp - unitExp));
  }
  // One step past max on the unbounded grid of the top binade (the value overflow rounds to).
  out.add((BigInt(f.maxSig + 1)) << BigInt(f.emax - f.man - unitExp));
  return [...out].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

interface Case { f: Format; sig: number; exp: number; negative: boolean; rbits: number; rand: number }

const caseArb: fc.Arbitrary<Case> = formatArb({ maxExp: 5, maxMan: 7 }).chain((f) =>
  fc.record({
    f: fc.constant(f),
    sig: fc.integer({ min: 1, max: 2 ** 30 }),
    exp: fc.integer({ min: f.emin - f.man - 32, max: f.emax - 30 }),
    negative: fc.boolean(),
    rbits: fc.integer({ min: 1, max: 24 }),
  }).chain((c) => fc.integer({ min: 0, max: 2 ** c.rbits - 1 }).map((rand) => ({ ...c, rand }))));

describe('sr == the SPEC formula', () => {
  it('F = ⌊f·2^r⌋; hi iff F + R >= 2^r', () => {
    check(testContext(), fc.property(caseArb, ({ f, sig, exp, negative, rbits, rand }) => {
      const unit = Math.min(exp, f.emin - f.man);
      const g = grid(f, unit);
      const ax = BigInt(sig) << BigInt(exp - unit);
      if (ax >= g[g.length - 1]) return; // beyond the overflow step: covered by the overflow tests
      let i = 0;
      while (g[i + 1] <= ax) i++;
      const lo = g[i], hi = g[i + 1];
      const F = ((ax - lo) << BigInt(rbits)) / (hi - lo);
      const up = F + BigInt(rand) >= 1n << BigInt(rbits);
      const pick = up ? hi : lo;
      const x = (negative ? -1 : 1) * sig * 2 ** exp;
      const r = quantizeExact(x, f, { mode: 'sr', rbits, rand });
      const got = toNumber(r.code, f);
      const pickIsOverflow = pick === g[g.length - 1];
      const expected = pickIsOverflow
        ? (f.overflow === 'saturate' ? f.maxValue : f.infCode >= 0 ? Infinity : NaN)
        : Number(pick) * 2 ** unit;
      // A format without −0 (P3109) gives +0 for a negative value that rounds to zero.
      const want = negative && (expected !== 0 || f.signedZero) ? -expected : expected;
      if (!(Number.isNaN(want) ? Number.isNaN(got) : Object.is(got, want))) {
        throw new Error(`sr ${f.name} x=${x} r=${rbits} R=${rand}: lo=${Number(lo) * 2 ** unit} hi=${Number(hi) * 2 ** unit} F=${F} → expected ${want}, golden ${got}`);
      }
    }), runs(20_000));
  });

  it('is unbiased within the r-bit bound: the mean over all R is lo + ulp·⌊f·2^r⌋/2^r', () => {
    const f = format({ exp: 4, man: 3 });
    check(testContext(), fc.property(fc.double({ min: 2 ** -9, max: 240, noNaN: true }), fc.integer({ min: 1, max: 10 }), (x, rbits) => {
      let sum = 0, lo = Infinity, hi = -Infinity;
      for (let R = 0; R < 2 ** rbits; R++) {
        const v = toNumber(quantizeExact(x, f, { mode: 'sr', rbits, rand: R }).code, f);
        sum += v; lo = Math.min(lo, v); hi = Math.max(hi, v);
      }
      const mean = sum / 2 ** rbits;
      // Every result is one of the two neighbours, and the bias is below ulp/2^r.
      const ulp = hi - lo;
      if (lo > x || (hi < x && hi !== lo) || (ulp > 0 && Math.abs(mean - x) >= ulp / 2 ** rbits) || (ulp === 0 && lo !== x && hi !== x && mean !== lo)) {
        throw new Error(`x=${x} r=${rbits}: results in [${lo}, ${hi}], mean ${mean}`);
      }
    }), runs(2_000));
  });
});
