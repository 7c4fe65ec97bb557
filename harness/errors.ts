// The harness's error classes, one family: every way a simulation test can end
// badly has its own class so expectFail / instanceof checks can tell them apart.

/** Verilator or the C++ compiler failed; `log` holds their output. */
export class BuildError extends Error {
  constructor(message: string, readonly log: string) {
    super(`${message}\n${log}`);
    this.name = 'BuildError';
  }
}

/**
 * The model ended the test: `$finish`, `$stop`, `$fatal`, `$error`, a failed
 * assertion, or a Verilator runtime error.
 */
export class SimFailure extends Error {
  constructor(
    message: string,
    /** 'finish' | 'stop' (also $fatal, $error, assertions) | 'fatal' (Verilator runtime) */
    readonly kind: string,
  ) {
    super(message);
    this.name = 'SimFailure';
  }
}

/** Simulated time ran past a limit (test timeout or withTimeout). */
export class SimTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimTimeoutError';
  }
}

/** The test ran longer than its wall-clock limit. */
export class WallTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WallTimeoutError';
  }
}

/** Thrown into a task's pending await when its test ends before it does. */
export class CancelledError extends Error {
  constructor(message = 'cancelled: the test ended') {
    super(message);
    this.name = 'CancelledError';
  }
}

/**
 * Misuse of the timing model: a write in ReadOnly, ReadWrite/ReadOnly awaited
 * from ReadOnly, a trigger awaited outside a task, a delta-cycle runaway.
 */
export class PhaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhaseError';
  }
}

/** Queue.getNowait on an empty queue, putNowait on a full one. */
export class QueueEmpty extends Error {
  constructor() {
    super('queue is empty');
    this.name = 'QueueEmpty';
  }
}

export class QueueFull extends Error {
  constructor() {
    super('queue is full');
    this.name = 'QueueFull';
  }
}
