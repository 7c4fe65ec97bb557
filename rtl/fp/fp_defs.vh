// Encodings shared by every floating-point module (docs/rtl.md). Each enumerated parameter is
// the index of the value in golden's own list, so a TS config maps to Verilog by position:
//   MODE      golden/rounding.ts MODES     rne rna rtz rup rdn rto sr
//   *_SPECIALS golden/format.ts SPECIALS   ieee fn finite p3109e p3109f
//   *_OVERFLOW golden/format.ts OVERFLOWS  saturate infinity
// Macros rather than localparams: an included localparam that a module does not read would be
// an UNUSEDPARAM warning under `verilator -Wall`.
`ifndef FP_DEFS_VH
`define FP_DEFS_VH

`define FP_RNE 0
`define FP_RNA 1
`define FP_RTZ 2
`define FP_RUP 3
`define FP_RDN 4
`define FP_RTO 5
`define FP_SR  6

`define FP_IEEE   0
`define FP_FN     1
`define FP_FINITE 2
`define FP_P3109E 3   // IEEE P3109, extended domain: one NaN 1|0...0, no -0, +-Inf at the all-ones magnitude
`define FP_P3109F 4   // IEEE P3109, finite domain: the same, with the all-ones magnitude +-max

// P3109 formats (docs/arithmetic.md §1.1) have bias 2^(E-1), one more than IEEE's 2^(E-1) - 1.
`define FP_IS_P3109(sp) ((sp) == `FP_P3109E || (sp) == `FP_P3109F)
`define FP_BIAS(exp, sp) ((1 << ((exp) - 1)) - (`FP_IS_P3109(sp) ? 0 : 1))

`define FP_SATURATE 0
`define FP_INFINITY 1

// Width of every internal signed exponent. Formats have E <= 8 and M <= 23 (SPEC §2), so an
// operand's leading exponent lies in [-149, 128], a product's in [-298, 257], and the rounder's
// LSB exponents stay above -400: 12 bits (+-2047) hold all of them with room to spare.
`define FP_EXP_W 12

// Maximum of two integer constants (elaboration only).
`define FP_MAX(a, b) ((a) > (b) ? (a) : (b))

// Bits the rounder reads from the leading one down: P = M + 1 significand bits and FR + 1 =
// RBITS + 2 fraction bits (fp_round.v). An adder keeps at least this many exact bits.
`define FP_ROUND_PREC(man, rbits) ((man) + (rbits) + 3)

// Width of an adder's raw sum (fp_add_swap/fp_add_sum) for operand significands of a_sig and
// b_sig bits: a window L three bits wider than every input and than the rounder's precision,
// plus a carry bit on top and a sticky bit at the bottom.
`define FP_ADD_SUM_W(a_sig, b_sig, prec) (`FP_MAX(`FP_MAX(a_sig, b_sig), prec) + 5)

// Width of the rounder's r input (the number of random bits of sr, 1..rbits).
`define FP_RB_W(rbits) ($clog2((rbits) + 1))

`endif
