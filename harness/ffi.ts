// The one file that imports koffi: loads a model's shared object and binds the
// shim's C interface (native/mpsa_shim.cpp). Ports are read and written through
// zero-copy ArrayBuffer views of the model's own memory (viewMemory), so the
// per-cycle path costs no FFI call besides mpsa_eval.
import koffi from 'koffi';

/** Opaque pointer to one MpsaInstance. */
export type NativeHandle = unknown;
/** Opaque pointer into model memory. */
export type NativePointer = unknown;

/** The shim's functions, bound for one shared object. */
export interface ShimLibrary {
  readonly path: string;
  portCount(): number;
  portBytes(index: number): number;
  create(seed: number, fstPath: string): NativeHandle;
  /** Frees the instance; returns its output not yet taken. */
  destroy(h: NativeHandle): string;
  status(h: NativeHandle): NativePointer;
  timePrecision(h: NativeHandle): number;
  portAddr(h: NativeHandle, index: number): NativePointer;
  eval(h: NativeHandle, time: number): number;
  dump(h: NativeHandle, time: number): void;
  runEdges(h: NativeHandle, clk: number, edges: number, t0: number, first: number, second: number, watch: Int32Array, nwatch: number): number;
  takeOutput(h: NativeHandle): string;
  message(h: NativeHandle): string;
  /** Arms the watchdog: model code still running `ms` from now is abandoned (0 disarms). */
  setDeadline(h: NativeHandle, ms: number): number;
  /** Binds another exported function by C prototype, e.g. 'double f(void *, double)'. */
  func(prototype: string): (...args: unknown[]) => unknown;
}

const loaded = new Map<string, ShimLibrary>();

/** Loads (once per process and path) a model's shared object. */
export function loadShim(path: string): ShimLibrary {
  const cached = loaded.get(path);
  if (cached) return cached;
  const lib = koffi.load(path);
  const f = (proto: string) => lib.func(proto) as (...args: unknown[]) => unknown;
  const shim: ShimLibrary = {
    path,
    portCount: f('int mpsa_port_count()') as ShimLibrary['portCount'],
    portBytes: f('int mpsa_port_bytes(int)') as ShimLibrary['portBytes'],
    create: f('void *mpsa_create(uint32_t, const char *)') as ShimLibrary['create'],
    destroy: f('const char *mpsa_destroy(void *)') as ShimLibrary['destroy'],
    status: f('void *mpsa_status(void *)') as ShimLibrary['status'],
    timePrecision: f('int mpsa_time_precision(void *)') as ShimLibrary['timePrecision'],
    portAddr: f('void *mpsa_port_addr(void *, int)') as ShimLibrary['portAddr'],
    eval: f('int mpsa_eval(void *, double)') as ShimLibrary['eval'],
    dump: f('void mpsa_dump(void *, double)') as ShimLibrary['dump'],
    runEdges: f('double mpsa_run_edges(void *, int, double, double, double, double, const int32_t *, int)') as ShimLibrary['runEdges'],
    takeOutput: f('const char *mpsa_take_output(void *)') as ShimLibrary['takeOutput'],
    message: f('const char *mpsa_message(void *)') as ShimLibrary['message'],
    setDeadline: f('int mpsa_set_deadline(void *, double)') as ShimLibrary['setDeadline'],
    func: f,
  };
  loaded.set(path, shim);
  return shim;
}

/** A zero-copy view of `bytes` bytes of native memory at `ptr`. */
export function viewMemory(ptr: NativePointer, bytes: number): ArrayBuffer {
  if (ptr === null || ptr === undefined) throw new Error('null native pointer from the model');
  return koffi.view(ptr, bytes);
}
