// stax networks under transformations: gradients of small serial networks against central
// differences (test/transforms/check.ts, float64), jit(apply) against eager apply, vmap of a
// per-example apply against the batched one, and a short SGD loop that lowers the loss.
import { describe, expect, it } from "vitest";
import { Array, jit, memoryStats, tidy, nn, numpy as np, random, stax, tree, valueAndGrad, vmap } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";
import { checkJvp, checkVjp, randArray, withX64 } from "../transforms/check.js";

/** Cross-entropy of log-probabilities against integer labels. */
function nll(logProbs: Array, labels: Array, classes: number): Array {
  return np.negative(np.mean(np.sum(np.multiply(logProbs, nn.oneHot(labels, classes, { dtype: logProbs.dtype })), -1))) as Array;
}

/** Checks jvp (central differences) and vjp (transpose identity) of loss(params, x) in all params and x. */
function checkNetworkGrads(layer: stax.Layer, inputShape: number[], applyOpts: stax.ApplyOptions = {}, tol = { rtol: 1e-5, atol: 1e-7 }) {
  const [init, apply] = layer;
  // Initialized in float32 (random sampling has no float64), then checked in float64.
  const [, params32] = init(random.PRNGKey(0), inputShape);
  withX64(() => {
    const [leaves, def] = tree.flatten(tree.map((w: Array) => w.astype("float64"), params32));
    expect(leaves.every((l) => (l as Array).dtype === "float64")).toBe(true);
    const x = randArray(inputShape, -1, 1, 3);
    // A fixed random weighting of the outputs makes a scalar with every output contributing.
    let weights: Array | null = null;
    const loss = (...args: Array[]) => {
      const p = tree.unflatten(def, args.slice(0, -1)) as stax.Params;
      const y = apply(p, args[args.length - 1], applyOpts) as Array;
      weights ??= randArray(y.shape, -1, 1, 5);
      return np.sum(np.multiply(y, weights));
    };
    checkJvp(loss, [...(leaves as Array[]), x], tol);
    checkVjp(loss, [...(leaves as Array[]), x]);
  });
}

describe.each(backends)("stax under transformations (%s)", (backend) => {
  useBackend(backend);

  // Central differences in float64 with eps = 1e-6 are accurate to ~1e-9 relative for smooth
  // layers; MaxPool/Relu kinks are not crossed at random inputs. rtol 1e-5 leaves margin.
  it("gradients of a conv net (Conv SAME, BatchNorm, Tanh, AvgPool SAME, Flatten, Dense, Gelu, LogSoftmax)", () => {
    const net = stax.serial(
      stax.Conv(3, [2, 2], { padding: "SAME" }), stax.BatchNorm(), stax.Tanh, stax.AvgPool([2, 2], { strides: [2, 2], padding: "SAME" }),
      stax.Flatten, stax.Dense(4), stax.Gelu, stax.Dense(3), stax.LogSoftmax,
    );
    checkNetworkGrads(net, [2, 3, 5, 2]);
  });

  it("gradients of ConvTranspose, MaxPool, SumPool, Selu, Elu, Softplus, Sigmoid, LeakyRelu, Softmax", () => {
    const net = stax.serial(
      stax.ConvTranspose(2, [3, 2], { strides: [2, 1] }), stax.Selu, stax.MaxPool([2, 2], { strides: [1, 2] }), stax.Elu,
      stax.SumPool([2, 1]), stax.Softplus, stax.Conv(2, [1, 1]), stax.Sigmoid, stax.LeakyRelu, stax.Flatten, stax.Dense(3), stax.Softmax,
    );
    checkNetworkGrads(net, [2, 3, 2, 2]);
  });

  it("gradients through FanOut / parallel / FanInSum / FanInConcat, Dropout (fixed rng) and Conv1DTranspose", () => {
    const block = stax.serial(
      stax.FanOut(3),
      stax.parallel(stax.Dense(4), stax.serial(stax.Dense(4), stax.Exp), stax.Identity),
      stax.parallel(stax.Identity, stax.Relu, stax.Dense(4)),
      stax.FanInConcat(),
      stax.Dropout(0.8),
      stax.FanOut(2),
      stax.FanInSum,
      stax.Dense(2),
    );
    checkNetworkGrads(block, [3, 4], { rng: random.PRNGKey(11) });
    checkNetworkGrads(stax.serial(stax.Conv1DTranspose(2, [3], { strides: [2], padding: "SAME" }), stax.BatchNorm({ axis: [0, 1] })), [2, 4, 3]);
  });

  it("jit(apply) equals eager apply (also with a traced rng for Dropout)", () => {
    const [init, apply] = stax.serial(
      stax.Conv(4, [3, 3], { strides: [2, 1], padding: "SAME" }), stax.BatchNorm(), stax.Relu, stax.MaxPool([2, 2], { padding: "SAME" }),
      stax.ConvTranspose(2, [2, 2], { strides: [2, 2] }), stax.AvgPool([3, 3], { strides: [2, 2], padding: "SAME" }),
      stax.Flatten, stax.Dropout(0.9), stax.Dense(5), stax.LogSoftmax,
    );
    const [outShape, params] = init(random.PRNGKey(1), [-1, 8, 6, 3]);
    const x = randArray([4, 8, 6, 3], -1, 1, 2, "float32");
    const rng = random.PRNGKey(2);
    const eager = apply(params, x, { rng }) as Array;
    expect(eager.shape).toEqual((outShape as number[]).map((d) => (d === -1 ? 4 : d)));
    const jitted = jit((p: stax.Params, v: Array, k: Array) => apply(p, v, { rng: k }))(params, x, rng) as Array;
    expect(jitted.shape).toEqual(eager.shape);
    // The compiled program may fuse and reorder float32 sums: allow a few ulps of the
    // O(1) log-probabilities (1e-5), far below any semantic difference.
    const a = eager.dataSync() as Float32Array;
    const b = jitted.dataSync() as Float32Array;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(a[i]));
  });

  it("vmap of a per-example apply equals the batched apply (layers without batch statistics)", () => {
    const [init, apply] = stax.serial(stax.Conv(3, [2, 2]), stax.Relu, stax.Flatten, stax.Dense(4), stax.Softmax);
    const [, params] = init(random.PRNGKey(4), [-1, 4, 4, 2]);
    const x = randArray([5, 4, 4, 2], -1, 1, 6, "float32");
    const batched = apply(params, x) as Array;
    const perExample = vmap((v: Array) => np.squeeze(apply(params, np.expandDims(v, 0)) as Array, 0))(x) as Array;
    const a = batched.dataSync() as Float32Array;
    const b = perExample.dataSync() as Float32Array;
    expect(perExample.shape).toEqual([5, 4]);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-6);
  });

  it("vmap(init) over keys builds an ensemble: member i equals init with key i", () => {
    const [init, apply] = stax.serial(stax.Dense(3), stax.Relu, stax.Dense(2));
    const keys = random.split(random.PRNGKey(0), 4);
    const ensemble = vmap((k: Array) => init(k, [-1, 5])[1])(keys) as stax.Params;
    expect(tree.leaves(ensemble).map((l) => (l as Array).shape)).toEqual([[4, 5, 3], [4, 3], [4, 3, 2], [4, 2]]);
    const x = randArray([6, 5], -1, 1, 3, "float32");
    const outs = vmap((p: stax.Params) => apply(p, x) as Array)(ensemble) as Array;
    expect(outs.shape).toEqual([4, 6, 2]);
    [...keys].forEach((k, i) => {
      const single = init(k as Array, [-1, 5])[1];
      tree.leaves(single).forEach((l, j) => {
        expect(globalThis.Array.from((tree.leaves(ensemble)[j] as Array).get(i).dataSync() as Float32Array)).toEqual(globalThis.Array.from((l as Array).dataSync() as Float32Array));
      });
      const y = (apply(single, x) as Array).dataSync() as Float32Array;
      const yb = outs.get(i).dataSync() as Float32Array;
      // Batched and single matmuls may sum in different orders: a few float32 ulps.
      y.forEach((v, m) => expect(Math.abs(v - yb[m])).toBeLessThanOrEqual(1e-6 + 1e-6 * Math.abs(v)));
    });
  });

  it("a jitted SGD loop on a small MLP lowers the training loss", () => {
    // Three Gaussian blobs in 2-D (deterministic data), 3 classes.
    const n = 60;
    const centers = [[2, 0], [-1, 1.7], [-1, -1.7]];
    const noise = randArray([n, 2], -0.8, 0.8, 9, "float32").dataSync() as Float32Array;
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      xs.push(centers[c][0] + noise[2 * i], centers[c][1] + noise[2 * i + 1]);
      ys.push(c);
    }
    const x = np.array(xs, "float32").reshape([n, 2]);
    const labels = np.array(ys, "int32");
    const [init, apply] = stax.serial(stax.Dense(16), stax.Tanh, stax.Dense(16), stax.Relu, stax.Dense(3), stax.LogSoftmax);
    let [, params] = init(random.PRNGKey(0), [-1, 2]);
    const loss = (p: stax.Params) => nll(apply(p, x) as Array, labels, 3);
    const lr = 0.2;
    const step = jit((p: stax.Params) => {
      const [l, g] = valueAndGrad(loss)(p);
      return [tree.map((w: Array, dw: Array) => np.subtract(w, np.multiply(lr, dw)), p, g), l];
    });
    const losses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const [next, l] = step(params) as [stax.Params, Array];
      params = next;
      losses.push(Number(l.item()));
    }
    const final = Number(loss(params).item());
    // Chance level is ln 3 ≈ 1.10; separable blobs should be learned well below half of that.
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(final).toBeLessThan(0.5 * losses[0]);
    expect(final).toBeLessThan(0.3);
    const predicted = np.argmax(apply(params, x) as Array, -1).dataSync() as Int32Array;
    const accuracy = predicted.filter((p, i) => p === ys[i]).length / n;
    expect(accuracy).toBeGreaterThan(0.9);
  });
});

describe.each(backends)("stax memory (%s)", (backend) => {
  useBackend(backend);

  it("init and apply leave only their results alive (intermediates and split keys are released)", () => {
    const [init, apply] = stax.serial(
      stax.Conv(3, [2, 2], { padding: "SAME" }), stax.BatchNorm(), stax.Relu, stax.AvgPool([2, 2], { padding: "SAME" }),
      stax.FanOut(2), stax.parallel(stax.Identity, stax.Tanh), stax.FanInConcat(), stax.Flatten, stax.Dropout(0.5),
      stax.Dense(4, nn.initializers.heNormal(), nn.initializers.zeros), stax.LogSoftmax,
    );
    const rng = random.PRNGKey(0);
    const x = randArray([2, 4, 4, 1], -1, 1, 1, "float32");
    // A first run fills the jit caches (which own the constants they captured).
    tidy(() => apply(init(rng, [-1, 4, 4, 1])[1], x, { rng }));
    const before = memoryStats().liveArrays;
    const [, params] = init(rng, [-1, 4, 4, 1]);
    const nParams = tree.leaves(params).length;
    expect(nParams).toBe(6);
    expect(memoryStats().liveArrays).toBe(before + nParams);
    const y = apply(params, x, { rng }) as Array;
    expect(memoryStats().liveArrays).toBe(before + nParams + 1);
    y.dispose();
    tree.leaves(params).forEach((p) => (p as Array).dispose());
    expect(memoryStats().liveArrays).toBe(before);
  });
});
