// The one rounder (SPEC §3, golden/round.ts). Every unit brings its exact result to the aligned
// form of fp_norm and hands it here; this module decides the rounding, encodes the code and
// raises the flags. Nothing about the operation leaks in, so a mismatch against golden is
// either in a unit's raw form, in its alignment, or in this file.
//
// Aligned form (the convention of every unit, stated once):
//
//   value = (-1)^sign_i * (k_i + 0.f_i...) * 2^(exp_i - M)      exp_i >= emin
//
//   | k_i (P = M+1 bits) | f_i (FR+1 bits) | sticky_i |          FR = RBITS + 1
//
//   k_i[P-1] = 1: a normal value, exp_i its exponent (exp_i > emax: it overflows)
//   k_i[P-1] = 0: below 2^emin, on the subnormal grid (exp_i = emin)
//
// f_i carries one bit more than the decision reads: the bit that value needs when it sits in
// the top ulp of the binade just below 2^emin and tininess is asked of the same value rounded
// with an unbounded exponent (golden tinyAfterRounding). nan_i, inf_i and zero_i override.
//
// The mode is an input (a constant for every unit built with a MODE parameter: synthesis folds
// it), and so is r, the number of random bits of sr (at most RBITS), so one build can round in
// every mode.
`default_nettype none
`include "fp_defs.vh"

module fp_round #(
  parameter integer R_EXP        = 8,
  parameter integer R_MAN        = 23,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_IEEE,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer RBITS        = 1,
  parameter integer EXP_W        = `FP_EXP_W
) (
  input  wire                    sign_i,
  input  wire                    nan_i,
  input  wire                    invalid_i,
  input  wire                    inf_i,
  input  wire                    zero_i,
  input  wire signed [EXP_W-1:0] exp_i,
  input  wire [R_MAN:0]          k_i,
  input  wire [RBITS+1:0]        f_i,
  input  wire                    sticky_i,
  input  wire [2:0]              mode_i,
  input  wire [`FP_RB_W(RBITS)-1:0] rbits_i,   // r of sr, 1..RBITS
  input  wire [RBITS-1:0]        rand_i,    // R of sr in the low r bits
  output reg  [R_EXP+R_MAN:0]    res_o,
  output reg  [3:0]              flags_o,   // {inexact, underflow, overflow, invalid}
  output wire signed [EXP_W-1:0] exp_o      // a finite res_o's exponent as fp_unpack reads it
);                                          // without normalising (emin for 0 and subnormals)

  localparam integer P     = R_MAN + 1;
  localparam integer FR    = RBITS + 1;
  localparam integer RB_W  = `FP_RB_W(RBITS);
  localparam integer MAG_W = R_EXP + R_MAN + 1;   // the code with its sign
  localparam integer BIAS  = `FP_BIAS(R_EXP, R_SPECIALS);
  // What the format has (docs/arithmetic.md §1): an Inf code (ieee, p3109e), a NaN but no Inf
  // (fn, p3109f: there "Inf" results are the NaN), a -0 (all but P3109).
  localparam integer HAS_INF     = (R_SPECIALS == `FP_IEEE || R_SPECIALS == `FP_P3109E) ? 1 : 0;
  localparam integer NAN_NO_INF  = (R_SPECIALS == `FP_FN || R_SPECIALS == `FP_P3109F) ? 1 : 0;
  localparam integer SIGNED_ZERO = `FP_IS_P3109(R_SPECIALS) ? 0 : 1;
  // The largest code's last significand is taken (by the NaN of fn, the Inf of p3109e).
  localparam integer MAX_M1      = (R_SPECIALS == `FP_FN || R_SPECIALS == `FP_P3109E) ? 1 : 0;

  // Magnitude codes (sign excluded) of max finite and +Inf, and the canonical NaN code (SPEC §2).
  localparam [MAG_W-1:0] ONES_FIELD = ((1 << R_EXP) - 1) << R_MAN;
  localparam [MAG_W-1:0] FRAC_ONES  = (1 << R_MAN) - 1;
  localparam [MAG_W-1:0] MAX_MAG    =
      (R_SPECIALS == `FP_IEEE) ? (ONES_FIELD - (1 << R_MAN)) | FRAC_ONES :
      (MAX_M1 != 0)            ? (ONES_FIELD | FRAC_ONES) - 1 :
                                 ONES_FIELD | FRAC_ONES;
  localparam [MAG_W-1:0] INF_MAG    = (R_SPECIALS == `FP_IEEE) ? ONES_FIELD : ONES_FIELD | FRAC_ONES;
  localparam [MAG_W-1:0] NAN_CODE   =
      (R_SPECIALS == `FP_IEEE)   ? ONES_FIELD | ((1 << R_MAN) >> 1) :
      `FP_IS_P3109(R_SPECIALS)   ? 1 << (MAG_W - 1) :
                                   ONES_FIELD | FRAC_ONES;
  // emax: the exponent of max's binade, its field minus the bias. The field is all ones but
  // in ieee and in a p3109e format without fraction bits, where the all-ones field is Inf.
  localparam integer MAX_FIELD = (R_SPECIALS == `FP_IEEE || (MAX_M1 != 0 && R_MAN == 0)) ? (1 << R_EXP) - 2 : (1 << R_EXP) - 1;
  localparam integer EMAX  = MAX_FIELD - BIAS;
  localparam signed [EXP_W-1:0] EMAX_X = EMAX[EXP_W-1:0];

  //   mode  rounds the magnitude up (lo -> hi) when            golden/round.ts roundsUp()
  //   rne   f > 1/2, or f = 1/2 and k is odd (zero is even)
  //   rna   f >= 1/2
  //   rtz   never
  //   rup   inexact and positive
  //   rdn   inexact and negative
  //   rto   inexact and k even: the odd neighbour, never zero
  //   sr    F + R >= 2^r, F = the top r bits of f            SPEC §3 sr (P3109 StochasticA)
  function round_up;
    input [2:0]       mode;
    input             neg;
    input             k_odd;
    input [FR-1:0]    f;
    input             sticky;
    input [RBITS-1:0] rnd;
    input [RB_W-1:0]  r;
    reg               half;
    reg               rest;
    reg   [RB_W-1:0]  sh;
    reg   [RBITS-1:0] keep;
    reg   [RBITS:0]   sum;
    begin
      half = f[FR-1];
      rest = (|f[FR-2:0]) | sticky;
      // F and R aligned at the top of an RBITS-bit field: with r < RBITS the low bits of f
      // below F are masked off and R moves up; with r = RBITS (every fixed-mode build) both
      // shifts are 0.
      sh   = RBITS[RB_W-1:0] - r;
      keep = {RBITS{1'b1}} << sh;
      sum  = {1'b0, f[FR-1:1] & keep} + {1'b0, rnd << sh};
      case (mode)
        `FP_RNE: round_up = half & (rest | k_odd);
        `FP_RNA: round_up = half;
        `FP_RTZ: round_up = 1'b0;
        `FP_RUP: round_up = (half | rest) & ~neg;
        `FP_RDN: round_up = (half | rest) & neg;
        `FP_RTO: round_up = (half | rest) & ~k_odd;
        default: round_up = sum[RBITS];   // an exact f has F = 0 and never reaches 2^r
      endcase
    end
  endfunction

  wire below = ~k_i[P-1];

  // --- the decision ---------------------------------------------------------------------------
  // With subnormals the grid below 2^emin is k's own (quantum 2^(emin-M)). Without, the only
  // magnitudes there are 0 and 2^emin: k is 0 (even), and f is the value / 2^emin, the bits of
  // k below its top followed by f_i.
  wire          k_odd;
  wire [FR-1:0] f_dec;
  wire          st_dec;
  wire          coarse;
  generate
    if (R_SUBNORMALS != 0) begin : g_sub
      assign coarse = 1'b0;
      assign k_odd  = k_i[0];
      assign f_dec  = f_i[FR:1];
      assign st_dec = sticky_i | f_i[0];
    end else begin : g_nosub
      wire [P+FR-1:0] cat;
      if (P > 1) begin : g_k
        assign cat = {k_i[P-2:0], f_i};
      end else begin : g_f
        assign cat = f_i;
      end
      assign coarse = below;
      assign k_odd  = below ? 1'b0 : k_i[0];
      assign f_dec  = below ? cat[P+FR-1 -: FR] : f_i[FR:1];
      assign st_dec = sticky_i | (below ? |cat[P-1:0] : f_i[0]);
    end
  endgenerate

  wire up    = round_up(mode_i, sign_i, k_odd, f_dec, st_dec, rand_i, rbits_i);
  wire exact = ~coarse & ~|{f_i, sticky_i};

  // Tiny (golden tinyAfterRounding): below 2^emin even after rounding to P bits with the
  // exponent unbounded. Only a value whose leading one is at emin-1 with P ones from there
  // (k0 = {k[P-2:0], f[FR]} all ones) can round up to 2^emin; it rounds like an odd k0 with the
  // rest of f below.
  wire near;
  generate
    if (P > 1) begin : g_near
      assign near = below & (&k_i[P-2:0]) & f_i[FR];
    end else begin : g_near1
      assign near = below & f_i[FR];
    end
  endgenerate
  wire top_up = near & round_up(mode_i, sign_i, 1'b1, f_i[FR-1:0], sticky_i, rand_i, rbits_i);
  wire tiny   = below & ~top_up;

  // --- encode -----------------------------------------------------------------------------------
  // {exponent field, fraction}: the field is exp_i + bias where k's hidden bit is set and 0 below
  // emin (k's top bit clear, exp_i = emin), so the code before rounding needs no adder across
  // the fraction. Rounding up adds 1 to {field, fraction} as one integer: a carry out of the
  // fraction moves into the exponent by itself. Without subnormals the rounded value below
  // emin is 0 or 2^emin (field 1, fraction 0). Only the low R_EXP bits of the field matter: a
  // field past the range has overflowed anyway.
  wire [R_EXP-1:0] field = k_i[P-1] ? exp_i[R_EXP-1:0] + BIAS[R_EXP-1:0] : {R_EXP{1'b0}};
  wire [MAG_W-2:0] mag_lo;
  wire             frac_cond;   // at exp_i = emax with the hidden bit: the rounded code passes max
  generate
    if (R_MAN > 0) begin : g_frac
      wire [R_MAN-1:0] frac = k_i[R_MAN-1:0];
      assign mag_lo = coarse ? {(MAG_W - 1){1'b0}} : {field, frac};
      if (MAX_M1 != 0) begin : g_fn
        // max has fraction 1...10; 1...11 is the NaN (fn) or Inf (p3109e) code, over max
        // before rounding.
        if (R_MAN > 1) begin : g_wide
          assign frac_cond = (&frac[R_MAN-1:1]) & (frac[0] | up);
        end else begin : g_one
          assign frac_cond = frac[0] | up;
        end
      end else begin : g_max_ones
        assign frac_cond = up & (&frac);
      end
    end else begin : g_nofrac
      assign mag_lo    = coarse ? {(MAG_W - 1){1'b0}} : field;
      assign frac_cond = up;
    end
  endgenerate
  // A carry out of the top of the field is an overflow, decided below: not kept.
  wire [MAG_W-2:0] mag_up = coarse ? {{(MAG_W - 2){1'b0}}, 1'b1} << R_MAN : mag_lo + 1'b1;
  wire [MAG_W-2:0] mag    = up ? mag_up : mag_lo;
  // A result that rounded to zero (mag_lo 0, not rounded up): +0 in a format without -0.
  wire             sign_r = sign_i & ((SIGNED_ZERO != 0) | up | (|mag_lo));
  // Decided after rounding with the exponent unbounded (SPEC §3): past emax even the un-rounded
  // value exceeds max; at emax the fraction says it (compares with constants, beside the carry).
  wire             overflow = ~coarse & ((exp_i > EMAX_X) | ((exp_i == EMAX_X) & k_i[P-1] & frac_cond));

  // The result's exponent, beside the carry rather than after it: exp_i, one more when k rounds
  // up out of its P bits, emin below 2^emin (a subnormal, or 2^emin itself), emax for a
  // saturated max. The PE's loop keeps it with the code so it never has to unpack it.
  localparam integer BIAS_I = BIAS;
  localparam integer EMIN   = 1 - BIAS_I;
  localparam signed [EXP_W-1:0] EMIN_X = EMIN[EXP_W-1:0];
  wire signed [EXP_W-1:0] exp_up = exp_i + 1'b1;
  // An infinite exact value that saturates gives max (emax), a NaN that a 'finite' format
  // turns into +0 gives emin: exp_i means nothing for either.
  assign exp_o = (zero_i | nan_i | below) ? EMIN_X :
                 (overflow | inf_i)       ? EMAX_X :
                 (up & (&k_i))            ? exp_up : exp_i;

  // Overflow under 'infinity' (SPEC §3): the directions away from zero give Inf.
  reg to_inf;
  always @* begin
    case (mode_i)
      `FP_RNE, `FP_RNA: to_inf = 1'b1;
      `FP_RUP:          to_inf = ~sign_i;
      `FP_RDN:          to_inf = sign_i;
      `FP_SR:           to_inf = up;
      default:          to_inf = 1'b0;   // rtz, rto
    endcase
  end

  always @* begin
    if (nan_i) begin
      if (R_SPECIALS == `FP_FINITE) begin
        res_o   = {(R_EXP + R_MAN + 1){1'b0}};   // no NaN to give: +0, invalid (SPEC §3)
        flags_o = 4'b0001;
      end else begin
        res_o   = NAN_CODE;
        flags_o = {3'b000, invalid_i};
      end
    end else if (inf_i) begin
      // An infinite exact value: Inf where the format has one, else the overflow answer
      // (docs/arithmetic.md §6).
      if (HAS_INF != 0) begin
        res_o   = {sign_i, INF_MAG[MAG_W-2:0]};
        flags_o = 4'b0000;
      end else if (NAN_NO_INF != 0 && R_OVERFLOW == `FP_INFINITY) begin
        res_o   = NAN_CODE;
        flags_o = 4'b1010;
      end else begin
        res_o   = {sign_i, MAX_MAG[MAG_W-2:0]};
        flags_o = 4'b1010;
      end
    end else if (zero_i) begin
      res_o   = {sign_i & (SIGNED_ZERO != 0), {(R_EXP + R_MAN){1'b0}}};
      flags_o = 4'b0000;
    end else if (overflow) begin
      flags_o = 4'b1010;
      if (R_OVERFLOW == `FP_SATURATE || !to_inf) res_o = {sign_i, MAX_MAG[MAG_W-2:0]};
      else if (HAS_INF != 0)                     res_o = {sign_i, INF_MAG[MAG_W-2:0]};
      else                                       res_o = NAN_CODE;
    end else begin
      res_o   = {sign_r, mag};
      flags_o = exact ? 4'b0000 : tiny ? 4'b1100 : 4'b1000;
    end
  end

endmodule

`default_nettype wire
