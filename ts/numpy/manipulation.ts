// Shape manipulation (jax.numpy): reshape, ravel, transpose, swapaxes, moveaxis, expandDims,
// squeeze, broadcasting, atleast*, joining (concatenate, stack, hstack, vstack, dstack,
// columnStack), splitting, tile, repeat, flip, roll, rot90, tril/triu, diagonal, trace.
// Everything is a composition of lax view ops (reshape, transpose, slice, rev,
// broadcast_in_dim), concatenate, select and gather. pad lives in ./padding.ts.
import { ArrayBase } from "../array/base.js";
import { isBool, isSignedInt, isUnsigned, type DType } from "../array/dtype.js";
import { broadcastShapes as broadcastShapesOf, fmtShape, normalizeAxis, sizeOf } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import { reduce_sum_p } from "../lax/reduce.js";
import { cumsum_p } from "../lax/sort.js";
import { dynamic_slice_p, scatter_add_p } from "../lax/indexing.js";
import { arg, asarray, type DTypeArg } from "./convert.js";
import { promoteArgs } from "./promote.js";
import {
  axesArg, bcastTo, concreteValues, concat as lconcat, constant, cvt, describe, diagMask, dtypeArg, expandDimsAt, full, ge, intArg, isArray,
  isPlainObject, range, rem, reshape as lreshape, rev, select, shapeArg, sliceAxis, sub, takeAxis, transpose as ltranspose,
  withConst, add,
} from "./shape_helpers.js";

type X = ArrayBase | number | boolean;

// ---- reshaping ---------------------------------------------------------------------------------

function orderArg(fn: string, order: unknown): void {
  const o = isPlainObject(order) ? order.order : order;
  if (o === undefined || o === null || o === "C") return;
  if (o === "F" || o === "A" || o === "K") {
    throw new TypeError(`${fn}: order=${JSON.stringify(o)} is not supported; only C (row-major) order is (transpose first for Fortran order)`);
  }
  throw new TypeError(`${fn}: order must be "C", got ${describe(o)}`);
}

/** Resolves one -1 in a new shape. */
function inferShape(fn: string, shape: number[], size: number, from: number[]): number[] {
  const neg = shape.filter((d) => d === -1).length;
  if (neg > 1) throw new TypeError(`${fn}: can only specify one unknown dimension (-1), got ${fmtShape(shape)}`);
  if (shape.some((d) => !Number.isInteger(d) || d < -1)) throw new TypeError(`${fn}: invalid shape ${fmtShape(shape)}`);
  if (neg === 1) {
    const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (known === 0 || size % known !== 0) {
      throw new TypeError(`${fn}: cannot reshape an array of shape ${fmtShape(from)} (size ${size}) into shape ${fmtShape(shape)}`);
    }
    return shape.map((d) => (d === -1 ? size / known : d));
  }
  if (sizeOf(shape) !== size) {
    throw new TypeError(`${fn}: cannot reshape an array of shape ${fmtShape(from)} (size ${size}) into shape ${fmtShape(shape)}`);
  }
  return shape;
}

/** np.reshape(a, shape, order = "C"): one dimension may be -1. */
export function reshape(a: X, shape: number | number[], order?: "C" | "F" | { order?: string }): ArrayBase {
  const fn = "reshape";
  orderArg(fn, order);
  const x = arg(fn, a);
  const s = typeof shape === "number" ? [shape] : shape;
  if (!globalThis.Array.isArray(s)) throw new TypeError(`${fn}: shape must be an integer or a list of integers, got ${describe(shape)}`);
  return lreshape(x, inferShape(fn, s.slice(), x.size, x.shape));
}

/** np.ravel(a, order = "C"). */
export function ravel(a: X, order?: "C" | { order?: string }): ArrayBase {
  orderArg("ravel", order);
  const x = arg("ravel", a);
  return lreshape(x, [x.size]);
}

/** np.transpose(a, axes?): reverses the axes by default. */
export function transpose(a: X, axes?: number[] | null): ArrayBase {
  const fn = "transpose";
  const x = arg(fn, a);
  const n = x.shape.length;
  if (axes === undefined || axes === null) return ltranspose(x, range(n).reverse());
  if (!globalThis.Array.isArray(axes) || axes.length !== n) {
    throw new TypeError(`${fn}: axes ${describe(axes)} must be a permutation of the ${n} axes of an array of shape ${fmtShape(x.shape)}`);
  }
  return ltranspose(x, axesArg(fn, axes, n));
}

/** np.permuteDims (array API name of transpose). */
export const permuteDims = (a: X, axes?: number[] | null): ArrayBase => transpose(a, axes);

/** np.swapaxes(a, axis1, axis2). */
export function swapaxes(a: X, axis1: number, axis2: number): ArrayBase {
  const fn = "swapaxes";
  const x = arg(fn, a);
  const n = x.shape.length;
  const p = range(n);
  const i = normalizeAxis(fn, axis1, n);
  const j = normalizeAxis(fn, axis2, n);
  [p[i], p[j]] = [p[j], p[i]];
  return ltranspose(x, p);
}

/** np.moveaxis(a, source, destination) (single axes or lists of equal length). */
export function moveaxis(a: X, source: number | number[], destination: number | number[]): ArrayBase {
  const fn = "moveaxis";
  const x = arg(fn, a);
  const n = x.shape.length;
  const src = axesArg(fn, source, n);
  const dst = axesArg(fn, destination, n);
  if (src.length !== dst.length) throw new TypeError(`${fn}: source and destination must have the same number of elements, got ${src.length} and ${dst.length}`);
  const perm = range(n).filter((i) => !src.includes(i));
  const pairs = dst.map((d, i) => [d, src[i]]).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) perm.splice(d, 0, s);
  return ltranspose(x, perm);
}

/** np.expandDims(a, axis): axis is a position (or positions) in the result. */
export function expandDims(a: X, axis: number | number[]): ArrayBase {
  const fn = "expandDims";
  const x = arg(fn, a);
  const list = typeof axis === "number" ? [axis] : axis;
  if (!globalThis.Array.isArray(list)) throw new TypeError(`${fn}: axis must be an integer or a list of integers, got ${describe(axis)}`);
  return expandDimsAt(x, axesArg(fn, list, x.shape.length + list.length));
}

/** np.squeeze(a, axis?): removes all size-1 axes, or the given ones (which must have size 1). */
export function squeeze(a: X, axis?: number | number[] | null): ArrayBase {
  const fn = "squeeze";
  const x = arg(fn, a);
  let axes: number[];
  if (axis === undefined || axis === null) axes = range(x.shape.length).filter((i) => x.shape[i] === 1);
  else {
    axes = axesArg(fn, axis, x.shape.length);
    for (const i of axes) {
      if (x.shape[i] !== 1) {
        throw new TypeError(`${fn}: cannot select axis ${i} to squeeze out: it has size ${x.shape[i]} (shape ${fmtShape(x.shape)}); only size-1 axes can be removed`);
      }
    }
  }
  if (!axes.length) return x;
  return lreshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

// ---- broadcasting ------------------------------------------------------------------------------

/** np.broadcastTo(a, shape) (NumPy's rules; the result is a view eagerly). */
export function broadcastTo(a: X, shape: number | number[]): ArrayBase {
  const fn = "broadcastTo";
  const x = arg(fn, a);
  const s = shapeArg(fn, shape);
  const lead = s.length - x.shape.length;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== s[lead + i])) {
    throw new TypeError(`${fn}: cannot broadcast an array of shape ${fmtShape(x.shape)} to shape ${fmtShape(s)}`);
  }
  return bcastTo(x, s);
}

/** np.broadcastArrays(...arrays): the arrays broadcast to their common shape. */
export function broadcastArrays(...arrays: X[]): ArrayBase[] {
  const fn = "broadcastArrays";
  const xs = arrays.map((a) => arg(fn, a));
  if (!xs.length) return [];
  const shape = broadcastShapesOf(fn, ...xs.map((x) => x.shape));
  return xs.map((x) => bcastTo(x, shape));
}

/** np.broadcastShapes(...shapes): the broadcast shape (integers count as 1-D shapes). */
export function broadcastShapes(...shapes: (number | number[])[]): number[] {
  const fn = "broadcastShapes";
  if (!shapes.length) return [];
  return broadcastShapesOf(fn, ...shapes.map((s) => shapeArg(fn, s)));
}

function atleast(fn: string, nd: number, arys: X[]): ArrayBase | ArrayBase[] {
  const one = (a: X): ArrayBase => {
    const x = arg(fn, a);
    const n = x.shape.length;
    if (n >= nd) return x;
    if (nd === 3) return expandDimsAt(x, n === 0 ? [0, 1, 2] : n === 1 ? [0, 2] : [2]);
    return lreshape(x, [...new globalThis.Array<number>(nd - n).fill(1), ...x.shape]);
  };
  return arys.length === 1 ? one(arys[0]) : arys.map(one);
}
/** np.atleast1d(...arys): one array, or a list for several. */
export const atleast1d = (...arys: X[]): any => atleast("atleast1d", 1, arys);
/** np.atleast2d(...arys): leading axes are added. */
export const atleast2d = (...arys: X[]): any => atleast("atleast2d", 2, arys);
/** np.atleast3d(...arys): [n] -> [1, n, 1], [m, n] -> [m, n, 1]. */
export const atleast3d = (...arys: X[]): any => atleast("atleast3d", 3, arys);

// ---- joining -----------------------------------------------------------------------------------

type AxisDtype = { axis?: number | null; dtype?: DTypeArg | null };

function axisDtype(fn: string, axis: number | null | AxisDtype | undefined, dflt: number | null): { axis: number | null; dtype?: DType } {
  if (isPlainObject(axis)) {
    const o = axis as AxisDtype;
    return { axis: o.axis === undefined ? dflt : o.axis, dtype: dtypeArg(fn, o.dtype) };
  }
  if (axis === undefined) return { axis: dflt };
  if (axis !== null && typeof axis !== "number") throw new TypeError(`${fn}: axis must be an integer or null, got ${describe(axis)}`);
  return { axis };
}

function seqArg(fn: string, arrays: unknown): ArrayBase[] {
  if (arrays instanceof ArrayBase) {
    // An array is a sequence of its rows (JAX maps over its first axis).
    if (arrays.shape.length === 0) throw new TypeError(`${fn}: expected a list of arrays, got a 0-d array`);
    return range(arrays.shape[0]).map((i) => lreshape(sliceAxis(arrays, 0, i, i + 1), arrays.shape.slice(1)));
  }
  if (!globalThis.Array.isArray(arrays)) throw new TypeError(`${fn}: expected a list of arrays, got ${describe(arrays)}`);
  return arrays.map((a) => arg(fn, a));
}

function joinDtype(fn: string, xs: ArrayBase[], dtype?: DType): ArrayBase[] {
  return dtype ? xs.map((x) => cvt(x, dtype)) : promoteArgs(fn, xs);
}

/** np.concatenate(arrays, axis = 0 | { axis, dtype }): axis null flattens first. */
export function concatenate(arrays: X[] | ArrayBase, axis?: number | null | AxisDtype): ArrayBase {
  const fn = "concatenate";
  const o = axisDtype(fn, axis, 0);
  let xs = seqArg(fn, arrays);
  if (!xs.length) throw new TypeError(`${fn}: needs at least one array to concatenate`);
  if (o.axis === null) xs = xs.map((x) => lreshape(x, [x.size]));
  if (xs[0].shape.length === 0) throw new TypeError(`${fn}: zero-dimensional arrays cannot be concatenated`);
  const ax = normalizeAxis(fn, o.axis ?? 0, xs[0].shape.length);
  xs = joinDtype(fn, xs, o.dtype);
  const nd = xs[0].shape.length;
  for (const x of xs) {
    if (x.shape.length !== nd || x.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw new TypeError(
        `${fn}: all input array dimensions except axis ${ax} must match, got shapes ${xs.map((a) => fmtShape(a.shape)).join(", ")}`,
      );
    }
  }
  return lconcat(xs, ax);
}

/** np.concat (array API name of concatenate). */
export const concat = concatenate;

/** np.stack(arrays, axis = 0 | { axis, dtype }): joins along a new axis. */
export function stack(arrays: X[] | ArrayBase, axis?: number | AxisDtype): ArrayBase {
  const fn = "stack";
  const o = axisDtype(fn, axis, 0);
  const xs = seqArg(fn, arrays);
  if (!xs.length) throw new TypeError(`${fn}: needs at least one array`);
  const s0 = xs[0].shape;
  for (const x of xs) {
    if (x.shape.length !== s0.length || x.shape.some((d, i) => d !== s0[i])) {
      throw new TypeError(`${fn}: all input arrays must have the same shape, got ${xs.map((a) => fmtShape(a.shape)).join(", ")}`);
    }
  }
  const ax = normalizeAxis(fn, o.axis ?? 0, s0.length + 1);
  return lconcat(joinDtype(fn, xs, o.dtype).map((x) => expandDimsAt(x, [ax])), ax);
}

function dtypeOnly(fn: string, o: unknown): DType | undefined {
  return dtypeArg(fn, o);
}

/** np.hstack(arrays, dtype?): along axis 1 (axis 0 for 1-D inputs). */
export function hstack(arrays: X[] | ArrayBase, dtype?: DTypeArg | { dtype?: DTypeArg | null }): ArrayBase {
  const fn = "hstack";
  const xs = seqArg(fn, arrays).map((x) => atleast("hstack", 1, [x]) as ArrayBase);
  if (!xs.length) throw new TypeError(`${fn}: needs at least one array`);
  return concatenate(xs, { axis: xs[0].shape.length === 1 ? 0 : 1, dtype: dtypeOnly(fn, dtype) });
}

/** np.vstack(arrays, dtype?): along axis 0 after atleast2d. */
export function vstack(arrays: X[] | ArrayBase, dtype?: DTypeArg | { dtype?: DTypeArg | null }): ArrayBase {
  const fn = "vstack";
  return concatenate(seqArg(fn, arrays).map((x) => atleast(fn, 2, [x]) as ArrayBase), { axis: 0, dtype: dtypeOnly(fn, dtype) });
}

/** np.rowStack: vstack. */
export const rowStack = vstack;

/** np.dstack(arrays, dtype?): along axis 2 after atleast3d. */
export function dstack(arrays: X[] | ArrayBase, dtype?: DTypeArg | { dtype?: DTypeArg | null }): ArrayBase {
  const fn = "dstack";
  return concatenate(seqArg(fn, arrays).map((x) => atleast(fn, 3, [x]) as ArrayBase), { axis: 2, dtype: dtypeOnly(fn, dtype) });
}

/** np.columnStack(arrays): 1-D arrays become columns. */
export function columnStack(arrays: X[] | ArrayBase): ArrayBase {
  const fn = "columnStack";
  const xs = seqArg(fn, arrays).map((x) => (x.shape.length < 2 ? ltranspose(atleast(fn, 2, [x]) as ArrayBase, [1, 0]) : x));
  return concatenate(xs, 1);
}

// ---- splitting ---------------------------------------------------------------------------------

function splitImpl(fn: string, ary: X, sections: number | number[] | ArrayBase, axis: number | { axis?: number } = 0): ArrayBase[] {
  const x = arg(fn, ary);
  const axIn = isPlainObject(axis) ? (axis as { axis?: number }).axis ?? 0 : axis;
  const ax = normalizeAxis(fn, axIn as number, x.shape.length);
  const size = x.shape[ax];
  let bounds: number[];
  if (globalThis.Array.isArray(sections) || (isArray(sections) && sections.shape.length > 0)) {
    // Split points must be static, as in JAX (an array of them is read on the host).
    const pts = isArray(sections) ? concreteValues(fn, "the split indices", sections) : sections;
    pts.forEach((p) => intArg(fn, "split index", p));
    bounds = [0, ...pts, size];
    // NumPy's slicing semantics (a[b_i:b_{i+1}], clamped), so indices past the end give empty parts.
    const clampIdx = (i: number) => Math.min(size, Math.max(0, i < 0 ? i + size : i));
    return bounds.slice(0, -1).map((b, i) => {
      const lo = clampIdx(b);
      const hi = clampIdx(bounds[i + 1]);
      return sliceAxis(x, ax, lo, Math.max(lo, hi));
    });
  }
  const n = intArg(fn, "the number of sections", sections);
  if (n <= 0) throw new RangeError(`${fn}: the number of sections must be larger than 0, got ${n}`);
  const part = Math.floor(size / n);
  const r = size % n;
  if (r !== 0 && fn === "split") {
    throw new RangeError(`${fn}: an axis of size ${size} does not divide into ${n} equal sections; use arraySplit for unequal parts`);
  }
  const sizes = range(n).map((i) => part + (i < r ? 1 : 0));
  let pos = 0;
  return sizes.map((s) => sliceAxis(x, ax, pos, (pos += s)));
}

/** np.split(ary, sections | indices, axis = 0): a list of views. */
export const split = (ary: X, indicesOrSections: number | number[] | ArrayBase, axis: number | { axis?: number } = 0): ArrayBase[] =>
  splitImpl("split", ary, indicesOrSections, axis);
/** np.arraySplit(ary, sections | indices, axis = 0): the first size % n parts get one more element. */
export const arraySplit = (ary: X, indicesOrSections: number | number[] | ArrayBase, axis: number | { axis?: number } = 0): ArrayBase[] =>
  splitImpl("arraySplit", ary, indicesOrSections, axis);
/** np.hsplit / vsplit / dsplit. */
export const hsplit = (ary: X, s: number | number[] | ArrayBase): ArrayBase[] => {
  const x = arg("hsplit", ary);
  return splitImpl("split", x, s, x.shape.length === 1 ? 0 : 1);
};
export const vsplit = (ary: X, s: number | number[] | ArrayBase): ArrayBase[] => splitImpl("split", ary, s, 0);
export const dsplit = (ary: X, s: number | number[] | ArrayBase): ArrayBase[] => splitImpl("split", ary, s, 2);

// ---- tile / repeat -----------------------------------------------------------------------------

/** np.tile(A, reps): broadcast to [r0, d0, r1, d1, ...] and merge pairs. */
export function tile(A: X, reps: number | number[]): ArrayBase {
  const fn = "tile";
  let x = arg(fn, A);
  const r = (typeof reps === "number" ? [reps] : reps).map((v) => intArg(fn, "reps", v));
  if (r.some((v) => v < 0)) throw new RangeError(`${fn}: reps must be non-negative, got ${JSON.stringify(reps)}`);
  const n = Math.max(r.length, x.shape.length);
  const rr = [...new globalThis.Array<number>(n - r.length).fill(1), ...r];
  if (x.shape.length < n) x = lreshape(x, [...new globalThis.Array<number>(n - x.shape.length).fill(1), ...x.shape]);
  const big: number[] = [];
  rr.forEach((v, i) => big.push(v, x.shape[i]));
  const b = bcastTo(lreshape(x, x.shape.flatMap((d) => [1, d])), big);
  return lreshape(b, x.shape.map((d, i) => d * rr[i]));
}

export interface RepeatOptions { axis?: number | null; totalRepeatLength?: number | null }

/** np.repeat(a, repeats, axis = null | { axis, totalRepeatLength }): repeats is a number, a list or an int array. */
export function repeat(a: X, repeats: number | number[] | ArrayBase, axis?: number | null | RepeatOptions, opts?: RepeatOptions): ArrayBase {
  const fn = "repeat";
  const o: RepeatOptions = { ...(isPlainObject(axis) ? (axis as RepeatOptions) : { axis: axis as number | null | undefined }), ...opts };
  let x = arg(fn, a);
  let ax: number;
  if (o.axis === undefined || o.axis === null) {
    x = lreshape(x, [x.size]);
    ax = 0;
  } else ax = normalizeAxis(fn, o.axis, x.shape.length);
  const total = o.totalRepeatLength ?? null;
  if (total === null) {
    // Without totalRepeatLength the repeats must be static, as in JAX (an array is read on the host).
    let reps: number[] | number;
    if (typeof repeats === "number") reps = repeats;
    else if (isArray(repeats)) {
      const v = concreteValues(fn, "repeats", repeats, "pass totalRepeatLength to repeat inside jit");
      reps = repeats.shape.length === 0 ? v[0] : v;
    } else if (globalThis.Array.isArray(repeats)) reps = repeats.slice();
    else throw new TypeError(`${fn}: repeats must be an integer, a list of integers or an integer array, got ${describe(repeats)}`);
    const list = typeof reps === "number" ? [reps] : reps;
    list.forEach((v) => {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${fn}: repeats must be non-negative integers, got ${JSON.stringify(reps)}`);
    });
    if (typeof reps === "number" && x.shape.length !== 0) {
      const aux = x.shape.slice();
      aux.splice(ax + 1, 0, reps);
      const b = bcastTo(lreshape(x, aux.map((d, i) => (i === ax + 1 ? 1 : d))), aux);
      return lreshape(b, x.shape.map((d, i) => (i === ax ? d * (reps as number) : d)));
    }
    let perElem = list;
    if (x.shape.length !== 0) {
      const n = x.shape[ax];
      if (perElem.length === 1) perElem = new globalThis.Array<number>(n).fill(perElem[0]);
      else if (perElem.length !== n) throw new TypeError(`${fn}: repeats of length ${perElem.length} do not match axis ${ax} of size ${n}`);
    }
    const tot = perElem.reduce((p, v) => p + v, 0);
    if (x.shape.length === 0) {
      if (perElem.length !== 1) throw new TypeError(`${fn}: with a scalar input, repeats must be a scalar`);
      return bcastTo(x, [tot]);
    }
    if (tot === 0 || x.shape[ax] === 0) return sliceAxis(x, ax, 0, 0);
    // Static repeats: the gather indices are known on the host.
    const idx: number[] = [];
    perElem.forEach((v, i) => {
      for (let k = 0; k < v; k++) idx.push(i);
    });
    return takeAxis(x, asarray(idx, "int32"), ax, "promise_in_bounds");
  }
  // JAX's jit-friendly algorithm for a static total: scatter the block starts, cumsum.
  const T = intArg(fn, "totalRepeatLength", total);
  let r = isArray(repeats) ? cvt(repeats, "int32") : asarray(repeats as number | number[], "int32");
  r = lreshape(r, [r.size]);
  if (x.shape.length === 0) {
    if (r.size !== 1) throw new TypeError(`${fn}: with a scalar input, repeats must be a scalar`);
    return bcastTo(x, [T]);
  }
  const n = x.shape[ax];
  r = bcastTo(r, [n]);
  if (T === 0) return sliceAxis(x, ax, 0, 0);
  if (n === 0) return x;
  const exclusive = lconcat([lreshape(constant(0, "int32"), [1]), sliceAxis(r, 0, 0, n - 1)], 0);
  const starts = bind1(cumsum_p, [exclusive], { axis: 0, reverse: false });
  const ind = bind1(scatter_add_p, [full([T], 0, "int32"), lreshape(starts, [n, 1]), full([n], 1, "int32")], {
    dimensionNumbers: {
      updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], operandBatchingDims: [], scatterIndicesBatchingDims: [],
    },
    mode: "fill_or_drop",
    indicesAreSorted: false,
    uniqueIndices: false,
  });
  const gidx = withConst(sub, bind1(cumsum_p, [ind], { axis: 0, reverse: false }), 1);
  return takeAxis(x, gidx, ax, "fill_or_drop");
}

// ---- flips and rotations -----------------------------------------------------------------------

/** np.flip(m, axis = null): reverses the given axes (all by default). */
export function flip(m: X, axis?: number | number[] | null): ArrayBase {
  const x = arg("flip", m);
  const axes = axis === undefined || axis === null ? range(x.shape.length) : axesArg("flip", axis, x.shape.length);
  return rev(x, axes);
}

/** np.fliplr(m): reverses axis 1. */
export function fliplr(m: X): ArrayBase {
  const x = arg("fliplr", m);
  if (x.shape.length < 2) throw new TypeError(`fliplr: the input must be at least 2-D, got shape ${fmtShape(x.shape)}`);
  return rev(x, [1]);
}

/** np.flipud(m): reverses axis 0. */
export function flipud(m: X): ArrayBase {
  const x = arg("flipud", m);
  if (x.shape.length < 1) throw new TypeError("flipud: the input must be at least 1-D, got a 0-d array");
  return rev(x, [0]);
}

/** np.roll(a, shift, axis = null): shift and axis are integers or lists (broadcast together); shift may be an int array. */
export function roll(a: X, shift: number | number[] | ArrayBase, axis?: number | number[] | null): ArrayBase {
  const fn = "roll";
  const x = arg(fn, a);
  if (axis === undefined || axis === null) return lreshape(roll(lreshape(x, [x.size]), shift, 0), x.shape);
  const axes = (typeof axis === "number" ? [axis] : axis).map((v) => normalizeAxis(fn, v, x.shape.length));
  if (isArray(shift)) {
    // A traced shift: roll through concatenate + dynamic_slice (JAX's _roll_dynamic).
    const s = cvt(shift, "int32");
    if (s.shape.length > 1) throw new TypeError(`${fn}: shift must be a scalar or a 1-D array`);
    const n = Math.max(s.shape.length ? s.shape[0] : 1, axes.length);
    if ((s.shape.length && s.shape[0] !== n && s.shape[0] !== 1) || (axes.length !== n && axes.length !== 1)) {
      throw new TypeError(`${fn}: shift of shape ${fmtShape(s.shape)} and ${axes.length} axes cannot be broadcast together`);
    }
    let y = x;
    for (let i = 0; i < n; i++) {
      const ax = axes.length === 1 ? axes[0] : axes[i];
      const size = y.shape[ax];
      const si = s.shape.length === 0 ? s : lreshape(sliceAxis(s, 0, s.shape[0] === 1 ? 0 : i, (s.shape[0] === 1 ? 0 : i) + 1), []);
      const m = Math.max(size, 1);
      const r = floorMod(si, m);
      const start = sub(constant(size, "int32"), r);
      const doubled = lconcat([y, y], ax);
      const starts = y.shape.map((_, k) => (k === ax ? start : constant(0, "int32")));
      y = bind1(dynamic_slice_p, [doubled, ...starts], { sliceSizes: y.shape.slice() });
    }
    return y;
  }
  const shifts = (typeof shift === "number" ? [shift] : shift).map((v) => intArg(fn, "shift", v));
  const n = Math.max(shifts.length, axes.length);
  if ((shifts.length !== n && shifts.length !== 1) || (axes.length !== n && axes.length !== 1)) {
    throw new TypeError(`${fn}: ${shifts.length} shifts and ${axes.length} axes cannot be broadcast together`);
  }
  let y = x;
  for (let i = 0; i < n; i++) {
    const ax = axes.length === 1 ? axes[0] : axes[i];
    const sh = shifts.length === 1 ? shifts[0] : shifts[i];
    const size = y.shape[ax];
    if (size === 0) continue;
    const k = (((-sh) % size) + size) % size;
    if (k === 0) continue;
    y = lconcat([sliceAxis(y, ax, k, size), sliceAxis(y, ax, 0, k)], ax);
  }
  return y;
}

/** Python's x % m for an int32 scalar x and a positive constant m. */
function floorMod(x: ArrayBase, m: number): ArrayBase {
  const r = rem(x, constant(m, "int32"));
  return select(ge(r, constant(0, "int32")), r, add(r, constant(m, "int32")));
}

/** np.rot90(m, k = 1, axes = [0, 1]): rotates counterclockwise from the first axis toward the second. */
export function rot90(m: X, k: number | { k?: number; axes?: [number, number] } = 1, axes: [number, number] = [0, 1]): ArrayBase {
  const fn = "rot90";
  const x = arg(fn, m);
  let kk = k as number;
  let ax = axes;
  if (isPlainObject(k)) {
    const o = k as { k?: number; axes?: [number, number] };
    kk = o.k ?? 1;
    ax = o.axes ?? [0, 1];
  }
  if (x.shape.length < 2) throw new TypeError(`${fn}: the input must be at least 2-D, got shape ${fmtShape(x.shape)}`);
  if (!globalThis.Array.isArray(ax) || ax.length !== 2) throw new TypeError(`${fn}: axes must be a list of two axes, got ${describe(ax)}`);
  const a1 = normalizeAxis(fn, ax[0], x.shape.length);
  const a2 = normalizeAxis(fn, ax[1], x.shape.length);
  if (a1 === a2) throw new TypeError(`${fn}: the two axes must be different, got ${ax[0]} and ${ax[1]}`);
  const q = ((intArg(fn, "k", kk) % 4) + 4) % 4;
  if (q === 0) return x;
  if (q === 2) return rev(x, [a1, a2]);
  const perm = range(x.shape.length);
  [perm[a1], perm[a2]] = [perm[a2], perm[a1]];
  return q === 1 ? ltranspose(rev(x, [a2]), perm) : rev(ltranspose(x, perm), [a2]);
}

// ---- triangles and diagonals -------------------------------------------------------------------

function triangle(fn: string, m: X, k: number, lower: boolean): ArrayBase {
  const x = arg(fn, m);
  if (x.shape.length < 2) throw new TypeError(`${fn}: the input must be at least 2-D, got shape ${fmtShape(x.shape)}`);
  const [n, mm] = x.shape.slice(-2);
  const kk = intArg(fn, "k", k);
  const mask = bcastTo(diagMask(n, mm, lower ? kk : kk - 1, ge), x.shape);
  const zero = full(x.shape, 0, x.dtype, x.weakType);
  return lower ? select(mask, x, zero) : select(mask, zero, x);
}
/** np.tril(m, k = 0): zeros above the k-th diagonal (of the last two axes). */
export const tril = (m: X, k = 0): ArrayBase => triangle("tril", m, k, true);
/** np.triu(m, k = 0): zeros below the k-th diagonal. */
export const triu = (m: X, k = 0): ArrayBase => triangle("triu", m, k, false);

interface DiagOpts { offset?: number; axis1?: number; axis2?: number; dtype?: DTypeArg | null }
function diagArgs(fn: string, offset: number | DiagOpts | undefined, axis1: number | undefined, axis2: number | undefined): Required<Omit<DiagOpts, "dtype">> & { dtype?: DTypeArg | null } {
  if (isPlainObject(offset)) {
    const o = offset as DiagOpts;
    return { offset: o.offset ?? 0, axis1: o.axis1 ?? 0, axis2: o.axis2 ?? 1, dtype: o.dtype };
  }
  return { offset: offset === undefined ? 0 : intArg(fn, "offset", offset), axis1: axis1 ?? 0, axis2: axis2 ?? 1 };
}

/**
 * np.diagonal(a, offset = 0, axis1 = 0, axis2 = 1): the diagonal becomes the last axis. Built
 * as a strided slice of the flattened [n * m] matrix (start offset, step m + 1).
 */
export function diagonal(a: X, offset?: number | DiagOpts, axis1?: number, axis2?: number): ArrayBase {
  const fn = "diagonal";
  const x = arg(fn, a);
  const o = diagArgs(fn, offset, axis1, axis2);
  if (x.shape.length < 2) throw new TypeError(`${fn}: the input must be at least 2-D, got shape ${fmtShape(x.shape)}`);
  const a1 = normalizeAxis(fn, o.axis1, x.shape.length);
  const a2 = normalizeAxis(fn, o.axis2, x.shape.length);
  if (a1 === a2) throw new TypeError(`${fn}: axis1 and axis2 must be different, got ${o.axis1} and ${o.axis2}`);
  const moved = moveaxis(x, [a1, a2], [-2, -1]);
  const batch = moved.shape.slice(0, -2);
  const [n, m] = moved.shape.slice(-2);
  const k = o.offset;
  const d = Math.max(0, Math.min(n + Math.min(k, 0), m - Math.max(k, 0)));
  if (d === 0) return full([...batch, 0], 0, x.dtype, x.weakType);
  const flat = lreshape(moved, [...batch, n * m]);
  const start = k >= 0 ? k : -k * m;
  return sliceAxis(flat, batch.length, start, start + (d - 1) * (m + 1) + 1, m + 1);
}

/** jnp.sum's default dtype: bool and narrow ints are promoted to int32 / uint32. */
function sumDtype(d: DType): DType {
  if (isBool(d) || (isSignedInt(d) && d !== "int32")) return "int32";
  if (isUnsigned(d) && d !== "uint32") return "uint32";
  return d;
}

/** np.trace(a, offset = 0, axis1 = 0, axis2 = 1, dtype?): the sum along a diagonal. */
export function trace(a: X, offset?: number | DiagOpts, axis1?: number, axis2?: number, dtype?: DTypeArg | null): ArrayBase {
  const fn = "trace";
  const o = diagArgs(fn, offset, axis1, axis2);
  const x = arg(fn, a);
  const dg = diagonal(x, o.offset, o.axis1, o.axis2);
  const dt = dtypeArg(fn, dtype ?? o.dtype) ?? sumDtype(x.dtype);
  const work: DType = dt === "float16" ? "float32" : isBool(dt) ? "int32" : dt;
  const s = bind1(reduce_sum_p, [cvt(dg, work)], { axes: [dg.shape.length - 1] });
  return cvt(s, dt);
}

