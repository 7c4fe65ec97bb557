// The one rounder (SPEC §3, golden/round.ts). Every unit forms its exact result in raw form and
// hands it here; this module normalises it, rounds it once into the result format and raises
// the flags. Nothing about the operation leaks in, so a mismatch against golden is either in a
// unit's raw form or in this file.
//
// Raw form (the convention of every unit, stated once):
//
//   value = (-1)^sign_i * sig_i * 2^exp_i      (exp_i: weight of sig_i[0]; sig_i need not be
//                                               normalised; sig_i == 0 means a zero of sign_i)
//   nan_i (with invalid_i when an invalid operation made it) and inf_i override sig_i.
//
// A unit that cannot keep every bit (fp_add_core) folds the lost ones into sig_i[0] as a sticky
// bit, and guarantees that bit lies below the P + FR bits this module looks at.
//
// Stages, as in golden's roundRaw():
//
//   1 normalise  sig_n = sig_i << lz, leading one at sig_n[SIG_W-1] of weight 2^ex
//   2 quantum    q = ex - M (ex >= emin), emin - M (subnormals), emin (no subnormals);
//                denormalise by d = q - (ex - M):
//
//       y = | sig_n (SIG_W)                | 0 (P + FR)   |       z = y >> d
//       z = | k (P) | f (FR) | below: sticky (SIG_W)       |
//
//   3 decide     round_up() on {k[0], f, sticky}: the table below
//   4 encode     {exponent field, fraction} rounded as one integer: a carry out of the
//                significand moves into the exponent by itself; overflow is a compare with max
//
// f holds FR = RBITS + 1 bits: its top RBITS bits are sr's F = floor(f * 2^r), the top bit is
// the round bit; the rest and everything below are sticky.
`default_nettype none
`include "fp_defs.vh"

module fp_round #(
  parameter integer R_EXP        = 8,
  parameter integer R_MAN        = 23,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_IEEE,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer MODE         = `FP_RNE,
  parameter integer RBITS        = 1,
  parameter integer SIG_W        = 24,
  parameter integer EXP_W        = `FP_EXP_W
) (
  input  wire                    sign_i,
  input  wire                    nan_i,
  input  wire                    invalid_i,
  input  wire                    inf_i,
  input  wire signed [EXP_W-1:0] exp_i,
  input  wire [SIG_W-1:0]        sig_i,
  input  wire [RBITS-1:0]        rand_i,
  output reg  [R_EXP+R_MAN:0]    res_o,
  output reg  [3:0]              flags_o   // {inexact, underflow, overflow, invalid}
);

  localparam integer P     = R_MAN + 1;
  localparam integer FR    = RBITS + 1;
  localparam integer YW    = SIG_W + P + FR;
  localparam integer LZ_W  = $clog2(SIG_W + 1);
  localparam integer D_W   = $clog2(YW + 1);
  localparam integer MAG_W = R_EXP + R_MAN + 1;   // one bit above the code for the carry
  localparam integer BIAS  = (1 << (R_EXP - 1)) - 1;
  localparam integer EMIN  = 1 - BIAS;
  localparam integer EMAX  = (R_SPECIALS == `FP_IEEE) ? BIAS : BIAS + 1;

  // Magnitude codes (sign excluded) of max finite, +Inf and the canonical NaN (SPEC §2).
  localparam [MAG_W-1:0] ONES_FIELD = ((1 << R_EXP) - 1) << R_MAN;
  localparam [MAG_W-1:0] FRAC_ONES  = (1 << R_MAN) - 1;
  localparam [MAG_W-1:0] MAX_MAG    =
      (R_SPECIALS == `FP_IEEE) ? (ONES_FIELD - (1 << R_MAN)) | FRAC_ONES :
      (R_SPECIALS == `FP_FN)   ? ONES_FIELD | (FRAC_ONES - 1) :
                                 ONES_FIELD | FRAC_ONES;
  localparam [MAG_W-1:0] INF_MAG    = ONES_FIELD;
  localparam [MAG_W-1:0] NAN_MAG    =
      (R_SPECIALS == `FP_IEEE) ? ONES_FIELD | ((1 << R_MAN) >> 1) : ONES_FIELD | FRAC_ONES;

  localparam integer TOP = SIG_W - 1;
  localparam signed [EXP_W-1:0] EMIN_X = EMIN[EXP_W-1:0];
  localparam signed [EXP_W-1:0] EMAX_X = EMAX[EXP_W-1:0];
  localparam signed [EXP_W-1:0] TOP_X  = TOP[EXP_W-1:0];
  localparam signed [EXP_W-1:0] MAN_X  = R_MAN[EXP_W-1:0];
  localparam signed [EXP_W-1:0] YW_X   = YW[EXP_W-1:0];

  //   mode  rounds the magnitude up (lo -> hi) when            golden/round.ts roundsUp()
  //   rne   f > 1/2, or f = 1/2 and k is odd (zero is even)
  //   rna   f >= 1/2
  //   rtz   never
  //   rup   inexact and positive
  //   rdn   inexact and negative
  //   rto   inexact and k even: the odd neighbour, never zero
  //   sr    F + R >= 2^r, F = the top r bits of f            SPEC §3 sr (P3109 StochasticA)
  function round_up;
    input             neg;
    input             k_odd;
    input [FR-1:0]    f;
    input             sticky;
    input [RBITS-1:0] rnd;
    reg               half;
    reg               rest;
    reg   [RBITS:0]   sum;
    begin
      half = f[FR-1];
      rest = (|f[FR-2:0]) | sticky;
      sum  = {1'b0, f[FR-1:1]} + {1'b0, rnd};
      case (MODE)
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

  // --- 1 normalise ------------------------------------------------------------------------
  wire [LZ_W-1:0] lz;

  fp_lzc #(
    .WIDTH(SIG_W)
  ) u_lzc (
    .in_i (sig_i),
    .cnt_o(lz)
  );

  wire                    sig_zero = ~|sig_i;
  wire [SIG_W-1:0]        sig_n    = sig_i << lz;
  wire signed [EXP_W-1:0] ex       = exp_i + TOP_X - $signed({{(EXP_W - LZ_W){1'b0}}, lz});

  // --- 2 quantum and denormalisation -----------------------------------------------------
  wire below_emin = ex < EMIN_X;
  wire signed [EXP_W-1:0] d_full =
      !below_emin        ? {EXP_W{1'b0}} :
      (R_SUBNORMALS != 0) ? EMIN_X - ex :
                            EMIN_X - ex + MAN_X;   // no subnormals: the quantum is 2^emin
  wire [D_W-1:0] d = (d_full > YW_X) ? YW[D_W-1:0] : d_full[D_W-1:0];

  wire [YW-1:0] y    = {sig_n, {(P + FR){1'b0}}};
  wire [YW-1:0] z    = y >> d;
  wire          lost = |(y & ~({YW{1'b1}} << d));

  wire [P-1:0]  k      = z[YW-1 -: P];
  wire [FR-1:0] f      = z[YW-1-P -: FR];
  wire          sticky = (|z[SIG_W-1:0]) | lost;
  wire          exact  = ~|{f, sticky};

  // The same value rounded to P bits with the exponent unbounded, for tininess after rounding.
  wire [P-1:0]  k0      = y[YW-1 -: P];
  wire [FR-1:0] f0      = y[YW-1-P -: FR];
  wire          sticky0 = |y[SIG_W-1:0];

  // --- 3 decide -----------------------------------------------------------------------------
  wire up = round_up(sign_i, k[0], f, sticky, rand_i);

  // Tiny (golden tinyAfterRounding): below 2^emin even after rounding to P bits. Only a value
  // in the top ulp of the binade just under 2^emin (k0 all ones) can round up to 2^emin.
  wire top_rounds_up = (&k0) & round_up(sign_i, 1'b1, f0, sticky0, rand_i);
  wire tiny          = below_emin & ~((ex == EMIN_X - 1) & top_rounds_up);

  // --- 4 encode -------------------------------------------------------------------------------
  // Normal:  mag = (field - 1) << M + k, k = 1.fff with its hidden bit, so the hidden bit adds
  //          the missing 1 to the field and a carry out of k (k + 1 = 2^P) adds another.
  // Subnormal (field 0): mag = k. Without subnormals k = 0 and a round-up gives 2^emin, the
  // smallest normal: field 1, fraction 0.
  // Only the low R_EXP bits matter: a field past the format's range has overflowed anyway.
  wire [R_EXP-1:0] field_m1 = ex[R_EXP-1:0] + BIAS[R_EXP-1:0] - 1'b1;
  reg  [MAG_W-1:0] mag_lo;
  reg  [MAG_W-1:0] inc;
  always @* begin
    if (!below_emin) begin
      mag_lo = ({{(MAG_W - R_EXP){1'b0}}, field_m1} << R_MAN) + {{(MAG_W - P){1'b0}}, k};
      inc    = {{(MAG_W - 1){1'b0}}, 1'b1};
    end else if (R_SUBNORMALS != 0) begin
      mag_lo = {{(MAG_W - P){1'b0}}, k};
      inc    = {{(MAG_W - 1){1'b0}}, 1'b1};
    end else begin
      mag_lo = {MAG_W{1'b0}};
      inc    = {{(MAG_W - 1){1'b0}}, 1'b1} << R_MAN;
    end
  end

  wire [MAG_W-1:0] mag      = mag_lo + (up ? inc : {MAG_W{1'b0}});
  // Decided after rounding with the exponent unbounded (SPEC §3): past emax even the
  // un-rounded value exceeds max; otherwise the rounded code says it.
  wire             overflow = (ex > EMAX_X) | (mag > MAX_MAG);

  // Overflow under 'infinity' (SPEC §3): the directions away from zero give Inf.
  reg to_inf;
  always @* begin
    case (MODE)
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
        res_o   = {1'b0, NAN_MAG[MAG_W-2:0]};
        flags_o = {3'b000, invalid_i};
      end
    end else if (inf_i) begin
      // An infinite exact value: Inf where the format has one, else the overflow answer
      // (docs/arithmetic.md §6).
      if (R_SPECIALS == `FP_IEEE) begin
        res_o   = {sign_i, INF_MAG[MAG_W-2:0]};
        flags_o = 4'b0000;
      end else if (R_SPECIALS == `FP_FN && R_OVERFLOW == `FP_INFINITY) begin
        res_o   = {1'b0, NAN_MAG[MAG_W-2:0]};
        flags_o = 4'b1010;
      end else begin
        res_o   = {sign_i, MAX_MAG[MAG_W-2:0]};
        flags_o = 4'b1010;
      end
    end else if (sig_zero) begin
      res_o   = {sign_i, {(R_EXP + R_MAN){1'b0}}};
      flags_o = 4'b0000;
    end else if (overflow) begin
      flags_o = 4'b1010;
      if (R_OVERFLOW == `FP_SATURATE || !to_inf) res_o = {sign_i, MAX_MAG[MAG_W-2:0]};
      else if (R_SPECIALS == `FP_IEEE)           res_o = {sign_i, INF_MAG[MAG_W-2:0]};
      else                                       res_o = {1'b0, NAN_MAG[MAG_W-2:0]};
    end else begin
      res_o   = {sign_i, mag[MAG_W-2:0]};
      flags_o = exact ? 4'b0000 : tiny ? 4'b1100 : 4'b1000;
    end
  end

endmodule

`default_nettype wire
