// Matching: the dynamic programme equals exhaustive search; the recorded workload has the
// shapes of the model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs } from '../property-tests/support/seed.ts';
import { acceleratorConfig } from '../rtl/config.ts';
import { loadArith } from '../train/arith.ts';
import { sameMac } from '../train/backends.ts';
import { match, matchBruteForce, type Candidate, type WorkloadGemm } from './match.ts';
import { trainingWorkload } from './workload.ts';

const MACS = [
  { a: 'e4m3', b: 'e4m3', style: 'fused', acc: { fmt: 'bf16', mode: 'rne' } },
  { a: 'e5m2', b: 'e4m3', style: 'fused', acc: { fmt: 'bf16', mode: 'rne' } },
  { a: 'bf16', b: 'bf16', style: 'separate', mul: { fmt: 'bf16', mode: 'rtz' }, acc: { fmt: 'fp32', mode: 'rtz' } },
] as const;

const candArb = fc.record({
  mac: fc.integer({ min: 0, max: MACS.length - 1 }),
  rows: fc.integer({ min: 1, max: 16 }), cols: fc.integer({ min: 1, max: 16 }),
  fmaxMHz: fc.integer({ min: 50, max: 400 }), copies: fc.integer({ min: 0, max: 4 }),
});
const gemmArb = fc.record({
  mac: fc.integer({ min: 0, max: MACS.length - 1 }),
  M: fc.integer({ min: 1, max: 300 }), K: fc.integer({ min: 1, max: 300 }), N: fc.integer({ min: 1, max: 300 }),
});

describe('configuration matching', () => {
  it('equals brute force on small workloads', () => {
    check(testContext(), fc.property(
      fc.array(candArb, { minLength: 1, maxLength: 5 }), fc.array(gemmArb, { minLength: 1, maxLength: 6 }),
      fc.double({ min: 0, max: 1e-3, noNaN: true }),
      (cs, gs, reconfigS) => {
        const all: Candidate[] = cs.map((c, i) => ({
          config: acceleratorConfig({ name: `c${i}`, rows: c.rows, cols: c.cols, ...MACS[c.mac] } as never),
          fmaxHz: c.fmaxMHz * 1e6, copies: c.copies,
        }));
        const workload: WorkloadGemm[] = gs.map((g, i) => ({
          name: `g${i}`, shape: { M: g.M, K: g.K, N: g.N },
          mac: acceleratorConfig({ name: 'w', rows: 1, cols: 1, ...MACS[g.mac] } as never).mac,
        }));
        const o = { transfer: { bandwidth: 1e9, setupS: 1e-6 }, reconfigS };
        const feasible = workload.every((w) => all.some((c) => c.copies > 0 && sameMac(c.config.mac, w.mac)));
        if (!feasible) {
          expect(() => match(workload, all, o)).toThrow(/no configuration computes its arithmetic/);
          return;
        }
        const plan = match(workload, all, o);
        expect(plan.totalSeconds).toBeCloseTo(matchBruteForce(workload, all, o), 12);
        expect(plan.steps.map((s) => s.seconds).reduce((a, b) => a + b, 0) + plan.reconfigurations * reconfigS).toBeCloseTo(plan.totalSeconds, 12);
      }), runs(300));
  });

  it('records the GEMMs of one MLP training step', async () => {
    const w = await trainingWorkload('mlp', loadArith('fp8-bf16-sr'), 32);
    expect(w.map((g) => `${g.name} ${g.shape.M}x${g.shape.K}x${g.shape.N}`)).toEqual([
      'fc1/forward 32x784x256', 'fc2/forward 32x256x128', 'fc3/forward 32x128x10',
      'fc3/gradWeight 10x32x128', 'fc3/gradInput 32x10x128',
      'fc2/gradWeight 128x32x256', 'fc2/gradInput 32x128x256',
      'fc1/gradWeight 256x32x784',
    ]);
    expect(w[0].mac.a.name).toBe('e4m3');
    expect(w[3].mac.a.name).toBe('e5m2');
  });
});
