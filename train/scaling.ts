// Scaling for low-precision training.
//
// Loss scaling: the gradient of the loss is multiplied by S before the backward pass, so that
// small gradients stay above the underflow threshold of the gradient formats; the parameter
// gradients are divided by S before the optimiser step. Static: S fixed. Dynamic: when a gradient
// is not finite (an overflow somewhere in the backward pass), the step is skipped and S halves;
// after `growthInterval` good steps in a row S doubles. S is a power of two, so scaling and
// unscaling a float32 are exact (short of float32's own range).
//
// Per-tensor scaling (delayed scaling, as NVIDIA's Transformer Engine does it for FP8): each GEMM
// operand in a format of at most 8 bits is multiplied by 2^e before it is quantized, where e is
// chosen from the largest |x| seen over the last `history` uses of that operand (the layer, role
// and operand), so that this amax lands just below the format's largest finite value (less
// `margin` binades). The GEMM's result is multiplied by 2^−(eA+eB). Powers of two make the scaling
// itself exact. Values that exceed the format's range after scaling (the current amax is larger
// than the history's) are clipped to ±max ("saturations", counted).
import { ArithmeticInputError, format } from '../golden/index.ts';
import type { GemmArith } from './gemm.ts';

export interface LossScaleSpec {
  kind: 'static' | 'dynamic';
  /** Initial (static: the) scale, a power of two. @defaultValue 2^15 for dynamic, 2^10 for static */
  init?: number;
  /** Dynamic: good steps in a row before the scale doubles. @defaultValue 200 */
  growthInterval?: number;
}

export interface LossScaleStats { kind: 'static' | 'dynamic'; init: number; growthInterval?: number; finalScale: number; skippedSteps: number; minScale: number; maxScale: number }

const isPow2 = (x: number) => Number.isFinite(x) && x > 0 && 2 ** Math.round(Math.log2(x)) === x;

/** Parses `static[:S]` or `dynamic[:S[:INTERVAL]]`. */
export function parseLossScale(text: string): LossScaleSpec {
  const [kind, init, interval, ...rest] = text.split(':');
  if ((kind !== 'static' && kind !== 'dynamic') || rest.length || (kind === 'static' && interval !== undefined)) {
    throw new ArithmeticInputError('--loss-scale', `expected static[:S] or dynamic[:S[:INTERVAL]] (S a power of two), got ${JSON.stringify(text)}`);
  }
  return checkLossScale({ kind, ...(init ? { init: Number(init) } : {}), ...(interval ? { growthInterval: Number(interval) } : {}) });
}

export function checkLossScale(s: LossScaleSpec): LossScaleSpec {
  if (s === null || typeof s !== 'object') throw new ArithmeticInputError('lossScale', 'must be an object {kind, init?, growthInterval?}');
  for (const k of Object.keys(s)) if (!['kind', 'init', 'growthInterval'].includes(k)) throw new ArithmeticInputError(`lossScale.${k}`, 'unknown field (allowed: kind, init, growthInterval)');
  if (s.kind !== 'static' && s.kind !== 'dynamic') throw new ArithmeticInputError('lossScale.kind', `must be static or dynamic, got ${JSON.stringify(s.kind)}`);
  const init = s.init ?? (s.kind === 'dynamic' ? 2 ** 15 : 2 ** 10);
  if (!isPow2(init) || init < 2 ** -60 || init > 2 ** 60) throw new ArithmeticInputError('lossScale.init', `must be a power of two in 2^-60..2^60, got ${JSON.stringify(s.init)}`);
  if (s.kind === 'static') {
    if (s.growthInterval !== undefined) throw new ArithmeticInputError('lossScale.growthInterval', 'only for kind dynamic');
    return { kind: 'static', init };
  }
  const g = s.growthInterval ?? 200;
  if (!Number.isInteger(g) || g < 1) throw new ArithmeticInputError('lossScale.growthInterval', `must be a positive integer, got ${JSON.stringify(s.growthInterval)}`);
  return { kind: 'dynamic', init, growthInterval: g };
}

export class LossScaler {
  scale: number;
  skipped = 0;
  private good = 0;
  private min: number;
  private max: number;
  readonly spec: LossScaleSpec;
  constructor(spec: LossScaleSpec) {
    this.spec = checkLossScale(spec);
    this.scale = this.spec.init!;
    this.min = this.max = this.scale;
  }

  /**
   * After the backward pass: true if the step should be taken (then the gradients have been
   * divided by the scale); false if a gradient was not finite (dynamic: the step is skipped and
   * the scale halves; static: the step is skipped too — a non-finite update would destroy the
   * weights).
   */
  unscale(grads: Float32Array[]): boolean {
    let finite = true;
    for (const g of grads) {
      for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) { finite = false; break; }
      if (!finite) break;
    }
    if (!finite) {
      this.skipped++;
      this.good = 0;
      if (this.spec.kind === 'dynamic') { this.scale = Math.max(2 ** -60, this.scale / 2); this.min = Math.min(this.min, this.scale); }
      return false;
    }
    const inv = 1 / this.scale;
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= inv;
    if (this.spec.kind === 'dynamic' && ++this.good >= this.spec.growthInterval!) {
      this.good = 0;
      this.scale = Math.min(2 ** 60, this.scale * 2);
      this.max = Math.max(this.max, this.scale);
    }
    return true;
  }

  stats(): LossScaleStats {
    return { kind: this.spec.kind, init: this.spec.init!, ...(this.spec.growthInterval ? { growthInterval: this.spec.growthInterval } : {}), finalScale: this.scale, skippedSteps: this.skipped, minScale: this.min, maxScale: this.max };
  }
}

export interface TensorScalingSpec {
  /** Uses of an operand whose amax the scale is chosen from. @defaultValue 16 */
  history?: number;
  /** Binades kept free below the format's largest value. @defaultValue 0 */
  margin?: number;
}

export function checkTensorScaling(s: TensorScalingSpec): Required<TensorScalingSpec> {
  if (s === null || typeof s !== 'object') throw new ArithmeticInputError('tensorScaling', 'must be an object {history?, margin?}');
  for (const k of Object.keys(s)) if (!['history', 'margin'].includes(k)) throw new ArithmeticInputError(`tensorScaling.${k}`, 'unknown field (allowed: history, margin)');
  const history = s.history ?? 16;
  const margin = s.margin ?? 0;
  if (!Number.isInteger(history) || history < 1 || history > 1024) throw new ArithmeticInputError('tensorScaling.history', `must be an integer in 1..1024, got ${JSON.stringify(s.history)}`);
  if (!Number.isInteger(margin) || margin < 0 || margin > 32) throw new ArithmeticInputError('tensorScaling.margin', `must be an integer in 0..32, got ${JSON.stringify(s.margin)}`);
  return { history, margin };
}

/** Parses `amax[:HISTORY[:MARGIN]]`. */
export function parseTensorScaling(text: string): TensorScalingSpec {
  const [kind, h, m, ...rest] = text.split(':');
  if (kind !== 'amax' || rest.length) throw new ArithmeticInputError('--tensor-scaling', `expected amax[:HISTORY[:MARGIN]], got ${JSON.stringify(text)}`);
  return checkTensorScaling({ ...(h ? { history: Number(h) } : {}), ...(m ? { margin: Number(m) } : {}) });
}

export interface TensorScalingStats { history: number; margin: number; saturations: number; scaledOperands: number; exponents: Record<string, number> }

function amaxOf(x: Float32Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) { const v = Math.abs(x[i]); if (v > m) m = v; }
  return m;
}

/** The delayed per-tensor scaler of a run; RunContext.gemm calls `scaleOperands` around each GEMM. */
export class TensorScaler {
  readonly spec: Required<TensorScalingSpec>;
  saturations = 0;
  private scaled = 0;
  private readonly hist = new Map<string, number[]>();
  private readonly last = new Map<string, number>();
  constructor(spec: TensorScalingSpec) { this.spec = checkTensorScaling(spec); }

  /** 2^e for operand `key` in format of largest value `max`, from its history (the current amax if empty); records the current amax. */
  private exponent(key: string, x: Float32Array, max: number): number {
    const cur = amaxOf(x);
    let h = this.hist.get(key);
    if (!h) this.hist.set(key, (h = []));
    const ref = h.length ? Math.max(...h) : cur;
    h.push(cur);
    if (h.length > this.spec.history) h.shift();
    if (!(ref > 0) || !Number.isFinite(ref)) return 0;
    // Largest e with ref·2^e ≤ max·2^−margin.
    let e = Math.floor(Math.log2(max / ref)) - this.spec.margin;
    if (ref * 2 ** e > max * 2 ** -this.spec.margin) e--;
    return Math.max(-100, Math.min(100, e));
  }

  private apply(key: string, x: Float32Array, max: number): { x: Float32Array; e: number } {
    const e = this.exponent(key, x, max);
    this.last.set(key, e);
    this.scaled++;
    const s = 2 ** e;
    const y = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i] * s;
      if (v > max) { y[i] = max; this.saturations++; } else if (v < -max) { y[i] = -max; this.saturations++; } else y[i] = v;
    }
    return { x: y, e };
  }

  /**
   * Scaled operands of a GEMM (only those in formats of ≤ 8 bits) and the factor its result is
   * multiplied by. Block floating point GEMMs have their own scales and are left alone.
   */
  scaleOperands(key: string, arith: GemmArith, a: Float32Array, b: Float32Array): { a: Float32Array; b: Float32Array; unscale: number } {
    const { mac } = arith;
    let ea = 0, eb = 0;
    if (mac.a.width <= 8) ({ x: a, e: ea } = this.apply(`${key}/a`, a, mac.a.maxValue));
    if (mac.b.width <= 8) ({ x: b, e: eb } = this.apply(`${key}/b`, b, mac.b.maxValue));
    return { a, b, unscale: 2 ** -(ea + eb) };
  }

  stats(): TensorScalingStats {
    return { ...this.spec, saturations: this.saturations, scaledOperands: this.scaled, exponents: Object.fromEntries(this.last) };
  }
}

/** Largest finite value of a named format (for messages and tests). */
export const maxOf = (name: string): number => format(name, 'fmt').maxValue;
