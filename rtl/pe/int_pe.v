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
//
// CUTS bit 0 registers the operands and bit 1 the product: the multiplier's input and output
// registers, which a DSP block (DSP48, SB_MAC16) takes inside, so no path through it is
// unregistered. The accumulator is one cycle (an integer adder). done_o marks, one cycle after
// the MAC with last_i reached the accumulator, that acc_o holds that output. Latency: the result
// of a MAC presented at edge e is in acc_o after edge e + popcount(CUTS).
`default_nettype none

module int_pe #(
  parameter integer A_W   = 8,
  parameter integer B_W   = 8,
  parameter integer ACC_W = 32,
  parameter integer CUTS  = 3
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             valid_i,
  input  wire             load_i,   // with valid_i: this MAC starts a new output from 0
  input  wire             last_i,   // with valid_i: this MAC ends its output
  input  wire [A_W-1:0]   a_i,
  input  wire [B_W-1:0]   b_i,
  output wire [ACC_W-1:0] acc_o,
  output wire             done_o
);

  localparam integer P_W = A_W + B_W;

  wire [2:0]     ctl_m, ctl_a;
  wire [A_W-1:0] a_m;
  wire [B_W-1:0] b_m;
  pipe_reg #(.WIDTH(3),         .EN(CUTS & 1), .RESET(1)) u_cut0_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i({last_i, load_i, valid_i}), .q_o(ctl_m));
  pipe_reg #(.WIDTH(A_W + B_W), .EN(CUTS & 1), .RESET(0)) u_cut0 (.clk_i(clk_i), .rst_ni(rst_ni), .d_i({a_i, b_i}), .q_o({a_m, b_m}));

  wire signed [P_W-1:0] prod_m = $signed(a_m) * $signed(b_m);
  wire signed [P_W-1:0] prod;
  pipe_reg #(.WIDTH(3),   .EN((CUTS >> 1) & 1), .RESET(1)) u_cut1_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_m), .q_o(ctl_a));
  pipe_reg #(.WIDTH(P_W), .EN((CUTS >> 1) & 1), .RESET(0)) u_cut1 (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(prod_m), .q_o(prod));
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

  assign base = ctl_a[1] ? {ACC_W{1'b0}} : acc_q;

  // The accumulator is data: no reset, every output starts with load.
  always @(posedge clk_i) begin
    if (ctl_a[0]) acc_q <= base + prod_x;
  end

  reg done_q;
  always @(posedge clk_i) begin
    if (!rst_ni) done_q <= 1'b0;
    else done_q <= ctl_a[0] & ctl_a[2];
  end

  assign acc_o  = acc_q;
  assign done_o = done_q;

endmodule

`default_nettype wire
