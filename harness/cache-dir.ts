// Where built models live: $MPSA_CACHE_DIR, else $XDG_CACHE_HOME/mpsa/verilator,
// else ~/.cache/mpsa/verilator. One folder per build key; see harness/build.ts.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MPSA_CACHE_DIR) return resolve(env.MPSA_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(base, 'mpsa', 'verilator');
}
