// The scheduler: cocotb's timing model over one Verilated model instance.
//
// A time step runs these phases in order (docs/harness.md, "Timing model"):
//   begin     clocks due now toggle (stored, not yet evaluated), then due Timers
//             resume, then waiters on those clock edges. Reads see pre-edge values.
//   write     repeat until quiet: evaluate the model when inputs changed, resume
//             waiters on changed outputs, apply pending writes (waiters on those
//             inputs resume); once quiet, resume ReadWrite waiters (they may write).
//   readonly  ReadOnly waiters resume; values are final; a write throws.
//   end       trace dump; move to the next time, or let the C fast path run
//             clocks when nothing but clocks is pending.
//
// Woken tasks run as microtasks; the scheduler continues only when every woken
// task has suspended again (`running` returns to 0).
import { CancelledError, PhaseError, SimTimeoutError } from './errors.ts';
import { edgeTime, edgesBefore, edgesBeforeCount, risingAmong } from './fast-path.ts';
import type { ModelInstance } from './model.ts';
import type { CycleCounter, Signal, SignalOwner, SignalValue } from './signal.ts';
import { taskContextsOff } from './task-owner.ts';
import { TimerHeap } from './timer-heap.ts';
import { type Resume, WaitList, type WaitOwner } from './wait-list.ts';
import { formatTime } from './time-units.ts';

const resolved = Promise.resolve();

const BEGIN = 0;
const WRITE = 1;
const READONLY = 2;
const END = 3;

/** Write phases in one time step before the scheduler reports a zero-delay loop. */
const DELTA_LIMIT = 10_000;
/** Below this many edges the fast path is not worth a call. */
const FAST_MIN_EDGES = 4;

/** A running Clock: toggles `sig` inside the scheduler (no task per clock). */
export interface ClockRunner {
  readonly sig: Signal;
  readonly high: number;
  readonly low: number;
  value: number;
  next: number;
}

export interface SimulationOptions {
  /** Simulated-time limit in steps; passing it fails the test. */
  limit?: number;
  /** Let the C fast path run clocks. @defaultValue true */
  fastPath?: boolean;
  /** Whether the model traces (dump once per time step). */
  traced?: boolean;
}

export class Simulation implements SignalOwner, WaitOwner {
  /** Current time in steps of the model's time precision. */
  time = 0;
  /** Tasks resumed and not yet suspended again. */
  running = 0;
  ended = false;
  readonly clocks: ClockRunner[] = [];
  readonly timers = new TimerHeap();
  /** Signals inside the design that tests reached (harness/hierarchy.ts): detached at the end too. */
  readonly internals: Signal[] = [];
  readonly readWrite = new WaitList();
  readonly readOnly = new WaitList();
  /** NextTimeStep waiters: resumed at the beginning of the next time step. */
  readonly nextStep = new WaitList();
  /** The latest time a NextTimeStep waiter was added: they resume at a later step. */
  nextStepFrom = -1;
  readonly onCounted = (): void => {
    this.running++;
  };

  private state = BEGIN;
  private inReadOnly = false;
  private needEval = true;
  private checkWatched = false;
  private deltas = 0;
  private writes: Signal[] = [];
  private spareWrites: Signal[] = [];
  private watched: Signal[] = [];
  private watchIndex = new Int32Array(0);
  private lists: WaitList[] = [];
  private lastDump = -1;
  private kickQueued = false;
  private steps = 0;
  private lastYield = performance.now();
  private readonly limit: number;
  private readonly fastPath: boolean;
  private readonly traced: boolean;
  private readonly onEnd: ((error: unknown) => void)[] = [];

  constructor(readonly model: ModelInstance, options: SimulationOptions = {}) {
    this.limit = options.limit ?? Infinity;
    this.fastPath = options.fastPath ?? true;
    this.traced = options.traced ?? false;
  }

  /** Runs `fn` once when the simulation ends, with the failure or undefined. */
  whenEnded(fn: (error: unknown) => void): void {
    this.onEnd.push(fn);
  }

  get phase(): 'begin' | 'write' | 'readonly' | 'end' {
    return this.inReadOnly ? 'readonly' : this.state === BEGIN ? 'begin' : this.state === END ? 'end' : 'write';
  }

  adopt(list: WaitList): void {
    this.lists.push(list);
  }

  // ---- called by tasks and triggers ----

  write(sig: Signal, value: SignalValue): void {
    if (this.ended) return;
    if (sig.direction === 'output') throw new TypeError(`${sig.name} is an output of the model: it cannot be written`);
    if (this.inReadOnly) throw new PhaseError(`write to ${sig.name} in ReadOnly at ${formatTime(this.time, this.model.precision)}: values are final in ReadOnly; await a Timer or an edge first`);
    sig.next = value;
    if (!sig.pending) {
      sig.pending = true;
      this.writes.push(sig);
    }
  }

  /** A task awaits a trigger: when no task runs any more, the scheduler goes on. */
  suspend(): void {
    if (--this.running <= 0) {
      this.running = 0;
      this.kick();
    }
  }

  /** Resumes `resume` now (a trigger whose condition already holds). */
  wake(resume: Resume, value: unknown, counted: boolean): void {
    if (counted) this.running++;
    resume(value);
  }

  /** Change detection for an output that something waits on. */
  watch(sig: Signal): void {
    if (sig.direction === 'input' || sig.watched) return;
    sig.watch();
    this.watched.push(sig);
    this.watchIndex = Int32Array.from(this.watched, (s) => s.index);
  }

  startClock(sig: Signal, high: number, low: number, startHigh: boolean): ClockRunner {
    if (sig.width !== 1) throw new TypeError(`Clock needs a 1-bit signal; ${sig.name} has ${sig.width} bits`);
    if (this.clocks.some((c) => c.sig === sig)) throw new PhaseError(`${sig.name} already has a running Clock`);
    const value = startHigh ? 1 : 0;
    this.write(sig, value);
    const c: ClockRunner = { sig, high, low, value, next: this.time + (startHigh ? high : low) };
    this.clocks.push(c);
    return c;
  }

  stopClock(c: ClockRunner): void {
    const i = this.clocks.indexOf(c);
    if (i >= 0) this.clocks.splice(i, 1);
  }

  /** Ends the simulation: cancels every waiting task, frees the model. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.running = 0;
    taskContextsOff();
    const cancel = new CancelledError();
    for (const e of this.timers.drain()) e.reject(cancel);
    for (const l of this.lists) l.rejectAll(cancel);
    for (const s of [...this.model.signals, ...this.internals]) {
      for (const c of s.counters?.splice(0) ?? []) c.reject(cancel);
      s.detach();
    }
    try {
      if (this.traced && this.lastDump !== this.time) this.model.dump(this.time);
      this.model.destroy();
    } catch (e) {
      error ??= e;
    }
    for (const fn of this.onEnd) fn(error);
  }

  // ---- the kernel ----

  private kick(): void {
    if (this.kickQueued || this.ended) return;
    this.kickQueued = true;
    // A microtask, not a direct call: tasks woken in the same round may still
    // have continuations queued ahead of it. (A promise job, because Node's
    // queueMicrotask costs an async resource per call.)
    resolved.then(this.step);
  }

  private readonly step = (): void => {
    this.kickQueued = false;
    if (this.ended || this.running > 0) return;
    try {
      this.loop();
    } catch (e) {
      this.end(e);
    }
  };

  private loop(): void {
    for (;;) {
      switch (this.state) {
        case BEGIN: {
          const t = this.time;
          for (const c of this.clocks) if (c.next === t) this.toggle(c);
          if (t > this.nextStepFrom) this.nextStep.fire();
          while (this.timers.peekTime() === t) {
            const e = this.timers.pop()!;
            if (e.counted) this.running++;
            e.resume(e.value);
          }
          this.state = WRITE;
          this.deltas = 0;
          if (this.running > 0) return;
          break;
        }
        case WRITE: {
          if (this.needEval || this.checkWatched) {
            if (this.needEval) this.model.eval(this.time);
            this.needEval = false;
            this.checkWatched = false;
            this.detectOutputChanges();
            if (this.running > 0) return;
          }
          if (this.writes.length > 0) {
            if (++this.deltas > DELTA_LIMIT) {
              throw new PhaseError(`more than ${DELTA_LIMIT} write phases at ${formatTime(this.time, this.model.precision)}: tasks keep writing without awaiting time`);
            }
            this.applyWrites();
            this.needEval = true;
            if (this.running > 0) return;
            continue;
          }
          if (this.readWrite.size > 0) {
            this.readWrite.fire();
            if (this.running > 0) return;
            continue;
          }
          this.state = READONLY;
          this.inReadOnly = true;
          this.readOnly.fire();
          if (this.running > 0) return;
          break;
        }
        case READONLY:
          this.inReadOnly = false;
          this.state = END;
          break;
        case END:
          if (this.traced && this.lastDump !== this.time) {
            this.model.dump(this.time);
            this.lastDump = this.time;
          }
          if (!this.advance()) return;
          break;
      }
    }
  }

  /** Picks the next time step; false when the kernel yields to the event loop. */
  private advance(): boolean {
    let clock: ClockRunner | undefined;
    for (const c of this.clocks) if (clock === undefined || c.next < clock.next) clock = c;
    const tClock = clock?.next ?? Infinity;
    const tTimer = this.timers.peekTime();
    if (clock !== undefined && this.fastPath && this.clocks.length === 1 && tClock < tTimer && this.nextStep.size === 0) {
      if (this.runFast(clock, tTimer)) return true;
    }
    const next = Math.min(tClock, tTimer);
    if (next === Infinity) {
      throw new PhaseError(`nothing left to simulate at ${formatTime(this.time, this.model.precision)}: no clock runs, no Timer is pending, and every task waits on something that cannot happen`);
    }
    if (next > this.limit) throw this.timeout();
    this.time = next;
    this.state = BEGIN;
    if ((++this.steps & 1023) === 0 && performance.now() - this.lastYield > 20) {
      // Let the event loop breathe (vitest's RPC, wall-clock timeouts).
      this.lastYield = performance.now();
      setImmediate(this.step);
      return false;
    }
    return true;
  }

  timeout(): SimTimeoutError {
    return new SimTimeoutError(`the test ran past its simulated-time limit of ${formatTime(this.limit, this.model.precision)}`);
  }

  /**
   * The fast path: when only one clock is pending and nothing waits on its
   * edges but ClockCycles, run whole stretches of edges in C. Returns true
   * when it advanced time.
   */
  private runFast(clock: ClockRunner, tTimer: number): boolean {
    const sig = clock.sig;
    if (sig.rise?.size || sig.fall?.size || sig.change?.size || this.writes.length) return false;
    const nextRises = clock.value === 0;
    let edges = edgesBefore(clock.next, nextRises ? clock.high : clock.low, nextRises ? clock.low : clock.high, Math.min(tTimer, this.limit + 1));
    for (const c of sig.counters ?? []) edges = Math.min(edges, edgesBeforeCount(c.remaining, c.rising === nextRises));
    if (edges < FAST_MIN_EDGES || edges === Infinity) return false;
    this.pruneWatched();
    // A signal inside the design that something waits on is compared in JS only.
    if (this.watchIndex.includes(-1)) return false;
    const first = nextRises ? clock.high : clock.low;
    const second = nextRises ? clock.low : clock.high;
    const done = this.model.runEdges(sig.index, edges, clock.next, first, second, this.watchIndex);
    if (done === 0) return false;
    const rises = risingAmong(done, nextRises);
    for (const c of sig.counters ?? []) c.remaining -= c.rising ? rises : done - rises;
    this.time = edgeTime(clock.next, first, second, done);
    this.lastDump = this.traced ? this.time : this.lastDump;
    clock.value ^= done & 1;
    clock.next = this.time + (clock.value ? clock.high : clock.low);
    // Stopped early: a watched output changed on the last edge; resume its
    // waiters in that step's write phase.
    this.state = done < edges ? WRITE : END;
    this.checkWatched = done < edges;
    this.deltas = 0;
    return true;
  }

  private pruneWatched(): void {
    const keep = this.watched.filter((s) => s.awaited);
    if (keep.length === this.watched.length) return;
    for (const s of this.watched) if (!s.awaited) s.watched = false;
    this.watched = keep;
    this.watchIndex = Int32Array.from(keep, (s) => s.index);
  }

  private toggle(c: ClockRunner): void {
    c.value ^= 1;
    c.sig.store(c.value);
    c.next += c.value ? c.high : c.low;
    this.needEval = true;
    this.dispatch(c.sig, c.value ? 1 : -1);
  }

  private detectOutputChanges(): void {
    const ws = this.watched;
    for (let i = 0; i < ws.length; i++) {
      const s = ws[i]!;
      const d = s.delta();
      if (d !== 0) this.dispatch(s, d);
    }
  }

  private applyWrites(): void {
    const ws = this.writes;
    this.writes = this.spareWrites;
    for (let i = 0; i < ws.length; i++) {
      const s = ws[i]!;
      s.pending = false;
      if (!s.awaited) {
        s.store(s.next);
        continue;
      }
      const before = s.value;
      s.store(s.next);
      const after = s.value;
      if (before !== after) this.dispatch(s, s.width === 1 ? (after ? 1 : -1) : 2);
    }
    ws.length = 0;
    this.spareWrites = ws;
  }

  /** Resumes waiters on a change of `sig`: d = 1 rise, -1 fall, 2 other. */
  private dispatch(sig: Signal, d: number): void {
    if (d === 1) sig.rise?.fire();
    else if (d === -1) sig.fall?.fire();
    sig.change?.fire();
    const cs = sig.counters;
    if (cs === undefined || cs.length === 0 || d === 2) return;
    for (let i = 0; i < cs.length; ) {
      const c: CycleCounter = cs[i]!;
      if (c.rising === (d === 1) && --c.remaining === 0) {
        cs.splice(i, 1);
        this.wake(c.resume, c.value, c.counted);
      } else {
        i++;
      }
    }
  }
}
