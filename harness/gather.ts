// gather / select / wait (cocotb 2's concurrent waiters): await several triggers,
// tasks or async functions at once, each in its own waiter task. gather fails
// fast: the first exception (or cancellation) cancels the other waiters, waits
// until their cleanup has run, and is re-thrown. select returns the first to
// finish and cancels the rest. Tasks passed in are awaited, never cancelled: only
// the waiters are.
import { currentSim } from './current.ts';
import { Event } from './event.ts';
import { Task } from './task.ts';
import { Trigger } from './trigger.ts';

/** What gather, select and wait accept: a trigger, a task, an async function to start, or a promise. */
export type Awaitable<T> = Trigger<T> | (() => PromiseLike<T> | T) | PromiseLike<T>;
type Result<A> = A extends Trigger<infer T> ? T : A extends () => PromiseLike<infer T> | infer T ? Awaited<T> : A extends PromiseLike<infer T> ? T : never;
type Results<A extends readonly unknown[]> = { -readonly [K in keyof A]: Result<A[K]> };

export type ReturnWhen = 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED';

let seq = 0;

async function run(a: Awaitable<unknown>): Promise<unknown> {
  if (a instanceof Trigger) return await a;
  if (typeof a === 'function') return await a();
  return await a;
}

/**
 * cocotb's wait(): runs every awaitable in a waiter task and returns when
 * `returnWhen` holds — the index of the first to finish (FIRST_COMPLETED), of
 * the first to fail (FIRST_EXCEPTION, undefined if none failed) or undefined
 * (ALL_COMPLETED) — and the waiter tasks. Waiters still running then are
 * cancelled and have finished their cleanup when this returns.
 */
export async function wait(awaitables: readonly Awaitable<unknown>[], returnWhen: ReturnWhen): Promise<{ index: number | undefined; tasks: Task<unknown>[] }> {
  if (awaitables.length === 0) throw new RangeError('wait needs at least one awaitable');
  const sim = currentSim();
  const id = ++seq;
  const remaining = new Set<Task<unknown>>();
  const complete = new Event(`wait#${id}`);
  let first: Task<unknown> | undefined;
  let cancelled = false;
  const cancelRemaining = () => {
    if (cancelled) return;
    cancelled = true;
    for (const t of remaining) t.cancel('another awaitable of its gather/select decided the result');
  };
  const onFinish = (task: Task<unknown>, error: unknown) => {
    remaining.delete(task);
    if (remaining.size === 0) complete.set();
    if (first !== undefined) return;
    if (returnWhen === 'FIRST_COMPLETED' || (returnWhen === 'FIRST_EXCEPTION' && error !== undefined)) {
      first = task;
      cancelRemaining();
    }
  };
  const tasks: Task<unknown>[] = [];
  for (let i = 0; i < awaitables.length; i++) {
    const a = awaitables[i]!;
    const t = new Task(sim, `wait#${id}[${i}] ${describe(a)}`, () => run(a), onFinish);
    tasks.push(t);
    if (!t.done) remaining.add(t);
  }
  try {
    if (remaining.size > 0) await complete.wait();
  } catch (e) {
    // This task was cancelled: cancel the waiters, let their cleanup run, re-throw.
    cancelRemaining();
    while (remaining.size > 0) await complete.wait();
    throw e;
  }
  return { index: first === undefined ? undefined : tasks.indexOf(first), tasks };
}

function describe(a: Awaitable<unknown>): string {
  if (a instanceof Trigger) return String(a);
  if (typeof a === 'function') return a.name || 'function';
  return 'promise';
}

/**
 * Awaits every argument concurrently and returns their results in order. The
 * first exception (or cancellation) cancels the others — their `finally` blocks
 * run before gather re-throws it.
 */
export async function gather<A extends readonly Awaitable<unknown>[]>(...awaitables: A): Promise<Results<A>> {
  if (awaitables.length === 0) return [] as unknown as Results<A>;
  const { index, tasks } = await wait(awaitables, 'FIRST_EXCEPTION');
  if (index !== undefined) tasks[index]!.result(); // throws the failure
  return tasks.map((t) => t.result()) as Results<A>;
}

/**
 * Awaits every argument concurrently; returns `[index, result]` of the first to
 * finish (or throws its exception) after the others were cancelled and their
 * cleanup has run.
 */
export async function select<A extends readonly Awaitable<unknown>[]>(...awaitables: A): Promise<[number, Result<A[number]>]> {
  const { index, tasks } = await wait(awaitables, 'FIRST_COMPLETED');
  const i = index!;
  return [i, tasks[i]!.result() as Result<A[number]>];
}

