import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { overflow, parseNextpnrLog } from './nextpnr.ts';

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

  it('ignores the constant net nextpnr reports as a clock when a DSP runs unregistered', () => {
    // The MXFP8 block PE (3 SB_MAC16 used combinationally): clk_i 2.62 MHz routed, and
    // '$PACKER_GND_NET_$glb_clk' at 256.08 MHz, which an earlier parser took as the Fmax.
    const r = parseNextpnrLog(readFileSync(new URL('./fixtures/nextpnr-0.4-up5k-dsp-gnd-clock.log', import.meta.url), 'utf8'));
    expect(r).toMatchObject({ fmaxMhz: 2.62, clock: 'clk_i$SB_IO_IN_$glb_clk' });
    expect(r.utilisation.ICESTORM_DSP).toEqual({ used: 3, available: 8 });
  });

  it('takes the slowest design clock', () => {
    const log = "Info: Max frequency for clock 'a': 50.00 MHz (PASS at 12.00 MHz)\nInfo: Max frequency for clock 'b': 20.00 MHz (PASS at 12.00 MHz)\n";
    expect(parseNextpnrLog(log)).toMatchObject({ fmaxMhz: 20, clock: 'b' });
  });

  it('says what is missing when the log has no Fmax', () => {
    expect(() => parseNextpnrLog("Info: Max frequency for clock '$PACKER_GND_NET_$glb_clk': 300.00 MHz (PASS at 12.00 MHz)")).toThrow(/no 'Max frequency for clock' line for a design clock/);
    expect(() => parseNextpnrLog('Info: Placed 12 cells\nERROR: Unable to place cell')).toThrow(/no 'Max frequency for clock'/);
  });

  it('names what a placement that failed for room ran out of, and nothing for other failures', () => {
    // nextpnr-ice40 0.4 on a scan-wrapped 2x2 e4m3 array: the counts fit, packed cells did not.
    const log = readFileSync(new URL('./fixtures/nextpnr-0.4-up5k-overfull.log', import.meta.url), 'utf8');
    expect(overflow(log)).toEqual(['ICESTORM_LC 5538 > 5280']);
    expect(overflow('Info: \t         ICESTORM_LC:  1047/ 5280    19%\nERROR: Unable to route')).toEqual([]);
  });
});
