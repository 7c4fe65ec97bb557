// Integer MAC PE (docs/rtl.md "Integer PEs"): signed A_W-bit times signed B_W-bit operands into
// an exact ACC_W-bit two's-complement accumulator, one MAC per clock edge with valid_i high.
//
//   acc <- (load_i ? 0 : acc) + a * b          (golden docs/arithmetic.md §7.4: an integer
//                                               tensor is one block, its dot product one exact sum)
//
// The product is exact (A_W + B_W bits). The sum is exact while it fits ACC_W bits; the array's
// configurations pick ACC_W >= A_W + B_W + K_W so that no K < 2^K_W can leave the range
// (rtl/config.ts checks it). Past that the accumulator wraps modulo 2^ACC_W: the two's-complement
// adder's own behaviour, stated rather than hidden. There are no flags: nothing is ever rounded.
`default_nettype none

module int_pe #(
  parameter integer A_W   = 8,
  parameter integer B_W   = 8,
  parameter integer ACC_W = 32
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             valid_i,
  input  wire             load_i,   // this MAC starts a new output from 0
  input  wire [A_W-1:0]   a_i,
  input  wire [B_W-1:0]   b_i,
  output wire [ACC_W-1:0] acc_o
);

  localparam integer P_W = A_W + B_W;

  wire signed [P_W-1:0]   prod = $signed(a_i) * $signed(b_i);
  wire signed [ACC_W-1:0] prod_x;
  wire signed [ACC_W-1:0] base;
  reg  signed [ACC_W-1:0] acc_q;

  generate
    if (ACC_W > P_W) begin : g_sext
      assign prod_x = {{(ACC_W - P_W){prod[P_W-1]}}, prod};
    end else begin : g_trunc
      // An accumulator no wider than the product wraps: keep the low bits.
      /* verilator lint_off UNUSEDSIGNAL */
      wire [P_W-1:0] prod_all = prod;
      /* verilator lint_on UNUSEDSIGNAL */
      assign prod_x = prod_all[ACC_W-1:0];
    end
  endgenerate

  assign base = load_i ? {ACC_W{1'b0}} : acc_q;

  always @(posedge clk_i) begin
    if (!rst_ni) acc_q <= {ACC_W{1'b0}};
    else if (valid_i) acc_q <= base + prod_x;
    else if (load_i) acc_q <= {ACC_W{1'b0}};
  end

  assign acc_o = acc_q;

endmodule

`default_nettype wire
