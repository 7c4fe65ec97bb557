// The sim-time logger (cocotb's log layout) and cocotb's WAVES=1.
import { expect, it } from 'vitest';
import { dff } from './fixtures/designs.ts';
import { Clock, ClockCycles, formatLogLine, simLogger, test } from './index.ts';
import { wavesOn } from './test.ts';

const lines: string[] = [];

test(dff(8), 'log lines carry the simulated time', async (dut) => {
  const log = simLogger('tb.dff', { write: (l) => lines.push(l), env: {} });
  new Clock(dut.clk_i, 10, 'ns').start();
  log.info('start');
  await ClockCycles(dut.clk_i, 3);
  log.warning('three cycles later');
  log.debug('below the threshold');
});

it('stamps each line with the time it was written, in cocotb\'s layout', () => {
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^\s+0\.00ns INFO\s+tb\.dff\s+start$/);
  expect(lines[1]).toMatch(/^\s+\d+\.00ns WARNING\s+tb\.dff\s+three cycles later$/);
  expect(Number(/([\d.]+)ns/.exec(lines[1])![1])).toBeGreaterThanOrEqual(20);
});

it('outside a test the time is -.--; the threshold comes from MPSA_LOG_LEVEL or COCOTB_LOG_LEVEL', () => {
  const got: string[] = [];
  const log = simLogger('x', { write: (l) => got.push(l), env: { COCOTB_LOG_LEVEL: 'debug' } });
  log.debug('d');
  expect(got).toEqual([formatLogLine(null, 'ns', 'DEBUG', 'x', 'd')]);
  expect(got[0]).toContain('-.--ns DEBUG');
  expect(() => simLogger('x', { env: { MPSA_LOG_LEVEL: 'LOUD' } })).toThrow(/MPSA_LOG_LEVEL: must be DEBUG \| INFO \| WARNING \| ERROR/);
});

it('WAVES=1 (cocotb) turns waves on like MPSA_WAVES=1; a test\'s own option wins', () => {
  expect(wavesOn({}, { WAVES: '1' })).toBe(true);
  expect(wavesOn({}, { MPSA_WAVES: '1' })).toBe(true);
  expect(wavesOn({}, {})).toBe(false);
  expect(wavesOn({ waves: false }, { WAVES: '1' })).toBe(false);
});
