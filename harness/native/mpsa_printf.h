// Force-included (g++ -include) into the Verilator runtime and every model unit:
// Verilator's VL_PRINTF ($display, $write and its own messages) goes through the
// harness shim, which hands the text to the test (console.log) instead of the
// process's stdout. See harness/native/mpsa_shim.cpp.
#ifndef MPSA_PRINTF_H_
#define MPSA_PRINTF_H_

int mpsa_vl_printf(const char* formatp, ...) __attribute__((format(printf, 1, 2)));

#endif  // MPSA_PRINTF_H_
