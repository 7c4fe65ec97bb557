import { describe, expect, it } from 'vitest';
import { fmix32, streamSeed, topBits, xorshift32, XorShift32, ZERO_STATE_REPLACEMENT } from './rng.ts';

// Reference values computed independently (Python, arbitrary-precision integers masked to 32 bits).
describe('random streams', () => {
  it('fmix32 is MurmurHash3\'s finalizer', () => {
    expect([1, 2, 3, 4].map(fmix32)).toEqual([0x514e28b7, 0x30f4c306, 0x85f0b427, 0x249cb285]);
    expect(fmix32(0)).toBe(0);
  });
  it('xorshift32 (13, 17, 5) from 1', () => {
    const seq: number[] = [];
    let x = 1;
    for (let i = 0; i < 5; i++) seq.push((x = xorshift32(x)));
    expect(seq).toEqual([270369, 67634689, 2647435461, 307599695, 2398689233]);
  });
  it('per-PE seeds: seed ^ fmix32(2·pe + 1) for mul, fmix32(2·pe + 2) for acc', () => {
    expect(streamSeed(0xdeadbeef, 5, 'mul')).toBe(0x4d0d40eb);
    expect(streamSeed(0xdeadbeef, 5, 'acc')).toBe((0xdeadbeef ^ fmix32(12)) >>> 0);
    const g = new XorShift32(streamSeed(0xdeadbeef, 5, 'mul'));
    expect(g.next(8)).toBe(71); // top 8 bits of 0x471a1e03
  });
  it('a zero state becomes 0x6D2B79F5', () => {
    expect(streamSeed(0x514e28b7, 0, 'mul')).toBe(ZERO_STATE_REPLACEMENT);
    expect(new XorShift32(0).state).toBe(0x6d2b79f5);
  });
  it('R is the top r bits of the new state', () => {
    expect(topBits(0x80000000, 1)).toBe(1);
    expect(topBits(0xffffffff, 24)).toBe(0xffffff);
    expect(topBits(0x12345678, 8)).toBe(0x12);
  });
});
