// The closed form equals the cycle-by-cycle model; hand-derived figures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs } from '../property-tests/support/seed.ts';
import { cycles, cyclesNoStall } from './latency.ts';

describe('latency model', () => {
  it('closed form == cycle-by-cycle replay without stalls', () => {
    const arb = fc.record({
      rows: fc.integer({ min: 1, max: 32 }), cols: fc.integer({ min: 1, max: 32 }), pipe: fc.constantFrom<0 | 1>(0, 1),
      M: fc.integer({ min: 1, max: 200 }), K: fc.integer({ min: 1, max: 300 }), N: fc.integer({ min: 1, max: 200 }),
    });
    check(testContext(), fc.property(arb, (g) => {
      expect(cyclesNoStall(g, g)).toBe(cycles(g, g));
    }), runs(2000));
  });

  it('matches hand-derived counts', () => {
    // One 4x4 tile, K = 7: last beat at cycle 7, results ready 4+4 later, 4 rows: 7 + 8 + 4 = 19.
    expect(cycles({ rows: 4, cols: 4, pipe: 0 }, { M: 4, K: 7, N: 4 })).toBe(19);
    // Long K: tiles stream back to back, T·K + 2R + C + PIPE.
    expect(cyclesNoStall({ rows: 8, cols: 8, pipe: 0 }, { M: 32, K: 128, N: 32 })).toBe(16 * 128 + 24);
    // Short K: each tile waits for the previous one's results to be read (period 2R + C + PIPE + 1).
    expect(cyclesNoStall({ rows: 2, cols: 3, pipe: 1 }, { M: 4, K: 1, N: 3 })).toBe(1 + 9 + 8);
    // A packed 4x4 (2 lanes) has 2 PE columns: results 4 + 2 after the last beat; tiles still 4 wide.
    expect(cycles({ rows: 4, cols: 4, pipe: 0, lanes: 2 }, { M: 4, K: 7, N: 4 })).toBe(7 + 6 + 4);
    expect(cyclesNoStall({ rows: 4, cols: 4, pipe: 0, lanes: 2 }, { M: 8, K: 3, N: 8 })).toBe(cycles({ rows: 4, cols: 4, pipe: 0, lanes: 2 }, { M: 8, K: 3, N: 8 }));
  });

  it('stalls only add cycles, and the same pattern gives the same count', () => {
    const g = { rows: 4, cols: 8, pipe: 0 as const };
    const shape = { M: 9, K: 20, N: 17 };
    const s = { inValid: 0.6, outReady: 0.3, seed: 42 };
    expect(cycles(g, shape, s)).toBeGreaterThan(cycles(g, shape));
    expect(cycles(g, shape, s)).toBe(cycles(g, shape, { ...s }));
  });

  it('rejects bad shapes and stall patterns, naming them', () => {
    expect(() => cycles({ rows: 2, cols: 2, pipe: 0 }, { M: 0, K: 1, N: 1 })).toThrow(/^M: must be a positive integer, got 0$/);
    expect(() => cycles({ rows: 2, cols: 2, pipe: 0 }, { M: 1, K: 1, N: 1 }, { inValid: 0, outReady: 1, seed: 1 })).toThrow(/^stalls\.inValid: must be a probability/);
  });
});
