// jax.nn's non-elementwise functions: softmax, logSoftmax, logsumexp, standardize, oneHot
// (jax/_src/nn/functions.py, jax/_src/ops/special.py), with JAX's stabilisation: the maximum
// is subtracted under stop_gradient, and a non-finite maximum is replaced by 0 in logsumexp.
import type { ArrayBase } from "../array/base.js";
import { canonicalDtype, defaultFloat, isFloat, isInteger } from "../array/dtype.js";
import * as lax from "../lax/api.js";
import * as np from "../numpy/index.js";
import { parseAxisArgs, type Axis } from "../numpy/reductions_common.js";
import { promote, scoped } from "../numpy/ufuncs_util.js";
import { asArray, inexact, weakFloat, type ArrayLike } from "./common.js";

export interface SoftmaxOptions {
  /** The axis or axes to normalize over (default -1; null: all). */
  axis?: Axis;
  /** Elements to include (a bool array broadcastable to x). */
  where?: ArrayBase;
}

type AxisOr<O> = Axis | O;

function softmaxArgs(fn: string, x: ArrayLike, axisOrOpts: unknown, opts: unknown) {
  const o = parseAxisArgs<SoftmaxOptions>(`nn.${fn}`, axisOrOpts, opts, ["where"]);
  const axis: Axis = o.axis === undefined ? -1 : o.axis;
  // Integer inputs are normalized in the default float (the -inf padding needs a float).
  const xa = asArray(fn, x);
  const xf = isFloat(xa.dtype) ? xa : inexact(fn, xa);
  return { x: xf, axis, where: o.where };
}

/**
 * softmax(x, axis = -1): exp(x - max) / sum(exp(x - max)) along axis, the max held constant
 * for differentiation (JAX's default, non-custom-JVP definition). With `where`, excluded
 * elements are 0 and do not count. A +inf input makes the slice NaN, as in JAX.
 */
export function softmax(x: ArrayLike, axis?: AxisOr<SoftmaxOptions>, opts?: SoftmaxOptions): ArrayBase {
  return scoped(() => {
    const a = softmaxArgs("softmax", x, axis, opts);
    const xMax = np.max(a.x, a.axis, { where: a.where, initial: -Infinity, keepdims: true });
    const xSafe = a.where === undefined ? a.x : np.where(a.where, a.x, -Infinity);
    const unnormalized = np.exp(np.subtract(xSafe, lax.stopGradient(xMax)));
    const result = np.divide(unnormalized, np.sum(unnormalized, a.axis, { where: a.where, keepdims: true }));
    return a.where === undefined ? result : np.where(a.where, result, 0);
  });
}

/** logSoftmax(x, axis = -1) = (x - max) - log(sum(exp(x - max))); excluded elements are -inf. */
export function logSoftmax(x: ArrayLike, axis?: AxisOr<SoftmaxOptions>, opts?: SoftmaxOptions): ArrayBase {
  return scoped(() => {
    const a = softmaxArgs("logSoftmax", x, axis, opts);
    const xMax = np.max(a.x, a.axis, { where: a.where, initial: -Infinity, keepdims: true });
    const xSafe = a.where === undefined ? a.x : np.where(a.where, a.x, -Infinity);
    const shifted = np.subtract(xSafe, lax.stopGradient(xMax));
    const shiftedLogsumexp = np.log(np.sum(np.exp(shifted), a.axis, { where: a.where, keepdims: true }));
    const result = np.subtract(shifted, shiftedLogsumexp);
    return a.where === undefined ? result : np.where(a.where, result, -Infinity);
  });
}

export interface LogsumexpOptions {
  /** Axis or axes to reduce (default null: all). */
  axis?: Axis;
  /** Scale factors: log(sum(b · exp(a))); broadcast with a. */
  b?: ArrayLike;
  keepdims?: boolean;
  /** Return [log|sum|, sign(sum)] instead of NaN for negative sums. */
  returnSign?: boolean;
  /** Elements to include. */
  where?: ArrayBase;
}

/** Positive reduction axes of an array of rank n (null: all). */
function reductionAxes(fn: string, axis: Axis, n: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: n }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : [...axis];
  const out = list.map((a) => {
    if (a < -n || a >= n) throw new RangeError(`nn.${fn}: axis ${a} is out of range for an array of rank ${n}`);
    return a < 0 ? a + n : a;
  });
  if (new Set(out).size !== out.length) throw new RangeError(`nn.${fn}: repeated axis in ${JSON.stringify(axis)}`);
  return out.sort((p, q) => p - q);
}

/**
 * logsumexp(a, axis?, {b, keepdims, returnSign, where}) = log(sum(b · exp(a))) (JAX's and
 * SciPy's definition): the maximum is subtracted (0 when it is not finite, so all -inf gives
 * -inf), elements with b == 0 are dropped, a negative sum gives NaN unless returnSign, which
 * returns [log|sum|, sign].
 */
export function logsumexp(a: ArrayLike, axis?: AxisOr<LogsumexpOptions>, opts?: LogsumexpOptions & { returnSign?: false }): ArrayBase;
export function logsumexp(a: ArrayLike, axis: AxisOr<LogsumexpOptions> | undefined, opts: LogsumexpOptions & { returnSign: true }): [ArrayBase, ArrayBase];
export function logsumexp(a: ArrayLike, opts: LogsumexpOptions & { returnSign: true }): [ArrayBase, ArrayBase];
export function logsumexp(a: ArrayLike, axis?: AxisOr<LogsumexpOptions>, opts?: LogsumexpOptions): ArrayBase | [ArrayBase, ArrayBase];
export function logsumexp(a: ArrayLike, axis?: AxisOr<LogsumexpOptions>, opts?: LogsumexpOptions): ArrayBase | [ArrayBase, ArrayBase] {
  const o = parseAxisArgs<LogsumexpOptions>("nn.logsumexp", axis, opts, ["b", "keepdims", "returnSign", "where"]);
  const keepdims = o.keepdims ?? false;
  const run = () => {
    let aArr: ArrayBase;
    let bArr: ArrayBase | undefined;
    if (o.b !== undefined && o.b !== null) {
      const [pa, pb] = promote("nn.logsumexp", [a, o.b], "inexact");
      aArr = np.where(np.notEqual(pb, 0), pa, -Infinity);
      bArr = pb;
    } else {
      aArr = inexact("logsumexp", a);
    }
    const dims = reductionAxes("logsumexp", o.axis ?? null, aArr.ndim);
    let amax = np.max(aArr, dims, { keepdims, where: o.where, initial: -Infinity });
    amax = lax.stopGradient(lax.select(lax.isFinite(amax), amax, np.zerosLike(amax)));
    const amaxWithDims = keepdims ? amax : lax.expandDims(amax, dims);
    let expA = np.exp(np.subtract(aArr, amaxWithDims));
    if (bArr !== undefined) expA = np.multiply(expA, bArr);
    let sumexp = np.sum(expA, dims, { keepdims, where: o.where });
    const sign = lax.sign(sumexp);
    sumexp = np.abs(sumexp);
    let out = lax.add(lax.log(sumexp), amax);
    if (o.returnSign) return [out, sign] as [ArrayBase, ArrayBase];
    if (bArr !== undefined) out = np.where(np.less(sign, 0), NaN, out);
    return out;
  };
  return scoped(run);
}

export interface StandardizeOptions {
  axis?: Axis;
  /** Precomputed mean (default: the mean over axis). */
  mean?: ArrayLike;
  /** Precomputed variance (default: mean(x²) - mean²). */
  variance?: ArrayLike;
  epsilon?: ArrayLike;
  where?: ArrayBase;
}

/**
 * standardize(x, axis = -1, {mean, variance, epsilon = 1e-5, where}) =
 * (x - mean) · rsqrt(variance + epsilon), with variance = mean(x²) - mean² (JAX's formula).
 */
export function standardize(x: ArrayLike, axis?: AxisOr<StandardizeOptions>, opts?: StandardizeOptions): ArrayBase {
  const o = parseAxisArgs<StandardizeOptions>("nn.standardize", axis, opts, ["mean", "variance", "epsilon", "where"]);
  const ax: Axis = o.axis === undefined ? -1 : o.axis;
  return scoped(() => {
    const xa = asArray("standardize", x);
    const mean = o.mean ?? np.mean(xa, ax, { keepdims: true, where: o.where });
    const variance =
      o.variance ?? np.subtract(np.mean(np.square(xa), ax, { keepdims: true, where: o.where }), np.square(mean));
    const eps = o.epsilon ?? 1e-5;
    return np.multiply(np.subtract(xa, mean), lax.rsqrt(np.add(variance, typeof eps === "number" ? weakFloat(eps) : eps)));
  });
}

export interface OneHotOptions {
  /** Output dtype (default: the default float). */
  dtype?: string;
  /** Where the class axis goes in the output (default -1: last). */
  axis?: number;
}

/**
 * oneHot(x, numClasses, {dtype, axis}): 1 where the index equals the class, 0 elsewhere; indices
 * outside [0, numClasses) give all zeros.
 */
export function oneHot(x: ArrayLike, numClasses: number, opts: OneHotOptions | string = {}): ArrayBase {
  const o = typeof opts === "string" ? { dtype: opts } : opts;
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new TypeError(`nn.oneHot: numClasses must be a non-negative integer (a static value), got ${String(numClasses)}`);
  }
  const dtype = o.dtype === undefined ? defaultFloat() : canonicalDtype(o.dtype, "nn.oneHot");
  const axis = o.axis ?? -1;
  return scoped(() => {
    const xa = asArray("oneHot", x);
    const outRank = xa.ndim + 1;
    if (!Number.isInteger(axis) || axis < -outRank || axis >= outRank) {
      throw new RangeError(`nn.oneHot: axis ${axis} is out of range for an output of rank ${outRank} (input shape [${xa.shape}])`);
    }
    if (!isInteger(xa.dtype) && xa.dtype !== "bool" && !isFloat(xa.dtype)) {
      throw new TypeError(`nn.oneHot: expects integer indices, got dtype ${xa.dtype}`);
    }
    const pos = axis < 0 ? axis + outRank : axis;
    const lhs = lax.expandDims(xa, [pos]);
    const rhsShape: number[] = new Array(xa.ndim).fill(1);
    rhsShape.splice(pos, 0, numClasses);
    const rhs = lax.broadcastedIota(xa.dtype === "bool" ? "int32" : xa.dtype, rhsShape, pos);
    return np.equal(lhs, rhs).astype(dtype);
  });
}
