// Peeking into the systolic array's PEs by path (cocotb's dut.u_pe.sig): a 2x2 os_array with
// the default float PEs (e4m3 operands, fp32 accumulation) computes C = A·B while the test reads
// every PE's done_o / acc_o and the operand registers between PEs by their Verilog paths, and
// then injects a fault by forcing one of those registers. The build opens the signals of
// os_array and mac_pe (a separate model; see docs/harness.md, "Signals inside the design").
import { expect } from 'vitest';
import { Clock, ClockCycles, Force, ReadOnly, Release, RisingEdge, hierarchy, startSoon, test, type Dut, type HierNode } from '../harness/index.ts';
import { GEMM_INCLUDES, GEMM_SOURCES } from '../rtl/generate.ts';

const ROWS = 2;
const COLS = 2;
// Only the array's own signals and the PEs' ports and nets are opened (internals.modules): the
// arithmetic units inside the PEs stay as fast as in a plain build.
const array = { sources: GEMM_SOURCES, includeDirs: GEMM_INCLUDES, top: 'os_array', parameters: { ROWS, COLS }, internals: { modules: ['os_array', 'mac_pe'] } };

/** e4m3 code of a small positive integer (at most 4 significant bits). */
function e4m3(n: number): number {
  const e = Math.floor(Math.log2(n));
  const man = (n / 2 ** e - 1) * 8;
  if (!Number.isInteger(man)) throw new RangeError(`${n} is not exact in e4m3`);
  return ((e + 7) << 3) | man;
}

const fp32 = (bits: number) => new DataView(Uint32Array.of(bits).buffer).getFloat32(0, true);

/** PE (i, j): the mac_pe in os_array's generate blocks g_r[i].g_c[j].g_float. */
const pe = (dut: Dut, i: number, j: number): HierNode => hierarchy(dut).g_r[i]!.g_c[j]!.g_float.u_pe;

/** Sends column k of A and row k of B as one beat per cycle (os_array's input skew is inside). */
async function sendTile(dut: Dut, A: number[][], B: number[][]): Promise<void> {
  const K = B.length;
  for (let k = 0; k < K; k++) {
    dut.beat_valid_i.value = 1;
    dut.load_i.value = k === 0 ? 1 : 0;
    dut.last_i.value = k === K - 1 ? 1 : 0;
    dut.a_i.value = A.reduce((acc, row, i) => acc | (e4m3(row[k]!) << (8 * i)), 0);
    dut.b_i.value = B[k]!.reduce((acc, v, j) => acc | (e4m3(v) << (8 * j)), 0);
    await RisingEdge(dut.clk_i);
  }
  dut.beat_valid_i.value = 0;
  dut.load_i.value = 0;
  dut.last_i.value = 0;
}

/** Watches every PE's done_o after each edge; returns its result and the cycle it came. */
async function collect(dut: Dut, cycles: number): Promise<{ value: number[][]; at: number[][] }> {
  const value = Array.from({ length: ROWS }, () => new Array<number>(COLS).fill(NaN));
  const at = Array.from({ length: ROWS }, () => new Array<number>(COLS).fill(-1));
  for (let c = 0; c < cycles; c++) {
    await ReadOnly();
    for (let i = 0; i < ROWS; i++) {
      for (let j = 0; j < COLS; j++) {
        const p = pe(dut, i, j);
        if (p.done_o.value === 1 && at[i]![j] === -1) {
          value[i]![j] = fp32(p.acc_o.value as number);
          at[i]![j] = c;
        }
      }
    }
    await RisingEdge(dut.clk_i);
  }
  return { value, at };
}

const A = [
  [1, 2, 3],
  [4, 5, 6],
];
const B = [
  [1, 2],
  [3, 4],
  [5, 6],
];
const C = A.map((row) => B[0]!.map((_, j) => row.reduce((s, a, k) => s + a * B[k]![j]!, 0))); // [[22, 28], [49, 64]]

async function reset(dut: Dut): Promise<void> {
  new Clock(dut.clk_i, 10, 'ns').start();
  dut.seed_i.value = 0;
  dut.rst_ni.value = 0;
  await ClockCycles(dut.clk_i, 2);
  dut.rst_ni.value = 1;
}

test(array, 'every PE holds its dot product, one cycle later per step right or down', async (dut) => {
  await reset(dut);
  const got = startSoon(() => collect(dut, 12), 'monitor'); // a concurrent task, as in cocotb
  await sendTile(dut, A, B);
  const { value, at } = await got;
  expect(value).toEqual(C);
  // The skew of the array: PE(i, j) sees the tile i + j cycles after PE(0, 0).
  for (let i = 0; i < ROWS; i++) for (let j = 0; j < COLS; j++) expect(at[i]![j]! - at[0]![0]!).toBe(i + j);
  // The operand registers between PEs hold the last beat's values on their way across.
  await ReadOnly();
  expect(hierarchy(dut).g_r[1]!.g_c[0]!.a_q.value).toBe(e4m3(6)); // A[1][2] left PE(1, 0) for PE(1, 1)
});

test(array, 'a forced operand register (a stuck-at-zero fault) corrupts exactly the PEs below it', async (dut) => {
  await reset(dut);
  // b_q of PE(0, 0) carries column 0 of B down to PE(1, 0).
  const bq = hierarchy(dut).g_r[0]!.g_c[0]!.b_q;
  bq.value = Force(0);
  const got = startSoon(() => collect(dut, 12), 'monitor');
  await sendTile(dut, A, B);
  const { value } = await got;
  expect(value).toEqual([
    [22, 28],
    [0, 64],
  ]);
  bq.value = Release();
  await RisingEdge(dut.clk_i);
  const again = startSoon(() => collect(dut, 12), 'monitor');
  await sendTile(dut, A, B);
  expect((await again).value).toEqual(C);
});
