// Verilog sources + top + parameters → one shared object holding the Verilated
// model and the harness shim, cached by a hash of everything that goes into it.
//
//   <cache>/<key>/model.so    the model (unique --prefix V<key>, so any number
//                             of builds load side by side in one process)
//   <cache>/<key>/ports.json  the port list, from verilator --xml-only
//   <cache>/<key>/build.log   what Verilator and the compiler said
//   <cache>/<key>/manifest.json  sizes and checksums of model.so and ports.json
//
// A lock per key makes parallel test workers build each model once. An entry
// is checked against its manifest when first used in a process: a damaged one
// (a truncated model.so, an edited ports.json) is rebuilt, with a note saying so.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { entryProblem, removeDeadTemps, writeManifest } from './cache-entry.ts';
import { cacheDir } from './cache-dir.ts';
import { BuildError } from './errors.ts';
import { withLock } from './file-lock.ts';
import { type PortInfo, portsFromXml } from './ports.ts';
import { modelHeader } from './model-header.ts';
import { forceTableCpp, internalsConfig, type InternalsSelection } from './hier-build.ts';
import {
  NATIVE_DIR,
  compileFlags,
  execOrThrow,
  fastOpt,
  findToolchain,
  hashKey,
  parallel,
  runtimeObjects,
  type Toolchain,
} from './toolchain.ts';
import { parseXml } from './xml.ts';

/** What to build: the Verilog side of a testbench. */
export interface DesignSpec {
  /** Verilog/SystemVerilog source files. */
  sources: readonly string[];
  /** The top module's name. */
  top: string;
  /** Top-level parameter overrides (-G). Strings are passed as Verilog string literals. */
  parameters?: Readonly<Record<string, number | bigint | string>>;
  /** `include search folders. */
  includeDirs?: readonly string[];
  /** Extra Verilator flags (part of the cache key). */
  verilatorFlags?: readonly string[];
  /** Extra C++ sources linked into the .so (DPI, native loops); see native/mpsa_shim.h. */
  cxxSources?: readonly string[];
  /** Build with FST tracing so tests can record waves. @defaultValue false */
  waves?: boolean;
  /**
   * Verilator line and toggle coverage (--coverage-line --coverage-toggle): each model instance
   * writes its counts to $MPSA_COVERAGE_DIR/verilator-<pid>-<n>.dat when it is destroyed, for
   * `verilator_coverage` to merge. @defaultValue false
   */
  coverage?: boolean;
  /**
   * Signals inside the hierarchy, by path from the DUT (`hierarchy(dut).u_sub.sig`), with
   * Deposit / Force / Freeze / Release (harness/hierarchy.ts): a separate build. `true` opens
   * every signal (--public-flat-rw, every signal forceable: several times slower per eval);
   * `{ modules: ['mac_pe', 'os_array.b_q'] }` opens the signals of those modules only
   * ('module' or 'module.signal', * globs), and the rest of the model stays as fast as a
   * plain build. @defaultValue false
   */
  internals?: boolean | { readonly modules: readonly string[] };
}

export interface BuiltModel {
  readonly spec: DesignSpec;
  readonly key: string;
  readonly soPath: string;
  readonly ports: readonly PortInfo[];
}

const SHIM_FILES = ['mpsa_shim.cpp', 'mpsa_shim.h', 'mpsa_printf.h'];
/** Compiled into internals builds only (and part of their key only). */
const HIER_FILE = 'mpsa_hier.cpp';
/** Bumped when the internals build steps in this file change (part of those builds' key). */
const INTERNALS_BUILD = 'internals-5: --public-flat-rw on the netlist (and the model for true), public_flat_rw/forceable config, mpsa_force.cpp of live force controls';
const HDL_EXT = new Set(['.v', '.sv', '.vh', '.svh', '.vlt']);

function parameterFlags(params: DesignSpec['parameters']): string[] {
  return Object.entries(params ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`parameter name '${k}' is not a Verilog identifier`);
    return typeof v === 'string' ? `-G${k}="${v}"` : `-G${k}=${v.toString()}`;
  });
}

function verilatorArgs(spec: DesignSpec, prefix: string): string[] {
  return [
    '--top-module', spec.top,
    '--prefix', prefix,
    '--no-timing',
    '--assert',
    '-Wno-fatal',
    '-Wno-lint',
    '-Wno-style',
    ...(spec.includeDirs ?? []).map((d) => `-I${resolve(d)}`),
    ...parameterFlags(spec.parameters),
    ...(spec.coverage ? ['--coverage-line', '--coverage-toggle'] : []),
    ...(spec.verilatorFlags ?? []),
    ...spec.sources.map((s) => resolve(s)),
  ];
}

async function keyParts(spec: DesignSpec): Promise<(string | Buffer)[]> {
  const parts: (string | Buffer)[] = [JSON.stringify({ ...spec, parameters: parameterFlags(spec.parameters), sources: undefined, cxxSources: undefined, includeDirs: undefined })];
  for (const f of [...spec.sources, ...(spec.cxxSources ?? [])]) parts.push(basename(f), await readFile(f));
  for (const d of spec.includeDirs ?? []) {
    for (const f of (await readdir(d)).sort()) {
      if (HDL_EXT.has(extname(f))) parts.push(f, await readFile(join(d, f)));
    }
  }
  for (const f of SHIM_FILES) parts.push(await readFile(join(NATIVE_DIR, f)));
  if (spec.internals) parts.push(INTERNALS_BUILD, await readFile(join(NATIVE_DIR, HIER_FILE)), await readFile(new URL('./hier-build.ts', import.meta.url)));
  return parts;
}

async function compileModel(tc: Toolchain, spec: DesignSpec, key: string, tmp: string, root: string): Promise<PortInfo[]> {
  const prefix = `V${key}`;
  const waves = spec.waves ?? false;
  const obj = join(tmp, 'obj');
  const log: string[] = [];
  const args = verilatorArgs(spec, prefix);
  // With internals, the netlist keeps every signal (the forceable list is made from it).
  const xmlArgs = spec.internals ? ['--public-flat-rw', ...args] : args;
  log.push(await execOrThrow('verilator --xml-only', tc.verilator, ['--xml-only', '--xml-output', join(tmp, 'model.xml'), '--Mdir', obj, ...xmlArgs]));
  const xml = await parseXml(await readFile(join(tmp, 'model.xml'), 'utf8'));
  const ports = portsFromXml(xml);
  const internals: InternalsSelection | false = spec.internals === true ? true : spec.internals ? { modules: spec.internals.modules } : false;
  let ccArgs = args;
  if (internals) {
    const vlt = join(obj, 'mpsa_internals.vlt');
    await mkdir(obj, { recursive: true });
    await writeFile(vlt, internalsConfig(xml, spec.top, internals));
    ccArgs = [...(internals === true ? ['--public-flat-rw'] : []), vlt, ...args];
  }
  log.push(await execOrThrow('verilator --cc', tc.verilator, ['--cc', '--Mdir', obj, ...(waves ? ['--trace-fst'] : []), ...ccArgs]));
  await writeFile(join(obj, 'mpsa_model.h'), modelHeader(prefix, ports));
  if (internals) await writeFile(join(obj, 'mpsa_force.cpp'), await forceTableCpp(obj, prefix));
  const flags = [...compileFlags(tc, waves, spec.coverage ?? false), `-I${obj}`];
  const generated = (await readdir(obj)).filter((f) => f.endsWith('.cpp'));
  // Constructors and initial blocks (__Slow, __Syms) run once: no optimisation.
  const slow = (f: string) => f.includes('__Slow') || f.includes('__Syms') || f === 'mpsa_force.cpp';
  const units = [
    ...generated.map((f) => ({ src: join(obj, f), opt: slow(f) ? '-O0' : fastOpt() })),
    { src: join(NATIVE_DIR, 'mpsa_shim.cpp'), opt: '-O2' },
    ...(internals ? [{ src: join(NATIVE_DIR, HIER_FILE), opt: '-O1' }] : []),
    ...(spec.cxxSources ?? []).map((f) => ({ src: resolve(f), opt: '-O2' })),
  ];
  // Biggest first, so the long compiles overlap.
  const objects = await parallel(
    units.map((u, i) => async () => {
      const o = join(obj, `unit${i}.o`);
      log.push(await execOrThrow(`compiling ${basename(u.src)}`, tc.cxx, [...flags, u.opt, '-c', u.src, '-o', o]));
      return o;
    }),
  );
  const runtime = await runtimeObjects(tc, root, waves, spec.coverage ?? false);
  log.push(
    await execOrThrow('linking the model', tc.cxx, ['-shared', '-Wl,-Bsymbolic', '-o', join(tmp, 'model.so'), ...objects, ...runtime, '-lpthread', '-latomic', ...(waves ? ['-lz'] : [])]),
  );
  await writeFile(join(tmp, 'build.log'), log.join(''));
  await writeFile(join(tmp, 'ports.json'), JSON.stringify(ports, null, 2));
  await rm(obj, { recursive: true, force: true });
  writeManifest(tmp, ENTRY_FILES);
  return ports;
}

const ENTRY_FILES = ['model.so', 'ports.json'];

/** ports.json as written by compileModel; throws naming the file and what is wrong. */
function readPorts(file: string): PortInfo[] {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); delete its folder to rebuild the model`);
  }
  const ok = (p: unknown): p is PortInfo => {
    const q = p as Record<string, unknown>;
    return q !== null && typeof q === 'object' && typeof q.name === 'string' && ['input', 'output', 'inout'].includes(q.direction as string) &&
      Number.isInteger(q.width) && (q.width as number) > 0 && Number.isInteger(q.bytes) && (q.bytes as number) > 0;
  };
  if (!Array.isArray(v) || !v.every(ok)) throw new Error(`${file}: not a list of ports {name, direction, width, bytes}; delete its folder to rebuild the model`);
  return v;
}

/** How long the last build of a design took, per machine: <cache>/build-times.json {design: {seconds, at}}. */
function buildTimes(root: string): Record<string, { seconds: number; at: string }> {
  try {
    const v = JSON.parse(readFileSync(join(root, 'build-times.json'), 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, { seconds: number; at: string }>) : {};
  } catch {
    return {}; // none yet, or damaged: it only feeds a progress line, and is rewritten after the next build
  }
}
const lastBuild = (root: string, what: string) => { const t = buildTimes(root)[what]; return t && Number.isFinite(t.seconds) ? t : undefined; };
function recordBuild(root: string, what: string, seconds: number): void {
  const all = { ...buildTimes(root), [what]: { seconds, at: new Date().toISOString() } };
  const tmp = join(root, `build-times.json.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(all, null, 1) + '\n');
  renameSync(tmp, join(root, 'build-times.json'));
}

const inProcess = new Map<string, Promise<BuiltModel>>();

/**
 * Builds (or finds in the cache) the model for `spec`. Concurrent calls in one
 * process share one build; other processes wait on the key's lock.
 */
export function buildModel(spec: DesignSpec): Promise<BuiltModel> {
  if (spec.sources.length === 0) return Promise.reject(new Error(`design '${spec.top}' has no sources`));
  const memo = JSON.stringify(spec);
  let p = inProcess.get(memo);
  if (!p) {
    p = build(spec);
    inProcess.set(memo, p);
    p.catch(() => inProcess.delete(memo));
  }
  return p;
}

async function build(spec: DesignSpec): Promise<BuiltModel> {
  for (const f of spec.sources) if (!existsSync(f)) throw new BuildError(`design '${spec.top}': source ${f} not found`, '');
  const tc = await findToolchain();
  const key = hashKey(tc, await keyParts(spec));
  const root = cacheDir();
  const dir = join(root, key);
  const soPath = join(dir, 'model.so');
  const portsPath = join(dir, 'ports.json');
  for (const t of removeDeadTemps(root)) console.warn(`mpsa: removed ${join(root, t)}, left by a killed build`);
  const ready = async () => existsSync(join(dir, 'manifest.json'));
  const problem = existsSync(dir) ? entryProblem(dir, ENTRY_FILES) : undefined;
  if (problem) console.warn(`mpsa: the cached model of '${spec.top}' is damaged: ${problem}; rebuilding it`);
  if (problem || !(await ready())) {
    await mkdir(root, { recursive: true });
    await withLock(dir, async () => {
      if (await ready() && !entryProblem(dir, ENTRY_FILES)) return;
      const tmp = `${dir}.tmp-${process.pid}`;
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      const what = `${spec.top}${spec.waves ? ' (FST tracing)' : ''}`;
      const last = lastBuild(root, what);
      const t0 = performance.now();
      process.stderr.write(`mpsa: building the Verilator model of ${what}: not in the cache for these sources, parameters and flags; ${last ? `the last build of ${what} here took ${last.seconds} s` : `no build of ${what} here before (a model takes 5 s to a few minutes)`} (cached in ${root} afterwards)\n`);
      try {
        await compileModel(tc, spec, key, tmp, root);
        const seconds = Math.round((performance.now() - t0) / 100) / 10;
        recordBuild(root, what, seconds);
        process.stderr.write(`mpsa: built the model of ${what} in ${seconds} s\n`);
        await rm(dir, { recursive: true, force: true });
        await rename(tmp, dir);
      } catch (e) {
        await rm(tmp, { recursive: true, force: true });
        if (e instanceof BuildError) throw new BuildError(`building design '${spec.top}' failed: ${e.message.split('\n')[0]}`, e.log);
        throw e;
      }
    }, { done: async () => !entryProblem(dir, ENTRY_FILES) });
  }
  return { spec, key, soPath, ports: readPorts(portsPath) };
}
