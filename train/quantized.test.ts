// quantizeArray's float32-bit fast path against golden's quantizeFast, code and counted flags.
import { describe, expect, it } from 'vitest';
import { XorShift32, format, quantizeFast, FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW } from '../golden/index.ts';
import { newCounters } from './gemm.ts';
import { quantizeArray } from './quantized.ts';

const FORMATS: [string, Parameters<typeof format>[0]][] = [
  ...['e4m3', 'e5m2', 'bf16', 'fp16', 'fp32', 'e3m4', 'e2m1', 'e5m7', 'e6m5'].map((n): [string, string] => [n, n]),
  ['e8m0 finite', { exp: 8, man: 0, specials: 'finite' }],
  ['e1m6 finite', { exp: 1, man: 6, specials: 'finite' }],
  ['e5m2 no subnormals, saturating', { exp: 5, man: 2, subnormals: false, overflow: 'saturate' }],
  ['e8m23 fn', { exp: 8, man: 23, specials: 'fn' }],
];

/** float32 values over every binade, with ties, zeros, subnormals, Inf and NaN mixed in. */
function values(n: number, rng: XorShift32): Float32Array {
  const x = new Float32Array(n);
  const u = new Uint32Array(x.buffer);
  for (let i = 0; i < n; i++) {
    const kind = rng.next(4);
    if (kind === 0) u[i] = rng.next(32) >>> 0; // any bit pattern (NaN, Inf, subnormals included)
    else if (kind === 1) x[i] = [0, -0, Infinity, -Infinity, NaN, 448, 464, 57344, 65504, 65520, 2 ** -6, 2 ** -7, 2 ** -126][rng.next(4) % 13];
    else if (kind === 2) u[i] = (((rng.next(8) + 60) << 23) | ((rng.next(16) << 7) | (rng.next(1) ? 0x40 : 0))) ^ (rng.next(1) << 31); // ties at many widths
    else x[i] = (rng.next(24) / 2 ** 23 - 1) * 2 ** ((rng.next(6) % 40) - 20);
  }
  return x;
}

describe('quantizeArray', () => {
  it.each(FORMATS)('equals quantizeFast on %s (rne and rtz)', (name, spec) => {
    const f = format(spec);
    const rng = new XorShift32(0x9a17 ^ name.length * 977 ^ name.charCodeAt(1));
    const x = values(20000, rng);
    for (const mode of ['rne', 'rtz'] as const) {
      const c = newCounters();
      const got = quantizeArray(x, f, mode, c);
      const want = newCounters();
      for (let i = 0; i < x.length; i++) {
        const r = quantizeFast(x[i], f, { mode });
        if (got[i] !== r.code) expect(`${name} ${mode} x=${x[i]} code 0x${got[i].toString(16)}`).toBe(`${name} ${mode} x=${x[i]} code 0x${r.code.toString(16)}`);
        if (r.flags & FLAG_OVERFLOW) want.overflow++;
        if (r.flags & FLAG_UNDERFLOW) want.underflow++;
        if (r.flags & FLAG_INVALID) want.invalid++;
      }
      expect(c).toEqual(want);
    }
  });
});
