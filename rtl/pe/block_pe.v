// Block dot-product PE for BFP and MX (docs/rtl.md "Block PEs", golden blockDot): the products
// of a block's elements are summed exactly in a wide integer register, and at the block's last
// element the sum, scaled by both shared exponents, is added to the float accumulator with ONE
// rounding (fp_add_raw (swap, align, sum, normalise, round), the units fp_fma uses):
//
//   sum <- sum + fxA * fxB                                   every MAC (exact integers)
//   acc <- round_acc(acc + 2^(sA + sB - A_FRAC - B_FRAC) * sum)  block end: BLOCK MACs or last_i
//
// a_i = {scale, element}: the block's shared exponent travels with every element (the host
// repeats it) and is read at the block end. A_SCALE 0: two's-complement exponent (BFP);
// 1: E8M0, code - 127, 0xFF = NaN (MX). load_i starts a new output from +0 (flags cleared).
//
// Specials follow golden's sequential addRaw/mulRaw over the block (docs/arithmetic.md §7.4):
// a NaN element makes the block NaN quietly, Inf * 0 and Inf - Inf make it NaN with `invalid`
// (the first NaN decides), a NaN scale makes it a quiet NaN; an accumulator NaN absorbs a block
// NaN quietly. An exact zero block sum is -0 when every product was -0 (under rdn: unless every
// product was +0), as §3 signs zero sums. Deterministic modes only (no sr stream here).
`default_nettype none
`include "fp_defs.vh"

module block_pe #(
  parameter integer A_KIND         = 2,   // blk_elem KIND: 0 two's complement, 1 sign-magnitude, 2 float
  parameter integer A_EW           = 8,   // element code bits
  parameter integer A_EXP          = 4,
  parameter integer A_MAN          = 3,
  parameter integer A_SPECIALS     = `FP_FN,
  parameter integer A_FRAC         = 9,   // fraction bits of the element integer: LSB weight 2^-A_FRAC
  parameter integer A_SCALE        = 1,   // 0 two's complement, 1 E8M0
  parameter integer A_SCALE_W      = 8,
  parameter integer B_KIND         = 2,
  parameter integer B_EW           = 8,
  parameter integer B_EXP          = 4,
  parameter integer B_MAN          = 3,
  parameter integer B_SPECIALS     = `FP_FN,
  parameter integer B_FRAC         = 9,
  parameter integer B_SCALE        = 1,
  parameter integer B_SCALE_W      = 8,
  parameter integer BLOCK          = 32,
  parameter integer ACC_EXP        = 8,
  parameter integer ACC_MAN        = 23,
  parameter integer ACC_SUBNORMALS = 1,
  parameter integer ACC_SPECIALS   = `FP_IEEE,
  parameter integer ACC_OVERFLOW   = `FP_INFINITY,
  parameter integer ACC_MODE       = `FP_RNE
) (
  input  wire                           clk_i,
  input  wire                           rst_ni,
  input  wire                           valid_i,
  input  wire                           load_i,
  input  wire                           last_i,    // the output's last element: ends its block
  input  wire [A_SCALE_W+A_EW-1:0]      a_i,
  input  wire [B_SCALE_W+B_EW-1:0]      b_i,
  output wire [ACC_EXP+ACC_MAN:0]       acc_o,
  output wire [3:0]                     flags_o,   // {inexact, underflow, overflow, invalid}
  output wire                           done_o     // acc_o holds an output ended by last_i
);

  localparam integer EXP_W = `FP_EXP_W;
  localparam integer ACC_W = ACC_EXP + ACC_MAN + 1;
  localparam integer FXA_W = (A_KIND == 2) ? A_MAN + (1 << A_EXP) : A_EW;
  localparam integer FXB_W = (B_KIND == 2) ? B_MAN + (1 << B_EXP) : B_EW;
  localparam integer P_W   = FXA_W + FXB_W;
  localparam integer CNT_W = (BLOCK > 1) ? $clog2(BLOCK) : 1;
  localparam integer SUM_W = P_W + CNT_W;    // BLOCK products of |p| < 2^(P_W-2), signed
  localparam integer LZ_W  = $clog2(SUM_W + 1);
  localparam integer BLOCK_M1 = BLOCK - 1;
  localparam integer TOP_I    = SUM_W - 1 - A_FRAC - B_FRAC;   // weight of the sum's top bit
  localparam [CNT_W-1:0] CNT_LAST = BLOCK_M1[CNT_W-1:0];
  localparam signed [EXP_W-1:0] TOP_X = TOP_I[EXP_W-1:0];

  // --- elements and scales -------------------------------------------------------------------
  wire signed [FXA_W-1:0] fa;
  wire signed [FXB_W-1:0] fb;
  wire a_zero, a_neg, a_nan, a_inf, b_zero, b_neg, b_nan, b_inf;

  blk_elem #(
    .KIND    (A_KIND),
    .EW      (A_EW),
    .EXP     (A_EXP),
    .MAN     (A_MAN),
    .SPECIALS(A_SPECIALS),
    .FX_W    (FXA_W)
  ) u_elem_a (
    .code_i(a_i[A_EW-1:0]),
    .fx_o  (fa),
    .zero_o(a_zero),
    .neg_o (a_neg),
    .nan_o (a_nan),
    .inf_o (a_inf)
  );

  blk_elem #(
    .KIND    (B_KIND),
    .EW      (B_EW),
    .EXP     (B_EXP),
    .MAN     (B_MAN),
    .SPECIALS(B_SPECIALS),
    .FX_W    (FXB_W)
  ) u_elem_b (
    .code_i(b_i[B_EW-1:0]),
    .fx_o  (fb),
    .zero_o(b_zero),
    .neg_o (b_neg),
    .nan_o (b_nan),
    .inf_o (b_inf)
  );

  wire [A_SCALE_W-1:0] a_sc = a_i[A_EW +: A_SCALE_W];
  wire [B_SCALE_W-1:0] b_sc = b_i[B_EW +: B_SCALE_W];
  wire signed [EXP_W-1:0] sa = (A_SCALE == 1) ? $signed({{(EXP_W - A_SCALE_W){1'b0}}, a_sc}) - 12'sd127
                                              : $signed({{(EXP_W - A_SCALE_W){a_sc[A_SCALE_W-1]}}, a_sc});
  wire signed [EXP_W-1:0] sb = (B_SCALE == 1) ? $signed({{(EXP_W - B_SCALE_W){1'b0}}, b_sc}) - 12'sd127
                                              : $signed({{(EXP_W - B_SCALE_W){b_sc[B_SCALE_W-1]}}, b_sc});
  wire sa_nan = (A_SCALE == 1) & (&a_sc);
  wire sb_nan = (B_SCALE == 1) & (&b_sc);

  // --- the block state: exact sum, specials, zero signs, position -----------------------------
  reg signed [SUM_W-1:0] sum_q;
  reg                    nan_q, inv_q, inf_q, infneg_q, allpz_q, allnz_q;
  reg [CNT_W-1:0]        cnt_q;
  reg [ACC_W-1:0]        acc_q;
  reg [3:0]              flags_q;

  // load_i starts from a fresh block and +0 whatever the registers hold.
  wire signed [SUM_W-1:0] sum_c    = load_i ? {SUM_W{1'b0}} : sum_q;
  wire                    nan_c    = ~load_i & nan_q;
  wire                    inv_c    = ~load_i & inv_q;
  wire                    inf_c    = ~load_i & inf_q;
  wire                    infneg_c = ~load_i & infneg_q;
  wire                    allpz_c  = load_i | allpz_q;
  wire                    allnz_c  = load_i | allnz_q;
  wire [CNT_W-1:0]        cnt_c    = load_i ? {CNT_W{1'b0}} : cnt_q;
  wire [ACC_W-1:0]        acc_c    = load_i ? {ACC_W{1'b0}} : acc_q;
  wire [3:0]              flags_c  = load_i ? 4'b0 : flags_q;
  wire                    blk_end  = last_i | (cnt_c == CNT_LAST);

  // The product (golden mulRaw): NaN wins, Inf * 0 is an invalid NaN.
  wire                    p_sign  = a_neg ^ b_neg;
  wire                    p_inf0  = (a_inf & b_zero) | (a_zero & b_inf);
  wire                    p_nan   = a_nan | b_nan | p_inf0;
  wire                    p_inv   = ~(a_nan | b_nan) & p_inf0;
  wire                    p_inf   = (a_inf | b_inf) & ~p_nan;
  wire                    p_zero  = (a_zero | b_zero) & ~p_nan & ~p_inf;
  wire signed [P_W-1:0]   prod    = fa * fb;

  // The running sum (golden addRaw in order): the first NaN decides `invalid`.
  wire                    inf_minus = inf_c & p_inf & (infneg_c ^ p_sign);
  wire                    nan_n     = nan_c | p_nan | inf_minus;
  wire                    inv_n     = nan_c ? inv_c : (p_nan ? p_inv : inf_minus);
  wire                    inf_n     = inf_c | p_inf;
  wire                    infneg_n  = inf_c ? infneg_c : p_sign;
  wire                    allpz_n   = allpz_c & p_zero & ~p_sign;
  wire                    allnz_n   = allnz_c & p_zero & p_sign;
  wire signed [SUM_W-1:0] sum_n     = sum_c + {{(SUM_W - P_W){prod[P_W-1]}}, prod};

  // --- the block sum in raw form: normalised magnitude, MSB weight 2^exp ----------------------
  wire                    blk_nan  = nan_n | sa_nan | sb_nan;
  wire                    blk_inv  = nan_n & inv_n & ~sa_nan & ~sb_nan;
  wire                    blk_inf  = inf_n & ~blk_nan;
  wire                    s_neg    = sum_n[SUM_W-1];
  wire [SUM_W-1:0]        s_mag    = s_neg ? -sum_n : sum_n;
  wire                    blk_zero = ~|s_mag & ~blk_nan & ~blk_inf;
  wire                    zsign    = (ACC_MODE == `FP_RDN) ? ~allpz_n : allnz_n;
  wire                    blk_sign = blk_inf ? infneg_n : (blk_zero ? zsign : s_neg);
  wire [LZ_W-1:0]         lz;

  fp_lzc #(
    .WIDTH(SUM_W),
    .CNT_W(LZ_W)
  ) u_lzc (
    .in_i (s_mag),
    .cnt_o(lz)
  );

  wire [SUM_W-1:0]        blk_sig = s_mag << lz;
  wire signed [EXP_W-1:0] blk_exp = TOP_X + sa + sb - $signed({{(EXP_W - LZ_W){1'b0}}, lz});

  // --- acc + block, one rounding (fp_add_raw: the adder and rounder fp_fma uses) ---------------
  wire                    c_sign, c_zero, c_inf, c_nan;
  wire signed [EXP_W-1:0] c_exp;
  wire [ACC_MAN:0]        c_sig;

  fp_unpack #(
    .EXP       (ACC_EXP),
    .MAN       (ACC_MAN),
    .SUBNORMALS(ACC_SUBNORMALS),
    .SPECIALS  (ACC_SPECIALS),
    .EXP_W     (EXP_W)
  ) u_unpack_acc (
    .code_i(acc_c),
    .sign_o(c_sign),
    .zero_o(c_zero),
    .inf_o (c_inf),
    .nan_o (c_nan),
    .exp_o (c_exp),
    .sig_o (c_sig)
  );

  wire [ACC_W-1:0] res;
  wire [3:0]       res_flags;
  localparam [2:0] MODE_C = ACC_MODE[2:0];

  fp_add_raw #(
    .A_SIG       (SUM_W),
    .B_SIG       (ACC_MAN + 1),
    .R_EXP       (ACC_EXP),
    .R_MAN       (ACC_MAN),
    .R_SUBNORMALS(ACC_SUBNORMALS),
    .R_SPECIALS  (ACC_SPECIALS),
    .R_OVERFLOW  (ACC_OVERFLOW),
    .RBITS       (1),
    .EXP_W       (EXP_W)
  ) u_add (
    .a_sign_i   (blk_sign),
    .a_zero_i   (blk_zero),
    .a_inf_i    (blk_inf),
    .a_nan_i    (blk_nan),
    .a_invalid_i(blk_inv & ~c_nan),   // acc + block: a NaN accumulator comes first, quietly
    .a_exp_i    (blk_exp),
    .a_sig_i    (blk_sig),
    .b_sign_i   (c_sign),
    .b_zero_i   (c_zero),
    .b_inf_i    (c_inf),
    .b_nan_i    (c_nan),
    .b_exp_i    (c_exp),
    .b_sig_i    (c_sig),
    .mode_i     (MODE_C),
    .rbits_i    (1'b1),
    .rand_i     (1'b0),
    .res_o      (res),
    .flags_o    (res_flags)
  );

  // --- registers -------------------------------------------------------------------------------
  always @(posedge clk_i) begin
    if (!rst_ni || (load_i && !valid_i) || (valid_i && blk_end)) begin
      sum_q    <= {SUM_W{1'b0}};
      nan_q    <= 1'b0;
      inv_q    <= 1'b0;
      inf_q    <= 1'b0;
      infneg_q <= 1'b0;
      allpz_q  <= 1'b1;
      allnz_q  <= 1'b1;
      cnt_q    <= {CNT_W{1'b0}};
    end else if (valid_i) begin
      sum_q    <= sum_n;
      nan_q    <= nan_n;
      inv_q    <= inv_n;
      inf_q    <= inf_n;
      infneg_q <= infneg_n;
      allpz_q  <= allpz_n;
      allnz_q  <= allnz_n;
      cnt_q    <= cnt_c + 1'b1;
    end
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      acc_q   <= {ACC_W{1'b0}};
      flags_q <= 4'b0;
    end else if (valid_i && blk_end) begin
      acc_q   <= res;
      flags_q <= flags_c | res_flags;
    end else if (valid_i || load_i) begin
      acc_q   <= acc_c;
      flags_q <= flags_c;
    end
  end

  reg done_q;
  always @(posedge clk_i) begin
    if (!rst_ni) done_q <= 1'b0;
    else done_q <= valid_i & last_i;
  end

  assign acc_o   = acc_q;
  assign flags_o = flags_q;
  assign done_o  = done_q;

endmodule

`default_nettype wire
