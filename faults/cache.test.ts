// Faults: damaged cache entries (issue 16, kind 3). Each case copies a good entry into a fresh
// MPSA_CACHE_DIR (<root>/verilator, <root>/emu, <root>/synth: one layout), damages it, and uses
// it from a fresh process: the damage must be named and the entry rebuilt (or, for a synthesis
// result under --cached-only, left out with the file named), never loaded.
// On the code before the fix: a truncated model.so or emu.so was loaded (a bus error or a dlopen
// failure in every later run), a bad result.json threw a JSON error without its path, and
// MPSA_CACHE_DIR meant <root> for emu and synth but the model folder itself for the harness.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { buildModel } from '../harness/build.ts';
import { cacheDir, cacheRoot } from '../harness/cache-dir.ts';
import { hang } from '../harness/fixtures/designs.ts';
import { emuLibrary } from '../train/emu/build.ts';
import { synthesize } from '../synth/flow.ts';
import type { Design } from '../synth/design.ts';
import { profile } from '../property-tests/support/seed.ts';
import { run, said } from './run.ts';

// Each rebuild compiles for 10–60 s: make test damages a model once; the nightly profile every way
// and the emulation library too.
const nightly = profile() === 'nightly';

const fresh = () => mkdtempSync(join(tmpdir(), 'mpsa-faults-cache-'));

describe('a built model', () => {
  /** A fresh cache root holding a copy of the hang fixture's entry and the Verilator runtime. */
  async function copiedModel(): Promise<{ root: string; entry: string }> {
    const built = await buildModel(hang);
    const from = dirname(built.soPath);
    const root = fresh();
    const models = join(root, 'verilator');
    mkdirSync(models);
    cpSync(from, join(models, basename(from)), { recursive: true });
    for (const r of readdirSync(cacheDir()).filter((n) => /^runtime-[^.]*$/.test(n))) cpSync(join(cacheDir(), r), join(models, r), { recursive: true });
    return { root, entry: join(models, basename(from)) };
  }

  const damages: [string, (entry: string) => void, RegExp][] = [
    ['a truncated model.so', (e) => truncateSync(join(e, 'model.so'), Math.floor(statSync(join(e, 'model.so')).size / 2)), /model\.so has \d+ bytes, \d+ when built/],
    ['a ports.json that is not JSON', (e) => writeFileSync(join(e, 'ports.json'), '[{"name": "clk_i",'), /ports\.json does not match its checksum|ports\.json has \d+ bytes/],
    ['a ports.json with a null port', (e) => writeFileSync(join(e, 'ports.json'), JSON.stringify([null, null, null, null])), /ports\.json (has|does not match)/],
    ['an entry without its manifest (killed between writes)', (e) => rmSync(join(e, 'manifest.json')), /manifest\.json is missing/],
  ];

  for (const [what, damage, said_] of nightly ? damages : damages.slice(0, 1)) {
    test(`${what} is named and rebuilt, and the model runs`, async () => {
      const { root, entry } = await copiedModel();
      damage(entry);
      const dead = join(dirname(entry), `${basename(entry)}.tmp-${2 ** 22 + 7}`);
      mkdirSync(dead);
      const r = await run('node', ['--import', 'tsx', 'faults/fixtures/cache-use.ts', 'model'], { env: { MPSA_CACHE_DIR: root }, limitMs: 240_000 });
      expect(r.code, said(r)).toBe(0);
      expect(r.stdout).toContain('count 3');
      expect(r.stderr).toMatch(/the cached model of 'hang' is damaged/);
      expect(r.stderr).toMatch(said_);
      expect(existsSync(dead), 'a killed build\'s temp folder is removed').toBe(false);
      rmSync(root, { recursive: true, force: true });
    }, 300_000);
  }
});

if (nightly) test('a truncated emulation library is named and rebuilt, and runs', async () => {
  const so = emuLibrary();
  const root = fresh();
  const entry = join(root, 'emu', basename(dirname(so)));
  cpSync(dirname(so), entry, { recursive: true });
  truncateSync(join(entry, 'emu.so'), 4096);
  const r = await run('node', ['--import', 'tsx', 'faults/fixtures/cache-use.ts', 'emu'], { env: { MPSA_CACHE_DIR: root }, limitMs: 120_000 });
  expect(r.code, said(r)).toBe(0);
  expect(r.stdout).toMatch(/params \d+/);
  expect(r.stderr).toMatch(/the cached emulation library is damaged: .*emu\.so has 4096 bytes/);
  rmSync(root, { recursive: true, force: true });
}, 150_000);

describe('a synthesis result', () => {
  const dffDesign: Design = {
    id: 'fault.dff', kind: 'pe', top: 'dff', params: { Width: 4 },
    sources: [fileURLToPath(new URL('../harness/fixtures/dff.v', import.meta.url))], includes: [fileURLToPath(new URL('../harness/fixtures/', import.meta.url))], macs: 1, stages: { latency: 0 },
    ports: [
      { name: 'clk_i', dir: 'input', width: 1 }, { name: 'rst_ni', dir: 'input', width: 1 }, { name: 'd_i', dir: 'input', width: 4 },
      { name: 'q_o', dir: 'output', width: 4 }, { name: 'comb_o', dir: 'output', width: 4 },
    ],
  };
  const cases: [string, string][] = [['not JSON', '{"design": "fault.dff", "reso'], ['null', 'null'], ['"resources": null', 'RESOURCES_NULL'], ['"fmax": {}', 'FMAX_EMPTY']];
  test.each(cases)('a result.json that is %s is named; the job runs again, or is left out under --cached-only', async (_what, text) => {
    const root = fresh();
    const good = await synthesize(dffDesign, 'ice40', { cacheDir: root });
    const file = join(root, good.key, 'result.json');
    const body = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, text === 'RESOURCES_NULL' ? JSON.stringify({ ...body, resources: null }) : text === 'FMAX_EMPTY' ? JSON.stringify({ ...body, fmax: {} }) : text);
    const errs: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => { errs.push(String(s)); return true; }) as typeof process.stderr.write;
    try {
      expect(await synthesize(dffDesign, 'ice40', { cacheDir: root, cachedOnly: true })).toBeNull();
      const again = await synthesize(dffDesign, 'ice40', { cacheDir: root });
      expect(again.cached).toBe(false);
      expect(again.resources).toEqual(good.resources);
    } finally {
      process.stderr.write = write;
    }
    expect(errs.join('')).toContain(`the cached result ${file} is damaged`);
    expect(errs.join('')).toContain('left out (run without --cached-only');
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  test('a killed job\'s work folder is removed by the next job; a failed job\'s is kept', async () => {
    const root = fresh();
    const dead = 2 ** 22 + 9;
    mkdirSync(join(root, `tmp-0123abcd-${dead}-x1`));
    mkdirSync(join(root, `tmp-0123abcd-${dead}-x2`));
    writeFileSync(join(root, `tmp-0123abcd-${dead}-x2`, 'FAILED'), 'yosys failed\n');
    await synthesize(dffDesign, 'ice40', { cacheDir: root });
    expect(readdirSync(root).filter((n) => n.startsWith('tmp-'))).toEqual([`tmp-0123abcd-${dead}-x2`]);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);
});

test('MPSA_CACHE_DIR is the root of every cache', () => {
  expect(cacheRoot({ MPSA_CACHE_DIR: '/c' })).toBe('/c');
  expect(cacheDir({ MPSA_CACHE_DIR: '/c' })).toBe('/c/verilator');
});
