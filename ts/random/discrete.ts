// Discrete samplers: bernoulli, randint, permutation, choice, categorical, rademacher and
// poisson, with JAX's algorithms (jax/_src/random/core.py) on the same bits.
import { ArrayBase } from "../array/base.js";
import { canonicalDtype, isInteger, isFloat, type DType } from "../array/dtype.js";
import * as lax from "../lax/api.js";
import { whileLoop } from "../lax/control_flow/index.js";
import { topK } from "../lax/search.js";
import { sort } from "../lax/sort.js";
import * as np from "../numpy/index.js";
import { checkShape, fconst, floatDtype, opts, param, shapeOf, type Num } from "./common.js";
import { gumbelImpl, uniformImpl } from "./continuous.js";
import { checkKey, normShape, randomBits, split, type Key, type Shape } from "./keys.js";

const prod = (s: number[]): number => s.reduce((p, d) => p * d, 1);

/** True with probability p: uniform(key, shape, dtype(p)) < p. */
export function bernoulli(key: Key, p: Num = 0.5, shape?: Shape | null): ArrayBase {
  const k = checkKey("bernoulli", key);
  const pa = p instanceof ArrayBase ? p : param(p, "float32");
  const dtype = floatDtype("bernoulli", isFloat(pa.dtype) ? pa.dtype : "float32");
  const pf = param(pa, dtype);
  const s = shape === undefined || shape === null ? pf.shape : normShape("bernoulli", shape);
  checkShape("bernoulli", s, pf.shape);
  return np.less(uniformImpl(k, s, dtype, 0, 1), pf);
}

/** -1 or +1 with equal probability (2 * bernoulli(0.5) - 1). */
export function rademacher(key: Key, shape: Shape = [], o?: { dtype?: DType | string } | string): ArrayBase {
  const k = checkKey("rademacher", key);
  const dtype = canonicalDtype(opts(o).dtype ?? "int32", "random.rademacher");
  const b = lax.convertElementType(bernoulli(k, 0.5, normShape("rademacher", shape)), dtype);
  return lax.sub(lax.mul(fconst(2, dtype, b.shape), b), fconst(1, dtype, b.shape));
}

const IINFO: Record<string, [number, number, 8 | 16 | 32]> = {
  int8: [-128, 127, 8], int16: [-32768, 32767, 16], int32: [-(2 ** 31), 2 ** 31 - 1, 32],
  uint8: [0, 255, 8], uint16: [0, 65535, 16], uint32: [0, 2 ** 32 - 1, 32],
};
const UNSIGNED: Record<number, DType> = { 8: "uint8", 16: "uint16", 32: "uint32" };

/** An integer bound as `dtype`, clipped into its range (JAX's _convert_and_clip_integer). */
function clipBound(fn: string, v: Num, dtype: DType): ArrayBase {
  const [lo, hi] = IINFO[dtype];
  if (!(v instanceof ArrayBase)) {
    if (!Number.isFinite(v)) throw new TypeError(`random.${fn}: bounds must be finite, got ${v}`);
    return np.asarray(Math.min(Math.max(Math.trunc(v), lo), hi), dtype);
  }
  let x = v;
  if (!isInteger(x.dtype)) x = lax.convertElementType(x, "int32");
  const [vlo, vhi] = IINFO[x.dtype];
  const clipped = np.clip(x, np.asarray(Math.max(lo, vlo), x.dtype), np.asarray(Math.min(hi, vhi), x.dtype));
  return lax.convertElementType(clipped, dtype);
}

function outOfRange(v: Num, dtype: DType): ArrayBase {
  const hi = IINFO[dtype][1];
  if (!(v instanceof ArrayBase)) return np.asarray(v > hi);
  const x = isInteger(v.dtype) ? v : lax.convertElementType(v, "int32");
  const vhi = IINFO[x.dtype][1];
  return np.greater(x, np.asarray(Math.min(hi, vhi), x.dtype));
}

/**
 * Integers uniform in [minval, maxval) (JAX's construction: two keys, 2 * nbits random bits
 * per value reduced modulo the span).
 */
export function randint(key: Key, shape: Shape, minval: Num, maxval: Num, o?: { dtype?: DType | string } | string): ArrayBase {
  const k = checkKey("randint", key);
  const dtype = canonicalDtype(opts(o).dtype ?? "int32", "random.randint");
  if (!(dtype in IINFO)) throw new TypeError(`random.randint: dtype must be an integer dtype, got ${dtype}`);
  const s = normShape("randint", shape);
  checkShape("randint", s, shapeOf(minval), shapeOf(maxval));
  const nbits = IINFO[dtype][2];
  const udt = UNSIGNED[nbits];
  const oor = np.broadcastTo(outOfRange(maxval, dtype), s);
  const mn = np.broadcastTo(clipBound("randint", minval, dtype), s);
  const mx = np.broadcastTo(clipBound("randint", maxval, dtype), s);
  const [k1, k2] = split(k);
  const higher = randomBits(k1, nbits, s);
  const lower = randomBits(k2, nbits, s);
  const c = (v: number): ArrayBase => fconst(v, udt, s);
  let span = lax.convertElementType(lax.sub(mx, mn), udt);
  span = lax.select(np.lessEqual(mx, mn), c(1), span);
  span = lax.select(np.logicalAnd(oor, np.greater(mx, mn)), lax.add(span, c(1)), span);
  let multiplier = lax.rem(c(2 ** (nbits / 2)), span);
  multiplier = lax.rem(lax.mul(multiplier, multiplier), span);
  let offset = lax.add(lax.mul(lax.rem(higher, span), multiplier), lax.rem(lower, span));
  offset = lax.rem(offset, span);
  return lax.add(mn, lax.convertElementType(offset, dtype));
}

/** Rounds of sorting by fresh random 32-bit keys (JAX's _shuffle). */
function shuffle(key: Key, x: ArrayBase, axis: number): ArrayBase {
  const n = Math.max(1, x.size);
  const rounds = Math.ceil((3 * Math.log(n)) / Math.log(2 ** 32 - 1));
  let k = key;
  let out = x;
  for (let r = 0; r < rounds; r++) {
    const ks = split(k);
    k = lax.reshape(lax.slice(ks, [0, 0], [1, 2]), [2]);
    const sub = lax.reshape(lax.slice(ks, [1, 0], [2, 2]), [2]);
    const sortKeys = randomBits(sub, 32, out.shape);
    out = sort([sortKeys, out], { dimension: axis, numKeys: 1, isStable: true })[1];
  }
  return out;
}

/**
 * A random permutation of `x` along `axis` (of arange(x) for an integer x); with
 * `independent`, each slice along the axis is shuffled separately.
 */
export function permutation(key: Key, x: Num, o: { axis?: number; independent?: boolean } | number = {}): ArrayBase {
  const k = checkKey("permutation", key);
  const op = typeof o === "number" ? { axis: o } : o;
  if (!(x instanceof ArrayBase) || x.ndim === 0) {
    const n = x instanceof ArrayBase ? x.item() : x;
    if (typeof n !== "number" || !Number.isInteger(n) || (x instanceof ArrayBase && !isInteger(x.dtype))) {
      throw new TypeError("random.permutation: x must be an integer or an array of at least one dimension");
    }
    return shuffle(k, np.arange(n), 0);
  }
  const nd = x.ndim;
  let axis = op.axis ?? 0;
  if (axis < -nd || axis >= nd) throw new RangeError(`random.permutation: axis ${axis} is out of bounds for shape [${x.shape}]`);
  if (axis < 0) axis += nd;
  if (op.independent || nd === 1) return shuffle(k, x, axis);
  const ind = shuffle(k, np.arange(x.shape[axis]), 0);
  return np.take(x, ind, axis);
}

export interface ChoiceOptions {
  shape?: Shape;
  replace?: boolean;
  p?: ArrayBase | null;
  axis?: number;
}

/** Samples from `a` (or arange(a)), with or without replacement, optionally weighted by p. */
export function choice(key: Key, a: Num, o: ChoiceOptions | Shape = {}): ArrayBase {
  const k = checkKey("choice", key);
  const op: ChoiceOptions = typeof o === "number" || Array.isArray(o) ? { shape: o } : o;
  const shape = normShape("choice", op.shape ?? []);
  const replace = op.replace ?? true;
  const arr = a instanceof ArrayBase ? a : np.asarray(a);
  let nInputs: number;
  let axis = op.axis ?? 0;
  if (arr.ndim === 0) {
    const v = arr.item();
    if (typeof v !== "number" || !isInteger(arr.dtype)) throw new TypeError("random.choice: a must be an integer or an array");
    nInputs = v;
  } else {
    if (axis < 0) axis += arr.ndim;
    if (axis < 0 || axis >= arr.ndim) throw new RangeError(`random.choice: axis ${op.axis} is out of bounds for shape [${arr.shape}]`);
    nInputs = arr.shape[axis];
  }
  const nDraws = prod(shape);
  if (nDraws === 0) return np.zeros(shape, arr.dtype);
  if (nInputs <= 0) throw new RangeError("random.choice: a must be greater than 0 unless no samples are taken");
  if (!replace && nDraws > nInputs) {
    throw new RangeError(`random.choice: cannot take a larger sample (size ${nDraws}) than the population (size ${nInputs}) when replace=false`);
  }
  let result: ArrayBase;
  if (op.p === undefined || op.p === null) {
    if (replace) {
      const ind = randint(k, shape, 0, nInputs);
      result = arr.ndim === 0 ? ind : np.take(arr, ind, axis);
    } else {
      const perm = permutation(k, arr.ndim === 0 ? nInputs : arr, { axis });
      result = lax.sliceInDim(perm, 0, nDraws, 1, arr.ndim === 0 ? 0 : axis);
    }
  } else {
    let p = op.p;
    if (!isFloat(p.dtype)) p = lax.convertElementType(p, "float32");
    if (p.ndim !== 1 || p.shape[0] !== nInputs) {
      throw new TypeError(`random.choice: p must be null or a 1-D vector of the size of a.shape[axis] (${nInputs}), got shape [${p.shape}]`);
    }
    let ind: ArrayBase;
    if (replace) {
      const cum = np.cumsum(p);
      const last = lax.reshape(lax.slice(cum, [nInputs - 1], [nInputs]), []);
      const u = uniformImpl(k, shape, floatDtype("choice", p.dtype), 0, 1);
      const r = np.multiply(last, np.subtract(fconst(1, p.dtype), u));
      ind = lax.convertElementType(np.searchsorted(cum, r), "int32");
    } else {
      const g = np.add(gumbelImpl(k, [nInputs], floatDtype("choice", p.dtype)), np.log(p));
      ind = lax.convertElementType(topK(g, nDraws)[1], "int32");
    }
    result = arr.ndim === 0 ? ind : np.take(arr, ind, axis);
  }
  const outShape = arr.ndim === 0 ? shape : [...arr.shape.slice(0, axis), ...shape, ...arr.shape.slice(axis + 1)];
  return np.reshape(result, outShape);
}

export interface CategoricalOptions {
  axis?: number;
  shape?: Shape | null;
  replace?: boolean;
}

/** Category indices drawn from unnormalized log-probabilities (Gumbel-max). */
export function categorical(key: Key, logits: ArrayBase, o: CategoricalOptions | number = {}): ArrayBase {
  const k = checkKey("categorical", key);
  const op: CategoricalOptions = typeof o === "number" ? { axis: o } : o;
  if (!(logits instanceof ArrayBase) || logits.ndim === 0) throw new TypeError("random.categorical: logits must be an array of at least one dimension");
  const nd = logits.ndim;
  let axis = op.axis ?? -1;
  if (axis < -nd || axis >= nd) throw new RangeError(`random.categorical: axis ${axis} is out of bounds for logits of shape [${logits.shape}]`);
  if (axis < 0) axis += nd;
  const dtype = floatDtype("categorical", isFloat(logits.dtype) ? logits.dtype : "float32");
  const lg = param(logits, dtype);
  const batchShape = lg.shape.filter((_, i) => i !== axis);
  const shape = op.shape === undefined || op.shape === null ? batchShape : normShape("categorical", op.shape);
  checkShape("categorical", shape, batchShape);
  const prefix = shape.slice(0, shape.length - batchShape.length);
  if (op.replace ?? true) {
    const logitsShape = shape.slice(shape.length - batchShape.length);
    logitsShape.splice(axis, 0, lg.shape[axis]);
    const g = gumbelImpl(k, [...prefix, ...logitsShape], dtype);
    const expanded = np.reshape(lg, [...prefix.map(() => 1), ...lg.shape]);
    return np.argmax(np.add(g, expanded), prefix.length + axis);
  }
  const perturbed = np.add(lg, gumbelImpl(k, lg.shape, dtype));
  const kk = prod(prefix);
  if (kk > lg.shape[axis]) {
    throw new RangeError(`random.categorical: the number of samples without replacement (${kk}) cannot exceed the number of categories (${lg.shape[axis]})`);
  }
  const idx = topK(np.moveaxis(perturbed, axis, -1), kk)[1]; // batch + [k]
  const moved = np.moveaxis(idx, -1, 0); // [k] + batch
  return np.reshape(moved, shape);
}

/** Knuth's multiplication method for small rates (JAX's _poisson_knuth). */
function poissonKnuth(key: Key, lam: ArrayBase, shape: number[], dtype: DType): ArrayBase {
  const negLam = lax.neg(lam);
  const init = [np.asarray(0, "int32"), fconst(0, dtype, shape), key, fconst(0, "float32", shape)];
  const out = whileLoop(
    ([i, , , logProd]: ArrayBase[]) => np.logicalAnd(np.any(np.greater(logProd, negLam)), np.less(i, np.asarray(2 ** 31 - 1, "int32"))),
    ([i, kk, rng, logProd]: ArrayBase[]) => {
      const ks = split(rng);
      const next = lax.reshape(lax.slice(ks, [0, 0], [1, 2]), [2]);
      const sub = lax.reshape(lax.slice(ks, [1, 0], [2, 2]), [2]);
      const k2 = lax.select(np.greater(logProd, negLam), lax.add(kk, fconst(1, dtype, shape)), kk);
      const u = uniformImpl(sub, shape, "float32", 0, 1);
      return [lax.add(i, np.asarray(1, "int32")), k2, next, lax.add(logProd, lax.log(u))];
    },
    init,
  );
  return lax.sub(out[1], fconst(1, dtype, shape));
}

/** Hörmann's transformed rejection for large rates (JAX's _poisson_rejection). */
function poissonRejection(key: Key, lam: ArrayBase, shape: number[], dtype: DType): ArrayBase {
  const c = (v: number): ArrayBase => fconst(v, "float32", shape);
  const logLam = lax.log(lam);
  const b = lax.add(c(0.931), lax.mul(c(2.53), lax.sqrt(lam)));
  const a = lax.add(c(-0.059), lax.mul(c(0.02483), b));
  const invAlpha = lax.add(c(1.1239), lax.div(c(1.1328), lax.sub(b, c(3.4))));
  const vR = lax.sub(c(0.9277), lax.div(c(3.6224), lax.sub(b, c(2))));
  const init = [np.asarray(0, "int32"), c(-1), np.zeros(shape, "bool"), key];
  const out = whileLoop(
    ([i, , accepted]: ArrayBase[]) => np.logicalAnd(np.any(np.logicalNot(accepted)), np.less(i, np.asarray(2 ** 31 - 1, "int32"))),
    ([i, kOut, accepted, rng]: ArrayBase[]) => {
      const ks = split(rng, 3);
      const row = (j: number): ArrayBase => lax.reshape(lax.slice(ks, [j, 0], [j + 1, 2]), [2]);
      const u = lax.sub(uniformImpl(row(1), shape, "float32", 0, 1), c(0.5));
      const v = uniformImpl(row(2), shape, "float32", 0, 1);
      const uShifted = lax.sub(c(0.5), lax.abs(u));
      const kk = lax.floor(lax.add(lax.add(lax.mul(lax.add(lax.div(lax.mul(c(2), a), uShifted), b), u), lam), c(0.43)));
      const s = lax.log(lax.div(lax.mul(v, invAlpha), lax.add(lax.div(a, lax.mul(uShifted, uShifted)), b)));
      const t = lax.sub(lax.add(lax.neg(lam), lax.mul(kk, logLam)), lax.lgamma(lax.add(kk, c(1))));
      const accept1 = np.logicalAnd(np.greaterEqual(uShifted, c(0.07)), np.lessEqual(v, vR));
      const reject = np.logicalOr(np.less(kk, c(0)), np.logicalAnd(np.less(uShifted, c(0.013)), np.greater(v, uShifted)));
      const accept2 = np.lessEqual(s, t);
      const accept = np.logicalOr(accept1, np.logicalAnd(np.logicalNot(reject), accept2));
      return [lax.add(i, np.asarray(1, "int32")), lax.select(accept, kk, kOut), np.logicalOr(accepted, accept), row(0)];
    },
    init,
  );
  return lax.convertElementType(out[1], dtype);
}

/** Poisson samples (Knuth below rate 10, transformed rejection above), int32 by default. */
export function poisson(key: Key, lam: Num, shape?: Shape | null, o?: { dtype?: DType | string } | string): ArrayBase {
  const k = checkKey("poisson", key);
  const dtype = canonicalDtype(opts(o).dtype ?? "int32", "random.poisson");
  if (!isInteger(dtype)) throw new TypeError(`random.poisson: dtype must be an integer dtype, got ${dtype}`);
  const s = shape === undefined || shape === null ? shapeOf(lam) : normShape("poisson", shape);
  checkShape("poisson", s, shapeOf(lam));
  const l = np.broadcastTo(param(lam, "float32"), s);
  const useKnuth = np.logicalOr(np.isnan(l), np.less(l, fconst(10, "float32", s)));
  const lamKnuth = lax.select(useKnuth, l, fconst(0, "float32", s));
  const lamRej = lax.select(useKnuth, fconst(1e5, "float32", s), l);
  const result = lax.select(useKnuth, poissonKnuth(k, lamKnuth, s, dtype), poissonRejection(k, lamRej, s, dtype));
  return lax.select(np.equal(l, fconst(0, "float32", s)), fconst(0, dtype, s), result);
}
