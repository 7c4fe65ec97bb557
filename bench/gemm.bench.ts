// npm run bench:gemm — GEMM throughput per configuration, one JSON line each:
//   {"config":…,"shape":…,"rtl_macs":…,"golden_macs":…,"cycles":…,"macs_per_cycle":…}
// rtl_macs: simulated offload through the harness (model built beforehand, not timed);
// golden_macs: the golden model's fast path on the same GEMM in the same run.
import { gemm } from '../golden/index.ts';
import { loadConfigs } from '../rtl/config.ts';
import { gemmModel, offload } from '../rtl/offload.ts';

const only = process.argv[2];
const sig = (x: number) => Number(x.toPrecision(4));

function operands(n: number, span: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s % span; });
}

for (const cfg of loadConfigs()) {
  if (only && cfg.name !== only) continue;
  const M = 4 * cfg.rows, K = 128, N = 4 * cfg.cols;
  const A = operands(M * K, 2 * cfg.mac.a.signBit, 1);
  const B = operands(K * N, 2 * cfg.mac.b.signBit, 2);
  process.stderr.write(`${cfg.name}: building model…\n`);
  await gemmModel(cfg);
  const macs = M * K * N;
  let t = performance.now();
  const r = await offload(A, B, { M, K, N }, cfg, { seed: 7 });
  const rtlS = (performance.now() - t) / 1000;
  const opts = { out: cfg.out, geometry: { rows: cfg.rows, cols: cfg.cols }, seed: 7 };
  gemm(A, B, { M, K, N }, cfg.mac, opts); // warm-up
  t = performance.now();
  let reps = 0;
  do { gemm(A, B, { M, K, N }, cfg.mac, opts); reps++; } while (performance.now() - t < 500);
  const goldenS = (performance.now() - t) / 1000 / reps;
  console.log(JSON.stringify({
    config: cfg.name, shape: `${M}x${K}x${N}`, rtl_macs: sig(macs / rtlS), golden_macs: sig(macs / goldenS),
    cycles: r.cycles, macs_per_cycle: sig(macs / r.cycles),
  }));
}
