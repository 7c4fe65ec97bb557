// emu: the fast GEMM backend, bit-identical to golden's gemm (golden/gemm.ts): the same
// signature, the same codes and per-output flags, plus `threads`. The MACs run in the C kernel
// native/emu.c (docs/emu.md); the optional output conversion is golden's own convertFast.
import { availableParallelism } from 'node:os';
import {
  ArithmeticInputError, checkMode, convertFast, format, gemm, SPECIALS, usesSr,
  type Format, type GemmOptions, type GemmResult, type GemmShape, type MacConfig, type Mode,
} from '../../golden/index.ts';
import { emuNative } from './ffi.ts';

export { EmuBuildError } from './build.ts';

export interface EmuOptions extends GemmOptions {
  /**
   * Threads of the native kernel; the result does not depend on it.
   * @defaultValue 1 below 2^20 MACs, else os.availableParallelism()
   */
  threads?: number;
  /**
   * Which kernel; every choice gives the same bits. 'auto': the AVX-512 float32 kernel where it
   * applies (docs/emu.md), else the scalar one with its product table; 'scalar': never the
   * vector kernel (what a CPU without AVX-512 runs; the bench's "old" figures); 'direct': the
   * scalar kernel without the product table either.
   * @defaultValue 'auto'
   */
  kernel?: 'auto' | 'scalar' | 'direct';
}

/** Slot of the parameter block the kernel writes back (native/emu.c, enum P_USED). */
const P_USED = 36;
/** Slot of the accumulation kind (native/emu.c, enum P_ACCUM: 0 plain, 1 exact, 2 Kahan). */
const P_ACCUM = 37;
const KERNEL_CODE = { auto: 0, direct: 1, scalar: 2 } as const;
const MODE_CODE: Record<Mode, number> = { rne: 0, rna: 1, rtz: 2, rup: 3, rdn: 4, rto: 5, sr: 6 };

function checkDim(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1 << 20) {
    throw new ArithmeticInputError(name, `must be an integer in 1..${1 << 20}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The codes as a Uint32Array (no copy when they are one), each checked against f's width. */
function codes(name: string, arr: ArrayLike<number>, n: number, f: Format): Uint32Array {
  if (arr.length !== n) throw new ArithmeticInputError(name, `must hold ${n} codes, got ${arr.length}`);
  const limit = 2 * f.signBit;
  for (let i = 0; i < n; i++) {
    const v = arr[i];
    if (!Number.isInteger(v) || v < 0 || v >= limit) {
      throw new ArithmeticInputError(`${name}[${i}]`, `must be a ${f.width}-bit code of ${f.name}, got ${v}`);
    }
  }
  return arr instanceof Uint32Array ? arr : Uint32Array.from(arr);
}

function putFormat(p: Int32Array, at: number, f: Format): void {
  p.set([f.exp, f.man, f.subnormals ? 1 : 0, SPECIALS.indexOf(f.specials), f.overflow === 'saturate' ? 1 : 0], at);
}

/** C = A·B exactly as golden's gemm(A, B, shape, cfg, opts) computes it, on the native kernel. */
export function emuGemm(A: ArrayLike<number>, B: ArrayLike<number>, shape: GemmShape, cfg: MacConfig, opts: EmuOptions = {}): GemmResult {
  const M = checkDim('M', shape.M);
  const K = checkDim('K', shape.K);
  const N = checkDim('N', shape.N);
  const a = codes('A', A, M * K, cfg.a);
  const b = codes('B', B, K * N, cfg.b);
  const c0 = opts.c0 ? codes('c0', opts.c0, M * N, cfg.acc.fmt) : null;
  const out = opts.out === undefined ? undefined : { fmt: format(opts.out.fmt as string, 'out.fmt'), mode: checkMode(opts.out.mode, 'out.mode') };
  if (out?.mode === 'sr') {
    throw new ArithmeticInputError('out.mode', "'sr' is not supported for the output conversion: no random stream is defined for it");
  }
  const sr = usesSr(cfg);
  if (sr) {
    const g = opts.geometry;
    if (!g) throw new ArithmeticInputError('geometry', "is required when the MAC uses 'sr': the random streams belong to the array's PEs");
    checkDim('geometry.rows', g.rows);
    checkDim('geometry.cols', g.cols);
    if (g.interleave !== undefined && (!Number.isInteger(g.interleave) || g.interleave < 1 || g.interleave > 255)) {
      throw new ArithmeticInputError('geometry.interleave', `must be an integer in 1..255, got ${JSON.stringify(g.interleave)}`);
    }
    const seed = opts.seed;
    if (seed === undefined || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ArithmeticInputError('seed', `must be a uint32 when the MAC uses 'sr', got ${JSON.stringify(seed)}`);
    }
  }
  if (opts.kernel !== undefined && !Object.hasOwn(KERNEL_CODE, opts.kernel)) {
    throw new ArithmeticInputError('kernel', `must be one of auto | scalar | direct, got ${JSON.stringify(opts.kernel)}`);
  }
  const threads = opts.threads ?? (M * K * N < 1 << 20 ? 1 : availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new ArithmeticInputError('threads', `must be an integer in 1..256, got ${JSON.stringify(threads)}`);

  const native = emuNative();
  const p = new Int32Array(native.paramCount());
  const mul = cfg.style === 'separate' && cfg.mul ? cfg.mul : { fmt: cfg.acc.fmt, mode: 'rne' as Mode, rbits: undefined };
  putFormat(p, 0, cfg.a);
  putFormat(p, 5, cfg.b);
  putFormat(p, 10, mul.fmt);
  putFormat(p, 15, cfg.acc.fmt);
  p.set([
    MODE_CODE[mul.mode], mul.rbits ?? 0, MODE_CODE[cfg.acc.mode], cfg.acc.rbits ?? 0,
    cfg.style === 'fused' ? 1 : 0, M, K, N, c0 ? 1 : 0, sr ? 1 : 0,
    sr ? opts.geometry!.rows : 1, sr ? opts.geometry!.cols : 1, sr ? (opts.geometry!.interleave ?? 1) : 1, sr ? opts.seed! | 0 : 0,
    threads, KERNEL_CODE[opts.kernel ?? 'auto'],
  ], 20);
  p[P_ACCUM] = cfg.style === 'exact' ? 1 : cfg.kahan ? 2 : 0;
  const c = new Uint32Array(M * N);
  const flags = new Uint8Array(M * N);
  const rc = native.gemm(p, a, b, c0, c, flags);
  lastKernel = p[P_USED] === 1 ? 'vector' : 'scalar';
  // A case only golden's exact path rounds, or an exact accumulation wider than the kernel's
  // 128-bit register (or with c0): golden answers, with the same bits.
  if (rc === 1) {
    lastKernel = 'golden';
    return gemm(a, b, shape, cfg, { ...opts, path: 'fast' });
  }
  if (rc !== 0) throw new RangeError(`emuGemm: the native kernel could not allocate its buffers for ${M}×${K}×${N}`);
  if (!out) return { c, flags, format: cfg.acc.fmt };
  for (let i = 0; i < M * N; i++) {
    const r = convertFast(c[i], cfg.acc.fmt, out.fmt, { mode: out.mode });
    c[i] = r.code;
    flags[i] |= r.flags;
  }
  return { c, flags, format: out.fmt };
}

let lastKernel: 'vector' | 'scalar' | 'golden' | undefined;

/** Which kernel the last emuGemm call ran ('vector': the AVX-512 float32 one; 'golden': the case went back to golden's gemm); for tests and benches. */
export function emuLastKernel(): 'vector' | 'scalar' | 'golden' | undefined {
  return lastKernel;
}

/** Does this machine run the AVX-512 float32 kernel where it applies (CPU and MXCSR checked)? */
export function emuVectorAvailable(): boolean {
  return emuNative().simd() === 1;
}
