// a + b rounded once into the result format (SPEC §4, golden addRaw + roundRaw): both operands
// unpacked (subnormals normalised), then added and rounded by fp_add_raw. Operand and result
// formats are independent.
// The mode (mode_i) and r of sr (rbits_i, up to the RBITS of the build) are inputs, so one build
// of a format combination rounds in every mode; the PE's own datapath keeps them parameters.
`default_nettype none
`include "fp_defs.vh"

module fp_add #(
  parameter integer A_EXP        = 8,
  parameter integer A_MAN        = 23,
  parameter integer A_SUBNORMALS = 1,
  parameter integer A_SPECIALS   = `FP_IEEE,
  parameter integer B_EXP        = 8,
  parameter integer B_MAN        = 23,
  parameter integer B_SUBNORMALS = 1,
  parameter integer B_SPECIALS   = `FP_IEEE,
  parameter integer R_EXP        = 8,
  parameter integer R_MAN        = 23,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_IEEE,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer RBITS        = 1    // the widest r of sr this build rounds with
) (
  input  wire [A_EXP+A_MAN:0] a_i,
  input  wire [B_EXP+B_MAN:0] b_i,
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

  wire                    b_sign, b_zero, b_inf, b_nan;
  wire signed [EXP_W-1:0] b_exp;
  wire [B_MAN:0]          b_sig;

  fp_unpack #(
    .EXP       (B_EXP),
    .MAN       (B_MAN),
    .SUBNORMALS(B_SUBNORMALS),
    .SPECIALS  (B_SPECIALS),
    .EXP_W     (EXP_W)
  ) u_unpack_b (
    .code_i(b_i),
    .sign_o(b_sign),
    .zero_o(b_zero),
    .inf_o (b_inf),
    .nan_o (b_nan),
    .exp_o (b_exp),
    .sig_o (b_sig)
  );

  fp_add_raw #(
    .A_SIG       (A_MAN + 1),
    .B_SIG       (B_MAN + 1),
    .R_EXP       (R_EXP),
    .R_MAN       (R_MAN),
    .R_SUBNORMALS(R_SUBNORMALS),
    .R_SPECIALS  (R_SPECIALS),
    .R_OVERFLOW  (R_OVERFLOW),
    .RBITS       (RBITS),
    .EXP_W       (EXP_W)
  ) u_add (
    .a_sign_i   (a_sign),
    .a_zero_i   (a_zero),
    .a_inf_i    (a_inf),
    .a_nan_i    (a_nan),
    .a_invalid_i(1'b0),
    .a_exp_i    (a_exp),
    .a_sig_i    (a_sig),
    .b_sign_i   (b_sign),
    .b_zero_i   (b_zero),
    .b_inf_i    (b_inf),
    .b_nan_i    (b_nan),
    .b_exp_i    (b_exp),
    .b_sig_i    (b_sig),
    .mode_i     (mode_i),
    .rbits_i    (rbits_i),
    .rand_i     (rand_i),
    .res_o      (res_o),
    .flags_o    (flags_o)
  );

endmodule

`default_nettype wire
