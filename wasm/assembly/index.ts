// Entry of the CPU kernel module: re-exports every exported kernel.
export { heapBase, relaxedEnabled } from "./memory";
export { gemmScratchBytes, gemmF32, gemmF64, gemmI32 } from "./gemm";
export { rtnCopy, rtnFill } from "./routines/copy";
export { rtnSort } from "./routines/sort";
export { rtnCumulative } from "./routines/cumulative";
export { rtnGather, rtnScatter } from "./routines/gather";
export { rtnSearchSorted } from "./routines/search";
export { rtnThreefry2x32 } from "./routines/threefry";
export { im2col32, im2col64, copyStrided32, copyStrided64, dwConv32 } from "./conv";
export { vmRun } from "./vm";
export { mathUnaryF32, mathBinaryF32 } from "./math";
