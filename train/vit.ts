// A small vision transformer for 28×28 images: patch embedding (a Linear on the flattened
// patches) plus a learned positional embedding, `depth` pre-norm blocks — LayerNorm, multi-head
// self-attention, residual add, LayerNorm, MLP with GELU, residual add — then LayerNorm, the mean
// over the tokens and a Linear classifier head.
//
// Every matrix product goes through RunContext.gemm with its role's arithmetic: the Linear
// layers as in train/nn.ts, and the attention products Q·Kᵀ and A·V as batched GEMMs — one GEMM
// per image and head, layer names `<block>.attn.qk` and `<block>.attn.av`, each with its own sr
// seed (RunContext's `item`). In every backward GEMM the gradient is operand A (the operand the
// gradient formats of the presets apply to, e5m2 in fp8): dA = dO·Vᵀ, dVᵀ = dOᵀ·A, dQ = dS·K,
// dK = dSᵀ·Q. LayerNorm, softmax, GELU and the residual adds round their inputs, outputs and
// internal sums as the run's OpsSpec says (train/precision.ts), fp32 when not set; their backward
// passes are fp32 on the values the forward pass kept.
import { ArithmeticInputError, fmix32, XorShift32 } from '../golden/index.ts';
import { transpose } from './gemm.ts';
import { Linear, Sequential, type Act, type Layer, type Param, type RunContext } from './nn.ts';
import { addCounts, opPrecision, type OpPrecision, type OpsSpec, type RoundCounts, type Rounder } from './precision.ts';

export interface VitOptions {
  /** Patch side (divides 28). @defaultValue 7 (16 tokens of 49 pixels) */
  patch?: number;
  /** Token width. @defaultValue 32 */
  dim?: number;
  /** Transformer blocks. @defaultValue 2 */
  depth?: number;
  /** Attention heads (divide dim). @defaultValue 4 */
  heads?: number;
  /** MLP hidden width over dim. @defaultValue 2 */
  mlpRatio?: number;
}

export const VIT_DEFAULTS: Required<VitOptions> = { patch: 7, dim: 32, depth: 2, heads: 4, mlpRatio: 2 };
const VIT_KEYS = Object.keys(VIT_DEFAULTS);

/** Validates the ViT options (errors name the field); fills in the defaults. */
export function checkVit(o: VitOptions = {}, side = 28): Required<VitOptions> {
  if (o === null || typeof o !== 'object') throw new ArithmeticInputError('vit', 'must be an object {patch, dim, depth, heads, mlpRatio}');
  for (const k of Object.keys(o)) if (!VIT_KEYS.includes(k)) throw new ArithmeticInputError(`vit.${k}`, `unknown option (allowed: ${VIT_KEYS.join(', ')})`);
  const v = { ...VIT_DEFAULTS, ...o };
  const int = (k: keyof VitOptions, lo: number, hi: number) => {
    const x = v[k];
    if (!Number.isInteger(x) || x < lo || x > hi) throw new ArithmeticInputError(`vit.${k}`, `must be an integer in ${lo}..${hi}, got ${JSON.stringify(x)}`);
  };
  int('patch', 1, side); int('dim', 1, 1024); int('depth', 1, 64); int('heads', 1, 64); int('mlpRatio', 1, 16);
  if (side % v.patch !== 0) throw new ArithmeticInputError('vit.patch', `must divide the image side ${side}, got ${v.patch}`);
  if (v.dim % v.heads !== 0) throw new ArithmeticInputError('vit.heads', `must divide vit.dim ${v.dim}, got ${v.heads}`);
  return v;
}

function param(name: string, n: number): Param {
  return { name, data: new Float32Array(n), grad: new Float32Array(n), velocity: new Float32Array(n) };
}

/** Uniform in ±bound from the stream. */
function fillUniform(x: Float32Array, bound: number, rng: XorShift32): void {
  for (let i = 0; i < x.length; i++) x[i] = (rng.next(24) / 2 ** 24 * 2 - 1) * bound;
}

/** A Linear with Xavier-uniform weights (√(6/(in+out))), zero bias: the usual transformer start. */
function linear(name: string, inF: number, outF: number, rng: XorShift32): Linear {
  const l = new Linear(name, inF, outF, rng);
  fillUniform(l.w.data, Math.sqrt(6 / (inF + outF)), rng);
  return l;
}

const rows = (a: Act): Act => ({ data: a.data, shape: [a.data.length / a.shape[a.shape.length - 1], a.shape[a.shape.length - 1]] });

/** Patches of [B, 1, S, S] as rows [B·T, p·p] (row-major patches, row-major pixels) → Linear → + positional embedding. */
export class PatchEmbed implements Layer {
  readonly proj: Linear;
  readonly pos: Param;
  readonly tokens: number;
  private B = 0;
  constructor(readonly name: string, readonly side: number, readonly patch: number, readonly dim: number, rng: XorShift32) {
    const g = side / patch;
    this.tokens = g * g;
    this.proj = linear(name, patch * patch, dim, rng);
    this.pos = param(`${name}.pos`, this.tokens * dim);
    fillUniform(this.pos.data, 0.02 * Math.sqrt(3), rng);
  }

  async forward(x: Act, ctx: RunContext): Promise<Act> {
    const { side: S, patch: p, tokens: T, dim: D } = this;
    if (x.shape.length !== 4 || x.shape[1] !== 1 || x.shape[2] !== S || x.shape[3] !== S) throw new RangeError(`${this.name}: input shape [${x.shape}] is not [B, 1, ${S}, ${S}]`);
    const B = (this.B = x.shape[0]);
    const g = S / p, pp = p * p;
    const cols = new Float32Array(B * T * pp);
    for (let b = 0; b < B; b++) for (let ty = 0; ty < g; ty++) for (let tx = 0; tx < g; tx++) {
      const r = ((b * T) + ty * g + tx) * pp;
      for (let py = 0; py < p; py++) for (let px = 0; px < p; px++) cols[r + py * p + px] = x.data[b * S * S + (ty * p + py) * S + tx * p + px];
    }
    const y = await this.proj.forward({ data: cols, shape: [B * T, pp] }, ctx);
    for (let b = 0; b < B; b++) for (let i = 0; i < T * D; i++) y.data[b * T * D + i] += this.pos.data[i];
    return { data: y.data, shape: [B, T, D] };
  }

  async backward(dy: Act, ctx: RunContext): Promise<Act | null> {
    const { tokens: T, dim: D, B } = this;
    this.pos.grad.fill(0);
    for (let b = 0; b < B; b++) for (let i = 0; i < T * D; i++) this.pos.grad[i] += dy.data[b * T * D + i];
    await this.proj.backward(rows(dy), ctx, false);
    return null;
  }

  params(): Param[] { return [...this.proj.params(), this.pos]; }
}

/** LayerNorm over the last dimension: y = (x − mean)/√(var + 1e-5)·γ + β. */
export class LayerNorm implements Layer {
  readonly g: Param;
  readonly b: Param;
  private xhat: Float32Array | null = null;
  private rstd: Float32Array | null = null;
  private shape: number[] = [];
  constructor(readonly name: string, readonly dim: number, readonly prec: OpPrecision) {
    this.g = param(`${name}.weight`, dim);
    this.b = param(`${name}.bias`, dim);
    this.g.data.fill(1);
  }

  async forward(x: Act): Promise<Act> {
    const D = this.dim;
    const n = x.data.length / D;
    if (!Number.isInteger(n) || x.shape[x.shape.length - 1] !== D) throw new RangeError(`${this.name}: input shape [${x.shape}] does not end in ${D}`);
    const { input, output, acc } = this.prec;
    const xs = input ? input.array(Float32Array.from(x.data)) : x.data;
    const xhat = new Float32Array(xs.length), rstd = new Float32Array(n), y = new Float32Array(xs.length);
    for (let r = 0; r < n; r++) {
      const o = r * D;
      let s = 0;
      for (let j = 0; j < D; j++) s = acc ? acc.one(s + xs[o + j]) : s + xs[o + j];
      const mean = acc ? acc.one(s / D) : s / D;
      let v = 0;
      for (let j = 0; j < D; j++) { const d = xs[o + j] - mean; v = acc ? acc.one(v + d * d) : v + d * d; }
      const rs = 1 / Math.sqrt(v / D + 1e-5);
      rstd[r] = rs;
      for (let j = 0; j < D; j++) {
        const h = (xs[o + j] - mean) * rs;
        xhat[o + j] = h;
        y[o + j] = h * this.g.data[j] + this.b.data[j];
      }
    }
    this.xhat = xhat; this.rstd = rstd; this.shape = x.shape;
    if (output) output.array(y);
    return { data: y, shape: x.shape };
  }

  async backward(dy: Act): Promise<Act> {
    const D = this.dim, xhat = this.xhat!, rstd = this.rstd!;
    const n = xhat.length / D;
    const dx = new Float32Array(xhat.length);
    this.g.grad.fill(0); this.b.grad.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * D;
      let m1 = 0, m2 = 0;
      for (let j = 0; j < D; j++) {
        const d = dy.data[o + j];
        this.g.grad[j] += d * xhat[o + j];
        this.b.grad[j] += d;
        const dh = d * this.g.data[j];
        m1 += dh; m2 += dh * xhat[o + j];
      }
      m1 /= D; m2 /= D;
      for (let j = 0; j < D; j++) dx[o + j] = rstd[r] * (dy.data[o + j] * this.g.data[j] - m1 - xhat[o + j] * m2);
    }
    return { data: dx, shape: this.shape };
  }

  params(): Param[] { return [this.g, this.b]; }
}

const GELU_C = Math.sqrt(2 / Math.PI);

/** GELU, tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export class Gelu implements Layer {
  private x: Float32Array | null = null;
  constructor(readonly name: string, readonly prec: OpPrecision) {}
  async forward(x: Act): Promise<Act> {
    const xs = this.prec.input ? this.prec.input.array(Float32Array.from(x.data)) : x.data;
    const y = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      y[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
    }
    this.x = xs;
    if (this.prec.output) this.prec.output.array(y);
    return { data: y, shape: x.shape };
  }
  async backward(dy: Act): Promise<Act> {
    const xs = this.x!;
    const dx = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      const t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
      dx[i] = dy.data[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * v * v));
    }
    return { data: dx, shape: dy.shape };
  }
  params(): Param[] { return []; }
}

/** Row softmax of `s` (n rows of length T) in place, with the softmax operation's rounding places. */
export function softmaxRows(s: Float32Array, T: number, prec: OpPrecision): Float32Array {
  const { input, output, acc } = prec;
  if (input) input.array(s);
  for (let o = 0; o < s.length; o += T) {
    let max = -Infinity;
    for (let j = 0; j < T; j++) if (s[o + j] > max) max = s[o + j];
    let sum = 0;
    for (let j = 0; j < T; j++) {
      const e = Math.exp(s[o + j] - max);
      s[o + j] = e;
      sum = acc ? acc.one(sum + e) : sum + e;
    }
    for (let j = 0; j < T; j++) s[o + j] /= sum;
  }
  if (output) output.array(s);
  return s;
}

/** Multi-head self-attention on [B, T, D]: qkv Linear, per image and head softmax(Q·Kᵀ/√dh)·V, proj Linear. */
export class Attention implements Layer {
  readonly qkv: Linear;
  readonly proj: Linear;
  private q: Float32Array[] = [];
  private k: Float32Array[] = [];
  private v: Float32Array[] = [];
  private a: Float32Array[] = [];
  private shape: number[] = [];
  constructor(readonly name: string, readonly dim: number, readonly heads: number, readonly softmax: OpPrecision, rng: XorShift32) {
    this.qkv = linear(`${name}.qkv`, dim, 3 * dim, rng);
    this.proj = linear(`${name}.proj`, dim, dim, rng);
  }

  async forward(x: Act, ctx: RunContext): Promise<Act> {
    const [B, T, D] = x.shape;
    if (x.shape.length !== 3 || D !== this.dim) throw new RangeError(`${this.name}: input shape [${x.shape}] is not [B, T, ${this.dim}]`);
    const H = this.heads, dh = D / H, scale = 1 / Math.sqrt(dh);
    const qkv = (await this.qkv.forward(rows(x), ctx)).data;
    const out = new Float32Array(B * T * D);
    this.q = []; this.k = []; this.v = []; this.a = []; this.shape = x.shape;
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
      const item = b * H + h;
      const q = new Float32Array(T * dh), k = new Float32Array(T * dh), v = new Float32Array(T * dh);
      for (let t = 0; t < T; t++) {
        const r = (b * T + t) * 3 * D + h * dh;
        for (let j = 0; j < dh; j++) { q[t * dh + j] = qkv[r + j]; k[t * dh + j] = qkv[r + D + j]; v[t * dh + j] = qkv[r + 2 * D + j]; }
      }
      const s = await ctx.gemm(`${this.name}.qk`, 'forward', q, transpose(k, T, dh), T, dh, T, item);
      for (let i = 0; i < s.length; i++) s[i] *= scale;
      const a = softmaxRows(s, T, this.softmax);
      const o = await ctx.gemm(`${this.name}.av`, 'forward', a, v, T, T, dh, item);
      for (let t = 0; t < T; t++) for (let j = 0; j < dh; j++) out[(b * T + t) * D + h * dh + j] = o[t * dh + j];
      this.q.push(q); this.k.push(k); this.v.push(v); this.a.push(a);
    }
    return { data: (await this.proj.forward({ data: out, shape: [B * T, D] }, ctx)).data, shape: x.shape };
  }

  async backward(dy: Act, ctx: RunContext): Promise<Act> {
    const [B, T, D] = this.shape;
    const H = this.heads, dh = D / H, scale = 1 / Math.sqrt(dh);
    const dout = (await this.proj.backward(rows(dy), ctx, true))!.data;
    const dqkv = new Float32Array(B * T * 3 * D);
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
      const item = b * H + h;
      const q = this.q[item], k = this.k[item], v = this.v[item], a = this.a[item];
      const dO = new Float32Array(T * dh);
      for (let t = 0; t < T; t++) for (let j = 0; j < dh; j++) dO[t * dh + j] = dout[(b * T + t) * D + h * dh + j];
      const dA = await ctx.gemm(`${this.name}.av`, 'gradInput', dO, transpose(v, T, dh), T, dh, T, item);
      const dVt = await ctx.gemm(`${this.name}.av`, 'gradWeight', transpose(dO, T, dh), a, dh, T, T, item);
      // Softmax backward: dS = A ⊙ (dA − rowsum(dA ⊙ A)), times the 1/√dh of the forward pass.
      const dS = new Float32Array(T * T);
      for (let i = 0; i < T; i++) {
        let dot = 0;
        for (let j = 0; j < T; j++) dot += dA[i * T + j] * a[i * T + j];
        for (let j = 0; j < T; j++) dS[i * T + j] = a[i * T + j] * (dA[i * T + j] - dot) * scale;
      }
      const dQ = await ctx.gemm(`${this.name}.qk`, 'gradInput', dS, k, T, T, dh, item);
      const dK = await ctx.gemm(`${this.name}.qk`, 'gradWeight', transpose(dS, T, T), q, T, T, dh, item);
      for (let t = 0; t < T; t++) {
        const r = (b * T + t) * 3 * D + h * dh;
        for (let j = 0; j < dh; j++) { dqkv[r + j] = dQ[t * dh + j]; dqkv[r + D + j] = dK[t * dh + j]; dqkv[r + 2 * D + j] = dVt[j * T + t]; }
      }
    }
    const dx = (await this.qkv.backward({ data: dqkv, shape: [B * T, 3 * D] }, ctx, true))!;
    return { data: dx.data, shape: this.shape };
  }

  params(): Param[] { return [...this.qkv.params(), ...this.proj.params()]; }
}

/** x + y, rounded as the residual operation's output place says. */
function residual(x: Float32Array, y: Float32Array, prec: OpPrecision): Float32Array {
  const s = new Float32Array(x.length);
  for (let i = 0; i < s.length; i++) s[i] = x[i] + y[i];
  if (prec.output) prec.output.array(s);
  return s;
}

/** A pre-norm transformer block: x + Attn(LN(x)), then + MLP(LN(·)). */
export class Block implements Layer {
  readonly ln1: LayerNorm;
  readonly attn: Attention;
  readonly ln2: LayerNorm;
  readonly fc1: Linear;
  readonly gelu: Gelu;
  readonly fc2: Linear;
  private shape: number[] = [];
  constructor(readonly name: string, dim: number, heads: number, hidden: number, readonly prec: (op: 'layernorm' | 'softmax' | 'gelu' | 'residual', sub: string) => OpPrecision, rng: XorShift32) {
    this.ln1 = new LayerNorm(`${name}.ln1`, dim, prec('layernorm', 'ln1'));
    this.attn = new Attention(`${name}.attn`, dim, heads, prec('softmax', 'attn'), rng);
    this.ln2 = new LayerNorm(`${name}.ln2`, dim, prec('layernorm', 'ln2'));
    this.fc1 = linear(`${name}.fc1`, dim, hidden, rng);
    this.gelu = new Gelu(`${name}.gelu`, prec('gelu', 'gelu'));
    this.fc2 = linear(`${name}.fc2`, hidden, dim, rng);
    this.res1 = prec('residual', 'res1');
    this.res2 = prec('residual', 'res2');
  }
  private readonly res1: OpPrecision;
  private readonly res2: OpPrecision;

  async forward(x: Act, ctx: RunContext, train: boolean): Promise<Act> {
    this.shape = x.shape;
    const a = await this.attn.forward(await this.ln1.forward(x), ctx);
    const x1 = residual(x.data, a.data, this.res1);
    const h = await this.ln2.forward({ data: x1, shape: x.shape });
    const m = await this.fc1.forward(rows(h), ctx);
    const g = await this.gelu.forward(m);
    const m2 = await this.fc2.forward(g, ctx);
    void train;
    return { data: residual(x1, m2.data, this.res2), shape: x.shape };
  }

  async backward(dy: Act, ctx: RunContext): Promise<Act> {
    const dg = (await this.fc2.backward(rows(dy), ctx, true))!;
    const dm = await this.gelu.backward(dg);
    const dh = (await this.fc1.backward(dm, ctx, true))!;
    const dln2 = await this.ln2.backward(dh);
    const dx1 = new Float32Array(dy.data.length);
    for (let i = 0; i < dx1.length; i++) dx1[i] = dy.data[i] + dln2.data[i];
    const da = await this.attn.backward({ data: dx1, shape: this.shape }, ctx);
    const dln1 = await this.ln1.backward(da);
    const dx = new Float32Array(dx1.length);
    for (let i = 0; i < dx.length; i++) dx[i] = dx1[i] + dln1.data[i];
    return { data: dx, shape: this.shape };
  }

  params(): Param[] { return [...this.ln1.params(), ...this.attn.params(), ...this.ln2.params(), ...this.fc1.params(), ...this.fc2.params()]; }
}

/** Mean over the tokens: [B, T, D] → [B, D]. */
export class TokenMean implements Layer {
  private shape: number[] = [];
  constructor(readonly name: string) {}
  async forward(x: Act): Promise<Act> {
    const [B, T, D] = x.shape;
    this.shape = x.shape;
    const y = new Float32Array(B * D);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) y[b * D + d] += x.data[(b * T + t) * D + d];
    for (let i = 0; i < y.length; i++) y[i] /= T;
    return { data: y, shape: [B, D] };
  }
  async backward(dy: Act): Promise<Act> {
    const [B, T, D] = this.shape;
    const dx = new Float32Array(B * T * D);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) dx[(b * T + t) * D + d] = dy.data[b * D + d] / T;
    return { data: dx, shape: this.shape };
  }
  params(): Param[] { return []; }
}

/** The ViT as a Sequential, with the rounders of its element-wise operations (for their counts). */
export class Vit extends Sequential {
  constructor(layers: Layer[], readonly options: Required<VitOptions>, readonly rounders: Rounder[]) { super(layers); }
  /** Overflows and underflows of the element-wise rounding places so far. */
  opCounts(): RoundCounts {
    const c = { overflow: 0, underflow: 0 };
    for (const r of this.rounders) addCounts(c, r);
    return c;
  }
}

/** The ViT for side×side single-channel images and `classes` outputs, initialised from `seed`. */
export function buildVit(options: VitOptions, seed: number, ops: OpsSpec = {}, side = 28, classes = 10): Vit {
  const o = checkVit(options, side);
  const rng = new XorShift32(fmix32((seed ^ 0x71d) >>> 0));
  const rounders: Rounder[] = [];
  const prec = (layer: string) => (op: 'layernorm' | 'softmax' | 'gelu' | 'residual', sub: string): OpPrecision => {
    const p = opPrecision(ops, op, `${layer}.${sub}`, seed);
    for (const r of [p.input, p.output, p.acc]) if (r) rounders.push(r);
    return p;
  };
  const layers: Layer[] = [new PatchEmbed('patch', side, o.patch, o.dim, rng)];
  for (let i = 0; i < o.depth; i++) layers.push(new Block(`blk${i}`, o.dim, o.heads, o.dim * o.mlpRatio, prec(`blk${i}`), rng));
  layers.push(new LayerNorm('norm', o.dim, prec('head')('layernorm', 'norm')), new TokenMean('mean'), linear('head', o.dim, classes, rng));
  return new Vit(layers, o, rounders);
}
