// npm run bench:emu — throughput of the emu GEMM backend (train/emu), one JSON line per
// arithmetic, mode and thread count:
//   {"arith":…,"mode":"rne|sr","threads":1|2,"shape":"256x256x256","gmacs":…,"golden_gmacs":…,"ratio_golden":…}
// golden_gmacs is golden's fast path (float64 TS, golden/fast.ts) on the same arithmetic in the
// same run, on a 48×48×48 GEMM (a 256³ one takes it minutes); the first line per arithmetic also
// checks that emu and golden agree bit for bit on that GEMM. Operands are normal-ish random
// values (Irwin–Hall, σ ≈ 1) quantized rne into the operand format, as a layer's would be.
// The machine is shared: figures are medians of several runs, compare ratios within a run.
import { availableParallelism } from 'node:os';
import { gemm, macConfig, quantizeFast, type Format, type MacConfig, type MacConfigSpec } from '../golden/index.ts';
import { findCompiler } from '../train/emu/build.ts';
import { emuGemm } from '../train/emu/index.ts';

const SIZE = Number(process.env.MPSA_BENCH_SIZE ?? '256');
const REPEATS = Number(process.env.MPSA_BENCH_REPEATS ?? '5');
const GOLDEN_SIZE = 48;

/** MPTorch-like: the product is rounded into the accumulator format (separate), or fused. */
function arithmetics(mode: 'rne' | 'sr'): [string, MacConfigSpec][] {
  const step = (fmt: string) => (mode === 'sr' ? { fmt, mode, rbits: 8 } : { fmt, mode });
  return [
    ['e5m2*e5m2 mul fp16 -> fp16 separate', { a: 'e5m2', b: 'e5m2', mul: step('fp16'), acc: step('fp16'), style: 'separate' }],
    ['e5m2*e5m2 mul bf16 -> bf16 separate', { a: 'e5m2', b: 'e5m2', mul: step('bf16'), acc: step('bf16'), style: 'separate' }],
    ['e4m3*e4m3 -> fp16 fused', { a: 'e4m3', b: 'e4m3', acc: step('fp16'), style: 'fused' }],
    ['bf16*bf16 -> fp32 fused', { a: 'bf16', b: 'bf16', acc: step('fp32'), style: 'fused' }],
  ];
}

function operands(f: Format, n: number, seed: number): Uint32Array {
  const out = new Uint32Array(n);
  let s = seed;
  const uniform = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 2 ** 32; };
  for (let i = 0; i < n; i++) {
    let x = -6;
    for (let t = 0; t < 12; t++) x += uniform();
    out[i] = quantizeFast(x, f, { mode: 'rne' }).code;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median seconds of `repeats` calls after one warm-up call. */
function time(fn: () => void, repeats: number): number {
  fn();
  const t: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(t);
}

const sig = (x: number) => Number(x.toPrecision(4));
const opts = { geometry: { rows: 16, cols: 16 }, seed: 1 };

function bench(name: string, mode: string, cfg: MacConfig): void {
  const g = GOLDEN_SIZE, gs = { M: g, K: g, N: g };
  const gA = operands(cfg.a, g * g, 1), gB = operands(cfg.b, g * g, 2);
  const golden = gemm(gA, gB, gs, cfg, opts);
  const check = emuGemm(gA, gB, gs, cfg, { ...opts, threads: 1 });
  const same = golden.c.every((c, i) => c === check.c[i] && golden.flags[i] === check.flags[i]);
  if (!same) throw new Error(`emu and golden disagree on ${name} ${mode}`);
  const goldenGmacs = g ** 3 / time(() => gemm(gA, gB, gs, cfg, opts), 1) / 1e9;

  const n = SIZE, shape = { M: n, K: n, N: n };
  const A = operands(cfg.a, n * n, 3), B = operands(cfg.b, n * n, 4);
  for (const threads of [1, 2]) {
    const s = time(() => emuGemm(A, B, shape, cfg, { ...opts, threads }), REPEATS);
    const gmacs = n ** 3 / s / 1e9;
    console.log(JSON.stringify({ arith: name, mode, threads, shape: `${n}x${n}x${n}`, gmacs: sig(gmacs), golden_gmacs: sig(goldenGmacs), ratio_golden: Math.round(gmacs / goldenGmacs) }));
  }
}

console.error(`emu bench: ${findCompiler().version}, ${availableParallelism()} CPUs, ${REPEATS} runs per figure (median)`);
for (const mode of ['rne', 'sr'] as const) {
  for (const [name, spec] of arithmetics(mode)) bench(name, mode, macConfig(spec));
}
