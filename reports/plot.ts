// The report's plots: Vega-Lite specifications compiled and rendered to static SVG in Node (vega's
// headless View, renderer 'none', toSVG) — no script, no network, no canvas in the page. Each
// helper returns one <figure> holding an inline <svg class="plot"> (the class the browser test
// counts). Vega lays out axes and legends itself (autosize "pad"), so labels are never clipped;
// text content is escaped by vega's SVG writer, and titles and captions here go through esc().
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { esc } from './escape.ts';

export const PALETTE = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00'];

/** Width of a plot's data area in px; the figure scales down with the page (max-width: 100%). */
export const PLOT_WIDTH = 560;

const CONFIG = {
  font: 'system-ui, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelLimit: 320, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee' },
  legend: { labelLimit: 320, orient: 'bottom', direction: 'horizontal', columns: 3, labelFontSize: 11, titleFontSize: 11 },
  range: { category: PALETTE },
  title: { fontSize: 13, anchor: 'start' },
} as const;

/** Rendered specs: a page re-rendered with the same data (the screenshot pass, history tests) reuses them. */
const rendered = new Map<string, Promise<string>>();

/** Renders a Vega-Lite spec to an SVG string (memoised by the spec's JSON, at most 256 kept). */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const key = JSON.stringify(spec);
  let p = rendered.get(key);
  if (!p) {
    if (rendered.size >= 256) rendered.delete(rendered.keys().next().value!);
    p = renderOnce(spec);
    rendered.set(key, p);
    p.catch(() => rendered.delete(key));
  }
  return p;
}

async function renderOnce(spec: TopLevelSpec): Promise<string> {
  const vg = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) }, background: 'white' } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A plot as the page shows it: <figure> with the SVG (class "plot", labelled) and a caption. */
export async function plot(title: string, spec: TopLevelSpec, caption?: string): Promise<string> {
  const svg = (await renderSvg({ ...spec, title } as TopLevelSpec))
    .replace(/^<svg /, `<svg class="plot" role="img" aria-label="${esc(title)}" `)
    .replace(/ class="marks"/, '');
  return `<figure class="plot-fig">${svg}${caption ? `<figcaption>${esc(caption)}</figcaption>` : ''}</figure>`;
}

type Row = Record<string, string | number | null>;

/**
 * Horizontal bars, one row per category; with `series`, bars of a category side by side (one
 * colour per series). Null values draw no bar. `log`: a log x axis (every value must be > 0).
 */
export function bars(title: string, o: { rows: Row[]; category: string; value: string; series?: string; unit: string; log?: boolean; caption?: string; valueFormat?: string; colors?: Record<string, string> }): Promise<string> {
  const rows = o.rows.filter((r) => typeof r[o.value] === 'number' && Number.isFinite(r[o.value] as number) && (!o.log || (r[o.value] as number) > 0));
  const x = { field: o.value, type: 'quantitative', title: `${o.unit}${o.log ? ' (log scale)' : ''}`, ...(o.log ? { scale: { type: 'log' } } : {}), axis: { format: o.valueFormat ?? '~s' } };
  const y = { field: o.category, type: 'nominal', title: null, sort: null };
  const enc = { x, y, ...(o.series ? { yOffset: { field: o.series, type: 'nominal' }, color: { field: o.series, type: 'nominal', title: null, ...(o.colors ? { scale: { domain: Object.keys(o.colors), range: Object.values(o.colors) } } : {}) } } : {}) };
  const n = new Set(rows.map((r) => r[o.category])).size * (o.series ? Math.max(1, new Set(rows.map((r) => r[o.series!])).size) : 1);
  return plot(title, {
    data: { values: rows }, width: PLOT_WIDTH, height: { step: 14 } as unknown as number,
    layer: [
      { mark: { type: 'bar' }, encoding: enc },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { ...enc, color: undefined, text: { field: o.value, type: 'quantitative', format: o.valueFormat ?? '.4~s' } } },
    ],
    ...(n === 0 ? { height: 20 } : {}),
  } as unknown as TopLevelSpec, o.caption);
}

/**
 * Lines over x with points on every value; one colour and dash per series, so a line on top of
 * another still shows both. `integerX`: x ticks on whole numbers only (epochs, steps); `ordinalX`:
 * x is a list of labels (nights), every one shown.
 */
export function lines(title: string, o: { rows: Row[]; x: string; y: string; series?: string; xTitle: string; yTitle: string; integerX?: boolean; ordinalX?: boolean; yZero?: boolean; points?: boolean; caption?: string; height?: number }): Promise<string> {
  const rows = o.rows.filter((r) => typeof r[o.y] === 'number' && Number.isFinite(r[o.y] as number));
  const x = o.ordinalX
    ? { field: o.x, type: 'ordinal', title: o.xTitle, sort: null, axis: { labelAngle: -40 } }
    : { field: o.x, type: 'quantitative', title: o.xTitle, ...(o.integerX ? { axis: { tickMinStep: 1, format: 'd' } } : {}), scale: { nice: false } };
  const series = o.series ? { color: { field: o.series, type: 'nominal', title: null }, strokeDash: { field: o.series, type: 'nominal', title: null } } : {};
  return plot(title, {
    data: { values: rows }, width: PLOT_WIDTH, height: o.height ?? 200,
    mark: { type: 'line', point: o.points !== false ? { size: 28, filled: true } : false, strokeWidth: 1.6 },
    encoding: { x, y: { field: o.y, type: 'quantitative', title: o.yTitle, scale: { zero: o.yZero === true } }, ...series },
  } as unknown as TopLevelSpec, o.caption);
}

/** Points against the y = x diagonal (predicted vs measured): a point off the line is a miss. */
export function diagonalScatter(title: string, o: { rows: Row[]; x: string; y: string; xTitle: string; yTitle: string; caption?: string }): Promise<string> {
  const hi = Math.max(1, ...o.rows.flatMap((r) => [Number(r[o.x]), Number(r[o.y])]).filter(Number.isFinite)) * 1.05;
  const rows = o.rows.map((r) => ({ ...r, hit: r[o.x] === r[o.y] ? 'exact' : 'off by some cycles' }));
  const scale = { domain: [0, hi], nice: false };
  return plot(title, {
    width: 320, height: 320,
    layer: [
      { data: { values: [{ a: 0 }, { a: hi }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 3] }, encoding: { x: { field: 'a', type: 'quantitative', scale, title: o.xTitle }, y: { field: 'a', type: 'quantitative', scale, title: o.yTitle } } },
      { data: { values: rows }, mark: { type: 'point', filled: true, opacity: 0.7 }, encoding: { x: { field: o.x, type: 'quantitative', scale }, y: { field: o.y, type: 'quantitative', scale }, color: { field: 'hit', type: 'nominal', title: null, scale: { domain: ['exact', 'off by some cycles'], range: [PALETTE[0], PALETTE[1]] } } } },
    ],
  } as unknown as TopLevelSpec, o.caption);
}
