// withTimeout: await a trigger, task or promise, failing with SimTimeoutError
// if it has not finished within a simulated duration.
import { SimTimeoutError } from './errors.ts';
import { FirstTrigger } from './first.ts';
import { type Task, startSoon } from './task.ts';
import { Timer } from './time-triggers.ts';
import type { TimeUnit } from './time-units.ts';
import { Trigger } from './trigger.ts';

/**
 * Resolves with `what`'s result, or throws SimTimeoutError after `amount`
 * `unit`s. A promise is first wrapped in a task (startSoon). A task that times
 * out keeps running (it is cancelled at the end of the test).
 */
export async function withTimeout<T>(what: Trigger<T> | Task<T> | PromiseLike<T>, amount: number, unit: TimeUnit = 'step'): Promise<T> {
  const target: Trigger<unknown> = what instanceof Trigger ? what : startSoon(what);
  const { index, value } = await new FirstTrigger([target, Timer(amount, unit)]);
  if (index === 1) throw new SimTimeoutError(`${String(target)} did not finish within ${amount} ${unit}`);
  return value as T;
}
