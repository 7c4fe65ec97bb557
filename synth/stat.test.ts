import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatJson, resources, StatParseError } from './stat.ts';

const fixture = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');

describe('parseStatJson', () => {
  it('reads Yosys 0.23 hierarchical output with its stray hierarchy lines', () => {
    const text = fixture('yosys-0.23-stat-hierarchical.txt'); // mac_pe, synth_xilinx without -flatten
    expect(() => JSON.parse(text)).toThrow(); // the recorded output really is not JSON
    const s = parseStatJson(text);
    expect(Object.keys(s.modules)).toHaveLength(15);
    expect(s.modules['\\mac_pe']).toMatchObject({ FDRE: 20, IBUF: 60 });
    expect(s.design).toMatchObject({ CARRY4: 61, FDRE: 84, LUT6: 263, MUXF7: 110, MUXF8: 27 });
    expect(resources(s.design)).toEqual({ lut: 20 + 209 + 154 + 96 + 88 + 263 + 68, ff: 84, dsp: 0, bram: 0, carry: 61, mux: 137 });
  });

  it('reads a flat design (synth_ice40)', () => {
    const s = parseStatJson(fixture('yosys-0.23-stat-flat.json'));
    expect(resources(s.design)).toEqual({ lut: 804, ff: 19, dsp: 0, bram: 0, carry: 178, mux: 0 });
  });

  it('takes the one module as the design when there is no design section', () => {
    const s = parseStatJson('{ "modules": { "\\\\top": { "num_cells_by_type": { "SB_LUT4": 3, "SB_MAC16": 1 } } } }');
    expect(resources(s.design)).toMatchObject({ lut: 3, dsp: 1 });
  });

  it('fails with the start of the text when it is not stat output', () => {
    expect(() => parseStatJson('ERROR: Module `\\foo` not found!')).toThrow(StatParseError);
    expect(() => parseStatJson('{ "creator": "x" }')).toThrow(/no "modules"/);
  });
});

describe('resources', () => {
  it('maps Xilinx and iCE40 cells to LUT, FF, DSP, BRAM, carry and mux counts', () => {
    expect(resources({ LUT1: 1, LUT6: 2, INV: 1, SRL16E: 1, RAM32M: 1, FDRE: 3, FDSE: 1, FDCE: 1, DSP48E2: 2, RAMB36E2: 1, RAMB18E2: 1, CARRY8: 4, MUXF7: 1, MUXF9: 1, BUFG: 1, VCC: 1 }))
      .toEqual({ lut: 6, ff: 5, dsp: 2, bram: 1.5, carry: 4, mux: 2 });
    expect(resources({ SB_LUT4: 10, SB_DFFSR: 2, SB_DFFESR: 1, SB_MAC16: 1, SB_RAM40_4K: 2, SB_CARRY: 5, SB_IO: 4 }))
      .toEqual({ lut: 10, ff: 3, dsp: 1, bram: 2, carry: 5, mux: 0 });
  });
});
