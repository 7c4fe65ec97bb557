// Block floating point training (FAST-style): the native BFP GEMM, its sr words and the precision schedules.
export { bfpGemm, bfpGemmSpec, bfpDotGolden, isBfpArith, operandFormat, BFP_QUANT_MODES } from './gemm.ts';
export type { BfpGemmArith, BfpGemmSpec, BfpGemmResult, BfpQuantMode, QuantCounts } from './gemm.ts';
export { bfpGemmCounted } from './backend.ts';
export { bfpSchedule, bfpPreset, BFP_FAST, BFP_PRESET_NAMES } from './schedule.ts';
export type { BfpSchedule, BfpScheduleSpec, Widths } from './schedule.ts';
export { operandSeed, srWord, srWords } from './stream.ts';
