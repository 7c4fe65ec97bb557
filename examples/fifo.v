// fifo: a synchronous FIFO, Depth entries of Width bits, with ready/valid on
// both sides. in_ready_o is low when full; out_valid_o is high when not empty;
// a beat moves on a rising edge where valid and ready are both high.
`default_nettype none

module fifo #(
  parameter integer Width     = 8,
  parameter integer Depth     = 4,
  parameter integer AddrWidth = 2
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire [Width-1:0] in_data_i,
  input  wire             in_valid_i,
  output wire             in_ready_o,
  output wire [Width-1:0] out_data_o,
  output wire             out_valid_o,
  input  wire             out_ready_i
);

  reg [Width-1:0]   mem_q [0:Depth-1];
  reg [AddrWidth:0] count_q;
  reg [AddrWidth-1:0] rd_q;
  reg [AddrWidth-1:0] wr_q;

  wire push = in_valid_i && in_ready_o;
  wire pop  = out_valid_o && out_ready_i;

  assign in_ready_o  = count_q != Depth[AddrWidth:0];
  assign out_valid_o = count_q != {(AddrWidth + 1){1'b0}};
  assign out_data_o  = mem_q[rd_q];

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      count_q <= {(AddrWidth + 1){1'b0}};
      rd_q    <= {AddrWidth{1'b0}};
      wr_q    <= {AddrWidth{1'b0}};
    end else begin
      if (push) begin
        mem_q[wr_q] <= in_data_i;
        wr_q        <= wr_q + 1'b1;
      end
      if (pop) begin
        rd_q <= rd_q + 1'b1;
      end
      count_q <= count_q + {{AddrWidth{1'b0}}, push} - {{AddrWidth{1'b0}}, pop};
    end
  end

endmodule

`default_nettype wire
