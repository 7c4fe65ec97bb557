// The report's data sections below the tests: synthesis, the latency model, throughput, training
// and the trends over kept nights. Each shows its plot and table, or says why there is no data.
import { esc } from './escape.ts';
import { trend } from './history.ts';
import { notAvailable, section } from './html.ts';
import type { AccuracyTable, ModelData, NightSummary, SynthRow, TrainingRun } from './summary.ts';
import { loadAllConfigs } from '../rtl/config.ts';
import { configHardware } from '../synth/hardware.ts';
import { barChart, lineChart, scatterChart } from './svg.ts';

const n = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '' : esc(Number(v.toPrecision(digits)).toLocaleString('en-US')));
const uniq = <T>(xs: T[]) => [...new Set(xs)];

function table(head: string[], rows: string[][], id?: string): string {
  return `<table${id ? ` id="${id}"` : ''}><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
}

function synthBody(rows: SynthRow[]): string {
  const targets = uniq(rows.map((r) => r.target));
  const designs = uniq(rows.map((r) => r.config));
  const at = (d: string, t: string) => rows.find((r) => r.config === d && r.target === t);
  const luts = barChart({ title: 'LUTs per PE', categories: designs, unit: 'LUTs', series: targets.map((t) => ({ name: t, values: designs.map((d) => at(d, t)?.lut ?? null) })) });
  const fmaxRows = rows.filter((r) => r.fmaxMhz !== null);
  const kindOf = (r: SynthRow) => (r.fmaxKind === 'logic-only' ? 'logic-only bound' : 'routed');
  const fmax = fmaxRows.length ? barChart({ title: 'Clock (iCE40: placed and routed; Xilinx: logic-only upper bound)', categories: fmaxRows.map((r) => `${r.config} ${r.target} (${kindOf(r)})`), unit: 'MHz', series: [{ name: 'clock', values: fmaxRows.map((r) => r.fmaxMhz) }] }) : notAvailable('No clock measured in this night.');
  const notes = uniq(rows.filter((r) => r.fmaxMhz === null && r.fmaxNote).map((r) => `${r.target}: ${r.fmaxNote}`));
  const tbl = table(['design', 'kind', 'target', 'LUT', 'FF', 'DSP', 'BRAM', 'clock MHz', 'tool s'], rows.map((r) => [
    esc(r.design), esc(r.kind), esc(r.target), n(r.lut), n(r.ff), n(r.dsp), n(r.bram),
    r.fmaxMhz === null ? '<span class="dim">not measured</span>' : `${n(r.fmaxMhz)} <span class="dim">${esc(kindOf(r))}</span>`, n(r.seconds, 3),
  ]), 'synth-table');
  return hardwareBody(rows) + luts + fmax + (notes.length ? `<ul class="dim">${notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '') + tbl;
}

/** Per configuration: MACs/cycle, clock, peak GMAC/s, fits per device; the placed whole arrays. */
function hardwareBody(rows: SynthRow[]): string {
  const configs = new Map(loadAllConfigs().map((c) => [c.name, c]));
  const known = rows.filter((r) => configs.has(r.config));
  const hw = configHardware(known.map((r) => ({
    design: r.design, kind: r.kind, target: r.target, macs: r.macs ?? 1, resources: { lut: r.lut, ff: r.ff, dsp: r.dsp, bram: r.bram },
    fmax: { mhz: r.fmaxMhz, ...(r.fmaxKind ? { kind: r.fmaxKind } : {}) }, ...(r.fit ? { fit: r.fit } : {}), ...(r.utilisation ? { utilisation: r.utilisation } : {}),
  })), (name) => configs.get(name)!);
  if (hw.length === 0) return '';
  const clock = (h: (typeof hw)[number]) => (h.clock ? `${n(h.clock.mhz)} <span class="dim">${h.clock.kind === 'routed' ? 'routed' : 'logic-only ≤'}, ${h.clock.of}</span>` : '<span class="dim">not measured</span>');
  const main = table(['configuration', 'target', 'MACs/cycle', 'clock MHz', 'peak GMAC/s', 'array LUT / FF / DSP', 'fits (arrays per device)'], hw.map((h) => [
    esc(h.config), esc(h.target), n(h.macsPerCycle), clock(h), h.peakGmacs === null ? '' : n(h.peakGmacs, 3),
    `${n(h.array.lut)} / ${n(h.array.ff)} / ${n(h.array.dsp)} <span class="dim">${h.array.how}</span>`, esc(h.fits.map((f) => `${f.device}: ${f.count} (${f.limitedBy})`).join(', ')),
  ]), 'hardware-table');
  const placed = hw.filter((h) => h.placed);
  const util = (u: Record<string, { used: number; available: number }>, k: string) => (u[k] ? `${u[k].used} / ${u[k].available}` : '');
  const whole = placed.length ? '<h3>Whole arrays placed and routed (iCE40)</h3>' + table(['configuration', 'part', 'logic cells', 'DSP', 'RAM', 'routed MHz'], placed.map((h) => [
    esc(h.config), esc(h.placed!.part), util(h.placed!.utilisation, 'ICESTORM_LC'), util(h.placed!.utilisation, 'ICESTORM_DSP'), util(h.placed!.utilisation, 'ICESTORM_RAM'),
    h.clock?.of === 'array' ? n(h.clock.mhz) : '<span class="dim">not measured</span>',
  ]), 'whole-arrays') : '';
  return '<h3>Per configuration</h3>' + main + whole;
}

export const synthSection = (s: NightSummary['synth']) => section(s, synthBody);

function modelBody(m: ModelData): string {
  const head = `<p><b>${m.exact}/${m.cases}</b> GEMMs predicted exactly; largest error <b>${m.maxErrorCycles}</b> cycles.</p>`;
  if (m.perCase.length === 0) return head + notAvailable('No per-case lines in the output of model validate.');
  const plot = scatterChart({ title: 'Cycles per GEMM', xLabel: 'predicted', yLabel: 'measured', points: m.perCase.map((c) => ({ x: c.predicted, y: c.measured, label: `${c.config} ${c.shape}${c.stalled ? ' stalled' : ''}` })), caption: 'On the dashed line: predicted = measured.' });
  const rows = m.perCase.map((c) => [esc(c.config), esc(c.shape), c.stalled ? 'yes' : 'no', n(c.predicted, 12), n(c.measured, 12), c.measured === c.predicted ? '<span class="ok">0</span>' : `<span class="bad">${c.measured - c.predicted}</span>`]);
  return head + plot + `<details><summary>every case</summary>${table(['configuration', 'M×K×N', 'host stalls', 'predicted', 'measured', 'error'], rows, 'model-table')}</details>`;
}

export const modelSection = (s: NightSummary['model']) => section(s, modelBody);

export function benchSection(b: NightSummary['bench']): string {
  const harness = section(b.harness, (h) => barChart({ title: 'Harness: simulated cycles/s (8×8 int8 array)', categories: ['per-cycle coroutine', 'bulk ClockCycles', 'native C++ loop'], unit: 'cycles/s', log: true, series: [{ name: 'cycles/s', values: [h.per_cycle_hz, h.bulk_hz, h.native_hz] }] }));
  const emu = section(b.emu, (rows) => {
    const cats = uniq(rows.map((r) => `${r.arith} ${r.mode}`));
    const threads = uniq(rows.map((r) => r.threads)).sort((a, c) => a - c);
    return barChart({ title: `Emulation GEMM throughput (${rows[0]?.shape ?? ''})`, categories: cats, unit: 'GMAC/s', series: threads.map((t) => ({ name: `${t} thread(s)`, values: cats.map((c) => rows.find((r) => `${r.arith} ${r.mode}` === c && r.threads === t)?.gmacs ?? null) })) });
  });
  const gemm = section(b.gemm, (rows) => barChart({ title: 'GEMM on the simulated arrays vs the golden model', categories: rows.map((r) => `${r.config} ${r.shape}`), unit: 'MAC/s', log: true, series: [{ name: 'RTL (harness)', values: rows.map((r) => r.rtl_macs) }, { name: 'golden fast path', values: rows.map((r) => r.golden_macs) }] }));
  const golden = section(b.golden, (rows) => {
    const gemmRows = rows.filter((r) => r.bench === 'gemm' && typeof r.fast_macs === 'number');
    if (gemmRows.length === 0) return notAvailable('bench:golden printed no GEMM lines.');
    return barChart({ title: 'Golden model GEMM: fast float64 path vs exact BigInt path', categories: gemmRows.map((r) => String(r.config)), unit: 'MAC/s', log: true, series: [{ name: 'fast', values: gemmRows.map((r) => r.fast_macs as number) }, { name: 'exact', values: gemmRows.map((r) => (typeof r.exact_macs === 'number' ? r.exact_macs : null)) }] });
  });
  return `<h3>Harness</h3>${harness}<h3>Emulation (train/emu)</h3>${emu}<h3>GEMM per configuration</h3>${gemm}<h3>Golden model</h3>${golden}`;
}

/** At most `max` points of a long curve (every k-th step, the last one kept). */
function thin(ys: number[], max = 300): [number, number][] {
  const k = Math.max(1, Math.ceil(ys.length / max));
  const out: [number, number][] = [];
  ys.forEach((y, i) => { if (i % k === 0 || i === ys.length - 1) out.push([i + 1, y]); });
  return out;
}

function runsBody(runs: TrainingRun[]): string {
  const loss = lineChart({ title: 'Training loss per step', xLabel: 'step', yLabel: 'loss', series: runs.map((r) => ({ name: r.label, points: thin(r.loss) })) });
  const acc = runs.some((r) => r.testAccuracy.length > 1) ? lineChart({ title: 'Test accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy', series: runs.map((r) => ({ name: r.label, points: r.testAccuracy.map((a, i) => [i + 1, a] as [number, number]) })) }) : '';
  const rows = runs.map((r) => [esc(r.label), esc(r.model), esc(r.arith), esc(r.backend), n(r.steps, 8), r.testAccuracy.map((a) => (a * 100).toFixed(2)).join(' → '), n(r.wallSeconds, 3), `<code>${esc((r.hash ?? '').slice(0, 16))}</code>`]);
  return loss + acc + table(['run', 'model', 'arithmetic', 'backend', 'steps', 'test accuracy % per epoch', 'wall s', 'hash'], rows, 'training-table');
}

function accuracyBody(t: AccuracyTable): string {
  const cols = uniq(t.rows.flatMap((r) => Object.keys(r)));
  const cell = (v: unknown) => (typeof v === 'number' ? n(v, 6) : esc(typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
  return `<p class="dim">From ${esc(t.source)}.</p>` + table(cols, t.rows.map((r) => cols.map((c) => cell(r[c]))), 'accuracy-table');
}

export function trainingSection(t: NightSummary['training']): string {
  return `<h3>Short runs of this night</h3>${section(t.runs, runsBody)}<h3>Accuracy table</h3>${section(t.accuracy, accuracyBody)}`;
}

export function trendsSection(nights: readonly NightSummary[]): string {
  if (nights.length < 2) return notAvailable('No earlier night is kept yet: trends start with the second night.');
  const labels = nights.map((x) => x.date);
  const idx = (pts: [string, number][]) => pts.map(([d, v]) => [labels.indexOf(d), v] as [number, number]);
  const line = (title: string, yLabel: string, series: { name: string; pick: (x: NightSummary) => number | undefined }[]) =>
    lineChart({ title, xLabel: 'night', yLabel, xLabels: labels, yFromZero: true, series: series.map((s) => ({ name: s.name, points: idx(trend(nights, s.pick)) })) });
  const t = (x: NightSummary) => (x.tests.available ? x.tests.data.totals : undefined);
  return [
    line('Tests', 'tests', [{ name: 'passed', pick: (x) => t(x)?.passed }, { name: 'failed', pick: (x) => t(x)?.failed }]),
    line('Harness throughput', 'cycles/s', [{ name: 'per-cycle', pick: (x) => (x.bench.harness.available ? x.bench.harness.data.per_cycle_hz : undefined) }, { name: 'bulk', pick: (x) => (x.bench.harness.available ? x.bench.harness.data.bulk_hz : undefined) }]),
    line('Emulation throughput (best line)', 'GMAC/s', [{ name: 'emu', pick: (x) => (x.bench.emu.available ? Math.max(...x.bench.emu.data.map((r) => r.gmacs)) : undefined) }]),
    line('Latency model', 'GEMMs', [{ name: 'cases', pick: (x) => (x.model.available ? x.model.data.cases : undefined) }, { name: 'exact', pick: (x) => (x.model.available ? x.model.data.exact : undefined) }]),
    line('Night wall time', 'seconds', [{ name: 'wall', pick: (x) => x.wallSeconds }]),
  ].join('');
}
