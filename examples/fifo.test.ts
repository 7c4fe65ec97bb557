// A FIFO driven by two tasks — a producer and a consumer with random stalls —
// and checked against a plain array as the reference model.
import { expect } from 'vitest';
import { Clock, ClockCycles, ReadOnly, RisingEdge, startSoon, test } from '../harness/index.ts';

const fifo = { sources: ['examples/fifo.v'], top: 'fifo', parameters: { Width: 8, Depth: 4, AddrWidth: 2 } };

test(
  fifo,
  'every item comes out once, in order, under random stalls',
  async (dut, t) => {
    new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
    dut.rst_ni.value = 0;
    await ClockCycles(dut.clk_i, 2);
    dut.rst_ni.value = 1;

    const sent = Array.from({ length: 200 }, () => Math.floor(t.random() * 256));
    const received: number[] = [];

    // Producer: offers the next item with probability 0.7 each cycle.
    startSoon(async () => {
      let i = 0;
      while (i < sent.length) {
        const offer = t.random() < 0.7;
        dut.in_valid_i.value = offer ? 1 : 0;
        dut.in_data_i.value = sent[i]!;
        await RisingEdge(dut.clk_i);
        // Read the handshake as the flop sees it: the values before this edge.
        if (offer && dut.in_ready_o.value === 1) i++;
      }
      dut.in_valid_i.value = 0;
    }, 'producer');

    // Consumer (this task): ready with probability 0.5 each cycle.
    while (received.length < sent.length) {
      const ready = t.random() < 0.5;
      dut.out_ready_i.value = ready ? 1 : 0;
      await RisingEdge(dut.clk_i);
      if (ready && dut.out_valid_o.value === 1) received.push(dut.out_data_o.value as number);
    }
    expect(received).toEqual(sent);
    await ReadOnly();
    expect(dut.out_valid_o.value).toBe(0);
  },
  { timeout: [100, 'us'] },
);
