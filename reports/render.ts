// index.html of a night: one self-contained page (inline CSS and SVG, no external resource, no
// server) rendered from the night's summary and the kept history. Laid out for its readers: a
// summary first (red/green, new failures, headline figures against the previous full night) and
// a navigation bar, then hardware, cycles, throughput, accuracy, trends, and the tests and steps
// behind them. The sections are listed in SECTIONS (reports/sections.ts explains how to add one).
// Every string that came from a test or a tool goes through esc(); links are relative paths
// inside the night's folder.
import { esc } from './escape.ts';
import { link, notAvailable, section } from './html.ts';
import { groupOf } from './plan.ts';
import { bars } from './plot.ts';
import { accuracySection, benchSection, hardwareSection, modelSection, runHeadlines, table, trendsSection } from './render-sections.ts';
import { figure, type Headline, type PageSection, type RenderContext } from './sections.ts';
import type { FailureRow, NightSummary, StepRecord, TestsData } from './summary.ts';
import { verificationPage } from './verification.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}
main{max-width:1100px;margin:0 auto;padding:0 16px 40px}
header{max-width:1100px;margin:0 auto;padding:0 16px}
nav{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ddd;padding:6px 16px;display:flex;flex-wrap:wrap;gap:4px 14px;justify-content:center}
nav a{color:#225;text-decoration:none;font-weight:600}nav a:hover{text-decoration:underline}
h1{margin:18px 0 4px;font-size:24px}h2{border-bottom:2px solid #ddd;padding-bottom:3px;margin-top:32px;scroll-margin-top:40px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;max-width:100%}
.ok{color:#107010}.bad{color:#b00020;font-weight:bold}.dim{color:#777}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:bold;font-size:16px}
.verdict.green{background:#107010}.verdict.red{background:#b00020}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:bold;color:#fff}
.new{background:#b00020}.known{background:#8a6d00}.na{background:#fafafa;border:1px dashed #bbb;padding:8px 12px;color:#555}
.up{color:#107010}.down{color:#b00020}
code,pre{font:12px/1.4 ui-monospace,monospace;background:#f6f6f6;overflow-wrap:anywhere}pre{padding:6px;overflow:auto;max-height:300px;white-space:pre-wrap}
figure{margin:12px 0}figure svg{max-width:100%;height:auto}figcaption{font-size:12px;color:#555}
details>summary{cursor:pointer}`;

/**
 * Page-load facts for the browser test and the screenshot: plots drawn with a non-empty box,
 * plot labels that stick out of their plot (clipped), and the page's height at this width.
 */
const SCRIPT = `var plots=[...document.querySelectorAll('svg.plot')],clipped=0;` +
  `plots.forEach(function(s){var r=s.getBoundingClientRect();s.querySelectorAll('text').forEach(function(t){var b=t.getBoundingClientRect();if(b.width>0&&(b.left<r.left-1||b.right>r.right+1||b.top<r.top-1||b.bottom>r.bottom+1))clipped++})});` +
  `document.body.dataset.plotsRendered=String(plots.filter(function(s){var b=s.getBBox();return b.width>0&&b.height>0}).length);` +
  `document.body.dataset.clippedLabels=String(clipped);document.body.dataset.pageHeight=String(document.documentElement.scrollHeight);`;

const secs = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

/**
 * Steps left out by --only/--skip make a night partial (`nightly report --merge` leaves out every
 * step but the report): it is shown, never compared in the summary or the trends. Tests merged
 * from shards with every other step run (a CI matrix) make a full night.
 */
export function isFullNight(n: NightSummary): boolean {
  return !n.steps.some((s) => s.status === 'not run' && (s.note ?? '').startsWith('left out') && !['screenshot', 'waves'].includes(groupOf(s.name)) && s.name !== 'train-table');
}

function stepsTable(steps: StepRecord[]): string {
  const rows = steps.map((s) => {
    const cls = s.status === 'ok' ? 'ok' : s.status === 'not run' ? 'dim' : 'bad';
    return [esc(s.name), `<span class="${cls}">${esc(s.status)}</span>`, s.status === 'not run' ? '' : esc(secs(s.seconds)),
      `${s.command ? `<code>${esc(s.command)}</code>` : ''}${s.note ? `<div class="dim">${esc(s.note)}</div>` : ''}`, s.log ? link(s.log, s.log.split('/').pop() ?? s.log) : ''];
  });
  return table(['step', 'status', 'time', 'command / note', 'log'], rows, 'steps-table');
}

function failureRow(f: FailureRow): string {
  const badge = f.isNew ? '<span class="badge new">NEW</span>' : '<span class="badge known">known</span>';
  return `<tr class="failure ${f.isNew ? 'is-new' : 'is-known'}"><td>${badge}</td><td><b>${esc(f.name)}</b><div class="dim">${esc(f.file)}${f.line !== undefined ? `:${f.line}` : ''}</div></td>` +
    `<td>${esc(f.failure?.message ?? '')}<details><summary>full output</summary><pre>${esc(f.failure?.text ?? '')}</pre></details></td>` +
    `<td class="n">${f.seed !== undefined ? esc(f.seed) : ''}</td><td>${f.replay ? `<code>${esc(f.replay)}</code>` : ''}</td>` +
    `<td>${f.waves ? link(f.waves, 'waves (FST)') : '<span class="dim">none</span>'}</td></tr>`;
}

async function testsBody(t: TestsData): Promise<string> {
  const { totals } = t;
  const areas = new Map<string, [number, number, number]>();
  for (const s of t.suites) {
    const area = s.file.split('/')[0];
    const a = areas.get(area) ?? [0, 0, 0];
    areas.set(area, [a[0] + s.passed, a[1] + s.failed, a[2] + s.skipped]);
  }
  const chart = await bars('Tests per area', { rows: [...areas].flatMap(([area, [p, f, s]]) => [{ area, state: 'passed', v: p }, { area, state: 'failed', v: f }, { area, state: 'skipped', v: s }]), category: 'area', value: 'v', series: 'state', unit: 'tests', valueFormat: 'd', colors: { passed: '#109618', failed: '#b00020', skipped: '#999999' } });
  const newCount = t.failures.filter((f) => f.isNew).length;
  const head = `<p id="test-totals"><b>${totals.tests}</b> tests: <span class="ok">${totals.passed} passed</span>, ` +
    `<span class="${totals.failed ? 'bad' : 'ok'}">${totals.failed} failed</span> (${newCount} new), ${totals.skipped} skipped; ` +
    `${esc(secs(totals.seconds))} of test time. Regression seed ${t.regressionSeed !== undefined ? `<code>${esc(t.regressionSeed)}</code>` : 'unknown'}; ` +
    `compared with ${t.previousNight ? esc(t.previousNight) : 'no earlier night'}. JUnit: ${t.inputs.map((i) => link(i, i)).join(', ')}` +
    (t.duplicates.length ? `; <span class="bad">${t.duplicates.length} test(s) reported by more than one shard</span>` : '') + '</p>';
  const failures = t.failures.length === 0 ? '<p class="ok">No failures.</p>' :
    `<div class="scroll"><table id="failures"><tr><th></th><th>test</th><th>message</th><th>seed</th><th>replay</th><th>waves</th></tr>${t.failures.map(failureRow).join('')}</table></div>`;
  const fixed = t.fixed.length ? `<p>Fixed since ${esc(t.previousNight ?? 'the previous night')}:</p><ul>${t.fixed.map((id) => `<li>${esc(id)}</li>`).join('')}</ul>` : '';
  const bySuite = new Map<string, [string, string][]>();
  for (const [id, st] of Object.entries(t.states)) {
    const suite = t.suites.find((s) => id.startsWith(`${s.file} > `));
    const file = suite?.file ?? '';
    const list = bySuite.get(file) ?? [];
    list.push([id.slice(file.length + 3), st]);
    bySuite.set(file, list);
  }
  const suites = t.suites.map((s) => {
    const tests = (bySuite.get(s.file) ?? []).map(([name, st]) => `<li class="${st === 'failed' ? 'bad' : st === 'skipped' ? 'dim' : ''}">${esc(st)} — ${esc(name)}</li>`).join('');
    return `<tr><td><details><summary>${esc(s.file)}</summary><ul>${tests}</ul></details></td><td class="n">${s.tests}</td><td class="n ok">${s.passed}</td>` +
      `<td class="n ${s.failed ? 'bad' : ''}">${s.failed}</td><td class="n">${s.skipped}</td><td class="n">${esc(secs(s.seconds))}</td></tr>`;
  }).join('');
  return head + `<h3>Failures</h3>${failures}${fixed}` + chart +
    `<details><summary>Every suite (${t.suites.length} test files)</summary><div class="scroll"><table id="suites"><tr><th>suite (file)</th><th>tests</th><th>passed</th><th>failed</th><th>skipped</th><th>time</th></tr>${suites}</table></div></details>`;
}

const testsSection: PageSection = {
  id: 'tests', nav: 'Tests', title: 'Tests',
  render: async ({ night }) => (night.tests.available ? testsBody(night.tests.data) : notAvailable(night.tests.reason)),
  headlines: [
    { label: 'tests passed', value: (x) => (x.tests.available ? x.tests.data.totals.passed : undefined), better: 'up' },
    { label: 'tests failed', value: (x) => (x.tests.available ? x.tests.data.totals.failed : undefined), better: 'down' },
  ],
};

const stepsSection: PageSection = {
  id: 'steps', nav: 'Steps', title: 'Steps',
  render: async ({ night }) => stepsTable(night.steps),
  headlines: [{ label: 'night wall time (s)', value: (x) => x.wallSeconds, better: 'down', digits: 4 }],
};

/** The page's sections below the summary, in order. A new section module is added here. */
export const SECTIONS: PageSection[] = [hardwareSection, modelSection, benchSection, accuracySection, trendsSection, verificationPage, testsSection, stepsSection];

function change(h: Headline, now: number | undefined, before: number | undefined): string {
  if (now === undefined || before === undefined) return '';
  const d = now - before;
  if (d === 0) return '<span class="dim">same</span>';
  const good = h.better === 'up' ? d > 0 : d < 0;
  const rel = before !== 0 ? ` (${d > 0 ? '+' : ''}${((100 * d) / Math.abs(before)).toFixed(1)} %)` : '';
  return `<span class="${good ? 'up' : 'down'}">${d > 0 ? '+' : ''}${esc(Number(d.toPrecision(h.digits ?? 4)))}${rel}</span>`;
}

function summaryBody(ctx: RenderContext): string {
  const s = ctx.night;
  const failed = s.tests.available ? s.tests.data.totals.failed : undefined;
  const badSteps = s.steps.filter((x) => x.status === 'failed' || x.status === 'timeout');
  const green = failed === 0 && badSteps.length === 0;
  const testStep = s.steps.find((x) => x.name === 'tests');
  const verdict = failed === undefined ? (testStep && testStep.status !== 'ok' ? `tests ${testStep.status === 'timeout' ? 'timed out' : testStep.status}, no results` : 'tests not run') : green ? 'all green' : `${failed} failed test(s), ${badSteps.length} failed step(s)`;
  const parts = [`<p><span id="verdict" class="verdict ${green ? 'green' : 'red'}">${esc(verdict)}</span>${isFullNight(s) ? '' : ' <span class="dim">(a partial night: some steps were left out, so it is not compared in the trends)</span>'}</p>`];
  const fresh = s.tests.available ? s.tests.data.failures.filter((f) => f.isNew) : [];
  if (fresh.length) parts.push(`<p class="bad">${fresh.length} new failure(s):</p><ul id="new-failures">${fresh.slice(0, 10).map((f) => `<li><b>${esc(f.name)}</b> <span class="dim">${esc(f.file)}</span>${f.replay ? `<br><code>${esc(f.replay)}</code>` : ''}</li>`).join('')}${fresh.length > 10 ? `<li><a href="#failures">${fresh.length - 10} more</a></li>` : ''}</ul>`);
  if (badSteps.length) parts.push(`<p>Failed steps: ${badSteps.map((x) => `<b class="bad">${esc(x.name)}</b> <span class="dim">(${esc(x.note ?? x.status)})</span>${x.log ? ` ${link(x.log, 'log')}` : ''}`).join(', ')}</p>`);
  const prev = ctx.fullHistory.at(-1);
  const heads = [...SECTIONS.flatMap((x) => x.headlines ?? []), ...runHeadlines(s)];
  const rows = heads.map((h) => {
    const now = figure(h.value, s), before = prev ? figure(h.value, prev) : undefined;
    if (now === undefined && before === undefined) return undefined;
    const fmt = (v: number | undefined) => (v === undefined ? '<span class="dim">–</span>' : esc(Number(v.toPrecision(h.digits ?? 6)).toLocaleString('en-US')));
    return [esc(h.label), fmt(now), fmt(before), change(h, now, before)];
  }).filter((r): r is string[] => r !== undefined);
  parts.push(table(['figure', 'this night', prev ? `previous full night (${prev.date})` : 'previous full night (none kept)', 'change'], rows, 'headlines'));
  return parts.join('');
}

/** The whole page. `history` holds the earlier nights, oldest first. */
export async function renderNight(s: NightSummary, history: readonly NightSummary[]): Promise<string> {
  const ctx: RenderContext = { night: s, history, fullHistory: history.filter((h) => h.profile === s.profile && isFullNight(h)) };
  const meta = `profile <b>${esc(s.profile)}</b> · ${s.git ? `commit <code>${esc(s.git.commit.slice(0, 12))}</code>${s.git.dirty ? ' (modified tree)' : ''}` : 'commit unknown'} · ` +
    `${esc(secs(s.wallSeconds))} wall · ${s.host.cpus} CPUs, Node ${esc(s.host.node)} · started ${esc(s.startedAt)}`;
  const bodies = await Promise.all(SECTIONS.map(async (x) => `<section><h2 id="${esc(x.id)}">${esc(x.title)}</h2>${await x.render(ctx)}</section>`));
  const nav = `<nav><a href="#summary">Summary</a>${SECTIONS.map((x) => `<a href="#${esc(x.id)}">${esc(x.nav)}</a>`).join('')}</nav>`;
  const body = `<header><h1>mpsa nightly — ${esc(s.date)}</h1><p class="dim">${meta}</p></header>\n${nav}\n<main><section><h2 id="summary">Summary</h2>${summaryBody(ctx)}</section>\n${bodies.join('\n')}</main>`;
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>mpsa nightly ${esc(s.date)}</title><style>${CSS}</style></head><body>\n${body}\n<script>${SCRIPT}</script></body></html>\n`;
}

export { section };
