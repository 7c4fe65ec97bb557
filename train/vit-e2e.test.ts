// End to end: a seeded short ViT run with every GEMM — the attention products Q·Kᵀ and A·V
// included — on the emulation kernel and on the simulated RTL arrays gives bit-identical losses,
// counters and weights (sha256 of parameters and loss curve). Loss scaling and AdamW with sr
// moments run on top, so their state is reproduced too.
import { describe, expect, it } from 'vitest';
import { profile } from '../property-tests/support/seed.ts';
import { loadArith } from './arith.ts';
import { emuBackend, rtlBackend } from './backends.ts';
import { loadFashionMnist, subset } from './data.ts';
import { train } from './run.ts';

const nightly = profile() === 'nightly';
const data = loadFashionMnist();
const small = { train: subset(data.train, nightly ? 256 : 16), test: subset(data.test, nightly ? 64 : 8) };
const steps = nightly ? 16 : 3;
const batch = nightly ? 8 : 4;
const SEED = 19;

describe('emu and rtl backends train a ViT identically', () => {
  // fp8-bf16-sr: forward on configs/e4m3-8x4-bf16-sr, backward on configs/e5m2e4m3-8x4-bf16-sr.
  it.each([['fp8-bf16-sr'], ['e4m3-fp16-rne']])(`ViT (patch 14, dim 8, 2 heads), %s, seed ${SEED}`, async (arithName) => {
    const arith = loadArith(arithName);
    const run = (backend: ReturnType<typeof emuBackend>) =>
      train(small, {
        model: 'vit', vit: { patch: 14, dim: 8, depth: 1, heads: 2, mlpRatio: 1 }, arith, backend, epochs: 1, seed: SEED, batch, lr: 0.003,
        maxSteps: steps, testLimit: small.test.n, optimizer: { kind: 'adamw', m: 'bf16:sr', v: 'bf16:sr' }, lossScale: { kind: 'dynamic', init: 2 ** 8, growthInterval: 2 },
      });
    const emu = await run(emuBackend());
    const rtl = await run(rtlBackend());
    expect(rtl.steps).toBe(steps);
    expect(rtl.loss).toEqual(emu.loss);
    expect(rtl.testAccuracy).toEqual(emu.testAccuracy);
    expect(rtl.counters).toEqual(emu.counters);
    expect(rtl.lossScaling).toEqual(emu.lossScaling);
    expect(rtl.hash).toBe(emu.hash);
    // The attention GEMMs ran (one per image and head) and the loss is finite.
    expect(emu.counters['blk0.attn.qk/forward'].calls).toBeGreaterThanOrEqual(steps * batch * 2);
    expect(emu.counters['blk0.attn.av/gradWeight'].calls).toBe(steps * batch * 2);
    expect(emu.loss.every(Number.isFinite)).toBe(true);
  }, 900_000);
});
