// Golden against the MPFR oracle: one operation, both sides, a readable verdict.
import { expect } from 'vitest';
import { apply, flagNames, hexCode, XorShift32, type Format, type Op, type Result, type Rounding } from '../../golden/index.ts';
import type { MpfrOracle, OracleResult } from '../oracles/mpfr.ts';
import { describeCase } from './arbitraries.ts';
import { testContext } from './context.ts';
import { replayCommand, testSeed } from './seed.ts';

/** The oracle's answer for `op` (operands in their own formats, rounded into `to`). */
export function oracleApply(o: MpfrOracle, op: Op, codes: readonly number[], ins: readonly Format[], to: Format, r: Rounding): OracleResult {
  switch (op) {
    case 'convert': return o.convert(codes[0], ins[0], to, r);
    case 'mul': return o.mul(codes[0], ins[0], codes[1], ins[1], to, r);
    case 'add': return o.add(codes[0], ins[0], codes[1], ins[1], to, r);
    case 'fma': return o.fma(codes[0], ins[0], codes[1], ins[1], codes[2], ins[2], to, r);
  }
}

/** Null when golden (the defining exact path) agrees with MPFR in code and flags, else why not. */
export function disagreement(o: MpfrOracle, op: Op, codes: readonly number[], ins: readonly Format[], to: Format, r: Rounding): string | null {
  const got: Result = apply(op, codes, ins, to, r);
  const want = oracleApply(o, op, codes, ins, to, r);
  const gotFlags = flagNames(got.flags).join(',');
  const wantFlags = want.flags.join(',');
  if (got.code === want.code && gotFlags === wantFlags) return null;
  return `${describeCase(op, [...ins], [...codes], to, r)}\n  golden ${hexCode(got.code, to)} [${gotFlags}]\n  mpfr   ${hexCode(want.code, to)} [${wantFlags}]`;
}

/**
 * Golden == MPFR over every operand tuple of a sweep, each with the rounding requests `next()`
 * returns (drawn from the test's seeded stream, made by `roundings`); fails with the first few
 * disagreements and the replay command.
 */
export function sweepAgainstOracle(o: MpfrOracle, op: Op, ins: Format[], to: Format, operands: Iterable<number[]>, roundings: (rng: XorShift32) => () => Rounding[]): void {
  const ctx = testContext();
  const seed = testSeed(ctx.name);
  const next = roundings(new XorShift32(seed));
  const bad: string[] = [];
  let total = 0, nBad = 0;
  for (const codes of operands) {
    for (const r of next()) {
      total++;
      const why = disagreement(o, op, codes, ins, to, r);
      if (why !== null && nBad++ < 5) bad.push(why);
    }
  }
  if (nBad > 0) {
    throw new Error(`${nBad} of ${total} cases disagree (first ${bad.length} below)\nreplay: ${replayCommand(ctx.file, ctx.name)}  (test seed ${seed})\n${bad.join('\n')}`);
  }
  expect(total).toBeGreaterThan(0);
}
