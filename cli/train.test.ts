// `mpsa train` arguments and arithmetic files: every bad input is named.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadArith } from '../train/arith.ts';
import { parseTrainArgs } from './train.ts';

const run = promisify(execFile);

describe('mpsa train', () => {
  it('parses options with defaults', () => {
    expect(parseTrainArgs(['--model', 'cnn', '--epochs', '3', '--backend', 'emu'])).toMatchObject({ model: 'cnn', epochs: 3, backend: 'emu', arith: 'fp32', seed: 1, batch: 32, schedule: 'constant', norm: 'fashion' });
    expect(parseTrainArgs(['--model', 'mlp', '--schedule', 'cosine', '--norm', 'none'])).toMatchObject({ schedule: 'cosine', norm: 'none' });
    expect(parseTrainArgs(['--model', 'mlp', '--weights', 'bf16:sr'])).toMatchObject({ weights: { fmt: 'bf16', mode: 'sr', rbits: 8 } });
    expect(parseTrainArgs(['--model', 'mlp', '--weights', 'e5m6:sr:4']).weights).toEqual({ fmt: 'e5m6', mode: 'sr', rbits: 4 });
    expect(parseTrainArgs(['--model', 'mlp', '--weights', 'bf16:rne']).weights).toEqual({ fmt: 'bf16', mode: 'rne' });
  });

  it.each([
    [[], /^--model: is required/],
    [['--model', 'resnet'], /^--model: must be mlp \| cnn, got "resnet"/],
    [['--model', 'mlp', '--backend', 'gpu'], /^--backend: must be fp32 \| emu \| rtl/],
    [['--model', 'mlp', '--epochs', '0'], /^--epochs: must be an integer ≥ 1, got "0"/],
    [['--model', 'mlp', '--lr', '-1'], /^--lr: must be a positive number/],
    [['--model', 'mlp', '--fast'], /^--fast: unknown option/],
    [['--model', 'mlp', '--schedule', 'step'], /^--schedule: must be constant \| cosine, got "step"/],
    [['--model', 'mlp', '--norm', 'zscore'], /^--norm: must be fashion \| none/],
    [['--model', 'mlp', '--weights', 'bf16'], /^weights: expected FMT:rne or FMT:sr\[:RBITS\]/],
    [['--model', 'mlp', '--weights', 'bf16:rtz'], /^weights: mode must be rne or sr, got "rtz"/],
    [['--model', 'mlp', '--weights', 'bf17:sr'], /^weights.fmt: unknown format name "bf17"/],
    [['--model', 'mlp', '--weights', 'bf16:sr:30'], /^weights.rbits: must be an integer in 1..24/],
    [['--model', 'mlp', '--weights', 'bf16:rne:4'], /^weights: random bits only go with sr/],
  ])('rejects %j', (argv, re) => {
    expect(() => parseTrainArgs(argv as string[])).toThrow(re);
  });

  it('names the field of a bad arithmetic file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-arith-'));
    const f = join(dir, 'a.json');
    writeFileSync(f, JSON.stringify({ forward: null, gradInput: null, gradWeight: { a: 'e4m3', b: 'e4m3', style: 'fused', acc: { fmt: 'bf16', mode: 'sr' } } }));
    expect(() => loadArith(f)).toThrow(`${f}.gradWeight.acc.rbits: must be an integer in 1..24, got undefined`);
    writeFileSync(f, JSON.stringify({ forward: null, gradInput: null }));
    expect(() => loadArith(f)).toThrow(/gradWeight: is required/);
    expect(() => loadArith('fp7')).toThrow(/^arith: unknown preset or file "fp7" \(presets: fp32, bf16/);
  });

  it('exits 2 with the message for a bad option, before loading anything', async () => {
    await expect(run('node', ['bin/mpsa.js', 'train', '--model', 'mlp', '--arith', 'fp7'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/mpsa train: arith: unknown preset or file "fp7"/) });
    // A BFP preset with a width the kernel does not take names the width.
    await expect(run('node', ['bin/mpsa.js', 'train', '--model', 'mlp', '--arith', 'bfp16', '--backend', 'emu'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/mpsa train: bfp16\.man: must be an integer in 1\.\.15/) });
  });
});
