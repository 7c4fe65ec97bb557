import { describe, expect, it } from 'vitest';
import { costMarkdown, costRows } from './cost.ts';
import { blockPeKinds } from './block-design.ts';
import { peKinds } from './design.ts';
import type { SynthResult } from './flow.ts';

const result = (design: string, target: SynthResult['target'], lut: number, mhz: number | null = null): SynthResult => ({
  design, kind: 'pe', target, top: 'mac_pe', params: {}, macs: 1, stages: { latency: 8, pipeline: { mul: 3, acc: 6 } }, resources: { lut, ff: 20, dsp: 1, bram: 0, carry: 7, mux: 0 },
  cells: {}, tools: { yosys: 'Yosys 0.23' }, seconds: 1, key: 'k',
  fmax: mhz === null ? { mhz, method: 'not measured' } : target === 'ice40' ? { mhz, kind: 'routed', method: 'nextpnr' } : { mhz, kind: 'logic-only', ns: 1000 / mhz, method: 'sta' },
});

describe('cost table', () => {
  it('has 30 PE kinds: 5 operand formats × 3 accumulators × 2 styles', () => {
    expect(peKinds()).toHaveLength(30);
    expect(peKinds()[0].name).toBe('e2m1-fp16-separate');
  });

  it('gives one row per PE result in the shape issue 8 asks for, configuration PEs left out', () => {
    const rows = costRows([result('pe.e4m3-fp32-fused', 'xc7', 500), { ...result('e4m3-8x4-bf16-sr', 'xc7', 9), kind: 'array' }]);
    expect(rows).toEqual([{
      pe: 'e4m3-fp32-fused', target: 'xc7', luts_per_mac: 500, ffs_per_mac: 20, dsps_per_mac: 1, carry_per_mac: 7,
      fmax_mhz: null, fmax_kind: null, path_ns: null, stages: { latency: 8, pipeline: { mul: 3, acc: 6 } },
    }]);
  });

  it('writes a markdown line per PE kind with its stages, every target and both kinds of clock', () => {
    const md = costMarkdown(costRows([result('pe.e2m1-fp16-fused', 'xc7', 600, 250), result('pe.e2m1-fp16-fused', 'ice40', 700, 45.25)]), '# T');
    expect(md).toContain('| PE (operands-acc-style) | stages | xc7 LUT/FF/DSP | xc7 MHz logic-only ≤ | xcup LUT/FF/DSP | xcup MHz logic-only ≤ | ice40 LUT/FF/DSP | iCE40 MHz routed |');
    expect(md).toContain('| e2m1-fp16-fused | 3+6 | 600 / 20 / 1 | 250.0 | – | – | 700 / 20 / 1 | 45.3 |');
    expect(md.split('\n').filter((l) => l.startsWith('| e'))).toHaveLength(1);
  });

  it('has the integer and block PE kinds; a packed PE counts its lanes as MACs', () => {
    const kinds = blockPeKinds();
    expect(kinds.map((k) => k.name)).toEqual(['int8', 'int4', 'int8x2-packed', 'int4x2-packed', 'int4x3-packed', 'bfp7b16-fp32', 'mxfp8-e4m3-fp32', 'mxfp4-e2m1-fp32']);
    const packed = kinds[2].design();
    expect(packed).toMatchObject({ id: 'pe.int8x2-packed', top: 'int_packed_pe', macs: 2, params: { A_W: 8, B_W: 8, LANES: 2, ACC_W: 32 } });
    expect(kinds[6].design()).toMatchObject({ top: 'block_pe', macs: 1, params: { A_KIND: 2, A_FRAC: 9, A_SCALE: 1, BLOCK: 32 } });
    const rows = costRows([{ ...result('pe.int8x2-packed', 'xc7', 193), macs: 2, stages: { latency: 2 } }]);
    expect(rows[0]).toMatchObject({ pe: 'int8x2-packed', luts_per_mac: 96.5, dsps_per_mac: 0.5 });
    expect(costMarkdown(rows, '# T')).toContain('| int8x2-packed | 2 | 96.50 / 10 / 0.50 | not measured | – | – | – | – |');
  });
});
