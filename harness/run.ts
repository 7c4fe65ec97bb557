// One simulation run outside any test framework: a fresh model instance, a
// scheduler, a main task. test() (harness/test.ts) and the benchmark use it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BuiltModel, buildModel, type DesignSpec } from './build.ts';
import { setCurrentSim } from './current.ts';
import { WallTimeoutError } from './errors.ts';
import { makeDut } from './hierarchy.ts';
import { ModelInstance } from './model.ts';
import type { Signal } from './signal.ts';
import { Simulation } from './simulation.ts';
import { startTask } from './task.ts';
import { type TimeUnit, formatTime, fromSteps, toSteps } from './time-units.ts';

/** The model's ports by name, as `dut.<port>` in cocotb. */
export type Dut = Readonly<Record<string, Signal>>;

export interface RunOptions {
  /** Seeds the model's $random and X randomization. @defaultValue 0 */
  seed?: number;
  /** Simulated-time limit: passing it fails the run with SimTimeoutError. */
  timeout?: readonly [number, TimeUnit];
  /** Wall-clock limit in ms. @defaultValue 60 000 */
  wallTimeoutMs?: number;
  /** Write an FST trace here (the design must be built with waves: true). */
  fstPath?: string;
  /** Let clocks run in C while nothing else is pending. @defaultValue true */
  fastPath?: boolean;
  /** Where the model's $display output goes. @defaultValue console.log */
  print?: (text: string) => void;
}

export interface RunResult {
  /** Simulated time at the end, in ns. */
  simTimeNs: number;
  /** Wall-clock time of the run (model creation to end), in s. */
  realTimeS: number;
  /** simTimeNs / realTimeS, as cocotb reports it. */
  ratio: number;
}

function printLines(text: string): void {
  console.log(text.endsWith('\n') ? text.slice(0, -1) : text);
}

/**
 * Runs `main(dut)` on a fresh instance of `model` until it returns (passes) or
 * throws, a task throws, the model stops ($finish/$stop/$fatal), or a limit
 * passes. Rejects with the failure; the model is freed either way.
 */
export async function runSimulation(
  model: BuiltModel | DesignSpec,
  main: (dut: Dut) => Promise<void> | void,
  options: RunOptions = {},
): Promise<RunResult> {
  const built = 'soPath' in model ? model : await buildModel(model);
  if (options.fstPath && !built.spec.waves) throw new Error(`design '${built.spec.top}' was built without waves: set waves: true to record ${options.fstPath}`);
  if (options.fstPath) mkdirSync(dirname(options.fstPath), { recursive: true });
  const t0 = performance.now();
  let sim: Simulation | undefined;
  const instance = new ModelInstance(built, { write: (s, v) => sim!.write(s, v) }, options.seed ?? 0, options.fstPath ?? '', options.print ?? printLines);
  const limit = options.timeout ? toSteps(options.timeout[0], options.timeout[1], instance.precision) : undefined;
  sim = new Simulation(instance, { limit, fastPath: options.fastPath, traced: !!options.fstPath });
  const s = sim;
  const ended = new Promise<void>((resolve, reject) => s.whenEnded((e) => (e === undefined ? resolve() : reject(e))));
  const wallMs = options.wallTimeoutMs ?? 60_000;
  // Model code that never returns cannot be stopped by a timer in this thread: the shim's watchdog leaves it.
  instance.deadlineNote = ` (wall-clock limit ${wallMs} ms)`;
  instance.setDeadline(wallMs);
  const wall = setTimeout(() => s.end(new WallTimeoutError(`the test ran past its wall-clock limit of ${wallMs} ms (at simulated ${formatTime(s.time, instance.precision)})`)), wallMs);
  const ports: Record<string, Signal> = Object.create(null) as Record<string, Signal>;
  for (const sig of instance.signals) ports[sig.name] = sig;
  const dut = makeDut(instance, { write: (sig, v) => s.write(sig, v) }, ports, s.internals);
  setCurrentSim(s);
  try {
    startTask(async () => {
      try {
        await main(dut);
      } catch (e) {
        s.end(e);
        return;
      }
      s.end();
    }, 'main', false);
    await ended;
  } finally {
    clearTimeout(wall);
    s.end();
    setCurrentSim(undefined);
  }
  const realTimeS = (performance.now() - t0) / 1000;
  const simTimeNs = fromSteps(s.time, 'ns', instance.precision);
  return { simTimeNs, realTimeS, ratio: realTimeS > 0 ? simTimeNs / realTimeS : 0 };
}
