// jit (fused kernels, folded views, routines, memory plan) gives what the same function gives
// eagerly, one primitive at a time. The reference is the un-transformed function.
import { describe, expect, it } from "vitest";
import { numpy as np, jit, tree, type Array } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

/** Values in [-2, 2) from a fixed sequence (no RNG dependence). */
function data(shape: number[], dtype = "float32", seed = 1): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const v: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v.push(dtype.startsWith("float") ? (s / 2147483648) * 4 - 2 : (s % 21) - 10);
  }
  return np.array(v, dtype as any).reshape(shape);
}

/**
 * jit(f)(...args) against f(...args): same shapes, dtypes, weak types and values. Both run
 * the same float32 kernels on the same VM; fusion changes only where intermediates live
 * (registers instead of buffers), so values agree to float32 rounding of reordered
 * reductions: rtol 2e-6.
 */
function checkSame(f: (...a: any[]) => unknown, args: unknown[], rtol = 2e-6) {
  const want = tree.leaves(f(...args)) as Array[];
  const got = tree.leaves(jit(f)(...args)) as Array[];
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = (typeof want[i] === "number" ? np.asarray(want[i]) : want[i]) as Array;
    expect(g.shape, `output ${i} shape`).toEqual(w.shape);
    expect(g.dtype, `output ${i} dtype`).toBe(w.dtype);
    expect(g.weakType, `output ${i} weak type`).toBe(w.weakType);
    const gv = globalThis.Array.from(g.dataSync() as ArrayLike<number>);
    const wv = globalThis.Array.from(w.dataSync() as ArrayLike<number>);
    gv.forEach((x: number, k: number) => {
      const y = wv[k];
      if (Number.isNaN(y)) expect(Number.isNaN(x), `output ${i}[${k}] is NaN`).toBe(true);
      else expect(Math.abs(x - y), `output ${i}[${k}]: ${x} vs ${y}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(y)));
    });
  });
}

describe.each(backends)("jit equals eager (%s)", (backend) => {
  useBackend(backend);
  const x = data([4, 6]);
  const y = data([6], "float32", 7);
  const z = data([4, 1], "float32", 3);
  const xi = data([4, 6], "int32", 5);

  it("elementwise chains with broadcasting and weak scalars", () => {
    checkSame((a: Array, b: Array) => np.tanh(a.mul(2).add(b)).sub(1.5), [x, y]);
    checkSame((a: Array, b: Array, c: Array) => np.sqrt(a.mul(a).add(b.mul(b))).div(c.add(3)), [x, y, z]);
    checkSame((a: Array) => np.where(np.greater(a, 0), np.exp(a), a.mul(0.1)), [x]);
    checkSame((a: Array) => np.maximum(a, 0).add(np.minimum(a, 0).mul(0.01)), [x]);
    checkSame((a: Array) => a.mul(2), [np.array(3)]); // a weak-free int scalar argument
    checkSame((a: Array) => np.clip(a, -1, 1).pow(2), [x]);
  });

  it("mixed dtypes and conversions", () => {
    checkSame((a: Array, b: Array) => a.add(b), [xi, x]);
    checkSame((a: Array, b: Array) => a.astype("float32").mul(b).astype("int32"), [xi, x]);
    checkSame((a: Array, b: Array) => [np.less(a, b), np.logicalAnd(np.greater(a, -1), np.less(b, 1)), a.floorDiv(3), a.mod(4)], [xi, x]);
    checkSame((a: Array) => a.astype("float64").mul(1.5), [x]);
    checkSame((a: Array) => [a.astype("uint8"), a.astype("int8").add(100), a.astype("float16").mul(3)], [xi]);
  });

  it("reductions with epilogues", () => {
    checkSame((a: Array) => np.mean(a), [x]);
    checkSame((a: Array) => [np.mean(a, 0), np.var(a, 1), np.std(a)], [x]);
    checkSame((a: Array) => np.sum(np.exp(a), { axis: 1, keepdims: true }).add(1), [x]);
    checkSame((a: Array) => np.log(np.sum(np.exp(a.sub(np.max(a, { axis: 1, keepdims: true }))), 1)).add(np.max(a, 1)), [x]);
    checkSame((a: Array) => [np.prod(a.mul(0.5), 0), np.min(a, 1), np.argmax(a, 1), np.argmin(np.sin(a), 0)], [x]);
    checkSame((a: Array) => [np.any(np.greater(a, 1.5), 1), np.all(np.greater(a, -1.9)), np.sum(np.greater(a, 0), 0)], [x]);
    checkSame((a: Array) => np.sum(a.reshape([2, 2, 6]), [0, 2]), [x]);
    checkSame((a: Array) => np.sum(a.T.mul(2), 1).div(np.max(np.abs(a))), [x]);
    checkSame((a: Array) => np.sum(a, 1).mul(np.sum(a, 1)), [x]);
    checkSame((a: Array) => np.sum(np.zeros([3, 0]), 1).add(a.get("0, :3")), [x]); // empty reduction
    checkSame((a: Array) => [np.sum(a.get(":, :0"), 1).add(1), np.prod(a.get(":0"), 0).mul(a.get("0"))], [x]);
    checkSame((a: Array, w: Array) => np.sum(a, 1).mul(w).add(np.arange(4)), [x, z.reshape([4])]); // epilogue inputs, iota
    checkSame((a: Array) => np.argmax(a, 1).mul(2).add(np.argmin(a.T, 0)), [x]);
    // a result larger than the reduction it reads (broadcast back) cannot be its epilogue
    checkSame((a: Array) => np.where(np.broadcastTo(np.any(np.greater(a, 1), 0), [4, 6]), a, 0), [x]);
    checkSame((a: Array) => [np.percentile(a, 30, 0), np.nanpercentile(a, 70, 1)], [x]);
    checkSame((a: Array) => np.sum(np.ones([4, 6]), 1).add(np.max(np.full([4, 6], 2.5), 1)).mul(a.get(":, 0")), [x]); // reductions of literals
    checkSame((a: Array) => np.sum(a.astype("float16"), 1).mul(2), [x], 1e-3); // float16 result: 1e-3 relative
  });

  it("softmax, layer norm and a log-sum-exp", () => {
    const softmax = (a: Array) => {
      const e = np.exp(a.sub(np.max(a, { axis: 1, keepdims: true })));
      return e.div(np.sum(e, { axis: 1, keepdims: true }));
    };
    checkSame(softmax, [x]);
    checkSame((a: Array) => a.sub(np.mean(a, { axis: -1, keepdims: true })).div(np.sqrt(np.var(a, { axis: -1, keepdims: true }).add(1e-5))), [x]);
  });

  it("views folded into kernels", () => {
    checkSame((a: Array) => a.T.add(1), [x]);
    checkSame((a: Array) => a.add(a.get("::-1, :")), [x]);
    checkSame((a: Array) => np.sin(a).add(np.sin(a).get(":, ::-1")), [x]);
    checkSame((a: Array) => np.sin(a.get("1:3, ::2")).mul(2), [x]);
    checkSame((a: Array) => a.T.reshape([4, 6]).add(a), [x]); // reshape of a transpose needs a copy
    checkSame((a: Array) => np.exp(a).T.reshape([-1]), [x]);
    checkSame((a: Array) => np.expandDims(a, 0).add(np.zeros([3, 1, 1])), [x]);
    checkSame((a: Array) => np.squeeze(a.reshape([1, 4, 1, 6]), [0, 2]).mul(a), [x]);
    checkSame((a: Array) => np.broadcastTo(np.cos(a.get("0")), [5, 6]), [x]);
    checkSame((a: Array) => a.reshape([2, 12]).T.get("::3"), [x]);
  });

  it("iota and constants", () => {
    checkSame((a: Array) => a.add(np.arange(6)), [x]);
    checkSame((a: Array) => a.mul(np.eye(4, 6)), [x]);
    checkSame((a: Array) => np.arange(24).reshape([4, 6]).T.add(a.T), [x]);
    checkSame((a: Array) => np.arange(12, 0, -1).reshape([2, 6]).astype("float32").get("::-1").add(a.get(":2")), [x]);
    const c = data([4, 6], "float32", 11);
    checkSame((a: Array) => a.mul(c).add(np.full([4, 6], 2.5)), [x]);
  });

  it("routines in the middle", () => {
    checkSame((a: Array, b: Array) => np.exp(np.dot(np.sin(a), np.cos(b).T).mul(0.1)), [x, x]);
    checkSame((a: Array) => np.tanh(np.dot(a.T, a)).sum(0), [x]);
    checkSame((a: Array) => np.cumsum(np.abs(a), 1).mul(2), [x]);
    checkSame((a: Array) => np.sort(np.sin(a), 1).add(1), [x]);
    checkSame((a: Array) => np.concatenate([np.sin(a), a.mul(2)], 0).sum(1), [x]);
    checkSame((a: Array) => np.pad(np.exp(a), 1).mul(3), [x]);
    checkSame((a: Array, i: Array) => np.take(np.sin(a), i, 1).add(1), [x, np.array([0, 5, 2])]);
    checkSame((a: Array) => a.at("1, :").set(np.cos(a.get("2"))).mul(2), [x]);
    checkSame((a: Array) => np.dot(np.broadcastTo(np.sin(a.get("0")), [3, 6]), a.T), [x]);
  });

  it("results that are inputs, constants, literals or repeated", () => {
    const c = data([2, 2], "float32", 9);
    checkSame((a: Array) => [a, a.mul(2), a], [x]);
    checkSame((a: Array) => [c, a.T, 1.5, np.zeros([2, 3])], [x]);
    checkSame((a: Array) => {
      const s = np.sin(a);
      return { s, t: s, u: s.T, v: np.sum(s) };
    }, [x]);
    const f = jit((a: Array) => [a, a]);
    const [p, q] = f(x) as Array[];
    expect(p === x).toBe(false);
    expect(p === q).toBe(false);
    p.dispose();
    expect(q.tolist()).toEqual(x.tolist());
    expect((x as any).disposed).toBe(false);
  });

  it("non-contiguous and broadcast arguments", () => {
    const xt = x.T; // strided view
    checkSame((a: Array) => a.reshape([24]).mul(2), [xt]); // needs a copy of the argument
    checkSame((a: Array) => a.add(1).T, [xt]);
    const bc = np.broadcastTo(y, [4, 6]);
    checkSame((a: Array, b: Array) => a.mul(b).sum(0), [bc, x]);
    checkSame((a: Array) => np.sum(a.reshape([2, 12]), 1), [x.get("::-1")]);
  });

  it("float64, integer and bool programs", () => {
    const d = data([3, 5], "float64");
    checkSame((a: Array) => np.sum(np.exp(a).mul(a), 1), [d], 1e-12);
    checkSame((a: Array) => [a.mul(a).sub(3).floorDiv(2), np.sum(a, 0), np.max(a.abs(), 1)], [xi]);
    checkSame((a: Array) => np.logicalNot(np.greater(a, 0)).astype("int32").cumsum(), [xi]);
  });
});
