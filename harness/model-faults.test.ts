// $fatal, $finish and failed assertions in the RTL end one test, never the process.
import { expect } from 'vitest';
import { Clock, ClockCycles, ReadOnly, RisingEdge, SimFailure, test } from './index.ts';
import { stopper } from './fixtures/designs.ts';

test(
  stopper,
  '$fatal in the RTL fails the test with its message',
  async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start();
    await ClockCycles(dut.clk_i, 3);
    dut.fatal_i.value = 1;
    await ClockCycles(dut.clk_i, 5);
  },
  { expectFail: /the model stopped[\s\S]*stopper: fatal_i was set at count 3/ },
);

test(stopper, 'the next test gets a fresh model and passes', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  await ClockCycles(dut.clk_i, 4);
  await ReadOnly();
  expect(dut.count_o.value).toBe(4);
});

test(
  stopper,
  '$finish in the RTL ends the test as a SimFailure',
  async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start();
    dut.finish_i.value = 1;
    await ClockCycles(dut.clk_i, 1000);
  },
  { expectFail: SimFailure },
);

test(
  stopper,
  'a failed assertion fails the test, also inside the C fast path',
  async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start();
    await RisingEdge(dut.clk_i);
    dut.bad_i.value = 1;
    await ClockCycles(dut.clk_i, 100_000);
  },
  { expectFail: /stopper: bad_i was set/ },
);

test(stopper, 'and the process is still fine afterwards', async (dut) => {
  new Clock(dut.clk_i, 2, 'ns').start({ startHigh: false });
  await ClockCycles(dut.clk_i, 300);
  await ReadOnly();
  expect(dut.count_o.value).toBe(300 % 256);
});
