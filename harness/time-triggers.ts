// Triggers on time and phases: Timer, ReadWrite, ReadOnly.
import { PhaseError } from './errors.ts';
import type { Simulation } from './simulation.ts';
import { type TimeUnit, toSteps } from './time-units.ts';
import { Trigger } from './trigger.ts';
import type { Reject, Resume } from './wait-list.ts';

class TimerTrigger extends Trigger<void> {
  constructor(
    readonly amount: number,
    readonly unit: TimeUnit,
  ) {
    super();
  }

  /** The delay in the model's steps. */
  steps(sim: Simulation): number {
    const n = toSteps(this.amount, this.unit, sim.model.precision);
    if (n < 1) throw new RangeError(`Timer(${this.amount}, '${this.unit}') must last at least one step of the model's time precision`);
    return n;
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    sim.timers.push(sim.time + this.steps(sim), resume, reject, counted, undefined);
  }

  unprime(sim: Simulation, resume: Resume): void {
    sim.timers.remove(resume);
  }

  override toString(): string {
    return `Timer(${this.amount}, '${this.unit}')`;
  }
}

export type { TimerTrigger };

/**
 * Resumes `amount` `unit`s from now, in the begin phase of that time step
 * (after the clocks due then have toggled). `unit` defaults to the model's
 * time step; a time that is not a whole number of steps is an error.
 */
export function Timer(amount: number, unit: TimeUnit = 'step'): TimerTrigger {
  return new TimerTrigger(amount, unit);
}

class PhaseTrigger extends Trigger<void> {
  constructor(private readonly which: 'readWrite' | 'readOnly') {
    super();
  }

  protected override check(sim: Simulation): void {
    if (sim.phase === 'readonly') {
      throw new PhaseError(`cannot await ${this.toString()} in ReadOnly: await a Timer or an edge to reach the next time step`);
    }
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    sim[this.which].add(sim, resume, reject, counted);
  }

  unprime(sim: Simulation, resume: Resume): void {
    sim[this.which].remove(resume);
  }

  override toString(): string {
    return this.which === 'readWrite' ? 'ReadWrite()' : 'ReadOnly()';
  }
}

const readWrite = new PhaseTrigger('readWrite');
const readOnly = new PhaseTrigger('readOnly');

/**
 * Resumes in this time step's write phase once the model has settled after
 * the writes so far; writes made then are applied in the same time step.
 */
export function ReadWrite(): Trigger<void> {
  return readWrite;
}

/** Resumes at the end of this time step: values are final, writes throw. */
export function ReadOnly(): Trigger<void> {
  return readOnly;
}
