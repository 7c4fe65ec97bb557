// What gets synthesised: a design is a top module, its parameters, its sources and its ports.
// Two kinds come from the configurations (configs/, rtl/generate.ts): the whole mpsa_gemm array
// of a configuration, and one of its PEs (mac_pe with the same arithmetic). The PE kinds of the
// cost table are built the same way from an operand format, an accumulator and a style.
import type { Format } from '../golden/index.ts';
import { acceleratorConfig, type AcceleratorConfig, type AnyConfig } from '../rtl/config.ts';
import { elaborate } from '../rtl/elaborate.ts';
import { GEMM_INCLUDES, GEMM_SOURCES } from '../rtl/generate.ts';
import { EXACT_PE_SOURCES, exactPeParams, PE_SOURCES } from '../rtl/units.ts';
import type { Port } from './wrap.ts';

export interface Design {
  /** Unique, file-name safe: `<config>` for an array, `<config>.pe` for its PE, `pe.<kind>` for a cost-table PE. */
  id: string;
  kind: 'array' | 'pe';
  top: string;
  params: Record<string, number>;
  sources: readonly string[];
  includes: readonly string[];
  ports: readonly Port[];
  /** Multiply-accumulates per clock: rows × cols for an array, 1 for a PE. */
  macs: number;
  /** A PE's registers: clock edges from its operands to the result in acc_o, and for a float PE
   * its pipeline (registers on the product path, depth of the accumulate loop). */
  stages: { latency: number; pipeline?: { mul: number; acc: number } };
}

const width = (f: Format) => f.exp + f.man + 1;

/** The array of a configuration: mpsa_gemm with elaborate()'s parameters. */
export function arrayDesign(cfg: AnyConfig): Design {
  const { params, ports: w } = elaborate(cfg);
  const ports: Port[] = [
    { name: 'clk_i', dir: 'input', width: 1 }, { name: 'rst_ni', dir: 'input', width: 1 },
    { name: 'seed_i', dir: 'input', width: 32 }, { name: 'k_len_i', dir: 'input', width: 16 }, { name: 'tiles_i', dir: 'input', width: 32 },
    { name: 'in_valid_i', dir: 'input', width: 1 }, { name: 'in_ready_o', dir: 'output', width: 1 },
    { name: 'in_a_i', dir: 'input', width: w.a }, { name: 'in_b_i', dir: 'input', width: w.b },
    { name: 'out_valid_o', dir: 'output', width: 1 }, { name: 'out_ready_i', dir: 'input', width: 1 },
    { name: 'out_data_o', dir: 'output', width: w.out }, { name: 'out_flags_o', dir: 'output', width: w.flags },
    { name: 'cycles_o', dir: 'output', width: 32 },
  ];
  const t = elaborate(cfg).timing;
  const stages = { latency: t.peLatency, ...('pipeline' in cfg ? { pipeline: cfg.pipeline } : {}) };
  return { id: cfg.name, kind: 'array', top: 'mpsa_gemm', params, sources: GEMM_SOURCES, includes: GEMM_INCLUDES, ports, macs: cfg.rows * cfg.cols, stages };
}

/** One PE of a configuration (PE_INDEX 0: the index only changes the generators' reset constants).
 * Its sources are the float PE's own (rtl/units.ts PE_SOURCES), listed by name: the cache key
 * hashes every source, so an edited integer or block PE does not invalidate the float PEs. */
export function peDesign(cfg: AcceleratorConfig, id = `${cfg.name}.pe`): Design {
  const e = elaborate(cfg);
  if (cfg.mac.style === 'exact') return exactDesign(cfg, id, e.timing.peLatency);
  const { ROWS: _r, COLS: _c, OUT_EN: _e, OUT_EXP: _x, OUT_MAN: _m, OUT_SUBNORMALS: _s, OUT_SPECIALS: _p, OUT_OVERFLOW: _o, OUT_MODE: _d, OUT_CUTS: _u, ...rest } = e.params;
  const params = { ...rest, PE_INDEX: 0 };
  const accW = width(cfg.mac.acc.fmt);
  const ports: Port[] = [
    { name: 'clk_i', dir: 'input', width: 1 }, { name: 'rst_ni', dir: 'input', width: 1 },
    { name: 'seed_i', dir: 'input', width: 32 }, { name: 'valid_i', dir: 'input', width: 1 },
    { name: 'load_i', dir: 'input', width: 1 }, { name: 'last_i', dir: 'input', width: 1 },
    { name: 'a_i', dir: 'input', width: width(cfg.mac.a) }, { name: 'b_i', dir: 'input', width: width(cfg.mac.b) },
    { name: 'acc_o', dir: 'output', width: accW }, { name: 'flags_o', dir: 'output', width: 4 }, { name: 'done_o', dir: 'output', width: 1 },
  ];
  return { id, kind: 'pe', top: 'mac_pe', params, sources: PE_SOURCES, includes: GEMM_INCLUDES, ports, macs: 1, stages: { latency: e.timing.peLatency, pipeline: cfg.pipeline } };
}

/** exact_pe (docs/rtl.md "The exact PE") for a configuration of style 'exact'. */
function exactDesign(cfg: AcceleratorConfig, id: string, latency: number): Design {
  const ports: Port[] = [
    { name: 'clk_i', dir: 'input', width: 1 }, { name: 'rst_ni', dir: 'input', width: 1 },
    { name: 'seed_i', dir: 'input', width: 32 }, { name: 'valid_i', dir: 'input', width: 1 },
    { name: 'load_i', dir: 'input', width: 1 }, { name: 'last_i', dir: 'input', width: 1 },
    { name: 'a_i', dir: 'input', width: width(cfg.mac.a) }, { name: 'b_i', dir: 'input', width: width(cfg.mac.b) },
    { name: 'acc_o', dir: 'output', width: width(cfg.mac.acc.fmt) }, { name: 'flags_o', dir: 'output', width: 4 }, { name: 'done_o', dir: 'output', width: 1 },
  ];
  return { id, kind: 'pe', top: 'exact_pe', params: exactPeParams(cfg.mac), sources: EXACT_PE_SOURCES, includes: GEMM_INCLUDES, ports, macs: 1, stages: { latency, pipeline: cfg.pipeline } };
}

/** The exact-accumulation rows of the cost table: fp8/fp4 operands, rounded once (rne) into fp32 or bf16. */
export const EXACT_OPERANDS = ['e2m1', 'e4m3', 'e5m2'] as const;
export const EXACT_ACCUMULATORS = ['bf16', 'fp32'] as const;

export function exactPeKinds(): { name: string; design: () => Design }[] {
  const kinds: { name: string; design: () => Design }[] = [];
  for (const operand of EXACT_OPERANDS) {
    for (const acc of EXACT_ACCUMULATORS) {
      const name = `${operand}-${acc}-exact`;
      kinds.push({ name, design: () => peDesign(acceleratorConfig({ name: `pe-${name}`, rows: 1, cols: 1, a: operand, b: operand, style: 'exact', acc: { fmt: acc, mode: 'rne' } }), `pe.${name}`) });
    }
  }
  return kinds;
}

/** The cost table's PE kinds: operand formats × accumulators × styles, rne (docs/synth.md). */
export const COST_OPERANDS = ['e2m1', 'e4m3', 'e5m2', 'fp16', 'bf16'] as const;
export const COST_ACCUMULATORS = ['fp16', 'bf16', 'fp32'] as const;
export const COST_STYLES = ['separate', 'fused'] as const;

export interface PeKind {
  /** `<operand>-<acc>-<style>`, e.g. `e4m3-fp32-fused`. */
  name: string;
  operand: (typeof COST_OPERANDS)[number];
  acc: (typeof COST_ACCUMULATORS)[number];
  style: (typeof COST_STYLES)[number];
}

export function peKinds(): PeKind[] {
  const kinds: PeKind[] = [];
  for (const operand of COST_OPERANDS) for (const acc of COST_ACCUMULATORS) for (const style of COST_STYLES) kinds.push({ name: `${operand}-${acc}-${style}`, operand, acc, style });
  return kinds;
}

/**
 * A cost-table PE: both operands in `operand`, accumulation in `acc` with rne; `separate` rounds
 * the product into the accumulator format first (the two-rounding MAC of a plain multiplier and
 * adder), `fused` rounds once.
 */
export function peKindDesign(k: PeKind): Design {
  const cfg = acceleratorConfig({
    name: `pe-${k.name}`, rows: 1, cols: 1, a: k.operand, b: k.operand, style: k.style,
    ...(k.style === 'separate' ? { mul: { fmt: k.acc, mode: 'rne' } } : {}),
    acc: { fmt: k.acc, mode: 'rne' },
  });
  return peDesign(cfg, `pe.${k.name}`);
}
