// Leading-zero count as a tree: cnt_o = number of zeros above the highest set bit of in_i;
// WIDTH when in_i is zero. log2(WIDTH) levels of 2:1 selections instead of a WIDTH-long
// priority chain (a 57-bit chain was 19 LUT levels; this tree is 6).
//
//   level 0: the bits, padded at the bottom to PW = 2^N (padding below the data never changes
//            the count of a non-zero input)
//   level l: node i covers bits [i*2^l, (i+1)*2^l); it holds v (some bit set) and c (the
//            leading zeros inside the node, l bits):
//              v = v_hi | v_lo;   c = v_hi ? {0, c_hi} : {1, c_lo}
//
// Each level is a named generate block; level l reads level l-1's vectors by name.
`default_nettype none

module fp_lzc #(
  parameter integer WIDTH = 24,
  parameter integer CNT_W = $clog2(WIDTH + 1)
) (
  input  wire [WIDTH-1:0] in_i,
  output wire [CNT_W-1:0] cnt_o
);

  localparam integer N  = (WIDTH > 1) ? $clog2(WIDTH) : 1;   // levels
  localparam integer PW = 1 << N;

  genvar l, i;
  generate
    for (l = 0; l <= N; l = l + 1) begin : g_level
      // Level l: PW >> l nodes, a valid bit each and (from level 1) l count bits each.
      wire [(PW >> l)-1:0]           v;
      wire [(PW >> l)*(l > 0 ? l : 1)-1:0] c;
      if (l == 0) begin : g_bits
        if (PW > WIDTH) begin : g_pad
          assign v = {in_i, {(PW - WIDTH){1'b0}}};
        end else begin : g_nopad
          assign v = in_i;
        end
        assign c = {PW{1'b0}};   // a single bit has no count bits; unused
      end else begin : g_nodes
        for (i = 0; i < (PW >> l); i = i + 1) begin : g_node
          wire v_hi = g_level[l-1].v[2*i+1];
          wire v_lo = g_level[l-1].v[2*i];
          assign v[i] = v_hi | v_lo;
          if (l == 1) begin : g_leaf
            assign c[i] = ~v_hi;
          end else begin : g_inner
            wire [l-2:0] c_hi = g_level[l-1].c[(2*i+1)*(l-1) +: (l-1)];
            wire [l-2:0] c_lo = g_level[l-1].c[(2*i)*(l-1) +: (l-1)];
            assign c[i*l +: l] = v_hi ? {1'b0, c_hi} : {1'b1, c_lo};
          end
        end
      end
    end
  endgenerate

  // Level 0's count vector is a placeholder: nothing reads it.
  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_c0 = ^g_level[0].c;
  /* verilator lint_on UNUSEDSIGNAL */

  assign cnt_o = g_level[N].v[0] ? {{(CNT_W - N){1'b0}}, g_level[N].c[N-1:0]} : WIDTH[CNT_W-1:0];

endmodule

`default_nettype wire
