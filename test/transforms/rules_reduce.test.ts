// Derivative and batching rules of the reduction primitives (ts/lax/reduce.ts), through the
// lax API: float64 central differences (checkJvp), the transpose identity (checkVjp) and
// vmap against a loop (checkVmap).
import { describe, expect, it } from "vitest";
import { grad, jvp, lax, makeJaxpr, numpy as np, vmap } from "../../ts/index.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

const shapes: [string, number[], number[]][] = [
  ["all axes of [3, 4]", [3, 4], [0, 1]],
  ["axis 0 of [3, 4]", [3, 4], [0]],
  ["axis 1 of [3, 4]", [3, 4], [1]],
  ["axes 0, 2 of [2, 3, 4]", [2, 3, 4], [0, 2]],
  ["no axes", [3, 2], []],
];

describe("reduce_sum / reduce_prod / reduce_max / reduce_min derivatives", () => {
  it.each(shapes)("reduce_sum over %s", (_n, shape, axes) => {
    withX64(() => checkGrads((x: any) => lax.reduceSum(x, axes), [randArray(shape, -1, 1, 1)]));
  });
  it.each(shapes)("reduce_prod over %s", (_n, shape, axes) => {
    withX64(() => checkGrads((x: any) => lax.reduceProd(x, axes), [randArray(shape, 0.5, 1.5, 2)]));
  });
  it.each(shapes)("reduce_max over %s", (_n, shape, axes) => {
    withX64(() => checkGrads((x: any) => lax.reduceMax(x, axes), [randArray(shape, -1, 1, 3)]));
  });
  it.each(shapes)("reduce_min over %s", (_n, shape, axes) => {
    withX64(() => checkGrads((x: any) => lax.reduceMin(x, axes), [randArray(shape, -1, 1, 4)]));
  });

  it("reduce_prod with zeros in the input (one zero, two zeros): exact leave-one-out products", () => {
    withX64(() => {
      // d/dx_j prod(x) = prod_{k != j} x_k: with one zero only the zero's entry is non-zero.
      const g1 = grad((x: any) => lax.reduceProd(x, [0]))(np.array([2, 0, 3, 5], "float64"));
      expect(g1.tolist()).toEqual([0, 30, 0, 0]);
      const g2 = grad((x: any) => lax.reduceProd(x, [0]))(np.array([2, 0, 3, 0], "float64"));
      expect(g2.tolist()).toEqual([0, 0, 0, 0]);
      // Per row of a [2, 3] array, along axis 1.
      const g3 = grad((x: any) => lax.reduceSum(lax.reduceProd(x, [1]), [0]))(np.array([[1, 2, 0], [4, 5, 6]], "float64"));
      expect(g3.tolist()).toEqual([[0, 0, 2], [30, 24, 20]]);
      checkGrads((x: any) => lax.reduceProd(x, [1]), [np.array([[1.5, 0, 2], [0.5, -1, 3]], "float64")]);
    });
  });

  it("reduce_max ties: the tangent is averaged over the tied maxima (JAX's convention)", () => {
    withX64(() => {
      // max([1, 3, 3, 2]) = 3 at two places: each gets 1/2.
      const g = grad((x: any) => lax.reduceMax(x, [0]))(np.array([1, 3, 3, 2], "float64"));
      expect(g.tolist()).toEqual([0, 0.5, 0.5, 0]);
      // Three-way tie in a row, none in the other.
      const g2 = grad((x: any) => lax.reduceSum(lax.reduceMin(x, [1]), [0]))(np.array([[1, 1, 1], [3, 2, 4]], "float64"));
      expect(g2.tolist()).toEqual([[1 / 3, 1 / 3, 1 / 3], [0, 1, 0]]);
      const [, t] = jvp((x: any) => lax.reduceMax(x, [0]), [np.array([5, 1, 5], "float64")], [np.array([1, 10, 3], "float64")]);
      expect(t.item()).toBe(2);
    });
  });

  it("integer reductions, reduce_and / reduce_or and argmax / argmin have no tangents", () => {
    withX64(() => {
      const f = (x: any) => lax.reduceMax(x, [0]).astype("float64").add(lax.convertElementType(lax.argmax(x, 0), "float64"));
      const g = grad((x: any) => f(x).add(x.sum()))(np.array([1, 4, 2], "float64"));
      // Only the x.sum() term contributes (argmax's output is integer; max has tangent [0, 1, 0]).
      expect(g.tolist()).toEqual([1, 2, 1]);
      const h = grad((x: any) => lax.reduceOr(lax.gt(x, 0), [0]).astype("float64").add(x.sum()))(np.array([1, -2], "float64"));
      expect(h.tolist()).toEqual([1, 1]);
    });
  });
});

describe("reduction batching", () => {
  const x = randArray([3, 4, 5], -1, 1, 7, "float32");
  const ix = np.array([[3, 1, 4, 1], [5, 9, 2, 6], [5, 3, 5, 8]], "int32");
  for (const bd of [0, 1, 2]) {
    it(`batch axis ${bd}: every reducer over several axes`, () => {
      for (const axes of [[0], [1], [0, 1]]) {
        checkVmap((a: any) => lax.reduceSum(a, axes), [x], [bd], { rtol: 1e-6, atol: 1e-6 });
        checkVmap((a: any) => lax.reduceProd(a, axes), [x], [bd], { rtol: 1e-6, atol: 1e-7 });
        checkVmap((a: any) => lax.reduceMax(a, axes), [x], [bd]);
        checkVmap((a: any) => lax.reduceMin(a, axes), [x], [bd]);
        checkVmap((a: any) => lax.reduceAnd(lax.gt(a, -0.9), axes), [x], [bd]);
        checkVmap((a: any) => lax.reduceOr(lax.gt(a, 0.9), axes), [x], [bd]);
      }
      checkVmap((a: any) => lax.argmax(a, 0), [x], [bd]);
      checkVmap((a: any) => lax.argmin(a, 1), [x], [bd]);
      // Batched by the rule (one equation), not by the loop fallback (slices + concatenate).
      const text = makeJaxpr(vmap((a: any) => lax.reduceMax(a, [0, 1]), { inAxes: [bd] }))(x).toString();
      expect(text).not.toContain("concatenate");
      expect(text).toContain("reduce_max");
    });
  }
  it("integer argmax under vmap, both axes", () => {
    checkVmap((a: any) => lax.argmax(a, 0), [ix], [1]);
    checkVmap((a: any) => lax.argmin(a, 0), [ix], [0]);
    expect(vmap((a: any) => lax.argmax(a, 0))(ix).tolist()).toEqual([2, 1, 3]);
  });
  it("gradients of batched reductions (vmap of grad)", () => {
    withX64(() => {
      const xs = randArray([4, 3], -1, 1, 9);
      const g = vmap(grad((r: any) => lax.reduceProd(r, [0])))(xs);
      const rows = xs.tolist() as number[][];
      const want = rows.map((r) => r.map((_, j) => r.reduce((p, v, k) => (k === j ? p : p * v), 1)));
      const got = g.tolist() as number[][];
      got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 12)));
    });
  });
});
