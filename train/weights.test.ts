// Low-precision weight storage: rne keeps every stored weight on the format's grid and drops
// updates below half an ulp; sr keeps the grid too but is unbiased, so repeated small updates add up.
import { describe, expect, it } from 'vitest';
import { decodeFast, format, quantizeFast, XorShift32 } from '../golden/index.ts';
import { loadFashionMnist, subset } from './data.ts';
import { fp32Backend } from './gemm.ts';
import { loadArith } from './arith.ts';
import { train } from './run.ts';
import { parseWeightStorage, rneNormal, weightStorage } from './weights.ts';
import { testContext } from '../property-tests/support/context.ts';
import { testSeed } from '../property-tests/support/seed.ts';

const bf16 = format('bf16');

describe('weight storage', () => {
  it('rne stores the bf16 rounding of every weight', () => {
    const x = Float32Array.from([1, 1 + 2 ** -9, 1 + 3 * 2 ** -9, -0.1, 3.4e38, 1e-40]);
    const expected = Array.from(x, (v) => decodeFast(quantizeFast(v, bf16, { mode: 'rne' }).code, bf16));
    const f = weightStorage({ fmt: 'bf16', mode: 'rne' }, 1).store(x);
    expect(Array.from(x)).toEqual(expected);
    expect(x[1]).toBe(1); // half an ulp, tie to even
    expect(x[2]).toBe(1 + 2 ** -7);
    expect(f).toEqual({ overflow: 1, underflow: 1 });
  });

  it('sr is unbiased: a quarter-ulp update survives on average; rne drops it every time', () => {
    const n = 20000;
    const ulp = 2 ** -7;
    for (const mode of ['rne', 'sr'] as const) {
      const w = new Float32Array(n).fill(1);
      const s = weightStorage({ fmt: 'bf16', mode, rbits: mode === 'sr' ? 8 : undefined } as never, 7);
      for (let step = 0; step < 8; step++) {
        for (let i = 0; i < n; i++) w[i] += ulp / 4;
        s.store(w);
      }
      const mean = w.reduce((a, b) => a + b, 0) / n;
      if (mode === 'rne') expect(mean).toBe(1);
      else expect(Math.abs(mean - (1 + 2 * ulp))).toBeLessThan(0.05 * ulp); // expected 1 + 8·ulp/4
    }
  });

  it('Kahan: quarter-ulp updates under rne add up in the compensation and reach the weight', () => {
    const n = 1000, ulp = 2 ** -7;
    const w = new Float32Array(n).fill(1);
    const s = weightStorage({ fmt: 'bf16', mode: 'rne', kahan: true }, 7);
    s.store(w);
    const seen: number[] = [];
    for (let step = 0; step < 8; step++) {
      for (let i = 0; i < n; i++) w[i] += ulp / 4;   // what the optimiser does to the stored weights
      s.store(w);
      seen.push(w[0]);
    }
    // rne alone would stay at 1 (see above). With the compensation: y = 1/4, then 2/4 (a tie at
    // 1, even: stays), then 3/4 rounds up and c = +1/4 is the excess; at 1 + ulp the tie of step 6
    // goes up (odd), and the 8 quarter-ulps arrive as exactly 2 ulps.
    expect(seen).toEqual([1, 1, 1 + ulp, 1 + ulp, 1 + ulp, 1 + 2 * ulp, 1 + 2 * ulp, 1 + 2 * ulp]);
    expect(w.every((x) => x === 1 + 2 * ulp)).toBe(true);
    expect(() => weightStorage({ fmt: 'bf16', mode: 'rne', kahan: 'yes' as unknown as boolean }, 1)).toThrow(/weights\.kahan: must be true or false/);
  });

  it('the rne fast path equals golden quantizeFast wherever it answers', () => {
    for (const name of ['bf16', 'e8m4', 'fp16', 'e4m3', 'e5m2']) {
      const f = format(name);
      const near = rneNormal(f);
      const rng = new XorShift32(testSeed(`${testContext().name} ${name}`) || 1);
      let answered = 0;
      for (let i = 0; i < 20000; i++) {
        // Around every binade of the format: grid points, ties, and values between.
        const e = f.emin + (rng.next(8) % (f.emax - f.emin + 3)) - 1;
        const sign = rng.next(1) ? -1 : 1;
        const x = i % 4 === 0
          ? sign * 2 ** e * (1 + (2 * (rng.next(8) % 2 ** f.man) + 1) / 2 ** (f.man + 1))   // an exact tie
          : sign * 2 ** e * (1 + rng.next(24) / 2 ** 24);
        const v = near(x);
        if (v === null) continue;
        answered++;
        expect(v, `${name} ${x}`).toBe(decodeFast(quantizeFast(x, f, { mode: 'rne' }).code, f));
      }
      expect(answered).toBeGreaterThan(10000);
    }
  });

  it('parses FMT:MODE[:RBITS][:kahan]', () => {
    expect(parseWeightStorage('e8m4:rne:kahan')).toEqual({ fmt: 'e8m4', mode: 'rne', kahan: true });
    expect(parseWeightStorage('bf16:sr:4:kahan')).toEqual({ fmt: 'bf16', mode: 'sr', rbits: 4, kahan: true });
    expect(parseWeightStorage('bf16:sr')).toEqual({ fmt: 'bf16', mode: 'sr' });
    expect(() => parseWeightStorage('bf16:kahan')).toThrow(/mode must be rne or sr, got "kahan"/);
  });

  it('the same seed gives the same stored weights; another seed differs', () => {
    const base = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.1);
    const run = (seed: number) => { const w = base.slice(); weightStorage({ fmt: 'bf16', mode: 'sr' }, seed).store(w); return Array.from(w); };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('a training run with bf16 sr weights reports its storage and differs from the fp32-weight run', async () => {
    const data = loadFashionMnist();
    const r = await train({ train: subset(data.train, 256), test: subset(data.test, 64) }, {
      model: 'mlp', arith: loadArith('fp32'), backend: fp32Backend, epochs: 1, seed: 5, lr: 0.02, weights: { fmt: 'bf16', mode: 'sr' },
    });
    expect(r.weights).toMatchObject({ fmt: 'bf16', mode: 'sr', rbits: 8, overflow: 0 });
    const plain = await train({ train: subset(data.train, 256), test: subset(data.test, 64) }, {
      model: 'mlp', arith: loadArith('fp32'), backend: fp32Backend, epochs: 1, seed: 5, lr: 0.02,
    });
    expect(plain.weights).toBeUndefined();
    expect(r.hash).not.toBe(plain.hash);
  });
});
