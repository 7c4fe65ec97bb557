// The device catalog: resource totals of common FPGA parts, each with the document it comes from,
// and the resource fit: how many arrays of a given resource use fit a device.
//
// Totals are the whole device as its data sheet lists it. On the Alveo cards the shell (PCIe, DMA,
// memory controllers) takes part of it: budget with `utilisation` below 1 there.

/** A synthesis target family (synth/stat.ts TARGETS): which synthesis result applies to a part. */
export type Family = 'ice40' | 'xc7' | 'xcup';

export interface ResourceUse {
  lut: number;
  ff: number;
  dsp: number;
  /** 36 Kb block RAMs on Xilinx (an 18 Kb half counts ½), 4 Kb EBRs on iCE40. */
  bram: number;
}

export interface Device {
  /** Short name used on the command line. */
  name: string;
  /** Full part number. */
  part: string;
  family: Family;
  /** LUTs (6-input on Xilinx, 4-input on iCE40), flip-flops, DSP blocks, block RAMs. */
  totals: ResourceUse;
  /** Data sheet name and number the totals are taken from. */
  source: string;
  note?: string;
  /** iCE40 parts nextpnr-ice40 places and routes on: its device and package options. */
  pnr?: { name: string; args: string[] };
}

export const DEVICES: readonly Device[] = [
  {
    name: 'up5k', part: 'iCE40UP5K', family: 'ice40',
    totals: { lut: 5280, ff: 5280, dsp: 8, bram: 30 },
    source: 'Lattice, iCE40 UltraPlus Family Data Sheet, FPGA-DS-02008 (Table 1.1: 5280 LUTs, 8 DSP, 30 EBR of 4 Kb)',
    note: 'also 4 SPRAM blocks of 256 Kb (not counted in bram); SG48 package: 39 I/O',
    pnr: { name: 'iCE40UP5K-SG48', args: ['--up5k', '--package', 'sg48'] },
  },
  {
    name: 'hx8k', part: 'iCE40HX8K', family: 'ice40',
    totals: { lut: 7680, ff: 7680, dsp: 0, bram: 32 },
    source: 'Lattice, iCE40 LP/HX Family Data Sheet, FPGA-DS-02029 (Table 1.1, HX8K: 7680 LUTs, 32 EBR of 4 Kb, no DSP)',
    note: 'the iCE40HX8K-B-EVN board carries this part (CT256 package)',
    pnr: { name: 'iCE40HX8K-CT256', args: ['--hx8k', '--package', 'ct256'] },
  },
  {
    name: 'a35t', part: 'XC7A35T', family: 'xc7',
    totals: { lut: 20800, ff: 41600, dsp: 90, bram: 50 },
    source: 'AMD/Xilinx, 7 Series FPGAs Data Sheet: Overview, DS180 (Artix-7 table: 5200 slices × 4 LUTs, 90 DSP48E1, 50 × 36 Kb BRAM)',
  },
  {
    name: 'a100t', part: 'XC7A100T', family: 'xc7',
    totals: { lut: 63400, ff: 126800, dsp: 240, bram: 135 },
    source: 'AMD/Xilinx, 7 Series FPGAs Data Sheet: Overview, DS180 (Artix-7 table: 15850 slices × 4 LUTs, 240 DSP48E1, 135 × 36 Kb BRAM)',
  },
  {
    name: 'zcu102', part: 'XCZU9EG', family: 'xcup',
    totals: { lut: 274080, ff: 548160, dsp: 2520, bram: 912 },
    source: 'AMD/Xilinx, Zynq UltraScale+ MPSoC Data Sheet: Overview, DS891 (ZU9EG: 274,080 CLB LUTs, 548,160 FFs, 2,520 DSP48E2, 912 × 36 Kb BRAM); the ZCU102 board carries this part',
  },
  {
    name: 'u250', part: 'XCU250', family: 'xcup',
    totals: { lut: 1728000, ff: 3456000, dsp: 12288, bram: 2688 },
    source: 'AMD/Xilinx, Alveo U200 and U250 Data Center Accelerator Cards Data Sheet, DS962 (U250: 1,728K LUTs, 3,456K registers, 12,288 DSP, 2,688 × 36 Kb BRAM)',
    note: 'also 1,280 UltraRAMs; the shell takes part of the device',
  },
  {
    name: 'u280', part: 'XCU280', family: 'xcup',
    totals: { lut: 1303680, ff: 2607360, dsp: 9024, bram: 2016 },
    source: 'AMD/Xilinx, Alveo U280 Data Center Accelerator Card Data Sheet, DS963 (1,304K LUTs, 2,607K registers, 9,024 DSP, 2,016 × 36 Kb BRAM); exact counts as Virtex UltraScale+ VU37P, DS923',
    note: 'also 960 UltraRAMs and 8 GB HBM2; the shell takes part of the device',
  },
];

/** A device by short name or part number (case-insensitive); the error lists the catalog. */
export function deviceByName(name: string): Device {
  const d = DEVICES.find((x) => x.name === name.toLowerCase() || x.part.toLowerCase() === name.toLowerCase());
  if (!d) throw new Error(`unknown device '${name}' (known: ${DEVICES.map((x) => `${x.name} (${x.part})`).join(', ')})`);
  return d;
}

/** The part nextpnr places on for an iCE40 device of the catalog (capacities for the fit check). */
export function pnrPart(d: Device): { name: string; args: string[]; lut: number; ff: number; dsp: number; bram: number } {
  if (!d.pnr) throw new Error(`${d.name}: no place-and-route part (nextpnr-ice40 places iCE40 devices only: ${DEVICES.filter((x) => x.pnr).map((x) => x.name).join(', ')})`);
  return { ...d.pnr, ...d.totals };
}

export const RESOURCES = ['lut', 'ff', 'dsp', 'bram'] as const;
export type Resource = (typeof RESOURCES)[number];

export interface Fit {
  /** Whole copies of the design that fit. */
  count: number;
  /** The scarcest resource: the one that limits the count. */
  limitedBy: Resource;
  /** Fraction of each resource that `count` copies use. */
  use: Record<Resource, number>;
}

/**
 * How many copies of a design with resource use `use` fit `device`, each resource budgeted at
 * `utilisation` of the total (routing rarely closes at 100 %; 1 = the raw totals). The count is
 * the minimum over the resources the design uses; `limitedBy` names that resource.
 */
export function fit(use: ResourceUse, device: Device, utilisation = 1): Fit {
  if (!(utilisation > 0 && utilisation <= 1)) throw new Error(`fit: utilisation must be in (0, 1], got ${utilisation}`);
  let count = Infinity;
  let limitedBy: Resource | undefined;
  for (const r of RESOURCES) {
    const u = use[r];
    if (!(Number.isFinite(u) && u >= 0)) throw new Error(`fit: ${r} use must be a finite number ≥ 0, got ${u}`);
    if (u === 0) continue;
    const n = Math.floor((device.totals[r] * utilisation) / u + 1e-9);
    if (n < count) { count = n; limitedBy = r; }
  }
  if (limitedBy === undefined) throw new Error('fit: the design uses no LUT, FF, DSP or BRAM');
  const use_ = Object.fromEntries(RESOURCES.map((r) => [r, (count * use[r]) / device.totals[r]])) as Record<Resource, number>;
  return { count, limitedBy, use: use_ };
}
