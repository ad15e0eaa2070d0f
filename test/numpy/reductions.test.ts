// ts/numpy/reductions.ts: sum, prod, max, min, all, any, mean, argmax, cumulative and
// nan-variants against NumPy float64 fixtures (test/numpy/gen_reductions.py), plus JAX's
// dtype rules, the calling forms, errors, and large float32 sums against float64.
import { describe, expect, it } from "vitest";
import { Array, config, lax, numpy as np } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { type Case, caseName, runCase } from "./reductions_fixture_util.js";

const cases = fixture<{ cases: Case[] }>("numpy/fixtures/reductions.json").cases;

const f32 = (v: unknown) => np.array(v as never, "float32");

/** Deterministic float32 values in [lo, hi) (an LCG; no Math.random in tests). */
function lcgValues(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

describe.each(backends)("numpy reductions on %s", (backend) => {
  useBackend(backend);

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [caseName(c), c] as const))("%s", (_, c) => runCase(c));
  });

  describe("result dtypes (JAX's rules)", () => {
    const dt = (x: Array) => x.dtype;
    it("sum / prod promote bools and narrow ints", () => {
      expect(dt(np.sum(np.array([true, false])))).toBe("int32");
      expect(dt(np.sum(np.array([1, 2], "int8")))).toBe("int32");
      expect(dt(np.sum(np.array([1, 2], "int16")))).toBe("int32");
      expect(dt(np.sum(np.array([1, 2], "uint8")))).toBe("uint32");
      expect(dt(np.sum(np.array([1, 2], "uint16")))).toBe("uint32");
      expect(dt(np.sum(np.array([1, 2], "uint32")))).toBe("uint32");
      expect(dt(np.sum(np.array([1, 2], "float16")))).toBe("float16");
      expect(dt(np.prod(np.array([true, true])))).toBe("int32");
      expect(dt(np.prod(np.array([1, 2], "uint8")))).toBe("uint32");
      expect(dt(np.sum(np.array([1, 2], "int8"), { promoteIntegers: false }))).toBe("int8");
      expect(dt(np.sum(np.array([1, 2], "int32"), { dtype: "float32" }))).toBe("float32");
      expect(dt(np.sum(np.array([1, 2], "int32"), { dtype: "bool" }))).toBe("bool");
    });
    it("mean / var / std of ints and bools give float32; float16 stays float16", () => {
      for (const f of [np.mean, np.var, np.std, np.nanmean, np.nanvar, np.nanstd, np.median] as ((x: Array) => Array)[]) {
        expect(dt(f(np.array([1, 2], "int32")))).toBe("float32");
        expect(dt(f(np.array([1, 2], "uint8")))).toBe("float32");
        expect(dt(f(np.array([true, false])))).toBe("float32");
        expect(dt(f(np.array([1, 2], "float16")))).toBe("float16");
      }
    });
    it("mean / var of ints give float64 with x64 on (the default float)", () => {
      config.update("jax_enable_x64", true);
      try {
        expect(np.mean(np.array([1, 2])).dtype).toBe("float64");
        expect(np.var(np.array([1, 2, 4])).dtype).toBe("float64");
      } finally {
        config.update("jax_enable_x64", false);
      }
    });
    it("max / min keep the dtype; argmax int32; all / any bool; countNonzero int32", () => {
      expect(dt(np.max(np.array([1, 2], "int8")))).toBe("int8");
      expect(dt(np.min(np.array([true, false])))).toBe("bool");
      expect(dt(np.ptp(np.array([1, 2], "uint8")))).toBe("uint8");
      expect(dt(np.argmax(np.array([1, 2], "float16")))).toBe("int32");
      expect(dt(np.argmin(np.array([true, false])))).toBe("int32");
      expect(dt(np.all(np.array([1, 2], "float32")))).toBe("bool");
      expect(dt(np.any(np.array([1, 2], "int32")))).toBe("bool");
      expect(dt(np.countNonzero(np.array([1, 0], "float32")))).toBe("int32");
    });
    it("cumulative dtypes: cumsum keeps narrow ints (bool -> int32); cumulativeSum promotes", () => {
      expect(dt(np.cumsum(np.array([1, 2], "int8")))).toBe("int8");
      expect(dt(np.cumsum(np.array([1, 2], "uint8")))).toBe("uint8");
      expect(dt(np.cumsum(np.array([true, false])))).toBe("int32");
      expect(dt(np.cumprod(np.array([true, false])))).toBe("int32");
      expect(dt(np.cumsum(np.array([1, 2], "float16")))).toBe("float16");
      expect(dt(np.cumulativeSum(np.array([1, 2], "int8")))).toBe("int32");
      expect(dt(np.cumulativeSum(np.array([1, 2], "uint16")))).toBe("uint32");
      expect(dt(np.cumulativeProd(np.array([1, 2], "int8")))).toBe("int8");
      expect(dt(np.cumulativeProd(np.array([true, false])))).toBe("int32");
      expect(dt(np.cumsum(np.array([1, 2], "int32"), { dtype: "bool" }))).toBe("bool");
    });
    it("results are strongly typed, even for weak (JS number) inputs", () => {
      const s = np.sum(2);
      expect(s.dtype).toBe("int32");
      expect(s.weakType).toBe(false);
      expect(np.mean(1.5).weakType).toBe(false);
      expect(np.max(3).weakType).toBe(false);
      expect(np.cumsum(2).weakType).toBe(false);
    });
  });

  describe("calling forms", () => {
    const x = f32([[1, 2, 3], [4, 5, 6]]);
    it("positional axis, options object, both, and methods agree", () => {
      expectArray(np.sum(x, 0), [5, 7, 9]);
      expectArray(np.sum(x, { axis: 0 }), [5, 7, 9]);
      expectArray(np.sum(x, 1, { keepdims: true }), [[6], [15]]);
      expectArray(np.sum(x, { axis: -1, keepdims: true }), [[6], [15]]);
      expectArray(np.sum(x, [0, 1]), 21);
      expectArray(np.sum(x, null, { keepdims: true }), [[21]]);
      expectArray(x.sum(0), [5, 7, 9]);
      expectArray(x.sum({ axis: 1 }), [6, 15]);
      expectArray(x.prod(1), [6, 120]);
      expectArray(x.max(0), [4, 5, 6]);
      expectArray(x.min({ axis: 1, keepdims: true }), [[1], [4]]);
      expectArray(x.mean(), 3.5);
      expectArray(x.argmax(1), [2, 2]);
      expectArray(x.argmin({ axis: 0, keepdims: true }), [[0, 0, 0]]);
      expectArray(x.cumsum(1), [[1, 3, 6], [4, 9, 15]]);
      expectArray(x.cumprod(), [1, 2, 6, 24, 120, 720]);
      expectArray(x.all(), true);
      expectArray(x.any(0), [true, true, true]);
      expectArray(np.argmax(x, { axis: null, keepdims: true }), [[5]]);
    });
    it("an empty axis list reduces nothing (dtype rules still apply)", () => {
      const b = np.array([true, false]);
      const s = np.sum(b, { axis: [] });
      expectArray(s, [1, 0], { dtype: "int32" });
    });
  });

  describe("semantics", () => {
    it("argmax / argmin: ties -> lowest index, NaN wins (first NaN), axis=null flattens", () => {
      expectArray(np.argmax(f32([1, 3, 3, 0])), 1);
      expectArray(np.argmin(f32([2, 0, 5, 0])), 1);
      expectArray(np.argmax(f32([1, NaN, 3, NaN])), 1);
      expectArray(np.argmin(f32([1, NaN, -3, NaN])), 1);
      expectArray(np.argmax(f32([-Infinity, -Infinity])), 0);
      expectArray(np.argmax(f32([[0, 7], [7, 1]])), 1);
      expectArray(np.argmax(np.array([[0, 7], [7, 1]], "uint8"), 0), [1, 0]);
      expectArray(np.argmax(np.array(5, "int32")), 0);
    });
    it("max / min propagate NaN; nanmax / nanmin skip it", () => {
      const x = f32([[1, NaN], [3, 4]]);
      expectArray(np.max(x, 1), [NaN, 4]);
      expectArray(np.min(x, 0), [1, NaN]);
      expectArray(np.nanmax(x, 1), [1, 4]);
      expectArray(np.nanargmin(x, 1), [0, 0]);
    });
    it("max with initial and where (JAX: where needs initial for max/min)", () => {
      const x = f32([[1, 5], [3, 4]]);
      const w = np.array([[true, false], [false, false]]);
      expectArray(np.max(x, 1, { initial: 2, where: w }), [2, 2]);
      expectArray(np.max(x, 1, { initial: 0 }), [5, 4]);
      expectArray(np.max(np.array([], "uint8"), { initial: 7 }), 7, { dtype: "uint8" });
    });
    it("integer sums and products wrap around", () => {
      expectArray(np.sum(np.array([2147483647, 1], "int32")), -2147483648);
      expectArray(np.sum(np.array([200, 100], "uint8")), 300, { dtype: "uint32" });
      expectArray(np.sum(np.array([100, 100], "int8"), { promoteIntegers: false }), -56, { dtype: "int8" });
      expectArray(np.cumsum(np.array([100, 100], "int8")), [100, -56], { dtype: "int8" });
    });
    it("float16 sums accumulate in float32 (3000 ones are 3000, not stuck at 2048)", () => {
      const ones = np.array(new globalThis.Array(3000).fill(1), "float16");
      expectArray(np.sum(ones), 3000, { dtype: "float16" });
      expectArray(np.mean(ones), 1, { dtype: "float16" });
    });
    it("median / quantile with NaN input give NaN", () => {
      const x = f32([[1, NaN, 3], [1, 2, 3]]);
      expectArray(np.median(x, 1), [NaN, 2]);
      expectArray(np.quantile(x, 0.25, 1), [NaN, 1.5]);
      expectArray(np.nanmedian(x, 1), [2, 2]);
    });
  });

  describe("lax reductions of empty axes give the identity", () => {
    const empty = (d: string) => lax.reshape(np.array([], d as never), [2, 0]) as Array;
    it.each([
      ["float32", -Infinity, Infinity, 0, 1],
      ["float16", -Infinity, Infinity, 0, 1],
      ["int8", -128, 127, 0, 1],
      ["uint8", 0, 255, 0, 1],
      ["int32", -(2 ** 31), 2 ** 31 - 1, 0, 1],
      ["uint32", 0, 2 ** 32 - 1, 0, 1],
    ] as const)("%s", (d, mx, mn, s, p) => {
      expectArray(lax.reduceMax(empty(d), [1]) as Array, [mx, mx], { dtype: d });
      expectArray(lax.reduceMin(empty(d), [1]) as Array, [mn, mn], { dtype: d });
      expectArray(lax.reduceSum(empty(d), [1]) as Array, [s, s], { dtype: d });
      expectArray(lax.reduceProd(empty(d), [1]) as Array, [p, p], { dtype: d });
    });
    it("bool and / or, and integer and (all bits set)", () => {
      expectArray(lax.reduceAnd(empty("bool"), [1]) as Array, [true, true]);
      expectArray(lax.reduceOr(empty("bool"), [1]) as Array, [false, false]);
      expectArray(lax.reduceAnd(empty("uint8"), [1]) as Array, [255, 255]);
      expectArray(lax.reduceAnd(empty("int32"), [1]) as Array, [-1, -1]);
      expectArray(np.all(empty("float32")), true);
      expectArray(np.any(empty("float32"), 1), [false, false]);
    });
  });

  describe("large float32 sums against float64", () => {
    // Reference: the float64 sum of the same float32 values (JS numbers are doubles; the
    // reference's own error, ~n * 2^-53 * sum, is negligible). Tolerance: a blocked or
    // pairwise float32 summation of n terms errs by at most about (log2 n + 2) * u * sum|x|
    // with u = 2^-24 (Higham, Accuracy and Stability, 4.2); a naive running sum could err by
    // n * u * sum|x|, 2^20 / 22 times more, which this bound would catch.
    const n = 1 << 20;
    const vals = lcgValues(n, 12345, 0, 1);
    let ref = 0;
    for (const v of vals) ref += v;
    const bound = (Math.log2(n) + 2) * 2 ** -24 * ref;
    it("sum of 2^20 uniform values", () => {
      const x = np.array(vals);
      const got = np.sum(x).item() as number;
      expect(Math.abs(got - ref)).toBeLessThanOrEqual(bound);
      const m = np.mean(x).item() as number;
      expect(Math.abs(m - ref / n)).toBeLessThanOrEqual(bound / n + 2 ** -24);
    });
    it("sums along each axis of a 1024 x 1024 matrix", () => {
      const x = lax.reshape(np.array(vals), [1024, 1024]) as Array;
      for (const axis of [0, 1]) {
        const got = np.sum(x, axis).dataSync() as Float32Array;
        for (let i = 0; i < 1024; i += 97) {
          let r = 0;
          for (let j = 0; j < 1024; j++) r += vals[axis === 0 ? j * 1024 + i : i * 1024 + j];
          expect(Math.abs(got[i] - r)).toBeLessThanOrEqual((10 + 2) * 2 ** -24 * r);
        }
      }
    });
    it("cumsum of 2^16 values stays within the running-sum bound", () => {
      const m = 1 << 16;
      const x = np.array(vals.subarray(0, m));
      const got = np.cumsum(x).dataSync() as Float32Array;
      let r = 0;
      for (let i = 0; i < m; i++) {
        r += vals[i];
        // a sequential scan: |error| <= i * u * partial sum
        if (i % 1024 === 1023) expect(Math.abs(got[i] - r)).toBeLessThanOrEqual((i + 1) * 2 ** -24 * r);
      }
    });
  });

  describe("errors name the function and the fix", () => {
    const x = f32([[1, 2], [3, 4]]);
    it("empty reductions without identity", () => {
      expect(() => np.max(np.array([], "float32"))).toThrow(/max: zero-size array.*initial/);
      expect(() => np.min(lax.reshape(np.array([], "int32"), [2, 0]) as Array, 1)).toThrow(/min: zero-size/);
      expect(() => np.argmax(np.array([], "float32"))).toThrow(/argmax: attempt to get argmax of an empty sequence/);
      expect(() => np.nanargmin(lax.reshape(np.array([], "float32"), [0, 3]) as Array, 0)).toThrow(/nanargmin/);
    });
    it("bad axes and options", () => {
      expect(() => np.sum(x, 2)).toThrow(/sum: axis 2 is out of bounds/);
      expect(() => np.mean(x, [0, -2])).toThrow(/mean: repeated axis/);
      expect(() => np.argmax(x, [0, 1] as never)).toThrow(/argmax: axis must be a single integer/);
      expect(() => np.sum(x, { keepDims: true } as never)).toThrow(/sum: unknown option "keepDims"/);
      expect(() => np.sum(x, 0, { axis: 1 })).toThrow(/sum: axis given twice/);
      expect(() => np.sum(x, { dtype: "complex64" })).toThrow(/sum: unknown dtype/);
    });
    it("lists are not arrays; masks must be bool; initial must be a scalar", () => {
      expect(() => np.sum([1, 2] as never)).toThrow(/sum: lists .* np\.array/);
      expect(() => np.sum(x, { where: f32([1, 0]) as never })).toThrow(/sum: where must be a boolean array/);
      expect(() => np.sum(x, { where: np.array([true, false, true]) })).toThrow(/sum:/);
      expect(() => np.max(x, { where: np.array([true, false]) })).toThrow(/max: .*identity.*initial/);
      expect(() => np.sum(x, { initial: f32([1, 2]) })).toThrow(/sum: initial value must be a scalar/);
    });
    it("cumulativeSum / ptp / std", () => {
      expect(() => np.cumulativeSum(np.array(3, "int32"))).toThrow(/cumulativeSum: the input must be non-scalar/);
      expect(() => np.cumulativeSum(x)).toThrow(/cumulativeSum: .*axis was not set/);
      expect(() => np.cumsum(x, [0] as never)).toThrow(/cumsum: axis must be a single integer/);
      expect(() => np.ptp(np.array([true, false]))).toThrow(/ptp: bool/);
      expect(() => np.std(x, { dtype: "int32" })).toThrow(/std: .*inexact/);
    });
  });
});
