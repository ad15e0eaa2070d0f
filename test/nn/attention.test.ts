// nn.dotProductAttention (ts/nn/attention.ts) against a float64 reference written here with
// plain loops: grouped-query heads, bias, bool mask, causal, local-window and sequence-length
// masks, scale, unbatched inputs; float32 within 2e-6 (a softmax of O(1) logits and a sum of
// a few products), float64 within 1e-12. Derivatives against central differences; jit; errors.
import { describe, expect, it } from "vitest";
import { Array, jit, nn, numpy as np } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";
import { checkJvp, checkVjp, randArray, withX64 } from "../transforms/check.js";

interface RefOpts {
  bias?: number[]; // [B, N, T, S] flattened, already broadcast
  mask?: boolean[]; // likewise
  scale?: number;
  causal?: boolean;
  window?: [number, number];
  qLen?: number[];
  kvLen?: number[];
}

/** float64 attention of q [B,T,N,H], k and v [B,S,K,H] (flat, row-major). */
function reference(q: number[], k: number[], v: number[], [B, T, N, H]: number[], [S, K]: number[], o: RefOpts): number[] {
  const G = N / K;
  const scale = o.scale ?? 1 / Math.sqrt(H);
  const out = new globalThis.Array(B * T * N * H).fill(0);
  const big = -0.7 * 3.4028234663852886e38;
  for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) for (let t = 0; t < T; t++) {
    const kh = Math.floor(n / G);
    const logits: number[] = [];
    for (let s = 0; s < S; s++) {
      let d = 0;
      for (let h = 0; h < H; h++) d += q[((b * T + t) * N + n) * H + h] * k[((b * S + s) * K + kh) * H + h];
      let l = d * scale;
      const i4 = ((b * N + n) * T + t) * S + s;
      if (o.bias) l += o.bias[i4];
      let keep = true;
      if (o.mask && !o.mask[i4]) keep = false;
      if (o.causal && s > t) keep = false;
      if (o.window && !(t <= s + o.window[0] && t >= s - o.window[1])) keep = false;
      if (o.qLen && !(t < o.qLen[b])) keep = false;
      if (o.kvLen && !(s < o.kvLen[b])) keep = false;
      logits.push(keep ? l : big);
    }
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const z = e.reduce((a, c) => a + c, 0);
    if (o.qLen && !(t < o.qLen[b])) continue; // padded query rows output 0
    for (let h = 0; h < H; h++) {
      let acc = 0;
      for (let s = 0; s < S; s++) acc += (e[s] / z) * v[((b * S + s) * K + kh) * H + h];
      out[((b * T + t) * N + n) * H + h] = acc;
    }
  }
  return out;
}

const vals = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);

function expectClose(got: number[], want: number[], tol: number) {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  expect(worst).toBeLessThan(tol);
}

describe.each(backends)("nn.dotProductAttention on %s", (backend) => {
  useBackend(backend);
  const B = 2, T = 5, S = 7, N = 4, K = 2, H = 3;
  const q = randArray([B, T, N, H], -1, 1, 1, "float32");
  const k = randArray([B, S, K, H], -1, 1, 2, "float32");
  const v = randArray([B, S, K, H], -1, 1, 3, "float32");
  const ref = (o: RefOpts) => reference(vals(q), vals(k), vals(v), [B, T, N, H], [S, K], o);

  it("matches the reference: plain, grouped heads, scale", () => {
    expectClose(vals(nn.dotProductAttention(q, k, v) as Array), ref({}), 2e-6);
    expectClose(vals(nn.dotProductAttention(q, k, v, { scale: 0.25 }) as Array), ref({ scale: 0.25 }), 2e-6);
    // One key/value head per query head: K = N.
    const k4 = randArray([B, S, N, H], -1, 1, 4, "float32"), v4 = randArray([B, S, N, H], -1, 1, 5, "float32");
    expectClose(vals(nn.dotProductAttention(q, k4, v4) as Array), reference(vals(q), vals(k4), vals(v4), [B, T, N, H], [S, N], {}), 2e-6);
  });

  it("matches the reference with bias (broadcast), bool mask, causal and local-window masks", () => {
    const bias = randArray([T, S], -2, 2, 6, "float32"); // broadcast to [B, N, T, S]
    const biasFull = np.broadcastTo(bias, [B, N, T, S]) as Array;
    const mask = np.greater(randArray([B, 1, T, S], 0, 1, 7, "float32"), 0.3) as Array;
    const maskFull = vals(np.broadcastTo(mask, [B, N, T, S]) as Array).map((m) => m !== 0);
    expectClose(vals(nn.dotProductAttention(q, k, v, { bias }) as Array), ref({ bias: vals(biasFull) }), 2e-6);
    expectClose(vals(nn.dotProductAttention(q, k, v, null, mask) as Array), ref({ mask: maskFull }), 2e-6);
    expectClose(vals(nn.dotProductAttention(q, k, v, { isCausal: true }) as Array), ref({ causal: true }), 2e-6);
    expectClose(vals(nn.dotProductAttention(q, k, v, { localWindowSize: [1, 2] }) as Array), ref({ window: [1, 2] }), 2e-6);
    expectClose(vals(nn.dotProductAttention(q, k, v, { localWindowSize: 1, isCausal: true, bias }) as Array),
      ref({ window: [1, 1], causal: true, bias: vals(biasFull) }), 2e-6);
  });

  it("sequence lengths mask keys and zero the padded query rows", () => {
    const qLen = np.array([3, 5], "int32"), kvLen = np.array([4, 7], "int32");
    const out = nn.dotProductAttention(q, k, v, { querySeqLengths: qLen, keyValueSeqLengths: kvLen }) as Array;
    expectClose(vals(out), ref({ qLen: [3, 5], kvLen: [4, 7] }), 2e-6);
    expect(vals(out).slice(3 * N * H, 5 * N * H).every((x) => x === 0)).toBe(true);
  });

  it("unbatched inputs, float64 inputs, jit", () => {
    const one = (x: Array) => np.squeeze(x.get("0:1"), 0) as Array;
    const out = nn.dotProductAttention(one(q), one(k), one(v)) as Array;
    expect(out.shape).toEqual([T, N, H]);
    expectClose(vals(out), ref({}).slice(0, T * N * H), 2e-6);
    expectClose(vals(jit((a: Array, b: Array, c: Array) => nn.dotProductAttention(a, b, c, { isCausal: true }))(q, k, v) as Array), ref({ causal: true }), 2e-6);
    withX64(() => {
      const [q64, k64, v64] = [q, k, v].map((x) => x.astype("float64"));
      const o64 = nn.dotProductAttention(q64, k64, v64, { isCausal: true }) as Array;
      expect(o64.dtype).toBe("float64");
      // The softmax runs in float32 (as JAX's implementation): float32 accuracy.
      expectClose(vals(o64), ref({ causal: true }), 2e-6);
    });
  });

  it("derivatives with respect to query, key, value and bias match central differences", () => {
    const [q64, k64, v64] = [[1, 3, 2, 2], [1, 4, 1, 2], [1, 4, 1, 2]].map((sh, i) => randArray(sh, -1, 1, 10 + i));
    const bias = randArray([3, 4], -1, 1, 14);
    const f = (a: Array, b: Array, c: Array, d: Array) => np.sum(np.multiply(nn.dotProductAttention(a, b, c, { bias: d, isCausal: true }), np.arange(4).reshape([1, 1, 2, 2])));
    // float32 softmax inside: tolerances for float32 rounding.
    checkJvp(f, [q64, k64, v64, bias], { eps: 1e-3, rtol: 2e-3, atol: 2e-4 });
    checkVjp(f, [q64, k64, v64, bias], { rtol: 1e-6, atol: 1e-6 });
  });

  it("bad arguments name the function, the shapes and the fix", () => {
    expect(() => nn.dotProductAttention(q, k, np.ones([B, S, K]) as Array)).toThrow(/nn.dotProductAttention: query, key and value must all be \[B, T, N, H\]/);
    expect(() => nn.dotProductAttention(q, randArray([B, S, 3, H], -1, 1, 1, "float32"), randArray([B, S, 3, H], -1, 1, 1, "float32"))).toThrow(/multiple of the key\/value heads \(3\)/);
    expect(() => nn.dotProductAttention(q, k, v.astype("float16"))).toThrow(/one float dtype/);
    expect(() => nn.dotProductAttention(q, k, v, { mask: np.ones([T, S]) as Array })).toThrow(/mask must be bool/);
    expect(() => nn.dotProductAttention(q, k, v, { bias: np.ones([3, T, S]) as Array })).toThrow(/broadcastable to \[B, N, T, S\] = \[2, 4, 5, 7\]/);
    expect(() => nn.dotProductAttention(q, k, v, { querySeqLengths: np.array([1, 2, 3], "int32") })).toThrow(/querySeqLengths must have shape \[B\]/);
    expect(() => nn.dotProductAttention(q, k, v, { implementation: "cudnn" as never })).toThrow(/not available/);
  });
});
