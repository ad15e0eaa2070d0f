// ts/lax/search.ts: lax.topK (XLA's total order, ties lower index first) and the
// searchsorted primitive, against fixtures (test/numpy/gen_sorting.py) and by hand.
import { afterEach, describe, expect, it } from "vitest";
import { type Array, config, lax, numpy as np } from "../../ts/index.js";
import { searchsorted_p } from "../../ts/lax/search.js";
import { bind1 } from "../../ts/core/trace.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { caseName, cases, runCase } from "../numpy/sorting_fixture_util.js";

describe.each(backends)("lax search on %s", (backend) => {
  useBackend(backend);
  afterEach(() => config.update("jax_enable_x64", false));

  describe("fixtures", () => {
    const mine = cases.map((c, i) => [caseName(c, i), c] as const).filter(([, c]) => c.fn.startsWith("lax."));
    it.each(mine)("%s", (_, c) => runCase(c));
  });

  describe("topK", () => {
    it("JAX docs example", () => {
      const [v, i] = lax.topK(np.array([9, 3, 6, 4, 10], "float32"), 3);
      expectArray(v as Array, [10, 9, 6], { dtype: "float32" });
      expectArray(i as Array, [4, 0, 2], { dtype: "int32" });
    });
    it("ties: the lower index first, for every dtype", () => {
      for (const dt of ["float32", "float16", "int32", "int8", "uint8", "uint32", "int16"]) {
        const [v, i] = lax.topK(np.array([1, 5, 2, 5, 1, 5, 2], dt), 5);
        expectArray(v as Array, [5, 5, 5, 2, 2], { dtype: dt });
        expectArray(i as Array, [1, 3, 5, 2, 6]);
      }
      const [bv, bi] = lax.topK(np.array([false, true, false, true]), 3);
      expectArray(bv as Array, [true, true, false]);
      expectArray(bi as Array, [1, 3, 0]);
    });
    it("float16 and float64 follow the total order too", () => {
      const vals = [1, NaN, -0, 0, -Infinity, Infinity, -2];
      const want = { v: [NaN, Infinity, 1, 0, -0, -2, -Infinity], i: [1, 5, 0, 3, 2, 6, 4] };
      const [v16, i16] = lax.topK(np.array(vals, "float16"), 7);
      expectArray(i16 as Array, want.i);
      expect(Object.is((v16 as Array).dataSync()[4], -0)).toBe(true);
      config.update("jax_enable_x64", true);
      const x64 = np.array(vals, "float64");
      expect(x64.dtype).toBe("float64");
      const [v64, i64] = lax.topK(x64, 7);
      expectArray(v64 as Array, want.v, { dtype: "float64" });
      expectArray(i64 as Array, want.i);
      const [s64, j64] = np.topK(x64, 3, { mode: "smallest" });
      expectArray(s64 as Array, [-Infinity, -2, -0]);
      expectArray(j64 as Array, [4, 6, 2]);
    });
    it("k = 0, k = n, other axes, batches", () => {
      const x = lax.reshape(np.array([3, 1, 2, 6, 5, 4], "int32"), [2, 3]) as Array;
      expect((lax.topK(x, 0)[0] as Array).shape).toEqual([2, 0]);
      expectArray(lax.topK(x, 3)[0] as Array, [[3, 2, 1], [6, 5, 4]]);
      expectArray(lax.topK(x, 1, { axis: 0 })[1] as Array, [[1, 1, 1]]);
    });
    it("errors", () => {
      expect(() => lax.topK(np.array(1), 1)).toThrow(/lax.top_k: the operand must have at least one dimension/);
      expect(() => lax.topK(np.array([1, 2]), 3)).toThrow(/lax.top_k: k \(3\) must be no larger than the size 2/);
      expect(() => lax.topK(np.array([1, 2]), -1)).toThrow(/lax.top_k: k must be a non-negative integer/);
    });
  });

  describe("searchsorted primitive", () => {
    it("strided and broadcast views of both operands", () => {
      const a = lax.rev(np.array([9, 7, 5, 3, 1], "int32"), [0]) as Array; // negative stride view
      const v = lax.broadcastInDim(np.array([4, 9], "int32"), [3, 2], [1]) as Array; // stride-0 view
      expectArray(bind1(searchsorted_p, [a, v], { side: "left" }) as Array, [[2, 4], [2, 4], [2, 4]], { dtype: "int32" });
      expectArray(bind1(searchsorted_p, [a, v], { side: "right" }) as Array, [[2, 5], [2, 5], [2, 5]]);
    });
    it("float64 and float16, NaN last, -0 == 0", () => {
      for (const dt of ["float16", "float64"]) {
        if (dt === "float64") config.update("jax_enable_x64", true);
        const a = np.array([-1, -0, 0, 2, NaN], dt);
        const q = np.array([0, NaN, 3, -0], dt);
        expectArray(bind1(searchsorted_p, [a, q], { side: "left" }) as Array, [1, 4, 4, 1]);
        expectArray(bind1(searchsorted_p, [a, q], { side: "right" }) as Array, [3, 5, 4, 3]);
      }
    });
    it("checks operands", () => {
      const a = np.array([1, 2], "int32");
      expect(() => bind1(searchsorted_p, [a, np.array([1], "float32")], { side: "left" })).toThrow(/searchsorted: the operands must have equal dtypes/);
      expect(() => bind1(searchsorted_p, [lax.reshape(a, [1, 2]), a], { side: "left" })).toThrow(/searchsorted: the sorted operand must be 1-dimensional/);
    });
  });
});
