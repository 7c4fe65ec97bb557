// Layer gradients against central finite differences of the loss (fp32 backend).
import { describe, expect, it } from 'vitest';
import { XorShift32 } from '../golden/index.ts';
import { fp32Backend } from './gemm.ts';
import { Conv2d, Flatten, Linear, MaxPool2, ReLU, RunContext, Sequential, softmaxCrossEntropy, type Act } from './nn.ts';

const FP32 = { forward: null, gradInput: null, gradWeight: null };

function randomAct(shape: number[], rng: XorShift32): Act {
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: n }, () => rng.next(24) / 2 ** 23 - 1), shape };
}

async function lossOf(model: Sequential, x: Act, labels: number[]): Promise<number> {
  const ctx = new RunContext(fp32Backend, FP32, 1);
  return softmaxCrossEntropy(await model.forward(x, ctx, true), labels).loss;
}

/** Checks every listed parameter entry and input entry against (L(p+h) − L(p−h)) / 2h. */
async function gradCheck(model: Sequential, x: Act, labels: number[], rng: XorShift32): Promise<void> {
  const ctx = new RunContext(fp32Backend, FP32, 1);
  const out = await model.forward(x, ctx, true);
  const { grad } = softmaxCrossEntropy(out, labels);
  // Input gradient: run backward through every layer, keeping the first layer's input grad.
  let g: Act | null = grad;
  for (let i = model.layers.length - 1; i >= 0; i--) g = await model.layers[i].backward(g!, ctx, true);
  const dx = g!;
  const h = 1e-2;
  const numeric = async (arr: Float32Array, i: number): Promise<number> => {
    const v = arr[i];
    arr[i] = v + h; const up = arr[i];
    const lp = await lossOf(model, x, labels);
    arr[i] = v - h; const dn = arr[i];
    const lm = await lossOf(model, x, labels);
    arr[i] = v;
    return (lp - lm) / (up - dn);
  };
  const compare = (what: string, analytic: number, num: number) => {
    const err = Math.abs(analytic - num) / Math.max(1e-3, Math.abs(analytic) + Math.abs(num));
    expect(err, `${what}: analytic ${analytic}, numeric ${num}`).toBeLessThan(2e-2);
  };
  for (const p of model.params()) {
    for (let t = 0; t < 6; t++) {
      const i = rng.next(24) % p.data.length;
      compare(`${p.name}[${i}]`, p.grad[i], await numeric(p.data, i));
    }
  }
  for (let t = 0; t < 6; t++) {
    const i = rng.next(24) % x.data.length;
    compare(`input[${i}]`, dx.data[i], await numeric(x.data, i));
  }
}

describe('gradients match finite differences', () => {
  it('Linear · ReLU · Linear with softmax cross-entropy', async () => {
    const rng = new XorShift32(7);
    const model = new Sequential([new Linear('fc1', 5, 7, rng), new ReLU('relu'), new Linear('fc2', 7, 4, rng)]);
    await gradCheck(model, randomAct([3, 5], rng), [0, 3, 1], rng);
  });

  it('Conv2d · ReLU · MaxPool2 · Conv2d · Flatten · Linear', async () => {
    const rng = new XorShift32(11);
    const model = new Sequential([
      new Conv2d('c1', 2, 3, 3, rng), new ReLU('r1'), new MaxPool2('p1'),
      new Conv2d('c2', 3, 2, 2, rng), new Flatten('f'), new Linear('fc', 2 * 2 * 2, 3, rng),
    ]);
    await gradCheck(model, randomAct([2, 2, 8, 8], rng), [2, 0], rng);
  });
});

describe('softmax cross-entropy', () => {
  it('is log(K) for equal logits and its gradient sums to zero per row', () => {
    const r = softmaxCrossEntropy({ data: new Float32Array(8), shape: [2, 4] }, [1, 3]);
    expect(r.loss).toBeCloseTo(Math.log(4), 12);
    expect(r.grad.data[1]).toBeCloseTo((0.25 - 1) / 2, 7);
    expect(Array.from(r.grad.data).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 7);
  });
});
