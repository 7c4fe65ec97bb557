// The product path of the MAC PE: a * b brought to the form the accumulate loop adds
// (docs/rtl.md "The PE"). It has no feedback, so it is cut into as many stages as the clock
// needs (MUL_CUTS) and only adds latency.
//
//   fused:     U unpack | M multiply | P normalise, place on the acc grid            | loop
//   separate:  U unpack | M multiply | N align for MUL | R round into MUL (mul stream) |
//              P unpack the rounded product, place on the acc grid                     | loop
//
//   MUL_CUTS bit:  0 U|M (the multiplier's input registers)   1 M|next (its output register)
//                  2 N|R  3 R|P  (separate only)               4 P|loop
//
// The product leaves in raw form (fp_add_swap): normalised, or on the accumulator's emin grid
// with a sticky tail (fp_clamp) when it can lie below it. The controls (valid, load, last)
// travel beside it.
`default_nettype none
`include "fp_defs.vh"

module mac_prod #(
  parameter integer A_EXP          = 4,
  parameter integer A_MAN          = 3,
  parameter integer A_SUBNORMALS   = 1,
  parameter integer A_SPECIALS     = `FP_FN,
  parameter integer B_EXP          = 4,
  parameter integer B_MAN          = 3,
  parameter integer B_SUBNORMALS   = 1,
  parameter integer B_SPECIALS     = `FP_FN,
  parameter integer MUL_EXP        = 8,
  parameter integer MUL_MAN        = 7,
  parameter integer MUL_SUBNORMALS = 1,
  parameter integer MUL_SPECIALS   = `FP_IEEE,
  parameter integer MUL_OVERFLOW   = `FP_INFINITY,
  parameter integer MUL_MODE       = `FP_RNE,
  parameter integer MUL_RBITS      = 1,
  parameter integer ACC_EXP        = 8,
  parameter integer ACC_SPECIALS   = `FP_IEEE,   // with ACC_EXP: the accumulator's emin (CLAMP)
  parameter integer STYLE          = 0,
  parameter integer MUL_CUTS       = 0,
  parameter integer CLAMP          = 0,   // the product can lie below the acc's emin (mac_pe)
  parameter integer PW             = 8,   // bits of p_sig_o (mac_pe)
  parameter integer EXP_W          = `FP_EXP_W
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  input  wire                     valid_i,
  input  wire                     load_i,
  input  wire                     last_i,
  input  wire [A_EXP+A_MAN:0]     a_i,
  input  wire [B_EXP+B_MAN:0]     b_i,
  input  wire [MUL_RBITS-1:0]     rand_i,    // the mul stream's R (separate, sr)
  output wire                     step_o,    // a MAC's product is rounded now: step the mul stream
  output wire                     valid_o,
  output wire                     load_o,
  output wire                     last_o,
  output wire                     p_sign_o,
  output wire                     p_zero_o,
  output wire                     p_inf_o,
  output wire                     p_nan_o,      // a NaN operand (or product, separate): quiet
  output wire                     p_infzero_o,  // Inf * 0: invalid unless a NaN is around
  output wire signed [EXP_W-1:0]  p_exp_o,      // weight of p_sig_o's top bit
  output wire [PW-1:0]            p_sig_o,
  output wire                     p_st_o,
  output wire [3:0]               p_flags_o     // the product rounding's flags (separate)
);

  localparam integer SIG_W = A_MAN + B_MAN + 2;
  localparam integer MUL_W = MUL_EXP + MUL_MAN + 1;
  localparam integer RB_W  = `FP_RB_W(MUL_RBITS);

  // --- U: unpack ----------------------------------------------------------------------------
  wire                    a_sign, a_zero, a_inf, a_nan, b_sign, b_zero, b_inf, b_nan;
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

  // The controls ride every cut with a reset; the data has none. The multiplier's operands and
  // its product get registers of their own, so synthesis can pack them into a DSP's input and
  // output registers (Yosys 0.23's ice40_dsp, handed one register holding the significands and
  // other fields, dropped the SB_MAC16 and the logic behind it).
  wire [2:0]       ctl_u = {last_i, load_i, valid_i};
  wire [2:0]       ctl_m;
  localparam integer UW = 2 * EXP_W + 8;
  wire [UW-1:0] u_d = {a_sign, a_zero, a_inf, a_nan, a_exp, b_sign, b_zero, b_inf, b_nan, b_exp};
  wire [UW-1:0] u_q;
  wire [A_MAN:0] ua_sig;
  wire [B_MAN:0] ub_sig;

  pipe_reg #(.WIDTH(3),         .EN(MUL_CUTS & 1), .RESET(1)) u_cut0_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_u), .q_o(ctl_m));
  pipe_reg #(.WIDTH(UW), .EN(MUL_CUTS & 1), .RESET(0)) u_cut0 (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(u_d), .q_o(u_q));
  pipe_reg #(.WIDTH(A_MAN + 1), .EN(MUL_CUTS & 1), .RESET(0)) u_cut0_a (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(a_sig), .q_o(ua_sig));
  pipe_reg #(.WIDTH(B_MAN + 1), .EN(MUL_CUTS & 1), .RESET(0)) u_cut0_b (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(b_sig), .q_o(ub_sig));

  // --- M: multiply --------------------------------------------------------------------------
  wire                    ma_sign, ma_zero, ma_inf, ma_nan, mb_sign, mb_zero, mb_inf, mb_nan;
  wire signed [EXP_W-1:0] ma_exp, mb_exp;
  wire [A_MAN:0]          ma_sig;
  wire [B_MAN:0]          mb_sig;
  assign {ma_sign, ma_zero, ma_inf, ma_nan, ma_exp, mb_sign, mb_zero, mb_inf, mb_nan, mb_exp} = u_q;
  assign ma_sig = ua_sig;
  assign mb_sig = ub_sig;

  // SPEC §3: the sign is the XOR (zeros too); Inf * 0 is invalid; the product of two
  // significands in [1, 2) has its leading one at the top bit or the one below.
  wire [SIG_W-1:0]        prod     = ma_sig * mb_sig;
  wire signed [EXP_W-1:0] exp_top  = ma_exp + mb_exp + 1'b1;
  wire                    m_sign   = ma_sign ^ mb_sign;
  wire                    m_zero   = ma_zero | mb_zero;
  wire                    m_inf    = ma_inf | mb_inf;
  wire                    m_nan    = ma_nan | mb_nan;
  wire                    m_infz   = (ma_inf & mb_zero) | (ma_zero & mb_inf);

  localparam integer MW = 5 + EXP_W;
  wire [2:0]       ctl_n;
  wire [MW-1:0]    m_q;
  wire [SIG_W-1:0] n_prod;   // the product alone: a DSP's output register
  pipe_reg #(.WIDTH(3),          .EN((MUL_CUTS >> 1) & 1), .RESET(1)) u_cut1_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_m), .q_o(ctl_n));
  pipe_reg #(.WIDTH(MW), .EN((MUL_CUTS >> 1) & 1), .RESET(0)) u_cut1 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({m_sign, m_zero, m_inf, m_nan, m_infz, exp_top}), .q_o(m_q));
  pipe_reg #(.WIDTH(SIG_W), .EN((MUL_CUTS >> 1) & 1), .RESET(0)) u_cut1_p (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(prod), .q_o(n_prod));

  wire                    n_sign, n_zero, n_inf, n_nan, n_infz;
  wire signed [EXP_W-1:0] n_exp_top;
  assign {n_sign, n_zero, n_inf, n_nan, n_infz, n_exp_top} = m_q;

  // What reaches the last cut (P|loop), before it.
  wire [2:0]              ctl_p;
  wire                    p_sign, p_zero, p_inf, p_nan, p_infz, p_st;
  wire signed [EXP_W-1:0] p_exp;
  wire [PW-1:0]           p_sig;
  wire [3:0]              p_flags;

  generate
    if (STYLE != 0) begin : g_fused
      // --- P (fused): normalise by one bit, place on the acc grid --------------------------
      wire                    hi   = n_prod[SIG_W-1];
      wire [SIG_W-1:0]        nsig = hi ? n_prod : {n_prod[SIG_W-2:0], 1'b0};
      wire signed [EXP_W-1:0] nexp = n_exp_top - {{(EXP_W - 1){1'b0}}, ~hi};
      if (CLAMP != 0) begin : g_clamp
        fp_clamp #(
          .W_IN (SIG_W),
          .W_OUT(PW),
          .R_EXP(ACC_EXP),
          .R_SPECIALS(ACC_SPECIALS),
          .EXP_W(EXP_W)
        ) u_clamp (
          .exp_i(nexp),
          .sig_i(nsig),
          .exp_o(p_exp),
          .sig_o(p_sig),
          .st_o (p_st)
        );
      end else begin : g_noclamp
        assign p_exp = nexp;
        assign p_sig = nsig;
        assign p_st  = 1'b0;
      end
      assign ctl_p   = ctl_n;
      assign p_sign  = n_sign;
      assign p_zero  = n_zero;
      assign p_inf   = n_inf;
      assign p_nan   = n_nan;
      assign p_infz  = n_infz;
      assign p_flags = 4'b0000;
      assign step_o  = 1'b0;
      // No product rounding: the mul stream is not read, the cuts between N, R and P not used.
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_rand = ^rand_i;
      /* verilator lint_on UNUSEDSIGNAL */
    end else begin : g_separate
      // --- N (separate): align for the MUL format ----------------------------------------
      wire signed [EXP_W-1:0] a_exp_n;
      wire [MUL_MAN:0]        k_n;
      wire [MUL_RBITS+1:0]    f_n;
      wire                    st_n;

      fp_norm #(
        .R_EXP(MUL_EXP),
        .R_MAN(MUL_MAN),
        .R_SPECIALS(MUL_SPECIALS),
        .RBITS(MUL_RBITS),
        .W    (SIG_W),
        .LZ_W (1),
        .RIGHT(1),
        .EXP_W(EXP_W)
      ) u_norm (
        .exp_i   (n_exp_top),
        .sig_i   (n_prod),
        .lz_i    (~n_prod[SIG_W-1]),
        .sticky_i(1'b0),
        .exp_o   (a_exp_n),
        .k_o     (k_n),
        .f_o     (f_n),
        .sticky_o(st_n)
      );

      localparam integer NW = 5 + EXP_W + (MUL_MAN + 1) + (MUL_RBITS + 2) + 1;
      wire [2:0]       ctl_r;
      wire [NW-1:0]    n_q;
      pipe_reg #(.WIDTH(3),          .EN((MUL_CUTS >> 2) & 1), .RESET(1)) u_cut2_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_n), .q_o(ctl_r));
      pipe_reg #(.WIDTH(NW), .EN((MUL_CUTS >> 2) & 1), .RESET(0)) u_cut2 (.clk_i(clk_i), .rst_ni(rst_ni),
        .d_i({n_sign, n_zero, n_inf, n_nan, n_infz, a_exp_n, k_n, f_n, st_n}), .q_o(n_q));

      // --- R (separate): round into MUL with the mul stream -----------------------------
      wire                    r_sign, r_zero, r_inf, r_nan, r_infz, r_st;
      wire signed [EXP_W-1:0] r_exp;
      wire [MUL_MAN:0]        r_k;
      wire [MUL_RBITS+1:0]    r_f;
      assign {r_sign, r_zero, r_inf, r_nan, r_infz, r_exp, r_k, r_f, r_st} = n_q;
      wire [MUL_W-1:0] p_code;
      wire [3:0]       r_flags;
      localparam [2:0]      MODE_C  = MUL_MODE[2:0];
      localparam [RB_W-1:0] RBITS_C = MUL_RBITS[RB_W-1:0];

      // The rounded exponent is for the PE's loop (mac_acc); nothing here reads it.
      /* verilator lint_off UNUSEDSIGNAL */
      wire signed [EXP_W-1:0] unused_exp;
      /* verilator lint_on UNUSEDSIGNAL */

      fp_round #(
        .R_EXP       (MUL_EXP),
        .R_MAN       (MUL_MAN),
        .R_SUBNORMALS(MUL_SUBNORMALS),
        .R_SPECIALS  (MUL_SPECIALS),
        .R_OVERFLOW  (MUL_OVERFLOW),
        .RBITS       (MUL_RBITS),
        .EXP_W       (EXP_W)
      ) u_round (
        .sign_i   (r_sign),
        .nan_i    (r_nan | r_infz),
        .invalid_i(r_infz & ~r_nan),
        .inf_i    (r_inf),
        .zero_i   (r_zero),
        .exp_i    (r_exp),
        .k_i      (r_k),
        .f_i      (r_f),
        .sticky_i (r_st),
        .mode_i   (MODE_C),
        .rbits_i  (RBITS_C),
        .rand_i   (rand_i),
        .res_o    (p_code),
        .flags_o  (r_flags),
        .exp_o    (unused_exp)
      );
      assign step_o = ctl_r[0];

      wire [2:0]       ctl_q;
      wire [MUL_W-1:0] code_q;
      wire [3:0]       flags_q;
      pipe_reg #(.WIDTH(3),                 .EN((MUL_CUTS >> 3) & 1), .RESET(1)) u_cut3_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_r), .q_o(ctl_q));
      pipe_reg #(.WIDTH(MUL_W + 4), .EN((MUL_CUTS >> 3) & 1), .RESET(0)) u_cut3 (.clk_i(clk_i), .rst_ni(rst_ni),
        .d_i({p_code, r_flags}), .q_o({code_q, flags_q}));

      // --- P (separate): the rounded product, unpacked and placed on the acc grid ------------
      // Normalised, so the adder's big operand is normalised or on the acc's emin grid.
      wire                    u_sign, u_zero, u_inf, u_nan;
      wire signed [EXP_W-1:0] u_exp;
      wire [MUL_MAN:0]        u_sig;

      fp_unpack #(
        .EXP       (MUL_EXP),
        .MAN       (MUL_MAN),
        .SUBNORMALS(MUL_SUBNORMALS),
        .SPECIALS  (MUL_SPECIALS),
        .EXP_W     (EXP_W)
      ) u_unpack_p (
        .code_i(code_q),
        .sign_o(u_sign),
        .zero_o(u_zero),
        .inf_o (u_inf),
        .nan_o (u_nan),
        .exp_o (u_exp),
        .sig_o (u_sig)
      );

      if (CLAMP != 0) begin : g_clamp
        fp_clamp #(
          .W_IN (MUL_MAN + 1),
          .W_OUT(PW),
          .R_EXP(ACC_EXP),
          .R_SPECIALS(ACC_SPECIALS),
          .EXP_W(EXP_W)
        ) u_clamp (
          .exp_i(u_exp),
          .sig_i(u_sig),
          .exp_o(p_exp),
          .sig_o(p_sig),
          .st_o (p_st)
        );
      end else begin : g_noclamp
        assign p_exp = u_exp;
        assign p_sig = u_sig;
        assign p_st  = 1'b0;
      end
      assign ctl_p   = ctl_q;
      assign p_sign  = u_sign;
      assign p_zero  = u_zero;
      assign p_inf   = u_inf;
      assign p_nan   = u_nan;   // canonical now; its invalid is in p_flags
      assign p_infz  = 1'b0;
      assign p_flags = flags_q;
    end
  endgenerate

  // --- P|loop -------------------------------------------------------------------------------
  localparam integer PO = 6 + EXP_W + PW + 4;
  pipe_reg #(.WIDTH(3),          .EN((MUL_CUTS >> 4) & 1), .RESET(1)) u_cut4_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_p), .q_o({last_o, load_o, valid_o}));
  pipe_reg #(.WIDTH(PO), .EN((MUL_CUTS >> 4) & 1), .RESET(0)) u_cut4 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({p_sign, p_zero, p_inf, p_nan, p_infz, p_exp, p_sig, p_st, p_flags}),
    .q_o({p_sign_o, p_zero_o, p_inf_o, p_nan_o, p_infzero_o, p_exp_o, p_sig_o, p_st_o, p_flags_o}));

endmodule

`default_nettype wire
