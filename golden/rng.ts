// The random streams of stochastic rounding in the array (docs/arithmetic.md §4): every PE
// holds two xorshift32 generators, one for multiply rounding and one for accumulate rounding.

/** MurmurHash3's 32-bit finalizer. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A zero state would stick at zero; it is replaced by this constant. */
export const ZERO_STATE_REPLACEMENT = 0x6d2b79f5;

/** One xorshift32 step with shifts (13, 17, 5); returns the new state. */
export function xorshift32(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/** Which of a PE's two generators. */
export type Stream = 'mul' | 'acc';

/** Reset state of a PE's generator: seed ^ fmix32(2·pe + 1) (mul) or fmix32(2·pe + 2) (acc). */
export function streamSeed(seed: number, pe: number, stream: Stream): number {
  const s = (seed ^ fmix32(2 * pe + (stream === 'mul' ? 1 : 2))) >>> 0;
  return s === 0 ? ZERO_STATE_REPLACEMENT : s;
}

/** The top r bits of a state: the R of `sr` rounding. */
export function topBits(state: number, rbits: number): number {
  return state >>> (32 - rbits);
}

/** A generator as an object, for tests and the scalar MAC. */
export class XorShift32 {
  constructor(public state: number) {
    if (!Number.isInteger(state) || state < 0 || state > 0xffffffff) throw new RangeError(`state must be a uint32, got ${state}`);
    if (state === 0) this.state = ZERO_STATE_REPLACEMENT;
  }

  /** Steps once and returns the top `rbits` bits of the new state. */
  next(rbits: number): number {
    this.state = xorshift32(this.state);
    return topBits(this.state, rbits);
  }
}
