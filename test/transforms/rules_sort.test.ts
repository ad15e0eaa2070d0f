// Derivative and batching rules of lax.sort, the cumulative primitives (cumsum, cumprod,
// cummax, cummin, cumlogsumexp) and searchsorted (ts/lax/sort.ts, ts/lax/search.ts).
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, lax, makeJaxpr, numpy as np, vjp, vmap } from "../../ts/index.js";
import { cumlogsumexp, parallelPrefixScan } from "../../ts/lax/sort.js";
import { searchsortedRaw } from "../../ts/lax/search.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

/** The jaxpr of vmap(f) has no concatenate: the primitive batched by its rule, not by the loop. */
function expectNoLoop(f: (...a: any[]) => any, args: any[], inAxes: (number | null)[]): void {
  const text = makeJaxpr(vmap(f, { inAxes }))(...args).toString();
  expect(text).not.toContain("concatenate");
}

describe("sort derivatives", () => {
  it.each([[[6], 0], [[3, 5], 1], [[3, 5], 0], [[2, 3, 4], 1]] as [number[], number][])("single operand %j along %i", (shape, dim) => {
    withX64(() => checkGrads((x: any) => lax.sort(x, { dimension: dim }), [randArray(shape, -1, 1, 5)]));
  });
  it("multi-operand: values carried along by one key, and two keys", () => {
    withX64(() => {
      const k = randArray([3, 5], -1, 1, 6);
      const v = randArray([3, 5], -1, 1, 7);
      checkGrads((a: any, b: any) => lax.sort([a, b], { dimension: 1 }), [k, v]);
      // Integer first key (ties broken by the float second key); a float payload.
      const ik = np.array([[1, 0, 1, 0, 1], [2, 2, 1, 1, 0], [0, 0, 0, 0, 0]], "int32");
      checkGrads((b: any, c: any) => lax.sort([ik, b, c], { dimension: 1, numKeys: 2 }), [v, k]);
    });
  });
  it("the tangent is permuted with the values (hand-computed)", () => {
    withX64(() => {
      const x = np.array([3, 1, 2], "float64");
      const [y, t] = jvp((a: any) => lax.sort(a), [x], [np.array([30, 10, 20], "float64")]);
      expect(y.tolist()).toEqual([1, 2, 3]);
      expect(t.tolist()).toEqual([10, 20, 30]);
      const [, pull] = vjp((a: any) => lax.sort(a), x);
      // The cotangent of sorted position i goes back to where that value came from.
      expect(pull(np.array([100, 200, 300], "float64"))[0].tolist()).toEqual([300, 100, 200]);
    });
  });
  it("np.sort of a sort is differentiable twice (the rules are written with bind)", () => {
    withX64(() => {
      const f = (x: any) => lax.sort(x).mul(np.array([1, 2, 3], "float64")).sum();
      const g = grad((x: any) => grad(f)(x).mul(x).sum())(np.array([0.3, -1, 2], "float64"));
      // grad f = position weights permuted back: [2, 1, 3]; its derivative in x is that constant.
      expect(g.tolist()).toEqual([2, 1, 3]);
    });
  });
});

describe("cumulative derivatives", () => {
  const ops: [string, (x: any, axis?: number, reverse?: boolean) => any, [number, number]][] = [
    ["cumsum", lax.cumsum, [-1, 1]],
    ["cumprod", lax.cumprod, [0.5, 1.5]],
    ["cummax", lax.cummax, [-1, 1]],
    ["cummin", lax.cummin, [-1, 1]],
    ["cumlogsumexp", cumlogsumexp, [-3, 3]],
  ];
  for (const [name, f, [lo, hi]] of ops) {
    it(`${name}: axes 0 and 1, forward and reverse, odd and even lengths`, () => {
      withX64(() => {
        for (const [shape, axis] of [[[7], 0], [[4, 5], 1], [[4, 3], 0], [[2, 8, 3], 1]] as [number[], number][]) {
          for (const reverse of [false, true]) {
            checkGrads((x: any) => f(x, axis, reverse), [randArray(shape, lo, hi, 3 + axis)]);
          }
        }
      });
    });
  }
  it("cumprod with zeros: exact (no division)", () => {
    withX64(() => {
      // d y_2 / d x = [x1 x2, x0 x2, x0 x1] = [0, 6, 0] at x = [2, 0, 3].
      const g = grad((x: any) => lax.cumprod(x).get(2))(np.array([2, 0, 3], "float64"));
      expect(g.tolist()).toEqual([0, 6, 0]);
      checkGrads((x: any) => lax.cumprod(x), [np.array([1.5, 0, -2, 0.5, 0, 3], "float64")]);
    });
  });
  it("cummax follows the running maximum; ties as JAX (jvp of its associative scan of max)", () => {
    withX64(() => {
      const x = np.array([1, 3, 2, 5, 4], "float64");
      const [y, t] = jvp((a: any) => lax.cummax(a), [x], [np.array([10, 20, 30, 40, 50], "float64")]);
      expect(y.tolist()).toEqual([1, 3, 3, 5, 5]);
      expect(t.tolist()).toEqual([10, 20, 20, 40, 40]);
      // x = [1, 1]: y_1 = max(x0, x1) is a tie, JAX gives 1/2 to each.
      const [, t2] = jvp((a: any) => lax.cummax(a), [np.array([1, 1], "float64")], [np.array([2, 6], "float64")]);
      expect(t2.tolist()).toEqual([2, 4]);
      // x = [1, 1, 1]: JAX's scan computes y_2 = max(max(x0, x1), x2): weights 1/4, 1/4, 1/2.
      const [, t3] = jvp((a: any) => lax.cummin(a), [np.array([1, 1, 1], "float64")], [np.array([4, 8, 16], "float64")]);
      expect(t3.tolist()).toEqual([4, 6, 11]);
    });
  });
  it("cumlogsumexp: values against a float64 loop, stable for wide ranges", () => {
    withX64(() => {
      const x = [-1000, 0, 2, -5, 700];
      const y = cumlogsumexp(np.array(x, "float64")).tolist() as number[];
      let acc = -Infinity;
      x.forEach((v, i) => {
        const m = Math.max(acc, v);
        acc = m + Math.log(Math.exp(acc - m) + Math.exp(v - m));
        expect(y[i]).toBeCloseTo(acc, 10);
      });
      // Under jit (the primitive runs through its impl) and reversed.
      const x2 = np.array([[1, 2, 3], [3, 4, 0]], "float64");
      expect(jit((a: any) => cumlogsumexp(a, 1))(x2).tolist()).toEqual(cumlogsumexp(x2, 1).tolist());
      const r = cumlogsumexp(x2, 1, true).tolist() as number[][];
      expect(r[1][1]).toBeCloseTo(Math.log(Math.exp(4) + 1), 12);
      // Gradient of the last entry is softmax(x).
      const g = grad((a: any) => cumlogsumexp(a).get(-1))(np.array([0, 1, 2], "float64")).tolist() as number[];
      const s = [1, Math.E, Math.E ** 2].map((v) => v / (1 + Math.E + Math.E ** 2));
      g.forEach((v, i) => expect(v).toBeCloseTo(s[i], 12));
    });
  });
  it("parallelPrefixScan matches JAX's examples", () => {
    const sum = parallelPrefixScan(([a], [b]) => [lax.add(a, b)], [np.arange(4)], 0)[0];
    expect(sum.tolist()).toEqual([0, 1, 3, 6]);
    const rsum = parallelPrefixScan(([a], [b]) => [lax.add(a, b)], [np.arange(4)], 0, true)[0];
    expect(rsum.tolist()).toEqual([6, 6, 5, 3]);
  });
});

describe("sort / cumulative / searchsorted batching", () => {
  const x = randArray([3, 4, 5], -1, 1, 8, "float32");
  const y = randArray([3, 4, 5], -1, 1, 9, "float32");
  it.each([0, 1, 2])("sort with batch axis %i, several sort dimensions, mixed batch axes", (bd) => {
    for (const dim of [0, 1]) {
      checkVmap((a: any) => lax.sort(a, { dimension: dim }), [x], [bd]);
      checkVmap((a: any, b: any) => lax.sort([a, b], { dimension: dim }), [x, y], [bd, bd]);
    }
    // Operands batched along different axes (a cube, so that every axis has the batch size).
    const c1 = randArray([4, 4, 4], -1, 1, 12, "float32");
    const c2 = randArray([4, 4, 4], -1, 1, 13, "float32");
    checkVmap((a: any, b: any) => lax.sort([a, b], { dimension: 0 }), [c1, c2], [bd, (bd + 1) % 3]);
    checkVmap((a: any, b: any) => lax.sort([a, b], { dimension: 1 }), [x, np.take(y, 0, { axis: bd })], [bd, null]);
    expectNoLoop((a: any, b: any) => lax.sort([a, b], { dimension: 1 }), [c1, c2], [bd, (bd + 1) % 3]);
  });
  it.each([0, 1, 2])("cumulative ops with batch axis %i", (bd) => {
    for (const f of [lax.cumsum, lax.cumprod, lax.cummax, lax.cummin, cumlogsumexp]) {
      for (const axis of [0, 1]) {
        for (const reverse of [false, true]) {
          checkVmap((a: any) => f(a, axis, reverse), [x], [bd]);
        }
      }
      expectNoLoop((a: any) => f(a, 1), [x], [bd]);
    }
  });
  it("searchsorted: batched queries, batched sorted arrays, both, both sides", () => {
    const sorted = lax.sort(randArray([4, 6], -1, 1, 10, "float32"), { dimension: 1 });
    const q = randArray([4, 4], -1, 1, 11, "float32");
    for (const side of ["left", "right"] as const) {
      const f = (a: any, v: any) => searchsortedRaw(a, v, side);
      checkVmap(f, [sorted, q], [0, 0]);
      checkVmap(f, [sorted, q], [0, 1]);
      checkVmap(f, [np.take(sorted, 0, { axis: 0 }), q], [null, 1]);
      checkVmap(f, [sorted, np.take(q, 0, { axis: 0 })], [0, null]);
      expectNoLoop(f, [sorted, q], [0, 0]);
    }
    // Ties, NaNs (sorted last) and -0.0 == 0.0 in the batched comparison path.
    const s2 = np.array([[0, 0, 1, NaN], [-1, -0, 0, 2]], "float32");
    const q2 = np.array([[0, NaN, 1], [0, -0, 3]], "float32");
    checkVmap((a: any, v: any) => searchsortedRaw(a, v, "left"), [s2, q2], [0, 0]);
    checkVmap((a: any, v: any) => searchsortedRaw(a, v, "right"), [s2, q2], [0, 0]);
    const iq = np.array([[1, 5], [0, 2]], "int32");
    checkVmap((a: any, v: any) => searchsortedRaw(a, v, "right"), [np.array([[1, 1, 3], [0, 2, 2]], "int32"), iq], [0, 0]);
  });
  it("searchsorted has no tangent", () => {
    withX64(() => {
      const f = (a: any) => searchsortedRaw(np.array([0, 1, 2], "float64"), a).astype("float64").add(a).sum();
      expect(grad(f)(np.array([0.5, 1.5], "float64")).tolist()).toEqual([1, 1]);
    });
  });
});
