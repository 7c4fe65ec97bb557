// The RTL floating-point units and the MAC PE as harness designs (docs/rtl.md): golden formats,
// modes and MAC configurations → Verilog parameters, and a batch evaluator that runs operand
// tuples through one combinational unit. Enumerated parameters are indices into golden's lists.
import { fileURLToPath } from 'node:url';
import type { Format, MacConfig, Mode, Op, Result } from '../golden/index.ts';
import { MODES, OVERFLOWS, SPECIALS } from '../golden/index.ts';
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
/** Every source of the four unit tops (the designs of the unit property suites). */
export const UNIT_SOURCES = [...new Set(Object.values(SOURCES).flat())];
const TOPS: Readonly<Record<Op, string>> = { mul: 'fp_mul', add: 'fp_add', fma: 'fp_fma', convert: 'fp_convert' };

/**
 * A design of the RTL under test, built with Verilator line and toggle coverage when the run
 * collects it (MPSA_COVERAGE_DIR set and MPSA_RTL_COVERAGE=1: the full night's tests step;
 * docs/testing.md, "Coverage"). Coverage builds are builds of their own, so a quick night, which
 * counts only the functional coverpoints, reuses the models `make test` built.
 */
export function withCoverage(d: DesignSpec): DesignSpec {
  return process.env.MPSA_COVERAGE_DIR && process.env.MPSA_RTL_COVERAGE === '1' ? { ...d, coverage: true } : d;
}

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

/** The widest r of `sr` (golden's limit): a unit build's default RBITS. */
export const UNIT_RBITS = 24;

/**
 * What selects one build of a unit: operation and formats, and RBITS, the widest r of `sr` the
 * build rounds with. The mode and r are inputs of the unit (`mode_i`, `rbits_i`), so one build
 * serves every mode and every r up to RBITS.
 */
export interface UnitBuild {
  op: Op;
  ins: readonly Format[];
  fmt: Format;
  /** RBITS of the build, 1..24. @defaultValue UNIT_RBITS */
  rbitsMax?: number;
}

export function unitDesign(c: UnitBuild): DesignSpec {
  const parameters: Record<string, number> = {};
  c.ins.forEach((f, i) => Object.assign(parameters, formatParams('ABC'[i], f, false)));
  Object.assign(parameters, formatParams('R', c.fmt, true), { RBITS: c.rbitsMax ?? UNIT_RBITS });
  return withCoverage({ sources: SOURCES[c.op], top: TOPS[c.op], parameters, includeDirs: [FP_DIR] });
}

/** The float PE's sources, in dependency order (also what synthesis of a PE reads). */
export const PE_SOURCES = [
  ...['fp_lzc', 'fp_unpack', 'fp_norm', 'fp_round', 'fp_clamp', 'fp_add_swap', 'fp_add_align', 'fp_add_sign', 'fp_add_sum'].map(fp),
  ...['pipe_reg', 'xorshift32', 'mac_prod', 'mac_acc', 'mac_pe'].map((f) => `${PE_DIR}/${f}.v`),
];

/** exact_pe's sources, in dependency order. */
export const EXACT_PE_SOURCES = [
  ...['fp_lzc', 'fp_unpack', 'fp_norm', 'fp_round'].map(fp),
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
  return withCoverage({ sources: PE_SOURCES, top: 'mac_pe', parameters, includeDirs: [FP_DIR, PE_DIR] });
}

/** One operation: operand codes (a, b, c as the op takes them), the mode, and r and R for `sr`. */
export interface UnitCase {
  operands: readonly number[];
  mode: Mode;
  /** r of `sr`, 1..the build's RBITS. */
  rbits?: number;
  /** R of `sr`, 0..2^r - 1. */
  rand?: number;
}

/**
 * Runs every case through the unit (one simulation, one model instance) and returns code and
 * flags per case; `flags_o` is golden's flag mask bit for bit.
 */
export async function evalUnit(c: UnitBuild, cases: readonly UnitCase[]): Promise<Result[]> {
  const out: Result[] = [];
  const names = ['a_i', 'b_i', 'c_i'];
  const max = c.rbitsMax ?? UNIT_RBITS;
  const rOf = cases.map((x) => {
    if (!MODES.includes(x.mode)) throw new Error(`unknown rounding mode ${JSON.stringify(x.mode)}`);
    const r = x.mode === 'sr' ? (x.rbits ?? 0) : 1;
    if (!Number.isInteger(r) || r < 1 || r > max) throw new Error(`sr case with rbits ${x.rbits}: the ${c.op} build rounds with r in 1..${max}`);
    return r;
  });
  await runSimulation(unitDesign(c), async (dut) => {
    for (const [k, x] of cases.entries()) {
      x.operands.forEach((v, i) => { dut[names[i]].value = v; });
      dut.mode_i.value = MODES.indexOf(x.mode);
      dut.rbits_i.value = rOf[k];
      dut.rand_i.value = x.mode === 'sr' ? (x.rand ?? 0) : 0;
      await Timer(1);
      out.push({ code: Number(dut.res_o.value), flags: Number(dut.flags_o.value) });
    }
  }, { wallTimeoutMs: 600_000 });
  return out;
}
