// Per configuration and target family: what a hardware team asks first — MACs per cycle, the
// clock (measured: routed on iCE40, a logic-only upper bound on Xilinx), peak GMAC/s, and how
// many arrays fit each catalogue device. From synthesis results only: the configuration's PE
// (the array composed as rows·cols PEs) or, when synthesised, the whole array.
import { DEVICES, fit, type Family, type ResourceUse } from '../model/devices.ts';

/** The fields of a synthesis result this reads (SynthResult, or a row parsed from its JSON). */
export interface HardwareResult {
  design: string;
  kind: string;
  target: string;
  macs: number;
  resources: ResourceUse;
  fmax: { mhz: number | null; kind?: 'routed' | 'logic-only' };
  utilisation?: Record<string, { used: number; available: number }>;
  fit?: { part: string; fits: boolean; reason?: string };
}

export interface ConfigHardware {
  config: string;
  target: string;
  /** MACs the array does per cycle (rows × cols). */
  macsPerCycle: number;
  /** The clock and where it comes from: the whole array's when synthesised and measured, else its PE's. */
  clock: { mhz: number; kind: 'routed' | 'logic-only'; of: 'array' | 'PE' } | null;
  /** macsPerCycle × clock, GMAC/s (an upper bound where the clock is). */
  peakGmacs: number | null;
  array: ResourceUse & { how: 'whole' | 'composed' };
  pe: ResourceUse;
  /** Copies of the array that fit each catalogue device of the target family. */
  fits: { device: string; count: number; limitedBy: string }[];
  /** A whole array placed and routed: nextpnr's utilisation of the part. */
  placed?: { part: string; utilisation: Record<string, { used: number; available: number }> };
}

/** One row per configuration PE result (design `<config>.pe`), with its whole array when there. */
export function configHardware(results: readonly HardwareResult[], rowsCols: (config: string) => { rows: number; cols: number }): ConfigHardware[] {
  const out: ConfigHardware[] = [];
  for (const pe of results.filter((r) => r.kind === 'pe' && r.design.endsWith('.pe'))) {
    const config = pe.design.replace(/\.pe$/, '');
    const { rows, cols } = rowsCols(config);
    const whole = results.find((r) => r.kind === 'array' && r.design === config && r.target === pe.target);
    const n = (rows * cols) / pe.macs; // PEs in the array (a packed PE does `lanes` MACs)
    const composed = { lut: pe.resources.lut * n, ff: pe.resources.ff * n, dsp: pe.resources.dsp * n, bram: pe.resources.bram * n };
    const array = whole ? { ...pick(whole.resources), how: 'whole' as const } : { ...composed, how: 'composed' as const };
    const src = whole && whole.fmax.mhz !== null ? { r: whole, of: 'array' as const } : pe.fmax.mhz !== null ? { r: pe, of: 'PE' as const } : null;
    const clock = src ? { mhz: src.r.fmax.mhz!, kind: src.r.fmax.kind ?? (pe.target === 'ice40' ? 'routed' as const : 'logic-only' as const), of: src.of } : null;
    const macsPerCycle = rows * cols;
    const fits = DEVICES.filter((d) => d.family === (pe.target as Family)).map((d) => {
      const f = fit(array, d);
      return { device: d.name, count: f.count, limitedBy: f.limitedBy };
    });
    out.push({
      config, target: pe.target, macsPerCycle, clock, peakGmacs: clock ? (macsPerCycle * clock.mhz) / 1000 : null, array, pe: pick(pe.resources), fits,
      ...(whole?.utilisation && whole.fit ? { placed: { part: whole.fit.part, utilisation: whole.utilisation } } : {}),
    });
  }
  return out;
}

const pick = (r: ResourceUse): ResourceUse => ({ lut: r.lut, ff: r.ff, dsp: r.dsp, bram: r.bram });

/** The markdown table of `configHardware` rows. */
export function hardwareMarkdown(rows: readonly ConfigHardware[]): string {
  const lines = [
    '| configuration | target | PE LUT/FF/DSP | array LUT/FF/DSP | MACs/cycle | clock MHz | peak GMAC/s | fits (copies per device) |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  const r2 = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
  for (const h of rows) {
    const clock = h.clock ? `${h.clock.mhz.toFixed(1)} (${h.clock.kind === 'routed' ? 'routed' : 'logic-only ≤'}, ${h.clock.of})` : 'not measured';
    lines.push(`| ${h.config} | ${h.target} | ${h.pe.lut} / ${h.pe.ff} / ${h.pe.dsp} | ${r2(h.array.lut)} / ${r2(h.array.ff)} / ${r2(h.array.dsp)} (${h.array.how}) | ${h.macsPerCycle} | ${clock} | ${h.peakGmacs === null ? '–' : h.peakGmacs.toFixed(2)} | ${h.fits.map((f) => `${f.device}: ${f.count} (${f.limitedBy})`).join(', ')} |`);
  }
  const placed = rows.filter((h) => h.placed);
  if (placed.length) {
    lines.push('', 'Whole arrays placed and routed (nextpnr-ice40, scan-wrapped: the wrapper\'s shift registers are included in the utilisation):', '',
      '| configuration | part | logic cells | DSP | RAM | routed MHz |', '|---|---|---:|---:|---:|---:|');
    for (const h of placed) {
      const u = h.placed!.utilisation;
      const f = (k: string) => (u[k] ? `${u[k].used} / ${u[k].available}` : '–');
      lines.push(`| ${h.config} | ${h.placed!.part} | ${f('ICESTORM_LC')} | ${f('ICESTORM_DSP')} | ${f('ICESTORM_RAM')} | ${h.clock?.of === 'array' ? h.clock.mhz.toFixed(1) : 'not measured'} |`);
    }
  }
  return lines.join('\n') + '\n';
}
