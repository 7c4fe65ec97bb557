// The simulation that the running test drives. Triggers without a signal
// (Timer, ReadOnly, Event, startSoon) find their scheduler here, as cocotb's
// module-level functions do. One test runs at a time per worker process; the
// test runner sets and clears this around each test.
import { PhaseError } from './errors.ts';
import type { Simulation } from './simulation.ts';

let active: Simulation | undefined;

export function currentSim(): Simulation {
  if (active === undefined) throw new PhaseError('no simulation is running: triggers, Clock and startSoon work only inside a harness test');
  return active;
}

export function setCurrentSim(sim: Simulation | undefined): void {
  if (sim !== undefined && active !== undefined && !active.ended) {
    throw new PhaseError('a simulation is already running in this process: harness tests cannot run concurrently (test.concurrent)');
  }
  active = sim;
}

/** The running model's native side, for functions of extra C++ sources (DesignSpec.cxxSources). */
export interface NativeModel {
  /** The MpsaInstance pointer to pass as the first argument (see native/mpsa_shim.h). */
  readonly handle: unknown;
  /** Binds an exported function of the model's .so by C prototype, e.g. 'double f(void *, double)'. */
  func(prototype: string): (...args: unknown[]) => unknown;
}

export function nativeModel(): NativeModel {
  const { model } = currentSim();
  return { handle: model.handle, func: (p) => model.lib.func(p) };
}
