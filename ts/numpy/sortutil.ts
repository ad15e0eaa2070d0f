// Internal helpers of the sorting, set and histogram functions (not exported from numpy):
// thin wrappers over lax primitives through bind (so they trace), and the sort-based
// compaction that replaces `x[nonzero(mask, size=...)]` without gather or scatter.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import type { DType } from "../array/dtype.js";
import { fmtShape } from "../array/shape.js";
import type { Primitive } from "../core/primitive.js";
import { bind, bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import * as R from "../lax/reduce.js";
import { cumsum_p, sort_p } from "../lax/sort.js";
import * as S from "../lax/structural.js";
import { scalar } from "./convert.js";
import { gather_p, scatter_add_p, scatter_max_p } from "../lax/indexing.js";

export type A = ArrayBase;

export const un = (p: Primitive, x: A): A => bind1(p, [x], {});
export const bin = (p: Primitive, x: A, y: A): A => bind1(p, [x, y], {});

export function cast(x: A, dtype: DType): A {
  if (x.dtype === dtype && !x.weakType) return x;
  return bind1(E.convert_element_type_p, [x], { newDtype: dtype, weakType: false });
}

/** A constant of the given dtype and shape (a broadcast scalar). */
export function full(value: number | boolean, dtype: DType, shape: number[] = []): A {
  const s = cast(scalar("full", typeof value === "boolean" ? Number(value) : value, dtype === "bool" ? "int32" : dtype), dtype);
  return shape.length ? bind1(S.broadcast_in_dim_p, [s], { shape, broadcastDimensions: [] }) : s;
}

/** Broadcasts x (of a shape that right-aligns with `shape`) to `shape`. */
export function bcast(x: A, shape: number[]): A {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const lead = shape.length - x.shape.length;
  return bind1(S.broadcast_in_dim_p, [x], { shape, broadcastDimensions: x.shape.map((_, i) => i + lead) });
}

export const iota = (dtype: DType, shape: number[], dimension = 0): A => bind1(S.iota_p, [], { dtype, shape, dimension });

/** where(pred, t, f) with pred bool; t and f broadcast to pred's shape. */
export function select(pred: A, t: A, f: A): A {
  const shape = pred.shape;
  return bind1(E.select_n_p, [pred, bcast(f, shape), bcast(t, shape)], {});
}

export const not = (x: A): A => un(E.not_p, x);
export const and = (x: A, y: A): A => bin(E.and_p, x, y);
export const or = (x: A, y: A): A => bin(E.or_p, x, y);
export const eq = (x: A, y: A): A => bin(E.eq_p, x, y);
export const ne = (x: A, y: A): A => bin(E.ne_p, x, y);
export const lt = (x: A, y: A): A => bin(E.lt_p, x, y);
export const le = (x: A, y: A): A => bin(E.le_p, x, y);
export const ge = (x: A, y: A): A => bin(E.ge_p, x, y);
export const gt = (x: A, y: A): A => bin(E.gt_p, x, y);
export const add = (x: A, y: A): A => bin(E.add_p, x, y);
export const sub = (x: A, y: A): A => bin(E.sub_p, x, y);
export const mul = (x: A, y: A): A => bin(E.mul_p, x, y);
export const div = (x: A, y: A): A => bin(E.div_p, x, y);
export const isnan = (x: A): A => un(E.is_nan_p, x);

export const reshape = (x: A, shape: number[]): A =>
  x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : bind1(S.reshape_p, [x], { newSizes: shape });
export const ravel = (x: A): A => reshape(x, [x.size]);
export const rev = (x: A, dim: number): A => bind1(S.rev_p, [x], { dimensions: [dim] });
export const concat = (xs: A[], dim: number): A => (xs.length === 1 ? xs[0] : bind1(S.concatenate_p, xs, { dimension: dim }));

/** Moves axis `from` to position `to`. */
export function moveAxis(x: A, from: number, to: number): A {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return bind1(S.transpose_p, [x], { permutation: perm });
}

/** x[start:stop] along `axis` (static bounds, clipped like Python slices of non-negative ints). */
export function sliceAxis(x: A, axis: number, start: number, stop: number): A {
  const n = x.shape[axis];
  const s = Math.max(0, Math.min(start, n));
  const e = Math.max(s, Math.min(stop, n));
  if (s === 0 && e === n) return x;
  const st = x.shape.map(() => 0);
  const lim = x.shape.slice();
  st[axis] = s;
  lim[axis] = e;
  return bind1(S.slice_p, [x], { startIndices: st, limitIndices: lim, strides: null });
}

/** x[i] along axis 0 of a 1-D array, as a 0-d array (static i, negative from the end). */
export function elem(x: A, i: number): A {
  const j = i < 0 ? i + x.shape[0] : i;
  return reshape(sliceAxis(x, 0, j, j + 1), []);
}

/** Resizes axis 0 to `length`: a slice, or padding with zeros at the end. */
export function resize0(x: A, length: number): A {
  const n = x.shape[0];
  if (length <= n) return sliceAxis(x, 0, 0, length);
  const cfg = x.shape.map((): [number, number, number] => [0, 0, 0]);
  cfg[0] = [0, length - n, 0];
  return bind1(S.pad_p, [x, full(0, x.dtype)], { paddingConfig: cfg });
}

/** Stable sort of the operands along `dim`, lexicographic on the first numKeys. */
export const sortOps = (xs: A[], dim: number, numKeys = 1): A[] => bind(sort_p, xs, { dimension: dim, isStable: true, numKeys });

/** Sum of all entries as int32 (bools count their trues). */
export function countAll(x: A): A {
  const i = cast(x, "int32");
  return x.shape.length ? bind1(R.reduce_sum_p, [i], { axes: x.shape.map((_, k) => k) }) : i;
}

/** Inclusive cumulative sum along axis 0 (int32 for bools). */
export const cumsum0 = (x: A): A => bind1(cumsum_p, [x.dtype === "bool" ? cast(x, "int32") : x], { axis: 0, reverse: false });

export function reduceOr(x: A, axes: number[]): A {
  return axes.length ? bind1(R.reduce_or_p, [x], { axes }) : x;
}
export function reduceAnd(x: A, axes: number[]): A {
  return axes.length ? bind1(R.reduce_and_p, [x], { axes }) : x;
}
export function reduceMax(x: A): A {
  return x.shape.length ? bind1(R.reduce_max_p, [x], { axes: x.shape.map((_, k) => k) }) : x;
}
export function reduceMin(x: A): A {
  return x.shape.length ? bind1(R.reduce_min_p, [x], { axes: x.shape.map((_, k) => k) }) : x;
}

/**
 * Stable compaction along axis 0: the entries of `values` (each of shape [n]) where `mask`
 * is true, in order, then the others; resized to `size`; entries at positions >= `count`
 * (the number of trues, an int32 0-d array) replaced by `fills[i]` (0-d, the value's dtype).
 * This is `where(arange(size) < count, v[nonzero(mask, size=size)[0]], fill)` done with one
 * sort, so it needs neither gather nor scatter.
 */
export function compact(mask: A, values: A[], size: number, count: A, fills: A[]): A[] {
  const sorted = sortOps([not(mask), ...values], 0, 1).slice(1);
  const valid = lt(iota("int32", [size]), bcast(count, [size]));
  return sorted.map((v, i) => select(valid, resize0(v, size), fills[i]));
}

/**
 * The value of an int32 0-d array, read on the host. Only for outputs whose shape JAX also
 * derives from values (unique/nonzero without `size`, bincount without `length`): under a
 * transformation this throws, as JAX's ConcretizationTypeError does.
 */
export function concreteInt(fn: string, x: A, hint: string): number {
  if (!(x instanceof Array)) {
    throw new TypeError(`${fn}: the output shape depends on the input values, which are not known under a transformation (jit, vmap, grad); ${hint}`);
  }
  return Number(x.item());
}

/** Throws unless x is concrete (an Array, not a tracer). */
export function requireConcrete(fn: string, x: A, hint: string): void {
  if (!(x instanceof Array)) {
    throw new TypeError(`${fn}: the output shape depends on the input values, which are not known under a transformation (jit, vmap, grad); ${hint}`);
  }
}

/** A static non-negative integer option (size, length, ...). */
export function staticInt(fn: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new TypeError(`${fn}: ${name} must be an integer >= ${min} (a static value), got ${String(v)}`);
  }
  return v;
}

export const shapeStr = fmtShape;

/** table[idx] for a 1-D table and an integer index array of any shape, as jnp indexing
 * reads: negative indices count from the end, the rest clamp into range. A lax.gather. */
export function take1d(table: A, idx: A): A {
  const n = table.shape[0];
  if (n === 0) throw new RangeError("take: cannot index into an empty array");
  let i = cast(idx, "int32");
  i = select(lt(i, full(0, "int32", i.shape)), add(i, full(n, "int32", i.shape)), i);
  i = reshape(i, [...idx.shape, 1]);
  return bind1(gather_p, [table, i], {
    dimensionNumbers: { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0], operandBatchingDims: [], startIndicesBatchingDims: [] },
    sliceSizes: [1],
    mode: "promise_in_bounds",
    fillValue: null,
    indicesAreSorted: false,
    uniqueIndices: false,
  });
}

/** zeros(length).at[idx].add(updates) with out-of-range indices dropped (1-D, a lax.scatter_add). */
export function scatterAdd1d(length: number, idx: A, updates: A): A {
  const n = idx.shape[0];
  const d = updates.dtype;
  // bool has no addition: `max` is its `or`.
  const p = d === "bool" ? scatter_max_p : scatter_add_p;
  return bind1(p, [full(0, d, [length]), reshape(cast(idx, "int32"), [n, 1]), updates], {
    dimensionNumbers: { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [] },
    mode: "fill_or_drop",
    indicesAreSorted: false,
    uniqueIndices: false,
  });
}
