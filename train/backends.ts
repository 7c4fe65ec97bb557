// The `emu` and `rtl` GEMM backends. Both run a MAC configuration bit for bit: `emu` with the
// emulation kernel, `rtl` on the simulated mpsa_gemm array of a configuration in configs/ whose
// arithmetic is exactly the one asked for (and whose geometry matches when `sr` streams matter).
import { ArithmeticInputError, usesSr, type Geometry, type MacConfig, type Step } from '../golden/index.ts';
import { loadConfigs, type AcceleratorConfig } from '../rtl/config.ts';
import { elaborate } from '../rtl/elaborate.ts';
import { offload } from '../rtl/offload.ts';
import { bfpGemmCounted, isBfpArith } from './bfp/index.ts';
import { emuGemm } from './emu/index.ts';
import type { GemmBackend } from './gemm.ts';
import { quantizedBackend } from './quantized.ts';

const sameStep = (x: Step | undefined, y: Step | undefined) =>
  x === y || (x !== undefined && y !== undefined && x.fmt === y.fmt && x.mode === y.mode && x.rbits === y.rbits);

/** Same arithmetic: formats (interned, so identity), style, and each rounding step. */
export function sameMac(x: MacConfig, y: MacConfig): boolean {
  return x.a === y.a && x.b === y.b && x.style === y.style && !x.kahan === !y.kahan && sameStep(x.acc, y.acc) && (x.style !== 'separate' || sameStep(x.mul, y.mul));
}

function describeMac(m: MacConfig): string {
  const step = (s: Step) => `${s.fmt.name} ${s.mode}${s.rbits ? ` r${s.rbits}` : ''}`;
  return `${m.a.name}·${m.b.name} ${m.style}${m.kahan ? '+kahan' : ''}${m.style === 'separate' && m.mul ? ` mul ${step(m.mul)}` : ''} acc ${step(m.acc)}`;
}

/** The configuration in configs/ that computes `mac` (with this geometry — rows, cols and the
 * PEs' interleave — if it uses sr, whose streams belong to the array's PEs). */
export function configFor(mac: MacConfig, geometry: Geometry, configs = loadConfigs()): AcceleratorConfig {
  const sr = usesSr(mac);
  const L = geometry.interleave ?? 1;
  const fits = (c: AcceleratorConfig) => c.rows === geometry.rows && c.cols === geometry.cols && elaborate(c).timing.interleave === L;
  const hit = configs.find((c) => !c.out && sameMac(c.mac, mac) && (!sr || fits(c)));
  if (!hit) {
    const where = sr ? ` on a ${geometry.rows}x${geometry.cols} array interleaving ${L} tiles per PE` : '';
    throw new ArithmeticInputError('backend', `no configuration in configs/ computes ${describeMac(mac)}${where} (have: ${configs.map((c) => c.name).join(', ')})`);
  }
  return hit;
}

export function rtlBackend(): GemmBackend {
  const configs = loadConfigs();
  return quantizedBackend('rtl', async (A, B, shape, mac, opts) => {
    const cfg = configFor(mac, opts.geometry, configs);
    const r = await offload(A, B, shape, cfg, { seed: opts.seed });
    return { c: r.c, flags: r.flags, format: mac.acc.fmt };
  });
}

/**
 * Emulation: the native kernel of train/emu (bit-identical to golden's gemm), two threads; BFP
 * GEMMs on the native kernel of train/bfp (bit-identical to golden's BFP quantize and block dot).
 */
export function emuBackend(threads = 2): GemmBackend {
  const mac = quantizedBackend('emu', (A, B, shape, cfg, opts) => emuGemm(A, B, shape, cfg, { geometry: opts.geometry, seed: opts.seed, threads }));
  return {
    name: 'emu',
    async gemm(a, b, M, K, N, arith, counters) {
      if (arith !== null && isBfpArith(arith)) return bfpGemmCounted(a, b, M, K, N, arith, counters, threads);
      return mac.gemm(a, b, M, K, N, arith, counters);
    },
  };
}
