// Random float configurations for validation runs (mpsa model validate): small arrays of cheap
// formats with every pipeline the PE can be built with, so the latency model and the RTL are
// held to configurations nobody wrote by hand. Deterministic in the seed.
import { acceleratorConfig, type AcceleratorConfig, type ConfigSpec } from './config.ts';
import { MAX_ACC_STAGES, MAX_MUL_STAGES } from './pipeline.ts';

const OPERANDS = ['e2m1', 'e3m2', 'e2m3', 'e4m3', 'e5m2'] as const;
const ACCUMULATORS = ['fp16', 'bf16', 'e5m2'] as const;
const MODES = ['rne', 'rtz', 'rup', 'sr'] as const;

/** xorshift32 over a 32-bit seed; `pick(n)` is uniform enough for choosing among a few options. */
function stream(seed: number) {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return (n: number) => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % n; };
}

/** `count` random configurations named `random-<seed>-<i>`. */
export function randomConfigs(count: number, seed: number): AcceleratorConfig[] {
  const pick = stream(seed);
  const one = <T>(xs: readonly T[]) => xs[pick(xs.length)];
  const step = (fmt: string) => {
    const mode = one(MODES);
    return mode === 'sr' ? { fmt, mode, rbits: 1 + pick(12) } : { fmt, mode };
  };
  return Array.from({ length: count }, (_, i) => {
    const style = pick(2) ? 'fused' : 'separate';
    const acc = one(ACCUMULATORS);
    const spec: ConfigSpec = {
      name: `random-${seed}-${i}`, rows: 1 + pick(4), cols: 1 + pick(4), a: one(OPERANDS), b: one(OPERANDS), style,
      ...(style === 'separate' ? { mul: step(acc) } : {}), acc: step(acc),
      pipeline: { mul: pick(MAX_MUL_STAGES[style] + 1), acc: 1 + pick(MAX_ACC_STAGES) },
      ...(pick(3) === 0 ? { out: { fmt: 'e4m3', mode: 'rne' } } : {}),
    };
    return acceleratorConfig(spec);
  });
}
