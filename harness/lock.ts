// Lock: mutual exclusion between tasks, granted in request order.
//   await lock.acquire(); try { … } finally { lock.release(); }
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import { type Reject, type Resume, WaitList } from './wait-list.ts';

export class Lock {
  private held = false;
  private readonly waiters = new WaitList();
  private readonly trigger: Trigger<Lock>;

  constructor(readonly name = 'lock') {
    const lock = this;
    this.trigger = new (class extends Trigger<Lock> {
      prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
        if (lock.held) {
          lock.waiters.add(sim, resume, reject, counted);
          return;
        }
        lock.held = true;
        sim.wake(resume, lock, counted);
      }
      unprime(_sim: Simulation, resume: Resume): void {
        lock.waiters.remove(resume);
      }
      override toString(): string {
        return `${lock.name}.acquire()`;
      }
    })();
  }

  get locked(): boolean {
    return this.held;
  }

  acquire(): Trigger<Lock> {
    return this.trigger;
  }

  /** Releases the lock; the longest waiter gets it. */
  release(): void {
    if (!this.held) throw new Error(`${this.name}: release() of a lock that is not held`);
    if (!this.waiters.fireOne(this)) this.held = false;
  }
}
