// Exhaustive RTL == golden: every operand pair of fp_mul and fp_add in e4m3, e5m2 and e2m1 under
// every deterministic mode and sr (r = 5, one random R per pair; nightly: every r 1..5 with R
// at both sides of the decision), one build per op and format since the mode is an input of the
// unit; and fp_convert fp32 -> e4m3 and fp32 -> e2m1 over a structured sweep: a band of fp32
// codes around every target value, every midpoint and quarter point between neighbours, past
// max and below the smallest subnormal, both signs, in every mode.
import { describe, it } from 'vitest';
import { DETERMINISTIC_MODES, format, MODES, toNumber } from '../golden/index.ts';
import type { UnitCase } from '../rtl/units.ts';
import { expectRtlMatchesGolden, srThreshold } from './rtl-compare.ts';
import { profile } from './support/seed.ts';

const RBITS = 5;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

describe('every operand pair, RTL == golden, every mode', () => {
  for (const name of ['e4m3', 'e5m2', 'e2m1']) {
    const f = format(name);
    for (const op of ['mul', 'add'] as const) {
      it(`${op} ${name}`, async () => {
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

// e4m3 (fn: NaN code, saturating) and e2m1 (finite: no NaN, so a NaN converts to +0 with
// invalid — the one way convert raises invalid).
describe('fp32 -> e4m3 and e2m1 around every rounding boundary, RTL == golden', () => {
  for (const to of ['e4m3', 'e2m1']) {
    const sweep = boundarySweep(to);
    it(`convert to ${to}, every mode (${sweep.length} codes)`, async () => {
      const next = lcg(0xc0de);
      const rbits = 9;
      const cases = sweep.flatMap((a) => MODES.map((mode): UnitCase => (mode === 'sr' ? { operands: [a], mode, rbits, rand: next() >>> 23 } : { operands: [a], mode })));
      await expectRtlMatchesGolden({ op: 'convert', ins: [format('fp32')], fmt: format(to), rbitsMax: rbits }, cases);
    });
  }
});
