// Low-precision weight storage: after every SGD step the weights are rounded into a stored
// format (`rne` or `sr`), as an accelerator that keeps its weights in that format would. The
// momentum buffer stays fp32. This is the classic place where stochastic rounding matters: an
// update lr·v smaller than half an ulp of w is dropped by `rne` every time, while `sr` applies it
// with probability |lr·v| / ulp, so the expected weight follows the fp32 trajectory.
import { ArithmeticInputError, decodeFast, fmix32, format, quantizeFast, XorShift32, FLAG_OVERFLOW, FLAG_UNDERFLOW, type Format, type Mode } from '../golden/index.ts';
import { checkRbits } from '../golden/rounding.ts';

export interface WeightStorageSpec {
  /** Stored weight format (any golden format name, e.g. bf16, fp16, e5m6). */
  fmt: string;
  /** Rounding of the stored weights: rne, or sr with `rbits` random bits per weight. */
  mode: 'rne' | 'sr';
  /** Random bits for sr. @defaultValue 8 */
  rbits?: number;
}

export interface WeightStorage {
  /** The validated specification (rbits filled in for sr, absent for rne). */
  readonly spec: WeightStorageSpec;
  /** Rounds every element of `data` into the stored format in place; returns how many overflowed. */
  store(data: Float32Array): { overflow: number; underflow: number };
}

/** Parses `FMT:MODE[:RBITS]` (CLI form), e.g. `bf16:sr`, `bf16:rne`, `e5m6:sr:4`. */
export function parseWeightStorage(text: string): WeightStorageSpec {
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new ArithmeticInputError('weights', `expected FMT:rne or FMT:sr[:RBITS] (e.g. bf16:sr), got ${JSON.stringify(text)}`);
  }
  const [fmt, mode, rbits] = parts;
  if (mode !== 'rne' && mode !== 'sr') throw new ArithmeticInputError('weights', `mode must be rne or sr, got ${JSON.stringify(mode)}`);
  if (rbits !== undefined && mode !== 'sr') throw new ArithmeticInputError('weights', `random bits only go with sr, got ${JSON.stringify(text)}`);
  return { fmt, mode, ...(rbits === undefined ? {} : { rbits: Number(rbits) }) };
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
  const full: WeightStorageSpec = spec.mode === 'sr' ? { fmt: spec.fmt, mode: 'sr', rbits } : { fmt: spec.fmt, mode: 'rne' };
  const rng = new XorShift32(fmix32((seed ^ 0x3e1647) >>> 0));
  const mode: Mode = spec.mode;
  return {
    spec: full,
    store(data) {
      let overflow = 0;
      let underflow = 0;
      for (let i = 0; i < data.length; i++) {
        const r = mode === 'sr' ? quantizeFast(data[i], f, { mode, rbits, rand: rng.next(rbits) }) : quantizeFast(data[i], f, { mode });
        if (r.flags & FLAG_OVERFLOW) overflow++;
        if (r.flags & FLAG_UNDERFLOW) underflow++;
        data[i] = decodeFast(r.code, f);
      }
      return { overflow, underflow };
    },
  };
}
