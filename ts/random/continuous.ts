// Continuous samplers built on uniform bits, each JAX's formula (jax/_src/random/core.py)
// applied in the same order to the same bits.
import type { ArrayBase } from "../array/base.js";
import type { DType } from "../array/dtype.js";
import * as lax from "../lax/api.js";
import * as np from "../numpy/index.js";
import { checkShape, fconst, finfo, floatDtype, opts, param, shapeOf, type Num } from "./common.js";
import { erfInvXla } from "./erf_inv.js";
import { checkKey, jitPerMode, normShape, randomBits, split, type Key, type Shape } from "./keys.js";
import { u32s } from "./threefry.js";

export interface UniformOptions {
  dtype?: DType | string;
  minval?: Num;
  maxval?: Num;
}

/**
 * The core of uniform: floats in [0, 1) from the top mantissa bits, then scaled. Runs through
 * a cached jit per shape and dtype, as JAX's samplers do: the bit manipulation and scaling
 * fuse into one kernel after the threefry routine instead of a pass over memory per op.
 */
export function uniformImpl(key: Key, shape: number[], dtype: DType, minval: Num, maxval: Num): ArrayBase {
  // Bounds become arrays of the sample dtype first, so a JS number is rounded once, to dtype.
  return jitPerMode("uniform", () => uniformCore, [3, 4])(key, param(minval, dtype), param(maxval, dtype), shape, dtype);
}

function uniformCore(key: Key, lo: ArrayBase, hi: ArrayBase, shape: number[], dtype: DType): ArrayBase {
  const { bits: nbits, nmant } = finfo(dtype);
  const udt = nbits === 32 ? "uint32" : "uint16";
  const bits = randomBits(key, nbits, shape);
  const oneBits = nbits === 32 ? 0x3f800000 : 0x3c00;
  const shifted = lax.shiftRightLogical(bits, lax.convertElementType(u32s(nbits - nmant, shape), udt));
  const floatBits = lax.bitwiseOr(shifted, lax.convertElementType(u32s(oneBits, shape), udt));
  const floats = lax.sub(lax.bitcastConvertType(floatBits, dtype), fconst(1, dtype, shape));
  return np.maximum(lo, np.add(np.multiply(floats, np.subtract(hi, lo)), lo));
}

/**
 * Uniform floats in [minval, maxval): `uniform(key, shape?, { dtype, minval, maxval })`
 * (or `uniform(key, shape, dtype, minval, maxval)` positionally, as in JAX).
 */
export function uniform(key: Key, shape: Shape = [], o?: UniformOptions | string, minval?: Num, maxval?: Num): ArrayBase {
  const k = checkKey("uniform", key);
  const op = opts<UniformOptions>(o);
  const dtype = floatDtype("uniform", op.dtype);
  const s = normShape("uniform", shape);
  const mn = minval ?? op.minval ?? 0;
  const mx = maxval ?? op.maxval ?? 1;
  checkShape("uniform", s, shapeOf(mn), shapeOf(mx));
  return uniformImpl(k, s, dtype, mn, mx);
}

function erfInv(u: ArrayBase): ArrayBase {
  if (u.dtype === "float32") return erfInvXla(u);
  // XLA evaluates erf_inv of narrower floats in float32.
  return lax.convertElementType(erfInvXla(lax.convertElementType(u, "float32")), u.dtype);
}

export function normalImpl(key: Key, shape: number[], dtype: DType): ArrayBase {
  return jitPerMode("normal", () => normalCore, [1, 2])(key, shape, dtype);
}

function normalCore(key: Key, shape: number[], dtype: DType): ArrayBase {
  const lo = -1 + finfo(dtype).epsneg; // nextafter(-1, 0)
  const u = uniformImpl(key, shape, dtype, lo, 1);
  return lax.mul(fconst(Math.SQRT2, dtype, shape), erfInv(u));
}

/** Standard normal samples: sqrt(2) * erf_inv(uniform(nextafter(-1, 0), 1)). */
export function normal(key: Key, shape: Shape = [], o?: { dtype?: DType | string } | string): ArrayBase {
  const k = checkKey("normal", key);
  return normalImpl(k, normShape("normal", shape), floatDtype("normal", opts(o).dtype));
}

export interface TruncatedNormalOptions {
  shape?: Shape | null;
  dtype?: DType | string;
}

/** Normal samples truncated to (lower, upper), by inverting the CDF on uniform bits. */
export function truncatedNormal(key: Key, lower: Num, upper: Num, shape?: Shape | null, o?: TruncatedNormalOptions | string): ArrayBase {
  const k = checkKey("truncatedNormal", key);
  const op = opts<TruncatedNormalOptions>(o);
  const dtype = floatDtype("truncatedNormal", op.dtype);
  const sh = shape ?? op.shape;
  const s = sh === undefined || sh === null ? np.broadcastShapes(shapeOf(lower), shapeOf(upper)) : normShape("truncatedNormal", sh);
  checkShape("truncatedNormal", s, shapeOf(lower), shapeOf(upper));
  const sqrt2 = fconst(Math.SQRT2, dtype);
  const lo = param(lower, dtype);
  const hi = param(upper, dtype);
  const a = lax.erf(np.divide(lo, sqrt2));
  const b = lax.erf(np.divide(hi, sqrt2));
  const u = uniformImpl(k, s, dtype, a, b);
  const out = np.multiply(sqrt2, erfInv(u));
  const inf = fconst(Infinity, dtype, lo.shape);
  const ninf = fconst(-Infinity, dtype, hi.shape);
  return np.clip(out, lax.nextafter(lax.stopGradient(lo), inf), lax.nextafter(lax.stopGradient(hi), ninf));
}

type DtypeOpt = { dtype?: DType | string } | string;

/** Exponential(1): -log1p(-u). */
export function exponential(key: Key, shape: Shape = [], o?: DtypeOpt): ArrayBase {
  const k = checkKey("exponential", key);
  const dtype = floatDtype("exponential", opts(o).dtype);
  const u = uniformImpl(k, normShape("exponential", shape), dtype, 0, 1);
  return lax.neg(lax.log1p(lax.neg(u)));
}

/** Standard Gumbel: -log(-log(uniform(tiny, 1))) (JAX's default "low" mode). */
export function gumbel(key: Key, shape: Shape = [], o?: { dtype?: DType | string; mode?: "low" } | string): ArrayBase {
  const k = checkKey("gumbel", key);
  const op = opts<{ mode?: string }>(o);
  if (op.mode !== undefined && op.mode !== "low") {
    throw new TypeError(`random.gumbel: only mode "low" (JAX's default) is implemented, got ${JSON.stringify(op.mode)}`);
  }
  const dtype = floatDtype("gumbel", op.dtype);
  return gumbelImpl(k, normShape("gumbel", shape), dtype);
}

export function gumbelImpl(key: Key, shape: number[], dtype: DType): ArrayBase {
  const u = uniformImpl(key, shape, dtype, finfo(dtype).tiny, 1);
  return lax.neg(lax.log(lax.neg(lax.log(u))));
}

/** Standard Laplace: sign(u) * log1p(-|u|), u uniform in (-1 + epsneg, 1). */
export function laplace(key: Key, shape: Shape = [], o?: DtypeOpt): ArrayBase {
  const k = checkKey("laplace", key);
  const dtype = floatDtype("laplace", opts(o).dtype);
  const u = uniformImpl(k, normShape("laplace", shape), dtype, -1 + finfo(dtype).epsneg, 1);
  return lax.mul(lax.sign(u), lax.log1p(lax.neg(lax.abs(u))));
}

/** Standard logistic: log(x) - log1p(-x), x uniform in (tiny, 1). */
export function logistic(key: Key, shape: Shape = [], o?: DtypeOpt): ArrayBase {
  const k = checkKey("logistic", key);
  const dtype = floatDtype("logistic", opts(o).dtype);
  const x = uniformImpl(k, normShape("logistic", shape), dtype, finfo(dtype).tiny, 1);
  return lax.sub(lax.log(x), lax.log1p(lax.neg(x)));
}

/** Standard Cauchy: tan(pi * (u - 0.5)), u uniform in (eps, 1). */
export function cauchy(key: Key, shape: Shape = [], o?: DtypeOpt): ArrayBase {
  const k = checkKey("cauchy", key);
  const dtype = floatDtype("cauchy", opts(o).dtype);
  const s = normShape("cauchy", shape);
  const u = uniformImpl(k, s, dtype, finfo(dtype).eps, 1);
  return lax.tan(lax.mul(fconst(Math.PI, dtype, s), lax.sub(u, fconst(0.5, dtype, s))));
}

export { split };
