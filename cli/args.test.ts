// The CLI's one way to fail: a usage error prints the error first and a one-line usage hint and
// exits 2, for every command; a missing input file is named, never a Node stack; --version.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../rtl/config.ts';
import { parseCommandArgs, UsageError, usageHint } from './args.ts';

const sh = promisify(execFile);
const mpsa = (...args: string[]) => sh('node', ['bin/mpsa.js', ...args], { timeout: 120_000 }).then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);

describe('parseCommandArgs', () => {
  const opts = { n: { type: 'string' }, flag: { type: 'boolean' }, list: { type: 'string', multiple: true } } as const;
  it('gives the options in command-line order, with their flags and values', () => {
    const p = parseCommandArgs(['--list', 'a', '--n=3', '--flag', '--list', 'b', 'pos'], opts, { positionals: true });
    expect(p.options.map((o) => [o.name, o.flag, o.value])).toEqual([['list', '--list', 'a'], ['n', '--n', '3'], ['flag', '--flag', undefined], ['list', '--list', 'b']]);
    expect(p.positionals).toEqual(['pos']);
    expect(p.values.list).toEqual(['a', 'b']);
  });
  it.each([
    [['--nope'], /^unknown option '--nope'$/],
    [['--n'], /^--n: needs a value$/],
    [['extra'], /^unexpected argument 'extra'. This command does not take positional arguments$/],
  ])('%j is a UsageError with a short message', (argv, re) => {
    expect(() => parseCommandArgs(argv, opts)).toThrow(UsageError);
    expect(() => parseCommandArgs(argv, opts)).toThrow(re);
  });
  it('the hint is the first usage line and where the rest is', () => {
    expect(usageHint('x', 'usage: mpsa x [--y]      padding\n\nmore')).toBe("usage: mpsa x [--y]\nrun 'mpsa x --help' for every option");
  });
});

describe('mpsa', () => {
  it('--version prints the package version and the commit', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const r = await mpsa('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^mpsa ${pkg.version.replace(/\./g, '\\.')} \\([0-9a-f]{7,}(\\+dirty)?\\)\\n$`));
  }, 120_000);

  it.each([
    [['golden', '--jsnl'], /^mpsa golden: unknown option '--jsnl'$/],
    [['rtl', '--jsonl', '--input', '/no/such/requests'], /^mpsa rtl: --input: no such file: \/no\/such\/requests$/],
    [['golden', '--jsonl', '--input', '/no/such/requests'], /^mpsa golden: --input: no such file: \/no\/such\/requests$/],
    [['train', '--model', 'mlp', '--lr'], /^mpsa train: --lr: needs a value$/],
    [['train', '--model', 'mlp', '--bogus'], /^mpsa train: unknown option '--bogus'$/],
    [['synth', '--target', 'xc9'], /^mpsa synth: --target must be xc7 \| xcup \| ice40, got "xc9"$/],
    [['synth', 'everything'], /^mpsa synth: unknown subcommand 'everything'/],
    [['model', 'validate', '--cases', '0'], /^mpsa model validate: --cases: must be a positive integer, got 0$/],
    [['model', 'check'], /^mpsa model: unknown subcommand 'check'/],
    [['nightly', '--profile', 'huge'], /^mpsa nightly: --profile must be quick \| full, got "huge"$/],
    [['nightly', 'extra'], /^mpsa nightly: unexpected argument 'extra'$/],
    [['match', '--device', 'a35t'], /^mpsa match: --workload: is required$/],
    [['match', '--workload', 'missing.json', '--device', 'a35t'], /^mpsa match: --workload: no such file: missing\.json$/],
    [['match', '--workload', 'mlp:fp8-bf16-sr', '--device', 'vu19p'], /^mpsa match: unknown device 'vu19p'/],
    [['formats', '--csv'], /^mpsa formats: unknown option '--csv'$/],
    [['config', 'new', '--name', 'x', '--a', 'e4m3', '--b', 'e4m3', '--acc', 'bf16:sr:99'], /^mpsa config: acc\.rbits: /],
    [['config', 'old'], /^mpsa config: unknown subcommand 'old'/],
  ])('mpsa %j: the error first, a one-line hint, exit 2, no stack', async (args, re) => {
    const r = await mpsa(...args);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(re);
    expect(lines.slice(1).join('\n')).toMatch(/^usage: mpsa .*\nrun 'mpsa [a-z ]+ --help' for every option$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('an unknown command: named, a one-line hint, exit 2', async () => {
    const r = await mpsa('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mpsa: unknown command 'frobnicate'\nusage: mpsa <command> [options]; 'mpsa help' lists the commands\n");
  }, 120_000);
});

describe('mpsa config new', () => {
  it('writes a configuration the loader accepts, refuses to overwrite it, replaces it with --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-config-'));
    const args = ['config', 'new', '--name', 'e5m2-2x4-fp16-rne', '--rows', '2', '--cols', '4', '--a', 'e5m2', '--b', 'e5m2', '--style', 'separate', '--mul', 'fp16:rne', '--acc', 'fp16:rne', '--pipeline-acc', '2', '--dir', dir];
    const r = await mpsa(...args);
    expect(r.code, r.stderr).toBe(0);
    const file = join(dir, 'e5m2-2x4-fp16-rne.json');
    expect(r.stdout.trim()).toBe(file);
    const cfg = loadConfigFile(file);
    expect(cfg).toMatchObject({ name: 'e5m2-2x4-fp16-rne', rows: 2, cols: 4 });
    const again = await mpsa(...args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists \(with this content\); pass --force to replace it/);
    expect((await mpsa(...args, '--force')).code).toBe(0);
  }, 120_000);

  it('an invalid configuration writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-config-'));
    const r = await mpsa('config', 'new', '--name', 'bad', '--a', 'e4m3', '--b', 'e4m3', '--style', 'fused', '--mul', 'fp16:rne', '--acc', 'fp32:rne', '--dir', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mpsa config: mul: is not used with style 'fused'/);
    expect(existsSync(join(dir, 'bad.json'))).toBe(false);
  }, 120_000);
});
