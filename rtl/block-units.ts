// The integer and block PEs as harness designs (docs/rtl.md "Integer PEs", "Block PEs"): golden
// block formats (golden/int.ts, bfp.ts, mx.ts) → Verilog parameters of int_pe, int_packed_pe and
// block_pe. The same parameter maps feed rtl/generate.ts for the arrays.
import { fileURLToPath } from 'node:url';
import { MODES, SPECIALS, type BfpFormat, type Format, type IntFormat, type Mode, type MxFormat } from '../golden/index.ts';
import type { DesignSpec } from '../harness/index.ts';
import { formatParams, withCoverage } from './units.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const FP_DIR = here('./fp');
const PE_DIR = here('./pe');

/** Sources of block_pe in dependency order. */
export const BLOCK_PE_SOURCES = [
  ...['fp_lzc', 'fp_unpack', 'fp_norm', 'fp_round', 'fp_add_swap', 'fp_add_align', 'fp_add_sign', 'fp_add_sum', 'fp_add_raw'].map((f) => `${FP_DIR}/${f}.v`),
  `${PE_DIR}/blk_elem.v`, `${PE_DIR}/block_pe.v`,
];

/** A block format whose blocks carry a shared scale (int tensors have one scale, applied by the host). */
export type ScaledBlockFormat = BfpFormat | MxFormat;

/** Accumulation of a block PE: a float format and a deterministic mode. */
export interface BlockAcc {
  fmt: Format;
  mode: Exclude<Mode, 'sr'>;
}

/** Bits an element and its scale take in a beat: {scale, element}. */
export function blockWidths(f: ScaledBlockFormat): { elem: number; scale: number } {
  return f.kind === 'bfp' ? { elem: f.width, scale: f.expBits } : { elem: f.width, scale: 8 };
}

/** blk_elem's view of an element format: kind, code width, float fields, LSB weight 2^-FRAC, scale coding. */
export function elementParams(prefix: 'A' | 'B', f: ScaledBlockFormat): Record<string, number> {
  const w = blockWidths(f);
  let p: Record<string, number>;
  if (f.kind === 'bfp') {
    p = { KIND: 1, EW: f.width, EXP: 1, MAN: 1, SPECIALS: 2, FRAC: f.man - 1, SCALE: 0 };
  } else if (f.elemFormat === null) {
    p = { KIND: 0, EW: 8, EXP: 1, MAN: 1, SPECIALS: 2, FRAC: 6, SCALE: 1 }; // MXINT8: i / 64
  } else {
    const e = f.elemFormat;
    if (!e.subnormals || e.man < 1) throw new RangeError(`block_pe: MX element ${e.name} needs subnormals and a fraction bit`);
    p = { KIND: 2, EW: e.width, EXP: e.exp, MAN: e.man, SPECIALS: SPECIALS.indexOf(e.specials), FRAC: e.man - e.emin, SCALE: 1 };
  }
  p.SCALE_W = w.scale;
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [`${prefix}_${k}`, v]));
}

/** block_pe parameters for A·B blocks into `acc`. The blocks of A and B must line up. */
export function blockPeParams(a: ScaledBlockFormat, b: ScaledBlockFormat, acc: BlockAcc): Record<string, number> {
  if (a.block !== b.block) throw new RangeError(`block_pe: blocks must line up (a: ${a.block}, b: ${b.block})`);
  return {
    ...elementParams('A', a), ...elementParams('B', b), BLOCK: a.block,
    ...formatParams('ACC', acc.fmt, true), ACC_MODE: MODES.indexOf(acc.mode),
  };
}

export function blockPeDesign(a: ScaledBlockFormat, b: ScaledBlockFormat, acc: BlockAcc): DesignSpec {
  return withCoverage({ sources: BLOCK_PE_SOURCES, top: 'block_pe', parameters: blockPeParams(a, b, acc), includeDirs: [FP_DIR, PE_DIR] });
}

/**
 * The integer PE for `lanes` B columns: int_pe (one lane) or int_packed_pe (two or more lanes
 * through one multiplier), with an accW-bit accumulator per lane and the multiplier's
 * registers `cuts` (INT_CUTS: bit 0 operands, bit 1 product) — its top and parameters.
 */
export function intPe(a: IntFormat, b: IntFormat, lanes: number, accW: number, cuts: number): { top: 'int_pe' | 'int_packed_pe'; params: Record<string, number> } {
  return lanes > 1
    ? { top: 'int_packed_pe', params: { A_W: a.width, B_W: b.width, LANES: lanes, ACC_W: accW, CUTS: cuts } }
    : { top: 'int_pe', params: { A_W: a.width, B_W: b.width, ACC_W: accW, CUTS: cuts } };
}

export function intPeDesign(a: IntFormat, b: IntFormat, lanes: number, accW: number, cuts: number): DesignSpec {
  const { top, params } = intPe(a, b, lanes, accW, cuts);
  return withCoverage({ sources: [`${PE_DIR}/pipe_reg.v`, `${PE_DIR}/${top}.v`], top, parameters: params, includeDirs: [PE_DIR] });
}
