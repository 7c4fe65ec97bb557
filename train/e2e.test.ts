// End to end: the same seeded training run with the GEMMs on the emulation and on the simulated
// RTL arrays gives bit-identical losses and weights (sha256 of parameters and loss curve).
import { describe, expect, it } from 'vitest';
import { profile } from '../property-tests/support/seed.ts';
import { loadArith } from './arith.ts';
import { emuBackend, rtlBackend } from './backends.ts';
import { loadFashionMnist, subset } from './data.ts';
import { train } from './run.ts';

const nightly = profile() === 'nightly';
const data = loadFashionMnist();
const small = { train: subset(data.train, nightly ? 2000 : 64), test: subset(data.test, nightly ? 500 : 32) };
// The nightly identity runs a few hundred steps: long enough for the sr streams, loss scaling
// and weight updates to drift apart if one GEMM of thousands differed in one bit.
const steps = nightly ? 300 : 6;
const batch = nightly ? 16 : 8;

describe('emu and rtl backends train identically', () => {
  // fp8-bf16-sr: forward on configs/e4m3-8x4-bf16-sr, backward on configs/e5m2e4m3-8x4-bf16-sr.
  // e4m3-fp16-rne: every GEMM on configs/e4m3-4x4-fp16-rne.
  it.each([['fp8-bf16-sr'], ['e4m3-fp16-rne']])('MLP, %s', async (arithName) => {
    const arith = loadArith(arithName);
    const run = (backend: ReturnType<typeof emuBackend>) =>
      train(small, { model: 'mlp', arith, backend, epochs: 1, seed: 5, batch, lr: 0.01, maxSteps: steps, testLimit: small.test.n });
    const emu = await run(emuBackend());
    const rtl = await run(rtlBackend());
    expect(rtl.steps).toBe(steps);
    expect(rtl.loss).toEqual(emu.loss);
    expect(rtl.testAccuracy).toEqual(emu.testAccuracy);
    expect(rtl.counters).toEqual(emu.counters);
    expect(rtl.hash).toBe(emu.hash);
    // The run did learn something and the arithmetic was really in the loop.
    expect(emu.loss[emu.loss.length - 1]).toBeLessThan(emu.loss[0]);
    expect(Object.values(emu.counters).reduce((s, c) => s + c.macs, 0)).toBeGreaterThan(0);
  }, nightly ? 4 * 3_600_000 : 900_000);
});
