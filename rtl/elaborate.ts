// The one place a configuration becomes hardware (docs/array.md): mpsa_gemm's parameters, the
// widths of its ports and beats, and the array's timing — interleave, PE latency, conversion
// latency, FIFO depth. The wrapper generator (generate.ts), the host driver (offload.ts), the
// latency model (model/latency.ts) and synthesis (synth/design.ts) all read it from here.
import { MODES, OVERFLOWS, SPECIALS, type Format, type Mode } from '../golden/index.ts';
import { blockPeParams, blockWidths } from './block-units.ts';
import { isBlockConfig, type AnyConfig, type BlockAcceleratorConfig } from './config.ts';
import { cutMasks, EXACT_PE_LATENCY, floatStyle, interleave, peLatency } from './pipeline.ts';


/** PE_KIND of os_array per configuration kind. */
export const PE_KINDS = { float: 0, int: 1, 'int-packed': 2, bfp: 3, mx: 3, exact: 4 } as const;

/** The integer PEs' multiplier registers (INT_CUTS: operands and product, the DSP's own). */
export const INT_CUTS = 0b11;
/** out_convert's registers (OUT_CUTS: after unpack, after align, after round). */
export const OUT_CUTS = 0b111;

/** What the latency model needs of an array (docs/model.md). */
export interface ArrayTiming {
  /** Rows R of PEs (and of a tile). */
  rows: number;
  /** Columns C of a tile (B values per beat, results per output beat). */
  cols: number;
  /** PE columns: C, or C / lanes for a DSP-packed integer array. */
  peCols: number;
  /** Tiles interleaved per PE (the accumulate loop's depth). */
  interleave: number;
  /** Clock edges from a MAC at a PE's inputs to its result in the PE's output (mac_pe LATENCY). */
  peLatency: number;
  /** Registers of the output conversion (0 without one). */
  convLatency: number;
  /** Entries of the output FIFO: convLatency + 2. */
  fifoDepth: number;
}

/** Bits of one value and of the whole of each stream's beat; flags are 4 bits per PE column. */
export interface PortWidths {
  a: number;
  b: number;
  out: number;
  flags: number;
  aW: number;
  bW: number;
  outW: number;
}

export interface Elaborated {
  params: Record<string, number>;
  ports: PortWidths;
  timing: ArrayTiming;
}

function fmtParams(prefix: string, f: Format, withOverflow: boolean): Record<string, number> {
  const p: Record<string, number> = {
    [`${prefix}_EXP`]: f.exp, [`${prefix}_MAN`]: f.man, [`${prefix}_SUBNORMALS`]: f.subnormals ? 1 : 0, [`${prefix}_SPECIALS`]: SPECIALS.indexOf(f.specials),
  };
  if (withOverflow) p[`${prefix}_OVERFLOW`] = OVERFLOWS.indexOf(f.overflow);
  return p;
}

const modeIndex = (m: Mode) => MODES.indexOf(m);
const width = (f: Format) => f.exp + f.man + 1;

function portWidthsOf(cfg: AnyConfig): PortWidths {
  if (isBlockConfig(cfg)) {
    let aW: number, bW: number, outW: number;
    if ('accWidth' in cfg) {
      aW = cfg.a.width; bW = cfg.b.width; outW = cfg.accWidth;
    } else {
      const wa = blockWidths(cfg.a), wb = blockWidths(cfg.b);
      aW = wa.elem + wa.scale; bW = wb.elem + wb.scale; outW = cfg.acc.fmt.width;
    }
    return { a: cfg.rows * aW, b: cfg.cols * bW, out: cfg.cols * outW, flags: (cfg.cols / cfg.lanes) * 4, aW, bW, outW };
  }
  const out = cfg.out?.fmt ?? cfg.mac.acc.fmt;
  return { a: cfg.rows * width(cfg.mac.a), b: cfg.cols * width(cfg.mac.b), out: cfg.cols * width(out), flags: cfg.cols * 4, aW: width(cfg.mac.a), bW: width(cfg.mac.b), outW: width(out) };
}

/** mpsa_gemm parameters of an integer or block configuration: COLS counts PE columns (cols / lanes). */
function blockParams(cfg: BlockAcceleratorConfig, w: PortWidths): Record<string, number> {
  const p: Record<string, number> = {
    ROWS: cfg.rows, COLS: cfg.cols / cfg.lanes, PE_KIND: PE_KINDS[cfg.kind],
    A_W: w.aW, B_W: w.bW * cfg.lanes, RES_W: w.outW * cfg.lanes, LANES: cfg.lanes,
  };
  if ('accWidth' in cfg) {
    p.INT_CUTS = INT_CUTS;
  } else {
    const q = blockPeParams(cfg.a, cfg.b, cfg.acc);
    // block_pe's A_EW/B_EW follow from A_W/B_W in os_array; the element float fields reuse A_EXP….
    for (const [k, v] of Object.entries(q)) if (!/^[AB]_EW$/.test(k)) p[k] = v;
    p.A_SUBNORMALS = 1;
    p.B_SUBNORMALS = 1;
  }
  return p;
}

const popcount = (x: number) => { let n = 0; for (; x; x >>>= 1) n += x & 1; return n; };

/** Integer PEs: the multiplier's registers, then a one-cycle accumulator (latency in edges after the first). */
export const intPeLatency = (cuts: number): number => popcount(cuts);
/** block_pe closes its block dot and float add in one clock. */
export const BLOCK_PE_LATENCY = 0;

/** A configuration's mpsa_gemm: its parameters, port widths and timing. */
export function elaborate(cfg: AnyConfig): Elaborated {
  const ports = portWidthsOf(cfg);
  if (isBlockConfig(cfg)) {
    const params = blockParams(cfg, ports);
    const lat = 'accWidth' in cfg ? intPeLatency(INT_CUTS) : BLOCK_PE_LATENCY;
    return { params, ports, timing: { rows: cfg.rows, cols: cfg.cols, peCols: cfg.cols / cfg.lanes, interleave: 1, peLatency: lat, convLatency: 0, fifoDepth: 2 } };
  }
  const { mac } = cfg;
  const params: Record<string, number> = {
    ROWS: cfg.rows, COLS: cfg.cols,
    ...fmtParams('A', mac.a, false), ...fmtParams('B', mac.b, false),
    ...fmtParams('ACC', mac.acc.fmt, true), ACC_MODE: modeIndex(mac.acc.mode), ACC_RBITS: mac.acc.rbits ?? 1,
    ...(mac.style === 'exact'
      ? { PE_KIND: PE_KINDS.exact }
      : { STYLE: mac.style === 'separate' ? 0 : 1, ...cutMasks(cfg.pipeline, floatStyle(mac)) }),
  };
  if (mac.style === 'separate' && mac.mul) {
    Object.assign(params, fmtParams('MUL', mac.mul.fmt, true), { MUL_MODE: modeIndex(mac.mul.mode), MUL_RBITS: mac.mul.rbits ?? 1 });
  }
  let conv = 0;
  if (cfg.out) {
    Object.assign(params, { OUT_EN: 1 }, fmtParams('OUT', cfg.out.fmt, true), { OUT_MODE: modeIndex(cfg.out.mode), OUT_CUTS });
    conv = popcount(OUT_CUTS);
  }
  const timing: ArrayTiming = {
    rows: cfg.rows, cols: cfg.cols, peCols: cfg.cols, interleave: interleave(cfg.pipeline),
    peLatency: mac.style === 'exact' ? EXACT_PE_LATENCY : peLatency(cfg.pipeline), convLatency: conv, fifoDepth: conv + 2,
  };
  return { params, ports, timing };
}
