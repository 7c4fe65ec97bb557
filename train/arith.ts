// Training arithmetic: the MAC configuration of each GEMM role (forward, grad-input,
// grad-weight), the fp32 → operand quantizers, and the array geometry that defines `sr` streams.
// Given as a preset name or a JSON file; errors name the field (`gradWeight.acc.mode`).
// Block floating point arithmetics are precision schedules (train/bfp/schedule.ts): the width of
// each GEMM's operands chosen per layer and epoch.
import { existsSync, readFileSync } from 'node:fs';
import { ArithmeticInputError, checkMode, macConfig, type MacConfigSpec } from '../golden/index.ts';
import { defaultPipeline, interleave, MAX_ACC_STAGES } from '../rtl/pipeline.ts';
import { BFP_PRESET_NAMES, bfpPreset, bfpSchedule, type BfpSchedule, type BfpScheduleSpec } from './bfp/schedule.ts';
import { GEMM_ROLES } from './gemm.ts';
import type { ArithSelector, RoleArith, Sequential } from './nn.ts';

export interface ArithSpec {
  name?: string;
  /** Array geometry whose generators define the sr streams: rows × cols (default 8×8) and the
   * PEs' interleave (default: that of the default pipeline, rtl/pipeline.ts). */
  geometry?: { rows: number; cols: number; interleave?: number };
  /** Quantizer rounding for A and B operands; default rne. */
  quantize?: { a?: string; b?: string };
  forward?: MacConfigSpec | null;
  gradInput?: MacConfigSpec | null;
  gradWeight?: MacConfigSpec | null;
}

export interface TrainArith {
  name: string;
  /** The arithmetic of each role, the same for every layer and epoch (all fp32 for a schedule). */
  roles: RoleArith;
  spec: ArithSpec | BfpScheduleSpec;
  /** A precision schedule: binds to the model's layers with weights and gives every GEMM's arithmetic by layer, role and epoch. */
  select?: (layers: readonly string[]) => ArithSelector;
  /** The BFP schedule behind `select`, when there is one. */
  bfp?: BfpSchedule;
}

/** What a model's RunContext runs: the schedule bound to the model's layers with weights, or the fixed roles. */
export function contextArith(arith: TrainArith, model: Sequential): RoleArith | ArithSelector {
  return arith.select ? arith.select(model.weightLayers()) : arith.roles;
}

/** A BFP schedule as a training arithmetic: every role of a layer runs the layer's width. */
export function bfpArith(spec: BfpScheduleSpec, name = spec.name ?? 'bfp'): TrainArith {
  const s = bfpSchedule(spec, name);
  return {
    name, spec, bfp: s,
    roles: { forward: null, gradInput: null, gradWeight: null },
    select(layers) {
      s.bind(layers);
      return (layer, _role, epoch) => s.gemm(layer, epoch, layers);
    },
  };
}

const FP8_FWD = (acc: MacConfigSpec['acc']): MacConfigSpec => ({ a: 'e4m3', b: 'e4m3', acc, style: 'fused' });
const FP8_BWD = (acc: MacConfigSpec['acc']): MacConfigSpec => ({ a: 'e5m2', b: 'e4m3', acc, style: 'fused' });
const fp8 = (acc: MacConfigSpec['acc']): ArithSpec => ({ forward: FP8_FWD(acc), gradInput: FP8_BWD(acc), gradWeight: FP8_BWD(acc) });
const same = (mac: MacConfigSpec): ArithSpec => ({ forward: mac, gradInput: mac, gradWeight: mac });
/** Every role of an arithmetic with Kahan compensation, or as exact accumulation. */
const eachRole = (a: ArithSpec, f: (m: MacConfigSpec) => MacConfigSpec): ArithSpec =>
  Object.fromEntries(GEMM_ROLES.map((r) => [r, a[r] ? f(a[r]) : a[r]]));
const kahan = (a: ArithSpec): ArithSpec => eachRole(a, (m) => ({ ...m, kahan: true }));
const exact = (a: ArithSpec): ArithSpec => eachRole(a, (m) => ({ ...m, style: 'exact' }));

/** Presets: activations/weights in e4m3, gradients in e5m2 (the usual FP8 training split). */
export const ARITH_PRESETS: Record<string, ArithSpec> = {
  fp32: { forward: null, gradInput: null, gradWeight: null },
  bf16: same({ a: 'bf16', b: 'bf16', acc: { fmt: 'fp32', mode: 'rne' }, style: 'fused' }),
  'bf16-acc-rne': same({ a: 'bf16', b: 'bf16', mul: { fmt: 'bf16', mode: 'rne' }, acc: { fmt: 'bf16', mode: 'rne' }, style: 'separate' }),
  'bf16-acc-sr': same({ a: 'bf16', b: 'bf16', mul: { fmt: 'bf16', mode: 'rne' }, acc: { fmt: 'bf16', mode: 'sr', rbits: 8 }, style: 'separate' }),
  // The arithmetic of configs/bf16-8x8-fused-sr for every GEMM.
  'bf16-fused-sr': { ...same({ a: 'bf16', b: 'bf16', acc: { fmt: 'bf16', mode: 'sr', rbits: 8 }, style: 'fused' }), geometry: { rows: 8, cols: 8 } },
  // The arithmetic of configs/e4m3-4x4-fp16-rne for every GEMM (gradients in E4M3 too).
  'e4m3-fp16-rne': same({ a: 'e4m3', b: 'e4m3', mul: { fmt: 'fp16', mode: 'rne' }, acc: { fmt: 'fp16', mode: 'rne' }, style: 'separate' }),
  'fp8-fp32': fp8({ fmt: 'fp32', mode: 'rne' }),
  'fp8-bf16-rne': fp8({ fmt: 'bf16', mode: 'rne' }),
  // Forward on configs/e4m3-8x4-bf16-sr, backward on configs/e5m2e4m3-8x4-bf16-sr.
  'fp8-bf16-sr': { ...fp8({ fmt: 'bf16', mode: 'sr', rbits: 8 }), geometry: { rows: 8, cols: 4 } },
  'fp8-fp16-rne': fp8({ fmt: 'fp16', mode: 'rne' }),
  'fp8-fp16-sr': fp8({ fmt: 'fp16', mode: 'sr', rbits: 8 }),
  // Accumulation narrower than bf16 (5-bit significand, bf16-like range): swamping under rne sets
  // in after ~2^5 similar addends, so the rne-vs-sr contrast of docs/training.md is visible.
  'fp8-e6m4-rne': fp8({ fmt: 'e6m4', mode: 'rne' }),
  'fp8-e6m4-sr': fp8({ fmt: 'e6m4', mode: 'sr', rbits: 8 }),
  // The same e6m4 accumulator with compensated (Kahan) accumulation, and the exact (Kulisch)
  // accumulation rounded once into e6m4 (docs/arithmetic.md §5.1–5.2).
  'fp8-e6m4-kahan': kahan(fp8({ fmt: 'e6m4', mode: 'rne' })),
  'fp8-e6m4-exact': exact(fp8({ fmt: 'e6m4', mode: 'rne' })),
  'fp8-bf16-kahan': kahan(fp8({ fmt: 'bf16', mode: 'rne' })),
  'fp8-bf16-exact': exact(fp8({ fmt: 'bf16', mode: 'rne' })),
};

function prefixed<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ArithmeticInputError) throw new ArithmeticInputError(`${field}.${e.field}`, e.message.slice(e.field.length + 2));
    throw e;
  }
}

function positiveInt(v: unknown, field: string, max: number): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) {
    throw new ArithmeticInputError(field, `must be an integer in 1..${max}, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

/** Validates an arithmetic specification. */
export function trainArith(spec: ArithSpec, name = spec.name ?? 'custom'): TrainArith {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ArithmeticInputError('arith', 'must be a JSON object');
  const allowed = ['name', 'geometry', 'quantize', ...GEMM_ROLES];
  for (const k of Object.keys(spec)) if (!allowed.includes(k)) throw new ArithmeticInputError(k, `unknown field (allowed: ${allowed.join(', ')})`);
  const g = spec.geometry ?? { rows: 8, cols: 8 };
  if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new ArithmeticInputError('geometry', 'must be an object {rows, cols, interleave?}');
  for (const k of Object.keys(g)) if (!['rows', 'cols', 'interleave'].includes(k)) throw new ArithmeticInputError(`geometry.${k}`, 'unknown field (allowed: rows, cols, interleave)');
  const geometry = {
    rows: positiveInt(g.rows, 'geometry.rows', 64),
    cols: positiveInt(g.cols, 'geometry.cols', 64),
    interleave: g.interleave === undefined ? undefined : positiveInt(g.interleave, 'geometry.interleave', MAX_ACC_STAGES),
  };
  const q = spec.quantize ?? {};
  const qa = checkMode(q.a ?? 'rne', 'quantize.a');
  const qb = checkMode(q.b ?? 'rne', 'quantize.b');
  if (qa === 'sr' || qb === 'sr') throw new ArithmeticInputError('quantize', "'sr' is not supported for the operand quantizers; use a deterministic mode");
  const roles = {} as RoleArith;
  for (const role of GEMM_ROLES) {
    const m = spec[role];
    if (m === undefined) throw new ArithmeticInputError(role, 'is required (a MAC configuration, or null for fp32)');
    if (m === null) {
      roles[role] = null;
      continue;
    }
    const mac = prefixed(role, () => macConfig(m));
    // The PEs of the array this role's sr streams belong to interleave as its default pipeline
    // does; an exact accumulator's integer loop is one cycle deep (L = 1; its streams ignore L).
    const L = geometry.interleave ?? (mac.style === 'exact' ? 1 : interleave(defaultPipeline(mac.style)));
    roles[role] = { mac, quantize: { a: qa, b: qb }, geometry: { ...geometry, interleave: L } };
  }
  return { name, roles, spec };
}

/** A preset name, or the path of a JSON file holding an ArithSpec. */
export function loadArith(nameOrPath: string): TrainArith {
  const preset = Object.hasOwn(ARITH_PRESETS, nameOrPath) ? ARITH_PRESETS[nameOrPath] : undefined; // never Object.prototype's members
  if (preset) return trainArith(preset, nameOrPath);
  const bfp = bfpPreset(nameOrPath);
  if (bfp) return prefixed(nameOrPath, () => bfpArith(bfp, nameOrPath));
  if (!nameOrPath.endsWith('.json') || !existsSync(nameOrPath)) {
    throw new ArithmeticInputError('arith', `unknown preset or file ${JSON.stringify(nameOrPath)} (presets: ${Object.keys(ARITH_PRESETS).join(', ')}, ${BFP_PRESET_NAMES}; or a .json file)`);
  }
  let spec: ArithSpec | BfpScheduleSpec;
  try {
    spec = JSON.parse(readFileSync(nameOrPath, 'utf8')) as ArithSpec | BfpScheduleSpec;
  } catch (e) {
    throw new ArithmeticInputError('arith', `${nameOrPath}: not valid JSON (${(e as Error).message})`);
  }
  const s = spec;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new ArithmeticInputError('arith', `${nameOrPath}: must hold a JSON object (an arithmetic specification), got ${JSON.stringify(s)}`);
  if ('kind' in s) return prefixed(nameOrPath, () => bfpArith(s, s.name ?? nameOrPath));
  return prefixed(nameOrPath, () => trainArith(s as ArithSpec, s.name ?? nameOrPath));
}
