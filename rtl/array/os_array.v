// Output-stationary ROWS x COLS systolic array (docs/array.md).
//
// One beat (beat_valid_i) carries column k of an A tile (ROWS values, row 0 in the low bits) and
// row k of a B tile (COLS values). Row i's A values and controls enter PE(i,0) i cycles late and
// move one PE right per cycle; column j's B values enter PE(0,j) j cycles late and move one PE
// down per cycle, so PE(i,j) sees A[i,k] and B[k,j] together, i+j cycles after the beat. A cycle
// without a beat is a bubble that crosses the array doing nothing.
//
// The float PE interleaves L tiles (mac_pe: the beat at cycle t belongs to slot t mod L); the
// top (mpsa_gemm) sends each slot's beats at its phase. load_i marks k = 0, last_i k = K-1.
//
// Results leave through a chain per column. Every PE has a result buffer of L entries: each of
// its outputs that finishes (done_o) is shifted in, so after a group of tiles it holds one result
// per slot, slot 0 deepest. drain_i then shifts every column's chain up by one: row i takes the
// deepest entry of row i+1, and row 0's deepest entry is the column's res_o. ROWS * L shifts empty
// a group: row 0's slots, then row 1's, ... (the top reads them in that order while the next
// group computes; it never drains while a PE captures). last_done_o is PE(ROWS-1, COLS-1)'s
// done: the last PE to capture.
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
  parameter integer MUL_CUTS       = 0,
  parameter integer ACC_CUTS       = 0,
  // The PE: 0 mac_pe (the float formats above), 1 int_pe, 2 int_packed_pe (LANES columns of B
  // per PE), 3 block_pe (BFP/MX: A_*/B_* name the element formats, values carry their scale),
  // 4 exact_pe (the float formats above, exact accumulation rounded once per output).
  parameter integer PE_KIND        = 0,
  parameter integer A_W            = A_EXP + A_MAN + 1,    // bits of one A value in a beat
  parameter integer B_W            = B_EXP + B_MAN + 1,    // bits of one PE column's B value(s)
  parameter integer RES_W          = ACC_EXP + ACC_MAN + 1, // bits of one PE's result
  parameter integer LANES          = 1,
  parameter integer INT_CUTS       = 3,                     // int PEs: multiplier in/out registers
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
  input  wire                        clk_i,
  input  wire                        rst_ni,
  input  wire [31:0]                 seed_i,
  input  wire                        beat_valid_i,
  input  wire                        load_i,
  input  wire                        last_i,
  input  wire [ROWS*A_W-1:0]         a_i,
  input  wire [COLS*B_W-1:0]         b_i,
  input  wire                        drain_i,
  output wire [COLS*(RES_W+4)-1:0]   res_o,      // per column {flags, result}
  output wire                        last_done_o
);

  `include "popcount5.vh"

  localparam integer L   = (PE_KIND == 0) ? 1 + popcount5(ACC_CUTS) : 1;   // slots per PE
  localparam integer RW  = RES_W + 4;                                      // a result with flags
  localparam integer CTL = 3;                                              // {last, load, valid}

  // h_ctl/h_a[i][j]: what enters PE(i,j) from the left (j = COLS: leaves the row, unused).
  // v[i][j]: the B value entering PE(i,j) from above (i = ROWS: leaves the column, unused).
  // chain[i][j]: the deepest result of PE(i,j) (i = ROWS: nothing below, zeros).
  wire [ROWS*(COLS+1)*CTL-1:0] h_ctl;
  wire [ROWS*(COLS+1)*A_W-1:0] h_a;
  wire [(ROWS+1)*COLS*B_W-1:0] v;
  wire [(ROWS+1)*COLS*RW-1:0]  chain;
  wire [ROWS*COLS-1:0]         done;

  assign chain[ROWS*COLS*RW +: COLS*RW] = {(COLS*RW){1'b0}};

  genvar i, j;
  generate
    for (i = 0; i < ROWS; i = i + 1) begin : g_row_skew
      mpsa_delay #(
        .WIDTH(CTL),
        .DEPTH(i),
        .RESET(1)
      ) u_skew_ctl (
        .clk_i (clk_i),
        .rst_ni(rst_ni),
        .d_i   ({last_i, load_i, beat_valid_i}),
        .q_o   (h_ctl[(i*(COLS+1))*CTL +: CTL])
      );
      mpsa_delay #(
        .WIDTH(A_W),
        .DEPTH(i),
        .RESET(0)
      ) u_skew_a (
        .clk_i (clk_i),
        .rst_ni(rst_ni),
        .d_i   (a_i[i*A_W +: A_W]),
        .q_o   (h_a[(i*(COLS+1))*A_W +: A_W])
      );
    end
    for (j = 0; j < COLS; j = j + 1) begin : g_col_skew
      mpsa_delay #(
        .WIDTH(B_W),
        .DEPTH(j),
        .RESET(0)
      ) u_skew_b (
        .clk_i (clk_i),
        .rst_ni(rst_ni),
        .d_i   (b_i[j*B_W +: B_W]),
        .q_o   (v[j*B_W +: B_W])
      );
    end

    for (i = 0; i < ROWS; i = i + 1) begin : g_r
      for (j = 0; j < COLS; j = j + 1) begin : g_c
        wire [CTL-1:0] ctl_in = h_ctl[(i*(COLS+1)+j)*CTL +: CTL];
        wire [A_W-1:0] a_in   = h_a[(i*(COLS+1)+j)*A_W +: A_W];
        wire [B_W-1:0] b_in   = v[(i*COLS+j)*B_W +: B_W];
        wire           pe_valid = ctl_in[0];
        wire           pe_load  = ctl_in[1];
        wire           pe_last  = ctl_in[2];
        wire [RES_W-1:0] acc;
        wire [3:0]       acc_flags;
        wire             pe_done;

        // Pass A (with its controls) right and B down: controls reset, values not.
        reg [CTL-1:0] ctl_q;
        reg [A_W-1:0] a_q;
        reg [B_W-1:0] b_q;
        always @(posedge clk_i) begin
          if (!rst_ni) ctl_q <= {CTL{1'b0}};
          else ctl_q <= ctl_in;
          a_q <= a_in;
          b_q <= b_in;
        end
        assign h_ctl[(i*(COLS+1)+j+1)*CTL +: CTL] = ctl_q;
        assign h_a[(i*(COLS+1)+j+1)*A_W +: A_W]   = a_q;
        assign v[((i+1)*COLS+j)*B_W +: B_W]       = b_q;

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
            .MUL_CUTS      (MUL_CUTS),
            .ACC_CUTS      (ACC_CUTS)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .seed_i (seed_i),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .last_i (pe_last),
            .a_i    (a_in),
            .b_i    (b_in),
            .acc_o  (acc),
            .flags_o(acc_flags),
            .done_o (pe_done)
          );
        end else if (PE_KIND == 1) begin : g_int
          int_pe #(
            .A_W  (A_W),
            .B_W  (B_W),
            .ACC_W(RES_W),
            .CUTS (INT_CUTS)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .last_i (pe_last),
            .a_i    (a_in),
            .b_i    (b_in),
            .acc_o  (acc),
            .done_o (pe_done)
          );
          assign acc_flags = 4'b0;
        end else if (PE_KIND == 2) begin : g_packed
          int_packed_pe #(
            .A_W  (A_W),
            .B_W  (B_W / LANES),
            .LANES(LANES),
            .ACC_W(RES_W / LANES),
            .CUTS (INT_CUTS)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .last_i (pe_last),
            .a_i    (a_in),
            .b_i    (b_in),
            .acc_o  (acc),
            .done_o (pe_done)
          );
          assign acc_flags = 4'b0;
        end else if (PE_KIND == 4) begin : g_exact
          exact_pe #(
            .A_EXP         (A_EXP),
            .A_MAN         (A_MAN),
            .A_SPECIALS    (A_SPECIALS),
            .B_EXP         (B_EXP),
            .B_MAN         (B_MAN),
            .B_SPECIALS    (B_SPECIALS),
            .ACC_EXP       (ACC_EXP),
            .ACC_MAN       (ACC_MAN),
            .ACC_SUBNORMALS(ACC_SUBNORMALS),
            .ACC_SPECIALS  (ACC_SPECIALS),
            .ACC_OVERFLOW  (ACC_OVERFLOW),
            .ACC_MODE      (ACC_MODE),
            .ACC_RBITS     (ACC_RBITS),
            .PE_INDEX      (i * COLS + j)
          ) u_pe (
            .clk_i  (clk_i),
            .rst_ni (rst_ni),
            .seed_i (seed_i),
            .valid_i(pe_valid),
            .load_i (pe_load),
            .last_i (pe_last),
            .a_i    (a_in),
            .b_i    (b_in),
            .acc_o  (acc),
            .flags_o(acc_flags),
            .done_o (pe_done)
          );
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
            .a_i    (a_in),
            .b_i    (b_in),
            .acc_o  (acc),
            .flags_o(acc_flags),
            .done_o (pe_done)
          );
        end

        // The result buffer: L entries, newest in the low bits, the deepest one on the chain.
        reg  [L*RW-1:0] rb_q;
        wire [RW-1:0]   from_below = chain[((i+1)*COLS+j)*RW +: RW];
        wire [RW-1:0]   shift_in   = drain_i ? from_below : {acc_flags, acc};
        if (L > 1) begin : g_deep
          always @(posedge clk_i) begin
            if (drain_i | pe_done) rb_q <= {rb_q[(L-1)*RW-1:0], shift_in};
          end
        end else begin : g_one
          always @(posedge clk_i) begin
            if (drain_i | pe_done) rb_q <= shift_in;
          end
        end
        assign chain[(i*COLS+j)*RW +: RW] = rb_q[L*RW-1 -: RW];
        assign done[i*COLS+j]             = pe_done;
      end
    end
  endgenerate

  assign res_o       = chain[0 +: COLS*RW];
  assign last_done_o = done[ROWS*COLS-1];

  // Values that leave the array at the right and bottom edges, the other PEs' done strobes;
  // the seed feeds only the float PEs' generators.
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_edges = ^{h_ctl, h_a, v, done, seed_i};
  /* verilator lint_on UNUSEDSIGNAL */

endmodule

`default_nettype wire
