// One xorshift32 generator (shifts 13, 17, 5) for stochastic rounding (SPEC §4, golden/rng.ts).
// rand_o is R for the rounding happening now: the top RBITS bits of the state after one step.
// On the clock edge where step_i is high the state advances to that value, so each MAC sees a
// fresh R and the sequence of R values equals golden's XorShift32.next(RBITS).
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

  reg  [31:0] state_q;
  wire [31:0] s1 = state_q ^ (state_q << 13);
  wire [31:0] s2 = s1 ^ (s1 >> 17);
  wire [31:0] state_d = s2 ^ (s2 << 5);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= (seed_i == 32'd0) ? 32'h6d2b79f5 : seed_i;
    end else if (step_i) begin
      state_q <= state_d;
    end
  end

  assign rand_o = state_d[31 -: RBITS];

endmodule

`default_nettype wire
