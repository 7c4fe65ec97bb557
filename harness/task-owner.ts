// Which task an await belongs to, so that Task.cancel() can throw CancelledError into the
// task's pending await (cocotb's Task.cancel / kill). Background tasks (startSoon) run in an
// AsyncLocalStorage context that follows their awaits, helpers included; Trigger.then records
// the registration it makes for the owning task.
//
// AsyncLocalStorage turns on Node's promise hooks, which make every await slower. They are on
// only while a simulation has background tasks: the main task runs outside any context, and
// each simulation turns the storage off when it ends (Simulation.end → taskContextsOff).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Trigger } from './trigger.ts';
import type { Reject, Resume } from './wait-list.ts';

/** What Trigger.then needs of the task that awaits. */
export interface TaskOwner {
  /** cancel() was called while the task was running: its next await throws at once. */
  cancelPending: boolean;
  /** The registration the task is suspended on, until it fires. */
  pending: PendingAwait | undefined;
  /** The message of the CancelledError to throw. */
  cancelMessage(): string;
}

export interface PendingAwait {
  trigger: Trigger<unknown>;
  /** The resume registered with the trigger (a wrapper that clears `pending`). */
  resume: Resume;
  reject: Reject;
}

const owners = new AsyncLocalStorage<TaskOwner>();
let on = false;

/** Runs `fn` (a task's start) with `owner` as the owner of every await it makes. */
export function runOwned<T>(owner: TaskOwner, fn: () => T): T {
  on = true;
  return owners.run(owner, fn);
}

/** The task whose code made the current await, if it is a background task. */
export function currentOwner(): TaskOwner | undefined {
  return on ? owners.getStore() : undefined;
}

/** Turns the promise hooks off again (no background task is left). */
export function taskContextsOff(): void {
  if (!on) return;
  on = false;
  owners.disable();
}
