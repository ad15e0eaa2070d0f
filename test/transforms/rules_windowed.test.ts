// Derivative and batching rules of reduce_window (ts/lax/windowed.ts): window sums (linear,
// transposed by padding), max/min pooling (the winner's tangent), window products, with
// strides, padding and dilations; gradient of max pooling checked by hand.
import { describe, expect, it } from "vitest";
import { grad, jvp, lax, makeJaxpr, numpy as np, vmap } from "../../ts/index.js";
import { checkGrads, checkJvp, checkVjp, checkVmap, randArray, withX64 } from "./check.js";

type Cfg = [string, number[], number[], number[] | null, string | [number, number][], { baseDilation?: number[]; windowDilation?: number[] }];
const configs: Cfg[] = [
  ["2x2 stride 1 VALID", [4, 5], [2, 2], null, "VALID", {}],
  ["2x2 stride 2 VALID (pooling)", [4, 6], [2, 2], [2, 2], "VALID", {}],
  ["3x2 stride [2, 1] SAME", [5, 4], [3, 2], [2, 1], "SAME", {}],
  ["explicit padding", [4, 4], [2, 3], [1, 2], [[1, 0], [0, 2]], {}],
  ["base dilation", [3, 4], [2, 2], [1, 1], "VALID", { baseDilation: [2, 1] }],
  ["window dilation", [5, 6], [2, 2], [1, 2], "VALID", { windowDilation: [2, 2] }],
  ["1-D window 3 stride 2", [9], [3], [2], "VALID", {}],
  ["strides larger than the window (gaps)", [8, 5], [2, 1], [3, 2], "VALID", {}],
  ["negative padding (cropping) with both dilations", [7, 6], [2, 2], [2, 1], [[-1, 1], [1, -2]], { baseDilation: [1, 2], windowDilation: [2, 1] }],
  ["3-D, window over the last two axes only", [2, 4, 5], [1, 3, 2], [1, 1, 2], "SAME", {}],
];

describe("reduce_window derivatives", () => {
  it.each(configs)("sum: %s", (_n, shape, win, strides, pad, opts) => {
    withX64(() => checkGrads((x: any) => lax.reduceWindow(x, "sum", win, strides, pad, opts), [randArray(shape, -1, 1, 2)]));
  });
  it.each(configs)("max: %s", (_n, shape, win, strides, pad, opts) => {
    // "SAME" and explicit padding put -inf padding in windows that also hold real entries,
    // so every output is finite (differences of -inf would be NaN).
    withX64(() => checkGrads((x: any) => lax.reduceWindow(x, "max", win, strides, pad, opts), [randArray(shape, -1, 1, 3)]));
  });
  it.each(configs)("min: %s", (_n, shape, win, strides, pad, opts) => {
    withX64(() => checkGrads((x: any) => lax.reduceWindow(x, "min", win, strides, pad, opts), [randArray(shape, -1, 1, 4)]));
  });
  it.each(configs)("prod: %s", (_n, shape, win, strides, pad, opts) => {
    withX64(() => checkGrads((x: any) => lax.reduceWindow(x, "prod", win, strides, pad, opts), [randArray(shape, 0.5, 1.5, 5)]));
  });
  it("JAX's (initValue, computation) form with a non-identity init", () => {
    withX64(() => {
      const x = randArray([4, 5], -1, 1, 6);
      // max with 0 starts every window at 0 (a window all below 0 gives 0 with zero tangent).
      checkGrads((a: any) => lax.reduceWindow(a, 0, lax.max, [2, 2], [1, 1], "SAME"), [x]);
      checkGrads((a: any) => lax.reduceWindow(a, 1.5, lax.add, [2, 2], [1, 1], "SAME"), [x]);
      checkGrads((a: any) => lax.reduceWindow(a, 2, lax.mul, [2, 1], [1, 1], "SAME"), [x]);
    });
  });

  it("grad of 2x2 max pooling: one-hot at each window's maximum, ties to the first in window order", () => {
    withX64(() => {
      const x = np.array(
        [
          [1, 5, 2, 2],
          [3, 4, 2, 2],
          [0, 0, 9, 1],
          [7, 0, 1, 8],
        ],
        "float64",
      );
      const pool = (a: any) => lax.reduceWindow(a, "max", [2, 2], [2, 2], "VALID");
      expect(pool(x).tolist()).toEqual([[5, 2], [7, 9]]);
      const g = grad((a: any) => pool(a).mul(np.array([[1, 2], [3, 4]], "float64")).sum())(x);
      // Window [[2, 2], [2, 2]] ties everywhere: JAX's select_and_scatter_add picks the first.
      expect(g.tolist()).toEqual([
        [0, 1, 2, 0],
        [0, 0, 0, 0],
        [0, 0, 4, 0],
        [3, 0, 0, 0],
      ]);
      // Overlapping windows (stride 1) accumulate on a shared maximum.
      const g2 = grad((a: any) => lax.reduceWindow(a, "max", [2, 2], [1, 1], "VALID").sum())(np.array([[0, 1, 0], [1, 9, 1], [0, 1, 0]], "float64"));
      expect(g2.tolist()).toEqual([[0, 0, 0], [0, 4, 0], [0, 0, 0]]);
    });
  });

  it("average pooling gradient (window sum / size) spreads evenly, also with padding", () => {
    withX64(() => {
      const g = grad((a: any) => lax.reduceWindow(a, "sum", [2, 2], [2, 2], "VALID").div(4).sum())(np.ones([4, 4], "float64"));
      expect(g.tolist()).toEqual(np.full([4, 4], 0.25, "float64").tolist());
      // Stride 1, SAME padding on [3]: windows [x0, x1], [x1, x2], [x2, pad]: counts 1, 2, 2.
      const g1 = grad((a: any) => lax.reduceWindow(a, "sum", [2], [1], "SAME").sum())(np.array([1, 2, 3], "float64"));
      expect(g1.tolist()).toEqual([1, 2, 2]);
    });
  });

  it("the window sum's tangent map is linear and its transpose matches (makeJaxpr shows reduce_window only)", () => {
    withX64(() => {
      const x = randArray([6, 5], -1, 1, 8);
      checkVjp((a: any) => lax.reduceWindow(a, "sum", [3, 2], [2, 2], [[2, 1], [1, -1]], { windowDilation: [1, 2] }), [x]);
      checkJvp((a: any) => lax.reduceWindow(a, "sum", [3, 2], [2, 2], [[2, 1], [1, -1]], { baseDilation: [2, 3] }), [x]);
      checkVjp((a: any) => lax.reduceWindow(a, "sum", [3, 2], [2, 2], [[2, 1], [1, -1]], { baseDilation: [2, 3] }), [x]);
      const [, t] = jvp((a: any) => lax.reduceWindow(a, "sum", [2], [1], "VALID"), [np.array([1, 2, 3], "float64")], [np.array([1, 10, 100], "float64")]);
      expect(t.tolist()).toEqual([11, 110]);
    });
  });
});

describe("reduce_window batching", () => {
  const x = randArray([3, 4, 5], -1, 1, 9, "float32");
  it.each([0, 1, 2])("batch axis %i: every op, strides and padding", (bd) => {
    for (const op of ["sum", "max", "min", "prod"] as const) {
      const f = (a: any) => lax.reduceWindow(a, op, [2, 2], [1, 2], "SAME");
      checkVmap(f, [x], [bd], { rtol: 1e-6, atol: 1e-6 });
      expect(makeJaxpr(vmap(f, { inAxes: [bd] }))(x).toString()).not.toContain("concatenate");
    }
    checkVmap((a: any) => lax.reduceWindow(a, -1, lax.max, [3, 1], [1, 1], "VALID", { windowDilation: [1, 2] }), [x], [bd]);
  });
  it("vmap of the max-pooling gradient equals a loop of it", () => {
    withX64(() => {
      const xs = randArray([3, 4, 4], -1, 1, 10);
      const gpool = grad((a: any) => lax.reduceWindow(a, "max", [2, 2], [2, 2], "VALID").sum());
      checkVmap(gpool, [xs], [0]);
    });
  });
});
