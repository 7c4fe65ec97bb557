// Committed synthesis results (synth/results/<design>.json): the embedded default that `mpsa
// match`, the configurations table and the quick nightly start from on a fresh clone. One file per
// design (a configuration's PE or a cost-table PE kind), one result per target, each under the
// cache key of the job that made it (synth/cache.ts: RTL text, parameters, target, flow options,
// tool versions, scripts). A job looks in the synthesis cache first, then here; a committed result
// is used only when its key is the job's key, so a change of RTL, flow or tool version makes the
// job run again — a stale result is never trusted. `npx mpsa synth all --commit` rewrites the files
// from a run that re-synthesises only the jobs whose key changed (docs/synth.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../cli/fs-atomic.ts';
import type { SynthResult } from './flow.ts';

/** synth/results/, or $MPSA_SYNTH_COMMITTED (tests; an empty folder turns the defaults off). */
export function committedDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MPSA_SYNTH_COMMITTED ?? fileURLToPath(new URL('./results/', import.meta.url));
}

/** A design's file name: its id with anything but [A-Za-z0-9._-] replaced. */
export const committedFile = (design: string, dir = committedDir()) => join(dir, `${design.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);

interface CommittedFile { design: string; results: SynthResult[] }

/** The committed results of one design; a damaged file is named on stderr and treated as absent. */
export function readCommitted(design: string, dir = committedDir()): SynthResult[] {
  const f = committedFile(design, dir);
  if (!existsSync(f)) return [];
  try {
    const v = JSON.parse(readFileSync(f, 'utf8')) as CommittedFile;
    if (v?.design !== design || !Array.isArray(v.results)) throw new Error(`expected {design: "${design}", results: [...]}`);
    return v.results.filter((r) => r && typeof r.key === 'string' && typeof r.target === 'string' && r.resources && r.fmax);
  } catch (e) {
    process.stderr.write(`mpsa synth: the committed result ${f} is damaged (${(e as Error).message}); ignored\n`);
    return [];
  }
}

/** The committed result made under exactly this key, or undefined. */
export function committedResult(design: string, key: string, dir = committedDir()): SynthResult | undefined {
  return readCommitted(design, dir).find((r) => r.key === key);
}

/** What a committed result keeps: no machine-local paths (a bitstream stays in the cache). */
export function portable(r: SynthResult): SynthResult {
  const { bitstream: _b, ...rest } = r;
  return rest;
}

/**
 * Writes each design's results of a run into its committed file: the file's rows for other
 * targets stay, a row for the same target is replaced. Returns the files written.
 */
export function writeCommitted(results: readonly SynthResult[], dir = committedDir()): string[] {
  const byDesign = new Map<string, SynthResult[]>();
  for (const r of results) byDesign.set(r.design, [...(byDesign.get(r.design) ?? []), portable(r)]);
  const written: string[] = [];
  for (const [design, rows] of byDesign) {
    const keep = readCommitted(design, dir).filter((r) => !rows.some((x) => x.target === r.target));
    const all = [...keep, ...rows].sort((a, b) => a.target.localeCompare(b.target));
    const f = committedFile(design, dir);
    writeFileAtomic(f, JSON.stringify({ design, results: all }, null, 1) + '\n');
    written.push(f);
  }
  return written;
}

/** Every committed design id (for listings and the stale check). */
export function committedDesigns(dir = committedDir()): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
}
