// Static SVG plots written by hand: grouped horizontal bars, lines and a scatter with its
// diagonal. No plotting library, no script, no network: each returns one <figure> with an inline
// <svg class="plot"> that a browser draws from the file alone. Every label goes through esc().
import { esc } from './escape.ts';

export const PALETTE = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00'];
const W = 760;
const FONT = 12;

const fmt = (v: number): string => {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(2).replace('e+', 'e');
  return Number(v.toPrecision(4)).toLocaleString('en-US');
};

/** About `n` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function figure(title: string, width: number, height: number, body: string, legend: string[], caption?: string): string {
  const items = legend.map((name, i) => `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(name)}</span>`).join(' ');
  return `<figure class="plot-fig"><svg class="plot" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="${FONT}">` +
    `<text x="${width / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>${body}</svg>` +
    `<figcaption>${legend.length > 1 ? `<div class="legend">${items}</div>` : ''}${caption ? esc(caption) : ''}</figcaption></figure>`;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface BarSeries { name: string; values: (number | null)[] }

/** Horizontal grouped bars: one group per category, one bar per series; null = no bar ("n/a"). */
export function barChart(o: { title: string; categories: string[]; series: BarSeries[]; unit: string; log?: boolean; caption?: string }): string {
  const barH = 12, gap = 10;
  const labelChars = Math.min(46, Math.max(8, ...o.categories.map((c) => c.length)));
  const left = 10 + labelChars * 6.6, right = 70, top = 28;
  const groupH = o.series.length * barH + gap;
  const plotW = W - left - right;
  const height = top + o.categories.length * groupH + 34;
  const vals = o.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const log = o.log === true && vals.length > 0 && vals.every((v) => v > 0);
  const max = Math.max(0, ...vals);
  const minLog = log ? 10 ** Math.floor(Math.log10(Math.min(...vals))) : 0;
  const maxLog = log ? 10 ** Math.ceil(Math.log10(max)) : 0;
  const x = (v: number) => left + (log ? (Math.log10(v / minLog) / Math.log10(maxLog / minLog || 10)) * plotW : max > 0 ? (v / max) * plotW : 0);
  const parts: string[] = [];
  const tickVals = log ? Array.from({ length: Math.round(Math.log10(maxLog / minLog)) + 1 }, (_, i) => minLog * 10 ** i) : ticks(0, max);
  const bottom = top + o.categories.length * groupH;
  for (const t of tickVals) {
    const tx = x(t).toFixed(1);
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${top}" y2="${bottom}" stroke="#ddd"/><text x="${tx}" y="${bottom + 14}" text-anchor="middle" fill="#555">${esc(fmt(t))}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${bottom + 30}" text-anchor="middle" fill="#333">${esc(o.unit)}${log ? ' (log scale)' : ''}</text>`);
  o.categories.forEach((cat, ci) => {
    const gy = top + ci * groupH;
    parts.push(`<text x="${left - 6}" y="${gy + (o.series.length * barH) / 2 + 4}" text-anchor="end"><title>${esc(cat)}</title>${esc(clip(cat, labelChars))}</text>`);
    o.series.forEach((s, si) => {
      const v = s.values[ci];
      const y = gy + si * barH;
      if (v === null || v === undefined || !Number.isFinite(v)) {
        parts.push(`<text x="${left + 4}" y="${y + barH - 2}" fill="#999" font-size="10">n/a</text>`);
        return;
      }
      const w = Math.max(1, x(v) - left);
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${cat} — ${s.name}: ${fmt(v)} ${o.unit}`)}</title></rect>` +
        `<text x="${(left + w + 3).toFixed(1)}" y="${y + barH - 3}" font-size="10" fill="#333">${esc(fmt(v))}</text>`);
    });
  });
  return figure(o.title, W, height, parts.join(''), o.series.map((s) => s.name), o.caption);
}

export interface LineSeries { name: string; points: [number, number][] }

/** Lines over a numeric x axis; `xLabels` names integer x positions (dates of nights). */
export function lineChart(o: { title: string; series: LineSeries[]; xLabel: string; yLabel: string; xLabels?: string[]; yFromZero?: boolean; caption?: string }): string {
  const left = 70, right = 20, top = 28, plotH = 220, height = top + plotH + 46;
  const plotW = W - left - right;
  const pts = o.series.flatMap((s) => s.points).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pts.length === 0) return figure(o.title, W, 60, `<text x="${W / 2}" y="42" text-anchor="middle" fill="#777">no data</text>`, [], o.caption);
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [o.yFromZero ? Math.min(0, ...ys) : Math.min(...ys), Math.max(...ys)];
  if (x1 === x0) { x0 -= 1; x1 += 1; }
  if (y1 === y0) { const d = Math.abs(y0) * 0.1 || 1; y0 -= d; y1 += d; }
  const X = (v: number) => left + ((v - x0) / (x1 - x0)) * plotW;
  const Y = (v: number) => top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const parts: string[] = [`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#bbb"/>`];
  for (const t of ticks(y0, y1)) parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${Y(t).toFixed(1)}" y2="${Y(t).toFixed(1)}" stroke="#eee"/><text x="${left - 5}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(fmt(t))}</text>`);
  const xt = o.xLabels ? o.xLabels.map((_, i) => i).filter((i) => i >= x0 && i <= x1 && (o.xLabels!.length <= 8 || i % Math.ceil(o.xLabels!.length / 8) === 0)) : ticks(x0, x1, 6);
  for (const t of xt) parts.push(`<text x="${X(t).toFixed(1)}" y="${top + plotH + 15}" text-anchor="middle" fill="#555">${esc(o.xLabels ? o.xLabels[t] : fmt(t))}</text>`);
  parts.push(`<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length];
    const p = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (p.length > 1) parts.push(`<polyline fill="none" stroke="${c}" stroke-width="1.5" points="${p.map(([a, b]) => `${X(a).toFixed(1)},${Y(b).toFixed(1)}`).join(' ')}"><title>${esc(s.name)}</title></polyline>`);
    if (p.length <= 40) for (const [a, b] of p) parts.push(`<circle cx="${X(a).toFixed(1)}" cy="${Y(b).toFixed(1)}" r="3" fill="${c}"><title>${esc(`${s.name}: ${o.xLabels ? o.xLabels[a] ?? a : fmt(a)} → ${fmt(b)}`)}</title></circle>`);
  });
  return figure(o.title, W, height, parts.join(''), o.series.map((s) => s.name), o.caption);
}

/** Points against the y = x diagonal (predicted vs measured); a point off the line is a miss. */
export function scatterChart(o: { title: string; points: { x: number; y: number; label: string }[]; xLabel: string; yLabel: string; caption?: string }): string {
  const size = 300, left = 70, top = 28, width = left + size + 30, height = top + size + 46;
  const vals = o.points.flatMap((p) => [p.x, p.y]);
  const hi = Math.max(1, ...vals) * 1.05;
  const X = (v: number) => left + (v / hi) * size;
  const Y = (v: number) => top + size - (v / hi) * size;
  const parts: string[] = [`<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#bbb"/>`,
    `<line x1="${X(0)}" y1="${Y(0)}" x2="${X(hi)}" y2="${Y(hi)}" stroke="#999" stroke-dasharray="4 3"/>`];
  for (const t of ticks(0, hi, 4)) {
    parts.push(`<text x="${left - 5}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end" fill="#555">${esc(fmt(t))}</text>`,
      `<text x="${X(t).toFixed(1)}" y="${top + size + 15}" text-anchor="middle" fill="#555">${esc(fmt(t))}</text>`);
  }
  parts.push(`<text x="${left + size / 2}" y="${height - 8}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(14 ${top + size / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  for (const p of o.points) {
    const off = p.x !== p.y;
    parts.push(`<circle cx="${X(p.x).toFixed(1)}" cy="${Y(p.y).toFixed(1)}" r="${off ? 5 : 3.5}" fill="${off ? PALETTE[1] : PALETTE[0]}" fill-opacity="0.7"><title>${esc(`${p.label}: ${o.xLabel} ${p.x}, ${o.yLabel} ${p.y}`)}</title></circle>`);
  }
  return figure(o.title, width, height, parts.join(''), [], o.caption);
}
