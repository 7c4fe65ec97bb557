// Faults: the small edges of the CLI and the protocol (issue 16, kind 6). Each bad input must get
// a clear error naming the problem (no stack trace), each pipe must behave. On the code before
// the fix: `| head -1` printed an EPIPE stack, `mpsa rtl --jsonl` read all of stdin while its
// answers could not be written, 'toString' as a format name reached Object.prototype ("fmt.exp:
// is required"), "mode": null was taken as rne, seeds past 32 bits were accepted, an arithmetic
// file holding null and a bad configuration under `mpsa model validate` gave stack traces, and
// --date 2026-02-30 was accepted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { answerLine } from '../golden/index.ts';
import { parseNightlyArgs } from '../cli/nightly.ts';
import { REPO, run, said } from './run.ts';

const noStack = (text: string) => expect(text, 'a stack trace').not.toMatch(/^\s+at .+[:(]\d+/m);
const made: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'mpsa-faults-edges-')); made.push(d); return d; };
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

describe('pipes', () => {
  test.each([
    ['formats --json', 'node bin/mpsa.js formats --json'],
    ['golden --jsonl', 'node bin/mpsa.js golden --jsonl --input REQUESTS'],
  ])('`mpsa %s | head -1` ends quietly', async (_what, cmdLine) => {
    const requests = join(tmp(), 'requests.jsonl');
    writeFileSync(requests, '{"op":"mul","fmt":"e4m3","in":["e4m3","e4m3"],"a":"0x38","b":"0x38"}\n'.repeat(50_000));
    const cmd = cmdLine.replace('REQUESTS', requests);
    const r = await run('bash', ['-c', `${cmd} | head -1; echo "status \${PIPESTATUS[0]}" >&2`], { limitMs: 60_000 });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.stderr).toMatch(/status 0/);
  }, 90_000);

  test('`mpsa rtl --jsonl` stops reading stdin while its answers cannot be written', async () => {
    // Bad requests: answered at once (no model to build), each answer longer than its request.
    const line = Buffer.from('{"op":"bogus","fmt":"e4m3"}\n');
    const chunk = Buffer.concat(Array.from({ length: 4096 }, () => line)); // ~110 kB
    const offered = 64 * 1024 * 1024;
    const child = spawn('node', ['bin/mpsa.js', 'rtl', '--jsonl'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.pause(); // a consumer that reads nothing
    child.stdin.on('error', () => {});
    let accepted = 0;
    const stuck = () => new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(true), 3000);
      child.stdin.once('drain', () => { clearTimeout(t); resolve(false); });
    });
    while (accepted < offered) {
      accepted += chunk.length;
      if (!child.stdin.write(chunk) && (await stuck())) break;
    }
    const rss = Number((await run('ps', ['-o', 'rss=', '-p', String(child.pid)], { limitMs: 10_000 })).stdout.trim()) * 1024;
    child.kill('SIGKILL');
    console.log(`rtl --jsonl took ${(accepted / 1e6).toFixed(1)} MB of ${(offered / 1e6).toFixed(0)} MB offered before pushing back; rss ${(rss / 1e6).toFixed(0)} MB`);
    expect(accepted, 'bytes of input accepted while no answer could be written').toBeLessThan(8 * 1024 * 1024);
    expect(rss).toBeLessThan(400 * 1024 * 1024);
  }, 120_000);
});

describe('names that are members of Object.prototype', () => {
  const names = ['toString', '__proto__', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__'];
  test('as a format, an operand format or a block format: an unknown-name error naming it', () => {
    let tried = 0;
    for (const n of names) {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ op: 'mul', fmt: n, in: ['e4m3', 'e4m3'], a: '0x1', b: '0x1' }, /^fmt: unknown format name/],
        [{ op: 'mul', fmt: 'e4m3', in: [n, 'e4m3'], a: '0x1', b: '0x1' }, /^in\[0\]: unknown format name/],
        [{ op: 'convert', fmt: 'e4m3', in: [n], a: '0x1' }, /^in\[0\]: unknown format name/],
        [{ op: 'mul', fmt: 'e4m3', in: ['e4m3', 'e4m3'], mode: n, a: '0x1', b: '0x1' }, /^mode: unknown rounding mode/],
        [{ op: 'block_dot', fmt: 'fp32', in: [n, n], a: { codes: ['0x1'] }, b: { codes: ['0x1'] } }, /^in\[0\]: must be a block format/],
      ];
      for (const [req, want] of cases) {
        const got = JSON.parse(answerLine(JSON.stringify(req))) as { error?: string };
        expect(got.error, JSON.stringify(req)).toMatch(want);
        expect(got.error).toContain(JSON.stringify(n));
        tried++;
      }
    }
    expect(tried).toBe(names.length * 5);
  });

  test.each([['toString'], ['__proto__'], ['constructor']])('as an arithmetic preset (mpsa train --arith %s): unknown preset', async (n) => {
    const r = await run('node', ['bin/mpsa.js', 'train', '--model', 'mlp', '--arith', n], { limitMs: 60_000 });
    expect(r.code, said(r)).toBe(2);
    expect(r.stderr).toContain(`arith: unknown preset or file ${JSON.stringify(n)}`);
    noStack(r.stderr);
  }, 90_000);
});

describe('values that must not be taken as something else', () => {
  test('"mode": null is an error, an absent mode is rne', () => {
    expect(JSON.parse(answerLine('{"op":"mul","fmt":"e4m3","in":["e4m3","e4m3"],"mode":null,"a":"0x38","b":"0x38"}'))).toEqual({ error: 'mode: unknown rounding mode null (expected rne | rna | rtz | rup | rdn | rto | sr)' });
    expect(JSON.parse(answerLine('{"op":"mul","fmt":"e4m3","in":["e4m3","e4m3"],"a":"0x38","b":"0x38"}'))).toEqual({ code: '0x38', flags: [] });
    expect(JSON.parse(answerLine('{"op":"bfp_quantize","fmt":{"man":3,"block":4},"mode":null,"a":["0x3f800000"]}')).error).toMatch(/^mode: unknown rounding mode null/);
  });

  test.each([
    ['train', ['train', '--model', 'mlp', '--seed', '4294967296'], /--seed: must be an integer in 0\.\.4294967295, got "4294967296"/],
    ['train', ['train', '--model', 'mlp', '--seed', '18446744073709551617'], /--seed: must be an integer in 0\.\.4294967295/],
    ['model validate', ['model', 'validate', '--seed', '4294967296'], /--seed: must be an integer in 0\.\.4294967295 \(seeds are 32-bit\), got 4294967296/],
  ])('a seed beyond 32 bits for mpsa %s is refused', async (_cmd, args, want) => {
    const r = await run('node', ['bin/mpsa.js', ...args], { limitMs: 60_000 });
    expect(r.code, said(r)).toBe(2);
    expect(r.stderr).toMatch(want);
    noStack(r.stderr);
  }, 90_000);

  test.each([['null'], ['[]'], ['"fp32"'], ['7']])('an arithmetic file holding %s: an error naming the file', async (text) => {
    const file = join(tmp(), 'arith.json');
    writeFileSync(file, text);
    const r = await run('node', ['bin/mpsa.js', 'train', '--model', 'mlp', '--arith', file], { limitMs: 60_000 });
    expect(r.code, said(r)).toBe(2);
    expect(r.stderr).toContain(`${file}: must hold a JSON object (an arithmetic specification), got ${text}`);
    noStack(r.stderr);
  }, 90_000);

  test.each([
    ['not JSON', '{"name": "bad", '],
    ['null', 'null'],
    ['a format named toString', JSON.stringify({ name: 'bad', rows: 2, cols: 2, mac: { a: 'toString', b: 'e4m3', acc: 'fp16', mode: 'rne' } })],
  ])('a configuration that is %s under `mpsa model validate`: an error, no stack', async (_what, text) => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.json'), text);
    const r = await run('node', ['bin/mpsa.js', 'model', 'validate', '--cases', '1', '--config', 'bad'], { env: { MPSA_CONFIG_DIR: dir }, limitMs: 60_000 });
    expect(r.code, said(r)).toBe(2);
    expect(r.stderr).toMatch(/^mpsa model validate: a configuration is not valid: .*bad\.json/m);
    noStack(r.stderr);
  }, 90_000);

  test('an impossible --date is refused; real ones are taken', () => {
    for (const d of ['2026-02-30', '2026-13-01', '2025-02-29', '2026-04-31', '2026-00-10']) expect(() => parseNightlyArgs(['--date', d]), d).toThrow(/is not a day of the calendar/);
    for (const d of ['2024-02-29', '2026-12-31', '2026-01-01']) expect(parseNightlyArgs(['--date', d]).date).toBe(d);
  });
});
