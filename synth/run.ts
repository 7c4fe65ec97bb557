// Runs a set of synthesis jobs with limited parallelism (each Yosys is single-threaded and an
// array can take gigabytes), reporting each start and finish to a listener.
import type { Design } from './design.ts';
import { readCommitted } from './committed.ts';
import { synthesize, type FlowOptions, type ResultSource, type SynthResult } from './flow.ts';
import type { Target } from './stat.ts';

export interface Job {
  design: Design;
  target: Target;
}

export type JobEvent =
  | { type: 'start'; job: Job; index: number; total: number }
  | { type: 'done'; job: Job; index: number; total: number; result: SynthResult; cached: boolean; source: ResultSource; seconds: number };

/** How long a job took the last time it ran: its committed result for that target, whatever its key. */
export function lastSeconds(job: Job): number | undefined {
  return readCommitted(job.design.id).find((r) => r.target === job.target)?.seconds;
}

export interface RunOptions extends FlowOptions {
  /** Jobs at a time (default 1). */
  parallel?: number;
  onEvent?: (e: JobEvent) => void;
}

/**
 * Runs every job (cached ones return at once); results in job order. The first failure stops new
 * jobs and is thrown. With `cachedOnly`, jobs without a cached result are left out.
 */
export async function runJobs(jobs: readonly Job[], opts: RunOptions = {}): Promise<SynthResult[]> {
  const results: (SynthResult | undefined)[] = new Array(jobs.length);
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      opts.onEvent?.({ type: 'start', job, index, total: jobs.length });
      const t0 = performance.now();
      try {
        const r = await synthesize(job.design, job.target, { ...opts, cachedOnly: opts.cachedOnly === true });
        if (r === null) continue;
        const { cached, source, ...result } = r;
        results[index] = result;
        opts.onEvent?.({ type: 'done', job, index, total: jobs.length, result, cached, source, seconds: (performance.now() - t0) / 1000 });
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 1, jobs.length)) }, worker));
  if (failure !== undefined) throw failure;
  return results.filter((r): r is SynthResult => r !== undefined);
}
