// A port of the model as tests see it: `dut.<port>.value`. Reads come straight
// from the model's memory through a zero-copy view; writes are masked to the
// port's width and handed to the scheduler, which applies them in the write
// phase of the time step (docs/harness.md, "Timing model").
//
// Values up to 53 bits read and write as numbers; wider ports as bigint (a
// number that is a safe integer is accepted on write too).
import type { WriteAction } from './actions.ts';
import type { PortDirection } from './ports.ts';
import type { Reject, Resume, WaitList } from './wait-list.ts';

/** What a Signal needs from the simulation that owns it. */
export interface SignalOwner {
  write(sig: Signal, value: number | bigint): void;
}

export type SignalValue = number | bigint;

/** What a Signal is made from: a port (PortInfo) or a signal inside the design ('internal'). */
export interface SignalInfo {
  readonly name: string;
  readonly direction: PortDirection | 'internal';
  readonly width: number;
  readonly bytes: number;
}

/** A ClockCycles wait: resumes after `remaining` more edges of one direction. */
export interface CycleCounter {
  remaining: number;
  rising: boolean;
  resume: Resume;
  reject: Reject;
  counted: boolean;
  value: unknown;
}

const TWO32 = 2 ** 32;

export class Signal {
  readonly name: string;
  readonly width: number;
  readonly direction: PortDirection | 'internal';
  /** The port's index in the shim (mpsa_port_addr); -1 for a signal inside the design. */
  readonly index: number;
  /** Waiters on this signal, created when first awaited (scheduler-owned). */
  rise: WaitList | undefined;
  fall: WaitList | undefined;
  change: WaitList | undefined;
  counters: CycleCounter[] | undefined;
  /** A write waiting for the write phase; `pending` says whether there is one. */
  pending = false;
  next: SignalValue = 0;
  /** The value the scheduler last saw, to detect changes (scheduler-owned). */
  watched = false;
  private seen: SignalValue = 0;

  protected readonly bytes: number;
  private memory!: ArrayBuffer;
  private words: Uint32Array;
  private small: Uint8Array | Uint16Array | Uint32Array | undefined;
  private readonly mask: number;
  private readonly bigMask: bigint;

  constructor(info: SignalInfo, index: number, memory: ArrayBuffer, protected readonly owner: SignalOwner) {
    this.name = info.name;
    this.width = info.width;
    this.direction = info.direction;
    this.index = index;
    this.bytes = info.bytes;
    this.mask = info.width >= 32 ? 0xffffffff : 2 ** info.width - 1;
    this.bigMask = (1n << BigInt(info.width)) - 1n;
    this.words = new Uint32Array(0);
    this.bind(memory);
  }

  private bind(memory: ArrayBuffer): void {
    const b = this.bytes;
    this.memory = memory;
    this.words = b >= 4 ? new Uint32Array(memory, 0, b >> 2) : new Uint32Array(0);
    this.small = b === 1 ? new Uint8Array(memory, 0, 1) : b === 2 ? new Uint16Array(memory, 0, 1) : b === 4 ? this.words : undefined;
  }

  /** The current value in the model (pre-edge in the edge phase, like cocotb). */
  get value(): SignalValue {
    const s = this.small;
    if (s !== undefined) return s[0]!;
    const w = this.words;
    if (this.width <= 53) return w[0]! + w[1]! * TWO32;
    let v = 0n;
    for (let i = w.length - 1; i >= 0; i--) v = (v << 32n) | BigInt(w[i]!);
    return v;
  }

  /**
   * Schedules a write (masked to the width), applied in this time step's write phase.
   * Takes a number, a bigint or a write action (Deposit, Force, Freeze, Release).
   */
  set value(v: SignalValue | WriteAction) {
    if (typeof v === 'object') {
      this.act(v);
      return;
    }
    this.owner.write(this, this.masked(v));
  }

  /** cocotb 2's handle.set(): the same as assigning `value`. */
  set(v: SignalValue | WriteAction): void {
    this.value = v;
  }

  /** A write action on a port: Deposit writes; Force, Freeze and Release need a signal inside the design. */
  protected act(a: WriteAction): void {
    if (a === null || typeof a !== 'object' || !('kind' in a)) throw new TypeError(`${this.name}: cannot write ${String(a)}: expected a number, bigint or write action`);
    if (a.kind === 'deposit') {
      this.owner.write(this, this.masked(a.value));
      return;
    }
    throw new TypeError(
      `${this.name}: ${a.kind[0]!.toUpperCase()}${a.kind.slice(1)} applies to signals inside the design (a build with internals: true): Verilator cannot force a top-level port, and an input is driven by the testbench alone — write it`,
    );
  }

  /** `value` as a bigint, whatever the width. */
  get bigValue(): bigint {
    const v = this.value;
    return typeof v === 'bigint' ? v : BigInt(v);
  }

  /** The value as a two's-complement signed number or bigint. */
  get signedValue(): SignalValue {
    const v = this.bigValue;
    const s = BigInt.asIntN(this.width, v);
    return this.width <= 53 ? Number(s) : s;
  }

  /** Masks and normalises a written value: numbers up to 53 bits, bigint above. */
  masked(v: SignalValue): SignalValue {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new TypeError(`${this.name}: cannot write ${v}: not a safe integer (use a bigint)`);
      if (this.width <= 32) return this.width === 32 ? v >>> 0 : v & this.mask;
      v = BigInt(v);
    } else if (typeof v !== 'bigint') {
      throw new TypeError(`${this.name}: cannot write ${typeof v} ${String(v)}: expected a number or bigint`);
    }
    const m = v & this.bigMask;
    return this.width <= 53 ? Number(m) : m;
  }

  /** Stores an already-masked value into the model (scheduler-owned). */
  store(v: SignalValue): void {
    const s = this.small;
    if (s !== undefined) {
      s[0] = v as number;
      return;
    }
    const w = this.words;
    if (typeof v === 'number') {
      w[0] = v % TWO32;
      w[1] = Math.floor(v / TWO32);
      return;
    }
    for (let i = 0; i < w.length; i++) {
      w[i] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  }

  /** Whether anything waits on this signal's edges or changes. */
  get awaited(): boolean {
    return !!(this.rise?.size || this.fall?.size || this.change?.size || this.counters?.length);
  }

  /**
   * Swaps the model's memory for a copy, before the model is freed: a task
   * finishing after its test ended then reads the final values, not freed memory.
   */
  detach(): void {
    this.bind(this.memory.slice(0));
  }

  /** Starts change detection from the current value. */
  watch(): void {
    this.watched = true;
    this.seen = this.value;
  }

  /**
   * Whether the value differs from the one last seen; remembers the new one.
   * Returns 1 for 0→1, -1 for 1→0 (1-bit signals), 2 for another change, 0 for none.
   */
  delta(): number {
    const now = this.value;
    const was = this.seen;
    if (now === was) return 0;
    this.seen = now;
    if (this.width === 1) return now === 1 ? 1 : -1;
    return 2;
  }

  toString(): string {
    return `${this.name}=${this.value.toString()}`;
  }
}
