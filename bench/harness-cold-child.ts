// A fresh process's first simulation (bench/harness-cold.ts spawns it): imports the harness,
// opens the cached bench model and runs CYCLES per-cycle steps (a task writes an input and
// awaits RisingEdge), printing one JSON line of milestones in ms since the process started.
const imported0 = performance.now();
const { Clock, RisingEdge, runSimulation } = await import('../harness/core.ts');
const imported = performance.now();
const CYCLES = Number(process.env.MPSA_COLD_CYCLES ?? '20000');
let firstCycle = 0;
let started = 0;
await runSimulation(
  {
    sources: ['rtl/bench/bench_pe.v', 'rtl/bench/bench_os_array.v'],
    top: 'bench_os_array',
    parameters: { Rows: 8, Cols: 8, DataWidth: 8, AccWidth: 32 },
    cxxSources: ['rtl/bench/bench_native.cpp'],
  },
  async (dut) => {
    started = performance.now();
    new Clock(dut.clk_i, 10_000, 'ps').start();
    dut.rst_ni.value = 1;
    dut.en_i.value = 1;
    for (let i = 0; i < CYCLES; i++) {
      dut.a_i.value = i & 0xff;
      await RisingEdge(dut.clk_i);
      if (i === 0) firstCycle = performance.now();
    }
  },
  { print: () => undefined },
);
const done = performance.now();
console.log(JSON.stringify({ boot_ms: imported0, import_ms: imported - imported0, model_ready_ms: started, first_cycle_ms: firstCycle, done_ms: done, cycles: CYCLES }));
