import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb } from '../property-tests/support/arbitraries.ts';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs } from '../property-tests/support/seed.ts';
import { gemm } from './gemm.ts';
import { refOp } from '../property-tests/oracles/contract-ref.ts';
import { macConfig, type MacConfigSpec } from './mac.ts';
import { add, mul } from './ops.ts';
import type { Mode } from './rounding.ts';
import { format } from './format.ts';

const e4m3_fp16: MacConfigSpec = { a: 'e4m3', b: 'e4m3', mul: { fmt: 'fp16', mode: 'rne' }, acc: { fmt: 'fp32', mode: 'rne' }, style: 'separate' };
const bf16_sr: MacConfigSpec = { a: 'bf16', b: 'bf16', acc: { fmt: 'bf16', mode: 'sr', rbits: 8 }, style: 'fused' };
const mixed_sr: MacConfigSpec = { a: 'e5m2', b: 'e4m3', mul: { fmt: 'e5m2', mode: 'sr', rbits: 4 }, acc: { fmt: 'bf16', mode: 'sr', rbits: 11 }, style: 'separate' };

const shapeArb = fc.record({ M: fc.integer({ min: 1, max: 9 }), K: fc.integer({ min: 1, max: 9 }), N: fc.integer({ min: 1, max: 9 }) });
function operands(spec: MacConfigSpec) {
  const cfg = macConfig(spec);
  return shapeArb.chain((s) => fc.record({
    s: fc.constant(s),
    A: fc.array(codeArb(cfg.a), { minLength: s.M * s.K, maxLength: s.M * s.K }),
    B: fc.array(codeArb(cfg.b), { minLength: s.K * s.N, maxLength: s.K * s.N }),
    rows: fc.integer({ min: 1, max: 4 }),
    cols: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
  }));
}

describe('golden GEMM', () => {
  it('deterministic modes: the scalar op chain, for any geometry, on both paths', () => {
    const cfg = macConfig(e4m3_fp16);
    check(testContext(), fc.property(operands(e4m3_fp16), ({ s, A, B, rows, cols }) => {
      const ref = new Uint32Array(s.M * s.N);
      for (let i = 0; i < s.M; i++) for (let j = 0; j < s.N; j++) {
        let acc = 0;
        for (let k = 0; k < s.K; k++) {
          const p = mul(A[i * s.K + k], 'e4m3', B[k * s.N + j], 'e4m3', 'fp16', { mode: 'rne' }).code;
          acc = add(acc, 'fp32', p, 'fp16', 'fp32', { mode: 'rne' }).code;
        }
        ref[i * s.N + j] = acc;
      }
      expect(gemm(A, B, s, cfg, { path: 'exact' }).c).toEqual(ref);
      expect(gemm(A, B, s, cfg, { path: 'fast', geometry: { rows, cols }, seed: 1 }).c).toEqual(ref);
    }), runs(200));
  });

  it('sr: each PE draws from its own two streams, tile groups row-major and k-major within a group, padding MACs step — against a reference of docs/arithmetic.md §5 written from BigInt', () => {
    for (const spec of [bf16_sr, mixed_sr]) {
      const cfg = macConfig(spec);
      check(testContext(), fc.property(operands(spec), fc.integer({ min: 1, max: 3 }), ({ s, A, B, rows, cols, seed }, L) => {
        // Reference: the streams and the tile order of §5 re-implemented here, and every rounding
        // from the BigInt contract transcription (property-tests/oracles/contract-ref.ts): no
        // golden MAC, op, generator or hash.
        const gens = Array.from({ length: rows * cols }, (_, pe) => [refStream((seed ^ refFmix32(2 * pe + 1)) >>> 0), refStream((seed ^ refFmix32(2 * pe + 2)) >>> 0)]);
        const acc = new Array<number>(s.M * s.N).fill(0);
        const tiles: [number, number][] = [];
        for (let ti = 0; ti * rows < s.M; ti++) for (let tj = 0; tj * cols < s.N; tj++) tiles.push([ti, tj]);
        const rounding = (st: { mode: Mode; rbits?: number }, rand: number) => (st.mode === 'sr' ? { mode: st.mode, rbits: st.rbits, rand } : { mode: st.mode });
        for (let g = 0; g * L < tiles.length; g++) {
          const group = tiles.slice(g * L, g * L + L);
          for (let k = 0; k < s.K; k++) {
            for (const [ti, tj] of group) {
              for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
                const [gm, ga] = gens[r * cols + c];
                const rm = gm(cfg.mul?.rbits ?? 1), ra = ga(cfg.acc.rbits ?? 1);
                const i = ti * rows + r, j = tj * cols + c;
                if (i >= s.M || j >= s.N) continue;
                const a = A[i * s.K + k], b = B[k * s.N + j], o = i * s.N + j;
                if (cfg.style === 'fused') {
                  acc[o] = refOp('fma', [a, b, acc[o]], [cfg.a, cfg.b, cfg.acc.fmt], cfg.acc.fmt, rounding(cfg.acc, ra)).code;
                } else {
                  const p = refOp('mul', [a, b], [cfg.a, cfg.b], cfg.mul!.fmt, rounding(cfg.mul!, rm)).code;
                  acc[o] = refOp('add', [acc[o], p], [cfg.acc.fmt, cfg.mul!.fmt], cfg.acc.fmt, rounding(cfg.acc, ra)).code;
                }
              }
            }
          }
        }
        const opts = { geometry: { rows, cols, interleave: L }, seed };
        expect([...gemm(A, B, s, cfg, { ...opts, path: 'exact' }).c]).toEqual(acc);
        expect([...gemm(A, B, s, cfg, { ...opts, path: 'fast' }).c]).toEqual(acc);
      }), runs(100));
    }
  });

  it('sr results depend on the geometry and the seed', () => {
    const cfg = macConfig({ a: 'fp16', b: 'fp16', acc: { fmt: 'e5m2', mode: 'sr', rbits: 8 }, style: 'fused' });
    const A = Array.from({ length: 64 }, (_, i) => 0x3c00 + i); // 1.0 … ~1.06
    const B = Array.from({ length: 64 }, (_, i) => 0x3555 + i); // ~1/3
    const s = { M: 8, K: 8, N: 8 };
    const a = gemm(A, B, s, cfg, { geometry: { rows: 4, cols: 4 }, seed: 7 }).c;
    expect(gemm(A, B, s, cfg, { geometry: { rows: 4, cols: 4 }, seed: 7 }).c).toEqual(a);
    expect(gemm(A, B, s, cfg, { geometry: { rows: 2, cols: 4 }, seed: 7 }).c).not.toEqual(a);
    expect(gemm(A, B, s, cfg, { geometry: { rows: 4, cols: 4 }, seed: 8 }).c).not.toEqual(a);
  });

  it('c0, output conversion and flags', () => {
    const cfg = macConfig(e4m3_fp16);
    // [448]·[448] = 200704 in fp32, then + c0 = 1.0; out to e4m3 overflows to NaN (non-saturating).
    const r = gemm([0x7e], [0x7e], { M: 1, K: 1, N: 1 }, cfg, { c0: [0x3f800000], out: { fmt: 'e4m3', mode: 'rne' } });
    expect(r.format).toBe(format('e4m3'));
    expect(Array.from(r.c)).toEqual([0x7f]);
    expect(r.flags[0]).toBe(2 | 8); // overflow | inexact from the conversion; the MAC itself was exact
  });

  it('bad input names the field', () => {
    const sr = macConfig(bf16_sr);
    const s = { M: 1, K: 1, N: 1 };
    expect(() => gemm([0], [0], s, sr)).toThrow(/^geometry: is required when the MAC uses 'sr'/);
    expect(() => gemm([0], [0], s, sr, { geometry: { rows: 2, cols: 2 } })).toThrow(/^seed: must be a uint32/);
    expect(() => gemm([0], [0], s, sr, { geometry: { rows: 0, cols: 2 }, seed: 1 })).toThrow(/^geometry.rows: /);
    const det = macConfig(e4m3_fp16);
    expect(() => gemm([0, 0], [0], s, det)).toThrow(/^A: must hold 1 codes, got 2/);
    expect(() => gemm([0x100], [0], s, det)).toThrow(/^A\[0\]: must be a 8-bit code of e4m3/);
    expect(() => gemm([0], [0], { M: 0, K: 1, N: 1 }, det)).toThrow(/^M: /);
    expect(() => gemm([0], [0], s, det, { c0: [0, 0] })).toThrow(/^c0: must hold 1 codes/);
    expect(() => gemm([0], [0], s, det, { out: { fmt: 'e4m3', mode: 'sr' } })).toThrow(/^out.mode: 'sr' is not supported/);
    expect(() => macConfig({ ...e4m3_fp16, style: 'fma' })).toThrow(/^style: must be 'separate', 'fused' or 'exact'/);
    expect(() => macConfig({ ...e4m3_fp16, mul: undefined })).toThrow(/^mul: is required with style 'separate'/);
    expect(() => macConfig({ ...e4m3_fp16, acc: { fmt: 'fp32', mode: 'sr' } })).toThrow(/^acc.rbits: must be an integer in 1..24/);
    expect(() => macConfig({ ...e4m3_fp16, acc: { fmt: 'fp32', mode: 'rne', rbits: 3 } })).toThrow(/^acc.rbits: only allowed with mode 'sr'/);
    expect(() => macConfig({ ...e4m3_fp16, a: 'e9m2' })).toThrow(/^a.exp: must be an integer in 1..8/);
  });
});

/** MurmurHash3's 32-bit finaliser (docs/arithmetic.md §5), written here rather than imported. */
function refFmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** xorshift32 (13, 17, 5) from `state` (0 becomes 0x6D2B79F5); each call steps and gives the top r bits. */
function refStream(state: number): (r: number) => number {
  let x = state >>> 0 || 0x6d2b79f5;
  return (r) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x >>> (32 - r);
  };
}
