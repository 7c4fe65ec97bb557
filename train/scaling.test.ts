// Loss scaling, per-tensor delayed scaling and AdamW with low-precision moments.
import { describe, expect, it } from 'vitest';
import { ArithmeticInputError, XorShift32, format, macConfig } from '../golden/index.ts';
import { emuBackend } from './backends.ts';
import { newCounters, type GemmArith } from './gemm.ts';
import { RunContext, type Param } from './nn.ts';
import { AdamW, checkOptimizer, makeOptimizer } from './optim.ts';
import { checkLossScale, LossScaler, parseLossScale, parseTensorScaling, TensorScaler } from './scaling.ts';

const SEED = 0x19a;

function param(values: number[]): Param {
  const n = values.length;
  return { name: 'p', data: Float32Array.from(values), grad: new Float32Array(n), velocity: new Float32Array(n) };
}

describe('loss scaling', () => {
  it('dynamic: skips and halves on a non-finite gradient, doubles after the growth interval, unscales exactly', () => {
    const s = new LossScaler({ kind: 'dynamic', init: 2 ** 4, growthInterval: 2 });
    const g = Float32Array.from([3 * 2 ** 4, -(2 ** 4)]);
    expect(s.unscale([g])).toBe(true);
    expect(Array.from(g)).toEqual([3, -1]);
    expect(s.unscale([Float32Array.from([Infinity])])).toBe(false);
    expect(s.scale).toBe(8);
    expect(s.unscale([Float32Array.from([NaN, 1])])).toBe(false);
    expect(s.scale).toBe(4);
    expect(s.unscale([new Float32Array(1)])).toBe(true);
    expect(s.scale).toBe(4);
    expect(s.unscale([new Float32Array(1)])).toBe(true);
    expect(s.scale).toBe(8); // two good steps in a row
    expect(s.stats()).toEqual({ kind: 'dynamic', init: 16, growthInterval: 2, finalScale: 8, skippedSteps: 2, minScale: 4, maxScale: 16 });
  });

  it('static: the scale never moves; non-finite steps are skipped', () => {
    const s = new LossScaler(parseLossScale('static:1024'));
    expect(s.unscale([Float32Array.from([-Infinity])])).toBe(false);
    expect(s.unscale([Float32Array.from([2048])])).toBe(true);
    expect(s.stats()).toMatchObject({ kind: 'static', finalScale: 1024, skippedSteps: 1 });
  });

  it.each([
    ['dynamic:1000', '--loss-scale'], ['dynamo', '--loss-scale'], ['static:8:4', '--loss-scale'],
  ])('rejects %s', (text, field) => {
    expect(() => parseLossScale(text)).toThrow(ArithmeticInputError);
    try { parseLossScale(text); } catch (e) { expect((e as ArithmeticInputError).field).toMatch(new RegExp(`^(${field}|lossScale)`)); }
  });
  it('names the field of a bad specification', () => {
    expect(() => checkLossScale({ kind: 'dynamic', growthInterval: 0 })).toThrow(/^lossScale.growthInterval/);
    expect(() => checkLossScale({ kind: 'static', growthInterval: 5 })).toThrow(/^lossScale.growthInterval: only for kind dynamic/);
    expect(() => checkLossScale({ kind: 'static', init: 3 })).toThrow(/^lossScale.init: must be a power of two/);
    expect(() => parseTensorScaling('amax:0')).toThrow(/^tensorScaling.history/);
    expect(() => parseTensorScaling('max')).toThrow(/^--tensor-scaling/);
  });
});

describe('per-tensor delayed scaling', () => {
  const arith: GemmArith = {
    mac: macConfig({ a: 'e5m2', b: 'e4m3', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused' }),
    quantize: { a: 'rne', b: 'rne' }, geometry: { rows: 8, cols: 8 }, seed: 1,
  };
  it('scales by powers of two from the amax history, clips what the history did not foresee', () => {
    const t = new TensorScaler({ history: 2 });
    const e4m3 = format('e4m3'), e5m2 = format('e5m2');
    // First use: the current amax (3) puts it just below 448 (e4m3): 3·2^7 = 384.
    let r = t.scaleOperands('l/forward', arith, Float32Array.from([1e-6, -2e-6]), Float32Array.from([3, -1]));
    expect(Array.from(r.b)).toEqual([384, -128]);
    expect(r.a[1]).toBe(Math.fround(-2e-6) * 2 ** 34); // 2^34·2e-6 ≈ 34359 ≤ 57344 < 2^35·2e-6
    expect(r.unscale).toBe(2 ** -(7 + 34));
    expect(Math.abs(r.a[1])).toBeLessThanOrEqual(e5m2.maxValue);
    // Second use with a larger amax (10): the history still says 3, so 10·2^7 clips at 448.
    r = t.scaleOperands('l/forward', arith, Float32Array.from([1e-6]), Float32Array.from([10, 1]));
    expect(Array.from(r.b)).toEqual([e4m3.maxValue, 128]);
    expect(t.saturations).toBe(1);
    // Third use: the history (3, 10) now holds 10, so 10·2^5 = 320.
    r = t.scaleOperands('l/forward', arith, Float32Array.from([1e-6]), Float32Array.from([10, 1]));
    expect(Array.from(r.b)).toEqual([320, 32]);
    // A history of 2 (now 10, 10) forgets the 10s after two more uses at amax 1: then 1·2^8 = 256.
    t.scaleOperands('l/forward', arith, Float32Array.from([1e-6]), Float32Array.from([1]));
    t.scaleOperands('l/forward', arith, Float32Array.from([1e-6]), Float32Array.from([1]));
    r = t.scaleOperands('l/forward', arith, Float32Array.from([1e-6]), Float32Array.from([1]));
    expect(Array.from(r.b)).toEqual([256]);
    expect(t.stats().saturations).toBe(1);
  });

  it(`in a RunContext: tiny gradients that underflow e5m2 survive when scaled (seed ${SEED})`, async () => {
    const rng = new XorShift32(SEED);
    const M = 4, K = 16, N = 3;
    const a = Float32Array.from({ length: M * K }, () => (rng.next(16) / 2 ** 16 - 0.5) * 2 ** -18); // below e5m2's smallest subnormal 2^-16
    const b = Float32Array.from({ length: K * N }, () => rng.next(16) / 2 ** 16 - 0.5);
    const roles = { forward: null, gradInput: { mac: arith.mac, quantize: arith.quantize, geometry: arith.geometry }, gradWeight: null };
    const backend = emuBackend(1);
    const plain = await new RunContext(backend, roles, SEED).gemm('l', 'gradInput', a, b, M, K, N);
    const ctx = new RunContext(backend, roles, SEED);
    ctx.scaler = new TensorScaler({});
    const scaled = await ctx.gemm('l', 'gradInput', a, b, M, K, N);
    expect(Array.from(plain).every((v) => v === 0)).toBe(true);
    // Each product has relative error ≤ 2^-3 (e5m2) + 2^-4 (e4m3) + their product: bound by Σ|a||b|.
    let nonzero = 0;
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0, mag = 0;
      for (let k = 0; k < K; k++) { s += a[i * K + k] * b[k * N + j]; mag += Math.abs(a[i * K + k] * b[k * N + j]); }
      expect(Math.abs(scaled[i * N + j] - s), `C[${i}][${j}] (seed ${SEED})`).toBeLessThanOrEqual(mag * 0.2);
      if (scaled[i * N + j] !== 0) nonzero++;
    }
    expect(nonzero).toBe(M * N);
    expect(newCounters()).toEqual({ calls: 0, macs: 0, overflow: 0, underflow: 0, invalid: 0 });
  });
});

describe('AdamW', () => {
  it('fp32 state follows the textbook update (two steps, decoupled decay)', () => {
    const p = param([1, -2]);
    const opt = new AdamW(0.1, { kind: 'adamw', weightDecay: 0.5 }, SEED);
    const m = [0, 0], v = [0, 0], w = [1, -2];
    for (const [t, g] of [[1, [0.5, -1]], [2, [0.25, 2]]] as const) {
      p.grad.set(g);
      opt.step([p]);
      for (let i = 0; i < 2; i++) {
        m[i] = Math.fround(0.9 * m[i] + 0.1 * g[i]);
        v[i] = Math.fround(0.999 * v[i] + 0.001 * g[i] * g[i]);
        w[i] = Math.fround(w[i] - 0.1 * ((m[i] / (1 - 0.9 ** t)) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8) + 0.5 * w[i]));
      }
      expect(Array.from(p.data)).toEqual(w);
    }
  });

  it(`bf16 moments: rne loses the small increments of v that sr keeps in expectation (seed ${SEED})`, () => {
    // v ≈ 1 already; each step adds (1 − β2)·g² = 1e-3·(0.1)² = 1e-5, far below half a bf16 ulp of 1 (2^-8).
    const run = (mode: 'rne' | 'sr') => {
      const p = param([0]);
      const opt = new AdamW(1e-9, { kind: 'adamw', beta2: 0.999, weightDecay: 0, v: `bf16:${mode}` }, SEED);
      const st = (opt as unknown as { state: Map<Param, { m: Float32Array; v: Float32Array }> }).state;
      p.grad[0] = 0; opt.step([p]);
      st.get(p)!.v[0] = 1;
      let sum = 0;
      for (let i = 0; i < 2000; i++) { p.grad[0] = 0.1 + 0 * i; opt.step([p]); sum += st.get(p)!.v[0]; }
      return sum / 2000;
    };
    // fp32: v decays from 1 towards 0.01 (mean ≈ 0.44 over the 2000 steps); rne sticks at 1, sr tracks it.
    const exact = (() => { let v = 1, s = 0; for (let i = 0; i < 2000; i++) { v = 0.999 * v + 1e-5; s += v; } return s / 2000; })();
    expect(Math.abs(run('sr') - exact)).toBeLessThan(Math.abs(run('rne') - exact));
    expect(run('rne')).toBe(1); // 0.999·1 + 1e-5 rounds back to 1 every step
    expect(Math.abs(run('sr') - exact) / exact).toBeLessThan(0.1); // sr's random walk has a few % of spread here
  });

  it('errors name the option', () => {
    expect(() => checkOptimizer({ kind: 'adam' } as never)).toThrow(/^optimizer.kind: must be sgd \| adamw/);
    expect(() => checkOptimizer({ kind: 'adamw', beta1: 1 })).toThrow(/^optimizer.beta1/);
    expect(() => checkOptimizer({ kind: 'adamw', lr: 1 } as never)).toThrow(/^optimizer.lr: unknown option for adamw/);
    expect(() => checkOptimizer({ kind: 'sgd', m: 'bf16:sr' } as never)).toThrow(/^optimizer.m: unknown option for sgd/);
    expect(() => checkOptimizer({ kind: 'adamw', m: 'bf16:xx' })).toThrow(/^optimizer.m.mode/);
    expect(makeOptimizer({ kind: 'sgd' }, 0.1, 1).describe()).toEqual({ kind: 'sgd', momentum: 0.9, weightDecay: 0 });
  });
});
