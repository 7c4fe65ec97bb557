// bench_os_array: reference Rows x Cols int8 output-stationary systolic array
// for the harness benchmark (npm run bench:harness). Row r of A enters at the
// left edge on a_i[r*8 +: 8], column c of B at the top edge on b_i[c*8 +: 8];
// the driver skews them (row r, column c delayed by r, c cycles). PE (r, c)
// accumulates sum_k A[r][k] * B[k][c]; the accumulators are read out flat on
// acc_o[(r*Cols + c)*32 +: 32]; the operands leaving the right and bottom
// edges appear on a_o and b_o. clear_i zeroes the accumulators, en_i advances
// the operand pipeline and accumulates.
`default_nettype none

module bench_os_array #(
  parameter integer Rows      = 8,
  parameter integer Cols      = 8,
  parameter integer DataWidth = 8,
  parameter integer AccWidth  = 32
) (
  input  wire                               clk_i,
  input  wire                               rst_ni,
  input  wire                               clear_i,
  input  wire                               en_i,
  input  wire [Rows*DataWidth-1:0]          a_i,
  input  wire [Cols*DataWidth-1:0]          b_i,
  output wire [Rows*DataWidth-1:0]          a_o,
  output wire [Cols*DataWidth-1:0]          b_o,
  output wire [Rows*Cols*AccWidth-1:0]      acc_o
);

  // Operand buses: a_bus[r][c] enters PE (r, c) from the left, b_bus[r][c]
  // from the top. Column Cols of a_bus and row Rows of b_bus leave the array.
  wire [(Rows*(Cols+1)*DataWidth)-1:0] a_bus;
  wire [((Rows+1)*Cols*DataWidth)-1:0] b_bus;

  genvar r;
  genvar c;
  generate
    for (r = 0; r < Rows; r = r + 1) begin : g_left
      assign a_bus[(r*(Cols+1))*DataWidth +: DataWidth] = a_i[r*DataWidth +: DataWidth];
    end
    for (c = 0; c < Cols; c = c + 1) begin : g_top
      assign b_bus[c*DataWidth +: DataWidth] = b_i[c*DataWidth +: DataWidth];
    end
    for (r = 0; r < Rows; r = r + 1) begin : g_right
      assign a_o[r*DataWidth +: DataWidth] = a_bus[(r*(Cols+1)+Cols)*DataWidth +: DataWidth];
    end
    for (c = 0; c < Cols; c = c + 1) begin : g_bottom
      assign b_o[c*DataWidth +: DataWidth] = b_bus[(Rows*Cols+c)*DataWidth +: DataWidth];
    end
    for (r = 0; r < Rows; r = r + 1) begin : g_row
      for (c = 0; c < Cols; c = c + 1) begin : g_col
        bench_pe #(
          .DataWidth(DataWidth),
          .AccWidth (AccWidth)
        ) u_pe (
          .clk_i  (clk_i),
          .rst_ni (rst_ni),
          .clear_i(clear_i),
          .en_i   (en_i),
          .a_i    (a_bus[(r*(Cols+1)+c)*DataWidth +: DataWidth]),
          .b_i    (b_bus[(r*Cols+c)*DataWidth +: DataWidth]),
          .a_o    (a_bus[(r*(Cols+1)+c+1)*DataWidth +: DataWidth]),
          .b_o    (b_bus[((r+1)*Cols+c)*DataWidth +: DataWidth]),
          .acc_o  (acc_o[(r*Cols+c)*AccWidth +: AccWidth])
        );
      end
    end
  endgenerate

endmodule

`default_nettype wire
