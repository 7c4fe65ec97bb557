// The exact-enough sum of two unpacked operands, in the raw form fp_round reads (SPEC §3
// specials and zero signs, golden addRaw). Shared by fp_add and fp_fma (whose first operand is
// the exact product). Both significands arrive normalised (leading one at the MSB, weight
// 2^exp), so the larger leading exponent names the big operand.
//
//   window of L = max(A_SIG, B_SIG, PREC) + 3 bits, big operand left-aligned:
//
//        carry | big    (L bits)             | 0
//        0     | small >> diff (L bits)      | sticky    <- OR of the bits shifted out
//        ---------------------------------------------  + or -   (SUM_W = L + 2 bits)
//
// The sticky bit stands for bits below the window; it is exact enough because bits are lost
// only when diff > 3, and then the sum keeps its leading one at bit L or L-1 (the small operand
// is below 2^(L-3)), so the PREC bits the rounder reads are all above the sticky bit; for a
// difference, big - small - sticky with the sticky bit kept set is the exact value's truncation.
`default_nettype none
`include "fp_defs.vh"

module fp_add_core #(
  parameter integer A_SIG = 24,
  parameter integer B_SIG = 24,
  parameter integer PREC  = 26,   // `FP_ROUND_PREC of the result format
  parameter integer MODE  = `FP_RNE,
  parameter integer EXP_W = `FP_EXP_W,
  parameter integer SUM_W = `FP_ADD_SUM_W(A_SIG, B_SIG, PREC)
) (
  input  wire                    a_sign_i,
  input  wire                    a_zero_i,
  input  wire                    a_inf_i,
  input  wire                    a_nan_i,
  input  wire                    a_invalid_i,   // a_nan_i made by an invalid operation
  input  wire signed [EXP_W-1:0] a_exp_i,
  input  wire [A_SIG-1:0]        a_sig_i,
  input  wire                    b_sign_i,
  input  wire                    b_zero_i,
  input  wire                    b_inf_i,
  input  wire                    b_nan_i,
  input  wire signed [EXP_W-1:0] b_exp_i,
  input  wire [B_SIG-1:0]        b_sig_i,
  output wire                    sign_o,
  output wire                    nan_o,
  output wire                    invalid_o,
  output wire                    inf_o,
  output wire signed [EXP_W-1:0] exp_o,   // weight of sig_o[0]
  output wire [SUM_W-1:0]        sig_o
);

  localparam integer L   = SUM_W - 2;
  localparam integer D_W = $clog2(L + 1);
  localparam signed [EXP_W-1:0] L_X = L[EXP_W-1:0];

  // --- specials (SPEC §3) -----------------------------------------------------------------
  wire sub         = a_sign_i ^ b_sign_i;
  wire inf_minus   = a_inf_i & b_inf_i & sub;                       // Inf - Inf
  assign nan_o     = a_nan_i | b_nan_i | inf_minus;
  assign invalid_o = a_nan_i ? a_invalid_i : (~b_nan_i & inf_minus);
  assign inf_o     = a_inf_i | b_inf_i;

  // --- alignment --------------------------------------------------------------------------
  // x + 0 = x exactly: a zero operand is never the big one and contributes nothing.
  wire swap = a_zero_i | (~b_zero_i & (b_exp_i > a_exp_i));

  wire [L-1:0] a_al = {a_sig_i, {(L - A_SIG){1'b0}}};
  wire [L-1:0] b_al = {b_sig_i, {(L - B_SIG){1'b0}}};
  wire [L-1:0] big  = swap ? b_al : a_al;
  wire [L-1:0] small_al = (a_zero_i | b_zero_i) ? {L{1'b0}} : (swap ? a_al : b_al);

  wire signed [EXP_W-1:0] big_exp  = swap ? b_exp_i : a_exp_i;
  wire signed [EXP_W-1:0] diff_s   = swap ? b_exp_i - a_exp_i : a_exp_i - b_exp_i;
  wire [D_W-1:0]          diff     = (diff_s > L_X) ? L[D_W-1:0] : diff_s[D_W-1:0];

  wire [L-1:0] small_sh = small_al >> diff;
  wire         sticky   = |(small_al & ~({L{1'b1}} << diff));

  // --- add or subtract ----------------------------------------------------------------------
  wire [SUM_W-1:0] big_v   = {1'b0, big, 1'b0};
  wire [SUM_W-1:0] small_v = {1'b0, small_sh, sticky};
  wire [SUM_W-1:0] sum     = sub ? big_v - small_v : big_v + small_v;
  // Only a subtraction with diff = 0 can go negative (the small operand is otherwise below
  // 2^(L-1)); no bit was lost then, so negating is exact.
  wire             neg     = sub & sum[SUM_W-1];
  assign sig_o = neg ? (~sum + 1'b1) : sum;

  wire big_sign   = swap ? b_sign_i : a_sign_i;
  wire small_sign = swap ? a_sign_i : b_sign_i;
  // An exact zero sum: the common sign of two like-signed zeros, else +0 (-0 under rdn).
  wire sum_zero   = ~|sum;
  assign sign_o = inf_o    ? (a_inf_i ? a_sign_i : b_sign_i) :
                  sum_zero ? (sub ? (MODE == `FP_RDN) : a_sign_i) :
                  neg      ? small_sign : big_sign;

  assign exp_o = big_exp - L_X;

endmodule

`default_nettype wire
