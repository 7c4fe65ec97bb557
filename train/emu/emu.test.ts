import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemm, macConfig, quantizeFast, type Format, type GemmResult, type MacConfig, type MacConfigSpec, type Mode } from '../../golden/index.ts';
import { codeArb, formatArb, p3109Arb } from '../../property-tests/support/arbitraries.ts';
import { testContext } from '../../property-tests/support/context.ts';
import { check, runs } from '../../property-tests/support/seed.ts';
import { buildLibrary, EmuBuildError, findCompiler } from './build.ts';
import { emuGemm, emuLastKernel, emuVectorAvailable, type EmuOptions } from './index.ts';

const MODES: Mode[] = ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto', 'sr'];
const DETERMINISTIC: Mode[] = ['rne', 'rna', 'rtz', 'rup', 'rdn', 'rto'];

const stepArb = (fmt: fc.Arbitrary<Format>) =>
  fc.record({ fmt, mode: fc.constantFrom(...MODES), rbits: fc.integer({ min: 1, max: 24 }) })
    .map(({ fmt, mode, rbits }) => (mode === 'sr' ? { fmt, mode, rbits } : { fmt, mode }));

/** Any MAC configuration golden accepts; narrow operand formats half the time (the product table). */
const narrow = formatArb({ maxExp: 5, maxMan: 3 });
const cfgArb: fc.Arbitrary<MacConfig> = fc.record({
  a: fc.oneof(narrow, formatArb()),
  b: fc.oneof(narrow, formatArb()),
  mul: stepArb(formatArb()),
  acc: stepArb(fc.oneof(formatArb(), fc.constantFrom('fp16', 'bf16', 'fp32').map((n) => macConfig({ a: n, b: n, acc: { fmt: n, mode: 'rne' }, style: 'fused' }).acc.fmt))),
  style: fc.constantFrom('separate', 'fused'),
}).map((s) => macConfig(s as unknown as MacConfigSpec));

/** A GEMM case: shapes 1..40 (rarely multiples of the geometry), operands biased to specials. */
const caseArb = cfgArb.chain((cfg) =>
  fc.record({ M: fc.integer({ min: 1, max: 40 }), K: fc.integer({ min: 1, max: 24 }), N: fc.integer({ min: 1, max: 40 }) }).chain((shape) =>
    fc.record({
      cfg: fc.constant(cfg),
      shape: fc.constant(shape),
      A: fc.array(codeArb(cfg.a), { minLength: shape.M * shape.K, maxLength: shape.M * shape.K }),
      B: fc.array(codeArb(cfg.b), { minLength: shape.K * shape.N, maxLength: shape.K * shape.N }),
      c0: fc.option(fc.array(codeArb(cfg.acc.fmt), { minLength: shape.M * shape.N, maxLength: shape.M * shape.N }), { nil: undefined }),
      out: fc.option(fc.record({ fmt: formatArb(), mode: fc.constantFrom(...DETERMINISTIC) }), { nil: undefined }),
      geometry: fc.record({ rows: fc.integer({ min: 1, max: 7 }), cols: fc.integer({ min: 1, max: 7 }), interleave: fc.integer({ min: 1, max: 6 }) }),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      threads: fc.constantFrom(1, 2, 3),
      kernel: fc.constantFrom<'auto' | 'direct'>('auto', 'direct'),
    })));

function hex(codes: ArrayLike<number>): string {
  return Array.from(codes, (c) => c.toString(16)).join(',');
}

/** Codes and flags equal, or a message naming the first differing output. */
function expectSame(got: GemmResult, want: GemmResult, what: string): void {
  for (let i = 0; i < want.c.length; i++) {
    if (got.c[i] !== want.c[i] || got.flags[i] !== want.flags[i]) {
      throw new Error(`${what}: output ${i}: emu 0x${got.c[i].toString(16)} flags ${got.flags[i]}, golden 0x${want.c[i].toString(16)} flags ${want.flags[i]}`);
    }
  }
  expect(got.format).toBe(want.format);
}

describe('emuGemm', () => {
  it('equals golden gemm bit for bit (codes and flags), any config, shape, geometry, seed', () => {
    check(testContext(), fc.property(caseArb, (t) => {
      const opts: EmuOptions = { c0: t.c0, out: t.out, geometry: t.geometry, seed: t.seed };
      const want = gemm(t.A, t.B, t.shape, t.cfg, { ...opts, path: 'fast' });
      const got = emuGemm(t.A, t.B, t.shape, t.cfg, { ...opts, threads: t.threads, kernel: t.kernel });
      const mul = t.cfg.mul ? `${t.cfg.mul.fmt.name} ${t.cfg.mul.mode}${t.cfg.mul.rbits ?? ''}` : '-';
      expectSame(got, want, `${t.cfg.a.name}×${t.cfg.b.name} mul ${mul} acc ${t.cfg.acc.fmt.name} ${t.cfg.acc.mode}${t.cfg.acc.rbits ?? ''} ${t.cfg.style} ` +
        `${t.shape.M}×${t.shape.K}×${t.shape.N} A=[${hex(t.A)}] B=[${hex(t.B)}]`);
    }), runs(400));
  });

  // P3109 (docs/arithmetic.md §1.1) as operand, product and accumulator formats: no −0 (a zero
  // product of a P3109 mul step is +0 even into an fp32 accumulator), one NaN, Inf only in the
  // extended domain.
  it('equals golden bit for bit with P3109 operand, product and accumulator formats', () => {
    const p3109Cfg: fc.Arbitrary<MacConfig> = fc.record({
      a: fc.oneof(p3109Arb(), formatArb({ maxExp: 5, maxMan: 3 })),
      b: p3109Arb(),
      mul: stepArb(p3109Arb()),
      acc: stepArb(fc.oneof(p3109Arb(3, 8), fc.constant(macConfig({ a: 'fp32', b: 'fp32', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused' }).acc.fmt))),
      style: fc.constantFrom('separate', 'fused'),
    }).map((s) => macConfig(s as unknown as MacConfigSpec));
    const arb = p3109Cfg.chain((cfg) => fc.record({ M: fc.integer({ min: 1, max: 12 }), K: fc.integer({ min: 1, max: 16 }), N: fc.integer({ min: 1, max: 12 }) }).chain((shape) =>
      fc.record({
        cfg: fc.constant(cfg), shape: fc.constant(shape),
        A: fc.array(codeArb(cfg.a), { minLength: shape.M * shape.K, maxLength: shape.M * shape.K }),
        B: fc.array(codeArb(cfg.b), { minLength: shape.K * shape.N, maxLength: shape.K * shape.N }),
        geometry: fc.record({ rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }), interleave: fc.integer({ min: 1, max: 4 }) }),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
        kernel: fc.constantFrom<'auto' | 'direct'>('auto', 'direct'),
      })));
    check(testContext(), fc.property(arb, (t) => {
      const opts: EmuOptions = { geometry: t.geometry, seed: t.seed };
      const want = gemm(t.A, t.B, t.shape, t.cfg, { ...opts, path: 'fast' });
      const got = emuGemm(t.A, t.B, t.shape, t.cfg, { ...opts, kernel: t.kernel });
      const mul = t.cfg.mul ? `${t.cfg.mul.fmt.name} ${t.cfg.mul.mode}${t.cfg.mul.rbits ?? ''}` : '-';
      expectSame(got, want, `${t.cfg.a.name}×${t.cfg.b.name} mul ${mul} acc ${t.cfg.acc.fmt.name} ${t.cfg.acc.mode}${t.cfg.acc.rbits ?? ''} ${t.cfg.style} ` +
        `${t.shape.M}×${t.shape.K}×${t.shape.N} A=[${hex(t.A)}] B=[${hex(t.B)}]`);
    }), runs(300));
  });

  it('threads = 2 (and 5) gives the bits of threads = 1 on larger GEMMs, sr included', () => {
    const specs: MacConfigSpec[] = [
      { a: 'e5m2', b: 'e5m2', mul: { fmt: 'fp16', mode: 'sr', rbits: 9 }, acc: { fmt: 'fp16', mode: 'sr', rbits: 13 }, style: 'separate' },
      { a: 'e4m3', b: 'e5m2', mul: { fmt: 'e5m2', mode: 'rne' }, acc: { fmt: 'bf16', mode: 'sr', rbits: 8 }, style: 'separate' },
      { a: 'bf16', b: 'bf16', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused' },
    ];
    check(testContext(), fc.property(fc.constantFrom(...specs), fc.integer({ min: 1, max: 97 }), fc.integer({ min: 1, max: 0xffffffff }), (spec, M, seed) => {
      const cfg = macConfig(spec);
      const shape = { M, K: 67, N: 83 };
      const A = fc.sample(codeArb(cfg.a), { numRuns: M * shape.K, seed });
      const B = fc.sample(codeArb(cfg.b), { numRuns: shape.K * shape.N, seed: seed ^ 1 });
      const opts = { geometry: { rows: 5, cols: 6 }, seed };
      const one = emuGemm(A, B, shape, cfg, { ...opts, threads: 1 });
      expectSame(emuGemm(A, B, shape, cfg, { ...opts, threads: 2 }), one, 'threads 2');
      expectSame(emuGemm(A, B, shape, cfg, { ...opts, threads: 5 }), one, 'threads 5');
      if (M <= 24) expectSame(one, gemm(A, B, shape, cfg, opts), 'golden');
    }), runs(20));
  });

  // The AVX-512 float32 kernel (docs/emu.md "Vector kernel"): every (format, mul mode, acc mode)
  // it takes, operands whose products are exact in float32, against golden's fast path. Operand
  // regimes: any code (NaN, Inf, subnormals, huge), specials-biased, Gaussian values scaled so
  // that products overflow or fall below 2^emin, and a small pool of ± values (cancellation to
  // exact zeros). rbits up to 3 past the float32 limit (those configurations, and kernel
  // 'scalar' — what a CPU without AVX-512 runs — go to the scalar kernel).
  const vecCaseArb = fc.record({
    F: fc.constantFrom('fp16', 'bf16'),
    style: fc.constantFrom('separate', 'separate', 'fused'),
    op: fc.constantFrom('e5m2', 'e4m3', 'fp16', 'e3m2', 'e5m2-nosub', 'e7m6'),
    mulMode: fc.constantFrom('rne', 'sr'),
    accMode: fc.constantFrom('rne', 'sr'),
    rbitsM: fc.integer({ min: 1, max: 19 }),
    rbitsA: fc.integer({ min: 1, max: 19 }),
    regime: fc.constantFrom('any', 'specials', 'gauss', 'tiny', 'deep', 'huge', 'pool'),
    M: fc.integer({ min: 1, max: 5 }),
    K: fc.integer({ min: 1, max: 48 }),
    N: fc.integer({ min: 1, max: 90 }),
    c0: fc.boolean(),
    threads: fc.constantFrom(1, 2, 3),
    kernel: fc.constantFrom<'auto' | 'scalar'>('auto', 'auto', 'auto', 'scalar'),
    geometry: fc.record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 9 }), interleave: fc.integer({ min: 1, max: 6 }) }),
    seed: fc.integer({ min: 1, max: 0xffffffff }),
  });
  const OPERAND: Record<string, string | Partial<Format>> = {
    e5m2: 'e5m2', e4m3: 'e4m3', fp16: 'fp16', e3m2: 'e3m2',
    'e5m2-nosub': { exp: 5, man: 2, subnormals: false }, e7m6: { exp: 7, man: 6 },
  };

  it('vector kernel: equals golden for fp16/bf16 × rne/sr (overflow, subnormals, NaN/Inf, cancellation, c0), and the scalar fallback', () => {
    let vector = 0;
    check(testContext(), fc.property(vecCaseArb, (t) => {
      const step = (mode: string, rbits: number) => (mode === 'sr' ? { fmt: t.F, mode, rbits } : { fmt: t.F, mode });
      const cfg = t.style === 'fused'
        ? macConfig({ a: OPERAND[t.op], b: OPERAND[t.op], acc: step(t.accMode, t.rbitsA), style: 'fused' } as MacConfigSpec)
        : macConfig({ a: OPERAND[t.op], b: OPERAND[t.op], mul: step(t.mulMode, t.rbitsM), acc: step(t.accMode, t.rbitsA), style: 'separate' } as MacConfigSpec);
      const { M, K, N } = t;
      let s = t.seed;
      const rnd = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 2 ** 32; };
      const lim = 2 * cfg.a.signBit;
      const specials = fc.sample(codeArb(cfg.a), { numRuns: 64, seed: t.seed });
      const pool = Array.from({ length: 3 }, () => Math.floor(rnd() * lim) & (lim / 2 - 1)).flatMap((c) => [c, c | (lim / 2)]);
      const scale = t.regime === 'tiny' ? 2 ** -6 : t.regime === 'deep' ? 2 ** -64 : t.regime === 'huge' ? (t.F === 'fp16' ? 2 ** 7 : 2 ** 60) : 1;
      const gen = (n: number) => Uint32Array.from({ length: n }, () => {
        switch (t.regime) {
          case 'any': return Math.floor(rnd() * lim);
          case 'specials': return specials[Math.floor(rnd() * specials.length)];
          case 'pool': return pool[Math.floor(rnd() * pool.length)];
          default: {
            let x = -6;
            for (let k = 0; k < 12; k++) x += rnd();
            return quantizeFast(x * scale, cfg.a, { mode: 'rne' }).code;
          }
        }
      });
      const A = gen(M * K), B = gen(K * N);
      const c0 = t.c0 ? Uint32Array.from({ length: M * N }, () => Math.floor(rnd() * 2 * cfg.acc.fmt.signBit)) : undefined;
      const opts = { c0, geometry: t.geometry, seed: t.seed };
      const want = gemm(A, B, { M, K, N }, cfg, { ...opts, path: 'fast' });
      const got = emuGemm(A, B, { M, K, N }, cfg, { ...opts, threads: t.threads, kernel: t.kernel });
      if (emuLastKernel() === 'vector') vector++;
      expectSame(got, want, `${t.op} ${t.style} mul ${t.F} ${t.mulMode}${t.mulMode === 'sr' ? t.rbitsM : ''} acc ${t.accMode}${t.accMode === 'sr' ? t.rbitsA : ''} ` +
        `${t.regime} ${M}×${K}×${N} c0=${t.c0} kernel=${t.kernel} A=[${hex(A)}] B=[${hex(B)}]${c0 ? ` c0=[${hex(c0)}]` : ''}`);
    }), runs(400));
    if (emuVectorAvailable()) expect(vector).toBeGreaterThan(100);
  });

  it('vector kernel: runs where it applies, not where it does not', () => {
    const A = [0x3c, 0x40], B = [0x3c, 0xc0];
    const shape = { M: 1, K: 2, N: 1 };
    const run = (spec: MacConfigSpec, kernel?: 'auto' | 'scalar') => {
      emuGemm(A, B, shape, macConfig(spec), { geometry: { rows: 1, cols: 1 }, seed: 1, kernel });
      return emuLastKernel();
    };
    const v = emuVectorAvailable() ? 'vector' : 'scalar';
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: 'fp16', mode: 'rne' }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' })).toBe(v);
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: 'bf16', mode: 'sr', rbits: 16 }, acc: { fmt: 'bf16', mode: 'rne' }, style: 'separate' })).toBe(v);
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: 'fp16', mode: 'rne' }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' }, 'scalar')).toBe('scalar');
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: 'fp16', mode: 'sr', rbits: 14 }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' })).toBe('scalar');
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: 'fp16', mode: 'rtz' }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' })).toBe('scalar');
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: 'bf16', mode: 'rne' }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' })).toBe('scalar');
    expect(run({ a: 'e5m2', b: 'e5m2', acc: { fmt: 'fp16', mode: 'rne' }, style: 'fused' })).toBe(v);
    expect(run({ a: 'e4m3', b: 'e4m3', acc: { fmt: 'bf16', mode: 'sr', rbits: 8 }, style: 'fused' })).toBe(v);
    expect(run({ a: 'e4m3', b: 'e5m2', acc: { fmt: 'bf16', mode: 'rne' }, style: 'fused' })).toBe(v);
    expect(run({ a: 'fp16', b: 'fp16', acc: { fmt: 'fp16', mode: 'rne' }, style: 'fused' })).toBe('scalar');
    expect(run({ a: 'bf16', b: 'bf16', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused' })).toBe('scalar');
    expect(run({ a: 'bf16', b: 'bf16', mul: { fmt: 'bf16', mode: 'rne' }, acc: { fmt: 'bf16', mode: 'rne' }, style: 'separate' })).toBe('scalar');
    expect(run({ a: 'e5m2', b: 'e5m2', mul: { fmt: { exp: 5, man: 10, overflow: 'saturate' }, mode: 'rne' }, acc: { fmt: { exp: 5, man: 10, overflow: 'saturate' }, mode: 'rne' }, style: 'separate' })).toBe('scalar');
  });

  it('exact and Kahan accumulation: equal golden bit for bit (any formats, modes, c0, geometry, interleave, threads)', () => {
    const fp8 = fc.constantFrom('e4m3', 'e5m2', 'e2m1').map((n) => macConfig({ a: n, b: n, acc: { fmt: n, mode: 'rne' }, style: 'fused' }).a);
    const accCaseArb = fc.record({
      a: fc.oneof(narrow, fp8, formatArb({ maxMan: 10 })),
      b: fc.oneof(narrow, fp8, formatArb({ maxMan: 10 })),
      mul: stepArb(formatArb()),
      acc: stepArb(fc.oneof(formatArb(), fc.constantFrom('e6m4', 'bf16', 'fp32').map((n) => macConfig({ a: n, b: n, acc: { fmt: n, mode: 'rne' }, style: 'fused' }).acc.fmt))),
      kind: fc.constantFrom('exact', 'kahan-fused', 'kahan-separate'),
    }).map((s) => macConfig({
      a: s.a, b: s.b, acc: s.acc, ...(s.kind === 'kahan-separate' ? { mul: s.mul } : {}),
      style: s.kind === 'exact' ? 'exact' : s.kind === 'kahan-fused' ? 'fused' : 'separate', ...(s.kind === 'exact' ? {} : { kahan: true }),
    } as unknown as MacConfigSpec)).chain((cfg) =>
      fc.record({ M: fc.integer({ min: 1, max: 10 }), K: fc.integer({ min: 1, max: 30 }), N: fc.integer({ min: 1, max: 10 }) }).chain((shape) => fc.record({
        cfg: fc.constant(cfg), shape: fc.constant(shape),
        A: fc.array(codeArb(cfg.a), { minLength: shape.M * shape.K, maxLength: shape.M * shape.K }),
        B: fc.array(codeArb(cfg.b), { minLength: shape.K * shape.N, maxLength: shape.K * shape.N }),
        // c0 a quarter of the time (an exact sum with c0 goes back to golden).
        c0: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.array(codeArb(cfg.acc.fmt), { minLength: shape.M * shape.N, maxLength: shape.M * shape.N }) }),
        geometry: fc.record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 5 }), interleave: fc.integer({ min: 1, max: 6 }) }),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
        threads: fc.constantFrom(1, 2, 3),
      })));
    const native = { exact: 0, kahan: 0 };
    check(testContext(), fc.property(accCaseArb, (t) => {
      const opts: EmuOptions = { c0: t.c0, geometry: t.geometry, seed: t.seed };
      const want = gemm(t.A, t.B, t.shape, t.cfg, { ...opts, path: 'fast' });
      const got = emuGemm(t.A, t.B, t.shape, t.cfg, { ...opts, threads: t.threads });
      if (emuLastKernel() === 'scalar') native[t.cfg.style === 'exact' ? 'exact' : 'kahan']++;
      expectSame(got, want, `${t.cfg.a.name}×${t.cfg.b.name} ${t.cfg.style}${t.cfg.kahan ? '+kahan' : ''} acc ${t.cfg.acc.fmt.name} ${t.cfg.acc.mode}${t.cfg.acc.rbits ?? ''} ` +
        `${t.shape.M}×${t.shape.K}×${t.shape.N} geometry ${JSON.stringify(t.geometry)} seed ${t.seed} A=[${hex(t.A)}] B=[${hex(t.B)}]${t.c0 ? ` c0=[${hex(t.c0)}]` : ''}`);
    }), runs(150));
    // The native kernels ran (not golden's fallback): exact whenever its 128-bit register holds the sum.
    expect(native.exact).toBeGreaterThan(10);
    expect(native.kahan).toBeGreaterThan(50);
  });

  it('exact accumulation of fp8 products runs natively, wider ones go back to golden', () => {
    const one = (f: string) => macConfig({ a: f, b: f, acc: { fmt: 'fp32', mode: 'rne' }, style: 'exact' });
    for (const f of ['e4m3', 'e5m2', 'e2m1', 'fp16']) {
      emuGemm([0x1], [0x1], { M: 1, K: 1, N: 1 }, one(f));
      expect(emuLastKernel(), f).toBe('scalar');
    }
    emuGemm([0x1], [0x1], { M: 1, K: 1, N: 1 }, one('bf16')); // 2·(127+1) + 266 bits: beyond 128
    expect(emuLastKernel()).toBe('golden');
  });

  it('rejects what golden rejects, with the same field names', () => {
    const sr = macConfig({ a: 'e5m2', b: 'e5m2', acc: { fmt: 'fp16', mode: 'sr', rbits: 8 }, style: 'fused' });
    const shape = { M: 1, K: 1, N: 1 };
    expect(() => emuGemm([0], [0], shape, sr)).toThrow(/^geometry:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 } })).toThrow(/^seed:/);
    expect(() => emuGemm([0x100], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0 })).toThrow(/^A\[0\]:/);
    expect(() => emuGemm([0], [0], { M: 0, K: 1, N: 1 }, sr)).toThrow(/^M:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0, out: { fmt: 'e4m3', mode: 'sr' } })).toThrow(/^out.mode:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0, threads: 0 })).toThrow(/^threads:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0, kernel: 'fast' as 'auto' })).toThrow(/^kernel:/);
  });

  it('names a missing compiler and shows the compiler log of a failed build', () => {
    expect(() => findCompiler('/nonexistent/cc')).toThrow(EmuBuildError);
    expect(() => findCompiler('/nonexistent/cc')).toThrow(/no C compiler/);
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-emu-'));
    const bad = join(dir, 'bad.c');
    writeFileSync(bad, 'int f(void) { return undeclared_name; }\n');
    const prev = process.env.MPSA_CACHE_DIR;
    process.env.MPSA_CACHE_DIR = dir;
    try {
      expect(() => buildLibrary(bad)).toThrow(/undeclared_name/);
    } finally {
      if (prev === undefined) delete process.env.MPSA_CACHE_DIR;
      else process.env.MPSA_CACHE_DIR = prev;
    }
  });
});
