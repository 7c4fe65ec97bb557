// The flow's pure parts, and one small real Yosys run (an e2m1 PE on iCE40, a few seconds).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson, synthCacheDir, type KeyParts } from './cache.ts';
import { peKindDesign, peKinds } from './design.ts';
import { pnrFit, synthesize, yosysScript, type PnrPart } from './flow.ts';
import { SynthToolError } from './tools.ts';
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
  it('synthesises Xilinx targets flat without I/O buffers, with the parameters set by chparam', () => {
    const s = yosysScript(e2m1, 'xc7');
    expect(s).toMatch(/chparam .*-set A_EXP 2 -set A_MAN 1 .* mac_pe\n/);
    expect(s).toContain('synth_xilinx -family xc7 -top mac_pe -flatten -noiopad');
    expect(yosysScript(e2m1, 'ice40', { wrapper: 'scan.v', netlist: 'n.json' })).toContain('synth_ice40 -top mac_pe_scan -dsp -json n.json');
  });

  it('counts the scan wrapper against the part and names what does not fit', () => {
    expect(pnrFit(e2m1, { lut: 900, ff: 20, dsp: 0, bram: 0, carry: 0, mux: 0 }, up5k)).toEqual({ part: up5k.name, fits: true });
    const f = pnrFit(e2m1, { lut: 5270, ff: 20, dsp: 9, bram: 0, carry: 0, mux: 0 }, up5k);
    expect(f.fits).toBe(false);
    // The wrapper adds a capture mux per output bit: acc_o (16) + flags_o (4).
    expect(f.reason).toBe(`does not fit: LUT ${5270 + 20} > 5280, DSP 9 > 8 (design + scan wrapper)`);
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

  it('a failed synthesis shows the tail of the Yosys log', async () => {
    const bad = { ...e2m1, id: 'bad', params: { ...e2m1.params, NO_SUCH_PARAM: 1 } };
    const e = await synthesize(bad, 'xc7', { cacheDir: tmp }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SynthToolError);
    expect((e as Error).message).toMatch(/yosys failed on bad \(xc7\)[\s\S]*last lines of the log[\s\S]*NO_SUCH_PARAM/);
  });
});
