// Exhaustive RTL == golden: every operand pair of fp_mul and fp_add in e4m3, e5m2, e2m1, the
// P3109 binary8p4se (one NaN, no -0, Inf at 0x7F/0xFF), and two 6-bit formats for the RTL's
// narrow branches: e3m2 without subnormals, saturating (fp_round's coarse grid below emin, where
// 0 and 2^emin are the only neighbours), and binary6p1se (no fraction bits: fp_unpack's M = 0
// decode), under
// every deterministic mode and sr (r = 5, one random R per pair; nightly: every r 1..5 with R
// at both sides of the decision), one build per op and format since the mode is an input of the
// unit; and fp_convert fp32 -> e4m3, e2m1 and binary8p4se (nightly: binary8p4sf too) over a structured sweep: a band of fp32
// codes around every target value, every midpoint and quarter point between neighbours, past
// max and below the smallest subnormal, both signs, in every mode.
import { describe, it } from 'vitest';
import { DETERMINISTIC_MODES, format, MODES, type FloatFormat } from '../golden/index.ts';
import type { UnitCase } from '../rtl/units.ts';
import { expectRtlMatchesGolden, srThreshold } from './rtl-compare.ts';
import { profile } from './support/seed.ts';
import { boundarySweep } from './support/sweeps.ts';

const RBITS = 5;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

describe('every operand pair, RTL == golden, every mode', () => {
  const NOSUB: FloatFormat = { exp: 3, man: 2, subnormals: false, specials: 'ieee', overflow: 'saturate' };
  for (const spec of ['e4m3', 'e5m2', 'e2m1', 'binary8p4se', NOSUB, 'binary6p1se']) {
    const f = format(spec);
    for (const op of ['mul', 'add'] as const) {
      it(`${op} ${f.name}`, async () => {
        const build = { op, ins: [f, f], fmt: f, rbitsMax: RBITS };
        const next = lcg(0x5eed);
        const cases: UnitCase[] = [];
        for (let a = 0; a < 2 ** f.width; a++) {
          for (let b = 0; b < 2 ** f.width; b++) {
            const operands = [a, b];
            for (const mode of DETERMINISTIC_MODES) cases.push({ operands, mode });
            cases.push({ operands, mode: 'sr', rbits: RBITS, rand: next() >>> (32 - RBITS) });
            if (profile() === 'nightly') {
              for (let r = 1; r <= RBITS; r++) {
                const t = srThreshold(build, operands, r);
                if (t !== undefined) cases.push({ operands, mode: 'sr', rbits: r, rand: t - 1 }, { operands, mode: 'sr', rbits: r, rand: t });
              }
            }
          }
        }
        await expectRtlMatchesGolden(build, cases);
      });
    }
  }
});

// e4m3 (fn: NaN code, saturating), e2m1 (finite: no NaN, so a NaN converts to +0 with invalid —
// the one way convert raises invalid) and the P3109 formats.
describe('fp32 -> 8-bit formats around every rounding boundary, RTL == golden', () => {
  for (const to of ['e4m3', 'e2m1', 'binary8p4se', ...(profile() === 'nightly' ? ['binary8p4sf'] : [])]) {
    const sweep = boundarySweep(to);
    it(`convert to ${to}, every mode (${sweep.length} codes)`, async () => {
      const next = lcg(0xc0de);
      const rbits = 9;
      const cases = sweep.flatMap((a) => MODES.map((mode): UnitCase => (mode === 'sr' ? { operands: [a], mode, rbits, rand: next() >>> 23 } : { operands: [a], mode })));
      await expectRtlMatchesGolden({ op: 'convert', ins: [format('fp32')], fmt: format(to), rbitsMax: rbits }, cases);
    });
  }
});
