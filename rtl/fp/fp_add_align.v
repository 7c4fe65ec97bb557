// Step 2 of an addition: the small operand moves right by diff inside the window; the bits that
// leave it are ORed with its sticky tail into one sticky bit below the window (fp_add_swap).
`default_nettype none

module fp_add_align #(
  parameter integer L   = 29,
  parameter integer D_W = $clog2(L + 1)
) (
  input  wire [L-1:0]   small_i,
  input  wire           small_st_i,
  input  wire [D_W-1:0] diff_i,
  output wire [L-1:0]   small_o,
  output wire           small_st_o
);

  assign small_o    = small_i >> diff_i;
  assign small_st_o = small_st_i | |(small_i & ~({L{1'b1}} << diff_i));

endmodule

`default_nettype wire
