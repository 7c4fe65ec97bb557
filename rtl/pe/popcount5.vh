// popcount5(x): how many of x's five low bits are set — the registers a cut mask (MUL_CUTS,
// ACC_CUTS, OUT_CUTS; rtl/pipeline.ts) puts in. Included inside a module body, so each module
// that needs it has the same function.
function integer popcount5;
  input integer x;
  integer i;
  begin
    popcount5 = 0;
    for (i = 0; i < 5; i = i + 1) popcount5 = popcount5 + ((x >> i) & 1);
  end
endfunction
