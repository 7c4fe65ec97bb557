// The harness's public surface: a cocotb-style testbench API over Verilator
// models loaded with koffi. Everything a test, the CLI or a benchmark uses is
// exported here; the other files are internals and may move.
export * from './core.ts';
export { test, type HarnessMeta, type TestBody, type TestInfo, type TestOptions } from './test.ts';
