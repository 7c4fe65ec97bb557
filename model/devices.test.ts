import { describe, expect, it } from 'vitest';
import { DEVICES, deviceByName, fit } from './devices.ts';

describe('device catalog', () => {
  it('has the parts the issue names, each with positive totals and a data sheet source', () => {
    for (const n of ['up5k', 'hx8k', 'a35t', 'a100t', 'zcu102', 'u250', 'u280']) expect(deviceByName(n).name).toBe(n);
    for (const d of DEVICES) {
      // Every part has LUTs, flops and block RAM; the iCE40HX8K has no DSP.
      for (const v of Object.values(d.totals)) expect(Number.isInteger(v) && v >= 0).toBe(true);
      expect(d.totals.lut > 0 && d.totals.ff > 0 && d.totals.bram > 0).toBe(true);
      expect(d.totals.dsp > 0 || d.name === 'hx8k').toBe(true);
      expect(d.source).toMatch(/(DS|FPGA-DS-)\d+/);
    }
    expect(new Set(DEVICES.map((d) => d.name)).size).toBe(DEVICES.length);
  });

  it('finds a part by its part number too, and names the catalog for an unknown one', () => {
    expect(deviceByName('XCZU9EG').name).toBe('zcu102');
    expect(() => deviceByName('xc7z020')).toThrow(/unknown device 'xc7z020' \(known: up5k \(iCE40UP5K\)/);
  });

  it('keeps the data sheet figures that are easy to mistype', () => {
    expect(deviceByName('up5k').totals).toEqual({ lut: 5280, ff: 5280, dsp: 8, bram: 30 });
    expect(deviceByName('a35t').totals.lut).toBe(5200 * 4);
    expect(deviceByName('a100t').totals.lut).toBe(15850 * 4);
    expect(deviceByName('u280').totals.lut).toBe(162960 * 8);
  });
});

describe('fit', () => {
  const a35t = deviceByName('a35t');

  it('is limited by the scarcest resource', () => {
    // 1000 LUTs → 20 copies; 4 DSPs → 22; the LUTs limit.
    expect(fit({ lut: 1000, ff: 100, dsp: 4, bram: 0 }, a35t)).toMatchObject({ count: 20, limitedBy: 'lut' });
    // 10 DSPs → 9 copies, LUTs would allow 20.
    const f = fit({ lut: 1000, ff: 100, dsp: 10, bram: 0 }, a35t);
    expect(f).toMatchObject({ count: 9, limitedBy: 'dsp' });
    expect(f.use.dsp).toBeCloseTo(1, 10);
    expect(f.use.lut).toBeCloseTo(9000 / 20800, 10);
  });

  it('ignores resources the design does not use, and counts exact divisions as fitting', () => {
    expect(fit({ lut: 5280, ff: 0, dsp: 0, bram: 0 }, deviceByName('up5k'))).toMatchObject({ count: 1, limitedBy: 'lut' });
    expect(fit({ lut: 5281, ff: 0, dsp: 0, bram: 0 }, deviceByName('up5k')).count).toBe(0);
    expect(fit({ lut: 0, ff: 0, dsp: 0, bram: 0.5 }, a35t)).toMatchObject({ count: 100, limitedBy: 'bram' });
  });

  it('budgets a fraction of the device with utilisation', () => {
    expect(fit({ lut: 1000, ff: 0, dsp: 0, bram: 0 }, a35t, 0.8).count).toBe(16);
    expect(() => fit({ lut: 1, ff: 0, dsp: 0, bram: 0 }, a35t, 0)).toThrow(/utilisation/);
  });

  it('rejects a use of nothing and bad numbers', () => {
    expect(() => fit({ lut: 0, ff: 0, dsp: 0, bram: 0 }, a35t)).toThrow(/uses no/);
    expect(() => fit({ lut: -1, ff: 0, dsp: 0, bram: 0 }, a35t)).toThrow(/lut use/);
    expect(() => fit({ lut: NaN, ff: 0, dsp: 0, bram: 0 }, a35t)).toThrow(/lut use/);
  });
});
