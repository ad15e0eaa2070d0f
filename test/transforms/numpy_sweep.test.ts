// A sweep over the numpy namespace: every exported function that takes arrays gets a
// representative call (the table below), run
//   - eagerly and under jit (equal results, up to float64 rounding of a fused evaluation order),
//   - under vmap against a loop of the call over three stacked samples,
//   - for float outputs, grad of the sum against a central difference along a random direction
//     (float64, so the difference quotient is accurate to ~1e-9).
// Functions whose output shape depends on input values cannot be traced in JAX either
// (nonzero/unique without `size`, ...): they are listed separately and must raise a clear
// error under jit and vmap. A coverage test fails when a new numpy function has no entry.
import { describe, expect, it } from "vitest";
import { Array, grad, jit, makeJaxpr, numpy as np, vmap } from "../../ts/index.js";
import { checkVmap, randArray, rng, withX64 } from "./check.js";

type F = (...args: any[]) => any;

interface Case {
  /** The call, with every array operand a parameter (static arguments are closed over). */
  f: F;
  /** The operands for sample `seed` (shapes must not depend on the seed). */
  args: (seed: number) => any[];
  /** vmap axes per operand (default: every operand batched along a new axis 0). */
  inAxes?: (number | null)[];
  /** Why there is no gradient check (integer or bool outputs need no reason). */
  noGrad?: string;
  /** Compare only shapes and dtypes (values unspecified). */
  shapesOnly?: boolean;
  /** Known failures, to be removed when the missing rule lands: check -> failing primitive. */
  fails?: Partial<Record<"jit" | "vmap" | "grad" | "batchRule", string>>;
  /** Loosen the finite-difference tolerance (relative), with the reason in the table. */
  fdRtol?: number;
}

// ---- operands -------------------------------------------------------------------------------

/** float64 values uniform in [lo, hi). */
const A = (shape: number[], lo = -1, hi = 1, seed = 1) => randArray(shape, lo, hi, seed);
/** float64 with NaN at the given flat positions. */
function AN(shape: number[], nanAt: number[], seed = 1): Array {
  const v = A(shape, -1, 1, seed).dataSync() as Float64Array;
  const c = Float64Array.from(v);
  for (const k of nanAt) c[k] = NaN;
  return np.array(c, "float64").reshape(shape);
}
/** int32 values in [lo, hi). */
function I(shape: number[], lo: number, hi: number, seed = 1): Array {
  const r = rng(seed * 7919);
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo) * r())), "int32").reshape(shape);
}
/** bool values. */
const B = (shape: number[], seed = 1) => np.greater(A(shape, -1, 1, seed + 100), 0) as Array;
/** A sorted float64 vector (strictly increasing). */
function S(n: number, seed = 1): Array {
  const v = Float64Array.from(A([n], 0.2, 1, seed).dataSync() as Float64Array);
  let acc = -1;
  for (let i = 0; i < n; i++) v[i] = acc += v[i];
  return np.array(v, "float64");
}

const un = (f: F, lo = -1, hi = 1, shape = [2, 3]): Case => ({ f: (x) => f(x), args: (s) => [A(shape, lo, hi, s)] });
const bin = (f: F, a: [number, number] = [-1, 1], b: [number, number] = [-1, 1], shape = [2, 3]): Case => ({
  f: (x, y) => f(x, y),
  args: (s) => [A(shape, a[0], a[1], s), A(shape, b[0], b[1], s + 50)],
});
const intBin = (f: F, lo = -20, hi = 20): Case => ({ f: (x, y) => f(x, y), args: (s) => [I([2, 3], lo, hi, s), I([2, 3], 1, 9, s + 50)] });

// ---- the table --------------------------------------------------------------------------------

const cases: Record<string, Case> = {
  // unary float ufuncs
  sin: un(np.sin, -3, 3), cos: un(np.cos, -3, 3), tan: un(np.tan, -1.2, 1.2),
  arcsin: un(np.arcsin, -0.9, 0.9), arccos: un(np.arccos, -0.9, 0.9), arctan: un(np.arctan, -3, 3),
  asin: un(np.asin, -0.9, 0.9), acos: un(np.acos, -0.9, 0.9), atan: un(np.atan, -3, 3),
  sinh: un(np.sinh, -2, 2), cosh: un(np.cosh, -2, 2), tanh: un(np.tanh, -2, 2),
  arcsinh: un(np.arcsinh, -3, 3), arccosh: un(np.arccosh, 1.1, 3), arctanh: un(np.arctanh, -0.9, 0.9),
  asinh: un(np.asinh, -3, 3), acosh: un(np.acosh, 1.1, 3), atanh: un(np.atanh, -0.9, 0.9),
  exp: un(np.exp, -2, 2), exp2: un(np.exp2, -2, 2), expm1: un(np.expm1, -2, 2),
  log: un(np.log, 0.1, 3), log2: un(np.log2, 0.1, 3), log10: un(np.log10, 0.1, 3), log1p: un(np.log1p, -0.5, 3),
  sqrt: un(np.sqrt, 0.1, 3), cbrt: un(np.cbrt, -3, 3), square: un(np.square, -2, 2), reciprocal: un(np.reciprocal, 0.5, 2),
  absolute: un(np.absolute, -2, 2), abs: un(np.abs, -2, 2), fabs: un(np.fabs, -2, 2),
  negative: un(np.negative), positive: un(np.positive), sign: un(np.sign, -2, 2),
  floor: un(np.floor, -3, 3), ceil: un(np.ceil, -3, 3), trunc: un(np.trunc, -3, 3), fix: un(np.fix, -3, 3),
  rint: un(np.rint, -3, 3), round: un((x) => np.round(x, 1), -3, 3), around: un((x) => np.around(x), -3, 3),
  deg2rad: un(np.deg2rad, -90, 90), radians: un(np.radians, -90, 90), rad2deg: un(np.rad2deg), degrees: un(np.degrees),
  sinc: un(np.sinc, -2, 2),
  signbit: un(np.signbit), isnan: { f: np.isnan, args: (s) => [AN([2, 3], [1], s)] }, isinf: un(np.isinf),
  isfinite: un(np.isfinite), isposinf: un(np.isposinf), isneginf: un(np.isneginf),
  nanToNum: { f: (x) => np.nanToNum(x, { nan: 2, posinf: 5 }), args: (s) => [AN([2, 3], [1, 4], s)] },
  frexp: { f: (x) => np.frexp(x), args: (s) => [A([2, 3], -5, 5, s)], noGrad: "the mantissa's derivative is zero, as the bitcast in JAX's frexp" },
  "frexp:float32": { f: (x) => np.frexp(x), args: (s) => [A([2, 3], -5, 5, s).astype("float32")] },
  ldexp: { f: (x, e) => np.ldexp(x, e), args: (s) => [A([2, 3], -5, 5, s), I([2, 3], -4, 4, s)], noGrad: "zero derivative, as JAX (through frexp)" },
  // binary float ufuncs
  add: bin(np.add), subtract: bin(np.subtract), multiply: bin(np.multiply),
  divide: bin(np.divide, [-1, 1], [0.5, 2]), trueDivide: bin(np.trueDivide, [-1, 1], [0.5, 2]),
  floorDivide: bin(np.floorDivide, [-5, 5], [0.6, 2]), remainder: bin(np.remainder, [-5, 5], [0.6, 2]),
  mod: bin(np.mod, [-5, 5], [-2, -0.6]), fmod: bin(np.fmod, [-5, 5], [0.6, 2]),
  divmod: bin(np.divmod, [-5, 5], [0.6, 2]),
  power: bin(np.power, [0.5, 2], [-2, 2]), pow: bin(np.pow, [0.5, 2], [-2, 2]), floatPower: bin(np.floatPower, [0.5, 2], [-2, 2]),
  "power:int-exponent": un((x) => np.power(x, 3), -2, 2),
  "power:int-array-exponent": { f: (x, n) => np.power(x, n), args: (s) => [A([2, 3], 0.5, 2, s), I([2, 3], -3, 4, s)] },
  arctan2: bin(np.arctan2, [-1, 1], [0.5, 2]), atan2: bin(np.atan2, [-1, 1], [-2, -0.5]),
  hypot: bin(np.hypot), logaddexp: bin(np.logaddexp, [-3, 3]), logaddexp2: bin(np.logaddexp2, [-3, 3]),
  copysign: bin(np.copysign), heaviside: bin(np.heaviside),
  maximum: bin(np.maximum), minimum: bin(np.minimum), fmax: bin(np.fmax), fmin: bin(np.fmin),
  "fmax:nan": { f: np.fmax, args: (s) => [AN([2, 3], [0], s), AN([2, 3], [3], s + 50)] },
  clip: { f: (x, lo, hi) => np.clip(x, lo, hi), args: (s) => [A([2, 3], -2, 2, s), A([3], -1, -0.5, s + 1), A([2, 1], 0.5, 1, s + 2)] },
  // comparisons and logic (bool outputs)
  equal: intBin(np.equal, 1, 4), notEqual: intBin(np.notEqual, 1, 4), less: bin(np.less), lessEqual: bin(np.lessEqual),
  greater: bin(np.greater), greaterEqual: bin(np.greaterEqual),
  logicalAnd: bin(np.logicalAnd), logicalOr: bin(np.logicalOr), logicalXor: bin(np.logicalXor),
  logicalNot: { f: np.logicalNot, args: (s) => [B([2, 3], s)] },
  isclose: { f: (x, y) => np.isclose(x, y, { atol: 0.3 }), args: (s) => [A([2, 3], -1, 1, s), A([2, 3], -1, 1, s + 1)] },
  allclose: { f: (x, y) => np.allclose(x, y, { atol: 1.5 }), args: (s) => [A([2, 3], -1, 1, s), A([2, 3], -1, 1, s + 1)] },
  arrayEqual: intBin(np.arrayEqual, 1, 3), arrayEquiv: intBin(np.arrayEquiv, 1, 3),
  where: { f: (c, x, y) => np.where(c, x, y), args: (s) => [B([2, 3], s), A([2, 3], -1, 1, s), A([3], -1, 1, s + 1)] },
  select: { f: (c1, c2, x, y) => np.select([c1, c2], [x, y], 0.5), args: (s) => [B([2, 3], s), B([2, 3], s + 1), A([2, 3], -1, 1, s), A([2, 3], -1, 1, s + 1)] },
  // integer ufuncs
  bitwiseAnd: intBin(np.bitwiseAnd), bitwiseOr: intBin(np.bitwiseOr), bitwiseXor: intBin(np.bitwiseXor),
  bitwiseNot: { f: np.bitwiseNot, args: (s) => [I([2, 3], -9, 9, s)] }, invert: { f: np.invert, args: (s) => [I([2, 3], -9, 9, s)] },
  bitwiseInvert: { f: np.bitwiseInvert, args: (s) => [I([2, 3], -9, 9, s)] },
  leftShift: intBin(np.leftShift), rightShift: intBin(np.rightShift),
  bitwiseLeftShift: intBin(np.bitwiseLeftShift), bitwiseRightShift: intBin(np.bitwiseRightShift),
  gcd: intBin(np.gcd, -40, 40), lcm: intBin(np.lcm, -12, 12),
  // reductions
  sum: un((x) => np.sum(x, 1)), prod: un((x) => np.prod(x, 0)), max: un((x) => np.max(x, 1)), min: un((x) => np.min(x)),
  amax: un((x) => np.amax(x, 0)), amin: un((x) => np.amin(x, 1)), ptp: un((x) => np.ptp(x, 1)),
  all: { f: (x) => np.all(x, 1), args: (s) => [B([2, 3], s)] }, any: { f: (x) => np.any(x, 0), args: (s) => [B([2, 3], s)] },
  countNonzero: { f: (x) => np.countNonzero(x, 1), args: (s) => [I([2, 3], 0, 2, s)] },
  mean: un((x) => np.mean(x, 0)), argmax: un((x) => np.argmax(x, 1)), argmin: un((x) => np.argmin(x, 0)),
  nansum: { f: (x) => np.nansum(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nanprod: { f: (x) => np.nanprod(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nanmax: { f: (x) => np.nanmax(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nanmin: { f: (x) => np.nanmin(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nanmean: { f: (x) => np.nanmean(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nanargmax: { f: (x) => np.nanargmax(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nanargmin: { f: (x) => np.nanargmin(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  cumsum: un((x) => np.cumsum(x, 1)), cumprod: un((x) => np.cumprod(x, 1)),
  nancumsum: { f: (x) => np.nancumsum(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  nancumprod: { f: (x) => np.nancumprod(x, 1), args: (s) => [AN([2, 3], [1], s)] },
  cumulativeSum: un((x) => np.cumulativeSum(x, { axis: 1, includeInitial: true })),
  cumulativeProd: un((x) => np.cumulativeProd(x, 0)),
  // statistics
  var: un((x) => np.var(x, 1)), std: un((x) => np.std(x, 0, { ddof: 1 })),
  nanvar: { f: (x) => np.nanvar(x, 1), args: (s) => [AN([2, 4], [1], s)] },
  nanstd: { f: (x) => np.nanstd(x, 1), args: (s) => [AN([2, 4], [1], s)] },
  average: { f: (x, w) => np.average(x, 1, { weights: w }), args: (s) => [A([2, 3], -1, 1, s), A([3], 0.5, 1, s + 1)] },
  median: un((x) => np.median(x, 1), -1, 1, [2, 5]),
  nanmedian: { f: (x) => np.nanmedian(x, 1), args: (s) => [AN([2, 5], [1], s)] },
  quantile: { f: (x, q) => np.quantile(x, q, 1), args: (s) => [A([2, 5], -1, 1, s), A([2], 0.1, 0.9, s + 1)] },
  nanquantile: { f: (x) => np.nanquantile(x, 0.3, 1), args: (s) => [AN([2, 5], [1], s)] },
  percentile: { f: (x) => np.percentile(x, 30, 0), args: (s) => [A([5, 2], -1, 1, s)] },
  nanpercentile: { f: (x) => np.nanpercentile(x, 70, 1), args: (s) => [AN([2, 5], [2], s)] },
  // contractions
  dot: bin(np.dot, [-1, 1], [-1, 1], [3, 3]), matmul: { f: np.matmul, args: (s) => [A([2, 3], -1, 1, s), A([3, 4], -1, 1, s + 1)] },
  vdot: bin(np.vdot), inner: bin(np.inner), outer: { f: np.outer, args: (s) => [A([2], -1, 1, s), A([3], -1, 1, s + 1)] },
  tensordot: { f: (a, b) => np.tensordot(a, b, 1), args: (s) => [A([2, 3], -1, 1, s), A([3, 2], -1, 1, s + 1)] },
  einsum: { f: (a, b) => np.einsum("ij,jk->ki", a, b), args: (s) => [A([2, 3], -1, 1, s), A([3, 2], -1, 1, s + 1)] },
  kron: { f: np.kron, args: (s) => [A([2, 2], -1, 1, s), A([2, 3], -1, 1, s + 1)] },
  cross: { f: (a, b) => np.cross(a, b), args: (s) => [A([2, 3], -1, 1, s), A([2, 3], -1, 1, s + 1)] },
  convolve: { f: np.convolve, args: (s) => [A([5], -1, 1, s), A([3], -1, 1, s + 1)] },
  correlate: { f: (a, v) => np.correlate(a, v, "full"), args: (s) => [A([5], -1, 1, s), A([3], -1, 1, s + 1)] },
  trace: un((x) => np.trace(x, 1), -1, 1, [3, 4]), diagonal: un((x) => np.diagonal(x, -1), -1, 1, [3, 4]),
  // sorting and searching
  sort: un((x) => np.sort(x, 1)), argsort: un((x) => np.argsort(x, 1)),
  lexsort: { f: (a, b) => np.lexsort([a, b]), args: (s) => [I([6], 0, 3, s), I([6], 0, 2, s + 1)] },
  partition: un((x) => np.partition(x, 2), -1, 1, [2, 5]), argpartition: un((x) => np.argpartition(x, 1), -1, 1, [2, 5]),
  topK: un((x) => np.topK(x, 2), -1, 1, [2, 5]),
  searchsorted: { f: (a, v) => np.searchsorted(a, v), args: (s) => [S(6, s), A([4], -1, 3, s + 1)] },
  digitize: { f: (x, b) => np.digitize(x, b), args: (s) => [A([4], -1, 3, s + 1), S(5, s)] },
  interp: { f: (x, xp, fp) => np.interp(x, xp, fp), args: (s) => [A([4], -0.8, 0.5, s + 1), S(6, s), A([6], -1, 1, s + 2)] },
  // set operations with static sizes (the forms without `size` are in `dataDependent`)
  isin: { f: (a, b) => np.isin(a, b), args: (s) => [I([2, 3], 0, 6, s), I([4], 0, 6, s + 1)] },
  unique: { f: (x) => np.unique(x, { size: 4, fillValue: 0 }), args: (s) => [I([6], 0, 5, s)] },
  uniqueValues: { f: (x) => np.uniqueValues(x, { size: 4, fillValue: 0 }), args: (s) => [I([6], 0, 5, s)] },
  uniqueCounts: { f: (x) => np.uniqueCounts(x, { size: 4, fillValue: 0 }), args: (s) => [I([6], 0, 5, s)] },
  uniqueInverse: { f: (x) => np.uniqueInverse(x, { size: 4, fillValue: 0 }), args: (s) => [I([6], 0, 5, s)] },
  uniqueAll: { f: (x) => np.uniqueAll(x, { size: 4, fillValue: 0 }), args: (s) => [I([6], 0, 5, s)] },
  union1d: { f: (a, b) => np.union1d(a, b, { size: 6, fillValue: 0 }), args: (s) => [I([4], 0, 6, s), I([4], 0, 6, s + 1)] },
  intersect1d: { f: (a, b) => np.intersect1d(a, b, { size: 3, fillValue: 0 }), args: (s) => [I([4], 0, 6, s), I([4], 0, 6, s + 1)] },
  setdiff1d: { f: (a, b) => np.setdiff1d(a, b, { size: 3, fillValue: 0 }), args: (s) => [I([4], 0, 6, s), I([4], 0, 6, s + 1)] },
  setxor1d: { f: (a, b) => np.setxor1d(a, b, { size: 3, fillValue: 0 }), args: (s) => [I([4], 0, 6, s), I([4], 0, 6, s + 1)] },
  bincount: { f: (x, w) => np.bincount(x, { weights: w, length: 5 }), args: (s) => [I([6], 0, 5, s), A([6], 0, 1, s)] },
  histogram: { f: (x) => np.histogram(x, 4, { range: [-1, 1] }), args: (s) => [A([8], -1, 1, s)] },
  histogramBinEdges: { f: (x) => np.histogramBinEdges(x, 4), args: (s) => [A([8], -1, 1, s)], noGrad: "edges from min/max: piecewise linear, checked by the jvp path of min/max" },
  // indexing
  getitem: un((x) => np.getitem(x, "1, ::-2")), take: { f: (x, i) => np.take(x, i, 1), args: (s) => [A([2, 3], -1, 1, s), I([4], 0, 3, s)] },
  takeAlongAxis: { f: (x, i) => np.takeAlongAxis(x, i, 1), args: (s) => [A([2, 3], -1, 1, s), I([2, 2], 0, 3, s)] },
  at: { f: (x, v) => np.at(x, "0, 1:").add(v), args: (s) => [A([2, 3], -1, 1, s), A([2], -1, 1, s + 1)] },
  unravelIndex: { f: (i) => np.unravelIndex(i, [3, 4]), args: (s) => [I([5], 0, 12, s)] },
  ravelMultiIndex: { f: (i, j) => np.ravelMultiIndex([i, j], [3, 4], "clip"), args: (s) => [I([5], 0, 3, s), I([5], 0, 4, s + 1)] },
  nonzero: { f: (x) => np.nonzero(x, { size: 4 }), args: (s) => [I([2, 3], 0, 2, s)] },
  argwhere: { f: (x) => np.argwhere(x, { size: 4 }), args: (s) => [I([2, 3], 0, 2, s)] },
  flatnonzero: { f: (x) => np.flatnonzero(x, { size: 4 }), args: (s) => [I([2, 3], 0, 2, s)] },
  // creation from arrays
  full: { f: (v) => np.full([2, 3], v), args: (s) => [A([3], -1, 1, s)] },
  fullLike: { f: (x, v) => np.fullLike(x, v), args: (s) => [A([2, 3], -1, 1, s), A([], -1, 1, s + 1)] },
  zerosLike: un((x) => np.zerosLike(x)), onesLike: un((x) => np.onesLike(x)), emptyLike: { ...un((x) => np.emptyLike(x)), shapesOnly: true },
  linspace: { f: (a, b) => np.linspace(a, b, 5), args: (s) => [A([2], -1, 0, s), A([2], 1, 2, s + 1)] },
  logspace: { f: (a, b) => np.logspace(a, b, 4), args: (s) => [A([], -1, 0, s), A([], 0.5, 1, s + 1)] },
  geomspace: { f: (a, b) => np.geomspace(a, b, 4), args: (s) => [A([], 0.5, 1, s), A([], 2, 3, s + 1)], fdRtol: 1e-5 },
  diag: un((x) => np.diag(x, 1), -1, 1, [3]), "diag:2d": un((x) => np.diag(x), -1, 1, [3, 3]),
  diagflat: un((x) => np.diagflat(x), -1, 1, [2, 2]),
  meshgrid: { f: (x, y) => np.meshgrid(x, y), args: (s) => [A([2], -1, 1, s), A([3], -1, 1, s + 1)] },
  copy: un(np.copy), array: un((x) => np.array(x)), asarray: un((x) => np.asarray(x)),
  "array:stack": { f: (x, y) => np.array([x, y]), args: (s) => [A([3], -1, 1, s), A([3], -1, 1, s + 1)] },
  astype: { ...un((x) => np.astype(x, "float32")), noGrad: "a float32 output is too coarse for a float64 difference quotient" },
  // manipulation
  reshape: un((x) => np.reshape(x, [3, 2])), ravel: un(np.ravel), transpose: un((x) => np.transpose(x)),
  permuteDims: un((x) => np.permuteDims(x, [1, 0])), swapaxes: un((x) => np.swapaxes(x, 0, 1)),
  moveaxis: un((x) => np.moveaxis(x, 0, -1), -1, 1, [2, 3, 2]), expandDims: un((x) => np.expandDims(x, 1)),
  squeeze: un((x) => np.squeeze(x), -1, 1, [2, 1, 3]), broadcastTo: un((x) => np.broadcastTo(x, [2, 2, 3])),
  broadcastArrays: { f: (x, y) => np.broadcastArrays(x, y), args: (s) => [A([2, 1], -1, 1, s), A([3], -1, 1, s + 1)] },
  atleast1d: un((x) => np.atleast1d(x), -1, 1, []), atleast2d: un((x) => np.atleast2d(x), -1, 1, [3]),
  atleast3d: un((x) => np.atleast3d(x), -1, 1, [2, 3]),
  concatenate: { f: (x, y) => np.concatenate([x, y], 1), args: (s) => [A([2, 3], -1, 1, s), A([2, 2], -1, 1, s + 1)] },
  concat: { f: (x, y) => np.concat([x, y]), args: (s) => [A([2, 3], -1, 1, s), A([1, 3], -1, 1, s + 1)] },
  stack: bin((x, y) => np.stack([x, y], 1)), hstack: bin((x, y) => np.hstack([x, y])), vstack: bin((x, y) => np.vstack([x, y])),
  rowStack: bin((x, y) => np.rowStack([x, y])), dstack: bin((x, y) => np.dstack([x, y])),
  columnStack: bin((x, y) => np.columnStack([x, y]), [-1, 1], [-1, 1], [3]),
  split: un((x) => np.split(x, 3, 1)), arraySplit: un((x) => np.arraySplit(x, 2, 1)),
  hsplit: un((x) => np.hsplit(x, [1])), vsplit: un((x) => np.vsplit(x, 2)), dsplit: un((x) => np.dsplit(x, 2), -1, 1, [2, 1, 4]),
  tile: un((x) => np.tile(x, [2, 1])), repeat: un((x) => np.repeat(x, [1, 0, 2], 1)),
  flip: un((x) => np.flip(x, 1)), fliplr: un(np.fliplr), flipud: un(np.flipud),
  roll: un((x) => np.roll(x, 1, 1)), rot90: un((x) => np.rot90(x)), tril: un((x) => np.tril(x), -1, 1, [3, 3]),
  triu: un((x) => np.triu(x, 1), -1, 1, [3, 3]),
  pad: un((x) => np.pad(x, [[1, 0], [0, 2]])), "pad:reflect": un((x) => np.pad(x, 2, "reflect"), -1, 1, [4]),
};

/**
 * Checks that fail only because a lax primitive still lacks a rule (being added in the lax rule
 * files): marked `it.fails` until the rule lands, then removed from here. check -> primitive -> cases.
 */
function pending(check: "jit" | "vmap" | "grad" | "batchRule", primitive: string, ...names: string[]): [string, [string, string]][] {
  return names.map((n) => [n, [check, primitive]]);
}
const pendingRules = new Map<string, [string, string]>([
  // none: every rule the sweep needs has landed
]);
for (const [name, [check, prim]] of pendingRules) {
  if (!cases[name]) throw new Error(`pendingRules: no case ${name}`);
  cases[name].fails = { ...cases[name].fails, [check]: prim };
}

/**
 * Functions whose output shape depends on the input values: JAX cannot jit, vmap or grad
 * them either (ConcretizationTypeError); here they must raise an error that says so.
 */
const dataDependent: Record<string, { f: F; args: () => any[] }> = {
  nonzero: { f: (x) => np.nonzero(x), args: () => [I([2, 3], 0, 2)] },
  flatnonzero: { f: (x) => np.flatnonzero(x), args: () => [I([2, 3], 0, 2)] },
  argwhere: { f: (x) => np.argwhere(x), args: () => [I([2, 3], 0, 2)] },
  where: { f: (x) => np.where(x), args: () => [I([2, 3], 0, 2)] },
  unique: { f: (x) => np.unique(x), args: () => [I([6], 0, 5)] },
  uniqueValues: { f: (x) => np.uniqueValues(x), args: () => [I([6], 0, 5)] },
  uniqueCounts: { f: (x) => np.uniqueCounts(x), args: () => [I([6], 0, 5)] },
  uniqueInverse: { f: (x) => np.uniqueInverse(x), args: () => [I([6], 0, 5)] },
  uniqueAll: { f: (x) => np.uniqueAll(x), args: () => [I([6], 0, 5)] },
  union1d: { f: (a, b) => np.union1d(a, b), args: () => [I([4], 0, 6), I([4], 0, 6, 2)] },
  intersect1d: { f: (a, b) => np.intersect1d(a, b), args: () => [I([4], 0, 6), I([4], 0, 6, 2)] },
  setdiff1d: { f: (a, b) => np.setdiff1d(a, b), args: () => [I([4], 0, 6), I([4], 0, 6, 2)] },
  setxor1d: { f: (a, b) => np.setxor1d(a, b), args: () => [I([4], 0, 6), I([4], 0, 6, 2)] },
  bincount: { f: (x) => np.bincount(x), args: () => [I([6], 0, 5)] },
  repeat: { f: (x, r) => np.repeat(x, r), args: () => [A([3]), I([3], 0, 3)] },
  // mode "raise" checks the indices on the host (jnp does too: concrete_or_error).
  "ravelMultiIndex:raise": { f: (i, j) => np.ravelMultiIndex([i, j], [3, 4]), args: () => [I([5], 0, 3), I([5], 0, 4, 2)] },
};

/** Exports that take no array operands (constructors from shapes, dtype names, classes). */
const noArrayOperands = new Set([
  "zeros", "ones", "empty", "eye", "identity", "tri", "arange", "indices", "broadcastShapes", "IndexUpdateRef",
  "bool", "bool_", "float16", "float32", "float64", "int8", "int16", "int32", "uint8", "uint16", "uint32",
]);

// ---- checks ---------------------------------------------------------------------------------

function leaves(x: unknown): Array[] {
  if (x instanceof Array) return [x];
  if (globalThis.Array.isArray(x)) return x.flatMap(leaves);
  if (x && typeof x === "object") return Object.keys(x).sort().flatMap((k) => leaves((x as any)[k]));
  return [];
}
const isFloat = (a: Array) => a.dtype.startsWith("float");
const f64 = (a: Array) => Float64Array.from(a.dataSync() as ArrayLike<number>, Number);

function expectSame(got: unknown, want: unknown, what: string, rtol: number, atol: number, shapesOnly = false): void {
  const g = leaves(got);
  const w = leaves(want);
  expect(g.length, `${what}: number of outputs`).toBe(w.length);
  g.forEach((a, i) => {
    expect(a.shape, `${what}: shape of output ${i}`).toEqual(w[i].shape);
    expect(a.dtype, `${what}: dtype of output ${i}`).toBe(w[i].dtype);
    if (shapesOnly) return;
    const x = f64(a);
    const y = f64(w[i]);
    for (let k = 0; k < x.length; k++) {
      const ok = x[k] === y[k] || (Number.isNaN(x[k]) && Number.isNaN(y[k])) || Math.abs(x[k] - y[k]) <= atol + rtol * Math.abs(y[k]);
      if (!ok) expect.fail(`${what}: output ${i} element ${k}: got ${x[k]}, expected ${y[k]}`);
    }
  });
}

const sumFloatLeaves = (out: unknown) => leaves(out).filter(isFloat).reduce<any>((acc, a) => (acc === null ? np.sum(a) : acc.add(np.sum(a))), null);

/** grad of sum(f) against a central difference along a random direction (float64). */
function checkGradOfSum(c: Case): void {
  const args = c.args(1);
  const diff = args.map((a, i) => (a instanceof Array && a.dtype === "float64" ? i : -1)).filter((i) => i >= 0);
  if (!diff.length) return;
  const loss = (...xs: any[]) => sumFloatLeaves(c.f(...xs));
  const gs = grad(loss, { argnums: diff })(...args) as Array[];
  const r = rng(99);
  const dirs = diff.map((i) => np.array(Float64Array.from({ length: args[i].size }, () => r() * 2 - 1), "float64").reshape(args[i].shape));
  const eps = 1e-6;
  const shifted = (s: number) => args.map((a, i) => (diff.includes(i) ? a.add(dirs[diff.indexOf(i)].mul(s)) : a));
  const fd = ((loss(...shifted(eps)).item() as number) - (loss(...shifted(-eps)).item() as number)) / (2 * eps);
  let dot = 0;
  let scale = 0;
  gs.forEach((g, j) => {
    const gv = f64(g);
    const dv = f64(dirs[j]);
    for (let k = 0; k < gv.length; k++) {
      dot += gv[k] * dv[k];
      scale += Math.abs(gv[k] * dv[k]);
    }
  });
  // Truncation ~eps^2 and rounding ~1e-16/eps relative to the terms: 1e-6 leaves a wide margin.
  const tol = 1e-7 + (c.fdRtol ?? 1e-6) * Math.max(scale, Math.abs(fd));
  if (!(Math.abs(dot - fd) <= tol)) expect.fail(`grad of sum: <grad, t> = ${dot} but the central difference is ${fd}`);
}

function vmapCase(c: Case): void {
  const samples = [1, 2, 3].map((s) => c.args(s));
  const inAxes = c.inAxes ?? samples[0].map(() => 0);
  const batched: Array[] = samples[0].map((a: Array, i: number) => (inAxes[i] === null ? a : np.stack(samples.map((smp) => smp[i]), inAxes[i]!)));
  // A loop and the batched kernels may sum in different orders: float64 rounding only.
  checkVmap(c.f, batched, inAxes, { rtol: 1e-12, atol: 1e-14 });
}

/** Primitives in f's jaxpr (nested jaxprs included) that vmap would run as a loop over the batch. */
function loopBatched(c: Case): string[] {
  const found = new Set<string>();
  const visit = (j: any): void => {
    for (const e of j.eqns) {
      if (e.inputs.length && !e.prim.rules.batch && !e.prim.rules.lower) found.add(e.prim.name);
      for (const v of Object.values(e.params ?? {})) {
        for (const p of globalThis.Array.isArray(v) ? v : [v]) {
          if (p && typeof p === "object" && "eqns" in p) visit(p);
          else if (p && typeof p === "object" && "jaxpr" in p && (p as any).jaxpr?.eqns) visit((p as any).jaxpr);
        }
      }
    }
  };
  visit(makeJaxpr(c.f)(...c.args(1)).jaxpr);
  return [...found].sort();
}

const mark = (reason: string | undefined) => (reason ? it.fails : it);
const entries = Object.entries(cases);

describe("numpy sweep: jit vs eager", () => {
  it.each(entries.map(([n, c]) => [n, c] as const))("%s", (_n, c) => {
    withX64(() => {
      const args = c.args(1);
      const check = () => expectSame(jit(c.f)(...args), c.f(...args), "jit vs eager", 1e-12, 1e-14, c.shapesOnly);
      if (c.fails?.jit) expect(check).toThrow();
      else check();
    });
  });
});

for (const [name, c] of entries) {
  describe(`numpy sweep: ${name}`, () => {
    mark(c.fails?.vmap)("vmap vs loop", () => withX64(() => vmapCase(c)));
    mark(c.fails?.batchRule)("vmap uses batching rules (no per-element loop)", () => withX64(() => expect(loopBatched(c)).toEqual([])));
    let out: Array[] = [];
    try {
      out = withX64(() => leaves(c.f(...c.args(1))));
    } catch (e) {
      it(`eager call`, () => {
        throw e;
      });
    }
    const floatIn = withX64(() => c.args(1).some((a) => a instanceof Array && a.dtype === "float64"));
    if (out.some(isFloat) && floatIn && !c.noGrad) {
      mark(c.fails?.grad)("grad of sum vs central differences", () => withX64(() => checkGradOfSum(c)));
    }
  });
}

describe("numpy sweep: data-dependent shapes raise under transformations (as in JAX)", () => {
  it.each(Object.entries(dataDependent))("%s", (_name, c) => {
    const args = c.args();
    expect(() => c.f(...args)).not.toThrow(); // eagerly fine
    expect(() => jit(c.f)(...args)).toThrow(/concrete|transformation|traced|size|length/i);
    const batched = args.map((a) => np.stack([a, a]));
    expect(() => vmap(c.f)(...batched)).toThrow(/concrete|transformation|traced|size|length/i);
  });
});

/** Arguments that fix the output's shape must be static in JAX too: a traced one raises, naming the function. */
const staticArguments: Record<string, { f: F; args: () => any[] }> = {
  arange: { f: (n) => np.arange(n), args: () => [np.array(4, "int32")] },
  linspace: { f: (n) => np.linspace(0, 1, n), args: () => [np.array(4, "int32")] },
  zeros: { f: (n) => np.zeros(n), args: () => [np.array(4, "int32")] },
  full: { f: (n) => np.full(n, 1), args: () => [np.array(4, "int32")] },
  round: { f: (d) => np.round(np.ones([2]), d), args: () => [np.array(1, "int32")] },
  diag: { f: (k) => np.diag(np.ones([3]), k), args: () => [np.array(1, "int32")] },
};

describe("numpy sweep: traced values where a static argument is required raise a clear error", () => {
  it.each(Object.entries(staticArguments))("%s", (name, c) => {
    const args = c.args();
    expect(() => jit(c.f)(...args)).toThrow(new RegExp(`^${name}: .*(static|concrete|integer)`));
  });
});

describe("numpy sweep: coverage", () => {
  it("every numpy export is in the table, the data-dependent list, or takes no arrays", () => {
    const base = (k: string) => k.split(":")[0];
    const covered = new Set([...Object.keys(cases).map(base), ...Object.keys(dataDependent).map(base), ...noArrayOperands]);
    const missing = Object.keys(np).filter((k) => !covered.has(k));
    expect(missing).toEqual([]);
  });
});
