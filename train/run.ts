// A seeded training run: shuffled mini-batches, SGD with momentum, test accuracy per epoch,
// a loss curve, GEMM counters and a hash of the final weights (to prove two backends identical).
import { createHash } from 'node:crypto';
import { XorShift32, fmix32 } from '../golden/index.ts';
import type { Split } from './data.ts';
import type { GemmBackend, GemmCounters } from './gemm.ts';
import { buildModel, RunContext, Sgd, softmaxCrossEntropy, type ModelName, type Sequential } from './nn.ts';
import type { TrainArith } from './arith.ts';

export interface TrainOptions {
  model: ModelName;
  arith: TrainArith;
  backend: GemmBackend;
  epochs: number;
  seed: number;
  batch?: number;
  lr?: number;
  momentum?: number;
  /** Stop after this many steps in total (short end-to-end runs). */
  maxSteps?: number;
  /** Evaluate on at most this many test images (default: all). */
  testLimit?: number;
  onProgress?: (p: Progress) => void;
}

export interface Progress { epoch: number; epochs: number; step: number; stepsPerEpoch: number; loss: number; samplesPerS: number }

export interface RunResult {
  model: ModelName;
  arith: string;
  backend: string;
  seed: number;
  epochs: number;
  batch: number;
  lr: number;
  trainSamples: number;
  steps: number;
  /** Training loss of every step. */
  loss: number[];
  /** Test accuracy after each epoch. */
  testAccuracy: number[];
  counters: Record<string, GemmCounters>;
  wallSeconds: number;
  /** sha256 of the final parameters and the loss curve (bit-level identity of runs). */
  hash: string;
}

function shuffled(n: number, rng: XorShift32): Uint32Array {
  const p = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((rng.next(32) / 2 ** 32) * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

function batchOf(s: Split, idx: ArrayLike<number>, from: number, to: number) {
  const px = s.rows * s.cols;
  const B = to - from;
  const x = new Float32Array(B * px);
  const y = new Uint8Array(B);
  for (let i = 0; i < B; i++) {
    const k = idx[from + i];
    x.set(s.images.subarray(k * px, (k + 1) * px), i * px);
    y[i] = s.labels[k];
  }
  return { x: { data: x, shape: [B, 1, s.rows, s.cols] }, y };
}

/** Test accuracy (argmax of the logits), evaluated with the run's arithmetic. */
export async function evaluate(model: Sequential, ctx: RunContext, test: Split, limit = test.n, batch = 256): Promise<number> {
  const n = Math.min(limit, test.n);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  let correct = 0;
  for (let i = 0; i < n; i += batch) {
    const { x, y } = batchOf(test, idx, i, Math.min(n, i + batch));
    correct += softmaxCrossEntropy(await model.forward(x, ctx, false), y).correct;
  }
  return correct / n;
}

export function weightsHash(model: Sequential, loss: number[]): string {
  const h = createHash('sha256');
  for (const p of model.params()) h.update(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength));
  h.update(new Uint8Array(Float64Array.from(loss).buffer));
  return h.digest('hex');
}

export async function train(data: { train: Split; test: Split }, o: TrainOptions): Promise<RunResult> {
  const batch = o.batch ?? 32;
  const lr = o.lr ?? 0.05;
  for (const [k, v] of [['epochs', o.epochs], ['batch', batch]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k}: must be a positive integer, got ${v}`);
  }
  if (!(lr > 0)) throw new RangeError(`lr: must be positive, got ${lr}`);
  const t0 = performance.now();
  const model = buildModel(o.model, o.seed);
  const ctx = new RunContext(o.backend, o.arith.roles, o.seed);
  const opt = new Sgd(lr, o.momentum ?? 0.9);
  const rng = new XorShift32(fmix32((o.seed ^ 0x5eed) >>> 0));
  const stepsPerEpoch = Math.floor(data.train.n / batch);
  if (stepsPerEpoch < 1) throw new RangeError(`batch: ${batch} is larger than the ${data.train.n} training samples`);
  const loss: number[] = [];
  const testAccuracy: number[] = [];
  let step = 0;
  let done = false;
  for (let epoch = 0; epoch < o.epochs && !done; epoch++) {
    const order = shuffled(data.train.n, rng);
    const te = performance.now();
    for (let s = 0; s < stepsPerEpoch; s++) {
      const { x, y } = batchOf(data.train, order, s * batch, (s + 1) * batch);
      ctx.step = step;
      const out = await model.forward(x, ctx, true);
      const r = softmaxCrossEntropy(out, y);
      await model.backward(r.grad, ctx);
      opt.step(model.params());
      loss.push(r.loss);
      step++;
      o.onProgress?.({ epoch: epoch + 1, epochs: o.epochs, step: s + 1, stepsPerEpoch, loss: r.loss, samplesPerS: ((s + 1) * batch) / ((performance.now() - te) / 1000) });
      if (o.maxSteps !== undefined && step >= o.maxSteps) { done = true; break; }
    }
    ctx.step = -1;
    testAccuracy.push(await evaluate(model, ctx, data.test, o.testLimit));
  }
  return {
    model: o.model, arith: o.arith.name, backend: o.backend.name, seed: o.seed, epochs: o.epochs, batch, lr,
    trainSamples: data.train.n, steps: step, loss, testAccuracy,
    counters: Object.fromEntries(ctx.counters),
    wallSeconds: (performance.now() - t0) / 1000,
    hash: weightsHash(model, loss),
  };
}
