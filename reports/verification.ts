// The verification part of a night (docs/nightly.md, "Verification"): the regression seed and
// where it came from, the regression-list cases the night added, functional coverage per unit
// with its holes and trend, and the mutation kill rate with the survivors. Kept apart from the
// rest of the report: reports/nightly.ts calls collect/step functions here, render.ts one
// section function, history.ts one reader.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { $ } from 'zx';
import type { RegressionCase } from '../property-tests/support/regressions.ts';
import { coverpoints, UNITS } from '../property-tests/support/coverage.ts';
import { esc } from './escape.ts';
import { notAvailable, section } from './html.ts';
import { missing, type NightSummary, type Section } from './summary.ts';
import { lines } from './plot.ts';
import type { PageSection } from './sections.ts';

export interface CoverageUnit {
  unit: string;
  /** Every coverpoint of the unit and how often the night's property runs reached it. */
  points: Record<string, number>;
  holes: string[];
}

/** Verilator line and toggle coverage of one RTL file, over every build and instance of the night. */
export interface RtlFileCoverage {
  file: string;
  lines: { covered: number; total: number; holes: number[] };
  toggles: { covered: number; total: number; holes: string[] };
}

export interface MutationData {
  seed: number;
  random: number;
  killRate: number;
  killed: number;
  survived: number;
  stillborn: number;
  survivors: { id: string; what: string }[];
  /** Random mutants at sites judged equivalent (not run, not in the rate), with why; absent in nights before 2026-12-07. */
  equivalent?: { id: string; why: string }[];
}

export interface VerificationData {
  seed: { value: number; from: 'date' | 'MPSA_SEED' };
  /** Failed property cases this night added to property-tests/regressions.json. */
  regressionsAdded: RegressionCase[];
  coverage: Section<CoverageUnit[]>;
  /** Verilator line/toggle coverage per RTL file (absent in nights before it was collected). */
  rtl?: Section<RtlFileCoverage[]>;
  mutation: Section<MutationData>;
}

/** Functional coverage of a night: the counts every test process wrote into `dir`, merged. */
export function mergeFunctionalCoverage(dir: string): CoverageUnit[] {
  if (!existsSync(dir)) throw new Error(`no coverage was written (${dir} does not exist): the property suites did not run with MPSA_COVERAGE_DIR`);
  const files = readdirSync(dir).filter((f) => /^functional-\d+\.json$/.test(f));
  if (files.length === 0) throw new Error(`no functional-*.json in ${dir}: no property suite counted a coverpoint`);
  const total = new Map<string, Map<string, number>>();
  for (const f of files) {
    let data: unknown;
    try { data = JSON.parse(readFileSync(join(dir, f), 'utf8')); } catch (e) { throw new Error(`${join(dir, f)}: not JSON (${(e as Error).message})`); }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${join(dir, f)}: not an object of units`);
    for (const [unit, pts] of Object.entries(data as Record<string, unknown>)) {
      if (pts === null || typeof pts !== 'object') throw new Error(`${join(dir, f)}: unit ${unit} is not an object of counts`);
      const m = total.get(unit) ?? new Map<string, number>();
      for (const [p, n] of Object.entries(pts as Record<string, unknown>)) {
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`${join(dir, f)}: ${unit} ${p} is not a count: ${JSON.stringify(n)}`);
        m.set(p, (m.get(p) ?? 0) + n);
      }
      total.set(unit, m);
    }
  }
  return UNITS.map((unit) => {
    const m = total.get(unit) ?? new Map<string, number>();
    const points = Object.fromEntries(coverpoints(unit).map((p) => [p, m.get(p) ?? 0]));
    return { unit, points, holes: Object.entries(points).filter(([, n]) => n === 0).map(([p]) => p) };
  });
}

/**
 * Verilator coverage.dat text (SystemC::Coverage-3) per RTL file: a source line is covered when
 * any of its line or branch points, in any build or instance, counted; a signal bit toggled when
 * any instance's toggle point did.
 */
export function parseCoverageDat(text: string): RtlFileCoverage[] {
  const lines = new Map<string, Map<number, boolean>>();
  const toggles = new Map<string, Map<string, boolean>>();
  for (const row of text.split('\n')) {
    const m = /^C '(.*)' (\d+)$/.exec(row);
    if (!m) continue;
    const key = new Map(m[1].split('\x01').filter(Boolean).map((kv) => kv.split('\x02') as [string, string]));
    const file = (key.get('f') ?? '').replace(/^.*\/rtl\//, 'rtl/');
    const page = key.get('page') ?? '';
    const hit = Number(m[2]) > 0;
    if (page.startsWith('v_toggle/')) {
      const t = toggles.get(file) ?? new Map<string, boolean>();
      const sig = key.get('o') ?? '?';
      t.set(sig, (t.get(sig) ?? false) || hit);
      toggles.set(file, t);
    } else if (page.startsWith('v_line/') || page.startsWith('v_branch/')) {
      const l = lines.get(file) ?? new Map<number, boolean>();
      const n = Number(key.get('l'));
      l.set(n, (l.get(n) ?? false) || hit);
      lines.set(file, l);
    }
  }
  const files = [...new Set([...lines.keys(), ...toggles.keys()])].sort();
  return files.map((file) => {
    const l = [...(lines.get(file) ?? new Map<number, boolean>())];
    const t = [...(toggles.get(file) ?? new Map<string, boolean>())];
    return {
      file,
      lines: { covered: l.filter(([, h]) => h).length, total: l.length, holes: l.filter(([, h]) => !h).map(([n]) => n).sort((a, b) => a - b) },
      toggles: { covered: t.filter(([, h]) => h).length, total: t.length, holes: t.filter(([, h]) => !h).map(([o]) => o).sort() },
    };
  });
}

/** Merges the night's verilator-*.dat with verilator_coverage (into coverage.dat) and reads it per file. */
export async function mergeRtlCoverage(dir: string): Promise<RtlFileCoverage[]> {
  const dats = existsSync(dir) ? readdirSync(dir).filter((f) => /^verilator-\d+-\d+\.dat$/.test(f)).sort() : [];
  if (dats.length === 0) throw new Error(`no verilator-*.dat in ${dir}: no coverage build of the RTL ran`);
  const out = join(dir, 'coverage.dat');
  const r = await $({ cwd: dir, nothrow: true, quiet: true })`verilator_coverage --write ${out} ${dats}`;
  if (r.exitCode !== 0) throw new Error(`verilator_coverage --write failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 400)}`);
  return parseCoverageDat(readFileSync(out, 'latin1'));
}

/** The coverage step's verdict: in the full profile a coverpoint never reached fails the night. */
export function coverageVerdict(units: CoverageUnit[], full: boolean): { ok: boolean; note: string } {
  const holes = units.flatMap((u) => u.holes.map((h) => `${u.unit} ${h}`));
  if (holes.length === 0) return { ok: true, note: 'every coverpoint reached' };
  return { ok: !full, note: `${holes.length} coverpoint(s) never reached${full ? ' (the full profile must reach every one)' : ''}: ${holes.join(', ')}` };
}

/** scripts/mutate.ts --out FILE, read back. */
export function parseMutation(text: string): MutationData {
  const v = JSON.parse(text) as { seed?: unknown; random?: unknown; killRate?: unknown; results?: unknown };
  if (typeof v.killRate !== 'number' || !Array.isArray(v.results) || typeof v.seed !== 'number') throw new Error('not the output of scripts/mutate.ts --out (seed, killRate, results)');
  const rs = v.results as { id: string; what: string; status: string; by?: string }[];
  const n = (s: string) => rs.filter((r) => r.status === s).length;
  return { seed: v.seed, random: Number(v.random ?? 0), killRate: v.killRate, killed: n('killed'), survived: n('survived'), stillborn: n('stillborn'),
    survivors: rs.filter((r) => r.status === 'survived').map((r) => ({ id: r.id, what: r.what })),
    equivalent: rs.filter((r) => r.status === 'equivalent').map((r) => ({ id: r.id, why: r.by ?? '' })) };
}

/** The verification part of a kept summary.json, or undefined when absent or damaged. */
export function verificationOf(raw: unknown): VerificationData | undefined {
  const v = raw as VerificationData | null | undefined;
  if (!v || typeof v !== 'object' || !v.seed || typeof v.seed.value !== 'number' || !v.coverage || !v.mutation) return undefined;
  const keep = <T>(s: Section<T>, ok: (d: T) => boolean): Section<T> =>
    (s.available ? (s.data && ok(s.data) ? s : missing('damaged in the kept summary.json')) : typeof s.reason === 'string' ? s : missing('damaged in the kept summary.json'));
  const cov = keep(v.coverage, (d) => Array.isArray(d) && d.every((u) => u && typeof u.unit === 'string' && u.points && typeof u.points === 'object' && Array.isArray(u.holes)));
  const mut = keep(v.mutation, (d) => typeof d.killRate === 'number' && Array.isArray(d.survivors));
  const rtl = v.rtl ? keep(v.rtl, (d) => Array.isArray(d)) : undefined;
  return { seed: v.seed, regressionsAdded: Array.isArray(v.regressionsAdded) ? v.regressionsAdded : [], coverage: cov, ...(rtl ? { rtl } : {}), mutation: mut };
}

const pct = (u: CoverageUnit) => {
  const n = Object.keys(u.points).length;
  return n ? (100 * (n - u.holes.length)) / n : 0;
};

function coverageBody(units: CoverageUnit[], trend: string): string {
  const rows = units.map((u) => `<tr><td>${esc(u.unit)}</td><td class="n">${Object.keys(u.points).length - u.holes.length} / ${Object.keys(u.points).length}</td>` +
    `<td class="n">${pct(u).toFixed(1)} %</td><td>${u.holes.length ? `<span class="bad">${u.holes.map(esc).join(', ')}</span>` : '<span class="ok">none</span>'}</td>` +
    `<td><details><summary>counts</summary><pre>${esc(Object.entries(u.points).map(([p, n]) => `${p.padEnd(34)} ${n}`).join('\n'))}</pre></details></td></tr>`).join('');
  return `<table id="coverage"><tr><th>unit</th><th>coverpoints reached</th><th></th><th>holes</th><th></th></tr>${rows}</table>${trend}`;
}

function rtlBody(files: RtlFileCoverage[]): string {
  const p = (c: { covered: number; total: number }) => (c.total ? `${((100 * c.covered) / c.total).toFixed(1)} %` : '—');
  const rows = files.map((f) => `<tr><td>${esc(f.file)}</td><td class="n">${f.lines.covered} / ${f.lines.total}</td><td class="n">${p(f.lines)}</td>` +
    `<td class="n">${f.toggles.covered} / ${f.toggles.total}</td><td class="n">${p(f.toggles)}</td>` +
    `<td>${f.lines.holes.length || f.toggles.holes.length ? `<details><summary>${f.lines.holes.length} line(s), ${f.toggles.holes.length} signal bit(s)</summary><pre>${esc(`lines never run: ${f.lines.holes.join(', ') || 'none'}\nbits never toggled: ${f.toggles.holes.join(', ') || 'none'}`)}</pre></details>` : '<span class="ok">none</span>'}</td></tr>`).join('');
  return `<table id="rtl-coverage"><tr><th>file</th><th>lines</th><th></th><th>toggle bits</th><th></th><th>holes</th></tr>${rows}</table><p class="dim">Merged file: coverage/coverage.dat (<code>verilator_coverage --annotate DIR coverage/coverage.dat</code> annotates the sources).</p>`;
}

function mutationBody(m: MutationData): string {
  const cls = m.killRate >= 0.98 ? 'ok' : 'bad';
  const eq = m.equivalent ?? [];
  return `<p id="mutation">Kill rate <b class="${cls}">${(100 * m.killRate).toFixed(1)} %</b>: ${m.killed} killed, ${m.survived} survived, ${m.stillborn} stillborn (did not build)` +
    `${eq.length ? `, ${eq.length} at sites judged equivalent (not run, not in the rate)` : ''} — ` +
    `the fixed list and ${m.random} random mutants drawn by seed <code>${m.seed}</code> (<code>npx tsx scripts/mutate.ts --random ${m.random} --seed ${m.seed}</code>).</p>` +
    (m.survivors.length ? `<table><tr><th>survivor</th><th>fault</th></tr>${m.survivors.map((s) => `<tr><td>${esc(s.id)}</td><td>${esc(s.what)}</td></tr>`).join('')}</table>` : '') +
    (eq.length ? `<table><tr><th>judged equivalent</th><th>why</th></tr>${eq.map((s) => `<tr><td>${esc(s.id)}</td><td>${esc(s.why)}</td></tr>`).join('')}</table>` : '');
}

/** Functional coverage per unit over `nights` (oldest first), when there are two or more. */
function coverageTrend(nights: readonly NightSummary[]): Promise<string> {
  const rows = nights.flatMap((x) => {
    const c = x.verification?.coverage;
    return c?.available ? c.data.filter((u) => (UNITS as readonly string[]).includes(u.unit)).map((u) => ({ night: x.date, unit: u.unit, pct: pct(u) })) : [];
  });
  if (nights.length < 2 || rows.length === 0) return Promise.resolve('');
  return lines('Functional coverage per unit', { rows, x: 'night', y: 'pct', series: 'unit', xTitle: 'night', yTitle: '% of coverpoints', ordinalX: true, yZero: true });
}

/** The page's verification section. `nights` holds the kept full nights and this one, oldest first. */
export async function verificationSection(v: VerificationData | undefined, nights: readonly NightSummary[]): Promise<string> {
  if (!v) return notAvailable('not recorded in this night');
  const trend = await coverageTrend(nights);
  const seed = `<p id="night-seed">Regression seed <code>${esc(v.seed.value)}</code> (${v.seed.from === 'date' ? 'from the night\'s date; replay with <code>npx mpsa nightly --date …</code> or' : 'from MPSA_SEED;'} ` +
    `<code>MPSA_SEED=${esc(v.seed.value)} npx vitest run</code>).</p>` +
    (v.regressionsAdded.length ? `<p class="bad">Added to the regression list (property-tests/regressions.json — commit it):</p><ul>${v.regressionsAdded.map((c) => `<li>${esc(c.test)} <code>{ seed: ${esc(c.seed)}, path: "${esc(c.path)}" }</code></li>`).join('')}</ul>` : '');
  return `${seed}<h3>Functional coverage</h3>${section(v.coverage, (d) => coverageBody(d, trend))}` +
    `<h3>RTL line and toggle coverage (Verilator, merged over the night's builds)</h3>${section(v.rtl ?? missing('not collected in this night'), rtlBody)}` +
    `<h3>Mutation testing</h3>${section(v.mutation, mutationBody)}`;
}

/** The page section (reports/sections.ts): seed, coverage and mutants, with the kill rate as a headline. */
export const verificationPage: PageSection = {
  id: 'verification', nav: 'Verification', title: 'Verification: seed, coverage, mutants',
  render: async ({ night, fullHistory }) => verificationSection(night.verification, [...fullHistory, night]),
  headlines: [{
    label: 'mutant kill rate (%)',
    value: (x) => (x.verification?.mutation.available ? 100 * x.verification.mutation.data.killRate : undefined),
    better: 'up', digits: 4,
  }],
};
