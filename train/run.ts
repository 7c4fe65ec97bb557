// A seeded training run: shuffled mini-batches, SGD with momentum, test accuracy per epoch,
// a loss curve, GEMM counters and a hash of the final weights (to prove two backends identical).
import { createHash } from 'node:crypto';
import { XorShift32, fmix32 } from '../golden/index.ts';
import type { InputNorm, Split } from './data.ts';
import type { GemmBackend, GemmCounters } from './gemm.ts';
import { buildModel, RunContext, softmaxCrossEntropy, type ModelName, type Sequential } from './nn.ts';
import { contextArith, type TrainArith } from './arith.ts';
import { makeOptimizer, type OptimizerSpec } from './optim.ts';
import { checkOps, type OpsSpec, type RoundCounts } from './precision.ts';
import { LossScaler, TensorScaler, type LossScaleSpec, type LossScaleStats, type TensorScalingSpec, type TensorScalingStats } from './scaling.ts';
import { buildVit, Vit, type VitOptions } from './vit.ts';
import { weightStorage, type WeightStorageSpec } from './weights.ts';

export interface TrainOptions {
  model: ModelName;
  arith: TrainArith;
  backend: GemmBackend;
  epochs: number;
  seed: number;
  batch?: number;
  lr?: number;
  momentum?: number;
  /** Learning-rate schedule over the run's steps: constant, or cosine decay from lr to 0. @defaultValue 'constant' */
  schedule?: LrSchedule;
  /** Standardise the input pixels with a fixed mean and std (e.g. FASHION_MNIST_NORM). @defaultValue none (pixels in [0, 1]) */
  inputNorm?: InputNorm | null;
  /** Stop after this many steps in total (short end-to-end runs). */
  maxSteps?: number;
  /** Evaluate on at most this many test images (default: all). */
  testLimit?: number;
  /** Keep the weights in a low-precision format, rounded rne or sr after every step (train/weights.ts). @defaultValue fp32 weights */
  weights?: WeightStorageSpec | null;
  /** The ViT's shape (model 'vit' only). @defaultValue VIT_DEFAULTS */
  vit?: VitOptions;
  /** Formats of the ViT's element-wise operations (train/precision.ts). @defaultValue fp32 everywhere */
  ops?: OpsSpec;
  /** The optimiser. @defaultValue SGD with momentum `momentum` (0.9) */
  optimizer?: OptimizerSpec;
  /** Static or dynamic loss scaling (train/scaling.ts). @defaultValue none */
  lossScale?: LossScaleSpec | null;
  /** Per-tensor delayed scaling of the GEMMs' ≤ 8-bit operands (train/scaling.ts). @defaultValue none */
  tensorScaling?: TensorScalingSpec | null;
  onProgress?: (p: Progress) => void;
}

export type LrSchedule = 'constant' | 'cosine';
export const LR_SCHEDULES: readonly LrSchedule[] = ['constant', 'cosine'];

/** Learning rate of step `step` (0-based) out of `total`. */
export function scheduledLr(lr: number, schedule: LrSchedule, step: number, total: number): number {
  if (schedule === 'constant') return lr;
  return 0.5 * lr * (1 + Math.cos((Math.PI * Math.min(step, total)) / total));
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
  schedule: LrSchedule;
  inputNorm: InputNorm | null;
  trainSamples: number;
  steps: number;
  /** Training loss of every step. */
  loss: number[];
  /** Test accuracy after each epoch. */
  testAccuracy: number[];
  /** Low-precision weight storage, with the number of stored weights that overflowed / underflowed. */
  weights?: WeightStorageSpec & { overflow: number; underflow: number };
  /** The optimiser, its options and (AdamW) the overflow/underflow counts of its stored moments. */
  optimizer?: Record<string, unknown>;
  /** The ViT's shape, and the overflow/underflow counts of its element-wise rounding places. */
  vit?: Required<VitOptions> & { ops: OpsSpec; opCounts: RoundCounts };
  /** Loss scaling: the final, smallest and largest scale and the skipped steps. */
  lossScaling?: LossScaleStats;
  /** Per-tensor scaling: saturated (clipped) operand elements and the last exponent of every operand. */
  tensorScaling?: TensorScalingStats;
  /** Mean training loss of each epoch. */
  epochLoss: number[];
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

function batchOf(s: Split, idx: ArrayLike<number>, from: number, to: number, norm: InputNorm | null = null) {
  const px = s.rows * s.cols;
  const B = to - from;
  const x = new Float32Array(B * px);
  const y = new Uint8Array(B);
  for (let i = 0; i < B; i++) {
    const k = idx[from + i];
    x.set(s.images.subarray(k * px, (k + 1) * px), i * px);
    y[i] = s.labels[k];
  }
  if (norm) {
    const inv = 1 / norm.std;
    for (let i = 0; i < x.length; i++) x[i] = (x[i] - norm.mean) * inv;
  }
  return { x: { data: x, shape: [B, 1, s.rows, s.cols] }, y };
}

/** Test accuracy (argmax of the logits), evaluated with the run's arithmetic. */
export async function evaluate(model: Sequential, ctx: RunContext, test: Split, limit = test.n, batch = 256, norm: InputNorm | null = null): Promise<number> {
  const n = Math.min(limit, test.n);
  const idx = Uint32Array.from({ length: n }, (_, i) => i);
  let correct = 0;
  for (let i = 0; i < n; i += batch) {
    const { x, y } = batchOf(test, idx, i, Math.min(n, i + batch), norm);
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
  const schedule = o.schedule ?? 'constant';
  if (!LR_SCHEDULES.includes(schedule)) throw new RangeError(`schedule: must be ${LR_SCHEDULES.join(' | ')}, got ${JSON.stringify(schedule)}`);
  const norm = o.inputNorm ?? null;
  if (norm && !(norm.std > 0 && Number.isFinite(norm.mean))) throw new RangeError(`inputNorm: needs a finite mean and a positive std, got ${JSON.stringify(norm)}`);
  const t0 = performance.now();
  if (o.model !== 'vit' && (o.vit !== undefined || o.ops !== undefined)) throw new RangeError(`vit, ops: ViT options are for model 'vit', not ${o.model}`);
  if (o.model === 'vit' && o.arith.select) throw new RangeError(`arith: the '${o.arith.name}' arithmetic is a per-layer block floating point schedule, for the mlp and cnn models (not vit)`);
  const ops = o.model === 'vit' ? checkOps(o.ops) : {};
  const model = o.model === 'vit' ? buildVit(o.vit ?? {}, o.seed, ops, data.train.rows) : buildModel(o.model, o.seed);
  if (o.arith.select && o.backend.name !== 'emu') throw new RangeError(`backend: the '${o.arith.name}' arithmetic (block floating point) runs on the emu backend, not ${o.backend.name}`);
  const ctx = new RunContext(o.backend, contextArith(o.arith, model), o.seed);
  if (o.tensorScaling) ctx.scaler = new TensorScaler(o.tensorScaling);
  const lossScaler = o.lossScale ? new LossScaler(o.lossScale) : null;
  const opt = makeOptimizer(o.optimizer ?? { kind: 'sgd', momentum: o.momentum ?? 0.9 }, lr, o.seed);
  const stored = o.weights ? weightStorage(o.weights, o.seed) : null;
  const weightFlags = { overflow: 0, underflow: 0 };
  const storeWeights = (): void => {
    if (!stored) return;
    for (const p of model.params()) {
      const f = stored.store(p.data);
      weightFlags.overflow += f.overflow;
      weightFlags.underflow += f.underflow;
    }
  };
  storeWeights();
  const rng = new XorShift32(fmix32((o.seed ^ 0x5eed) >>> 0));
  const stepsPerEpoch = Math.floor(data.train.n / batch);
  if (stepsPerEpoch < 1) throw new RangeError(`batch: ${batch} is larger than the ${data.train.n} training samples`);
  const totalSteps = Math.min(stepsPerEpoch * o.epochs, o.maxSteps ?? Infinity);
  const loss: number[] = [];
  const testAccuracy: number[] = [];
  const epochLoss: number[] = [];
  let step = 0;
  let done = false;
  for (let epoch = 0; epoch < o.epochs && !done; epoch++) {
    const order = shuffled(data.train.n, rng);
    ctx.epoch = epoch + 1;
    const te = performance.now();
    const first = loss.length;
    for (let s = 0; s < stepsPerEpoch; s++) {
      const { x, y } = batchOf(data.train, order, s * batch, (s + 1) * batch, norm);
      ctx.step = step;
      const out = await model.forward(x, ctx, true);
      const r = softmaxCrossEntropy(out, y);
      if (lossScaler) for (let i = 0; i < r.grad.data.length; i++) r.grad.data[i] *= lossScaler.scale;
      await model.backward(r.grad, ctx);
      // With loss scaling, a step whose gradients are not finite is skipped.
      if (!lossScaler || lossScaler.unscale(model.params().map((p) => p.grad))) {
        opt.lr = scheduledLr(lr, schedule, step, totalSteps);
        opt.step(model.params());
        storeWeights();
      }
      loss.push(r.loss);
      step++;
      o.onProgress?.({ epoch: epoch + 1, epochs: o.epochs, step: s + 1, stepsPerEpoch, loss: r.loss, samplesPerS: ((s + 1) * batch) / ((performance.now() - te) / 1000) });
      if (o.maxSteps !== undefined && step >= o.maxSteps) { done = true; break; }
    }
    epochLoss.push(loss.slice(first).reduce((a, b) => a + b, 0) / Math.max(1, loss.length - first));
    ctx.step = -1;
    testAccuracy.push(await evaluate(model, ctx, data.test, o.testLimit, 256, norm));
  }
  return {
    model: o.model, arith: o.arith.name, backend: o.backend.name, seed: o.seed, epochs: o.epochs, batch, lr, schedule, inputNorm: norm,
    trainSamples: data.train.n, steps: step, loss, testAccuracy, epochLoss,
    counters: Object.fromEntries(ctx.counters),
    ...(stored ? { weights: { ...stored.spec, ...weightFlags } } : {}),
    optimizer: opt.describe(),
    ...(model instanceof Vit ? { vit: { ...model.options, ops, opCounts: model.opCounts() } } : {}),
    ...(lossScaler ? { lossScaling: lossScaler.stats() } : {}),
    ...(ctx.scaler ? { tensorScaling: ctx.scaler.stats() } : {}),
    wallSeconds: (performance.now() - t0) / 1000,
    hash: weightsHash(model, loss),
  };
}
