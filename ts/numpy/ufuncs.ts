// jax.numpy arithmetic ufuncs: add, subtract, multiply, divisions and remainders, powers,
// sign/abs/negation, maximum/minimum/clip. JAX's semantics (jax/_src/numpy/ufuncs.py and
// lax_numpy.py): operands are promoted on JAX's lattice (weak JS numbers take the other
// operand's dtype), broadcast with NumPy's rule, then computed with lax primitives.
// Transcendental and float functions: ufuncs_math.ts; bitwise and integer: ufuncs_int.ts;
// comparisons and logic: ufuncs_logic.ts.
import type { ArrayBase } from "../array/base.js";
import { isBool, isFloat, isInteger, isUnsigned } from "../array/dtype.js";
import { resultType } from "../array/promotion.js";
import { arg } from "./convert.js";
import {
  broadcastArgs, constLike, convertTo, isNanAny, isOptions, lax, prep, promotedType, requireKinds, scoped, type X,
} from "./ufuncs_util.js";

export type { X as ArrayOrScalar };

// ---- sums and products ---------------------------------------------------------------

/** x + y. On bools: logical or (as JAX). */
export function add(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("add", [x, y]);
    return isBool(a.dtype) ? lax.or(a, b) : lax.add(a, b);
  });
}

/** x - y. Booleans are refused, as in JAX and NumPy. */
export function subtract(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("subtract", [x, y]);
    if (isBool(a.dtype)) {
      throw new TypeError("subtract: boolean subtract is not supported; use bitwiseXor or logicalXor instead");
    }
    return lax.sub(a, b);
  });
}

/** x * y. On bools: logical and (as JAX). */
export function multiply(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("multiply", [x, y]);
    return isBool(a.dtype) ? lax.and(a, b) : lax.mul(a, b);
  });
}

/** x / y, always floating: integer and bool operands give the default float (float32). */
export function trueDivide(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("trueDivide", [x, y], "inexact");
    return lax.div(a, b);
  });
}

/** Alias of trueDivide. */
export function divide(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("divide", [x, y], "inexact");
    return lax.div(a, b);
  });
}

// ---- floor division and remainders ------------------------------------------------------

function requireNumeric(fn: string, a: ArrayBase): void {
  requireKinds(fn, a.dtype, ["int", "float"]);
}

/** floor(x / y) on floats, JAX's _float_divmod: [quotient, remainder with y's sign]. */
function floatDivmod(a: ArrayBase, b: ArrayBase): [ArrayBase, ArrayBase] {
  const zero = constLike(a, 0);
  const mod = lax.rem(a, b);
  const corrected = lax.select(lax.eq(b, zero), a, lax.sub(a, mod));
  let div = lax.div(corrected, b);
  const fix = lax.and(lax.ne(mod, zero), lax.ne(lax.sign(b), lax.sign(mod)));
  const fixedMod = lax.select(fix, lax.add(mod, b), mod);
  div = lax.select(fix, lax.sub(div, constLike(div, 1)), div);
  // lax.round's default: half away from zero (div is integral up to rounding error).
  return [lax.roundAway(div), fixedMod];
}

/** floor_divide on prepared (numeric, broadcast) operands. */
function floorDivideImpl(a: ArrayBase, b: ArrayBase): ArrayBase {
  if (isUnsigned(a.dtype)) return lax.div(a, b);
  if (isInteger(a.dtype)) {
    // Truncating division, minus one where the signs differ and the division is inexact.
    // Division by zero gives what lax.div gives (XLA: -1), then this correction, as in JAX.
    const q = lax.div(a, b);
    const zero = constLike(a, 0);
    const adjust = lax.and(lax.ne(lax.sign(a), lax.sign(b)), lax.ne(lax.rem(a, b), zero));
    return lax.select(adjust, lax.sub(q, constLike(q, 1)), q);
  }
  return floatDivmod(a, b)[0];
}

/** remainder on prepared (numeric, broadcast) operands: the result takes the divisor's sign. */
function remainderImpl(a: ArrayBase, b: ArrayBase): ArrayBase {
  const zero = constLike(a, 0);
  // JAX replaces an integer divisor of 0 by 1, so x % 0 == 0 for integers.
  if (isInteger(b.dtype)) b = lax.select(lax.eq(b, zero), constLike(b, 1), b);
  const mod = lax.rem(a, b);
  const plus = lax.and(lax.ne(lax.lt(mod, zero), lax.lt(b, zero)), lax.ne(mod, zero));
  return lax.select(plus, lax.add(mod, b), mod);
}

/**
 * x // y: the floor of the quotient. Unsigned ints divide; signed ints round toward -inf
 * (integer division by zero gives JAX's values: -2 for a non-zero dividend, -1 for 0, the
 * maximum for unsigned); floats give floor(x / y) computed as JAX does (via fmod).
 */
export function floorDivide(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("floorDivide", [x, y], "numeric");
    requireNumeric("floorDivide", a);
    return floorDivideImpl(a, b);
  });
}

/** x % y with the sign of the divisor (Python's %); integer x % 0 is 0, as in JAX. */
export function remainder(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("remainder", [x, y], "numeric");
    requireNumeric("remainder", a);
    return remainderImpl(a, b);
  });
}

/** Alias of remainder. */
export function mod(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("mod", [x, y], "numeric");
    requireNumeric("mod", a);
    return remainderImpl(a, b);
  });
}

/** C's fmod: the remainder takes the dividend's sign; integer x fmod 0 is 0, as in JAX. */
export function fmod(x: X, y: X): ArrayBase {
  return scoped(() => {
    const xa = arg("fmod", x);
    const ya = arg("fmod", y);
    const raw = resultType({ dtype: xa.dtype, weak: xa.weakType }, { dtype: ya.dtype, weak: ya.weakType });
    let [a, b] = broadcastArgs("fmod", [xa, ya].map((v) => convertTo(v, ...numericOf(raw))));
    requireNumeric("fmod", a);
    if (isInteger(raw.dtype)) b = lax.select(lax.eq(b, constLike(b, 0)), constLike(b, 1), b);
    return lax.rem(a, b);
  });
}

function numericOf(t: { dtype: ArrayBase["dtype"]; weak: boolean }): [ArrayBase["dtype"], boolean] {
  return isBool(t.dtype) ? ["int32", false] : [t.dtype, t.weak];
}

/** [floorDivide(x, y), remainder(x, y)]. */
export function divmod(x: X, y: X): [ArrayBase, ArrayBase] {
  return scoped(() => {
    const [a, b] = prep("divmod", [x, y], "numeric");
    requireNumeric("divmod", a);
    if (isInteger(a.dtype)) return [floorDivideImpl(a, b), remainderImpl(a, b)];
    return floatDivmod(a, b);
  });
}

// ---- powers ------------------------------------------------------------------------

/** A JS integer (or boolean) exponent: JAX's concrete Python int, which uses lax.integer_pow. */
function staticIntExponent(y: unknown): number | undefined {
  if (typeof y === "boolean") return y ? 1 : 0;
  if (typeof y === "number" && Number.isInteger(y) && !Object.is(y, -0)) return y;
  return undefined;
}

/** Integer powers by 6 steps of binary exponentiation (JAX's _pow_int_int: exponents are used mod 64). */
function powIntInt(x1: ArrayBase, x2: ArrayBase): ArrayBase {
  const zero = constLike(x2, 0);
  const one = constLike(x2, 1);
  // pow(0, y) is 0 for y != 0 and 1 for y == 0.
  let acc = lax.select(lax.and(lax.eq(x1, zero), lax.ne(x2, zero)), zero, one);
  for (let i = 0; i < 6; i++) {
    acc = lax.select(lax.ne(lax.and(x2, one), zero), lax.mul(acc, x1), acc);
    if (i < 5) {
      x1 = lax.mul(x1, x1);
      x2 = lax.shrLogical(x2, one);
    }
  }
  return acc;
}

/**
 * x ** y. A JS integer exponent uses lax.integer_pow (exact for ints; a negative one is an
 * error for integer bases, as in JAX). Integer arrays raised to integer arrays use binary
 * exponentiation over the exponent's low 6 bits, exactly as JAX (a negative exponent gives an
 * implementation-defined value there too). Float bases with integer exponents keep the base's
 * dtype; everything else promotes and uses lax.pow.
 */
export function power(x: X, y: X): ArrayBase {
  return scoped(() => {
    const n = staticIntExponent(y);
    if (n !== undefined) {
      let a = arg("power", x);
      if (isBool(a.dtype)) a = convertTo(a, "int32", false);
      if (n < 0 && isInteger(a.dtype)) {
        throw new TypeError(
          `power: integers cannot be raised to a negative power (${a.dtype} base, exponent ${n}); ` +
            "convert the base to a float dtype first (or use floatPower)",
        );
      }
      return lax.integerPow(a, n);
    }
    const xa = arg("power", x);
    const ya = arg("power", y);
    const t = promotedType([xa, ya], "numeric");
    if (isInteger(t.dtype)) {
      const [a, b] = broadcastArgs("power", [convertTo(xa, t.dtype, t.weak), convertTo(ya, t.dtype, t.weak)]);
      return powIntInt(a, b);
    }
    if (isFloat(xa.dtype) && isInteger(ya.dtype)) {
      // lax.pow(float, int): the base's dtype, the exponent converted (as JAX lowers it).
      const [a, b] = broadcastArgs("power", [xa, ya]);
      return lax.pow(a, b);
    }
    const [a, b] = broadcastArgs("power", [convertTo(xa, t.dtype, t.weak), convertTo(ya, t.dtype, t.weak)]);
    return lax.pow(a, b);
  });
}

/** Alias of power (the Array API name). */
export function pow(x: X, y: X): ArrayBase {
  return power(x, y);
}

/** x ** y computed in floating point (ints and bools become the default float). */
export function floatPower(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("floatPower", [x, y], "inexact");
    return lax.pow(a, b);
  });
}

/** x * x (bools become int32). */
export function square(x: X): ArrayBase {
  return scoped(() => {
    const [a] = prep("square", [x], "numeric");
    return lax.mul(a, a);
  });
}

/** 1 / x in floating point (ints become the default float; JAX differs from NumPy here). */
export function reciprocal(x: X): ArrayBase {
  return scoped(() => {
    const [a] = prep("reciprocal", [x], "inexact");
    return lax.div(constLike(a, 1), a);
  });
}

// ---- sign, magnitude -----------------------------------------------------------------

/** -x. Integers wrap (negative(INT_MIN) == INT_MIN, unsigned wrap modulo 2^bits); bool is an error. */
export function negative(x: X): ArrayBase {
  return scoped(() => {
    const [a] = prep("negative", [x]);
    requireKinds("negative", a.dtype, ["int", "float"], "use logicalNot or invert for booleans");
    return lax.neg(a);
  });
}

/** +x: the input itself. */
export function positive(x: X): ArrayBase {
  return arg("positive", x);
}

/** |x|. Unsigned ints and bools are returned unchanged; abs(INT_MIN) == INT_MIN (wraps). */
export function absolute(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("absolute", x);
    return isBool(a.dtype) || isUnsigned(a.dtype) ? a : lax.abs(a);
  });
}

/** Alias of absolute. */
export function abs(x: X): ArrayBase {
  return absolute(x);
}

/** |x| in floating point (ints become the default float). */
export function fabs(x: X): ArrayBase {
  return scoped(() => lax.abs(prep("fabs", [x], "inexact")[0]));
}

/** -1, 0 or 1 (NaN for NaN; unsigned: 0 or 1). Booleans are refused, as in JAX. */
export function sign(x: X): ArrayBase {
  return scoped(() => {
    const [a] = prep("sign", [x]);
    requireKinds("sign", a.dtype, ["int", "float"], "convert booleans with astype first");
    return lax.sign(a);
  });
}

// ---- extrema ----------------------------------------------------------------------

/** Elementwise maximum; NaN propagates. */
export function maximum(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("maximum", [x, y]);
    return lax.max(a, b);
  });
}

/** Elementwise minimum; NaN propagates. */
export function minimum(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("minimum", [x, y]);
    return lax.min(a, b);
  });
}

/** Elementwise maximum ignoring NaN (NaN only where both are NaN). */
export function fmax(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("fmax", [x, y]);
    return lax.select(lax.or(lax.gt(a, b), isNanAny(b)), a, b);
  });
}

/** Elementwise minimum ignoring NaN (NaN only where both are NaN). */
export function fmin(x: X, y: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("fmin", [x, y]);
    return lax.select(lax.or(lax.lt(a, b), isNanAny(b)), a, b);
  });
}

/**
 * Clips x to [min, max]: `maximum(min, x)` then `minimum(max, x)` as JAX computes it (so NaN
 * propagates, and the result dtype is the promotion of x with the bounds). Either bound may
 * be null/undefined. Also `clip(x, { min, max })`.
 */
export function clip(x: X, min?: X | null | { min?: X | null; max?: X | null }, max?: X | null): ArrayBase {
  return scoped(() => {
    if (isOptions(min)) {
      const o = min as { min?: X | null; max?: X | null };
      for (const k of Object.keys(o)) {
        if (k !== "min" && k !== "max") throw new TypeError(`clip: unknown option ${JSON.stringify(k)} (expected min, max)`);
      }
      max = o.max;
      min = o.min;
    }
    let out: ArrayBase = arg("clip", x);
    if (min !== null && min !== undefined) {
      const [lo, a] = prep("clip", [min, out]);
      out = lax.max(lo, a);
    }
    if (max !== null && max !== undefined) {
      const [hi, a] = prep("clip", [max, out]);
      out = lax.min(hi, a);
    }
    return out;
  });
}
