// Output-stationary ROWS x COLS systolic array of MAC PEs (docs/array.md).
//
// One beat (beat_valid_i) carries column k of an A tile (ROWS values, row 0 in the low bits) and
// row k of a B tile (COLS values). Row i's A values and controls enter PE(i,0) i cycles late and
// move one PE right per cycle; column j's B values enter PE(0,j) j cycles late and move one PE
// down per cycle, so PE(i,j) sees A[i,k] and B[k,j] together, i+j cycles after the beat. Beats
// may come with gaps: a gap is a bubble that travels through the array without a MAC.
//
// load_i marks k = 0 (the accumulator restarts from +0), last_i marks k = K-1. When a PE's last
// MAC is done, its accumulator and flags are copied into its result register, so the next tile
// can stream in at once. done_o pulses when PE(ROWS-1,COLS-1), the last to finish, has copied:
// from then on res_o/flags_o hold the whole tile until the next tile's last beat reaches them.
`default_nettype none
`include "fp_defs.vh"

module os_array #(
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
  // The PE: 0 mac_pe (the float formats above), 1 int_pe, 2 int_packed_pe (LANES columns of B
  // per PE), 3 block_pe (BFP/MX: A_*/B_* name the element formats, values carry their scale).
  parameter integer PE_KIND        = 0,
  parameter integer A_W            = A_EXP + A_MAN + 1,    // bits of one A value in a beat
  parameter integer B_W            = B_EXP + B_MAN + 1,    // bits of one PE column's B value(s)
  parameter integer RES_W          = ACC_EXP + ACC_MAN + 1, // bits of one PE's result
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
  input  wire                                    clk_i,
  input  wire                                    rst_ni,
  input  wire [31:0]                             seed_i,
  input  wire                                    beat_valid_i,
  input  wire                                    load_i,
  input  wire                                    last_i,
  input  wire [ROWS*A_W-1:0]                     a_i,
  input  wire [COLS*B_W-1:0]                     b_i,
  output wire [ROWS*COLS*RES_W-1:0]              res_o,
  output wire [ROWS*COLS*4-1:0]                  flags_o,
  output wire                                    done_o
);

  localparam integer X_W   = A_W + 3;  // {last, load, valid, a} travel together

  // h[i][j]: what enters PE(i,j) from the left (j = COLS: leaves the row, unused).
  // v[i][j]: the B value entering PE(i,j) from above (i = ROWS: leaves the column, unused).
  wire [ROWS*(COLS+1)*X_W-1:0] h;
  wire [(ROWS+1)*COLS*B_W-1:0] v;
  wire [ROWS*COLS-1:0]         cap;

  genvar i, j;
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_row_skew
      mpsa_delay #(
        .WIDTH(X_W),
        .DEPTH(i)
      ) u_skew_a (
        .clk_i (clk_i),
        .rst_ni(rst_ni),
        .d_i   ({last_i, load_i, beat_valid_i, a_i[i*A_W +: A_W]}),
        .q_o   (h[(i*(COLS+1))*X_W +: X_W])
      );
    end
    for (j = 0; j < COLS; j = j + 1) begin : g_col_skew
      mpsa_delay #(
        .WIDTH(B_W),
        .DEPTH(j)
      ) u_skew_b (
        .clk_i (clk_i),
        .rst_ni(rst_ni),
        .d_i   (b_i[j*B_W +: B_W]),
        .q_o   (v[j*B_W +: B_W])
      );
    end

    for (i = 0; i < ROWS; i = i + 1) begin : g_r
      for (j = 0; j < COLS; j = j + 1) begin : g_c
        wire [X_W-1:0] x_in = h[(i*(COLS+1)+j)*X_W +: X_W];
        wire [B_W-1:0] b_in = v[(i*COLS+j)*B_W +: B_W];
        wire           pe_valid = x_in[A_W];
        wire           pe_load  = x_in[A_W+1];
        wire           pe_last  = x_in[A_W+2];
        reg  [X_W-1:0] x_q;
        reg  [B_W-1:0] b_q;
        wire [RES_W-1:0] acc;
        wire [3:0]       acc_flags;
        reg  [RES_W-1:0] res_q;
        reg  [3:0]       res_flags_q;

        // Pass A (with its controls) right and B down.
        always @(posedge clk_i) begin
          if (!rst_ni) x_q <= {X_W{1'b0}};
          else x_q <= x_in;
          b_q <= b_in;
        end
        assign h[(i*(COLS+1)+j+1)*X_W +: X_W] = x_q;
        assign v[((i+1)*COLS+j)*B_W +: B_W]   = b_q;

        if (PE_KIND == 0) begin : g_float
          mac_pe #(
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
            .PE_INDEX      (i * COLS + j),
            .PIPE          (PIPE)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .seed_i (seed_i),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .c_i    ({RES_W{1'b0}}),
            .a_i    (x_in[A_W-1:0]),
            .b_i    (b_in),
            .acc_o  (acc),
            .flags_o(acc_flags)
          );
        end else if (PE_KIND == 1) begin : g_int
          int_pe #(
            .A_W  (A_W),
            .B_W  (B_W),
            .ACC_W(RES_W)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .a_i    (x_in[A_W-1:0]),
            .b_i    (b_in),
            .acc_o  (acc)
          );
          assign acc_flags = 4'b0;
        end else if (PE_KIND == 2) begin : g_packed
          int_packed_pe #(
            .A_W  (A_W),
            .B_W  (B_W / LANES),
            .LANES(LANES),
            .ACC_W(RES_W / LANES)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .a_i    (x_in[A_W-1:0]),
            .b_i    (b_in),
            .acc_o  (acc)
          );
          assign acc_flags = 4'b0;
        end else begin : g_block
          block_pe #(
            .A_KIND        (A_KIND),
            .A_EW          (A_W - A_SCALE_W),
            .A_EXP         (A_EXP),
            .A_MAN         (A_MAN),
            .A_SPECIALS    (A_SPECIALS),
            .A_FRAC        (A_FRAC),
            .A_SCALE       (A_SCALE),
            .A_SCALE_W     (A_SCALE_W),
            .B_KIND        (B_KIND),
            .B_EW          (B_W - B_SCALE_W),
            .B_EXP         (B_EXP),
            .B_MAN         (B_MAN),
            .B_SPECIALS    (B_SPECIALS),
            .B_FRAC        (B_FRAC),
            .B_SCALE       (B_SCALE),
            .B_SCALE_W     (B_SCALE_W),
            .BLOCK         (BLOCK),
            .ACC_EXP       (ACC_EXP),
            .ACC_MAN       (ACC_MAN),
            .ACC_SUBNORMALS(ACC_SUBNORMALS),
            .ACC_SPECIALS  (ACC_SPECIALS),
            .ACC_OVERFLOW  (ACC_OVERFLOW),
            .ACC_MODE      (ACC_MODE)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .last_i (pe_last),
            .a_i    (x_in[A_W-1:0]),
            .b_i    (b_in),
            .acc_o  (acc),
            .flags_o(acc_flags)
          );
        end

        // The last MAC's result is in acc 1 + PIPE cycles after it entered the PE.
        wire last_done;
        mpsa_delay #(
          .WIDTH(1),
          .DEPTH(1 + PIPE)
        ) u_last (
          .clk_i (clk_i),
          .rst_ni(rst_ni),
          .d_i   (pe_valid & pe_last),
          .q_o   (last_done)
        );

        always @(posedge clk_i) begin
          if (last_done) begin
            res_q       <= acc;
            res_flags_q <= acc_flags;
          end
        end

        // done: the copy above happened on this edge.
        reg cap_q;
        always @(posedge clk_i) begin
          if (!rst_ni) cap_q <= 1'b0;
          else cap_q <= last_done;
        end
        assign cap[i*COLS+j] = cap_q;

        assign res_o[(i*COLS+j)*RES_W +: RES_W] = res_q;
        assign flags_o[(i*COLS+j)*4 +: 4]       = res_flags_q;
      end
    end
  endgenerate

  assign done_o = cap[ROWS*COLS-1];

  // Values that leave the array at the right and bottom edges, and the other PEs' copy strobes;
  // the seed feeds only the float PEs' generators.
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_edges = ^{h, v, cap[ROWS*COLS-1:0], seed_i};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule
