// Configurations of integer and block-format arrays (docs/array.md "Integer and block
// configurations"): int_pe, int_packed_pe and block_pe (BFP, MX) in mpsa_gemm. Validated like
// the float configurations, errors naming the field.
import {
  ArithmeticInputError, blockFormat, checkKeys, checkMode, DETERMINISTIC_MODES, format,
  type BfpFormat, type BlockFormat, type Format, type IntFormat, type Mode, type MxFormat,
} from '../golden/index.ts';

export type BlockPeKind = 'int' | 'int-packed' | 'bfp' | 'mx';

export interface BlockConfigSpec {
  name: string;
  description?: string;
  rows: number;
  cols: number;
  a: unknown;
  b: unknown;
  /** int: {width}; bfp/mx: {fmt, mode}. */
  acc: unknown;
  /** int only: B columns per PE sharing one multiplier (int_packed_pe). */
  pack?: number;
}

interface Common {
  name: string;
  description: string;
  rows: number;
  /** Columns of C (of B values in a beat); the array has cols / lanes PE columns. */
  cols: number;
  lanes: number;
}

export interface IntArrayConfig extends Common {
  kind: 'int' | 'int-packed';
  a: IntFormat;
  b: IntFormat;
  /** Width of the exact two's-complement accumulator. */
  accWidth: number;
}

export interface ScaledArrayConfig extends Common {
  kind: 'bfp' | 'mx';
  a: BfpFormat | MxFormat;
  b: BfpFormat | MxFormat;
  acc: { fmt: Format; mode: Exclude<Mode, 'sr'> };
}

export type BlockAcceleratorConfig = IntArrayConfig | ScaledArrayConfig;

export const BLOCK_KEYS = ['name', 'description', 'rows', 'cols', 'a', 'b', 'acc', 'pack'];
/** Bits of k_len in mpsa_gemm: an int accumulator needs a.width + b.width + K_BITS bits. */
export const K_BITS = 16;
/** Result codes travel in 32-bit words (rtl/offload.ts). */
export const MAX_ACC_BITS = 32;
/** DSP48E1 (7-series) multiplier ports: the packed operand must fit the wide one. */
export const DSP_A_BITS = 25;
export const DSP_B_BITS = 18;

/** Whether a configuration object uses a block or integer format (a string name mx…/bfp…/int…/fixed…, or an object with such a kind). */
export function isBlockSpec(spec: { a?: unknown }): boolean {
  const a = spec.a;
  if (typeof a === 'string') return /^(mx|bfp|int|fixed)/.test(a);
  return a !== null && typeof a === 'object' && ['mx', 'bfp', 'int', 'fixed'].includes(String((a as { kind?: unknown }).kind));
}

function obj(v: unknown, field: string, keys: string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ArithmeticInputError(field, `must be an object {${keys.join(', ')}}`);
  checkKeys(field, v, keys);
  return v as Record<string, unknown>;
}

/** Validates the block/int part of a configuration; name, rows and cols are checked by the caller. */
export function blockArrayConfig(spec: BlockConfigSpec, common: Omit<Common, 'lanes'>): BlockAcceleratorConfig {
  for (const k of Object.keys(spec)) {
    if (!BLOCK_KEYS.includes(k)) throw new ArithmeticInputError(k, `unknown field for an integer or block configuration (allowed: ${BLOCK_KEYS.join(', ')})`);
  }
  const a: BlockFormat = blockFormat(spec.a, 'a');
  const b: BlockFormat = blockFormat(spec.b, 'b');
  if (a.kind !== b.kind) throw new ArithmeticInputError('b', `must be of a's kind (${a.kind}), got ${b.name} (${b.kind})`);
  if (a.kind === 'int' && b.kind === 'int') {
    const acc = obj(spec.acc, 'acc', ['width']);
    const need = a.width + b.width + K_BITS;
    if (need > MAX_ACC_BITS) throw new ArithmeticInputError('b', `${a.name} x ${b.name} needs a ${need}-bit accumulator; the host driver reads at most ${MAX_ACC_BITS} bits per result`);
    if (!Number.isInteger(acc.width) || (acc.width as number) < need || (acc.width as number) > MAX_ACC_BITS) {
      throw new ArithmeticInputError('acc.width', `must be an integer in ${need}..${MAX_ACC_BITS} (a.width + b.width + ${K_BITS}: no K < 2^${K_BITS} overflows it), got ${JSON.stringify(acc.width)}`);
    }
    const lanes = spec.pack ?? 1;
    if (spec.pack !== undefined) {
      if (!Number.isInteger(lanes) || lanes < 2) throw new ArithmeticInputError('pack', `must be an integer >= 2 (lanes per multiplier), got ${JSON.stringify(spec.pack)}`);
      const wide = (lanes - 1) * (a.width + b.width) + b.width + 1;
      if (wide > DSP_A_BITS || a.width > DSP_B_BITS) {
        throw new ArithmeticInputError('pack', `${lanes} lanes of ${a.name} x ${b.name} need a ${wide}-bit packed operand; one DSP48E1 multiplies ${DSP_A_BITS} x ${DSP_B_BITS} bits`);
      }
      if (common.cols % lanes !== 0) throw new ArithmeticInputError('cols', `must be a multiple of pack (${lanes}), got ${common.cols}`);
    }
    return { ...common, kind: spec.pack === undefined ? 'int' : 'int-packed', a, b, accWidth: acc.width as number, lanes };
  }
  if (spec.pack !== undefined) throw new ArithmeticInputError('pack', `packs integer operands only; a is ${a.name}`);
  const fa = a as BfpFormat | MxFormat;
  const fb = b as BfpFormat | MxFormat;
  if (fa.block !== fb.block) throw new ArithmeticInputError('b', `blocks must line up: a has blocks of ${fa.block}, b of ${fb.block}`);
  const acc = obj(spec.acc, 'acc', ['fmt', 'mode']);
  const mode = checkMode(acc.mode, 'acc.mode');
  if (mode === 'sr') throw new ArithmeticInputError('acc.mode', `block PEs round once per block without a random stream; use one of ${DETERMINISTIC_MODES.join(', ')}`);
  return { ...common, kind: fa.kind, a: fa, b: fb, acc: { fmt: format(acc.fmt as string, 'acc.fmt'), mode }, lanes: 1 };
}
