// Entry of the CPU kernel module: re-exports every exported kernel.
export { heapBase, relaxedEnabled } from "./memory";
