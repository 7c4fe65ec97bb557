// The sign of a sum (SPEC §3): an infinity's sign; an exact zero's sign (like-signed zeros keep
// it, otherwise +0, -0 under rdn); else the big operand's, or the small one's when the
// subtraction was turned around (fp_add_sum's neg_o). Apart from fp_add_sum so that a pipelined
// adder (mac_acc) can settle it a stage later, after the zero test of the sum.
`default_nettype none
`include "fp_defs.vh"

module fp_add_sign (
  input  wire       sub_i,
  input  wire       inf_i,
  input  wire       inf_sign_i,
  input  wire       a_sign_i,
  input  wire       big_sign_i,
  input  wire       small_sign_i,
  input  wire       neg_i,
  input  wire       zero_i,
  input  wire [2:0] mode_i,
  output wire       sign_o
);

  assign sign_o = inf_i  ? inf_sign_i :
                  zero_i ? (sub_i ? (mode_i == `FP_RDN) : a_sign_i) :
                  neg_i  ? small_sign_i : big_sign_i;

endmodule

`default_nettype wire
