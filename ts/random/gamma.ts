// Gamma-family samplers: gamma and loggamma (Marsaglia-Tsang rejection, JAX's _gamma_one
// loop structure per element, vmapped), and the samplers built on them: beta, dirichlet,
// chisquare and t.
import type { ArrayBase } from "../array/base.js";
import type { DType } from "../array/dtype.js";
import * as lax from "../lax/api.js";
import { whileLoop } from "../lax/control_flow/index.js";
import * as np from "../numpy/index.js";
import { vmap } from "../transforms/index.js";
import { checkShape, fconst, floatDtype, opts, param, shapeOf, type Num } from "./common.js";
import { normalImpl, uniformImpl } from "./continuous.js";
import { checkKey, jitPerMode, normShape, split, type Key, type Shape } from "./keys.js";

const row = (keys: ArrayBase, j: number): ArrayBase => lax.reshape(lax.slice(keys, [j, 0], [j + 1, 2]), [2]);

/** One Gamma(alpha) draw from one key (scalar alpha), as JAX's _gamma_one. */
function gammaOne(key: Key, alpha: ArrayBase, logSpace: boolean): ArrayBase {
  const dtype = alpha.dtype;
  const c0 = (v: number): ArrayBase => fconst(v, dtype);
  const one = c0(1);
  // alpha < 1 is boosted to alpha + 1: Gamma(a) ~ Gamma(a + 1) * U^(1/a).
  const boostMask = lax.ge(alpha, one);
  const alphaOrig = alpha;
  const a = lax.select(boostMask, alpha, lax.add(alpha, one));
  const d = lax.sub(a, c0(1 / 3));
  const c = lax.div(c0(1 / 3), lax.sqrt(d));

  const condFn = ([, X, V, U]: ArrayBase[]): ArrayBase =>
    lax.bitwiseAnd(
      lax.ge(U, lax.sub(one, lax.mul(c0(0.0331), lax.mul(X, X)))),
      lax.ge(lax.log(U), lax.add(lax.mul(X, c0(0.5)), lax.mul(d, lax.add(lax.sub(one, V), lax.log(V))))),
    );
  const bodyFn = ([k]: ArrayBase[]): ArrayBase[] => {
    const ks = split(k, 3);
    const [, x, v] = whileLoop(
      ([, , vv]: ArrayBase[]) => lax.le(vv, c0(0)),
      ([kk]: ArrayBase[]) => {
        const s = split(kk);
        const xx = normalImpl(row(s, 1), [], dtype);
        return [row(s, 0), xx, lax.add(one, lax.mul(xx, c))];
      },
      [row(ks, 1), c0(0), c0(-1)],
    );
    const X = lax.mul(x, x);
    const V = lax.mul(lax.mul(v, v), v);
    const U = uniformImpl(row(ks, 2), [], dtype, 0, 1);
    return [row(ks, 0), X, V, U];
  };
  // The initial state makes condFn true.
  const s = split(key);
  const [, , V] = whileLoop(condFn, bodyFn, [row(s, 0), c0(0), one, c0(2)]);
  const sub = row(s, 1);
  if (logSpace) {
    const logSamples = lax.log1p(lax.neg(uniformImpl(sub, [], dtype, 0, 1))); // -exponential
    const logBoost = lax.select(
      lax.bitwiseOr(boostMask, lax.eq(logSamples, c0(0))),
      c0(0),
      lax.mul(logSamples, lax.div(one, alphaOrig)),
    );
    return lax.add(lax.add(lax.log(d), lax.log(V)), logBoost);
  }
  const samples = lax.sub(one, uniformImpl(sub, [], dtype, 0, 1));
  const boost = lax.select(boostMask, one, lax.pow(samples, lax.div(one, alphaOrig)));
  return lax.mul(lax.mul(d, V), boost);
}

function gammaImpl(key: Key, a: ArrayBase, shape: number[], logSpace: boolean): ArrayBase {
  const size = shape.reduce((p, q) => p * q, 1);
  if (size === 0) return np.zeros(shape, a.dtype);
  const alphas = lax.reshape(np.broadcastTo(a, shape), [size]);
  const keys = lax.reshape(split(key, size), [size, 2]);
  // One jitted, vmapped rejection loop (JAX lowers random_gamma the same way: vmap of _gamma_one).
  const run = jitPerMode(`gamma${logSpace}`, () => vmap((k: ArrayBase, al: ArrayBase) => gammaOne(k, al, logSpace)), []);
  const samples = run(keys, alphas) as ArrayBase;
  return lax.reshape(samples, shape);
}

type GammaOptions = { dtype?: DType | string; method?: "exact" };

function gammaEntry(fn: string, key: Key, a: Num, shape: Shape | null | undefined, o: GammaOptions | string | undefined, logSpace: boolean): ArrayBase {
  const k = checkKey(fn, key);
  const op = opts<GammaOptions>(o);
  if (op.method !== undefined && op.method !== "exact") {
    throw new TypeError(`random.${fn}: only method "exact" (JAX's default) is implemented, got ${JSON.stringify(op.method)}`);
  }
  const dtype = floatDtype(fn, op.dtype);
  const s = shape === undefined || shape === null ? shapeOf(a) : normShape(fn, shape);
  checkShape(fn, s, shapeOf(a));
  return gammaImpl(k, param(a, dtype), s, logSpace);
}

/** Gamma(a, 1) samples. */
export function gamma(key: Key, a: Num, shape?: Shape | null, o?: GammaOptions | string): ArrayBase {
  return gammaEntry("gamma", key, a, shape, o, false);
}

/** log of Gamma(a, 1) samples, computed in log space (accurate for small a). */
export function loggamma(key: Key, a: Num, shape?: Shape | null, o?: GammaOptions | string): ArrayBase {
  return gammaEntry("loggamma", key, a, shape, o, true);
}

/** Beta(a, b) from two log-gamma draws. */
export function beta(key: Key, a: Num, b: Num, shape?: Shape | null, o?: GammaOptions | string): ArrayBase {
  const k = checkKey("beta", key);
  const dtype = floatDtype("beta", opts(o).dtype);
  const s = shape === undefined || shape === null ? np.broadcastShapes(shapeOf(a), shapeOf(b)) : normShape("beta", shape);
  checkShape("beta", s, shapeOf(a), shapeOf(b));
  const ks = split(k);
  const aa = np.broadcastTo(param(a, dtype), s);
  const bb = np.broadcastTo(param(b, dtype), s);
  const logGa = gammaImpl(row(ks, 0), aa, s, true);
  const logGb = gammaImpl(row(ks, 1), bb, s, true);
  const logMax = lax.max(logGa, logGb);
  const ga = lax.exp(lax.sub(logGa, logMax));
  const gb = lax.exp(lax.sub(logGb, logMax));
  return lax.div(ga, lax.add(ga, gb));
}

/** Dirichlet(alpha) along the last axis: softmax of log-gamma draws. */
export function dirichlet(key: Key, alpha: ArrayBase, shape?: Shape | null, o?: GammaOptions | string): ArrayBase {
  const k = checkKey("dirichlet", key);
  const dtype = floatDtype("dirichlet", opts(o).dtype);
  const al = param(alpha, dtype);
  if (al.ndim < 1) throw new TypeError(`random.dirichlet: alpha must have at least one dimension, got shape [${al.shape}]`);
  const batch = al.shape.slice(0, -1);
  const s = shape === undefined || shape === null ? batch : normShape("dirichlet", shape);
  checkShape("dirichlet", s, batch);
  const full = [...s, al.shape[al.ndim - 1]];
  const logG = gammaImpl(k, al, full, true);
  // jax.nn.softmax: exp(x - max) / sum(exp(x - max)).
  const m = lax.stopGradient(np.max(logG, { axis: -1, keepdims: true }));
  const un = np.exp(np.subtract(logG, m));
  return np.divide(un, np.sum(un, { axis: -1, keepdims: true }));
}

/** Chi-square(df) = 2 * exp(loggamma(df / 2)). */
export function chisquare(key: Key, df: Num, shape?: Shape | null, o?: GammaOptions | string): ArrayBase {
  const k = checkKey("chisquare", key);
  const dtype = floatDtype("chisquare", opts(o).dtype);
  const s = shape === undefined || shape === null ? shapeOf(df) : normShape("chisquare", shape);
  checkShape("chisquare", s, shapeOf(df));
  const half = np.divide(param(df, dtype), fconst(2, dtype));
  const logG = gammaImpl(k, half, s, true);
  return np.multiply(np.exp(logG), fconst(2, dtype));
}

/** Student's t(df) = normal * sqrt((df / 2) / gamma(df / 2)). */
export function t(key: Key, df: Num, shape?: Shape | null, o?: GammaOptions | string): ArrayBase {
  const k = checkKey("t", key);
  const dtype = floatDtype("t", opts(o).dtype);
  const s = shape === undefined || shape === null ? shapeOf(df) : normShape("t", shape);
  checkShape("t", s, shapeOf(df));
  const ks = split(k);
  const n = normalImpl(row(ks, 0), s, dtype);
  const halfDf = np.divide(param(df, dtype), fconst(2, dtype));
  const g = gammaImpl(row(ks, 1), halfDf, s, false);
  return np.multiply(n, np.sqrt(np.divide(halfDf, g)));
}
