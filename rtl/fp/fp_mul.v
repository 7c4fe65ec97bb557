// a * b rounded once into the result format (SPEC §4, golden mulRaw + roundRaw). Operand and
// result formats are independent. The product of the two significands is exact, so the raw
// form needs no sticky bit:
//
//   |a*b| = (sig_a * sig_b) * 2^(exp_a - A_MAN + exp_b - B_MAN)
`default_nettype none
`include "fp_defs.vh"

module fp_mul #(
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
  parameter integer MODE         = `FP_RNE,
  parameter integer RBITS        = 1
) (
  input  wire [A_EXP+A_MAN:0] a_i,
  input  wire [B_EXP+B_MAN:0] b_i,
  input  wire [RBITS-1:0]     rand_i,   // R of sr; read only when MODE is sr
  output wire [R_EXP+R_MAN:0] res_o,
  output wire [3:0]           flags_o   // {inexact, underflow, overflow, invalid}
);

  localparam integer EXP_W = `FP_EXP_W;
  localparam integer SIG_W = A_MAN + B_MAN + 2;
  localparam integer LSB   = A_MAN + B_MAN;

  wire                    a_sign, a_zero, a_inf, a_nan;
  wire                    b_sign, b_zero, b_inf, b_nan;
  wire signed [EXP_W-1:0] a_exp, b_exp;
  wire [A_MAN:0]          a_sig;
  wire [B_MAN:0]          b_sig;

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

  // Specials (SPEC §3): NaN in -> NaN; Inf * 0 -> invalid NaN; the sign is the XOR, zeros too.
  wire inf_times_zero = (a_inf & b_zero) | (a_zero & b_inf);
  wire nan            = a_nan | b_nan | inf_times_zero;
  wire invalid        = ~(a_nan | b_nan) & inf_times_zero;
  wire inf            = a_inf | b_inf;
  wire zero           = a_zero | b_zero;

  localparam signed [EXP_W-1:0] LSB_X = LSB[EXP_W-1:0];

  wire [SIG_W-1:0]        prod     = a_sig * b_sig;
  wire [SIG_W-1:0]        sig      = zero ? {SIG_W{1'b0}} : prod;
  wire signed [EXP_W-1:0] exp_lsb  = a_exp + b_exp - LSB_X;

  fp_round #(
    .R_EXP       (R_EXP),
    .R_MAN       (R_MAN),
    .R_SUBNORMALS(R_SUBNORMALS),
    .R_SPECIALS  (R_SPECIALS),
    .R_OVERFLOW  (R_OVERFLOW),
    .MODE        (MODE),
    .RBITS       (RBITS),
    .SIG_W       (SIG_W),
    .EXP_W       (EXP_W)
  ) u_round (
    .sign_i   (a_sign ^ b_sign),
    .nan_i    (nan),
    .invalid_i(invalid),
    .inf_i    (inf),
    .exp_i    (exp_lsb),
    .sig_i    (sig),
    .rand_i   (rand_i),
    .res_o    (res_o),
    .flags_o  (flags_o)
  );

endmodule

`default_nettype wire
