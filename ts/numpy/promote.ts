// What every jax.numpy function does to its operands before calling lax: convert JS values,
// promote dtypes (JAX's lattice with weak types), and broadcast shapes (NumPy's rules).
import type { ArrayBase } from "../array/base.js";
import { defaultFloat, isFloat, type DType } from "../array/dtype.js";
import { resultType } from "../array/promotion.js";
import { broadcastShapes, shapeEq } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import { convert_element_type_p } from "../lax/elementwise.js";
import { broadcast_in_dim_p } from "../lax/structural.js";
import { arg } from "./convert.js";

/** Converts to `dtype`, keeping the weak flag (internal promotion). */
export function convertTo(x: ArrayBase, dtype: DType, weak: boolean): ArrayBase {
  if (x.dtype === dtype && x.weakType === weak) return x;
  return bind1(convert_element_type_p, [x], { newDtype: dtype, weakType: weak });
}

/** jnp's promote_dtypes: every operand converted to the result type. */
export function promoteArgs(fn: string, xs: unknown[]): ArrayBase[] {
  const arrs = xs.map((x) => arg(fn, x));
  if (arrs.length === 1) return arrs;
  const t = resultType(...arrs.map((a) => ({ dtype: a.dtype, weak: a.weakType })));
  return arrs.map((a) => convertTo(a, t.dtype, t.weak));
}

/** promote_dtypes_inexact: like promoteArgs, then ints and bools become the default float. */
export function promoteArgsInexact(fn: string, xs: unknown[]): ArrayBase[] {
  const arrs = xs.map((x) => arg(fn, x));
  const t = arrs.length === 1 ? { dtype: arrs[0].dtype, weak: arrs[0].weakType } : resultType(...arrs.map((a) => ({ dtype: a.dtype, weak: a.weakType })));
  const dtype = isFloat(t.dtype) ? t.dtype : defaultFloat();
  return arrs.map((a) => convertTo(a, dtype, t.weak));
}

/** Broadcasts x to `shape` (NumPy rules: align trailing axes). */
export function broadcastTo(x: ArrayBase, shape: number[]): ArrayBase {
  if (shapeEq(x.shape, shape)) return x;
  const lead = shape.length - x.shape.length;
  return bind1(broadcast_in_dim_p, [x], {
    shape,
    broadcastDimensions: x.shape.map((_, i) => i + lead),
  });
}

/** Broadcasts all operands to their common shape. */
export function broadcastArgs(fn: string, xs: ArrayBase[]): ArrayBase[] {
  if (xs.length === 1) return xs;
  if (xs.length === 2 && shapeEq(xs[0].shape, xs[1].shape)) return xs;
  const shape = broadcastShapes(fn, ...xs.map((x) => x.shape));
  return xs.map((x) => broadcastTo(x, shape));
}

/** promote + broadcast: the standard preparation of a ufunc's operands. */
export function prepareArgs(fn: string, xs: unknown[], inexact = false): ArrayBase[] {
  return broadcastArgs(fn, inexact ? promoteArgsInexact(fn, xs) : promoteArgs(fn, xs));
}
