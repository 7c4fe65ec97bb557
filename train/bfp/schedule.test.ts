// BFP precision schedules: widths per layer and epoch, presets, errors naming the field, and a
// few training steps with the schedule in the loop (the width really changes between epochs).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadArith } from '../arith.ts';
import { emuBackend } from '../backends.ts';
import { loadFashionMnist, subset } from '../data.ts';
import type { GemmBackend } from '../gemm.ts';
import { train } from '../run.ts';
import { isBfpArith } from './gemm.ts';
import { BFP_FAST, bfpPreset, bfpSchedule, type BfpScheduleSpec } from './schedule.ts';

const MLP = ['fc1', 'fc2', 'fc3'];
const table = (spec: BfpScheduleSpec, layers: string[], epochs: number) => {
  const s = bfpSchedule(spec);
  return layers.map((l) => Array.from({ length: epochs }, (_, e) => s.man(l, e + 1, layers)));
};

describe('BFP schedule', () => {
  it('bfp-fast: hidden layers 2 → 3 → 4 bits, first and last one step ahead; the last entry holds', () => {
    expect(table(BFP_FAST, MLP, 5)).toEqual([[3, 4, 4, 4, 4], [2, 3, 4, 4, 4], [3, 4, 4, 4, 4]]);
    // CNN: conv1 first, conv2 hidden, fc last.
    expect(table(BFP_FAST, ['conv1', 'conv2', 'fc'], 3)).toEqual([[3, 4, 4], [2, 3, 4], [3, 4, 4]]);
    const g = bfpSchedule(BFP_FAST).gemm('fc2', 1, MLP);
    expect(g).toMatchObject({ kind: 'bfp', manA: 2, manB: 2, block: 16, expBits: 8, quantize: { a: 'sr', b: 'sr' }, rbits: 8 });
  });

  it('a layer name wins over first/last; a single width is every epoch', () => {
    expect(table({ kind: 'bfp', man: 5, layers: { first: 7, fc1: [6, 8] } }, MLP, 2)).toEqual([[6, 8], [5, 5], [5, 5]]);
  });

  it('presets: bfp-fast, bfp<m>, -rne', () => {
    expect(bfpPreset('bfp4')).toEqual({ kind: 'bfp', man: 4, block: 16, quantize: 'sr', rbits: 8 });
    expect(bfpPreset('bfp3-rne')?.quantize).toBe('rne');
    expect(bfpPreset('bfp-fast-rne')).toEqual({ ...BFP_FAST, quantize: 'rne' });
    expect(bfpPreset('bfp')).toBeUndefined();
    expect(bfpPreset('bf16')).toBeUndefined();
    const a = loadArith('bfp-fast');
    const sel = a.select!(MLP);
    expect(sel('fc2', 'gradWeight', 2)).toMatchObject({ manA: 3, manB: 3 });
    expect(sel('fc1', 'forward', 1)).toMatchObject({ manA: 3 });
  });

  it.each<[string, unknown, RegExp]>([
    ['no man', { kind: 'bfp' }, /^man: is required/],
    ['empty man', { kind: 'bfp', man: [] }, /^man: must be a width \(1\.\.15\) or a non-empty array/],
    ['width 0 in epoch 2', { kind: 'bfp', man: [2, 0] }, /^man\[1\]: must be an integer in 1\.\.15 \(element magnitude bits\), got 0/],
    ['layer width 16', { kind: 'bfp', man: 2, layers: { last: 16 } }, /^layers\.last: must be an integer in 1\.\.15/],
    ['quantize rtz', { kind: 'bfp', man: 2, quantize: 'rtz' }, /^quantize: must be rne \| sr, got "rtz"/],
    ['block 0', { kind: 'bfp', man: 2, block: 0 }, /^block: must be an integer in 1\.\.4096, got 0/],
    ['rbits 30', { kind: 'bfp', man: 2, rbits: 30 }, /^rbits: must be an integer in 1\.\.24, got 30/],
    ['unknown field', { kind: 'bfp', man: 2, mantissa: 3 }, /^mantissa: unknown field for a BFP schedule/],
    ['kind', { kind: 'mx', man: 2 }, /^kind: must be "bfp"/],
  ])('rejects %s, naming the field', (_what, spec, msg) => {
    expect(() => bfpSchedule(spec as BfpScheduleSpec)).toThrow(msg);
  });

  it('names a layer the model does not have, and a preset or file with a bad width', () => {
    const a = loadArith('bfp-fast');
    expect(() => a.select!(MLP)).not.toThrow();
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-bfp-'));
    const file = join(dir, 'sched.json');
    writeFileSync(file, JSON.stringify({ kind: 'bfp', man: [2, 4], layers: { fc9: 8 } }));
    expect(() => loadArith(file).select!(MLP)).toThrow(/^layers\.fc9: no layer with weights is named "fc9" \(layers: fc1, fc2, fc3; or first, last\)/);
    writeFileSync(file, JSON.stringify({ kind: 'bfp', man: [2, 40] }));
    expect(() => loadArith(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.man\\[1\\]: must be an integer in 1\\.\\.15`));
    expect(() => loadArith('bfp16')).toThrow(/^bfp16\.man: must be an integer in 1\.\.15/);
  });
});

describe('training with a BFP schedule', () => {
  const data = loadFashionMnist();
  const small = { train: subset(data.train, 192), test: subset(data.test, 64) };

  it('runs on emu with the width of each epoch; threads do not change the bits; other backends refuse', async () => {
    // Record the widths the backend is asked for, per epoch (from the run's progress).
    const seen = new Set<string>();
    let epoch = 0;
    const inner = emuBackend(1);
    const spy: GemmBackend = {
      name: 'emu',
      gemm(a, b, M, K, N, arith, c) {
        if (arith !== null && isBfpArith(arith)) seen.add(`${epoch}:${arith.manA}`);
        return inner.gemm(a, b, M, K, N, arith, c);
      },
    };
    const opts = { model: 'mlp' as const, arith: loadArith('bfp-fast'), epochs: 3, seed: 3, batch: 32, lr: 0.05, testLimit: 64 };
    const r = await train(small, { ...opts, backend: spy, onProgress: (p) => { epoch = p.epoch; } });
    expect(r.steps).toBe(18);
    expect(r.loss.every(Number.isFinite)).toBe(true);
    expect(r.loss[r.loss.length - 1]).toBeLessThan(r.loss[0]);
    // Epoch 1: fc1/fc3 at 3 bits, fc2 at 2; epoch 2: 4 and 3; epoch 3: 4 (progress runs after a step's GEMMs, so the epoch's first step shows the previous epoch).
    expect([...seen].filter((s) => !s.startsWith('0:')).sort()).toEqual(['1:2', '1:3', '1:4', '2:3', '2:4', '3:4']);
    const two = await train(small, { ...opts, backend: emuBackend(2) });
    expect(two.hash).toBe(r.hash);
    expect(Object.values(r.counters).reduce((s, c) => s + c.underflow, 0)).toBeGreaterThan(0);
    await expect(train(small, { ...opts, backend: (await import('../gemm.ts')).fp32Backend })).rejects.toThrow(/^backend: the 'bfp-fast' arithmetic \(block floating point\) runs on the emu backend, not fp32/);
  }, 120_000);
});
