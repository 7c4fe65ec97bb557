// The accuracy-table runner's arguments, recipes and summary (no training here: the table itself
// is `npm run train:table`, documented in docs/training.md).
import { describe, expect, it } from 'vitest';
import { loadArith } from '../train/arith.ts';
import { scheduledLr, type RunResult } from '../train/run.ts';
import { markdownTable, parseTableArgs, recipeOf, ROWS, summarize } from './accuracy-table.ts';

describe('accuracy table runner', () => {
  it('parses its options', () => {
    expect(parseTableArgs([])).toMatchObject({ rows: ROWS, quick: false, force: false, threads: 1, seed: 1 });
    expect(parseTableArgs(['--seed', '7']).seed).toBe(7);
    expect(recipeOf(ROWS[0], false, 7).seed).toBe(7);
    expect(() => parseTableArgs(['--seed', '-1'])).toThrow(/^--seed: must be a uint32/);
    const a = parseTableArgs(['--quick', '--rows', 'cnn-fp32,mlp-fp32', '--threads', '2']);
    expect(a.rows.map((r) => r.id)).toEqual(['mlp-fp32', 'cnn-fp32']); // table order
    expect(a).toMatchObject({ quick: true, threads: 2 });
    expect(() => parseTableArgs(['--rows', 'mlp-fp64'])).toThrow(/^--rows: unknown row mlp-fp64/);
    expect(() => parseTableArgs(['--threads', '0'])).toThrow(/^--threads: must be an integer/);
    expect(() => parseTableArgs(['--fast'])).toThrow(/^--fast: unknown option/);
  });

  it('has unique row ids and valid arithmetic presets; quick runs shrink the recipe', () => {
    expect(new Set(ROWS.map((r) => r.id)).size).toBe(ROWS.length);
    for (const r of ROWS) expect(() => loadArith(r.arith)).not.toThrow();
    expect(recipeOf(ROWS[0], true)).toMatchObject({ epochs: 1, trainSubset: 2000, testSubset: 1000 });
    expect(recipeOf(ROWS[0], false)).toMatchObject({ epochs: ROWS[0].epochs, trainSubset: null });
  });

  it('summarizes a run: best epoch, last epoch loss, summed counters', () => {
    const c = (overflow: number, underflow: number) => ({ calls: 1, macs: 1, overflow, underflow, invalid: 0 });
    const run = {
      model: 'mlp', arith: 'fp8-bf16-sr', backend: 'emu', seed: 1, epochs: 3, batch: 32, lr: 0.02, schedule: 'cosine',
      inputNorm: null, trainSamples: 96, steps: 9, loss: [], testAccuracy: [0.5, 0.75, 0.7], epochLoss: [1, 0.5, 0.25],
      counters: { 'fc1/forward': c(1, 2), 'fc2/gradWeight': c(3, 4) }, wallSeconds: 12.4, hash: '',
    } satisfies RunResult;
    const s = summarize(ROWS[0], run);
    expect(s).toMatchObject({ finalAccuracy: 0.7, bestAccuracy: 0.75, bestEpoch: 2, finalTrainLoss: 0.25, overflow: 4, underflow: 6, epochs: 3 });
    expect(markdownTable([s]).split('\n')[2]).toBe('| mlp-fp32 | mlp | fp8-bf16-sr | emu | 3 | 0.7000 | 0.7500 (2) | 0.2500 | 4 | 6 | 12 |');
    // A diverged run's loss is NaN, null after a round trip through the summary JSON.
    const diverged = JSON.parse(JSON.stringify({ ...s, finalTrainLoss: NaN })) as typeof s;
    expect(markdownTable([diverged]).split('\n')[2]).toBe('| mlp-fp32 | mlp | fp8-bf16-sr | emu | 3 | 0.7000 | 0.7500 (2) | NaN | 4 | 6 | 12 |');
  });

  it('cosine schedule: lr at the start, half at the middle, 0 at the end', () => {
    expect(scheduledLr(0.1, 'constant', 50, 100)).toBe(0.1);
    expect(scheduledLr(0.1, 'cosine', 0, 100)).toBe(0.1);
    expect(scheduledLr(0.1, 'cosine', 50, 100)).toBeCloseTo(0.05, 12);
    expect(scheduledLr(0.1, 'cosine', 100, 100)).toBeCloseTo(0, 12);
  });
});
