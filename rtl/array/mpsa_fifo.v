// A small FIFO whose head is a register: data_o comes straight from flip-flops, so the stream
// it feeds leaves the design registered. Entries move toward the head on a pop; a push goes
// behind the last one. No push is ever refused: the writer counts credits (mpsa_gemm).
`default_nettype none

module mpsa_fifo #(
  parameter integer WIDTH = 8,
  parameter integer DEPTH = 4
) (
  input  wire             clk_i,
  input  wire             rst_ni,
  input  wire             push_i,
  input  wire [WIDTH-1:0] data_i,
  input  wire             pop_i,    // only with valid_o
  output wire             valid_o,
  output wire [WIDTH-1:0] data_o
);

  localparam integer CNT_W = $clog2(DEPTH + 1);

  reg  [CNT_W-1:0]       count_q;
  wire [(DEPTH+1)*WIDTH-1:0] e;   // entry k at [k*WIDTH +: WIDTH]; entry DEPTH: nothing

  wire [CNT_W-1:0] count_pop = pop_i ? count_q - 1'b1 : count_q;   // where a push lands

  assign e[DEPTH*WIDTH +: WIDTH] = {WIDTH{1'b0}};

  genvar k;
  generate
    for (k = 0; k < DEPTH; k = k + 1) begin : g_entry
      localparam [CNT_W-1:0] K_C = k;
      reg [WIDTH-1:0] e_q;
      always @(posedge clk_i) begin
        if (push_i && count_pop == K_C) e_q <= data_i;
        else if (pop_i) e_q <= e[(k+1)*WIDTH +: WIDTH];
      end
      assign e[k*WIDTH +: WIDTH] = e_q;
    end
  endgenerate

  always @(posedge clk_i) begin
    if (!rst_ni) count_q <= {CNT_W{1'b0}};
    else count_q <= count_pop + {{(CNT_W - 1){1'b0}}, push_i};
  end

  assign valid_o = count_q != {CNT_W{1'b0}};
  assign data_o  = e[0 +: WIDTH];

endmodule

`default_nettype wire
