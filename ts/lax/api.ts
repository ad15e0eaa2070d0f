// The public jax.lax functions over the primitives of this folder (camelCase names).
// lax does not promote or broadcast: operands must already agree (see numpy for that).
import type { ArrayBase } from "../array/base.js";
import { canonicalDtype, type DType } from "../array/dtype.js";
import { bind1 } from "../core/trace.js";
import { arg } from "../numpy/convert.js";
import * as E from "./elementwise.js";
import * as S from "./structural.js";
import * as R from "./reduce.js";
import type { Primitive } from "../core/primitive.js";

type X = ArrayBase | number | boolean;
const u = (name: string, p: Primitive) => (x: X): ArrayBase => bind1(p, [arg(`lax.${name}`, x)], {});
const b = (name: string, p: Primitive) => (x: X, y: X): ArrayBase => {
  const fn = `lax.${name}`;
  let xa = arg(fn, x);
  let ya = arg(fn, y);
  // Python scalars are allowed in lax binary ops and take the other operand's dtype.
  if (typeof x === "number" && typeof y !== "number") xa = S_scalarLike(xa, ya);
  if (typeof y === "number" && typeof x !== "number") ya = S_scalarLike(ya, xa);
  return bind1(p, [xa, ya], {});
};
function S_scalarLike(s: ArrayBase, like: ArrayBase): ArrayBase {
  const c = bind1(E.convert_element_type_p, [s], { newDtype: like.dtype, weakType: true });
  return like.shape.length ? bind1(S.broadcast_in_dim_p, [c], { shape: like.shape, broadcastDimensions: [] }) : c;
}

export const neg = u("neg", E.neg_p);
export const abs = u("abs", E.abs_p);
export const sign = u("sign", E.sign_p);
export const floor = u("floor", E.floor_p);
export const ceil = u("ceil", E.ceil_p);
/** lax.round: roundingMethod 0 = away from zero (default), 1 = to nearest even. */
export const round = (x: X, roundingMethod: 0 | 1 = 0): ArrayBase =>
  bind1(roundingMethod === 1 ? E.round_even_p : E.round_away_p, [arg("lax.round", x)], {});
export const isFinite = u("is_finite", E.is_finite_p);
export const not = u("not", E.not_p);
export const populationCount = u("population_count", E.population_count_p);
export const clz = u("clz", E.clz_p);
const F = E.floatUnaryPrims;
export const exp = u("exp", F.exp);
export const exp2 = u("exp2", F.exp2);
export const expm1 = u("expm1", F.expm1);
export const log = u("log", F.log);
export const log1p = u("log1p", F.log1p);
export const sqrt = u("sqrt", F.sqrt);
export const rsqrt = u("rsqrt", F.rsqrt);
export const cbrt = u("cbrt", F.cbrt);
export const sin = u("sin", F.sin);
export const cos = u("cos", F.cos);
export const tan = u("tan", F.tan);
export const asin = u("asin", F.asin);
export const acos = u("acos", F.acos);
export const atan = u("atan", F.atan);
export const sinh = u("sinh", F.sinh);
export const cosh = u("cosh", F.cosh);
export const tanh = u("tanh", F.tanh);
export const asinh = u("asinh", F.asinh);
export const acosh = u("acosh", F.acosh);
export const atanh = u("atanh", F.atanh);
export const erf = u("erf", F.erf);
export const erfc = u("erfc", F.erfc);
export const erfInv = u("erf_inv", F.erf_inv);
export const lgamma = u("lgamma", F.lgamma);
export const digamma = u("digamma", F.digamma);
export const logistic = u("logistic", F.logistic);

export const add = b("add", E.add_p);
export const sub = b("sub", E.sub_p);
export const mul = b("mul", E.mul_p);
export const div = b("div", E.div_p);
export const rem = b("rem", E.rem_p);
export const pow = b("pow", E.pow_p);
export const atan2 = b("atan2", E.atan2_p);
export const nextafter = b("nextafter", E.nextafter_p);
export const max = b("max", E.max_p);
export const min = b("min", E.min_p);
export const bitwiseAnd = b("and", E.and_p);
export const bitwiseOr = b("or", E.or_p);
export const bitwiseXor = b("xor", E.xor_p);
export const shiftLeft = b("shift_left", E.shift_left_p);
export const shiftRightArithmetic = b("shift_right_arithmetic", E.shift_right_arithmetic_p);
export const shiftRightLogical = b("shift_right_logical", E.shift_right_logical_p);
export const eq = b("eq", E.eq_p);
export const ne = b("ne", E.ne_p);
export const lt = b("lt", E.lt_p);
export const le = b("le", E.le_p);
export const gt = b("gt", E.gt_p);
export const ge = b("ge", E.ge_p);

export const integerPow = (x: X, y: number): ArrayBase => bind1(E.integer_pow_p, [arg("lax.integer_pow", x)], { y });
export const square = (x: X): ArrayBase => integerPow(x, 2);
export const clamp = (lo: X, x: X, hi: X): ArrayBase =>
  bind1(E.clamp_p, [arg("lax.clamp", lo), arg("lax.clamp", x), arg("lax.clamp", hi)], {});
/** select_n(which, ...cases): with a bool `which`, cases[0] where false and cases[1] where true. */
export function selectN(which: X, ...cases: X[]): ArrayBase {
  if (cases.length !== 2) throw new TypeError(`lax.select_n: supports exactly two cases with a bool predicate, got ${cases.length}`);
  return bind1(E.select_n_p, [arg("lax.select_n", which), arg("lax.select_n", cases[0]), arg("lax.select_n", cases[1])], {});
}
export const select = (pred: X, onTrue: X, onFalse: X): ArrayBase => selectN(pred, onFalse, onTrue);
export const convertElementType = (x: X, newDtype: DType | string): ArrayBase =>
  bind1(E.convert_element_type_p, [arg("lax.convert_element_type", x)], { newDtype: canonicalDtype(newDtype, "lax.convert_element_type"), weakType: false });
export const bitcastConvertType = (x: X, newDtype: DType | string): ArrayBase =>
  bind1(E.bitcast_convert_type_p, [arg("lax.bitcast_convert_type", x)], { newDtype: canonicalDtype(newDtype, "lax.bitcast_convert_type") });

export const broadcastInDim = (x: X, shape: number[], broadcastDimensions: number[]): ArrayBase =>
  bind1(S.broadcast_in_dim_p, [arg("lax.broadcast_in_dim", x)], { shape, broadcastDimensions });
export const broadcast = (x: X, sizes: number[]): ArrayBase => {
  const a = arg("lax.broadcast", x);
  return broadcastInDim(a, [...sizes, ...a.shape], a.shape.map((_, i) => i + sizes.length));
};
export const reshape = (x: X, newSizes: number[]): ArrayBase => bind1(S.reshape_p, [arg("lax.reshape", x)], { newSizes });
export const transpose = (x: X, permutation: number[]): ArrayBase => bind1(S.transpose_p, [arg("lax.transpose", x)], { permutation });
export const squeeze = (x: X, dimensions: number[]): ArrayBase => bind1(S.squeeze_p, [arg("lax.squeeze", x)], { dimensions });
export const expandDims = (x: X, dimensions: number[]): ArrayBase => {
  const a = arg("lax.expand_dims", x);
  const shape = a.shape.slice();
  for (const d of [...dimensions].sort((p, q) => p - q)) shape.splice(d, 0, 1);
  return reshape(a, shape);
};
export const rev = (x: X, dimensions: number[]): ArrayBase => bind1(S.rev_p, [arg("lax.rev", x)], { dimensions });
export const slice = (x: X, startIndices: number[], limitIndices: number[], strides: number[] | null = null): ArrayBase =>
  bind1(S.slice_p, [arg("lax.slice", x)], { startIndices, limitIndices, strides });
export const sliceInDim = (x: X, start: number, limit: number, stride = 1, axis = 0): ArrayBase => {
  const a = arg("lax.slice_in_dim", x);
  const s = a.shape.map(() => 0);
  const l = a.shape.slice();
  const st = a.shape.map(() => 1);
  s[axis] = start;
  l[axis] = limit;
  st[axis] = stride;
  return slice(a, s, l, st);
};
export const concatenate = (operands: X[], dimension: number): ArrayBase =>
  bind1(S.concatenate_p, operands.map((o) => arg("lax.concatenate", o)), { dimension });
export const pad = (x: X, paddingValue: X, paddingConfig: [number, number, number][]): ArrayBase => {
  const xa = arg("lax.pad", x);
  // A JS number takes the operand's dtype, as Python scalars do in lax.
  const pv = typeof paddingValue === "number" ? convertElementType(paddingValue, xa.dtype) : arg("lax.pad", paddingValue);
  return bind1(S.pad_p, [xa, pv], { paddingConfig });
};
export const iota = (dtype: DType | string, size: number): ArrayBase =>
  bind1(S.iota_p, [], { dtype: canonicalDtype(dtype, "lax.iota"), shape: [size], dimension: 0 });
export const broadcastedIota = (dtype: DType | string, shape: number[], dimension: number): ArrayBase =>
  bind1(S.iota_p, [], { dtype: canonicalDtype(dtype, "lax.broadcasted_iota"), shape, dimension });

const red = (name: string, p: Primitive<{ axes: number[] }>) => (x: X, axes: number[]): ArrayBase => bind1(p, [arg(`lax.${name}`, x)], { axes });
export const reduceSum = red("reduce_sum", R.reduce_sum_p);
export const reduceProd = red("reduce_prod", R.reduce_prod_p);
export const reduceMax = red("reduce_max", R.reduce_max_p);
export const reduceMin = red("reduce_min", R.reduce_min_p);
export const reduceAnd = red("reduce_and", R.reduce_and_p);
export const reduceOr = red("reduce_or", R.reduce_or_p);
export const argmax = (x: X, axis: number, indexDtype: DType | string = "int32"): ArrayBase =>
  bind1(R.argmax_p, [arg("lax.argmax", x)], { axes: [axis], indexDtype: canonicalDtype(indexDtype) });
export const argmin = (x: X, axis: number, indexDtype: DType | string = "int32"): ArrayBase =>
  bind1(R.argmin_p, [arg("lax.argmin", x)], { axes: [axis], indexDtype: canonicalDtype(indexDtype) });
export const stopGradient = (x: X): ArrayBase => bind1(S.stop_gradient_p, [arg("lax.stop_gradient", x)], {});
