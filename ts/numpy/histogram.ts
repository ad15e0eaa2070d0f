// jax.numpy counting: bincount, histogram, histogramBinEdges.
//
// Both scatter-add into zeros as JAX does (`zeros(length).at[idx].add(weights)`).
import type { ArrayBase } from "../array/base.js";
import { isBool, isInteger, isUnsigned, type DType } from "../array/dtype.js";
import { bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import * as R from "../lax/reduce.js";
import { searchsorted_p } from "../lax/search.js";
import { tidy } from "../runtime/memory.js";
import { arg } from "./convert.js";
import { promoteArgsInexact } from "./promote.js";
import {
  add, bcast, bin, cast, concat, concreteInt, div, elem, eq, full, iota, mul, reduceMax, reduceMin,
  requireConcrete, reshape, ravel, scatterAdd1d, select, sliceAxis, staticInt, sub, type A,
} from "./sortutil.js";

type X = ArrayBase | number | boolean;

/** Sums of `w` (or counts, int32, when w is null) per value 0 .. length-1 of the 1-D int32
 * idx; other values are dropped. JAX's `zeros(length).at[idx].add(w)`. */
function binSums(idx: A, w: A | null, length: number): A {
  return scatterAdd1d(length, idx, w ?? full(1, "int32", idx.shape));
}

/**
 * np.bincount(x, weights = null, minlength = 0, { length }): counts (or summed weights) of
 * each value 0 .. length-1 in the 1-D integer array x. As in JAX, negative values count in
 * bin 0 and values >= length are dropped. Without `length` the output length is
 * max(minlength, max(x) + 1), read from the values: allowed outside jit only.
 */
export function bincount(
  x: X,
  weights?: X | null | { weights?: X | null; minlength?: number; length?: number | null },
  minlength = 0,
  opts: { length?: number | null } = {},
): ArrayBase {
  const fn = "bincount";
  let w: X | null | undefined = weights as X | null | undefined;
  let o: { minlength?: number; length?: number | null } = { minlength, ...opts };
  if (weights !== null && typeof weights === "object" && !("shape" in weights)) {
    o = { minlength, ...opts, ...weights };
    w = (weights as { weights?: X | null }).weights;
  }
  const minLen = staticInt(fn, "minlength", o.minlength ?? 0);
  return tidy(() => {
    let xa = arg(fn, x);
    if (isBool(xa.dtype)) xa = cast(xa, "int32");
    if (!isInteger(xa.dtype)) throw new TypeError(`${fn}: x must have an integer dtype, got ${xa.dtype}`);
    if (xa.shape.length !== 1) throw new TypeError(`${fn}: only 1-dimensional input is supported, got shape [${xa.shape}]`);
    const n = xa.shape[0];
    let length: number;
    if (o.length === undefined || o.length === null) {
      requireConcrete(fn, xa, "pass a static `length` to fix the output length");
      const mx = n ? Math.max(0, concreteInt(fn, cast(reduceMax(xa), isUnsigned(xa.dtype) ? "uint32" : "int32"), "")) + 1 : 0;
      length = Math.max(minLen, mx);
    } else length = staticInt(fn, "length", o.length);
    let wa: A | null = null;
    if (w !== undefined && w !== null) {
      wa = arg(fn, w);
      if (wa.shape.length !== xa.shape.length || wa.shape.some((d, i) => d !== xa.shape[i])) {
        throw new TypeError(`${fn}: weights must have the shape of x ([${xa.shape}]), got [${wa.shape}]`);
      }
    }
    // Bin indices as int32: negatives clip to 0; uint32 values beyond int32 clamp first.
    let xi: A;
    if (xa.dtype === "uint32") xi = cast(bin(E.min_p, xa, full(length, "uint32", [n])), "int32");
    else xi = bin(E.max_p, cast(xa, "int32"), full(0, "int32", [n]));
    return binSums(xi, wa, length);
  });
}

type Range = [X, X] | ArrayBase | null;

/** Inexact edges for `bins` (a count or 1-D edges), JAX's histogram_bin_edges. */
function binEdges(fn: string, a: A, bins: X, range: Range): A {
  const dt: DType = a.dtype;
  if (typeof bins !== "number") {
    const b = arg(fn, bins);
    if (b.shape.length !== 1) throw new TypeError(`${fn}: bins must be an integer or a 1-D array of edges, got shape [${b.shape}]`);
    return cast(b, dt);
  }
  const nb = staticInt(fn, "bins", bins, 1);
  let lo: A;
  let hi: A;
  if (range === null || range === undefined) {
    if (a.size === 0) throw new TypeError(`${fn}: cannot infer the range of an empty array; pass range`);
    lo = reduceMin(a);
    hi = reduceMax(a);
  } else {
    let pair: A[];
    if (globalThis.Array.isArray(range)) {
      if (range.length !== 2) throw new TypeError(`${fn}: range must be null or a pair [min, max], got ${range.length} values`);
      pair = range.map((r) => cast(arg(fn, r), dt));
    } else {
      const r = arg(fn, range);
      if (r.shape.length !== 1 || r.shape[0] !== 2) throw new TypeError(`${fn}: range must be null or a pair [min, max], got shape [${r.shape}]`);
      pair = [elem(cast(r, dt), 0), elem(cast(r, dt), 1)];
    }
    if (pair.some((p) => p.shape.length !== 0)) throw new TypeError(`${fn}: range must hold two scalars`);
    [lo, hi] = pair;
  }
  // A zero-width range widens to [lo - 0.5, hi + 0.5].
  const zero = eq(sub(hi, lo), full(0, dt));
  const half = full(0.5, dt);
  lo = select(zero, sub(lo, half), lo);
  hi = select(zero, add(hi, half), hi);
  // jnp.linspace(lo, hi, nb + 1): lo * (1 - i/nb) + hi * (i/nb) for i < nb, then hi.
  const step = div(iota(dt, [nb]), full(nb, dt, [nb]));
  const one = full(1, dt, [nb]);
  const inner = add(mul(bcast(lo, [nb]), sub(one, step)), mul(bcast(hi, [nb]), step));
  return concat([inner, reshape(hi, [1])], 0);
}

export interface HistogramOptions {
  /** [min, max] of the bins when `bins` is a count (default: the data's min and max). */
  range?: Range;
  weights?: X | null;
  /** Normalize to a probability density (integral 1 over the range). */
  density?: boolean | null;
}

/**
 * np.histogram_bin_edges(a, bins = 10, { range }): the bin edges histogram would use: the
 * given 1-D edges, or bins + 1 evenly spaced edges over the range (JAX's linspace formula).
 */
export function histogramBinEdges(a: X, bins: X | HistogramOptions = 10, opts: HistogramOptions = {}): ArrayBase {
  const fn = "histogram_bin_edges";
  let b = bins as X;
  let o = opts;
  if (bins !== null && typeof bins === "object" && !("shape" in bins)) {
    o = bins as HistogramOptions;
    b = 10;
  }
  return tidy(() => {
    const [aa] = promoteArgsInexact(fn, [a]);
    return binEdges(fn, ravel(aa), b, o.range ?? null);
  });
}

/**
 * np.histogram(a, bins = 10, { range, weights, density }): [counts, binEdges]. Bins are
 * half-open [e_i, e_{i+1}) except the last, which includes its right edge; values outside
 * the edges (and NaNs) are not counted. counts have the data's inexact dtype (JAX's rule).
 */
export function histogram(a: X, bins: X | HistogramOptions = 10, opts: HistogramOptions = {}): [ArrayBase, ArrayBase] {
  const fn = "histogram";
  let b = bins as X;
  let o = opts;
  if (bins !== null && typeof bins === "object" && !("shape" in bins)) {
    o = bins as HistogramOptions;
    b = 10;
  }
  return tidy(() => {
    let aa: A;
    let w: A | null = null;
    if (o.weights === undefined || o.weights === null) [aa] = promoteArgsInexact(fn, [a]);
    else {
      const a0 = arg(fn, a);
      const w0 = arg(fn, o.weights);
      if (a0.shape.length !== w0.shape.length || a0.shape.some((d, i) => d !== w0.shape[i])) {
        throw new TypeError(`${fn}: weights must have the shape of a ([${a0.shape}]), got [${w0.shape}]`);
      }
      [aa, w] = promoteArgsInexact(fn, [a0, w0]);
      w = ravel(w);
    }
    const flat = ravel(aa);
    const edges = binEdges(fn, flat, b, o.range ?? null);
    const ne = edges.shape[0];
    const n = flat.shape[0];
    let idx = bind1(searchsorted_p, [edges, flat], { side: "right" });
    idx = select(eq(flat, bcast(elem(edges, -1), [n])), full(ne - 1, "int32", [n]), idx);
    // Bins 1 .. ne-1 of the searchsorted indices are the histogram's bins 0 .. ne-2.
    const sums = binSums(idx, w, ne);
    let counts = cast(sliceAxis(sums, 0, 1, ne), w ? w.dtype : aa.dtype);
    if (o.density) {
      const widths = sub(sliceAxis(edges, 0, 1, ne), sliceAxis(edges, 0, 0, ne - 1));
      const total = bind1(R.reduce_sum_p, [counts], { axes: [0] });
      counts = div(div(counts, cast(widths, counts.dtype)), bcast(cast(total, counts.dtype), [ne - 1]));
    }
    return [counts, edges] as [A, A];
  });
}

