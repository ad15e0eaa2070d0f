// jax.nn.dot_product_attention (jax/_src/nn/functions.py, the "xla" implementation):
// softmax(Q·Kᵀ·scale + bias, masked) · V over [batch, seq, heads, head_dim] arrays, with
// grouped-query attention (fewer key/value heads than query heads), causal, local-window and
// sequence-length masks. Logits are computed in (at least) float32, the softmax in float32,
// masked logits are set to -0.7 · finfo(dtype).max, all as JAX does.
import type { ArrayBase } from "../array/base.js";
import { isBool, isFloat, type DType } from "../array/dtype.js";
import * as np from "../numpy/index.js";
import { scoped } from "../numpy/ufuncs_util.js";
import { constOf } from "./common.js";
import { softmax } from "./functions.js";

export interface DotProductAttentionOptions {
  /** Added to the logits; broadcastable to [B, N, T, S] (fewer leading axes are prepended). */
  bias?: ArrayBase | null;
  /** bool, broadcastable to [B, N, T, S]: false entries are excluded. */
  mask?: ArrayBase | null;
  /** Multiplies the logits; default 1 / sqrt(head_dim). */
  scale?: number | null;
  /** Query t attends only to keys s <= t. */
  isCausal?: boolean;
  /** int32 [B]: queries past the length attend to nothing and output 0. */
  querySeqLengths?: ArrayBase | null;
  /** int32 [B]: keys past the length are excluded. */
  keyValueSeqLengths?: ArrayBase | null;
  /** (left, right): query t attends to keys in [t - left, t + right]; one number is symmetric. */
  localWindowSize?: number | [number, number] | null;
  /** Only "xla" (or null) exists here. */
  implementation?: "xla" | null;
}

/** JAX's -0.7 * finfo(dtype).max, computed in dtype (NumPy 2 rounds the 0.7 to dtype first). */
function largeNegative(dtype: DType): number {
  return dtype === "float64" ? -0.7 * Number.MAX_VALUE : Math.fround(Math.fround(-0.7) * 3.4028234663852886e38);
}

const fmt = (x: ArrayBase) => `[${x.shape.join(", ")}] ${x.dtype}`;

/**
 * dotProductAttention(query [B, T, N, H], key [B, S, K, H], value [B, S, K, H], options) ->
 * [B, T, N, H]; unbatched [T, N, H] inputs work too. N must be a multiple of K.
 * Also callable as dotProductAttention(query, key, value, bias, mask, options), as in JAX.
 */
export function dotProductAttention(
  query: ArrayBase,
  key: ArrayBase,
  value: ArrayBase,
  biasOrOpts?: ArrayBase | null | DotProductAttentionOptions,
  mask?: ArrayBase | null,
  opts: DotProductAttentionOptions = {},
): ArrayBase {
  const fn = "nn.dotProductAttention";
  const positional = biasOrOpts === null || biasOrOpts === undefined || (biasOrOpts as ArrayBase).shape !== undefined;
  const o: DotProductAttentionOptions = positional ? { ...opts, bias: (biasOrOpts as ArrayBase | null) ?? opts.bias, mask: mask ?? opts.mask } : (biasOrOpts as DotProductAttentionOptions);
  if (o.implementation !== undefined && o.implementation !== null && o.implementation !== "xla") {
    throw new TypeError(`${fn}: implementation ${JSON.stringify(o.implementation)} is not available; use "xla" (or leave it out)`);
  }
  return scoped(() => {
    const nd = query.ndim;
    if ((nd !== 3 && nd !== 4) || key.ndim !== nd || value.ndim !== nd) {
      throw new TypeError(`${fn}: query, key and value must all be [B, T, N, H] (or unbatched [T, N, H]), got ${fmt(query)}, ${fmt(key)}, ${fmt(value)}`);
    }
    if (!isFloat(query.dtype) || query.dtype !== key.dtype || key.dtype !== value.dtype) {
      throw new TypeError(`${fn}: query, key and value must have one float dtype, got ${query.dtype}, ${key.dtype}, ${value.dtype}`);
    }
    const q4 = nd === 3 ? np.expandDims(query, 0) : query;
    const k4 = nd === 3 ? np.expandDims(key, 0) : key;
    const v4 = nd === 3 ? np.expandDims(value, 0) : value;
    const [B, T, N, H] = q4.shape;
    const [Bk, S, K, Hk] = k4.shape;
    if (Bk !== B || Hk !== H || v4.shape.join() !== k4.shape.join()) {
      throw new TypeError(`${fn}: key and value must be [B, S, K, H] with query's B and H, got query ${fmt(query)}, key ${fmt(key)}, value ${fmt(value)}`);
    }
    if (K === 0 || N % K !== 0) {
      throw new TypeError(`${fn}: the number of query heads (${N}) must be a multiple of the key/value heads (${K})`);
    }
    const logitsDtype: DType = query.dtype === "float64" ? "float64" : "float32";
    // Head n reads key/value head floor(n / G), as JAX's grouping reshape (B, T, K, G, H).
    const G = N / K;
    const kRep = G === 1 ? k4 : np.repeat(k4, G, 2);
    const vRep = G === 1 ? v4 : np.repeat(v4, G, 2);
    const qT = np.transpose(q4.astype(logitsDtype), [0, 2, 1, 3]); // [B, N, T, H]
    const kT = np.transpose(kRep.astype(logitsDtype), [0, 2, 3, 1]); // [B, N, H, S]
    let logits = np.matmul(qT, kT); // [B, N, T, S]
    logits = np.multiply(logits, constOf(o.scale ?? 1 / Math.sqrt(H), logitsDtype));
    const to4 = (x: ArrayBase, what: string): ArrayBase => {
      if (x.ndim > 4) throw new TypeError(`${fn}: ${what} must have at most 4 axes, got ${fmt(x)}`);
      const y = x.ndim < 4 ? np.reshape(x, [...Array(4 - x.ndim).fill(1), ...x.shape]) : x;
      const want = [B, N, T, S];
      if (y.shape.some((d, i) => d !== 1 && d !== want[i])) {
        throw new TypeError(`${fn}: ${what} ${fmt(x)} must be broadcastable to [B, N, T, S] = [${want.join(", ")}]`);
      }
      return y;
    };
    if (o.bias) logits = np.add(logits, to4(o.bias, "bias")).astype(logitsDtype);
    let keep: ArrayBase | null = null;
    const and = (m: ArrayBase) => (keep = keep === null ? m : np.logicalAnd(keep, m));
    if (o.mask) {
      if (!isBool(o.mask.dtype)) throw new TypeError(`${fn}: mask must be bool, got ${fmt(o.mask)}`);
      and(to4(o.mask, "mask"));
    }
    const qPos = np.arange(T).reshape([T, 1]);
    const kPos = np.arange(S).reshape([1, S]);
    if (o.isCausal) and(np.lessEqual(kPos, qPos));
    if (o.localWindowSize !== undefined && o.localWindowSize !== null) {
      const w = o.localWindowSize;
      const [left, right] = typeof w === "number" ? [w, w] : w;
      if (![left, right].every((v) => Number.isInteger(v) && v >= 0)) {
        throw new TypeError(`${fn}: localWindowSize must be a non-negative integer or a pair of them, got ${JSON.stringify(w)}`);
      }
      and(np.logicalAnd(np.lessEqual(qPos, np.add(kPos, left)), np.greaterEqual(qPos, np.subtract(kPos, right))));
    }
    const lengths = (x: ArrayBase, what: string): ArrayBase => {
      if (x.ndim !== 1 || x.shape[0] !== B) throw new TypeError(`${fn}: ${what} must have shape [B] = [${B}], got ${fmt(x)}`);
      return x;
    };
    if (o.querySeqLengths) and(np.less(qPos.reshape([1, 1, T, 1]), lengths(o.querySeqLengths, "querySeqLengths").reshape([B, 1, 1, 1])));
    if (o.keyValueSeqLengths) and(np.less(kPos.reshape([1, 1, 1, S]), lengths(o.keyValueSeqLengths, "keyValueSeqLengths").reshape([B, 1, 1, 1])));
    if (keep !== null) logits = np.where(keep, logits, constOf(largeNegative(logitsDtype), logitsDtype));
    // The softmax is always carried out in float32 (as JAX's xla implementation).
    const probs = softmax(logits.astype("float32"), -1).astype(key.dtype);
    let out = np.transpose(np.matmul(probs, np.transpose(vRep, [0, 2, 1, 3])), [0, 2, 1, 3]); // [B, T, N, H]
    if (o.querySeqLengths) {
      const rows = np.less(np.arange(T).reshape([1, T, 1, 1]), o.querySeqLengths.reshape([B, 1, 1, 1]));
      out = np.multiply(out, rows.astype(out.dtype));
    }
    return nd === 3 ? np.squeeze(out, 0) : out;
  });
}
