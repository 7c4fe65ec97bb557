// Optimisers of the training runs: SGD with momentum (train/nn.ts) and AdamW, whose first and
// second moments can each be kept in a low-precision format, rounded `rne` or `sr` after every
// update (the weights' own storage format is TrainOptions.weights, train/weights.ts).
//
// AdamW (Loshchilov & Hutter), decoupled weight decay on every parameter:
//   m ← β1·m + (1−β1)·g           (then rounded into the m format)
//   v ← β2·v + (1−β2)·g²          (then rounded into the v format)
//   p ← p − lr·( m/(1−β1^t) / (√(v/(1−β2^t)) + ε) + λ·p )
// The arithmetic of the update itself is float64 on the stored values; only what is stored
// between steps is rounded. Under `rne` an increment (1−β)·g below half an ulp of the stored
// moment is lost every step; `sr` keeps it in expectation.
import { ArithmeticInputError, fmix32 } from '../golden/index.ts';
import { Sgd, type Param } from './nn.ts';
import { checkRoundSpec, Rounder, type RoundCounts, type RoundSpec } from './precision.ts';

export interface AdamWSpec {
  kind: 'adamw';
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay λ. @defaultValue 0.01 */
  weightDecay?: number;
  /** Storage of the first moment; fp32 when absent. */
  m?: RoundSpec | string;
  /** Storage of the second moment; fp32 when absent. */
  v?: RoundSpec | string;
}

export interface SgdSpec { kind: 'sgd'; momentum?: number; weightDecay?: number }
export type OptimizerSpec = SgdSpec | AdamWSpec;
export const OPTIMIZERS = ['sgd', 'adamw'] as const;

export interface Optimizer {
  lr: number;
  step(params: Param[]): void;
  /** The validated specification (defaults filled in) and the state's rounding counts, for the run JSON. */
  describe(): Record<string, unknown>;
}

function num(v: unknown, field: string, lo: number, hi: number, loOpen = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (loOpen ? v <= lo : v < lo) || v >= hi) {
    throw new ArithmeticInputError(field, `must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}), got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Validates an optimiser specification (errors name the field) and fills in the defaults. */
export function checkOptimizer(s: OptimizerSpec): OptimizerSpec {
  if (s === null || typeof s !== 'object') throw new ArithmeticInputError('optimizer', 'must be an object {kind: sgd | adamw, ...}');
  if (s.kind === 'sgd') {
    for (const k of Object.keys(s)) if (!['kind', 'momentum', 'weightDecay'].includes(k)) throw new ArithmeticInputError(`optimizer.${k}`, 'unknown option for sgd (allowed: momentum, weightDecay)');
    return { kind: 'sgd', momentum: num(s.momentum ?? 0.9, 'optimizer.momentum', 0, 1), weightDecay: num(s.weightDecay ?? 0, 'optimizer.weightDecay', 0, 1) };
  }
  if (s.kind === 'adamw') {
    for (const k of Object.keys(s)) if (!['kind', 'beta1', 'beta2', 'eps', 'weightDecay', 'm', 'v'].includes(k)) throw new ArithmeticInputError(`optimizer.${k}`, 'unknown option for adamw (allowed: beta1, beta2, eps, weightDecay, m, v)');
    return {
      kind: 'adamw',
      beta1: num(s.beta1 ?? 0.9, 'optimizer.beta1', 0, 1),
      beta2: num(s.beta2 ?? 0.999, 'optimizer.beta2', 0, 1),
      eps: num(s.eps ?? 1e-8, 'optimizer.eps', 0, 1, true),
      weightDecay: num(s.weightDecay ?? 0.01, 'optimizer.weightDecay', 0, 1),
      ...(s.m !== undefined ? { m: checkRoundSpec(s.m, 'optimizer.m') } : {}),
      ...(s.v !== undefined ? { v: checkRoundSpec(s.v, 'optimizer.v') } : {}),
    };
  }
  throw new ArithmeticInputError('optimizer.kind', `must be ${OPTIMIZERS.join(' | ')}, got ${JSON.stringify((s as { kind?: unknown }).kind)}`);
}

export class AdamW implements Optimizer {
  readonly spec: Required<Omit<AdamWSpec, 'm' | 'v'>> & { m?: RoundSpec; v?: RoundSpec };
  private t = 0;
  private readonly state = new Map<Param, { m: Float32Array; v: Float32Array }>();
  private readonly mr: Rounder | null;
  private readonly vr: Rounder | null;
  constructor(public lr: number, spec: AdamWSpec, seed: number) {
    this.spec = checkOptimizer(spec) as AdamW['spec'];
    this.mr = this.spec.m ? new Rounder(this.spec.m, fmix32((seed ^ 0xada1) >>> 0)) : null;
    this.vr = this.spec.v ? new Rounder(this.spec.v, fmix32((seed ^ 0xada2) >>> 0)) : null;
  }

  step(params: Param[]): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this.spec;
    this.t++;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    const { lr, mr, vr } = this;
    for (const p of params) {
      let s = this.state.get(p);
      if (!s) this.state.set(p, (s = { m: new Float32Array(p.data.length), v: new Float32Array(p.data.length) }));
      const { m, v } = s;
      for (let i = 0; i < p.data.length; i++) {
        const g = p.grad[i];
        const mi = b1 * m[i] + (1 - b1) * g;
        const vi = b2 * v[i] + (1 - b2) * g * g;
        m[i] = mr ? mr.one(mi) : mi;
        v[i] = vr ? vr.one(vi) : vi;
        p.data[i] -= lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + eps) + wd * p.data[i]);
      }
    }
  }

  /** Overflow/underflow counts of the moments' rounding. */
  counts(): { m: RoundCounts | null; v: RoundCounts | null } {
    return { m: this.mr ? { ...this.mr.counts } : null, v: this.vr ? { ...this.vr.counts } : null };
  }

  describe(): Record<string, unknown> { return { ...this.spec, stateCounts: this.counts() }; }
}

class SgdOptimizer extends Sgd implements Optimizer {
  describe(): Record<string, unknown> { return { kind: 'sgd', momentum: this.momentum, weightDecay: this.weightDecay }; }
}

/** The optimiser of a run. */
export function makeOptimizer(spec: OptimizerSpec, lr: number, seed: number): Optimizer {
  const s = checkOptimizer(spec);
  if (s.kind === 'sgd') return new SgdOptimizer(lr, s.momentum, s.weightDecay);
  return new AdamW(lr, s, seed);
}
