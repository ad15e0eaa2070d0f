// Host side of the CPU routines (wasm/assembly/routines/): strided copy and fill, stable
// multi-operand sort, cumulative ops, searchsorted; gather and scatter live in
// ./routines_gather.ts and are re-exported here.
//
// Conventions: pointers are byte addresses in the instance's memory (from inst.heap.alloc);
// strides and offsets are in elements; dtypes are ts/runtime/kernel.ts's strings. Every
// routine is synchronous and leaves its inputs untouched unless a destination aliases them.
import type { DType } from "../ts/runtime/kernel.js";
import type { WasmInstance } from "./instance.js";
import {
  checkInt32,
  checkPtr,
  checkShape,
  dtypeCode,
  esizeOf,
  normAxis,
  simplifyCopy,
  writeParams,
  writeScalar,
} from "./routines_common.js";

export { gather, gatherShape, scatter, defaultFillValue } from "./routines_gather.js";
export type {
  GatherArgs,
  GatherDimensionNumbers,
  ScatterArgs,
  ScatterDimensionNumbers,
  ScatterOp,
} from "./routines_gather.js";
export { toFloat16Bits, fromFloat16Bits, DTYPE_CODE } from "./routines_common.js";

/** A strided view: byte address of the buffer, element strides, element offset. */
export interface StridedView {
  ptr: number;
  strides: readonly number[];
  offset?: number;
}

// ---- copy / fill -----------------------------------------------------------------------

/**
 * dst[i] = src[i] for every index i of `shape`, where element i of a view lives at byte
 * ptr + size·(offset + Σ i_k·strides_k). Source strides may be 0 (broadcast) or negative
 * (reversal); destination strides may be negative too. The regions must not overlap
 * unless they are identical. Builds pad, concatenate, dynamic_update_slice, rev and the
 * materialization of views.
 */
export function copyStrided(
  inst: WasmInstance,
  dtype: DType,
  shape: readonly number[],
  src: StridedView,
  dst: StridedView,
): void {
  const fn = "copyStrided";
  dtypeCode(fn, dtype);
  checkShape(fn, "shape", shape);
  const nd = shape.length;
  if (src.strides.length !== nd || dst.strides.length !== nd) {
    throw new RangeError(
      `edgejax: ${fn}: strides [${src.strides.join(", ")}] / [${dst.strides.join(", ")}] ` +
        `do not match the rank of shape [${shape.join(", ")}]`,
    );
  }
  for (let i = 0; i < nd; i++) {
    checkInt32(fn, "src.strides", src.strides[i]);
    checkInt32(fn, "dst.strides", dst.strides[i]);
  }
  checkPtr(fn, "src.ptr", src.ptr);
  checkPtr(fn, "dst.ptr", dst.ptr);
  const s = simplifyCopy(shape, src.strides, dst.strides);
  if (!s) return;
  const es = esizeOf(dtype);
  const srcBase = src.ptr + (src.offset ?? 0) * es;
  const dstBase = dst.ptr + (dst.offset ?? 0) * es;
  const [params] = writeParams(inst, [...s.shape, ...s.ss, ...s.ds]);
  inst.exports.rtnCopy(es, s.shape.length, params, srcBase >>> 0, dstBase >>> 0);
}

/** Writes `value` (converted to dtype as a cast would) into `count` contiguous elements at ptr. */
export function fill(inst: WasmInstance, dtype: DType, ptr: number, count: number, value: number | boolean | bigint): void {
  const fn = "fill";
  dtypeCode(fn, dtype);
  checkPtr(fn, "ptr", ptr);
  checkInt32(fn, "count", count);
  if (count <= 0) return;
  const [, scalar] = writeParams(inst, [], 16);
  writeScalar(inst, dtype, scalar, value);
  inst.exports.rtnFill(esizeOf(dtype), ptr, count, scalar);
}

// ---- sort ------------------------------------------------------------------------------

export interface SortOperand {
  dtype: DType;
  /** Byte address of the contiguous input. */
  src: number;
  /** Byte address of the contiguous output (may equal src: sorted in place). */
  dst: number;
}

export interface SortArgs {
  /** Shape of every operand; the last axis is sorted, the others are independent rows. */
  shape: readonly number[];
  /** The first numKeys operands are the keys, compared lexicographically (default 1). */
  numKeys?: number;
  operands: readonly SortOperand[];
  /** Optional int32 output of the shape: the permutation (argsort) of each row. */
  perm?: number;
}

/**
 * lax.sort: stable ascending sort along the last axis; every operand is permuted alike.
 * Order of a key: JAX's comparator — floats with -0.0 equal to 0.0 and every NaN after
 * +inf (NaNs equal to each other, so they keep their order); ints by value; false < true.
 * Ties on all keys keep their input order. argsort = carry an int32 iota (or ask for `perm`);
 * lexsort = several keys.
 */
export function sort(inst: WasmInstance, args: SortArgs): void {
  const fn = "sort";
  const { shape, operands } = args;
  const numKeys = args.numKeys ?? 1;
  const size = checkShape(fn, "shape", shape);
  if (shape.length === 0) throw new RangeError(`edgejax: ${fn}: cannot sort a scalar (shape [])`);
  if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > operands.length) {
    throw new RangeError(`edgejax: ${fn}: numKeys ${numKeys} must be between 1 and the number of operands (${operands.length})`);
  }
  const n = shape[shape.length - 1];
  const rows = n === 0 ? 0 : size / n;
  const words: number[] = [];
  for (const op of operands) {
    checkPtr(fn, "operand src", op.src);
    checkPtr(fn, "operand dst", op.dst);
    words.push(dtypeCode(fn, op.dtype), op.src, op.dst);
  }
  if (args.perm !== undefined) checkPtr(fn, "perm", args.perm);
  if (size === 0) return;
  if (n === 1) {
    // nothing moves
    for (const op of operands) {
      if (op.src !== op.dst) copyStrided(inst, op.dtype, [rows], { ptr: op.src, strides: [1] }, { ptr: op.dst, strides: [1] });
    }
    if (args.perm !== undefined) fill(inst, "int32", args.perm, rows, 0);
    return;
  }
  const scratchBytes = 24 * n + 32768;
  const scratch = inst.heap.alloc(scratchBytes);
  try {
    const [params] = writeParams(inst, words);
    inst.exports.rtnSort(rows, n, operands.length, numKeys, params, scratch, args.perm ?? 0);
  } finally {
    inst.heap.free(scratch);
  }
}

// ---- cumulative ------------------------------------------------------------------------

export type CumulativeOp = "sum" | "prod" | "max" | "min";
const CUM_OP: Record<CumulativeOp, number> = { sum: 0, prod: 1, max: 2, min: 3 };

export interface CumulativeArgs {
  op: CumulativeOp;
  dtype: DType;
  /** Shape of the contiguous input and output. */
  shape: readonly number[];
  axis: number;
  reverse?: boolean;
  src: number;
  /** May equal src. */
  dst: number;
}

/**
 * lax.cumsum / cumprod / cummax / cummin along `axis`: each step one operation in the
 * dtype (integers wrap; float16 rounds each step), in order from the start (from the end
 * with reverse). max/min propagate NaN. For bool, sum is logical or and prod logical and.
 */
export function cumulative(inst: WasmInstance, args: CumulativeArgs): void {
  const fn = "cumulative";
  const code = dtypeCode(fn, args.dtype);
  const op = CUM_OP[args.op];
  if (op === undefined) throw new TypeError(`edgejax: ${fn}: unknown op ${String(args.op)} (sum, prod, max, min)`);
  const size = checkShape(fn, "shape", args.shape);
  if (args.shape.length === 0) {
    if (args.src !== args.dst) copyStrided(inst, args.dtype, [], { ptr: args.src, strides: [] }, { ptr: args.dst, strides: [] });
    return;
  }
  const axis = normAxis(fn, args.axis, args.shape.length);
  checkPtr(fn, "src", args.src);
  checkPtr(fn, "dst", args.dst);
  if (size === 0) return;
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= args.shape[i];
  for (let i = axis + 1; i < args.shape.length; i++) inner *= args.shape[i];
  inst.exports.rtnCumulative(op, code, outer, args.shape[axis], inner, args.reverse ? 1 : 0, args.src, args.dst);
}

// ---- searchsorted ----------------------------------------------------------------------

export interface SearchSortedArgs {
  dtype: DType;
  /** A contiguous sorted run (in the sort's order). */
  sorted: { ptr: number; n: number };
  queries: { ptr: number; count: number };
  /** left: index of the first element >= query; right: first element > query. */
  side?: "left" | "right";
  /** int32 output, one per query. */
  out: number;
}

/** jnp.searchsorted with JAX's sort order (-0.0 == 0.0, NaN after +inf). */
export function searchsorted(inst: WasmInstance, args: SearchSortedArgs): void {
  const fn = "searchsorted";
  const code = dtypeCode(fn, args.dtype);
  const side = args.side ?? "left";
  if (side !== "left" && side !== "right") throw new TypeError(`edgejax: ${fn}: side must be "left" or "right", got ${String(side)}`);
  checkInt32(fn, "sorted.n", args.sorted.n);
  checkInt32(fn, "queries.count", args.queries.count);
  checkPtr(fn, "sorted.ptr", args.sorted.ptr);
  checkPtr(fn, "queries.ptr", args.queries.ptr);
  checkPtr(fn, "out", args.out);
  if (args.queries.count <= 0) return;
  inst.exports.rtnSearchSorted(code, args.sorted.ptr, Math.max(0, args.sorted.n), args.queries.ptr, args.queries.count, side === "right" ? 1 : 0, args.out);
}

// ---- threefry2x32 ------------------------------------------------------------------------

/** One uint32 operand of threefry2x32: n values from ptr (stride 1) or one value (stride 0). */
export interface U32Operand {
  ptr: number;
  stride: 0 | 1;
}

export interface Threefry2x32Args {
  n: number;
  k0: U32Operand;
  k1: U32Operand;
  x0: U32Operand;
  x1: U32Operand;
  y0: number;
  y1: number;
}

/** The Threefry-2x32 block function (20 rounds) on n (key, counter) pairs. */
export function threefry2x32(inst: WasmInstance, args: Threefry2x32Args): void {
  const fn = "threefry2x32";
  checkInt32(fn, "n", args.n);
  const ops = [["k0", args.k0], ["k1", args.k1], ["x0", args.x0], ["x1", args.x1]] as const;
  for (const [name, op] of ops) {
    checkPtr(fn, `${name}.ptr`, op.ptr);
    if (op.stride !== 0 && op.stride !== 1) throw new RangeError(`edgejax: ${fn}: ${name}.stride must be 0 or 1, got ${op.stride}`);
  }
  checkPtr(fn, "y0", args.y0);
  checkPtr(fn, "y1", args.y1);
  if (args.n <= 0) return;
  inst.exports.rtnThreefry2x32(
    args.n, args.k0.ptr, args.k0.stride, args.k1.ptr, args.k1.stride,
    args.x0.ptr, args.x0.stride, args.x1.ptr, args.x1.stride, args.y0, args.y1,
  );
}
