// A delay line of DEPTH registers (DEPTH = 0: a wire). Resets to zero, so control bits
// travelling through it are quiet after reset.
`default_nettype none

module mpsa_delay #(
  parameter integer WIDTH = 1,
  parameter integer DEPTH = 1
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire [WIDTH-1:0] d_i,
  output wire [WIDTH-1:0] q_o
);

  generate
    if (DEPTH == 0) begin : g_wire
      assign q_o = d_i;
      // No register: the clock and reset have nothing to drive.
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_clk_rst = clk_i ^ rst_ni;
      /* verilator lint_on UNUSEDSIGNAL */
    end else if (DEPTH == 1) begin : g_reg
      reg [WIDTH-1:0] q;
      always @(posedge clk_i) begin
        if (!rst_ni) q <= {WIDTH{1'b0}};
        else q <= d_i;
      end
      assign q_o = q;
    end else begin : g_regs
      reg [WIDTH*DEPTH-1:0] q;
      always @(posedge clk_i) begin
        if (!rst_ni) q <= {WIDTH*DEPTH{1'b0}};
        else q <= {q[WIDTH*(DEPTH-1)-1:0], d_i};
      end
      assign q_o = q[WIDTH*DEPTH-1 -: WIDTH];
    end
  endgenerate

endmodule
