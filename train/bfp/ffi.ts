// The one file of train/bfp that imports koffi: binds the BFP kernel (native/bfp.c), compiled
// and cached by train/emu/build.ts's buildLibrary (its cache key hashes this source, so the two
// kernels never collide). TypedArrays go to pointer parameters without a copy.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { buildLibrary } from '../emu/build.ts';

export const BFP_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'native', 'bfp.c');

export interface BfpNative {
  /** Length of the int32 parameter block (native/bfp.c, enum P_*). */
  paramCount(): number;
  /** 0 done, -1 out of memory. `flags` per output; `counts` the quantizer counters (8 words). */
  gemm(params: Int32Array, A: Float32Array, B: Float32Array, C: Float32Array, flags: Uint8Array, counts: Uint32Array): number;
}

let native: BfpNative | undefined;

export function bfpNative(): BfpNative {
  if (native) return native;
  const lib = koffi.load(buildLibrary(BFP_SOURCE));
  const paramCount = lib.func('int bfp_param_count()') as () => number;
  const gemm = lib.func('int bfp_gemm(const int32_t *, const float *, const float *, float *, uint8_t *, uint32_t *)') as BfpNative['gemm'];
  native = { paramCount, gemm };
  return native;
}
