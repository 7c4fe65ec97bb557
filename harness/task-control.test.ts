// Task control (cancel, kill), NullTrigger / NextTimeStep / Edge, gather and select. Every test
// stands alone (no state shared between tests) and uses the shared 8-bit dff build.
import { expect } from 'vitest';
import {
  CancelledError, Clock, ClockCycles, Edge, FallingEdge, NextTimeStep, NullTrigger, ReadOnly, RisingEdge, Timer, gather, getSimTime, select, startSoon, test,
} from './index.ts';
import { dff } from './fixtures/designs.ts';

const design = dff(8);

test(design, 'cancel() throws CancelledError into the task at its await: finally runs, may await, and the test goes on', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false });
  dut.rst_ni.value = 1;
  const log: string[] = [];
  let cleanupAt = -1;
  const driver = startSoon(async () => {
    try {
      for (let i = 1; ; i++) {
        dut.d_i.value = i;
        await RisingEdge(dut.clk_i);
      }
    } catch (e) {
      log.push(e instanceof CancelledError ? `cancelled: ${e.message}` : `other: ${String(e)}`);
      throw e;
    } finally {
      log.push(`finally at ${getSimTime()} ns`);
      await FallingEdge(dut.clk_i); // cleanup may await
      dut.d_i.value = 0xee;
      cleanupAt = getSimTime();
    }
  }, 'driver');
  await ClockCycles(dut.clk_i, 3); // rising edges at 5, 15, 25 ns
  await Timer(2, 'ns');
  expect(driver.cancel('enough')).toBe(true);
  expect(driver.done).toBe(false); // its cleanup still runs
  await expect(Promise.resolve(driver)).rejects.toThrow(CancelledError);
  expect(driver.cancelled).toBe(true);
  expect(() => driver.result()).toThrow(/task driver was cancelled: enough/);
  expect(log).toEqual(['cancelled: task driver was cancelled: enough', 'finally at 27 ns']);
  expect(cleanupAt).toBe(30); // the falling edge after 27 ns
  await ReadOnly();
  expect(dut.comb_o.value).toBe(0xee);
  expect(driver.cancel()).toBe(false); // already finished
});

test(design, 'cancel() reaches an await inside a helper the task called', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  let cleaned = false;
  const waitCycles = async (n: number) => {
    await ClockCycles(dut.clk_i, n);
    return n;
  };
  const worker = startSoon(async () => {
    try {
      await waitCycles(2); // returns to the task through a plain promise
      await waitCycles(1000);
    } finally {
      cleaned = true;
    }
  });
  await ClockCycles(dut.clk_i, 5);
  worker.cancel();
  await expect(Promise.resolve(worker)).rejects.toThrow(CancelledError);
  expect(cleaned).toBe(true);
  expect(worker.cancelled).toBe(true);
  expect(getSimTime()).toBe(40); // not 1000 cycles later
});

test(design, 'a task cancelled while it runs throws at its next await; kill() is cancel()', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  const self = startSoon(async () => {
    await NullTrigger();
    self.cancel('by itself');
    await RisingEdge(dut.clk_i);
    return 'not reached';
  });
  await expect(Promise.resolve(self)).rejects.toThrow(/by itself/);
  const victim = startSoon(async () => {
    await ClockCycles(dut.clk_i, 100);
  });
  await RisingEdge(dut.clk_i);
  expect(victim.kill()).toBe(true);
  await expect(Promise.resolve(victim)).rejects.toThrow(/was cancelled: killed/);
});

test(design, 'a task that catches the CancelledError and returns ends normally', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  const stubborn = startSoon(async () => {
    try {
      await ClockCycles(dut.clk_i, 100);
      return 'finished';
    } catch {
      await RisingEdge(dut.clk_i);
      return 'stopped cleanly';
    }
  });
  await RisingEdge(dut.clk_i);
  stubborn.cancel();
  expect(await stubborn).toBe('stopped cleanly');
  expect(stubborn.cancelled).toBe(false);
});

test(design, 'a task awaiting another task can be cancelled; the other runs on', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  const long = startSoon(async () => {
    await ClockCycles(dut.clk_i, 10);
    return 7;
  });
  const joiner = startSoon(async () => await long);
  await RisingEdge(dut.clk_i);
  joiner.cancel();
  expect(await long).toBe(7);
  expect(joiner.cancelled).toBe(true);
});

test(design, 'NullTrigger resumes in the same time step after the tasks that are ready', async (dut) => {
  const order: string[] = [];
  startSoon(async () => {
    order.push('other starts');
    await NullTrigger();
    order.push('other resumes');
  });
  order.push('main');
  await NullTrigger();
  order.push('main resumes');
  expect(order).toEqual(['other starts', 'main', 'other resumes', 'main resumes']);
  expect(getSimTime()).toBe(0);
  await ReadOnly();
  await NullTrigger(); // allowed in ReadOnly
  expect(dut.q_o.value).toBe(0);
});

test(design, 'NextTimeStep resumes at the next time anything happens, before it is evaluated', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start({ startHigh: false }); // rises at 5, 15, …
  dut.rst_ni.value = 1;
  dut.d_i.value = 9;
  await NextTimeStep();
  expect(getSimTime()).toBe(5);
  expect(dut.clk_i.value).toBe(1); // the clock has toggled…
  expect(dut.q_o.value).toBe(0); // …but the edge is not evaluated yet
  startSoon(async () => {
    await Timer(3, 'ns');
  });
  await NextTimeStep();
  expect(getSimTime()).toBe(8); // the Timer's time step
  await NextTimeStep();
  expect(getSimTime()).toBe(10);
  expect(dut.q_o.value).toBe(9);
});

test(design, 'Edge is ValueChange on a vector', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  dut.rst_ni.value = 1;
  startSoon(async () => {
    await Timer(32, 'ns');
    dut.d_i.value = 0x42;
  });
  await Edge(dut.q_o);
  expect(getSimTime()).toBe(40);
  expect(dut.q_o.value).toBe(0x42);
});

test(design, 'gather returns every result in order', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  const t = startSoon(async () => {
    await ClockCycles(dut.clk_i, 4);
    return 'task';
  });
  const [a, b, c, d] = await gather(
    async () => {
      await Timer(25, 'ns');
      return 1;
    },
    t,
    RisingEdge(dut.clk_i),
    Promise.resolve('promise'),
  );
  expect([a, b, c, d]).toEqual([1, 'task', undefined, 'promise']);
  expect(getSimTime()).toBe(30);
});

test(design, 'gather fails fast: the first exception cancels the others, whose cleanup runs before it is thrown', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  const cleanup: string[] = [];
  let failedAt = -1;
  try {
    await gather(
      async () => {
        try {
          await ClockCycles(dut.clk_i, 1000);
        } finally {
          cleanup.push(`slow at ${getSimTime()} ns`);
        }
      },
      async () => {
        await ClockCycles(dut.clk_i, 3);
        throw new Error('checker saw a mismatch');
      },
    );
  } catch (e) {
    failedAt = getSimTime();
    expect((e as Error).message).toBe('checker saw a mismatch');
  }
  expect(failedAt).toBe(20);
  expect(cleanup).toEqual(['slow at 20 ns']);
  await ClockCycles(dut.clk_i, 2); // the test goes on: the exception went to gather, not to the test
});

test(design, 'select returns the first to finish and cancels the rest', async (dut) => {
  new Clock(dut.clk_i, 10, 'ns').start();
  let loserCleaned = false;
  const [i, v] = await select(
    async () => {
      try {
        await Timer(500, 'ns');
        return 'late';
      } finally {
        loserCleaned = true;
      }
    },
    async () => {
      await ClockCycles(dut.clk_i, 2);
      return 'early';
    },
  );
  expect([i, v]).toEqual([1, 'early']);
  expect(loserCleaned).toBe(true);
  expect(getSimTime()).toBe(10);
  await expect(select(Timer(5, 'ns'), async () => { throw new Error('first and failing'); })).rejects.toThrow('first and failing');
});
