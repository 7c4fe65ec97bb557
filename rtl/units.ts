// The RTL floating-point units and the MAC PE as harness designs (docs/rtl.md): golden formats,
// modes and MAC configurations → Verilog parameters, and a batch evaluator that runs operand
// tuples through one combinational unit. Enumerated parameters are indices into golden's lists.
import { fileURLToPath } from 'node:url';
import type { Format, MacConfig, Mode, Op, Result } from '../golden/index.ts';
import { MODES } from '../golden/index.ts';
import { type DesignSpec, runSimulation, Timer } from '../harness/index.ts';
import { cutMasks, defaultPipeline, floatStyle, type PipelineSpec } from './pipeline.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const FP_DIR = here('./fp');
const PE_DIR = here('./pe');
const fp = (f: string): string => `${FP_DIR}/${f}.v`;

const ROUND = ['fp_lzc', 'fp_unpack', 'fp_norm', 'fp_round'];
const ADD = [...ROUND, 'fp_add_swap', 'fp_add_align', 'fp_add_sign', 'fp_add_sum', 'fp_add_raw'];
const SOURCES: Readonly<Record<Op, string[]>> = {
  mul: [...ROUND, 'fp_mul'].map(fp),
  add: [...ADD, 'fp_add'].map(fp),
  fma: [...ADD, 'fp_fma'].map(fp),
  convert: [...ROUND, 'fp_convert'].map(fp),
};
const TOPS: Readonly<Record<Op, string>> = { mul: 'fp_mul', add: 'fp_add', fma: 'fp_fma', convert: 'fp_convert' };
const SPECIALS = ['ieee', 'fn', 'finite'] as const;
const OVERFLOWS = ['saturate', 'infinity'] as const;

/** Verilog parameters of one format under a prefix (`A`, `R`, `MUL`, …). */
export function formatParams(prefix: string, f: Format, result: boolean): Record<string, number> {
  const p: Record<string, number> = {
    [`${prefix}_EXP`]: f.exp,
    [`${prefix}_MAN`]: f.man,
    [`${prefix}_SUBNORMALS`]: f.subnormals ? 1 : 0,
    [`${prefix}_SPECIALS`]: SPECIALS.indexOf(f.specials),
  };
  if (result) p[`${prefix}_OVERFLOW`] = OVERFLOWS.indexOf(f.overflow);
  return p;
}

/** What selects one build of a unit: operation, formats, mode and (for sr) the random width. */
export interface UnitConfig {
  op: Op;
  ins: readonly Format[];
  fmt: Format;
  mode: Mode;
  /** r of `sr`; ignored (1) otherwise. */
  rbits?: number;
}

export function unitDesign(c: UnitConfig): DesignSpec {
  const parameters: Record<string, number> = {};
  c.ins.forEach((f, i) => Object.assign(parameters, formatParams('ABC'[i], f, false)));
  Object.assign(parameters, formatParams('R', c.fmt, true), { MODE: MODES.indexOf(c.mode), RBITS: c.mode === 'sr' ? (c.rbits ?? 1) : 1 });
  return { sources: SOURCES[c.op], top: TOPS[c.op], parameters, includeDirs: [FP_DIR] };
}

/** The float PE's sources, in dependency order (also what synthesis of a PE reads). */
export const PE_SOURCES = [
  ...['fp_lzc', 'fp_unpack', 'fp_norm', 'fp_round', 'fp_clamp', 'fp_add_swap', 'fp_add_align', 'fp_add_sign', 'fp_add_sum'].map(fp),
  ...['pipe_reg', 'xorshift32', 'mac_prod', 'mac_acc', 'mac_pe'].map((f) => `${PE_DIR}/${f}.v`),
];

/** exact_pe's sources, in dependency order. */
export const EXACT_PE_SOURCES = [
  ...['fp_lzc', 'fp_norm', 'fp_round'].map(fp),
  ...['xorshift32', 'exact_pe'].map((f) => `${PE_DIR}/${f}.v`),
];

/** exact_pe's parameters for a MAC configuration of style 'exact' at array index `pe`. */
export function exactPeParams(cfg: MacConfig, pe = 0): Record<string, number> {
  const { A_SUBNORMALS: _a, ...a } = formatParams('A', cfg.a, false);
  const { B_SUBNORMALS: _b, ...b } = formatParams('B', cfg.b, false);
  return { ...a, ...b, ...formatParams('ACC', cfg.acc.fmt, true), ACC_MODE: MODES.indexOf(cfg.acc.mode), ACC_RBITS: cfg.acc.rbits ?? 1, PE_INDEX: pe };
}

/** The PE for a MAC configuration at array index `pe`, with its pipeline (default: every cut). */
export function peDesign(cfg: MacConfig, pe = 0, pipeline: PipelineSpec = defaultPipeline(floatStyle(cfg))): DesignSpec {
  const style = floatStyle(cfg);
  const mul = cfg.mul ?? cfg.acc;
  const parameters: Record<string, number> = {
    ...formatParams('A', cfg.a, false),
    ...formatParams('B', cfg.b, false),
    ...formatParams('MUL', mul.fmt, true),
    MUL_MODE: MODES.indexOf(mul.mode),
    MUL_RBITS: mul.rbits ?? 1,
    ...formatParams('ACC', cfg.acc.fmt, true),
    ACC_MODE: MODES.indexOf(cfg.acc.mode),
    ACC_RBITS: cfg.acc.rbits ?? 1,
    STYLE: cfg.style === 'separate' ? 0 : 1,
    PE_INDEX: pe,
    ...cutMasks(pipeline, style),
  };
  return { sources: PE_SOURCES, top: 'mac_pe', parameters, includeDirs: [FP_DIR, PE_DIR] };
}

/** One operation's inputs: operand codes (a, b, c as the op takes them) and R for `sr`. */
export interface UnitCase {
  operands: readonly number[];
  rand?: number;
}

/**
 * Runs every case through the unit (one simulation, one model instance) and returns code and
 * flags per case; `flags_o` is golden's flag mask bit for bit.
 */
export async function evalUnit(c: UnitConfig, cases: readonly UnitCase[]): Promise<Result[]> {
  const out: Result[] = [];
  const names = ['a_i', 'b_i', 'c_i'];
  await runSimulation(unitDesign(c), async (dut) => {
    for (const x of cases) {
      x.operands.forEach((v, i) => { dut[names[i]].value = v; });
      dut.rand_i.value = x.rand ?? 0;
      await Timer(1);
      out.push({ code: Number(dut.res_o.value), flags: Number(dut.flags_o.value) });
    }
  }, { wallTimeoutMs: 600_000 });
  return out;
}
