// A free-running clock on a 1-bit input. The scheduler toggles it itself (no
// task per clock), which is what lets the C fast path take over.
import { currentSim } from './current.ts';
import type { Signal } from './signal.ts';
import type { ClockRunner, Simulation } from './simulation.ts';
import { type TimeUnit, toSteps } from './time-units.ts';

export interface ClockStartOptions {
  /** Start with a rising edge now (the first half period is high). @defaultValue true */
  startHigh?: boolean;
}

export class Clock {
  private runner: ClockRunner | undefined;
  private sim: Simulation | undefined;

  /** `period` in `unit`s; high for ⌊period/2⌋ steps, low for the rest. */
  constructor(
    readonly signal: Signal,
    readonly period: number,
    readonly unit: TimeUnit = 'step',
  ) {}

  start(options: ClockStartOptions = {}): this {
    if (this.runner) throw new Error(`Clock(${this.signal.name}) is already running`);
    const sim = currentSim();
    const steps = toSteps(this.period, this.unit, sim.model.precision);
    if (steps < 2) throw new RangeError(`Clock(${this.signal.name}, ${this.period}, '${this.unit}'): a period needs at least 2 steps of the model's time precision`);
    const high = Math.floor(steps / 2);
    this.runner = sim.startClock(this.signal, high, steps - high, options.startHigh ?? true);
    this.sim = sim;
    return this;
  }

  stop(): void {
    if (this.runner && this.sim) this.sim.stopClock(this.runner);
    this.runner = undefined;
  }
}
