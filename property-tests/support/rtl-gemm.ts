// RTL GEMM == golden GEMM for the configurations in configs/: random shapes (1 to a few tiles,
// not multiples of the array), operands biased to specials, random host stalls, sr seeds —
// and the latency model (model/latency.ts) predicts the measured cycles exactly.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { gemm, hexCode } from '../../golden/index.ts';
import { loadConfigs, type AcceleratorConfig } from '../../rtl/config.ts';
import { offload } from '../../rtl/offload.ts';
import { cycles } from '../../model/latency.ts';
import { elaborate } from '../../rtl/elaborate.ts';
import { codeArb } from './arbitraries.ts';
import { testContext } from './context.ts';
import { check, runs } from './seed.ts';
import { cover, flushCoverage } from './coverage.ts';
import { usesSr } from '../../golden/index.ts';

function caseArb(cfg: AcceleratorConfig) {
  return fc.record({
    M: fc.integer({ min: 1, max: Math.ceil(2.5 * cfg.rows) }),
    K: fc.integer({ min: 1, max: 24 }),
    N: fc.integer({ min: 1, max: Math.ceil(2.5 * cfg.cols) }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    stalls: fc.option(fc.record({
      inValid: fc.constantFrom(1, 0.8, 0.5, 0.25),
      outReady: fc.constantFrom(1, 0.8, 0.5, 0.25),
      seed: fc.integer({ min: 1, max: 0xffffffff }),
    }), { nil: undefined }),
  }).chain((s) => fc.record({
    s: fc.constant(s),
    A: fc.array(codeArb(cfg.mac.a), { minLength: s.M * s.K, maxLength: s.M * s.K }),
    B: fc.array(codeArb(cfg.mac.b), { minLength: s.K * s.N, maxLength: s.K * s.N }),
  }));
}

/** Registers one property test per configuration whose index in configs/ (sorted) ≡ part (mod parts). */
export function rtlGemmSuite(part: number, parts: number): void {
  const configs = loadConfigs().filter((_, i) => i % parts === part);
  describe(`RTL GEMM == golden GEMM (configs part ${part + 1}/${parts})`, () => {
    for (const cfg of configs) {
      it(`${cfg.name}`, async () => {
        await check(testContext(), fc.asyncProperty(caseArb(cfg), async ({ s, A, B }) => {
          const shape = { M: s.M, K: s.K, N: s.N };
          const stallIn = !!s.stalls && s.stalls.inValid < 1;
          const stallOut = !!s.stalls && s.stalls.outReady < 1;
          cover('mpsa_gemm', stallIn && stallOut ? 'stall:both' : stallIn ? 'stall:in' : stallOut ? 'stall:out' : 'stall:none');
          if (usesSr(cfg.mac)) cover('mpsa_gemm', 'sr-seeds');
          if (s.M % cfg.rows !== 0 || s.N % cfg.cols !== 0) cover('mpsa_gemm', 'shape:partial-tile');
          if (s.M > cfg.rows || s.N > cfg.cols) cover('mpsa_gemm', 'shape:multi-tile');
          const rtl = await offload(A, B, shape, cfg, { seed: s.seed, stalls: s.stalls });
          const timing = elaborate(cfg).timing;
          const predicted = cycles(timing, shape, s.stalls);
          if (rtl.cycles !== predicted) throw new Error(`${cfg.name} ${s.M}x${s.K}x${s.N} stalls ${JSON.stringify(s.stalls)}: measured ${rtl.cycles} cycles, model ${predicted}`);
          const g = gemm(A, B, shape, cfg.mac, { out: cfg.out, geometry: { rows: cfg.rows, cols: cfg.cols, interleave: timing.interleave }, seed: s.seed });
          for (let i = 0; i < s.M * s.N; i++) {
            if (rtl.c[i] !== g.c[i] || rtl.flags[i] !== g.flags[i]) {
              throw new Error(`${cfg.name} ${s.M}x${s.K}x${s.N} C[${Math.floor(i / s.N)},${i % s.N}]: rtl ${hexCode(rtl.c[i], g.format)} flags ${rtl.flags[i]}, golden ${hexCode(g.c[i], g.format)} flags ${g.flags[i]}`);
            }
          }
        }), runs(3, 30));
        flushCoverage();
      }, 900_000);
    }
  });
}
