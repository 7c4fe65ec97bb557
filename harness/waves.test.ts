// FST waves on request: a traced build of the design, one file per test.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { dff } from './fixtures/designs.ts';
import { Clock, ClockCycles, RisingEdge, test } from './index.ts';

process.env.MPSA_WAVES_DIR = join(tmpdir(), `mpsa-waves-${process.pid}`);
let path: string | undefined;

test(
  dff(8),
  'records an FST file',
  async (dut, t) => {
    path = t.wavesPath;
    new Clock(dut.clk_i, 10, 'ns').start();
    dut.rst_ni.value = 1;
    for (let i = 0; i < 8; i++) {
      dut.d_i.value = i;
      await RisingEdge(dut.clk_i);
    }
    await ClockCycles(dut.clk_i, 50); // the fast path traces too
  },
  { waves: true },
);

it('the wave file is closed and not empty after the test', () => {
  expect(path).toMatch(/records_an_FST_file\.fst$/);
  expect(statSync(path!).size).toBeGreaterThan(200);
});
