// Pure parsers of what the night's steps print or write: `mpsa model validate`, the bench JSON
// lines, `mpsa synth --json`, training run JSON and the accuracy table. Each throws with the
// reason when its input has nothing usable, and the night shows that reason instead of data.
import type { AccuracyTable, EmuBench, GemmBench, GoldenBench, HarnessBench, ModelCase, ModelData, SynthRow, TrainingRun } from './summary.ts';

/** Every line of `text` that is a JSON object (bench scripts may print other lines too). */
export function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    const s = line.trim();
    if (!s.startsWith('{')) continue;
    try {
      const v = JSON.parse(s) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // a progress line that happens to start with '{': not data
    }
  }
  return out;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function rowsWith<T>(text: string, keys: string[], what: string): T[] {
  const rows = jsonLines(text).filter((r) => keys.every((k) => r[k] !== undefined));
  if (rows.length === 0) throw new Error(`${what}: no JSON line with ${keys.join(', ')} in its output`);
  return rows as T[];
}

/** `mpsa model validate --json`: the summary line on stdout, the per-case lines on stderr. */
export function parseModelValidate(stdout: string, stderr: string): ModelData {
  const summary = jsonLines(stdout).find((r) => isNum(r.cases) && isNum(r.exact));
  if (!summary) throw new Error('model validate: no {"cases","exact","max_error_cycles"} line on stdout');
  const perCase: ModelCase[] = [];
  const re = /\[(\d+)\/\d+\] (\S+)(?: \[pipeline \d+\+\d+\])? (\d+x\d+x\d+)( stalled)?: measured (\d+), model (\d+)/g;
  for (const m of stderr.matchAll(re)) perCase.push({ config: m[2], shape: m[3], stalled: m[4] !== undefined, measured: Number(m[5]), predicted: Number(m[6]) });
  return { cases: summary.cases as number, exact: summary.exact as number, maxErrorCycles: isNum(summary.max_error_cycles) ? summary.max_error_cycles : 0, perCase };
}

export const parseHarnessBench = (text: string): HarnessBench => rowsWith<HarnessBench>(text, ['per_cycle_hz', 'bulk_hz', 'native_hz'], 'bench:harness')[0];
export const parseEmuBench = (text: string): EmuBench[] => rowsWith<EmuBench>(text, ['arith', 'mode', 'threads', 'gmacs'], 'bench:emu');
export const parseGemmBench = (text: string): GemmBench[] => rowsWith<GemmBench>(text, ['config', 'rtl_macs', 'golden_macs'], 'bench:gemm');
export const parseGoldenBench = (text: string): GoldenBench[] => rowsWith<GoldenBench>(text, ['bench'], 'bench:golden');

/** `mpsa synth … --json`: one SynthResult per line (docs/synth.md). */
export function parseSynthLines(text: string): SynthRow[] {
  const rows: SynthRow[] = [];
  for (const r of jsonLines(text)) {
    const res = r.resources as Record<string, unknown> | undefined;
    const fmax = r.fmax as { mhz?: unknown; method?: unknown; kind?: unknown } | undefined;
    if (typeof r.design !== 'string' || typeof r.target !== 'string' || !res) continue;
    // A night runs the PEs, then whole arrays (whose runs list their PEs again): first one wins.
    if (rows.some((x) => x.design === r.design && x.target === r.target)) continue;
    const fit = r.fit as SynthRow['fit'] | undefined;
    const util = r.utilisation as SynthRow['utilisation'] | undefined;
    rows.push({
      ...(isNum(r.macs) ? { macs: r.macs } : {}),
      ...(fmax?.kind === 'routed' || fmax?.kind === 'logic-only' ? { fmaxKind: fmax.kind } : {}),
      ...(fit && typeof fit.part === 'string' ? { fit } : {}),
      ...(util && typeof util === 'object' ? { utilisation: util } : {}),
      design: r.design,
      config: r.design.replace(/\.pe$/, ''),
      kind: typeof r.kind === 'string' ? r.kind : '',
      target: r.target,
      lut: isNum(res.lut) ? res.lut : 0,
      ff: isNum(res.ff) ? res.ff : 0,
      dsp: isNum(res.dsp) ? res.dsp : 0,
      bram: isNum(res.bram) ? res.bram : 0,
      fmaxMhz: isNum(fmax?.mhz) ? fmax.mhz : null,
      fmaxNote: typeof fmax?.method === 'string' ? fmax.method : '',
      seconds: isNum(r.seconds) ? r.seconds : 0,
    });
  }
  if (rows.length === 0) throw new Error('synth: no result lines (one JSON object with design, target and resources per line) on stdout');
  return rows;
}

/** A run JSON of `mpsa train --out FILE`. */
export function parseTrainingRun(json: string, label: string): TrainingRun {
  const r = JSON.parse(json) as Record<string, unknown>;
  const nums = (v: unknown) => (Array.isArray(v) && v.every(isNum) ? (v as number[]) : undefined);
  const loss = nums(r.loss);
  const testAccuracy = nums(r.testAccuracy);
  if (!loss || !testAccuracy) throw new Error(`${label}: run JSON without numeric loss[] and testAccuracy[]`);
  const run: TrainingRun = {
    label,
    model: String(r.model ?? ''),
    arith: String(r.arith ?? ''),
    backend: String(r.backend ?? ''),
    steps: isNum(r.steps) ? r.steps : loss.length,
    loss,
    testAccuracy,
    wallSeconds: isNum(r.wallSeconds) ? r.wallSeconds : 0,
  };
  if (typeof r.hash === 'string') run.hash = r.hash;
  return run;
}

/** reports/out/accuracy.json: an array of row objects, or an object holding one under `rows`. */
export function parseAccuracyTable(json: string, source: string): AccuracyTable {
  const v = JSON.parse(json) as unknown;
  const rows = Array.isArray(v) ? v : v && typeof v === 'object' && Array.isArray((v as { rows?: unknown }).rows) ? (v as { rows: unknown[] }).rows : undefined;
  if (!rows || !rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) throw new Error(`${source}: expected an array of rows (or {rows: [...]})`);
  return { source, rows: rows as Record<string, unknown>[] };
}
