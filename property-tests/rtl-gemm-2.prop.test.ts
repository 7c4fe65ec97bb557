// RTL arrays of configs/ against the golden GEMM, half of the configurations (the other half
// is in the sibling file, so the two vitest workers build and run them in parallel).
import { rtlGemmSuite } from './support/rtl-gemm.ts';

rtlGemmSuite(1, 2);
