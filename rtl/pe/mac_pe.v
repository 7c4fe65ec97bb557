// A processing element: one MAC per cycle (SPEC §4, golden/mac.ts, docs/arithmetic.md §5).
//
//   STYLE 0 separate:  p = round_mul(a * b);  acc <- round_acc(acc + p)      fp_mul + fp_add
//   STYLE 1 fused:     acc <- round_acc(acc + a * b)                         fp_fma
//
// Two xorshift32 generators, one per rounding, reset to seed_i ^ fmix32(2*PE_INDEX + 1) (mul)
// and seed_i ^ fmix32(2*PE_INDEX + 2) (acc); both step once per MAC (valid_i), whether or not
// their rounding is sr and whatever the style, so the streams match golden's GEMM.
//
// Controls (sampled on the clock edge; rst_ni is synchronous, active low):
//   valid_i            perform a MAC on a_i, b_i
//   load_i             the accumulator source for this MAC is c_i instead of acc_q (a new
//                      output starts: +0 or C0); with valid_i low, acc <- c_i
//   acc_o, flags_o     the accumulator and the OR of the flags of every rounding since the
//                      last load ({inexact, underflow, overflow, invalid})
//
// PIPE = 1 inserts a register between the multiply half (fp_mul, or the operands under fused)
// and the accumulate half; results appear one cycle later, the arithmetic is unchanged.
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
  parameter integer PIPE           = 0
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  input  wire [31:0]              seed_i,
  input  wire                     valid_i,
  input  wire                     load_i,
  input  wire [ACC_EXP+ACC_MAN:0] c_i,
  input  wire [A_EXP+A_MAN:0]     a_i,
  input  wire [B_EXP+B_MAN:0]     b_i,
  output wire [ACC_EXP+ACC_MAN:0] acc_o,
  output wire [3:0]               flags_o
);

  `include "fmix32.vh"

  localparam integer ACC_W = ACC_EXP + ACC_MAN + 1;
  localparam integer MUL_W = MUL_EXP + MUL_MAN + 1;
  localparam integer A_W   = A_EXP + A_MAN + 1;
  localparam integer B_W   = B_EXP + B_MAN + 1;
  localparam [31:0]  K_MUL = fmix32(2 * PE_INDEX + 1);
  localparam [31:0]  K_ACC = fmix32(2 * PE_INDEX + 2);

  // --- stage 1: the multiply stream ------------------------------------------------------
  wire [MUL_RBITS-1:0] rand_mul;

  xorshift32 #(
    .RBITS(MUL_RBITS)
  ) u_rng_mul (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .seed_i(seed_i ^ K_MUL),
    .step_i(valid_i),
    .rand_o(rand_mul)
  );

  // What crosses to the accumulate half: control, c, and either the rounded product (separate)
  // or the operands themselves (fused).
  localparam integer X_W = (STYLE == 0) ? MUL_W + 4 : A_W + B_W;
  wire [X_W-1:0] x_s1;

  generate
    if (STYLE == 0) begin : g_mul
      wire [MUL_W-1:0] p;
      wire [3:0]       p_flags;

      fp_mul #(
        .A_EXP       (A_EXP),
        .A_MAN       (A_MAN),
        .A_SUBNORMALS(A_SUBNORMALS),
        .A_SPECIALS  (A_SPECIALS),
        .B_EXP       (B_EXP),
        .B_MAN       (B_MAN),
        .B_SUBNORMALS(B_SUBNORMALS),
        .B_SPECIALS  (B_SPECIALS),
        .R_EXP       (MUL_EXP),
        .R_MAN       (MUL_MAN),
        .R_SUBNORMALS(MUL_SUBNORMALS),
        .R_SPECIALS  (MUL_SPECIALS),
        .R_OVERFLOW  (MUL_OVERFLOW),
        .MODE        (MUL_MODE),
        .RBITS       (MUL_RBITS)
      ) u_mul (
        .a_i    (a_i),
        .b_i    (b_i),
        .rand_i (rand_mul),
        .res_o  (p),
        .flags_o(p_flags)
      );

      assign x_s1 = {p_flags, p};
    end else begin : g_operands
      // Fused: no multiply rounding. The multiply stream still steps (SPEC §4) but nothing
      // reads it; synthesis removes the generator.
      /* verilator lint_off UNUSEDSIGNAL */
      wire [MUL_RBITS-1:0] unused_rand_mul = rand_mul;
      /* verilator lint_on UNUSEDSIGNAL */
      assign x_s1 = {a_i, b_i};
    end
  endgenerate

  // --- optional pipeline register -------------------------------------------------------------
  wire             valid_s2;
  wire             load_s2;
  wire [ACC_W-1:0] c_s2;
  wire [X_W-1:0]   x_s2;

  generate
    if (PIPE != 0) begin : g_pipe
      reg             valid_q;
      reg             load_q;
      reg [ACC_W-1:0] c_q;
      reg [X_W-1:0]   x_q;
      always @(posedge clk_i) begin
        if (!rst_ni) begin
          valid_q <= 1'b0;
          load_q  <= 1'b0;
        end else begin
          valid_q <= valid_i;
          load_q  <= load_i;
        end
        c_q <= c_i;
        x_q <= x_s1;
      end
      assign valid_s2 = valid_q;
      assign load_s2  = load_q;
      assign c_s2     = c_q;
      assign x_s2     = x_q;
    end else begin : g_comb
      assign valid_s2 = valid_i;
      assign load_s2  = load_i;
      assign c_s2     = c_i;
      assign x_s2     = x_s1;
    end
  endgenerate

  // --- stage 2: accumulate ----------------------------------------------------------------
  reg  [ACC_W-1:0] acc_q;
  reg  [3:0]       flags_q;
  wire [ACC_W-1:0] acc_src = load_s2 ? c_s2 : acc_q;
  wire [ACC_W-1:0] sum;
  wire [3:0]       sum_flags;
  wire [ACC_RBITS-1:0] rand_acc;

  xorshift32 #(
    .RBITS(ACC_RBITS)
  ) u_rng_acc (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .seed_i(seed_i ^ K_ACC),
    .step_i(valid_s2),
    .rand_o(rand_acc)
  );

  generate
    if (STYLE == 0) begin : g_separate
      wire [3:0] acc_flags;

      fp_add #(
        .A_EXP       (ACC_EXP),
        .A_MAN       (ACC_MAN),
        .A_SUBNORMALS(ACC_SUBNORMALS),
        .A_SPECIALS  (ACC_SPECIALS),
        .B_EXP       (MUL_EXP),
        .B_MAN       (MUL_MAN),
        .B_SUBNORMALS(MUL_SUBNORMALS),
        .B_SPECIALS  (MUL_SPECIALS),
        .R_EXP       (ACC_EXP),
        .R_MAN       (ACC_MAN),
        .R_SUBNORMALS(ACC_SUBNORMALS),
        .R_SPECIALS  (ACC_SPECIALS),
        .R_OVERFLOW  (ACC_OVERFLOW),
        .MODE        (ACC_MODE),
        .RBITS       (ACC_RBITS)
      ) u_add (
        .a_i    (acc_src),
        .b_i    (x_s2[MUL_W-1:0]),
        .rand_i (rand_acc),
        .res_o  (sum),
        .flags_o(acc_flags)
      );

      assign sum_flags = acc_flags | x_s2[MUL_W +: 4];
    end else begin : g_fused
      fp_fma #(
        .A_EXP       (A_EXP),
        .A_MAN       (A_MAN),
        .A_SUBNORMALS(A_SUBNORMALS),
        .A_SPECIALS  (A_SPECIALS),
        .B_EXP       (B_EXP),
        .B_MAN       (B_MAN),
        .B_SUBNORMALS(B_SUBNORMALS),
        .B_SPECIALS  (B_SPECIALS),
        .C_EXP       (ACC_EXP),
        .C_MAN       (ACC_MAN),
        .C_SUBNORMALS(ACC_SUBNORMALS),
        .C_SPECIALS  (ACC_SPECIALS),
        .R_EXP       (ACC_EXP),
        .R_MAN       (ACC_MAN),
        .R_SUBNORMALS(ACC_SUBNORMALS),
        .R_SPECIALS  (ACC_SPECIALS),
        .R_OVERFLOW  (ACC_OVERFLOW),
        .MODE        (ACC_MODE),
        .RBITS       (ACC_RBITS)
      ) u_fma (
        .a_i    (x_s2[B_W +: A_W]),
        .b_i    (x_s2[B_W-1:0]),
        .c_i    (acc_src),
        .rand_i (rand_acc),
        .res_o  (sum),
        .flags_o(sum_flags)
      );
    end
  endgenerate

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      acc_q   <= {ACC_W{1'b0}};
      flags_q <= 4'b0000;
    end else if (valid_s2) begin
      acc_q   <= sum;
      flags_q <= (load_s2 ? 4'b0000 : flags_q) | sum_flags;
    end else if (load_s2) begin
      acc_q   <= c_s2;
      flags_q <= 4'b0000;
    end
  end

  assign acc_o   = acc_q;
  assign flags_o = flags_q;

endmodule

`default_nettype wire
