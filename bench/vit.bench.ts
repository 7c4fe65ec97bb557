// npm run bench:vit — throughput of the ViT's parts, one JSON line each:
//   {"part":…,"arith":…,"backend":…,"shape":…,"per_s":…,"unit":…}
// attention: one Attention layer's forward + backward over a batch (per image and head: Q·Kᵀ,
// A·V forward; dA, dVᵀ, dQ, dK backward — six GEMMs — plus the qkv and proj Linear GEMMs), in
// images per second and attention-product MACs per second; element-wise: LayerNorm, softmax
// rows and GELU forward in values per second, fp32 and with bf16 rounding places; step: a whole
// ViT training step (batch 32, default shape) in images per second.
// MPSA_BENCH_SECONDS (default 1) is the time spent per measurement.
import { XorShift32 } from '../golden/index.ts';
import { loadArith } from '../train/arith.ts';
import { emuBackend } from '../train/backends.ts';
import { fp32Backend, type GemmBackend } from '../train/gemm.ts';
import { RunContext, softmaxCrossEntropy, type Act } from '../train/nn.ts';
import { makeOptimizer } from '../train/optim.ts';
import { checkOps, FP32_OP, opPrecision, type OpsSpec } from '../train/precision.ts';
import { Attention, buildVit, Gelu, LayerNorm, softmaxRows, VIT_DEFAULTS } from '../train/vit.ts';
import { contextArith } from '../train/arith.ts';

const seconds = Number(process.env.MPSA_BENCH_SECONDS ?? 1);
const sig = (x: number) => Number(x.toPrecision(4));
const rng = new XorShift32(19);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.next(24) / 2 ** 23 - 1);

async function timed(f: () => unknown): Promise<number> {
  await f(); // warm-up
  const t = performance.now();
  let reps = 0;
  do { await f(); reps++; } while (performance.now() - t < seconds * 1000);
  return reps / ((performance.now() - t) / 1000);
}

const B = 32, T = 16, D = VIT_DEFAULTS.dim, H = VIT_DEFAULTS.heads;
const emu = emuBackend(1);
const cases: [string, GemmBackend][] = [['fp32', fp32Backend], ['bf16', emu], ['fp8-fp32', emu], ['fp8-bf16-sr', emu]];
for (const [arithName, backend] of cases) {
  const arith = loadArith(arithName);
  const attn = new Attention('a', D, H, FP32_OP, new XorShift32(3));
  const ctx = new RunContext(backend, arith.roles, 1);
  const x: Act = { data: rand(B * T * D), shape: [B, T, D] };
  const dy: Act = { data: rand(B * T * D), shape: [B, T, D] };
  const perS = await timed(async () => { await attn.forward(x, ctx); await attn.backward(dy, ctx); });
  const attnMacs = B * H * 6 * T * T * (D / H);
  console.log(JSON.stringify({ part: 'attention fwd+bwd', arith: arithName, backend: backend.name, shape: `B${B} T${T} D${D} H${H}`, per_s: sig(perS * B), unit: 'images', attention_macs_per_s: sig(perS * attnMacs) }));
}

const N = B * T;
for (const [label, spec] of [['fp32', {}], ['bf16 rne', { layernorm: { input: 'bf16:rne', output: 'bf16:rne', acc: 'bf16:rne' }, softmax: { input: 'bf16:rne', output: 'bf16:rne', acc: 'bf16:rne' }, gelu: { input: 'bf16:rne', output: 'bf16:rne' } }], ['bf16 sr', { layernorm: { output: 'bf16:sr' }, softmax: { output: 'bf16:sr' }, gelu: { output: 'bf16:sr' } }]] as [string, OpsSpec][]) {
  const ops = checkOps(spec);
  const ln = new LayerNorm('ln', D, opPrecision(ops, 'layernorm', 'ln', 1));
  const gelu = new Gelu('g', opPrecision(ops, 'gelu', 'g', 1));
  const sm = opPrecision(ops, 'softmax', 's', 1);
  const x: Act = { data: rand(N * D), shape: [B, T, D] };
  const s = rand(B * H * T * T);
  for (const [part, f, n] of [
    ['layernorm fwd', () => ln.forward(x), N * D],
    ['gelu fwd', () => gelu.forward(x), N * D],
    ['softmax rows', () => { softmaxRows(Float32Array.from(s), T, sm); }, s.length],
  ] as const) {
    const perS = await timed(f);
    console.log(JSON.stringify({ part, arith: label, backend: 'ts', shape: `${n} values`, per_s: sig(perS * n), unit: 'values' }));
  }
}

for (const [arithName, backend] of cases) {
  const arith = loadArith(arithName);
  const vit = buildVit({}, 1);
  const ctx = new RunContext(backend, contextArith(arith, vit), 1);
  const opt = makeOptimizer({ kind: 'adamw' }, 1e-3, 1);
  const x: Act = { data: rand(B * 784), shape: [B, 1, 28, 28] };
  const y = Uint8Array.from({ length: B }, (_, i) => i % 10);
  const perS = await timed(async () => {
    const r = softmaxCrossEntropy(await vit.forward(x, ctx, true), y);
    await vit.backward(r.grad, ctx);
    opt.step(vit.params());
  });
  console.log(JSON.stringify({ part: 'vit train step', arith: arithName, backend: backend.name, shape: `batch ${B}, patch 7, dim ${D}, depth ${VIT_DEFAULTS.depth}, heads ${H}`, per_s: sig(perS * B), unit: 'images' }));
}
await emu.close?.();
