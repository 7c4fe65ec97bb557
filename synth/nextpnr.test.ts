import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNextpnrLog } from './nextpnr.ts';

describe('parseNextpnrLog', () => {
  it('takes the routed Fmax (the last report) and the utilisation of a recorded UP5K run', () => {
    // nextpnr-ice40 0.4 on the scan-wrapped e2m1 separate PE; the per-net timing-budget and
    // critical-path detail lines are cut out of the recording.
    const r = parseNextpnrLog(readFileSync(new URL('./fixtures/nextpnr-0.4-up5k.log', import.meta.url), 'utf8'));
    expect(r.fmaxMhz).toBe(3.35);
    expect(r.clock).toBe('clk_i$SB_IO_IN_$glb_clk');
    expect(r.utilisation.ICESTORM_LC).toEqual({ used: 1071, available: 5280 });
    expect(r.utilisation.ICESTORM_DSP).toEqual({ used: 0, available: 8 });
  });

  it('says what is missing when the log has no Fmax', () => {
    expect(() => parseNextpnrLog('Info: Placed 12 cells\nERROR: Unable to place cell')).toThrow(/no 'Max frequency for clock'/);
  });
});
