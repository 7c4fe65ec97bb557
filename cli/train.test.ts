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

  it('parses the ViT, AdamW and scaling options', () => {
    expect(parseTrainArgs(['--model', 'vit'])).toMatchObject({ vit: { patch: 7, dim: 32, depth: 2, heads: 4, mlpRatio: 2 }, optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 0 } });
    const a = parseTrainArgs(['--model', 'vit', '--dim', '16', '--heads', '2', '--depth', '1', '--patch', '14', '--mlp-ratio', '3', '--optimizer', 'adamw', '--weight-decay', '0.05',
      '--adam-m', 'e4m3:sr', '--adam-v', 'e5m2:rne', '--loss-scale', 'dynamic:1024:50', '--tensor-scaling', 'amax:8:1', '--ops', 'bf16:rne']);
    expect(a).toMatchObject({
      vit: { patch: 14, dim: 16, depth: 1, heads: 2, mlpRatio: 3 },
      optimizer: { kind: 'adamw', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, m: { fmt: 'e4m3', mode: 'sr', rbits: 8 }, v: { fmt: 'e5m2', mode: 'rne' } },
      lossScale: { kind: 'dynamic', init: 1024, growthInterval: 50 }, tensorScaling: { history: 8, margin: 1 },
    });
    expect(a.ops?.softmax).toEqual({ input: { fmt: 'bf16', mode: 'rne' }, output: { fmt: 'bf16', mode: 'rne' }, acc: { fmt: 'bf16', mode: 'rne' } });
  });

  it.each([
    [[], /^--model: is required/],
    [['--model', 'resnet'], /^--model: must be mlp \| cnn \| vit, got "resnet"/],
    [['--model', 'vit', '--optimizer', 'adam'], /^--optimizer: must be sgd \| adamw, got "adam"/],
    [['--model', 'vit', '--patch', '5'], /^vit.patch: must divide the image side 28, got 5/],
    [['--model', 'vit', '--dim', '30', '--heads', '4'], /^vit.heads: must divide vit.dim 30, got 4/],
    [['--model', 'mlp', '--dim', '64'], /^--model: --patch, --dim, --depth, --heads, --mlp-ratio and --ops are for --model vit, not mlp/],
    [['--model', 'vit', '--adam-m', 'bf16:sr'], /^--adam-m: the moment formats are for --optimizer adamw/],
    [['--model', 'vit', '--optimizer', 'adamw', '--adam-v', 'e5m2'], /^--adam-v: expected FMT:rne or FMT:sr/],
    [['--model', 'vit', '--optimizer', 'adamw', '--adam-v', 'e9m2:sr'], /^--adam-v.fmt/],
    [['--model', 'vit', '--loss-scale', 'dynamic:3'], /^lossScale.init: must be a power of two/],
    [['--model', 'vit', '--loss-scale', 'auto'], /^--loss-scale: expected static\[:S\] or dynamic/],
    [['--model', 'vit', '--tensor-scaling', 'amax:16:99'], /^tensorScaling.margin: must be an integer in 0..32/],
    [['--model', 'vit', '--ops', 'bf16:rtz'], /^--ops.mode: must be rne or sr/],
    [['--model', 'vit', '--ops', 'missing.json'], /^--ops: file "missing.json" not found/],
    [['--model', 'vit', '--weight-decay', '2'], /^--weight-decay: must be a number in \[0, 1\)/],
    [['--model', 'mlp', '--backend', 'gpu'], /^--backend: must be fp32 \| emu \| rtl/],
    [['--model', 'mlp', '--epochs', '0'], /^--epochs: must be an integer ≥ 1, got "0"/],
    [['--model', 'mlp', '--lr=-1'], /^--lr: must be a positive number/],
    [['--model', 'mlp', '--lr', '-1'], /^--lr: needs a value \(one that starts with '-' is written --lr=-…\)/],
    [['--model', 'mlp', '--fast'], /^unknown option '--fast'/],
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
