// Host side of the GEMM kernels (wasm/assembly/gemm.ts): batched, strided matrix products
// on the CPU heap.
import type { WasmInstance } from "./instance.js";

export type GemmDtype = "float32" | "float64" | "int32";

/** A strided matrix view: `ptr` is a byte address, strides are in elements (0 = broadcast). */
export interface GemmOperand {
  ptr: number;
  batchStride: number;
  rowStride: number;
  colStride: number;
}

/** The output: row-major with a given row stride (columns contiguous). */
export interface GemmOutput {
  ptr: number;
  batchStride: number;
  rowStride: number;
}

export interface MatmulArgs {
  dtype: GemmDtype;
  batch: number;
  m: number;
  n: number;
  k: number;
  a: GemmOperand;
  b: GemmOperand;
  c: GemmOutput;
  /** C += A·B instead of C = A·B (default false). */
  accumulate?: boolean;
}

const scratchByInstance = new WeakMap<WasmInstance, number>();

/** The instance's GEMM packing scratch (allocated from its heap once, then kept). */
export function gemmScratch(inst: WasmInstance): number {
  let p = scratchByInstance.get(inst);
  if (p === undefined) {
    p = inst.heap.alloc(inst.exports.gemmScratchBytes() as number);
    scratchByInstance.set(inst, p);
  }
  return p;
}

const ENTRY: Record<GemmDtype, string> = { float32: "gemmF32", float64: "gemmF64", int32: "gemmI32" };

function checkInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new RangeError(`edgejax: matmul: ${name} must be a 32-bit integer, got ${v}`);
  }
}

/**
 * C_b = A_b·B_b (or C_b += A_b·B_b) for b < batch, where A_b is m × k, B_b is k × n and C_b is
 * m × n. Element (i, j) of operand X in batch b lives at byte
 * X.ptr + size·(b·X.batchStride + i·X.rowStride + j·X.colStride) (colStride 1 for C).
 */
export function matmul(inst: WasmInstance, args: MatmulArgs): void {
  const { dtype, batch, m, n, k, a, b, c } = args;
  const fn = inst.exports[ENTRY[dtype]] as (...x: number[]) => void;
  if (!fn) throw new Error(`edgejax: matmul: unsupported dtype ${dtype}`);
  for (const [name, v] of [["batch", batch], ["m", m], ["n", n], ["k", k]] as const) {
    checkInt(name, v);
    if (v < 0) throw new RangeError(`edgejax: matmul: ${name} must be ≥ 0, got ${v}`);
  }
  for (const [name, v] of [
    ["a.batchStride", a.batchStride], ["a.rowStride", a.rowStride], ["a.colStride", a.colStride],
    ["b.batchStride", b.batchStride], ["b.rowStride", b.rowStride], ["b.colStride", b.colStride],
    ["c.batchStride", c.batchStride], ["c.rowStride", c.rowStride],
  ] as const) checkInt(name, v);
  if (batch === 0 || m === 0 || n === 0) return;
  const scratch = gemmScratch(inst);
  fn(
    batch, m, n, k,
    a.ptr, a.batchStride, a.rowStride, a.colStride,
    b.ptr, b.batchStride, b.rowStride, b.colStride,
    c.ptr, c.batchStride, c.rowStride,
    args.accumulate ? 1 : 0, scratch,
  );
}
