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
import { definePrimitive, type Aval, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { arg } from "../numpy/convert.js";
import type { GatherDimensionNumbers as BackendGatherDnums, ScatterDimensionNumbers as BackendScatterDnums } from "../runtime/backend.js";
import { deviceOf, emptyArray, materialize } from "../runtime/eager.js";
import { add_p, convert_element_type_p, lt_p, neg_p, select_n_p } from "./elementwise.js";
import { concatenate_p, reshape_p, slice_p } from "./structural.js";

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
