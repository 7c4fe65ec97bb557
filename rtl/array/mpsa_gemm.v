// The GEMM accelerator top (docs/array.md): an output-stationary ROWS x COLS array behind
// ready/valid streams, with an optional output conversion and a cycle counter.
//
// Host protocol, per GEMM: hold rst_ni low for a cycle with seed_i and k_len_i (K >= 1) set;
// then for every output tile (row-major over the tiles of C), send K beats on the input stream,
// beat k = {column k of the A tile, row k of the B tile} (padding rows/columns as zeros), and
// read ROWS beats on the output stream, beat r = row r of the C tile (COLS values, column 0 in
// the low bits) with its flags ({inexact, underflow, overflow, invalid} per value).
//
// Either stream may stall at any cycle. The array accepts the next tile's beats while the
// current tile drains; it refuses (in_ready_o low) only the last beat of a tile while the
// previous tile's results have not all been read, so results are never overwritten.
`default_nettype none
`include "fp_defs.vh"

module mpsa_gemm #(
  parameter integer ROWS           = 4,
  parameter integer COLS           = 4,
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
  parameter integer STYLE          = 0,
  parameter integer PIPE           = 0,
  parameter integer OUT_EN         = 0,   // 1: convert results to the OUT_* format
  parameter integer OUT_EXP        = 8,
  parameter integer OUT_MAN        = 23,
  parameter integer OUT_SUBNORMALS = 1,
  parameter integer OUT_SPECIALS   = `FP_IEEE,
  parameter integer OUT_OVERFLOW   = `FP_INFINITY,
  parameter integer OUT_MODE       = `FP_RNE,
  parameter integer K_W            = 16,
  // The PE kind and the integer/block PE parameters: see os_array.
  parameter integer PE_KIND        = 0,
  parameter integer A_W            = A_EXP + A_MAN + 1,
  parameter integer B_W            = B_EXP + B_MAN + 1,
  parameter integer RES_W          = ACC_EXP + ACC_MAN + 1,
  parameter integer LANES          = 1,
  parameter integer A_KIND         = 2,
  parameter integer A_FRAC         = 0,
  parameter integer A_SCALE        = 1,
  parameter integer A_SCALE_W      = 8,
  parameter integer B_KIND         = 2,
  parameter integer B_FRAC         = 0,
  parameter integer B_SCALE        = 1,
  parameter integer B_SCALE_W      = 8,
  parameter integer BLOCK          = 32
) (
  input  wire                          clk_i,
  input  wire                          rst_ni,
  input  wire [31:0]                   seed_i,
  input  wire [K_W-1:0]                k_len_i,
  input  wire                          in_valid_i,
  output wire                          in_ready_o,
  input  wire [ROWS*A_W-1:0]           in_a_i,
  input  wire [COLS*B_W-1:0]           in_b_i,
  output wire                          out_valid_o,
  input  wire                          out_ready_i,
  output wire [COLS*(OUT_EN != 0 ? OUT_EXP + OUT_MAN + 1 : RES_W)-1:0] out_data_o,
  output wire [COLS*4-1:0]             out_flags_o,
  output wire [31:0]                   cycles_o
);

  localparam integer O_W   = (OUT_EN != 0) ? OUT_EXP + OUT_MAN + 1 : RES_W;
  localparam integer ROW_W = (ROWS > 1) ? $clog2(ROWS) : 1;
  localparam [31:0]      ROW_LAST = ROWS - 1;

  // --- input stream: k counter, tile bookkeeping -------------------------------------------
  reg  [K_W-1:0] k_q;
  reg            busy_q;     // a tile's last beat was taken and its results are not all read
  wire           last_beat = (k_q == k_len_i - 1'b1);
  assign in_ready_o = !(last_beat && busy_q);
  wire           take = in_valid_i && in_ready_o;

  always @(posedge clk_i) begin
    if (!rst_ni) k_q <= {K_W{1'b0}};
    else if (take) k_q <= last_beat ? {K_W{1'b0}} : k_q + 1'b1;
  end

  // --- the array ---------------------------------------------------------------------------
  wire [ROWS*COLS*RES_W-1:0] res;
  wire [ROWS*COLS*4-1:0]     res_flags;
  wire                       done;

  os_array #(
    .ROWS          (ROWS),
    .COLS          (COLS),
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
    .ACC_MAN       (ACC_MAN),
    .ACC_SUBNORMALS(ACC_SUBNORMALS),
    .ACC_SPECIALS  (ACC_SPECIALS),
    .ACC_OVERFLOW  (ACC_OVERFLOW),
    .ACC_MODE      (ACC_MODE),
    .ACC_RBITS     (ACC_RBITS),
    .STYLE         (STYLE),
    .PIPE          (PIPE),
    .PE_KIND       (PE_KIND),
    .A_W           (A_W),
    .B_W           (B_W),
    .RES_W         (RES_W),
    .LANES         (LANES),
    .A_KIND        (A_KIND),
    .A_FRAC        (A_FRAC),
    .A_SCALE       (A_SCALE),
    .A_SCALE_W     (A_SCALE_W),
    .B_KIND        (B_KIND),
    .B_FRAC        (B_FRAC),
    .B_SCALE       (B_SCALE),
    .B_SCALE_W     (B_SCALE_W),
    .BLOCK         (BLOCK)
  ) u_array (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .seed_i      (seed_i),
    .beat_valid_i(take),
    .load_i      (k_q == {K_W{1'b0}}),
    .last_i      (last_beat),
    .a_i         (in_a_i),
    .b_i         (in_b_i),
    .res_o       (res),
    .flags_o     (res_flags),
    .done_o      (done)
  );

  // --- output stream: ROWS beats per tile ---------------------------------------------------
  reg              have_q;   // res holds a complete tile not yet read
  reg [ROW_W-1:0]  row_q;
  wire             give = have_q && out_ready_i;
  wire             final_row = (row_q == ROW_LAST[ROW_W-1:0]);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      have_q <= 1'b0;
      busy_q <= 1'b0;
      row_q  <= {ROW_W{1'b0}};
    end else begin
      if (take && last_beat) busy_q <= 1'b1;
      if (done) have_q <= 1'b1;
      if (give) begin
        row_q <= final_row ? {ROW_W{1'b0}} : row_q + 1'b1;
        if (final_row) begin
          have_q <= 1'b0;
          busy_q <= 1'b0;
        end
      end
    end
  end

  assign out_valid_o = have_q;

  genvar j;
  generate
    for (j = 0; j < COLS; j = j + 1) begin : g_out
      wire [RES_W-1:0] acc_v   = res[(row_q*COLS + j)*RES_W +: RES_W];
      wire [3:0]       acc_f   = res_flags[(row_q*COLS + j)*4 +: 4];
      if (OUT_EN != 0) begin : g_conv
        wire [3:0] conv_f;
        fp_convert #(
          .A_EXP       (ACC_EXP),
          .A_MAN       (ACC_MAN),
          .A_SUBNORMALS(ACC_SUBNORMALS),
          .A_SPECIALS  (ACC_SPECIALS),
          .R_EXP       (OUT_EXP),
          .R_MAN       (OUT_MAN),
          .R_SUBNORMALS(OUT_SUBNORMALS),
          .R_SPECIALS  (OUT_SPECIALS),
          .R_OVERFLOW  (OUT_OVERFLOW),
          .MODE        (OUT_MODE),
          .RBITS       (1)
        ) u_conv (
          .a_i    (acc_v),
          .rand_i (1'b0),
          .res_o  (out_data_o[j*O_W +: O_W]),
          .flags_o(conv_f)
        );
        assign out_flags_o[j*4 +: 4] = acc_f | conv_f;
      end else begin : g_plain
        assign out_data_o[j*O_W +: O_W] = acc_v;
        assign out_flags_o[j*4 +: 4]    = acc_f;
      end
    end
  endgenerate

  // --- cycle counter ---------------------------------------------------------------------
  reg [31:0] cycles_q;
  always @(posedge clk_i) begin
    if (!rst_ni) cycles_q <= 32'd0;
    else cycles_q <= cycles_q + 32'd1;
  end
  assign cycles_o = cycles_q;

endmodule
