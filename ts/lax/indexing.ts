// Indexing primitives: gather, scatter (set/add/mul/min/max), dynamic_slice and
// dynamic_update_slice, with XLA's dimension numbers (index vector dim last, as JAX uses it).
// Eagerly they run the backend's gather/scatter routines; dynamic_slice is a gather with one
// clamped start vector and dynamic_update_slice a clamped scatter of one window.
//
// Modes (JAX's GatherScatterMode): "clip" clamps start indices so the whole window is in
// bounds; "fill_or_drop" fills out-of-bounds gather windows with `fillValue` and drops
// out-of-bounds scatter windows; "promise_in_bounds" is what XLA does on CPU with no check:
// gathers clamp, scatters drop.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { isBool, isFloat, isInteger, isSignedInt, isUnsigned, type DType } from "../array/dtype.js";
import { fmtShape, sizeOf, range } from "../array/shape.js";
import { LinearArg, definePrimitive, type Aval, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { arg } from "../numpy/convert.js";
import type { GatherDimensionNumbers as BackendGatherDnums, ScatterDimensionNumbers as BackendScatterDnums } from "../runtime/backend.js";
import { deviceOf, emptyArray, materialize } from "../runtime/eager.js";
import { add_p, convert_element_type_p, div_p, eq_p, lt_p, max_p, mul_p, ne_p, neg_p, select_n_p } from "./elementwise.js";
import { batchSize, batchToFront, broadcastAxis, moveaxis } from "./rule_util.js";
import { broadcast_in_dim_p, concatenate_p, fullArray, iota_p, reshape_p, slice_p } from "./structural.js";

export type GatherScatterMode = "clip" | "fill_or_drop" | "promise_in_bounds";
/** Accepted spellings of a mode (JAX's GatherScatterMode.from_any): "fill" and "drop" mean fill_or_drop. */
export type ModeArg = GatherScatterMode | "fill" | "drop" | null | undefined;

export interface GatherDimensionNumbers {
  offsetDims: number[];
  collapsedSliceDims: number[];
  startIndexMap: number[];
  operandBatchingDims?: number[];
  startIndicesBatchingDims?: number[];
}
export interface ScatterDimensionNumbers {
  updateWindowDims: number[];
  insertedWindowDims: number[];
  scatterDimsToOperandDims: number[];
  operandBatchingDims?: number[];
  scatterIndicesBatchingDims?: number[];
}

type GatherParams = {
  dimensionNumbers: BackendGatherDnums;
  sliceSizes: number[];
  mode: GatherScatterMode;
  fillValue: number | null;
  indicesAreSorted: boolean;
  uniqueIndices: boolean;
};
type ScatterParams = {
  dimensionNumbers: BackendScatterDnums;
  mode: GatherScatterMode;
  indicesAreSorted: boolean;
  uniqueIndices: boolean;
};

/** JAX's GatherScatterMode.from_any; `dflt` is used for null/undefined. */
export function parseMode(fn: string, mode: unknown, dflt: GatherScatterMode): GatherScatterMode {
  if (mode === undefined || mode === null) return dflt;
  if (mode === "clip" || mode === "promise_in_bounds") return mode;
  if (mode === "fill" || mode === "drop" || mode === "fill_or_drop") return "fill_or_drop";
  throw new TypeError(`${fn}: unknown mode ${JSON.stringify(mode)}; use "clip", "fill" (gather), "drop" (scatter) or "promise_in_bounds"`);
}

/** JAX's default gather fill: NaN for floats, the minimum of signed ints, the maximum of unsigned ints, true. */
export function defaultFillValue(dtype: DType): number {
  if (isFloat(dtype)) return NaN;
  if (isBool(dtype)) return 1;
  const bits = dtype.endsWith("8") ? 8 : dtype.endsWith("16") ? 16 : 32;
  return isUnsigned(dtype) ? 2 ** bits - 1 : -(2 ** (bits - 1));
}

const fmt = (a: readonly number[]) => `[${a.join(", ")}]`;

function checkDimList(fn: string, name: string, dims: unknown, rank: number, sorted: boolean): number[] {
  if (!globalThis.Array.isArray(dims) || !dims.every((d) => Number.isInteger(d))) {
    throw new TypeError(`${fn}: ${name} must be a list of integers, got ${JSON.stringify(dims)}`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] as number;
    if (d < 0 || d >= rank) throw new RangeError(`${fn}: ${name} ${fmt(dims)} has ${d}, out of range for rank ${rank}`);
    if (seen.has(d)) throw new RangeError(`${fn}: ${name} ${fmt(dims)} repeats ${d}`);
    if (sorted && i > 0 && (dims[i - 1] as number) > d) throw new RangeError(`${fn}: ${name} ${fmt(dims)} must be sorted`);
    seen.add(d);
  }
  return dims as number[];
}

function checkIndices(fn: string, idx: Aval): void {
  if (!isInteger(idx.dtype)) throw new TypeError(`${fn}: indices must have an integer dtype, got ${idx.dtype}`);
  if (idx.shape.length === 0) {
    throw new TypeError(`${fn}: indices must have at least one dimension (the index vector is their last dimension), got shape []`);
  }
}

/** XLA's gather shape rule (index vector dim = last dim of the indices). */
export function gatherShape(fn: string, operand: number[], indices: number[], dn: BackendGatherDnums, sliceSizes: number[]): number[] {
  const r = operand.length;
  const batch = indices.slice(0, -1);
  const K = indices[indices.length - 1];
  if (!globalThis.Array.isArray(sliceSizes) || sliceSizes.length !== r) {
    throw new TypeError(`${fn}: sliceSizes ${JSON.stringify(sliceSizes)} must have one entry per operand dimension (${r})`);
  }
  for (let d = 0; d < r; d++) {
    if (!Number.isInteger(sliceSizes[d]) || sliceSizes[d] < 0 || sliceSizes[d] > operand[d]) {
      throw new RangeError(`${fn}: sliceSizes ${fmt(sliceSizes)} must be within the operand shape ${fmtShape(operand)}`);
    }
  }
  const collapsed = checkDimList(fn, "collapsedSliceDims", dn.collapsedSliceDims, r, true);
  const obd = checkDimList(fn, "operandBatchingDims", dn.operandBatchingDims, r, true);
  const sim = checkDimList(fn, "startIndexMap", dn.startIndexMap, r, false);
  const sbd = checkDimList(fn, "startIndicesBatchingDims", dn.startIndicesBatchingDims, batch.length, false);
  if (sim.length !== K) {
    throw new TypeError(`${fn}: startIndexMap ${fmt(sim)} must have one entry per index vector component (the last dimension of the indices, ${K})`);
  }
  if (obd.length !== sbd.length) {
    throw new TypeError(`${fn}: operandBatchingDims ${fmt(obd)} and startIndicesBatchingDims ${fmt(sbd)} must have the same length`);
  }
  for (const d of [...collapsed, ...obd]) {
    if (sliceSizes[d] > 1) throw new RangeError(`${fn}: collapsed and batching dimensions need slice size <= 1; sliceSizes ${fmt(sliceSizes)}, dimension ${d}`);
  }
  for (const d of obd) {
    if (collapsed.includes(d) || sim.includes(d)) throw new TypeError(`${fn}: operand batching dimension ${d} cannot also be collapsed or indexed`);
  }
  for (let i = 0; i < obd.length; i++) {
    if (operand[obd[i]] !== batch[sbd[i]]) {
      throw new TypeError(`${fn}: operand batching dimension ${obd[i]} (size ${operand[obd[i]]}) does not match indices dimension ${sbd[i]} (size ${batch[sbd[i]]})`);
    }
  }
  const windowDims: number[] = [];
  for (let d = 0; d < r; d++) if (!collapsed.includes(d) && !obd.includes(d)) windowDims.push(d);
  const outRank = batch.length + windowDims.length;
  const offsetDims = checkDimList(fn, "offsetDims", dn.offsetDims, outRank, true);
  if (offsetDims.length !== windowDims.length) {
    throw new TypeError(
      `${fn}: offsetDims ${fmt(offsetDims)} must have one entry per operand dimension that is neither collapsed nor batching (${windowDims.length})`,
    );
  }
  const out = new globalThis.Array<number>(outRank);
  offsetDims.forEach((d, i) => (out[d] = sliceSizes[windowDims[i]]));
  let b = 0;
  for (let d = 0; d < outRank; d++) if (!offsetDims.includes(d)) out[d] = batch[b++];
  return out;
}

/** XLA's scatter shape check; the result has the operand's shape. */
function checkScatter(fn: string, operand: number[], indices: number[], updates: number[], dn: BackendScatterDnums): void {
  const r = operand.length;
  const batch = indices.slice(0, -1);
  const K = indices[indices.length - 1];
  const uwd = checkDimList(fn, "updateWindowDims", dn.updateWindowDims, updates.length, true);
  const iwd = checkDimList(fn, "insertedWindowDims", dn.insertedWindowDims, r, true);
  const obd = checkDimList(fn, "operandBatchingDims", dn.operandBatchingDims, r, true);
  const sdod = checkDimList(fn, "scatterDimsToOperandDims", dn.scatterDimsToOperandDims, r, false);
  const sbd = checkDimList(fn, "scatterIndicesBatchingDims", dn.scatterIndicesBatchingDims, batch.length, false);
  if (sdod.length !== K) {
    throw new TypeError(`${fn}: scatterDimsToOperandDims ${fmt(sdod)} must have one entry per index vector component (${K})`);
  }
  if (obd.length !== sbd.length) {
    throw new TypeError(`${fn}: operandBatchingDims ${fmt(obd)} and scatterIndicesBatchingDims ${fmt(sbd)} must have the same length`);
  }
  const windowDims: number[] = [];
  for (let d = 0; d < r; d++) if (!iwd.includes(d) && !obd.includes(d)) windowDims.push(d);
  if (windowDims.length !== uwd.length) {
    throw new TypeError(
      `${fn}: updateWindowDims ${fmt(uwd)} must have one entry per operand dimension that is neither inserted nor batching (${windowDims.length})`,
    );
  }
  const scatterDims: number[] = [];
  for (let d = 0; d < updates.length; d++) if (!uwd.includes(d)) scatterDims.push(d);
  if (scatterDims.length !== batch.length || scatterDims.some((d, j) => updates[d] !== batch[j])) {
    throw new TypeError(`${fn}: the scatter dimensions of updates ${fmtShape(updates)} must match the indices' batch shape ${fmtShape(batch)}`);
  }
  windowDims.forEach((d, i) => {
    if (updates[uwd[i]] > operand[d]) {
      throw new RangeError(`${fn}: the update window ${fmtShape(updates)} exceeds the operand ${fmtShape(operand)} along dimension ${d}`);
    }
  });
  for (let i = 0; i < obd.length; i++) {
    if (operand[obd[i]] !== batch[sbd[i]]) {
      throw new TypeError(`${fn}: operand batching dimension ${obd[i]} (size ${operand[obd[i]]}) does not match indices dimension ${sbd[i]} (size ${batch[sbd[i]]})`);
    }
  }
}

// ---- eager helpers ------------------------------------------------------------------------

/** Routines read contiguous buffers from offset 0: other views are copied. */
const dense = (x: Array): Array => (x._offset === 0 && x._isContiguous() ? x : materialize(x));

function int32Dense(x: Array): Array {
  if (x.dtype === "int32") return dense(x);
  return bind1(convert_element_type_p, [x], { newDtype: "int32", weakType: false }) as Array;
}

function runGather(operand: Array, indices: Array, p: GatherParams, outShape: number[]): Array {
  const backend = deviceOf("gather", [operand, indices]);
  const out = emptyArray(outShape, operand.dtype, operand.weakType, backend);
  if (sizeOf(outShape) === 0) return out;
  const op = dense(operand);
  const idx = int32Dense(indices);
  try {
    backend.gather({
      dtype: operand.dtype,
      operand: op._storage.buffer,
      operandShape: op.shape,
      indices: idx._storage.buffer,
      indicesShape: idx.shape,
      dnums: p.dimensionNumbers,
      sliceSizes: p.sliceSizes,
      mode: p.mode === "fill_or_drop" ? "fill" : "clip",
      fillValue: p.fillValue ?? defaultFillValue(operand.dtype),
      out: out._storage.buffer,
      outShape,
    });
  } finally {
    if (op !== operand) op.dispose();
    if (idx !== indices) idx.dispose();
  }
  return out;
}

type Combine = "set" | "add" | "mul" | "min" | "max";

function runScatter(combine: Combine, operand: Array, indices: Array, updates: Array, p: ScatterParams): Array {
  const backend = deviceOf(`scatter`, [operand, indices, updates]);
  // materialize always makes a fresh contiguous copy: the routine updates it in place.
  const out = materialize(operand);
  if (updates.size === 0 || operand.size === 0) return out;
  const upd = dense(updates);
  const idx = int32Dense(indices);
  try {
    backend.scatter({
      dtype: operand.dtype,
      out: out._storage.buffer,
      operandShape: operand.shape,
      indices: idx._storage.buffer,
      indicesShape: idx.shape,
      updates: upd._storage.buffer,
      updatesShape: upd.shape,
      dnums: p.dimensionNumbers,
      combine,
      mode: p.mode === "clip" ? "clip" : "drop",
    });
  } finally {
    if (upd !== updates) upd.dispose();
    if (idx !== indices) idx.dispose();
  }
  return out;
}

// ---- primitives -----------------------------------------------------------------------------

export const gather_p = definePrimitive<GatherParams>("gather", {
  abstractEval: ([operand, indices], p) => {
    checkIndices("lax.gather", indices);
    const shape = gatherShape("lax.gather", operand.shape, indices.shape, p.dimensionNumbers, p.sliceSizes);
    return [{ shape, dtype: operand.dtype, weakType: operand.weakType }];
  },
  impl: ([operand, indices], p) => [
    runGather(operand, indices, p, gatherShape("lax.gather", operand.shape, indices.shape, p.dimensionNumbers, p.sliceSizes)),
  ],
});

function scatterPrimitive(name: string, combine: Combine): Primitive<ScatterParams> {
  return definePrimitive<ScatterParams>(name, {
    abstractEval: ([operand, indices, updates], p) => {
      const fn = `lax.${name}`;
      checkIndices(fn, indices);
      if (updates.dtype !== operand.dtype) {
        throw new TypeError(`${fn}: updates must have the operand's dtype, got ${updates.dtype} and ${operand.dtype}; convert them first`);
      }
      checkScatter(fn, operand.shape, indices.shape, updates.shape, p.dimensionNumbers);
      return [{ shape: operand.shape, dtype: operand.dtype, weakType: operand.weakType }];
    },
    impl: ([operand, indices, updates], p) => [runScatter(combine, operand, indices, updates, p)],
  });
}
export const scatter_p = scatterPrimitive("scatter", "set");
export const scatter_add_p = scatterPrimitive("scatter_add", "add");
export const scatter_mul_p = scatterPrimitive("scatter_mul", "mul");
export const scatter_min_p = scatterPrimitive("scatter_min", "min");
export const scatter_max_p = scatterPrimitive("scatter_max", "max");

function checkStartIndices(fn: string, starts: Aval[], rank: number): void {
  if (starts.length !== rank) {
    throw new TypeError(`${fn}: needs one start index per operand dimension (${rank}), got ${starts.length}`);
  }
  for (const s of starts) {
    if (s.shape.length !== 0 || !isInteger(s.dtype)) {
      throw new TypeError(`${fn}: start indices must be integer scalars, got ${s.dtype} of shape ${fmtShape(s.shape)}`);
    }
  }
}

/** The start indices as one int32 vector [r] (eager). */
function startVector(starts: Array[]): Array {
  const parts = starts.map(
    (s) => bind1(reshape_p, [s.dtype === "int32" ? s : bind1(convert_element_type_p, [s], { newDtype: "int32", weakType: false })], { newSizes: [1] }) as Array,
  );
  const v = parts.length === 1 ? parts[0] : (bind1(concatenate_p, parts, { dimension: 0 }) as Array);
  return v;
}


export const dynamic_slice_p = definePrimitive<{ sliceSizes: number[] }>("dynamic_slice", {
  abstractEval: ([operand, ...starts], { sliceSizes }) => {
    const fn = "lax.dynamic_slice";
    checkStartIndices(fn, starts, operand.shape.length);
    if (!globalThis.Array.isArray(sliceSizes) || sliceSizes.length !== operand.shape.length) {
      throw new TypeError(`${fn}: sliceSizes ${JSON.stringify(sliceSizes)} must have one entry per operand dimension (${operand.shape.length})`);
    }
    sliceSizes.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 0 || s > operand.shape[i]) {
        throw new RangeError(`${fn}: slice size ${s} is out of range for dimension ${i} of size ${operand.shape[i]} (operand ${fmtShape(operand.shape)})`);
      }
    });
    return [{ shape: sliceSizes.slice(), dtype: operand.dtype, weakType: operand.weakType }];
  },
  impl: ([operand, ...starts], { sliceSizes }) => {
    const r = operand.shape.length;
    if (r === 0) return [operand._view([], [], operand._offset)];
    const idx = startVector(starts);
    const dn: BackendGatherDnums = {
      offsetDims: range(r), collapsedSliceDims: [], startIndexMap: range(r), operandBatchingDims: [], startIndicesBatchingDims: [],
    };
    const out = runGather(operand, idx, {
      dimensionNumbers: dn, sliceSizes, mode: "clip", fillValue: null, indicesAreSorted: true, uniqueIndices: true,
    }, sliceSizes.slice());
    idx.dispose();
    return [out];
  },
});

export const dynamic_update_slice_p = definePrimitive("dynamic_update_slice", {
  abstractEval: ([operand, update, ...starts]) => {
    const fn = "lax.dynamic_update_slice";
    checkStartIndices(fn, starts, operand.shape.length);
    if (update.dtype !== operand.dtype) {
      throw new TypeError(`${fn}: update must have the operand's dtype, got ${update.dtype} and ${operand.dtype}`);
    }
    if (update.shape.length !== operand.shape.length || update.shape.some((d, i) => d > operand.shape[i])) {
      throw new TypeError(`${fn}: update of shape ${fmtShape(update.shape)} must have the operand's rank and fit in it (operand ${fmtShape(operand.shape)})`);
    }
    return [{ shape: operand.shape, dtype: operand.dtype, weakType: operand.weakType }];
  },
  impl: ([operand, update, ...starts]) => {
    const r = operand.shape.length;
    if (r === 0) return [update._view([], [], update._offset, update.dtype, operand.weakType)];
    const idx = startVector(starts);
    const dn: BackendScatterDnums = {
      updateWindowDims: range(r), insertedWindowDims: [], scatterDimsToOperandDims: range(r), operandBatchingDims: [], scatterIndicesBatchingDims: [],
    };
    const out = runScatter("set", operand, idx, update, { dimensionNumbers: dn, mode: "clip", indicesAreSorted: true, uniqueIndices: true });
    idx.dispose();
    return [out];
  },
});

// ---- public wrappers (jax.lax names in camelCase) --------------------------------------------

type X = ArrayBase | number | boolean;

function fullGatherDnums(d: GatherDimensionNumbers): BackendGatherDnums {
  return {
    offsetDims: d.offsetDims,
    collapsedSliceDims: d.collapsedSliceDims,
    startIndexMap: d.startIndexMap,
    operandBatchingDims: d.operandBatchingDims ?? [],
    startIndicesBatchingDims: d.startIndicesBatchingDims ?? [],
  };
}
function fullScatterDnums(d: ScatterDimensionNumbers): BackendScatterDnums {
  return {
    updateWindowDims: d.updateWindowDims,
    insertedWindowDims: d.insertedWindowDims,
    scatterDimsToOperandDims: d.scatterDimsToOperandDims,
    operandBatchingDims: d.operandBatchingDims ?? [],
    scatterIndicesBatchingDims: d.scatterIndicesBatchingDims ?? [],
  };
}

export interface GatherOptions {
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
  /** Default "promise_in_bounds" (clamps on the CPU). */
  mode?: ModeArg;
  /** For mode "fill": default NaN / INT_MIN / UINT_MAX / true. */
  fillValue?: number | boolean | null;
}

/** lax.gather(operand, startIndices, dimensionNumbers, sliceSizes, {mode, fillValue, ...}). */
export function gather(operand: X, startIndices: X, dimensionNumbers: GatherDimensionNumbers, sliceSizes: number[], opts: GatherOptions = {}): ArrayBase {
  const fn = "lax.gather";
  const mode = parseMode(fn, opts.mode, "promise_in_bounds");
  const fill = mode === "fill_or_drop" && opts.fillValue !== undefined && opts.fillValue !== null ? Number(opts.fillValue) : null;
  return bind1(gather_p, [arg(fn, operand), arg(fn, startIndices)], {
    dimensionNumbers: fullGatherDnums(dimensionNumbers),
    sliceSizes: sliceSizes.slice(),
    mode,
    fillValue: fill,
    indicesAreSorted: !!opts.indicesAreSorted,
    uniqueIndices: !!opts.uniqueIndices,
  });
}

export interface ScatterOptions {
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  /** Default "fill_or_drop": out-of-bounds update windows are dropped. */
  mode?: ModeArg;
}

function scatterWrapper(name: string, p: Primitive<ScatterParams>) {
  return (operand: X, scatterIndices: X, updates: X, dimensionNumbers: ScatterDimensionNumbers, opts: ScatterOptions = {}): ArrayBase => {
    const fn = `lax.${name}`;
    const op = arg(fn, operand);
    let upd = arg(fn, updates);
    // Python scalars are allowed as updates and take the operand's dtype.
    if (typeof updates === "number" || typeof updates === "boolean") {
      upd = bind1(convert_element_type_p, [upd], { newDtype: op.dtype, weakType: false });
    }
    return bind1(p, [op, arg(fn, scatterIndices), upd], {
      dimensionNumbers: fullScatterDnums(dimensionNumbers),
      mode: parseMode(fn, opts.mode, "fill_or_drop"),
      indicesAreSorted: !!opts.indicesAreSorted,
      uniqueIndices: !!opts.uniqueIndices,
    });
  };
}
export const scatter = scatterWrapper("scatter", scatter_p);
export const scatterAdd = scatterWrapper("scatter_add", scatter_add_p);
export const scatterMul = scatterWrapper("scatter_mul", scatter_mul_p);
export const scatterMin = scatterWrapper("scatter_min", scatter_min_p);
export const scatterMax = scatterWrapper("scatter_max", scatter_max_p);
/** lax.scatter_sub: scatter_add of the negated updates (exact: x - y == x + (-y), also with wraparound). */
export function scatterSub(operand: X, scatterIndices: X, updates: X, dimensionNumbers: ScatterDimensionNumbers, opts: ScatterOptions = {}): ArrayBase {
  const op = arg("lax.scatter_sub", operand);
  let upd = arg("lax.scatter_sub", updates);
  if (typeof updates === "number") upd = bind1(convert_element_type_p, [upd], { newDtype: op.dtype, weakType: false });
  if (isBool(upd.dtype)) throw new TypeError("lax.scatter_sub: does not accept bool operands");
  return scatterAdd(op, scatterIndices, bind1(neg_p, [upd], {}), dimensionNumbers, opts);
}

/** A start index as an int32 scalar; with allowNegative, i < 0 becomes i + dim (JAX's _dynamic_slice_indices). */
function startIndex(fn: string, i: X, dim: number, allowNegative: boolean): ArrayBase {
  if (typeof i === "number") {
    if (!Number.isInteger(i)) throw new TypeError(`${fn}: start indices must be integers, got ${i}`);
    const v = allowNegative && i < 0 ? i + dim : i;
    return arg(fn, Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v)));
  }
  let a = arg(fn, i);
  if (!isInteger(a.dtype) || a.shape.length !== 0) {
    throw new TypeError(`${fn}: start indices must be integer scalars, got ${a.dtype} of shape ${fmtShape(a.shape)}`);
  }
  if (a.dtype !== "int32") a = bind1(convert_element_type_p, [a], { newDtype: "int32", weakType: false });
  if (!allowNegative || !isSignedInt(a.dtype)) return a;
  const d = bind1(convert_element_type_p, [arg(fn, dim)], { newDtype: "int32", weakType: false });
  const zero = bind1(convert_element_type_p, [arg(fn, 0)], { newDtype: "int32", weakType: false });
  return bind1(select_n_p, [bind1(lt_p, [a, zero], {}), a, bind1(add_p, [a, d], {})], {});
}

function startList(fn: string, startIndices: X[] | ArrayBase, rank: number, allowNegative: boolean, shape: number[]): ArrayBase[] {
  let list: X[];
  if (globalThis.Array.isArray(startIndices)) list = startIndices;
  else {
    const a = arg(fn, startIndices);
    if (a.shape.length !== 1) throw new TypeError(`${fn}: start indices must be a list of scalars or a 1-D array, got shape ${fmtShape(a.shape)}`);
    list = range(a.shape[0]).map((k) => bind1(reshape_p, [sliceAt(a, k)], { newSizes: [] }));
  }
  if (list.length !== rank) throw new TypeError(`${fn}: needs one start index per operand dimension (${rank}), got ${list.length}`);
  return list.map((s, k) => startIndex(fn, s, shape[k], allowNegative));
}

const sliceAt = (a: ArrayBase, k: number): ArrayBase =>
  bind1(slice_p, [a], { startIndices: [k], limitIndices: [k + 1], strides: null });

/** lax.dynamic_slice(operand, startIndices, sliceSizes): start indices are clamped so the slice fits. */
export function dynamicSlice(operand: X, startIndices: X[] | ArrayBase, sliceSizes: number[], opts: { allowNegativeIndices?: boolean } = {}): ArrayBase {
  const fn = "lax.dynamic_slice";
  const op = arg(fn, operand);
  const starts = startList(fn, startIndices, op.shape.length, opts.allowNegativeIndices ?? true, op.shape);
  return bind1(dynamic_slice_p, [op, ...starts], { sliceSizes: sliceSizes.slice() });
}

/** lax.dynamic_update_slice(operand, update, startIndices): start indices are clamped so the update fits. */
export function dynamicUpdateSlice(operand: X, update: X, startIndices: X[] | ArrayBase, opts: { allowNegativeIndices?: boolean } = {}): ArrayBase {
  const fn = "lax.dynamic_update_slice";
  const op = arg(fn, operand);
  const up = arg(fn, update);
  const starts = startList(fn, startIndices, op.shape.length, opts.allowNegativeIndices ?? true, op.shape);
  return bind1(dynamic_update_slice_p, [op, up, ...starts], {});
}

function inDim(fn: string, rank: number, axis: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new RangeError(`${fn}: axis ${axis} is out of bounds for rank ${rank}`);
  return a;
}

/** lax.dynamic_slice_in_dim(operand, startIndex, sliceSize, axis = 0). */
export function dynamicSliceInDim(operand: X, startIndex: X, sliceSize: number, axis = 0): ArrayBase {
  const fn = "lax.dynamic_slice_in_dim";
  const op = arg(fn, operand);
  const ax = inDim(fn, op.shape.length, axis);
  const starts: X[] = op.shape.map(() => 0);
  starts[ax] = startIndex;
  const sizes = op.shape.slice();
  sizes[ax] = sliceSize;
  return dynamicSlice(op, starts, sizes);
}

/** lax.dynamic_index_in_dim(operand, index, axis = 0, keepdims = true). */
export function dynamicIndexInDim(operand: X, index: X, axis = 0, keepdims = true): ArrayBase {
  const op = arg("lax.dynamic_index_in_dim", operand);
  const ax = inDim("lax.dynamic_index_in_dim", op.shape.length, axis);
  const out = dynamicSliceInDim(op, index, 1, ax);
  return keepdims ? out : bind1(reshape_p, [out], { newSizes: op.shape.filter((_, i) => i !== ax) });
}

/** lax.dynamic_update_slice_in_dim(operand, update, startIndex, axis). */
export function dynamicUpdateSliceInDim(operand: X, update: X, startIndex: X, axis: number): ArrayBase {
  const fn = "lax.dynamic_update_slice_in_dim";
  const op = arg(fn, operand);
  const ax = inDim(fn, op.shape.length, axis);
  const starts: X[] = op.shape.map(() => 0);
  starts[ax] = startIndex;
  return dynamicUpdateSlice(op, update, starts);
}

/** lax.dynamic_update_index_in_dim(operand, update, index, axis): update may lack the axis. */
export function dynamicUpdateIndexInDim(operand: X, update: X, index: X, axis: number): ArrayBase {
  const fn = "lax.dynamic_update_index_in_dim";
  const op = arg(fn, operand);
  const ax = inDim(fn, op.shape.length, axis);
  let up = arg(fn, update);
  if (up.shape.length === op.shape.length - 1) {
    const shape = up.shape.slice();
    shape.splice(ax, 0, 1);
    up = bind1(reshape_p, [up], { newSizes: shape });
  }
  return dynamicUpdateSliceInDim(op, up, index, ax);
}

// ---- derivative and batching rules ------------------------------------------------------------
// gather is linear in the operand; its transpose scatter-adds the cotangent into zeros.
// scatter_add is linear in operand and updates; its transpose gathers the cotangent.
// scatter (set) is linear too: its jvp masks the overwritten operand tangents and, where indices
// may repeat, keeps only the winning update of each element (found by scattering ids, as JAX);
// its transpose zeroes the overwritten cotangent and gives each winning update the cotangent of
// the element it wrote. scatter_mul, scatter_min and scatter_max follow JAX's rules (the min/max
// tangent is averaged over tied winners), with scatter_mul's update tangent also right for
// repeated indices. dynamic_slice and dynamic_update_slice are linear in operand and update.
// Batching never loops: a batch axis becomes an operand/indices batching dimension of gather
// or scatter, and batched start indices turn dynamic slices into gathers/scatters.

type Ct = ArrayBase | null;
const lin = (a: ArrayBase | LinearArg): a is LinearArg => a instanceof LinearArg;
const shapeOf = (a: ArrayBase | LinearArg): number[] => (a instanceof LinearArg ? a.aval.shape : a.shape);
/** A constant of the shape: a broadcast scalar (a stride-0 view eagerly, one broadcast under jit
 * instead of a captured constant as large as the operand). */
const filled = (shape: number[], value: number, dtype: DType): ArrayBase =>
  bind1(broadcast_in_dim_p, [fullArray([], value, dtype)], { shape, broadcastDimensions: [] });
const zerosOf = (shape: number[], dtype: DType): ArrayBase => filled(shape, 0, dtype);
const tangentZeros = (x: ArrayBase): ArrayBase => zerosOf(x.shape, x.dtype);
const shift1 = (axes: number[]): number[] => axes.map((a) => a + 1);
const b2 = (p: Primitive, x: ArrayBase, y: ArrayBase): ArrayBase => bind1(p, [x, y], {});
const selectN = (pred: ArrayBase, onFalse: ArrayBase, onTrue: ArrayBase): ArrayBase => bind1(select_n_p, [pred, onFalse, onTrue], {});

/** Where a scatter drops out-of-bounds windows, the gather reading the same windows fills them. */
function gatherModeOfScatter(mode: GatherScatterMode): GatherScatterMode {
  return mode === "clip" ? "clip" : "fill_or_drop";
}
/** Where a gather clamps (clip, and promise_in_bounds on the CPU), the scatter adding back clamps too. */
function scatterModeOfGather(mode: GatherScatterMode): GatherScatterMode {
  return mode === "fill_or_drop" ? "fill_or_drop" : "clip";
}

/** The gather reading the windows a scatter writes: its dimension numbers and slice sizes. */
function gatherOfScatter(dn: BackendScatterDnums, operandShape: number[], updatesShape: number[]): { dn: BackendGatherDnums; sliceSizes: number[] } {
  let pos = 0;
  const sliceSizes = operandShape.map((_, d) =>
    dn.insertedWindowDims.includes(d) || dn.operandBatchingDims.includes(d) ? 1 : updatesShape[dn.updateWindowDims[pos++]],
  );
  return {
    dn: {
      offsetDims: dn.updateWindowDims,
      collapsedSliceDims: dn.insertedWindowDims,
      startIndexMap: dn.scatterDimsToOperandDims,
      operandBatchingDims: dn.operandBatchingDims,
      startIndicesBatchingDims: dn.scatterIndicesBatchingDims,
    },
    sliceSizes,
  };
}

function scatterOfGather(dn: BackendGatherDnums): BackendScatterDnums {
  return {
    updateWindowDims: dn.offsetDims,
    insertedWindowDims: dn.collapsedSliceDims,
    scatterDimsToOperandDims: dn.startIndexMap,
    operandBatchingDims: dn.operandBatchingDims,
    scatterIndicesBatchingDims: dn.startIndicesBatchingDims,
  };
}

/** gather(x, indices) reading the windows of a scatter with params p (fill value for dropped windows). */
function gatherScatterWindows(x: ArrayBase, indices: ArrayBase, updatesShape: number[], p: ScatterParams, fillValue: number): ArrayBase {
  const g = gatherOfScatter(p.dimensionNumbers, x.shape, updatesShape);
  return bind1(gather_p, [x, indices], {
    dimensionNumbers: g.dn,
    sliceSizes: g.sliceSizes,
    mode: gatherModeOfScatter(p.mode),
    fillValue,
    indicesAreSorted: p.indicesAreSorted,
    uniqueIndices: p.uniqueIndices,
  });
}

/** scatter_add of updates into zeros of the operand's shape, with the scatter's params. */
function scatterAddInto(shape: number[], indices: ArrayBase, updates: ArrayBase, p: ScatterParams): ArrayBase {
  return bind1(scatter_add_p, [zerosOf(shape, updates.dtype), indices, updates], p);
}

/**
 * Which writes of a scatter (set) land: every update (index position) gets an id from 1, the
 * ids are scattered the same way, and an update won where the id read back is its own
 * (dropped updates read back 0 and lose). `written` marks the operand elements overwritten.
 * This holds whatever order a backend applies repeated indices in.
 */
function scatterWinners(operandShape: number[], indices: ArrayBase, updatesShape: number[], p: ScatterParams): { won: ArrayBase; written: ArrayBase } {
  const uwd = p.dimensionNumbers.updateWindowDims;
  const scatterDims = range(updatesShape.length).filter((d) => !uwd.includes(d));
  let ids: ArrayBase = filled(updatesShape, 1, "int32");
  let stride = 1;
  for (let k = scatterDims.length - 1; k >= 0; k--) {
    const d = scatterDims[k];
    const io = bind1(iota_p, [], { dtype: "int32", shape: updatesShape, dimension: d });
    ids = b2(add_p, ids, stride === 1 ? io : b2(mul_p, io, filled(updatesShape, stride, "int32")));
    stride *= updatesShape[d];
  }
  const zeros = zerosOf(operandShape, "int32");
  const scattered = bind1(scatter_p, [zeros, indices, ids], p);
  return {
    won: b2(eq_p, gatherScatterWindows(scattered, indices, updatesShape, p, 0), ids),
    written: b2(ne_p, scattered, zeros),
  };
}

gather_p.rules.jvp = ([x, indices], [t], p) => {
  const out = bind1(gather_p, [x, indices], p);
  if (t === null) return [[out], [null]];
  return [[out], [bind1(gather_p, [t, indices], { ...p, fillValue: 0 })]];
};
gather_p.rules.transpose = ([ct], [x, indices], p) => {
  if (lin(indices)) throw new TypeError("transpose: gather is not linear in its indices");
  if (ct === null || !lin(x)) return [null, null];
  const sp: ScatterParams = {
    dimensionNumbers: scatterOfGather(p.dimensionNumbers),
    mode: scatterModeOfGather(p.mode),
    indicesAreSorted: p.indicesAreSorted,
    uniqueIndices: p.uniqueIndices,
  };
  return [scatterAddInto(shapeOf(x), indices, ct, sp), null];
};
gather_p.rules.batch = ([x, indices], [dx, di], p) => {
  const dn = p.dimensionNumbers;
  if (di === null) {
    // The batch axis is a full-size window dimension of the operand, in front of the output.
    const xb = moveaxis(x, dx!, 0);
    return [[bind1(gather_p, [xb, indices], {
      ...p,
      dimensionNumbers: {
        offsetDims: [0, ...shift1(dn.offsetDims)],
        collapsedSliceDims: shift1(dn.collapsedSliceDims),
        startIndexMap: shift1(dn.startIndexMap),
        operandBatchingDims: shift1(dn.operandBatchingDims),
        startIndicesBatchingDims: dn.startIndicesBatchingDims,
      },
      sliceSizes: [xb.shape[0], ...p.sliceSizes],
    })], [0]];
  }
  const ib = moveaxis(indices, di, 0);
  if (dx === null) {
    // An extra leading batch dimension of the indices: the first batch dimension of the output.
    return [[bind1(gather_p, [x, ib], {
      ...p,
      dimensionNumbers: { ...dn, offsetDims: shift1(dn.offsetDims), startIndicesBatchingDims: shift1(dn.startIndicesBatchingDims) },
    })], [0]];
  }
  // Both batched: the batch axes pair up as an operand batching dimension.
  const xb = moveaxis(x, dx, 0);
  return [[bind1(gather_p, [xb, ib], {
    ...p,
    dimensionNumbers: {
      offsetDims: shift1(dn.offsetDims),
      collapsedSliceDims: shift1(dn.collapsedSliceDims),
      startIndexMap: shift1(dn.startIndexMap),
      operandBatchingDims: [0, ...shift1(dn.operandBatchingDims)],
      startIndicesBatchingDims: [0, ...shift1(dn.startIndicesBatchingDims)],
    },
    sliceSizes: [1, ...p.sliceSizes],
  })], [0]];
};

/** One batching rule for the scatter family: every argument batched in front, paired as batching dims. */
function scatterBatch(prim: Primitive<ScatterParams>) {
  return (args: ArrayBase[], dims: (number | null)[], p: ScatterParams): [ArrayBase[], number[]] => {
    const [xb, ib, ub] = batchToFront(args, dims, batchSize(args, dims));
    const dn = p.dimensionNumbers;
    return [[bind1(prim, [xb, ib, ub], {
      ...p,
      dimensionNumbers: {
        updateWindowDims: shift1(dn.updateWindowDims),
        insertedWindowDims: shift1(dn.insertedWindowDims),
        scatterDimsToOperandDims: shift1(dn.scatterDimsToOperandDims),
        operandBatchingDims: [0, ...shift1(dn.operandBatchingDims)],
        scatterIndicesBatchingDims: [0, ...shift1(dn.scatterIndicesBatchingDims)],
      },
    })], [0]];
  };
}
for (const prim of [scatter_p, scatter_add_p, scatter_mul_p, scatter_min_p, scatter_max_p]) prim.rules.batch = scatterBatch(prim);

/** jvp of a scatter linear in operand and updates (scatter_add, scatter): the same scatter of the tangents. */
function linearScatterJvp(prim: Primitive<ScatterParams>) {
  return ([x, indices, y]: ArrayBase[], [tx, , ty]: Ct[], p: ScatterParams): [ArrayBase[], Ct[]] => {
    const out = bind1(prim, [x, indices, y], p);
    if (tx === null && ty === null) return [[out], [null]];
    return [[out], [bind1(prim, [tx ?? tangentZeros(x), indices, ty ?? tangentZeros(y)], p)]];
  };
}

scatter_add_p.rules.jvp = linearScatterJvp(scatter_add_p);
scatter_add_p.rules.transpose = ([ct], [x, indices, y], p) => {
  if (lin(indices)) throw new TypeError("transpose: scatter_add is not linear in its indices");
  if (ct === null) return [null, null, null];
  const ty = lin(y) ? gatherScatterWindows(ct, indices, shapeOf(y), p, 0) : null;
  return [lin(x) ? ct : null, null, ty];
};

const linearScatterSetJvp = linearScatterJvp(scatter_p);
scatter_p.rules.jvp = (primals, tangents, p) => {
  const [x, indices, y] = primals;
  const [tx, , ty] = tangents;
  if (p.uniqueIndices || (tx === null && ty === null)) return linearScatterSetJvp(primals, tangents, p);
  // As JAX: with repeated indices the winner of each element is found once, and both the value
  // and the tangent are a scatter_add of the winning updates into the operand with the
  // overwritten elements zeroed, so they agree on the winner.
  const { won, written } = scatterWinners(x.shape, indices, y.shape, p);
  const keep = (a: ArrayBase) => selectN(written, a, tangentZeros(a));
  const wins = (a: ArrayBase) => selectN(won, tangentZeros(a), a);
  const out = bind1(scatter_add_p, [keep(x), indices, wins(y)], p);
  return [[out], [bind1(scatter_add_p, [keep(tx ?? tangentZeros(x)), indices, wins(ty ?? tangentZeros(y))], p)]];
};
scatter_p.rules.transpose = ([ct], [x, indices, y], p) => {
  if (lin(indices)) throw new TypeError("transpose: scatter is not linear in its indices");
  if (ct === null) return [null, null, null];
  const ys = shapeOf(y);
  // The operand's cotangent loses the overwritten elements; each update gets the cotangent
  // of the element it wrote, if its write was the one that landed.
  const tx = lin(x) ? bind1(scatter_p, [ct, indices, zerosOf(ys, ct.dtype)], p) : null;
  let ty: Ct = null;
  if (lin(y)) {
    const g = gatherScatterWindows(ct, indices, ys, p, 0);
    ty = p.uniqueIndices ? g : selectN(scatterWinners(shapeOf(x), indices, ys, p).won, zerosOf(ys, ct.dtype), g);
  }
  return [tx, null, ty];
};

scatter_mul_p.rules.jvp = ([x, indices, y], [tx, , ty], p) => {
  const out = bind1(scatter_mul_p, [x, indices, y], p);
  if (tx === null && ty === null) return [[out], [null]];
  // out = x * P with P the product of the updates landing on each element.
  const dx = tx === null ? null : bind1(scatter_mul_p, [tx, indices, y], p);
  let dy: Ct = null;
  if (ty !== null) {
    // dP = sum_k (prod_{j != k} y_j) ty_k without dividing by zero: with no zero update it is
    // P * sum(ty / y); with one zero update, the product of the others times its tangent;
    // with more, 0.
    const dt = y.dtype;
    const ones = filled(y.shape, 1, dt);
    const zerosU = zerosOf(y.shape, dt);
    const isZero = b2(eq_p, y, zerosU);
    const ySafe = selectN(isZero, y, ones);
    const zeroCount = scatterAddInto(x.shape, indices, bind1(convert_element_type_p, [isZero], { newDtype: dt, weakType: false }), p);
    const prodNonzero = bind1(scatter_mul_p, [filled(x.shape, 1, dt), indices, ySafe], p);
    const sumRatio = scatterAddInto(x.shape, indices, selectN(isZero, b2(div_p, ty, ySafe), zerosU), p);
    const zeroTangent = scatterAddInto(x.shape, indices, selectN(isZero, zerosU, ty), p);
    const zerosX = zerosOf(x.shape, dt);
    const dP = selectN(
      b2(eq_p, zeroCount, zerosX),
      selectN(b2(eq_p, zeroCount, filled(x.shape, 1, dt)), zerosX, b2(mul_p, prodNonzero, zeroTangent)),
      b2(mul_p, prodNonzero, sumRatio),
    );
    dy = b2(mul_p, x, dP);
  }
  return [[out], [dx === null ? dy : dy === null ? dx : b2(add_p, dx, dy)]];
};
scatter_mul_p.rules.transpose = ([ct], [x, indices, y], p) => {
  if (lin(y) || lin(indices)) throw new TypeError("transpose: scatter_mul is linear only in its operand");
  return [ct === null || !lin(x) ? null : bind1(scatter_mul_p, [ct, indices, y], p), null, null];
};

/** scatter_min / scatter_max: the tangent of each element averaged over the tied winners (operand and updates). */
function extremalScatterJvp(prim: Primitive<ScatterParams>) {
  return ([x, indices, y]: ArrayBase[], [tx, , ty]: Ct[], p: ScatterParams): [ArrayBase[], Ct[]] => {
    const out = bind1(prim, [x, indices, y], p);
    if (tx === null && ty === null) return [[out], [null]];
    const dt = x.dtype;
    const asFloat = (b: ArrayBase) => bind1(convert_element_type_p, [b], { newDtype: dt, weakType: false });
    // Dropped updates read NaN back, which equals nothing.
    const updWon = asFloat(b2(eq_p, y, gatherScatterWindows(out, indices, y.shape, p, NaN)));
    const opWon = asFloat(b2(eq_p, x, out));
    const count = b2(add_p, opWon, scatterAddInto(x.shape, indices, updWon, p));
    const safeCount = b2(max_p, count, filled(x.shape, 1, dt));
    const fromOp = tx === null ? null : b2(mul_p, opWon, tx);
    const fromUpd = ty === null ? null : scatterAddInto(x.shape, indices, b2(mul_p, updWon, ty), p);
    const sum = fromOp === null ? fromUpd! : fromUpd === null ? fromOp : b2(add_p, fromOp, fromUpd);
    return [[out], [b2(div_p, sum, safeCount)]];
  };
}
scatter_min_p.rules.jvp = extremalScatterJvp(scatter_min_p);
scatter_max_p.rules.jvp = extremalScatterJvp(scatter_max_p);

const int32Zero = () => fullArray([], 0, "int32");

dynamic_slice_p.rules.jvp = ([x, ...starts], [t], p) => {
  const out = bind1(dynamic_slice_p, [x, ...starts], p);
  return [[out], [t === null ? null : bind1(dynamic_slice_p, [t, ...starts], p)]];
};
dynamic_slice_p.rules.transpose = ([ct], [x, ...starts]) => {
  if (starts.some(lin)) throw new TypeError("transpose: dynamic_slice is not linear in its start indices");
  if (ct === null || !lin(x)) return [null, ...starts.map(() => null)];
  return [bind1(dynamic_update_slice_p, [zerosOf(shapeOf(x), ct.dtype), ct, ...(starts as ArrayBase[])], {}), ...starts.map(() => null)];
};
dynamic_slice_p.rules.batch = ([x, ...starts], [dx, ...ds], { sliceSizes }) => {
  const all = [x, ...starts];
  const k = [dx, ...ds].findIndex((d) => d !== null);
  const n = all[k].shape[[dx, ...ds][k]!];
  const xb = dx === null ? broadcastAxis(x, n, 0) : moveaxis(x, dx, 0);
  if (ds.every((d) => d === null)) {
    return [[bind1(dynamic_slice_p, [xb, int32Zero(), ...starts], { sliceSizes: [n, ...sliceSizes] })], [0]];
  }
  // Batched starts: one gather with a start vector per batch element, clamped like dynamic_slice.
  const r = sliceSizes.length;
  return [[bind1(gather_p, [xb, startMatrix(starts, ds, n)], {
    dimensionNumbers: {
      offsetDims: shift1(range(r)), collapsedSliceDims: [], startIndexMap: shift1(range(r)), operandBatchingDims: [0], startIndicesBatchingDims: [0],
    },
    sliceSizes: [1, ...sliceSizes],
    mode: "clip",
    fillValue: null,
    indicesAreSorted: false,
    uniqueIndices: false,
  })], [0]];
};

/** The start indices of a batch as an int32 [n, r] matrix (unbatched ones repeated). */
function startMatrix(starts: ArrayBase[], dims: (number | null)[], n: number): ArrayBase {
  const cols = starts.map((s, i) => {
    const s32 = s.dtype === "int32" ? s : bind1(convert_element_type_p, [s], { newDtype: "int32", weakType: false });
    const v = dims[i] === null ? broadcastAxis(s32, n, 0) : s32; // a batched scalar is [n]
    return bind1(reshape_p, [v], { newSizes: [n, 1] });
  });
  return cols.length === 1 ? cols[0] : bind1(concatenate_p, cols, { dimension: 1 });
}

dynamic_update_slice_p.rules.jvp = ([x, u, ...starts], [tx, tu]) => {
  const out = bind1(dynamic_update_slice_p, [x, u, ...starts], {});
  if (tx === null && tu === null) return [[out], [null]];
  return [[out], [bind1(dynamic_update_slice_p, [tx ?? tangentZeros(x), tu ?? tangentZeros(u), ...starts], {})]];
};
dynamic_update_slice_p.rules.transpose = ([ct], [x, u, ...starts]) => {
  if (starts.some(lin)) throw new TypeError("transpose: dynamic_update_slice is not linear in its start indices");
  const none = starts.map(() => null);
  if (ct === null) return [null, null, ...none];
  const s = starts as ArrayBase[];
  const us = shapeOf(u);
  const tx = lin(x) ? bind1(dynamic_update_slice_p, [ct, zerosOf(us, ct.dtype), ...s], {}) : null;
  const tu = lin(u) ? bind1(dynamic_slice_p, [ct, ...s], { sliceSizes: us }) : null;
  return [tx, tu, ...none];
};
dynamic_update_slice_p.rules.batch = ([x, u, ...starts], [dx, du, ...ds]) => {
  const all = [x, u, ...starts];
  const dims = [dx, du, ...ds];
  const n = batchSize(all, dims);
  const xb = dx === null ? broadcastAxis(x, n, 0) : moveaxis(x, dx, 0);
  const ub = du === null ? broadcastAxis(u, n, 0) : moveaxis(u, du, 0);
  if (ds.every((d) => d === null)) return [[bind1(dynamic_update_slice_p, [xb, ub, int32Zero(), ...starts], {})], [0]];
  // Batched starts: one scatter of each batch element's window at its own (clamped) start.
  const r = starts.length;
  return [[bind1(scatter_p, [xb, startMatrix(starts, ds, n), ub], {
    dimensionNumbers: {
      updateWindowDims: shift1(range(r)), insertedWindowDims: [], scatterDimsToOperandDims: shift1(range(r)), operandBatchingDims: [0], scatterIndicesBatchingDims: [0],
    },
    mode: "clip",
    indicesAreSorted: true,
    uniqueIndices: true,
  })], [0]];
};
