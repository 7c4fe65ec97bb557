// Edge arithmetic for the C fast path (Simulation.runFast → mpsa_run_edges).
// A clock whose next toggle is at `next` toggles again after `first` steps,
// then `second`, `first`, … (first = high time when the next edge rises).
// Pure: tested in fast-path.test.ts.

/** Time of the k-th upcoming edge (k ≥ 1). */
export function edgeTime(next: number, first: number, second: number, k: number): number {
  const periods = Math.floor((k - 1) / 2);
  return next + periods * (first + second) + ((k - 1) % 2 === 1 ? first : 0);
}

/** How many upcoming edges fall strictly before `bound`. */
export function edgesBefore(next: number, first: number, second: number, bound: number): number {
  if (bound <= next) return 0;
  if (bound === Infinity) return Infinity;
  const period = first + second;
  const full = Math.floor((bound - 1 - next) / period);
  let k = 2 * full + 1;
  if (next + full * period + first < bound) k += 1;
  return k;
}

/**
 * Edges to run before a ClockCycles wait for `remaining` edges of one direction
 * completes, so that the completing edge is handled by the scheduler (its
 * waiter must see pre-edge values). `nextMatches`: the next edge is of that
 * direction.
 */
export function edgesBeforeCount(remaining: number, nextMatches: boolean): number {
  return (nextMatches ? 2 * remaining - 1 : 2 * remaining) - 1;
}

/** Of the next `k` edges, how many rise, when the next edge rises (or not). */
export function risingAmong(k: number, nextRises: boolean): number {
  return nextRises ? Math.ceil(k / 2) : Math.floor(k / 2);
}
