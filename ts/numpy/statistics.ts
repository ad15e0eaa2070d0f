// jax.numpy statistics: var, std, average, median, quantile, percentile and their
// nan-variants, as compositions of lax primitives (jax/_src/numpy/reductions.py).
// Quantiles sort along the axis (lax.sort, NaNs last) and pick the order statistics with a
// one-hot mask and a max-reduction (exact: every other entry is -inf), which needs no gather.
import type { ArrayBase } from "../array/base.js";
import { defaultFloat, isFloat, type DType } from "../array/dtype.js";
import { fmtShape, normalizeAxes, normalizeAxis, shapeEq } from "../array/shape.js";
import { resultType } from "../array/promotion.js";
import { bind1 } from "../core/trace.js";
import { convert_element_type_p as convertP } from "../lax/elementwise.js";
import { sort_p } from "../lax/sort.js";
import * as S from "../lax/structural.js";
import { arg } from "./convert.js";
import { any, nanmean } from "./reductions.js";
import {
  type Axis, add, broadcastTo, checkWhere, convert, countOf, div, dtypeOpt, eq, expandDims, floor, ceil, full,
  gt, isnan, konst, le, lmax, lmin, lnot, meanImpl, mul, parseAxisArgs, ravel, reduceWith, reshape, select,
  sqrt, square, sub, sumImpl, transpose, upcastF16,
} from "./reductions_common.js";

type X = ArrayBase | number | boolean;
type AxisOr<O> = Axis | (O & { axis?: Axis });

/** Integer and bool dtypes become the default float (float64 with x64 on), as in JAX. */
const toInexact = (d: DType): DType => (isFloat(d) ? d : defaultFloat());

/** promote_dtypes_inexact of one or more operands (weak flags kept). */
function promoteInexact(...xs: ArrayBase[]): ArrayBase[] {
  let d: DType = xs[0].dtype;
  for (const x of xs) if (x.dtype !== d) d = resultFloat(d, x.dtype);
  const target = toInexact(d);
  const weak = xs.every((x) => x.weakType);
  return xs.map((x) => (x.dtype === target ? x : bind1(convertP, [x], { newDtype: target, weakType: weak && x.weakType })));
}
function resultFloat(a: DType, b: DType): DType {
  return resultType({ dtype: a, weak: false }, { dtype: b, weak: false }).dtype;
}

// ---- var / std -----------------------------------------------------------------------------

export interface VarOptions {
  axis?: Axis;
  dtype?: string;
  ddof?: number;
  correction?: number;
  keepdims?: boolean;
  where?: ArrayBase;
  /** A precomputed mean (broadcastable against the input with keepdims). */
  mean?: ArrayBase | number;
}
const VAR_KEYS = ["dtype", "ddof", "correction", "keepdims", "where", "mean"] as const;

/** jnp's _var_promote_types: [computation dtype, result dtype]. */
function varPromote(a: DType, dtype: DType | undefined): [DType, DType] {
  if (dtype) return [upcastF16(dtype), dtype];
  if (!isFloat(a)) return [defaultFloat(), defaultFloat()];
  return [upcastF16(a), a];
}

function correctionOf(fn: string, o: { ddof?: number; correction?: number }): number {
  if (o.correction === undefined) return o.ddof ?? 0;
  if (o.ddof !== undefined && o.ddof !== 0) throw new TypeError(`${fn}: ddof and correction can't be provided simultaneously`);
  return o.correction;
}

function varImpl(fn: string, x: X, axis: Axis, o: VarOptions): ArrayBase {
  const a0 = arg(fn, x);
  const where = checkWhere(fn, o.where, a0.shape);
  const correction = correctionOf(fn, o);
  const [comp, dtype] = varPromote(a0.dtype, dtypeOpt(fn, o.dtype));
  const a = convert(a0, comp);
  const aMean = o.mean === undefined
    ? meanImpl(fn, a, axis, { dtype: comp, keepdims: true, where }, false)
    : convert(arg(fn, o.mean), comp);
  const centered = square(sub(a, aMean));
  let normalizer = countOf(fn, a, axis, o.keepdims ?? false, where, comp);
  normalizer = sub(normalizer, konst(correction, comp));
  const total = sumImpl(fn, centered, axis, { dtype: comp, keepdims: o.keepdims, where });
  const result = convert(div(total, normalizer), dtype);
  return select(gt(normalizer, konst(0, comp)), result, konst(NaN, dtype), fn);
}

/**
 * Variance along `axis` (ddof 0 by default). Ints and bools give float32; float16 is computed
 * in float32 and stays float16. Options: dtype, ddof (or correction), keepdims, where, mean.
 * NaN where the count minus ddof is not positive.
 */
function var_(x: X, axis?: AxisOr<VarOptions>, opts?: VarOptions): ArrayBase {
  const o = parseAxisArgs<VarOptions>("var", axis, opts, VAR_KEYS);
  return varImpl("var", x, o.axis, o);
}
export { var_ as var };

/** Standard deviation: sqrt(var); same options. */
export function std(x: X, axis?: AxisOr<VarOptions>, opts?: VarOptions): ArrayBase {
  const o = parseAxisArgs<VarOptions>("std", axis, opts, VAR_KEYS);
  const d = dtypeOpt("std", o.dtype);
  if (d !== undefined && !isFloat(d)) throw new TypeError(`std: the dtype argument must be inexact (a float dtype), got ${d}`);
  return sqrt(varImpl("std", x, o.axis, o));
}

function nanvarImpl(fn: string, x: X, axis: Axis, o: VarOptions): ArrayBase {
  const a0 = arg(fn, x);
  const where = checkWhere(fn, o.where, a0.shape);
  if (o.correction !== undefined) throw new TypeError(`${fn}: use ddof (jnp.${fn === "nanstd" ? "nanstd" : "nanvar"} has no correction argument)`);
  const ddof = o.ddof ?? 0;
  const [comp, dtype] = varPromote(a0.dtype, dtypeOpt(fn, o.dtype));
  const a = convert(a0, comp);
  const aMean = o.mean === undefined
    ? nanmean(a, axis, { dtype: comp, keepdims: true, where })
    : convert(arg(fn, o.mean), comp);
  const nanMask = isnan(a);
  const centered = square(select(nanMask, konst(0, comp), sub(a, aMean), fn));
  // Count of non-NaN entries (int32), minus ddof (a float ddof makes it float, as in JAX).
  let normalizer = sumImpl(fn, lnot(nanMask), axis, { keepdims: o.keepdims, where });
  if (!Number.isInteger(ddof)) normalizer = convert(normalizer, comp);
  normalizer = sub(normalizer, konst(ddof, normalizer.dtype));
  const bad = le(normalizer, konst(0, normalizer.dtype));
  let result = sumImpl(fn, centered, axis, { keepdims: o.keepdims, where });
  result = select(bad, konst(NaN, result.dtype), result, fn);
  const divisor = select(bad, konst(1, normalizer.dtype), normalizer, fn);
  result = div(result, convert(divisor, result.dtype));
  return convert(result, dtype);
}

/** var ignoring NaNs; NaN where fewer than ddof + 1 values remain. Options as var (no correction). */
export function nanvar(x: X, axis?: AxisOr<VarOptions>, opts?: VarOptions): ArrayBase {
  const o = parseAxisArgs<VarOptions>("nanvar", axis, opts, VAR_KEYS);
  return nanvarImpl("nanvar", x, o.axis, o);
}
/** std ignoring NaNs: sqrt(nanvar). */
export function nanstd(x: X, axis?: AxisOr<VarOptions>, opts?: VarOptions): ArrayBase {
  const o = parseAxisArgs<VarOptions>("nanstd", axis, opts, VAR_KEYS);
  return sqrt(nanvarImpl("nanstd", x, o.axis, o));
}

// ---- average -----------------------------------------------------------------------------

export interface AverageOptions { axis?: Axis; weights?: ArrayBase; returned?: boolean; keepdims?: boolean }

/**
 * Weighted average along `axis`. `weights` has a's shape, or (with axis) the shape of the
 * reduced axes in the order given. With `returned: true` gives [average, sum of weights].
 */
export function average(x: X, axis?: AxisOr<AverageOptions>, opts?: AverageOptions): ArrayBase | [ArrayBase, ArrayBase] {
  const fn = "average";
  const o = parseAxisArgs<AverageOptions>(fn, axis, opts, ["weights", "returned", "keepdims"]);
  const a0 = arg(fn, x);
  const ax = o.axis;
  const axisList = ax === undefined || ax === null ? null : (typeof ax === "number" ? [ax] : ax).map((d) => normalizeAxis(fn, d, a0.ndim));
  if (axisList) normalizeAxes(fn, axisList, a0.ndim); // rejects repeated axes
  let avg: ArrayBase;
  let wsum: ArrayBase;
  if (o.weights === undefined || o.weights === null) {
    const [a] = promoteInexact(a0);
    avg = meanImpl(fn, a, ax, { keepdims: o.keepdims }, true);
    const n = axisList ? axisList.reduce((p, d) => p * a.shape[d], 1) : a.size;
    wsum = konst(n, avg.dtype);
  } else {
    let [a, w] = promoteInexact(a0, arg(fn, o.weights));
    if (!shapeEq(a.shape, w.shape)) {
      if (!axisList) {
        throw new TypeError(`${fn}: axis must be given when the shapes of a ${fmtShape(a.shape)} and weights ${fmtShape(w.shape)} differ`);
      }
      const want = axisList.map((d) => a.shape[d]);
      if (!shapeEq(w.shape, want)) {
        throw new TypeError(`${fn}: the shape of weights ${fmtShape(w.shape)} must equal a's shape ${fmtShape(a.shape)} along axis ${JSON.stringify(ax)}, i.e. ${fmtShape(want)}`);
      }
      // Order the weights' axes as in a, then insert size-1 axes elsewhere.
      const order = axisList.map((d, i) => [d, i]).sort((p, q) => p[0] - q[0]).map(([, i]) => i);
      w = transpose(w, order);
      w = reshape(w, a.shape.map((d, i) => (axisList.includes(i) ? d : 1)));
    }
    wsum = sumImpl(fn, w, ax, { keepdims: o.keepdims });
    avg = div(sumImpl(fn, mul(a, w), ax, { keepdims: o.keepdims }), wsum);
  }
  if (!o.returned) return avg;
  if (!shapeEq(avg.shape, wsum.shape)) wsum = broadcastTo(wsum, avg.shape);
  return [avg, wsum];
}

// ---- quantiles -----------------------------------------------------------------------------

export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";
const METHODS: readonly string[] = ["linear", "lower", "higher", "midpoint", "nearest"];
export interface QuantileOptions { axis?: Axis; method?: QuantileMethod; keepdims?: boolean }
const Q_KEYS = ["method", "keepdims"] as const;

/**
 * out[q..., r...] = sorted[r... with `axis` at idx[q..., r...]], where r runs over the
 * sorted array's shape without `axis`: a one-hot mask and a max-reduction over the axis.
 */
function takeAlongAxis(sorted: ArrayBase, idx: ArrayBase, axis: number, qNdim: number): ArrayBase {
  const shape = [...idx.shape.slice(0, qNdim), ...sorted.shape];
  const at = qNdim + axis;
  const index = broadcastTo(expandDims(idx, [at]), shape);
  const iota = bind1(S.iota_p, [], { dtype: "int32", shape, dimension: at });
  const values = bind1(S.broadcast_in_dim_p, [sorted], { shape, broadcastDimensions: sorted.shape.map((_, i) => i + qNdim) });
  const picked = select(eq(iota, index), values, konst(-Infinity, sorted.dtype), "quantile");
  return reduceWith("max", picked, [at]);
}

/** Broadcasts `x` (shape qShape) to qShape + rest, or `x` (shape rest) when `trailing`. */
function spread(x: ArrayBase, shape: number[], trailing: boolean): ArrayBase {
  const off = trailing ? shape.length - x.ndim : 0;
  return bind1(S.broadcast_in_dim_p, [x], { shape, broadcastDimensions: x.shape.map((_, i) => i + off) });
}

function quantileImpl(fn: string, x: X, qIn: unknown, axisArg: Axis, method: string, keepdims: boolean, squashNans: boolean, percent = false): ArrayBase {
  if (!METHODS.includes(method)) {
    throw new TypeError(`${fn}: method must be one of ${METHODS.join(", ")}, got ${JSON.stringify(method)}` +
      (method === "inverted_cdf" ? " (inverted_cdf and weights are not supported yet)" : ""));
  }
  let [a] = promoteInexact(arg(fn, x));
  // q is promoted to a float: JS cannot write 1.0, so np.quantile(x, 1) means the float 1
  // (jnp.quantile would reject an integer q; jnp.percentile promotes as here).
  let [q] = promoteInexact(arg(fn, qIn));
  if (q.ndim > 1) throw new TypeError(`${fn}: q must have rank 0 or 1, got shape ${fmtShape(q.shape)}`);
  if (percent) q = div(q, konst(100, q.dtype));
  const qd = q.dtype;
  const qNdim = q.ndim;
  const qShape = q.shape;

  let keepShape: number[] | null = null;
  let axis: number;
  if (axisArg === undefined || axisArg === null) {
    if (keepdims) keepShape = a.shape.map(() => 1);
    a = ravel(a);
    axis = 0;
  } else if (typeof axisArg !== "number") {
    const axes = normalizeAxes(fn, axisArg, a.ndim);
    keepShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const kept = a.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const newShape = [...kept.map((i) => a.shape[i]), axes.reduce((p, d) => p * a.shape[d], 1)];
    a = reshape(transpose(a, [...kept, ...axes]), newShape);
    axis = a.ndim - 1;
  } else {
    axis = normalizeAxis(fn, axisArg, a.ndim);
  }
  const n = a.shape[axis];
  const rest = a.shape.filter((_, i) => i !== axis);
  const outShape = [...qShape, ...rest];

  let result: ArrayBase;
  if (n === 0) {
    // Nothing to pick: JAX's out-of-bounds gather fills with NaN.
    result = full(outShape, NaN, a.dtype);
  } else {
    let low: ArrayBase, high: ArrayBase, lw: ArrayBase, hw: ArrayBase;
    if (squashNans) {
      a = bind1(sort_p, [a], { dimension: axis, isStable: true, numKeys: 1 }); // NaNs sort last
      const counts = spread(sumImpl(fn, lnot(isnan(a)), axis, { dtype: qd }), outShape, true);
      const qq = mul(spread(q, outShape, false), sub(counts, konst(1, qd)));
      low = floor(qq);
      high = ceil(qq);
      hw = sub(qq, low);
      lw = sub(konst(1, qd), hw);
      const last = sub(counts, konst(1, qd));
      low = lmax(konst(0, qd), lmin(low, last));
      high = lmax(konst(0, qd), lmin(high, last));
    } else {
      a = select(any(isnan(a), axis, { keepdims: true }), konst(NaN, a.dtype), a, fn);
      a = bind1(sort_p, [a], { dimension: axis, isStable: true, numKeys: 1 });
      const qq = mul(q, konst(n - 1, qd));
      low = floor(qq);
      high = ceil(qq);
      hw = sub(qq, low);
      lw = sub(konst(1, qd), hw);
      low = lmin(lmax(low, konst(0, qd)), konst(n - 1, qd));
      high = lmin(lmax(high, konst(0, qd)), konst(n - 1, qd));
      [low, high, lw, hw] = [low, high, lw, hw].map((v) => spread(v, outShape, false));
    }
    const lowV = takeAlongAxis(a, convert(low, "int32"), axis, qNdim);
    const highV = takeAlongAxis(a, convert(high, "int32"), axis, qNdim);
    switch (method) {
      case "linear":
        result = add(mul(convert(lowV, qd), lw), mul(convert(highV, qd), hw));
        break;
      case "lower":
        result = lowV;
        break;
      case "higher":
        result = highV;
        break;
      case "nearest":
        // JAX picks the lower neighbour when the fraction is <= 0.5 (NumPy rounds half to even).
        result = select(le(hw, konst(0.5, qd)), lowV, highV, fn);
        break;
      default: // midpoint
        result = mul(add(lowV, highV), konst(0.5, a.dtype));
    }
  }
  if (keepdims) result = keepShape ? reshape(result, [...qShape, ...keepShape]) : expandDims(result, [qNdim + axis]);
  return convert(result, a.dtype);
}

function quantileArgs(fn: string, axis: unknown, opts: unknown) {
  return parseAxisArgs<QuantileOptions>(fn, axis, opts, Q_KEYS);
}

/**
 * The q-th quantile(s) along `axis` (flattened when null); q is a number or a 0-d/1-d array
 * in [0, 1] (a 1-d q adds a leading axis). Methods: linear (default), lower, higher, midpoint,
 * nearest (as jnp: the lower neighbour at a fraction of exactly 0.5). NaN input gives NaN.
 */
export function quantile(x: X, q: X, axis?: AxisOr<QuantileOptions>, opts?: QuantileOptions): ArrayBase {
  const o = quantileArgs("quantile", axis, opts);
  return quantileImpl("quantile", x, q, o.axis, o.method ?? "linear", o.keepdims ?? false, false);
}
/** quantile ignoring NaNs (NaN where all are NaN). */
export function nanquantile(x: X, q: X, axis?: AxisOr<QuantileOptions>, opts?: QuantileOptions): ArrayBase {
  const o = quantileArgs("nanquantile", axis, opts);
  return quantileImpl("nanquantile", x, q, o.axis, o.method ?? "linear", o.keepdims ?? false, true);
}
/** quantile with q in percent (0 to 100). */
export function percentile(x: X, q: X, axis?: AxisOr<QuantileOptions>, opts?: QuantileOptions): ArrayBase {
  const o = quantileArgs("percentile", axis, opts);
  return quantileImpl("percentile", x, q, o.axis, o.method ?? "linear", o.keepdims ?? false, false, true);
}
/** percentile ignoring NaNs. */
export function nanpercentile(x: X, q: X, axis?: AxisOr<QuantileOptions>, opts?: QuantileOptions): ArrayBase {
  const o = quantileArgs("nanpercentile", axis, opts);
  return quantileImpl("nanpercentile", x, q, o.axis, o.method ?? "linear", o.keepdims ?? false, true, true);
}
/** Median along `axis` (quantile 0.5, midpoint); NaN input gives NaN. Options: keepdims. */
export function median(x: X, axis?: AxisOr<{ keepdims?: boolean }>, opts?: { keepdims?: boolean }): ArrayBase {
  const o = parseAxisArgs<{ keepdims?: boolean }>("median", axis, opts, ["keepdims"]);
  return quantileImpl("median", x, 0.5, o.axis, "midpoint", o.keepdims ?? false, false);
}
/** Median ignoring NaNs. */
export function nanmedian(x: X, axis?: AxisOr<{ keepdims?: boolean }>, opts?: { keepdims?: boolean }): ArrayBase {
  const o = parseAxisArgs<{ keepdims?: boolean }>("nanmedian", axis, opts, ["keepdims"]);
  return quantileImpl("nanmedian", x, 0.5, o.axis, "midpoint", o.keepdims ?? false, true);
}
