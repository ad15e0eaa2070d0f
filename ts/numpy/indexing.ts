// Indexing (jax.numpy): x.get(index) (getitem), functional updates x.at(index).set(v) /
// .add / .subtract / .multiply / .divide / .power / .min / .max / .get, take, takeAlongAxis,
// unravelIndex, ravelMultiIndex, nonzero, argwhere, flatnonzero.
//
// JAX's rules (see ./indexer.ts): out-of-bounds integer reads clamp by default
// (`np.arange(10).get(11)` is 9, where NumPy raises); `.at(i).get({ mode: "fill" })` fills;
// out-of-bounds updates are dropped; negative indices wrap; repeated indices accumulate in
// .add/.multiply/.min/.max; boolean masks need concrete values (eager only, as outside jit).
import { ArrayBase } from "../array/base.js";
import { isBool, isInteger, isUnsigned, type DType } from "../array/dtype.js";
import { resultType } from "../array/promotion.js";
import { fmtShape, normalizeAxis } from "../array/shape.js";
import { methodTable } from "../array/base.js";
import { bind1 } from "../core/trace.js";
import { reduce_sum_p } from "../lax/reduce.js";
import { cumsum_p } from "../lax/sort.js";
import {
  gather_p, parseMode, scatter_add_p, scatter_max_p, scatter_min_p, scatter_mul_p, scatter_p, type GatherScatterMode,
} from "../lax/indexing.js";
import { arg, asarray, type DTypeArg, type Nested } from "./convert.js";
import { promoteArgs } from "./promote.js";
import {
  checkIndex, expandBoolIndices, indexToGather, parseIndex, rewritingTake, type TakeOptions,
} from "./indexer.js";
import {
  add, bcastTo, concat, concreteValues, constant, cvt, describe, dtypeArg, expandDimsAt, floorDivmodConst, full, ge, gt, intArg, iota,
  isArray, isPlainObject, lt, mul, ne, neg, range, reshape, rev, select, sub, takeAxis, transpose, withConst, minimum, maximum,
} from "./shape_helpers.js";

type X = ArrayBase | number | boolean;

// ---- x[index] and x.at[index] ------------------------------------------------------------------

/**
 * x[index] with JAX's semantics; `index` is a number, an index string ("::2, 3:", "..., None",
 * "-1"), null (newaxis), an integer or boolean array, a nested list of integers (an integer
 * array), or a list of per-axis entries (numbers, strings, null, arrays, lists).
 */
export function getitem(x: X, index: unknown): ArrayBase {
  return rewritingTake("getitem", arg("getitem", x), index);
}

export interface UpdateOptions {
  /** "fill"/"drop" (default: out-of-bounds updates are dropped), "clip", "promise_in_bounds". */
  mode?: GatherScatterMode | "fill" | "drop" | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  wrapNegativeIndices?: boolean;
}
export interface GetOptions extends UpdateOptions {
  /** For mode "fill": NaN for floats, INT_MIN for signed ints, the maximum for unsigned, true for bool. */
  fillValue?: number | boolean | null;
}

type ScatterPrim = typeof scatter_p;

/** JAX's _scatter_update: x[idx] (op)= y, functionally. */
function scatterUpdate(fn: string, x0: ArrayBase, index: unknown, values: unknown, prim: ScatterPrim, opts: UpdateOptions): ArrayBase {
  const x = x0;
  let y: ArrayBase;
  if (typeof values === "number" && Number.isInteger(values) && isInteger(x.dtype) && inRange(values, x.dtype)) {
    y = asarray(values, x.dtype);
  } else if (values instanceof ArrayBase || typeof values === "number" || typeof values === "boolean") {
    y = arg(fn, values);
  } else if (globalThis.Array.isArray(values) || ArrayBuffer.isView(values)) {
    y = asarray(values as Nested);
  } else {
    throw new TypeError(`${fn}: the update values must be an array, a number, a boolean or a (nested) list, got ${describe(values)}`);
  }
  const mode = parseMode(fn, opts.mode, "fill_or_drop");
  const normalize = opts.wrapNegativeIndices ?? true;
  let entries = parseIndex(fn, index);
  checkIndex(fn, entries, x.shape);
  entries = expandBoolIndices(fn, entries, x.shape);
  const g = indexToGather(fn, x.shape, entries, normalize);
  if (g.sliceShape.some((d) => d === 0)) return x;
  const [xp, yp] = promoteArgs(fn, [x, y]);
  const lead = g.sliceShape.length - yp.shape.length;
  if (lead < 0 || yp.shape.some((d, i) => d !== 1 && d !== g.sliceShape[lead + i])) {
    throw new TypeError(`${fn}: cannot broadcast the update values of shape ${fmtShape(yp.shape)} to the indexed shape ${fmtShape(g.sliceShape)}`);
  }
  let upd = bcastTo(yp, g.sliceShape);
  if (g.newaxisDims.length) upd = reshape(upd, upd.shape.filter((_, i) => !g.newaxisDims.includes(i)));
  upd = rev(upd, g.reversedYDims);
  let op = xp;
  if (g.scalarBoolDims.length) op = expandDimsAt(op, g.scalarBoolDims);
  let out = bind1(prim, [op, g.gatherIndices, upd], {
    dimensionNumbers: {
      updateWindowDims: g.dnums.offsetDims,
      insertedWindowDims: g.dnums.collapsedSliceDims,
      scatterDimsToOperandDims: g.dnums.startIndexMap,
      operandBatchingDims: [],
      scatterIndicesBatchingDims: [],
    },
    mode,
    indicesAreSorted: !!opts.indicesAreSorted || g.indicesAreSorted,
    uniqueIndices: !!opts.uniqueIndices || g.uniqueIndices,
  });
  if (g.scalarBoolDims.length) out = reshape(out, out.shape.filter((_, i) => !g.scalarBoolDims.includes(i)));
  return cvt(out, x.dtype, x.weakType);
}

function inRange(v: number, d: DType): boolean {
  const bits = d.endsWith("8") ? 8 : d.endsWith("16") ? 16 : 32;
  return isUnsigned(d) ? v >= 0 && v < 2 ** bits : v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);
}

/** A numpy function by name (the ufuncs live in other modules; looked up when called). */
function np(name: string): (...a: unknown[]) => ArrayBase {
  const f = methodTable[name];
  if (!f) throw new Error(`edgejax: numpy.${name} is not available`);
  return f;
}

/** The object returned by x.at(index): functional updates and reads at `index`. */
export class IndexUpdateRef {
  constructor(
    readonly array: ArrayBase,
    readonly index: unknown,
  ) {}
  /** x[index], with options (mode "fill" and fillValue, or "clip"). */
  get(opts: GetOptions = {}): ArrayBase {
    return rewritingTake("at.get", this.array, this.index, opts as TakeOptions);
  }
  /** x[index] = values. With repeated indices one of the updates wins (unspecified which). */
  set(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    return scatterUpdate("at.set", this.array, this.index, values, scatter_p, opts);
  }
  /** x[index] += values; repeated indices accumulate every update. */
  add(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    return scatterUpdate("at.add", this.array, this.index, values, scatter_add_p, opts);
  }
  /** x[index] -= values. */
  subtract(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    const fn = "at.subtract";
    const v = values instanceof ArrayBase ? values : globalThis.Array.isArray(values) ? asarray(values as Nested) : values;
    const negated = v instanceof ArrayBase ? neg(v) : typeof v === "number" ? -v : v;
    if (typeof negated === "boolean" || (negated instanceof ArrayBase && isBool(negated.dtype))) {
      throw new TypeError(`${fn}: boolean values cannot be subtracted`);
    }
    return scatterUpdate(fn, this.array, this.index, negated, scatter_add_p, opts);
  }
  /** x[index] *= values; repeated indices multiply every update. */
  multiply(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    return scatterUpdate("at.multiply", this.array, this.index, values, scatter_mul_p, opts);
  }
  /** Alias of multiply. */
  mul(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    return this.multiply(values, opts);
  }
  /** x[index] /= values: np.divide(x, ones.at(index).multiply(values)), as JAX. */
  divide(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    const ones = full(this.array.shape, 1, this.array.dtype, this.array.weakType);
    return np("divide")(this.array, scatterUpdate("at.divide", ones, this.index, values, scatter_mul_p, opts));
  }
  /** x[index] **= values: np.power(x, ones.at(index).multiply(values)), as JAX. */
  power(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    const ones = full(this.array.shape, 1, this.array.dtype, this.array.weakType);
    return np("power")(this.array, scatterUpdate("at.power", ones, this.index, values, scatter_mul_p, opts));
  }
  /** x[index] = minimum(x[index], values). */
  min(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    return scatterUpdate("at.min", this.array, this.index, values, scatter_min_p, opts);
  }
  /** x[index] = maximum(x[index], values). */
  max(values: unknown, opts: UpdateOptions = {}): ArrayBase {
    return scatterUpdate("at.max", this.array, this.index, values, scatter_max_p, opts);
  }
}

/** x.at(index): the helper for functional indexed updates (JAX's x.at[index]). */
export function at(x: X, index: unknown): IndexUpdateRef {
  return new IndexUpdateRef(arg("at", x), index);
}

// ---- take / takeAlongAxis ----------------------------------------------------------------------

export interface TakeFnOptions {
  axis?: number | null;
  /** "fill" (default: out-of-bounds indices give fillValue), "clip" or "wrap". */
  mode?: "fill" | "clip" | "wrap" | "promise_in_bounds" | null;
  fillValue?: number | boolean | null;
  uniqueIndices?: boolean;
  indicesAreSorted?: boolean;
}

function intIndices(fn: string, v: unknown): ArrayBase {
  const a = arg(fn, v);
  if (!isInteger(a.dtype)) throw new TypeError(`${fn}: indices must have an integer dtype, got ${a.dtype}`);
  return a;
}

/** Python's i % n on integer arrays (n > 0). */
function wrapIndex(i: ArrayBase, n: number): ArrayBase {
  return floorDivmodConst(cvt(i, "int32"), n)[1];
}

/** Negative indices wrap once (i < 0 -> i + n), in int32. */
function normalizeIndex(i: ArrayBase, n: number): ArrayBase {
  const a = cvt(i, "int32");
  if (isUnsigned(i.dtype)) return a;
  return select(withConst(lt, a, 0), withConst(add, a, n), a);
}

/**
 * np.take(a, indices, axis = null, { mode = "fill", fillValue }): out-of-bounds indices give the
 * fill value (NaN, INT_MIN, ...) by default, as in JAX (NumPy raises).
 */
export function take(a: X, indices: X, axis?: number | null | TakeFnOptions, opts: TakeFnOptions = {}): ArrayBase {
  const fn = "take";
  const o: TakeFnOptions = { ...(isPlainObject(axis) ? (axis as TakeFnOptions) : { axis: axis as number | null | undefined }), ...opts };
  let x = arg(fn, a);
  let idx = intIndices(fn, indices);
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = reshape(x, [x.size]);
    ax = 0;
  } else ax = normalizeAxis(fn, o.axis, x.shape.length);
  const n = x.shape[ax];
  let mode: GatherScatterMode;
  const m = o.mode ?? "fill";
  if (m === "fill") {
    mode = "fill_or_drop";
    idx = normalizeIndex(idx, n);
  } else if (m === "wrap") {
    idx = n > 0 ? wrapIndex(idx, n) : idx;
    mode = "promise_in_bounds";
  } else if (m === "clip") mode = "clip";
  else if (m === "promise_in_bounds") mode = m;
  else throw new TypeError(`${fn}: invalid mode ${JSON.stringify(m)}; use "fill", "clip" or "wrap" ("raise" is not supported)`);
  if (n === 0) {
    if (idx.size !== 0) throw new RangeError(`${fn}: cannot do a non-empty take from an empty axis`);
    return x;
  }
  const outShape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  if (idx.size === 0) return full(outShape, 0, x.dtype, x.weakType);
  const fill = o.fillValue === undefined || o.fillValue === null ? null : Number(o.fillValue);
  return takeAxis(x, idx, ax, mode, fill);
}

/** np.takeAlongAxis(arr, indices, axis = -1, { mode = "fill", fillValue, wrapNegativeIndices }). */
export function takeAlongAxis(
  arr: X,
  indices: X,
  axis?: number | null | { axis?: number | null; mode?: string | null; fillValue?: number | boolean | null; wrapNegativeIndices?: boolean },
  opts: { mode?: string | null; fillValue?: number | boolean | null; wrapNegativeIndices?: boolean } = {},
): ArrayBase {
  const fn = "takeAlongAxis";
  const o = { ...(isPlainObject(axis) ? (axis as object) : { axis: axis === undefined ? -1 : axis }), ...opts } as {
    axis?: number | null; mode?: string | null; fillValue?: number | boolean | null; wrapNegativeIndices?: boolean;
  };
  let a = arg(fn, arr);
  let idx = intIndices(fn, indices);
  let axIn = o.axis === undefined ? -1 : o.axis;
  if (axIn === null) {
    if (idx.shape.length !== 1) throw new TypeError(`${fn}: indices must be 1-D when axis is null, got shape ${fmtShape(idx.shape)}`);
    a = reshape(a, [a.size]);
    axIn = 0;
  }
  const rank = a.shape.length;
  if (idx.shape.length !== rank) {
    throw new TypeError(`${fn}: indices and arr must have the same number of dimensions, got ${idx.shape.length} and ${rank}`);
  }
  const ax = normalizeAxis(fn, axIn, rank);
  const arrShape = a.shape.map((d, i) => (i === ax ? 1 : d));
  const outShape = arrShape.map((d, i) => {
    const e = idx.shape[i];
    if (d !== e && d !== 1 && e !== 1) {
      throw new TypeError(`${fn}: indices of shape ${fmtShape(idx.shape)} do not broadcast with arr of shape ${fmtShape(a.shape)} outside axis ${ax}`);
    }
    return d === 1 ? e : d;
  });
  const axisSize = a.shape[ax];
  if (axisSize === 0) return full(outShape, 0, a.dtype);
  const mode = o.mode === undefined || o.mode === null ? "fill_or_drop" : parseMode(fn, o.mode, "fill_or_drop");
  const wrap = o.wrapNegativeIndices ?? o.mode !== "promise_in_bounds";
  idx = wrap ? normalizeIndex(idx, axisSize) : cvt(idx, "int32");
  const indexDims = range(rank).filter((i) => i === ax || idx.shape[i] !== 1);
  const gatherIndices = reshape(idx, [...indexDims.map((i) => outShape[i]), 1]);
  const sliceSizes: number[] = [];
  const offsetDims: number[] = [];
  const startIndexMap: number[] = [];
  const collapsed: number[] = [];
  const obd: number[] = [];
  const sbd: number[] = [];
  const squeeze: number[] = [];
  let ni = 0;
  let j = 0;
  for (let i = 0; i < rank; i++) {
    if (i === ax) {
      sliceSizes.push(1);
      startIndexMap.push(ni);
      collapsed.push(ni);
      ni++;
      j++;
    } else if (idx.shape[i] === 1) {
      offsetDims.push(i);
      sliceSizes.push(arrShape[i]);
      ni++;
    } else if (arrShape[i] === 1) {
      squeeze.push(i);
      j++;
    } else {
      sliceSizes.push(arrShape[i] === 0 ? 0 : 1);
      obd.push(ni);
      sbd.push(j);
      ni++;
      j++;
    }
  }
  const sq = squeeze.length ? reshape(a, a.shape.filter((_, i) => !squeeze.includes(i))) : a;
  const fill = o.fillValue === undefined || o.fillValue === null ? null : Number(o.fillValue);
  return bind1(gather_p, [sq, gatherIndices], {
    dimensionNumbers: { offsetDims, collapsedSliceDims: collapsed, startIndexMap, operandBatchingDims: obd, startIndicesBatchingDims: sbd },
    sliceSizes,
    mode,
    fillValue: mode === "fill_or_drop" ? fill : null,
    indicesAreSorted: false,
    uniqueIndices: false,
  });
}

// ---- index conversions ---------------------------------------------------------------------------

/**
 * np.unravelIndex(indices, shape): a list of coordinate arrays. Out-of-range flat indices
 * clamp (JAX's behaviour; NumPy raises); -1 wraps to the last element.
 */
export function unravelIndex(indices: X, shape: number | number[]): ArrayBase[] {
  const fn = "unravelIndex";
  let idx = intIndices(fn, indices);
  const dims = (typeof shape === "number" ? [shape] : shape).map((d) => intArg(fn, "shape", d));
  const out: ArrayBase[] = new globalThis.Array(dims.length);
  for (let i = dims.length - 1; i >= 0; i--) {
    const s = dims[i];
    if (s === 0) throw new RangeError(`${fn}: cannot unravel into a shape with a zero dimension (${fmtShape(dims)})`);
    const [q, r] = floorDivmodConst(idx, s);
    idx = q;
    out[i] = r;
  }
  const oobPos = withConst(gt, idx, 0);
  const oobNeg = isUnsigned(idx.dtype) ? full(idx.shape, false, "bool") : withConst(lt, idx, -1);
  return out.map((r, i) =>
    select(oobPos, full(r.shape, dims[i] - 1, r.dtype, r.weakType), select(oobNeg, full(r.shape, 0, r.dtype, r.weakType), r)),
  );
}

/** np.ravelMultiIndex(multiIndex, dims, { mode = "raise" | "wrap" | "clip", order = "C", dtype }). */
export function ravelMultiIndex(
  multiIndex: X[],
  dims: number[],
  opts: { mode?: "raise" | "wrap" | "clip" | "ignore"; order?: "C" | "F"; dtype?: DTypeArg | null } | "raise" | "wrap" | "clip" = {},
): ArrayBase {
  const fn = "ravelMultiIndex";
  const o = typeof opts === "string" ? { mode: opts } : opts;
  if (!globalThis.Array.isArray(multiIndex) || multiIndex.length !== dims.length) {
    throw new TypeError(`${fn}: needs one index array per dimension (${dims.length}), got ${describe(multiIndex)}`);
  }
  const ds = dims.map((d) => intArg(fn, "dims", d));
  let idx = multiIndex.map((m) => intIndices(fn, m));
  const rt = resultType({ dtype: "int32", weak: true }, ...idx.map((a) => ({ dtype: a.dtype, weak: a.weakType })));
  const dtype = dtypeArg(fn, o.dtype) ?? rt.dtype;
  if (!isInteger(dtype)) throw new TypeError(`${fn}: dtype ${dtype} is not an integer type`);
  const mode = o.mode ?? "raise";
  if (mode === "raise") {
    // Checking the indices needs their values (JAX: concrete_or_error with mode="raise").
    idx.forEach((a, k) => {
      const v = concreteValues(fn, 'with mode "raise", the indices', a, 'use mode "clip" or "wrap" inside jit');
      for (let i = 0; i < v.length; i++) {
        if (v[i] < 0 || v[i] >= ds[k]) {
          throw new RangeError(`${fn}: invalid entry ${v[i]} in the coordinates for a dimension of size ${ds[k]}; pass { mode: "clip" } or "wrap"`);
        }
      }
    });
  } else if (mode === "clip") {
    idx = idx.map((a, k) => minimum(maximum(a, full(a.shape, 0, a.dtype, a.weakType)), full(a.shape, ds[k] - 1, a.dtype, a.weakType)));
  } else if (mode === "wrap") {
    idx = idx.map((a, k) => floorDivmodConst(a, ds[k])[1]);
  } else if (mode !== "ignore") {
    throw new TypeError(`${fn}: invalid mode ${JSON.stringify(mode)}; use "raise", "wrap", "clip" or "ignore"`);
  }
  const order = o.order ?? "C";
  let strides: number[];
  if (order === "C") strides = ds.map((_, i) => ds.slice(i + 1).reduce((p, d) => p * d, 1));
  else if (order === "F") strides = ds.map((_, i) => ds.slice(0, i).reduce((p, d) => p * d, 1));
  else throw new TypeError(`${fn}: invalid order ${JSON.stringify(order)}; use "C" or "F"`);
  const shape = idx.reduce<number[]>((s, a) => bshape(fn, s, a.shape), []);
  let result = full(shape, 0, dtype);
  idx.forEach((a, k) => {
    const c = bcastTo(cvt(a, dtype), shape);
    result = add(result, mul(c, full(shape, strides[k], dtype)));
  });
  return result;
}

function bshape(fn: string, a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return range(n).map((i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new TypeError(`${fn}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    return x === 1 ? y : x;
  });
}

// ---- nonzero -----------------------------------------------------------------------------------

export interface NonzeroOptions {
  /** A static number of results (required under jit): extra slots get fillValue, extra nonzeros are dropped. */
  size?: number | null;
  /** Default 0; a scalar or one scalar per dimension. */
  fillValue?: number | number[] | ArrayBase | null;
}

/**
 * np.nonzero(a, { size, fillValue }): one int32 index array per dimension. Without `size` the
 * number of nonzeros is read from the device, as JAX does outside jit.
 */
export function nonzero(a: X, opts: NonzeroOptions = {}): ArrayBase[] {
  const fn = "nonzero";
  const x = arg(fn, a);
  if (x.shape.length === 0) throw new TypeError(`${fn}: calling nonzero on 0-d arrays is not allowed; use np.atleast1d(x) first`);
  const mask = isBool(x.dtype) ? x : ne(x, full(x.shape, 0, x.dtype, x.weakType));
  const flatMask = reshape(cvt(mask, "int32"), [x.size]);
  const count = () => bind1(reduce_sum_p, [flatMask], { axes: [0] });
  let size: number;
  if (opts.size === undefined || opts.size === null) {
    // Host read: the result's shape depends on the values (JAX's concrete_dim_or_error).
    size = concreteValues(fn, "without `size`, the number of nonzeros", count(), "pass { size } inside jit")[0];
  } else size = intArg(fn, "size", opts.size);
  if (size < 0) throw new RangeError(`${fn}: size must be non-negative, got ${size}`);
  if (x.size === 0 || size === 0) return x.shape.map(() => full([size], 0, "int32"));
  // Slot of each nonzero = (running count - 1); others scatter out of bounds (dropped).
  const csum = bind1(cumsum_p, [flatMask], { axis: 0, reverse: false });
  const slot = select(cvt(flatMask, "bool"), withConst(sub, csum, 1), full([x.size], size, "int32"));
  const flat = bind1(scatter_p, [full([size], x.size, "int32"), reshape(slot, [x.size, 1]), iota("int32", [x.size], 0)], {
    dimensionNumbers: { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] },
    mode: "fill_or_drop",
    indicesAreSorted: true,
    uniqueIndices: true,
  });
  // Unused slots hold x.size, which unravels to zeros (JAX's default fill value 0).
  const strides = x.shape.map((_, i) => x.shape.slice(i + 1).reduce((p, d) => p * d, 1));
  let out = x.shape.map((d, i) => floorDivmodConst(floorDivmodConst(flat, strides[i])[0], d)[1]);
  if (opts.fillValue !== undefined && opts.fillValue !== null) {
    const fv = opts.fillValue;
    const fills: X[] = globalThis.Array.isArray(fv) ? fv : isArray(fv) && fv.shape.length === 1 ? range(fv.shape[0]).map((i) => reshape(sliceOne(fv, i), [])) : x.shape.map(() => fv as X);
    if (fills.length !== x.shape.length) throw new TypeError(`${fn}: fillValue must be a scalar or have one entry per dimension (${x.shape.length})`);
    const fillMask = ge(iota("int32", [size], 0), bcastTo(count(), [size]));
    out = out.map((o, i) => {
      const f = arg(fn, fills[i]);
      if (f.shape.length !== 0) throw new TypeError(`${fn}: fillValue entries must be scalars, got shape ${fmtShape(f.shape)}`);
      const [oo, ff] = promoteArgs(fn, [o, f]);
      return select(fillMask, bcastTo(ff, [size]), oo);
    });
  }
  return out;
}

function sliceOne(x: ArrayBase, i: number): ArrayBase {
  return takeAxis(x, constant(i, "int32"), 0, "clip");
}

/** np.argwhere(a, { size, fillValue }): the nonzero coordinates as rows of a [count, ndim] array. */
export function argwhere(a: X, opts: NonzeroOptions = {}): ArrayBase {
  const fn = "argwhere";
  const x = arg(fn, a);
  const x1 = x.shape.length === 0 ? reshape(x, [1]) : x;
  const cols = nonzero(x1, opts);
  const n = cols[0].shape[0];
  const res = transpose(concat(cols.map((c) => reshape(c, [1, n])), 0), [1, 0]);
  // A 0-d input gives [count, 0] (JAX: result[:0].reshape(count, 0)).
  if (x.shape.length === 0) return full([n, 0], 0, "int32");
  return res;
}

/** np.flatnonzero(a, { size, fillValue }): indices of the nonzeros of the flattened array. */
export function flatnonzero(a: X, opts: NonzeroOptions = {}): ArrayBase {
  const x = arg("flatnonzero", a);
  return nonzero(reshape(x, [x.size]), opts)[0];
}

