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
