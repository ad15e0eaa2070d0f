// Entry of the CPU kernel module: re-exports every exported kernel.
export { heapBase, relaxedEnabled } from "./memory";
export { gemmScratchBytes, gemmF32, gemmF64, gemmI32 } from "./gemm";
