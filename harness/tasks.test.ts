// Tasks, combinators and synchronisation between tasks.
import { expect } from 'vitest';
import { CancelledError, Clock, ClockCycles, Combine, Event, First, Lock, Queue, ReadOnly, RisingEdge, SimTimeoutError, Timer, startSoon, test, withTimeout } from './index.ts';
import { dff } from './fixtures/designs.ts';

const design = dff(8);

test(
  design,
  'a background task that throws fails its test',
  async (dut) => {
    new Clock(dut.clk_i, 10, 'ns').start();
    startSoon(async () => {
      await ClockCycles(dut.clk_i, 3);
      throw new Error('monitor saw a bad value');
    }, 'monitor');
    await ClockCycles(dut.clk_i, 100);
    throw new Error('not reached: the monitor fails the test first');
  },
  { expectFail: /task monitor failed: monitor saw a bad value/ },
);

test(design, 'First resumes on the earliest trigger and says which', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  const edge = RisingEdge(dut.clk_i);
  const r = await First(Timer(100, 'ns'), edge);
  expect(r.index).toBe(1);
  expect(r.trigger).toBe(edge);
  const slow = startSoon(async () => {
    await Timer(50, 'ns');
    return 'slow';
  });
  const r2 = await First(slow, Timer(20, 'ns'));
  expect(r2.index).toBe(1);
  const r3 = await First(slow, Timer(100, 'ns'));
  expect(r3).toMatchObject({ index: 0, value: 'slow' });
});

test(design, 'Combine resumes when all of its triggers have fired', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  const a = startSoon(async () => {
    await Timer(30, 'ns');
    return 1;
  });
  const b = startSoon(async () => {
    await ClockCycles(dut.clk_i, 7);
    return 2;
  });
  await Combine(a, b, Timer(5, 'ns'));
  expect([a.result(), b.result()]).toEqual([1, 2]);
  await ReadOnly();
  // Seven rising edges of a clock starting low: the 7th at 5 + 6·10 ns.
  expect(dut.clk_i.value).toBe(1);
});

test(design, 'withTimeout gives the result or throws SimTimeoutError', async () => {
  const v = await withTimeout(
    startSoon(async () => {
      await Timer(10, 'ns');
      return 42;
    }),
    20,
    'ns',
  );
  expect(v).toBe(42);
  await expect(withTimeout(Timer(50, 'ns'), 20, 'ns')).rejects.toThrow(SimTimeoutError);
});

test(design, 'Event, Lock and Queue coordinate tasks', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  const ev = new Event<number>();
  const q = new Queue<number>(2);
  const lock = new Lock();
  const order: string[] = [];
  const producer = startSoon(async () => {
    for (let i = 0; i < 5; i++) {
      await q.put(i);
      await RisingEdge(dut.clk_i);
    }
    ev.set(5);
  });
  const got: number[] = [];
  for (let i = 0; i < 5; i++) got.push(await q.get());
  await ev.wait();
  expect(ev.data).toBe(5);
  expect(got).toEqual([0, 1, 2, 3, 4]);
  await producer;
  const worker = (name: string) =>
    startSoon(async () => {
      await lock.acquire();
      try {
        order.push(`${name}+`);
        await ClockCycles(dut.clk_i, 2);
        order.push(`${name}-`);
      } finally {
        lock.release();
      }
    });
  await Combine(worker('a'), worker('b'));
  expect(order).toEqual(['a+', 'a-', 'b+', 'b-']);
});

let cancelled = false;
test(design, 'tasks still running when the test ends are cancelled', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  startSoon(async () => {
    try {
      await ClockCycles(dut.clk_i, 1000);
    } catch (e) {
      cancelled = e instanceof CancelledError;
    }
  });
  await ClockCycles(dut.clk_i, 2);
});

test(design, 'the cancelled task saw CancelledError', () => {
  expect(cancelled).toBe(true);
});
