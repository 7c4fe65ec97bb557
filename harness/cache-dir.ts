// Where mpsa's caches live: one root for all of them, $MPSA_CACHE_DIR, else
// $XDG_CACHE_HOME/mpsa, else ~/.cache/mpsa, with one folder per cache:
//   <root>/verilator/<key>/   built models (harness/build.ts)
//   <root>/emu/<key>/         the emulation library (train/emu/build.ts)
//   <root>/synth/<key>/       synthesis results (synth/cache.ts)
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The root of every mpsa cache. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MPSA_CACHE_DIR) return resolve(env.MPSA_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'mpsa');
}

/** Where built models live: `<root>/verilator`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'verilator');
}
