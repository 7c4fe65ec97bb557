// First(a, b, …): resumes when the first of its triggers (or tasks) fires and
// says which: { index, trigger, value } (value: a task's result, a queue item…);
// the others are withdrawn.
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import type { Reject, Resume } from './wait-list.ts';

type Sub = [Trigger<unknown>, Resume];

export interface FirstResult {
  /** Position of the winner among First's arguments. */
  index: number;
  trigger: Trigger<unknown>;
  /** What awaiting the winner alone would have given. */
  value: unknown;
}

export class FirstTrigger extends Trigger<FirstResult> {
  private readonly subs = new Map<Resume, Sub[]>();

  constructor(readonly triggers: readonly Trigger<unknown>[]) {
    super();
    if (triggers.length === 0) throw new RangeError('First needs at least one trigger');
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    const subs: Sub[] = [];
    let fired = false;
    const settle = (winner: Resume | undefined) => {
      fired = true;
      this.subs.delete(resume);
      for (const [t, cb] of subs) if (cb !== winner) t.unprime(sim, cb);
    };
    this.subs.set(resume, subs);
    for (let i = 0; i < this.triggers.length && !fired; i++) {
      const t = this.triggers[i]!;
      const cb: Resume = (v) => {
        if (fired) return;
        settle(cb);
        sim.wake(resume, { index: i, trigger: t, value: v } satisfies FirstResult, counted);
      };
      const fail: Reject = (e) => {
        if (fired) return;
        settle(undefined);
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
    return `First(${this.triggers.map(String).join(', ')})`;
  }
}

/** Resumes on whichever of `triggers` fires first; says which and its result. */
export function First(...triggers: Trigger<unknown>[]): FirstTrigger {
  return new FirstTrigger(triggers);
}
