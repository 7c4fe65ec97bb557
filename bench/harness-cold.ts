// Cold processes (part of npm run bench:harness; alone: npx tsx bench/harness-cold.ts): spawns ROUNDS fresh `node --import tsx bench/harness-cold-child.ts` runs on
// the cached bench model (built first if needed) and prints one JSON line of medians, in ms
// since each process started: import_ms (loading the harness), model_ready_ms (the model
// instance exists, build cache checked), first_cycle_ms (time to first cycle), done_ms (after a
// 20,000-cycle per-cycle test), and wall_ms (spawn to exit, as the parent sees it).
import { spawnSync } from 'node:child_process';
import { median } from './support.ts';

const ROUNDS = Number(process.env.MPSA_COLD_ROUNDS ?? '5');
type Marks = { import_ms: number; model_ready_ms: number; first_cycle_ms: number; done_ms: number; wall_ms: number };

function once(): Marks {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/harness-cold-child.ts'], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cold child failed (exit ${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(line) as Omit<Marks, 'wall_ms'>), wall_ms: wall };
}

/** Medians over ROUNDS fresh processes (after one that may build the model, not counted). */
export function measureCold(): Record<string, number> {
  once();
  const runs = Array.from({ length: ROUNDS }, once);
  const med = (k: keyof Marks) => Math.round(median(runs.map((m) => m[k])));
  return { cold_import_ms: med('import_ms'), cold_model_ready_ms: med('model_ready_ms'), cold_first_cycle_ms: med('first_cycle_ms'), cold_done_ms: med('done_ms'), cold_wall_ms: med('wall_ms') };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(measureCold()));
