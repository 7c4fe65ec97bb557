// npm run bench:emu — throughput of the emu GEMM backend (train/emu), one JSON line per
// arithmetic, mode and thread count:
//   {"arith":…,"mode":"rne|sr","threads":1|2,"shape":"256x256x256","gmacs":…,"kernel":"vector|scalar",
//    "scalar_gmacs":…,"ratio_scalar":…,"golden_gmacs":…,"ratio_golden":…,"load1":…}
// gmacs is the default kernel (`kernel` says which ran: the AVX-512 float32 one where it applies);
// scalar_gmacs is the scalar kernel (kernel: 'scalar', the previous one, what a CPU without
// AVX-512 runs) timed in the same run, interleaved with it, and ratio_scalar = gmacs/scalar_gmacs.
// With one thread, cpu_gmacs and scalar_cpu_gmacs divide by the process's CPU time instead of
// wall time. load1 is the 1-minute load average when the line was measured (the machine is shared).
// golden_gmacs is golden's fast path (float64 TS, golden/fast.ts) on the same arithmetic in the
// same run, on a 48×48×48 GEMM (a 256³ one takes it minutes); the first line per arithmetic also
// checks that emu and golden agree bit for bit on that GEMM. Operands are normal-ish random
// values (Irwin–Hall, σ ≈ 1) quantized rne into the operand format, as a layer's would be.
// The machine is shared: figures are medians of several runs, compare ratios within a run.
import { availableParallelism, loadavg } from 'node:os';
import { gemm, macConfig, quantizeFast, type Format, type MacConfig, type MacConfigSpec } from '../golden/index.ts';
import { findCompiler } from '../train/emu/build.ts';
import { emuGemm, emuLastKernel, emuVectorAvailable } from '../train/emu/index.ts';
import { median, normalish } from './support.ts';

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
    // Exact (Kulisch) and Kahan accumulation (docs/arithmetic.md §5.1-5.2): their own kernels.
    ['e4m3*e4m3 -> e6m4 fused kahan', { a: 'e4m3', b: 'e4m3', acc: step('e6m4'), style: 'fused', kahan: true }],
    ['e4m3*e4m3 -> e6m4 exact', { a: 'e4m3', b: 'e4m3', acc: step('e6m4'), style: 'exact' }],
  ];
}

function operands(f: Format, n: number, seed: number): Uint32Array {
  return Uint32Array.from(normalish(n, seed), (x) => quantizeFast(x, f, { mode: 'rne' }).code);
}

/**
 * Median wall seconds and median process CPU seconds (user + system) of `repeats` calls of each
 * function, after one warm-up call each, interleaved.
 */
function times(fns: (() => void)[], repeats: number): { wall: number; cpu: number }[] {
  for (const fn of fns) fn();
  const t: number[][] = fns.map(() => []);
  const c: number[][] = fns.map(() => []);
  for (let r = 0; r < repeats; r++) {
    fns.forEach((fn, i) => {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      fn();
      t[i].push(Number(process.hrtime.bigint() - t0) / 1e9);
      const dc = process.cpuUsage(c0);
      c[i].push((dc.user + dc.system) / 1e6);
    });
  }
  return t.map((w, i) => ({ wall: median(w), cpu: median(c[i]) }));
}

const time = (fn: () => void, repeats: number): number => times([fn], repeats)[0].wall;

const sig = (x: number) => Number(x.toPrecision(4));
const opts = { geometry: { rows: 16, cols: 16 }, seed: 1 };

function bench(name: string, mode: string, cfg: MacConfig): void {
  const g = GOLDEN_SIZE, gs = { M: g, K: g, N: g };
  const gA = operands(cfg.a, g * g, 1), gB = operands(cfg.b, g * g, 2);
  const golden = gemm(gA, gB, gs, cfg, opts);
  for (const kernel of ['auto', 'scalar'] as const) {
    const check = emuGemm(gA, gB, gs, cfg, { ...opts, threads: 1, kernel });
    const same = golden.c.every((c, i) => c === check.c[i] && golden.flags[i] === check.flags[i]);
    if (!same) throw new Error(`emu (kernel ${kernel}) and golden disagree on ${name} ${mode}`);
  }
  const goldenGmacs = g ** 3 / time(() => gemm(gA, gB, gs, cfg, opts), 1) / 1e9;

  const n = SIZE, shape = { M: n, K: n, N: n };
  const A = operands(cfg.a, n * n, 3), B = operands(cfg.b, n * n, 4);
  for (const threads of [1, 2]) {
    emuGemm(A, B, shape, cfg, { ...opts, threads });
    const kernel = emuLastKernel();
    const [s, sOld] = times([
      () => emuGemm(A, B, shape, cfg, { ...opts, threads }),
      () => emuGemm(A, B, shape, cfg, { ...opts, threads, kernel: 'scalar' }),
    ], REPEATS);
    const gmacs = n ** 3 / s.wall / 1e9, old = n ** 3 / sOld.wall / 1e9;
    // One thread: MACs per CPU second as well, the per-core rate with the time the scheduler
    // gave other processes taken out (the machine is shared).
    const cpu = threads === 1 ? { cpu_gmacs: sig(n ** 3 / s.cpu / 1e9), scalar_cpu_gmacs: sig(n ** 3 / sOld.cpu / 1e9) } : {};
    console.log(JSON.stringify({
      arith: name, mode, threads, shape: `${n}x${n}x${n}`, gmacs: sig(gmacs), kernel, scalar_gmacs: sig(old), ratio_scalar: sig(gmacs / old),
      ...cpu, golden_gmacs: sig(goldenGmacs), ratio_golden: Math.round(gmacs / goldenGmacs), load1: sig(loadavg()[0]),
    }));
  }
}

console.error(`emu bench: ${findCompiler().version}, ${availableParallelism()} CPUs, AVX-512 kernel ${emuVectorAvailable() ? 'available' : 'not available'}, ${REPEATS} runs per figure (median), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
for (const mode of ['rne', 'sr'] as const) {
  for (const [name, spec] of arithmetics(mode)) bench(name, mode, macConfig(spec));
}
console.error(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
