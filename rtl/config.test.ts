// configs/: every file validates, bad configurations name the field, wrappers lint clean.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceleratorConfig, loadConfigFile, loadConfigs, type ConfigSpec } from './config.ts';
import { GEMM_INCLUDES, GEMM_SOURCES, wrapperName, wrapperVerilog } from './generate.ts';

const good: ConfigSpec = { name: 'x', rows: 2, cols: 3, a: 'e4m3', b: 'e4m3', style: 'fused', acc: { fmt: 'fp16', mode: 'rne' } };

describe('configs/', () => {
  it('holds at least six valid configurations spanning the space', () => {
    const all = loadConfigs();
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all.some((c) => c.rows !== c.cols)).toBe(true);
    expect(all.some((c) => c.mac.acc.fmt.name === 'fp32')).toBe(true);
    expect(all.some((c) => c.mac.acc.mode === 'sr')).toBe(true);
    expect(new Set(all.map((c) => c.mac.style))).toEqual(new Set(['separate', 'fused']));
  });

  it.each([
    [{ ...good, rows: 0 }, /^rows: must be an integer in 1\.\.32, got 0$/],
    [{ ...good, cols: 2.5 }, /^cols: must be an integer/],
    [{ ...good, acc: { fmt: 'fp16', mode: 'rnx' } }, /^acc\.mode: unknown rounding mode "rnx"/],
    [{ ...good, acc: { fmt: 'fp16', mode: 'sr' } }, /^acc\.rbits: must be an integer in 1\.\.24, got undefined$/],
    [{ ...good, a: { exp: 0, man: 3 } }, /^a\.exp: must be an integer in 1\.\.8, got 0$/],
    [{ ...good, style: 'both' }, /^style: must be 'separate' or 'fused'/],
    [{ ...good, mul: { fmt: 'fp16', mode: 'rne' } }, /^mul: is not used with style 'fused'/],
    [{ ...good, out: { fmt: 'bf16', mode: 'sr' } }, /^out\.mode: 'sr' has no random stream/],
    [{ ...good, pipe: 2 }, /^pipe: must be 0 or 1, got 2$/],
    [{ ...good, colour: 'red' }, /^colour: unknown field/],
    [{ ...good, name: 'Bad Name' }, /^name: must be a lower-case name/],
  ] as [ConfigSpec, RegExp][])('rejects %j', (spec, re) => {
    expect(() => acceleratorConfig(spec)).toThrow(re);
  });

  it('names the file, and requires the name to match it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-cfg-'));
    writeFileSync(join(dir, 'y.json'), JSON.stringify(good));
    expect(() => loadConfigFile(join(dir, 'y.json'))).toThrow(/y\.json: name: must match the file name 'y', got 'x'/);
    writeFileSync(join(dir, 'z.json'), '{"name": "z",');
    expect(() => loadConfigFile(join(dir, 'z.json'))).toThrow(/z\.json: not readable JSON/);
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ ...good, name: 'w', acc: { fmt: 'fp99', mode: 'rne' } }));
    expect(() => loadConfigFile(join(dir, 'w.json'))).toThrow(/w\.json: acc\.fmt: unknown format name "fp99"/);
  });

  it('generates a wrapper per configuration that Verilator lints clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsa-wrap-'));
    for (const cfg of loadConfigs()) {
      const file = join(dir, `${wrapperName(cfg)}.v`);
      writeFileSync(file, wrapperVerilog(cfg));
      const args = ['--lint-only', '-Wall', ...GEMM_INCLUDES.map((d) => `-I${d}`), '--top-module', wrapperName(cfg), ...GEMM_SOURCES, file];
      expect(() => execFileSync('verilator', args, { stdio: 'pipe' }), cfg.name).not.toThrow();
    }
  });
});
