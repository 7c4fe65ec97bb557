// Queue: a FIFO between tasks (cocotb.queue.Queue). get() waits while empty;
// put() waits while full (maxsize > 0).
import { QueueEmpty, QueueFull } from './errors.ts';
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import { type Reject, type Resume, WaitList } from './wait-list.ts';

export class Queue<T> {
  private readonly items: T[] = [];
  private readonly getters = new WaitList();
  private readonly putters = new WaitList();
  private readonly getTrigger: Trigger<T>;

  /** `maxsize` 0 means unbounded. */
  constructor(readonly maxsize = 0) {
    const q = this;
    this.getTrigger = new (class extends Trigger<T> {
      prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
        if (q.items.length > 0) sim.wake(resume, q.getNowait(), counted);
        else q.getters.add(sim, resume, reject, counted);
      }
      unprime(_sim: Simulation, resume: Resume): void {
        q.getters.remove(resume);
      }
    })();
  }

  get size(): number {
    return this.items.length;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  get full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  /** Adds an item now; throws QueueFull when full. */
  putNowait(item: T): void {
    if (this.getters.fireOne(item)) return; // a waiting getter takes it directly
    if (this.full) throw new QueueFull();
    this.items.push(item);
  }

  /** Takes the oldest item now; throws QueueEmpty when empty. */
  getNowait(): T {
    if (this.items.length === 0) throw new QueueEmpty();
    const item = this.items.shift() as T;
    this.putters.fireOne();
    return item;
  }

  /** Resumes with the oldest item, waiting while the queue is empty. */
  get(): Trigger<T> {
    return this.getTrigger;
  }

  /** Adds an item, waiting while the queue is full. */
  put(item: T): Trigger<void> {
    const q = this;
    return new (class extends Trigger<void> {
      private readonly waiting = new Map<Resume, Resume>();
      prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
        if (!q.full) {
          q.putNowait(item);
          sim.wake(resume, undefined, counted);
          return;
        }
        const cb: Resume = () => {
          this.waiting.delete(resume);
          q.putNowait(item);
          resume(undefined);
        };
        this.waiting.set(resume, cb);
        q.putters.add(sim, cb, reject, counted);
      }
      unprime(_sim: Simulation, resume: Resume): void {
        const cb = this.waiting.get(resume);
        if (cb) q.putters.remove(cb);
      }
    })();
  }
}
