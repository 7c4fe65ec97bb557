// Structured operand sweeps shared by the exhaustive suites (RTL and golden-vs-MPFR).
import { format, toNumber } from '../../golden/index.ts';

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
