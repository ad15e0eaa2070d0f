// Internal helpers of the ufunc files (ufuncs.ts, ufuncs_math.ts, ufuncs_int.ts,
// ufuncs_logic.ts). Not re-exported from ts/numpy/index.ts, so none of this becomes a numpy
// function or an Array method.
//
// Everything here binds lax primitives on operands that already have one dtype and one shape
// (after promotion and broadcasting), so the compositions trace unchanged under jit/grad/vmap.
import { Array } from "../array/array.js";
import { ArrayBase } from "../array/base.js";
import { defaultFloat, isBool, isFloat, isInteger, isUnsigned, type DType } from "../array/dtype.js";
import { resultType, type TypeInfo } from "../array/promotion.js";
import type { Primitive } from "../core/primitive.js";
import { bind1, traceStack, Tracer } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import { defaultBackend } from "../runtime/device.js";
import { fromBytes } from "../runtime/eager.js";
import { handOnScope, pushScope } from "../runtime/buffer.js";
import { tidy } from "../runtime/memory.js";
import { arg, toStorage } from "./convert.js";
import { broadcastArgs, broadcastTo, convertTo } from "./promote.js";

/** What numpy functions take: arrays, JS numbers (weak scalars) and booleans. */
export type X = ArrayBase | number | boolean;

/**
 * Runs a ufunc body and, in eager mode, disposes the intermediates it created (the result
 * and the caller's arrays survive), so synchronous loops over composite ufuncs do not pile
 * up garbage until the finalizers run. Under a transformation nothing is disposed here (a
 * trace may still hold the constants), but when the result is traced, the concrete arrays
 * the call made (weak scalars, their conversions) are handed to the transformation as its
 * own: an eager grad/vmap frees them when it returns (ts/transforms/common.ts).
 */
export function scoped<T>(fn: () => T): T {
  if (!traceStack.length) return tidy(fn);
  pushScope();
  let result: T | undefined;
  const user = new Set<Array>();
  let traced = false;
  try {
    result = fn();
    traced = hasTracer(result);
    if (traced) collect(result, user);
  } finally {
    handOnScope(user as Set<never>, traced);
  }
  return result as T;
}

function hasTracer(x: unknown): boolean {
  if (x instanceof Tracer) return true;
  return globalThis.Array.isArray(x) && x.some(hasTracer);
}

function collect(x: unknown, out: Set<Array>): void {
  if (x instanceof Array) out.add(x);
  else if (globalThis.Array.isArray(x)) x.forEach((y) => collect(y, out));
}

// ---- promotion -------------------------------------------------------------------------

export type PromoteKind = "any" | "numeric" | "inexact";

/** The promoted type of the operands (jnp's promote_dtypes / _numeric / _inexact). */
export function promotedType(arrs: ArrayBase[], kind: PromoteKind = "any"): TypeInfo {
  const t = arrs.length === 1 ? { dtype: arrs[0].dtype, weak: arrs[0].weakType } : resultType(...arrs.map((a) => ({ dtype: a.dtype, weak: a.weakType })));
  if (kind === "numeric" && isBool(t.dtype)) return { dtype: "int32", weak: false };
  if (kind === "inexact" && !isFloat(t.dtype)) return { dtype: defaultFloat(), weak: t.weak };
  return t;
}

/** Converts JS values, promotes to one dtype (without broadcasting). */
export function promote(fn: string, xs: unknown[], kind: PromoteKind = "any"): ArrayBase[] {
  const arrs = xs.map((x) => arg(fn, x));
  const t = promotedType(arrs, kind);
  return arrs.map((a) => convertTo(a, t.dtype, t.weak));
}

/** promote, then broadcast to the common shape: operands ready for a lax op. */
export function prep(fn: string, xs: unknown[], kind: PromoteKind = "any"): ArrayBase[] {
  return broadcastArgs(fn, promote(fn, xs, kind));
}

/** Broadcasts already-converted arrays to their common shape. */
export { broadcastArgs, broadcastTo, convertTo };

// ---- dtype checks ---------------------------------------------------------------------

type Kind = "float" | "int" | "bool";
const kindName: Record<Kind, string> = { float: "floating", int: "integer", bool: "bool" };

/** Throws a TypeError naming fn unless dtype is of one of the kinds. */
export function requireKinds(fn: string, dtype: DType, kinds: Kind[], hint = ""): void {
  const ok = (kinds.includes("float") && isFloat(dtype)) || (kinds.includes("int") && isInteger(dtype)) || (kinds.includes("bool") && isBool(dtype));
  if (!ok) {
    throw new TypeError(`${fn}: takes ${kinds.map((k) => kindName[k]).join(" or ")} inputs, got ${dtype}${hint ? `; ${hint}` : ""}`);
  }
}

export { isBool, isFloat, isInteger, isUnsigned };

// ---- constants --------------------------------------------------------------------------

/** A constant with the dtype (default: like's), weak flag and shape of `like`. */
export function constLike(like: ArrayBase, value: number | boolean, dtype: DType = like.dtype, weak = like.weakType): ArrayBase {
  const backend = like instanceof Array ? like._backend : defaultBackend();
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  const c = fromBytes(toStorage([v], dtype), [], dtype, weak && !isBool(dtype), backend);
  return like.shape.length ? broadcastTo(c, like.shape) : c;
}

/** Largest finite value of a float dtype, and the smallest normal. */
export const FINFO: Record<string, { max: number; tiny: number; nmant: number; nexp: number; minexp: number }> = {
  float16: { max: 65504, tiny: 2 ** -14, nmant: 10, nexp: 5, minexp: -14 },
  float32: { max: 3.4028234663852886e38, tiny: 2 ** -126, nmant: 23, nexp: 8, minexp: -126 },
  float64: { max: Number.MAX_VALUE, tiny: 2 ** -1022, nmant: 52, nexp: 11, minexp: -1022 },
};

// ---- lax ops on prepared operands ----------------------------------------------------------

const u = (p: Primitive) => (x: ArrayBase): ArrayBase => bind1(p, [x], {});
const b = (p: Primitive) => (x: ArrayBase, y: ArrayBase): ArrayBase => bind1(p, [x, y], {});
const F = E.floatUnaryPrims;

export const lax = {
  neg: u(E.neg_p), abs: u(E.abs_p), sign: u(E.sign_p), floor: u(E.floor_p), ceil: u(E.ceil_p),
  roundEven: u(E.round_even_p), roundAway: u(E.round_away_p), trunc: u(E.trunc_p),
  isFinite: u(E.is_finite_p), isNan: u(E.is_nan_p), isInf: u(E.is_inf_p), signbit: u(E.signbit_p), not: u(E.not_p),
  exp: u(F.exp), exp2: u(F.exp2), expm1: u(F.expm1), log: u(F.log), log2: u(F.log2), log10: u(F.log10),
  log1p: u(F.log1p), sqrt: u(F.sqrt), cbrt: u(F.cbrt), sin: u(F.sin), cos: u(F.cos), tan: u(F.tan),
  asin: u(F.asin), acos: u(F.acos), atan: u(F.atan), sinh: u(F.sinh), cosh: u(F.cosh), tanh: u(F.tanh),
  asinh: u(F.asinh), acosh: u(F.acosh), atanh: u(F.atanh),
  add: b(E.add_p), sub: b(E.sub_p), mul: b(E.mul_p), div: b(E.div_p), rem: b(E.rem_p), pow: b(E.pow_p),
  atan2: b(E.atan2_p), copysign: b(E.copysign_p), max: b(E.max_p), min: b(E.min_p),
  and: b(E.and_p), or: b(E.or_p), xor: b(E.xor_p),
  shl: b(E.shift_left_p), shrArith: b(E.shift_right_arithmetic_p), shrLogical: b(E.shift_right_logical_p),
  eq: b(E.eq_p), ne: b(E.ne_p), lt: b(E.lt_p), le: b(E.le_p), gt: b(E.gt_p), ge: b(E.ge_p),
  /** pred ? onTrue : onFalse (pred bool; onTrue/onFalse one dtype; all one shape). */
  select: (pred: ArrayBase, onTrue: ArrayBase, onFalse: ArrayBase): ArrayBase => bind1(E.select_n_p, [pred, onFalse, onTrue], {}),
  convert: (x: ArrayBase, dtype: DType, weak = false): ArrayBase => convertTo(x, dtype, weak),
  bitcast: (x: ArrayBase, dtype: DType): ArrayBase => bind1(E.bitcast_convert_type_p, [x], { newDtype: dtype }),
  integerPow: (x: ArrayBase, y: number): ArrayBase => bind1(E.integer_pow_p, [x], { y }),
};

/** x != 0 for non-bool x (jnp's _to_bool). */
export function toBool(x: ArrayBase): ArrayBase {
  return isBool(x.dtype) ? x : lax.ne(x, constLike(x, 0));
}

/** isnan that is false for integers and bools. */
export function isNanAny(x: ArrayBase): ArrayBase {
  return isFloat(x.dtype) ? lax.isNan(x) : constLike(x, false, "bool", false);
}

/** Arguments of the form (x, y, ..., options?) where the options object is optional. */
export function isOptions(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !(v instanceof ArrayBase) && !globalThis.Array.isArray(v) && !ArrayBuffer.isView(v);
}
