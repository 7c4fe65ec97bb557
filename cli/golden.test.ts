import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'mpsa.js');
const run = (args: string[], input = '') => spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });

describe('mpsa golden --jsonl', () => {
  it('answers one line per request, in order, carrying on after bad lines', () => {
    const lines = [
      '{"op":"mul","fmt":"fp16","a":"0x3c00","b":"0x4000"}',
      'this is not json',
      '',
      '{"op":"add","fmt":{"exp":0,"man":3},"a":"0x1","b":"0x1"}',
      '{"op":"fma","fmt":"fp32","in":["e4m3","e4m3","fp32"],"a":"0x7f","b":"0x38","c":"0x0"}',
      '{"op":"convert","fmt":"e2m1","in":["fp32"],"mode":"sr","rbits":2,"rand":3,"a":"0x40100000"}',
    ];
    const r = run(['golden', '--jsonl'], lines.join('\n') + '\n');
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toEqual([
      { code: '0x4000', flags: [] },
      { error: expect.stringMatching(/^request: invalid JSON/) },
      { error: 'fmt.exp: must be an integer in 1..8, got 0' },
      { code: '0x7fc00000', flags: [] },
      { code: '0x5', flags: ['inexact'] },
    ]);
  });

  it('reads --input FILE and reports a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-cli-'));
    const file = join(dir, 'req.jsonl');
    writeFileSync(file, '{"op":"convert","fmt":"bf16","in":["fp32"],"a":"0x3f808000"}\r\n');
    expect(JSON.parse(run(['golden', '--jsonl', '--input', file]).stdout)).toEqual({ code: '0x3f80', flags: ['inexact'] });
    const missing = run(['golden', '--jsonl', '--input', join(dir, 'nope.jsonl')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^mpsa golden: --input: no such file: .*nope\.jsonl\n/);
  });

  it('rejects unknown options and commands with usage', () => {
    const bad = run(['golden', '--jsnl']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown option '--jsnl'/);
    const cmd = run(['gloden']);
    expect(cmd.status).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command 'gloden'/);
  });
});
