// A pipeline cut that may or may not be there: EN = 1 registers d_i, EN = 0 is a wire. Datapath
// cuts have no reset (RESET = 0: they map to plain flip-flops and shift-register LUTs); control
// bits that must be quiet after reset (valid, last) use RESET = 1, a synchronous clear.
`default_nettype none

module pipe_reg #(
  parameter integer WIDTH = 1,
  parameter integer EN    = 1,
  parameter integer RESET = 0
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire [WIDTH-1:0] d_i,
  output wire [WIDTH-1:0] q_o
);

  generate
    if (EN == 0) begin : g_wire
      assign q_o = d_i;
      // No register: the clock and reset have nothing to drive.
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_clk_rst = clk_i ^ rst_ni;
      /* verilator lint_on UNUSEDSIGNAL */
    end else if (RESET != 0) begin : g_ctrl
      reg [WIDTH-1:0] q;
      always @(posedge clk_i) begin
        if (!rst_ni) q <= {WIDTH{1'b0}};
        else q <= d_i;
      end
      assign q_o = q;
    end else begin : g_data
      reg [WIDTH-1:0] q;
      always @(posedge clk_i) q <= d_i;
      assign q_o = q;
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_rst = rst_ni;
      /* verilator lint_on UNUSEDSIGNAL */
    end
  endgenerate

endmodule

`default_nettype wire
