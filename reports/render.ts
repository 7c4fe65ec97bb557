// index.html of a night: one self-contained page (inline CSS and SVG, no external resource, no
// server) rendered from the night's summary and the kept history. Every string that came from a
// test or a tool goes through esc(); links are only relative paths inside the night's folder.
import { esc } from './escape.ts';
import { link, section } from './html.ts';
import { benchSection, modelSection, synthSection, trainingSection, trendsSection } from './render-sections.ts';
import type { FailureRow, NightSummary, StepRecord, TestsData } from './summary.ts';
import { barChart } from './svg.ts';
import { verificationSection } from './verification.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 40px;color:#222}
h1{margin:18px 0 4px}h2{border-bottom:2px solid #ddd;padding-bottom:3px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#107010}.bad{color:#b00020;font-weight:bold}.dim{color:#777}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:bold;color:#fff}
.new{background:#b00020}.known{background:#8a6d00}.na{background:#fafafa;border:1px dashed #bbb;padding:8px 12px;color:#555}
code,pre{font:12px/1.4 ui-monospace,monospace;background:#f6f6f6}pre{padding:6px;overflow:auto;max-height:300px;white-space:pre-wrap}
figure{margin:12px 0}.legend{font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
details>summary{cursor:pointer}`;

/** A page-load check for the browser test: how many plots have a non-empty drawn box. */
const SCRIPT = `document.body.dataset.plotsRendered=String([...document.querySelectorAll('svg.plot')].filter(function(s){var b=s.getBBox();return b.width>0&&b.height>0}).length);`;

const secs = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);

function stepsTable(steps: StepRecord[]): string {
  const rows = steps.map((s) => {
    const cls = s.status === 'ok' ? 'ok' : s.status === 'not run' ? 'dim' : 'bad';
    return `<tr><td>${esc(s.name)}</td><td class="${cls}">${esc(s.status)}</td><td class="n">${s.status === 'not run' ? '' : esc(secs(s.seconds))}</td>` +
      `<td>${s.command ? `<code>${esc(s.command)}</code>` : ''}${s.note ? `<div class="dim">${esc(s.note)}</div>` : ''}</td><td>${s.log ? link(s.log, s.log.split('/').pop() ?? s.log) : ''}</td></tr>`;
  });
  return `<table><tr><th>step</th><th>status</th><th>time</th><th>command / note</th><th></th></tr>${rows.join('')}</table>`;
}

function failureRow(f: FailureRow): string {
  const badge = f.isNew ? '<span class="badge new">NEW</span>' : '<span class="badge known">known</span>';
  return `<tr class="failure ${f.isNew ? 'is-new' : 'is-known'}"><td>${badge}</td><td><b>${esc(f.name)}</b><div class="dim">${esc(f.file)}${f.line !== undefined ? `:${f.line}` : ''}</div></td>` +
    `<td>${esc(f.failure?.message ?? '')}<details><summary>full output</summary><pre>${esc(f.failure?.text ?? '')}</pre></details></td>` +
    `<td class="n">${f.seed !== undefined ? esc(f.seed) : ''}</td><td>${f.replay ? `<code>${esc(f.replay)}</code>` : ''}</td>` +
    `<td>${f.waves ? link(f.waves, 'waves (FST)') : '<span class="dim">none</span>'}</td></tr>`;
}

function testsBody(t: TestsData): string {
  const { totals } = t;
  const areas = new Map<string, [number, number, number]>();
  for (const s of t.suites) {
    const area = s.file.split('/')[0];
    const a = areas.get(area) ?? [0, 0, 0];
    areas.set(area, [a[0] + s.passed, a[1] + s.failed, a[2] + s.skipped]);
  }
  const cats = [...areas.keys()];
  const chart = barChart({ title: 'Tests per area', categories: cats, unit: 'tests', series: [
    { name: 'passed', values: cats.map((c) => areas.get(c)![0]) },
    { name: 'failed', values: cats.map((c) => areas.get(c)![1]) },
    { name: 'skipped', values: cats.map((c) => areas.get(c)![2]) },
  ] });
  const newCount = t.failures.filter((f) => f.isNew).length;
  const head = `<p id="test-totals"><b>${totals.tests}</b> tests: <span class="ok">${totals.passed} passed</span>, ` +
    `<span class="${totals.failed ? 'bad' : 'ok'}">${totals.failed} failed</span> (${newCount} new), ${totals.skipped} skipped; ` +
    `${esc(secs(totals.seconds))} of test time. Regression seed ${t.regressionSeed !== undefined ? `<code>${esc(t.regressionSeed)}</code>` : 'unknown'}; ` +
    `compared with ${t.previousNight ? esc(t.previousNight) : 'no earlier night'}. JUnit: ${t.inputs.map((i) => link(i, i)).join(', ')}` +
    (t.duplicates.length ? `; <span class="bad">${t.duplicates.length} test(s) reported by more than one shard</span>` : '') + '</p>';
  const failures = t.failures.length === 0 ? '<p class="ok">No failures.</p>' :
    `<table id="failures"><tr><th></th><th>test</th><th>message</th><th>seed</th><th>replay</th><th>waves</th></tr>${t.failures.map(failureRow).join('')}</table>`;
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
    const tests = (bySuite.get(s.file) ?? []).map(([n, st]) => `<li class="${st === 'failed' ? 'bad' : st === 'skipped' ? 'dim' : ''}">${esc(st)} — ${esc(n)}</li>`).join('');
    return `<tr><td><details><summary>${esc(s.file)}</summary><ul>${tests}</ul></details></td><td class="n">${s.tests}</td><td class="n ok">${s.passed}</td>` +
      `<td class="n ${s.failed ? 'bad' : ''}">${s.failed}</td><td class="n">${s.skipped}</td><td class="n">${esc(secs(s.seconds))}</td></tr>`;
  }).join('');
  return head + chart + `<h3>Failures</h3>${failures}${fixed}<h3>Suites</h3>` +
    `<table id="suites"><tr><th>suite (file)</th><th>tests</th><th>passed</th><th>failed</th><th>skipped</th><th>time</th></tr>${suites}</table>`;
}

/** The whole page. `history` holds the earlier nights, oldest first. */
export function renderNight(s: NightSummary, history: readonly NightSummary[]): string {
  const failed = s.tests.available ? s.tests.data.totals.failed : undefined;
  const badSteps = s.steps.filter((x) => x.status === 'failed' || x.status === 'timeout').length;
  const verdict = failed === undefined ? '<span class="bad">tests not run</span>' : failed === 0 && badSteps === 0 ? '<span class="ok">all green</span>' :
    `<span class="bad">${failed} failed test(s), ${badSteps} failed step(s)</span>`;
  const meta = `profile <b>${esc(s.profile)}</b> · ${s.git ? `commit <code>${esc(s.git.commit.slice(0, 12))}</code>${s.git.dirty ? ' (modified tree)' : ''}` : 'commit unknown'} · ` +
    `${esc(secs(s.wallSeconds))} wall · ${s.host.cpus} CPUs, Node ${esc(s.host.node)} · started ${esc(s.startedAt)}`;
  const body = [
    `<h1>mpsa nightly — ${esc(s.date)}</h1><p>${verdict}</p><p class="dim">${meta}</p>`,
    `<h2 id="steps">Steps</h2>${stepsTable(s.steps)}`,
    `<h2 id="tests">Tests</h2>${section(s.tests, testsBody)}`,
    `<h2 id="verification">Verification: seed, coverage, mutants</h2>${verificationSection(s.verification, [...history, s])}`,
    `<h2 id="synth">Synthesis: resources and Fmax per configuration</h2>${synthSection(s.synth)}`,
    `<h2 id="model">Latency model: predicted vs measured cycles</h2>${modelSection(s.model)}`,
    `<h2 id="bench">Simulation and emulation throughput</h2>${benchSection(s.bench)}`,
    `<h2 id="training">Training</h2>${trainingSection(s.training)}`,
    `<h2 id="trends">Trends over the kept nights</h2>${trendsSection([...history, s])}`,
  ].join('\n');
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>mpsa nightly ${esc(s.date)}</title><style>${CSS}</style></head><body>\n${body}\n<script>${SCRIPT}</script></body></html>\n`;
}
