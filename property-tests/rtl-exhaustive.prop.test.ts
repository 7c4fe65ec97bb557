// Exhaustive RTL == golden: every operand pair of fp_mul and fp_add in e4m3, e5m2 and e2m1
// (rne and rtz; nightly: every mode, sr with a random R per pair), and fp_convert fp32 -> e4m3
// over a structured sweep: a band of fp32 codes around every e4m3 value, every midpoint and
// quarter point between neighbours, past max and below the smallest subnormal, both signs.
import { describe, it } from 'vitest';
import { format, MODES, toNumber, type Mode } from '../golden/index.ts';
import type { UnitCase } from '../rtl/units.ts';
import { expectRtlMatchesGolden } from './rtl-compare.ts';
import { profile } from './support/seed.ts';

const modes: readonly Mode[] = profile() === 'nightly' ? MODES : ['rne', 'rtz'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

describe('every operand pair, RTL == golden', () => {
  for (const name of ['e4m3', 'e5m2', 'e2m1']) {
    const f = format(name);
    for (const op of ['mul', 'add'] as const) {
      for (const mode of modes) {
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

/** fp32 codes around every rounding boundary of `to` (both signs). */
export function boundarySweep(toName: string): number[] {
  const to = format(toName);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const bits = (x: number): number => ((f32[0] = x), u32[0]);
  const set = new Set<number>();
  const band = (c: number): void => {
    for (let d = -6; d <= 6; d++) {
      const v = c + d;
      if (v >= 0 && v < 2 ** 31) { set.add(v); set.add(v + 2 ** 31); }
    }
  };
  const vals = [...new Set(Array.from({ length: to.signBit }, (_, c) => toNumber(c, to)).filter(Number.isFinite))].sort((x, y) => x - y);
  vals.forEach((v, i) => {
    band(bits(v));
    const w = vals[i + 1];
    if (w !== undefined) [0.25, 0.5, 0.75].forEach((t) => band(bits(v + (w - v) * t)));
  });
  const max = vals[vals.length - 1];
  const ulp = max - vals[vals.length - 2];
  [0.5, 1, 1.5, 2, 4].forEach((k) => band(bits(max + k * ulp)));
  [0.25, 0.5, 0.75, 1.5].forEach((k) => band(bits(vals[1] * k)));
  [0x7f800000, 0x7fc00000, 0x7f7fffff, 0x00800000, 0x007fffff, 1].forEach(band);
  return [...set].sort((x, y) => x - y);
}

describe('fp32 -> e4m3 around every rounding boundary, RTL == golden', () => {
  const sweep = boundarySweep('e4m3');
  for (const mode of MODES) {
    it(`convert ${mode} (${sweep.length} codes)`, async () => {
      const next = lcg(0xc0de);
      const rbits = 9;
      const cases = sweep.map((a): UnitCase => ({ operands: [a], rand: mode === 'sr' ? next() >>> 23 : 0 }));
      await expectRtlMatchesGolden({ op: 'convert', ins: [format('fp32')], fmt: format('e4m3'), mode, rbits }, cases);
    });
  }
});
