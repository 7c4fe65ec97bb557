// Event: one task sets it, others wait for it (cocotb.triggers.Event).
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import { type Reject, type Resume, WaitList } from './wait-list.ts';

export class Event<T = unknown> {
  /** What the last set() carried. */
  data: T | undefined;
  private flag = false;
  private readonly waiters = new WaitList();
  private readonly trigger: Trigger<Event<T>>;

  constructor(readonly name = 'event') {
    const ev = this;
    this.trigger = new (class extends Trigger<Event<T>> {
      prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
        if (ev.flag) sim.wake(resume, ev, counted);
        else ev.waiters.add(sim, resume, reject, counted);
      }
      unprime(_sim: Simulation, resume: Resume): void {
        ev.waiters.remove(resume);
      }
      override toString(): string {
        return `${ev.name}.wait()`;
      }
    })();
  }

  get isSet(): boolean {
    return this.flag;
  }

  /** Sets the event and resumes every waiter (in this phase). */
  set(data?: T): void {
    this.flag = true;
    this.data = data;
    this.waiters.fire(this);
  }

  clear(): void {
    this.flag = false;
  }

  /** Resumes when the event is set (at once if it already is). */
  wait(): Trigger<Event<T>> {
    return this.trigger;
  }
}
