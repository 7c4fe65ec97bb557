// RTL units (rtl/fp) == golden, bit for bit in code and flags, for random formats (every
// specials kind, P3109's included, subnormals on/off, both overflow policies, E 1..8, M 0..23), every rounding
// mode including sr, and operands biased to ±0, subnormals, min/max normal, Inf, NaN and ties.
// Each property run is one parameter set: one Verilator build (cached by the harness), then a
// batch of operand tuples through it.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ARITY, type Format, type Op } from '../golden/index.ts';
import type { UnitCase, UnitConfig } from '../rtl/units.ts';
import { expectRtlMatchesGolden } from './rtl-compare.ts';
import { codeArb, formatArb, p3109Arb, roundingArb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

const BATCH = 300;

/** A code whose low fraction bits make a tie or a near-tie once rounded to fewer bits. */
function tieCodeArb(f: Format): fc.Arbitrary<number> {
  if (f.man < 2) return codeArb(f);
  return fc.tuple(codeArb(f), fc.integer({ min: 1, max: f.man }), fc.constantFrom(0, 1, -1)).map(([c, t, d]) => {
    const v = c - (c % 2 ** t) + 2 ** (t - 1) + d;
    return Math.min(Math.max(v, 0), 2 * f.signBit - 1);
  });
}

function operandArb(f: Format): fc.Arbitrary<number> {
  return fc.oneof({ weight: 3, arbitrary: codeArb(f) }, { weight: 1, arbitrary: tieCodeArb(f) });
}

/** A unit configuration and a batch of cases for it. */
export function unitCaseArb(op: Op): fc.Arbitrary<{ cfg: UnitConfig; cases: UnitCase[] }> {
  const n = ARITY[op];
  return fc
    .tuple(formatArb(), fc.array(fc.oneof(formatArb(), fc.constant(undefined)), { minLength: n, maxLength: n }), roundingArb())
    .chain(([fmt, insOrSame, rnd]) => {
      const ins = insOrSame.map((f) => f ?? fmt);
      const cfg: UnitConfig = { op, ins, fmt, mode: rnd.mode, rbits: rnd.rbits };
      const r = rnd.rbits ?? 1;
      const randArb = rnd.mode === 'sr' ? fc.oneof(fc.integer({ min: 0, max: 2 ** r - 1 }), fc.constantFrom(0, 2 ** r - 1, 2 ** (r - 1))) : fc.constant(0);
      const caseArb = fc.tuple(fc.tuple(...ins.map(operandArb)), randArb).map(([operands, rand]): UnitCase => ({ operands, rand }));
      return fc.array(caseArb, { minLength: BATCH, maxLength: BATCH }).map((cases) => ({ cfg, cases }));
    });
}

/** fma (every operand a P3109 format or any other) into a random P3109 result format. */
function p3109CaseArb(): fc.Arbitrary<{ cfg: UnitConfig; cases: UnitCase[] }> {
  return fc.tuple(p3109Arb(), fc.array(fc.oneof(p3109Arb(), formatArb()), { minLength: 3, maxLength: 3 }), roundingArb())
    .chain(([fmt, ins, rnd]) => {
      const r = rnd.rbits ?? 1;
      const randArb = rnd.mode === 'sr' ? fc.integer({ min: 0, max: 2 ** r - 1 }) : fc.constant(0);
      const caseArb = fc.tuple(fc.tuple(...ins.map(operandArb)), randArb).map(([operands, rand]): UnitCase => ({ operands, rand }));
      return fc.array(caseArb, { minLength: BATCH, maxLength: BATCH })
        .map((cases) => ({ cfg: { op: 'fma' as const, ins, fmt, mode: rnd.mode, rbits: rnd.rbits }, cases }));
    });
}

describe('RTL units == golden on random formats and modes', () => {
  // P3109 (docs/arithmetic.md §1.1) on purpose, besides its share of the random formats above;
  // fma reads three operands through fp_unpack and rounds through fp_round.
  it('fma into a P3109 format: codes and flags', async () => {
    await check(testContext(), fc.asyncProperty(p3109CaseArb(), async ({ cfg, cases }) => {
      await expectRtlMatchesGolden(cfg, cases);
    }), runs(1, 20));
  });

  for (const op of ['mul', 'add', 'fma', 'convert'] as const) {
    it(`${op}: codes and flags`, async () => {
      await check(testContext(), fc.asyncProperty(unitCaseArb(op), async ({ cfg, cases }) => {
        await expectRtlMatchesGolden(cfg, cases);
      }), runs(3, 30));
    });
  }
});
