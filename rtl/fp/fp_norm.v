// Aligns a raw value for the rounder with ONE shift (SPEC §3, golden roundRaw's quantum step):
//
//   value = (-1)^s * sig_i * 2^(exp_i - (W-1)) (+ a sticky tail)     exp_i: weight of sig_i[W-1]
//
// The leading one moves to the top of k_o, k_o's top bit then weighing 2^exp_o — unless that
// would put exp_o below emin: then the value is placed on the emin grid instead (exp_o = emin,
// k_o's top bit 0: the subnormal alignment, whose quantum is 2^(emin-M)). fp_round reads
//
//   | k_o (P = R_MAN+1 bits) | f_o (RBITS+2 bits) | below: sticky_o |
//
// so one shift does what a normalise-then-denormalise pair did before:
//
//   room = exp_i - emin       how far left the value may move before it crosses emin
//   lz <= room:  left by lz   (normal result, exp_o = exp_i - lz)
//   lz >  room:  left by room (result below 2^emin, exp_o = emin)          room >= 0
//                right by -room with the lost bits in sticky_o             room <  0 (RIGHT)
//
// lz_i is the caller's: a leading-zero count (fp_lzc) of a sum, 0 or 1 for an operand or a
// product whose leading one is known, so the count can sit in an earlier pipeline stage.
// RIGHT = 0 drops the right shift for callers that keep exp_i >= emin (the PE's accumulator).
// LZ_FITS = 1 says the caller's count never exceeds room (it counted with a one forced at the
// emin position), so the compare drops out and the shift is lz_i itself.
`default_nettype none
`include "fp_defs.vh"

module fp_norm #(
  parameter integer R_EXP  = 8,
  parameter integer R_MAN  = 23,
  parameter integer R_SPECIALS = `FP_IEEE,   // only its bias matters (P3109's is one more)
  parameter integer RBITS  = 1,
  parameter integer W      = 24,   // bits of sig_i
  parameter integer LZ_W   = 5,    // bits of lz_i
  parameter integer RIGHT  = 1,
  parameter integer LZ_FITS = 0,
  parameter integer EXP_W  = `FP_EXP_W
) (
  input  wire signed [EXP_W-1:0] exp_i,
  input  wire [W-1:0]            sig_i,
  input  wire [LZ_W-1:0]         lz_i,
  input  wire                    sticky_i,
  output wire signed [EXP_W-1:0] exp_o,
  output wire [R_MAN:0]          k_o,
  output wire [RBITS+1:0]        f_o,
  output wire                    sticky_o
);

  localparam integer P    = R_MAN + 1;
  localparam integer FW   = RBITS + 2;
  localparam integer KF   = P + FW;
  localparam integer XW   = (W > KF) ? W : KF;        // working width
  localparam integer SH_W = $clog2(XW + 1);
  localparam integer BIAS = `FP_BIAS(R_EXP, R_SPECIALS);
  localparam integer EMIN = 1 - BIAS;
  localparam signed [EXP_W-1:0] EMIN_X = EMIN[EXP_W-1:0];
  localparam signed [EXP_W-1:0] XW_X   = XW[EXP_W-1:0];

  wire [XW-1:0] x;
  generate
    if (XW > W) begin : g_pad
      assign x = {sig_i, {(XW - W){1'b0}}};
    end else begin : g_nopad
      assign x = sig_i;
    end
  endgenerate

  wire signed [EXP_W-1:0] room  = exp_i - EMIN_X;
  wire signed [EXP_W-1:0] lz_x  = {{(EXP_W - LZ_W){1'b0}}, lz_i};
  wire [SH_W-1:0]         left;
  generate
    if (LZ_FITS != 0) begin : g_fits
      assign left  = lz_x[SH_W-1:0];
      assign exp_o = exp_i - lz_x;
      // room only decides the right shift here (RIGHT = 1).
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_room = ^room;
      /* verilator lint_on UNUSEDSIGNAL */
    end else begin : g_cmp
      wire                    fits = lz_x <= room;            // the normal case
      wire signed [EXP_W-1:0] sh_l = fits ? lz_x : (room[EXP_W-1] ? {EXP_W{1'b0}} : room);
      assign left  = (sh_l > XW_X) ? XW[SH_W-1:0] : sh_l[SH_W-1:0];
      assign exp_o = fits ? exp_i - lz_x : EMIN_X;
    end
  endgenerate

  wire [XW-1:0] y;
  wire          lost;
  generate
    if (RIGHT != 0) begin : g_both
      wire signed [EXP_W-1:0] neg   = EMIN_X - exp_i;
      wire [SH_W-1:0]         right = (neg > XW_X) ? XW[SH_W-1:0] : neg[SH_W-1:0];
      wire                    below = room[EXP_W-1];
      assign y    = below ? x >> right : x << left;
      assign lost = below & |(x & ~({XW{1'b1}} << right));
    end else begin : g_left
      assign y    = x << left;
      assign lost = 1'b0;
    end
  endgenerate

  assign k_o = y[XW-1 -: P];
  assign f_o = y[XW-1-P -: FW];
  generate
    if (XW > KF) begin : g_tail
      assign sticky_o = sticky_i | lost | (|y[XW-KF-1:0]);
    end else begin : g_notail
      assign sticky_o = sticky_i | lost;
    end
  endgenerate

endmodule

`default_nettype wire
