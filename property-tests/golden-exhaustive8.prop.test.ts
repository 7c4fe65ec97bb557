// Exhaustive golden-vs-MPFR checks for 8-bit formats: every code of fp16 and bf16 converted into
// each format, and every operand pair of mul and add, in every mode. `sr` draws one random word
// per case from the test's seeded stream (all rbits widths in the nightly profile).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DETERMINISTIC_MODES, XorShift32, format, type Format, type Op, type Rounding } from '../golden/index.ts';
import { createMpfrOracle, type MpfrOracle } from './oracles/mpfr.ts';
import { sweepAgainstOracle } from './support/against-oracle.ts';
import { profile } from './support/seed.ts';

/** Four E/M splits of a byte, covering every specials kind and both subnormal policies. */
const EIGHT_BIT: Format[] = [
  format('e4m3'), // OCP FP8 E4M3: fn, saturating, subnormals
  format('e5m2'), // OCP FP8 E5M2: ieee
  format({ exp: 3, man: 4 }), // ieee, subnormals
  format({ exp: 6, man: 1, subnormals: false }), // ieee, flush-to-zero rule
  format({ exp: 2, man: 5, specials: 'finite' }), // no Inf/NaN codes at all
];
const WIDE: Format[] = [format('fp16'), format('bf16')];
const SR_RBITS = profile() === 'nightly' ? [1, 2, 3, 5, 8, 13, 24] : [4];

let oracle: MpfrOracle;
beforeAll(async () => { oracle = await createMpfrOracle(); });
afterAll(() => oracle.dispose());

/** Rounding requests of one test: the mode itself, or one sr request per case and rbits width. */
function roundings(mode: string, rng: XorShift32): () => Rounding[] {
  if (mode !== 'sr') { const r = [{ mode } as Rounding]; return () => r; }
  return () => SR_RBITS.map((rbits) => ({ mode: 'sr', rbits, rand: rng.next(rbits) }));
}

/** Runs every case against MPFR (support/against-oracle.ts). */
function sweep(op: Op, ins: Format[], to: Format, mode: string, operands: Iterable<number[]>): void {
  sweepAgainstOracle(oracle, op, ins, to, operands, (rng) => roundings(mode, rng));
}

function* codesOf(f: Format): Generator<number[]> {
  for (let a = 0; a < 2 * f.signBit; a++) yield [a];
}
function* pairsOf(fa: Format, fb: Format): Generator<number[]> {
  for (let a = 0; a < 2 * fa.signBit; a++) for (let b = 0; b < 2 * fb.signBit; b++) yield [a, b];
}

const MODES_HERE = [...DETERMINISTIC_MODES, 'sr'];

describe('exhaustive 8-bit golden == MPFR', () => {
  for (const to of EIGHT_BIT) {
    describe(to.name, () => {
      for (const from of WIDE) {
        it.each(MODES_HERE.map((m) => [m]))(`convert every ${from.name} code -> ${to.name}, %s`, (mode) => {
          sweep('convert', [from], to, mode, codesOf(from));
        });
      }
      for (const op of ['mul', 'add'] as const) {
        it.each(MODES_HERE.map((m) => [m]))(`${op} every ${to.name} pair, %s`, (mode) => {
          sweep(op, [to, to], to, mode, pairsOf(to, to));
        });
      }
    });
  }

  // Mixed operand formats (an FP8 GEMM multiplies E4M3 activations by E5M2 gradients).
  it.each(MODES_HERE.map((m) => [m]))('mul every e4m3 x e5m2 pair -> e4m3 and -> bf16, %s', (mode) => {
    const [e4m3, e5m2] = EIGHT_BIT;
    sweep('mul', [e4m3, e5m2], e4m3, mode, pairsOf(e4m3, e5m2));
    sweep('mul', [e4m3, e5m2], format('bf16'), mode, pairsOf(e4m3, e5m2));
  });
});
