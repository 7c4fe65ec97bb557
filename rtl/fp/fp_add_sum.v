// Step 3 of an addition: the aligned magnitudes added or subtracted, with no negation after the
// adder — both differences are formed at once and the one that does not borrow is kept:
//
//   X = {big, big_st}   Y = {small >> diff, small_st}        (L + 1 bits, the sticky as LSB)
//   add:  S = X + Y
//   sub:  S = X - Y, or Y - X when that borrows (only with diff = 0, or a subnormal big one)
//
// A compound adder (one set of propagate LUTs, two carry chains that differ only in their
// carry-in) gives all three: with Y' = Y, or ~Y when subtracting,
//   e0 = X + Y'      = X + Y   (add)  |  X - Y - 1 (sub), so ~e0 = Y - X
//   e1 = X + Y' + 1                   |  X - Y
//
// With one sticky among X and Y (fp_add_swap), S's LSB is the sticky bit of the exact sum and
// the bits above it are the exact sum truncated: a sticky on the subtrahend makes X - Y one
// lower with LSB 1, which is the truncation of X - (Y + tail).
//
// The sum's sign and an exact zero's sign are settled by fp_add_sign (here, or a stage later by a
// pipelined adder from neg_o); exp_o is the weight of S's top bit (the carry position).
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
  output wire                    neg_o,          // the subtraction was turned around: Y - X
  output wire signed [EXP_W-1:0] exp_o,
  output wire [SUM_W-1:0]        sum_o
);

  wire [SUM_W-1:0] x   = {1'b0, big_i, big_st_i};
  wire [SUM_W-1:0] y   = {1'b0, small_i, small_st_i} ^ {SUM_W{sub_i}};
  // e1 is written x - ~y (= x + y + 1) so that synthesis makes it one adder with carry-in 1
  // beside e0, not e0 + 1 after it (Yosys turns "x + y + 1" into two adders in series).
  wire [SUM_W-1:0] e0  = x + y;
  wire [SUM_W-1:0] e1  = x - ~y;
  wire             neg = sub_i & e1[SUM_W-1];

  assign sum_o  = ~sub_i ? e0 : (neg ? ~e0 : e1);
  assign zero_o = ~|sum_o;
  assign neg_o  = neg;
  assign exp_o  = big_exp_i + 1'b1;

  fp_add_sign u_sign (
    .sub_i       (sub_i),
    .inf_i       (inf_i),
    .inf_sign_i  (inf_sign_i),
    .a_sign_i    (a_sign_i),
    .big_sign_i  (big_sign_i),
    .small_sign_i(small_sign_i),
    .neg_i       (neg),
    .zero_i      (zero_o),
    .mode_i      (mode_i),
    .sign_o      (sign_o)
  );

endmodule

`default_nettype wire
