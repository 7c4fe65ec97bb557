// The output conversion of mpsa_gemm: one accumulator code into the output format (SPEC §4
// convert, golden convertExact, the units of fp_convert), pipelined:
//
//   U unpack | N align for OUT (fp_norm) | R round | out       CUTS bit 0 U|N, 1 N|R, 2 R|out
//
// The flags of the accumulation ride along and are ORed with the conversion's. valid_o follows
// valid_i CUTS-popcount cycles later; nothing stalls it (mpsa_gemm only sends what its FIFO
// has room for).
`default_nettype none
`include "fp_defs.vh"

module out_convert #(
  parameter integer A_EXP        = 8,
  parameter integer A_MAN        = 23,
  parameter integer A_SUBNORMALS = 1,
  parameter integer A_SPECIALS   = `FP_IEEE,
  parameter integer R_EXP        = 8,
  parameter integer R_MAN        = 7,
  parameter integer R_SUBNORMALS = 1,
  parameter integer R_SPECIALS   = `FP_IEEE,
  parameter integer R_OVERFLOW   = `FP_INFINITY,
  parameter integer MODE         = `FP_RNE,
  parameter integer CUTS         = 7,
  parameter integer EXP_W        = `FP_EXP_W
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  input  wire                 valid_i,
  input  wire [A_EXP+A_MAN:0] a_i,
  input  wire [3:0]           flags_i,
  output wire                 valid_o,
  output wire [R_EXP+R_MAN:0] res_o,
  output wire [3:0]           flags_o
);

  localparam integer R_W = R_EXP + R_MAN + 1;

  // --- U ------------------------------------------------------------------------------------
  wire                    u_sign, u_zero, u_inf, u_nan;
  wire signed [EXP_W-1:0] u_exp;
  wire [A_MAN:0]          u_sig;

  fp_unpack #(
    .EXP       (A_EXP),
    .MAN       (A_MAN),
    .SUBNORMALS(A_SUBNORMALS),
    .SPECIALS  (A_SPECIALS),
    .EXP_W     (EXP_W)
  ) u_unpack (
    .code_i(a_i),
    .sign_o(u_sign),
    .zero_o(u_zero),
    .inf_o (u_inf),
    .nan_o (u_nan),
    .exp_o (u_exp),
    .sig_o (u_sig)
  );

  localparam integer UW = 8 + EXP_W + A_MAN + 1;
  wire                    n_valid;
  wire [3:0]              n_flags;
  wire                    n_sign, n_zero, n_inf, n_nan;
  wire signed [EXP_W-1:0] n_exp;
  wire [A_MAN:0]          n_sig;
  pipe_reg #(.WIDTH(1),  .EN(CUTS & 1), .RESET(1)) u_cut0_v (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(valid_i), .q_o(n_valid));
  pipe_reg #(.WIDTH(UW), .EN(CUTS & 1), .RESET(0)) u_cut0 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({flags_i, u_sign, u_zero, u_inf, u_nan, u_exp, u_sig}), .q_o({n_flags, n_sign, n_zero, n_inf, n_nan, n_exp, n_sig}));

  // --- N ------------------------------------------------------------------------------------
  wire signed [EXP_W-1:0] k_exp;
  wire [R_MAN:0]          n_k;
  wire [2:0]              n_f;
  wire                    n_st;

  fp_norm #(
    .R_EXP(R_EXP),
    .R_MAN(R_MAN),
    .R_SPECIALS(R_SPECIALS),
    .RBITS(1),
    .W    (A_MAN + 1),
    .LZ_W (1),
    .RIGHT(1),
    .EXP_W(EXP_W)
  ) u_norm (
    .exp_i   (n_exp),
    .sig_i   (n_sig),
    .lz_i    (1'b0),
    .sticky_i(1'b0),
    .exp_o   (k_exp),
    .k_o     (n_k),
    .f_o     (n_f),
    .sticky_o(n_st)
  );

  localparam integer NW = 8 + EXP_W + R_MAN + 1 + 3 + 1;
  wire                    r_valid;
  wire [3:0]              r_flags;
  wire                    r_sign, r_zero, r_inf, r_nan, r_st;
  wire signed [EXP_W-1:0] r_exp;
  wire [R_MAN:0]          r_k;
  wire [2:0]              r_f;
  pipe_reg #(.WIDTH(1),  .EN((CUTS >> 1) & 1), .RESET(1)) u_cut1_v (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(n_valid), .q_o(r_valid));
  pipe_reg #(.WIDTH(NW), .EN((CUTS >> 1) & 1), .RESET(0)) u_cut1 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({n_flags, n_sign, n_zero, n_inf, n_nan, k_exp, n_k, n_f, n_st}), .q_o({r_flags, r_sign, r_zero, r_inf, r_nan, r_exp, r_k, r_f, r_st}));

  // --- R ------------------------------------------------------------------------------------
  wire [R_W-1:0]          code;
  wire [3:0]              c_flags;
  localparam [2:0]        MODE_C = MODE[2:0];
  /* verilator lint_off UNUSEDSIGNAL */
  wire signed [EXP_W-1:0] unused_exp;   // for the PE's loop only
  /* verilator lint_on UNUSEDSIGNAL */

  fp_round #(
    .R_EXP       (R_EXP),
    .R_MAN       (R_MAN),
    .R_SUBNORMALS(R_SUBNORMALS),
    .R_SPECIALS  (R_SPECIALS),
    .R_OVERFLOW  (R_OVERFLOW),
    .RBITS       (1),
    .EXP_W       (EXP_W)
  ) u_round (
    .sign_i   (r_sign),
    .nan_i    (r_nan),
    .invalid_i(1'b0),
    .inf_i    (r_inf),
    .zero_i   (r_zero),
    .exp_i    (r_exp),
    .k_i      (r_k),
    .f_i      (r_f),
    .sticky_i (r_st),
    .mode_i   (MODE_C),
    .rbits_i  (1'b1),
    .rand_i   (1'b0),
    .res_o    (code),
    .flags_o  (c_flags),
    .exp_o    (unused_exp)
  );

  pipe_reg #(.WIDTH(1),       .EN((CUTS >> 2) & 1), .RESET(1)) u_cut2_v (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(r_valid), .q_o(valid_o));
  pipe_reg #(.WIDTH(R_W + 4), .EN((CUTS >> 2) & 1), .RESET(0)) u_cut2 (.clk_i(clk_i), .rst_ni(rst_ni),
    .d_i({code, r_flags | c_flags}), .q_o({res_o, flags_o}));

endmodule

`default_nettype wire
