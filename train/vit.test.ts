// The ViT's layers against central finite differences (fp32), the element-wise rounding places,
// and the option errors.
import { describe, expect, it } from 'vitest';
import { ArithmeticInputError, XorShift32, format, quantizeFast, decodeFast } from '../golden/index.ts';
import { fp32Backend } from './gemm.ts';
import { RunContext, Sequential, softmaxCrossEntropy, type Act, type Layer } from './nn.ts';
import { checkOps, opPrecision, parseRoundSpec, Rounder, FP32_OP } from './precision.ts';
import { buildVit, checkVit, Gelu, LayerNorm, softmaxRows } from './vit.ts';

const FP32 = { forward: null, gradInput: null, gradWeight: null };
const SEED = 0x5eed19;

function randomAct(shape: number[], rng: XorShift32): Act {
  const n = shape.reduce((a, b) => a * b, 1);
  return { data: Float32Array.from({ length: n }, () => rng.next(24) / 2 ** 23 - 1), shape };
}

/** Every parameter (6 random entries each) and 6 input entries against (L(p+h) − L(p−h)) / 2h. */
async function gradCheck(model: Sequential, x: Act, labels: number[], rng: XorShift32, inputGrad: boolean): Promise<number> {
  const ctx = new RunContext(fp32Backend, FP32, 1);
  const out = await model.forward(x, ctx, true);
  let g: Act | null = softmaxCrossEntropy(out, labels).grad;
  for (let i = model.layers.length - 1; i >= 0; i--) g = await model.layers[i].backward(g!, ctx, true);
  const lossOf = async () => softmaxCrossEntropy(await model.forward(x, new RunContext(fp32Backend, FP32, 1), true), labels).loss;
  const h = 1e-2;
  const numeric = async (arr: Float32Array, i: number) => {
    const v = arr[i];
    arr[i] = v + h; const up = arr[i]; const lp = await lossOf();
    arr[i] = v - h; const dn = arr[i]; const lm = await lossOf();
    arr[i] = v;
    return (lp - lm) / (up - dn);
  };
  let checked = 0;
  const compare = (what: string, analytic: number, num: number) => {
    const err = Math.abs(analytic - num) / Math.max(1e-3, Math.abs(analytic) + Math.abs(num));
    expect(err, `${what}: analytic ${analytic}, numeric ${num} (seed ${SEED})`).toBeLessThan(2e-2);
    checked++;
  };
  for (const p of model.params()) {
    for (let t = 0; t < 6; t++) {
      const i = rng.next(24) % p.data.length;
      compare(`${p.name}[${i}]`, p.grad[i], await numeric(p.data, i));
    }
  }
  if (inputGrad) {
    for (let t = 0; t < 6; t++) {
      const i = rng.next(24) % x.data.length;
      compare(`input[${i}]`, g!.data[i], await numeric(x.data, i));
    }
  }
  return checked;
}

/** A Layer that reshapes [B, T·D] ↔ [B, T, D] around `inner` (so a token layer can start a model). */
function tokens(inner: Layer, T: number, D: number): Layer {
  return {
    name: `${inner.name}.tokens`,
    forward: async (x, ctx, train) => { const y = await inner.forward({ data: x.data, shape: [x.shape[0], T, D] }, ctx, train); return { data: y.data, shape: [x.shape[0], T * D] }; },
    backward: async (dy, ctx, need) => { const d = await inner.backward({ data: dy.data, shape: [dy.shape[0], T, D] }, ctx, need); return d && { data: d.data, shape: [dy.shape[0], T * D] }; },
    params: () => inner.params(),
  };
}

describe('ViT gradients match finite differences (fp32)', () => {
  it(`the whole ViT: patch + positional embedding, attention, LayerNorm, GELU, residuals, mean, head (seed ${SEED})`, async () => {
    const rng = new XorShift32(SEED);
    const vit = buildVit({ patch: 2, dim: 8, depth: 2, heads: 2, mlpRatio: 2 }, SEED, {}, 4, 3);
    const n = await gradCheck(vit, randomAct([2, 1, 4, 4], rng), [0, 2], rng, false);
    expect(n).toBe(vit.params().length * 6);
  });

  it(`LayerNorm and GELU, input gradients too (seed ${SEED})`, async () => {
    const rng = new XorShift32(SEED + 1);
    const ln = new LayerNorm('ln', 5, FP32_OP);
    for (let j = 0; j < 5; j++) { ln.g.data[j] = 0.5 + j / 5; ln.b.data[j] = j / 10 - 0.2; }
    const model = new Sequential([ln, new Gelu('gelu', FP32_OP), new LayerNorm('ln2', 5, FP32_OP)]);
    await gradCheck(model, randomAct([3, 5], rng), [0, 4, 2], rng, true);
  });

  it(`one block's input gradient (attention included) (seed ${SEED})`, async () => {
    const rng = new XorShift32(SEED + 2);
    const vit = buildVit({ patch: 2, dim: 4, depth: 1, heads: 2, mlpRatio: 1 }, SEED + 2, {}, 4, 4);
    const block = vit.layers[1];
    // Block output [B, T, D] with T = 4, D = 4: the flattened 16 values are the logits of a 16-way loss.
    await gradCheck(new Sequential([tokens(block, 4, 4)]), randomAct([2, 16], rng), [3, 11], rng, true);
  });
});

describe('element-wise rounding places', () => {
  it('softmax rows sum to 1 in fp32; with bf16 output every value is a bf16 value', () => {
    const rng = new XorShift32(SEED);
    const s = randomAct([4, 6], rng).data;
    const a = softmaxRows(Float32Array.from(s), 6, FP32_OP);
    for (let r = 0; r < 4; r++) expect(a.slice(r * 6, r * 6 + 6).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 6);
    const p = opPrecision(checkOps({ softmax: { output: 'bf16:rne', acc: 'bf16:rne' } }), 'softmax', 'blk0.attn', 1);
    const b = softmaxRows(Float32Array.from(s), 6, p);
    const bf16 = format('bf16');
    for (const v of b) expect(decodeFast(quantizeFast(v, bf16, { mode: 'rne' }).code, bf16)).toBe(v);
  });

  it('Rounder sr is unbiased where rne is not: 1 + 2^-10 stored in bf16', () => {
    const rne = new Rounder(parseRoundSpec('bf16:rne', 'x'), SEED);
    const sr = new Rounder(parseRoundSpec('bf16:sr', 'x'), SEED);
    const x = 1 + 2 ** -10; // 1/8 of a bf16 ulp above 1
    expect(rne.one(x)).toBe(1);
    let sum = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) sum += sr.one(x);
    expect(Math.abs(sum / n - x)).toBeLessThan(2 ** -12); // mean within 1/4 of the offset (seed ${SEED})
  });

  it('a LayerNorm with a bf16 output place gives bf16 values and counts nothing on ordinary inputs', async () => {
    const p = opPrecision(checkOps({ layernorm: { input: 'bf16:rne', output: 'bf16:sr', acc: 'fp16:rne' } }), 'layernorm', 'ln', 3);
    const ln = new LayerNorm('ln', 8, p);
    const y = await ln.forward(randomAct([3, 8], new XorShift32(SEED)));
    const bf16 = format('bf16');
    for (const v of y.data) expect(decodeFast(quantizeFast(v, bf16, { mode: 'rne' }).code, bf16)).toBe(v);
    expect(p.output!.counts).toEqual({ overflow: 0, underflow: 0 });
  });
});

describe('ViT and precision options give errors that name the field', () => {
  const bad: [string, () => unknown, string][] = [
    ['patch not dividing 28', () => checkVit({ patch: 5 }), 'vit.patch'],
    ['heads not dividing dim', () => checkVit({ dim: 30, heads: 4 }), 'vit.heads'],
    ['unknown ViT option', () => checkVit({ width: 3 } as never), 'vit.width'],
    ['depth 0', () => checkVit({ depth: 0 }), 'vit.depth'],
    ['unknown operation', () => checkOps({ relu: {} }), 'ops.relu'],
    ['unknown place', () => checkOps({ gelu: { middle: 'bf16:rne' } }), 'ops.gelu.middle'],
    ['bad mode', () => checkOps({ softmax: { acc: 'bf16:rtz' } }), 'ops.softmax.acc.mode'],
    ['bad format', () => checkOps({ layernorm: { output: 'bf17:rne' } }), 'ops.layernorm.output.fmt'],
    ['rbits with rne', () => checkOps({ layernorm: { output: { fmt: 'bf16', mode: 'rne', rbits: 4 } } }), 'ops.layernorm.output.rbits'],
    ['malformed FMT:MODE', () => parseRoundSpec('bf16', '--adam-m'), '--adam-m'],
  ];
  it.each(bad)('%s', (_, f, field) => {
    let err: unknown;
    try { f(); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ArithmeticInputError);
    expect((err as ArithmeticInputError).field).toBe(field);
  });
});
