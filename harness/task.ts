// Concurrent tasks (cocotb's start_soon). A task is a running async function;
// awaiting it (or passing it to First/Combine) waits for its result. An
// exception in any task fails the test; tasks still running when the test ends
// are cancelled (their pending await rejects with CancelledError). cancel()
// (or kill()) does the same to one task now: its pending await throws
// CancelledError, so its catch and finally blocks run (task-owner.ts).
import { currentSim } from './current.ts';
import { CancelledError } from './errors.ts';
import type { Simulation } from './simulation.ts';
import { type PendingAwait, type TaskOwner, runOwned } from './task-owner.ts';
import { Trigger } from './trigger.ts';
import { type Reject, type Resume, WaitList } from './wait-list.ts';

type TaskState = 'running' | 'done' | 'failed' | 'cancelled';

export class Task<T = unknown> extends Trigger<T> implements TaskOwner {
  private state: TaskState = 'running';
  private value: T | undefined;
  private error: unknown;
  private readonly joiners = new WaitList();
  private cancelRequested = false;
  private cancelNote = '';
  /** @internal TaskOwner: cancel() came while the task ran; its next await throws. */
  cancelPending = false;
  /** @internal TaskOwner: the await the task is suspended on. */
  pending: PendingAwait | undefined;

  /**
   * @param owned run `start` in its own await context so that cancel() can reach
   *   its awaits (every task but a simulation's main task).
   */
  constructor(
    private readonly sim: Simulation,
    readonly name: string,
    start: () => PromiseLike<T> | T,
    onFinish: (task: Task<T>, error: unknown) => void,
    owned = true,
  ) {
    super();
    // Counted as running until its first await (Trigger.then) or its end.
    sim.running++;
    let p: PromiseLike<T> | T;
    try {
      p = owned ? runOwned(this, start) : start();
    } catch (e) {
      p = Promise.reject(e);
    }
    Promise.resolve(p).then(
      (v) => this.settle('done', v, undefined, onFinish),
      (e) => this.settle(e instanceof CancelledError && this.cancelRequested ? 'cancelled' : 'failed', undefined, e, onFinish),
    );
  }

  get done(): boolean {
    return this.state !== 'running';
  }

  /** Whether the task ended by cancel()/kill() (it let the CancelledError out). */
  get cancelled(): boolean {
    return this.state === 'cancelled';
  }

  /** The task's return value; throws its error (CancelledError if cancelled), or if it has not finished. */
  result(): T {
    if (this.state === 'failed' || this.state === 'cancelled') throw this.error;
    if (this.state === 'running') throw new Error(`task ${this.name} has not finished`);
    return this.value as T;
  }

  /**
   * Cancels the task (cocotb's Task.cancel): CancelledError is thrown into it at
   * its current await (at its next one if it is running now), so its `catch` and
   * `finally` blocks run; they may await. The task ends as cancelled when the
   * error leaves it; awaiting it then throws CancelledError. A task that catches
   * the error and returns ends normally. Returns false if the task had already
   * finished (or the test has ended).
   */
  cancel(message?: string): boolean {
    if (this.state !== 'running' || this.sim.ended) return false;
    this.cancelRequested = true;
    this.cancelNote = message ?? '';
    const p = this.pending;
    if (p === undefined) {
      this.cancelPending = true;
      return true;
    }
    this.pending = undefined;
    p.trigger.unprime(this.sim, p.resume);
    this.sim.wake(p.reject as Resume, new CancelledError(this.cancelMessage()), true);
    return true;
  }

  /** cocotb 1.x's kill(): the same as cancel(). */
  kill(): boolean {
    return this.cancel('killed');
  }

  /** @internal TaskOwner */
  cancelMessage(): string {
    return `task ${this.name} was cancelled${this.cancelNote ? `: ${this.cancelNote}` : ''}`;
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    if (this.state === 'done') sim.wake(resume, this.value, counted);
    else if (this.state !== 'running') sim.wake(reject as Resume, this.error, counted);
    else this.joiners.add(sim, resume, reject, counted);
  }

  unprime(_sim: Simulation, resume: Resume): void {
    this.joiners.remove(resume);
  }

  private settle(state: Exclude<TaskState, 'running'>, value: T | undefined, error: unknown, onFinish: (task: Task<T>, error: unknown) => void): void {
    this.state = state;
    this.value = value;
    this.error = error;
    this.pending = undefined;
    if (this.sim.ended) return;
    if (state === 'done') this.joiners.fire(value);
    else this.joiners.fireReject(error);
    onFinish(this, state === 'done' ? undefined : error);
    this.sim.suspend();
  }

  override toString(): string {
    return `Task(${this.name})`;
  }
}

let counter = 0;

/** @internal startSoon, and run.ts's main task (`owned` false: it cannot be cancelled). */
export function startTask<T>(start: (() => PromiseLike<T> | T) | PromiseLike<T>, name: string | undefined, owned: boolean): Task<T> {
  const sim = currentSim();
  const fn = typeof start === 'function' ? start : () => start;
  return new Task(
    sim,
    name ?? `task${++counter}`,
    fn,
    (task, error) => {
      if (error !== undefined && !(error instanceof CancelledError)) {
        const e = error instanceof Error ? error : new Error(String(error));
        if (e instanceof Error && !e.message.includes(`task ${task.name}`)) e.message = `task ${task.name} failed: ${e.message}`;
        sim.end(e);
      }
    },
    owned,
  );
}

/**
 * Starts a concurrent task: `start` is an async function (preferred) or a
 * promise of one that was just called. It runs now, until its first await.
 * A task that throws fails the test; `task.cancel()` stops it.
 */
export function startSoon<T>(start: (() => PromiseLike<T> | T) | PromiseLike<T>, name?: string): Task<T> {
  return startTask(start, name, true);
}
