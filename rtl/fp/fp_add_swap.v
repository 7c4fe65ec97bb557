// Step 1 of an addition (SPEC §3 specials and zero signs, golden addRaw): settles the specials,
// names the big operand by exponent and measures how far the small one must move. Both
// operands arrive in raw form, value = sig * 2^(exp - (SIG-1)) (+ a sticky tail):
//
//   normalised (sig's top bit set), or at the minimum exponent of the sum's format with
//   leading zeros (a subnormal accumulator, or a product placed on that grid), so the operand
//   with the larger exponent is the larger one unless the exponents are equal (diff = 0)
//
// At most one operand carries a sticky tail (the PE's product); fp_add_sum keeps it exact.
//
//   window of L = SUM_W - 2 bits, both operands left-aligned, then the small one moved right:
//
//        big   | L bits                    | big_st
//        small | L bits  >> diff           | small_st | the bits shifted out
`default_nettype none
`include "fp_defs.vh"

module fp_add_swap #(
  parameter integer A_SIG = 24,
  parameter integer B_SIG = 24,
  parameter integer SUM_W = 31,
  parameter integer EXP_W = `FP_EXP_W
) (
  input  wire                    a_sign_i,
  input  wire                    a_zero_i,
  input  wire                    a_inf_i,
  input  wire                    a_nan_i,
  input  wire                    a_invalid_i,   // a_nan_i made by an invalid operation
  input  wire signed [EXP_W-1:0] a_exp_i,       // weight of a_sig_i's top bit
  input  wire [A_SIG-1:0]        a_sig_i,
  input  wire                    a_st_i,
  input  wire                    b_sign_i,
  input  wire                    b_zero_i,
  input  wire                    b_inf_i,
  input  wire                    b_nan_i,
  input  wire                    b_invalid_i,
  input  wire signed [EXP_W-1:0] b_exp_i,
  input  wire [B_SIG-1:0]        b_sig_i,
  input  wire                    b_st_i,
  output wire                    nan_o,
  output wire                    invalid_o,
  output wire                    inf_o,
  output wire                    inf_sign_o,
  output wire                    sub_o,          // effective subtraction
  output wire                    a_sign_o,       // the sign of two like-signed zeros
  output wire                    big_sign_o,
  output wire                    small_sign_o,
  output wire signed [EXP_W-1:0] big_exp_o,      // weight of big_o's top bit
  output wire [SUM_W-3:0]        big_o,
  output wire                    big_st_o,
  output wire [SUM_W-3:0]        small_o,        // not yet shifted
  output wire                    small_st_o,
  output wire [$clog2(SUM_W-1)-1:0] diff_o       // saturated: all ones for L or more
);

  localparam integer L   = SUM_W - 2;
  localparam integer D_W = $clog2(L + 1);

  // --- specials (SPEC §3) -----------------------------------------------------------------
  wire inf_minus = a_inf_i & b_inf_i & (a_sign_i ^ b_sign_i);       // Inf - Inf
  assign nan_o      = a_nan_i | b_nan_i | inf_minus;
  // A quiet NaN operand wins over an invalid one (the caller has cleared *_invalid_i then).
  assign invalid_o  = (a_nan_i & a_invalid_i) | (b_nan_i & b_invalid_i) | (~a_nan_i & ~b_nan_i & inf_minus);
  assign inf_o      = a_inf_i | b_inf_i;
  assign inf_sign_o = a_inf_i ? a_sign_i : b_sign_i;
  assign sub_o      = a_sign_i ^ b_sign_i;
  assign a_sign_o   = a_sign_i;

  // --- which is big -----------------------------------------------------------------------
  // Both differences at once, as a compound adder (fp_add_sum): e = a + ~b = a - b - 1 with
  // carry-in 0 and 1 shares its propagate LUTs; d_ab = e + 1, d_ba = ~e. The sign of d_ab names
  // the big operand, the other difference is the shift.
  // x + 0 = x exactly: a zero operand is never the big one and contributes nothing.
  // (d_ab as a - b, one adder with carry-in 1 beside e_ab — not e_ab + 1 after it.)
  wire signed [EXP_W-1:0] e_ab = a_exp_i + ~b_exp_i;
  wire signed [EXP_W-1:0] d_ab = a_exp_i - b_exp_i;
  wire signed [EXP_W-1:0] d_ba = ~e_ab;
  wire swap = a_zero_i | (~b_zero_i & d_ab[EXP_W-1]);

  // A zero contributes nothing whatever its significand field holds (the PE's idle cycles).
  wire [L-1:0] a_al = a_zero_i ? {L{1'b0}} : {a_sig_i, {(L - A_SIG){1'b0}}};
  wire [L-1:0] b_al = b_zero_i ? {L{1'b0}} : {b_sig_i, {(L - B_SIG){1'b0}}};
  wire         any_zero = a_zero_i | b_zero_i;

  assign big_o        = swap ? b_al : a_al;
  assign big_st_o     = swap ? b_st_i : a_st_i;
  assign small_o      = swap ? a_al : b_al;
  assign small_st_o   = ~any_zero & (swap ? a_st_i : b_st_i);
  assign big_sign_o   = swap ? b_sign_i : a_sign_i;
  assign small_sign_o = swap ? a_sign_i : b_sign_i;
  assign big_exp_o    = swap ? b_exp_i : a_exp_i;

  // A shift of L or more moves every bit into the sticky (fp_add_align), so a difference that
  // does not fit in D_W bits saturates to all ones: an OR of its high bits, no comparator. (A
  // negative difference only arises when the small operand is a zero, which contributes nothing.)
  wire signed [EXP_W-1:0] diff_s = swap ? d_ba : d_ab;
  assign diff_o = (|diff_s[EXP_W-1:D_W]) ? {D_W{1'b1}} : diff_s[D_W-1:0];

endmodule

`default_nettype wire
