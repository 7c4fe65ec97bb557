// Two raw operands added and rounded once (golden addRaw + roundRaw), combinationally: the
// adder's steps (fp_add_swap, fp_add_align, fp_add_sum), a leading-zero count, one aligning
// shift (fp_norm) and the rounder. fp_add and fp_fma use it; the PE runs the same steps with
// pipeline registers between them (rtl/pe/mac_acc.v).
//
// Operands as fp_add_swap takes them (raw, normalised); a sum below 2^emin of the result format
// is moved right onto its grid by fp_norm (RIGHT = 1), since unit operands may lie far below it.
`default_nettype none
`include "fp_defs.vh"

module fp_add_raw #(
  parameter integer A_SIG        = 24,
  parameter integer B_SIG        = 24,
  parameter integer R_EXP        = 8,
  parameter integer R_MAN        = 23,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_IEEE,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer RBITS        = 1,
  parameter integer EXP_W        = `FP_EXP_W
) (
  input  wire                       a_sign_i,
  input  wire                       a_zero_i,
  input  wire                       a_inf_i,
  input  wire                       a_nan_i,
  input  wire                       a_invalid_i,
  input  wire signed [EXP_W-1:0]    a_exp_i,
  input  wire [A_SIG-1:0]           a_sig_i,
  input  wire                       b_sign_i,
  input  wire                       b_zero_i,
  input  wire                       b_inf_i,
  input  wire                       b_nan_i,
  input  wire signed [EXP_W-1:0]    b_exp_i,
  input  wire [B_SIG-1:0]           b_sig_i,
  input  wire [2:0]                 mode_i,
  input  wire [`FP_RB_W(RBITS)-1:0] rbits_i,
  input  wire [RBITS-1:0]           rand_i,
  output wire [R_EXP+R_MAN:0]       res_o,
  output wire [3:0]                 flags_o
);

  localparam integer PREC  = `FP_ROUND_PREC(R_MAN, RBITS);
  localparam integer SUM_W = `FP_ADD_SUM_W(A_SIG, B_SIG, PREC);
  localparam integer L     = SUM_W - 2;
  localparam integer D_W   = $clog2(L + 1);
  localparam integer LZ_W  = $clog2(SUM_W + 1);

  wire                    nan, invalid, inf, inf_sign, sub, a_sign, big_sign, lit_sign;
  wire signed [EXP_W-1:0] big_exp;
  wire [L-1:0]            big, lit, lit_sh;
  wire                    big_st, lit_st, lit_sh_st;
  wire [D_W-1:0]          diff;

  fp_add_swap #(
    .A_SIG(A_SIG),
    .B_SIG(B_SIG),
    .SUM_W(SUM_W),
    .EXP_W(EXP_W)
  ) u_swap (
    .a_sign_i    (a_sign_i),
    .a_zero_i    (a_zero_i),
    .a_inf_i     (a_inf_i),
    .a_nan_i     (a_nan_i),
    .a_invalid_i (a_invalid_i),
    .a_exp_i     (a_exp_i),
    .a_sig_i     (a_sig_i),
    .a_st_i      (1'b0),
    .b_sign_i    (b_sign_i),
    .b_zero_i    (b_zero_i),
    .b_inf_i     (b_inf_i),
    .b_nan_i     (b_nan_i),
    .b_invalid_i (1'b0),
    .b_exp_i     (b_exp_i),
    .b_sig_i     (b_sig_i),
    .b_st_i      (1'b0),
    .nan_o       (nan),
    .invalid_o   (invalid),
    .inf_o       (inf),
    .inf_sign_o  (inf_sign),
    .sub_o       (sub),
    .a_sign_o    (a_sign),
    .big_sign_o  (big_sign),
    .small_sign_o(lit_sign),
    .big_exp_o   (big_exp),
    .big_o       (big),
    .big_st_o    (big_st),
    .small_o     (lit),
    .small_st_o  (lit_st),
    .diff_o      (diff)
  );

  fp_add_align #(
    .L  (L),
    .D_W(D_W)
  ) u_align (
    .small_i   (lit),
    .small_st_i(lit_st),
    .diff_i    (diff),
    .small_o   (lit_sh),
    .small_st_o(lit_sh_st)
  );

  wire                    s_sign, s_zero, s_neg;
  wire signed [EXP_W-1:0] s_exp;
  wire [SUM_W-1:0]        s_sig;

  fp_add_sum #(
    .SUM_W(SUM_W),
    .EXP_W(EXP_W)
  ) u_sum (
    .sub_i       (sub),
    .inf_i       (inf),
    .inf_sign_i  (inf_sign),
    .a_sign_i    (a_sign),
    .big_sign_i  (big_sign),
    .small_sign_i(lit_sign),
    .big_exp_i   (big_exp),
    .big_i       (big),
    .big_st_i    (big_st),
    .small_i     (lit_sh),
    .small_st_i  (lit_sh_st),
    .mode_i      (mode_i),
    .sign_o      (s_sign),
    .zero_o      (s_zero),
    .neg_o       (s_neg),
    .exp_o       (s_exp),
    .sum_o       (s_sig)
  );
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_neg = s_neg;   // settled into s_sign already
  /* verilator lint_on UNUSEDSIGNAL */

  wire [LZ_W-1:0] lz;

  fp_lzc #(
    .WIDTH(SUM_W),
    .CNT_W(LZ_W)
  ) u_lzc (
    .in_i (s_sig),
    .cnt_o(lz)
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
    .W    (SUM_W),
    .LZ_W (LZ_W),
    .RIGHT(1),
    .EXP_W(EXP_W)
  ) u_norm (
    .exp_i   (s_exp),
    .sig_i   (s_sig),
    .lz_i    (lz),
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
    .sign_i   (s_sign),
    .nan_i    (nan),
    .invalid_i(invalid),
    .inf_i    (inf),
    .zero_i   (s_zero),
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
