// a * b rounded once into the result format (SPEC §4, golden mulRaw + roundRaw). Operand and
// result formats are independent. The product of the two normalised significands is exact and
// has its leading one at the top bit or the one below, so fp_norm needs a one-bit count:
//
//   |a*b| = prod * 2^(exp_a + exp_b + 1 - (SIG_W - 1))      prod's top bit weighs 2^(exp_a+exp_b+1)
// The mode (mode_i) and r of sr (rbits_i, up to the RBITS of the build) are inputs, so one build
// of a format combination rounds in every mode; the PE's own datapath keeps them parameters.
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
  localparam integer SIG_W = A_MAN + B_MAN + 2;

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

  // Specials (SPEC §3): NaN in -> NaN; Inf * 0 -> invalid NaN; the sign is the XOR, zeros too.
  wire inf_times_zero = (a_inf & b_zero) | (a_zero & b_inf);
  wire nan            = a_nan | b_nan | inf_times_zero;
  wire invalid        = ~(a_nan | b_nan) & inf_times_zero;
  wire inf            = a_inf | b_inf;
  wire zero           = a_zero | b_zero;

  wire [SIG_W-1:0]        prod    = a_sig * b_sig;
  wire signed [EXP_W-1:0] exp_top = a_exp + b_exp + 1'b1;

  wire signed [EXP_W-1:0] n_exp;
  wire [R_MAN:0]          n_k;
  wire [RBITS+1:0]        n_f;
  wire                    n_st;

  fp_norm #(
    .R_EXP(R_EXP),
    .R_MAN(R_MAN),
    .R_SPECIALS(R_SPECIALS),
    .RBITS(RBITS),
    .W    (SIG_W),
    .LZ_W (1),
    .RIGHT(1),
    .EXP_W(EXP_W)
  ) u_norm (
    .exp_i   (exp_top),
    .sig_i   (prod),
    .lz_i    (~prod[SIG_W-1]),
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
    .sign_i   (a_sign ^ b_sign),
    .nan_i    (nan),
    .invalid_i(invalid),
    .inf_i    (inf),
    .zero_i   (zero),
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
