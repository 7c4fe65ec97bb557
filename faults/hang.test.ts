// Fault: model code that never returns (issue 16, kind 1). The shim's watchdog
// leaves the spinning evaluation at the test's wall-clock limit; the test fails
// with a clear message and the tests after it in the same file still run.
// On code without the watchdog the first test never ends and blocks its worker
// (the run as a whole is checked by faults/suites.test.ts).
import { expect } from 'vitest';
import { Clock, ClockCycles, ReadOnly, WallTimeoutError, test } from '../harness/index.ts';
import { hang } from '../harness/fixtures/designs.ts';

test(
  hang,
  'an evaluation that never returns fails at the wall limit',
  async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start();
    await ClockCycles(dut.clk_i, 2);
    dut.hang_i.value = 1;
    await ClockCycles(dut.clk_i, 5);
  },
  { wallTimeoutMs: 1500, expectFail: /still running at the wall-clock limit[\s\S]*wall-clock limit 1500 ms/ },
);

test(
  hang,
  'the fast path that never returns fails the same way',
  async (dut) => {
    dut.hang_i.value = 1;
    new Clock(dut.clk_i, 10, 'ns').start();
    await ClockCycles(dut.clk_i, 1000);
  },
  { wallTimeoutMs: 1000, expectFail: WallTimeoutError },
);

test(hang, 'the next test in the file gets a fresh model and passes', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  await ClockCycles(dut.clk_i, 6);
  await ReadOnly();
  expect(dut.count_o.value).toBe(6);
});
