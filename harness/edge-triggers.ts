// Triggers on signals: RisingEdge, FallingEdge, ValueChange, ClockCycles.
// They resume in the begin phase for clock edges (pre-edge values, like
// cocotb), and in the write phase for changes the model makes (after eval).
import { PhaseError } from './errors.ts';
import type { Signal } from './signal.ts';
import type { Simulation } from './simulation.ts';
import { Trigger } from './trigger.ts';
import { type Reject, type Resume, WaitList } from './wait-list.ts';

type EdgeKind = 'rise' | 'fall' | 'change';

class EdgeTrigger extends Trigger<void> {
  constructor(
    readonly signal: Signal,
    private readonly kind: EdgeKind,
  ) {
    super();
    if (kind !== 'change' && signal.width !== 1) {
      throw new TypeError(`${kind === 'rise' ? 'RisingEdge' : 'FallingEdge'} needs a 1-bit signal; ${signal.name} has ${signal.width} bits (use ValueChange)`);
    }
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    sim.watch(this.signal);
    const list = (this.signal[this.kind] ??= new WaitList());
    list.add(sim, resume, reject, counted);
  }

  unprime(_sim: Simulation, resume: Resume): void {
    this.signal[this.kind]?.remove(resume);
  }

  override toString(): string {
    return `${this.kind === 'rise' ? 'RisingEdge' : this.kind === 'fall' ? 'FallingEdge' : 'ValueChange'}(${this.signal.name})`;
  }
}

const cache = new WeakMap<Signal, Partial<Record<EdgeKind, EdgeTrigger>>>();

function edge(signal: Signal, kind: EdgeKind): EdgeTrigger {
  let c = cache.get(signal);
  if (c === undefined) cache.set(signal, (c = {}));
  return (c[kind] ??= new EdgeTrigger(signal, kind));
}

export type { EdgeTrigger };

/** Resumes on the next 0→1 of a 1-bit signal. */
export function RisingEdge(signal: Signal): EdgeTrigger {
  return edge(signal, 'rise');
}

/** Resumes on the next 1→0 of a 1-bit signal. */
export function FallingEdge(signal: Signal): EdgeTrigger {
  return edge(signal, 'fall');
}

/** Resumes on the next change of any signal's value. */
export function ValueChange(signal: Signal): EdgeTrigger {
  return edge(signal, 'change');
}

class ClockCyclesTrigger extends Trigger<void> {
  constructor(
    readonly signal: Signal,
    readonly cycles: number,
    readonly rising: boolean,
  ) {
    super();
    if (signal.width !== 1) throw new TypeError(`ClockCycles needs a 1-bit signal; ${signal.name} has ${signal.width} bits`);
    if (!Number.isSafeInteger(cycles) || cycles < 1) throw new RangeError(`ClockCycles(${signal.name}, ${cycles}): the count must be a positive integer`);
  }

  prime(sim: Simulation, resume: Resume, reject: Reject, counted: boolean): void {
    if (sim.ended) throw new PhaseError('the simulation has ended');
    sim.watch(this.signal);
    (this.signal.counters ??= []).push({ remaining: this.cycles, rising: this.rising, resume, reject, counted, value: undefined });
  }

  unprime(_sim: Simulation, resume: Resume): void {
    const cs = this.signal.counters;
    const i = cs?.findIndex((c) => c.resume === resume) ?? -1;
    if (cs && i >= 0) cs.splice(i, 1);
  }

  override toString(): string {
    return `ClockCycles(${this.signal.name}, ${this.cycles}${this.rising ? '' : ', falling'})`;
  }
}

export type { ClockCyclesTrigger };

/**
 * Resumes on the `cycles`-th rising (or falling) edge from now, in that edge's
 * begin phase. While nothing else is pending, the edges before it run in C.
 */
export function ClockCycles(signal: Signal, cycles: number, rising = true): ClockCyclesTrigger {
  return new ClockCyclesTrigger(signal, cycles, rising);
}
