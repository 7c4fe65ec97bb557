// npm run bench:harness — simulation throughput of the harness on the reference 8×8 int8
// output-stationary array (rtl/bench/), warm and cold, one JSON line:
//   per_cycle_hz       a coroutine writes an input and awaits RisingEdge every cycle (the main task)
//   per_cycle_task_hz  the same loop in a background task (startSoon): what Task.cancel's await
//                      tracking costs while background tasks exist (harness/task-owner.ts)
//   bulk_hz            one `await ClockCycles(clk, n)`: the C fast path
//   native_hz          a C++ loop (rtl/bench/bench_native.cpp) driving the same instance in the
//                      same run — the anchor for bulk
//   internals_*        the same per-cycle and bulk loops on the design built with internals: true
//                      (--public-flat-rw, every signal forceable), no internal signal touched
//   internals_acc_*    the same with only each PE's accumulator opened (internals: { modules:
//                      ['bench_pe.acc_q'] }): what a targeted internals build costs
//   cold_*             fresh processes (bench/harness-cold.ts): time to first cycle and to the
//                      end of a 20,000-cycle per-cycle test, ms since each process started
// No cocotb ratio: cocotb cannot be installed on this machine, and a ratio to a figure not
// measured in the same run says little. Each warm figure is the best of a few rounds (the
// machine is shared and noisy); MPSA_BENCH_SCALE scales the cycle counts.
import { Clock, ClockCycles, type DesignSpec, RisingEdge, Timer, nativeModel, runSimulation, startSoon } from '../harness/core.ts';
import { measureCold } from './harness-cold.ts';

const scale = Number(process.env.MPSA_BENCH_SCALE ?? '1');
const PER_CYCLE = Math.round(300_000 * scale);
const BULK = Math.round(3_000_000 * scale);
const ROUNDS = 3;
const PERIOD_PS = 10_000;

const spec: DesignSpec = {
  sources: ['rtl/bench/bench_pe.v', 'rtl/bench/bench_os_array.v'],
  top: 'bench_os_array',
  parameters: { Rows: 8, Cols: 8, DataWidth: 8, AccWidth: 32 },
  cxxSources: ['rtl/bench/bench_native.cpp'],
};

interface Warm {
  per_cycle_hz: number;
  per_cycle_task_hz: number;
  bulk_hz: number;
  native_hz: number;
}

async function warm(design: DesignSpec, withNative: boolean): Promise<Warm> {
  const best: Warm = { per_cycle_hz: 0, per_cycle_task_hz: 0, bulk_hz: 0, native_hz: 0 };
  await runSimulation(
    design,
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
      const perCycle = async () => {
        for (let i = 0; i < PER_CYCLE; i++) {
          dut.a_i.value = i & 0xff;
          await RisingEdge(clk);
        }
      };
      for (let round = 0; round < ROUNDS; round++) {
        let t = performance.now();
        await perCycle();
        best.per_cycle_hz = Math.max(best.per_cycle_hz, PER_CYCLE / ((performance.now() - t) / 1000));
        t = performance.now();
        await startSoon(perCycle, 'per-cycle');
        best.per_cycle_task_hz = Math.max(best.per_cycle_task_hz, PER_CYCLE / ((performance.now() - t) / 1000));
        t = performance.now();
        await ClockCycles(clk, BULK);
        best.bulk_hz = Math.max(best.bulk_hz, BULK / ((performance.now() - t) / 1000));
        if (!withNative) continue;
        // The native loop runs on the same instance at a far-future time base,
        // after the harness's share of the round; the model's state is all it shares.
        t = performance.now();
        runNative(native.handle, BULK, 1e15 + round * 1e14, PERIOD_PS / 2, PERIOD_PS / 2);
        best.native_hz = Math.max(best.native_hz, BULK / ((performance.now() - t) / 1000));
      }
      await Timer(1);
    },
    { wallTimeoutMs: 900_000 },
  );
  return best;
}

const plain = await warm(spec, true);
const internals = await warm({ ...spec, internals: true }, false);
const internalsAcc = await warm({ ...spec, internals: { modules: ['bench_pe.acc_q'] } }, false);
const cold = measureCold();
const r = (x: number) => Math.round(x);
console.log(
  JSON.stringify({
    per_cycle_hz: r(plain.per_cycle_hz),
    per_cycle_task_hz: r(plain.per_cycle_task_hz),
    bulk_hz: r(plain.bulk_hz),
    native_hz: r(plain.native_hz),
    bulk_vs_native: Number((plain.bulk_hz / plain.native_hz).toFixed(3)),
    internals_per_cycle_hz: r(internals.per_cycle_hz),
    internals_bulk_hz: r(internals.bulk_hz),
    internals_acc_per_cycle_hz: r(internalsAcc.per_cycle_hz),
    internals_acc_bulk_hz: r(internalsAcc.bulk_hz),
    ...cold,
  }),
);
