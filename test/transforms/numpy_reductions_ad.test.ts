// The numpy reductions, statistics, cumulative ops and sorting under grad / jvp / vmap: they
// are compositions of the lax primitives, so this checks the rules of ts/lax/reduce.ts and
// ts/lax/sort.ts at the level users call them (float64 central differences and the
// transpose identity; hand-computed values for JAX's tie conventions).
import { describe, expect, it } from "vitest";
import { grad, hessian, jit, jvp, lax, numpy as np, vmap } from "../../ts/index.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

const x34 = () => randArray([3, 4], -1, 1, 21);
const pos34 = () => randArray([3, 4], 0.5, 1.5, 22);

describe("numpy reductions: derivatives", () => {
  const fns: [string, (x: any) => any, () => any][] = [
    ["sum", (x) => np.sum(x), x34],
    ["sum axis 0", (x) => np.sum(x, 0), x34],
    ["sum axis 1 keepdims", (x) => np.sum(x, { axis: 1, keepdims: true }), x34],
    ["prod", (x) => np.prod(x), pos34],
    ["prod axis 1", (x) => np.prod(x, 1), pos34],
    ["max", (x) => np.max(x), x34],
    ["max axis 0", (x) => np.max(x, 0), x34],
    ["min axis 1", (x) => np.min(x, 1), x34],
    ["amax axis [0, 1]", (x) => np.amax(x, { axis: [0, 1] }), x34],
    ["mean", (x) => np.mean(x), x34],
    ["mean axis 1", (x) => np.mean(x, 1), x34],
    ["var", (x) => np.var(x), x34],
    ["var axis 0 ddof 1", (x) => np.var(x, { axis: 0, ddof: 1 }), x34],
    ["std axis 1", (x) => np.std(x, 1), x34],
    ["logsumexp (max-shifted) axis 1", (x) => {
      const m = lax.stopGradient(np.max(x, { axis: 1, keepdims: true }));
      return np.log(np.sum(np.exp(x.sub(m)), 1)).add(np.squeeze(m, 1));
    }, x34],
    ["cumsum axis 1", (x) => np.cumsum(x, 1), x34],
    ["cumsum flattened", (x) => np.cumsum(x), x34],
    ["cumprod axis 0", (x) => np.cumprod(x, 0), pos34],
    ["sort axis 1", (x) => np.sort(x, 1), x34],
    ["sort axis 0 descending", (x) => np.sort(x, { axis: 0, descending: true }), x34],
    ["sort flattened", (x) => np.sort(x, null), x34],
    ["values in argsort order (one-hot pick)", (x) => {
      // out[i, j] = x[i, argsort(x)[i, j]] as sum_k x[i, k] * (k == idx[i, j]): no gather.
      const idx = np.argsort(x, 1);
      const hot = np.equal(np.expandDims(idx, 2), np.arange(4)).astype("float64");
      return np.sum(np.expandDims(x, 1).mul(hot), 2);
    }, x34],
    // Needs gather's derivative rule (ts/lax/indexing.ts).
    ["values in argsort order (takeAlongAxis)", (x) => np.takeAlongAxis(x, np.argsort(x, 1), 1), x34],
    ["median axis 1 (even length)", (x) => np.median(x, 1), x34],
    ["median axis 0 (odd length)", (x) => np.median(x, 0), x34],
    ["quantile 0.3 (linear)", (x) => np.quantile(x, 0.3, 1), x34],
    ["percentile [10, 90]", (x) => np.percentile(x, np.array([10, 90], "float64"), 0), x34],
  ];
  it.each(fns)("%s", (_name, f, make) => {
    withX64(() => checkGrads(f, [make()]));
  });
});

describe("numpy reductions: JAX's conventions by hand", () => {
  it("np.max with ties: the gradient is shared equally among the tied maxima", () => {
    withX64(() => {
      const x = np.array([[1, 3], [3, 2]], "float64");
      expect(grad((a: any) => np.max(a))(x).tolist()).toEqual([[0, 0.5], [0.5, 0]]);
      // Per column: [1, 3] has one max, [3, 3]... columns of [[3, 3], [3, 1]]: (3, 3) tie, (3, 1) none.
      const y = np.array([[3, 3], [3, 1]], "float64");
      expect(grad((a: any) => np.sum(np.max(a, 0)))(y).tolist()).toEqual([[0.5, 1], [0.5, 0]]);
      // np.min ties over all axes: three entries share 1/3 each.
      const z = np.array([0, 2, 0, 0], "float64");
      expect(grad((a: any) => np.min(a))(z).tolist()).toEqual([1 / 3, 0, 1 / 3, 1 / 3]);
    });
  });
  it("np.prod with a zero: only the zero's entry has a gradient", () => {
    withX64(() => {
      expect(grad((a: any) => np.prod(a))(np.array([2, 3, 0, 4], "float64")).tolist()).toEqual([0, 0, 24, 0]);
    });
  });
  it("np.median: even length averages the two middle values", () => {
    withX64(() => {
      expect(grad((a: any) => np.median(a))(np.array([4, 1, 3, 2], "float64")).tolist()).toEqual([0, 0, 0.5, 0.5]);
      expect(grad((a: any) => np.median(a))(np.array([5, 1, 3], "float64")).tolist()).toEqual([0, 0, 1]);
    });
  });
  it("np.sort tangents follow the values; np.cumsum's vjp is the reversed cumsum", () => {
    withX64(() => {
      const [, t] = jvp((a: any) => np.sort(a), [np.array([2, -1, 0.5], "float64")], [np.array([1, 2, 3], "float64")]);
      expect(t.tolist()).toEqual([2, 3, 1]);
      const g = grad((a: any) => np.sum(np.cumsum(a).mul(np.array([1, 10, 100], "float64"))))(np.array([5, 6, 7], "float64"));
      expect(g.tolist()).toEqual([111, 110, 100]);
    });
  });
  it("np.mean / np.var gradients against the closed forms", () => {
    withX64(() => {
      const v = [1, 2, 4, 7];
      const m = v.reduce((a, b) => a + b) / v.length;
      const gv = grad((a: any) => np.var(a))(np.array(v, "float64")).tolist() as number[];
      gv.forEach((g, i) => expect(g).toBeCloseTo((2 * (v[i] - m)) / v.length, 14));
      const gm = grad((a: any) => np.mean(a))(np.array(v, "float64")).tolist();
      expect(gm).toEqual([0.25, 0.25, 0.25, 0.25]);
    });
  });
});

describe("numpy reductions under vmap", () => {
  const x = randArray([4, 3, 5], -1, 1, 31, "float32");
  it("np.argmax / np.argmin over batched rows (indices match a loop), incl. ties", () => {
    checkVmap((a: any) => np.argmax(a, 1), [x], [0]);
    checkVmap((a: any) => np.argmax(a), [x], [2]);
    checkVmap((a: any) => np.argmin(a, 0), [x], [1]);
    // Ties take the first index, also batched.
    const t = np.array([[1, 3, 3], [2, 2, 0], [0, 0, 0]], "float32");
    expect(vmap((a: any) => np.argmax(a))(t).tolist()).toEqual([1, 0, 0]);
  });
  it("sums, means, variance, cumulative ops, sort and median with batch axes 0-2", () => {
    for (const bd of [0, 1, 2]) {
      for (const f of [
        (a: any) => np.sum(a, 0), (a: any) => np.mean(a), (a: any) => np.var(a, 1), (a: any) => np.max(a, 1),
        (a: any) => np.cumsum(a, 0), (a: any) => np.cumprod(a, 1), (a: any) => np.sort(a, 0), (a: any) => np.argsort(a, 1),
        (a: any) => np.median(a, 1),
      ]) {
        checkVmap(f, [x], [bd], { rtol: 1e-6, atol: 1e-6 });
      }
    }
  });
  it("per-example gradients: vmap(grad(np.max)) and vmap(grad(np.sort-weighted sum))", () => {
    withX64(() => {
      const xs = randArray([5, 4], -1, 1, 41);
      checkVmap(grad((a: any) => np.max(a)), [xs], [0]);
      checkVmap(grad((a: any) => np.sum(np.sort(a).mul(np.arange(4).astype("float64")))), [xs], [0]);
      checkVmap(grad((a: any) => np.sum(np.cumprod(a))), [xs], [0], { rtol: 1e-12, atol: 1e-14 });
    });
  });
});

describe("higher order and jit", () => {
  it("hessian of np.prod: H_ij = prod of the others (zero diagonal), also with a zero", () => {
    withX64(() => {
      expect(hessian((a: any) => np.prod(a))(np.array([2, 3, 4], "float64")).tolist()).toEqual([[0, 4, 3], [4, 0, 2], [3, 2, 0]]);
      expect(hessian((a: any) => np.prod(a))(np.array([2, 0, 4], "float64")).tolist()).toEqual([[0, 4, 0], [4, 0, 2], [0, 2, 0]]);
    });
  });
  it("hessian through cumprod and a sort (second derivatives of the scan and of the permutation)", () => {
    withX64(() => {
      // sum(cumprod([a, b])) = a + a b: H = [[0, 1], [1, 0]].
      expect(hessian((a: any) => np.sum(np.cumprod(a)))(np.array([1.5, -2], "float64")).tolist()).toEqual([[0, 1], [1, 0]]);
      // sum(sort(x)^2 * w) is sum(w_{rank(i)} x_i^2): H = diag(2 w_{rank}).
      const w = np.array([1, 2, 3], "float64");
      const h = hessian((a: any) => np.sum(np.sort(a).mul(np.sort(a)).mul(w)))(np.array([0.5, -1, 2], "float64"));
      expect(h.tolist()).toEqual([[4, 0, 0], [0, 2, 0], [0, 0, 6]]);
    });
  });
  it("jit(grad(...)) equals grad(...) for max pooling, sort, cumsum and max", () => {
    withX64(() => {
      const x = randArray([4, 6], -1, 1, 51);
      const fs = [
        (a: any) => np.sum(lax.reduceWindow(a, "max", [2, 2], [2, 2], "VALID")),
        (a: any) => np.sum(np.sort(a, 1).mul(np.arange(6).astype("float64"))),
        (a: any) => np.sum(np.cumsum(a, 1).mul(a)),
        (a: any) => np.sum(np.max(a, 1)),
      ];
      for (const f of fs) expect(jit(grad(f))(x).tolist()).toEqual(grad(f)(x).tolist());
    });
  });
});
