// Searching along sorted data: the `searchsorted` primitive (a routine of the backend) and
// lax.top_k.
//
// searchsorted uses the sort's order (JAX's `_sort_lt_comparator`: -0.0 == 0.0, NaNs after
// +inf and equal to each other), so `searchsorted(sort(a), v)` is consistent with `sort`.
// JAX computes it by a scan of comparisons (jax/_src/numpy/hijax.py); here the eager impl is
// the backend's binary search, with the same results.
//
// top_k is JAX's `top_k_p` in behaviour (descending in the IEEE total order: NaN > +inf >
// ... > +0 > -0 > ... > -inf > -NaN; ties keep the lower index first), but not a primitive of
// its own: it is a composition of lax.sort and slice, so it gets sort's derivative and
// batching rules. Its jaxpr shows `sort` and `slice` where JAX's shows `top_k`.
import type { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { isBool, isFloat, isInteger, type DType } from "../array/dtype.js";
import { fmtShape, normalizeAxis } from "../array/shape.js";
import { definePrimitive } from "../core/primitive.js";
import { bind, bind1 } from "../core/trace.js";
import { arg } from "../numpy/convert.js";
import { deviceOf, emptyArray, materialize } from "../runtime/eager.js";
import { tidy } from "../runtime/memory.js";
import * as E from "./elementwise.js";
import { reduce_sum_p } from "./reduce.js";
import { broadcastAxis, moveaxis, reshape } from "./rule_util.js";
import { sort_p } from "./sort.js";
import { broadcast_in_dim_p, iota_p, slice_p } from "./structural.js";

// Backend routines read contiguous data from offset 0 of a buffer.
const dense = (x: Array): Array => (x._offset === 0 && x._isContiguous() ? x : materialize(x));

/** searchsorted(sorted, queries; side): int32 insertion indices, one per query. */
export const searchsorted_p = definePrimitive<{ side: "left" | "right" }>("searchsorted", {
  abstractEval: ([a, v], { side }) => {
    if (a.shape.length !== 1) {
      throw new TypeError(`searchsorted: the sorted operand must be 1-dimensional, got shape ${fmtShape(a.shape)}`);
    }
    if (a.dtype !== v.dtype) {
      throw new TypeError(`searchsorted: the operands must have equal dtypes, got ${a.dtype} and ${v.dtype}; promote them first`);
    }
    if (side !== "left" && side !== "right") {
      throw new TypeError(`searchsorted: side must be "left" or "right", got ${JSON.stringify(side)}`);
    }
    return [{ shape: v.shape, dtype: "int32", weakType: false }];
  },
  impl: ([a, v], { side }) => {
    const backend = deviceOf("searchsorted", [a, v]);
    const out = emptyArray(v.shape, "int32", false, backend);
    if (v.size === 0) return [out];
    const sa = dense(a);
    const sv = dense(v);
    backend.searchsorted({
      dtype: a.dtype,
      sorted: sa._storage.buffer,
      n: a.shape[0],
      queries: sv._storage.buffer,
      count: v.size,
      side,
      out: out._storage.buffer,
    });
    if (sa !== a) sa.dispose();
    if (sv !== v) sv.dispose();
    return [out];
  },
});

const un = (p: Parameters<typeof bind1>[0], x: ArrayBase) => bind1(p, [x], {});
const bin = (p: Parameters<typeof bind1>[0], x: ArrayBase, y: ArrayBase) => bind1(p, [x, y], {});

/** A constant of x's shape and the given dtype. */
function filled(value: number, dtype: DType, shape: number[]): ArrayBase {
  const s = arg("top_k", value);
  const c = bind1(E.convert_element_type_p, [s], { newDtype: dtype, weakType: false });
  return bind1(broadcast_in_dim_p, [c], { shape, broadcastDimensions: [] });
}

/**
 * Sort keys whose ascending order is the IEEE total order of x (descending when `largest`),
 * ties left to the sort's stability. Integers and bools order as themselves. With one key,
 * `fromKey` maps keys back to values (a bijection), so the sort need not carry x along.
 */
export function totalOrderKeys(x: ArrayBase, largest: boolean): { keys: ArrayBase[]; fromKey?: (k: ArrayBase) => ArrayBase } {
  const d = x.dtype;
  if (isInteger(d) || isBool(d)) {
    // `not` reverses the order of every integer dtype exactly, and is its own inverse.
    return largest ? { keys: [un(E.not_p, x)], fromKey: (k) => un(E.not_p, k) } : { keys: [x], fromKey: (k) => k };
  }
  if (d === "float32" || d === "float16") {
    // Flipping the magnitude bits of negative numbers makes signed integer order the total
    // order (an involution on the bits); `not` then reverses it.
    const it: DType = d === "float32" ? "int32" : "int16";
    const flip = (bits: ArrayBase): ArrayBase => {
      const neg = bin(E.lt_p, bits, filled(0, it, bits.shape));
      const mask = filled(d === "float32" ? 0x7fffffff : 0x7fff, it, bits.shape);
      return bind1(E.select_n_p, [neg, bits, bin(E.xor_p, bits, mask)], {});
    };
    const key = flip(bind1(E.bitcast_convert_type_p, [x], { newDtype: it }));
    const back = (k: ArrayBase) => bind1(E.bitcast_convert_type_p, [flip(k)], { newDtype: d });
    return largest ? { keys: [un(E.not_p, key)], fromKey: (k) => back(un(E.not_p, k)) } : { keys: [key], fromKey: back };
  }
  if (isFloat(d)) {
    // float64 has no 64-bit integer twin here: (NaN class, value, sign bit) as three keys.
    const nan = un(E.is_nan_p, x);
    const sb = un(E.signbit_p, x);
    const i32 = (b: ArrayBase) => bind1(E.convert_element_type_p, [b], { newDtype: "int32", weakType: false });
    // +NaN: 0 when largest (first), 2 when smallest (last); -NaN the other way; others 1.
    const posNan = i32(bin(E.and_p, nan, un(E.not_p, sb)));
    const negNan = i32(bin(E.and_p, nan, sb));
    const one = filled(1, "int32", x.shape);
    const cls = largest ? bin(E.add_p, bin(E.sub_p, one, posNan), negNan) : bin(E.sub_p, bin(E.add_p, one, posNan), negNan);
    return { keys: largest ? [cls, un(E.neg_p, x), sb] : [cls, x, un(E.not_p, sb)] };
  }
  throw new TypeError(`top_k: unsupported dtype ${d}`);
}

/**
 * The k largest (or smallest) entries along `axis` and their int32 indices, in order; ties
 * keep the lower index first. Shared by lax.topK and numpy's topK.
 */
export function topKAlong(x: ArrayBase, k: number, axis: number, largest: boolean): [ArrayBase, ArrayBase] {
  const nd = x.shape.length;
  const n = x.shape[axis];
  const { keys, fromKey } = totalOrderKeys(x, largest);
  const idx = bind1(iota_p, [], { dtype: "int32", shape: x.shape, dimension: axis });
  const ops = fromKey ? [...keys, idx] : [...keys, x, idx];
  const outs = bind(sort_p, ops, { dimension: axis, isStable: true, numKeys: keys.length });
  const start = new globalThis.Array<number>(nd).fill(0);
  const limit = x.shape.slice();
  limit[axis] = k;
  const take = (y: ArrayBase) => (k === n ? y : bind1(slice_p, [y], { startIndices: start, limitIndices: limit, strides: null }));
  const values = fromKey ? fromKey(take(outs[0])) : take(outs[outs.length - 2]);
  // Keep the operand's weak type, as lax.top_k does.
  const v = values.weakType === x.weakType ? values : bind1(E.convert_element_type_p, [values], { newDtype: x.dtype, weakType: x.weakType });
  return [v, take(outs[outs.length - 1])];
}

/**
 * lax.top_k(operand, k, {axis = -1}): the k largest entries along the axis (JAX's default:
 * the last) in descending order, and their int32 indices. Ties: the lower index first.
 * Floats follow the IEEE total order, so NaNs come first and +0 before -0, as in XLA.
 */
export function topK(operand: ArrayBase | number, k: number, opts: { axis?: number; isStable?: boolean } = {}): [ArrayBase, ArrayBase] {
  const fn = "lax.top_k";
  const x = arg(fn, operand);
  if (x.shape.length === 0) throw new TypeError(`${fn}: the operand must have at least one dimension, got shape []`);
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`${fn}: k must be a non-negative integer, got ${k}`);
  const axis = normalizeAxis(fn, opts.axis ?? -1, x.shape.length);
  if (k > x.shape[axis]) {
    throw new RangeError(`${fn}: k (${k}) must be no larger than the size ${x.shape[axis]} of axis ${axis} (shape ${fmtShape(x.shape)})`);
  }
  return tidy(() => topKAlong(x, k, axis, true));
}

/** lax.searchsorted-style helper: insertion indices of `v` into the 1-D sorted `a` (same dtype). */
export function searchsortedRaw(a: ArrayBase, v: ArrayBase, side: "left" | "right" = "left"): ArrayBase {
  return bind1(searchsorted_p, [a, v], { side });
}


// ---------------------------------------------------------------------------------------
// searchsorted's rules: its output is an integer index (no tangent). Batching: with the
// sorted operand unbatched the queries keep their batch axis (any shape is accepted);
// with a batched sorted operand each row is searched by counting, per query, the entries
// ordered before it (JAX's "compare_all" method) in the sort's order: NaNs last and equal to
// each other, -0.0 == 0.0.

/** x < y in the sort's order (elementwise; floats put NaNs after +inf). */
function sortLess(x: ArrayBase, y: ArrayBase): ArrayBase {
  if (!isFloat(x.dtype)) return bin(E.lt_p, x, y);
  const yNan = un(E.is_nan_p, y);
  return bin(E.and_p, un(E.not_p, un(E.is_nan_p, x)), bin(E.or_p, yNan, bin(E.lt_p, x, y)));
}

searchsorted_p.rules.jvp = ([a, v], _t, params) => [[bind1(searchsorted_p, [a, v], params)], [null]];
searchsorted_p.rules.batch = ([a, v], [da, dv], { side }) => {
  if (da === null) return [[bind1(searchsorted_p, [a, v], { side })], [dv]];
  const size = a.shape[da];
  const toInt = (x: ArrayBase) => (isBool(x.dtype) ? bind1(E.convert_element_type_p, [x], { newDtype: "int32", weakType: false }) : x);
  const rows = toInt(moveaxis(a, da, 0));
  const qs = toInt(dv === null ? broadcastAxis(v, size, 0) : moveaxis(v, dv, 0));
  const qShape = qs.shape.slice(1);
  const q = qShape.reduce((s, d) => s * d, 1);
  const m = rows.shape[1];
  const grid = [size, m, q];
  const A = bind1(broadcast_in_dim_p, [rows], { shape: grid, broadcastDimensions: [0, 1] });
  const V = bind1(broadcast_in_dim_p, [reshape(qs, [size, q])], { shape: grid, broadcastDimensions: [0, 2] });
  // left: how many entries are < v; right: how many are <= v, i.e. not > v.
  const before = side === "left" ? sortLess(A, V) : un(E.not_p, sortLess(V, A));
  const counts = bind1(reduce_sum_p, [bind1(E.convert_element_type_p, [before], { newDtype: "int32", weakType: false })], { axes: [1] });
  return [[reshape(counts, [size, ...qShape])], [0]];
};
