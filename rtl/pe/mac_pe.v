// A processing element: one MAC per cycle, pipelined (SPEC §4 and §15, golden/mac.ts,
// docs/arithmetic.md §5, docs/rtl.md "The PE").
//
//   STYLE 0 separate:  p = round_mul(a * b);  acc <- round_acc(acc + p)
//   STYLE 1 fused:     acc <- round_acc(acc + a * b)
//
//   a, b ──► mac_prod (MUL_CUTS: latency only) ──► mac_acc (ACC_CUTS: a loop of L stages)
//                 │ mul stream                          │ acc stream        └─► acc_o, flags_o, done_o
//
// Interleaving: the loop holds L = 1 + popcount(ACC_CUTS) accumulators, one per slot. The MAC
// presented at cycle t belongs to slot t mod L: it continues the output of the MAC presented at
// t - L (or starts a new one from +0 with load_i). Without a MAC (valid_i low) a slot keeps its
// value. Each output is therefore golden's sequential MAC over its own MACs, in order.
//
// Two xorshift32 generators, one per rounding, reset to seed_i ^ fmix32(2*PE_INDEX + 1) (mul)
// and seed_i ^ fmix32(2*PE_INDEX + 2) (acc); each steps once per MAC when that MAC's rounding
// happens, so they are consumed in the order the MACs were presented (k-major, then slot, in
// an array). The mul stream steps only in the separate style, the only one that reads it.
//
// Controls (sampled on the clock edge; rst_ni is synchronous, active low, and clears only
// control state and the generators, never the datapath):
//   valid_i            perform a MAC on a_i, b_i
//   load_i             with valid_i: this MAC starts a new output from +0
//   last_i             with valid_i: this MAC ends its output; done_o marks its result
//   acc_o, flags_o     the ring register: the slot that just left the loop, and the OR of the
//                      flags of every rounding of its output ({inexact, underflow, overflow,
//                      invalid}); read them when done_o is high
//
// Latency: the result of a MAC presented at clock edge e is in acc_o after edge e + LATENCY,
// LATENCY = popcount(MUL_CUTS applicable to STYLE) + L - 1.
`default_nettype none
`include "fp_defs.vh"

module mac_pe #(
  parameter integer A_EXP          = 4,
  parameter integer A_MAN          = 3,
  parameter integer A_SUBNORMALS   = 1,
  parameter integer A_SPECIALS     = `FP_FN,
  parameter integer B_EXP          = 4,
  parameter integer B_MAN          = 3,
  parameter integer B_SUBNORMALS   = 1,
  parameter integer B_SPECIALS     = `FP_FN,
  parameter integer MUL_EXP        = 8,
  parameter integer MUL_MAN        = 7,
  parameter integer MUL_SUBNORMALS = 1,
  parameter integer MUL_SPECIALS   = `FP_IEEE,
  parameter integer MUL_OVERFLOW   = `FP_INFINITY,
  parameter integer MUL_MODE       = `FP_RNE,
  parameter integer MUL_RBITS      = 1,
  parameter integer ACC_EXP        = 8,
  parameter integer ACC_MAN        = 23,
  parameter integer ACC_SUBNORMALS = 1,
  parameter integer ACC_SPECIALS   = `FP_IEEE,
  parameter integer ACC_OVERFLOW   = `FP_INFINITY,
  parameter integer ACC_MODE       = `FP_RNE,
  parameter integer ACC_RBITS      = 1,
  parameter integer STYLE          = 0,   // 0 separate, 1 fused (golden MacStyle order)
  parameter integer PE_INDEX       = 0,   // row * C + col
  parameter integer MUL_CUTS       = 0,   // product-path registers (mac_prod)
  parameter integer ACC_CUTS       = 0    // accumulate-loop registers (mac_acc)
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  input  wire [31:0]              seed_i,
  input  wire                     valid_i,
  input  wire                     load_i,
  input  wire                     last_i,
  input  wire [A_EXP+A_MAN:0]     a_i,
  input  wire [B_EXP+B_MAN:0]     b_i,
  output wire [ACC_EXP+ACC_MAN:0] acc_o,
  output wire [3:0]               flags_o,
  output wire                     done_o
);

  `include "fmix32.vh"

  localparam integer EXP_W = `FP_EXP_W;
  localparam [31:0]  K_MUL = fmix32(2 * PE_INDEX + 1);
  localparam [31:0]  K_ACC = fmix32(2 * PE_INDEX + 2);

  // Can the product lie below the accumulator's emin? Then mac_prod places it on that grid
  // (fp_clamp) in a field wide enough for every bit the accumulator's rounder reads.
  localparam integer EMIN_A   = 1 - `FP_BIAS(A_EXP, A_SPECIALS);
  localparam integer EMIN_B   = 1 - `FP_BIAS(B_EXP, B_SPECIALS);
  localparam integer EMIN_MUL = 1 - `FP_BIAS(MUL_EXP, MUL_SPECIALS);
  localparam integer EMIN_ACC = 1 - `FP_BIAS(ACC_EXP, ACC_SPECIALS);
  localparam integer MIN_A    = EMIN_A - (A_SUBNORMALS != 0 ? A_MAN : 0);
  localparam integer MIN_B    = EMIN_B - (B_SUBNORMALS != 0 ? B_MAN : 0);
  localparam integer MIN_MUL  = EMIN_MUL - (MUL_SUBNORMALS != 0 ? MUL_MAN : 0);
  localparam integer MIN_P    = (STYLE != 0) ? MIN_A + MIN_B : MIN_MUL;
  localparam integer CLAMP    = (MIN_P < EMIN_ACC) ? 1 : 0;
  localparam integer P_SIG    = (STYLE != 0) ? A_MAN + B_MAN + 2 : MUL_MAN + 1;
  localparam integer PREC     = `FP_ROUND_PREC(ACC_MAN, ACC_RBITS);
  localparam integer PW       = (CLAMP != 0) ? `FP_MAX(P_SIG, PREC) + 2 : P_SIG;

  // --- the product path and the mul stream ----------------------------------------------------
  wire [MUL_RBITS-1:0] rand_mul;
  wire                 step_mul;

  xorshift32 #(
    .RBITS(MUL_RBITS)
  ) u_rng_mul (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .seed_i(seed_i ^ K_MUL),
    .step_i(step_mul),
    .rand_o(rand_mul)
  );

  wire                    p_valid, p_load, p_last;
  wire                    p_sign, p_zero, p_inf, p_nan, p_infzero, p_st;
  wire signed [EXP_W-1:0] p_exp;
  wire [PW-1:0]           p_sig;
  wire [3:0]              p_flags;

  mac_prod #(
    .A_EXP         (A_EXP),
    .A_MAN         (A_MAN),
    .A_SUBNORMALS  (A_SUBNORMALS),
    .A_SPECIALS    (A_SPECIALS),
    .B_EXP         (B_EXP),
    .B_MAN         (B_MAN),
    .B_SUBNORMALS  (B_SUBNORMALS),
    .B_SPECIALS    (B_SPECIALS),
    .MUL_EXP       (MUL_EXP),
    .MUL_MAN       (MUL_MAN),
    .MUL_SUBNORMALS(MUL_SUBNORMALS),
    .MUL_SPECIALS  (MUL_SPECIALS),
    .MUL_OVERFLOW  (MUL_OVERFLOW),
    .MUL_MODE      (MUL_MODE),
    .MUL_RBITS     (MUL_RBITS),
    .ACC_EXP       (ACC_EXP),
    .ACC_SPECIALS  (ACC_SPECIALS),
    .STYLE         (STYLE),
    .MUL_CUTS      (MUL_CUTS),
    .CLAMP         (CLAMP),
    .PW            (PW),
    .EXP_W         (EXP_W)
  ) u_prod (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .valid_i    (valid_i),
    .load_i     (load_i),
    .last_i     (last_i),
    .a_i        (a_i),
    .b_i        (b_i),
    .rand_i     (rand_mul),
    .step_o     (step_mul),
    .valid_o    (p_valid),
    .load_o     (p_load),
    .last_o     (p_last),
    .p_sign_o   (p_sign),
    .p_zero_o   (p_zero),
    .p_inf_o    (p_inf),
    .p_nan_o    (p_nan),
    .p_infzero_o(p_infzero),
    .p_exp_o    (p_exp),
    .p_sig_o    (p_sig),
    .p_st_o     (p_st),
    .p_flags_o  (p_flags)
  );

  // --- the accumulate loop and the acc stream -------------------------------------------------
  wire [ACC_RBITS-1:0] rand_acc;
  wire                 step_acc;

  xorshift32 #(
    .RBITS(ACC_RBITS)
  ) u_rng_acc (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .seed_i(seed_i ^ K_ACC),
    .step_i(step_acc),
    .rand_o(rand_acc)
  );

  mac_acc #(
    .ACC_EXP       (ACC_EXP),
    .ACC_MAN       (ACC_MAN),
    .ACC_SUBNORMALS(ACC_SUBNORMALS),
    .ACC_SPECIALS  (ACC_SPECIALS),
    .ACC_OVERFLOW  (ACC_OVERFLOW),
    .ACC_MODE      (ACC_MODE),
    .ACC_RBITS     (ACC_RBITS),
    .PW            (PW),
    .ACC_CUTS      (ACC_CUTS),
    .EXP_W         (EXP_W)
  ) u_acc (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .valid_i    (p_valid),
    .load_i     (p_load),
    .last_i     (p_last),
    .p_sign_i   (p_sign),
    .p_zero_i   (p_zero),
    .p_inf_i    (p_inf),
    .p_nan_i    (p_nan),
    .p_infzero_i(p_infzero),
    .p_exp_i    (p_exp),
    .p_sig_i    (p_sig),
    .p_st_i     (p_st),
    .p_flags_i  (p_flags),
    .rand_i     (rand_acc),
    .step_o     (step_acc),
    .acc_o      (acc_o),
    .flags_o    (flags_o),
    .done_o     (done_o)
  );

endmodule

`default_nettype wire
