// Places a raw operand on a grid no finer than its sum's format can need: when exp_i is below
// EMIN (the minimum exponent of the format with R_EXP exponent bits, the accumulator's), the significand moves right by EMIN - exp_i
// inside a wider field and the bits that leave it become a sticky tail. The PE's product goes
// through it, so every operand of the accumulator's adder has exp >= EMIN and the adder's
// aligning shift after the sum only ever moves left (fp_norm RIGHT = 0).
//
//   in:   value = sig_i * 2^(exp_i - (W_IN-1))
//   out:  value = sig_o * 2^(exp_o - (W_OUT-1)) + tail,   exp_o = max(exp_i, EMIN),  st_o = tail != 0
//
// W_OUT - W_IN bits below the input keep everything the rounder reads (the caller sizes it).
`default_nettype none
`include "fp_defs.vh"

module fp_clamp #(
  parameter integer W_IN  = 8,
  parameter integer W_OUT = 30,
  parameter integer R_EXP = 8,
  parameter integer R_SPECIALS = `FP_IEEE,   // only its bias matters (P3109's is one more)
  parameter integer EXP_W = `FP_EXP_W
) (
  input  wire signed [EXP_W-1:0] exp_i,
  input  wire [W_IN-1:0]         sig_i,
  output wire signed [EXP_W-1:0] exp_o,
  output wire [W_OUT-1:0]        sig_o,
  output wire                    st_o
);

  localparam integer SH_W = $clog2(W_OUT + 1);
  localparam integer BIAS = `FP_BIAS(R_EXP, R_SPECIALS);
  localparam integer EMIN = 1 - BIAS;
  localparam signed [EXP_W-1:0] EMIN_X  = EMIN[EXP_W-1:0];
  localparam signed [EXP_W-1:0] W_OUT_X = W_OUT[EXP_W-1:0];

  wire                    below = exp_i < EMIN_X;
  wire signed [EXP_W-1:0] d_s   = EMIN_X - exp_i;
  wire [SH_W-1:0]         d     = !below ? {SH_W{1'b0}} : (d_s > W_OUT_X) ? W_OUT[SH_W-1:0] : d_s[SH_W-1:0];

  wire [W_OUT-1:0] x;
  generate
    if (W_OUT > W_IN) begin : g_pad
      assign x = {sig_i, {(W_OUT - W_IN){1'b0}}};
    end else begin : g_nopad
      assign x = sig_i;
    end
  endgenerate

  assign sig_o = x >> d;
  assign st_o  = |(x & ~({W_OUT{1'b1}} << d));
  assign exp_o = below ? EMIN_X : exp_i;

endmodule

`default_nettype wire
