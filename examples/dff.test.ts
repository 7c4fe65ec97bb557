// The smallest harness test: clock a flip-flop and check what it captures.
// Copy this file next to your own Verilog to start. Run it with
//   npx vitest run examples/dff.test.ts
import { expect } from 'vitest';
import { Clock, ClockCycles, FallingEdge, RisingEdge, test } from '../harness/index.ts';

// The design: Verilog sources and the top module (parameters: { Name: value }).
// It is built once (verilator + g++) and cached; every test gets a fresh instance.
const dff = { sources: ['examples/dff.v'], top: 'dff' };

test(dff, 'q follows d one clock later', async (dut, t) => {
  // A 10 ns clock on clk_i, run by the scheduler (no task needed).
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });

  // Reset for two cycles. Writes apply after the current edge is evaluated.
  dut.rst_ni.value = 0;
  await ClockCycles(dut.clk_i, 2);
  dut.rst_ni.value = 1;

  for (let i = 0; i < 20; i++) {
    const d = Math.floor(t.random() * 256); // seeded: the failure message says how to replay
    dut.d_i.value = d;
    await RisingEdge(dut.clk_i); // the edge captures d; q_o still shows its pre-edge value here (as in cocotb)
    await FallingEdge(dut.clk_i); // half a cycle later, a safe time to check and to drive again
    expect(dut.q_o.value).toBe(d);
  }
});
