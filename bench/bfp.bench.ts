// npm run bench:bfp — throughput of the BFP training GEMM (train/bfp), one JSON line per shape,
// width and quantizer mode, with golden (bfpQuantize + blockDot, BigInt) on a slice of the same
// GEMM for the ratio:
//   {"shape":"32x784x256","man":4,"mode":"sr","threads":1,"ms":…,"gmacs":…,"golden_gmacs":…,"ratio_golden":…}
// The shapes are the MLP's (batch 32): fc1 forward, fc1 grad-weight, fc1 grad-input, and 256³.
// ms counts the whole call: quantizing both fp32 operands (and transposing B) plus the MACs.
// The machine is shared: take medians of several runs and compare ratios within a run.
import { bfpDotGolden, bfpGemm, bfpGemmSpec } from '../train/bfp/index.ts';
import { median, normalish } from './support.ts';

const REPEATS = Number(process.env.MPSA_BENCH_REPEATS ?? '5');
const SHAPES: [number, number, number][] = [[32, 784, 256], [256, 32, 784], [32, 256, 784], [256, 256, 256]];

for (const [M, K, N] of SHAPES) {
  const A = Float32Array.from(normalish(M * K, 0x1234567));
  const B = Float32Array.from(normalish(K * N, 0x7654321));
  for (const man of [2, 4]) {
    for (const mode of ['rne', 'sr'] as const) {
      const arith = { ...bfpGemmSpec({ manA: man, manB: man, quantize: { a: mode, b: mode } }), seed: 1 };
      for (const threads of [1, 2]) {
        bfpGemm(A, B, M, K, N, arith, { threads });
        const times: number[] = [];
        for (let r = 0; r < REPEATS; r++) {
          const t0 = performance.now();
          bfpGemm(A, B, M, K, N, arith, { threads });
          times.push((performance.now() - t0) / 1000);
        }
        const s = median(times);
        // Golden on 16 outputs of the same GEMM after a warm-up (each output quantizes its row and
        // column, K elements each, and sums K products).
        bfpDotGolden(A, B, K, N, 0, 0, arith);
        const t0 = performance.now();
        for (let o = 0; o < 16; o++) bfpDotGolden(A, B, K, N, o % M, (o * 7) % N, arith);
        const golden = (16 * K) / ((performance.now() - t0) / 1000) / 1e9;
        const gmacs = (M * K * N) / s / 1e9;
        console.log(JSON.stringify({ shape: `${M}x${K}x${N}`, man, mode, threads, ms: +(s * 1000).toFixed(2), gmacs: +gmacs.toFixed(3), golden_gmacs: +golden.toPrecision(3), ratio_golden: Math.round(gmacs / golden) }));
      }
    }
  }
}
