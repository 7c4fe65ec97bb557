// The exact (Kulisch) accumulation PE (docs/arithmetic.md §5.1, golden exactDot, docs/rtl.md
// "The exact PE"): every product of the operand formats goes exactly into a fixed-point
// register, and the sum is rounded ONCE into the accumulator format when the output drains.
//
//   a, b ─► sig, shift regs ─► sig product, shift sum ─► |p| placed (one shift) ─► sum ± |p|
//                                                          (1-cycle integer loop) │ last: capture
//                                  acc_o ◄─ round ◄─ norm ◄─ lzc ◄─ |sum|     (drain, 4 stages)
//
// Operands are small floats with subnormals: value = sig · 2^(sh + q), sig the (MAN+1)-bit
// significand, sh = max(e, 1) - 1, q = emin - MAN. The product's significands multiply (a few
// bits: no DSP for fp8) and the product is shifted onto the register's grid 2^(qa + qb). The register holds
// P_W + GUARD bits: any 2^GUARD products (docs/arithmetic.md §5.1: W = (emax_a + emax_b + 2) -
// (qa + qb) + G + 1; P_W covers the first two terms and the sign). The loop is one adder, so
// the PE interleaves nothing (L = 1) and takes a MAC every cycle.
//
// Specials follow golden's addRaw chain from +0: a NaN operand makes the sum a quiet NaN, Inf·0
// and Inf - Inf an invalid NaN (the first NaN decides), an infinity otherwise wins; an exact
// zero sum is +0, under rdn -0 unless every product was +0. Under sr the accumulate generator
// (seed_i ^ fmix32(2·PE_INDEX + 2)) steps once per output, when it is rounded: outputs drain in
// the order they end, one per tile.
//
// Controls as mac_pe: valid_i performs a MAC, load_i with it starts an output from +0, last_i
// with it ends the output; done_o marks acc_o / flags_o holding that output's result.
// Latency: the result of a MAC presented at edge e is in acc_o after edge e + LATENCY = 6.
// rst_ni clears control state and the generator only.
`default_nettype none
`include "fp_defs.vh"

module exact_pe #(
  parameter integer A_EXP          = 4,
  parameter integer A_MAN          = 3,
  parameter integer A_SPECIALS     = `FP_FN,
  parameter integer B_EXP          = 4,
  parameter integer B_MAN          = 3,
  parameter integer B_SPECIALS     = `FP_FN,
  parameter integer ACC_EXP        = 8,
  parameter integer ACC_MAN        = 23,
  parameter integer ACC_SUBNORMALS = 1,
  parameter integer ACC_SPECIALS   = `FP_IEEE,
  parameter integer ACC_OVERFLOW   = `FP_INFINITY,
  parameter integer ACC_MODE       = `FP_RNE,
  parameter integer ACC_RBITS      = 1,
  parameter integer PE_INDEX       = 0,
  parameter integer GUARD          = 20    // sums of up to 2^GUARD products
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  input  wire [31:0]              seed_i,
  input  wire                     valid_i,
  input  wire                     load_i,
  input  wire                     last_i,
  input  wire [A_EXP+A_MAN:0]     a_i,
  input  wire [B_EXP+B_MAN:0]     b_i,
  output wire [ACC_EXP+ACC_MAN:0] acc_o,
  output wire [3:0]               flags_o,
  output wire                     done_o
);

  `include "fmix32.vh"

  localparam integer EXP_W = `FP_EXP_W;
  localparam integer ACC_W = ACC_EXP + ACC_MAN + 1;
  localparam integer FXA_W = A_MAN + (1 << A_EXP);   // a value / 2^qa as a signed integer
  localparam integer FXB_W = B_MAN + (1 << B_EXP);
  localparam integer P_W   = FXA_W + FXB_W;
  localparam integer SUM_W = P_W + GUARD;
  localparam integer LZ_W  = $clog2(SUM_W + 1);
  localparam integer QA    = 1 - `FP_BIAS(A_EXP, A_SPECIALS) - A_MAN;   // emin - MAN of a
  localparam integer QB    = 1 - `FP_BIAS(B_EXP, B_SPECIALS) - B_MAN;
  localparam integer TOP_I = QA + QB + SUM_W - 1;              // weight of the sum's top bit
  localparam signed [EXP_W-1:0] TOP_X = TOP_I[EXP_W-1:0];
  localparam [31:0]  K_ACC = fmix32(2 * PE_INDEX + 2);
  localparam integer RB_W  = `FP_RB_W(ACC_RBITS);
  localparam [2:0]      MODE_C  = ACC_MODE[2:0];
  localparam [RB_W-1:0] RBITS_C = ACC_RBITS[RB_W-1:0];

  // --- stage 1: operands as significand and shift (value = sig · 2^(sh + q)), in registers -----
  // sig = {1, f} and sh = e - 1 for a normal, {0, f} and 0 for a subnormal or zero; NaN and Inf
  // are classified and carry sig = 0.
  localparam integer SA_W = A_MAN + 1, SB_W = B_MAN + 1;
  localparam integer PS_W = SA_W + SB_W;                    // the significand product
  localparam integer SH_W = `FP_MAX(A_EXP, B_EXP) + 1;      // sha + shb
  localparam integer MAG_W = P_W - 2;                       // |product| = psig << (sha + shb)

  wire [A_EXP-1:0] ea = a_i[A_MAN +: A_EXP];
  wire [B_EXP-1:0] eb = b_i[B_MAN +: B_EXP];
  // Sign, zero, NaN and Inf of each format, and sig = {field != 0, f}, from the shared decoder
  // (fp_unpack without normalising); only its exponent is not needed: sh comes from the field.
  wire a_neg, a_zero, a_inf, a_nan, b_neg, b_zero, b_inf, b_nan;
  wire [SA_W-1:0] ua_sig;
  wire [SB_W-1:0] ub_sig;
  /* verilator lint_off UNUSEDSIGNAL */
  wire signed [EXP_W-1:0] ua_exp, ub_exp;
  /* verilator lint_on UNUSEDSIGNAL */

  fp_unpack #(
    .EXP       (A_EXP),
    .MAN       (A_MAN),
    .SUBNORMALS(1),
    .SPECIALS  (A_SPECIALS),
    .NORMALIZE (0),
    .EXP_W     (EXP_W)
  ) u_unpack_a (
    .code_i(a_i),
    .sign_o(a_neg),
    .zero_o(a_zero),
    .inf_o (a_inf),
    .nan_o (a_nan),
    .exp_o (ua_exp),
    .sig_o (ua_sig)
  );

  fp_unpack #(
    .EXP       (B_EXP),
    .MAN       (B_MAN),
    .SUBNORMALS(1),
    .SPECIALS  (B_SPECIALS),
    .NORMALIZE (0),
    .EXP_W     (EXP_W)
  ) u_unpack_b (
    .code_i(b_i),
    .sign_o(b_neg),
    .zero_o(b_zero),
    .inf_o (b_inf),
    .nan_o (b_nan),
    .exp_o (ub_exp),
    .sig_o (ub_sig)
  );

  wire [SA_W-1:0]  sa  = (a_nan | a_inf) ? {SA_W{1'b0}} : ua_sig;
  wire [SB_W-1:0]  sb  = (b_nan | b_inf) ? {SB_W{1'b0}} : ub_sig;
  wire [A_EXP-1:0] sha = (|ea) ? ea - 1'b1 : {A_EXP{1'b0}};
  wire [B_EXP-1:0] shb = (|eb) ? eb - 1'b1 : {B_EXP{1'b0}};

  // The product's class (golden mulRaw): NaN wins, Inf·0 is an invalid NaN.
  wire p_inf0 = (a_inf & b_zero) | (a_zero & b_inf);
  wire p_nan  = a_nan | b_nan | p_inf0;
  wire p_inv  = ~(a_nan | b_nan) & p_inf0;
  wire p_inf  = (a_inf | b_inf) & ~p_nan;
  wire p_pz   = (a_zero | b_zero) & ~p_nan & ~p_inf & ~(a_neg ^ b_neg);   // a +0 product

  reg [SA_W-1:0]  sa_q;
  reg [SB_W-1:0]  sb_q;
  reg [A_EXP-1:0] sha_q;
  reg [B_EXP-1:0] shb_q;
  reg [4:0]       cls1_q;   // {+0, inf, invalid, nan, sign}
  reg [2:0]       ctl1_q;   // {last, load, valid}
  always @(posedge clk_i) begin
    sa_q   <= sa;
    sb_q   <= sb;
    sha_q  <= sha;
    shb_q  <= shb;
    cls1_q <= {p_pz, p_inf, p_inv, p_nan, a_neg ^ b_neg};
    if (!rst_ni) ctl1_q <= 3'b0;
    else ctl1_q <= {last_i, load_i, valid_i};
  end

  // --- stage 2: the significand product and the shift ------------------------------------------
  reg [PS_W-1:0] ps_q;
  reg [SH_W-1:0] sh_q;
  reg [4:0]      cls2_q;
  reg [2:0]      ctl2_q;
  always @(posedge clk_i) begin
    ps_q   <= sa_q * sb_q;
    sh_q   <= {{(SH_W - A_EXP){1'b0}}, sha_q} + {{(SH_W - B_EXP){1'b0}}, shb_q};
    cls2_q <= cls1_q;
    if (!rst_ni) ctl2_q <= 3'b0;
    else ctl2_q <= ctl1_q;
  end

  // --- stage 3: the product placed on the register's grid (one shift) ---------------------------
  reg [MAG_W-1:0] prod_q;   // |a·b| / 2^(qa + qb)
  reg [4:0]       cls3_q;
  reg [2:0]       ctl3_q;
  always @(posedge clk_i) begin
    prod_q <= {{(MAG_W - PS_W){1'b0}}, ps_q} << sh_q;
    cls3_q <= cls2_q;
    if (!rst_ni) ctl3_q <= 3'b0;
    else ctl3_q <= ctl2_q;
  end

  // --- stage 3: the loop — sum and specials of the running output ----------------------------
  wire v2 = ctl3_q[0], ld2 = ctl3_q[1], last2 = ctl3_q[2];
  wire q_sign = cls3_q[0], q_nan = cls3_q[1], q_inv = cls3_q[2], q_inf = cls3_q[3], q_pz = cls3_q[4];

  reg signed [SUM_W-1:0] sum_q;
  reg                    nan_q, inv_q, inf_q, infneg_q, allpz_q;

  wire signed [SUM_W-1:0] sum_c    = ld2 ? {SUM_W{1'b0}} : sum_q;
  wire                    nan_c    = ~ld2 & nan_q;
  wire                    inv_c    = ~ld2 & inv_q;
  wire                    inf_c    = ~ld2 & inf_q;
  wire                    infneg_c = ~ld2 & infneg_q;
  wire                    allpz_c  = ld2 | allpz_q;

  wire                    inf_minus = inf_c & q_inf & (infneg_c ^ q_sign);
  wire                    nan_n     = nan_c | q_nan | inf_minus;
  wire                    inv_n     = nan_c ? inv_c : (q_nan ? q_inv : inf_minus);
  wire                    inf_n     = inf_c | q_inf;
  wire                    infneg_n  = inf_c ? infneg_c : q_sign;
  wire                    allpz_n   = allpz_c & q_pz;
  // sum ± |p|: one adder-subtractor (|p| inverted, carry in 1, when the product is negative).
  wire [SUM_W-1:0]        p_ext     = {{(SUM_W - MAG_W){1'b0}}, prod_q} ^ {SUM_W{q_sign}};
  wire signed [SUM_W-1:0] sum_n     = sum_c + $signed(p_ext) + $signed({{(SUM_W - 1){1'b0}}, q_sign});

  // Datapath registers take any value while no MAC runs; only valid MACs reach the drain.
  always @(posedge clk_i) begin
    if (v2) begin
      sum_q    <= sum_n;
      nan_q    <= nan_n;
      inv_q    <= inv_n;
      inf_q    <= inf_n;
      infneg_q <= infneg_n;
      allpz_q  <= allpz_n;
    end
  end

  // --- drain 1: capture the ended output as sign and magnitude --------------------------------
  reg                    d1_v_q;
  reg                    d1_neg_q, d1_nan_q, d1_inv_q, d1_inf_q, d1_infneg_q, d1_allpz_q;
  reg [SUM_W-1:0]        d1_mag_q;
  always @(posedge clk_i) begin
    if (!rst_ni) d1_v_q <= 1'b0;
    else d1_v_q <= v2 & last2;
    d1_neg_q    <= sum_n[SUM_W-1];
    d1_mag_q    <= sum_n[SUM_W-1] ? -sum_n : sum_n;
    d1_nan_q    <= nan_n;
    d1_inv_q    <= inv_n;
    d1_inf_q    <= inf_n;
    d1_infneg_q <= infneg_n;
    d1_allpz_q  <= allpz_n;
  end

  // --- drain 2: leading zeros ------------------------------------------------------------------
  wire [LZ_W-1:0] lz;
  fp_lzc #(
    .WIDTH(SUM_W),
    .CNT_W(LZ_W)
  ) u_lzc (
    .in_i (d1_mag_q),
    .cnt_o(lz)
  );

  // The class of the result: NaN, Inf, zero (signed as §3 from +0) or a finite sum.
  wire d1_zero = ~|d1_mag_q & ~d1_nan_q & ~d1_inf_q;
  wire d1_sign = d1_inf_q ? d1_infneg_q : d1_zero ? ((ACC_MODE == `FP_RDN) & ~d1_allpz_q) : d1_neg_q;

  reg             d2_v_q;
  reg [SUM_W-1:0] d2_mag_q;
  reg [LZ_W-1:0]  d2_lz_q;
  reg [4:0]       d2_cls_q;   // {zero, inf, invalid, nan, sign}
  always @(posedge clk_i) begin
    if (!rst_ni) d2_v_q <= 1'b0;
    else d2_v_q <= d1_v_q;
    d2_mag_q <= d1_mag_q;
    d2_lz_q  <= lz;
    d2_cls_q <= {d1_zero, d1_inf_q & ~d1_nan_q, d1_nan_q & d1_inv_q, d1_nan_q, d1_sign};
  end

  // --- drain 3: one shift onto the accumulator's grid (fp_norm) -------------------------------
  wire signed [EXP_W-1:0] n_exp;
  wire [ACC_MAN:0]        n_k;
  wire [ACC_RBITS+1:0]    n_f;
  wire                    n_st;

  fp_norm #(
    .R_EXP     (ACC_EXP),
    .R_MAN     (ACC_MAN),
    .R_SPECIALS(ACC_SPECIALS),
    .RBITS     (ACC_RBITS),
    .W    (SUM_W),
    .LZ_W (LZ_W),
    .RIGHT(1),
    .EXP_W(EXP_W)
  ) u_norm (
    .exp_i   (TOP_X),
    .sig_i   (d2_mag_q),
    .lz_i    (d2_lz_q),
    .sticky_i(1'b0),
    .exp_o   (n_exp),
    .k_o     (n_k),
    .f_o     (n_f),
    .sticky_o(n_st)
  );

  reg                    d3_v_q;
  reg signed [EXP_W-1:0] d3_exp_q;
  reg [ACC_MAN:0]        d3_k_q;
  reg [ACC_RBITS+1:0]    d3_f_q;
  reg                    d3_st_q;
  reg [4:0]              d3_cls_q;
  always @(posedge clk_i) begin
    if (!rst_ni) d3_v_q <= 1'b0;
    else d3_v_q <= d2_v_q;
    d3_exp_q <= n_exp;
    d3_k_q   <= n_k;
    d3_f_q   <= n_f;
    d3_st_q  <= n_st;
    d3_cls_q <= d2_cls_q;
  end

  // --- drain 4: the one rounding; sr takes one word per output --------------------------------
  wire [ACC_RBITS-1:0] r_acc;
  xorshift32 #(
    .RBITS(ACC_RBITS)
  ) u_rng_acc (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .seed_i(seed_i ^ K_ACC),
    .step_i(d3_v_q & (ACC_MODE == `FP_SR)),
    .rand_o(r_acc)
  );

  wire [ACC_W-1:0] res;
  wire [3:0]       res_flags;
  /* verilator lint_off UNUSEDSIGNAL */
  wire signed [EXP_W-1:0] unused_exp;
  /* verilator lint_on UNUSEDSIGNAL */

  fp_round #(
    .R_EXP       (ACC_EXP),
    .R_MAN       (ACC_MAN),
    .R_SUBNORMALS(ACC_SUBNORMALS),
    .R_SPECIALS  (ACC_SPECIALS),
    .R_OVERFLOW  (ACC_OVERFLOW),
    .RBITS       (ACC_RBITS),
    .EXP_W       (EXP_W)
  ) u_round (
    .sign_i   (d3_cls_q[0]),
    .nan_i    (d3_cls_q[1]),
    .invalid_i(d3_cls_q[2]),
    .inf_i    (d3_cls_q[3]),
    .zero_i   (d3_cls_q[4]),
    .exp_i    (d3_exp_q),
    .k_i      (d3_k_q),
    .f_i      (d3_f_q),
    .sticky_i (d3_st_q),
    .mode_i   (MODE_C),
    .rbits_i  (RBITS_C),
    .rand_i   (r_acc),
    .res_o    (res),
    .flags_o  (res_flags),
    .exp_o    (unused_exp)
  );

  reg             done_q;
  reg [ACC_W-1:0] acc_q;
  reg [3:0]       flags_q;
  always @(posedge clk_i) begin
    if (!rst_ni) done_q <= 1'b0;
    else done_q <= d3_v_q;
    if (d3_v_q) begin
      acc_q   <= res;
      flags_q <= res_flags;
    end
  end

  assign acc_o   = acc_q;
  assign flags_o = flags_q;
  assign done_o  = done_q;

endmodule

`default_nettype wire
