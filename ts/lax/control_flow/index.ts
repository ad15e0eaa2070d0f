// Structured control flow (jax.lax control flow): cond, switch, scan, map, foriLoop,
// whileLoop, associativeScan. The primitives live in their files (cond_p, scan_p, while_p).
export { cond, switch } from "./cond.js";
export { scan, map, type ScanOptions } from "./scan.js";
export { whileLoop } from "./while.js";
export { foriLoop } from "./fori_loop.js";
export { associativeScan } from "./associative_scan.js";
