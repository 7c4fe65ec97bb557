// The PE cost table: LUT / FF / DSP per MAC of every PE kind on every target, from synthesis
// results (never typed in). JSON lines for tools (`mpsa synth cost --json`), markdown for people.
import { blockPeKinds } from './block-design.ts';
import { peKinds } from './design.ts';
import type { SynthResult } from './flow.ts';
import { TARGETS, type Target } from './stat.ts';

export interface CostRow {
  pe: string;
  target: Target;
  luts_per_mac: number;
  ffs_per_mac: number;
  dsps_per_mac: number;
  carry_per_mac: number;
  /** MHz, placed and routed (iCE40), or null: not measured. */
  fmax_mhz: number | null;
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
  }));
}

const cell = (r: CostRow | undefined, f: (r: CostRow) => string) => (r ? f(r) : '–');
/** Per-MAC figures of packed PEs are fractions (LUTs / lanes): two decimals, integers as they are. */
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The markdown table: one line per PE kind, LUT/FF/DSP per target, and the iCE40 Fmax. */
export function costMarkdown(rows: readonly CostRow[], header: string): string {
  const by = new Map(rows.map((r) => [`${r.pe}|${r.target}`, r]));
  // The float kinds, then the integer and block kinds (per MAC: a packed PE's numbers / its lanes).
  const pes = [...peKinds(), ...blockPeKinds()].map((k) => k.name).filter((n) => TARGETS.some((t) => by.has(`${n}|${t}`)));
  const head = ['PE (operands-acc-style)', ...TARGETS.map((t) => `${t} LUT/FF/DSP`), 'iCE40 Fmax MHz'];
  const lines = [header, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const pe of pes) {
    const res = TARGETS.map((t) => cell(by.get(`${pe}|${t}`), (r) => `${num(r.luts_per_mac)} / ${num(r.ffs_per_mac)} / ${num(r.dsps_per_mac)}`));
    const f = by.get(`${pe}|ice40`)?.fmax_mhz;
    lines.push(`| ${pe} | ${res.join(' | ')} | ${f == null ? 'not measured' : f.toFixed(2)} |`);
  }
  return lines.join('\n') + '\n';
}
