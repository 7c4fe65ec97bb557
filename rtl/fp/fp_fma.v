// a * b + c rounded once into the result format (SPEC §4, golden fmaRaw + roundRaw). The
// product is exact (A_MAN + B_MAN + 2 bits) and normalised by one conditional shift, then added
// to c and rounded by fp_add_raw. Every operand has its own format.
//
// NaN priority (docs/arithmetic.md §3): a NaN operand wins over an invalid product, so
// NaN * x + c, a * b + NaN and Inf * 0 + NaN give the canonical NaN without `invalid`.
// The mode (mode_i) and r of sr (rbits_i, up to the RBITS of the build) are inputs, so one build
// of a format combination rounds in every mode; the PE's own datapath keeps them parameters.
`default_nettype none
`include "fp_defs.vh"

module fp_fma #(
  parameter integer A_EXP        = 8,
  parameter integer A_MAN        = 23,
  parameter integer A_SUBNORMALS = 1,
  parameter integer A_SPECIALS   = `FP_IEEE,
  parameter integer B_EXP        = 8,
  parameter integer B_MAN        = 23,
  parameter integer B_SUBNORMALS = 1,
  parameter integer B_SPECIALS   = `FP_IEEE,
  parameter integer C_EXP        = 8,
  parameter integer C_MAN        = 23,
  parameter integer C_SUBNORMALS = 1,
  parameter integer C_SPECIALS   = `FP_IEEE,
  parameter integer R_EXP        = 8,
  parameter integer R_MAN        = 23,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_IEEE,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer RBITS        = 1    // the widest r of sr this build rounds with
) (
  input  wire [A_EXP+A_MAN:0] a_i,
  input  wire [B_EXP+B_MAN:0] b_i,
  input  wire [C_EXP+C_MAN:0] c_i,
  input  wire [2:0]           mode_i,   // rounding mode, a MODES index (fp_defs.vh)
  input  wire [`FP_RB_W(RBITS)-1:0] rbits_i,   // r of sr, 1..RBITS; read only under sr
  input  wire [RBITS-1:0]     rand_i,   // R of sr in its low r bits; read only under sr
  output wire [R_EXP+R_MAN:0] res_o,
  output wire [3:0]           flags_o   // {inexact, underflow, overflow, invalid}
);

  localparam integer EXP_W = `FP_EXP_W;
  localparam integer P_SIG = A_MAN + B_MAN + 2;   // the product's

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

  wire                    c_sign, c_zero, c_inf, c_nan;
  wire signed [EXP_W-1:0] c_exp;
  wire [C_MAN:0]          c_sig;

  fp_unpack #(
    .EXP       (C_EXP),
    .MAN       (C_MAN),
    .SUBNORMALS(C_SUBNORMALS),
    .SPECIALS  (C_SPECIALS),
    .EXP_W     (EXP_W)
  ) u_unpack_c (
    .code_i(c_i),
    .sign_o(c_sign),
    .zero_o(c_zero),
    .inf_o (c_inf),
    .nan_o (c_nan),
    .exp_o (c_exp),
    .sig_o (c_sig)
  );

  // --- the exact product (golden mulRaw) ------------------------------------------------
  // sig_a, sig_b in [1, 2) give a product in [1, 4): its leading one is at the top bit or the
  // one below; normalised, the top bit has weight 2^(exp_a + exp_b + prod_hi).
  wire [P_SIG-1:0] prod     = a_sig * b_sig;
  wire             prod_hi  = prod[P_SIG-1];
  wire             inf_zero = (a_inf & b_zero) | (a_zero & b_inf);

  wire                    p_sign    = a_sign ^ b_sign;
  wire                    p_nan     = a_nan | b_nan | inf_zero;
  wire                    p_invalid = ~(a_nan | b_nan | c_nan) & inf_zero;
  wire                    p_inf     = a_inf | b_inf;
  wire                    p_zero    = a_zero | b_zero;
  wire signed [EXP_W-1:0] p_exp     = a_exp + b_exp + {{(EXP_W - 1){1'b0}}, prod_hi};
  wire [P_SIG-1:0]        p_sig     = prod_hi ? prod : {prod[P_SIG-2:0], 1'b0};

  fp_add_raw #(
    .A_SIG       (P_SIG),
    .B_SIG       (C_MAN + 1),
    .R_EXP       (R_EXP),
    .R_MAN       (R_MAN),
    .R_SUBNORMALS(R_SUBNORMALS),
    .R_SPECIALS  (R_SPECIALS),
    .R_OVERFLOW  (R_OVERFLOW),
    .RBITS       (RBITS),
    .EXP_W       (EXP_W)
  ) u_add (
    .a_sign_i   (p_sign),
    .a_zero_i   (p_zero),
    .a_inf_i    (p_inf),
    .a_nan_i    (p_nan),
    .a_invalid_i(p_invalid),
    .a_exp_i    (p_exp),
    .a_sig_i    (p_sig),
    .b_sign_i   (c_sign),
    .b_zero_i   (c_zero),
    .b_inf_i    (c_inf),
    .b_nan_i    (c_nan),
    .b_exp_i    (c_exp),
    .b_sig_i    (c_sig),
    .mode_i     (mode_i),
    .rbits_i    (rbits_i),
    .rand_i     (rand_i),
    .res_o      (res_o),
    .flags_o    (flags_o)
  );

endmodule

`default_nettype wire
