// Combine(a, b, …): resumes when every one of its triggers (or tasks) has fired.
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import type { Reject, Resume } from './wait-list.ts';

type Sub = [Trigger<unknown>, Resume];

export class CombineTrigger extends Trigger<void> {
  private readonly subs = new Map<Resume, Sub[]>();

  constructor(readonly triggers: readonly Trigger<unknown>[]) {
    super();
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    let left = this.triggers.length;
    let failed = false;
    const subs: Sub[] = [];
    this.subs.set(resume, subs);
    if (left === 0) {
      sim.wake(resume, undefined, counted);
      return;
    }
    for (const t of this.triggers) {
      const cb: Resume = () => {
        if (failed || --left > 0) return;
        this.subs.delete(resume);
        sim.wake(resume, undefined, counted);
      };
      const fail: Reject = (e) => {
        if (failed) return;
        failed = true;
        this.unprime(sim, resume);
        sim.wake(reject as Resume, e, counted);
      };
      subs.push([t, cb]);
      t.prime(sim, cb, fail, false);
    }
  }

  unprime(sim: Simulation, resume: Resume): void {
    const subs = this.subs.get(resume);
    this.subs.delete(resume);
    for (const [t, cb] of subs ?? []) t.unprime(sim, cb);
  }

  override toString(): string {
    return `Combine(${this.triggers.map(String).join(', ')})`;
  }
}

/** Resumes once all of `triggers` have fired. */
export function Combine(...triggers: Trigger<unknown>[]): CombineTrigger {
  return new CombineTrigger(triggers);
}
