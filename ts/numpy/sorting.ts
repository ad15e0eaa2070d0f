// jax.numpy sorting and searching: sort, argsort, lexsort, partition, argpartition, topK,
// searchsorted, digitize, interp. Compositions of lax.sort (stable; JAX's order: NaNs last,
// -0.0 == 0.0) and the searchsorted primitive (ts/lax/search.ts), so they trace.
import type { ArrayBase } from "../array/base.js";
import { canonicalDtype, isFloat, type DType } from "../array/dtype.js";
import { normalizeAxis } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import { searchsorted_p, topKAlong } from "../lax/search.js";
import * as E from "../lax/elementwise.js";
import { tidy } from "../runtime/memory.js";
import { arg } from "./convert.js";
import { promoteArgs, promoteArgsInexact } from "./promote.js";
import {
  add, bcast, bin, cast, concat, elem, full, ge, gt, iota, le, lt, ravel, reshape, rev, select,
  sliceAxis, sortOps, sub, take1d, un, type A,
} from "./sortutil.js";

type X = ArrayBase | number | boolean;

interface SortOptions {
  axis?: number | null;
  stable?: boolean;
  descending?: boolean;
  kind?: unknown;
  order?: unknown;
}
interface ArgsortOptions extends SortOptions {
  dtype?: DType | string;
}

const isOpts = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !globalThis.Array.isArray(v) && !ArrayBuffer.isView(v) && !("shape" in v);

/** (axis | options, options) -> [axis, options]; `def` when no axis is given. */
function axisOpts<O extends { axis?: number | null }>(axisOrOpts: unknown, opts: O | undefined, def: number | null): [number | null, O] {
  if (isOpts(axisOrOpts)) {
    const o = axisOrOpts as O;
    return ["axis" in o && o.axis !== undefined ? o.axis! : def, o];
  }
  const o = (opts ?? {}) as O;
  if (axisOrOpts === undefined) return [o.axis !== undefined ? o.axis : def, o];
  if (axisOrOpts !== null && typeof axisOrOpts !== "number") {
    throw new TypeError(`axis must be an integer, null or an options object, got ${String(axisOrOpts)}`);
  }
  return [axisOrOpts as number | null, o];
}

function checkKindOrder(fn: string, o: SortOptions): void {
  if (o.kind !== undefined && o.kind !== null) {
    throw new TypeError(`${fn}: 'kind' is not supported; use { stable: true } or { stable: false } to choose the sort's stability`);
  }
  if (o.order !== undefined && o.order !== null) throw new TypeError(`${fn}: 'order' is not supported`);
}

/** The operand flattened when axis is null, and the sort dimension. */
function prepAxis(fn: string, a: X, axis: number | null): [A, number] {
  const x = arg(fn, a);
  if (axis === null) return [ravel(x), 0];
  if (x.shape.length === 0) {
    throw new RangeError(`${fn}: cannot sort a 0-d array along axis ${axis}; pass axis null to sort its flattened form`);
  }
  return [x, normalizeAxis(fn, axis, x.shape.length)];
}

/**
 * np.sort(a, axis = -1, { stable = true, descending = false }): a sorted copy; axis null
 * sorts the flattened array. NaNs sort last (first when descending); -0.0 equals 0.0.
 */
export function sort(a: X, axis?: number | null | SortOptions, opts?: SortOptions): ArrayBase {
  const fn = "sort";
  const [ax, o] = axisOpts(axis, opts, -1);
  checkKindOrder(fn, o);
  return tidy(() => {
    const [x, dim] = prepAxis(fn, a, ax);
    const [s] = sortOps([x], dim);
    return o.descending ? rev(s, dim) : s;
  });
}

/**
 * np.argsort(a, axis = -1, { stable = true, descending = false, dtype = int32 }): indices
 * that sort `a` along the axis. Stable: equal keys keep their order (also when descending).
 */
export function argsort(a: X, axis?: number | null | ArgsortOptions, opts?: ArgsortOptions): ArrayBase {
  const fn = "argsort";
  const [ax, o] = axisOpts(axis, opts, -1);
  checkKindOrder(fn, o);
  return tidy(() => {
    let [x, dim] = prepAxis(fn, a, ax);
    const idxDtype = o.dtype === undefined || o.dtype === null ? "int32" : canonicalDtype(o.dtype, fn);
    let idx = iota(idxDtype, x.shape, dim);
    const stable = o.stable ?? true;
    if (o.descending && stable) {
      x = rev(x, dim);
      idx = rev(idx, dim);
    }
    const [, out] = sortOps([x, idx], dim);
    return o.descending ? rev(out, dim) : out;
  });
}

/**
 * np.lexsort(keys, axis = -1): indices that sort lexicographically by the keys, the LAST key
 * primary. `keys` is a list of arrays of one shape, or an array whose first axis lists them.
 */
export function lexsort(keys: X[] | ArrayBase, axis: number | { axis?: number } = -1): ArrayBase {
  const fn = "lexsort";
  const ax = typeof axis === "number" ? axis : axis.axis ?? -1;
  return tidy(() => {
    let ks: A[];
    if (globalThis.Array.isArray(keys)) ks = keys.map((k) => arg(fn, k));
    else {
      const k = arg(fn, keys);
      if (k.shape.length === 0) throw new TypeError(`${fn}: keys must be a list of arrays or an array of at least 1 dimension`);
      ks = globalThis.Array.from({ length: k.shape[0] }, (_, i) => reshape(sliceAxis(k, 0, i, i + 1), k.shape.slice(1)));
    }
    if (ks.length === 0) throw new TypeError(`${fn}: needs a non-empty sequence of keys`);
    const shape = ks[0].shape;
    if (ks.some((k) => k.shape.length !== shape.length || k.shape.some((d, i) => d !== shape[i]))) {
      throw new TypeError(`${fn}: all keys must have the same shape, got ${ks.map((k) => `[${k.shape}]`).join(", ")}`);
    }
    if (shape.length === 0) return full(0, "int32");
    const dim = normalizeAxis(fn, ax, shape.length);
    const outs = sortOps([...ks.slice().reverse(), iota("int32", shape, dim)], dim, ks.length);
    return outs[outs.length - 1];
  });
}

function kthIndex(fn: string, kth: number, n: number): number {
  if (!Number.isInteger(kth) || kth < -n || kth >= n) {
    throw new RangeError(`${fn}: kth ${kth} is out of bounds for an axis of size ${n} (valid: ${-n} to ${n - 1}); kth must be a static integer`);
  }
  return kth < 0 ? kth + n : kth;
}

/**
 * np.partition(a, kth, axis = -1) with JAX's layout: the kth+1 smallest values in ascending
 * order, then the rest in descending order (what JAX's two top_k calls produce). Computed
 * with one full sort.
 */
export function partition(a: X, kth: number, axis: number | { axis?: number } = -1): ArrayBase {
  const fn = "partition";
  const ax = typeof axis === "number" ? axis : axis.axis ?? -1;
  return tidy(() => {
    const x = arg(fn, a);
    if (x.shape.length === 0) throw new RangeError(`${fn}: a must have at least one dimension`);
    const dim = normalizeAxis(fn, ax, x.shape.length);
    const n = x.shape[dim];
    const k = kthIndex(fn, kth, n);
    const [s] = sortOps([x], dim);
    return concat([sliceAxis(s, dim, 0, k + 1), rev(sliceAxis(s, dim, k + 1, n), dim)], dim);
  });
}

/**
 * np.argpartition(a, kth, axis = -1) with JAX's layout: indices of the kth+1 smallest values
 * in ascending order of value (ties: lower index first), then the other indices in
 * increasing order.
 */
export function argpartition(a: X, kth: number, axis: number | { axis?: number } = -1): ArrayBase {
  const fn = "argpartition";
  const ax = typeof axis === "number" ? axis : axis.axis ?? -1;
  return tidy(() => {
    const x = arg(fn, a);
    if (x.shape.length === 0) throw new RangeError(`${fn}: a must have at least one dimension`);
    const dim = normalizeAxis(fn, ax, x.shape.length);
    const n = x.shape[dim];
    const k = kthIndex(fn, kth, n);
    const [, idx] = sortOps([x, iota("int32", x.shape, dim)], dim);
    const [rest] = sortOps([sliceAxis(idx, dim, k + 1, n)], dim);
    return concat([sliceAxis(idx, dim, 0, k + 1), rest], dim);
  });
}

/**
 * jnp.top_k(a, k, { axis = -1, mode = "largest" }): the k largest (or smallest) entries
 * along the axis, in order, and their int32 indices; ties keep the lower index first.
 * Floats use the IEEE total order as XLA's TopK does (NaN above +inf, +0 above -0).
 */
export function topK(a: X, k: number, opts: { axis?: number; mode?: "largest" | "smallest"; sorted?: boolean } = {}): [ArrayBase, ArrayBase] {
  const fn = "top_k";
  const mode = opts.mode ?? "largest";
  if (mode !== "largest" && mode !== "smallest") throw new TypeError(`${fn}: mode must be "largest" or "smallest", got ${JSON.stringify(mode)}`);
  const x = arg(fn, a);
  if (x.shape.length === 0) throw new TypeError(`${fn}: the operand must have at least one dimension, got shape []`);
  const dim = normalizeAxis(fn, opts.axis ?? -1, x.shape.length);
  if (!Number.isInteger(k) || k < 0 || k > x.shape[dim]) {
    throw new RangeError(`${fn}: k must be an integer in [0, ${x.shape[dim]}] (the size of axis ${dim}), got ${k}`);
  }
  return tidy(() => topKAlong(x, k, dim, mode === "largest"));
}

type Side = "left" | "right";
/** The searchsorted primitive: insertion indices of v into the sorted 1-D a (same dtype). */
const ss = (a: A, v: A, side: Side): A => bind1(searchsorted_p, [a, v], { side });
interface SearchOptions {
  side?: Side;
  sorter?: X | null;
  method?: "scan" | "scan_unrolled" | "sort" | "compare_all";
}

/**
 * np.searchsorted(a, v, side = "left", sorter = null, { method }): int32 insertion indices
 * of `v` into the 1-D array `a` (sorted, or `a[sorter]` sorted). `a` and `v` are promoted
 * together. The order is the sort's (NaNs last). `method` is accepted for compatibility:
 * every method gives the same result here.
 */
export function searchsorted(a: X, v: X, side?: Side | SearchOptions, sorter?: X | null, opts?: SearchOptions): ArrayBase {
  const fn = "searchsorted";
  let o: SearchOptions = opts ?? {};
  let s: unknown = side;
  let srt = sorter;
  if (isOpts(side)) {
    o = side as SearchOptions;
    s = o.side;
    srt = o.sorter;
  }
  s ??= "left";
  if (s !== "left" && s !== "right") throw new TypeError(`${fn}: side must be "left" or "right", got ${JSON.stringify(s)}`);
  if (o.method !== undefined && !["scan", "scan_unrolled", "sort", "compare_all"].includes(o.method)) {
    throw new TypeError(`${fn}: method must be one of "scan", "scan_unrolled", "sort", "compare_all", got ${JSON.stringify(o.method)}`);
  }
  return tidy(() => {
    let [sa, sv] = promoteArgs(fn, [a, v]);
    if (sa.shape.length !== 1) throw new TypeError(`${fn}: a must be 1-dimensional, got shape [${sa.shape}]`);
    if (srt !== undefined && srt !== null) {
      const p = arg(fn, srt);
      if (p.dtype === "bool" || isFloat(p.dtype)) throw new TypeError(`${fn}: sorter must be an integer array, got ${p.dtype}`);
      if (p.shape.length !== 1 || p.shape[0] !== sa.shape[0]) {
        throw new TypeError(`${fn}: sorter must have the shape of a ([${sa.shape}]), got [${p.shape}]`);
      }
      sa = take1d(sa, p);
    }
    return ss(sa, sv, s as Side);
  });
}


/**
 * np.digitize(x, bins, right = false): the index of the bin of each x (int32). `bins` is
 * 1-D and monotonic (increasing or decreasing). right: intervals include the right edge.
 */
export function digitize(x: X, bins: X, right: boolean | { right?: boolean } = false): ArrayBase {
  const fn = "digitize";
  const r = typeof right === "boolean" ? right : !!right.right;
  return tidy(() => {
    const [xa, ba] = promoteArgs(fn, [x, bins]);
    if (ba.shape.length !== 1) throw new TypeError(`${fn}: bins must be 1-dimensional, got shape [${ba.shape}]`);
    const n = ba.shape[0];
    if (n === 0) return full(0, "int32", xa.shape);
    const side: Side = r ? "left" : "right";
    const inc = ge(elem(ba, -1), elem(ba, 0));
    const fwd = ss(ba, xa, side);
    const back = sub(full(n, "int32", xa.shape), ss(rev(ba, 0), xa, side));
    return select(bcast(inc, xa.shape), fwd, back);
  });
}

/** np.spacing(np.finfo(dtype).eps): JAX's threshold for a zero-width interp interval. */
function interpEpsilon(d: DType): number {
  return d === "float64" ? 2 ** -104 : d === "float16" ? 2 ** -20 : 2 ** -46;
}

type Bound = X | "extrapolate" | null;

/**
 * np.interp(x, xp, fp, { left, right, period }): piecewise-linear interpolation of the
 * points (xp, fp) at x. xp increasing (or periodic with `period`). left/right: the values
 * below xp[0] / above xp[-1] (default fp[0] / fp[-1]), or "extrapolate" (JAX's extension).
 */
export function interp(x: X, xp: X, fp: X, opts: { left?: Bound; right?: Bound; period?: X | null } = {}): ArrayBase {
  const fn = "interp";
  const { left = null, right = null, period = null } = opts;
  for (const [name, v] of [["left", left], ["right", right]] as const) {
    if (typeof v === "string" && v !== "extrapolate") {
      throw new TypeError(`${fn}: the only string value of ${name} is "extrapolate", got ${JSON.stringify(v)}`);
    }
  }
  return tidy(() => {
    const xp0 = arg(fn, xp);
    const fp0 = arg(fn, fp);
    if (xp0.shape.length !== 1 || fp0.shape.length !== 1 || xp0.shape[0] !== fp0.shape[0]) {
      throw new TypeError(`${fn}: xp and fp must be 1-D arrays of equal size, got shapes [${xp0.shape}] and [${fp0.shape}]`);
    }
    if (xp0.shape[0] === 0) throw new TypeError(`${fn}: xp and fp must not be empty`);
    let [xa, xpa] = promoteArgsInexact(fn, [x, xp0]);
    let [fpa] = promoteArgsInexact(fn, [fp0]);
    const dt = xa.dtype;
    if (period !== null) {
      let p = arg(fn, period);
      if (p.shape.length !== 0) throw new TypeError(`${fn}: period must be a scalar, got shape [${p.shape}]`);
      p = un(E.abs_p, cast(p, dt));
      const mod = (y: A): A => {
        const pb = bcast(p, y.shape);
        const r = bin(E.rem_p, y, pb);
        // Python's remainder (the divisor's sign): period >= 0, so shift negative results up.
        return select(lt(r, full(0, dt, y.shape)), add(r, pb), r);
      };
      xa = mod(xa);
      [xpa, fpa] = sortOps([mod(xpa), fpa], 0);
      const m = xpa.shape[0];
      xpa = concat([sub(sliceAxis(xpa, 0, m - 1, m), reshape(p, [1])), xpa, add(sliceAxis(xpa, 0, 0, 1), reshape(p, [1]))], 0);
      fpa = concat([sliceAxis(fpa, 0, m - 1, m), fpa, sliceAxis(fpa, 0, 0, 1)], 0);
    }
    const m = xpa.shape[0];
    const shape = xa.shape;
    const lo = full(1, "int32", shape);
    const hi = full(Math.max(m - 1, 1), "int32", shape);
    const i = bin(E.min_p, bin(E.max_p, ss(xpa, xa, "right"), lo), hi);
    const im1 = sub(i, full(1, "int32", shape));
    const fi = take1d(fpa, i);
    const fim1 = take1d(fpa, im1);
    const xi = take1d(xpa, i);
    const xim1 = take1d(xpa, im1);
    const df = sub(fi, fim1);
    const dx = sub(xi, xim1);
    const delta = sub(xa, xim1);
    const dx0 = le(un(E.abs_p, dx), full(interpEpsilon(dt), dt, shape));
    const [pd, pdf, pfim1] = promoteArgs(fn, [bin(E.div_p, delta, select(dx0, full(1, dt, shape), dx)), df, fim1]);
    let f = select(dx0, pfim1, add(pfim1, bin(E.mul_p, pd, pdf)));
    const bound = (b: Bound, dflt: A, cond: A): void => {
      if (b === "extrapolate" || period !== null) return;
      const [bv, ff] = promoteArgs(fn, [b === null ? dflt : b, f]);
      f = select(cond, bcast(bv, shape), ff);
    };
    bound(left, elem(fpa, 0), lt(xa, bcast(elem(xpa, 0), shape)));
    bound(right, elem(fpa, -1), gt(xa, bcast(elem(xpa, -1), shape)));
    return f;
  });
}

