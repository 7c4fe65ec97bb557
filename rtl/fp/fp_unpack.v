// Decodes one operand into the raw form every unit works on (SPEC §2, golden/codec.ts):
//
//   code_i:  | s | exponent field (EXP) | fraction (MAN) |
//
//   finite non-zero:  value = (-1)^s * sig_o * 2^(exp_o - MAN),  sig_o[MAN] = 1 (normalised)
//   zero:             sig_o = 0 (so a zero contributes nothing to a sum or product)
//
// so exp_o is the exponent of the leading one. Subnormals are normalised here (a leading-zero
// count on the fraction), which gives the adders a true leading exponent to align on. Without
// subnormals a subnormal-coded operand reads as a zero of its sign (docs/arithmetic.md §6).
//
// NORMALIZE = 0 skips that count: a subnormal is sig_o = {0, frac} at exp_o = emin (the weight
// of the hidden-bit position), which is all the PE's accumulator needs on its way round the loop.
`default_nettype none
`include "fp_defs.vh"

module fp_unpack #(
  parameter integer EXP        = 8,
  parameter integer MAN        = 23,
  parameter integer SUBNORMALS = 1,
  parameter integer SPECIALS   = `FP_IEEE,
  parameter integer NORMALIZE  = 1,
  parameter integer EXP_W      = `FP_EXP_W
) (
  input  wire [EXP+MAN:0]        code_i,
  output wire                    sign_o,
  output wire                    zero_o,
  output wire                    inf_o,
  output wire                    nan_o,
  output reg  signed [EXP_W-1:0] exp_o,
  output reg  [MAN:0]            sig_o
);

  localparam integer BIAS = `FP_BIAS(EXP, SPECIALS);
  localparam integer EMIN = 1 - BIAS;
  // P3109: 1|0...0 is the one NaN (no -0); in the extended domain the all-ones magnitude is Inf.
  localparam integer P3109 = `FP_IS_P3109(SPECIALS) ? 1 : 0;
  localparam integer P3109E = (SPECIALS == `FP_P3109E) ? 1 : 0;

  wire [EXP-1:0] field   = code_i[EXP+MAN-1:MAN];
  wire           field_0 = ~|field;

  assign sign_o = code_i[EXP+MAN];

  generate
    if (MAN == 0) begin : g_no_frac
      // Only 'finite' and P3109 formats may have M = 0 (SPEC §2): no subnormal codes; P3109's
      // NaN is 1|0...0 and its extended domain's Inf the all-ones field.
      assign zero_o = field_0 & ~((P3109 != 0) & sign_o);
      assign inf_o  = (P3109E != 0) & (&field);
      assign nan_o  = (P3109 != 0) & sign_o & field_0;
      always @* begin
        sig_o = ~field_0;
        exp_o = $signed({{(EXP_W - EXP){1'b0}}, field}) - BIAS[EXP_W-1:0];
      end
    end else begin : g_frac
      wire [MAN-1:0] frac    = code_i[MAN-1:0];
      wire           frac_0  = ~|frac;
      wire           top     = &field;

      wire           p_nan   = (P3109 != 0) & sign_o & field_0 & frac_0;

      assign zero_o = field_0 & (frac_0 | (SUBNORMALS == 0)) & ~p_nan;
      assign inf_o  = ((SPECIALS == `FP_IEEE) & top & frac_0) | ((P3109E != 0) & top & (&frac));
      assign nan_o  = ((SPECIALS == `FP_IEEE) & top & ~frac_0) | ((SPECIALS == `FP_FN) & top & (&frac)) | p_nan;

      if (NORMALIZE != 0 && SUBNORMALS != 0) begin : g_norm
        wire [$clog2(MAN+1)-1:0] lz;

        fp_lzc #(
          .WIDTH(MAN)
        ) u_lzc (
          .in_i (frac),
          .cnt_o(lz)
        );

        always @* begin
          if (zero_o) begin
            sig_o = {(MAN + 1){1'b0}};
            exp_o = EMIN[EXP_W-1:0];
          end else if (field_0) begin
            // Subnormal frac * 2^(emin - MAN): the leading one of frac, at bit MAN-1-lz, moves
            // to the hidden-bit position MAN.
            sig_o = {1'b0, frac} << (lz + 1'b1);
            exp_o = EMIN[EXP_W-1:0] - 1'b1 - $signed({{(EXP_W - $clog2(MAN+1)){1'b0}}, lz});
          end else begin
            sig_o = {1'b1, frac};
            exp_o = $signed({{(EXP_W - EXP){1'b0}}, field}) - BIAS[EXP_W-1:0];
          end
        end
      end else begin : g_raw
        // Without subnormals a subnormal code is a zero (sig 0); with NORMALIZE = 0 it stays
        // {0, frac} at emin. Either way exp_o is the hidden bit's weight, emin for field 0.
        always @* begin
          sig_o = zero_o ? {(MAN + 1){1'b0}} : {~field_0, frac};
          exp_o = field_0 ? EMIN[EXP_W-1:0] : $signed({{(EXP_W - EXP){1'b0}}, field}) - BIAS[EXP_W-1:0];
        end
      end
    end
  endgenerate

endmodule

`default_nettype wire
