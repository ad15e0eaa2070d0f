// ts/numpy/sorting.ts, setops.ts, histogram.ts against NumPy fixtures and JAX-documented
// values (test/numpy/gen_sorting.py); dtypes, stability, size/fillValue, calling forms, errors.
import { describe, expect, it } from "vitest";
import { type Array, lax, numpy as np } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { caseName, cases, runCase } from "./sorting_fixture_util.js";

const f32 = (v: number[]) => np.array(v, "float32");
const i32 = (v: number[]) => np.array(v, "int32");
const rs = (x: Array, shape: number[]) => lax.reshape(x, shape) as Array;

describe.each(backends)("numpy sorting on %s", (backend) => {
  useBackend(backend);

  describe("fixtures", () => {
    const mine = cases.map((c, i) => [caseName(c, i), c] as const).filter(([, c]) => !c.fn.startsWith("lax."));
    it.each(mine)("%s", (_, c) => runCase(c));
  });

  describe("sort / argsort", () => {
    it("calling forms: axis positional, in options, null flattens; methods", () => {
      const x = rs(i32([3, 1, 2, 9, 0, 4]), [2, 3]);
      expectArray(np.sort(x, 0) as Array, [[3, 0, 2], [9, 1, 4]]);
      expectArray(np.sort(x, { axis: 0 }) as Array, [[3, 0, 2], [9, 1, 4]]);
      expectArray(np.sort(x, null) as Array, [0, 1, 2, 3, 4, 9]);
      expectArray(np.sort(x, -1, { descending: true }) as Array, [[3, 2, 1], [9, 4, 0]]);
      expectArray(x.sort() as Array, [[1, 2, 3], [0, 4, 9]]);
      expectArray(x.argsort({ axis: 0 }) as Array, [[0, 1, 0], [1, 0, 1]]);
      expectArray(np.argsort(x, null) as Array, [4, 1, 2, 0, 5, 3], { dtype: "int32" });
    });
    it("stability: argsort of repeated keys keeps the original order, also descending", () => {
      const x = i32([1, 0, 1, 0, 1, 0, 1]);
      expectArray(np.argsort(x) as Array, [1, 3, 5, 0, 2, 4, 6]);
      expectArray(np.argsort(x, { descending: true }) as Array, [0, 2, 4, 6, 1, 3, 5]);
      // -0.0 and 0.0 are equal keys (JAX's comparator).
      expectArray(np.argsort(f32([0, -0, 0, -0])) as Array, [0, 1, 2, 3]);
      const big = np.array(globalThis.Array.from({ length: 1000 }, (_, i) => (i * 7919) % 5), "int32");
      const idx = Array_from(np.argsort(big) as Array);
      const vals = Array_from(big);
      for (let i = 1; i < idx.length; i++) {
        const a = vals[idx[i - 1]], b = vals[idx[i]];
        expect(a < b || (a === b && idx[i - 1] < idx[i])).toBe(true);
      }
    });
    it("keeps the dtype (and weak type); argsort gives int32 or the requested dtype", () => {
      expect((np.sort(np.array([3, 1], "int8")) as Array).dtype).toBe("int8");
      expect((np.sort(np.array([3, 1], "float16")) as Array).dtype).toBe("float16");
      expect((np.argsort(np.array([3, 1], "uint8")) as Array).dtype).toBe("int32");
      expect((np.argsort(np.array([3, 1], "float32"), { dtype: "int16" }) as Array).dtype).toBe("int16");
      expectArray(np.sort(np.array([2.5, -1, 2], "float16")) as Array, [-1, 2, 2.5], { dtype: "float16" });
    });
    it("errors name the function", () => {
      expect(() => np.sort(np.array(1))).toThrow(/sort: .*0-d/);
      expect(() => np.sort(i32([1, 2]), 1)).toThrow(/sort: axis 1 is out of bounds/);
      expect(() => np.sort(i32([1, 2]), { kind: "quicksort" })).toThrow(/sort: 'kind' is not supported/);
      expect(() => np.lexsort([i32([1, 2]), i32([1, 2, 3])])).toThrow(/lexsort: all keys must have the same shape/);
      expect(() => np.lexsort([])).toThrow(/lexsort: needs a non-empty/);
      expect(() => np.partition(i32([1, 2, 3]), 3)).toThrow(/partition: kth 3 is out of bounds/);
    });
    it("lexsort takes a 2-D array of keys and returns 0 for scalars", () => {
      const keys = rs(i32([4, 2, 3, 2, 5, 2, 1, 1, 2, 2]), [2, 5]);
      expectArray(np.lexsort(keys) as Array, [1, 2, 3, 0, 4]);
      expectArray(np.lexsort([np.array(3)]) as Array, 0, { dtype: "int32" });
    });
  });

  describe("searchsorted / digitize / interp", () => {
    it("JAX docs examples", () => {
      const a = i32([1, 2, 2, 3, 4, 5, 5]);
      expectArray(np.searchsorted(a, 2) as Array, 1, { dtype: "int32" });
      expectArray(np.searchsorted(a, 2, "right") as Array, 3);
      expectArray(np.searchsorted(a, f32([0, 3, 8, 1.5, 2])) as Array, [0, 3, 7, 1, 1]);
      const b = i32([4, 3, 5, 1, 2]);
      expectArray(np.searchsorted(b, f32([0, 3, 8, 1.5, 2]), { sorter: np.argsort(b) }) as Array, [0, 2, 5, 1, 1]);
      expectArray(np.digitize(f32([1, 2, 2.5, 1.5, 3, 3.5]), i32([1, 2, 3])) as Array, [1, 2, 2, 1, 3, 3]);
      expectArray(np.digitize(f32([1, 2, 2.5, 1.5, 3, 3.5]), i32([1, 2, 3]), true) as Array, [0, 1, 2, 1, 2, 3]);
      expectArray(np.digitize(f32([1, 2, 2.5, 1.5, 3, 3.5]), i32([3, 2, 1])) as Array, [2, 1, 1, 2, 0, 0]);
    });
    it("interp: extrapolate and errors", () => {
      const r = np.interp(f32([-1, 0.5, 3]), f32([0, 1, 2]), f32([0, 10, 30]), { left: "extrapolate", right: "extrapolate" }) as Array;
      expectArray(r, [-10, 5, 50], { rtol: 1e-6 });
      expect(() => np.interp(f32([1]), f32([0, 1]), f32([1, 2, 3]))).toThrow(/interp: xp and fp must be 1-D arrays of equal size/);
      expect(() => np.interp(f32([1]), f32([0, 1]), f32([1, 2]), { left: "nearest" as never })).toThrow(/interp: the only string value of left/);
    });
    it("errors name the function", () => {
      expect(() => np.searchsorted(rs(i32([1, 2]), [1, 2]), 1)).toThrow(/searchsorted: a must be 1-dimensional/);
      expect(() => np.searchsorted(i32([1, 2]), 1, "middle" as never)).toThrow(/searchsorted: side must be/);
      expect(() => np.digitize(f32([1]), rs(f32([1, 2]), [2, 1]))).toThrow(/digitize: bins must be 1-dimensional/);
    });
  });

  describe("unique and set operations", () => {
    it("size / fillValue follow JAX's documented padding", () => {
      const x = i32([3, 1, 3, 7, 1]);
      expectArray(np.unique(x, { size: 5 }) as Array, [1, 3, 7, 1, 1]);
      expectArray(np.unique(x, { size: 5, fillValue: 0 }) as Array, [1, 3, 7, 0, 0]);
      expectArray(np.unique(x, { size: 2 }) as Array, [1, 3]);
      const [v, idx, inv, cnt] = np.unique(x, { size: 4, fillValue: -1, returnIndex: true, returnInverse: true, returnCounts: true }) as Array[];
      expectArray(v, [1, 3, 7, -1]);
      expectArray(idx, [1, 0, 3, 1]); // padded with the index of the minimum
      expectArray(inv, [1, 0, 1, 2, 0]);
      expectArray(cnt, [2, 2, 1, 0]);
    });
    it("unique along an axis and the array-API variants' fields", () => {
      const x = rs(i32([1, 0, 1, 1, 0, 1, 2, 2, 2]), [3, 3]);
      expectArray(np.unique(x, { axis: 0 }) as Array, [[1, 0, 1], [2, 2, 2]]);
      const r = np.uniqueCounts(f32([2, NaN, 2, NaN]));
      expectArray(r.values as Array, [2, NaN, NaN]);
      expectArray(r.counts as Array, [2, 1, 1]);
      const [vals] = r;
      expect(vals).toBe(r.values);
      const all = np.uniqueAll(i32([5, 5, 4]));
      expectArray(all.indices as Array, [2, 0]);
      expectArray(all.inverseIndices as Array, [1, 1, 0]);
    });
    it("without size the values are read on the host; bad sizes are errors", () => {
      expect(() => np.unique(i32([1]), { size: -1 })).toThrow(/unique: size must be an integer >= 0/);
      expect(() => np.unique(np.array([], "float32"), { size: 2 })).toThrow(/unique: .*fillValue must be given/);
      expect(() => np.unique(i32([1, 2]), { axis: 1 })).toThrow(/unique: axis 1 is out of bounds/);
    });
    it("isin / set functions: dtypes and shapes", () => {
      const r = np.isin(rs(i32([1, 2, 3, 4]), [2, 2]), i32([2, 4])) as Array;
      expectArray(r, [[false, true], [false, true]], { dtype: "bool" });
      expect((np.intersect1d(np.array([1, 2], "uint8"), np.array([2], "int8")) as Array).dtype).toBe("int16");
      expectArray(np.union1d(i32([3, 1]), f32([1.5])) as Array, [1, 1.5, 3], { dtype: "float32" });
      expect(() => np.isin(i32([1]), i32([1]), { method: "fast" as never })).toThrow(/isin: method must be/);
    });
  });

  describe("bincount / histogram", () => {
    it("JAX docs examples", () => {
      const x = i32([1, 1, 2, 3, 3, 3]);
      expectArray(np.bincount(x) as Array, [0, 2, 1, 3], { dtype: "int32" });
      expectArray(np.bincount(x, i32([1, 2, 3, 4, 5, 6])) as Array, [0, 3, 3, 15]);
      expectArray(np.bincount(x, null, 0, { length: 5 }) as Array, [0, 2, 1, 3, 0]);
      expectArray(np.bincount(i32([-1, -1, 2, 6, 3, 6]), { length: 5 }) as Array, [2, 0, 1, 1, 0]);
    });
    it("errors", () => {
      expect(() => np.bincount(f32([1]))).toThrow(/bincount: x must have an integer dtype/);
      expect(() => np.bincount(rs(i32([1, 2]), [1, 2]))).toThrow(/bincount: only 1-dimensional/);
      expect(() => np.bincount(i32([1, 2]), f32([1]))).toThrow(/bincount: weights must have the shape of x/);
      expect(() => np.histogram(f32([1, 2]), { weights: f32([1]) })).toThrow(/histogram: weights must have the shape of a/);
      expect(() => np.histogram(np.array([], "float32"))).toThrow(/histogram: cannot infer the range of an empty array/);
      expect(() => np.histogram(f32([1, 2]), 0)).toThrow(/histogram: bins must be an integer >= 1/);
    });
  });

  describe("partition / topK", () => {
    it("JAX docs examples", () => {
      const x = i32([6, 8, 4, 3, 1, 9, 7, 5, 2, 3]);
      expectArray(np.partition(x, 4) as Array, [1, 2, 3, 3, 4, 9, 8, 7, 6, 5]);
      expectArray(np.argpartition(x, 4) as Array, [4, 8, 3, 9, 2, 0, 1, 5, 6, 7]);
      const a = rs(i32([1, 2, 3, 4, 5, 5, 4, 3, 2, 1]), [2, 5]);
      const [v, i] = np.topK(a, 2);
      expectArray(v as Array, [[5, 4], [5, 4]]);
      expectArray(i as Array, [[4, 3], [0, 1]]);
      const [v2, i2] = np.topK(a, 2, { axis: 0, mode: "smallest" });
      expectArray(v2 as Array, [[1, 2, 3, 2, 1], [5, 4, 3, 4, 5]]);
      expectArray(i2 as Array, [[0, 0, 0, 1, 1], [1, 1, 1, 0, 0]]);
    });
  });
});

function Array_from(x: Array): number[] {
  return globalThis.Array.from(x.dataSync() as ArrayLike<number>);
}
