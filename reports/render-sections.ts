// The page's data sections: hardware per configuration, the latency model, throughput, accuracy
// and the trends over full nights. Each shows its plots (reports/plot.ts) and tables, or says why
// there is no data; none fills a number in.
import { readFileSync } from 'node:fs';
import { esc } from './escape.ts';
import { notAvailable } from './html.ts';
import { bars, diagonalScatter, lines } from './plot.ts';
import { readmeAccuracyRows } from './readme.ts';
import { figure, type Headline, type PageSection, type RenderContext } from './sections.ts';
import type { AccuracyTable, ModelData, NightSummary, Section, SynthRow, TrainingRun } from './summary.ts';
import { loadAllConfigs } from '../rtl/config.ts';
import { configHardware, type ConfigHardware } from '../synth/hardware.ts';

const n = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '' : esc(Number(v.toPrecision(digits)).toLocaleString('en-US')));
const uniq = <T>(xs: T[]) => [...new Set(xs)];

export function table(head: string[], rows: string[][], id?: string): string {
  return `<div class="scroll"><table${id ? ` id="${id}"` : ''}><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table></div>`;
}

async function section<T>(s: Section<T>, body: (data: T) => Promise<string> | string): Promise<string> {
  return s.available ? body(s.data) : notAvailable(s.reason);
}

/** Per configuration and target: the hardware figures of docs/synth.md from the night's synthesis rows. */
export function hardwareOf(rows: readonly SynthRow[]): ConfigHardware[] {
  const configs = new Map(loadAllConfigs().map((c) => [c.name, c]));
  const known = rows.filter((r) => configs.has(r.config));
  return configHardware(known.map((r) => ({
    design: r.design, kind: r.kind, target: r.target, macs: r.macs ?? 1, resources: { lut: r.lut, ff: r.ff, dsp: r.dsp, bram: r.bram },
    fmax: { mhz: r.fmaxMhz, ...(r.fmaxKind ? { kind: r.fmaxKind } : {}) }, ...(r.fit ? { fit: r.fit } : {}), ...(r.utilisation ? { utilisation: r.utilisation } : {}),
  })), (name) => configs.get(name)!);
}

const clockKind = (k: 'routed' | 'logic-only') => (k === 'routed' ? 'routed' : 'logic-only ≤');

async function hardwareBody(rows: SynthRow[]): Promise<string> {
  const hw = hardwareOf(rows);
  const parts: string[] = [];
  if (hw.length) {
    const clock = (h: ConfigHardware) => (h.clock ? `${n(h.clock.mhz)} <span class="dim">${clockKind(h.clock.kind)}, ${h.clock.of}</span>` : '<span class="dim">not measured</span>');
    parts.push('<p class="dim">Array resources: the whole array when synthesised, else its PE × rows·cols ("composed": array registers and control not counted). ' +
      'Clocks: iCE40 placed and routed by nextpnr; Xilinx the logic-only upper bound of Yosys sta (no routing). Peak GMAC/s = MACs/cycle × clock. ' +
      'Fits: arrays per catalogue device of the family at 100 % of its resources, and the resource that limits it.</p>');
    parts.push(table(['configuration', 'target', 'MACs/cycle', 'clock MHz', 'peak GMAC/s', 'array LUT / FF / DSP', 'fits (arrays per device)'], hw.map((h) => [
      esc(h.config), esc(h.target), n(h.macsPerCycle), clock(h), h.peakGmacs === null ? '' : n(h.peakGmacs, 3),
      `${n(h.array.lut)} / ${n(h.array.ff)} / ${n(h.array.dsp)} <span class="dim">${h.array.how}</span>`,
      h.fits.map((f) => `<span class="${f.count ? 'ok' : 'dim'}">${esc(f.device)}: ${f.count}</span> <span class="dim">(${esc(f.limitedBy)})</span>`).join(', '),
    ]), 'hardware-table'));
    parts.push(await bars('Peak throughput per configuration (MACs/cycle × clock)', {
      rows: hw.filter((h) => h.peakGmacs !== null).map((h) => ({ config: h.config, target: `${h.target} (${h.clock!.kind === 'routed' ? 'routed' : 'logic-only bound'})`, v: h.peakGmacs })),
      category: 'config', value: 'v', series: 'target', unit: 'GMAC/s', valueFormat: '.3~f',
    }));
    parts.push(await bars('Array LUTs per configuration', { rows: hw.map((h) => ({ config: h.config, target: h.target, v: h.array.lut })), category: 'config', value: 'v', series: 'target', unit: 'LUTs' }));
    const placed = hw.filter((h) => h.placed);
    const util = (u: Record<string, { used: number; available: number }>, k: string) => (u[k] ? `${u[k].used} / ${u[k].available}` : '');
    if (placed.length) parts.push('<h3>Whole arrays placed and routed (iCE40)</h3>' + table(['configuration', 'part', 'logic cells', 'DSP', 'RAM', 'routed MHz'], placed.map((h) => [
      esc(h.config), esc(h.placed!.part), util(h.placed!.utilisation, 'ICESTORM_LC'), util(h.placed!.utilisation, 'ICESTORM_DSP'), util(h.placed!.utilisation, 'ICESTORM_RAM'),
      h.clock?.of === 'array' ? n(h.clock.mhz) : '<span class="dim">not measured</span>',
    ]), 'whole-arrays'));
  }
  const kindOf = (r: SynthRow) => (r.fmaxKind === 'logic-only' ? 'logic-only bound' : 'routed');
  const notes = uniq(rows.filter((r) => r.fmaxMhz === null && r.fmaxNote).map((r) => `${r.target}: ${r.fmaxNote}`));
  const tbl = table(['design', 'kind', 'target', 'LUT', 'FF', 'DSP', 'BRAM', 'clock MHz', 'tool s'], rows.map((r) => [
    esc(r.design), esc(r.kind), esc(r.target), n(r.lut), n(r.ff), n(r.dsp), n(r.bram),
    r.fmaxMhz === null ? '<span class="dim">not measured</span>' : `${n(r.fmaxMhz)} <span class="dim">${esc(kindOf(r))}</span>`, n(r.seconds, 3),
  ]), 'synth-table');
  parts.push(`<details><summary>Every synthesised design (${rows.length})</summary>${notes.length ? `<ul class="dim">${notes.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}${tbl}</details>`);
  return parts.join('');
}

const peak = (family: 'ice40' | 'xilinx') => (x: NightSummary) => {
  if (!x.synth.available) return undefined;
  // Only arrays that fit some catalogue device of the family: a peak nobody can place is no figure.
  const v = hardwareOf(x.synth.data).filter((h) => (family === 'ice40' ? h.target === 'ice40' : h.target !== 'ice40') && h.peakGmacs !== null && h.fits.some((f) => f.count > 0)).map((h) => h.peakGmacs!);
  return v.length ? Math.max(...v) : undefined;
};

export const hardwareSection: PageSection = {
  id: 'synth', nav: 'Hardware', title: 'Hardware per configuration: resources, clock, peak throughput, fits',
  render: ({ night }) => section(night.synth, hardwareBody),
  headlines: [
    { label: 'best peak GMAC/s of an array that fits an iCE40 (routed clock)', value: peak('ice40'), better: 'up', digits: 3 },
    { label: 'best peak GMAC/s of an array that fits a Xilinx device (logic-only bound)', value: peak('xilinx'), better: 'up', digits: 3 },
  ],
};

async function modelBody(m: ModelData): Promise<string> {
  const head = `<p><b>${m.exact}/${m.cases}</b> GEMMs predicted exactly; largest error <b>${m.maxErrorCycles}</b> cycles.</p>`;
  if (m.perCase.length === 0) return head + notAvailable('No per-case lines in the output of model validate.');
  const plot = await diagonalScatter('Cycles per GEMM: model vs simulated array', { rows: m.perCase.map((c) => ({ predicted: c.predicted, measured: c.measured })), x: 'predicted', y: 'measured', xTitle: 'predicted cycles (model/latency.ts)', yTitle: 'measured cycles (RTL)', caption: 'On the dashed line: predicted = measured.' });
  const rows = m.perCase.map((c) => [esc(c.config), esc(c.shape), c.stalled ? 'yes' : 'no', n(c.predicted, 12), n(c.measured, 12), c.measured === c.predicted ? '<span class="ok">0</span>' : `<span class="bad">${c.measured - c.predicted}</span>`]);
  return head + plot + `<details><summary>every case</summary>${table(['configuration', 'M×K×N', 'host stalls', 'predicted', 'measured', 'error'], rows, 'model-table')}</details>`;
}

export const modelSection: PageSection = {
  id: 'model', nav: 'Cycles', title: 'Latency model: predicted vs measured cycles',
  render: ({ night }) => section(night.model, modelBody),
  headlines: [{ label: 'GEMMs whose cycles the model predicts exactly (%)', value: (x) => (x.model.available && x.model.data.cases ? (100 * x.model.data.exact) / x.model.data.cases : undefined), better: 'up', digits: 4 }],
};

async function benchBody(b: NightSummary['bench']): Promise<string> {
  const harness = await section(b.harness, (h) => bars('Harness: simulated cycles/s (8×8 int8 array)', { rows: [{ c: 'per-cycle coroutine', v: h.per_cycle_hz }, { c: 'bulk ClockCycles', v: h.bulk_hz }, { c: 'native C++ loop', v: h.native_hz }], category: 'c', value: 'v', unit: 'cycles/s', log: true }));
  const emu = await section(b.emu, (rows) => bars(`Emulation GEMM throughput (${rows[0]?.shape ?? ''})`, { rows: rows.map((r) => ({ c: `${r.arith} ${r.mode}`, t: `${r.threads} thread(s)`, v: r.gmacs })), category: 'c', value: 'v', series: 't', unit: 'GMAC/s', valueFormat: '.3~f' }));
  const gemm = await section(b.gemm, (rows) => bars('GEMM on the simulated arrays vs the golden model', { rows: rows.flatMap((r) => [{ c: `${r.config} ${r.shape}`, s: 'RTL (harness)', v: r.rtl_macs }, { c: `${r.config} ${r.shape}`, s: 'golden fast path', v: r.golden_macs }]), category: 'c', value: 'v', series: 's', unit: 'MAC/s', log: true }));
  const golden = await section(b.golden, (rows) => {
    const g = rows.filter((r) => r.bench === 'gemm' && typeof r.fast_macs === 'number');
    if (g.length === 0) return notAvailable('bench:golden printed no GEMM lines.');
    return bars('Golden model GEMM: fast float64 path vs exact BigInt path', { rows: g.flatMap((r) => [{ c: String(r.config), s: 'fast', v: r.fast_macs as number }, { c: String(r.config), s: 'exact', v: typeof r.exact_macs === 'number' ? r.exact_macs : null }]), category: 'c', value: 'v', series: 's', unit: 'MAC/s', log: true });
  });
  return `<h3>Harness</h3>${harness}<h3>Emulation (train/emu)</h3>${emu}<h3>GEMM per configuration</h3>${gemm}<h3>Golden model</h3>${golden}`;
}

const harnessBulk = (x: NightSummary) => (x.bench.harness.available ? x.bench.harness.data.bulk_hz : undefined);
const emuBest = (x: NightSummary) => (x.bench.emu.available && x.bench.emu.data.length ? Math.max(...x.bench.emu.data.map((r) => r.gmacs)) : undefined);

export const benchSection: PageSection = {
  id: 'bench', nav: 'Throughput', title: 'Simulation and emulation throughput',
  render: ({ night }) => benchBody(night.bench),
  headlines: [
    { label: 'harness bulk cycles/s', value: harnessBulk, better: 'up', digits: 3 },
    { label: 'emulation GMAC/s (best line)', value: emuBest, better: 'up', digits: 3 },
  ],
};

/** At most `max` points of a long curve (every k-th step, the last one kept). */
function thin(ys: number[], max = 300): [number, number][] {
  const k = Math.max(1, Math.ceil(ys.length / max));
  const out: [number, number][] = [];
  ys.forEach((y, i) => { if (i % k === 0 || i === ys.length - 1) out.push([i + 1, y]); });
  return out;
}

async function runsBody(runs: TrainingRun[]): Promise<string> {
  const loss = await lines('Training loss per step', { rows: runs.flatMap((r) => thin(r.loss).map(([step, v]) => ({ step, loss: v, run: r.label }))), x: 'step', y: 'loss', series: 'run', xTitle: 'step', yTitle: 'loss', integerX: true, points: false });
  const acc = runs.some((r) => r.testAccuracy.length > 1)
    ? await lines('Test accuracy per epoch', { rows: runs.flatMap((r) => r.testAccuracy.map((a, i) => ({ epoch: i + 1, accuracy: a, run: r.label }))), x: 'epoch', y: 'accuracy', series: 'run', xTitle: 'epoch', yTitle: 'test accuracy', integerX: true })
    : '';
  const rows = runs.map((r) => [esc(r.label), esc(r.model), esc(r.arith), esc(r.backend), n(r.steps, 8), r.testAccuracy.map((a) => (a * 100).toFixed(2)).join(' → '), n(r.wallSeconds, 3), `<code>${esc((r.hash ?? '').slice(0, 16))}</code>`]);
  return loss + acc + table(['run', 'model', 'arithmetic', 'backend', 'steps', 'test accuracy % per epoch', 'wall s', 'hash'], rows, 'training-table');
}

/** The README's accuracy table (its reference figures and row ids) against accuracy.json when there is one. */
function referenceBody(acc: Section<AccuracyTable>, readme: string | undefined): string {
  if (readme === undefined) return notAvailable('README.md could not be read from the checkout.');
  const ref = readmeAccuracyRows(readme);
  const got = new Map<string, number>();
  if (acc.available) for (const r of acc.data.rows) if (typeof r.id === 'string' && typeof r.finalAccuracy === 'number') got.set(r.id, r.finalAccuracy);
  const fmt = (v: number) => (Number.isNaN(v) ? 'diverged' : v.toFixed(4));
  const rows = ref.flatMap((r) => r.ids.map((id, i) => {
    const want = r.figures[i];
    const have = got.get(id);
    const same = have !== undefined && (Number.isNaN(want) ? Number.isNaN(have) : Math.abs(have - want) < 5e-5);
    return [esc(r.label), `<code>${esc(id)}</code>`, esc(fmt(want)), have === undefined ? '<span class="dim">not in accuracy.json</span>' : `<span class="${same ? 'ok' : 'bad'}">${esc(fmt(have))}</span>`];
  }));
  const note = acc.available ? `<p class="dim">This night's figures from ${esc(acc.data.source)} (written by <code>npm run train:table</code>, the full profile's train-table step); a figure that differs from the README is red.</p>`
    : `<p class="dim">No accuracy table on this machine yet (${esc(acc.reason.replace(/^\/\S*\//, ''))}): the README figures are shown alone. <code>npm run train:table -- --rows ID</code> reproduces a row; the full night runs them all.</p>`;
  return note + table(['README row', 'row id', 'README', 'this night'], rows, 'accuracy-reference');
}

function readReadme(): string | undefined {
  try { return readFileSync(new URL('../README.md', import.meta.url), 'utf8'); } catch { return undefined; }
}

export const accuracySection: PageSection = {
  id: 'training', nav: 'Accuracy', title: 'Training: this night\'s runs and the README reference',
  render: async ({ night }) => `<h3>Short runs of this night</h3>${await section(night.training.runs, runsBody)}<h3 id="accuracy-vs-readme">Accuracy against the README reference</h3>${referenceBody(night.training.accuracy, readReadme())}`,
  headlines: [],
};

/** Headlines for each of tonight's runs: its final test accuracy. */
export function runHeadlines(night: NightSummary): Headline[] {
  if (!night.training.runs.available) return [];
  return night.training.runs.data.map((r) => ({
    label: `final test accuracy, ${r.label}`, better: 'up' as const, digits: 4,
    value: (x: NightSummary) => { if (!x.training.runs.available) return undefined; const m = x.training.runs.data.find((y) => y.label === r.label); return m?.testAccuracy.at(-1); },
  }));
}

async function trendsBody({ night, fullHistory }: RenderContext): Promise<string> {
  const nights = [...fullHistory, night];
  if (nights.length < 2) return notAvailable(`No earlier full ${night.profile} night is kept yet: trends start with the second one (nights run with --only/--skip or merged from shards are left out).`);
  const one = (title: string, yTitle: string, series: { name: string; pick: (x: NightSummary) => number | undefined }[], caption?: string) => {
    const rows = nights.flatMap((x) => series.map((s) => ({ night: x.date, v: figure(s.pick, x) ?? null, s: s.name }))).filter((r) => r.v !== null);
    if (rows.length === 0) return Promise.resolve('');
    return lines(title, { rows, x: 'night', y: 'v', series: series.length > 1 ? 's' : undefined, xTitle: 'night', yTitle, ordinalX: true, yZero: true, height: 160, caption });
  };
  const t = (x: NightSummary) => (x.tests.available ? x.tests.data.totals : undefined);
  const hwRows = (x: NightSummary) => (x.synth.available ? hardwareOf(x.synth.data) : []);
  const cfgTargets = uniq(hwRows(night).map((h) => `${h.config} ${h.target}`));
  const clockOf = (key: string) => (x: NightSummary) => hwRows(x).find((h) => `${h.config} ${h.target}` === key)?.clock?.mhz;
  const lutOf = (key: string) => (x: NightSummary) => hwRows(x).find((h) => `${h.config} ${h.target}` === key)?.array.lut;
  const ice = cfgTargets.filter((k) => k.endsWith(' ice40'));
  const runs = night.training.runs.available ? night.training.runs.data.map((r) => r.label) : [];
  const parts = await Promise.all([
    one('Tests', 'tests', [{ name: 'passed', pick: (x) => t(x)?.passed }, { name: 'failed', pick: (x) => t(x)?.failed }]),
    one('Routed clock per configuration (iCE40)', 'MHz', ice.map((k) => ({ name: k.replace(/ ice40$/, ''), pick: clockOf(k) }))),
    one('Array LUTs per configuration (iCE40)', 'LUTs', ice.map((k) => ({ name: k.replace(/ ice40$/, ''), pick: lutOf(k) }))),
    one('Best peak throughput', 'GMAC/s', [{ name: 'iCE40 (routed)', pick: peak('ice40') }, { name: 'Xilinx (logic-only bound)', pick: peak('xilinx') }]),
    one('Simulation throughput', 'cycles/s', [{ name: 'harness bulk', pick: harnessBulk }, { name: 'harness per-cycle', pick: (x) => (x.bench.harness.available ? x.bench.harness.data.per_cycle_hz : undefined) }]),
    one('Emulation throughput (best line)', 'GMAC/s', [{ name: 'emu', pick: emuBest }]),
    one('Final test accuracy of the night\'s runs', 'accuracy', runs.map((label) => ({ name: label, pick: (x) => (x.training.runs.available ? x.training.runs.data.find((r) => r.label === label)?.testAccuracy.at(-1) : undefined) }))),
    one('Latency model', 'GEMMs', [{ name: 'cases', pick: (x) => (x.model.available ? x.model.data.cases : undefined) }, { name: 'exact', pick: (x) => (x.model.available ? x.model.data.exact : undefined) }]),
    one('Night wall time', 'seconds', [{ name: 'wall', pick: (x) => x.wallSeconds }]),
  ]);
  return `<p class="dim">${nights.length} full ${esc(night.profile)} nights, ${esc(nights[0].date)} to ${esc(night.date)}.</p>` + parts.join('');
}

export const trendsSection: PageSection = {
  id: 'trends', nav: 'Trends', title: 'Trends over the kept full nights',
  render: trendsBody,
};
