// The closed form equals the cycle-by-cycle replay; hand-derived figures.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs } from '../property-tests/support/seed.ts';
import { cycles, cyclesNoStall, type ArrayTiming } from './latency.ts';

const timing = (t: Partial<ArrayTiming> & { rows: number; cols: number }): ArrayTiming => {
  const convLatency = t.convLatency ?? 0;
  return { peCols: t.cols, interleave: 1, peLatency: 0, fifoDepth: convLatency + 2, ...t, convLatency };
};

describe('latency model', () => {
  it('closed form == cycle-by-cycle replay without stalls', () => {
    const arb = fc.record({
      rows: fc.integer({ min: 1, max: 16 }), cols: fc.integer({ min: 1, max: 16 }), interleave: fc.integer({ min: 1, max: 6 }),
      peLatency: fc.integer({ min: 0, max: 10 }), convLatency: fc.integer({ min: 0, max: 3 }), lanes: fc.constantFrom(1, 2),
      M: fc.integer({ min: 1, max: 100 }), K: fc.integer({ min: 1, max: 60 }), N: fc.integer({ min: 1, max: 100 }),
    });
    check(testContext(), fc.property(arb, (g) => {
      const t = timing({ ...g, cols: g.cols * g.lanes, peCols: g.cols });
      expect(cyclesNoStall(t, g)).toBe(cycles(t, g));
    }), runs(1000));
  });

  it('matches hand-derived counts', () => {
    // No interleave, one 4x4 tile, K = 7: beat 0 taken in cycle 1, launched in 2; the last beat in
    // 8; the last PE (3 rows of skew, 3 hops) captures it in 8 + 4 + 4 = 16; the drain starts in
    // 18 and empties 4 entries by 21; the FIFO hands the last one over in 22.
    expect(cycles(timing({ rows: 4, cols: 4 }), { M: 4, K: 7, N: 4 })).toBe(22);
    // Six tiles interleaved, PE latency 8: the first beat waits for phase 0 (cycle 7); the last
    // round starts in 7 + 9·6 = 61, its 6 captures end in 61 + 5 + 16, the drain runs 84..107.
    expect(cycles(timing({ rows: 4, cols: 4, interleave: 6, peLatency: 8 }), { M: 4, K: 10, N: 24 })).toBe(108);
    // Long K: groups stream back to back (K·L cycles each) and each drain hides under the next.
    const t = timing({ rows: 4, cols: 4, interleave: 3, peLatency: 4 });
    const one = cyclesNoStall(t, { M: 4, K: 200, N: 12 });
    expect(cyclesNoStall(t, { M: 8, K: 200, N: 12 })).toBe(one + 200 * 3);
    // Short K: the next group's last round waits for the previous drain (ROWS·L cycles).
    expect(cyclesNoStall(timing({ rows: 4, cols: 4 }), { M: 8, K: 1, N: 4 })).toBeGreaterThan(2 * 4);
  });

  it('stalls only add cycles, and the same pattern gives the same count', () => {
    const g = timing({ rows: 4, cols: 8, interleave: 4, peLatency: 6 });
    const shape = { M: 9, K: 20, N: 17 };
    const s = { inValid: 0.6, outReady: 0.3, seed: 42 };
    expect(cycles(g, shape, s)).toBeGreaterThan(cycles(g, shape));
    expect(cycles(g, shape, s)).toBe(cycles(g, shape, { ...s }));
  });

  it('rejects bad shapes and stall patterns, naming them', () => {
    const g = timing({ rows: 2, cols: 2 });
    expect(() => cycles(g, { M: 0, K: 1, N: 1 })).toThrow(/^M: must be a positive integer, got 0$/);
    expect(() => cycles(g, { M: 1, K: 1, N: 1 }, { inValid: 0, outReady: 1, seed: 1 })).toThrow(/^stalls\.inValid: must be a probability/);
  });
});
