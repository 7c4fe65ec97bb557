// The one file of train/emu that imports koffi: binds the kernel's C entry points.
// TypedArrays are passed to pointer parameters without a copy (koffi pins their memory for the
// duration of the call), so results land in the caller's arrays.
import koffi from 'koffi';
import { emuLibrary } from './build.ts';

export interface EmuNative {
  /** Length of the int32 parameter block (native/emu.c, enum P_*). */
  paramCount(): number;
  /** 0 done, 1 needs golden's exact path, -1 out of memory. */
  /** 1 when the AVX-512 float32 kernel can run here. */
  simd(): number;
  gemm(params: Int32Array, A: Uint32Array, B: Uint32Array, c0: Uint32Array | null, out: Uint32Array, flags: Uint8Array): number;
}

let native: EmuNative | undefined;

export function emuNative(): EmuNative {
  if (native) return native;
  const lib = koffi.load(emuLibrary());
  const paramCount = lib.func('int emu_param_count()') as () => number;
  const gemm = lib.func('int emu_gemm(int32_t *, const uint32_t *, const uint32_t *, const uint32_t *, uint32_t *, uint8_t *)') as EmuNative['gemm'];
  const simd = lib.func('int emu_simd()') as () => number;
  native = { paramCount, simd, gemm };
  return native;
}
