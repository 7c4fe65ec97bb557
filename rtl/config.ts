// Accelerator configurations (configs/*.json): validated data describing one mpsa_gemm array —
// its geometry, its MAC arithmetic and an optional output conversion. Errors name the file
// and the field (`configs/x.json: acc.mode: …`).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArithmeticInputError, checkMode, format, macConfig, MODES, type Format, type MacConfig, type MacConfigSpec, type Mode } from '../golden/index.ts';
import { blockArrayConfig, isBlockSpec, type BlockAcceleratorConfig, type BlockConfigSpec } from './block-config.ts';
import { EXACT_PIPELINE, pipelineSpec, rtlStyle, type PipelineSpec } from './pipeline.ts';

export type { BlockAcceleratorConfig, IntArrayConfig, ScaledArrayConfig, BlockPeKind } from './block-config.ts';

export const CONFIG_DIR = fileURLToPath(new URL('../configs/', import.meta.url));

export interface ConfigSpec extends MacConfigSpec {
  name: string;
  description?: string;
  rows: number;
  cols: number;
  out?: { fmt: MacConfigSpec['a']; mode: string };
  /** Registers of the PE's product path and accumulate loop (default: every cut, rtl/pipeline.ts). */
  pipeline?: { mul?: number; acc?: number };
}

export interface AcceleratorConfig {
  name: string;
  description: string;
  rows: number;
  cols: number;
  mac: MacConfig;
  out?: { fmt: Format; mode: Exclude<Mode, 'sr'> };
  pipeline: PipelineSpec;
}

const KEYS = ['name', 'description', 'rows', 'cols', 'a', 'b', 'mul', 'acc', 'style', 'kahan', 'out', 'pipeline'];
export const MAX_DIM = 32;

function dim(v: unknown, field: string): number {
  if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > MAX_DIM) {
    throw new ArithmeticInputError(field, `must be an integer in 1..${MAX_DIM}, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

/** A float (mac_pe), integer (int_pe, int_packed_pe) or block (block_pe: BFP, MX) configuration. */
export type AnyConfig = AcceleratorConfig | BlockAcceleratorConfig;

/** Whether a configuration uses the integer or block PEs. */
export function isBlockConfig(c: AnyConfig): c is BlockAcceleratorConfig {
  return 'kind' in c;
}

function checkName(spec: { name?: unknown }): string {
  if (typeof spec.name !== 'string' || !/^[a-z0-9][a-z0-9.-]*$/.test(spec.name)) {
    throw new ArithmeticInputError('name', `must be a lower-case name of letters, digits, '.', '-', got ${JSON.stringify(spec.name)}`);
  }
  return spec.name;
}

/** Validates any configuration: integer or block formats in a/b (int8, bfp7b16, mxfp8-e4m3 …) select the integer or block PEs. */
export function anyConfig(spec: ConfigSpec | BlockConfigSpec): AnyConfig {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ArithmeticInputError('config', 'must be a JSON object');
  if (!isBlockSpec(spec)) return acceleratorConfig(spec as ConfigSpec);
  const name = checkName(spec);
  const common = { name, description: typeof spec.description === 'string' ? spec.description : '', rows: dim(spec.rows, 'rows'), cols: dim(spec.cols, 'cols') };
  return blockArrayConfig(spec as BlockConfigSpec, common);
}

/** exact_pe reads its operands as fixed point (blk_elem): small floats with subnormals. */
function exactOperands(mac: MacConfig): void {
  for (const [k, f] of [['a', mac.a], ['b', mac.b]] as const) {
    if (f.exp > 5 || f.man < 1 || !f.subnormals) {
      throw new ArithmeticInputError(k, `exact_pe takes operand formats with at most 5 exponent bits, at least 1 fraction bit and subnormals (its register would be ${f.man + 2 ** f.exp} bits per operand), got ${f.name}`);
    }
  }
  if (mac.style === 'exact' && mac.mul !== undefined) throw new ArithmeticInputError('mul', "is not used with style 'exact'; leave it out");
}

/** Validates one float configuration object. */
export function acceleratorConfig(spec: ConfigSpec): AcceleratorConfig {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new ArithmeticInputError('config', 'must be a JSON object');
  for (const k of Object.keys(spec)) if (!KEYS.includes(k)) throw new ArithmeticInputError(k, `unknown field (allowed: ${KEYS.join(', ')})`);
  checkName(spec);
  const rows = dim(spec.rows, 'rows');
  const cols = dim(spec.cols, 'cols');
  const mac = macConfig(spec);
  const style = rtlStyle(mac);
  if (style === 'exact') exactOperands(mac);
  if (mac.style === 'fused' && spec.mul !== undefined) throw new ArithmeticInputError('mul', "is not used with style 'fused'; leave it out");
  let out: AcceleratorConfig['out'];
  if (spec.out !== undefined) {
    if (spec.out === null || typeof spec.out !== 'object') throw new ArithmeticInputError('out', 'must be an object {fmt, mode}');
    for (const k of Object.keys(spec.out)) if (k !== 'fmt' && k !== 'mode') throw new ArithmeticInputError(`out.${k}`, 'unknown field (allowed: fmt, mode)');
    const mode = checkMode(spec.out.mode, 'out.mode');
    if (mode === 'sr') throw new ArithmeticInputError('out.mode', `'sr' has no random stream in the output conversion; use one of ${MODES.filter((m) => m !== 'sr').join(', ')}`);
    out = { fmt: format(spec.out.fmt as string, 'out.fmt'), mode };
  }
  if (style === 'exact' && spec.pipeline !== undefined) throw new ArithmeticInputError('pipeline', "exact_pe's pipeline is fixed (operand and product registers, a one-cycle integer loop); leave it out");
  const pipeline = style === 'exact' ? EXACT_PIPELINE : pipelineSpec(spec.pipeline, style);
  return { name: spec.name, description: spec.description ?? '', rows, cols, mac, out, pipeline };
}

/** Reads and validates configs/<file>; the name must match the file name. */
export function loadConfigFile(path: string): AnyConfig {
  let spec: ConfigSpec;
  try {
    spec = JSON.parse(readFileSync(path, 'utf8')) as ConfigSpec;
  } catch (e) {
    throw new ArithmeticInputError(path, `not readable JSON (${(e as Error).message})`);
  }
  let cfg: AnyConfig;
  try {
    cfg = anyConfig(spec);
  } catch (e) {
    if (e instanceof ArithmeticInputError) throw new ArithmeticInputError(`${path}: ${e.field}`, e.message.slice(e.field.length + 2));
    throw e;
  }
  const stem = basename(path, '.json');
  if (stem !== cfg.name) throw new ArithmeticInputError(`${path}: name`, `must match the file name '${stem}', got '${cfg.name}'`);
  return cfg;
}

/** Every configuration in configs/, float, integer and block, sorted by name. */
export function loadAllConfigs(dir = CONFIG_DIR): AnyConfig[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => loadConfigFile(join(dir, f)));
}

/** The float (mac_pe) configurations in configs/, sorted by name: what the float GEMM paths (training, matching) use. */
export function loadConfigs(dir = CONFIG_DIR): AcceleratorConfig[] {
  return loadAllConfigs(dir).filter((c): c is AcceleratorConfig => !isBlockConfig(c));
}

/** The integer and block configurations in configs/, sorted by name. */
export function loadBlockConfigs(dir = CONFIG_DIR): BlockAcceleratorConfig[] {
  return loadAllConfigs(dir).filter(isBlockConfig);
}

export function configByName(name: string, dir = CONFIG_DIR): AcceleratorConfig {
  const all = loadConfigs(dir);
  const c = all.find((x) => x.name === name);
  if (!c) throw new ArithmeticInputError('config', `unknown configuration ${JSON.stringify(name)} (have: ${all.map((x) => x.name).join(', ')})`);
  return c;
}
