// Timing arcs that Yosys 0.23's Xilinx cell library (+/xilinx/cells_sim.v) lacks, read over it
// (`read_verilog -lib -specify -overwrite`) before `sta` by synth/flow.ts. MUXF9 exists only in
// UltraScale+ slices; without arcs `sta` would cut every path through it and report a path that
// ends nowhere. It gets MUXF8's arcs from the same library (prjxray artix7 CLBLL_L.sdf max
// delays, ps): the same kind of slice mux one level up.
(* abc9_box, lib_whitebox *)
module MUXF9(output O, input I0, I1, S);
  assign O = S ? I1 : I0;
  specify
    (I0 => O) = 104;
    (I1 => O) = 94;
    (S => O) = 273;
  endspecify
endmodule
