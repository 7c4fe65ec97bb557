// dff: an 8-bit D flip-flop with an active-low synchronous reset.
`default_nettype none

module dff (
  input  wire       clk_i,
  input  wire       rst_ni,
  input  wire [7:0] d_i,
  output reg  [7:0] q_o
);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      q_o <= 8'd0;
    end else begin
      q_o <= d_i;
    end
  end

endmodule

`default_nettype wire
