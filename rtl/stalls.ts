// Host stall patterns: in each cycle the host offers the next operand beat with probability
// `inValid` and takes a result beat with probability `outReady`. One xorshift stream decides,
// drawing in a fixed order per cycle (the offer first, only while beats remain; then the
// acceptance), so the driver and the latency model (model/latency.ts) see the same pattern.

export interface StallPattern {
  inValid: number;
  outReady: number;
  /** Seed of the pattern's random stream. */
  seed: number;
}

export function checkStalls(s: StallPattern | undefined): void {
  if (!s) return;
  for (const [k, p] of [['inValid', s.inValid], ['outReady', s.outReady]] as const) {
    if (!(p > 0 && p <= 1)) throw new RangeError(`stalls.${k}: must be a probability in (0, 1], got ${p}`);
  }
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 0xffffffff) throw new RangeError(`stalls.seed: must be a uint32, got ${s.seed}`);
}

/** The per-cycle decisions of a stall pattern (no stalls: always offer, always accept). */
export function stallDecider(s: StallPattern | undefined): { offer(): boolean; accept(): boolean } {
  if (!s) return { offer: () => true, accept: () => true };
  let x = s.seed >>> 0 || 0x9e3779b9;
  const next = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
  return { offer: () => next() < s.inValid, accept: () => next() < s.outReady };
}
