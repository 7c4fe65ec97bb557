// DSP-packed integer PE (docs/rtl.md "Integer PEs"): LANES MACs that share the A operand, done
// with ONE signed multiplier, each lane bit-identical to an int_pe with the same B operand.
//
// The B operands are packed S = A_W + B_W bits apart (S bits hold any product with room for the
// borrow below), and one multiply gives every product at once:
//
//   wide = b0 + b1*2^S + ... + b(L-1)*2^((L-1)S)      ((L-1)*S + B_W + 1 bits, signed)
//   P    = a * wide = p0 + p1*2^S + ... + p(L-1)*2^((L-1)S)   exactly
//
//   P:   | field L-1 (S bits) | ... | field 1 (S bits) | field 0 (S bits) |
//
// Reading field k as a signed S-bit number gives p_k minus the borrow of the lane below: a
// negative p_(k-1) was stored as p_(k-1) + 2^S, taking 1 from field k. So
//
//   p_0 = sext(field 0),   p_k = sext(field k) + P[k*S - 1]   (the sign bit of field k-1)
//
// which is exact because |p_k| + 1 < 2^(S-1). wide needs one bit above the top lane: -128*2^16
// plus a negative b0 is below -2^23. For int8 x int8 with two lanes wide is 25 bits and the
// product 8 x 25: one DSP48E1 (25 x 18) does two MACs; int4 fits three lanes (21 bits).
//
// CUTS bit 0 registers a and the packed operand, bit 1 the product (the DSP's input and output
// registers); last_i / done_o and the latency as int_pe.
`default_nettype none

module int_packed_pe #(
  parameter integer A_W   = 8,
  parameter integer B_W   = 8,
  parameter integer LANES = 2,
  parameter integer ACC_W = 32,
  parameter integer CUTS  = 3
) (
  input  wire                   clk_i,
  input  wire                   rst_ni,
  input  wire                   valid_i,
  input  wire                   load_i,
  input  wire                   last_i,
  input  wire [A_W-1:0]         a_i,
  input  wire [LANES*B_W-1:0]   b_i,     // lane 0 in the low bits
  output wire [LANES*ACC_W-1:0] acc_o,
  output wire                   done_o
);

  localparam integer S      = A_W + B_W;
  localparam integer WIDE_W = (LANES - 1) * S + B_W + 1;   // + 1: the lower lanes' carry
  localparam integer P_W    = A_W + WIDE_W;

  // --- the packed operand: sign-extended lanes added at their offsets --------------------------
  reg [WIDE_W-1:0] lane;
  reg [WIDE_W-1:0] wide_u;
  integer k;
  always @* begin
    wide_u = {WIDE_W{1'b0}};
    for (k = 0; k < LANES; k = k + 1) begin
      lane   = {{(WIDE_W - B_W){b_i[k*B_W+B_W-1]}}, b_i[k*B_W +: B_W]};
      wide_u = wide_u + (lane << (k * S));
    end
  end

  wire [2:0]        ctl_m, ctl_a;
  wire [A_W-1:0]    a_m;
  wire [WIDE_W-1:0] wide_m;
  pipe_reg #(.WIDTH(3),            .EN(CUTS & 1), .RESET(1)) u_cut0_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i({last_i, load_i, valid_i}), .q_o(ctl_m));
  pipe_reg #(.WIDTH(A_W + WIDE_W), .EN(CUTS & 1), .RESET(0)) u_cut0 (.clk_i(clk_i), .rst_ni(rst_ni), .d_i({a_i, wide_u}), .q_o({a_m, wide_m}));

  // --- one multiply --------------------------------------------------------------------------
  wire signed [P_W-1:0] prod_m = $signed(a_m) * $signed(wide_m);
  wire [P_W-1:0]        prod;
  pipe_reg #(.WIDTH(3),   .EN((CUTS >> 1) & 1), .RESET(1)) u_cut1_ctl (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(ctl_m), .q_o(ctl_a));
  pipe_reg #(.WIDTH(P_W), .EN((CUTS >> 1) & 1), .RESET(0)) u_cut1 (.clk_i(clk_i), .rst_ni(rst_ni), .d_i(prod_m), .q_o(prod));

  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      wire signed [S:0] p;
      if (l == 0) begin : g_low
        assign p = {prod[S-1], prod[S-1:0]};
      end else begin : g_up
        // field l plus the borrow taken by a negative lane below.
        assign p = {prod[l*S+S-1], prod[l*S +: S]} + {{S{1'b0}}, prod[l*S-1]};
      end
      wire signed [ACC_W-1:0] p_x;
      if (ACC_W > S + 1) begin : g_sext
        assign p_x = {{(ACC_W - S - 1){p[S]}}, p};
      end else begin : g_trunc
        /* verilator lint_off UNUSEDSIGNAL */
        wire [S:0] p_all = p;
        /* verilator lint_on UNUSEDSIGNAL */
        assign p_x = p_all[ACC_W-1:0];
      end
      reg signed [ACC_W-1:0] acc_q;   // data: no reset, every output starts with load
      always @(posedge clk_i) begin
        if (ctl_a[0]) acc_q <= (ctl_a[1] ? {ACC_W{1'b0}} : acc_q) + p_x;
      end
      assign acc_o[l*ACC_W +: ACC_W] = acc_q;
    end
  endgenerate

  reg done_q;
  always @(posedge clk_i) begin
    if (!rst_ni) done_q <= 1'b0;
    else done_q <= ctl_a[0] & ctl_a[2];
  end
  assign done_o = done_q;

endmodule

`default_nettype wire
