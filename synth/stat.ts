// Parsers of Yosys `stat -json` and the resource counts read from it — pure functions, tested on
// recorded tool output (synth/fixtures/).
//
// Yosys 0.23 prints the design hierarchy as plain text into the JSON of a hierarchical design,
// between the "modules" object and the "design" object:
//
//      },
//          $paramod$09b3…\fp_add_core      1          <- not JSON
//            $paramod\fp_lzc\WIDTH=s32'…011      1
//         "design": {
//
// so the parser drops every line that cannot belong to JSON before parsing.

export type CellCounts = Record<string, number>;

export interface Stat {
  /** Cell counts of the whole design (a hierarchical design's "design" section counts every instance). */
  design: CellCounts;
  /** Per module, as Yosys names them. */
  modules: Record<string, CellCounts>;
}

export class StatParseError extends Error {
  constructor(message: string, readonly text: string) {
    super(`${message}\n--- first lines of the stat output ---\n${text.split('\n').slice(0, 12).join('\n')}`);
    this.name = 'StatParseError';
  }
}

/** A JSON line of Yosys' stat output: structural, a "key": value pair, or a bare value. */
const JSON_LINE = /^\s*(?:[{}[\],]+|"(?:[^"\\]|\\.)*"\s*:.*|-?\d[\d.eE+-]*,?|"(?:[^"\\]|\\.)*",?|true,?|false,?|null,?)?\s*$/;

/** Parses `stat -json` text, tolerating the hierarchy lines of Yosys 0.23. */
export function parseStatJson(text: string): Stat {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  try {
    raw ??= JSON.parse(text.split('\n').filter((l) => JSON_LINE.test(l)).join('\n'));
  } catch (e) {
    throw new StatParseError(`stat -json: not JSON after dropping stray lines (${(e as Error).message})`, text);
  }
  const r = raw as { modules?: Record<string, { num_cells_by_type?: CellCounts }>; design?: { num_cells_by_type?: CellCounts } };
  if (!r || typeof r !== 'object' || !r.modules) throw new StatParseError('stat -json: no "modules" object', text);
  const modules: Record<string, CellCounts> = {};
  for (const [name, m] of Object.entries(r.modules)) modules[name] = { ...(m.num_cells_by_type ?? {}) };
  const names = Object.keys(modules);
  // A flat design has no "design" section in some Yosys versions: then the one module is the design.
  const design = r.design?.num_cells_by_type ?? (names.length === 1 ? modules[names[0]] : undefined);
  if (!design) throw new StatParseError('stat -json: no "design" section and more than one module', text);
  return { design: { ...design }, modules };
}

/** Target families of the flow. */
export const TARGETS = ['xc7', 'xcup', 'ice40'] as const;
export type Target = (typeof TARGETS)[number];

export interface Resources {
  /** LUTs (LUT1..LUT6 and INV on Xilinx, SB_LUT4 on iCE40; LUTRAM and SRL cells count as LUTs). */
  lut: number;
  /** Flip-flops (FD*, SB_DFF*). */
  ff: number;
  /** DSP blocks (DSP48E1, DSP48E2, SB_MAC16). */
  dsp: number;
  /** Block RAMs in 36 Kb units on Xilinx (an 18 Kb RAMB18 counts ½), SB_RAM40_4K / SB_SPRAM256KA on iCE40. */
  bram: number;
  /** Carry cells (CARRY4, CARRY8, SB_CARRY). */
  carry: number;
  /** Wide-function muxes (MUXF7, MUXF8, MUXF9): they share slices with LUTs, counted apart. */
  mux: number;
}

/** Resource counts of a synthesised design from its cell counts. Unknown cells are ignored. */
export function resources(cells: CellCounts): Resources {
  const r: Resources = { lut: 0, ff: 0, dsp: 0, bram: 0, carry: 0, mux: 0 };
  for (const [type, n] of Object.entries(cells)) {
    // A Xilinx INV is a LUT1 once placed (Yosys leaves it as its own cell).
    if (/^LUT[1-6]$/.test(type) || type === 'INV' || type === 'SB_LUT4' || /^RAM(32|64|128|256)[MX0-9S]*$/.test(type) || /^SRL(16|C32)/.test(type)) r.lut += n;
    else if (/^FD[RSCP]E(_1)?$/.test(type) || /^SB_DFF/.test(type) || /^LDCE|^LDPE/.test(type)) r.ff += n;
    else if (/^DSP48E[12]$/.test(type) || type === 'SB_MAC16') r.dsp += n;
    else if (/^RAMB36E[12]$/.test(type) || /^SB_RAM40_4K/.test(type) || type === 'SB_SPRAM256KA') r.bram += n;
    else if (/^RAMB18E[12]$/.test(type)) r.bram += n / 2;
    else if (/^CARRY(4|8)$/.test(type) || type === 'SB_CARRY') r.carry += n;
    else if (/^MUXF[789]$/.test(type)) r.mux += n;
  }
  return r;
}
