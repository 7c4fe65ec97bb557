// Step 3 of an addition: the aligned magnitudes added or subtracted, with no negation after the
// adder — both differences are formed at once and the one that does not borrow is kept:
//
//   X = {big, big_st}   Y = {small >> diff, small_st}        (L + 1 bits, the sticky as LSB)
//   add:  S = X + Y
//   sub:  S = X - Y, or Y - X when that borrows (only with diff = 0, or a subnormal big one)
//
// With one sticky among X and Y (fp_add_swap), S's LSB is the sticky bit of the exact sum and
// the bits above it are the exact sum truncated: a sticky on the subtrahend makes X - Y one
// lower with LSB 1, which is the truncation of X - (Y + tail).
//
// The sum's sign and an exact zero's sign (SPEC §3: like-signed zeros keep it, otherwise +0,
// -0 under rdn) are settled here; exp_o is the weight of S's top bit (the carry position).
`default_nettype none
`include "fp_defs.vh"

module fp_add_sum #(
  parameter integer SUM_W = 31,
  parameter integer EXP_W = `FP_EXP_W
) (
  input  wire                    sub_i,
  input  wire                    inf_i,
  input  wire                    inf_sign_i,
  input  wire                    a_sign_i,
  input  wire                    big_sign_i,
  input  wire                    small_sign_i,
  input  wire signed [EXP_W-1:0] big_exp_i,
  input  wire [SUM_W-3:0]        big_i,
  input  wire                    big_st_i,
  input  wire [SUM_W-3:0]        small_i,
  input  wire                    small_st_i,
  input  wire [2:0]              mode_i,
  output wire                    sign_o,
  output wire                    zero_o,
  output wire signed [EXP_W-1:0] exp_o,
  output wire [SUM_W-1:0]        sum_o
);

  wire [SUM_W-1:0] x   = {1'b0, big_i, big_st_i};
  wire [SUM_W-1:0] y   = {1'b0, small_i, small_st_i};
  wire [SUM_W-1:0] d1  = x - y;
  wire [SUM_W-1:0] d2  = y - x;
  wire             neg = sub_i & d1[SUM_W-1];

  assign sum_o  = ~sub_i ? x + y : (neg ? d2 : d1);
  assign zero_o = ~|sum_o;
  assign exp_o  = big_exp_i + 1'b1;
  assign sign_o = inf_i  ? inf_sign_i :
                  zero_o ? (sub_i ? (mode_i == `FP_RDN) : a_sign_i) :
                  neg    ? small_sign_i : big_sign_i;

endmodule

`default_nettype wire
