// Verilator and the C++ compiler as the build sees them: versions, include
// paths, the flags every object is compiled with, and the Verilator runtime
// objects (verilated.o, …) compiled once per toolchain and cached beside the
// models. Everything that shells out for a build goes through `exec` here.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildError } from './errors.ts';
import { entryProblem, writeManifest } from './cache-entry.ts';
import { withLock } from './file-lock.ts';
import { cachedProbe } from './toolchain-cache.ts';

/** Folder of the shim sources (mpsa_shim.cpp, mpsa_shim.h, mpsa_printf.h). */
export const NATIVE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'native');

export interface ExecResult {
  code: number;
  /** stdout and stderr interleaved. */
  log: string;
}

/** Runs a program, collecting its output; never throws for a non-zero exit. */
export function exec(cmd: string, args: readonly string[], cwd?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (e) => reject(new BuildError(`cannot run ${cmd}: ${e.message} (is it installed? see make setup)`, '')));
    child.on('close', (code) => resolve({ code: code ?? 1, log: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Runs `cmd`; a non-zero exit becomes a BuildError carrying the log. */
export async function execOrThrow(what: string, cmd: string, args: readonly string[], cwd?: string): Promise<string> {
  const r = await exec(cmd, args, cwd);
  if (r.code !== 0) throw new BuildError(`${what} failed (exit ${r.code}): ${cmd} ${args.join(' ')}`, r.log);
  return r.log;
}

/** Runs jobs with at most `limit` at a time; the first failure rejects. */
export async function parallel<T>(jobs: (() => Promise<T>)[], limit = availableParallelism()): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

export interface Toolchain {
  verilator: string;
  /** `verilator --version`, part of every cache key. */
  verilatorVersion: string;
  /** $VERILATOR_ROOT/include. */
  include: string;
  cxx: string;
  cxxVersion: string;
}

let toolchain: Promise<Toolchain> | undefined;

/** Finds Verilator and the compiler (VERILATOR and CXX override the names). */
export function findToolchain(): Promise<Toolchain> {
  const verilator = process.env.VERILATOR ?? 'verilator';
  const cxx = process.env.CXX ?? 'g++';
  toolchain ??= cachedProbe(verilator, cxx, async () => {
    const verilatorVersion = (await execOrThrow('verilator --version', verilator, ['--version'])).trim();
    const root = (await execOrThrow('verilator --getenv', verilator, ['--getenv', 'VERILATOR_ROOT'])).trim();
    const cxxVersion = (await execOrThrow(`${cxx} --version`, cxx, ['--version'])).split('\n')[0] ?? '';
    return { verilator, verilatorVersion, include: join(root, 'include'), cxx, cxxVersion };
  }, (x) => typeof x === 'object' && x !== null && ['verilator', 'verilatorVersion', 'include', 'cxx', 'cxxVersion'].every((k) => typeof (x as Record<string, unknown>)[k] === 'string'));
  return toolchain;
}

/**
 * Flags for every object of a model .so. Hidden visibility and -Bsymbolic (at
 * link) keep each .so's Verilator runtime to itself, so two models (two
 * parameterizations of one module) live in one process. VL_USER_* replace the
 * runtime's exit/abort on $finish/$stop/fatal errors with the shim's handlers.
 */
export function compileFlags(tc: Toolchain, waves: boolean, coverage = false): string[] {
  return [
    '-std=gnu++17',
    '-fPIC',
    '-fvisibility=hidden',
    '-fvisibility-inlines-hidden',
    '-faligned-new',
    '-fcf-protection=none',
    '-w',
    `-I${tc.include}`,
    `-I${join(tc.include, 'vltstd')}`,
    `-I${NATIVE_DIR}`,
    '-include',
    join(NATIVE_DIR, 'mpsa_printf.h'),
    '-DVL_PRINTF=mpsa_vl_printf',
    '-DVL_USER_FINISH',
    '-DVL_USER_STOP',
    '-DVL_USER_FATAL',
    `-DVM_COVERAGE=${coverage ? 1 : 0}`,
    '-DVM_SC=0',
    `-DVM_TRACE=${waves ? 1 : 0}`,
    `-DVM_TRACE_FST=${waves ? 1 : 0}`,
    '-DVM_TRACE_VCD=0',
  ];
}

/**
 * Optimisation of the model's hot code. -O1 compiles about twice as fast as
 * -O2 on Verilated code and runs within a few percent of it (docs/harness.md,
 * "Build"); MPSA_CXX_OPT overrides it.
 */
export function fastOpt(): string {
  return process.env.MPSA_CXX_OPT ?? '-O2';
}

/** The cache key of anything built with this toolchain: versions plus `parts`. */
export function hashKey(tc: Toolchain, parts: readonly (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of [tc.verilatorVersion, tc.cxxVersion, tc.cxx, fastOpt(), ...parts]) {
    h.update(p);
    h.update('\0');
  }
  return h.digest('hex').slice(0, 20);
}

/** Compiles Verilator runtime sources once into `dir` (locked, renamed into place). */
async function compileOnce(tc: Toolchain, dir: string, units: readonly string[], flags: readonly string[]): Promise<string[]> {
  const names = units.map((u) => `${u}.o`);
  const objects = names.map((n) => join(dir, n));
  const whole = () => !entryProblem(dir, names);
  if (existsSync(dir) && whole()) return objects;
  if (existsSync(dir)) console.warn(`mpsa: the cached Verilator runtime is damaged: ${entryProblem(dir, names)}; rebuilding it`);
  await mkdir(dirname(dir), { recursive: true });
  await withLock(dir, async () => {
    if (existsSync(dir) && whole()) return;
    const tmp = `${dir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    await parallel(
      units.map((u) => () =>
        execOrThrow(`compiling the Verilator runtime (${u}.cpp)`, tc.cxx, [...flags, '-c', join(tc.include, `${u}.cpp`), '-o', join(tmp, `${u}.o`)]),
      ),
    );
    writeManifest(tmp, names);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  }, { done: async () => existsSync(dir) && whole() });
  return objects;
}

/**
 * Verilator's runtime objects, compiled once per toolchain. The core does not
 * depend on tracing (VM_TRACE only sets a compatibility macro in verilated.h),
 * so traced and plain models share it; the FST writer is compiled only when a
 * traced model is first built, at -O1 (it is slow to compile and off the
 * per-cycle path).
 */
export async function runtimeObjects(tc: Toolchain, cacheRoot: string, waves: boolean, coverage = false): Promise<string[]> {
  const core = [...compileFlags(tc, false), '-O2'];
  let objects = await compileOnce(tc, join(cacheRoot, `runtime-${hashKey(tc, ['runtime', ...core])}`), ['verilated', 'verilated_threads'], core);
  if (coverage) {
    const cov = [...compileFlags(tc, false, true), '-O2'];
    objects = [...objects, ...(await compileOnce(tc, join(cacheRoot, `runtime-cov-${hashKey(tc, ['runtime-cov', ...cov])}`), ['verilated_cov'], cov))];
  }
  if (!waves) return objects;
  const fst = [...compileFlags(tc, true), '-O1'];
  return [...objects, ...(await compileOnce(tc, join(cacheRoot, `runtime-fst-${hashKey(tc, ['runtime-fst', ...fst])}`), ['verilated_fst_c'], fst))];
}
