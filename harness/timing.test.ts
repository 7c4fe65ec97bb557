// The timing model on a D flip-flop: what a task reads and when its writes land.
import { expect } from 'vitest';
import { Clock, ClockCycles, FallingEdge, PhaseError, ReadOnly, ReadWrite, RisingEdge, SimTimeoutError, Timer, ValueChange, test } from './index.ts';
import { dff } from './fixtures/designs.ts';

const design = dff(8);

test(design, 'after RisingEdge a task reads pre-edge values; its writes land after the edge', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  dut.rst_ni.value = 1;
  dut.d_i.value = 1;
  await RisingEdge(dut.clk_i); // the clock's first edge, at time 0, with d_i = 1 written beside it
  const seen: number[] = [];
  for (let i = 2; i <= 6; i++) {
    dut.d_i.value = i;
    await RisingEdge(dut.clk_i);
    seen.push(dut.q_o.value as number);
    // The write of d_i = i was applied after the previous edge: comb_o shows it.
    expect(dut.comb_o.value).toBe(i);
  }
  // At each edge q_o still holds what the previous edge captured.
  expect(seen).toEqual([1, 2, 3, 4, 5]);
  await ReadOnly();
  expect(dut.q_o.value).toBe(6); // after the edge settles, the new value
});

test(design, 'a write is applied in the same time step and seen in ReadWrite and ReadOnly', async (dut) => {
  dut.d_i.value = 0x5a;
  expect(dut.comb_o.value).toBe(0); // not applied yet
  await ReadWrite();
  expect(dut.comb_o.value).toBe(0x5a);
  dut.d_i.value = 0x3c; // a write in ReadWrite still lands in this time step
  await ReadOnly();
  expect(dut.comb_o.value).toBe(0x3c);
});

test(design, 'writing in ReadOnly is rejected', async (dut) => {
  await ReadOnly();
  expect(() => {
    dut.d_i.value = 1;
  }).toThrow(PhaseError);
  await expect(Promise.resolve(ReadWrite())).rejects.toThrow(/ReadOnly/);
  await Timer(1, 'ns');
  dut.d_i.value = 1; // fine again in the next time step
});

test(design, 'writes are masked to the port width', async (dut) => {
  dut.d_i.value = 0x1ff;
  await ReadOnly();
  expect(dut.comb_o.value).toBe(0xff);
  await Timer(1);
  dut.d_i.value = -1;
  await ReadOnly();
  expect(dut.comb_o.value).toBe(0xff);
  expect(() => {
    dut.q_o.value = 1;
  }).toThrow(/output/);
});

test(design, 'Timer, FallingEdge and ValueChange resume at the right times', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  dut.rst_ni.value = 1;
  await Timer(12, 'ns');
  await FallingEdge(dut.clk_i);
  await ReadOnly();
  const t0 = dut.q_o.value;
  await Timer(1, 'ns');
  dut.d_i.value = 7;
  await ValueChange(dut.q_o); // the next rising edge captures 7
  expect(dut.q_o.value).toBe(7);
  expect(t0).toBe(0);
  await ClockCycles(dut.clk_i, 3);
  expect(dut.clk_i.value).toBe(1);
});

test(
  design,
  'a test that runs past its simulated-time limit fails',
  async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start();
    await ClockCycles(dut.clk_i, 1_000_000);
  },
  { timeout: [1, 'us'], expectFail: SimTimeoutError },
);

test(design, 'fast path and scheduler agree on state and time', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  dut.rst_ni.value = 1;
  dut.d_i.value = 9;
  await ClockCycles(dut.clk_i, 10_000);
  await ReadOnly();
  expect(dut.q_o.value).toBe(9);
  expect(dut.clk_i.value).toBe(1);
});
