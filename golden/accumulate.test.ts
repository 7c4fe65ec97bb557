// Exact (Kulisch) and compensated (Kahan) accumulation (docs/arithmetic.md §5.1, §5.2) against
// references written from the contract: a BigInt sum of the exact products rounded once, and the
// four-rounding Kahan formula spelled out with the public scalar operations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeArb, formatArb } from '../property-tests/support/arbitraries.ts';
import { testContext } from '../property-tests/support/context.ts';
import { check, runs, testSeed } from '../property-tests/support/seed.ts';
import { Kind, decode } from './codec.ts';
import { roundRaw, type Raw } from './exact.ts';
import { format, type Format } from './format.ts';
import { gemm } from './gemm.ts';
import { macConfig, type MacConfig, type MacConfigSpec } from './mac.ts';
import { add, fma, mul } from './ops.ts';
import { fmix32, XorShift32 } from './rng.ts';
import { FLAG_INVALID, type Mode, type Rounding } from './rounding.ts';

const MODES: Mode[] = ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto', 'sr'];

/** A value as n·2^e with BigInt n (its own decomposition of the decoded fields). */
function big(code: number, f: Format): { kind: Kind; neg: boolean; n: bigint; e: number } {
  const d = decode(code, f);
  return { kind: d.kind, neg: d.negative, n: BigInt(d.sig), e: d.exp };
}

/**
 * c0 + Σ a_k·b_k as the contract defines it, without golden's addRaw: NaN if a NaN operand or an
 * invalid operation (∞·0, +∞ meeting −∞) comes first in k order (then `invalid` tells which),
 * else ±∞, else the BigInt sum; an exact zero is signed by §3 (all zeros of one sign keep it,
 * any other zero is +0, −0 under rdn).
 */
function referenceSum(as: number[], bs: number[], cfg: MacConfig, c0: number): Raw {
  const terms = [{ t: big(c0, cfg.acc.fmt), nan: false, invalid: false }];
  for (let k = 0; k < as.length; k++) {
    const x = big(as[k], cfg.a), y = big(bs[k], cfg.b);
    const nan = x.kind === Kind.NaN || y.kind === Kind.NaN;
    const inf = x.kind === Kind.Inf || y.kind === Kind.Inf;
    const zero = x.kind === Kind.Zero || y.kind === Kind.Zero;
    const neg = x.neg !== y.neg;
    if (nan) terms.push({ t: { kind: Kind.NaN, neg: false, n: 0n, e: 0 }, nan: true, invalid: false });
    else if (inf && zero) terms.push({ t: { kind: Kind.NaN, neg: false, n: 0n, e: 0 }, nan: true, invalid: true });
    else if (inf) terms.push({ t: { kind: Kind.Inf, neg, n: 0n, e: 0 }, nan: false, invalid: false });
    else if (zero) terms.push({ t: { kind: Kind.Zero, neg, n: 0n, e: 0 }, nan: false, invalid: false });
    else terms.push({ t: { kind: Kind.Finite, neg, n: x.n * y.n, e: x.e + y.e }, nan: false, invalid: false });
  }
  if (terms[0].t.kind === Kind.NaN) terms[0].nan = true;
  let infSign: boolean | null = null;
  for (const { t, nan, invalid } of terms) {
    if (nan) return { kind: Kind.NaN, negative: false, sig: 0n, exp: 0, invalid };
    if (t.kind === Kind.Inf) {
      if (infSign !== null && infSign !== t.neg) return { kind: Kind.NaN, negative: false, sig: 0n, exp: 0, invalid: true };
      infSign = t.neg;
    }
  }
  if (infSign !== null) return { kind: Kind.Inf, negative: infSign, sig: 0n, exp: 0 };
  const e0 = Math.min(...terms.map(({ t }) => t.e));
  let sum = 0n;
  for (const { t } of terms) if (t.kind === Kind.Finite) sum += (t.neg ? -t.n : t.n) << BigInt(t.e - e0);
  if (sum !== 0n) return { kind: Kind.Finite, negative: sum < 0n, sig: sum < 0n ? -sum : sum, exp: e0 };
  const finite = terms.some(({ t }) => t.kind === Kind.Finite);
  const signs = new Set(terms.map(({ t }) => t.neg));
  const negative = !finite && signs.size === 1 ? terms[0].t.neg : cfg.acc.mode === 'rdn';
  return { kind: Kind.Zero, negative, sig: 0n, exp: 0 };
}

const shapeArb = fc.record({ M: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 12 }), N: fc.integer({ min: 1, max: 5 }) });

/** A random configuration, operands, optional c0 and an sr geometry. */
function caseArb(style: 'exact' | 'fused' | 'separate', kahan: boolean) {
  const small = formatArb({ maxExp: 6, maxMan: 6 });
  return fc.record({
    a: small, b: small, acc: formatArb({ minExp: 2, minMan: 1 }), mul: formatArb({ minExp: 2, minMan: 1 }),
    mode: fc.constantFrom(...MODES), mulMode: fc.constantFrom(...MODES),
    rbits: fc.integer({ min: 1, max: 12 }), s: shapeArb, withC0: fc.boolean(),
    rows: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 1, max: 3 }), seed: fc.integer({ min: 0, max: 0xffffffff }),
  }).chain((c) => {
    const spec: MacConfigSpec = {
      a: c.a, b: c.b, style, ...(kahan ? { kahan } : {}),
      acc: { fmt: c.acc, mode: c.mode, ...(c.mode === 'sr' ? { rbits: c.rbits } : {}) },
      ...(style === 'separate' ? { mul: { fmt: c.mul, mode: c.mulMode, ...(c.mulMode === 'sr' ? { rbits: c.rbits } : {}) } } : {}),
    };
    const cfg = macConfig(spec);
    return fc.record({
      c: fc.constant(c), cfg: fc.constant(cfg),
      A: fc.array(codeArb(cfg.a), { minLength: c.s.M * c.s.K, maxLength: c.s.M * c.s.K }),
      B: fc.array(codeArb(cfg.b), { minLength: c.s.K * c.s.N, maxLength: c.s.K * c.s.N }),
      C0: fc.array(codeArb(cfg.acc.fmt), { minLength: c.s.M * c.s.N, maxLength: c.s.M * c.s.N }),
    });
  });
}

/** Each PE's two generators, as gemm.test.ts builds them. */
function generators(rows: number, cols: number, seed: number): XorShift32[][] {
  return Array.from({ length: rows * cols }, (_, pe) => [new XorShift32((seed ^ fmix32(2 * pe + 1)) >>> 0), new XorShift32((seed ^ fmix32(2 * pe + 2)) >>> 0)]);
}

/** Visits every output tile by tile (row-major tiles, L = 1), PE by PE, with that PE's generators. */
function forEachTile(M: number, N: number, rows: number, cols: number, gens: XorShift32[][], f: (i: number, j: number, gm: XorShift32, ga: XorShift32, inside: boolean) => void): void {
  for (let ti = 0; ti * rows < M; ti++) for (let tj = 0; tj * cols < N; tj++) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      const i = ti * rows + r, j = tj * cols + c;
      f(i, j, gens[r * cols + c][0], gens[r * cols + c][1], i < M && j < N);
    }
  }
}

describe('exact (Kulisch) accumulation', () => {
  it('equals the BigInt sum of the exact products rounded once (random formats, modes, specials, c0, sr streams)', () => {
    check(testContext(), fc.property(caseArb('exact', false), ({ c, cfg, A, B, C0 }) => {
      const { M, K, N } = c.s;
      const c0 = c.withC0 ? C0 : undefined;
      const gens = generators(c.rows, c.cols, c.seed);
      const want = new Uint32Array(M * N), wantFl = new Uint8Array(M * N);
      forEachTile(M, N, c.rows, c.cols, gens, (i, j, _gm, ga, inside) => {
        const R = cfg.acc.mode === 'sr' ? ga.next(cfg.acc.rbits as number) : 0; // one draw per tile, padding too
        if (!inside) return;
        const as = Array.from({ length: K }, (_, k) => A[i * K + k]);
        const bs = Array.from({ length: K }, (_, k) => B[k * N + j]);
        const r = roundRaw(referenceSum(as, bs, cfg, c0 ? c0[i * N + j] : 0), cfg.acc.fmt, cfg.acc.mode === 'sr' ? { mode: 'sr', rbits: cfg.acc.rbits, rand: R } : { mode: cfg.acc.mode });
        want[i * N + j] = r.code;
        wantFl[i * N + j] = r.flags;
      });
      const got = gemm(A, B, c.s, cfg, { c0, geometry: { rows: c.rows, cols: c.cols, interleave: 3 }, seed: c.seed });
      expect(Array.from(got.c)).toEqual(Array.from(want));
      expect(Array.from(got.flags)).toEqual(Array.from(wantFl));
    }), runs(300));
  });

  it('rounds once: e4m3 products into e6m4 lose nothing the fp32 sum keeps (K = 256)', () => {
    // 256 products of 1.125 · 1.125 = 1.265625: every float accumulator of 5 significant bits
    // swamps; the exact one holds 324 and rounds it once (to 320 under rne: 324 = 1.0100010·2^8).
    const one = 0x38 + 1; // e4m3 1.125
    const A = new Array(256).fill(one), B = new Array(256).fill(one);
    const exact = gemm(A, B, { M: 1, K: 256, N: 1 }, macConfig({ a: 'e4m3', b: 'e4m3', acc: { fmt: 'e6m4', mode: 'rne' }, style: 'exact' }));
    const fused = gemm(A, B, { M: 1, K: 256, N: 1 }, macConfig({ a: 'e4m3', b: 'e4m3', acc: { fmt: 'e6m4', mode: 'rne' }, style: 'fused' }));
    const e6m4 = format('e6m4');
    const val = (code: number) => { const d = decode(code, e6m4); return d.sig * 2 ** d.exp; };
    expect(val(exact.c[0])).toBe(320);
    expect(val(fused.c[0])).toBeLessThan(200);
  });

  it('refuses Kahan compensation with a clear error', () => {
    expect(() => macConfig({ a: 'e4m3', b: 'e4m3', acc: { fmt: 'fp32', mode: 'rne' }, style: 'exact', kahan: true })).toThrow(/kahan: compensation is for the float accumulators/);
    expect(() => macConfig({ a: 'e4m3', b: 'e4m3', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused', kahan: 1 as unknown as boolean })).toThrow(/kahan: must be true or false/);
    expect(() => macConfig({ a: 'e4m3', b: 'e4m3', acc: { fmt: 'fp32', mode: 'rne' }, style: 'kulisch' })).toThrow(/style: must be 'separate', 'fused' or 'exact'/);
  });
});

/** The documented formula with the public operations, on one output; R words from `ga` (and `gm`). */
function kahanReference(as: number[], bs: number[], cfg: MacConfig, s0: number, gm: XorShift32 | null, ga: XorShift32 | null): { s: number; flags: number } {
  const F = cfg.acc.fmt;
  const rnd = (st: { mode: Mode; rbits?: number }, g: XorShift32 | null): Rounding => (st.mode === 'sr' ? { mode: 'sr', rbits: st.rbits, rand: (g as XorShift32).next(st.rbits as number) } : { mode: st.mode });
  // −x: flip the sign; P3109 has no −0, so its +0 and its NaN (1|0…0) stay as they are.
  const neg = (x: number) => (!F.signedZero && x % F.signBit === 0 ? x : (x ^ F.signBit) >>> 0);
  let s = s0, c = 0, flags = 0;
  for (let k = 0; k < as.length; k++) {
    let y;
    if (cfg.style === 'fused') {
      gm?.next(1);
      y = fma(as[k], cfg.a, bs[k], cfg.b, neg(c), F, F, rnd(cfg.acc, ga));
    } else {
      const m = cfg.mul!;
      const p = mul(as[k], cfg.a, bs[k], cfg.b, m.fmt, m.mode === 'sr' ? rnd(m, gm) : (gm?.next(1), { mode: m.mode }));
      flags |= p.flags;
      y = add(p.code, m.fmt, neg(c), F, F, rnd(cfg.acc, ga));
    }
    const t = add(s, F, y.code, F, F, rnd(cfg.acc, ga));
    const r2 = rnd(cfg.acc, ga), r3 = rnd(cfg.acc, ga); // drawn whether used or not
    flags |= y.flags | t.flags;
    const kind = decode(t.code, F).kind;
    if (kind === Kind.Inf || kind === Kind.NaN) {
      c = 0;
    } else {
      const d = add(t.code, F, neg(s), F, F, r2);
      const cc = add(d.code, F, neg(y.code), F, F, r3);
      flags |= d.flags | cc.flags;
      c = cc.code;
    }
    s = t.code;
  }
  return { s, flags };
}

describe('compensated (Kahan) accumulation', () => {
  for (const style of ['fused', 'separate'] as const) {
    it(`${style}: golden equals the documented formula (random formats, modes, specials, c0, sr streams)`, () => {
      check(testContext(), fc.property(caseArb(style, true), ({ c, cfg, A, B, C0 }) => {
        const { M, K, N } = c.s;
        const c0 = c.withC0 ? C0 : undefined;
        const gens = generators(c.rows, c.cols, c.seed);
        const sr = cfg.acc.mode === 'sr' || (style === 'separate' && cfg.mul?.mode === 'sr');
        const want = new Uint32Array(M * N), wantFl = new Uint8Array(M * N);
        forEachTile(M, N, c.rows, c.cols, gens, (i, j, gm, ga, inside) => {
          const as = Array.from({ length: K }, (_, k) => (inside ? A[i * K + k] : 0));
          const bs = Array.from({ length: K }, (_, k) => (inside ? B[k * N + j] : 0));
          // A padding PE steps its generators all the same: run the formula on zeros and drop it.
          const r = kahanReference(as, bs, cfg, inside && c0 ? c0[i * N + j] : 0, sr ? gm : null, sr ? ga : null);
          if (!inside) return;
          want[i * N + j] = r.s;
          wantFl[i * N + j] = r.flags;
        });
        const got = gemm(A, B, c.s, cfg, { c0, geometry: { rows: c.rows, cols: c.cols, interleave: 1 }, seed: c.seed });
        expect(Array.from(got.c)).toEqual(Array.from(want));
        expect(Array.from(got.flags)).toEqual(Array.from(wantFl));
        if (!sr) expect(Array.from(gemm(A, B, c.s, cfg, { c0, path: 'exact' }).c)).toEqual(Array.from(want));
      }), runs(150));
    });
  }

  it('rne: within the compensated-summation bound (2u + n·u²)·Σ|x| where the plain sum is beyond it', () => {
    // Σ x_i as a GEMM row: a = x_i (bf16), b = 1. u = 2^-8 (bf16 keeps 8 significant bits).
    // Goldberg (1991) Thm 8 / Higham (2002) eq. 4.9: |E| ≤ (2u + O(n·u²))·Σ|x|; the O-term is
    // taken as n·u². Inputs in [2^-4, 2^4): every partial sum is exact in a double.
    const bf16 = format('bf16');
    const u = 2 ** -8;
    const rng = new XorShift32(testSeed(testContext().name) || 1);
    const ONE = 0x3f80;
    for (const { n, signs } of [{ n: 200, signs: 'positive' }, { n: 1000, signs: 'positive' }, { n: 1000, signs: 'mixed' }]) {
      const trials = 8;
      const B = new Array(n * trials);
      for (let i = 0; i < n * trials; i++) {
        const e = (rng.next(3) - 4) + 0x7f;      // exponent 2^-4 .. 2^3
        const negative = signs === 'mixed' && rng.next(1) === 1;
        B[i] = (negative ? 0x8000 : 0) | (e << 7) | rng.next(7);
      }
      const A = new Array(n).fill(ONE);
      const shape = { M: 1, K: n, N: trials };
      const kahan = gemm(A, B, shape, macConfig({ a: 'bf16', b: 'bf16', acc: { fmt: 'bf16', mode: 'rne' }, style: 'fused', kahan: true }));
      const plain = gemm(A, B, shape, macConfig({ a: 'bf16', b: 'bf16', acc: { fmt: 'bf16', mode: 'rne' }, style: 'fused' }));
      let worstPlain = 0;
      for (let t = 0; t < trials; t++) {
        let sum = 0, abs = 0;
        for (let k = 0; k < n; k++) {
          const d = decode(B[k * trials + t], bf16);
          const x = (d.negative ? -1 : 1) * d.sig * 2 ** d.exp;
          sum += x;
          abs += Math.abs(x);
        }
        const val = (code: number) => { const d = decode(code, bf16); return (d.negative ? -1 : 1) * d.sig * 2 ** d.exp; };
        const bound = (2 * u + n * u * u) * abs;
        const ek = Math.abs(val(kahan.c[t]) - sum);
        expect(ek, `${signs} n=${n} trial ${t}: Kahan error ${ek} vs bound ${bound}`).toBeLessThanOrEqual(bound);
        worstPlain = Math.max(worstPlain, Math.abs(val(plain.c[t]) - sum) / bound);
      }
      if (signs === 'positive') expect(worstPlain, `plain rne sum, n=${n}: worst error / bound`).toBeGreaterThan(1);
    }
  });

  it('flags: an Inf sum stays Inf (no ∞ − ∞ in the compensation)', () => {
    const cfg = macConfig({ a: 'fp16', b: 'fp16', acc: { fmt: 'fp16', mode: 'rne' }, style: 'fused', kahan: true });
    const big16 = 0x7bff; // 65504
    const r = gemm([big16, big16, 0x3c00], [big16, big16, 0x3c00], { M: 1, K: 3, N: 1 }, cfg);
    expect(r.c[0]).toBe(0x7c00);
    expect(r.flags[0] & FLAG_INVALID).toBe(0);
  });
});
