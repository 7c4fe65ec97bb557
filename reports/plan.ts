// What a night runs, per profile. quick (the default, well under 30 minutes on 2 cores): the
// `make test` suites with JUnit, a short model validation, per-PE synthesis of the
// configurations (cached), the benchmarks with short windows and two short training runs.
// full: the long property runs (MPSA_PROFILE=nightly), synthesis of the cost table too, longer
// benchmarks and training, a training run on the RTL and the accuracy table when it exists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepSpec } from './step.ts';
import type { Profile } from './summary.ts';

export const STEP_GROUPS = ['typecheck', 'lint', 'tests', 'waves', 'coverage', 'mutation', 'model', 'synth', 'bench', 'train', 'screenshot'] as const;
export type StepGroup = (typeof STEP_GROUPS)[number];

/** `bench-emu` → `bench`: --only/--skip name groups or single steps. */
export const groupOf = (step: string): string => step.split('-')[0];

export interface TrainPlan { label: string; args: string[]; timeoutS: number }

const MIN = 60;

/** The tests under the night's regression seed (reports/seeds.ts: from the date, or MPSA_SEED when set). */
export function testStep(profile: Profile, junit: string, seed: number, shard?: string): StepSpec {
  return {
    name: 'tests',
    cmd: ['npx', 'vitest', 'run', ...(shard ? ['--shard', shard] : [])],
    env: { MPSA_PROFILE: profile === 'full' ? 'nightly' : 'quick', MPSA_JUNIT: junit, MPSA_SEED: String(seed), ...(profile === 'full' ? { MPSA_RTL_COVERAGE: '1' } : {}) },
    timeoutS: profile === 'full' ? 240 * MIN : 25 * MIN,
    live: 'vitest',
  };
}

/** Random mutants a full night plants beside the fixed list (docs/testing.md, "Mutation testing"). */
export const NIGHT_RANDOM_MUTANTS = 24;

/** Mutation testing of the RTL, full profile only: the fixed list and random mutants drawn by the night's seed. */
export function mutationStep(profile: Profile, seed: number, out: string): StepSpec | undefined {
  if (profile !== 'full') return undefined;
  return { name: 'mutation', cmd: ['npx', 'tsx', 'scripts/mutate.ts', '--random', String(NIGHT_RANDOM_MUTANTS), '--seed', String(seed), '--json', '--out', out], timeoutS: 360 * MIN };
}

const SYNTH_FULL = [
  'npx mpsa synth all --jobs 2 --json',
  'npx mpsa synth configs --whole --target ice40 --config int8-2x4 --bitstream --json',
  'npx mpsa synth configs --whole --target ice40 --config e4m3-2x2-fp16-fused --pnr-device hx8k --bitstream --json',
].join(' && ');

/** Steps that need no earlier step's result (tests and waves are run by reports/nightly.ts). */
export function independentSteps(profile: Profile): StepSpec[] {
  const full = profile === 'full';
  return [
    { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit', '-p', '.'], timeoutS: 5 * MIN },
    { name: 'lint', cmd: ['bash', 'scripts/lint.sh'], timeoutS: 10 * MIN },
    { name: 'model', cmd: ['npx', 'mpsa', 'model', 'validate', '--json', '--cases', full ? '300' : '40', '--random-configs', full ? '8' : '2'], timeoutS: (full ? 90 : 20) * MIN, live: 'jobs' },
    // full: the cost table too, and the two whole arrays sized for an iCE40, placed and routed with bitstreams.
    { name: 'synth', cmd: full ? ['bash', '-c', SYNTH_FULL] : ['npx', 'mpsa', 'synth', 'configs', '--jobs', '2', '--json'], timeoutS: (full ? 300 : 15) * MIN, live: 'jobs' },
    { name: 'bench-harness', cmd: ['npm', 'run', '--silent', 'bench:harness'], env: { MPSA_BENCH_SCALE: full ? '1' : '0.2' }, timeoutS: 10 * MIN },
    { name: 'bench-emu', cmd: ['npm', 'run', '--silent', 'bench:emu'], env: full ? {} : { MPSA_BENCH_SIZE: '128', MPSA_BENCH_REPEATS: '2' }, timeoutS: (full ? 30 : 8) * MIN },
    { name: 'bench-gemm', cmd: ['npm', 'run', '--silent', 'bench:gemm'], timeoutS: (full ? 30 : 10) * MIN },
    { name: 'bench-golden', cmd: ['npm', 'run', '--silent', 'bench:golden'], env: { MPSA_BENCH_SECONDS: full ? '0.5' : '0.1' }, timeoutS: (full ? 30 : 8) * MIN },
  ];
}

/** The ViT recipe of the accuracy table's ViT rows, with bf16 sr AdamW moments and dynamic loss scaling. */
const VIT_ARGS = ['--optimizer', 'adamw', '--weight-decay', '0.05', '--lr', '0.002', '--schedule', 'cosine', '--adam-m', 'bf16:sr', '--adam-v', 'bf16:sr', '--loss-scale', 'dynamic'];

/** Short seeded Fashion-MNIST runs; each writes its run JSON into the night's train/ folder. */
export function trainPlans(profile: Profile): TrainPlan[] {
  const size = profile === 'full' ? ['--epochs', '3', '--subset', '20000', '--test-subset', '10000'] : ['--epochs', '2', '--subset', '2000', '--test-subset', '1000'];
  const t = (profile === 'full' ? 60 : 6) * MIN;
  const plans: TrainPlan[] = [
    { label: 'mlp-fp32', args: ['--model', 'mlp', '--arith', 'fp32', '--backend', 'fp32', ...size], timeoutS: t },
    { label: 'mlp-fp8-bf16-sr-emu', args: ['--model', 'mlp', '--arith', 'fp8-bf16-sr', '--backend', 'emu', ...size], timeoutS: t },
    // The ViT (docs/training.md, "A ViT in custom precision"): attention GEMMs in fp8 too, AdamW with bf16 sr moments, dynamic loss scaling.
    { label: 'vit-fp8-bf16-sr-emu', args: ['--model', 'vit', '--arith', 'fp8-bf16-sr', '--backend', 'emu', ...VIT_ARGS, ...size], timeoutS: t },
  ];
  if (profile === 'full') {
    plans.push({ label: 'mlp-e4m3-fp16-rne-emu', args: ['--model', 'mlp', '--arith', 'e4m3-fp16-rne', '--backend', 'emu', ...size], timeoutS: t },
      { label: 'mlp-fp8-bf16-sr-rtl', args: ['--model', 'mlp', '--arith', 'fp8-bf16-sr', '--backend', 'rtl', '--steps', '20', '--test-subset', '200'], timeoutS: 60 * MIN },
      { label: 'vit-fp8-bf16-sr-rtl', args: ['--model', 'vit', '--arith', 'fp8-bf16-sr', '--backend', 'rtl', ...VIT_ARGS, '--batch', '8', '--steps', '10', '--subset', '2000', '--test-subset', '64'], timeoutS: 60 * MIN });
  }
  return plans;
}

/** `npm run train:table` (writes reports/out/accuracy.json) in the full profile, once the script exists. */
export function accuracyTableStep(profile: Profile, repo: string): StepSpec | undefined {
  if (profile !== 'full') return undefined;
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.['train:table']) return undefined;
  return { name: 'train-table', cmd: ['npm', 'run', '--silent', 'train:table'], timeoutS: 180 * MIN };
}
