// The native anchor of the harness benchmark (bench/harness.bench.ts): a plain
// C++ loop driving the same Verilated bench_os_array instance the harness
// drives, built into the same shared object (DesignSpec.cxxSources).
#include "mpsa_shim.h"

#include <cstdint>

// Runs `cycles` clock cycles of clk_i (high `high`, low `low` steps) from time
// `t0`, evaluating after each edge, as a hand-written Verilator testbench does.
// Returns the time after the last cycle.
MPSA_API double mpsa_bench_native(MpsaInstance* in, double cycles, double t0, double high, double low) {
  MpsaModel* top = mpsa_model_of(in);
  VerilatedContext* ctx = mpsa_context_of(in);
  const uint64_t n = static_cast<uint64_t>(cycles);
  const uint64_t hi = static_cast<uint64_t>(high);
  const uint64_t lo = static_cast<uint64_t>(low);
  uint64_t t = static_cast<uint64_t>(t0);
  for (uint64_t i = 0; i < n; ++i) {
    top->clk_i = 1;
    ctx->time(t);
    top->eval();
    t += hi;
    top->clk_i = 0;
    ctx->time(t);
    top->eval();
    t += lo;
  }
  return static_cast<double>(t);
}
