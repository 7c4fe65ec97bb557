// One live instance of a built model: the shim handle, its ports as Signals,
// and the status word the shim writes ($finish, $stop, fatal errors).
import type { BuiltModel } from './build.ts';
import { SimFailure, WallTimeoutError } from './errors.ts';
import { type NativeHandle, type ShimLibrary, loadShim, viewMemory } from './ffi.ts';
import { Signal, type SignalOwner } from './signal.ts';

/** Status codes written by the shim (native/mpsa_shim.cpp). */
export const STATUS_FINISH = 1;
export const STATUS_STOP = 2;
export const STATUS_FATAL = 3;
/** The watchdog left model code that ran past the wall-clock deadline (mpsa_set_deadline). */
export const STATUS_HUNG = 4;
/** Bit set in mpsa_eval's result when captured output is waiting. */
export const OUTPUT_PENDING = 0x100;

const KIND: Record<number, string> = { [STATUS_FINISH]: 'finish', [STATUS_STOP]: 'stop', [STATUS_FATAL]: 'fatal', [STATUS_HUNG]: 'hung' };

export class ModelInstance {
  readonly signals: Signal[];
  /** Time precision as a power of ten of seconds (-12 for 1 ps). */
  readonly precision: number;
  readonly lib: ShimLibrary;
  readonly handle: NativeHandle;
  private readonly status: Int32Array;
  private destroyed = false;
  /** Said after a watchdog failure (set by the run: its limit and simulated time). */
  deadlineNote = '';
  /** The last lines of $display output, for failure messages. */
  private tail = '';

  constructor(
    readonly built: BuiltModel,
    owner: SignalOwner,
    seed: number,
    fstPath: string,
    private readonly print: (text: string) => void,
  ) {
    const lib = loadShim(built.soPath);
    if (lib.portCount() !== built.ports.length) {
      throw new Error(`${built.soPath}: the model has ${lib.portCount()} ports, ports.json lists ${built.ports.length}; delete the cache folder`);
    }
    this.lib = lib;
    this.handle = lib.create(seed >>> 0, fstPath);
    this.status = new Int32Array(viewMemory(lib.status(this.handle), 16));
    this.checkStatus((this.status[0]! | (this.status[1]! ? OUTPUT_PENDING : 0)) >>> 0); // a constructor may fail
    this.precision = lib.timePrecision(this.handle);
    this.signals = built.ports.map((p, i) => {
      const bytes = lib.portBytes(i);
      if (bytes !== p.bytes) throw new Error(`port ${p.name}: the model stores ${bytes} bytes, expected ${p.bytes} for ${p.width} bits`);
      return new Signal(p, i, viewMemory(lib.portAddr(this.handle, i), bytes), owner);
    });
  }

  /**
   * Model code (eval, the fast path, final blocks) still running `ms` from now
   * is abandoned by the shim's watchdog and fails with WallTimeoutError.
   */
  setDeadline(ms: number): void {
    if (this.lib.setDeadline(this.handle, ms) === 0) throw new Error(`${this.built.soPath}: the model's watchdog could not be started`);
  }

  /** Evaluates at `time`; throws SimFailure when the model ended the simulation. */
  eval(time: number): void {
    const r = this.lib.eval(this.handle, time);
    if (r !== 0) this.checkStatus(r);
  }

  dump(time: number): void {
    this.lib.dump(this.handle, time);
  }

  /** The C fast path (mpsa_run_edges); returns the edges done. */
  runEdges(clk: number, edges: number, t0: number, first: number, second: number, watch: Int32Array): number {
    const done = this.lib.runEdges(this.handle, clk, edges, t0, first, second, watch, watch.length);
    this.checkStatus((this.status[0]! | (this.status[1]! ? OUTPUT_PENDING : 0)) >>> 0);
    return done;
  }

  /** Prints waiting output; throws SimFailure for a non-OK status. */
  checkStatus(r: number): void {
    if (r & OUTPUT_PENDING) {
      const text = this.lib.takeOutput(this.handle);
      this.tail = (this.tail + text).split('\n').slice(-12).join('\n');
      this.print(text);
    }
    const code = r & 0xff;
    if (code === 0) return;
    const kind = KIND[code] ?? `status ${code}`;
    if (code === STATUS_HUNG) throw new WallTimeoutError(`${this.lib.message(this.handle)}${this.deadlineNote}`);
    const what =
      code === STATUS_FINISH ? 'the model called $finish' : code === STATUS_STOP ? 'the model stopped ($stop, $fatal, $error or a failed assertion)' : 'Verilator reported a fatal error';
    const tail = this.tail.trim();
    throw new SimFailure(`${what}: ${this.lib.message(this.handle)}${tail ? `\nlast model output:\n${tail}` : ''}`, kind);
  }

  /** Runs final blocks, closes the wave file, frees the model. Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const text = this.lib.destroy(this.handle);
    if (text) this.print(text);
  }
}
