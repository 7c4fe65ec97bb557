// Builds native/emu.c into a shared object on first use, cached by a hash of everything that
// goes into it (source, compiler version, flags, platform):
//
//   <cache>/emu/<key>/emu.so      <cache> = $MPSA_CACHE_DIR, else $XDG_CACHE_HOME/mpsa,
//   <cache>/emu/<key>/build.log             else ~/.cache/mpsa
//   <cache>/emu/<key>/manifest.json         size and checksum of emu.so, checked on load
//
// Synchronous, so emuGemm can be too. Parallel processes (vitest workers) build once: a lock
// folder (atomic mkdir) serialises the compile, and the result appears by atomic rename.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryProblem, writeManifest } from '../../harness/cache-entry.ts';

export const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'native', 'emu.c');

/**
 * Portable code generation on purpose: no -march=native, so one cache entry is valid on any
 * machine of the architecture. -ffp-contract=off keeps the compiler from fusing x·y + z (TwoSum
 * and the exact products depend on every operation being rounded on its own).
 */
export const FLAGS = ['-O3', '-std=gnu11', '-fPIC', '-shared', '-pthread', '-ffp-contract=off', '-fno-fast-math', '-Wall', '-Wextra'];

/** A C compiler failure; `log` is what the compiler said. */
export class EmuBuildError extends Error {
  constructor(message: string, readonly log: string) {
    super(log ? `${message}\n${log}` : message);
    this.name = 'EmuBuildError';
  }
}

/** Root of mpsa's caches (harness/cache-dir.ts appends its own 'verilator' folder the same way). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MPSA_CACHE_DIR) return resolve(env.MPSA_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'mpsa');
}

/** The C compiler ($CC, else cc) and its identification line; a clear error when there is none. */
export function findCompiler(cc = process.env.CC ?? 'cc'): { cc: string; version: string } {
  const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new EmuBuildError(`emu: no C compiler: '${cc} --version' failed (${r.error?.message ?? `exit ${r.status}`}). Install gcc or clang, or set CC.`, r.stderr ?? '');
  }
  return { cc, version: r.stdout.split('\n')[0] ?? '' };
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Holds `<dir>.lock` (atomic mkdir) while fn runs; a lock older than `staleMs` is broken. */
function withLockSync<T>(dir: string, fn: () => T, ready: () => boolean, staleMs = 5 * 60_000): T | undefined {
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (ready()) return undefined;
    try {
      if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true });
    } catch { /* gone meanwhile */ }
    sleep(100);
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

let built: string | undefined;

/** Path of the kernel's shared object, compiling it if the cache has none. */
export function emuLibrary(): string {
  built ??= buildLibrary(SOURCE);
  return built;
}

/** Compiles `sourcePath` into <cache>/emu/<key>/emu.so unless that exists; returns its path. */
export function buildLibrary(sourcePath: string, cc?: string): string {
  const tc = findCompiler(cc);
  const source = readFileSync(sourcePath);
  const version = tc.version;
  const key = createHash('sha256').update(source).update(tc.cc).update(version).update(FLAGS.join(' ')).update(`${process.platform}-${process.arch}`).digest('hex').slice(0, 16);
  const dir = join(cacheRoot(), 'emu', key);
  const so = join(dir, 'emu.so');
  // A damaged library (truncated: a bus error on load) is rebuilt, never loaded (harness/cache-entry.ts).
  const whole = () => existsSync(so) && !entryProblem(dir, ['emu.so']);
  if (existsSync(so) && !whole()) process.stderr.write(`mpsa: the cached emulation library is damaged: ${entryProblem(dir, ['emu.so'])}; rebuilding it\n`);
  if (!whole()) {
    mkdirSync(dirname(dir), { recursive: true });
    withLockSync(dir, () => {
      if (whole()) return;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `emu.so.${process.pid}.tmp`);
      const args = [...FLAGS, '-o', tmp, sourcePath, '-lm'];
      const r = spawnSync(tc.cc, args, { encoding: 'utf8' });
      const log = `${tc.cc} ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`;
      writeFileSync(join(dir, 'build.log'), log);
      if (r.error || r.status !== 0) {
        rmSync(tmp, { force: true });
        throw new EmuBuildError(`emu: compiling ${sourcePath} failed (${r.error?.message ?? `exit ${r.status}`})`, log);
      }
      writeManifest(dir, [`emu.so.${process.pid}.tmp`], { [`emu.so.${process.pid}.tmp`]: 'emu.so' });
      renameSync(tmp, so);
    }, whole);
  }
  return so;
}
