// The sta parser on recorded Yosys 0.23 output (synth/fixtures/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStaLog } from './sta.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseStaLog', () => {
  it('reads the latest arrival of a register-to-register netlist (e4m3·e4m3→fp32 fused PE, xc7)', () => {
    expect(parseStaLog(fixture('yosys-0.23-sta-xc7.txt'))).toEqual({ ps: 4173 });
  });

  it('refuses a path cut by a cell without timing arcs and names the cell', () => {
    expect(() => parseStaLog(fixture('yosys-0.23-sta-xcup-muxf9-no-arcs.txt'))).toThrow(/does not end at a register \(cells without timing arcs: MUXF9; add them to synth\/xilinx-timing.v\)/);
  });

  it('says so when sta did not run', () => {
    expect(() => parseStaLog('Yosys 0.23\nEnd of script.')).toThrow(/no 'Latest arrival time' line/);
  });
});
