// A delay line of DEPTH registers (DEPTH = 0: a wire). RESET = 1 clears it on reset, for control
// bits that must be quiet after reset; RESET = 0 (data) has no reset, so a long line maps to
// shift-register LUTs.
`default_nettype none

module mpsa_delay #(
  parameter integer WIDTH = 1,
  parameter integer DEPTH = 1,
  parameter integer RESET = 1
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
    end else begin : g_regs
      reg  [WIDTH*DEPTH-1:0] q;
      wire [WIDTH*DEPTH-1:0] q_d;
      if (DEPTH == 1) begin : g_one
        assign q_d = d_i;
      end else begin : g_more
        assign q_d = {q[WIDTH*(DEPTH-1)-1:0], d_i};
      end
      if (RESET != 0) begin : g_rst
        always @(posedge clk_i) begin
          if (!rst_ni) q <= {WIDTH*DEPTH{1'b0}};
          else q <= q_d;
        end
      end else begin : g_norst
        always @(posedge clk_i) q <= q_d;
        /* verilator lint_off UNUSEDSIGNAL */
        wire unused_rst = rst_ni;
        /* verilator lint_on UNUSEDSIGNAL */
      end
      assign q_o = q[WIDTH*DEPTH-1 -: WIDTH];
    end
  endgenerate

endmodule

`default_nettype wire
