// Signals inside the design (DesignSpec.internals): reading by path, Deposit / Force / Freeze /
// Release with their timing around clock edges, Verilog's release rules for variables and nets,
// and the errors. The hier fixture: two lanes g_lane[i].u_leaf, each a register acc_q (a
// variable) fed by the net sum = acc_q + x_i * Gain (Gain = i + 1), whose complement is the
// lane's output y[i]; the top registers lane 0's output into q_o and drives mix = y[0] ^ y[1].
import { expect } from 'vitest';
import {
  Clock, ClockCycles, Force, FallingEdge, Freeze, PhaseError, ReadOnly, ReadWrite, Release, RisingEdge, Timer, ValueChange, hierarchy, signalAt, test,
  type Dut, type HierNode,
} from './index.ts';
import { dff, hier } from './fixtures/designs.ts';

/** Clock (rising edges at 0, 10, 20… ns), reset for two cycles, then x_i = 1. */
async function start(dut: Dut): Promise<void> {
  new Clock(dut.clk_i, 10, 'ns').start();
  dut.rst_ni.value = 0;
  await ClockCycles(dut.clk_i, 2);
  dut.rst_ni.value = 1;
  dut.x_i.value = 1;
}

const lane = (dut: Dut, i: number): HierNode => hierarchy(dut).g_lane[i]!.u_leaf;

test(hier, 'signals inside the design are read by path, like cocotb\'s dut.u.sig', async (dut) => {
  await start(dut);
  await ClockCycles(dut.clk_i, 5);
  await ReadOnly();
  expect(lane(dut, 0).acc_q.value).toBe(5);
  expect(lane(dut, 1).acc_q.value).toBe(10);
  expect(signalAt(dut, 'g_lane[1].u_leaf.sum').value).toBe(12);
  expect(signalAt(dut, 'g_lane.1.u_leaf.Gain').value).toBe(2); // parameters read too
  expect(hierarchy(dut).mix.value).toBe(6 ^ 12);
  expect(signalAt(dut, 'x_i')).toBe(dut.x_i); // ports are the same Signals
  expect(Object.keys(lane(dut, 0))).toEqual(expect.arrayContaining(['acc_q', 'sum', 'x_i', 'y_o', 'Gain']));
  expect(lane(dut, 0).acc_q.width).toBe(8);
});

test(hier, 'Deposit on a variable holds until the design next assigns it; logic it feeds follows at once', async (dut) => {
  await start(dut);
  await ClockCycles(dut.clk_i, 3);
  await FallingEdge(dut.clk_i);
  const acc = lane(dut, 0).acc_q;
  acc.set(100); // a plain write is a Deposit
  expect(acc.value).toBe(3); // applied in the write phase, like port writes
  await ReadWrite();
  expect(acc.value).toBe(100);
  expect(lane(dut, 0).sum.value).toBe(101);
  expect(dut.y0_o.value).toBe(~101 & 0xff);
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(acc.value).toBe(101); // the register took sum as usual, continuing from the deposit
});

test(hier, 'Deposit on a net lasts until its driver is next evaluated: the same write phase', async (dut) => {
  await start(dut);
  await ClockCycles(dut.clk_i, 2);
  await FallingEdge(dut.clk_i);
  const sum = lane(dut, 0).sum;
  sum.value = 77;
  await ReadWrite();
  expect(sum.value).toBe(3); // acc_q (2) + x_i (1): the continuous assignment won
  expect(dut.y0_o.value).toBe(~3 & 0xff);
});

test(hier, 'Force on a net: a Force issued at an edge lands after that edge; flops see it from the next edge; Release restores the driver at once', async (dut) => {
  await start(dut);
  await ClockCycles(dut.clk_i, 3); // begin phase of an edge: acc_q of lane 0 is 2 before it
  const { acc_q: acc, sum } = lane(dut, 0);
  sum.value = Force(50);
  await ReadOnly();
  expect(acc.value).toBe(3); // this edge captured the unforced sum (2 + 1)…
  expect(sum.value).toBe(50); // …the force applied after it
  expect(dut.y0_o.value).toBe(~50 & 0xff);
  expect(dut.mix_o.value).toBe(50 ^ (lane(dut, 1).sum.value as number));
  await RisingEdge(dut.clk_i);
  expect(acc.value).toBe(3); // pre-edge
  await ReadOnly();
  expect(acc.value).toBe(50); // the next edge captured the forced value
  expect(dut.q_o.value).toBe(~50 & 0xff); // so did the top's register of y[0]
  expect(sum.value).toBe(50); // held, although its driver now says 51
  await ClockCycles(dut.clk_i, 3); // the C fast path runs with the force in place
  await ReadOnly();
  expect(acc.value).toBe(50);
  await RisingEdge(dut.clk_i);
  sum.value = Release(); // issued at an edge: that edge still captures 50
  await ReadOnly();
  expect(acc.value).toBe(50);
  expect(sum.value).toBe(51); // a net takes its driver's value as soon as it is released
  expect(dut.y0_o.value).toBe(~51 & 0xff);
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(acc.value).toBe(51);
});

test(hier, 'Force on a variable overrides the design\'s assignments; after Release it keeps the forced value until the next one', async (dut) => {
  await start(dut);
  await ClockCycles(dut.clk_i, 2);
  await FallingEdge(dut.clk_i);
  const { acc_q: acc, sum } = lane(dut, 1); // acc 2, sum 4 (Gain 2)
  acc.value = Force(200);
  await ReadOnly();
  expect(acc.value).toBe(200);
  expect(sum.value).toBe(202); // readers see the forced value
  await ClockCycles(dut.clk_i, 2);
  await ReadOnly();
  expect(acc.value).toBe(200); // the register's assignments do not show while forced
  await FallingEdge(dut.clk_i);
  acc.value = Release();
  await ReadOnly();
  expect(acc.value).toBe(200); // a released variable keeps its value…
  expect(sum.value).toBe(202);
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(acc.value).toBe(202); // …until the design assigns it
});

test(hier, 'Freeze forces the value the signal has when the write lands', async (dut) => {
  await start(dut);
  await ClockCycles(dut.clk_i, 4);
  await FallingEdge(dut.clk_i);
  const acc = lane(dut, 0).acc_q;
  acc.value = Freeze();
  await ClockCycles(dut.clk_i, 5);
  await ReadOnly();
  expect(acc.value).toBe(4);
  expect((acc as unknown as { forced: boolean }).forced).toBe(true);
  await Timer(1, 'ns');
  acc.value = Release();
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(acc.value).toBe(5);
});

test(hier, 'a task can wait on a change of a signal inside the design', async (dut) => {
  await start(dut);
  const acc = lane(dut, 1).acc_q;
  await ValueChange(acc);
  await ReadOnly();
  expect(acc.value).toBe(2);
  await ValueChange(acc);
  expect(acc.value).toBe(4);
});

test(hier, 'unknown paths fail naming close matches; parameters, ports and ReadOnly refuse the writes they cannot take', async (dut) => {
  await start(dut);
  expect(() => lane(dut, 0).acc).toThrow(/hier has no signal or scope 'g_lane\[0\]\.u_leaf\.acc'; close matches: g_lane\[0\]\.u_leaf\.acc_q/);
  expect(() => hierarchy(dut).acc_q).toThrow(/close matches: g_lane\[0\]\.u_leaf\.acc_q, g_lane\[1\]\.u_leaf\.acc_q/);
  expect(() => signalAt(dut, 'g_lane[2].u_leaf.sum')).toThrow(/no signal or scope 'g_lane\[2\]'; close matches: g_lane\[0\], g_lane\[1\]/);
  expect(() => signalAt(dut, 'g_lane[0].u_leaf')).toThrow(/is a scope, not a signal; it holds .*acc_q/);
  expect(() => lane(dut, 0).Gain.set(3)).toThrow(/g_lane\[0\]\.u_leaf\.Gain is a parameter/);
  // mix only feeds `assign mix_o = mix`: Verilator merged it and dropped its force control.
  expect(() => hierarchy(dut).mix.set(Force(1))).toThrow(/mix cannot be forced: Verilator has no working force control for it/);
  expect(() => {
    dut.x_i.value = Force(1);
  }).toThrow(/Force applies to signals inside the design/);
  await ReadOnly();
  expect(() => lane(dut, 0).acc_q.set(Force(1))).toThrow(PhaseError);
});

test(hier, 'unpacked arrays are indexed: mem[i] is a signal; a deposit lasts until the design writes the element', async (dut) => {
  await start(dut);
  const { hist, y } = hierarchy(dut);
  expect(hist.length).toBe(4);
  await ReadOnly();
  expect(y[0]!.value).toBe(dut.y0_o.value);
  expect(y[1]!.value).toBe(dut.y1_o.value);
  const newest: number[] = [];
  for (let e = 0; e < 4; e++) {
    await RisingEdge(dut.clk_i);
    await ReadOnly();
    newest.push(hist[0]!.value as number);
  }
  expect([0, 1, 2, 3].map((k) => hist[k]!.value)).toEqual([...newest].reverse());
  expect(signalAt(dut, 'hist[2]')).toBe(hist[2]);
  await FallingEdge(dut.clk_i);
  hist[3]!.value = 0x5a;
  await ReadOnly();
  expect(hist[3]!.value).toBe(0x5a);
  const before = hist[2]!.value;
  await RisingEdge(dut.clk_i);
  await ReadOnly();
  expect(hist[3]!.value).toBe(before); // the shift overwrote the deposit
  expect(() => hist[4]).toThrow(/hist\[4\]: hist has elements 0 to 3/);
  expect(() => signalAt(dut, 'hist')).toThrow(/hist is an unpacked array \[0:3\]: index it \(hist\[0\]\)/);
  await Timer(1, 'ns');
  expect(() => hist[0]!.set(Force(1))).toThrow(/hist\[0\] cannot be forced/);
});

test(dff(8), 'a design built without internals says how to reach its insides', async (dut) => {
  expect(() => hierarchy(dut)).toThrow(/design 'dff' was built without internals: set internals: true/);
  expect(() => signalAt(dut, 'u.q')).toThrow(/built without internals/);
  expect(signalAt(dut, 'q_o')).toBe(dut.q_o);
});
