// Faults of the nightly (issue 16, kind 4): a night killed at every point of publishing, damaged
// history summaries, and SIGTERM of a night whose step has started processes of its own.
// On the code before the fix: a kill between the two renames lost the only copy of the night
// (the next night removed the folder moved aside), a `null` in a kept summary crashed the next
// night after its steps ran, and SIGTERM exited before the step's process tree was signalled.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadHistory, previousTestedNight, testsData } from '../reports/history.ts';
import { removeStale } from '../reports/publish.ts';
import { renderNight } from '../reports/render.ts';
import { runNight } from '../reports/nightly.ts';
import { FIXTURES, fixtureNight, junitFixture } from '../reports/fixtures/night.ts';
import { run, said } from './run.ts';

const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'mpsa-faults-night-')); made.push(d); return d; };
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
const deadPid = () => spawnSync('true').pid!;
const nightOf = (root: string, d: string) => JSON.parse(readFileSync(join(root, d, 'summary.json'), 'utf8')) as { night: string };

describe('publishing killed at every point', () => {
  test('keeps a complete night and a working latest at each kill point', async () => {
    const points: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const root = tmp();
      mkdirSync(join(root, '2026-01-01'));
      writeFileSync(join(root, '2026-01-01', 'summary.json'), JSON.stringify({ night: 'old' }));
      symlinkSync('2026-01-01', join(root, 'latest'));
      const staging = join(root, `.night-2026-01-01-${deadPid()}`);
      mkdirSync(staging);
      writeFileSync(join(staging, 'summary.json'), JSON.stringify({ night: 'new' }));
      const r = await run('node', ['--import', 'tsx', 'faults/fixtures/publish-kill.ts', root, staging, '2026-01-01', String(n)], { limitMs: 60_000 });
      const killed = r.signal === 'SIGKILL';
      if (!killed) expect(r.code, said(r)).toBe(0);
      // What the next night does first.
      removeStale(root);
      const where = `killed before file-system change ${n}`;
      expect(existsSync(join(root, '2026-01-01', 'summary.json')), `${where}: the night is gone (${readdirSync(root).join(', ')})`).toBe(true);
      expect(['old', 'new']).toContain(nightOf(root, '2026-01-01').night);
      expect(existsSync(join(root, 'latest', 'summary.json')), `${where}: latest points at nothing`).toBe(true);
      expect(readdirSync(root).filter((x) => x.startsWith('.')), where).toEqual([]);
      if (!killed) {
        expect(nightOf(root, '2026-01-01').night).toBe('new');
        break;
      }
      points.push(`${n}: ${nightOf(root, '2026-01-01').night}`);
    }
    console.log(`kill points tried: ${points.length} (${points.join(', ')}), then a complete publish`);
    expect(points.length).toBeGreaterThanOrEqual(3);
  }, 240_000);
});

/** Every path to a value in `v` (arrays: their first element only), up to `depth`. */
function paths(v: unknown, depth: number, at: (string | number)[] = []): (string | number)[][] {
  if (depth === 0 || v === null || typeof v !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(v) ? (v.length ? [[0, v[0]]] : []) : Object.entries(v);
  return entries.flatMap(([k, x]) => [[...at, k], ...paths(x, depth - 1, [...at, k])]);
}

function setAt(obj: unknown, path: (string | number)[], value: unknown): void {
  let o = obj as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]!] = value;
}

describe('damaged history', () => {
  test('every kept summary.json damaged at one place: later nights still compare and render', async () => {
    const good = await fixtureNight('2026-01-01', ['night-1.xml']);
    const tonight = await junitFixture('night-2-shard-1.xml', 'night-2-shard-2.xml');
    const current = await fixtureNight('2026-01-02', ['night-2-shard-1.xml', 'night-2-shard-2.xml']);
    const replacements: unknown[] = [null, [], {}, 'x', -1, true];
    const all = paths(good, 5);
    const root = tmp();
    mkdirSync(join(root, '2026-01-01'));
    let tried = 0;
    for (const p of all) {
      for (const value of replacements) {
        const damaged = structuredClone(good);
        setAt(damaged, p, value);
        writeFileSync(join(root, '2026-01-01', 'summary.json'), JSON.stringify(damaged));
        const where = `summary.json with ${p.join('.')} = ${JSON.stringify(value)}`;
        try {
          const history = loadHistory(root, '2026-01-02');
          testsData(tonight, previousTestedNight(history), []);
          expect(await renderNight(current, history)).toContain('</html>');
        } catch (e) {
          throw new Error(`${where}: ${(e as Error).message}`);
        }
        tried++;
      }
    }
    for (const text of ['null', '[]', '"x"', '{"schema":1}', '{"schema":1,"date":null,"tests":null,"bench":null}', '{']) {
      writeFileSync(join(root, '2026-01-01', 'summary.json'), text);
      await expect(renderNight(current, loadHistory(root, '2026-01-02')), text).resolves.toContain('</html>');
      tried++;
    }
    console.log(`damaged summaries tried: ${tried} (${all.length} places × ${replacements.length} values, and 6 whole files)`);
    expect(tried).toBeGreaterThan(500);
  }, 120_000);

  test('a night after one with "tests": null is published with its results', async () => {
    const root = tmp();
    const first = await fixtureNight('2026-01-01', ['night-1.xml']);
    mkdirSync(join(root, '2026-01-01'));
    writeFileSync(join(root, '2026-01-01', 'summary.json'), JSON.stringify({ ...first, tests: null }));
    const { summary } = await runNight({ repo: process.cwd(), outRoot: root, date: '2026-01-02', profile: 'quick', only: ['screenshot'], skip: ['screenshot'], merge: [join(FIXTURES, 'night-2-shard-1.xml')], say: () => {} });
    expect(summary.tests.available).toBe(true);
    expect(existsSync(join(root, '2026-01-02', 'index.html'))).toBe(true);
  }, 60_000);
});

test('SIGTERM of a night stops its whole process tree and leaves nothing half-written', async () => {
  const repo = tmp();
  const out = join(repo, 'out');
  mkdirSync(join(repo, 'scripts'));
  const pidFile = join(repo, 'grandchild.pid');
  writeFileSync(join(repo, 'scripts', 'lint.sh'), `#!/usr/bin/env bash\nsleep 600 &\necho $! > ${pidFile}\nwait\n`);
  chmodSync(join(repo, 'scripts', 'lint.sh'), 0o755);
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  const child = run('node', ['--import', 'tsx', 'faults/fixtures/night-signal.ts', repo, out, join(FIXTURES, 'night-1.xml')], { limitMs: 60_000 });
  const t0 = Date.now();
  while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') {
    if (Date.now() - t0 > 30_000) throw new Error('the step never started');
    await new Promise((r) => setTimeout(r, 50));
  }
  const grandchild = Number(readFileSync(pidFile, 'utf8'));
  // The night's own process: the one whose argv names the fixture (run() starts node directly).
  const night = spawnSync('pgrep', ['-f', `night-signal.ts ${repo}`], { encoding: 'utf8' }).stdout.trim().split('\n').map(Number).filter((p) => p && p !== process.pid);
  expect(night.length, 'the night process').toBeGreaterThan(0);
  for (const p of night) process.kill(p, 'SIGTERM');
  const r = await child;
  let gone = false;
  for (let i = 0; i < 40 && !gone; i++) { gone = !alive(grandchild); if (!gone) await new Promise((res) => setTimeout(res, 50)); }
  if (!gone) process.kill(grandchild, 'SIGKILL');
  expect(gone, `the step's child (pid ${grandchild}) outlived the night: ${said(r)}`).toBe(true);
  expect(r.code, said(r)).toBe(130);
  expect(readdirSync(out).filter((x) => x.startsWith('.night-'))).toEqual([]);
  rmSync(repo, { recursive: true, force: true });
}, 90_000);
