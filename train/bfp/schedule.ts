// A block floating point precision schedule in the manner of FAST (Zhang, McDanel, Kung, HPCA
// 2022): the element width of every GEMM's BFP operands set per epoch and per layer, low early
// and higher later. docs/training.md "Block floating point (FAST)" gives the presets and how they
// relate to the paper.
//
//   { kind: 'bfp', man: [2, 3, 4], layers: { first: [3, 4, 4], last: [3, 4, 4] } }
//
//   epoch →        1   2   3   4 …        (the last entry holds for later epochs)
//   first layer    3   4   4   4
//   hidden layers  2   3   4   4
//   last layer     3   4   4   4
import { ArithmeticInputError } from '../../golden/index.ts';
import { bfpGemmSpec, BFP_QUANT_MODES, type BfpGemmSpec, type BfpQuantMode } from './gemm.ts';

/** Element bits per epoch (epoch 1 first; the last entry holds for later epochs), or one width for all. */
export type Widths = number | readonly number[];

export interface BfpScheduleSpec {
  kind: 'bfp';
  name?: string;
  /** Element magnitude bits (golden's BFP `man`, 1..15) of every GEMM operand, per epoch. */
  man: Widths;
  /**
   * Widths that replace `man` for some layers (those with weights): key a layer name (`fc1`,
   * `conv2`) or `first` / `last`; a name wins over `first`/`last`.
   */
  layers?: Record<string, Widths>;
  /** Elements per shared exponent, along the reduction dimension. @defaultValue 16 */
  block?: number;
  /** Shared-exponent bits. @defaultValue 8 */
  expBits?: number;
  /** Rounding of the fp32 → BFP quantizers. @defaultValue 'sr' */
  quantize?: BfpQuantMode;
  /** Random bits per element under `sr`. @defaultValue 8 */
  rbits?: number;
}

export interface BfpSchedule {
  readonly name: string;
  readonly spec: BfpScheduleSpec;
  /** Element bits of a layer's GEMMs in an epoch (1-based); `layers` are the model's layers with weights, in order. */
  man(layer: string, epoch: number, layers: readonly string[]): number;
  /** The BFP GEMM of a layer in an epoch (both operands at the layer's width). */
  gemm(layer: string, epoch: number, layers: readonly string[]): BfpGemmSpec;
  /** Checks the layer names of `layers` against a model's layers; throws naming the unknown one. */
  bind(layers: readonly string[]): void;
}

const KEYS = ['kind', 'name', 'man', 'layers', 'block', 'expBits', 'quantize', 'rbits'];
const POSITIONS = ['first', 'last'];

function widths(field: string, v: unknown): readonly number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0) throw new ArithmeticInputError(field, `must be a width (1..15) or a non-empty array of widths per epoch, got ${JSON.stringify(v)}`);
  list.forEach((m, i) => {
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > 15) {
      throw new ArithmeticInputError(Array.isArray(v) ? `${field}[${i}]` : field, `must be an integer in 1..15 (element magnitude bits), got ${JSON.stringify(m)}`);
    }
  });
  return Object.freeze([...list]);
}

const at = (w: readonly number[], epoch: number) => w[Math.min(epoch, w.length) - 1];

/** Validates a schedule; errors name the field (`man[1]`, `layers.first`, `quantize`). */
export function bfpSchedule(spec: BfpScheduleSpec, name = spec.name ?? 'bfp'): BfpSchedule {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ArithmeticInputError('arith', 'must be a JSON object');
  for (const k of Object.keys(spec)) if (!KEYS.includes(k)) throw new ArithmeticInputError(k, `unknown field for a BFP schedule (allowed: ${KEYS.join(', ')})`);
  if (spec.kind !== 'bfp') throw new ArithmeticInputError('kind', `must be "bfp", got ${JSON.stringify(spec.kind)}`);
  if (spec.man === undefined) throw new ArithmeticInputError('man', 'is required (element bits, or an array of them per epoch)');
  const base = widths('man', spec.man);
  const layers = spec.layers ?? {};
  if (layers === null || typeof layers !== 'object' || Array.isArray(layers)) throw new ArithmeticInputError('layers', `must be an object {layer or first/last: widths}, got ${JSON.stringify(layers)}`);
  const per = new Map(Object.entries(layers).map(([k, v]) => [k, widths(`layers.${k}`, v)]));
  const quantize = spec.quantize ?? 'sr';
  if (!BFP_QUANT_MODES.includes(quantize)) throw new ArithmeticInputError('quantize', `must be ${BFP_QUANT_MODES.join(' | ')}, got ${JSON.stringify(quantize)}`);
  // Validates block, expBits and rbits once, with the field names of the schedule.
  const shape = (m: number) => {
    try {
      return bfpGemmSpec({ manA: m, manB: m, block: spec.block, expBits: spec.expBits, quantize: { a: quantize, b: quantize }, rbits: spec.rbits });
    } catch (e) {
      if (e instanceof ArithmeticInputError) throw new ArithmeticInputError(e.field.replace(/^bfp\./, ''), e.message.slice(e.field.length + 2));
      throw e;
    }
  };
  shape(base[0]);
  const cache = new Map<number, BfpGemmSpec>();
  const man = (layer: string, epoch: number, all: readonly string[]) => {
    if (!Number.isInteger(epoch) || epoch < 1) throw new RangeError(`epoch: must be a positive integer, got ${epoch}`);
    const w = per.get(layer) ?? (layer === all[0] ? per.get('first') : undefined) ?? (layer === all[all.length - 1] ? per.get('last') : undefined) ?? base;
    return at(w, epoch);
  };
  return {
    name,
    spec,
    man,
    gemm(layer, epoch, all) {
      const m = man(layer, epoch, all);
      let g = cache.get(m);
      if (!g) cache.set(m, (g = shape(m)));
      return g;
    },
    bind(all) {
      for (const k of per.keys()) {
        if (!POSITIONS.includes(k) && !all.includes(k)) throw new ArithmeticInputError(`layers.${k}`, `no layer with weights is named ${JSON.stringify(k)} (layers: ${all.join(', ')}; or first, last)`);
      }
    },
  };
}

/** The FAST-like schedule: hidden layers 2 → 3 → 4 bits over epochs 1, 2, 3+; first and last layers one step ahead (3 → 4). */
export const BFP_FAST: BfpScheduleSpec = { kind: 'bfp', man: [2, 3, 4], layers: { first: [3, 4], last: [3, 4] }, block: 16, quantize: 'sr', rbits: 8 };

/**
 * BFP presets by name: `bfp-fast`, or `bfp<m>` (every layer and epoch at m bits, 1..15); a suffix
 * `-rne` rounds the quantizers to nearest instead of stochastically. undefined for other names.
 */
export function bfpPreset(name: string): BfpScheduleSpec | undefined {
  const m = /^bfp(?:-(fast)|(\d+))(-rne)?$/.exec(name);
  if (!m) return undefined;
  const quantize: BfpQuantMode = m[3] ? 'rne' : 'sr';
  if (m[1]) return { ...BFP_FAST, quantize };
  return { kind: 'bfp', man: Number(m[2]), block: 16, quantize, rbits: 8 };
}

export const BFP_PRESET_NAMES = 'bfp-fast, bfp<m> (m = 1..15 element bits), each also -rne';
