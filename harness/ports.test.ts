// Port lists, value widths, and several models in one process.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dff, wide } from './fixtures/designs.ts';
import { BuildError, Clock, ReadOnly, RisingEdge, buildModel, test } from './index.ts';
import { portsFromXml, storageBytes } from './ports.ts';
import { parseXml } from './xml.ts';

describe('portsFromXml (verilator --xml-only output for fixtures/wide.v, recorded)', () => {
  it('reads names, directions and widths of the top module in pin order', async () => {
    const xml = await parseXml(readFileSync(new URL('./fixtures/ports.xml', import.meta.url), 'utf8'));
    expect(portsFromXml(xml).map((p) => [p.name, p.direction, p.width, p.bytes])).toEqual([
      ['clk_i', 'input', 1, 1],
      ['b5_i', 'input', 5, 1],
      ['b13_i', 'input', 13, 2],
      ['b32_i', 'input', 32, 4],
      ['b40_i', 'input', 40, 8],
      ['b64_i', 'input', 64, 8],
      ['b128_i', 'input', 128, 16],
      ['b5_o', 'output', 5, 1],
      ['b13_o', 'output', 13, 2],
      ['b32_o', 'output', 32, 4],
      ['b40_o', 'output', 40, 8],
      ['b64_o', 'output', 64, 8],
      ['b128_o', 'output', 128, 16],
    ]);
  });

  it('storage follows Verilator: C/S/I/QData, then 32-bit words', () => {
    expect([1, 8, 9, 16, 17, 32, 33, 64, 65, 96, 128].map(storageBytes)).toEqual([1, 1, 2, 2, 4, 4, 8, 8, 12, 12, 16]);
  });
});

test(wide, 'a 128-bit port round-trips as bigint; 40-bit as number; every width masks', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  const v128 = 0xfedcba98_76543210_0f1e2d3c_4b5a6978n;
  dut.b128_i.value = v128;
  dut.b64_i.value = 0xffff_ffff_ffff_ffffn;
  dut.b40_i.value = 0xab_cdef_0123;
  dut.b32_i.value = 0xdeadbeef;
  dut.b13_i.value = 0x3fff; // 14 bits: masked to 13
  dut.b5_i.value = 33; // masked to 1
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(dut.b128_o.value).toBe(v128);
  expect(dut.b64_o.value).toBe(0xffff_ffff_ffff_ffffn);
  expect(dut.b40_o.value).toBe(0xab_cdef_0123);
  expect(dut.b32_o.value).toBe(0xdeadbeef);
  expect(dut.b13_o.value).toBe(0x1fff);
  expect(dut.b5_o.value).toBe(1);
  expect(dut.b128_o.signedValue).toBe(BigInt.asIntN(128, v128));
  await RisingEdge(dut.clk_i);
  dut.b128_i.value = (1n << 130n) + 5n; // masked to 128 bits
  dut.b40_i.value = -1;
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(dut.b128_o.value).toBe(5n);
  expect(dut.b40_o.value).toBe(2 ** 40 - 1);
});

// Two parameterizations of one module: two .so files, each with its own
// Verilator runtime, loaded side by side in this worker.
for (const width of [4, 16]) {
  test(dff(width), `dff with Width=${width} keeps its own width`, async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
    dut.rst_ni.value = 1;
    dut.d_i.value = 0xffff;
    await RisingEdge(dut.clk_i);
    await ReadOnly();
    expect(dut.d_i.width).toBe(width);
    expect(dut.q_o.value).toBe(2 ** width - 1);
  });
}

describe('build failures', () => {
  it('report the Verilator log', async () => {
    const bad = new URL('./fixtures/broken.v', import.meta.url).pathname;
    const err = await buildModel({ sources: [bad], top: 'broken' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildError);
    expect((err as BuildError).message).toMatch(/building design 'broken' failed/);
    expect((err as BuildError).log).toMatch(/broken\.v:\d+/);
  });
});
