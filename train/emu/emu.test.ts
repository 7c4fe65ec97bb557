import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemm, macConfig, type Format, type GemmResult, type MacConfig, type MacConfigSpec, type Mode } from '../../golden/index.ts';
import { codeArb, formatArb } from '../../property-tests/support/arbitraries.ts';
import { testContext } from '../../property-tests/support/context.ts';
import { check, runs } from '../../property-tests/support/seed.ts';
import { buildLibrary, EmuBuildError, findCompiler } from './build.ts';
import { emuGemm, type EmuOptions } from './index.ts';

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
      geometry: fc.record({ rows: fc.integer({ min: 1, max: 7 }), cols: fc.integer({ min: 1, max: 7 }) }),
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

  it('rejects what golden rejects, with the same field names', () => {
    const sr = macConfig({ a: 'e5m2', b: 'e5m2', acc: { fmt: 'fp16', mode: 'sr', rbits: 8 }, style: 'fused' });
    const shape = { M: 1, K: 1, N: 1 };
    expect(() => emuGemm([0], [0], shape, sr)).toThrow(/^geometry:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 } })).toThrow(/^seed:/);
    expect(() => emuGemm([0x100], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0 })).toThrow(/^A\[0\]:/);
    expect(() => emuGemm([0], [0], { M: 0, K: 1, N: 1 }, sr)).toThrow(/^M:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0, out: { fmt: 'e4m3', mode: 'sr' } })).toThrow(/^out.mode:/);
    expect(() => emuGemm([0], [0], shape, sr, { geometry: { rows: 1, cols: 1 }, seed: 0, threads: 0 })).toThrow(/^threads:/);
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
