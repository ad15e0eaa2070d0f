// ts/numpy/statistics.ts: var, std, average, median, quantile, percentile and nan-variants
// against fixtures (test/numpy/gen_reductions.py: NumPy float64, and JAX's quantile rule for
// 'nearest' and the float32 virtual index), plus JAX-specific behaviour and errors.
import { describe, expect, it } from "vitest";
import { Array, lax, numpy as np } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { type Case, caseName, runCase } from "./reductions_fixture_util.js";

const cases = fixture<{ cases: Case[] }>("numpy/fixtures/reductions_stats.json").cases;
const f32 = (v: unknown) => np.array(v as never, "float32");

describe.each(backends)("numpy statistics on %s", (backend) => {
  useBackend(backend);

  describe("fixtures", () => {
    it.each(cases.map((c) => [caseName(c), c] as const))("%s", (_, c) => runCase(c));
  });

  describe("JAX semantics", () => {
    it("quantile 'nearest' takes the lower neighbour at a fraction of 0.5 (NumPy rounds half to even)", () => {
      // jnp.quantile(jnp.arange(4.), 0.5, method='nearest') == 1.0; np.quantile gives 2.0
      expectArray(np.quantile(f32([0, 1, 2, 3]), 0.5, { method: "nearest" }), 1);
      expectArray(np.quantile(f32([0, 1, 2, 3]), 0.6, { method: "nearest" }), 2);
    });
    it("examples from JAX's docstrings", () => {
      const x = np.array([[1, 3, 4, 2], [5, 2, 6, 3], [8, 1, 2, 9]]);
      expectArray(np.mean(x), 3.8333335, { rtol: 1e-7, dtype: "float32" });
      const w = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 1]]).astype("bool");
      expectArray(np.mean(x, 1, { keepdims: true, where: w }), [[2.5], [2.5], [6]]);
      const y = f32([[2, 5, 1, 6], [8, 4, 7, 3]]);
      // jnp.percentile(x, 50, axis=1) style check on median: midpoint of the two middle values
      expectArray(np.median(y, 1), [3.5, 5.5]);
      expectArray(np.nanmedian(f32([[1, NaN, 3], [NaN, NaN, NaN]]), 1), [2, NaN]);
      expectArray(np.var(f32([[1, 2, 3], [4, 5, 6]]), 1, { keepdims: true, ddof: 1 }), [[1], [1]]);
    });
    it("var: NaN when the count minus ddof is not positive; correction is ddof's alias", () => {
      expectArray(np.var(f32([1, 2]), { ddof: 2 }), NaN);
      expectArray(np.var(f32([1, 2, 4]), { correction: 1 }), 7 / 3, { rtol: 1e-6 });
      expectArray(np.std(f32([]), {}), NaN);
      expectArray(np.nanvar(f32([1, NaN]), { ddof: 1 }), NaN);
    });
    it("var with a precomputed mean", () => {
      const x = f32([[1, 2, 3], [4, 5, 6]]);
      expectArray(np.var(x, 1, { mean: f32([[2], [5]]) }), [2 / 3, 2 / 3], { rtol: 1e-6 });
    });
    it("average: returned gives the weight sums broadcast to the result's shape", () => {
      const x = f32([[1, 2], [3, 4]]);
      const [avg, ws] = np.average(x, 0, { returned: true }) as Array[];
      expectArray(avg, [2, 3]);
      expectArray(ws, [2, 2], { dtype: "float32" });
      const [a2, w2] = np.average(x, { weights: f32([[1, 3], [1, 1]]), returned: true }) as Array[];
      expectArray(a2, 14 / 6, { rtol: 1e-6 });
      expectArray(w2, 6);
    });
    it("quantile of a 1-d q adds a leading axis; percentile accepts JS integers", () => {
      const x = f32([[0, 10], [20, 30]]);
      expectArray(np.quantile(x, f32([0, 1]), 0), [[0, 10], [20, 30]]);
      expectArray(np.percentile(x, 50), 15);
      expectArray(np.quantile(x, 1), 30);
      expectArray(np.percentile(x, np.array([25, 75]), 1, { keepdims: true }), [[[2.5], [22.5]], [[7.5], [27.5]]]);
    });
    it("median of an empty array is NaN", () => {
      expectArray(np.median(f32([])), NaN);
      expectArray(np.median(lax.reshape(f32([]), [2, 0]) as Array, 1), [NaN, NaN]);
    });
    it("median keeps infinities and handles -0", () => {
      expectArray(np.median(f32([Infinity, -Infinity, Infinity])), Infinity);
      expectArray(np.quantile(f32([-Infinity, 1]), 0, { method: "lower" }), -Infinity);
    });
  });

  describe("errors", () => {
    const x = f32([[1, 2], [3, 4]]);
    it("name the function", () => {
      expect(() => np.quantile(x, 0.5, { method: "bogus" as never })).toThrow(/quantile: method must be one of/);
      expect(() => np.quantile(x, 0.5, { method: "inverted_cdf" as never })).toThrow(/not supported yet/);
      expect(() => np.quantile(x, f32([[0.5]]))).toThrow(/quantile: q must have rank 0 or 1/);
      expect(() => np.median(x, [0, 0])).toThrow(/median: repeated axis/);
      expect(() => np.average(x, { weights: f32([1, 2]) })).toThrow(/average: axis must be given/);
      expect(() => np.average(x, 0, { weights: f32([1, 2, 3]) })).toThrow(/average: the shape of weights/);
      expect(() => np.var(x, { ddof: 1, correction: 1 })).toThrow(/var: ddof and correction/);
      expect(() => np.var(x, { where: f32([1, 0]) as never })).toThrow(/var: where must be a boolean/);
      expect(() => np.nanvar(x, { correction: 1 })).toThrow(/nanvar/);
    });
  });
});
