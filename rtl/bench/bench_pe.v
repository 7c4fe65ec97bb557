// bench_pe: one processing element of the reference output-stationary array
// (rtl/bench/bench_os_array.v). Signed int8 x int8 products accumulate into a
// 32-bit signed register; the operands move one PE right (a) and down (b) per
// enabled cycle. The multiply-accumulate sits inside the clocked block, so the
// model evaluates it once per rising edge and not on every input change.
// Benchmark fixture for the harness, not a product design.
`default_nettype none

module bench_pe #(
  parameter integer DataWidth = 8,
  parameter integer AccWidth  = 32
) (
  input  wire                        clk_i,
  input  wire                        rst_ni,
  input  wire                        clear_i,
  input  wire                        en_i,
  input  wire [DataWidth-1:0]        a_i,
  input  wire [DataWidth-1:0]        b_i,
  output wire [DataWidth-1:0]        a_o,
  output wire [DataWidth-1:0]        b_o,
  output wire [AccWidth-1:0]         acc_o
);

  reg        [DataWidth-1:0] a_q;
  reg        [DataWidth-1:0] b_q;
  // Signed, so a_i and b_i are sign-extended to AccWidth before the multiply.
  reg signed [AccWidth-1:0]  acc_q;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a_q   <= {DataWidth{1'b0}};
      b_q   <= {DataWidth{1'b0}};
      acc_q <= {AccWidth{1'b0}};
    end else begin
      if (clear_i) begin
        acc_q <= {AccWidth{1'b0}};
      end else if (en_i) begin
        acc_q <= acc_q + $signed(a_i) * $signed(b_i);
      end
      if (en_i) begin
        a_q <= a_i;
        b_q <= b_i;
      end
    end
  end

  assign a_o   = a_q;
  assign b_o   = b_q;
  assign acc_o = acc_q;

endmodule

`default_nettype wire
