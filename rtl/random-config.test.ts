import { describe, expect, it } from 'vitest';
import { elaborate } from './elaborate.ts';
import { MAX_ACC_STAGES } from './pipeline.ts';
import { randomConfigs } from './random-config.ts';

describe('randomConfigs', () => {
  it('is deterministic in the seed and valid, over every loop depth and both styles', () => {
    const a = randomConfigs(60, 7);
    expect(randomConfigs(60, 7)).toEqual(a);
    expect(randomConfigs(60, 8)).not.toEqual(a);
    expect(new Set(a.map((c) => c.pipeline.acc))).toEqual(new Set(Array.from({ length: MAX_ACC_STAGES }, (_, i) => i + 1)));
    expect(new Set(a.map((c) => c.mac.style))).toEqual(new Set(['fused', 'separate']));
    expect(a.some((c) => c.out) && a.some((c) => !c.out)).toBe(true);
    for (const c of a) expect(elaborate(c).timing.interleave).toBe(c.pipeline.acc);
  });
});
