// Synthesis designs of the integer and block PEs (docs/synth.md "Integer and block PEs"): one PE
// per integer/block configuration and the block rows of the cost table. A DSP-packed PE does
// `lanes` MACs per clock, so its per-MAC numbers are the PE's divided by its lanes.
import { bfpFormat, format, intFormat, mxFormat, type IntFormat } from '../golden/index.ts';
import { BLOCK_PE_SOURCES, blockPeParams, blockWidths, intPe, type BlockAcc, type ScaledBlockFormat } from '../rtl/block-units.ts';
import type { BlockAcceleratorConfig } from '../rtl/config.ts';
import { BLOCK_PE_LATENCY, INT_CUTS, intPeLatency } from '../rtl/elaborate.ts';
import { GEMM_INCLUDES, GEMM_SOURCES } from '../rtl/generate.ts';
import type { Design } from './design.ts';
import type { Port } from './wrap.ts';

const src = (f: string) => GEMM_SOURCES.find((s) => s.endsWith(`/pe/${f}`))!;
const bit = (name: string, dir: Port['dir'] = 'input'): Port => ({ name, dir, width: 1 });

/** int_pe (lanes 1) or int_packed_pe (lanes ≥ 2) with an accW-bit accumulator per lane, its multiplier registered. */
export function intPeSynthDesign(id: string, a: IntFormat, b: IntFormat, lanes: number, accW: number): Design {
  const { top, params } = intPe(a, b, lanes, accW, INT_CUTS);
  const ports: Port[] = [
    bit('clk_i'), bit('rst_ni'), bit('valid_i'), bit('load_i'), bit('last_i'),
    { name: 'a_i', dir: 'input', width: a.width }, { name: 'b_i', dir: 'input', width: lanes * b.width },
    { name: 'acc_o', dir: 'output', width: lanes * accW }, bit('done_o', 'output'),
  ];
  return { id, kind: 'pe', top, params, sources: [src('pipe_reg.v'), src(`${top}.v`)], includes: GEMM_INCLUDES, ports, macs: lanes, stages: { latency: intPeLatency(INT_CUTS) } };
}

/** block_pe for A·B blocks into a float accumulator. */
export function blockPeSynthDesign(id: string, a: ScaledBlockFormat, b: ScaledBlockFormat, acc: BlockAcc): Design {
  const wa = blockWidths(a), wb = blockWidths(b);
  const ports: Port[] = [
    bit('clk_i'), bit('rst_ni'), bit('valid_i'), bit('load_i'), bit('last_i'),
    { name: 'a_i', dir: 'input', width: wa.elem + wa.scale }, { name: 'b_i', dir: 'input', width: wb.elem + wb.scale },
    { name: 'acc_o', dir: 'output', width: acc.fmt.width }, { name: 'flags_o', dir: 'output', width: 4 }, bit('done_o', 'output'),
  ];
  return { id, kind: 'pe', top: 'block_pe', params: blockPeParams(a, b, acc), sources: BLOCK_PE_SOURCES, includes: GEMM_INCLUDES, ports, macs: 1, stages: { latency: BLOCK_PE_LATENCY } };
}

/** One PE of an integer or block configuration. */
export function blockConfigPeDesign(cfg: BlockAcceleratorConfig, id = `${cfg.name}.pe`): Design {
  if ('accWidth' in cfg) return intPeSynthDesign(id, cfg.a, cfg.b, cfg.lanes, cfg.accWidth);
  return blockPeSynthDesign(id, cfg.a, cfg.b, cfg.acc);
}

/** The integer and block rows of the cost table: name → design (rne into fp32 for the block formats). */
export interface BlockPeKind {
  name: string;
  design: () => Design;
}

const fp32: BlockAcc = { fmt: format('fp32'), mode: 'rne' };

export function blockPeKinds(): BlockPeKind[] {
  const i8 = intFormat('int8'), i4 = intFormat('int4');
  const kinds: [string, (id: string) => Design][] = [
    ['int8', (id) => intPeSynthDesign(id, i8, i8, 1, 32)],
    ['int4', (id) => intPeSynthDesign(id, i4, i4, 1, 24)],
    ['int8x2-packed', (id) => intPeSynthDesign(id, i8, i8, 2, 32)],
    ['int4x2-packed', (id) => intPeSynthDesign(id, i4, i4, 2, 24)],
    ['int4x3-packed', (id) => intPeSynthDesign(id, i4, i4, 3, 24)],
    ['bfp7b16-fp32', (id) => blockPeSynthDesign(id, bfpFormat('bfp7b16'), bfpFormat('bfp7b16'), fp32)],
    ['mxfp8-e4m3-fp32', (id) => blockPeSynthDesign(id, mxFormat('mxfp8-e4m3'), mxFormat('mxfp8-e4m3'), fp32)],
    ['mxfp4-e2m1-fp32', (id) => blockPeSynthDesign(id, mxFormat('mxfp4-e2m1'), mxFormat('mxfp4-e2m1'), fp32)],
  ];
  return kinds.map(([name, f]) => ({ name, design: () => f(`pe.${name}`) }));
}
