// `npm run train:table`: the Fashion-MNIST accuracy table of docs/training.md. Runs each row
// (model × arithmetic × backend, fixed seed and recipe) one after the other, writes every run JSON
// under reports/out/train/ and, after each row, the summary reports/out/accuracy.json and
// reports/out/accuracy.md (atomically). A row whose run JSON already holds the same recipe is
// reused unless --force, so an interrupted table resumes where it stopped.
//
//   npm run train:table                       # every row (about 50 minutes on a loaded 2-core VM)
//   npm run train:table -- --rows mlp-fp32,cnn-fp32
//   npm run train:table -- --quick            # smoke test: 2000 images, 1 epoch, 1000 test images
//   npm run train:table -- --seed 2 --rows mlp-fp8-bf16-rne,mlp-fp8-bf16-sr   # another seed (files *-s2)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../cli/fs-atomic.ts';
import { loadArith } from '../train/arith.ts';
import { FASHION_MNIST_NORM, loadFashionMnist, subset, type InputNorm } from '../train/data.ts';
import { fp32Backend, type GemmBackend } from '../train/gemm.ts';
import type { ModelName } from '../train/nn.ts';
import { train, type LrSchedule, type Progress, type RunResult } from '../train/run.ts';
import type { WeightStorageSpec } from '../train/weights.ts';
import type { OptimizerSpec } from '../train/optim.ts';
import type { LossScaleSpec, TensorScalingSpec } from '../train/scaling.ts';
import type { VitOptions } from '../train/vit.ts';

export interface Row {
  id: string;
  model: ModelName;
  arith: string;
  backend: 'fp32' | 'emu';
  epochs: number;
  batch: number;
  lr: number;
  schedule: LrSchedule;
  /** What the row is for, in the table. */
  note: string;
  /** Low-precision weight storage (train/weights.ts); fp32 weights when absent. */
  weights?: WeightStorageSpec;
  /** The optimiser; SGD with momentum 0.9 when absent. */
  optimizer?: OptimizerSpec;
  /** The ViT's shape (model 'vit'). */
  vit?: VitOptions;
  /** Loss scaling (train/scaling.ts); none when absent. */
  lossScale?: LossScaleSpec;
  /** Per-tensor scaling of the fp8 GEMM operands (train/scaling.ts); none when absent. */
  tensorScaling?: TensorScalingSpec;
  /** Train on the first N training images only (rows whose arithmetic is too slow to emulate over all 60000). */
  trainSubset?: number;
}

/** The table's seed; --seed S runs the same rows with another one (files get a -sS suffix). */
export const SEED = 1;
const mlp = { model: 'mlp' as const, batch: 32, lr: 0.02, schedule: 'cosine' as const };
const cnn = { model: 'cnn' as const, batch: 32, lr: 0.02, schedule: 'cosine' as const };
/** The ViT recipe (docs/training.md, "A ViT"): patch 7, width 32, 2 blocks, 4 heads, MLP ×2; AdamW, lr 0.002 cosine, decay 0.05. */
const VIT: VitOptions = { patch: 7, dim: 32, depth: 2, heads: 4, mlpRatio: 2 };
const vit = { model: 'vit' as const, vit: VIT, batch: 32, lr: 0.002, schedule: 'cosine' as const, optimizer: { kind: 'adamw', weightDecay: 0.05 } as OptimizerSpec };
const adamw = (m: string, v: string): OptimizerSpec => ({ kind: 'adamw', weightDecay: 0.05, m, v });

/** The table, in the order it runs (cheapest informative rows first after the fp32 targets). */
export const ROWS: Row[] = [
  { id: 'mlp-fp32', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 5, note: 'fp32 target (≥ 0.88)' },
  { id: 'cnn-fp32', ...cnn, arith: 'fp32', backend: 'fp32', epochs: 5, note: 'fp32 target (≥ 0.90)' },
  { id: 'mlp-fp32-1ep', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, note: 'fp32 at the 1-epoch budget' },
  { id: 'mlp-fp8-fp32', ...mlp, arith: 'fp8-fp32', backend: 'emu', epochs: 1, note: 'fp8 operands, fp32 accumulation (reference)' },
  { id: 'mlp-fp8-bf16-rne', ...mlp, arith: 'fp8-bf16-rne', backend: 'emu', epochs: 1, note: 'fp8, bf16 accumulation, rne' },
  { id: 'mlp-fp8-bf16-sr', ...mlp, arith: 'fp8-bf16-sr', backend: 'emu', epochs: 1, note: 'fp8, bf16 accumulation, sr (8 random bits)' },
  { id: 'mlp-bf16', ...mlp, arith: 'bf16', backend: 'emu', epochs: 1, note: 'bf16 operands, fp32 accumulation, rne' },
  { id: 'mlp-fp8-e6m4-rne', ...mlp, arith: 'fp8-e6m4-rne', backend: 'emu', epochs: 1, note: 'fp8, e6m4 accumulation (5-bit significand), rne' },
  { id: 'mlp-fp8-e6m4-sr', ...mlp, arith: 'fp8-e6m4-sr', backend: 'emu', epochs: 1, note: 'fp8, e6m4 accumulation, sr (8 random bits)' },
  // What exact (Kulisch) and compensated (Kahan) accumulation buy next to rne and sr, in e6m4.
  { id: 'mlp-fp8-e6m4-kahan', ...mlp, arith: 'fp8-e6m4-kahan', backend: 'emu', epochs: 1, note: 'fp8, e6m4 accumulation, rne, Kahan-compensated' },
  { id: 'mlp-fp8-e6m4-exact', ...mlp, arith: 'fp8-e6m4-exact', backend: 'emu', epochs: 1, note: 'fp8, exact (Kulisch) accumulation rounded once into e6m4, rne' },
  // Low-precision weight storage, updates rounded rne vs sr (fp32 GEMMs and momentum): where sr
  // recovers accuracy — rne drops every update below half an ulp of the weight.
  { id: 'mlp-w-bf16-rne', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, weights: { fmt: 'bf16', mode: 'rne' }, note: 'bf16 weights, update rounded rne' },
  { id: 'mlp-w-bf16-sr', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, weights: { fmt: 'bf16', mode: 'sr', rbits: 8 }, note: 'bf16 weights, update rounded sr (8 random bits)' },
  { id: 'mlp-w-e8m4-rne', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, weights: { fmt: 'e8m4', mode: 'rne' }, note: 'e8m4 weights (5-bit significand), update rounded rne' },
  { id: 'mlp-w-e8m4-sr', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, weights: { fmt: 'e8m4', mode: 'sr', rbits: 8 }, note: 'e8m4 weights, update rounded sr (8 random bits)' },
  // The same stored weights with Kahan-compensated updates (a compensation per weight in the weight format).
  { id: 'mlp-w-bf16-kahan', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, weights: { fmt: 'bf16', mode: 'rne', kahan: true }, note: 'bf16 weights, update rne with Kahan compensation' },
  { id: 'mlp-w-e8m4-kahan', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 1, weights: { fmt: 'e8m4', mode: 'rne', kahan: true }, note: 'e8m4 weights, update rne with Kahan compensation' },
  // Block floating point (docs/training.md, "Block floating point (FAST)"): a 3-epoch budget, so
  // the FAST schedule has three stages; fp32 at the same budget for reference.
  { id: 'mlp-fp32-3ep', ...mlp, arith: 'fp32', backend: 'fp32', epochs: 3, note: 'fp32 at the 3-epoch BFP budget' },
  { id: 'mlp-bfp-fast', ...mlp, arith: 'bfp-fast', backend: 'emu', epochs: 3, note: 'BFP block 16, sr: hidden 2→3→4 bits, first/last 3→4→4' },
  { id: 'mlp-bfp4', ...mlp, arith: 'bfp4', backend: 'emu', epochs: 3, note: 'BFP 4 bits throughout (the schedule\'s final width), sr' },
  { id: 'mlp-bfp3', ...mlp, arith: 'bfp3', backend: 'emu', epochs: 3, note: 'BFP 3 bits throughout (about the schedule\'s mean width), sr' },
  { id: 'mlp-bfp2', ...mlp, arith: 'bfp2', backend: 'emu', epochs: 3, note: 'BFP 2 bits throughout (the schedule\'s first width), sr' },
  { id: 'mlp-bfp-fast-rne', ...mlp, arith: 'bfp-fast-rne', backend: 'emu', epochs: 3, note: 'the FAST schedule with rne quantizers' },
  // The ViT (docs/training.md, "A ViT in custom precision"): the fp32 target over 8 epochs (4
  // stopped at 0.8639), the comparisons at a 1-epoch budget next to fp32 at that budget.
  { id: 'vit-fp32-1ep', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, note: 'ViT fp32 at the 1-epoch budget' },
  { id: 'vit-fp32', ...vit, arith: 'fp32', backend: 'fp32', epochs: 8, note: 'ViT fp32 target (≥ 0.87)' },
  { id: 'vit-fp32-4ep', ...vit, arith: 'fp32', backend: 'fp32', epochs: 4, note: 'ViT fp32, 4 epochs (short of the target)' },
  { id: 'vit-fp8', ...vit, arith: 'fp8-bf16-sr', backend: 'emu', epochs: 1, note: 'e4m3 forward, e5m2 gradients, bf16 accumulation sr, no scaling' },
  { id: 'vit-fp8-ts', ...vit, arith: 'fp8-bf16-sr', backend: 'emu', epochs: 1, tensorScaling: { history: 16, margin: 0 }, note: 'the same with per-tensor delayed scaling (amax history 16)' },
  { id: 'vit-fp8-fp16', ...vit, arith: 'fp8-fp16-rne', backend: 'emu', epochs: 1, note: 'e4m3 forward, e5m2 gradients, fp16 accumulation (fp16 gradients), no loss scaling' },
  { id: 'vit-fp8-fp16-dls', ...vit, arith: 'fp8-fp16-rne', backend: 'emu', epochs: 1, lossScale: { kind: 'dynamic', init: 2 ** 15, growthInterval: 200 }, note: 'the same with dynamic loss scaling (2^15, ×2 after 200 good steps)' },
  // The optimiser-state rows: fp32 GEMMs, 1 epoch on the first 20000 images (time on this VM).
  { id: 'vit-fp32-20k', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, trainSubset: 20000, note: 'AdamW fp32 state, first 20000 images' },
  { id: 'vit-adam-bf16-rne', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, trainSubset: 20000, optimizer: adamw('bf16:rne', 'bf16:rne'), note: 'AdamW moments stored in bf16, rne' },
  { id: 'vit-adam-bf16-sr', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, trainSubset: 20000, optimizer: adamw('bf16:sr', 'bf16:sr'), note: 'AdamW moments stored in bf16, sr (8 random bits)' },
  { id: 'vit-adam-fp8-rne', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, trainSubset: 20000, optimizer: adamw('e4m3:rne', 'e5m2:rne'), note: 'AdamW m in e4m3, v in e5m2, rne' },
  { id: 'vit-adam-fp8-sr', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, trainSubset: 20000, optimizer: adamw('e4m3:sr', 'e5m2:sr'), note: 'AdamW m in e4m3, v in e5m2, sr (8 random bits)' },
  { id: 'vit-bf16', ...vit, arith: 'bf16', backend: 'emu', epochs: 1, note: 'bf16 operands, fp32 accumulation, every GEMM' },
  { id: 'vit-adam-bf16-rne-60k', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, optimizer: adamw('bf16:rne', 'bf16:rne'), note: 'AdamW moments in bf16, rne, all 60000 images (reference: vit-fp32-1ep)' },
  { id: 'vit-adam-bf16-sr-60k', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, optimizer: adamw('bf16:sr', 'bf16:sr'), note: 'AdamW moments in bf16, sr, all 60000 images (reference: vit-fp32-1ep)' },
  // A first guess at the emu kernel's bf16 speed (from synthetic codes) was too low; this pair on
  // the first 6000 images ran before the full-data row above.
  { id: 'vit-fp32-6k', ...vit, arith: 'fp32', backend: 'fp32', epochs: 1, trainSubset: 6000, note: 'fp32 on the first 6000 training images' },
  { id: 'vit-bf16-6k', ...vit, arith: 'bf16', backend: 'emu', epochs: 1, trainSubset: 6000, note: 'bf16 operands, fp32 accumulation, every GEMM; first 6000 images' },
];

export interface TableArgs { rows: Row[]; quick: boolean; force: boolean; threads: number; outDir: string; seed: number }

export function parseTableArgs(argv: string[]): TableArgs {
  const a: TableArgs = { rows: ROWS, quick: false, force: false, threads: 1, outDir: join('reports', 'out'), seed: SEED };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    switch (k) {
      case '--quick': a.quick = true; break;
      case '--force': a.force = true; break;
      case '--rows': {
        if (v === undefined) throw new RangeError('--rows: needs a comma-separated list of row ids');
        const ids = v.split(',').filter(Boolean);
        const unknown = ids.filter((id) => !ROWS.some((r) => r.id === id));
        if (unknown.length) throw new RangeError(`--rows: unknown row ${unknown.join(', ')} (rows: ${ROWS.map((r) => r.id).join(', ')})`);
        a.rows = ROWS.filter((r) => ids.includes(r.id));
        i++; break;
      }
      case '--threads': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`--threads: must be an integer in 1..64, got ${JSON.stringify(v ?? null)}`);
        a.threads = n; i++; break;
      }
      case '--seed': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`--seed: must be a uint32, got ${JSON.stringify(v ?? null)}`);
        a.seed = n; i++; break;
      }
      case '--out-dir': if (v === undefined) throw new RangeError('--out-dir: needs a folder'); a.outDir = v; i++; break;
      default: throw new RangeError(`${k}: unknown option (--quick, --force, --rows a,b, --seed S, --threads N, --out-dir DIR)`);
    }
  }
  return a;
}

/** The recipe a row runs under (the quick profile shrinks the data and the epochs). */
export function recipeOf(row: Row, quick: boolean, seed = SEED) {
  return {
    model: row.model, arith: row.arith, backend: row.backend, seed,
    epochs: quick ? 1 : row.epochs, batch: row.batch, lr: row.lr, schedule: row.schedule,
    inputNorm: FASHION_MNIST_NORM as InputNorm,
    trainSubset: quick ? Math.min(2000, row.trainSubset ?? 2000) : row.trainSubset ?? null, testSubset: quick ? 1000 : null,
    ...(row.weights ? { weights: row.weights } : {}),
    ...(row.vit ? { vit: row.vit } : {}),
    ...(row.optimizer ? { optimizer: row.optimizer } : {}),
    ...(row.lossScale ? { lossScale: row.lossScale } : {}),
    ...(row.tensorScaling ? { tensorScaling: row.tensorScaling } : {}),
  };
}
export type Recipe = ReturnType<typeof recipeOf>;

export interface Summary {
  id: string; model: string; arith: string; backend: string; note: string;
  epochs: number; steps: number; batch: number; lr: number; schedule: string;
  finalAccuracy: number; bestAccuracy: number; bestEpoch: number; finalTrainLoss: number;
  overflow: number; underflow: number; invalid: number; wallSeconds: number;
  /** Loss scaling: steps skipped on a non-finite gradient, and the final scale. */
  skippedSteps?: number; finalLossScale?: number;
  /** Per-tensor scaling: operand elements clipped at the format's largest value. */
  saturations?: number;
  /** AdamW: overflows/underflows of the stored moments. */
  momentUnderflow?: number;
}

/** One table row from a run: accuracies, the last epoch's mean training loss, summed counters. */
export function summarize(row: Row, r: RunResult): Summary {
  const acc = r.testAccuracy;
  let best = 0;
  for (let i = 1; i < acc.length; i++) if (acc[i] > acc[best]) best = i;
  const counters = Object.values(r.counters);
  const sum = (k: 'overflow' | 'underflow' | 'invalid') => counters.reduce((s, c) => s + c[k], 0);
  return {
    id: row.id, model: r.model, arith: r.weights ? `${r.arith}, weights ${r.weights.fmt} ${r.weights.mode}${r.weights.kahan ? ' kahan' : ''}` : r.arith, backend: r.backend, note: row.note,
    epochs: acc.length, steps: r.steps, batch: r.batch, lr: r.lr, schedule: r.schedule,
    finalAccuracy: acc[acc.length - 1] ?? NaN, bestAccuracy: acc[best] ?? NaN, bestEpoch: best + 1,
    finalTrainLoss: r.epochLoss[r.epochLoss.length - 1] ?? NaN,
    overflow: sum('overflow'), underflow: sum('underflow'), invalid: sum('invalid'),
    wallSeconds: r.wallSeconds,
    ...(r.lossScaling ? { skippedSteps: r.lossScaling.skippedSteps, finalLossScale: r.lossScaling.finalScale } : {}),
    ...(r.tensorScaling ? { saturations: r.tensorScaling.saturations } : {}),
    ...(momentUnderflow(r) !== undefined ? { momentUnderflow: momentUnderflow(r) } : {}),
  };
}

function momentUnderflow(r: RunResult): number | undefined {
  const c = (r.optimizer as { stateCounts?: { m: { underflow: number } | null; v: { underflow: number } | null } } | undefined)?.stateCounts;
  if (!c || (!c.m && !c.v)) return undefined;
  return (c.m?.underflow ?? 0) + (c.v?.underflow ?? 0);
}

/** Four decimals; a diverged run's NaN (null once it went through JSON) as NaN. */
const f4 = (x: number | null): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : 'NaN');

export function markdownTable(rows: Summary[]): string {
  const head = '| run | model | arithmetic | backend | epochs | final test acc | best (epoch) | final train loss | overflow | underflow | wall s |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|\n';
  return head + rows.map((s) =>
    `| ${s.id} | ${s.model} | ${s.arith} | ${s.backend} | ${s.epochs} | ${f4(s.finalAccuracy)} | ${f4(s.bestAccuracy)} (${s.bestEpoch}) | ${f4(s.finalTrainLoss)} | ${s.overflow} | ${s.underflow} | ${Math.round(s.wallSeconds)} |`,
  ).join('\n') + '\n';
}

const sameRecipe = (x: unknown, y: Recipe) => JSON.stringify(x) === JSON.stringify(y);

function progress(id: string): (p: Progress) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (p.step !== p.stepsPerEpoch && now - last < 15_000) return;
    last = now;
    process.stderr.write(`[${id}] epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.stepsPerEpoch} loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerS)} samples/s\n`);
  };
}

async function main(argv: string[]): Promise<number> {
  let args: TableArgs;
  try {
    args = parseTableArgs(argv);
  } catch (e) {
    process.stderr.write(`accuracy-table: ${(e as Error).message}\n`);
    return 2;
  }
  const data = loadFashionMnist();
  const suffix = (args.quick ? '-quick' : '') + (args.seed === SEED ? '' : `-s${args.seed}`);
  const summaryJson = join(args.outDir, `accuracy${suffix}.json`);
  const summaryMd = join(args.outDir, `accuracy${suffix}.md`);
  // Rows of earlier invocations stay in the summary (a --rows run adds to it).
  const summaries = new Map<string, Summary>();
  if (existsSync(summaryJson)) for (const s of (JSON.parse(readFileSync(summaryJson, 'utf8')) as { rows: Summary[] }).rows) summaries.set(s.id, s);
  let emu: GemmBackend | undefined;
  for (const [n, row] of args.rows.entries()) {
    const recipe = recipeOf(row, args.quick, args.seed);
    const file = join(args.outDir, 'train', `table-${row.id}${suffix}.json`);
    let result: RunResult | undefined;
    if (!args.force && existsSync(file)) {
      const old = JSON.parse(readFileSync(file, 'utf8')) as RunResult & { recipe?: unknown };
      if (sameRecipe(old.recipe, recipe)) result = old;
    }
    if (result) {
      process.stderr.write(`[${row.id}] (${n + 1}/${args.rows.length}) reusing ${file}\n`);
    } else {
      process.stderr.write(`[${row.id}] (${n + 1}/${args.rows.length}) ${row.model} ${row.arith} on ${row.backend}, ${recipe.epochs} epoch(s)\n`);
      const backend = row.backend === 'fp32' ? fp32Backend : (emu ??= (await import('../train/backends.ts')).emuBackend(args.threads));
      const r = await train({
        train: recipe.trainSubset ? subset(data.train, recipe.trainSubset) : data.train,
        test: recipe.testSubset ? subset(data.test, recipe.testSubset) : data.test,
      }, {
        model: row.model, arith: loadArith(row.arith), backend, epochs: recipe.epochs, seed: recipe.seed,
        batch: row.batch, lr: row.lr, schedule: row.schedule, inputNorm: recipe.inputNorm, weights: row.weights, onProgress: progress(row.id),
        ...(row.vit ? { vit: row.vit } : {}), optimizer: row.optimizer, lossScale: row.lossScale, tensorScaling: row.tensorScaling,
      });
      result = r;
      writeFileAtomic(file, JSON.stringify({ recipe, ...r }, null, 1) + '\n');
    }
    const s = summarize(row, result);
    summaries.set(row.id, s);
    process.stderr.write(`[${row.id}] test accuracy ${result.testAccuracy.map((x) => x.toFixed(4)).join(' ')}; ${Math.round(result.wallSeconds)} s\n`);
    const ordered = ROWS.map((r) => summaries.get(r.id)).filter((x): x is Summary => x !== undefined);
    writeFileAtomic(summaryJson, JSON.stringify({ quick: args.quick, seed: args.seed, inputNorm: FASHION_MNIST_NORM, rows: ordered }, null, 1) + '\n');
    writeFileAtomic(summaryMd, markdownTable(ordered));
  }
  await emu?.close?.();
  process.stdout.write(`${summaryMd}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((rc) => { process.exitCode = rc; }, (e) => { console.error(e); process.exitCode = 1; });
}
