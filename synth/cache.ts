// The synthesis cache: one folder per result, named by a hash of everything that decides the
// result — RTL text (sources and include files), top and parameters, target and flow options,
// the tool versions and the scripts themselves. Change any of them and the key changes.
//
//   <root>/synth/<key>/result.json   <root> = $MPSA_CACHE_DIR, else $XDG_CACHE_HOME/mpsa,
//   <root>/synth/<key>/*.log, *.ys             else ~/.cache/mpsa
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/** `<root>/synth`, the root chosen as train/emu's cache is. */
export function synthCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.MPSA_CACHE_DIR ? resolve(env.MPSA_CACHE_DIR) : join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'mpsa');
  return join(root, 'synth');
}

export interface KeyParts {
  /** Source files and include-folder headers: name → text. */
  files: Record<string, string>;
  top: string;
  params: Record<string, number>;
  target: string;
  /** Tool name → version line. */
  tools: Record<string, string>;
  /** Every script the flow runs, with machine-specific paths already replaced. */
  scripts: string[];
  /** Anything else that changes the result (part, seed, options). */
  options: Record<string, unknown>;
}

/** Canonical JSON: object keys sorted at every level, so key order never changes a hash. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The cache key: sha256 of the canonical JSON of the parts, 32 hex digits. */
export function cacheKey(parts: KeyParts): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex').slice(0, 32);
}

/** The RTL text a design depends on: its sources and every header of its include folders, by base name. */
export function rtlFiles(sources: readonly string[], includes: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const s of sources) files[basename(s)] = readFileSync(s, 'utf8');
  for (const dir of includes) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.vh')) files[f] = readFileSync(join(dir, f), 'utf8');
  }
  return files;
}
