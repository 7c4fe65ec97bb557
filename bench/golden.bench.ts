// npm run bench:golden — throughput of the golden model, one JSON line per measurement:
//   {"bench":"scalar","op":…,"fmt":…,"mode":…,"fast_ops":…,"exact_ops":…,"ratio_fast_exact":…}
//   {"bench":"gemm","config":…,"shape":…,"fast_macs":…,"exact_macs":…,"ratio_fast_exact":…}
// The anchor measured in the same run is the exact BigInt path (MPTorch's CPU kernel, the
// issue's external anchor, cannot run on this machine). Single thread; the machine is shared,
// so compare ratios, not absolute figures across runs.
import { addExact, addFast, convertExact, convertFast, fmaExact, fmaFast, format, gemm, macConfig, mulExact, mulFast, type Format, type MacConfigSpec, type Rounding } from '../golden/index.ts';

const argSeconds = Number(process.env.MPSA_BENCH_SECONDS ?? '0.5');

/** Runs fn(i) repeatedly for about `seconds` (after a warm-up of a fifth of that), returns calls per second. */
function rate(fn: (i: number) => void, seconds = argSeconds): number {
  const run = (limitS: number): [number, number] => {
    const limit = BigInt(Math.round(limitS * 1e9));
    const t0 = process.hrtime.bigint();
    let n = 0, batch = 1;
    let elapsed = 0n;
    while (elapsed < limit) {
      for (let i = 0; i < batch; i++) fn(n + i);
      n += batch;
      if (batch < 1000) batch *= 2; // slow calls (a whole GEMM) are timed one at a time
      elapsed = process.hrtime.bigint() - t0;
    }
    return [n, Number(elapsed) / 1e9];
  };
  run(seconds / 5); // warm-up: JIT and caches
  const [n, s] = run(seconds);
  return n / s;
}

/** A fixed pseudo-random pool of codes (xorshift, deterministic across runs). */
function pool(f: Format, n = 4096): Uint32Array {
  const out = new Uint32Array(n);
  let s = 0x12345678;
  const span = 2 * f.signBit;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 0) % span;
  }
  return out;
}

const sig = (x: number) => Number(x.toPrecision(4));

function scalar(): void {
  const cases: [string, Rounding][] = [['e4m3', { mode: 'rne' }], ['bf16', { mode: 'rne' }], ['fp32', { mode: 'rne' }], ['bf16', { mode: 'sr', rbits: 8, rand: 77 }]];
  for (const [name, r] of cases) {
    const f = format(name);
    const a = pool(f), b = pool(f).reverse(), c = pool(f).map((x) => x ^ 1);
    const m = 4095;
    const ops: [string, (i: number) => void, (i: number) => void][] = [
      ['convert', (i) => convertFast(a[i & m], format('fp32'), f, r), (i) => convertExact(a[i & m], f, f, r)],
      ['mul', (i) => mulFast(a[i & m], f, b[i & m], f, f, r), (i) => mulExact(a[i & m], f, b[i & m], f, f, r)],
      ['add', (i) => addFast(a[i & m], f, b[i & m], f, f, r), (i) => addExact(a[i & m], f, b[i & m], f, f, r)],
      ['fma', (i) => fmaFast(a[i & m], f, b[i & m], f, c[i & m], f, f, r), (i) => fmaExact(a[i & m], f, b[i & m], f, c[i & m], f, f, r)],
    ];
    for (const [op, fast, exact] of ops) {
      if (op === 'convert' && f.width > 16) continue;
      const fastOps = rate(op === 'convert' ? (i) => convertFast(a[i & m], f, f, r) : fast);
      const exactOps = rate(exact);
      console.log(JSON.stringify({ bench: 'scalar', op, fmt: name, mode: r.mode, fast_ops: sig(fastOps), exact_ops: sig(exactOps), ratio_fast_exact: sig(fastOps / exactOps) }));
    }
  }
}

function gemms(): void {
  const configs: [string, MacConfigSpec][] = [
    ['e5m2*e5m2->fp16 separate rne', { a: 'e5m2', b: 'e5m2', mul: { fmt: 'e5m2', mode: 'rne' }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' }],
    ['e5m2*e5m2->fp16 separate sr', { a: 'e5m2', b: 'e5m2', mul: { fmt: 'e5m2', mode: 'sr', rbits: 8 }, acc: { fmt: 'fp16', mode: 'sr', rbits: 8 }, style: 'separate' }],
    ['e4m3*e4m3->fp32 fused rne', { a: 'e4m3', b: 'e4m3', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused' }],
    ['bf16*bf16->bf16 fused sr', { a: 'bf16', b: 'bf16', acc: { fmt: 'bf16', mode: 'sr', rbits: 8 }, style: 'fused' }],
  ];
  const shape = { M: 32, K: 64, N: 32 };
  for (const [name, spec] of configs) {
    const cfg = macConfig(spec);
    const A = pool(cfg.a, shape.M * shape.K), B = pool(cfg.b, shape.K * shape.N);
    const opts = { geometry: { rows: 8, cols: 8 }, seed: 1 };
    const macs = shape.M * shape.K * shape.N;
    const fast = rate(() => gemm(A, B, shape, cfg, { ...opts, path: 'fast' }), argSeconds * 2) * macs;
    const exact = rate(() => gemm(A, B, shape, cfg, { ...opts, path: 'exact' }), argSeconds * 2) * macs;
    console.log(JSON.stringify({ bench: 'gemm', config: name, shape: `${shape.M}x${shape.K}x${shape.N}`, fast_macs: sig(fast), exact_macs: sig(exact), ratio_fast_exact: sig(fast / exact) }));
  }
}

scalar();
gemms();
