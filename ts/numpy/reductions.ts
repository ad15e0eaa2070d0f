// jax.numpy reductions (sum, prod, max, min, all, any, mean, argmax, ...), their nan-variants,
// and the cumulative functions (cumsum, cumprod, cumulativeSum, ...). Statistics (var, std,
// average, median, quantile, percentile) live in ./statistics.ts.
//
// Each is a composition of lax primitives (jax/_src/numpy/reductions.py): reduce_* run as
// fused kernels with a reduction, cumulative ones as backend routines. Results are strongly
// typed, as jnp's final convert_element_type makes them.
//
// Calling forms: f(x), f(x, axis), f(x, {axis, keepdims, ...}), f(x, axis, {keepdims, ...}).
import type { ArrayBase } from "../array/base.js";
import { isBool, isFloat, type DType } from "../array/dtype.js";
import { fmtShape, normalizeAxis } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import * as R from "../lax/reduce.js";
import * as S from "../lax/structural.js";
import { cumprod_p, cumsum_p } from "../lax/sort.js";
import { arg } from "./convert.js";
import {
  type Axis, checkWhere, convert, div, dtypeOpt, expandDims, full, isnan, konst, lnot, meanImpl, ne,
  parseAxisArgs, promoteIntegerDtype, ravel, reduction, select, singleAxis, sub, sumSpec, toInexact,
} from "./reductions_common.js";

type X = ArrayBase | number | boolean;
type AxisOr<O> = Axis | (O & { axis?: Axis });

// ---- sum, prod, max, min, all, any ------------------------------------------------------------

export interface SumOptions {
  axis?: Axis;
  dtype?: string;
  keepdims?: boolean;
  initial?: number | boolean | ArrayBase;
  where?: ArrayBase;
  promoteIntegers?: boolean;
}
const SUM_KEYS = ["dtype", "keepdims", "initial", "where", "promoteIntegers"] as const;

function sumLike(name: string, x: X, axisOrOpts: unknown, opts: unknown, op: "sum" | "prod" = "sum"): ArrayBase {
  const o = parseAxisArgs<SumOptions>(name, axisOrOpts, opts, SUM_KEYS);
  return reduction(
    sumSpec(name, op, o.promoteIntegers ?? true),
    x, o.axis, { dtype: dtypeOpt(name, o.dtype), keepdims: o.keepdims, initial: o.initial, where: o.where },
  );
}

/**
 * Sum over `axis` (all axes by default). bool and narrow ints are summed as int32/uint32
 * (promoteIntegers); float16 accumulates in float32. Options: dtype, keepdims, initial, where.
 */
export function sum(x: X, axis?: AxisOr<SumOptions>, opts?: SumOptions): ArrayBase {
  return sumLike("sum", x, axis, opts);
}
/** Product over `axis`; same options and dtype rules as sum. */
export function prod(x: X, axis?: AxisOr<SumOptions>, opts?: SumOptions): ArrayBase {
  return sumLike("prod", x, axis, opts, "prod");
}

export interface MaxOptions { axis?: Axis; keepdims?: boolean; initial?: number | boolean | ArrayBase; where?: ArrayBase }
const MAX_KEYS = ["keepdims", "initial", "where"] as const;

function maxLike(name: string, op: "max" | "min", x: X, axisOrOpts: unknown, opts: unknown): ArrayBase {
  const o = parseAxisArgs<MaxOptions>(name, axisOrOpts, opts, MAX_KEYS);
  return reduction({ name, op, hasIdentity: false }, x, o.axis, { keepdims: o.keepdims, initial: o.initial, where: o.where });
}

/**
 * Maximum over `axis`; NaN propagates. An empty reduction needs `initial` (as in JAX);
 * with `where`, `initial` is required too.
 */
export function max(x: X, axis?: AxisOr<MaxOptions>, opts?: MaxOptions): ArrayBase {
  return maxLike("max", "max", x, axis, opts);
}
/** Minimum over `axis`; NaN propagates. */
export function min(x: X, axis?: AxisOr<MaxOptions>, opts?: MaxOptions): ArrayBase {
  return maxLike("min", "min", x, axis, opts);
}
/** Alias of max. */
export function amax(x: X, axis?: AxisOr<MaxOptions>, opts?: MaxOptions): ArrayBase {
  return maxLike("amax", "max", x, axis, opts);
}
/** Alias of min. */
export function amin(x: X, axis?: AxisOr<MaxOptions>, opts?: MaxOptions): ArrayBase {
  return maxLike("amin", "min", x, axis, opts);
}

export interface AllOptions { axis?: Axis; keepdims?: boolean; where?: ArrayBase }
const ALL_KEYS = ["keepdims", "where"] as const;

/** True where every element along `axis` is nonzero (bool result). */
export function all(x: X, axis?: AxisOr<AllOptions>, opts?: AllOptions): ArrayBase {
  const o = parseAxisArgs<AllOptions>("all", axis, opts, ALL_KEYS);
  return reduction({ name: "all", op: "and", hasIdentity: true, preproc: "bool" }, x, o.axis, { keepdims: o.keepdims, where: o.where });
}
/** True where any element along `axis` is nonzero (bool result). */
export function any(x: X, axis?: AxisOr<AllOptions>, opts?: AllOptions): ArrayBase {
  const o = parseAxisArgs<AllOptions>("any", axis, opts, ALL_KEYS);
  return reduction({ name: "any", op: "or", hasIdentity: true, preproc: "bool" }, x, o.axis, { keepdims: o.keepdims, where: o.where });
}

/** Number of nonzero elements along `axis` (int32). */
export function countNonzero(x: X, axis?: AxisOr<{ keepdims?: boolean }>, opts?: { keepdims?: boolean }): ArrayBase {
  const o = parseAxisArgs<{ keepdims?: boolean }>("countNonzero", axis, opts, ["keepdims"]);
  const a = arg("countNonzero", x);
  const nz = ne(a, konst(0, a.dtype));
  return sum(nz, o.axis, { dtype: "int32", keepdims: o.keepdims });
}

/** Peak to peak: max - min along `axis`. */
export function ptp(x: X, axis?: AxisOr<{ keepdims?: boolean }>, opts?: { keepdims?: boolean }): ArrayBase {
  const o = parseAxisArgs<{ keepdims?: boolean }>("ptp", axis, opts, ["keepdims"]);
  const a = arg("ptp", x);
  if (isBool(a.dtype)) throw new TypeError("ptp: bool input is not supported (lax.sub of bools); convert with astype('int32') first");
  const hi = maxLike("ptp", "max", a, o.axis, { keepdims: o.keepdims });
  const lo = maxLike("ptp", "min", a, o.axis, { keepdims: o.keepdims });
  return sub(hi, lo);
}

// ---- mean ----------------------------------------------------------------------------------

export interface MeanOptions { axis?: Axis; dtype?: string; keepdims?: boolean; where?: ArrayBase }
const MEAN_KEYS = ["dtype", "keepdims", "where"] as const;

/**
 * Arithmetic mean along `axis`. Ints and bools give float32; float16 stays float16 (summed
 * in float32). Options: dtype, keepdims, where.
 */
export function mean(x: X, axis?: AxisOr<MeanOptions>, opts?: MeanOptions): ArrayBase {
  const o = parseAxisArgs<MeanOptions>("mean", axis, opts, MEAN_KEYS);
  const dtype = dtypeOpt("mean", o.dtype);
  return meanImpl("mean", x, o.axis, { dtype, keepdims: o.keepdims, where: o.where }, dtype === undefined);
}

// ---- argmax / argmin ---------------------------------------------------------------------------

export interface ArgOptions { axis?: number | null; keepdims?: boolean }

function argReduce(name: string, op: "argmax" | "argmin", x: X, axisOrOpts: unknown, opts: unknown): ArrayBase {
  const o = parseAxisArgs<{ keepdims?: boolean }>(name, axisOrOpts, opts, ["keepdims"]);
  let a = arg(name, x);
  const ax = singleAxis(name, o.axis);
  let axis: number;
  let dims: number[];
  if (ax === null) {
    dims = a.shape.map((_, i) => i);
    a = ravel(a);
    axis = 0;
  } else {
    axis = normalizeAxis(name, ax, a.ndim);
    dims = [axis];
  }
  if (a.shape[axis] === 0) {
    throw new RangeError(`${name}: attempt to get ${op} of an empty sequence (axis ${axis} of shape ${fmtShape(a.shape)} is empty)`);
  }
  const p = op === "argmax" ? R.argmax_p : R.argmin_p;
  const r = bind1(p, [a], { axes: [axis], indexDtype: "int32" });
  return o.keepdims ? expandDims(r, dims) : r;
}

/**
 * Index of the maximum along `axis` (flattened when null), int32. Ties give the lowest index;
 * NaN counts as the maximum (the first NaN wins). Empty axes are an error.
 */
export function argmax(x: X, axis?: number | null | ArgOptions, opts?: { keepdims?: boolean }): ArrayBase {
  return argReduce("argmax", "argmax", x, axis, opts);
}
/** Index of the minimum along `axis`; ties give the lowest index, NaN wins. */
export function argmin(x: X, axis?: number | null | ArgOptions, opts?: { keepdims?: boolean }): ArrayBase {
  return argReduce("argmin", "argmin", x, axis, opts);
}

// ---- nan-ignoring reductions -----------------------------------------------------------------

/** jnp's _nan_reduction: NaNs replaced by the identity; optionally NaN where all are NaN. */
function nanReduction(
  name: string, x: X, fill: number, nanIfAllNan: boolean, axis: Axis, keepdims: boolean | undefined,
  where: unknown, reduce: (a: ArrayBase) => ArrayBase,
): ArrayBase {
  const a = arg(name, x);
  checkWhere(name, where, a.shape);
  if (!isFloat(a.dtype)) return reduce(a);
  const mask = isnan(a);
  const out = reduce(select(mask, konst(fill, a.dtype), a, name));
  if (!nanIfAllNan) return out;
  return select(all(mask, axis, { keepdims }), konst(NaN, out.dtype), out, name);
}

/** sum treating NaN as zero. */
export function nansum(x: X, axis?: AxisOr<SumOptions>, opts?: SumOptions): ArrayBase {
  const o = parseAxisArgs<SumOptions>("nansum", axis, opts, SUM_KEYS);
  return nanReduction("nansum", x, 0, false, o.axis, o.keepdims, o.where, (a) => sumLike("nansum", a, o, undefined));
}
/** prod treating NaN as one. */
export function nanprod(x: X, axis?: AxisOr<SumOptions>, opts?: SumOptions): ArrayBase {
  const o = parseAxisArgs<SumOptions>("nanprod", axis, opts, SUM_KEYS);
  return nanReduction("nanprod", x, 1, false, o.axis, o.keepdims, o.where, (a) => sumLike("nanprod", a, o, undefined, "prod"));
}
/** max ignoring NaN; NaN where every element is NaN (unless `initial` is given). */
export function nanmax(x: X, axis?: AxisOr<MaxOptions>, opts?: MaxOptions): ArrayBase {
  const o = parseAxisArgs<MaxOptions>("nanmax", axis, opts, MAX_KEYS);
  return nanReduction("nanmax", x, -Infinity, o.initial === undefined, o.axis, o.keepdims, o.where, (a) => maxLike("nanmax", "max", a, o, undefined));
}
/** min ignoring NaN; NaN where every element is NaN (unless `initial` is given). */
export function nanmin(x: X, axis?: AxisOr<MaxOptions>, opts?: MaxOptions): ArrayBase {
  const o = parseAxisArgs<MaxOptions>("nanmin", axis, opts, MAX_KEYS);
  return nanReduction("nanmin", x, Infinity, o.initial === undefined, o.axis, o.keepdims, o.where, (a) => maxLike("nanmin", "min", a, o, undefined));
}

/** mean ignoring NaN (NaN where all are NaN). Ints and bools: as mean. */
export function nanmean(x: X, axis?: AxisOr<MeanOptions>, opts?: MeanOptions): ArrayBase {
  const o = parseAxisArgs<MeanOptions>("nanmean", axis, opts, MEAN_KEYS);
  const a = arg("nanmean", x);
  const dt = dtypeOpt("nanmean", o.dtype);
  if (!isFloat(a.dtype)) return meanImpl("nanmean", a, o.axis, { dtype: dt, keepdims: o.keepdims, where: o.where }, dt === undefined);
  const dtype = dt ?? toInexact(a.dtype);
  const count = sum(lnot(isnan(a)), o.axis, { dtype, keepdims: o.keepdims, where: o.where });
  const total = nansum(a, o.axis, { dtype, keepdims: o.keepdims, where: o.where });
  return div(total, count);
}

function nanArg(name: string, op: "argmax" | "argmin", x: X, axisOrOpts: unknown, opts: unknown): ArrayBase {
  const o = parseAxisArgs<{ keepdims?: boolean }>(name, axisOrOpts, opts, ["keepdims"]);
  const a = arg(name, x);
  if (!isFloat(a.dtype)) return argReduce(name, op, a, o, undefined);
  const mask = isnan(a);
  const filled = select(mask, konst(op === "argmax" ? -Infinity : Infinity, a.dtype), a, name);
  const res = argReduce(name, op, filled, o, undefined);
  const allNan = all(mask, singleAxis(name, o.axis), { keepdims: o.keepdims });
  return select(allNan, konst(-1, "int32"), res, name);
}

/** argmax ignoring NaN; -1 where every element is NaN. */
export function nanargmax(x: X, axis?: number | null | ArgOptions, opts?: { keepdims?: boolean }): ArrayBase {
  return nanArg("nanargmax", "argmax", x, axis, opts);
}
/** argmin ignoring NaN; -1 where every element is NaN. */
export function nanargmin(x: X, axis?: number | null | ArgOptions, opts?: { keepdims?: boolean }): ArrayBase {
  return nanArg("nanargmin", "argmin", x, axis, opts);
}

// ---- cumulative ------------------------------------------------------------------------------

export interface CumOptions { axis?: number | null; dtype?: string }

/** jnp's _cumulative_reduction. */
function cumulative(
  name: string, kind: "sum" | "prod", x: X, axisArg: Axis, dtypeArg: unknown,
  fillNan = false, promoteIntegers = false,
): ArrayBase {
  let a = arg(name, x);
  let ax = singleAxis(name, axisArg);
  if (ax === null || a.ndim === 0) a = ravel(a);
  if (ax === null) ax = 0;
  const axis = normalizeAxis(name, ax, a.ndim);
  if (fillNan && isFloat(a.dtype)) a = select(isnan(a), konst(kind === "sum" ? 0 : 1, a.dtype), a, name);
  const dtype = dtypeOpt(name, dtypeArg);
  let resultType: DType;
  let comp: DType;
  if (dtype === undefined) {
    resultType = promoteIntegers || isBool(a.dtype) ? promoteIntegerDtype(a.dtype) : a.dtype;
    comp = resultType;
  } else if (dtype === "bool") {
    // lax accumulates numbers only: count the nonzeros (so [-1, 1] does not cancel).
    resultType = "bool";
    if (a.dtype !== "bool") a = ne(a, konst(0, a.dtype));
    comp = promoteIntegerDtype("bool");
  } else {
    resultType = dtype;
    comp = dtype;
  }
  a = convert(a, comp);
  const r = bind1(kind === "sum" ? cumsum_p : cumprod_p, [a], { axis, reverse: false });
  return convert(r, resultType);
}

function cumArgs(name: string, axis: unknown, opts: unknown) {
  return parseAxisArgs<{ dtype?: string }>(name, axis, opts, ["dtype"]);
}

/** Cumulative sum along `axis` (flattened when null). bool gives int32; other ints keep their dtype. */
export function cumsum(x: X, axis?: number | null | CumOptions, opts?: { dtype?: string }): ArrayBase {
  const o = cumArgs("cumsum", axis, opts);
  return cumulative("cumsum", "sum", x, o.axis, o.dtype);
}
/** Cumulative product along `axis` (flattened when null). */
export function cumprod(x: X, axis?: number | null | CumOptions, opts?: { dtype?: string }): ArrayBase {
  const o = cumArgs("cumprod", axis, opts);
  return cumulative("cumprod", "prod", x, o.axis, o.dtype);
}
/** cumsum treating NaN as zero. */
export function nancumsum(x: X, axis?: number | null | CumOptions, opts?: { dtype?: string }): ArrayBase {
  const o = cumArgs("nancumsum", axis, opts);
  return cumulative("nancumsum", "sum", x, o.axis, o.dtype, true);
}
/** cumprod treating NaN as one. */
export function nancumprod(x: X, axis?: number | null | CumOptions, opts?: { dtype?: string }): ArrayBase {
  const o = cumArgs("nancumprod", axis, opts);
  return cumulative("nancumprod", "prod", x, o.axis, o.dtype, true);
}

export interface CumulativeOptions { axis?: number | null; dtype?: string; includeInitial?: boolean }

function arrayApiCumulative(name: string, kind: "sum" | "prod", x: X, axisOrOpts: unknown, opts: unknown): ArrayBase {
  const o = parseAxisArgs<{ dtype?: string; includeInitial?: boolean }>(name, axisOrOpts, opts, ["dtype", "includeInitial"]);
  const a = arg(name, x);
  if (a.ndim === 0) {
    throw new TypeError(`${name}: the input must be non-scalar to take a cumulative ${kind === "sum" ? "sum" : "product"}, but a 0-d array was given`);
  }
  let ax = singleAxis(name, o.axis);
  if (ax === null) {
    if (a.ndim > 1) {
      throw new TypeError(`${name}: the input has rank ${a.ndim}, but axis was not set; axis is only optional for 1-D arrays`);
    }
    ax = 0;
  }
  const axis = normalizeAxis(name, ax, a.ndim);
  // cumulative_sum promotes narrow integers (as sum does); cumulative_prod does not (as jnp).
  let out = cumulative(name, kind, a, axis, o.dtype, false, kind === "sum");
  if (o.includeInitial) {
    const shape = out.shape.slice();
    shape[axis] = 1;
    const init = full(shape, kind === "sum" ? 0 : 1, out.dtype);
    out = bind1(S.concatenate_p, [init, out], { dimension: axis });
  }
  return out;
}

/** Array API cumulative_sum: {axis (required unless 1-D), dtype, includeInitial}; ints promote as in sum. */
export function cumulativeSum(x: X, axis?: number | null | CumulativeOptions, opts?: { dtype?: string; includeInitial?: boolean }): ArrayBase {
  return arrayApiCumulative("cumulativeSum", "sum", x, axis, opts);
}
/** Array API cumulative_prod: {axis (required unless 1-D), dtype, includeInitial}. */
export function cumulativeProd(x: X, axis?: number | null | CumulativeOptions, opts?: { dtype?: string; includeInitial?: boolean }): ArrayBase {
  return arrayApiCumulative("cumulativeProd", "prod", x, axis, opts);
}
