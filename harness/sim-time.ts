// cocotb's get_sim_time: the running test's simulated time.
import { currentSim } from './current.ts';
import { type TimeUnit, fromSteps } from './time-units.ts';

/** The current simulated time in `unit`s (default ns). */
export function getSimTime(unit: TimeUnit = 'ns'): number {
  const sim = currentSim();
  return fromSteps(sim.time, unit, sim.model.precision);
}
