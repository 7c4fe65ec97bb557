// RTL GEMM == golden for the integer and block configurations in configs/ (int_pe,
// int_packed_pe, block_pe arrays): random shapes over a few tiles, operands and block scales
// biased to edges and specials, random host stalls; C[i,j] must equal golden's exact integer dot
// product (int) or blockDot of row i of A and column j of B (BFP, MX), flags included, and the
// latency model must predict the measured cycles.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { blockDot, blockOperand, hexCode } from '../../golden/index.ts';
import { type BlockAcceleratorConfig } from '../../rtl/config.ts';
import { offload } from '../../rtl/offload.ts';
import { cycles } from '../../model/latency.ts';
import { elaborate } from '../../rtl/elaborate.ts';
import { blockVector, elemArb, intDot, scaleArb } from './block-arbitraries.ts';
import { testContext } from './context.ts';
import { check, runs } from './seed.ts';

function caseArb(cfg: BlockAcceleratorConfig) {
  const block = 'accWidth' in cfg ? 1 : cfg.a.block;
  return fc.record({
    M: fc.integer({ min: 1, max: Math.ceil(2.5 * cfg.rows) }),
    K: fc.integer({ min: 1, max: 'accWidth' in cfg ? 24 : 2 * block + 3 }),
    N: fc.integer({ min: 1, max: Math.ceil(2.5 * cfg.cols) }),
    stalls: fc.option(fc.record({
      inValid: fc.constantFrom(1, 0.8, 0.5),
      outReady: fc.constantFrom(1, 0.8, 0.5),
      seed: fc.integer({ min: 1, max: 0xffffffff }),
    }), { nil: undefined }),
  }).chain((s) => {
    const nb = Math.ceil(s.K / block);
    return fc.record({
      s: fc.constant(s),
      A: fc.array(elemArb(cfg.a), { minLength: s.M * s.K, maxLength: s.M * s.K }),
      B: fc.array(elemArb(cfg.b), { minLength: s.K * s.N, maxLength: s.K * s.N }),
      sa: 'accWidth' in cfg ? fc.constant([]) : fc.array(scaleArb(cfg.a), { minLength: s.M * nb, maxLength: s.M * nb }),
      sb: 'accWidth' in cfg ? fc.constant([]) : fc.array(scaleArb(cfg.b), { minLength: nb * s.N, maxLength: nb * s.N }),
    });
  });
}

export function rtlGemmBlockSuite(configs: BlockAcceleratorConfig[], numRuns: number): void {
  describe('RTL GEMM == golden (integer and block configurations)', () => {
    for (const cfg of configs) {
      it(`${cfg.name}`, async () => {
        await check(testContext(), fc.asyncProperty(caseArb(cfg), async ({ s, A, B, sa, sb }) => {
          const { M, K, N } = s;
          const shape = { M, K, N };
          const scaled = !('accWidth' in cfg);
          const rtl = await offload(A, B, shape, cfg, { stalls: s.stalls, scales: scaled ? { a: sa, b: sb } : undefined });
          const predicted = cycles(elaborate(cfg).timing, shape, s.stalls);
          if (rtl.cycles !== predicted) throw new Error(`${cfg.name} ${M}x${K}x${N} stalls ${JSON.stringify(s.stalls)}: measured ${rtl.cycles} cycles, model ${predicted}`);
          const nb = scaled ? Math.ceil(K / cfg.a.block) : 1;
          for (let i = 0; i < M; i++) {
            const row = Array.from({ length: K }, (_, k) => A[i * K + k]);
            for (let j = 0; j < N; j++) {
              const col = Array.from({ length: K }, (_, k) => B[k * N + j]);
              let want: number, wantFlags = 0, show: (c: number) => string;
              if ('accWidth' in cfg) {
                want = intDot(cfg.a, cfg.b, row, col, cfg.accWidth);
                show = (c) => '0x' + c.toString(16);
              } else {
                const va = blockVector(cfg.a, row, sa.slice(i * nb, (i + 1) * nb));
                const vb = blockVector(cfg.b, col, Array.from({ length: nb }, (_, q) => sb[q * N + j]));
                const g = blockDot(blockOperand(va, cfg.a), blockOperand(vb, cfg.b), cfg.acc.fmt, { mode: cfg.acc.mode });
                want = g.code; wantFlags = g.flags;
                show = (c) => hexCode(c, cfg.acc.fmt);
              }
              const got = rtl.c[i * N + j], gotFlags = rtl.flags[i * N + j];
              if (got !== want || gotFlags !== wantFlags) {
                throw new Error(`${cfg.name} ${M}x${K}x${N} C[${i},${j}]: rtl ${show(got)} flags ${gotFlags}, golden ${show(want)} flags ${wantFlags}`);
              }
            }
          }
        }), numRuns);
      }, 900_000);
    }
  });
}
