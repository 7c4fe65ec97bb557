// RTL arrays of the integer and block configurations in configs/ against golden. The quick
// profile runs the DSP-packed int8 and the MXFP8 arrays (the packing correction and the block
// path through mpsa_gemm); the nightly profile every integer and block configuration.
import { loadBlockConfigs } from '../rtl/config.ts';
import { profile, runs } from './support/seed.ts';
import { rtlGemmBlockSuite } from './support/rtl-gemm-block.ts';

const QUICK = ['int8x2-4x4', 'mxfp8-4x4-fp32'];
const all = loadBlockConfigs();
rtlGemmBlockSuite(profile() === 'nightly' ? all : all.filter((c) => QUICK.includes(c.name)), runs(3, 30));
