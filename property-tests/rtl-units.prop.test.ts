// RTL units (rtl/fp) == golden, bit for bit in code and flags, for random formats (every
// specials kind, P3109's included, subnormals on/off, both overflow policies, E 1..8, M 0..23) and operands biased
// to ±0, subnormals, min/max normal, Inf, NaN and ties. The mode and r of sr are inputs of the
// units, so each property run is one build (op, formats, RBITS: a Verilator build, cached by the
// harness) and its batch draws every mode, sr with every r up to RBITS and R at the decision
// boundary F + R = 2^r - 1 / 2^r; fma draws c = -(a * b) in one case of eight (exact
// cancellation). A second test per op holds the result format to IEEE with
// overflow to infinity, operands near the top of the range.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { apply, ARITY, format, MODES, negateCode, type Format, type Op } from '../golden/index.ts';
import { UNIT_RBITS, type UnitBuild, type UnitCase } from '../rtl/units.ts';
import { expectRtlMatchesGolden, srThreshold } from './rtl-compare.ts';
import { codeArb, formatArb, p3109Arb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

const BATCH = 1400;

/** A code whose low fraction bits make a tie or a near-tie once rounded to fewer bits. */
function tieCodeArb(f: Format): fc.Arbitrary<number> {
  if (f.man < 2) return codeArb(f);
  return fc.tuple(codeArb(f), fc.integer({ min: 1, max: f.man }), fc.constantFrom(0, 1, -1)).map(([c, t, d]) => {
    const v = c - (c % 2 ** t) + 2 ** (t - 1) + d;
    return Math.min(Math.max(v, 0), 2 * f.signBit - 1);
  });
}

/** A finite code in the top binade (either sign): products and sums of them overflow. */
function topCodeArb(f: Format): fc.Arbitrary<number> {
  const lo = Math.max(0, f.maxCode - 2 ** f.man + 1);
  return fc.tuple(fc.integer({ min: lo, max: f.maxCode }), fc.boolean()).map(([c, neg]) => c + (neg ? f.signBit : 0));
}

function operandArb(f: Format): fc.Arbitrary<number> {
  return fc.oneof({ weight: 3, arbitrary: codeArb(f) }, { weight: 1, arbitrary: tieCodeArb(f) }, { weight: 1, arbitrary: topCodeArb(f) });
}

/**
 * fma operands where c cancels a * b: c = -(a * b) rounded into c's format, an exact zero sum
 * whenever the product fits (the zero's sign under every mode).
 */
function cancelArb(b: UnitBuild): fc.Arbitrary<number[]> {
  return fc.tuple(operandArb(b.ins[0]), operandArb(b.ins[1])).map(([x, y]) => {
    const p = apply('mul', [x, y], [b.ins[0], b.ins[1]], b.ins[2], { mode: 'rtz' }).code;
    return [x, y, negateCode(p, b.ins[2])];
  });
}

/** A mode per case (every mode equally), sr with r in 1..RBITS and R random or at the boundary. */
function caseArb(b: UnitBuild, max: number): fc.Arbitrary<UnitCase> {
  const operands = b.op === 'fma' ? fc.oneof({ weight: 7, arbitrary: fc.tuple(...b.ins.map(operandArb)) }, { weight: 1, arbitrary: cancelArb(b) }) : fc.tuple(...b.ins.map(operandArb));
  return fc
    .tuple(operands, fc.constantFrom(...MODES), fc.integer({ min: 1, max }), fc.integer({ min: 0, max: 2 ** 24 - 1 }), fc.nat(3))
    .map(([operands, mode, r, raw, how]): UnitCase => {
      if (mode !== 'sr') return { operands, mode };
      let rand = raw % 2 ** r;
      if (how < 2) {
        // Half the sr cases sit on the decision: F + R = 2^r - 1 (keeps) or 2^r (rounds up).
        const t = srThreshold(b, operands, r);
        if (t !== undefined) rand = how === 0 ? t - 1 : t;
      }
      return { operands, mode, rbits: r, rand };
    });
}

/** RBITS of a build: golden's widest r most of the time, sometimes a narrow rounder. */
const rbitsMaxArb = fc.oneof({ weight: 2, arbitrary: fc.constant(UNIT_RBITS) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: UNIT_RBITS }) });

/**
 * A unit build and a batch of cases for it. `result` constrains the result format; `sameIns`
 * gives every operand the result's format (convert: fp32), so the top binade overflows.
 */
function unitCaseArb(op: Op, result: fc.Arbitrary<Format> = formatArb(), sameIns = false): fc.Arbitrary<{ build: UnitBuild; cases: UnitCase[] }> {
  const n = ARITY[op];
  const insArb = sameIns ? fc.constant(Array.from({ length: n }, () => (op === 'convert' ? format('fp32') : undefined))) : fc.array(fc.oneof(formatArb(), fc.constant(undefined)), { minLength: n, maxLength: n });
  return fc
    .tuple(result, insArb, rbitsMaxArb)
    .chain(([fmt, insOrSame, rbitsMax]) => {
      const build: UnitBuild = { op, ins: insOrSame.map((f) => f ?? fmt), fmt, rbitsMax };
      return fc.array(caseArb(build, rbitsMax), { minLength: BATCH, maxLength: BATCH }).map((cases) => ({ build, cases }));
    });
}

/** IEEE result formats that overflow to infinity, E 2..8 (fp16, bf16 and an IEEE e5m2 among them). */
const ieeeInfinityArb: fc.Arbitrary<Format> = fc.oneof(
  fc.constantFrom(format('fp16'), format('bf16'), format({ exp: 5, man: 2, subnormals: true, specials: 'ieee', overflow: 'infinity' })),
  fc.record({ exp: fc.integer({ min: 2, max: 8 }), man: fc.integer({ min: 1, max: 23 }), subnormals: fc.boolean() })
    .map((f) => format({ ...f, specials: 'ieee', overflow: 'infinity' })),
);

describe('RTL units == golden on random formats, every mode per build', () => {
  // P3109 (docs/arithmetic.md §1.1) on purpose, besides its share of the random formats: fma reads
  // three operands through fp_unpack and rounds through fp_round.
  it('fma into a P3109 format: codes and flags', async () => {
    await check(testContext(), fc.asyncProperty(unitCaseArb('fma', p3109Arb()), async ({ build, cases }) => {
      await expectRtlMatchesGolden(build, cases);
    }), runs(1, 20));
  });

  for (const op of ['mul', 'add', 'fma', 'convert'] as const) {
    it(`${op}: codes and flags`, async () => {
      await check(testContext(), fc.asyncProperty(unitCaseArb(op), async ({ build, cases }) => {
        await expectRtlMatchesGolden(build, cases);
      }), runs(3, 40));
    });
    it(`${op}: IEEE result overflowing to infinity`, async () => {
      await check(testContext(), fc.asyncProperty(unitCaseArb(op, ieeeInfinityArb, true), async ({ build, cases }) => {
        await expectRtlMatchesGolden(build, cases);
      }), runs(1, 10));
    });
  }
});
