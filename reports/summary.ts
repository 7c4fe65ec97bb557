// The shape of a night: summary.json in reports/out/<date>/ — what index.html is rendered from
// and what later nights read back as history. Every section says whether it has data and, when
// not, why ("not run", the step failed, the tool is not installed); nothing is ever filled in.
import type { TestRecord } from './junit.ts';
import type { VerificationData } from './verification.ts';

export const SUMMARY_SCHEMA = 1;

export type Profile = 'quick' | 'full';

/** A section's data, or the reason there is none. */
export type Section<T> = { available: true; data: T } | { available: false; reason: string };

export const missing = (reason: string): { available: false; reason: string } => ({ available: false, reason });

export type StepStatus = 'ok' | 'failed' | 'timeout' | 'not run';

export interface StepRecord {
  name: string;
  status: StepStatus;
  seconds: number;
  /** What was run (shell-quoted for reading, not for pasting blindly). */
  command?: string;
  /** Path of the step's log, relative to the night's folder. */
  log?: string;
  /** Why it was not run, or how it failed. */
  note?: string;
}

export interface FailureRow extends TestRecord {
  /** Failed in this night but not in the previous night that ran the same test. */
  isNew: boolean;
  /** Night folder relative path of an FST recorded by re-running the test with waves on. */
  waves?: string;
}

export interface SuiteRow {
  file: string;
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

export interface TestsData {
  regressionSeed?: number;
  /** The JUnit inputs (shard files), relative to the night's folder or as given. */
  inputs: string[];
  totals: { tests: number; passed: number; failed: number; skipped: number; seconds: number };
  suites: SuiteRow[];
  failures: FailureRow[];
  /** Tests that failed in the previous night and pass now. */
  fixed: string[];
  previousNight?: string;
  /** Every test's id and state: the next night's new-vs-known comparison. */
  states: Record<string, 'passed' | 'failed' | 'skipped'>;
  /** Ids reported by more than one shard. */
  duplicates: string[];
}

export interface ModelCase { config: string; shape: string; stalled: boolean; measured: number; predicted: number }
export interface ModelData { cases: number; exact: number; maxErrorCycles: number; perCase: ModelCase[] }

export interface SynthRow {
  design: string; config: string; kind: string; target: string; lut: number; ff: number; dsp: number; bram: number;
  fmaxMhz: number | null; fmaxNote: string; seconds: number;
  /** MACs per clock of the design; the clock's kind (routed, logic-only); a P&R result's part and utilisation. */
  macs?: number; fmaxKind?: 'routed' | 'logic-only'; fit?: { part: string; fits: boolean; reason?: string };
  utilisation?: Record<string, { used: number; available: number }>;
}

export interface HarnessBench { per_cycle_hz: number; bulk_hz: number; native_hz: number; [k: string]: unknown }
export interface EmuBench { arith: string; mode: string; threads: number; shape: string; gmacs: number; golden_gmacs?: number; [k: string]: unknown }
export interface GemmBench { config: string; shape: string; rtl_macs: number; golden_macs: number; cycles: number; [k: string]: unknown }
export interface GoldenBench { bench: string; [k: string]: unknown }

export interface TrainingRun { label: string; model: string; arith: string; backend: string; steps: number; loss: number[]; testAccuracy: number[]; wallSeconds: number; hash?: string }

/** reports/out/accuracy.json as written by `npm run train:table`: rows are shown as given. */
export interface AccuracyTable { source: string; rows: Record<string, unknown>[] }

export interface NightSummary {
  schema: typeof SUMMARY_SCHEMA;
  date: string;
  profile: Profile;
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  git: { commit: string; dirty: boolean } | null;
  host: { cpus: number; node: string };
  steps: StepRecord[];
  tests: Section<TestsData>;
  model: Section<ModelData>;
  synth: Section<SynthRow[]>;
  bench: { harness: Section<HarnessBench>; emu: Section<EmuBench[]>; gemm: Section<GemmBench[]>; golden: Section<GoldenBench[]> };
  training: { runs: Section<TrainingRun[]>; accuracy: Section<AccuracyTable> };
  /** Seed, regression list, coverage and mutation (reports/verification.ts); absent in older nights. */
  verification?: VerificationData;
}
