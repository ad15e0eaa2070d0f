// Samplers with matrix structure: multivariateNormal (Cholesky factor), orthogonal (QR of a
// normal matrix) and ball (uniform in the unit Lp ball). edgejax has no linalg module, so
// the two small factorizations they need are written here with lax ops over static loops.
import type { ArrayBase } from "../array/base.js";
import type { DType } from "../array/dtype.js";
import * as lax from "../lax/api.js";
import * as np from "../numpy/index.js";
import { checkShape, fconst, floatDtype, opts, param } from "./common.js";
import { normalImpl, uniformImpl } from "./continuous.js";
import { gamma } from "./gamma.js";
import { checkKey, normShape, split, type Key, type Shape } from "./keys.js";

const row = (keys: ArrayBase, j: number): ArrayBase => lax.reshape(lax.slice(keys, [j, 0], [j + 1, 2]), [2]);

/** Column j of x along the last axis (drops that axis). */
function col(x: ArrayBase, j: number): ArrayBase {
  return lax.squeeze(lax.sliceInDim(x, j, j + 1, 1, x.ndim - 1), [x.ndim - 1]);
}

/**
 * Lower Cholesky factor of symmetric positive definite matrices [..., n, n] (the input is
 * symmetrized first, as jnp.linalg.cholesky does); NaN where a matrix is not positive definite.
 */
export function cholesky(a: ArrayBase): ArrayBase {
  const n = a.shape[a.ndim - 1];
  const perm = a.shape.map((_, i) => i);
  [perm[a.ndim - 2], perm[a.ndim - 1]] = [perm[a.ndim - 1], perm[a.ndim - 2]];
  const sym = np.divide(np.add(a, lax.transpose(a, perm)), fconst(2, a.dtype));
  const rowIdx = lax.broadcastedIota("int32", [n], 0);
  const cols: ArrayBase[] = [];
  for (let j = 0; j < n; j++) {
    let v = col(sym, j); // [..., n]
    for (let k = 0; k < j; k++) v = np.subtract(v, np.multiply(cols[k], np.expandDims(col(cols[k], j), -1)));
    const ljj = np.sqrt(col(v, j));
    const c = np.divide(v, np.expandDims(ljj, -1));
    cols.push(np.where(np.greaterEqual(rowIdx, np.asarray(j, "int32")), c, fconst(0, a.dtype)));
  }
  return np.stack(cols, -1);
}

/** Q of the reduced QR factorization of [..., m, n] (m >= n) with R's diagonal made positive. */
function orthonormalColumns(z: ArrayBase): ArrayBase {
  const n = z.shape[z.ndim - 1];
  const qs: ArrayBase[] = [];
  for (let j = 0; j < n; j++) {
    let v = col(z, j);
    // Classical Gram-Schmidt applied twice ("CGS2") keeps Q orthogonal to working precision.
    for (let pass = 0; pass < 2; pass++) {
      for (const q of qs) v = np.subtract(v, np.multiply(q, np.sum(np.multiply(q, v), { axis: -1, keepdims: true })));
    }
    qs.push(np.divide(v, np.sqrt(np.sum(np.multiply(v, v), { axis: -1, keepdims: true }))));
  }
  return np.stack(qs, -1);
}

export interface MultivariateNormalOptions {
  shape?: Shape | null;
  dtype?: DType | string;
  method?: "cholesky";
}

/** Samples of N(mean, cov): mean + L z with L the Cholesky factor of cov. */
export function multivariateNormal(key: Key, mean: ArrayBase, cov: ArrayBase, o: MultivariateNormalOptions | Shape = {}): ArrayBase {
  const k = checkKey("multivariateNormal", key);
  const op: MultivariateNormalOptions = typeof o === "number" || Array.isArray(o) ? { shape: o } : o;
  if ((op.method ?? "cholesky") !== "cholesky") {
    throw new TypeError(`random.multivariateNormal: only method "cholesky" is implemented (edgejax has no svd/eigh), got ${JSON.stringify(op.method)}`);
  }
  const dtype = floatDtype("multivariateNormal", op.dtype);
  const m = param(mean, dtype);
  const c = param(cov, dtype);
  if (m.ndim < 1) throw new TypeError(`random.multivariateNormal: mean must have at least one dimension, got shape [${m.shape}]`);
  if (c.ndim < 2) throw new TypeError(`random.multivariateNormal: cov must have at least two dimensions, got shape [${c.shape}]`);
  const n = m.shape[m.ndim - 1];
  if (c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n) {
    throw new TypeError(`random.multivariateNormal: cov must have shape [..., ${n}, ${n}] for mean of shape [${m.shape}], got [${c.shape}]`);
  }
  const batch = np.broadcastShapes(m.shape.slice(0, -1), c.shape.slice(0, -2));
  const s = op.shape === undefined || op.shape === null ? batch : normShape("multivariateNormal", op.shape);
  checkShape("multivariateNormal", s, m.shape.slice(0, -1), c.shape.slice(0, -2));
  const factor = cholesky(c);
  const z = normalImpl(k, [...s, n], dtype);
  return np.add(m, np.einsum("...ij,...j->...i", factor, z));
}

/** Haar-random orthogonal matrices of shape [...shape, n, m] (m defaults to n). */
export function orthogonal(key: Key, n: number, shape: Shape = [], o: { dtype?: DType | string; m?: number } | string = {}): ArrayBase {
  const k = checkKey("orthogonal", key);
  const op = opts<{ m?: number }>(o);
  const dtype = floatDtype("orthogonal", op.dtype);
  const mm = op.m ?? n;
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(mm) || mm < 0) throw new TypeError(`random.orthogonal: n and m must be non-negative integers, got ${n}, ${mm}`);
  const s = normShape("orthogonal", shape);
  const z = normalImpl(k, [...s, Math.max(n, mm), Math.min(n, mm)], dtype);
  const q = orthonormalColumns(z);
  return n < mm ? np.swapaxes(q, -1, -2) : q;
}

/** Generalized normal: rademacher * gamma(1/p)^(1/p) (JAX's generalized_normal). */
function generalizedNormal(key: Key, p: number, shape: number[], dtype: DType): ArrayBase {
  const ks = split(key);
  const g = gamma(row(ks, 0), 1 / p, shape, dtype);
  const b = lax.convertElementType(np.less(uniformImpl(row(ks, 1), shape, "float32", 0, 1), fconst(0.5, "float32")), dtype);
  const r = lax.sub(lax.mul(fconst(2, dtype, shape), b), fconst(1, dtype, shape));
  return lax.mul(r, lax.pow(g, fconst(1 / p, dtype, shape)));
}

/** Points uniform in the unit Lp ball of dimension d: shape [...shape, d]. */
export function ball(key: Key, d: number, o: { p?: number; shape?: Shape; dtype?: DType | string } = {}): ArrayBase {
  const k = checkKey("ball", key);
  if (!Number.isInteger(d) || d < 0) throw new TypeError(`random.ball: d must be a non-negative integer, got ${d}`);
  const p = o.p ?? 2;
  const dtype = floatDtype("ball", o.dtype);
  const s = normShape("ball", o.shape ?? []);
  const ks = split(k);
  const g = generalizedNormal(row(ks, 0), p, [...s, d], dtype);
  const u = uniformImpl(row(ks, 1), s, dtype, 0, 1);
  const e = lax.neg(lax.log1p(lax.neg(u)));
  const absP = lax.pow(lax.abs(g), fconst(p, dtype, g.shape));
  const denom = lax.pow(np.add(np.sum(absP, { axis: -1 }), e), fconst(1 / p, dtype, s));
  return np.divide(g, np.expandDims(denom, -1));
}
