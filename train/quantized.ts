// A GEMM backend that runs a MAC configuration bit for bit on quantized operands. The code-level
// GEMM is pluggable: the emulation kernel (`emu`) or the RTL array through the harness (`rtl`);
// both must agree with golden's gemm exactly, so the two backends give identical training runs.
import { ArithmeticInputError, decoderFor, quantizeFast, type Format, type GemmResult, type GemmShape, type Geometry, type MacConfig } from '../golden/index.ts';
import { checkShape, countFlags, gemmF32, type GemmArith, type GemmBackend, type GemmCounters } from './gemm.ts';

export interface CodeGemmOptions { geometry: Geometry; seed: number }
/** C codes (accumulator format) = A codes · B codes under `cfg`, exactly as golden's gemm. */
export type CodeGemm = (A: Uint32Array, B: Uint32Array, shape: GemmShape, cfg: MacConfig, opts: CodeGemmOptions) => GemmResult | Promise<GemmResult>;

/**
 * fp32 values → codes of `f` (deterministic rounding); flags go to the counters. Bit-identical to
 * golden's quantizeFast for every input: under `rne`, a value whose result is a normal finite
 * number of `f` is rounded on its float32 bits (round-half-even at 23 − man dropped bits, the carry
 * walking into the exponent field); zeros, subnormal results, overflow, NaN/Inf and other modes go
 * to quantizeFast. In the fast case the only flag golden raises is `inexact`, which is not counted.
 */
export function quantizeArray(x: Float32Array, f: Format, mode: GemmArith['quantize']['a'], counters?: GemmCounters): Uint32Array {
  const out = new Uint32Array(x.length);
  const rnd = { mode };
  const fast = mode === 'rne' && f.man <= 23 && f.exp <= 8;
  const bits = fast ? new Uint32Array(x.buffer, x.byteOffset, x.length) : null;
  const shift = 23 - f.man;
  const halfMinus1 = shift > 0 ? 2 ** (shift - 1) - 1 : 0;
  const { bias, maxCode, signBit } = f;
  // Below f's normal range (zeros and f32 subnormals included) with subnormals: the result is
  // round-half-even(|x| / 2^(emin − man)) on the subnormal grid, exact in doubles; while it stays
  // below 2^man it is a subnormal code (tiny after rounding too), inexact ⇒ underflow.
  const sub = bits !== null && f.subnormals && f.man >= 1;
  const invQ = 2 ** (f.man - f.emin), subLimit = 2 ** f.man;
  for (let i = 0; i < x.length; i++) {
    if (bits !== null) {
      const u = bits[i];
      const e32 = (u >>> 23) & 0xff;
      const be = e32 - 127 + bias;
      if (e32 !== 0 && e32 !== 0xff && be >= 1) {
        const v = be * 0x800000 + (u & 0x7fffff); // < 2^31: exponent field and fraction of f, before rounding
        const r = shift === 0 ? v : (v + halfMinus1 + ((v >>> shift) & 1)) >>> shift;
        if (r <= maxCode) {
          out[i] = u >>> 31 ? r + signBit : r;
          continue;
        }
      } else if (sub && e32 !== 0xff) {
        const y = Math.abs(x[i]) * invQ;
        const fl = Math.floor(y), d = y - fl;
        const n = d > 0.5 ? fl + 1 : d < 0.5 ? fl : fl % 2 === 0 ? fl : fl + 1;
        if (n < subLimit) {
          out[i] = u >>> 31 ? n + signBit : n;
          if (d !== 0 && counters) counters.underflow++;
          continue;
        }
      }
    }
    const r = quantizeFast(x[i], f, rnd);
    out[i] = r.code;
    countFlags(counters, r.flags);
  }
  return out;
}

export function decodeArray(codes: Uint32Array, f: Format): Float32Array {
  // IEEE binary32 itself: the codes are the float32 bits.
  if (f.exp === 8 && f.man === 23 && f.subnormals && f.specials === 'ieee' && f.overflow === 'infinity') {
    return new Float32Array(codes.buffer.slice(codes.byteOffset, codes.byteOffset + codes.byteLength));
  }
  const dec = decoderFor(f);
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = dec(codes[i]);
  return out;
}

export function quantizedBackend(name: 'emu' | 'rtl', codeGemm: CodeGemm, close?: () => Promise<void>): GemmBackend {
  return {
    name,
    async gemm(a, b, M, K, N, arith, counters) {
      checkShape(a, b, M, K, N);
      if (counters) { counters.calls++; counters.macs += M * K * N; }
      if (arith === null) return gemmF32(a, b, M, K, N);
      if (!('mac' in arith)) throw new ArithmeticInputError('backend', `${name} has no block floating point GEMM (BFP runs on emu)`);
      const { mac } = arith;
      const qa = quantizeArray(a, mac.a, arith.quantize.a, counters);
      const qb = quantizeArray(b, mac.b, arith.quantize.b, counters);
      const r = await codeGemm(qa, qb, { M, K, N }, mac, { geometry: arith.geometry, seed: arith.seed });
      for (let i = 0; i < r.flags.length; i++) countFlags(counters, r.flags[i]);
      return decodeArray(r.c, mac.acc.fmt);
    },
    close,
  };
}
