// One code into another format (SPEC §4 convert / quantize: fp32 -> e4m3 and any other pair),
// rounded once by the shared rounder (golden convertExact). The operand is exact and normalised
// by fp_unpack, so fp_norm only ever moves it right (onto the grid below 2^emin).
// The mode (mode_i) and r of sr (rbits_i, up to the RBITS of the build) are inputs, so one build
// of a format combination rounds in every mode; the PE's own datapath keeps them parameters.
`default_nettype none
`include "fp_defs.vh"

module fp_convert #(
  parameter integer A_EXP        = 8,
  parameter integer A_MAN        = 23,
  parameter integer A_SUBNORMALS = 1,
  parameter integer A_SPECIALS   = `FP_IEEE,
  parameter integer R_EXP        = 4,
  parameter integer R_MAN        = 3,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_FN,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer RBITS        = 1    // the widest r of sr this build rounds with
) (
  input  wire [A_EXP+A_MAN:0] a_i,
  input  wire [2:0]           mode_i,   // rounding mode, a MODES index (fp_defs.vh)
  input  wire [`FP_RB_W(RBITS)-1:0] rbits_i,   // r of sr, 1..RBITS; read only under sr
  input  wire [RBITS-1:0]     rand_i,   // R of sr in its low r bits; read only under sr
  output wire [R_EXP+R_MAN:0] res_o,
  output wire [3:0]           flags_o   // {inexact, underflow, overflow, invalid}
);

  localparam integer EXP_W = `FP_EXP_W;

  wire                    a_sign, a_zero, a_inf, a_nan;
  wire signed [EXP_W-1:0] a_exp;
  wire [A_MAN:0]          a_sig;

  fp_unpack #(
    .EXP       (A_EXP),
    .MAN       (A_MAN),
    .SUBNORMALS(A_SUBNORMALS),
    .SPECIALS  (A_SPECIALS),
    .EXP_W     (EXP_W)
  ) u_unpack_a (
    .code_i(a_i),
    .sign_o(a_sign),
    .zero_o(a_zero),
    .inf_o (a_inf),
    .nan_o (a_nan),
    .exp_o (a_exp),
    .sig_o (a_sig)
  );

  wire signed [EXP_W-1:0] n_exp;
  wire [R_MAN:0]          n_k;
  wire [RBITS+1:0]        n_f;
  wire                    n_st;

  fp_norm #(
    .R_EXP(R_EXP),
    .R_MAN(R_MAN),
    .R_SPECIALS(R_SPECIALS),
    .RBITS(RBITS),
    .W    (A_MAN + 1),
    .LZ_W (1),
    .RIGHT(1),
    .EXP_W(EXP_W)
  ) u_norm (
    .exp_i   (a_exp),
    .sig_i   (a_sig),
    .lz_i    (1'b0),
    .sticky_i(1'b0),
    .exp_o   (n_exp),
    .k_o     (n_k),
    .f_o     (n_f),
    .sticky_o(n_st)
  );

  // The rounded exponent is for the PE's loop (mac_acc); nothing here reads it.
  /* verilator lint_off UNUSEDSIGNAL */
  wire signed [EXP_W-1:0] unused_exp;
  /* verilator lint_on UNUSEDSIGNAL */

  fp_round #(
    .R_EXP       (R_EXP),
    .R_MAN       (R_MAN),
    .R_SUBNORMALS(R_SUBNORMALS),
    .R_SPECIALS  (R_SPECIALS),
    .R_OVERFLOW  (R_OVERFLOW),
    .RBITS       (RBITS),
    .EXP_W       (EXP_W)
  ) u_round (
    .sign_i   (a_sign),
    .nan_i    (a_nan),
    .invalid_i(1'b0),
    .inf_i    (a_inf),
    .zero_i   (a_zero),
    .exp_i    (n_exp),
    .k_i      (n_k),
    .f_i      (n_f),
    .sticky_i (n_st),
    .mode_i   (mode_i),
    .rbits_i  (rbits_i),
    .rand_i   (rand_i),
    .res_o    (res_o),
    .flags_o  (flags_o),
    .exp_o    (unused_exp)
  );

endmodule

`default_nettype wire
