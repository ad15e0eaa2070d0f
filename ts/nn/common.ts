// Argument helpers shared by the jax.nn functions.
import { ArrayBase } from "../array/base.js";
import { defaultFloat, isFloat, type DType } from "../array/dtype.js";
import { arg, toStorage } from "../numpy/convert.js";
import { fromBytes } from "../runtime/eager.js";
import { promote } from "../numpy/ufuncs_util.js";

export type ArrayLike = ArrayBase | number | boolean;

/** The argument as an array (JS numbers become weakly typed scalars, as Python scalars). */
export function asArray(fn: string, x: ArrayLike): ArrayBase {
  return arg(`nn.${fn}`, x);
}

/**
 * A weakly typed float scalar: what a Python float literal such as `0.0` is in JAX. A JS
 * number that happens to be integral would otherwise be a weak int, which leaves integer
 * inputs integral where JAX's result is float.
 */
export function weakFloat(v: number): ArrayBase {
  const d = defaultFloat();
  return fromBytes(toStorage([v], d), [], d, true);
}

/** jnp's promote_args_inexact for one argument: ints and bools become the default float. */
export function inexact(fn: string, x: ArrayLike): ArrayBase {
  return promote(`nn.${fn}`, [x], "inexact")[0];
}

/** A (non-weak) scalar constant of `dtype`, as `np.float32(c)` in JAX's source. */
export function constOf(v: number, dtype: DType): ArrayBase {
  return fromBytes(toStorage([v], dtype), [], dtype, false);
}

export function requireFloat(fn: string, x: ArrayBase): void {
  if (!isFloat(x.dtype)) {
    throw new TypeError(`nn.${fn}: expects a float array, got dtype ${x.dtype} (shape [${x.shape}]); convert with x.astype("float32")`);
  }
}
