// IEEE P3109 formats (docs/arithmetic.md §1.1) against the MPFR oracle, which decodes and encodes
// them from the contract on its own (property-tests/oracles/oracle-format.ts):
//   - random K (3..8), P (1..K−1), domain and overflow, every mode, all four operations, with the
//     other operands in P3109 or any other format;
//   - exhaustive for K = 8: convert from fp32 around every rounding boundary (a band of fp32 codes
//     at every value, midpoint and quarter point, past max, below the smallest subnormal), and
//     every operand pair of mul and add, in every mode (sr: one random word per case from the
//     test's seeded stream). The quick profile sweeps binary8p4se and binary8p3sf-sat; the
//     nightly profile every K = 8 format (P = 1..7, both domains, both overflow rules).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ARITY, MODES, OPS, format, type Format, type Mode, type Op, type Rounding } from '../golden/index.ts';
import { createMpfrOracle, type MpfrOracle } from './oracles/mpfr.ts';
import { disagreement, sweepAgainstOracle } from './support/against-oracle.ts';
import { codeArb, formatArb, p3109Arb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, profile, runs } from './support/seed.ts';
import { boundarySweep } from './support/sweeps.ts';

let oracle: MpfrOracle;
beforeAll(async () => { oracle = await createMpfrOracle(); });
afterAll(() => oracle.dispose());

function roundingFor(mode: Mode): fc.Arbitrary<Rounding> {
  if (mode !== 'sr') return fc.constant({ mode });
  return fc.integer({ min: 1, max: 24 }).chain((rbits) =>
    fc.integer({ min: 0, max: 2 ** rbits - 1 }).map((rand) => ({ mode, rbits, rand })));
}

/** Result in P3109; each operand P3109 (same as the result half the time) or any format. */
function caseArb(arity: number): fc.Arbitrary<{ ins: Format[]; to: Format; codes: number[] }> {
  return p3109Arb().chain((to) =>
    fc.array(fc.oneof(fc.constant(to), p3109Arb(), formatArb()), { minLength: arity, maxLength: arity })
      .chain((ins) => fc.tuple(...ins.map(codeArb)).map((codes) => ({ ins, to, codes }))));
}

describe('P3109: golden == MPFR on random K, P, domain and mode', () => {
  for (const op of OPS) {
    it.each(MODES.map((m) => [m]))(`${op}, mode %s`, (mode) => {
      check(testContext(), fc.property(caseArb(ARITY[op]), roundingFor(mode), ({ ins, to, codes }, r) => {
        const why = disagreement(oracle, op, codes, ins, to, r);
        if (why !== null) throw new Error(why);
      }), runs(3000, 60_000));
    });
  }
});

const K8: string[] = profile() === 'nightly'
  ? [1, 2, 3, 4, 5, 6, 7].flatMap((P) => ['se', 'sf', 'se-sat', 'sf-sat'].map((d) => `binary8p${P}${d}`))
  : ['binary8p4se', 'binary8p3sf-sat'];

/** Runs every case against MPFR; under sr one request per case with random rbits and R. */
function sweep(op: Op, ins: Format[], to: Format, mode: Mode, operands: Iterable<number[]>): void {
  sweepAgainstOracle(oracle, op, ins, to, operands, (rng) => () => {
    if (mode !== 'sr') return [{ mode }];
    const rbits = 1 + (rng.next(5) % 24);
    return [{ mode, rbits, rand: rng.next(rbits) }];
  });
}

function* pairsOf(f: Format): Generator<number[]> {
  for (let a = 0; a < 2 * f.signBit; a++) for (let b = 0; b < 2 * f.signBit; b++) yield [a, b];
}

describe('P3109 K = 8, exhaustive: golden == MPFR', () => {
  const fp32 = format('fp32');
  for (const name of K8) {
    const f = format(name);
    describe(name, () => {
      const codes = boundarySweep(name).map((c) => [c]);
      it.each(MODES.map((m) => [m]))(`convert fp32 -> ${name} around every boundary (${codes.length} codes), %s`, (mode) => {
        sweep('convert', [fp32], f, mode, codes);
      });
      for (const op of ['mul', 'add'] as const) {
        it.each(MODES.map((m) => [m]))(`${op} every ${name} pair, %s`, (mode) => {
          sweep(op, [f, f], f, mode, pairsOf(f));
        });
      }
    });
  }
});
