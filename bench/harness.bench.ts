// npm run bench:harness — simulation throughput of the harness on the reference
// 8×8 int8 output-stationary array (rtl/bench/), one JSON line:
//   {"per_cycle_hz":…,"bulk_hz":…,"native_hz":…,"bulk_vs_native":…,"per_cycle_vs_cocotb":…}
// per_cycle: a coroutine writes an input and awaits RisingEdge every cycle.
// bulk:      one `await ClockCycles(clk, n)` (the C fast path).
// native:    a C++ loop (rtl/bench/bench_native.cpp) driving the same model
//            instance in the same run — the anchor for bulk.
// cocotb 1.9 + Verilator 5.006 ran this kind of array at about 15,000 cycles/s
// on the reference machine (SPEC anchor); that ratio is only indicative. Each
// figure is the best of a few rounds: the machine is shared and noisy.
import { Clock, ClockCycles, RisingEdge, Timer, nativeModel, runSimulation } from '../harness/core.ts';

const COCOTB_ANCHOR_HZ = 14_800;
const scale = Number(process.env.MPSA_BENCH_SCALE ?? '1');
const PER_CYCLE = Math.round(300_000 * scale);
const BULK = Math.round(3_000_000 * scale);
const ROUNDS = 3;
const PERIOD_PS = 10_000;

const spec = {
  sources: ['rtl/bench/bench_pe.v', 'rtl/bench/bench_os_array.v'],
  top: 'bench_os_array',
  parameters: { Rows: 8, Cols: 8, DataWidth: 8, AccWidth: 32 },
  cxxSources: ['rtl/bench/bench_native.cpp'],
};

const best = { per_cycle_hz: 0, bulk_hz: 0, native_hz: 0 };

await runSimulation(
  spec,
  async (dut) => {
    const clk = dut.clk_i;
    new Clock(clk, PERIOD_PS, 'ps').start();
    dut.rst_ni.value = 0;
    await ClockCycles(clk, 2);
    dut.rst_ni.value = 1;
    dut.en_i.value = 1;
    dut.b_i.value = 0x0102030405060708n;
    const native = nativeModel();
    const runNative = native.func('double mpsa_bench_native(void *, double, double, double, double)');
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now();
      for (let i = 0; i < PER_CYCLE; i++) {
        dut.a_i.value = i & 0xff;
        await RisingEdge(clk);
      }
      best.per_cycle_hz = Math.max(best.per_cycle_hz, PER_CYCLE / ((performance.now() - t) / 1000));
      t = performance.now();
      await ClockCycles(clk, BULK);
      best.bulk_hz = Math.max(best.bulk_hz, BULK / ((performance.now() - t) / 1000));
      // The native loop runs on the same instance at a far-future time base,
      // after the harness's share of the round; the model's state is all it shares.
      t = performance.now();
      runNative(native.handle, BULK, 1e15 + round * 1e14, PERIOD_PS / 2, PERIOD_PS / 2);
      best.native_hz = Math.max(best.native_hz, BULK / ((performance.now() - t) / 1000));
    }
    await Timer(1);
  },
  { wallTimeoutMs: 600_000 },
);

const r = (x: number) => Math.round(x);
console.log(
  JSON.stringify({
    per_cycle_hz: r(best.per_cycle_hz),
    bulk_hz: r(best.bulk_hz),
    native_hz: r(best.native_hz),
    bulk_vs_native: Number((best.bulk_hz / best.native_hz).toFixed(3)),
    per_cycle_vs_cocotb: Number((best.per_cycle_hz / COCOTB_ANCHOR_HZ).toFixed(1)),
  }),
);
