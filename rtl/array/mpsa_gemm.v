// The GEMM accelerator top (docs/array.md): an output-stationary ROWS x COLS array behind
// ready/valid streams, an optional pipelined output conversion and a cycle counter. Every port
// is registered on its way in or out.
//
// Host protocol, per GEMM: hold rst_ni low for two cycles with seed_i, k_len_i (K >= 1) and
// tiles_i (the output tiles, >= 1) set; they are sampled then. The tiles go in groups of L (the
// PE's interleave; the last group may be smaller, n tiles). For each group, for k = 0..K-1, for
// each tile of the group in row-major order, send one beat {column k of the A tile, row k of
// the B tile} (padding rows/columns as zeros). Each group's results come back as ROWS * n beats,
// for each row r, for each tile of the group: row r of that tile's C (COLS values, column 0 low)
// with its flags ({inexact, underflow, overflow, invalid} per value).
//
// Either stream may stall at any cycle. The beat of slot s must reach the array at a cycle of
// phase s (mod L), so a late beat waits for its phase. The array takes the next group's beats
// while the previous group drains; only the first beat of a group's last round waits until the
// previous group's results have left the array (their buffers are reused).
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
  parameter integer MUL_CUTS       = 0,
  parameter integer ACC_CUTS       = 0,
  parameter integer OUT_EN         = 0,   // 1: convert results to the OUT_* format
  parameter integer OUT_EXP        = 8,
  parameter integer OUT_MAN        = 23,
  parameter integer OUT_SUBNORMALS = 1,
  parameter integer OUT_SPECIALS   = `FP_IEEE,
  parameter integer OUT_OVERFLOW   = `FP_INFINITY,
  parameter integer OUT_MODE       = `FP_RNE,
  parameter integer OUT_CUTS       = 7,   // out_convert's registers
  parameter integer K_W            = 16,
  parameter integer T_W            = 32,
  // The PE kind and the integer/block PE parameters: see os_array.
  parameter integer PE_KIND        = 0,
  parameter integer A_W            = A_EXP + A_MAN + 1,
  parameter integer B_W            = B_EXP + B_MAN + 1,
  parameter integer RES_W          = ACC_EXP + ACC_MAN + 1,
  parameter integer LANES          = 1,
  parameter integer INT_CUTS       = 3,
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
  input  wire [T_W-1:0]                tiles_i,
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

  `include "popcount5.vh"

  localparam integer L      = (PE_KIND == 0) ? 1 + popcount5(ACC_CUTS) : 1;   // the interleave
  localparam integer S_W    = (L > 1) ? $clog2(L) : 1;        // a slot or phase
  localparam integer N_W    = $clog2(L + 1);                   // a group's size, 0..L
  localparam integer R_W    = (ROWS > 1) ? $clog2(ROWS) : 1;
  localparam integer O_W    = (OUT_EN != 0) ? OUT_EXP + OUT_MAN + 1 : RES_W;
  localparam integer RW     = RES_W + 4;
  localparam integer CONV   = (OUT_EN != 0) ? popcount5(OUT_CUTS & 7) : 0;   // conversion latency
  localparam integer FIFO_D = CONV + 2;                        // enough for a drain at full rate
  localparam integer CR_W   = $clog2(FIFO_D + 1);
  localparam integer    L_M1_I    = L - 1;
  localparam integer    ROWS_M1_I = ROWS - 1;
  localparam [S_W-1:0]  L_M1      = L_M1_I[S_W-1:0];
  localparam [R_W-1:0]  ROWS_M1   = ROWS_M1_I[R_W-1:0];
  localparam [N_W-1:0]  L_N       = L[N_W-1:0];
  localparam [T_W:0]    L_T1      = {{(T_W + 1 - N_W){1'b0}}, L_N};          // L, T_W + 1 bits
  localparam [T_W:0]    L2_T1     = {{(T_W - N_W){1'b0}}, L_N, 1'b0};        // 2L

  // --- reset and configuration: sampled, then held ------------------------------------------
  reg             rst_q;       // the reset every register below sees, one cycle after the port's
  reg [31:0]      seed_q;
  reg [K_W-1:0]   klast_q;     // K - 1
  reg [T_W-1:0]   tiles_q;
  always @(posedge clk_i) begin
    rst_q <= rst_ni;
    if (!rst_ni) begin
      seed_q  <= seed_i;
      klast_q <= k_len_i - 1'b1;
      tiles_q <= tiles_i;
    end
  end
  wire rst_n = rst_q;

  // --- input register ---------------------------------------------------------------------------
  reg                 in_v_q;
  reg [ROWS*A_W-1:0]  in_a_q;
  reg [COLS*B_W-1:0]  in_b_q;
  wire                launch;
  assign in_ready_o = rst_n & (~in_v_q | launch);
  always @(posedge clk_i) begin
    if (!rst_n) in_v_q <= 1'b0;
    else if (in_valid_i & in_ready_o) in_v_q <= 1'b1;
    else if (launch) in_v_q <= 1'b0;
    if (in_valid_i & in_ready_o) begin
      in_a_q <= in_a_i;
      in_b_q <= in_b_i;
    end
  end

  // --- launch: each slot's beat at its phase ------------------------------------------------
  reg [S_W-1:0] phase_q;     // free running, mod L
  reg [S_W-1:0] slot_q;      // the slot of the next beat
  reg [K_W-1:0] k_q;
  reg [N_W-1:0] n_q;         // tiles in the current group (0 once every tile is sent)
  reg [N_W-1:0] left_q;      // tiles after the current group, when fewer than L (else unused)
  reg [T_W:0]   lml_q;       // (tiles after the current group) - L, one bit wider: its top bit
                             // says fewer than L are left. The next group then needs one carry
                             // chain, not a compare and a subtract in series.
  reg           busy_q;      // a group's last round has started; its results are in the array
  reg [N_W-1:0] dn_q;        // that group's size
  wire          k_last   = (k_q == klast_q);
  wire          slot_end = ({{(N_W - S_W){1'b0}}, slot_q} + 1'b1 == n_q);
  wire          left_ge  = ~lml_q[T_W];                     // left_q >= L
  wire [N_W-1:0] n_next  = left_ge ? L_N : left_q;
  wire [T_W:0]  tml      = {1'b0, tiles_q} - L_T1;            // at reset: tiles - L
  wire [T_W:0]  tml2     = {1'b0, tiles_q} - L2_T1;           //           tiles - 2L
  wire          drained;
  assign launch = in_v_q & (n_q != {N_W{1'b0}}) & (phase_q == slot_q) & (~k_last | (slot_q != {S_W{1'b0}}) | ~busy_q);

  always @(posedge clk_i) begin
    if (!rst_n) begin
      phase_q <= {S_W{1'b0}};
      slot_q  <= {S_W{1'b0}};
      k_q     <= {K_W{1'b0}};
      n_q     <= ~tml[T_W] ? L_N : tiles_q[N_W-1:0];
      left_q  <= ~tml[T_W] ? tml[N_W-1:0] : {N_W{1'b0}};
      lml_q   <= ~tml[T_W] ? tml2 : -L_T1;
      busy_q  <= 1'b0;
      dn_q    <= {N_W{1'b0}};
    end else begin
      phase_q <= (phase_q == L_M1) ? {S_W{1'b0}} : phase_q + 1'b1;
      if (launch) begin
        if (k_last & (slot_q == {S_W{1'b0}})) begin
          busy_q <= 1'b1;
          dn_q   <= n_q;
        end
        if (slot_end) begin
          slot_q <= {S_W{1'b0}};
          if (k_last) begin
            k_q    <= {K_W{1'b0}};
            n_q    <= n_next;
            left_q <= left_ge ? lml_q[N_W-1:0] : {N_W{1'b0}};
            lml_q  <= left_ge ? lml_q - L_T1 : -L_T1;
          end else begin
            k_q <= k_q + 1'b1;
          end
        end else begin
          slot_q <= slot_q + 1'b1;
        end
      end
      if (drained) busy_q <= 1'b0;
    end
  end

  // The array's inputs, registered.
  reg                arr_valid_q, arr_load_q, arr_last_q;
  reg [ROWS*A_W-1:0] arr_a_q;
  reg [COLS*B_W-1:0] arr_b_q;
  always @(posedge clk_i) begin
    if (!rst_n) begin
      arr_valid_q <= 1'b0;
      arr_load_q  <= 1'b0;
      arr_last_q  <= 1'b0;
    end else begin
      arr_valid_q <= launch;
      arr_load_q  <= launch & (k_q == {K_W{1'b0}});
      arr_last_q  <= launch & k_last;
    end
    arr_a_q <= in_a_q;
    arr_b_q <= in_b_q;
  end

  // --- the array ---------------------------------------------------------------------------
  wire [COLS*RW-1:0] res;
  wire               last_done;
  wire               drain;

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
    .MUL_CUTS      (MUL_CUTS),
    .ACC_CUTS      (ACC_CUTS),
    .PE_KIND       (PE_KIND),
    .A_W           (A_W),
    .B_W           (B_W),
    .RES_W         (RES_W),
    .LANES         (LANES),
    .INT_CUTS      (INT_CUTS),
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
    .rst_ni      (rst_n),
    .seed_i      (seed_q),
    .beat_valid_i(arr_valid_q),
    .load_i      (arr_load_q),
    .last_i      (arr_last_q),
    .a_i         (arr_a_q),
    .b_i         (arr_b_q),
    .drain_i     (drain),
    .res_o       (res),
    .last_done_o (last_done)
  );

  // --- drain: ROWS * L shifts per group, credited by the output FIFO ----------------------------
  // The last PE's done pulses count the group's captures; then the chains shift. Of each row's
  // L entries the first L - n are slots the group did not have (a short last group): shifted
  // out without a credit, never sent.
  reg  [N_W-1:0]  cap_q;       // captures seen of the busy group
  reg             dact_q;      // draining
  reg  [S_W-1:0]  dq_q;        // position within a row's L entries
  reg  [R_W-1:0]  drow_q;
  reg  [CR_W-1:0] cred_q;
  wire            stale = ({{(N_W - S_W){1'b0}}, dq_q} < L_N - dn_q);
  wire            pop   = out_valid_o & out_ready_i;
  wire            emit;
  assign drain   = dact_q & (stale | (cred_q != {CR_W{1'b0}}));
  assign emit    = drain & ~stale;
  assign drained = drain & (dq_q == L_M1) & (drow_q == ROWS_M1);

  always @(posedge clk_i) begin
    if (!rst_n) begin
      cap_q  <= {N_W{1'b0}};
      dact_q <= 1'b0;
      dq_q   <= {S_W{1'b0}};
      drow_q <= {R_W{1'b0}};
      cred_q <= FIFO_D[CR_W-1:0];
    end else begin
      if (last_done) cap_q <= cap_q + 1'b1;
      if (busy_q & ~dact_q & (cap_q == dn_q) & (dn_q != {N_W{1'b0}})) begin
        dact_q <= 1'b1;
        cap_q  <= {N_W{1'b0}};
      end
      if (drain) begin
        dq_q <= (dq_q == L_M1) ? {S_W{1'b0}} : dq_q + 1'b1;
        if (dq_q == L_M1) drow_q <= (drow_q == ROWS_M1) ? {R_W{1'b0}} : drow_q + 1'b1;
        if (drained) dact_q <= 1'b0;
      end
      cred_q <= cred_q - {{(CR_W - 1){1'b0}}, emit} + {{(CR_W - 1){1'b0}}, pop};
    end
  end

  // --- output: conversion, FIFO --------------------------------------------------------------
  wire               c_valid;
  wire [COLS*O_W-1:0] c_data;
  wire [COLS*4-1:0]  c_flags;

  genvar j;
  generate
    for (j = 0; j < COLS; j = j + 1) begin : g_out
      wire [RES_W-1:0] acc_v = res[j*RW +: RES_W];
      wire [3:0]       acc_f = res[j*RW + RES_W +: 4];
      if (OUT_EN != 0) begin : g_conv
        wire v;
        out_convert #(
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
          .CUTS        (OUT_CUTS)
        ) u_conv (
          .clk_i  (clk_i),
          .rst_ni (rst_n),
          .valid_i(emit),
          .a_i    (acc_v),
          .flags_i(acc_f),
          .valid_o(v),
          .res_o  (c_data[j*O_W +: O_W]),
          .flags_o(c_flags[j*4 +: 4])
        );
        if (j == 0) begin : g_v
          assign c_valid = v;
        end else begin : g_nv
          /* verilator lint_off UNUSEDSIGNAL */
          wire unused_v = v;   // every column's valid is column 0's
          /* verilator lint_on UNUSEDSIGNAL */
        end
      end else begin : g_plain
        assign c_data[j*O_W +: O_W] = acc_v;
        assign c_flags[j*4 +: 4]    = acc_f;
        if (j == 0) begin : g_v
          assign c_valid = emit;
        end
      end
    end
  endgenerate

  wire [COLS*(O_W+4)-1:0] head;

  mpsa_fifo #(
    .WIDTH(COLS * (O_W + 4)),
    .DEPTH(FIFO_D)
  ) u_fifo (
    .clk_i  (clk_i),
    .rst_ni (rst_n),
    .push_i (c_valid),
    .data_i ({c_flags, c_data}),
    .pop_i  (pop),
    .valid_o(out_valid_o),
    .data_o (head)
  );

  assign out_data_o  = head[0 +: COLS*O_W];
  assign out_flags_o = head[COLS*O_W +: COLS*4];

  // --- cycle counter ---------------------------------------------------------------------------
  reg [31:0] cycles_q;
  always @(posedge clk_i) begin
    if (!rst_n) cycles_q <= 32'd0;
    else cycles_q <= cycles_q + 32'd1;
  end
  assign cycles_o = cycles_q;

endmodule

`default_nettype wire
