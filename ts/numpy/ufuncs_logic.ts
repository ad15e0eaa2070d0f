// jax.numpy comparisons and logic: equal ... greaterEqual, logicalAnd/Or/Xor/Not, where,
// select, isclose, allclose, arrayEqual, arrayEquiv.
import { ArrayBase, methodTable } from "../array/base.js";
import { broadcastShapes } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import { reduce_and_p } from "../lax/reduce.js";
import { arg, asarray, type Nested } from "./convert.js";
import {
  broadcastArgs, constLike, convertTo, isNanAny, isOptions, lax, prep, promote, scoped, toBool, type X,
} from "./ufuncs_util.js";

function comparison(name: string, op: (a: ArrayBase, b: ArrayBase) => ArrayBase): (x: X, y: X) => ArrayBase {
  return (x: X, y: X) => scoped(() => op(...(prep(name, [x, y]) as [ArrayBase, ArrayBase])));
}

/** x == y (NaN is unequal to everything). */
export const equal = comparison("equal", lax.eq);
/** x != y */
export const notEqual = comparison("notEqual", lax.ne);
/** x < y */
export const less = comparison("less", lax.lt);
/** x <= y */
export const lessEqual = comparison("lessEqual", lax.le);
/** x > y */
export const greater = comparison("greater", lax.gt);
/** x >= y */
export const greaterEqual = comparison("greaterEqual", lax.ge);

function logical(name: string, op: (a: ArrayBase, b: ArrayBase) => ArrayBase): (x: X, y: X) => ArrayBase {
  return (x: X, y: X) =>
    scoped(() => {
      const [a, b] = prep(name, [x, y]);
      return op(toBool(a), toBool(b));
    });
}

/** Truth (x != 0) of both. */
export const logicalAnd = logical("logicalAnd", lax.and);
/** Truth (x != 0) of either. */
export const logicalOr = logical("logicalOr", lax.or);
/** Truth (x != 0) of exactly one. */
export const logicalXor = logical("logicalXor", lax.xor);

/** x == 0 as bool. */
export function logicalNot(x: X): ArrayBase {
  return scoped(() => lax.not(toBool(prep("logicalNot", [x])[0])));
}

// ---- where, select ---------------------------------------------------------------------

/** where(condition, x, y) on converted arrays. */
function where3(fn: string, c: ArrayBase, x: ArrayBase, y: ArrayBase): ArrayBase {
  const [xs, ys] = promote(fn, [x, y]);
  const [cb, xb, yb] = broadcastArgs(fn, [toBool(c), xs, ys]);
  return lax.select(cb, xb, yb);
}

export interface WhereOptions {
  size?: number;
  fillValue?: X | X[];
}

/**
 * where(condition, x, y): x where condition is true (non-zero), else y; the three are
 * broadcast together and x, y promoted. where(condition) (optionally with { size, fillValue })
 * is nonzero(condition).
 */
export function where(condition: X, x: X, y: X): ArrayBase;
export function where(condition: X, options?: WhereOptions): ArrayBase[];
export function where(condition: X, x?: X | WhereOptions, y?: X): ArrayBase | ArrayBase[] {
  if (x === undefined || isOptions(x)) {
    if (y !== undefined) {
      throw new TypeError("where: either both or neither of x and y must be given; got y without x");
    }
    const nonzero = methodTable.nonzero;
    if (!nonzero) {
      throw new Error("where: the one-argument form is nonzero(condition), which is not available in this build; pass x and y");
    }
    return x === undefined ? nonzero(arg("where", condition)) : nonzero(arg("where", condition), x);
  }
  if (y === undefined) {
    throw new TypeError("where: either both or neither of x and y must be given; got x without y");
  }
  return scoped(() => where3("where", arg("where", condition), arg("where", x as X), arg("where", y)));
}

/**
 * np.select(condlist, choicelist, default = 0): for each element, the choice of the first
 * true (non-zero) condition, else `default`. All are broadcast together; the choices and the
 * default are promoted to one dtype.
 */
export function select(condlist: X[], choicelist: X[], defaultValue: X = 0): ArrayBase {
  if (!globalThis.Array.isArray(condlist) || !globalThis.Array.isArray(choicelist)) {
    throw new TypeError("select: condlist and choicelist must be lists of arrays (JS arrays)");
  }
  if (condlist.length !== choicelist.length) {
    throw new RangeError(`select: condlist must have length equal to choicelist (${condlist.length} vs ${choicelist.length})`);
  }
  if (condlist.length === 0) throw new RangeError("select: condlist must be non-empty");
  return scoped(() => {
    const conds = condlist.map((c) => toBool(arg("select", c)));
    const choices = promote("select", [defaultValue, ...choicelist]);
    const all = broadcastArgs("select", [...conds, ...choices]);
    const n = conds.length;
    // The first true condition wins: fold from the last choice back to the first.
    let out = all[n];
    for (let i = n - 1; i >= 0; i--) out = lax.select(all[i], all[n + 1 + i], out);
    return out;
  });
}

// ---- closeness and equality -------------------------------------------------------------

/** lax.reduce_and over every axis (a 0-d bool). */
function allTrue(x: ArrayBase): ArrayBase {
  if (x.ndim === 0) return x;
  return bind1(reduce_and_p, [x], { axes: x.shape.map((_, i) => i) });
}

export interface IsCloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: X;
  /** Absolute tolerance (default 1e-8). */
  atol?: X;
  /** Whether NaN compares equal to NaN (default false). */
  equalNan?: boolean;
}

function closeArgs(fn: string, rtol: X | IsCloseOptions | undefined, atol: X | undefined, equalNan: boolean | undefined): Required<IsCloseOptions> {
  if (isOptions(rtol)) {
    const o = rtol as IsCloseOptions;
    for (const k of Object.keys(o)) {
      if (!["rtol", "atol", "equalNan"].includes(k)) throw new TypeError(`${fn}: unknown option ${JSON.stringify(k)} (expected rtol, atol, equalNan)`);
    }
    return { rtol: o.rtol ?? 1e-5, atol: o.atol ?? 1e-8, equalNan: o.equalNan ?? false };
  }
  return { rtol: (rtol as X | undefined) ?? 1e-5, atol: atol ?? 1e-8, equalNan: equalNan ?? false };
}

function iscloseImpl(fn: string, x: X, y: X, o: Required<IsCloseOptions>): ArrayBase {
  const [a, b] = prep(fn, [x, y], "inexact");
  const dt = a.dtype;
  const tol = (v: X): ArrayBase =>
    v instanceof ArrayBase ? convertTo(v, dt, false) : constLike(a, Number(v), dt, false);
  const [rtol, atol, a2, b2] = broadcastArgs(fn, [tol(o.rtol), tol(o.atol), a, b]);
  const inRange = lax.le(lax.abs(lax.sub(a2, b2)), lax.add(atol, lax.mul(rtol, lax.abs(b2))));
  let out = lax.or(lax.eq(a2, b2), lax.and(lax.isFinite(b2), inRange));
  if (o.equalNan) out = lax.or(out, lax.and(lax.isNan(a2), lax.isNan(b2)));
  return out;
}

/**
 * |a - b| <= atol + rtol * |b| elementwise (NumPy's formula, not symmetric), computed in the
 * promoted floating dtype; equal infinities are close, NaNs only with equalNan.
 * `isclose(a, b, { rtol, atol, equalNan })` or positionally `isclose(a, b, rtol, atol, equalNan)`.
 */
export function isclose(a: X, b: X, rtol?: X | IsCloseOptions, atol?: X, equalNan?: boolean): ArrayBase {
  return scoped(() => iscloseImpl("isclose", a, b, closeArgs("isclose", rtol, atol, equalNan)));
}

/** All of isclose(a, b, ...): a 0-d bool array. */
export function allclose(a: X, b: X, rtol?: X | IsCloseOptions, atol?: X, equalNan?: boolean): ArrayBase {
  return scoped(() => allTrue(iscloseImpl("allclose", a, b, closeArgs("allclose", rtol, atol, equalNan))));
}

/** np.asarray for arrayEqual/arrayEquiv, which (as in JAX) accept lists. */
function asArr(v: unknown): ArrayBase {
  return v instanceof ArrayBase ? v : asarray(v as Nested);
}

/**
 * True (a 0-d bool array) when a1 and a2 have the same shape and equal elements; with
 * equalNan, NaNs in the same places count as equal. `arrayEqual(a, b, true)` or `{ equalNan }`.
 */
export function arrayEqual(a1: X | Nested, a2: X | Nested, equalNan: boolean | { equalNan?: boolean } = false): ArrayBase {
  return scoped(() => {
    const eqNan = typeof equalNan === "object" ? equalNan.equalNan ?? false : equalNan;
    const a = asArr(a1);
    const b = asArr(a2);
    if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) return asarray(false);
    let eq = lax.eq(...(prep("arrayEqual", [a, b]) as [ArrayBase, ArrayBase]));
    if (eqNan) eq = lax.or(eq, lax.and(isNanAny(a), isNanAny(b)));
    return allTrue(eq);
  });
}

/** True (0-d bool) when a1 and a2 broadcast together and are equal everywhere. */
export function arrayEquiv(a1: X | Nested, a2: X | Nested): ArrayBase {
  return scoped(() => {
    const a = asArr(a1);
    const b = asArr(a2);
    try {
      broadcastShapes("arrayEquiv", a.shape, b.shape);
    } catch {
      return asarray(false);
    }
    return allTrue(lax.eq(...(prep("arrayEquiv", [a, b]) as [ArrayBase, ArrayBase])));
  });
}
