// cocotb's NullTrigger, NextTimeStep and Edge.
import type { Signal } from './signal.ts';
import type { Simulation } from './simulation.ts';
import { ValueChange } from './edge-triggers.ts';
import { Trigger } from './trigger.ts';
import type { Reject, Resume } from './wait-list.ts';

class NullTriggerImpl extends Trigger<void> {
  prime(sim: Simulation, resume: Resume, _reject: Reject, counted: boolean): void {
    sim.wake(resume, undefined, counted);
  }

  unprime(): void {}

  override toString(): string {
    return 'NullTrigger()';
  }
}

const nullTrigger = new NullTriggerImpl();

/**
 * Resumes at once, in the same phase of the same time step: lets every other
 * task that is ready run first (cocotb's NullTrigger). Allowed in ReadOnly.
 */
export function NullTrigger(): Trigger<void> {
  return nullTrigger;
}

class NextTimeStepImpl extends Trigger<void> {
  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    sim.nextStepFrom = sim.time;
    sim.nextStep.add(sim, resume, reject, counted);
  }

  unprime(sim: Simulation, resume: Resume): void {
    sim.nextStep.remove(resume);
  }

  override toString(): string {
    return 'NextTimeStep()';
  }
}

const nextTimeStep = new NextTimeStepImpl();

/**
 * Resumes at the beginning of the next time step in which anything happens (a
 * clock toggles or a Timer is due), before that step's Timers and edge waiters:
 * clocks due then have toggled but the model has not evaluated them yet.
 */
export function NextTimeStep(): Trigger<void> {
  return nextTimeStep;
}

/** cocotb 1.x's Edge: the next change of any signal's value (the same as ValueChange). */
export function Edge(signal: Signal): Trigger<void> {
  return ValueChange(signal);
}
