// The float PE's pipeline (docs/rtl.md "The PE"): how many registers cut its product path and
// its accumulate loop, where they go, and what that does to the array's timing. A configuration
// names stage counts; the cut positions are this file's table (FloPoCo-style: the count is what
// one asks for, the positions are the generator's), measured with `mpsa synth`.
//
//   product path (mac_prod):  U | M | N | R | P | loop     bits 0..4 of MUL_CUTS
//     fused uses bits 0, 1, 4 (U|M, M|P, P|loop); separate all five
//   accumulate loop (mac_acc): C | A | S | Z | N | R | ring  bits 0..4 of ACC_CUTS
//     the ring register is always there: interleave L = 1 + cuts
import { ArithmeticInputError, type FloatMacStyle as MacStyle, type MacConfig } from '../golden/index.ts';

/**
 * The style of a MAC configuration the array builds (mac_pe for 'separate' / 'fused', exact_pe
 * for 'exact'), or a clear error: Kahan compensation is golden / emulation / training arithmetic
 * without an RTL PE (docs/arithmetic.md §5.2, docs/rtl.md).
 */
export function rtlStyle(mac: Pick<MacConfig, 'style' | 'kahan'>): MacConfig['style'] {
  if (mac.kahan) {
    throw new ArithmeticInputError('kahan', 'compensated (Kahan) accumulation has no RTL PE: its four dependent roundings per MAC would make the accumulate loop four adders deep (docs/rtl.md); it runs on the golden model and the emu backend');
  }
  return mac.style;
}

/** The float PE's style; an exact configuration has no mac_pe pipeline. */
export function floatStyle(mac: Pick<MacConfig, 'style' | 'kahan'>): MacStyle {
  const style = rtlStyle(mac);
  if (style === 'exact') throw new ArithmeticInputError('style', "'exact' runs on exact_pe, which has no mac_pe pipeline (rtl/pe/exact_pe.v)");
  return style;
}

/** exact_pe's fixed pipeline: operand, product and placed-product registers, a one-cycle integer loop (interleave 1). */
export const EXACT_PIPELINE: PipelineSpec = { mul: 3, acc: 1 };
/** Clock edges from a MAC at exact_pe's inputs to its rounded output in acc_o (exact_pe LATENCY). */
export const EXACT_PE_LATENCY = 6;

export interface PipelineSpec {
  /** Registers on the product path: 0..3 (fused), 0..5 (separate). */
  mul: number;
  /** Registers in the accumulate loop: 1..6; the loop then holds that many outputs (interleave). */
  acc: number;
}

/** Cut positions per register count, cheapest first: the multiplier's output register, its
 * input registers (DSP A/B), then the boundary into the loop, then the product rounding. */
const MUL_MASKS: Readonly<Record<MacStyle, readonly number[]>> = {
  fused: [0b00000, 0b00010, 0b00011, 0b10011],
  separate: [0b00000, 0b00010, 0b00011, 0b01011, 0b11011, 0b11111],
};
/** Loop cuts per stage count: add-and-count apart first, then align, normalise, round. */
const ACC_MASKS: readonly number[] = [0b00000, 0b00100, 0b01010, 0b01011, 0b01111, 0b11111];

export const MAX_MUL_STAGES: Readonly<Record<MacStyle, number>> = { fused: MUL_MASKS.fused.length - 1, separate: MUL_MASKS.separate.length - 1 };
export const MAX_ACC_STAGES = ACC_MASKS.length;

/** The default pipeline: every cut (measured in docs/synth.md: the e4m3 x e4m3 -> fp32 fused PE
 * closes 4.5 ns logic-only on xc7 with all of them). */
export function defaultPipeline(style: MacStyle): PipelineSpec {
  return { mul: MAX_MUL_STAGES[style], acc: MAX_ACC_STAGES };
}

/** Validates stage counts for a style; errors name the field. */
export function pipelineSpec(v: unknown, style: MacStyle, field = 'pipeline'): PipelineSpec {
  if (v === undefined) return defaultPipeline(style);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ArithmeticInputError(field, 'must be an object {mul, acc}');
  for (const k of Object.keys(v)) if (k !== 'mul' && k !== 'acc') throw new ArithmeticInputError(`${field}.${k}`, 'unknown field (allowed: mul, acc)');
  const o = v as Record<string, unknown>;
  const d = defaultPipeline(style);
  const int = (x: unknown, lo: number, hi: number, f: string): number => {
    if (x === undefined) return f.endsWith('mul') ? d.mul : d.acc;
    if (!Number.isInteger(x) || (x as number) < lo || (x as number) > hi) throw new ArithmeticInputError(f, `must be an integer in ${lo}..${hi} for style '${style}', got ${JSON.stringify(x)}`);
    return x as number;
  };
  return { mul: int(o.mul, 0, MAX_MUL_STAGES[style], `${field}.mul`), acc: int(o.acc, 1, MAX_ACC_STAGES, `${field}.acc`) };
}

/** The Verilog parameters MUL_CUTS and ACC_CUTS. */
export function cutMasks(p: PipelineSpec, style: MacStyle): { MUL_CUTS: number; ACC_CUTS: number } {
  return { MUL_CUTS: MUL_MASKS[style][p.mul], ACC_CUTS: ACC_MASKS[p.acc - 1] };
}

/** The loop's depth: how many outputs one PE interleaves. */
export function interleave(p: PipelineSpec): number {
  return p.acc;
}

/** Clock edges from a MAC's presentation to its result in the PE's acc_o (mac_pe LATENCY). */
export function peLatency(p: PipelineSpec): number {
  return p.mul + p.acc - 1;
}
