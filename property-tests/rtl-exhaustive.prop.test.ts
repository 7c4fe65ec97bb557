// Exhaustive RTL == golden: every operand pair of fp_mul and fp_add in e4m3, e5m2, e2m1 and the
// P3109 binary8p4se (rne and rtz, binary8p4se rne only; nightly: every mode, sr with a random R
// per pair), and fp_convert fp32 -> e4m3 (every mode) and -> binary8p4se (sr; nightly every
// mode, and binary8p4sf too) over a structured sweep: a band of fp32 codes around every value of the format, every midpoint and quarter
// point between neighbours, past max and below the smallest subnormal, both signs.
import { describe, it } from 'vitest';
import { format, MODES, type Mode } from '../golden/index.ts';
import type { UnitCase } from '../rtl/units.ts';
import { expectRtlMatchesGolden } from './rtl-compare.ts';
import { profile } from './support/seed.ts';
import { boundarySweep } from './support/sweeps.ts';

const modes: readonly Mode[] = profile() === 'nightly' ? MODES : ['rne', 'rtz'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

// Quick: the P3109 format under rne only (one build per unit); nightly: every mode.
const pairModes = (name: string): readonly Mode[] => (profile() === 'nightly' || !name.startsWith('binary') ? modes : ['rne']);

describe('every operand pair, RTL == golden', () => {
  for (const name of ['e4m3', 'e5m2', 'e2m1', 'binary8p4se']) {
    const f = format(name);
    for (const op of ['mul', 'add'] as const) {
      for (const mode of pairModes(name)) {
        it(`${op} ${name} ${mode}`, async () => {
          const rbits = 5;
          const next = lcg(0x5eed);
          const cases: UnitCase[] = [];
          for (let a = 0; a < 2 ** f.width; a++) {
            for (let b = 0; b < 2 ** f.width; b++) cases.push({ operands: [a, b], rand: mode === 'sr' ? next() >>> 27 : 0 });
          }
          await expectRtlMatchesGolden({ op, ins: [f, f], fmt: f, mode, rbits }, cases);
        });
      }
    }
  }
});

// P3109 binary8p4se (one NaN, no −0, Inf at 0x7F/0xFF) and, nightly, its finite-domain twin.
const CONVERT_TO: readonly [string, readonly Mode[]][] = [
  ['e4m3', MODES],
  ['binary8p4se', profile() === 'nightly' ? MODES : ['sr']],
  ...(profile() === 'nightly' ? [['binary8p4sf', MODES] as [string, readonly Mode[]]] : []),
];

for (const [to, toModes] of CONVERT_TO) {
  describe(`fp32 -> ${to} around every rounding boundary, RTL == golden`, () => {
    const sweep = boundarySweep(to);
    for (const mode of toModes) {
      it(`convert ${mode} (${sweep.length} codes)`, async () => {
        const next = lcg(0xc0de);
        const rbits = 9;
        const cases = sweep.map((a): UnitCase => ({ operands: [a], rand: mode === 'sr' ? next() >>> 23 : 0 }));
        await expectRtlMatchesGolden({ op: 'convert', ins: [format('fp32')], fmt: format(to), mode, rbits }, cases);
      });
    }
  });
}
