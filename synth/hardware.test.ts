import { describe, expect, it } from 'vitest';
import { configHardware, hardwareMarkdown, type HardwareResult } from './hardware.ts';

const pe = (design: string, target: string, mhz: number | null, kind?: 'routed' | 'logic-only', macs = 1): HardwareResult => ({
  design, kind: 'pe', target, macs, resources: { lut: 100, ff: 50, dsp: 1, bram: 0 }, fmax: { mhz, ...(kind ? { kind } : {}) },
});

describe('per-configuration hardware', () => {
  it('composes the array from its PE, with MACs/cycle, the clock and where it comes from, peak GMAC/s and fits', () => {
    const [h] = configHardware([pe('a.pe', 'xc7', 250, 'logic-only')], () => ({ rows: 4, cols: 8 }));
    expect(h).toMatchObject({ config: 'a', target: 'xc7', macsPerCycle: 32, clock: { mhz: 250, kind: 'logic-only', of: 'PE' }, peakGmacs: 8 });
    expect(h.array).toEqual({ lut: 3200, ff: 1600, dsp: 32, bram: 0, how: 'composed' });
    // a35t: 20800 LUT / 3200 = 6, 90 DSP / 32 = 2 -> DSP limits.
    expect(h.fits).toContainEqual({ device: 'a35t', count: 2, limitedBy: 'dsp' });
    expect(h.fits.map((f) => f.device)).toEqual(['a35t', 'a100t']);
  });

  it('takes a placed whole array over the composed one, its routed clock and its utilisation', () => {
    const whole: HardwareResult = {
      design: 'a', kind: 'array', target: 'ice40', macs: 4, resources: { lut: 3000, ff: 2000, dsp: 0, bram: 0 }, fmax: { mhz: 30.5, kind: 'routed' },
      fit: { part: 'iCE40HX8K-CT256', fits: true }, utilisation: { ICESTORM_LC: { used: 4500, available: 7680 } },
    };
    const [h] = configHardware([pe('a.pe', 'ice40', 40, 'routed'), whole], () => ({ rows: 2, cols: 2 }));
    expect(h).toMatchObject({ clock: { mhz: 30.5, kind: 'routed', of: 'array' }, array: { lut: 3000, how: 'whole' }, placed: { part: 'iCE40HX8K-CT256' } });
    expect(h.peakGmacs).toBeCloseTo(0.122, 6);
    const md = hardwareMarkdown([h]);
    expect(md).toContain('| a | ice40 | 100 / 50 / 1 | 3000 / 2000 / 0 (whole) | 4 | 30.5 (routed, array) | 0.12 |');
    expect(md).toContain('| a | iCE40HX8K-CT256 | 4500 / 7680 | – | – | 30.5 |');
  });

  it('says when no clock was measured, and a packed PE counts its lanes', () => {
    const [h] = configHardware([pe('p.pe', 'ice40', null, undefined, 2)], () => ({ rows: 4, cols: 4 }));
    expect(h.clock).toBeNull();
    expect(h.peakGmacs).toBeNull();
    expect(h.array.lut).toBe(800); // 8 PEs of 2 lanes
    expect(hardwareMarkdown([h])).toContain('| not measured | – |');
  });
});
