// The harness without its vitest integration: everything a benchmark, the CLI or a script
// that runs simulations with runSimulation needs. Importing it does not load vitest (about half
// a second of a cold process's start); harness/index.ts adds test().
export { Deposit, Force, Freeze, Release, type WriteAction } from './actions.ts';
export { buildModel, type BuiltModel, type DesignSpec } from './build.ts';
export { Clock, type ClockStartOptions } from './clock.ts';
export { Combine, type CombineTrigger } from './combine.ts';
export { nativeModel, type NativeModel } from './current.ts';
export { ClockCycles, FallingEdge, RisingEdge, ValueChange } from './edge-triggers.ts';
export { BuildError, CancelledError, PhaseError, QueueEmpty, QueueFull, SimFailure, SimTimeoutError, WallTimeoutError } from './errors.ts';
export { Event } from './event.ts';
export { First, type FirstResult, type FirstTrigger } from './first.ts';
export { gather, select, wait, type Awaitable, type ReturnWhen } from './gather.ts';
export { hierarchy, signalAt, type HierNode, type InternalSignal, type Scope } from './hierarchy.ts';
export { Lock } from './lock.ts';
export type { PortDirection, PortInfo } from './ports.ts';
export { Queue } from './queue.ts';
export { runSimulation, type Dut, type RunOptions, type RunResult } from './run.ts';
export type { Signal, SignalValue } from './signal.ts';
export { getSimTime } from './sim-time.ts';
export { simLogger, formatLogLine, LOG_LEVELS, type LogLevel, type SimLogger } from './log.ts';
export { startSoon, Task } from './task.ts';
export { Edge, NextTimeStep, NullTrigger } from './step-triggers.ts';
export { ReadOnly, ReadWrite, Timer } from './time-triggers.ts';
export type { TimeUnit } from './time-units.ts';
export { Trigger } from './trigger.ts';
export { withTimeout } from './with-timeout.ts';
