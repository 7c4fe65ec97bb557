// Concurrent tasks (cocotb's start_soon). A task is a running async function;
// awaiting it (or passing it to First/Combine) waits for its result. An
// exception in any task fails the test; tasks still running when the test ends
// are cancelled (their pending await rejects with CancelledError).
import { currentSim } from './current.ts';
import { CancelledError } from './errors.ts';
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import { type Reject, type Resume, WaitList } from './wait-list.ts';

export class Task<T = unknown> extends Trigger<T> {
  private state: 'running' | 'done' | 'failed' = 'running';
  private value: T | undefined;
  private error: unknown;
  private readonly joiners = new WaitList();

  constructor(
    private readonly sim: Simulation,
    readonly name: string,
    start: () => PromiseLike<T> | T,
    onFinish: (task: Task<T>, error: unknown) => void,
  ) {
    super();
    // Counted as running until its first await (Trigger.then) or its end.
    sim.running++;
    let p: PromiseLike<T> | T;
    try {
      p = start();
    } catch (e) {
      p = Promise.reject(e);
    }
    Promise.resolve(p).then(
      (v) => this.settle('done', v, undefined, onFinish),
      (e) => this.settle('failed', undefined, e, onFinish),
    );
  }

  get done(): boolean {
    return this.state !== 'running';
  }

  /** The task's return value; throws its error, or if it has not finished. */
  result(): T {
    if (this.state === 'failed') throw this.error;
    if (this.state === 'running') throw new Error(`task ${this.name} has not finished`);
    return this.value as T;
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    if (this.state === 'done') sim.wake(resume, this.value, counted);
    else if (this.state === 'failed') sim.wake(reject as Resume, this.error, counted);
    else this.joiners.add(sim, resume, reject, counted);
  }

  unprime(_sim: Simulation, resume: Resume): void {
    this.joiners.remove(resume);
  }

  private settle(state: 'done' | 'failed', value: T | undefined, error: unknown, onFinish: (task: Task<T>, error: unknown) => void): void {
    this.state = state;
    this.value = value;
    this.error = error;
    if (this.sim.ended) return;
    if (state === 'done') this.joiners.fire(value);
    onFinish(this, state === 'failed' ? error : undefined);
    this.sim.suspend();
  }

  override toString(): string {
    return `Task(${this.name})`;
  }
}

let counter = 0;

/**
 * Starts a concurrent task: `start` is an async function (preferred) or a
 * promise of one that was just called. It runs now, until its first await.
 * A task that throws fails the test.
 */
export function startSoon<T>(start: (() => PromiseLike<T> | T) | PromiseLike<T>, name?: string): Task<T> {
  const sim = currentSim();
  const fn = typeof start === 'function' ? start : () => start;
  return new Task(sim, name ?? `task${++counter}`, fn, (task, error) => {
    if (error !== undefined && !(error instanceof CancelledError)) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (e instanceof Error && !e.message.includes(`task ${task.name}`)) e.message = `task ${task.name} failed: ${e.message}`;
      sim.end(e);
    }
  });
}
