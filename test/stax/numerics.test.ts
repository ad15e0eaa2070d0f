// stax layer values against formulas written out here in float64 loops: Dense, Conv (SAME and
// VALID, strides), ConvTranspose (scatter form, and the gradient identity of lax.conv_transpose
// with transposeKernel), MaxPool/SumPool/AvgPool (SAME windows counted over real elements),
// BatchNorm, Dropout (rate = keep probability), the combinators' rng plumbing (split exactly as
// stax does) and the elementwise layers.
//
// Tolerance: the layers compute in float32 on O(1) data with at most ~50 terms per output, so
// each result is within ~50 · 2^-24 · sum|terms| < 1e-5 of the float64 reference (Higham 3.1);
// we use atol = rtol = 2e-5.
import { describe, expect, it } from "vitest";
import { Array, nn, numpy as np, random, stax, vjp } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";
import { randArray } from "../transforms/check.js";

const f64 = (x: Array): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>, Number);

function expectClose(got: Array, want: ArrayLike<number>, shape: number[], tol = 2e-5): void {
  expect(got.shape).toEqual(shape);
  const g = f64(got);
  expect(g.length).toBe(want.length);
  for (let i = 0; i < g.length; i++) {
    if (!(Math.abs(g[i] - want[i]) <= tol + tol * Math.abs(want[i]))) expect.fail(`element ${i}: got ${g[i]}, expected ${want[i]}`);
  }
}

const expectEqual = (a: Array, b: Array) => {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(globalThis.Array.from(a.dataSync() as ArrayLike<number>)).toEqual(globalThis.Array.from(b.dataSync() as ArrayLike<number>));
};

/** Row-major strides of a shape. */
const stridesOf = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));

/** SAME padding's low pad (XLA: total = max(0, (ceil(n/s) - 1)·s + k - n), lo = floor(total/2)). */
const sameLo = (n: number, k: number, s: number) => Math.floor(Math.max(0, (Math.ceil(n / s) - 1) * s + k - n) / 2);

/** NHWC / HWIO convolution (cross-correlation) with window strides and explicit low pads. */
function convRef(x: Float64Array, xs: number[], w: Float64Array, ws: number[], strides: number[], lo: number[], outHW: number[]): Float64Array {
  const [N, H, W, C] = xs;
  const [KH, KW, , O] = ws;
  const [OH, OW] = outHW;
  const out = new Float64Array(N * OH * OW * O);
  const [xn, xh, xw] = stridesOf(xs);
  const [wh, ww, wc] = stridesOf(ws);
  for (let n = 0; n < N; n++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let o = 0; o < O; o++) {
          let acc = 0;
          for (let kh = 0; kh < KH; kh++)
            for (let kw = 0; kw < KW; kw++) {
              const h = oh * strides[0] + kh - lo[0];
              const v = ow * strides[1] + kw - lo[1];
              if (h < 0 || h >= H || v < 0 || v >= W) continue;
              for (let c = 0; c < C; c++) acc += x[n * xn + h * xh + v * xw + c] * w[kh * wh + kw * ww + c * wc + o];
            }
          out[((n * OH + oh) * OW + ow) * O + o] = acc;
        }
  return out;
}

const addBias = (y: Float64Array, b: Float64Array) => y.map((v, i) => v + b[i % b.length]);

describe.each(backends)("stax numerics (%s)", (backend) => {
  useBackend(backend);

  it("Dense: x·W + b, and its params come from glorotNormal / normal(1e-2) on split(rng)", () => {
    const rng = random.PRNGKey(3);
    const [init, apply] = stax.Dense(3);
    const [shape, params] = init(rng, [5, 4]);
    expect(shape).toEqual([5, 3]);
    const [W, b] = params as Array[];
    const [k1, k2] = random.split(rng);
    expectEqual(W, nn.initializers.glorotNormal()(k1, [4, 3]));
    expectEqual(b, nn.initializers.normal(1e-2)(k2, [3]));
    const x = randArray([5, 4], -1, 1, 7, "float32");
    const xv = f64(x);
    const Wv = f64(W);
    const want = new Float64Array(15);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) want[i * 3 + j] += xv[i * 4 + k] * Wv[k * 3 + j];
    expectClose(apply(params, x) as Array, addBias(want, f64(b)), [5, 3]);
    // The options-object form.
    const [, [W2, b2]] = stax.Dense(3, { bInit: nn.initializers.zeros })[0](rng, [5, 4]) as [unknown, Array[]];
    expectEqual(W2, W);
    expectEqual(b2, np.zeros([3], "float32") as Array);
    // Batched over extra leading axes, as jnp.dot.
    expectClose(apply(params, x.reshape([1, 5, 4])) as Array, addBias(want, f64(b)), [1, 5, 3]);
  });

  it.each([
    ["VALID", [1, 1]],
    ["VALID", [2, 1]],
    ["SAME", [1, 1]],
    ["SAME", [2, 1]],
    ["SAME", [2, 3]],
  ])("Conv %s strides %j against a direct convolution; default init glorotNormal over (I, O) axes", (padding, strides) => {
    const xs = [2, 5, 7, 2];
    const ws = [2, 3, 2, 3];
    const rng = random.PRNGKey(0);
    const [init, apply] = stax.Conv(3, [2, 3], { strides, padding });
    const [outShape, params] = init(rng, [-1, 5, 7, 2]);
    const [W, b] = params as Array[];
    const [k1, k2] = random.split(rng);
    expectEqual(W, nn.initializers.glorotNormal({ inAxis: 2, outAxis: 3 })(k1, ws));
    expectEqual(b, nn.initializers.normal(1e-6)(k2, [1, 1, 1, 3]));
    // A bias of visible size, so the test sees it added on the channel axis.
    const bias = randArray([1, 1, 1, 3], -1, 1, 4, "float32");
    const x = randArray(xs, -1, 1, 9, "float32");
    const lo = padding === "SAME" ? [sameLo(5, 2, strides[0]), sameLo(7, 3, strides[1])] : [0, 0];
    const outHW = padding === "SAME" ? [Math.ceil(5 / strides[0]), Math.ceil(7 / strides[1])] : [Math.floor((5 - 2) / strides[0]) + 1, Math.floor((7 - 3) / strides[1]) + 1];
    expect(outShape).toEqual([-1, ...outHW, 3]);
    const want = addBias(convRef(f64(x), xs, f64(W), ws, strides, lo, outHW), f64(bias));
    expectClose(apply([W, bias], x) as Array, want, [2, ...outHW, 3]);
  });

  it.each([
    ["VALID", [2, 2], [3, 3]],
    ["VALID", [1, 2], [2, 3]],
    ["SAME", [2, 2], [3, 3]],
    ["SAME", [3, 1], [2, 2]],
    ["SAME", [2, 3], [1, 3]],
  ])("ConvTranspose %s strides %j kernel %j: out[i·s + padLo - k] += x[i]·W[k]", (padding, strides, kernel) => {
    const xs = [2, 4, 3, 2];
    const ws = [...kernel, 2, 3];
    const [init, apply] = stax.ConvTranspose(3, kernel, { strides, padding });
    const [outShape, params] = init(random.PRNGKey(1), xs);
    const [W] = params as Array[];
    const bias = randArray([1, 1, 1, 3], -1, 1, 4, "float32");
    const x = randArray(xs, -1, 1, 11, "float32");
    // lax.conv_transpose's pads of the stride-dilated input (JAX's _conv_transpose_padding).
    const pads = kernel.map((k, d) => {
      const s = strides[d];
      if (padding === "VALID") return [k - 1, k + s - 2 + Math.max(k - s, 0) - (k - 1)];
      const lo = s > k - 1 ? k - 1 : Math.ceil((k + s - 2) / 2);
      return [lo, k + s - 2 - lo];
    });
    const outHW = [0, 1].map((d) => (xs[d + 1] - 1) * strides[d] + 1 + pads[d][0] + pads[d][1] - kernel[d] + 1);
    expect(outShape).toEqual([2, ...outHW, 3]);
    if (padding === "SAME") expect(outHW).toEqual([xs[1] * strides[0], xs[2] * strides[1]]);
    const xv = f64(x);
    const wv = f64(W);
    const want = new Float64Array(2 * outHW[0] * outHW[1] * 3);
    const [xn, xh, xw] = stridesOf(xs);
    const [wh, ww, wc] = stridesOf(ws);
    for (let n = 0; n < 2; n++)
      for (let i = 0; i < xs[1]; i++)
        for (let j = 0; j < xs[2]; j++)
          for (let kh = 0; kh < kernel[0]; kh++)
            for (let kw = 0; kw < kernel[1]; kw++) {
              const oh = i * strides[0] + pads[0][0] - kh;
              const ow = j * strides[1] + pads[1][0] - kw;
              if (oh < 0 || oh >= outHW[0] || ow < 0 || ow >= outHW[1]) continue;
              for (let c = 0; c < 2; c++)
                for (let o = 0; o < 3; o++) want[((n * outHW[0] + oh) * outHW[1] + ow) * 3 + o] += xv[n * xn + i * xh + j * xw + c] * wv[kh * wh + kw * ww + c * wc + o];
            }
    expectClose(apply([W, bias], x) as Array, addBias(want, f64(bias)), [2, ...outHW, 3]);
  });

  it("convTranspose with transposeKernel is the input gradient of a strided VALID convolution", () => {
    const x = randArray([1, 7, 7, 2], -1, 1, 2, "float32");
    const W = randArray([3, 3, 2, 4], -1, 1, 3, "float32");
    const conv = (v: Array) => np.asarray(stax.Conv(4, [3, 3], { strides: [2, 2] })[1]([W, np.zeros([4], "float32")], v) as Array);
    const [y, pullback] = vjp(conv, x);
    expect(y.shape).toEqual([1, 3, 3, 4]);
    const ct = randArray([1, 3, 3, 4], -1, 1, 5, "float32");
    const [gx] = pullback(ct) as Array[];
    const t = stax.convTranspose(ct, W, [2, 2], "VALID", { transposeKernel: true });
    expectClose(t, f64(gx), [1, 7, 7, 2]);
    // And the 1-D layer agrees with the 2-D one on a unit-width axis.
    const x1 = randArray([2, 5, 3], -1, 1, 6, "float32");
    const W1 = randArray([3, 3, 2], -1, 1, 8, "float32");
    const b1 = np.zeros([1, 1, 2], "float32");
    const y1 = stax.Conv1DTranspose(2, [3], { strides: [2] })[1]([W1, b1], x1) as Array;
    const y2 = stax.ConvTranspose(2, [3, 1], { strides: [2, 1] })[1]([W1.reshape([3, 1, 3, 2]), b1.reshape([1, 1, 1, 2])], x1.reshape([2, 5, 1, 3])) as Array;
    expectClose(y1, f64(y2), [2, 11, 2]);
  });

  it.each([
    ["VALID", [2, 3], [1, 1]],
    ["VALID", [2, 3], [2, 2]],
    ["SAME", [2, 3], [1, 1]],
    ["SAME", [3, 3], [2, 2]],
    ["SAME", [2, 2], [2, 1]],
  ])("MaxPool / SumPool / AvgPool %s window %j strides %j over real elements", (padding, win, strides) => {
    const xs = [2, 5, 6, 3];
    const x = randArray(xs, -2, 2, 13, "float32");
    const xv = f64(x);
    const [H, W, C] = [5, 6, 3];
    const lo = padding === "SAME" ? [sameLo(H, win[0], strides[0]), sameLo(W, win[1], strides[1])] : [0, 0];
    const outHW = padding === "SAME" ? [Math.ceil(H / strides[0]), Math.ceil(W / strides[1])] : [Math.floor((H - win[0]) / strides[0]) + 1, Math.floor((W - win[1]) / strides[1]) + 1];
    const size = 2 * outHW[0] * outHW[1] * C;
    const [mx, sm, avg] = [new Float64Array(size), new Float64Array(size), new Float64Array(size)];
    for (let n = 0; n < 2; n++)
      for (let oh = 0; oh < outHW[0]; oh++)
        for (let ow = 0; ow < outHW[1]; ow++)
          for (let c = 0; c < C; c++) {
            let m = -Infinity;
            let s = 0;
            let count = 0;
            for (let i = 0; i < win[0]; i++)
              for (let j = 0; j < win[1]; j++) {
                const h = oh * strides[0] + i - lo[0];
                const w = ow * strides[1] + j - lo[1];
                if (h < 0 || h >= H || w < 0 || w >= W) continue;
                const v = xv[((n * H + h) * W + w) * C + c];
                m = Math.max(m, v);
                s += v;
                count++;
              }
            const k = ((n * outHW[0] + oh) * outHW[1] + ow) * C + c;
            [mx[k], sm[k], avg[k]] = [m, s, s / count];
          }
    const shape = [2, ...outHW, C];
    expectClose(stax.MaxPool(win, { strides, padding })[1]([], x) as Array, mx, shape, 0);
    expectClose(stax.SumPool(win, { strides, padding })[1]([], x) as Array, sm, shape);
    expectClose(stax.AvgPool(win, { strides, padding })[1]([], x) as Array, avg, shape);
  });

  it("AvgPool with spec NCHW divides by the per-window count on the spatial axes", () => {
    const x = np.ones([1, 2, 3, 3], "float32");
    // All-ones input: an average over real elements is exactly 1 everywhere, SAME or not.
    expectClose(stax.AvgPool([2, 2], { padding: "SAME", spec: "NCHW" })[1]([], x) as Array, new Float64Array(18).fill(1), [1, 2, 3, 3], 0);
    // SumPool counts the real elements instead: corners see 1..4 of them.
    const s = stax.SumPool([2, 2], { padding: "SAME", spec: "NCHW" })[1]([], x) as Array;
    expect(globalThis.Array.from(s.dataSync() as ArrayLike<number>).slice(0, 9)).toEqual([4, 4, 2, 4, 4, 2, 2, 2, 1]);
  });

  it.each([
    [[0, 1, 2], [4, 3, 2, 5]],
    [[0, 2, 3], [4, 3, 2, 5]],
    [[0], [6, 4]],
  ])("BatchNorm over axes %j of %j: gamma·(x - mean)/sqrt(var + eps) + beta", (axes, xs) => {
    const x = randArray(xs, -1, 3, 17, "float32");
    const pShape = xs.filter((_, i) => !axes.includes(i));
    const gamma = randArray(pShape, 0.5, 2, 19, "float32");
    const beta = randArray(pShape, -1, 1, 23, "float32");
    const xv = f64(x);
    const st = stridesOf(xs);
    const pIndex = (flat: number) => {
      const idx = st.map((s, d) => Math.floor(flat / s) % xs[d]).filter((_, d) => !axes.includes(d));
      return idx.reduce((acc, v, d) => acc * pShape[d] + v, 0);
    };
    const nP = pShape.reduce((a, b) => a * b, 1);
    const [sum, sq, cnt] = [new Float64Array(nP), new Float64Array(nP), new Float64Array(nP)];
    xv.forEach((v, i) => {
      const p = pIndex(i);
      sum[p] += v;
      sq[p] += v * v;
      cnt[p]++;
    });
    const gv = f64(gamma);
    const bv = f64(beta);
    const eps = 1e-5;
    const norm = (i: number) => {
      const p = pIndex(i);
      const mean = sum[p] / cnt[p];
      return (xv[i] - mean) / Math.sqrt(sq[p] / cnt[p] - mean * mean + eps);
    };
    const want = xv.map((_, i) => gv[pIndex(i)] * norm(i) + bv[pIndex(i)]);
    const [init, apply] = stax.BatchNorm({ axis: axes });
    const [, [b0, g0]] = init(random.PRNGKey(0), xs) as [unknown, Array[]];
    expectClose(b0, new Float64Array(nP), pShape, 0);
    expectClose(g0, new Float64Array(nP).fill(1), pShape, 0);
    expectClose(apply([beta, gamma], x) as Array, want, xs);
    expectClose(stax.BatchNorm({ axis: axes, center: false, scale: false })[1]([[], []], x) as Array, xv.map((_, i) => norm(i)), xs);
    expectClose(stax.BatchNorm({ axis: axes, center: false })[1]([[], gamma], x) as Array, xv.map((_, i) => gv[pIndex(i)] * norm(i)), xs);
  });

  it("BatchNorm of a constant batch: the variance clips at 0, the output is beta (no NaN)", () => {
    const x = np.full([8, 3], 0.1, "float32");
    const beta = np.array([1, 2, 3], "float32");
    expectClose(stax.BatchNorm({ axis: 0 })[1]([beta, np.ones([3], "float32")], x) as Array, [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3], [8, 3], 1e-3);
  });

  it("Dropout: rate is the KEEP probability; keep = bernoulli(rng, rate, shape), x / rate where kept", () => {
    const x = randArray([60, 50], 0.5, 1.5, 29, "float32");
    const rng = random.PRNGKey(42);
    const rate = 0.7;
    const y = stax.Dropout(rate)[1]([], x, { rng }) as Array;
    expectEqual(y, np.where(random.bernoulli(rng, rate, [60, 50]), np.divide(x, rate), 0) as Array);
    // About 70% kept (3000 draws: 4 standard deviations is ±0.034).
    const kept = f64(y).filter((v) => v !== 0).length / 3000;
    expect(Math.abs(kept - rate)).toBeLessThan(0.034);
    expectEqual(stax.Dropout(rate, "test")[1]([], x) as Array, x);
    expectEqual(stax.Dropout(rate, { mode: "test" })[1]([], x) as Array, x);
    expect(() => stax.Dropout(rate)[1]([], x)).toThrow(/Dropout.*PRNG key/);
    expect(() => stax.Dropout(rate, "eval" as any)).toThrow(/"train" or "test"/);
  });

  it("serial: init splits the rng once per layer; apply splits rng into one key per layer", () => {
    const layers = [stax.Dense(4), stax.Relu, stax.Dense(2), stax.Dropout(0.5)];
    const [init, apply] = stax.serial(...layers);
    const rng = random.PRNGKey(7);
    const [shape, params] = init(rng, [-1, 3]) as [number[], any[]];
    expect(shape).toEqual([-1, 2]);
    let key = rng;
    let s: stax.Shapes = [-1, 3];
    layers.forEach(([layerInit], i) => {
      const [next, layerRng] = random.split(key);
      key = next;
      const [s2, p] = layerInit(layerRng, s);
      s = s2;
      if (globalThis.Array.isArray(p) && p.length === 2) p.forEach((a, j) => expectEqual(params[i][j], a as Array));
      else expect(params[i]).toEqual([]);
    });
    const x = randArray([5, 3], -1, 1, 31, "float32");
    const applyRng = random.PRNGKey(9);
    const keys = [...random.split(applyRng, 4)] as Array[];
    let want: stax.Inputs = x;
    layers.forEach(([, layerApply], i) => (want = layerApply(params[i], want, { rng: keys[i] })));
    expectEqual(apply(params, x, { rng: applyRng }) as Array, want as Array);
    expect(() => apply(params, x)).toThrow(/Dropout/);
  });

  it("parallel, FanOut, FanInSum, FanInConcat", () => {
    const [init, apply] = stax.parallel(stax.Dense(2), stax.Dense(3));
    const rng = random.PRNGKey(5);
    const [shapes, params] = init(rng, [[-1, 4], [-1, 5]]) as [number[][], Array[][]];
    expect(shapes).toEqual([[-1, 2], [-1, 3]]);
    const ks = [...random.split(rng, 2)] as Array[];
    expectEqual(params[1][0], (stax.Dense(3)[0](ks[1], [-1, 5])[1] as Array[])[0]);
    const a = randArray([2, 4], -1, 1, 1, "float32");
    const b = randArray([2, 5], -1, 1, 2, "float32");
    const [ya, yb] = apply(params, [a, b]) as Array[];
    expectEqual(ya, stax.Dense(2)[1](params[0], a) as Array);
    expectEqual(yb, stax.Dense(3)[1](params[1], b) as Array);
    const outs = stax.FanOut(3)[1]([], a) as Array[];
    expect(outs.length).toBe(3);
    expect(outs.every((o) => o === a)).toBe(true);
    expectClose(stax.FanInSum[1]([], [a, a, a]) as Array, f64(a).map((v) => 3 * v), [2, 4], 1e-6);
    expect(stax.FanInConcat({ axis: 0 })[0](rng, [[2, 4], [1, 4]])[0]).toEqual([3, 4]);
    const c = stax.FanInConcat(0)[1]([], [a, np.zeros([1, 4], "float32")]) as Array;
    expectClose(c, [...f64(a), 0, 0, 0, 0], [3, 4], 0);
    expectClose(stax.FanInConcat()[1]([], [a, b]) as Array, [...f64(a).slice(0, 4), ...f64(b).slice(0, 5), ...f64(a).slice(4), ...f64(b).slice(5)], [2, 9], 0);
  });

  it("elementwise layers apply JAX's functions; Softmax rows sum to 1 (JAX issue #182)", () => {
    const x = randArray([3, 4], -3, 3, 37, "float32");
    const pairs: [stax.Layer, Array][] = [
      [stax.Tanh, np.tanh(x)], [stax.Relu, nn.relu(x)], [stax.Exp, np.exp(x)], [stax.LogSoftmax, nn.logSoftmax(x, -1)],
      [stax.Softmax, nn.softmax(x, -1)], [stax.Softplus, nn.softplus(x)], [stax.Sigmoid, nn.sigmoid(x)], [stax.Elu, nn.elu(x)],
      [stax.LeakyRelu, nn.leakyRelu(x)], [stax.Selu, nn.selu(x)], [stax.Gelu, nn.gelu(x, true)], [stax.Identity, x],
    ];
    for (const [[init, apply], want] of pairs) {
      expect(init(random.PRNGKey(0), [3, 4])).toEqual([[3, 4], []]);
      expectEqual(apply([], x) as Array, want);
    }
    // The names stax.py re-exports from jax.nn / jax.nn.initializers.
    expect([stax.relu, stax.logSoftmax, stax.softmax, stax.glorotNormal, stax.normal, stax.zeros]).toEqual([
      nn.relu, nn.logSoftmax, nn.softmax, nn.initializers.glorotNormal, nn.initializers.normal, nn.initializers.zeros,
    ]);
    const rows = np.sum(stax.Softmax[1]([], randArray([10, 3], -5, 5, 41, "float32")) as Array, 1) as Array;
    expectClose(rows, new Float64Array(10).fill(1), [10], 1e-6);
    expectClose(stax.elementwise((v: Array, a: number) => np.multiply(v, a), 2)[1]([], x) as Array, f64(x).map((v) => 2 * v), [3, 4], 0);
  });

  it("errors name the layer and the fix", () => {
    expect(() => stax.serial(stax.Dense as any)).toThrow(/stax\.serial: layer 0 .*must be called/);
    expect(() => stax.Conv(3, [2, 3], { padding: "FULL" })[0](random.PRNGKey(0), [2, 5, 5, 1])).toThrow(/stax\.GeneralConv: padding/);
    expect(() => stax.Conv(3, [2, 3, 1])).toThrow(/filterShape needs 2/);
    expect(() => stax.Dense(3)[0](random.PRNGKey(0), [2, -1])).toThrow(/stax\.Dense: the input's last dimension/);
    expect(() => stax.Dense(3)[1]([np.ones([2, 3])] as any, np.ones([1, 2]))).toThrow(/stax\.Dense: params must be \[W, b\]/);
    expect(() => stax.FanInSum[1]([], np.ones([2]))).toThrow(/stax\.FanInSum: expects a list of arrays/);
    expect(() => stax.MaxPool([2, 2])[1]([], np.ones([4, 4]))).toThrow(/stax\.MaxPool: a 2-D window needs inputs of rank 4/);
    expect(() => stax.parallel(stax.Relu, stax.Relu)[0](random.PRNGKey(0), [[2, 2]])).toThrow(/stax\.parallel: the input shape must be a list of 2/);
  });
});
