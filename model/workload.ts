// The GEMM sequence of one training step, recorded from the real model: one forward and
// backward pass with a backend that notes every GEMM's shape and arithmetic.
import { XorShift32 } from '../golden/index.ts';
import { contextArith, type TrainArith } from '../train/arith.ts';
import { gemmF32, type GemmBackend } from '../train/gemm.ts';
import { buildModel, RunContext, softmaxCrossEntropy, type ModelName } from '../train/nn.ts';
import type { WorkloadGemm } from './match.ts';

export async function trainingWorkload(model: ModelName, arith: TrainArith, batch: number): Promise<WorkloadGemm[]> {
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch: must be a positive integer, got ${batch}`);
  if (model === 'vit') throw new RangeError('workload: the vit model is not supported (its attention runs many GEMMs per layer and role, one per image and head)');
  const seen: { M: number; K: number; N: number; mac: WorkloadGemm['mac'] | null }[] = [];
  const recorder: GemmBackend = {
    name: 'fp32',
    async gemm(a, b, M, K, N, ar) {
      if (ar && !('mac' in ar)) throw new Error(`workload: '${arith.name}' is block floating point; no accelerator configuration computes it`);
      seen.push({ M, K, N, mac: ar?.mac ?? null });
      return gemmF32(a, b, M, K, N);
    },
  };
  const net = buildModel(model, 1);
  // Names come from the context's counters, which are keyed "layer/role" in call order.
  const ctx = new RunContext(recorder, contextArith(arith, net), 1);
  const rng = new XorShift32(1);
  const x = { data: Float32Array.from({ length: batch * 784 }, () => rng.next(8) / 255), shape: [batch, 1, 28, 28] };
  const out = await net.forward(x, ctx, true);
  await net.backward(softmaxCrossEntropy(out, new Uint8Array(batch)).grad, ctx);
  const names = [...ctx.counters.keys()];
  if (names.length !== seen.length) throw new Error('workload: every GEMM of a step must have its own layer/role');
  return seen.map((g, i) => {
    if (g.mac === null) throw new Error(`workload: ${names[i]} is an fp32 GEMM; the '${arith.name}' arithmetic has no MAC configuration for it`);
    return { name: names[i], shape: { M: g.M, K: g.K, N: g.N }, mac: g.mac };
  });
}
