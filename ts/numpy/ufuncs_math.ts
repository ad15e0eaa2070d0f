// jax.numpy floating-point ufuncs: exponentials and logarithms, trigonometric and hyperbolic
// functions, rounding, classification (isnan, ...), nanToNum, hypot, sinc, logaddexp,
// copysign/signbit, ldexp/frexp, heaviside. Integer and bool inputs promote to the default
// float (float32) unless a function says otherwise; float16 stays float16 (the backend rounds
// each operation to float16).
import type { ArrayBase } from "../array/base.js";
import { defaultFloat, type DType } from "../array/dtype.js";
import type { Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import { stop_gradient_p } from "../lax/structural.js";
import { arg } from "./convert.js";
import {
  broadcastArgs, constLike, convertTo, FINFO, isBool, isFloat, isInteger, isOptions, lax, prep, scoped, type X,
} from "./ufuncs_util.js";

const F = E.floatUnaryPrims;

/** A unary ufunc that promotes to inexact and applies one lax primitive. */
function inexactUnary(name: string, p: Primitive): (x: X) => ArrayBase {
  return (x: X) => scoped(() => bind1(p, prep(name, [x], "inexact"), {}));
}

// ---- exponentials and logarithms -------------------------------------------------------

/** e^x */
export const exp = inexactUnary("exp", F.exp);
/** 2^x */
export const exp2 = inexactUnary("exp2", F.exp2);
/** e^x - 1, accurate near 0. */
export const expm1 = inexactUnary("expm1", F.expm1);
/** Natural logarithm (NaN below 0, -inf at 0). */
export const log = inexactUnary("log", F.log);
/** Base-2 logarithm (a primitive of its own here: see docs/decisions.md). */
export const log2 = inexactUnary("log2", F.log2);
/** Base-10 logarithm (a primitive of its own here: see docs/decisions.md). */
export const log10 = inexactUnary("log10", F.log10);
/** log(1 + x), accurate near 0. */
export const log1p = inexactUnary("log1p", F.log1p);
/** Square root (NaN below 0). */
export const sqrt = inexactUnary("sqrt", F.sqrt);
/** Cube root (real, odd). */
export const cbrt = inexactUnary("cbrt", F.cbrt);

/**
 * log(base^x + base^y) = max + log_base(1 + base^(min - max)), stable. `min - max` rather than
 * `-|x - y|` makes the derivative the softmax weights everywhere, ties included (0.5/0.5, as
 * JAX's custom JVP gives), since max and min split ties the same way. NaN inputs and
 * infinities of the same sign make x - y NaN: then x + y, as JAX.
 */
function logaddexpBase(name: string, x: X, y: X, base2: boolean): ArrayBase {
  return scoped(() => {
    const [a, b] = prep(name, [x, y], "inexact");
    const amax = lax.max(a, b);
    const gap = lax.sub(lax.min(a, b), amax);
    const tail = base2 ? lax.mul(constLike(a, 1 / Math.LN2), lax.log1p(lax.exp2(gap))) : lax.log1p(lax.exp(gap));
    return lax.select(lax.isNan(lax.sub(a, b)), lax.add(a, b), lax.add(amax, tail));
  });
}

/** log(exp(x) + exp(y)), stable; derivatives as JAX's (0.5/0.5 at x == y). */
export function logaddexp(x: X, y: X): ArrayBase {
  return logaddexpBase("logaddexp", x, y, false);
}

/** log2(2^x + 2^y), stable. */
export function logaddexp2(x: X, y: X): ArrayBase {
  return logaddexpBase("logaddexp2", x, y, true);
}

// ---- trigonometry ---------------------------------------------------------------------

export const sin = inexactUnary("sin", F.sin);
export const cos = inexactUnary("cos", F.cos);
export const tan = inexactUnary("tan", F.tan);
export const arcsin = inexactUnary("arcsin", F.asin);
export const arccos = inexactUnary("arccos", F.acos);
export const arctan = inexactUnary("arctan", F.atan);
export const sinh = inexactUnary("sinh", F.sinh);
export const cosh = inexactUnary("cosh", F.cosh);
export const tanh = inexactUnary("tanh", F.tanh);
export const arcsinh = inexactUnary("arcsinh", F.asinh);
export const arccosh = inexactUnary("arccosh", F.acosh);
export const arctanh = inexactUnary("arctanh", F.atanh);
// Array API names, as jnp has them.
export const asin = inexactUnary("asin", F.asin);
export const acos = inexactUnary("acos", F.acos);
export const atan = inexactUnary("atan", F.atan);
export const asinh = inexactUnary("asinh", F.asinh);
export const acosh = inexactUnary("acosh", F.acosh);
export const atanh = inexactUnary("atanh", F.atanh);

/** atan(y / x) in the right quadrant; signed zeros as C's atan2 (atan2(±0, -0) = ±pi). */
export function arctan2(y: X, x: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("arctan2", [y, x], "inexact");
    return lax.atan2(a, b);
  });
}

/** Alias of arctan2. */
export function atan2(y: X, x: X): ArrayBase {
  return arctan2(y, x);
}

function scale(name: string, factor: number): (x: X) => ArrayBase {
  return (x: X) =>
    scoped(() => {
      const [a] = prep(name, [x], "inexact");
      return lax.mul(a, constLike(a, factor));
    });
}

/** Degrees to radians: x * (pi / 180). */
export const deg2rad = scale("deg2rad", Math.PI / 180);
/** Alias of deg2rad. */
export const radians = scale("radians", Math.PI / 180);
/** Radians to degrees: x * (180 / pi). */
export const rad2deg = scale("rad2deg", 180 / Math.PI);
/** Alias of rad2deg. */
export const degrees = scale("degrees", 180 / Math.PI);

/** sqrt(x^2 + y^2) without overflow (JAX's formula); inf if either is ±inf, even with NaN. */
export function hypot(x: X, y: X): ArrayBase {
  return scoped(() => {
    let [a, b] = prep("hypot", [x, y], "inexact");
    a = lax.abs(a);
    b = lax.abs(b);
    const inf = constLike(a, Infinity);
    const anyInf = lax.or(lax.eq(a, inf), lax.eq(b, inf));
    const hi = lax.max(a, b);
    const lo = lax.min(a, b);
    const zero = constLike(hi, 0);
    const hiIsZero = lax.eq(hi, zero);
    const ratio = lax.div(lo, lax.select(hiIsZero, constLike(hi, 1), hi));
    const r = lax.select(hiIsZero, hi, lax.mul(hi, lax.sqrt(lax.add(constLike(hi, 1), lax.mul(ratio, ratio)))));
    return lax.select(anyInf, inf, r);
  });
}

/**
 * sin(pi x) / (pi x), with sinc(0) = 1 and sinc(±inf) = 0. At 0 the value comes from the
 * Maclaurin polynomial (evaluated at 0 elsewhere, so it costs nothing there), whose derivatives
 * at 0 are exact up to order 9: grad is 0 and the second derivative -pi^2/3, as JAX's rule.
 */
export function sinc(x: X): ArrayBase {
  return scoped(() => {
    const [a] = prep("sinc", [x], "inexact");
    const zero = constLike(a, 0);
    const isZero = lax.eq(a, zero);
    const isInf = lax.eq(lax.abs(a), constLike(a, Infinity));
    const piX = lax.mul(constLike(a, Math.PI), a);
    const safe = lax.select(lax.or(isZero, isInf), constLike(a, 1), piX);
    // 1 - z/3! + z^2/5! - z^3/7! + z^4/9!, z = (pi x)^2, at x where x == 0 (else at 0).
    const atZero = lax.mul(constLike(a, Math.PI), lax.select(isZero, a, zero));
    const z = lax.mul(atZero, atZero);
    let poly = constLike(a, 1 / 362880);
    for (const k of [-1 / 5040, 1 / 120, -1 / 6, 1]) poly = lax.add(constLike(a, k), lax.mul(poly, z));
    const r = lax.select(isZero, poly, lax.div(lax.sin(safe), safe));
    return lax.select(isInf, zero, r);
  });
}

// ---- rounding ------------------------------------------------------------------------

/** Largest integer <= x (ints and bools are returned unchanged). */
export function floor(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("floor", x);
    return isFloat(a.dtype) ? lax.floor(a) : a;
  });
}

/** Smallest integer >= x (ints and bools are returned unchanged). */
export function ceil(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("ceil", x);
    return isFloat(a.dtype) ? lax.ceil(a) : a;
  });
}

/** Rounds toward zero (ints and bools unchanged). */
export function trunc(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("trunc", x);
    return isFloat(a.dtype) ? lax.trunc(a) : a;
  });
}

/** Rounds toward zero: floor for x >= 0, ceil otherwise (same values as trunc). */
export function fix(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("fix", x);
    return isFloat(a.dtype) ? lax.trunc(a) : a;
  });
}

/** Rounds to the nearest integer, half to even. Ints and bools become the default float. */
export function rint(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("rint", x);
    return isFloat(a.dtype) ? lax.roundEven(a) : convertTo(a, defaultFloat(), false);
  });
}

function decimalsArg(fn: string, d: unknown): number {
  const v = isOptions(d) ? (d as { decimals?: unknown }).decimals ?? 0 : d ?? 0;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    const what = typeof v === "object" && v !== null && "shape" in v ? "an array (decimals must be a static JS integer, also under jit)" : String(v);
    throw new TypeError(`${fn}: decimals must be an integer, got ${what}`);
  }
  return v;
}

/**
 * Rounds half to even, to `decimals` decimal places (JAX's formula:
 * round_even(x * 10^d) / 10^d in the input's dtype, float16 in float32). Integers are
 * returned unchanged (decimals < 0 is not implemented for them, as in JAX).
 * `round(x, 2)` or `round(x, { decimals: 2 })`.
 */
export function round(x: X, decimals?: number | { decimals?: number }): ArrayBase {
  return scoped(() => {
    const d = decimalsArg("round", decimals);
    const a = arg("round", x);
    if (isBool(a.dtype)) throw new TypeError("round: bool inputs are not supported; convert with astype first");
    if (isInteger(a.dtype)) {
      if (d < 0) throw new Error(`round: integer rounding with decimals < 0 (${d}) is not implemented (as in JAX); convert to float first`);
      return a;
    }
    if (d === 0) return lax.roundEven(a);
    if (d > Math.log10(FINFO[a.dtype].max)) return a;
    const work: DType = a.dtype === "float16" ? "float32" : a.dtype;
    const v = convertTo(a, work, a.weakType);
    const factor = constLike(v, 10 ** d);
    const out = lax.div(lax.roundEven(lax.mul(v, factor)), factor);
    return convertTo(out, a.dtype, a.weakType);
  });
}

/** Alias of round. */
export function around(x: X, decimals?: number | { decimals?: number }): ArrayBase {
  return round(x, decimals);
}

// ---- classification --------------------------------------------------------------------

const falseLike = (a: ArrayBase) => constLike(a, false, "bool", false);

/** True where x is NaN (always false for ints and bools). */
export function isnan(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("isnan", x);
    return isFloat(a.dtype) ? lax.isNan(a) : falseLike(a);
  });
}

/** True where x is ±inf. */
export function isinf(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("isinf", x);
    return isFloat(a.dtype) ? lax.isInf(a) : falseLike(a);
  });
}

/** True where x is neither NaN nor ±inf (always true for ints and bools). */
export function isfinite(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("isfinite", x);
    return isFloat(a.dtype) ? lax.isFinite(a) : constLike(a, true, "bool", false);
  });
}

/** True where x is +inf. */
export function isposinf(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("isposinf", x);
    return isFloat(a.dtype) ? lax.eq(a, constLike(a, Infinity)) : falseLike(a);
  });
}

/** True where x is -inf. */
export function isneginf(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("isneginf", x);
    return isFloat(a.dtype) ? lax.eq(a, constLike(a, -Infinity)) : falseLike(a);
  });
}

export interface NanToNumOptions {
  copy?: boolean;
  /** Replacement for NaN (default 0). */
  nan?: X;
  /** Replacement for +inf (default: the dtype's largest finite value). */
  posinf?: X | null;
  /** Replacement for -inf (default: the dtype's most negative finite value). */
  neginf?: X | null;
}

/**
 * Replaces NaN by `nan` (0), +inf by `posinf` and -inf by `neginf` (by default the largest
 * and most negative finite values of x's dtype). Ints and bools are returned unchanged.
 * `nanToNum(x, { nan, posinf, neginf })` or NumPy's positional `nanToNum(x, copy, nan, posinf, neginf)`.
 */
export function nanToNum(x: X, opts?: NanToNumOptions | boolean, nan?: X, posinf?: X | null, neginf?: X | null): ArrayBase {
  return scoped(() => {
    let o: NanToNumOptions = {};
    if (isOptions(opts)) {
      o = opts as NanToNumOptions;
      for (const k of Object.keys(o)) {
        if (!["copy", "nan", "posinf", "neginf"].includes(k)) throw new TypeError(`nanToNum: unknown option ${JSON.stringify(k)} (expected copy, nan, posinf, neginf)`);
      }
    } else if (opts !== undefined && typeof opts !== "boolean") {
      throw new TypeError("nanToNum: the second argument is `copy` (a boolean) or an options object { nan, posinf, neginf }");
    } else {
      o = { nan, posinf, neginf };
    }
    const a = arg("nanToNum", x);
    if (!isFloat(a.dtype)) return a;
    const info = FINFO[a.dtype];
    const fill = (v: X | null | undefined, dflt: number): ArrayBase => {
      const c = typeof v === "number" || typeof v === "boolean" || v === null || v === undefined
        ? constLike(a, v === null || v === undefined ? dflt : Number(v), a.dtype, false)
        : convertTo(arg("nanToNum", v), a.dtype, false);
      return c;
    };
    let out = a;
    const sel = (mask: (v: ArrayBase) => ArrayBase, v: ArrayBase) => {
      const [m, val, cur] = broadcastArgs("nanToNum", [mask(out), v, out]);
      out = lax.select(m, val, convertTo(cur, a.dtype, false));
    };
    sel((v) => lax.isNan(v), fill(o.nan, 0));
    sel((v) => lax.eq(v, constLike(v, Infinity)), fill(o.posinf, info.max));
    sel((v) => lax.eq(v, constLike(v, -Infinity)), fill(o.neginf, -info.max));
    return out;
  });
}

// ---- signs and exponents ---------------------------------------------------------------

/** |x1| with the sign of x2 (floating; ints promote to the default float). */
export function copysign(x1: X, x2: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("copysign", [x1, x2], "inexact");
    // JAX's formula (not lax.copysign): the derivative is abs's, so 1 at x1 = -0 for a positive x2.
    const m = lax.abs(a);
    return lax.select(lax.signbit(b), lax.neg(m), m);
  });
}

/** True where the sign bit is set (-0 and negative NaNs included); ints: x < 0; bools: false. */
export function signbit(x: X): ArrayBase {
  return scoped(() => {
    const a = arg("signbit", x);
    if (isBool(a.dtype)) return falseLike(a);
    if (isInteger(a.dtype)) return lax.lt(a, constLike(a, 0));
    return lax.signbit(a);
  });
}

/** 0 where x1 < 0, 1 where x1 > 0, x2 where x1 == 0 (NaN stays NaN). */
export function heaviside(x1: X, x2: X): ArrayBase {
  return scoped(() => {
    const [a, b] = prep("heaviside", [x1, x2], "inexact");
    const zero = constLike(a, 0);
    const inner = lax.select(lax.isNan(a), a, b);
    return lax.select(lax.lt(a, zero), zero, lax.select(lax.gt(a, zero), constLike(a, 1), inner));
  });
}

const INT_OF: Partial<Record<DType, DType>> = { float16: "int16", float32: "int32" };

/**
 * frexp without integer bit manipulation (for float64: there is no int64 here). |x| is brought
 * into [1, 2) by exact multiplications with powers of two, greedily by 2^512, 2^256, ..., 2^1,
 * first down from above 2, then up from below 1 (subnormals are scaled by 2^54 first). The
 * mantissa carries no derivative, as the bitcast in JAX's frexp (and so in its ldexp).
 */
function frexpByScaling(a: ArrayBase): [ArrayBase, ArrayBase] {
  const info = FINFO[a.dtype];
  const special = lax.or(lax.or(lax.isInf(a), lax.isNan(a)), lax.eq(a, constLike(a, 0)));
  let m = lax.select(special, constLike(a, 1), lax.abs(a));
  const sub = lax.lt(m, constLike(a, info.tiny));
  m = lax.select(sub, lax.mul(m, constLike(a, 2 ** 54)), m);
  let e = lax.select(sub, constLike(a, -54), constLike(a, 0));
  for (let k = 512; k >= 1; k /= 2) {
    const big = lax.ge(m, constLike(a, 2 ** k));
    m = lax.select(big, lax.mul(m, constLike(a, 2 ** -k)), m);
    e = lax.select(big, lax.add(e, constLike(a, k)), e);
  }
  for (let k = 512; k >= 1; k /= 2) {
    const small = lax.lt(m, constLike(a, 2 ** (1 - k)));
    m = lax.select(small, lax.mul(m, constLike(a, 2 ** k)), m);
    e = lax.select(small, lax.sub(e, constLike(a, k)), e);
  }
  // m in [1, 2): the mantissa is m / 2 with x's sign, the exponent e + 1.
  const half = lax.mul(m, constLike(a, 0.5));
  const signed = bind1(stop_gradient_p, [lax.select(lax.signbit(a), lax.neg(half), half)], {});
  const e32 = convertTo(lax.select(special, constLike(e, 0), lax.add(e, constLike(e, 1))), "int32", false);
  return [lax.select(special, a, signed), e32];
}

function frexpImpl(fn: string, a: ArrayBase): [ArrayBase, ArrayBase] {
  const it = INT_OF[a.dtype];
  if (!it) return frexpByScaling(a);
  const info = FINFO[a.dtype];
  const mask = (1 << info.nexp) - 1;
  const bias = 1 - info.minexp;
  // Subnormals: scale by 2^nmant first and remember the exponent offset.
  const sub = lax.lt(lax.abs(a), constLike(a, info.tiny));
  const scaled = lax.select(sub, lax.mul(a, constLike(a, 2 ** info.nmant)), a);
  let e = lax.select(sub, constLike(a, -info.nmant, it, false), constLike(a, 0, it, false));
  let bits = lax.bitcast(scaled, it);
  const biased = lax.and(lax.shrArith(bits, constLike(bits, info.nmant)), constLike(bits, mask));
  e = lax.add(e, lax.add(biased, constLike(bits, 1 - bias)));
  bits = lax.and(bits, constLike(bits, ~(mask << info.nmant)));
  bits = lax.or(bits, constLike(bits, (bias - 1) << info.nmant));
  const m = lax.bitcast(bits, a.dtype);
  const special = lax.or(lax.or(lax.isInf(a), lax.isNan(a)), lax.eq(a, constLike(a, 0)));
  const e32 = convertTo(lax.select(special, constLike(e, 0), e), "int32", false);
  return [convertTo(lax.select(special, a, m), a.dtype, false), e32];
}

/**
 * Splits x into [mantissa, exponent] with x = mantissa * 2^exponent, 0.5 <= |mantissa| < 1
 * (mantissa in x's float dtype, exponent int32). 0, ±inf and NaN give [x, 0].
 */
export function frexp(x: X): [ArrayBase, ArrayBase] {
  return scoped(() => frexpImpl("frexp", prep("frexp", [x], "inexact")[0]));
}

/** x1 * 2^x2 for an integer x2 (JAX's algorithm: frexp, then one power of two). */
export function ldexp(x1: X, x2: X): ArrayBase {
  return scoped(() => {
    const xa = arg("ldexp", x1);
    const ea = arg("ldexp", x2);
    if (isFloat(ea.dtype)) {
      throw new TypeError(`ldexp: the exponent must be an integer array or number, got ${ea.dtype}; round and convert it first`);
    }
    const [a0] = prep("ldexp", [xa], "inexact");
    const [a, ex] = broadcastArgs("ldexp", [a0, convertTo(ea, a0.dtype, ea.weakType)]);
    const [m0, e0] = frexpImpl("ldexp", a);
    let e = lax.add(convertTo(e0, a.dtype, false), convertTo(ex, a.dtype, false));
    const zero = constLike(e, 0);
    const pos = lax.gt(e, zero);
    const m = lax.select(pos, lax.mul(m0, constLike(m0, 2)), m0);
    e = lax.select(pos, lax.sub(e, constLike(e, 1)), e);
    const r = lax.mul(m, lax.pow(constLike(e, 2), e));
    const keep = lax.or(lax.isInf(a), lax.eq(a, constLike(a, 0)));
    return lax.select(keep, a, r);
  });
}
