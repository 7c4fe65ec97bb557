// The flow's pure parts, and one small real Yosys run (an e2m1 PE on iCE40, a few seconds).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson, synthCacheDir, type KeyParts } from './cache.ts';
import { peKindDesign, peKinds } from './design.ts';
import { pnrFit, stoppedInShare, synthesize, withoutShare, yosysScript, type PnrPart } from './flow.ts';
import { parseStatJson, resources } from './stat.ts';
import { SynthToolError, yosysMemoryCap } from './tools.ts';
import { scanWrapper } from './wrap.ts';

const e2m1 = peKindDesign(peKinds().find((k) => k.name === 'e2m1-fp16-separate')!);
const up5k: PnrPart = { name: 'iCE40UP5K-SG48', args: ['--up5k', '--package', 'sg48'], lut: 5280, ff: 5280, dsp: 8, bram: 30 };
const tmp = mkdtempSync(join(tmpdir(), 'mpsa-synth-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('cache key', () => {
  const base: KeyParts = { files: { 'a.v': 'module a; endmodule' }, top: 'a', params: { X: 1, Y: 2 }, target: 'xc7', tools: { yosys: 'Yosys 0.23' }, scripts: ['synth'], options: {} };

  it('does not depend on key order, and changes with every input', () => {
    expect(cacheKey({ ...base, params: { Y: 2, X: 1 } })).toBe(cacheKey(base));
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
    const variants: Partial<KeyParts>[] = [
      { files: { 'a.v': 'module a (); endmodule' } }, { top: 'b' }, { params: { X: 1, Y: 3 } }, { target: 'xcup' },
      { tools: { yosys: 'Yosys 0.24' } }, { scripts: ['synth -flatten'] }, { options: { seed: 2 } },
    ];
    const keys = new Set([cacheKey(base), ...variants.map((v) => cacheKey({ ...base, ...v }))]);
    expect(keys.size).toBe(variants.length + 1);
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lives under MPSA_CACHE_DIR, else XDG_CACHE_HOME/mpsa, else ~/.cache/mpsa', () => {
    expect(synthCacheDir({ MPSA_CACHE_DIR: '/x/y' })).toBe('/x/y/synth');
    expect(synthCacheDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/mpsa/synth');
    expect(synthCacheDir({})).toMatch(/\.cache\/mpsa\/synth$/);
  });
});

describe('scripts and fit', () => {
  it('synthesises the design in its scan wrapper, kept as one module for stat, then flat for timing', () => {
    const s = yosysScript(e2m1, 'xc7', { timingLib: 'timing.v' });
    expect(s).toContain('read_verilog scan.v\nhierarchy -top mac_pe_scan\nsetattr -set keep_hierarchy 1 mac_pe_scan/u_dut\nsynth_xilinx -family xc7 -top mac_pe_scan -flatten -noiopad\n');
    expect(s).toContain('tee -q -o stat.json stat -json\nsetattr -unset keep_hierarchy mac_pe_scan/u_dut\nflatten\n');
    expect(s).toMatch(/read_verilog -lib -specify \+\/xilinx\/cells_sim.v\nread_verilog -lib -specify -overwrite timing.v\ntee -q -o sta.log sta\n$/);
    const ice = yosysScript(e2m1, 'ice40', { netlist: 'n.json' });
    expect(ice).toContain('synth_ice40 -top mac_pe_scan -dsp\n');
    expect(ice).toMatch(/flatten\nwrite_json n.json\n$/);
    expect(ice).not.toMatch(/^tee -q -o sta.log sta$/m);
  });

  it('counts the scan wrapper against the part and names what does not fit', () => {
    expect(pnrFit(e2m1, { lut: 900, ff: 20, dsp: 0, bram: 0, carry: 0, mux: 0 }, up5k)).toEqual({ part: up5k.name, fits: true });
    const f = pnrFit(e2m1, { lut: 5270, ff: 20, dsp: 9, bram: 0, carry: 0, mux: 0 }, up5k);
    expect(f.fits).toBe(false);
    // The wrapper adds a capture mux per output bit: acc_o (16) + flags_o (4) + done_o (1).
    expect(f.reason).toBe(`does not fit: LUT ${5270 + 21} > 5280, DSP 9 > 8 (design + scan wrapper)`);
  });
});

describe('the iCE40 share fallback', () => {
  it('spells out coarse without share and keeps the rest of the script', () => {
    const s = yosysScript(e2m1, 'ice40', { netlist: 'n.json' });
    const t = withoutShare(s);
    expect(t).not.toMatch(/^share$/m);
    expect(t).toContain('synth_ice40 -top mac_pe_scan -dsp -run begin:coarse\nopt_expr\n');
    expect(t).toContain('\nalumacc\nopt\nmemory -nomap\nopt_clean\nsynth_ice40 -top mac_pe_scan -dsp -run map_ram:\n');
    expect(t.replace(/synth_ice40[\s\S]*-run map_ram:\n/, 'X\n')).toBe(s.replace(/synth_ice40 .*\n/, 'X\n'));
  });

  it('recognises a log that stopped in share, and only that', () => {
    const log = (last: string) => `2.1. Executing OPT_EXPR pass (perform const folding).\n2.26. Executing ${last} pass (SAT-based resource sharing).\n  Found 52572 activation_patterns`;
    expect(stoppedInShare(log('SHARE'))).toBe(true);
    expect(stoppedInShare(log('ABC'))).toBe(false);
    expect(stoppedInShare('ERROR: syntax error')).toBe(false);
  });

  it('caps Yosys memory with prlimit, MPSA_YOSYS_MEM_GB GiB (default 8)', () => {
    expect(yosysMemoryCap({})).toEqual(['prlimit', `--as=${8 * 2 ** 30}`]);
    expect(yosysMemoryCap({ MPSA_YOSYS_MEM_GB: '2' })).toEqual(['prlimit', `--as=${2 * 2 ** 30}`]);
    expect(() => yosysMemoryCap({ MPSA_YOSYS_MEM_GB: 'lots' })).toThrow(/MPSA_YOSYS_MEM_GB: must be a positive number of GiB, got "lots"/);
  });

  it('the spelled-out script synthesises a small design to the same cells as synth_ice40', () => {
    // A multiplier (DSP), exclusive shifters (what share would merge), a register.
    const v = join(tmp, 'small.v');
    writeFileSync(v, `module small (input wire clk, input wire [7:0] a, input wire [7:0] b, input wire [2:0] n, input wire s, output reg [15:0] y);
  always @(posedge clk) y <= s ? a * b : (s ? {8'd0, a} << n : {8'd0, b} >> n);
endmodule
`);
    const counts = (script: string, name: string) => {
      const dir = join(tmp, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'synth.ys'), script);
      execFileSync('yosys', ['-q', '-s', 'synth.ys'], { cwd: dir });
      return resources(parseStatJson(readFileSync(join(dir, 'stat.json'), 'utf8')).design);
    };
    const s = `read_verilog ${v}\nsynth_ice40 -top small -dsp\ntee -q -o stat.json stat -json\n`;
    const plain = counts(s, 'plain');
    const noShare = counts(withoutShare(s), 'noshare');
    expect(plain.dsp).toBe(1);
    expect(noShare).toMatchObject({ ff: plain.ff, dsp: plain.dsp });
    // share merges exclusive cells: without it the LUT count can only grow.
    expect(noShare.lut).toBeGreaterThanOrEqual(plain.lut);
    expect(noShare.lut).toBeLessThan(plain.lut * 2);
  });
});

describe('a real run (Yosys)', () => {
  it('the scan wrapper elaborates around the PE and passes check -assert', () => {
    const f = join(tmp, 'scan.v');
    writeFileSync(f, scanWrapper(e2m1.top, e2m1.ports, e2m1.params));
    const inc = e2m1.includes.map((i) => `-I${i}`).join(' ');
    const out = execFileSync('yosys', ['-q', '-p', `read_verilog ${inc} ${e2m1.sources.join(' ')} ${f}; hierarchy -check -top mac_pe_scan; proc; check -assert`], { encoding: 'utf8' });
    expect(out).not.toMatch(/warning/i);
  });

  it('synthesises an e2m1 PE for iCE40, then answers from the cache', async () => {
    const r = await synthesize(e2m1, 'ice40', { cacheDir: tmp });
    expect(r.cached).toBe(false);
    expect(r.resources.lut).toBeGreaterThan(300);
    expect(r.resources.ff).toBeGreaterThanOrEqual(20); // 16-bit accumulator + 4 flags
    expect(r.resources.dsp).toBe(0);
    expect(r.fmax.mhz).toBeNull();
    expect(r.tools.yosys).toMatch(/^Yosys /);
    const again = await synthesize(e2m1, 'ice40', { cacheDir: tmp });
    expect(again.cached).toBe(true);
    expect(again.resources).toEqual(r.resources);
    expect(again.key).toBe(r.key);
  });

  it('synthesises an e2m1 PE for xc7: its own resources, and a logic-only clock from sta', async () => {
    const r = await synthesize(e2m1, 'xc7', { cacheDir: tmp });
    // Only the PE's own cells: the wrapper's clock buffer (BUFG, at the top) is not among them.
    expect(r.cells.BUFG).toBeUndefined();
    expect(r.resources.ff).toBe(Object.entries(r.cells).filter(([c]) => /^FD/.test(c)).reduce((s, [, n]) => s + n, 0));
    expect(r.resources.lut).toBeGreaterThan(100);
    expect(r.fmax.kind).toBe('logic-only');
    expect(r.fmax.ns).toBeGreaterThan(0.5);
    expect(r.fmax.mhz).toBeCloseTo(1000 / r.fmax.ns!, 1);
    expect(r.fmax.method).toMatch(/upper bound: Yosys sta, xc7 cell delays, no routing/);
  });

  it('a failed synthesis shows the tail of the Yosys log', async () => {
    const bad = { ...e2m1, id: 'bad', params: { ...e2m1.params, NO_SUCH_PARAM: 1 } };
    const e = await synthesize(bad, 'xc7', { cacheDir: tmp }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SynthToolError);
    expect((e as Error).message).toMatch(/yosys failed on bad \(xc7\)[\s\S]*last lines of the log[\s\S]*NO_SUCH_PARAM/);
  });
});
