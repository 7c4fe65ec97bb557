// The edge arithmetic of the C fast path, and the fast path against the
// scheduler stepping every edge in JS.
import { describe, expect, it } from 'vitest';
import { dff } from './fixtures/designs.ts';
import { Clock, ClockCycles, ReadOnly, Timer, ValueChange, runSimulation } from './index.ts';
import { edgeTime, edgesBefore, edgesBeforeCount, risingAmong } from './fast-path.ts';

describe('edge arithmetic', () => {
  it('edgeTime and edgesBefore agree with a brute-force walk', () => {
    for (const [next, first, second] of [
      [5, 5, 5],
      [3, 2, 7],
      [0, 1, 1],
    ] as const) {
      const times: number[] = [];
      let t = next;
      for (let k = 0; k < 50; k++) {
        times.push(t);
        t += k % 2 === 0 ? first : second;
      }
      times.forEach((tk, k) => expect(edgeTime(next, first, second, k + 1)).toBe(tk));
      for (let bound = 0; bound <= times[times.length - 1]!; bound++) expect(edgesBefore(next, first, second, bound)).toBe(times.filter((x) => x < bound).length);
    }
  });

  it('counts edges before a ClockCycles wait completes', () => {
    expect(edgesBeforeCount(1, true)).toBe(0); // the next edge itself completes it
    expect(edgesBeforeCount(1, false)).toBe(1);
    expect(edgesBeforeCount(3, true)).toBe(4);
    expect(risingAmong(5, true)).toBe(3);
    expect(risingAmong(5, false)).toBe(2);
  });
});

async function scenario(fastPath: boolean): Promise<[number, number, number]> {
  let q = 0;
  let changes = 0;
  const r = await runSimulation(
    dff(8),
    async (dut) => {
      new Clock(dut.clk_i, 7, 'ns').start({ startHigh: false });
      dut.rst_ni.value = 1;
      dut.d_i.value = 3;
      await ClockCycles(dut.clk_i, 1000, false);
      await Timer(3, 'ns');
      dut.d_i.value = 4;
      // A watched output change stops the C loop mid-way.
      await ValueChange(dut.q_o);
      changes++;
      await ClockCycles(dut.clk_i, 501);
      await ReadOnly();
      q = dut.q_o.value as number;
    },
    { fastPath },
  );
  return [r.simTimeNs, q, changes];
}

describe('fast path', () => {
  it('ends at the same time and state as stepping every edge', async () => {
    expect(await scenario(true)).toEqual(await scenario(false));
  });
});
