// One element of a block format as a signed fixed-point integer (docs/rtl.md "Block PEs"), so
// that products and their block sum are exact integers. The weight of fx_o's LSB is a constant
// of the format (2^-FRAC, the instantiating PE's *_FRAC parameter):
//
//   KIND 0  two's complement (MXINT8: LSB 2^-6)     fx = code
//   KIND 1  sign | magnitude (BFP: LSB 2^(1-man))    fx = (-1)^s * m
//   KIND 2  small float with subnormals (MX FP8/6/4), LSB 2^(emin - MAN):
//             | s | e (EXP) | f (MAN) |   fx = (-1)^s * (e == 0 ? f : {1, f} << (e - 1))
//
// Zeros keep their sign in neg_o (a product's zero sign is the XOR of its operands'); NaN and
// Inf (float elements with specials 'ieee' or 'fn' only) are flagged and give fx = 0.
`default_nettype none
`include "fp_defs.vh"

module blk_elem #(
  parameter integer KIND     = 2,
  parameter integer EW       = 8,           // code width
  parameter integer EXP      = 4,           // KIND 2 only
  parameter integer MAN      = 3,           // KIND 2 only, >= 1
  parameter integer SPECIALS = `FP_FN,      // KIND 2 only
  parameter integer FX_W     = 8            // KIND 0/1: EW; KIND 2: MAN + 2^EXP
) (
  input  wire [EW-1:0]          code_i,
  output wire signed [FX_W-1:0] fx_o,
  output wire                   zero_o,
  output wire                   neg_o,
  output wire                   nan_o,
  output wire                   inf_o
);

  generate
    if (KIND == 0) begin : g_twos
      assign fx_o   = code_i;
      assign zero_o = ~|code_i;
      assign neg_o  = code_i[EW-1];
      assign nan_o  = 1'b0;
      assign inf_o  = 1'b0;
    end else if (KIND == 1) begin : g_signmag
      wire [EW-2:0] m = code_i[EW-2:0];
      assign fx_o   = code_i[EW-1] ? -{1'b0, m} : {1'b0, m};
      assign zero_o = ~|m;
      assign neg_o  = code_i[EW-1];
      assign nan_o  = 1'b0;
      assign inf_o  = 1'b0;
    end else begin : g_float
      localparam integer MAG_W = FX_W - 1;
      wire           s    = code_i[EW-1];
      wire [EXP-1:0] e    = code_i[EXP+MAN-1:MAN];
      wire [MAN-1:0] f    = code_i[MAN-1:0];
      wire           top  = &e;
      wire           nan  = (SPECIALS == `FP_IEEE) ? (top & |f) :
                            (SPECIALS == `FP_FN)   ? (top & &f) : 1'b0;
      wire           inf  = (SPECIALS == `FP_IEEE) ? (top & ~|f) : 1'b0;
      wire [MAG_W-1:0] frac = {{(MAG_W - MAN){1'b0}}, f};
      wire [MAG_W-1:0] norm = {{(MAG_W - MAN - 1){1'b0}}, 1'b1, f};
      wire [MAG_W-1:0] mag  = (nan | inf) ? {MAG_W{1'b0}} :
                              (~|e)       ? frac : (norm << (e - 1'b1));
      assign fx_o   = s ? -{1'b0, mag} : {1'b0, mag};
      assign zero_o = ~|e & ~|f;
      assign neg_o  = s;
      assign nan_o  = nan;
      assign inf_o  = inf;
    end
  endgenerate

endmodule

`default_nettype wire
