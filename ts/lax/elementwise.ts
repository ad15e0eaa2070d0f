// Elementwise lax primitives. Each is one definition: dtype rule, lowering to the kernel IR
// (which gives eager execution and jit fusion), and later its jvp/batching rules.
// lax ops do not promote: operands must have identical dtypes and shapes (numpy promotes
// and broadcasts before calling them).
import { isBool, isFloat, isInteger, isUnsigned, type DType } from "../array/dtype.js";
import { fmtShape, shapeEq } from "../array/shape.js";
import type { ArrayBase } from "../array/base.js";
import { definePrimitive, type Aval, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { elementwiseImpl } from "../runtime/eager.js";
import type { Array } from "../array/array.js";
import type { BinaryOp, UnaryOp } from "../runtime/kernel.js";

type Kind = "float" | "int" | "bool" | "signed";
const ALL: Kind[] = ["float", "int", "bool"];
const NUM: Kind[] = ["float", "int"];
const FLOAT: Kind[] = ["float"];
const INTB: Kind[] = ["int", "bool"];

function accepts(kinds: Kind[], d: DType): boolean {
  return (
    (kinds.includes("float") && isFloat(d)) ||
    (kinds.includes("int") && isInteger(d)) ||
    (kinds.includes("signed") && (isFloat(d) || (isInteger(d) && !isUnsigned(d)))) ||
    (kinds.includes("bool") && isBool(d))
  );
}

function checkDtype(name: string, kinds: Kind[], d: DType): void {
  if (!accepts(kinds, d)) {
    const what = kinds.map((k) => (k === "float" ? "floating" : k === "int" ? "integer" : k)).join(" or ");
    throw new TypeError(`lax.${name}: takes ${what} operands, got ${d}`);
  }
}

export function sameShapes(name: string, avals: Aval[]): void {
  for (let i = 1; i < avals.length; i++) {
    if (!shapeEq(avals[0].shape, avals[i].shape)) {
      throw new TypeError(
        `lax.${name}: operands must have equal shapes, got ${avals.map((a) => fmtShape(a.shape)).join(" and ")}; ` +
          "broadcast first (numpy functions broadcast for you)",
      );
    }
  }
}

export function sameDtypes(name: string, avals: Aval[]): void {
  for (let i = 1; i < avals.length; i++) {
    if (avals[i].dtype !== avals[0].dtype) {
      throw new TypeError(
        `lax.${name}: operands must have equal dtypes, got ${avals.map((a) => a.dtype).join(" and ")}; ` +
          "convert with lax.convert_element_type (numpy functions promote for you)",
      );
    }
  }
}

const allWeak = (avals: Aval[]) => avals.every((a) => a.weakType);

function unary(name: string, op: UnaryOp, kinds: Kind[], outDtype?: DType): Primitive {
  return definePrimitive(name, {
    abstractEval: ([x]) => {
      checkDtype(name, kinds, x.dtype);
      return [{ shape: x.shape, dtype: outDtype ?? x.dtype, weakType: outDtype ? false : x.weakType }];
    },
    lower: (b, [x]) => [b.unary(op, x, outDtype ?? b.dtype(x))],
  });
}

function binary(name: string, op: BinaryOp, kinds: Kind[], outDtype?: DType): Primitive {
  return definePrimitive(name, {
    abstractEval: (avals) => {
      sameShapes(name, avals);
      sameDtypes(name, avals);
      checkDtype(name, kinds, avals[0].dtype);
      return [{ shape: avals[0].shape, dtype: outDtype ?? avals[0].dtype, weakType: outDtype ? false : allWeak(avals) }];
    },
    lower: (b, [x, y]) => [b.binary(op, x, y, outDtype ?? b.dtype(x))],
  });
}


export const neg_p = unary("neg", "neg", NUM);
export const abs_p = unary("abs", "abs", NUM);
export const sign_p = unary("sign", "sign", NUM);
export const floor_p = unary("floor", "floor", FLOAT);
export const ceil_p = unary("ceil", "ceil", FLOAT);
export const round_even_p = unary("round_even", "round_even", FLOAT);
export const round_away_p = unary("round_away", "round_away", FLOAT);
export const trunc_p = unary("trunc", "trunc", FLOAT);
export const is_finite_p = unary("is_finite", "is_finite", FLOAT, "bool");
export const is_nan_p = unary("is_nan", "is_nan", FLOAT, "bool");
export const is_inf_p = unary("is_inf", "is_inf", FLOAT, "bool");
export const signbit_p = unary("signbit", "signbit", FLOAT, "bool");
export const not_p = unary("not", "not", INTB);
export const population_count_p = unary("population_count", "popcount", ["int"]);
export const clz_p = unary("clz", "clz", ["int"]);

const floatUnary = [
  "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "cbrt",
  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
  "erf", "erfc", "erf_inv", "lgamma", "digamma", "logistic",
] as const;
export const floatUnaryPrims = Object.fromEntries(
  floatUnary.map((n) => [n, unary(n, n, FLOAT)]),
) as Record<(typeof floatUnary)[number], Primitive>;

export const add_p = binary("add", "add", NUM);
export const sub_p = binary("sub", "sub", NUM);
export const mul_p = binary("mul", "mul", NUM);
export const div_p = binary("div", "div", NUM);
export const rem_p = binary("rem", "rem", NUM);
/** pow(x, y): x floating; y of x's dtype or an integer dtype (converted, as JAX lowers it). */
export const pow_p = definePrimitive("pow", {
  abstractEval: ([x, y]) => {
    sameShapes("pow", [x, y]);
    checkDtype("pow", FLOAT, x.dtype);
    if (y.dtype !== x.dtype && !isInteger(y.dtype)) {
      throw new TypeError(`lax.pow: the exponent must have the base's dtype (${x.dtype}) or an integer dtype, got ${y.dtype}`);
    }
    return [{ shape: x.shape, dtype: x.dtype, weakType: x.weakType && y.weakType }];
  },
  lower: (b, [x, y]) => [b.binary("pow", x, b.cast(y, b.dtype(x)))],
});
export const atan2_p = (binary("atan2", "atan2", FLOAT));
export const nextafter_p = binary("nextafter", "nextafter", FLOAT);
export const copysign_p = binary("copysign", "copysign", FLOAT);
export const max_p = binary("max", "max", ALL);
export const min_p = binary("min", "min", ALL);
export const and_p = binary("and", "and", INTB);
export const or_p = binary("or", "or", INTB);
export const xor_p = binary("xor", "xor", INTB);
export const shift_left_p = binary("shift_left", "shl", ["int"]);
export const shift_right_arithmetic_p = binary("shift_right_arithmetic", "shr_arith", ["int"]);
export const shift_right_logical_p = binary("shift_right_logical", "shr_logical", ["int"]);
export const eq_p = binary("eq", "eq", ALL, "bool");
export const ne_p = binary("ne", "ne", ALL, "bool");
export const lt_p = binary("lt", "lt", ALL, "bool");
export const le_p = binary("le", "le", ALL, "bool");
export const gt_p = binary("gt", "gt", ALL, "bool");
export const ge_p = binary("ge", "ge", ALL, "bool");

/** select_n(pred, onFalse, onTrue) with a bool predicate (JAX's two-case select_n). */
export const select_n_p = definePrimitive("select_n", {
  abstractEval: ([p, f, t]) => {
    if (p.dtype !== "bool") throw new TypeError(`lax.select_n: the predicate must be bool, got ${p.dtype}`);
    sameShapes("select_n", [p, f, t]);
    sameDtypes("select_n", [f, t]);
    return [{ shape: f.shape, dtype: f.dtype, weakType: f.weakType && t.weakType }];
  },
  lower: (b, [p, f, t]) => [b.select(p, t, f)],
});

/** clamp(lo, x, hi) = min(max(x, lo), hi). */
export const clamp_p = definePrimitive("clamp", {
  abstractEval: ([lo, x, hi]) => {
    sameShapes("clamp", [lo, x, hi]);
    sameDtypes("clamp", [lo, x, hi]);
    return [{ shape: x.shape, dtype: x.dtype, weakType: x.weakType }];
  },
  lower: (b, [lo, x, hi]) => [b.binary("min", b.binary("max", x, lo), hi)],
});

export const convert_element_type_p: Primitive<{ newDtype: DType; weakType: boolean }> = definePrimitive<{ newDtype: DType; weakType: boolean }>("convert_element_type", {
  abstractEval: ([x], { newDtype, weakType }) => [{ shape: x.shape, dtype: newDtype, weakType }],
  impl(args, params): Array[] {
    const [x] = args;
    // Same dtype: only the weak flag changes, a view of the same storage.
    if (x.dtype === params.newDtype) return [x._view(x.shape, x._strides, x._offset, x.dtype, params.weakType)];
    const out = { shape: x.shape, dtype: params.newDtype, weakType: params.weakType };
    return elementwiseImpl(convert_element_type_p as Primitive, args, params, [out]);
  },
  lower: (b, [x], { newDtype }) => [b.cast(x, newDtype)],
  paramsKey: (p) => p.newDtype,
});

export const bitcast_convert_type_p = definePrimitive<{ newDtype: DType }>("bitcast_convert_type", {
  abstractEval: ([x], { newDtype }) => [{ shape: x.shape, dtype: newDtype, weakType: false }],
  lower: (b, [x], { newDtype }) => [b.bitcast(x, newDtype)],
});

/** integer_pow(x, y) for a static integer y, by repeated squaring (exact for ints). */
export const integer_pow_p = definePrimitive<{ y: number }>("integer_pow", {
  abstractEval: ([x], { y }) => {
    checkDtype("integer_pow", NUM, x.dtype);
    if (!Number.isInteger(y)) throw new TypeError(`lax.integer_pow: the exponent must be an integer, got ${y}`);
    if (y < 0 && isInteger(x.dtype)) {
      throw new TypeError(`lax.integer_pow: integers cannot be raised to a negative power (${y})`);
    }
    return [{ shape: x.shape, dtype: x.dtype, weakType: x.weakType }];
  },
  lower: (b, [x], { y }) => {
    const dt = b.dtype(x);
    if (y === 0) return [b.const(1, dt)];
    let n = Math.abs(y);
    let acc: number | undefined;
    let base = x;
    while (n > 0) {
      // Arithmetic, not bit operations: exponents may exceed 2^31.
      if (n % 2 === 1) acc = acc === undefined ? base : b.binary("mul", acc, base);
      n = Math.floor(n / 2);
      if (n) base = b.binary("mul", base, base);
    }
    return [y < 0 ? b.binary("div", b.const(1, dt), acc!) : acc!];
  },
});

// Small typed wrappers used by the rest of the library.
export const un = (p: Primitive, x: ArrayBase): ArrayBase => bind1(p, [x], {});
export const bin = (p: Primitive, x: ArrayBase, y: ArrayBase): ArrayBase => bind1(p, [x, y], {});

// ---- derivative rules (jvp, transpose); batching is the default elementwise rule ----------
// Formulas follow JAX's (lax.py), including its conventions at kinks: d|x|/dx = 1 at 0,
// max/min split ties 0.5/0.5, rounding and sign have zero derivative.
import * as R from "./rule_util.js";
import { LinearArg } from "../core/primitive.js";

type T = ArrayBase | null;
const u1 = (p: Primitive, x: ArrayBase) => bind1(p, [x], {});
const b2 = (p: Primitive, x: ArrayBase, y: ArrayBase) => bind1(p, [x, y], {});
const c = R.constLike;
/** t * d, skipping symbolic zeros. */
const scale = (t: T, d: () => ArrayBase): T => (t === null ? null : R.mul(t, d()));

/** jvp from the derivative of a one-argument function (y is the primal output). */
function defDeriv1(p: Primitive, deriv: (x: ArrayBase, y: ArrayBase) => ArrayBase): void {
  p.rules.jvp = ([x], [t]) => {
    const y = u1(p, x);
    return [[y], [scale(t, () => deriv(x, y))]];
  };
}

/** Outputs that carry no tangent (integer/bool results, piecewise-constant functions). */
function defZeroJvp(p: Primitive): void {
  p.rules.jvp = (xs, _ts, params) => [bind(p, xs, params), [null]];
}

/** A primitive linear in every input (add, sub, neg, copy, ...): the jvp applies it to tangents. */
function defLinear(p: Primitive, transpose: (ct: ArrayBase, args: (ArrayBase | LinearArg)[]) => T[]): void {
  p.rules.jvp = (xs, ts, params) => {
    const tt = ts.map((t, i) => t ?? R.zeros({ ...avalOfX(xs[i]), weakType: false }));
    return [bind(p, xs, params), [bind(p, tt, params)[0]]];
  };
  p.rules.transpose = ([ct], args) => (ct === null ? args.map(() => null) : transpose(ct, args));
}
const avalOfX = (x: ArrayBase): Aval => ({ shape: x.shape, dtype: x.dtype, weakType: x.weakType });
const lin = (a: ArrayBase | LinearArg) => a instanceof LinearArg;

import { bind } from "../core/trace.js";

defLinear(neg_p, (ct) => [R.neg(ct)]);
defLinear(add_p, (ct, [x, y]) => [lin(x) ? ct : null, lin(y) ? ct : null]);
defLinear(sub_p, (ct, [x, y]) => [lin(x) ? ct : null, lin(y) ? R.neg(ct) : null]);

mul_p.rules.jvp = ([x, y], [tx, ty]) => [[R.mul(x, y)], [R.addAny(scale(tx, () => y), scale(ty, () => x))]];
mul_p.rules.transpose = ([ct], [x, y]) => {
  if (lin(x) && lin(y)) throw new TypeError("transpose: mul of two linear values is not linear");
  if (ct === null) return [null, null];
  return [lin(x) ? R.mul(ct, y as ArrayBase) : null, lin(y) ? R.mul(x as ArrayBase, ct) : null];
};
div_p.rules.jvp = ([x, y], [tx, ty]) => {
  const out = b2(div_p, x, y);
  if (!isFloat(x.dtype)) return [[out], [null]];
  // d(x/y) = tx / y - ty * out / y
  const dx = tx === null ? null : b2(div_p, tx, y);
  const dy = ty === null ? null : R.neg(R.mul(ty, b2(div_p, out, y)));
  return [[out], [R.addAny(dx, dy)]];
};
div_p.rules.transpose = ([ct], [x, y]) => {
  if (lin(y)) throw new TypeError("transpose: div is not linear in its divisor");
  return [ct === null ? null : b2(div_p, ct, y as ArrayBase), null];
};
rem_p.rules.jvp = ([x, y], [tx, ty]) => {
  const out = b2(rem_p, x, y);
  if (!isFloat(x.dtype)) return [[out], [null]];
  // d rem(x, y) = tx - ty * trunc(x / y)
  const dy = scale(ty, () => R.neg(u1(trunc_p, b2(div_p, x, y))));
  return [[out], [R.addAny(tx, dy)]];
};

abs_p.rules.jvp = ([x], [t]) => {
  const y = u1(abs_p, x);
  if (t === null || !isFloat(x.dtype)) return [[y], [null]];
  return [[y], [bind1(select_n_p, [b2(ge_p, x, c(x, 0)), R.neg(t), t], {})]];
};
for (const p of [sign_p, floor_p, ceil_p, round_even_p, round_away_p, trunc_p, is_finite_p, is_nan_p, is_inf_p, signbit_p, not_p,
  population_count_p, clz_p, and_p, or_p, xor_p, shift_left_p, shift_right_arithmetic_p, shift_right_logical_p,
  eq_p, ne_p, lt_p, le_p, gt_p, ge_p, nextafter_p, bitcast_convert_type_p as Primitive]) defZeroJvp(p);

const F_ = floatUnaryPrims;
const sq = (x: ArrayBase) => R.mul(x, x);
const recip = (x: ArrayBase) => b2(div_p, c(x, 1), x);
defDeriv1(F_.exp, (_x, y) => y);
defDeriv1(F_.exp2, (_x, y) => R.mul(y, c(y, Math.LN2)));
defDeriv1(F_.expm1, (_x, y) => R.add(y, c(y, 1)));
defDeriv1(F_.log, (x) => recip(x));
defDeriv1(F_.log2, (x) => recip(R.mul(x, c(x, Math.LN2))));
defDeriv1(F_.log10, (x) => recip(R.mul(x, c(x, Math.LN10))));
defDeriv1(F_.log1p, (x) => recip(R.add(x, c(x, 1))));
defDeriv1(F_.sqrt, (_x, y) => b2(div_p, c(y, 0.5), y));
defDeriv1(F_.rsqrt, (x, y) => R.mul(b2(div_p, y, x), c(x, -0.5)));
defDeriv1(F_.cbrt, (_x, y) => b2(div_p, c(y, 1 / 3), sq(y)));
defDeriv1(F_.sin, (x) => u1(F_.cos, x));
defDeriv1(F_.cos, (x) => R.neg(u1(F_.sin, x)));
defDeriv1(F_.tan, (_x, y) => R.add(c(y, 1), sq(y)));
defDeriv1(F_.asin, (x) => u1(F_.rsqrt, R.sub(c(x, 1), sq(x))));
defDeriv1(F_.acos, (x) => R.neg(u1(F_.rsqrt, R.sub(c(x, 1), sq(x)))));
defDeriv1(F_.atan, (x) => recip(R.add(c(x, 1), sq(x))));
defDeriv1(F_.sinh, (x) => u1(F_.cosh, x));
defDeriv1(F_.cosh, (x) => u1(F_.sinh, x));
defDeriv1(F_.tanh, (_x, y) => R.sub(c(y, 1), sq(y)));
defDeriv1(F_.asinh, (x) => u1(F_.rsqrt, R.add(sq(x), c(x, 1))));
defDeriv1(F_.acosh, (x) => R.mul(u1(F_.rsqrt, R.sub(x, c(x, 1))), u1(F_.rsqrt, R.add(x, c(x, 1)))));
defDeriv1(F_.atanh, (x) => R.mul(recip(R.add(c(x, 1), x)), recip(R.sub(c(x, 1), x))));
defDeriv1(F_.erf, (x) => R.mul(c(x, 2 / Math.sqrt(Math.PI)), u1(F_.exp, R.neg(sq(x)))));
defDeriv1(F_.erfc, (x) => R.mul(c(x, -2 / Math.sqrt(Math.PI)), u1(F_.exp, R.neg(sq(x)))));
defDeriv1(F_.erf_inv, (_x, y) => R.mul(c(y, Math.sqrt(Math.PI) / 2), u1(F_.exp, sq(y))));
defDeriv1(F_.lgamma, (x) => u1(F_.digamma, x));
defDeriv1(F_.digamma, (x) => trigamma(x));
defDeriv1(F_.logistic, (_x, y) => R.mul(y, R.sub(c(y, 1), y)));

/** polygamma(1, x) for the derivative of digamma: recurrence to x + 6, then the asymptotic series. */
function trigamma(x: ArrayBase): ArrayBase {
  let acc = c(x, 0);
  let z = x;
  for (let k = 0; k < 6; k++) {
    acc = R.add(acc, recip(sq(z)));
    z = R.add(z, c(z, 1));
  }
  const iz = recip(z);
  const iz2 = sq(iz);
  // 1/z + 1/(2z^2) + (1/z^3) (1/6 - 1/(30z^2) + 1/(42z^4) - 1/(30z^6))
  let s = c(z, -1 / 30);
  for (const k of [1 / 42, -1 / 30, 1 / 6]) s = R.add(c(z, k), R.mul(s, iz2));
  const tail = R.add(R.add(iz, R.mul(c(z, 0.5), iz2)), R.mul(R.mul(iz2, iz), s));
  return R.add(acc, tail);
}

pow_p.rules.jvp = ([x, y], [tx, ty]) => {
  const out = b2(pow_p, x, y);
  const yf = y.dtype === x.dtype ? y : R.convert(y, x.dtype);
  // d/dx = y x^(y-1) (0 where y = 0); d/dy = log(x) x^y with log(0) read as 0 (JAX's rule).
  const dx = scale(tx, () => {
    const d = R.mul(yf, b2(pow_p, x, R.sub(yf, c(yf, 1))));
    return bind1(select_n_p, [b2(eq_p, yf, c(yf, 0)), d, c(d, 0)], {});
  });
  const dy = ty === null || !isFloat(y.dtype) ? null : R.mul(ty, R.mul(u1(F_.log, bind1(select_n_p, [b2(eq_p, x, c(x, 0)), x, c(x, 1)], {})), out));
  return [[out], [R.addAny(dx, dy)]];
};
integer_pow_p.rules.jvp = ([x], [t], { y }) => {
  const out = bind1(integer_pow_p, [x], { y });
  if (t === null || !isFloat(x.dtype)) return [[out], [null]];
  const d = y === 0 ? c(x, 0) : y === 1 ? c(x, 1) : R.mul(c(x, y), bind1(integer_pow_p, [x], { y: y - 1 }));
  return [[out], [R.mul(t, d)]];
};
atan2_p.rules.jvp = ([x, y], [tx, ty]) => {
  const out = b2(atan2_p, x, y);
  const den = R.add(sq(x), sq(y));
  const dx = scale(tx, () => b2(div_p, y, den));
  const dy = scale(ty, () => R.neg(b2(div_p, x, den)));
  return [[out], [R.addAny(dx, dy)]];
};
copysign_p.rules.jvp = ([x, y], [tx]) => {
  const out = b2(copysign_p, x, y);
  return [[out], [scale(tx, () => bind1(select_n_p, [b2(ne_p, u1(signbit_p, x), u1(signbit_p, y)), c(x, 1), c(x, -1)], {}))]];
};
/** max/min: the tangent of the winner; ties split 0.5/0.5 (JAX's convention). */
function minmaxJvp(p: Primitive, wins: Primitive): void {
  p.rules.jvp = ([x, y], [tx, ty]) => {
    const out = b2(p, x, y);
    if (!isFloat(x.dtype)) return [[out], [null]];
    const half = c(x, 0.5);
    const wx = bind1(select_n_p, [b2(eq_p, x, y), bind1(select_n_p, [b2(wins, x, y), c(x, 0), c(x, 1)], {}), half], {});
    const dx = scale(tx, () => wx);
    const dy = scale(ty, () => R.sub(c(x, 1), wx));
    return [[out], [R.addAny(dx, dy)]];
  };
}
minmaxJvp(max_p, gt_p);
minmaxJvp(min_p, lt_p);

select_n_p.rules.jvp = ([p, f, t], [, tf, tt]) => {
  const out = bind1(select_n_p, [p, f, t], {});
  if (tf === null && tt === null) return [[out], [null]];
  const z = R.zeros({ ...avalOfX(f), weakType: false });
  return [[out], [bind1(select_n_p, [p, tf ?? z, tt ?? z], {})]];
};
select_n_p.rules.transpose = ([ct], [p, f, t]) => {
  if (lin(p)) throw new TypeError("transpose: select_n is not linear in its predicate");
  if (ct === null) return [null, null, null];
  const z = R.zerosLike(ct);
  const pa = p as ArrayBase;
  return [null, lin(f) ? bind1(select_n_p, [pa, ct, z], {}) : null, lin(t) ? bind1(select_n_p, [pa, z, ct], {}) : null];
};
clamp_p.rules.jvp = ([lo, x, hi], [tlo, tx, thi]) => {
  const out = bind1(clamp_p, [lo, x, hi], {});
  if (!isFloat(x.dtype)) return [[out], [null]];
  const z = c(x, 0);
  const inside = b2(and_p, b2(gt_p, x, lo), b2(lt_p, x, hi));
  const dx = tx === null ? null : bind1(select_n_p, [inside, z, tx], {});
  const dlo = scale(tlo, () => R.convert(b2(lt_p, x, lo), x.dtype));
  const dhi = scale(thi, () => R.convert(b2(gt_p, x, hi), x.dtype));
  return [[out], [R.addAny(R.addAny(dx, dlo), dhi)]];
};

convert_element_type_p.rules.jvp = ([x], [t], params) => {
  const out = bind1(convert_element_type_p, [x], params);
  if (t === null || !isFloat(params.newDtype)) return [[out], [null]];
  return [[out], [bind1(convert_element_type_p, [t], { newDtype: params.newDtype, weakType: false })]];
};
convert_element_type_p.rules.transpose = ([ct], [x]) => {
  if (ct === null) return [null];
  const a = (x as LinearArg).aval;
  return [bind1(convert_element_type_p, [ct], { newDtype: a.dtype, weakType: false })];
};
