// Parser of Yosys `sta` output — a pure function, tested on recorded output (synth/fixtures/).
//
// Yosys 0.23 prints, after the netlist's cells have timing arcs (read_verilog -lib -specify):
//   Latest arrival time in 'mac_pe_scan' is 4173:
//       4173 $abc$…  (FDRE.D)
//        …
// A path through a cell without arcs is cut there: Yosys then warns "Critical-path does not
// terminate in a recognised endpoint" and the figure is not the design's; that is an error here.

export interface StaReport {
  /** The latest arrival at a register's input, ps (clock-to-Q of the launching register included). */
  ps: number;
}

export function parseStaLog(log: string): StaReport {
  const m = /Latest arrival time in '[^']+' is (\d+):/.exec(log);
  if (!m) throw new Error("sta log: no 'Latest arrival time' line (did sta run after read_verilog -lib -specify?)");
  const noArcs = [...log.matchAll(/Module '([^']+)' has no timing arcs/g)].map((x) => x[1]);
  if (/does not terminate in a recognised endpoint/.test(log)) {
    throw new Error(`sta log: the critical path does not end at a register${noArcs.length ? ` (cells without timing arcs: ${noArcs.join(', ')}; add them to synth/xilinx-timing.v)` : ''}`);
  }
  return { ps: Number(m[1]) };
}
