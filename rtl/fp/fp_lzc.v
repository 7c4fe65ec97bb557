// Leading-zero count: cnt_o = number of zeros above the highest set bit of in_i; WIDTH when
// in_i is zero. Used to normalise subnormal operands (fp_unpack) and raw results (fp_round).
`default_nettype none

module fp_lzc #(
  parameter integer WIDTH = 24,
  parameter integer CNT_W = $clog2(WIDTH + 1)
) (
  input  wire [WIDTH-1:0] in_i,
  output reg  [CNT_W-1:0] cnt_o
);

  integer i;

  // A priority scan, LSB to MSB, so the last (highest) set bit wins. Synthesis tools turn this
  // into a mux chain; the widths here (<= 80 bits) make a tree not worth its code.
  always @* begin
    cnt_o = WIDTH[CNT_W-1:0];
    for (i = 0; i < WIDTH; i = i + 1) begin
      if (in_i[i]) cnt_o = WIDTH[CNT_W-1:0] - 1'b1 - i[CNT_W-1:0];
    end
  end

endmodule

`default_nettype wire
