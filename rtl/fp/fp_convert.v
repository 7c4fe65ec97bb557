// One code into another format (SPEC §4 convert / quantize: fp32 -> e4m3 and any other pair),
// rounded once by the shared rounder (golden convertExact). The operand is exact in raw form.
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
  parameter integer MODE         = `FP_RNE,
  parameter integer RBITS        = 1
) (
  input  wire [A_EXP+A_MAN:0] a_i,
  input  wire [RBITS-1:0]     rand_i,   // R of sr; read only when MODE is sr
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

  localparam signed [EXP_W-1:0] MAN_X = A_MAN[EXP_W-1:0];

  fp_round #(
    .R_EXP       (R_EXP),
    .R_MAN       (R_MAN),
    .R_SUBNORMALS(R_SUBNORMALS),
    .R_SPECIALS  (R_SPECIALS),
    .R_OVERFLOW  (R_OVERFLOW),
    .MODE        (MODE),
    .RBITS       (RBITS),
    .SIG_W       (A_MAN + 1),
    .EXP_W       (EXP_W)
  ) u_round (
    .sign_i   (a_sign),
    .nan_i    (a_nan),
    .invalid_i(1'b0),
    .inf_i    (a_inf),
    .exp_i    (a_exp - MAN_X),
    .sig_i    (a_zero ? {(A_MAN + 1){1'b0}} : a_sig),
    .rand_i   (rand_i),
    .res_o    (res_o),
    .flags_o  (flags_o)
  );

endmodule

`default_nettype wire
