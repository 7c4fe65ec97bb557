// Golden against MPFR (gmp-wasm): random formats for every operand and the result, every mode,
// all four operations. The oracle shares no code with golden/ (see property-tests/oracles/).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ARITY, MODES, OPS, type Format, type Mode, type Rounding } from '../golden/index.ts';
import { createMpfrOracle, type MpfrOracle } from './oracles/mpfr.ts';
import { disagreement } from './support/against-oracle.ts';
import { codeArb, formatArb } from './support/arbitraries.ts';
import { testContext } from './support/context.ts';
import { check, runs } from './support/seed.ts';

let oracle: MpfrOracle;
beforeAll(async () => { oracle = await createMpfrOracle(); });
afterAll(() => oracle.dispose());

/** Operand formats, the result format, and one code per operand. */
function caseArb(arity: number): fc.Arbitrary<{ ins: Format[]; to: Format; codes: number[] }> {
  return fc
    .record({ ins: fc.array(formatArb(), { minLength: arity, maxLength: arity }), to: formatArb() })
    .chain(({ ins, to }) => fc.tuple(...ins.map(codeArb)).map((codes) => ({ ins, to, codes })));
}

function roundingFor(mode: Mode): fc.Arbitrary<Rounding> {
  if (mode !== 'sr') return fc.constant({ mode });
  return fc.integer({ min: 1, max: 24 }).chain((rbits) =>
    fc.integer({ min: 0, max: 2 ** rbits - 1 }).map((rand) => ({ mode, rbits, rand })));
}

describe('golden == MPFR on random formats', () => {
  for (const op of OPS) {
    describe(op, () => {
      it.each(MODES.map((m) => [m]))(`${op}, mode %s`, (mode) => {
        check(testContext(), fc.property(caseArb(ARITY[op]), roundingFor(mode), ({ ins, to, codes }, r) => {
          const why = disagreement(oracle, op, codes, ins, to, r);
          if (why !== null) throw new Error(why);
        }), runs(5000, 100_000));
      });
    });
  }

  // Same-format operands near the result format are where double rounding and the subnormal
  // boundary bite hardest; random independent formats rarely land there.
  it('same-format operands, any mode', () => {
    const arb = formatArb().chain((f) => fc.record({
      op: fc.constantFrom(...OPS),
      codes: fc.tuple(codeArb(f), codeArb(f), codeArb(f)),
      f: fc.constant(f),
      r: fc.constantFrom(...MODES).chain(roundingFor),
    }));
    check(testContext(), fc.property(arb, ({ op, codes, f, r }) => {
      const n = ARITY[op];
      const why = disagreement(oracle, op, codes.slice(0, n), Array(n).fill(f), f, r);
      if (why !== null) throw new Error(why);
    }), runs(20_000, 400_000));
  });
});
