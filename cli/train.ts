// `mpsa train`: a seeded Fashion-MNIST training run with the GEMMs on fp32, the emulation kernel,
// or the RTL array; writes the run JSON under reports/out/train/.
import { join } from 'node:path';
import { ArithmeticInputError } from '../golden/index.ts';
import { ARITH_PRESETS, loadArith } from '../train/arith.ts';
import { BFP_PRESET_NAMES } from '../train/bfp/index.ts';
import { parseWeightStorage, weightStorage, type WeightStorageSpec } from '../train/weights.ts';
import { DatasetError, FASHION_MNIST_NORM, loadFashionMnist, subset } from '../train/data.ts';
import { fp32Backend, type GemmBackend } from '../train/gemm.ts';
import { MODEL_NAMES, type ModelName } from '../train/nn.ts';
import { LR_SCHEDULES, train, type LrSchedule, type Progress } from '../train/run.ts';
import { OPTIMIZERS, checkOptimizer, type OptimizerSpec } from '../train/optim.ts';
import { checkOps, parseRoundSpec, uniformOps, type OpsSpec } from '../train/precision.ts';
import { parseLossScale, parseTensorScaling, type LossScaleSpec, type TensorScalingSpec } from '../train/scaling.ts';
import { checkVit, VIT_DEFAULTS, type VitOptions } from '../train/vit.ts';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './fs-atomic.ts';
import { parseCommandArgs, UsageError, usageFailure } from './args.ts';
import { formatDuration } from './progress.ts';

export const BACKENDS = ['fp32', 'emu', 'rtl'] as const;
export type BackendName = (typeof BACKENDS)[number];

const HELP = `usage: mpsa train --model mlp|cnn|vit [options]

  --model mlp|cnn|vit    MLP 784-256-128-10, CNN conv5(16)-pool-conv5(32)-pool-fc128-fc,
                         or a ViT (patch embedding, pre-norm attention blocks, mean, head)
  --arith NAME|FILE      training arithmetic: a preset (${Object.keys(ARITH_PRESETS).join(', ')};
                         block floating point: ${BFP_PRESET_NAMES}, on --backend emu)
                         or a JSON file {geometry, quantize, forward, gradInput, gradWeight},
                         or {kind: "bfp", man, layers, block, quantize, rbits} (a BFP schedule)   [fp32]
  --backend fp32|emu|rtl GEMM backend                                        [fp32]
  --epochs N             epochs                                              [1]
  --steps N              stop after N steps in total
  --seed S               run seed (initialisation, shuffling, sr streams)    [1]
  --subset N             use the first N training images
  --test-subset N        evaluate on the first N test images
  --batch N              mini-batch size                                     [32]
  --lr X                 learning rate (SGD, momentum 0.9)                   [0.01]
  --schedule constant|cosine  learning rate constant, or cosine decay to 0   [constant]
  --norm fashion|none    standardise pixels with the Fashion-MNIST mean/std
                         (0.2860/0.3530), or keep them in [0, 1]             [fashion]
  --weights FMT:MODE     keep the weights in FMT, rounded rne or sr[:RBITS] after every
                         step, e.g. bf16:sr (momentum stays fp32); a trailing :kahan applies
                         each update with Kahan compensation, e.g. e8m4:rne:kahan [fp32 weights]
  --optimizer sgd|adamw  SGD with momentum 0.9, or AdamW (β 0.9/0.999, ε 1e-8)  [sgd]
  --weight-decay X       weight decay (AdamW: decoupled)            [sgd 0, adamw 0.01]
  --adam-m FMT:MODE      AdamW first moment stored in FMT, rounded rne or sr[:RBITS]  [fp32]
  --adam-v FMT:MODE      AdamW second moment, likewise                         [fp32]
  --loss-scale static[:S] | dynamic[:S[:N]]
                         loss scaling by a power of two S; dynamic: skip the step and
                         halve S on a non-finite gradient, double S after N good steps
                                                       [none; S 2^10 static, 2^15 dynamic; N 200]
  --tensor-scaling amax[:H[:M]]
                         per-tensor scaling of every GEMM operand of ≤ 8 bits by a power
                         of two from the amax of its last H uses (M binades of margin)
                                                                   [none; H 16, M 0]
  ViT (--model vit):
  --patch P --dim D --depth L --heads H --mlp-ratio R
                         patch side, width, blocks, heads, MLP hidden width / D
                                                         [${VIT_DEFAULTS.patch}, ${VIT_DEFAULTS.dim}, ${VIT_DEFAULTS.depth}, ${VIT_DEFAULTS.heads}, ${VIT_DEFAULTS.mlpRatio}]
  --ops FMT:MODE|FILE    formats of LayerNorm, softmax, GELU and the residual adds:
                         one FMT:MODE for every input, output and internal sum, or a
                         JSON file {layernorm: {input, output, acc}, softmax, gelu,
                         residual} of "FMT:MODE" strings                       [fp32]
  --out FILE             run JSON     [reports/out/train/<model>-<arith>-<backend>-s<seed>.json]

Progress goes to stderr; the path of the run JSON is printed on stdout.`;

interface Args {
  model: ModelName; arith: string; backend: BackendName; epochs: number; steps?: number; seed: number;
  subset?: number; testSubset?: number; batch: number; lr: number; out?: string;
  schedule: LrSchedule; norm: 'fashion' | 'none'; weights?: WeightStorageSpec;
  optimizer?: OptimizerSpec; lossScale?: LossScaleSpec; tensorScaling?: TensorScalingSpec;
  vit?: VitOptions; ops?: OpsSpec;
}

function opsArg(v: string): OpsSpec {
  if (!v.endsWith('.json')) return uniformOps(v);
  if (!existsSync(v)) throw new ArithmeticInputError('--ops', `file ${JSON.stringify(v)} not found`);
  let spec: unknown;
  try { spec = JSON.parse(readFileSync(v, 'utf8')); } catch (e) { throw new ArithmeticInputError('--ops', `${v}: not valid JSON (${(e as Error).message})`); }
  return checkOps(spec);
}

function intArg(name: string, v: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < min || n > max) {
    throw new ArithmeticInputError(`--${name}`, `must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`}, got ${JSON.stringify(v ?? null)}`);
  }
  return n;
}

const TRAIN_OPTIONS = Object.fromEntries(['model', 'arith', 'backend', 'epochs', 'steps', 'seed', 'subset', 'test-subset', 'batch', 'lr', 'schedule', 'norm', 'weights', 'out', 'optimizer',
  'weight-decay', 'adam-m', 'adam-v', 'loss-scale', 'tensor-scaling', 'patch', 'dim', 'depth', 'heads', 'mlp-ratio', 'ops'].map((k) => [k, { type: 'string' as const }]));

export function parseTrainArgs(argv: string[]): Args {
  const a: Partial<Args> = { arith: 'fp32', backend: 'fp32', epochs: 1, seed: 1, batch: 32, lr: 0.01, schedule: 'constant', norm: 'fashion' };
  const vit: VitOptions = {};
  const opt: { kind?: 'sgd' | 'adamw'; weightDecay?: number; m?: ReturnType<typeof parseRoundSpec>; v?: ReturnType<typeof parseRoundSpec> } = {};
  // node:util parseArgs (strict) finds the options and their values; the switch below checks them in order.
  for (const { flag: k, value } of parseCommandArgs(argv, TRAIN_OPTIONS).options) {
    const v = value as string; // every train option takes a value: parseArgs has checked it is there
    const take = (): string => v;
    switch (k) {
      case '--model':
        if (!(MODEL_NAMES as readonly string[]).includes(v)) throw new ArithmeticInputError('--model', `must be ${MODEL_NAMES.join(' | ')}, got ${JSON.stringify(v ?? null)}`);
        a.model = take() as ModelName; break;
      case '--arith': if (v === undefined) throw new ArithmeticInputError('--arith', 'needs a preset name or a JSON file'); a.arith = take(); break;
      case '--backend':
        if (!(BACKENDS as readonly string[]).includes(v)) throw new ArithmeticInputError('--backend', `must be ${BACKENDS.join(' | ')}, got ${JSON.stringify(v ?? null)}`);
        a.backend = take() as BackendName; break;
      case '--epochs': a.epochs = intArg('epochs', take(), 1); break;
      case '--steps': a.steps = intArg('steps', take(), 1); break;
      case '--seed': a.seed = intArg('seed', take(), 0, 0xffffffff); break; // seeds are 32-bit: a larger one would wrap
      case '--subset': a.subset = intArg('subset', take(), 1); break;
      case '--test-subset': a.testSubset = intArg('test-subset', take(), 1); break;
      case '--batch': a.batch = intArg('batch', take(), 1); break;
      case '--lr': {
        const x = Number(take());
        if (!(x > 0) || !Number.isFinite(x)) throw new ArithmeticInputError('--lr', `must be a positive number, got ${JSON.stringify(v ?? null)}`);
        a.lr = x; break;
      }
      case '--schedule':
        if (!(LR_SCHEDULES as readonly string[]).includes(v)) throw new ArithmeticInputError('--schedule', `must be ${LR_SCHEDULES.join(' | ')}, got ${JSON.stringify(v ?? null)}`);
        a.schedule = take() as LrSchedule; break;
      case '--norm':
        if (v !== 'fashion' && v !== 'none') throw new ArithmeticInputError('--norm', `must be fashion | none, got ${JSON.stringify(v ?? null)}`);
        a.norm = take() as 'fashion' | 'none'; break;
      case '--weights': if (v === undefined) throw new ArithmeticInputError('--weights', 'needs FMT:rne or FMT:sr[:RBITS]'); a.weights = weightStorage(parseWeightStorage(take()), 0).spec; break;
      case '--out': if (v === undefined) throw new ArithmeticInputError('--out', 'needs a file name'); a.out = take(); break;
      case '--optimizer':
        if (!(OPTIMIZERS as readonly string[]).includes(v)) throw new ArithmeticInputError('--optimizer', `must be ${OPTIMIZERS.join(' | ')}, got ${JSON.stringify(v ?? null)}`);
        opt.kind = take() as 'sgd' | 'adamw'; break;
      case '--weight-decay': {
        const x = Number(take());
        if (v === undefined || !(x >= 0) || !(x < 1)) throw new ArithmeticInputError('--weight-decay', `must be a number in [0, 1), got ${JSON.stringify(v ?? null)}`);
        opt.weightDecay = x; break;
      }
      case '--adam-m': case '--adam-v':
        if (v === undefined) throw new ArithmeticInputError(k, 'needs FMT:rne or FMT:sr[:RBITS]');
        opt[k === '--adam-m' ? 'm' : 'v'] = parseRoundSpec(take(), k); break;
      case '--loss-scale': if (v === undefined) throw new ArithmeticInputError('--loss-scale', 'needs static[:S] or dynamic[:S[:N]]'); a.lossScale = parseLossScale(take()); break;
      case '--tensor-scaling': if (v === undefined) throw new ArithmeticInputError('--tensor-scaling', 'needs amax[:H[:M]]'); a.tensorScaling = parseTensorScaling(take()); break;
      case '--patch': vit.patch = intArg('patch', take(), 1); break;
      case '--dim': vit.dim = intArg('dim', take(), 1); break;
      case '--depth': vit.depth = intArg('depth', take(), 1); break;
      case '--heads': vit.heads = intArg('heads', take(), 1); break;
      case '--mlp-ratio': vit.mlpRatio = intArg('mlp-ratio', take(), 1); break;
      case '--ops': if (v === undefined) throw new ArithmeticInputError('--ops', 'needs FMT:MODE or a JSON file'); a.ops = opsArg(take()); break;
      default: throw new ArithmeticInputError(k, 'unknown option');
    }
  }
  if (a.model === undefined) throw new ArithmeticInputError('--model', `is required (${MODEL_NAMES.join(' | ')})`);
  if (a.model !== 'vit' && (Object.keys(vit).length || a.ops)) throw new ArithmeticInputError('--model', `--patch, --dim, --depth, --heads, --mlp-ratio and --ops are for --model vit, not ${a.model}`);
  if (a.model === 'vit') a.vit = checkVit(vit);
  const kind = opt.kind ?? 'sgd';
  if (kind === 'sgd' && (opt.m || opt.v)) throw new ArithmeticInputError('--adam-m', 'the moment formats are for --optimizer adamw');
  a.optimizer = checkOptimizer(kind === 'sgd'
    ? { kind, ...(opt.weightDecay !== undefined ? { weightDecay: opt.weightDecay } : {}) }
    : { kind, ...(opt.weightDecay !== undefined ? { weightDecay: opt.weightDecay } : {}), ...(opt.m ? { m: opt.m } : {}), ...(opt.v ? { v: opt.v } : {}) });
  return a as Args;
}

/** The GEMM backend by name. `emu` and `rtl` are loaded on demand (native builds). */
export async function openBackend(name: BackendName): Promise<GemmBackend> {
  switch (name) {
    case 'fp32': return fp32Backend;
    case 'emu': return (await import('../train/backends.ts')).emuBackend();
    case 'rtl': return (await import('../train/backends.ts')).rtlBackend();
  }
}

/** One status line: a bar for the epoch, the step, loss, throughput and the time left (training steps; evaluation not counted). */
function progressPrinter(maxSteps?: number): (p: Progress) => void {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  let t0: number | undefined;
  let done0 = 0;
  return (p) => {
    const now = performance.now();
    const done = (p.epoch - 1) * p.stepsPerEpoch + p.step;
    if (t0 === undefined) { t0 = now; done0 = done; }
    const total = Math.min(p.epochs * p.stepsPerEpoch, maxSteps ?? Infinity);
    const rate = (done - done0) / Math.max(1e-9, (now - t0) / 1000);
    const eta = done > done0 && rate > 0 ? ` ETA ${formatDuration((total - done) / rate)}` : '';
    const endOfEpoch = p.step === p.stepsPerEpoch;
    if (!endOfEpoch && now - lastLine < (tty ? 100 : 10_000)) return;
    lastLine = now;
    const width = 24;
    const fill = Math.round((p.step / p.stepsPerEpoch) * width);
    const line = `epoch ${p.epoch}/${p.epochs} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerS)} samples/s${eta}`;
    process.stderr.write(tty ? `\r${line}${endOfEpoch ? '\n' : ''}` : `${line}\n`);
  };
}

export async function trainCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(HELP + '\n'); return 0; }
  let args: Args;
  try {
    args = parseTrainArgs(argv);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ArithmeticInputError) return usageFailure('train', (e as Error).message, HELP);
    throw e;
  }
  let backend: GemmBackend | undefined;
  try {
    const arith = loadArith(args.arith);
    const data = loadFashionMnist();
    const trainSplit = args.subset ? subset(data.train, args.subset) : data.train;
    backend = await openBackend(args.backend);
    const r = await train({ train: trainSplit, test: data.test }, {
      model: args.model, arith, backend, epochs: args.epochs, seed: args.seed, batch: args.batch, lr: args.lr,
      schedule: args.schedule, inputNorm: args.norm === 'fashion' ? FASHION_MNIST_NORM : null,
      weights: args.weights, maxSteps: args.steps, testLimit: args.testSubset, onProgress: progressPrinter(args.steps),
      optimizer: args.optimizer, lossScale: args.lossScale, tensorScaling: args.tensorScaling,
      ...(args.model === 'vit' ? { vit: args.vit, ops: args.ops } : {}),
    });
    const out = args.out ?? join('reports', 'out', 'train', `${args.model}-${arith.name.replace(/[^\w.-]+/g, '_')}${args.weights ? `-w${args.weights.fmt}-${args.weights.mode}${args.weights.kahan ? '-kahan' : ''}` : ''}-${args.backend}-s${args.seed}.json`);
    writeFileAtomic(out, JSON.stringify(r, null, 1) + '\n');
    process.stderr.write(`test accuracy ${r.testAccuracy.map((x) => x.toFixed(4)).join(' ')}; ${r.steps} steps in ${r.wallSeconds.toFixed(1)} s; weights ${r.hash.slice(0, 16)}\n`);
    process.stdout.write(out + '\n');
    return 0;
  } catch (e) {
    if (e instanceof ArithmeticInputError || e instanceof DatasetError || e instanceof RangeError) {
      process.stderr.write(`mpsa train: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await backend?.close?.();
  }
}
