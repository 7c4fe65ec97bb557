// fmix32: the MurmurHash3 32-bit finaliser (SPEC §4, golden/rng.ts fmix32), as a constant
// function: include it inside a module body and call it in localparam expressions, so the
// per-PE stream keys are constants at elaboration and cost no logic.
function [31:0] fmix32;
  input [31:0] h_i;
  reg   [31:0] h;
  begin
    h = h_i;
    h = h ^ (h >> 16);
    h = h * 32'h85ebca6b;   // the low 32 bits of the product, as Math.imul
    h = h ^ (h >> 13);
    h = h * 32'hc2b2ae35;
    h = h ^ (h >> 16);
    fmix32 = h;
  end
endfunction
