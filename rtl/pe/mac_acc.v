// The accumulate loop of the MAC PE: acc <- round_acc(acc + p), cut into L stages
// (docs/rtl.md "The PE"):
//
//   C compare | A align | S add | Z count | N normalise | R round | ring
//   ACC_CUTS bit 0 C|A, 1 A|S, 2 S|Z, 3 Z|N, 4 N|R; the ring register after R is always there,
//   so L = 1 + the number of cuts.
//
// A recurrence cannot be cut without changing the result, so the loop holds L partial sums of L
// different outputs instead: the value a MAC reads in C is the one that left R L cycles
// earlier, so the MACs presented at cycles t, t+L, t+2L, ... accumulate one output (its slot)
// in order, bit for bit golden's sequential MAC. A cycle without a MAC (valid_i low) passes the
// slot's value round unchanged: it adds a zero of the accumulator's own sign, which is exact
// and raises nothing (x + (+-0) = x, -0 + -0 = -0). The acc stream steps only for a MAC,
// in R, in the order the MACs were presented.
//
// The loop reads the accumulator as a code (fp_unpack without normalising: a subnormal is
// {0, frac} at emin), with its exponent kept beside it in the ring (fp_round's exp_o), so no
// subtraction of the bias stands in front of the exponent compare. The only shift after the sum
// moves left (fp_norm RIGHT = 0): every operand has exp >= emin (the product through
// fp_clamp), hence so has the sum.
`default_nettype none
`include "fp_defs.vh"

module mac_acc #(
  parameter integer ACC_EXP        = 8,
  parameter integer ACC_MAN        = 23,
  parameter integer ACC_SUBNORMALS = 1,
  parameter integer ACC_SPECIALS   = `FP_IEEE,
  parameter integer ACC_OVERFLOW   = `FP_INFINITY,
  parameter integer ACC_MODE       = `FP_RNE,
  parameter integer ACC_RBITS      = 1,
  parameter integer PW             = 8,    // bits of the product's significand
  parameter integer ACC_CUTS       = 0,
  parameter integer EXP_W          = `FP_EXP_W
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  input  wire                     valid_i,
  input  wire                     load_i,
  input  wire                     last_i,
  input  wire                     p_sign_i,
  input  wire                     p_zero_i,
  input  wire                     p_inf_i,
  input  wire                     p_nan_i,
  input  wire                     p_infzero_i,
  input  wire signed [EXP_W-1:0]  p_exp_i,
  input  wire [PW-1:0]            p_sig_i,
  input  wire                     p_st_i,
  input  wire [3:0]               p_flags_i,
  input  wire [ACC_RBITS-1:0]     rand_i,
  output wire                     step_o,
  output wire [ACC_EXP+ACC_MAN:0] acc_o,
  output wire [3:0]               flags_o,
  output wire                     done_o
);

  localparam integer ACC_W = ACC_EXP + ACC_MAN + 1;
  localparam integer A_SIG = ACC_MAN + 1;
  localparam integer PREC  = `FP_ROUND_PREC(ACC_MAN, ACC_RBITS);
  localparam integer SUM_W = `FP_ADD_SUM_W(A_SIG, PW, PREC);
  localparam integer L     = SUM_W - 2;
  localparam integer D_W   = $clog2(L + 1);
  localparam integer LZ_W  = $clog2(SUM_W + 1);
  localparam integer RB_W  = `FP_RB_W(ACC_RBITS);
  localparam [2:0]      MODE_C  = ACC_MODE[2:0];
  localparam [RB_W-1:0] RBITS_C = ACC_RBITS[RB_W-1:0];

  localparam integer BIAS = `FP_BIAS(ACC_EXP, ACC_SPECIALS);
  localparam integer EMIN = 1 - BIAS;
  localparam signed [EXP_W-1:0] EMIN_X = EMIN[EXP_W-1:0];

  reg [ACC_W-1:0]         acc_q;     // the ring register: one slot's accumulator, its exponent
  reg signed [EXP_W-1:0]  exp_q;     // (as fp_unpack reads it) and its flags
  reg [3:0]               flags_q;
  reg                     done_q;

  // --- C: the slot's accumulator (or +0 for a new output), compare and swap -----------------
  wire             fresh     = valid_i & load_i;
  wire [ACC_W-1:0] acc_src   = fresh ? {ACC_W{1'b0}} : acc_q;
  wire [3:0]       flags_src = (fresh ? 4'b0000 : flags_q) | (valid_i ? p_flags_i : 4'b0000);

  wire                    a_sign, a_zero, a_inf, a_nan;
  wire signed [EXP_W-1:0] a_exp_code;   // the same as exp_q: not used
  wire [ACC_MAN:0]        a_sig;
  // A new output adds the product to +0: the zero is never the big operand (fp_add_swap), so
  // the slot's stale exponent only sets how far that zero moves, and needs no mux here.
  wire signed [EXP_W-1:0] a_exp = exp_q;
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_exp_code = ^a_exp_code;
  /* verilator lint_on UNUSEDSIGNAL */

  fp_unpack #(
    .EXP       (ACC_EXP),
    .MAN       (ACC_MAN),
    .SUBNORMALS(ACC_SUBNORMALS),
    .SPECIALS  (ACC_SPECIALS),
    .NORMALIZE (0),
    .EXP_W     (EXP_W)
  ) u_unpack_acc (
    .code_i(acc_src),
    .sign_o(a_sign),
    .zero_o(a_zero),
    .inf_o (a_inf),
    .nan_o (a_nan),
    .exp_o (a_exp_code),
    .sig_o (a_sig)
  );

  // Without a MAC the product is a zero of the accumulator's sign. With one, Inf * 0 is a NaN,
  // invalid unless the accumulator is a NaN already (docs/arithmetic.md §3: the NaN wins).
  wire b_sign = valid_i ? p_sign_i : a_sign;
  wire b_zero = ~valid_i | p_zero_i;
  wire b_inf  = valid_i & p_inf_i;
  wire b_nan  = valid_i & (p_nan_i | p_infzero_i);
  wire b_inv  = valid_i & p_infzero_i & ~p_nan_i & ~a_nan;

  wire                    c_nan, c_invalid, c_inf, c_inf_sign, c_sub, c_a_sign, c_big_sign, c_lit_sign;
  wire signed [EXP_W-1:0] c_big_exp;
  wire [L-1:0]            c_big, c_lit;
  wire                    c_big_st, c_lit_st;
  wire [D_W-1:0]          c_diff;

  fp_add_swap #(
    .A_SIG(A_SIG),
    .B_SIG(PW),
    .SUM_W(SUM_W),
    .EXP_W(EXP_W)
  ) u_swap (
    .a_sign_i    (a_sign),
    .a_zero_i    (a_zero),
    .a_inf_i     (a_inf),
    .a_nan_i     (a_nan),
    .a_invalid_i (1'b0),
    .a_exp_i     (a_exp),
    .a_sig_i     (a_sig),
    .a_st_i      (1'b0),
    .b_sign_i    (b_sign),
    .b_zero_i    (b_zero),
    .b_inf_i     (b_inf),
    .b_nan_i     (b_nan),
    .b_invalid_i (b_inv),
    .b_exp_i     (p_exp_i),
    .b_sig_i     (p_sig_i),
    .b_st_i      (valid_i & p_st_i),
    .nan_o       (c_nan),
    .invalid_o   (c_invalid),
    .inf_o       (c_inf),
    .inf_sign_o  (c_inf_sign),
    .sub_o       (c_sub),
    .a_sign_o    (c_a_sign),
    .big_sign_o  (c_big_sign),
    .small_sign_o(c_lit_sign),
    .big_exp_o   (c_big_exp),
    .big_o       (c_big),
    .big_st_o    (c_big_st),
    .small_o     (c_lit),
    .small_st_o  (c_lit_st),
    .diff_o      (c_diff)
  );

  // Every cut: {last, valid} with reset, the rest without. s_* = the specials and flags that
  // ride along unchanged until R: {flags(4), nan, invalid, inf}.
  localparam integer SPW = 7;
  wire [SPW-1:0] c_sp = {flags_src, c_nan, c_invalid, c_inf};

  // --- C|A ----------------------------------------------------------------------------------
  localparam integer CAW = SPW + 5 + EXP_W + 2 * L + 2 + D_W;
  wire [1:0]     a_ctl;
  wire [SPW-1:0] a_sp;
  wire           a_inf_sign, a_sub, a_a_sign, a_big_sign, a_lit_sign, a_big_st, a_lit_st;
  wire signed [EXP_W-1:0] a_big_exp;
  wire [L-1:0]   a_big, a_lit;
  wire [D_W-1:0] a_diff;
  pipe_reg #(.WIDTH(2),   .EN(ACC_CUTS & 1), .RESET(1)) u_cut0_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i({last_i, valid_i}), .q_o(a_ctl));
  pipe_reg #(.WIDTH(CAW), .EN(ACC_CUTS & 1), .RESET(0)) u_cut0 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({c_sp, c_inf_sign, c_sub, c_a_sign, c_big_sign, c_lit_sign, c_big_exp, c_big, c_big_st, c_lit, c_lit_st, c_diff}),
    .q_o({a_sp, a_inf_sign, a_sub, a_a_sign, a_big_sign, a_lit_sign, a_big_exp, a_big, a_big_st, a_lit, a_lit_st, a_diff}));

  // --- A: align -----------------------------------------------------------------------------
  wire [L-1:0] a_lit_sh;
  wire         a_lit_sh_st;

  fp_add_align #(
    .L  (L),
    .D_W(D_W)
  ) u_align (
    .small_i   (a_lit),
    .small_st_i(a_lit_st),
    .diff_i    (a_diff),
    .small_o   (a_lit_sh),
    .small_st_o(a_lit_sh_st)
  );

  // --- A|S ----------------------------------------------------------------------------------
  localparam integer ASW = SPW + 5 + EXP_W + 2 * L + 2;
  wire [1:0]     s_ctl;
  wire [SPW-1:0] s_sp;
  wire           s_inf_sign, s_sub, s_a_sign, s_big_sign, s_lit_sign, s_big_st, s_lit_st;
  wire signed [EXP_W-1:0] s_big_exp;
  wire [L-1:0]   s_big, s_lit;
  pipe_reg #(.WIDTH(2),   .EN((ACC_CUTS >> 1) & 1), .RESET(1)) u_cut1_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(a_ctl), .q_o(s_ctl));
  pipe_reg #(.WIDTH(ASW), .EN((ACC_CUTS >> 1) & 1), .RESET(0)) u_cut1 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({a_sp, a_inf_sign, a_sub, a_a_sign, a_big_sign, a_lit_sign, a_big_exp, a_big, a_big_st, a_lit_sh, a_lit_sh_st}),
    .q_o({s_sp, s_inf_sign, s_sub, s_a_sign, s_big_sign, s_lit_sign, s_big_exp, s_big, s_big_st, s_lit, s_lit_st}));

  // --- S: add (the sign waits for Z, after the zero test of the sum) -------------------------
  wire                    s_sign_now, s_zero_now, s_neg;
  wire signed [EXP_W-1:0] s_exp;
  wire [SUM_W-1:0]        s_sum;
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_s = s_sign_now ^ s_zero_now;   // fp_add_sign settles them in Z
  /* verilator lint_on UNUSEDSIGNAL */

  fp_add_sum #(
    .SUM_W(SUM_W),
    .EXP_W(EXP_W)
  ) u_sum (
    .sub_i       (s_sub),
    .inf_i       (s_sp[0]),
    .inf_sign_i  (s_inf_sign),
    .a_sign_i    (s_a_sign),
    .big_sign_i  (s_big_sign),
    .small_sign_i(s_lit_sign),
    .big_exp_i   (s_big_exp),
    .big_i       (s_big),
    .big_st_i    (s_big_st),
    .small_i     (s_lit),
    .small_st_i  (s_lit_st),
    .mode_i      (MODE_C),
    .sign_o      (s_sign_now),
    .zero_o      (s_zero_now),
    .neg_o       (s_neg),
    .exp_o       (s_exp),
    .sum_o       (s_sum)
  );

  // Beside the adder: the one-hot stop bit at the emin position (room = exp - emin places below
  // the sum's top bit; room >= 1, since every operand has exp >= emin). Counted together with
  // the sum, it keeps the count at most room: a result below 2^emin shifts only onto the emin
  // grid, and the normaliser needs no compare after the count.
  wire signed [EXP_W-1:0] s_room = s_exp - EMIN_X;
  wire [SUM_W-1:0]        s_stop;
  genvar b;
  generate
    for (b = 0; b < SUM_W; b = b + 1) begin : g_stop
      localparam integer     POS   = SUM_W - 1 - b;
      localparam [EXP_W-1:0] POS_X = POS[EXP_W-1:0];
      assign s_stop[b] = (s_room == $signed(POS_X));
    end
  endgenerate

  // --- S|Z ----------------------------------------------------------------------------------
  localparam integer SZW = SPW + 6 + EXP_W + 2 * SUM_W;
  wire [1:0]              z_ctl;
  wire [SPW-1:0]          z_sp;
  wire                    z_inf_sign, z_sub, z_a_sign, z_big_sign, z_lit_sign, z_neg;
  wire signed [EXP_W-1:0] z_exp;
  wire [SUM_W-1:0]        z_sum, z_stop;
  pipe_reg #(.WIDTH(2),   .EN((ACC_CUTS >> 2) & 1), .RESET(1)) u_cut2_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(s_ctl), .q_o(z_ctl));
  pipe_reg #(.WIDTH(SZW), .EN((ACC_CUTS >> 2) & 1), .RESET(0)) u_cut2 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({s_sp, s_inf_sign, s_sub, s_a_sign, s_big_sign, s_lit_sign, s_neg, s_exp, s_sum, s_stop}),
    .q_o({z_sp, z_inf_sign, z_sub, z_a_sign, z_big_sign, z_lit_sign, z_neg, z_exp, z_sum, z_stop}));

  // --- Z: the zero test and the sign of the sum -------------------------------------------------
  wire z_zero = ~|z_sum;
  wire z_sign;

  fp_add_sign u_sign (
    .sub_i       (z_sub),
    .inf_i       (z_sp[0]),
    .inf_sign_i  (z_inf_sign),
    .a_sign_i    (z_a_sign),
    .big_sign_i  (z_big_sign),
    .small_sign_i(z_lit_sign),
    .neg_i       (z_neg),
    .zero_i      (z_zero),
    .mode_i      (MODE_C),
    .sign_o      (z_sign)
  );

  // --- Z: count the leading zeros (down to the stop bit at most) -----------------------------
  wire [LZ_W-1:0] z_lz;

  fp_lzc #(
    .WIDTH(SUM_W),
    .CNT_W(LZ_W)
  ) u_lzc (
    .in_i (z_sum | z_stop),
    .cnt_o(z_lz)
  );

  // --- Z|N ----------------------------------------------------------------------------------
  localparam integer ZNW = SPW + 2 + EXP_W + SUM_W + LZ_W;
  wire [1:0]              n_ctl;
  wire [SPW-1:0]          n_sp;
  wire                    n_sign, n_zero;
  wire signed [EXP_W-1:0] n_exp;
  wire [SUM_W-1:0]        n_sum;
  wire [LZ_W-1:0]         n_lz;
  pipe_reg #(.WIDTH(2),   .EN((ACC_CUTS >> 3) & 1), .RESET(1)) u_cut3_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(z_ctl), .q_o(n_ctl));
  pipe_reg #(.WIDTH(ZNW), .EN((ACC_CUTS >> 3) & 1), .RESET(0)) u_cut3 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({z_sp, z_sign, z_zero, z_exp, z_sum, z_lz}), .q_o({n_sp, n_sign, n_zero, n_exp, n_sum, n_lz}));

  // --- N: one left shift ----------------------------------------------------------------------
  wire signed [EXP_W-1:0] n_exp_o;
  wire [ACC_MAN:0]        n_k;
  wire [ACC_RBITS+1:0]    n_f;
  wire                    n_st;

  fp_norm #(
    .R_EXP(ACC_EXP),
    .R_MAN(ACC_MAN),
    .R_SPECIALS(ACC_SPECIALS),
    .RBITS(ACC_RBITS),
    .W    (SUM_W),
    .LZ_W (LZ_W),
    .RIGHT(0),
    .LZ_FITS(1),
    .EXP_W(EXP_W)
  ) u_norm (
    .exp_i   (n_exp),
    .sig_i   (n_sum),
    .lz_i    (n_lz),
    .sticky_i(1'b0),
    .exp_o   (n_exp_o),
    .k_o     (n_k),
    .f_o     (n_f),
    .sticky_o(n_st)
  );

  // --- N|R ----------------------------------------------------------------------------------
  localparam integer NRW = SPW + 2 + EXP_W + (ACC_MAN + 1) + (ACC_RBITS + 2) + 1;
  wire [1:0]              r_ctl;
  wire [SPW-1:0]          r_sp;
  wire                    r_sign, r_zero, r_st;
  wire signed [EXP_W-1:0] r_exp;
  wire [ACC_MAN:0]        r_k;
  wire [ACC_RBITS+1:0]    r_f;
  pipe_reg #(.WIDTH(2),   .EN((ACC_CUTS >> 4) & 1), .RESET(1)) u_cut4_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(n_ctl), .q_o(r_ctl));
  pipe_reg #(.WIDTH(NRW), .EN((ACC_CUTS >> 4) & 1), .RESET(0)) u_cut4 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({n_sp, n_sign, n_zero, n_exp_o, n_k, n_f, n_st}), .q_o({r_sp, r_sign, r_zero, r_exp, r_k, r_f, r_st}));

  // --- R: round with the acc stream -------------------------------------------------------------
  wire [ACC_W-1:0]        r_code;
  wire [3:0]              r_flags;
  wire signed [EXP_W-1:0] r_exp_out;

  fp_round #(
    .R_EXP       (ACC_EXP),
    .R_MAN       (ACC_MAN),
    .R_SUBNORMALS(ACC_SUBNORMALS),
    .R_SPECIALS  (ACC_SPECIALS),
    .R_OVERFLOW  (ACC_OVERFLOW),
    .RBITS       (ACC_RBITS),
    .EXP_W       (EXP_W)
  ) u_round (
    .sign_i   (r_sign),
    .nan_i    (r_sp[2]),
    .invalid_i(r_sp[1]),
    .inf_i    (r_sp[0]),
    .zero_i   (r_zero),
    .exp_i    (r_exp),
    .k_i      (r_k),
    .f_i      (r_f),
    .sticky_i (r_st),
    .mode_i   (MODE_C),
    .rbits_i  (RBITS_C),
    .rand_i   (rand_i),
    .res_o    (r_code),
    .flags_o  (r_flags),
    .exp_o    (r_exp_out)
  );

  assign step_o = r_ctl[0];

  // --- the ring register ------------------------------------------------------------------------
  always @(posedge clk_i) begin
    acc_q   <= r_code;
    exp_q   <= r_exp_out;
    flags_q <= r_sp[6:3] | (r_ctl[0] ? r_flags : 4'b0000);
  end

  always @(posedge clk_i) begin
    if (!rst_ni) done_q <= 1'b0;
    else done_q <= r_ctl[0] & r_ctl[1];
  end

  assign acc_o   = acc_q;
  assign flags_o = flags_q;
  assign done_o  = done_q;

endmodule

`default_nettype wire
