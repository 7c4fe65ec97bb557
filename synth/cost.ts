// The PE cost table: LUT / FF / DSP per MAC of every PE kind on every target, and the clocks,
// from synthesis results (never typed in). JSON for tools (`mpsa synth cost --json`, and the
// committed synth/cost-table.json), markdown for people (synth/cost-table.md).
import { blockPeKinds } from './block-design.ts';
import { exactPeKinds, peKinds, type Design } from './design.ts';
import type { SynthResult } from './flow.ts';
import { TARGETS, type Target } from './stat.ts';

export interface CostRow {
  pe: string;
  target: Target;
  luts_per_mac: number;
  ffs_per_mac: number;
  dsps_per_mac: number;
  carry_per_mac: number;
  /** MHz or null (not measured): routed by nextpnr on iCE40, a logic-only upper bound on Xilinx. */
  fmax_mhz: number | null;
  fmax_kind: 'routed' | 'logic-only' | null;
  /** Logic-only: the longest register-to-register path, ns. */
  path_ns: number | null;
  /** The PE's registers (latency in edges; a float PE's product-path and loop registers). */
  stages: Design['stages'];
}

/** One row per PE result (designs `pe.<kind>`), in the order given. */
export function costRows(results: readonly SynthResult[]): CostRow[] {
  return results.filter((r) => r.kind === 'pe').map((r) => ({
    pe: r.design.replace(/^pe\./, ''),
    target: r.target,
    luts_per_mac: r.resources.lut / r.macs,
    ffs_per_mac: r.resources.ff / r.macs,
    dsps_per_mac: r.resources.dsp / r.macs,
    carry_per_mac: r.resources.carry / r.macs,
    fmax_mhz: r.fmax.mhz,
    fmax_kind: r.fmax.mhz === null ? null : (r.fmax.kind ?? null),
    path_ns: r.fmax.ns ?? null,
    stages: r.stages,
  }));
}

const cell = (r: CostRow | undefined, f: (r: CostRow) => string) => (r ? f(r) : '–');
/** Per-MAC figures of packed PEs are fractions (LUTs / lanes): two decimals, integers as they are. */
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
const clock = (r: CostRow | undefined) => (r?.fmax_mhz == null ? 'not measured' : r.fmax_mhz.toFixed(1));
/** "3+6" for a float PE (product-path registers + accumulate-loop depth), else the latency. */
export const stagesText = (s: Design['stages']) => (s.pipeline ? `${s.pipeline.mul}+${s.pipeline.acc}` : String(s.latency));

/** The markdown table: one line per PE kind, its stages, LUT/FF/DSP and the clock per target. */
export function costMarkdown(rows: readonly CostRow[], header: string): string {
  const by = new Map(rows.map((r) => [`${r.pe}|${r.target}`, r]));
  // The float kinds, then the integer and block kinds (per MAC: a packed PE's numbers / its lanes).
  const pes = [...peKinds(), ...exactPeKinds(), ...blockPeKinds()].map((k) => k.name).filter((n) => TARGETS.some((t) => by.has(`${n}|${t}`)));
  const head = ['PE (operands-acc-style)', 'stages'];
  for (const t of TARGETS) head.push(`${t} LUT/FF/DSP`, t === 'ice40' ? 'iCE40 MHz routed' : `${t} MHz logic-only ≤`);
  const lines = [header, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const pe of pes) {
    const any = TARGETS.map((t) => by.get(`${pe}|${t}`)).find((r) => r !== undefined)!;
    const cols = [pe, stagesText(any.stages)];
    for (const t of TARGETS) {
      const r = by.get(`${pe}|${t}`);
      cols.push(cell(r, (x) => `${num(x.luts_per_mac)} / ${num(x.ffs_per_mac)} / ${num(x.dsps_per_mac)}`), r ? clock(r) : '–');
    }
    lines.push(`| ${cols.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** The committed machine-readable table: how it was made, and every row. */
export function costJson(rows: readonly CostRow[], made: { tools: Record<string, string>; pnrPart: string; flow: string }): string {
  return JSON.stringify({ generatedBy: 'mpsa synth cost', ...made, rows }, null, 1) + '\n';
}
