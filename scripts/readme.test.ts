// The README is true on a fresh clone: every command it shows (code blocks and commands quoted in
// its prose) is listed here with how it is checked, and run in a copy of the checkout's tracked
// files (no reports/out, no untracked files) with an empty cache folder. The fast ones run in
// `make test`; the slow ones (Verilator builds, training on all of Fashion-MNIST, synthesis of
// whole arrays) with MPSA_PROFILE=nightly, in the nightly's full profile. Figures the README
// states (the golden answer, the accuracy of the training command) are compared with what the
// commands print.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { readmeAccuracyRows, readmeCommands } from '../reports/readme.ts';
import { ROWS } from './accuracy-table.ts';

const ROOT = resolve(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const NIGHTLY = process.env.MPSA_PROFILE === 'nightly';
const sh = promisify(execFile);

/**
 * How each README command is checked. `fast`: run here in make test; `nightly`: run here in the
 * full nightly (MPSA_PROFILE=nightly); `elsewhere`: the command is a whole run that another part of
 * the project runs as it is (CI runs make test; the nightly is make nightly; …) — named, not skipped.
 */
type How = { fast: true } | { nightly: true; timeoutS: number } | { elsewhere: string };
const HOW: Record<string, How> = {
  'make test': { elsewhere: 'CI (.ci/run) runs exactly make test' },
  'make nightly': { elsewhere: 'the nightly is make nightly; this test runs inside it' },
  'make lint': { elsewhere: 'a step of make test and of every night (lint)' },
  'make bench': { elsewhere: 'its benchmarks are the nightly bench-golden and bench-harness steps' },
  'make harness': { elsewhere: 'its suites (harness/, examples/) run in make test' },
  'make setup': { elsewhere: 'the first step of make test and make nightly' },
  'make typecheck': { elsewhere: 'a step of make test and of every night (typecheck)' },
  'make synth': { elsewhere: 'the full nightly synth step runs npx mpsa synth all --jobs 2' },
  'npx mpsa synth all --jobs 2': { elsewhere: 'the full nightly synth step' },
  'npx mpsa synth configs --whole --target ice40 --config int8-2x4 --bitstream': { elsewhere: 'the full nightly synth step runs it as written' },
  'npx mpsa synth configs --whole --target ice40 --config e4m3-2x2-fp16-fused --pnr-device hx8k --bitstream': { elsewhere: 'the full nightly synth step runs it as written' },
  'npx mpsa nightly': { elsewhere: 'make nightly' },
  'npm run train:table': { elsewhere: 'the full nightly train-table step; its rows are checked against the README tables on the page' },
  'npm run bench:emu': { elsewhere: 'the nightly bench-emu step' },
  'npm run bench:golden': { elsewhere: 'the nightly bench-golden step' },
  'npm run bench:harness': { elsewhere: 'the nightly bench-harness step' },
  'npm run bench:gemm': { elsewhere: 'the nightly bench-gemm step' },
  'npx vitest run examples': { elsewhere: 'make test runs every suite, examples/ included' },
  'npx mpsa formats': { fast: true },
  'npx mpsa --version': { fast: true },
  'npx mpsa golden --jsonl < requests': { fast: true },
  'echo \'{"op":"mul","fmt":"e4m3","mode":"rtz","a":"0x3c","b":"0x45"}\' | npx mpsa golden --jsonl': { fast: true },
  'npx mpsa match --workload mlp:fp8-bf16-sr:32 --device u250': { fast: true },
  'npx mpsa match --workload mlp:fp8-bf16-sr:32 --device up5k': { fast: true },
  'npx mpsa config new --name e4m3-2x2-bf16-sr-fused --rows 2 --cols 2 --a e4m3 --b e4m3 --acc bf16:sr:8 --print': { fast: true },
  'npx mpsa rtl --jsonl < requests': { nightly: true, timeoutS: 900 },
  'npx mpsa model validate --json': { nightly: true, timeoutS: 3600 },
  'npx mpsa train --model mlp --arith fp8-bf16-sr --backend emu --epochs 1 --lr 0.02 --schedule cosine': { nightly: true, timeoutS: 1800 },
  'npx mpsa train --model mlp --arith bfp-fast --backend emu --epochs 3 --lr 0.02 --schedule cosine': { nightly: true, timeoutS: 3600 },
  'make mutate': { elsewhere: 'the full nightly mutation step runs scripts/mutate.ts; scripts/mutants.test.ts checks that every mutant applies' },
  'make schedule-nightly': { elsewhere: 'installs a timer only on request; scripts/schedule-nightly.test.ts checks what it would install (print mode)' },
  'make unschedule-nightly': { elsewhere: 'removes what make schedule-nightly installed; nothing is installed by the tests' },
  'npx mpsa synth all --jobs 2 --commit': { elsewhere: 'the maintainers\' refresh of synth/results/ (docs/synth.md); synth/committed.test.ts checks its results' },
};

/** Prose mentions that are not commands to run: a placeholder, or a command whose options follow in the text. */
const NOT_COMMANDS = new Set(['npx mpsa …', 'npx mpsa train', 'npm run train:table -- …', 'npx mpsa <command> --help']);

const commands = readmeCommands(README).filter((c) => !NOT_COMMANDS.has(c.command));
const byCommand = new Map(commands.map((c) => [c.command, c]));

/** A copy of the checkout's tracked files (what a clone has), sharing node_modules; an empty cache folder. */
let clone: string, env: NodeJS.ProcessEnv;
beforeAll(() => {
  const base = mkdtempSync(join(tmpdir(), 'mpsa-readme-'));
  clone = join(base, 'mpsa');
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(clone, f)), { recursive: true });
    cpSync(join(ROOT, f), join(clone, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  env = { ...process.env, MPSA_CACHE_DIR: join(base, 'cache'), XDG_CACHE_HOME: join(base, 'xdg'), NO_COLOR: '1' };
  delete env.MPSA_SYNTH_OUT;
  delete env.MPSA_SYNTH_COMMITTED;
  delete env.MPSA_CONFIG_DIR;
  writeFileSync(join(clone, 'requests'), '{"op":"mul","fmt":"e4m3","mode":"rtz","a":"0x3c","b":"0x45"}\n');
}, 120_000);

const run = (command: string, timeoutS = 120) => sh('bash', ['-c', command], { cwd: clone, env, timeout: timeoutS * 1000, maxBuffer: 64 << 20 });

describe('README commands', () => {
  it('every command in the README is listed here with how it is checked, and every listed one is in the README', () => {
    expect(commands.length).toBeGreaterThan(20);
    expect(commands.map((c) => c.command).filter((c) => !(c in HOW))).toEqual([]);
    expect(Object.keys(HOW).filter((c) => !byCommand.has(c) && !README.includes(c))).toEqual([]);
  });

  it('the accuracy tables name the train:table rows that reproduce them, each with its figure', () => {
    const rows = readmeAccuracyRows(README);
    expect(rows.length).toBe(18);
    const known = new Set(ROWS.map((r) => r.id));
    expect(rows.flatMap((r) => r.ids).filter((id) => !known.has(id))).toEqual([]);
    // The training command in the README is the fp8 bf16 sr row's recipe and states its figure.
    const sr = rows.find((r) => r.ids.includes('mlp-fp8-bf16-sr'))!;
    const figure = sr.figures[sr.ids.indexOf('mlp-fp8-bf16-sr')];
    const cmd = byCommand.get('npx mpsa train --model mlp --arith fp8-bf16-sr --backend emu --epochs 1 --lr 0.02 --schedule cosine')!;
    expect(cmd.after.join(' ')).toContain(`test accuracy ${figure.toFixed(4)}`);
    const row = ROWS.find((r) => r.id === 'mlp-fp8-bf16-sr')!;
    expect([row.model, row.arith, row.backend, row.epochs, row.lr, row.schedule, row.batch]).toEqual(['mlp', 'fp8-bf16-sr', 'emu', 1, 0.02, 'cosine', 32]);
  });

  it('npx mpsa formats', async () => {
    const { stdout } = await run('npx mpsa formats');
    expect(stdout).toMatch(/^name\s+E\s+M/);
    expect(stdout).toMatch(/^e4m3\s+4\s+3\s/m);
  }, 120_000);

  it('npx mpsa --version: the package version and the commit', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await run('npx mpsa --version')).stdout.trim()).toBe(`mpsa ${pkg.version}`); // the copy is no git checkout: no commit
  }, 120_000);

  it('npx mpsa golden --jsonl, from stdin and from a requests file: the answer the README prints', async () => {
    const echo = byCommand.get('echo \'{"op":"mul","fmt":"e4m3","mode":"rtz","a":"0x3c","b":"0x45"}\' | npx mpsa golden --jsonl')!;
    expect(echo.after).toEqual(['{"code":"0x49","flags":["inexact"]}']);
    expect((await run(echo.command)).stdout.trim()).toBe(echo.after[0]);
    expect((await run('npx mpsa golden --jsonl < requests')).stdout.trim()).toBe(echo.after[0]);
  }, 120_000);

  it('npx mpsa match on u250 from the committed synthesis results (empty cache): the plan and the step time the README prints', async () => {
    const cmd = byCommand.get('npx mpsa match --workload mlp:fp8-bf16-sr:32 --device u250')!;
    const { stdout } = await run(cmd.command);
    const want = /predicted time of one step: [\d.]+ ms \(\d+ reconfigurations? at 50 ms\)/.exec(cmd.after[0])![0];
    expect(stdout).toContain(want);
    expect(stdout).toMatch(/clock of e4m3-8x4-bf16-sr: [\d.]+ MHz, logic-only upper bound \(Yosys sta\)/);
  }, 120_000);

  it('npx mpsa match on up5k: the arrays do not fit; it proposes the 2×2 configuration, and that command writes a valid one', async () => {
    const r = await run('npx mpsa match --workload mlp:fp8-bf16-sr:32 --device up5k').then(() => { throw new Error('expected exit 1'); }, (e: { code: number; stderr: string }) => e);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/e4m3-8x4-bf16-sr \(8×4\) does not fit up5k/);
    const proposal = /npx mpsa config new --name e4m3-2x2-bf16-sr-fused [^\n]+/.exec(r.stderr)![0];
    const shown = 'npx mpsa config new --name e4m3-2x2-bf16-sr-fused --rows 2 --cols 2 --a e4m3 --b e4m3 --acc bf16:sr:8 --print';
    // The README's command is the proposal with the default style left out and --print added.
    expect(`${proposal.replace(' --style fused', '')} --print`).toBe(shown);
    const cfg = JSON.parse((await run(shown)).stdout);
    expect(cfg).toEqual({ name: 'e4m3-2x2-bf16-sr-fused', rows: 2, cols: 2, a: 'e4m3', b: 'e4m3', style: 'fused', acc: { fmt: 'bf16', mode: 'sr', rbits: 8 } });
  }, 120_000);

  it.runIf(NIGHTLY)('npx mpsa rtl --jsonl < requests: the same answer as the golden model', async () => {
    expect((await run('npx mpsa rtl --jsonl < requests', 900)).stdout.trim()).toBe('{"code":"0x49","flags":["inexact"]}');
  }, 900_000);

  it.runIf(NIGHTLY)('npx mpsa model validate --json: every GEMM predicted exactly', async () => {
    const r = JSON.parse((await run('npx mpsa model validate --json', 3600)).stdout);
    expect(r).toMatchObject({ cases: 200, exact: 200, max_error_cycles: 0 });
  }, 3_600_000);

  it.runIf(NIGHTLY)('the README training command gives the accuracy the README states', async () => {
    const cmd = byCommand.get('npx mpsa train --model mlp --arith fp8-bf16-sr --backend emu --epochs 1 --lr 0.02 --schedule cosine')!;
    const want = /test accuracy ([\d.]+)/.exec(cmd.after[0])![1];
    const { stderr } = await run(cmd.command, 1800);
    expect(stderr).toMatch(new RegExp(`^test accuracy ${want.replace('.', '\\.')};`, 'm'));
  }, 1_800_000);

  it.runIf(NIGHTLY)('the README BFP command trains three epochs and writes its run', async () => {
    const { stdout, stderr } = await run('npx mpsa train --model mlp --arith bfp-fast --backend emu --epochs 3 --lr 0.02 --schedule cosine', 3600);
    expect(stderr).toMatch(/^test accuracy 0\.\d{4} 0\.\d{4} 0\.\d{4};/m);
    expect(existsSync(join(clone, stdout.trim()))).toBe(true);
  }, 3_600_000);
});
