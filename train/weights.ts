// Low-precision weight storage: after every SGD step the weights are rounded into a stored
// format (`rne` or `sr`), as an accelerator that keeps its weights in that format would. The
// momentum buffer stays fp32. This is the classic place where stochastic rounding matters: an
// update lr·v smaller than half an ulp of w is dropped by `rne` every time, while `sr` applies it
// with probability |lr·v| / ulp, so the expected weight follows the fp32 trajectory.
//
// With `kahan` the update is applied with compensated summation instead (docs/training.md,
// "Kahan-compensated weight updates"): a compensation c per weight, stored in the same format,
// carries what the rounding of w dropped into the next step. With u the step's update (the
// optimiser's fp32 result minus the stored weight) and every rounding into the stored format in
// its mode (computed in float64, then rounded):
//   y = round(u − c);  t = round(w + y);  c = round(round(t − w) − y)  (+0 if t is not finite);  w = t
// Under sr each weight draws four words, in that order.
import { ArithmeticInputError, decodeFast, fmix32, format, quantizeFast, XorShift32, FLAG_OVERFLOW, FLAG_UNDERFLOW, type Format, type Mode } from '../golden/index.ts';
import { checkRbits } from '../golden/rounding.ts';

export interface WeightStorageSpec {
  /** Stored weight format (any golden format name, e.g. bf16, fp16, e5m6). */
  fmt: string;
  /** Rounding of the stored weights: rne, or sr with `rbits` random bits per weight. */
  mode: 'rne' | 'sr';
  /** Random bits for sr. @defaultValue 8 */
  rbits?: number;
  /** Apply each update with Kahan compensation (a compensation per weight in the same format). */
  kahan?: boolean;
}

export interface WeightStorage {
  /** The validated specification (rbits filled in for sr, absent for rne). */
  readonly spec: WeightStorageSpec;
  /**
   * Rounds every element of `data` into the stored format in place; returns how many overflowed.
   * With `kahan`, `data` is one parameter's weights, always the same array: its first call stores
   * them, every later one applies the difference from the stored weights as a compensated update.
   */
  store(data: Float32Array): { overflow: number; underflow: number };
}

/** Parses `FMT:MODE[:RBITS][:kahan]` (CLI form), e.g. `bf16:sr`, `bf16:rne`, `e5m6:sr:4`, `e8m4:rne:kahan`. */
export function parseWeightStorage(text: string): WeightStorageSpec {
  const parts = text.split(':');
  const kahan = parts.length >= 3 && parts[parts.length - 1] === 'kahan';
  if (kahan) parts.pop();
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new ArithmeticInputError('weights', `expected FMT:rne or FMT:sr[:RBITS], optionally followed by :kahan (e.g. bf16:sr, e8m4:rne:kahan), got ${JSON.stringify(text)}`);
  }
  const [fmt, mode, rbits] = parts;
  if (mode !== 'rne' && mode !== 'sr') throw new ArithmeticInputError('weights', `mode must be rne or sr, got ${JSON.stringify(mode)}`);
  if (rbits !== undefined && mode !== 'sr') throw new ArithmeticInputError('weights', `random bits only go with sr, got ${JSON.stringify(text)}`);
  return { fmt, mode, ...(rbits === undefined ? {} : { rbits: Number(rbits) }), ...(kahan ? { kahan: true } : {}) };
}

const F64 = new Float64Array(1);
const HI32 = new Uint32Array(F64.buffer, 4, 1); // the high word of F64[0] (little-endian hosts)

/**
 * rne into f where it is a plain integer rounding: 2^emin ≤ |x| ≤ max (no underflow, no overflow,
 * no flag but `inexact`); null elsewhere (the caller asks golden's quantizeFast). |x| / ulp is
 * exact (a power-of-two scaling), so the result is golden's bit for bit (weights.test.ts).
 */
export function rneNormal(f: Format): (x: number) => number | null {
  const lo = 2 ** f.emin, hi = f.maxValue, man = f.man;
  return (x) => {
    const a = Math.abs(x);
    if (!(a >= lo && a <= hi)) return null;
    F64[0] = a;
    const ulp = 2 ** (((HI32[0] >>> 20) & 0x7ff) - 1023 - man);
    const q = a / ulp;
    let k = Math.floor(q);
    const fr = q - k;
    if (fr > 0.5 || (fr === 0.5 && k % 2 === 1)) k++;
    const r = k * ulp;
    return x < 0 ? -r : r;
  };
}

/**
 * Validates a weight storage specification. The `sr` stream is a xorshift32 seeded from the run
 * seed, stepped once per stored weight in parameter order, so a run is reproducible.
 */
export function weightStorage(spec: WeightStorageSpec, seed: number): WeightStorage {
  if (spec === null || typeof spec !== 'object') throw new ArithmeticInputError('weights', 'must be an object {fmt, mode, rbits?}');
  const f: Format = format(spec.fmt, 'weights.fmt');
  // Every named format (at most e8m23, IEEE specials) is a subset of fp32, so the stored values
  // fit the Float32Arrays the weights live in.
  if (spec.mode !== 'rne' && spec.mode !== 'sr') throw new ArithmeticInputError('weights.mode', `must be rne or sr, got ${JSON.stringify(spec.mode)}`);
  if (spec.mode === 'rne' && spec.rbits !== undefined) throw new ArithmeticInputError('weights.rbits', "only allowed with mode 'sr'");
  const rbits = spec.mode === 'sr' ? checkRbits(spec.rbits ?? 8, 'weights.rbits') : 1;
  if (spec.kahan !== undefined && typeof spec.kahan !== 'boolean') throw new ArithmeticInputError('weights.kahan', `must be true or false, got ${JSON.stringify(spec.kahan)}`);
  const kahan = spec.kahan === true;
  const full: WeightStorageSpec = { ...(spec.mode === 'sr' ? { fmt: spec.fmt, mode: 'sr', rbits } : { fmt: spec.fmt, mode: 'rne' }), ...(kahan ? { kahan } : {}) };
  const rng = new XorShift32(fmix32((seed ^ 0x3e1647) >>> 0));
  const mode: Mode = spec.mode;
  const counts = { overflow: 0, underflow: 0 };
  const near = rneNormal(f);
  /** x rounded into f (counting its overflow and underflow), as a double. */
  const round = (x: number): number => {
    if (mode === 'rne') {
      const v = near(x);
      if (v !== null) return v;
    }
    const r = mode === 'sr' ? quantizeFast(x, f, { mode, rbits, rand: rng.next(rbits) }) : quantizeFast(x, f, { mode });
    if (r.flags & FLAG_OVERFLOW) counts.overflow++;
    if (r.flags & FLAG_UNDERFLOW) counts.underflow++;
    return decodeFast(r.code, f);
  };
  // Kahan: the stored weights and compensations of each parameter array.
  const state = new Map<Float32Array, { w: Float64Array; c: Float64Array }>();
  return {
    spec: full,
    store(data) {
      counts.overflow = 0;
      counts.underflow = 0;
      const st = kahan ? state.get(data) : undefined;
      if (kahan && st === undefined) {
        const w = new Float64Array(data.length);
        for (let i = 0; i < data.length; i++) data[i] = w[i] = round(data[i]);
        state.set(data, { w, c: new Float64Array(data.length) });
      } else if (st) {
        const { w, c } = st;
        for (let i = 0; i < data.length; i++) {
          const y = round(data[i] - w[i] - c[i]);
          const t = round(w[i] + y);
          if (Number.isFinite(t)) {
            const d = round(t - w[i]);
            c[i] = round(d - y);
          } else {
            if (mode === 'sr') { rng.next(rbits); rng.next(rbits); } // the draws of t − w and c, taken all the same
            c[i] = 0;
          }
          data[i] = w[i] = t;
        }
      } else {
        for (let i = 0; i < data.length; i++) data[i] = round(data[i]);
      }
      return { ...counts };
    },
  };
}
