// Public surface of the golden model: the executable arithmetic spec (docs/arithmetic.md).
export { format, formatFields, ArithmeticInputError, PRESET_NAMES } from './format.ts';
export type { FloatFormat, Format, Specials, Overflow } from './format.ts';
export { MODES, DETERMINISTIC_MODES, rounding, checkMode, flagNames, FLAG_INVALID, FLAG_OVERFLOW, FLAG_UNDERFLOW, FLAG_INEXACT } from './rounding.ts';
export type { Mode, Rounding, Result, FlagName } from './rounding.ts';
export { decode, toNumber, checkCode, isNaNCode, parseHexCode, hexCode, Kind } from './codec.ts';
export type { Decoded } from './codec.ts';
export { quantize, convert, mul, add, fma, apply, OPS, ARITY } from './ops.ts';
export type { Op, FormatSpec } from './ops.ts';
export { convertExact, mulExact, addExact, fmaExact, quantizeExact } from './exact.ts';
export { convertFast, mulFast, addFast, fmaFast, quantizeFast, decodeFast, decoderFor } from './fast.ts';
export { mac, macConfig, usesSr } from './mac.ts';
export type { MacConfig, MacConfigSpec, MacStyle, Step, Path } from './mac.ts';
export { gemm } from './gemm.ts';
export type { GemmOptions, GemmResult, GemmShape, Geometry } from './gemm.ts';
export { fmix32, xorshift32, streamSeed, topBits, XorShift32, ZERO_STATE_REPLACEMENT } from './rng.ts';
export type { Stream } from './rng.ts';
export { answerLine, answerRequest, answerOf, errorText, parseLine, parseRequest } from './jsonl.ts';
export type { Request } from './jsonl.ts';
