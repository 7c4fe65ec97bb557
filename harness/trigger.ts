// The base of everything a task can await. `await trigger` calls then(), which
// registers the task with the scheduler and counts it as suspended; the
// scheduler resumes it in the phase the trigger names (docs/harness.md).
//
// Unlike cocotb, an await never returns the trigger itself: a trigger is a
// thenable, and a promise resolved with a thenable awaits it again. Edge, time
// and phase triggers resolve to undefined; First says which one fired.
import { currentSim } from './current.ts';
import { CancelledError } from './errors.ts';
import { currentOwner, type PendingAwait } from './task-owner.ts';
import type { Simulation } from './simulation.ts';
import type { Reject, Resume } from './wait-list.ts';

export abstract class Trigger<T = unknown> {
  /**
   * Registers `resume` to run once when the trigger fires. `counted` is true for
   * a suspended task (the scheduler waits for it to run) and false for an
   * internal callback (First, Combine). May fire at once (sim.wake) when the
   * condition already holds.
   */
  abstract prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void;

  /** Removes a registration made by prime (a First whose other trigger fired). */
  abstract unprime(sim: Simulation, resume: Resume): void;

  /** Throws when this trigger may not be awaited now (e.g. ReadWrite in ReadOnly). */
  protected check(_sim: Simulation): void {}

  then(resolve: (value: T) => void, reject: (reason: unknown) => void): void {
    let sim: Simulation;
    // A background task's await is recorded so that Task.cancel() can withdraw it
    // and throw CancelledError into the task (task-owner.ts).
    const owner = currentOwner();
    try {
      sim = currentSim();
      // After the test ended, awaits are dropped: a cancelled task that keeps
      // awaiting stays suspended until it is garbage-collected.
      if (sim.ended) return;
      if (owner === undefined) {
        this.check(sim);
        this.prime(sim, resolve as Resume, reject, true);
      } else {
        if (owner.cancelPending) {
          owner.cancelPending = false;
          throw new CancelledError(owner.cancelMessage());
        }
        this.check(sim);
        const p: PendingAwait = {
          trigger: this,
          resume: (v) => {
            if (owner.pending === p) owner.pending = undefined;
            resolve(v as T);
          },
          reject: (e) => {
            if (owner.pending === p) owner.pending = undefined;
            reject(e);
          },
        };
        owner.pending = p;
        this.prime(sim, p.resume, p.reject, true);
      }
    } catch (e) {
      if (owner !== undefined) owner.pending = undefined;
      reject(e);
      return;
    }
    sim.suspend();
  }
}
