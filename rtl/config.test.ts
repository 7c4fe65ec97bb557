// configs/: every file validates, bad configurations name the field, wrappers lint clean.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceleratorConfig, anyConfig, loadAllConfigs, loadBlockConfigs, loadConfigFile, loadConfigs, type ConfigSpec } from './config.ts';
import type { BlockConfigSpec } from './block-config.ts';
import { GEMM_INCLUDES, GEMM_SOURCES, wrapperName, wrapperVerilog } from './generate.ts';
import { elaborate } from './elaborate.ts';

const good: ConfigSpec = { name: 'x', rows: 2, cols: 3, a: 'e4m3', b: 'e4m3', style: 'fused', acc: { fmt: 'fp16', mode: 'rne' } };

describe('configs/', () => {
  it('holds at least six valid configurations spanning the space', () => {
    const all = loadConfigs();
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all.some((c) => c.rows !== c.cols)).toBe(true);
    expect(all.some((c) => c.mac.acc.fmt.name === 'fp32')).toBe(true);
    expect(all.some((c) => c.mac.acc.mode === 'sr')).toBe(true);
    expect(new Set(all.map((c) => c.mac.style))).toEqual(new Set(['separate', 'fused', 'exact']));
    // The array suites (rtl-gemm-*) hold RTL == golden over these: interleave 1 and at least two
    // larger loop depths, and sr under interleave (its stream order depends on it).
    const depths = new Set(all.map((c) => elaborate(c).timing.interleave));
    expect(depths.has(1)).toBe(true);
    expect([...depths].filter((l) => l > 1).length).toBeGreaterThanOrEqual(2);
    expect(all.some((c) => c.mac.acc.mode === 'sr' && elaborate(c).timing.interleave > 1)).toBe(true);
  });

  it.each([
    [{ ...good, rows: 0 }, /^rows: must be an integer in 1\.\.32, got 0$/],
    [{ ...good, cols: 2.5 }, /^cols: must be an integer/],
    [{ ...good, acc: { fmt: 'fp16', mode: 'rnx' } }, /^acc\.mode: unknown rounding mode "rnx"/],
    [{ ...good, acc: { fmt: 'fp16', mode: 'sr' } }, /^acc\.rbits: must be an integer in 1\.\.24, got undefined$/],
    [{ ...good, a: { exp: 0, man: 3 } }, /^a\.exp: must be an integer in 1\.\.8, got 0$/],
    [{ ...good, style: 'both' }, /^style: must be 'separate', 'fused' or 'exact'/],
    [{ ...good, kahan: true }, /^kahan: compensated \(Kahan\) accumulation has no RTL PE/],
    [{ ...good, style: 'exact', a: 'bf16' }, /^a: exact_pe takes operand formats with at most 5 exponent bits/],
    [{ ...good, style: 'exact', pipeline: { acc: 1 } }, /^pipeline: exact_pe's pipeline is fixed/],
    [{ ...good, mul: { fmt: 'fp16', mode: 'rne' } }, /^mul: is not used with style 'fused'/],
    [{ ...good, out: { fmt: 'bf16', mode: 'sr' } }, /^out\.mode: 'sr' has no random stream/],
    [{ ...good, pipe: 1 }, /^pipe: unknown field/],
    [{ ...good, pipeline: { acc: 0 } }, /^pipeline\.acc: must be an integer in 1\.\.6 for style 'fused', got 0$/],
    [{ ...good, pipeline: { mul: 4 } }, /^pipeline\.mul: must be an integer in 0\.\.3 for style 'fused', got 4$/],
    [{ ...good, pipeline: { depth: 2 } }, /^pipeline\.depth: unknown field \(allowed: mul, acc\)$/],
    [{ ...good, colour: 'red' }, /^colour: unknown field/],
    [{ ...good, name: 'Bad Name' }, /^name: must be a lower-case name/],
  ] as [ConfigSpec, RegExp][])('rejects %j', (spec, re) => {
    expect(() => acceleratorConfig(spec)).toThrow(re);
  });

  it('holds one integer, DSP-packed, BFP and MX configuration at least', () => {
    const kinds = new Set(loadBlockConfigs().map((c) => c.kind));
    expect(kinds).toEqual(new Set(['int', 'int-packed', 'bfp', 'mx']));
    expect(loadConfigs().every((c) => c.mac !== undefined)).toBe(true);
  });

  const intGood: BlockConfigSpec = { name: 'i', rows: 2, cols: 4, a: 'int8', b: 'int8', acc: { width: 32 } };
  const mxGood: BlockConfigSpec = { name: 'm', rows: 2, cols: 2, a: 'mxfp8-e4m3', b: 'mxfp8-e4m3', acc: { fmt: 'fp32', mode: 'rne' } };
  it.each([
    [{ ...intGood, acc: { width: 24 } }, /^acc\.width: must be an integer in 32\.\.32 \(a\.width \+ b\.width \+ 16: no K < 2\^16 overflows it\), got 24$/],
    [{ ...intGood, acc: { width: 32, mode: 'rne' } }, /^acc\.mode: unknown field \(allowed: width\)$/],
    [{ ...intGood, b: 'e4m3' }, /^b: must be a block format/],
    [{ ...intGood, b: 'mxint8' }, /^b: must be of a's kind \(int\), got mxint8 \(mx\)$/],
    [{ ...intGood, pack: 3 }, /^pack: 3 lanes of int8 x int8 need a 41-bit packed operand; one DSP48E1 multiplies 25 x 18 bits$/],
    [{ ...intGood, pack: 2, cols: 3 }, /^cols: must be a multiple of pack \(2\), got 3$/],
    [{ ...intGood, pack: 1 }, /^pack: must be an integer >= 2/],
    [{ ...intGood, a: 'int16', b: 'int16', acc: { width: 48 } }, /^b: int16 x int16 needs a 48-bit accumulator; the host driver reads at most 32 bits/],
    [{ ...mxGood, acc: { fmt: 'fp32', mode: 'sr' } }, /^acc\.mode: block PEs round once per block without a random stream/],
    [{ ...mxGood, b: { kind: 'mx', elem: 'e4m3', block: 16 } }, /^b: blocks must line up: a has blocks of 32, b of 16$/],
    [{ ...mxGood, pack: 2 }, /^pack: packs integer operands only; a is mxfp8-e4m3$/],
    [{ ...mxGood, style: 'fused' }, /^style: unknown field for an integer or block configuration/],
    [{ ...mxGood, rows: 33 }, /^rows: must be an integer in 1\.\.32, got 33$/],
  ] as [BlockConfigSpec, RegExp][])('rejects the block configuration %j', (spec, re) => {
    expect(() => anyConfig(spec)).toThrow(re);
  });

  it('defaults to every pipeline cut and takes fewer', () => {
    expect(acceleratorConfig(good).pipeline).toEqual({ mul: 3, acc: 6 });
    expect(acceleratorConfig({ ...good, pipeline: { acc: 2 } }).pipeline).toEqual({ mul: 3, acc: 2 });
  });

  it('accepts int4 packed three to a multiplier', () => {
    const c = anyConfig({ ...intGood, a: 'int4', b: 'int4', acc: { width: 24 }, pack: 3, cols: 6 });
    expect(c).toMatchObject({ kind: 'int-packed', lanes: 3, accWidth: 24 });
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
    for (const cfg of loadAllConfigs()) {
      const file = join(dir, `${wrapperName(cfg)}.v`);
      writeFileSync(file, wrapperVerilog(cfg));
      const args = ['--lint-only', '-Wall', ...GEMM_INCLUDES.map((d) => `-I${d}`), '--top-module', wrapperName(cfg), ...GEMM_SOURCES, file];
      expect(() => execFileSync('verilator', args, { stdio: 'pipe' }), cfg.name).not.toThrow();
    }
  });
});
