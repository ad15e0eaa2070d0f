// Host side of XLA gather / scatter (wasm/assembly/routines/gather.ts).
//
// Semantics are XLA's (lax.gather / lax.scatter) with index_vector_dim the last dim of the
// int32 index array, including operand / start-indices batching dims. Modes as JAX:
//  - gather "clip": start indices are clamped so that the whole slice is in bounds (what
//    XLA does and what jnp indexing reads give); "fill": a slice whose start is out of
//    bounds (start < 0 or start > dim - slice size on any indexed dim) is all fill value.
//  - scatter "drop": an update window whose start is out of bounds is skipped entirely
//    (XLA's rule; JAX's default for .at[] updates); "clip": starts are clamped.
// Repeated indices apply every update in order (add/mul/min/max accumulate; set: last wins).
import type { DType } from "../ts/runtime/kernel.js";
import type { WasmInstance } from "./instance.js";
import {
  checkInt32,
  checkPtr,
  checkShape,
  contiguousStrides,
  dtypeCode,
  esizeOf,
  simplifyCopy,
  writeParams,
  writeScalar,
} from "./routines_common.js";

export interface GatherDimensionNumbers {
  offsetDims: readonly number[];
  collapsedSliceDims: readonly number[];
  startIndexMap: readonly number[];
  operandBatchingDims?: readonly number[];
  startIndicesBatchingDims?: readonly number[];
}

export interface GatherArgs {
  dtype: DType;
  /** The operand; strides/offset default to contiguous / 0. */
  operand: { ptr: number; shape: readonly number[]; strides?: readonly number[]; offset?: number };
  /** Contiguous int32 start indices; the last dim is the index vector. */
  indices: { ptr: number; shape: readonly number[] };
  dimensionNumbers: GatherDimensionNumbers;
  sliceSizes: readonly number[];
  mode?: "clip" | "fill";
  /** Value of out-of-bounds slices in fill mode; default JAX's (see defaultFillValue). */
  fillValue?: number | boolean | bigint;
  /** Byte address of the contiguous output (shape: gatherShape(...)). */
  out: number;
}

/** JAX's default fill for gather mode "fill": NaN, INT_MIN, the unsigned max, true. */
export function defaultFillValue(dtype: DType): number | boolean {
  switch (dtype) {
    case "float32": case "float64": case "float16": return NaN;
    case "int32": return -0x80000000;
    case "int16": return -0x8000;
    case "int8": return -0x80;
    case "uint32": return 0xffffffff;
    case "uint16": return 0xffff;
    case "uint8": return 0xff;
    case "bool": return true;
  }
  return 0;
}

function fmt(a: readonly number[]): string {
  return `[${a.join(", ")}]`;
}

function checkDims(fn: string, name: string, dims: readonly number[], rank: number, sorted: boolean): void {
  const seen = new Set<number>();
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i];
    if (!Number.isInteger(d) || d < 0 || d >= rank) {
      throw new RangeError(`edgejax: ${fn}: ${name} ${fmt(dims)} has ${d}, out of range for rank ${rank}`);
    }
    if (seen.has(d)) throw new RangeError(`edgejax: ${fn}: ${name} ${fmt(dims)} repeats ${d}`);
    seen.add(d);
    if (sorted && i > 0 && dims[i - 1] > d) throw new RangeError(`edgejax: ${fn}: ${name} ${fmt(dims)} must be sorted`);
  }
}

interface GatherPlan {
  outShape: number[];
  batchShape: number[];
  batchOutDims: number[];
  /** operand dims that become output offset dims, in order (paired with offsetDims). */
  windowOperandDims: number[];
}

function planGather(
  operandShape: readonly number[],
  indicesShape: readonly number[],
  dn: GatherDimensionNumbers,
  sliceSizes: readonly number[],
): GatherPlan {
  const fn = "gather";
  const r = operandShape.length;
  if (indicesShape.length === 0) throw new RangeError(`edgejax: ${fn}: indices must have the index vector as their last dim, got shape []`);
  const K = indicesShape[indicesShape.length - 1];
  const batchShape = indicesShape.slice(0, -1);
  const obd = dn.operandBatchingDims ?? [];
  const sbd = dn.startIndicesBatchingDims ?? [];
  if (sliceSizes.length !== r) throw new RangeError(`edgejax: ${fn}: sliceSizes ${fmt(sliceSizes)} must have one entry per operand dim (rank ${r})`);
  for (let d = 0; d < r; d++) {
    if (!Number.isInteger(sliceSizes[d]) || sliceSizes[d] < 0 || sliceSizes[d] > operandShape[d]) {
      throw new RangeError(`edgejax: ${fn}: sliceSizes ${fmt(sliceSizes)} must be within the operand shape ${fmt(operandShape)}`);
    }
  }
  checkDims(fn, "collapsedSliceDims", dn.collapsedSliceDims, r, true);
  checkDims(fn, "operandBatchingDims", obd, r, true);
  checkDims(fn, "startIndexMap", dn.startIndexMap, r, false);
  checkDims(fn, "startIndicesBatchingDims", sbd, batchShape.length, false);
  if (dn.startIndexMap.length !== K) {
    throw new RangeError(`edgejax: ${fn}: startIndexMap ${fmt(dn.startIndexMap)} must have one entry per index vector component (${K})`);
  }
  if (obd.length !== sbd.length) {
    throw new RangeError(`edgejax: ${fn}: operandBatchingDims ${fmt(obd)} and startIndicesBatchingDims ${fmt(sbd)} differ in length`);
  }
  for (const d of [...dn.collapsedSliceDims, ...obd]) {
    if (sliceSizes[d] > 1) throw new RangeError(`edgejax: ${fn}: collapsed and batching dims need slice size ≤ 1; sliceSizes ${fmt(sliceSizes)}, dim ${d}`);
  }
  for (const d of obd) {
    if (dn.collapsedSliceDims.includes(d) || dn.startIndexMap.includes(d)) {
      throw new RangeError(`edgejax: ${fn}: operand batching dim ${d} cannot also be collapsed or indexed`);
    }
  }
  for (let i = 0; i < obd.length; i++) {
    if (operandShape[obd[i]] !== batchShape[sbd[i]]) {
      throw new RangeError(`edgejax: ${fn}: operand batching dim ${obd[i]} (size ${operandShape[obd[i]]}) does not match indices dim ${sbd[i]} (size ${batchShape[sbd[i]]})`);
    }
  }
  const windowOperandDims: number[] = [];
  for (let d = 0; d < r; d++) if (!dn.collapsedSliceDims.includes(d) && !obd.includes(d)) windowOperandDims.push(d);
  const outRank = batchShape.length + dn.offsetDims.length;
  checkDims(fn, "offsetDims", dn.offsetDims, outRank, true);
  if (dn.offsetDims.length !== windowOperandDims.length) {
    throw new RangeError(`edgejax: ${fn}: offsetDims ${fmt(dn.offsetDims)} must have one entry per operand dim that is neither collapsed nor batching (${windowOperandDims.length})`);
  }
  const outShape = new Array<number>(outRank);
  const batchOutDims: number[] = [];
  for (let i = 0; i < dn.offsetDims.length; i++) outShape[dn.offsetDims[i]] = sliceSizes[windowOperandDims[i]];
  let b = 0;
  for (let d = 0; d < outRank; d++) {
    if (dn.offsetDims.includes(d)) continue;
    outShape[d] = batchShape[b++];
    batchOutDims.push(d);
  }
  return { outShape, batchShape, batchOutDims, windowOperandDims };
}

/** The output shape of a gather (XLA's rule). */
export function gatherShape(
  operandShape: readonly number[],
  indicesShape: readonly number[],
  dimensionNumbers: GatherDimensionNumbers,
  sliceSizes: readonly number[],
): number[] {
  return planGather(operandShape, indicesShape, dimensionNumbers, sliceSizes).outShape;
}

/**
 * Drops unit batch dims and merges batch dims that advance all their linear maps alike
 * (the index array is always walked in row-major order). records: [size, a, b] per dim.
 */
function simplifyBatch(records: number[][]): number[][] {
  const out: number[][] = [];
  for (let i = records.length - 1; i >= 0; i--) {
    const [n, a, b] = records[i];
    if (n === 1) continue;
    const last = out[out.length - 1];
    if (last && a === last[1] * last[0] && b === last[2] * last[0]) {
      last[0] *= n;
      continue;
    }
    out.push([n, a, b]);
  }
  return out.reverse();
}

/** lax.gather. See GatherArgs; out receives gatherShape(...) contiguous elements. */
export function gather(inst: WasmInstance, args: GatherArgs): void {
  const fn = "gather";
  dtypeCode(fn, args.dtype);
  const es = esizeOf(args.dtype);
  const { operand, indices, dimensionNumbers: dn, sliceSizes } = args;
  const mode = args.mode ?? "clip";
  if (mode !== "clip" && mode !== "fill") throw new TypeError(`edgejax: ${fn}: mode must be "clip" or "fill", got ${String(mode)}`);
  checkShape(fn, "operand shape", operand.shape);
  checkShape(fn, "indices shape", indices.shape);
  checkPtr(fn, "operand.ptr", operand.ptr);
  checkPtr(fn, "indices.ptr", indices.ptr);
  checkPtr(fn, "out", args.out);
  const plan = planGather(operand.shape, indices.shape, dn, sliceSizes);
  const outSize = checkShape(fn, "output shape", plan.outShape);
  if (outSize === 0) return;
  const opStrides = operand.strides ?? contiguousStrides(operand.shape);
  if (opStrides.length !== operand.shape.length) throw new RangeError(`edgejax: ${fn}: operand strides ${fmt(opStrides)} do not match its shape ${fmt(operand.shape)}`);
  for (const s of opStrides) checkInt32(fn, "operand strides", s);
  const outStrides = contiguousStrides(plan.outShape);
  const obd = dn.operandBatchingDims ?? [];
  const sbd = dn.startIndicesBatchingDims ?? [];

  const batch = simplifyBatch(plan.batchShape.map((n, j) => {
    const i = sbd.indexOf(j);
    return [n, outStrides[plan.batchOutDims[j]], i >= 0 ? opStrides[obd[i]] : 0];
  }));
  // the index array is walked in row-major order, so merging batch dims is only valid when
  // it keeps that order: simplifyBatch merges dim i into i+1 only (adjacent, same ratio).
  const kRec: number[] = [];
  for (const d of dn.startIndexMap) kRec.push(opStrides[d], operand.shape[d] - sliceSizes[d]);
  const sliceShape = plan.windowOperandDims.map((d) => sliceSizes[d]);
  const s = simplifyCopy(
    sliceShape,
    plan.windowOperandDims.map((d) => opStrides[d]),
    dn.offsetDims.map((d) => outStrides[d]),
  );
  if (!s) return;
  const sd = s.shape.length;
  const words = [es, batch.length, dn.startIndexMap.length, sd, mode === "fill" ? 1 : 0];
  for (const rec of batch) words.push(...rec);
  words.push(...kRec, ...s.shape, ...s.ss, ...s.ds);
  if (mode === "fill") words.push(...s.shape, ...s.ss.map(() => 0), ...s.ds);
  const [params, scalar] = writeParams(inst, words, 16);
  writeScalar(inst, args.dtype, scalar, args.fillValue ?? defaultFillValue(args.dtype));
  const opBase = operand.ptr + (operand.offset ?? 0) * es;
  inst.exports.rtnGather(params, opBase >>> 0, indices.ptr, args.out, scalar);
}

// ---- scatter ---------------------------------------------------------------------------

export interface ScatterDimensionNumbers {
  updateWindowDims: readonly number[];
  insertedWindowDims: readonly number[];
  scatterDimsToOperandDims: readonly number[];
  operandBatchingDims?: readonly number[];
  scatterIndicesBatchingDims?: readonly number[];
}

export type ScatterOp = "set" | "add" | "mul" | "min" | "max";
const SCATTER_OP: Record<ScatterOp, number> = { set: -1, add: 0, mul: 1, max: 2, min: 3 };

export interface ScatterArgs {
  dtype: DType;
  op: ScatterOp;
  /** The destination, contiguous, already holding a copy of the operand; updated in place. */
  operand: { ptr: number; shape: readonly number[] };
  /** Contiguous int32 scatter indices; the last dim is the index vector. */
  indices: { ptr: number; shape: readonly number[] };
  /** Updates; strides/offset default to contiguous / 0. */
  updates: { ptr: number; shape: readonly number[]; strides?: readonly number[]; offset?: number };
  dimensionNumbers: ScatterDimensionNumbers;
  mode?: "drop" | "clip";
}

/**
 * lax.scatter / scatter_add / scatter_mul / scatter_min / scatter_max into `operand`
 * (in place). Updates are applied in the row-major order of the update scatter dims; for
 * bool, add is logical or and mul logical and. float16 combines round once per update.
 */
export function scatter(inst: WasmInstance, args: ScatterArgs): void {
  const fn = "scatter";
  const code = dtypeCode(fn, args.dtype);
  const es = esizeOf(args.dtype);
  const op = SCATTER_OP[args.op];
  if (op === undefined) throw new TypeError(`edgejax: ${fn}: unknown op ${String(args.op)} (set, add, mul, min, max)`);
  const mode = args.mode ?? "drop";
  if (mode !== "drop" && mode !== "clip") throw new TypeError(`edgejax: ${fn}: mode must be "drop" or "clip", got ${String(mode)}`);
  const { operand, indices, updates, dimensionNumbers: dn } = args;
  checkShape(fn, "operand shape", operand.shape);
  checkShape(fn, "indices shape", indices.shape);
  const updSize = checkShape(fn, "updates shape", updates.shape);
  checkPtr(fn, "operand.ptr", operand.ptr);
  checkPtr(fn, "indices.ptr", indices.ptr);
  checkPtr(fn, "updates.ptr", updates.ptr);
  const r = operand.shape.length;
  if (indices.shape.length === 0) throw new RangeError(`edgejax: ${fn}: indices must have the index vector as their last dim, got shape []`);
  const K = indices.shape[indices.shape.length - 1];
  const batchShape = indices.shape.slice(0, -1);
  const obd = dn.operandBatchingDims ?? [];
  const sbd = dn.scatterIndicesBatchingDims ?? [];
  checkDims(fn, "updateWindowDims", dn.updateWindowDims, updates.shape.length, true);
  checkDims(fn, "insertedWindowDims", dn.insertedWindowDims, r, true);
  checkDims(fn, "operandBatchingDims", obd, r, true);
  checkDims(fn, "scatterDimsToOperandDims", dn.scatterDimsToOperandDims, r, false);
  checkDims(fn, "scatterIndicesBatchingDims", sbd, batchShape.length, false);
  if (dn.scatterDimsToOperandDims.length !== K) {
    throw new RangeError(`edgejax: ${fn}: scatterDimsToOperandDims ${fmt(dn.scatterDimsToOperandDims)} must have one entry per index vector component (${K})`);
  }
  if (obd.length !== sbd.length) {
    throw new RangeError(`edgejax: ${fn}: operandBatchingDims ${fmt(obd)} and scatterIndicesBatchingDims ${fmt(sbd)} differ in length`);
  }
  for (const d of obd) {
    if (dn.insertedWindowDims.includes(d) || dn.scatterDimsToOperandDims.includes(d)) {
      throw new RangeError(`edgejax: ${fn}: operand batching dim ${d} cannot also be inserted or indexed`);
    }
  }
  const windowOperandDims: number[] = [];
  for (let d = 0; d < r; d++) if (!dn.insertedWindowDims.includes(d) && !obd.includes(d)) windowOperandDims.push(d);
  if (windowOperandDims.length !== dn.updateWindowDims.length) {
    throw new RangeError(`edgejax: ${fn}: updateWindowDims ${fmt(dn.updateWindowDims)} must have one entry per operand dim that is neither inserted nor batching (${windowOperandDims.length})`);
  }
  const updScatterDims: number[] = [];
  for (let d = 0; d < updates.shape.length; d++) if (!dn.updateWindowDims.includes(d)) updScatterDims.push(d);
  if (updScatterDims.length !== batchShape.length || updScatterDims.some((d, j) => updates.shape[d] !== batchShape[j])) {
    throw new RangeError(`edgejax: ${fn}: the scatter dims of updates ${fmt(updates.shape)} must match the indices' batch shape ${fmt(batchShape)}`);
  }
  const windowSize = new Array<number>(r).fill(1);
  for (let i = 0; i < windowOperandDims.length; i++) {
    const d = windowOperandDims[i];
    windowSize[d] = updates.shape[dn.updateWindowDims[i]];
    if (windowSize[d] > operand.shape[d]) {
      throw new RangeError(`edgejax: ${fn}: update window ${fmt(updates.shape)} exceeds operand ${fmt(operand.shape)} along dim ${d}`);
    }
  }
  for (let i = 0; i < obd.length; i++) {
    if (operand.shape[obd[i]] !== batchShape[sbd[i]]) {
      throw new RangeError(`edgejax: ${fn}: operand batching dim ${obd[i]} (size ${operand.shape[obd[i]]}) does not match indices dim ${sbd[i]} (size ${batchShape[sbd[i]]})`);
    }
  }
  if (updSize === 0) return;
  const opStrides = contiguousStrides(operand.shape);
  const updStrides = updates.strides ?? contiguousStrides(updates.shape);
  if (updStrides.length !== updates.shape.length) throw new RangeError(`edgejax: ${fn}: updates strides ${fmt(updStrides)} do not match its shape ${fmt(updates.shape)}`);
  for (const s of updStrides) checkInt32(fn, "updates strides", s);

  const batch = simplifyBatch(batchShape.map((n, j) => {
    const i = sbd.indexOf(j);
    return [n, updStrides[updScatterDims[j]], i >= 0 ? opStrides[obd[i]] : 0];
  }));
  const kRec: number[] = [];
  for (const d of dn.scatterDimsToOperandDims) kRec.push(opStrides[d], operand.shape[d] - windowSize[d]);
  const s = simplifyCopy(
    windowOperandDims.map((d) => windowSize[d]),
    dn.updateWindowDims.map((d) => updStrides[d]),
    windowOperandDims.map((d) => opStrides[d]),
  );
  if (!s) return;
  const words = [code, batch.length, K, s.shape.length, mode === "clip" ? 1 : 0, op];
  for (const rec of batch) words.push(...rec);
  words.push(...kRec, ...s.shape, ...s.ss, ...s.ds);
  const [params] = writeParams(inst, words);
  const updBase = updates.ptr + (updates.offset ?? 0) * es;
  inst.exports.rtnScatter(params, operand.ptr, indices.ptr, updBase >>> 0);
}
