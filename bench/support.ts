// What the benches share: their operand values and how they summarise repeated timings.

/**
 * n normal-ish values (Irwin–Hall: the sum of 12 uniforms minus 6, mean 0, σ = 1), as a layer's
 * activations would be; seeded xorshift32, so every run times the same operands.
 */
export function normalish(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed;
  const uniform = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 2 ** 32; };
  for (let i = 0; i < n; i++) {
    let x = -6;
    for (let t = 0; t < 12; t++) x += uniform();
    out[i] = x;
  }
  return out;
}

/** The median (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}
