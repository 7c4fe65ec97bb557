// Layers, loss and optimiser for the training runs. Activations are batch-first float32 arrays;
// every matrix product goes through the run's GemmBackend with the arithmetic of its role.
import { XorShift32, fmix32 } from '../golden/index.ts';
import type { BfpGemmSpec } from './bfp/gemm.ts';
import { transpose, type GemmArith, type GemmBackend, type GemmCounters, type GemmRole, newCounters } from './gemm.ts';
import type { TensorScaler } from './scaling.ts';

export interface Act { data: Float32Array; shape: number[] }

export interface Param {
  name: string;
  data: Float32Array;
  grad: Float32Array;
  velocity: Float32Array;
}

/** The arithmetic of one GEMM without its seed: a MAC configuration or BFP; null = fp32. */
export type RoleGemmArith = Omit<GemmArith, 'seed'> | BfpGemmSpec;

/** Arithmetic of each role's GEMMs; null = fp32. */
export type RoleArith = Record<GemmRole, RoleGemmArith | null>;

/** The arithmetic of a GEMM by layer, role and epoch (1-based): a precision schedule. */
export type ArithSelector = (layer: string, role: GemmRole, epoch: number) => RoleGemmArith | null;

/** What a layer needs to run its GEMMs. */
export class RunContext {
  /** Counters per "layer/role". */
  readonly counters = new Map<string, GemmCounters>();
  step = 0;
  /** The epoch being trained (1-based), for an ArithSelector. */
  epoch = 1;
  /** Per-tensor (delayed, amax-history) scaling of the fp8 operands of every GEMM, when set (train/scaling.ts). */
  scaler: TensorScaler | null = null;
  constructor(readonly backend: GemmBackend, readonly arith: RoleArith | ArithSelector, readonly seed: number) {}

  /**
   * C = A·B for `role` of layer `layer`; the sr seed is unique per (run seed, step, layer, role)
   * and, for the GEMMs of a batched product (attention: one per image and head), per `item`.
   */
  async gemm(layer: string, role: GemmRole, a: Float32Array, b: Float32Array, M: number, K: number, N: number, item?: number): Promise<Float32Array> {
    const key = `${layer}/${role}`;
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = newCounters()));
    const base = typeof this.arith === 'function' ? this.arith(layer, role, this.epoch) : this.arith[role];
    const seed = item === undefined ? this.gemmSeed(key) : fmix32((this.gemmSeed(key) ^ Math.imul(item + 1, 0x85ebca6b)) >>> 0);
    const arith = base === null ? null : { ...base, seed };
    if (this.scaler && arith !== null && 'mac' in arith) {
      const s = this.scaler.scaleOperands(key, arith, a, b);
      const y = await this.backend.gemm(s.a, s.b, M, K, N, arith, c);
      if (s.unscale !== 1) for (let i = 0; i < y.length; i++) y[i] *= s.unscale;
      return y;
    }
    return this.backend.gemm(a, b, M, K, N, arith, c);
  }

  private gemmSeed(key: string): number {
    let h = fmix32((this.seed ^ Math.imul(this.step + 1, 0x9e3779b1)) >>> 0);
    for (let i = 0; i < key.length; i++) h = fmix32((h ^ key.charCodeAt(i)) >>> 0);
    return h;
  }
}

export interface Layer {
  readonly name: string;
  forward(x: Act, ctx: RunContext, train: boolean): Promise<Act>;
  /** Gradient w.r.t. the input (skipped, returning null, when `needInput` is false). */
  backward(dy: Act, ctx: RunContext, needInput: boolean): Promise<Act | null>;
  params(): Param[];
}

function param(name: string, n: number): Param {
  return { name, data: new Float32Array(n), grad: new Float32Array(n), velocity: new Float32Array(n) };
}

/** Kaiming-uniform initialisation from a seeded stream (bound √(6/fanIn)). */
function initUniform(p: Param, fanIn: number, rng: XorShift32): void {
  const bound = Math.sqrt(6 / fanIn);
  for (let i = 0; i < p.data.length; i++) p.data[i] = (rng.next(24) / 2 ** 24 * 2 - 1) * bound;
}

export class Linear implements Layer {
  readonly w: Param;
  readonly b: Param;
  private x: Act | null = null;
  constructor(readonly name: string, readonly inF: number, readonly outF: number, rng: XorShift32) {
    this.w = param(`${name}.weight`, outF * inF);
    this.b = param(`${name}.bias`, outF);
    initUniform(this.w, inF, rng);
  }

  async forward(x: Act, ctx: RunContext): Promise<Act> {
    const B = x.shape[0];
    if (x.data.length !== B * this.inF) throw new RangeError(`${this.name}: input has ${x.data.length / B} features, expected ${this.inF}`);
    this.x = x;
    const y = await ctx.gemm(this.name, 'forward', x.data, transpose(this.w.data, this.outF, this.inF), B, this.inF, this.outF);
    for (let i = 0; i < B; i++) for (let j = 0; j < this.outF; j++) y[i * this.outF + j] += this.b.data[j];
    return { data: y, shape: [B, this.outF] };
  }

  async backward(dy: Act, ctx: RunContext, needInput: boolean): Promise<Act | null> {
    const x = this.x!;
    const B = dy.shape[0];
    const gw = await ctx.gemm(this.name, 'gradWeight', transpose(dy.data, B, this.outF), x.data, this.outF, B, this.inF);
    this.w.grad.set(gw);
    this.b.grad.fill(0);
    for (let i = 0; i < B; i++) for (let j = 0; j < this.outF; j++) this.b.grad[j] += dy.data[i * this.outF + j];
    if (!needInput) return null;
    const dx = await ctx.gemm(this.name, 'gradInput', dy.data, this.w.data, B, this.outF, this.inF);
    return { data: dx, shape: x.shape };
  }

  params(): Param[] { return [this.w, this.b]; }
}

/** 2-D convolution, stride 1, no padding, as im2col → GEMM. Input [B, C, H, W]. */
export class Conv2d implements Layer {
  readonly w: Param;
  readonly b: Param;
  private cols: Float32Array | null = null;
  private inShape: number[] = [];
  constructor(readonly name: string, readonly cin: number, readonly cout: number, readonly k: number, rng: XorShift32) {
    this.w = param(`${name}.weight`, cout * cin * k * k);
    this.b = param(`${name}.bias`, cout);
    initUniform(this.w, cin * k * k, rng);
  }

  async forward(x: Act, ctx: RunContext): Promise<Act> {
    const [B, C, H, W] = x.shape;
    if (C !== this.cin || x.shape.length !== 4) throw new RangeError(`${this.name}: input shape [${x.shape}] is not [B, ${this.cin}, H, W]`);
    const { k, cout } = this;
    const Ho = H - k + 1, Wo = W - k + 1, ck = C * k * k, rows = B * Ho * Wo;
    const cols = new Float32Array(rows * ck);
    for (let b = 0; b < B; b++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
      const r = ((b * Ho + oy) * Wo + ox) * ck;
      for (let c = 0; c < C; c++) for (let ky = 0; ky < k; ky++) {
        const src = ((b * C + c) * H + oy + ky) * W + ox;
        const dst = r + (c * k + ky) * k;
        for (let kx = 0; kx < k; kx++) cols[dst + kx] = x.data[src + kx];
      }
    }
    this.cols = cols;
    this.inShape = x.shape;
    const y2 = await ctx.gemm(this.name, 'forward', cols, transpose(this.w.data, cout, ck), rows, ck, cout);
    const y = new Float32Array(B * cout * Ho * Wo);
    const hw = Ho * Wo;
    for (let b = 0; b < B; b++) for (let p = 0; p < hw; p++) for (let o = 0; o < cout; o++) {
      y[(b * cout + o) * hw + p] = y2[(b * hw + p) * cout + o] + this.b.data[o];
    }
    return { data: y, shape: [B, cout, Ho, Wo] };
  }

  async backward(dy: Act, ctx: RunContext, needInput: boolean): Promise<Act | null> {
    const [B, C, H, W] = this.inShape;
    const { k, cout } = this;
    const Ho = H - k + 1, Wo = W - k + 1, ck = C * k * k, rows = B * Ho * Wo, hw = Ho * Wo;
    const dy2 = new Float32Array(rows * cout);
    this.b.grad.fill(0);
    for (let b = 0; b < B; b++) for (let o = 0; o < cout; o++) for (let p = 0; p < hw; p++) {
      const g = dy.data[(b * cout + o) * hw + p];
      dy2[(b * hw + p) * cout + o] = g;
      this.b.grad[o] += g;
    }
    this.w.grad.set(await ctx.gemm(this.name, 'gradWeight', transpose(dy2, rows, cout), this.cols!, cout, rows, ck));
    if (!needInput) return null;
    const dcols = await ctx.gemm(this.name, 'gradInput', dy2, this.w.data, rows, cout, ck);
    const dx = new Float32Array(B * C * H * W);
    for (let b = 0; b < B; b++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
      const r = ((b * Ho + oy) * Wo + ox) * ck;
      for (let c = 0; c < C; c++) for (let ky = 0; ky < k; ky++) {
        const dst = ((b * C + c) * H + oy + ky) * W + ox;
        const src = r + (c * k + ky) * k;
        for (let kx = 0; kx < k; kx++) dx[dst + kx] += dcols[src + kx];
      }
    }
    return { data: dx, shape: this.inShape };
  }

  params(): Param[] { return [this.w, this.b]; }
}

export class ReLU implements Layer {
  private mask: Uint8Array | null = null;
  constructor(readonly name: string) {}
  async forward(x: Act): Promise<Act> {
    const y = new Float32Array(x.data.length);
    const mask = new Uint8Array(x.data.length);
    for (let i = 0; i < y.length; i++) if (x.data[i] > 0) { y[i] = x.data[i]; mask[i] = 1; }
    this.mask = mask;
    return { data: y, shape: x.shape };
  }
  async backward(dy: Act): Promise<Act> {
    const dx = new Float32Array(dy.data.length);
    for (let i = 0; i < dx.length; i++) if (this.mask![i]) dx[i] = dy.data[i];
    return { data: dx, shape: dy.shape };
  }
  params(): Param[] { return []; }
}

/** 2×2 max pooling, stride 2 (odd edges dropped). The first maximum wins ties. */
export class MaxPool2 implements Layer {
  private arg: Int32Array | null = null;
  private inShape: number[] = [];
  constructor(readonly name: string) {}
  async forward(x: Act): Promise<Act> {
    const [B, C, H, W] = x.shape;
    const Ho = H >> 1, Wo = W >> 1;
    const y = new Float32Array(B * C * Ho * Wo);
    const arg = new Int32Array(y.length);
    for (let bc = 0; bc < B * C; bc++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
      let best = -Infinity, bi = -1;
      for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) {
        const i = (bc * H + 2 * oy + dy) * W + 2 * ox + dx;
        if (x.data[i] > best || bi < 0) { best = x.data[i]; bi = i; }
      }
      const o = (bc * Ho + oy) * Wo + ox;
      y[o] = best; arg[o] = bi;
    }
    this.arg = arg; this.inShape = x.shape;
    return { data: y, shape: [B, C, Ho, Wo] };
  }
  async backward(dy: Act): Promise<Act> {
    const dx = new Float32Array(this.inShape.reduce((a, b) => a * b, 1));
    for (let o = 0; o < dy.data.length; o++) dx[this.arg![o]] += dy.data[o];
    return { data: dx, shape: this.inShape };
  }
  params(): Param[] { return []; }
}

export class Flatten implements Layer {
  private inShape: number[] = [];
  constructor(readonly name: string) {}
  async forward(x: Act): Promise<Act> {
    this.inShape = x.shape;
    return { data: x.data, shape: [x.shape[0], x.data.length / x.shape[0]] };
  }
  async backward(dy: Act): Promise<Act> { return { data: dy.data, shape: this.inShape }; }
  params(): Param[] { return []; }
}

/** Mean softmax cross-entropy over the batch and its gradient w.r.t. the logits. */
export function softmaxCrossEntropy(logits: Act, labels: ArrayLike<number>): { loss: number; grad: Act; correct: number } {
  const [B, K] = logits.shape;
  const grad = new Float32Array(B * K);
  let loss = 0, correct = 0;
  for (let i = 0; i < B; i++) {
    const o = i * K;
    let max = -Infinity, arg = 0;
    for (let j = 0; j < K; j++) if (logits.data[o + j] > max) { max = logits.data[o + j]; arg = j; }
    let sum = 0;
    for (let j = 0; j < K; j++) sum += Math.exp(logits.data[o + j] - max);
    const y = labels[i];
    loss += Math.log(sum) - (logits.data[o + y] - max);
    for (let j = 0; j < K; j++) grad[o + j] = (Math.exp(logits.data[o + j] - max) / sum - (j === y ? 1 : 0)) / B;
    if (arg === y) correct++;
  }
  return { loss: loss / B, grad: { data: grad, shape: [B, K] }, correct };
}

export class Sequential {
  constructor(readonly layers: Layer[]) {}
  async forward(x: Act, ctx: RunContext, train: boolean): Promise<Act> {
    for (const l of this.layers) x = await l.forward(x, ctx, train);
    return x;
  }
  async backward(dy: Act, ctx: RunContext): Promise<void> {
    // The input gradient of a layer is needed only if a layer before it has parameters
    // (the gradient of the data itself is never used).
    let firstWithParams = this.layers.findIndex((l) => l.params().length > 0);
    if (firstWithParams < 0) firstWithParams = this.layers.length;
    let g: Act | null = dy;
    for (let i = this.layers.length - 1; i >= 0 && g !== null; i--) g = await this.layers[i].backward(g, ctx, i > firstWithParams);
  }
  params(): Param[] { return this.layers.flatMap((l) => l.params()); }
  /** Names of the layers with weights, in order (what a per-layer schedule refers to). */
  weightLayers(): string[] { return this.layers.filter((l) => l.params().length > 0).map((l) => l.name); }
}

/** SGD with momentum (and optional weight decay): v ← μv + g + λp; p ← p − lr·v. */
export class Sgd {
  /** The learning rate of the next step (a schedule may change it between steps). */
  constructor(public lr: number, readonly momentum = 0.9, readonly weightDecay = 0) {}
  step(params: Param[]): void {
    for (const p of params) {
      for (let i = 0; i < p.data.length; i++) {
        const v = this.momentum * p.velocity[i] + p.grad[i] + this.weightDecay * p.data[i];
        p.velocity[i] = v;
        p.data[i] -= this.lr * v;
      }
    }
  }
}

/** The models of `mpsa train`; the ViT is built by train/vit.ts. */
export type ModelName = 'mlp' | 'cnn' | 'vit';
export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn', 'vit'];

/**
 * MLP 784-256-128-10, or a small CNN: conv5(1→16)·ReLU·pool, conv5(16→32)·ReLU·pool,
 * FC 512→128·ReLU, FC 128→10 (about 1.1 M MACs per image forward). The earlier 8/16-channel CNN
 * with one FC layer stopped at 0.887 after 10 epochs, short of the 0.90 target.
 */
export function buildModel(name: Exclude<ModelName, 'vit'>, seed: number): Sequential {
  const rng = new XorShift32(fmix32(seed >>> 0));
  if (name === 'mlp') {
    return new Sequential([
      new Flatten('flatten'),
      new Linear('fc1', 784, 256, rng), new ReLU('relu1'),
      new Linear('fc2', 256, 128, rng), new ReLU('relu2'),
      new Linear('fc3', 128, 10, rng),
    ]);
  }
  if (name === 'cnn') {
    return new Sequential([
      new Conv2d('conv1', 1, 16, 5, rng), new ReLU('relu1'), new MaxPool2('pool1'),
      new Conv2d('conv2', 16, 32, 5, rng), new ReLU('relu2'), new MaxPool2('pool2'),
      new Flatten('flatten'),
      new Linear('fc1', 512, 128, rng), new ReLU('relu3'),
      new Linear('fc', 128, 10, rng),
    ]);
  }
  throw new RangeError(`model: must be one of ${MODEL_NAMES.join(' | ')}, got ${JSON.stringify(name)}`);
}
