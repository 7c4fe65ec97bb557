// One xorshift32 generator (shifts 13, 17, 5) for stochastic rounding (SPEC §4, golden/rng.ts).
// rand_o is R for the rounding happening now: the top RBITS bits of the state after one step.
// The register holds that stepped state already, so R comes straight from flip-flops (no XOR
// levels in front of the rounder); on the clock edge where step_i is high it steps again, so
// each MAC sees a fresh R and the sequence of R values equals golden's XorShift32.next(RBITS).
//
// Reset is synchronous because its value is a port (the run's seed), not a constant. A zero
// seed would stick at zero and is replaced by 0x6D2B79F5 (golden ZERO_STATE_REPLACEMENT).
`default_nettype none

module xorshift32 #(
  parameter integer RBITS = 32
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire [31:0]      seed_i,
  input  wire             step_i,
  output wire [RBITS-1:0] rand_o
);

  function [31:0] xs;
    input [31:0] x;
    reg   [31:0] s1;
    reg   [31:0] s2;
    begin
      s1 = x ^ (x << 13);
      s2 = s1 ^ (s1 >> 17);
      xs = s2 ^ (s2 << 5);
    end
  endfunction

  reg [31:0] next_q;   // the state after the next step

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      next_q <= xs((seed_i == 32'd0) ? 32'h6d2b79f5 : seed_i);
    end else if (step_i) begin
      next_q <= xs(next_q);
    end
  end

  assign rand_o = next_q[31 -: RBITS];

endmodule

`default_nettype wire
