// ts/numpy/indexing.ts: x.get / x.at against NumPy fixtures (gen_indexing.py), and JAX's own
// rules where they differ from NumPy (documented values): clamped out-of-bounds reads, fill
// mode, dropped out-of-bounds updates, take's fill default, nonzero's size/fillValue.
import { describe, expect, it } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import type { Array as Concrete } from "../../ts/array/array.js";
import { decode, decodeArg, type Enc } from "./shape_fixture_util.js";

interface IndexCase { x: Enc; index: unknown; op: string; v?: Enc | number; out: Enc }
const { cases } = fixture<{ cases: IndexCase[] }>("numpy/fixtures/indexing.json");

const fmtIndex = (v: unknown): string =>
  typeof v === "string"
    ? JSON.stringify(v)
    : globalThis.Array.isArray(v)
      ? `[${v.map(fmtIndex).join(", ")}]`
      : v && typeof v === "object" && "arr" in v
        ? `<${(v as { arr: Enc }).arr.d}${JSON.stringify((v as { arr: Enc }).arr.a)}>`
        : JSON.stringify(v);

const NAN = NaN;
const I32_MIN = -(2 ** 31);

describe.each(backends)("indexing on %s", (backend) => {
  useBackend(backend);

  describe("NumPy fixtures", () => {
    const named = cases.map((c) => [`${c.op} ${c.x.d}${JSON.stringify(c.x.s)} ${fmtIndex(c.index)}`, c] as const);
    it.each(named)("%s", (_, c) => {
      const x = decode(c.x);
      const index = decodeArg(c.index);
      let got: Array;
      if (c.op === "get") got = x.get(index);
      else {
        const v = typeof c.v === "number" ? c.v : decode(c.v as Enc);
        got = x.at(index)[c.op](v);
      }
      expectArray(got, c.out.a as never, { dtype: c.out.d, shape: c.out.s, rtol: 1e-6 });
    });
  });

  it("out-of-bounds reads clamp (JAX), NumPy would raise", () => {
    const x = np.arange(10) as Array;
    expect(x.get(11).item()).toBe(9);
    expect(x.get(-11).item()).toBe(0);
    expect(x.get(1000).item()).toBe(9);
    expectArray(x.get(np.array([11, -12, 3])), [9, 0, 3]);
    expectArray(x.get([[12], [-20]]), [[9], [0]]);
    const m = np.arange(12).reshape([3, 4]) as Array;
    expectArray(m.get("5, -9"), 8, { shape: [] });
    expectArray(m.get([np.array(7), "::-1"]), [11, 10, 9, 8]);
    // mode "clip" is the same; "fill" gives the fill value.
    expect(x.at(11).get({ mode: "clip" }).item()).toBe(9);
    expect(x.at(11).get({ mode: "fill" }).item()).toBe(I32_MIN);
    expect(x.at(-11).get({ mode: "fill", fillValue: -1 }).item()).toBe(-1);
    expect(x.at(-10).get({ mode: "fill", fillValue: -1 }).item()).toBe(0);
    expectArray(np.arange(4, "float32").at(np.array([1, 4, -5])).get({ mode: "fill" }), [1, NAN, NAN]);
    expectArray(np.arange(3, "uint8").at(np.array([5])).get({ mode: "fill" }), [255], { dtype: "uint8" });
    expectArray(np.array([true, false]).at(np.array([0, 7])).get({ mode: "fill" }), [true, true]);
    // A window that is partly out of bounds is filled as a whole (XLA's rule).
    expectArray(m.at([np.array([0, 3]), "1:3"]).get({ mode: "fill", fillValue: 0 }), [[1, 2], [0, 0]]);
    // Negative indices without wrapping are out of bounds.
    expect(x.at(-1).get({ wrapNegativeIndices: false, mode: "fill" }).item()).toBe(I32_MIN);
  });

  it("out-of-bounds updates are dropped; negative indices wrap", () => {
    const x = np.zeros([5], "int32");
    expectArray(x.at(np.array([0, 5, -1, -6])).set(7), [7, 0, 0, 0, 7]);
    expectArray(x.at(10).add(1), [0, 0, 0, 0, 0]);
    expectArray(x.at("3:10").set(np.array([1, 2])), [0, 0, 0, 1, 2]);
    // mode "clip" clamps instead.
    expectArray(x.at(np.array([9, -9])).set(4, { mode: "clip" }), [4, 0, 0, 0, 4]);
    expectArray(x.at(np.array([9])).add(3, { mode: "clip" }), [0, 0, 0, 0, 3]);
  });

  it("update values take x's dtype (as JAX)", () => {
    const i = np.arange(3) as Array;
    expectArray(i.at(0).set(2.7), [2, 1, 2], { dtype: "int32" });
    expectArray(i.at(1).add(0.5), [0, 1, 2], { dtype: "int32" });
    expectArray(np.arange(3, "uint8").at(0).set(300), [44, 1, 2], { dtype: "uint8" });
    expectArray(np.arange(3, "int8").at(2).add(127), [0, 1, -127], { dtype: "int8" });
    expectArray(np.zeros([3], "bool").at(1).set(1), [false, true, false], { dtype: "bool" });
    expectArray(np.zeros([2], "float16").at(0).set(1 / 3), [0.333251953125, 0], { dtype: "float16" });
    const w = np.asarray(1.5);
    const r = w.at("...").set(3);
    expect(r.weakType).toBe(true);
    expect(r.item()).toBe(3);
    expectArray(np.zeros([2, 2]).at(0).set([1, 2]), [[1, 2], [0, 0]]);
  });

  it("subtract, divide and power follow JAX's definitions", () => {
    const x = np.array([10, 20, 30, 40], "float32");
    expectArray(x.at(np.array([1, 1, 3])).subtract(1), [10, 18, 30, 39]);
    expectArray(x.at("1:3").divide(4), [10, 5, 7.5, 40]);
    expectArray(x.at(np.array([0, 0])).divide(2), [2.5, 20, 30, 40]);
    expectArray(np.array([2, 3], "float32").at(1).power(2), [2, 9]);
    // x / ones.at[idx].multiply(v): an int array divided becomes float32 (true_divide).
    expectArray(np.array([10, 20]).at(0).divide(4), [2.5, 20], { dtype: "float32" });
    expect(() => np.array([true]).at(0).subtract(true)).toThrow(/at.subtract: boolean values cannot be subtracted/);
  });

  it("take: fill by default (JAX's documented example), clip and wrap", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]], "float32");
    const idx = np.array([2, 0]);
    expectArray(np.take(x, idx, 0) as Array, [[NAN, NAN, NAN], [1, 2, 3]]);
    expectArray(np.take(x, idx, { axis: 0, mode: "clip" }) as Array, [[4, 5, 6], [1, 2, 3]]);
    expectArray(np.take(x, idx) as Array, [3, 1]);
    expectArray(np.take(x, idx, 1) as Array, [[3, 1], [6, 4]]);
    expectArray(np.take(x, np.array([-1, 4]), 1, { mode: "wrap" }) as Array, [[3, 2], [6, 5]]);
    expectArray(np.take(x, np.array([[0, -1], [9, 1]]), 1, { fillValue: 0 }) as Array, [[[1, 3], [0, 2]], [[4, 6], [0, 5]]]);
    expectArray(np.take(x, np.array([], "int32"), 1) as Array, [[], []], { shape: [2, 0] });
    expect(() => np.take(x, np.array([1.5]))).toThrow(/take: indices must have an integer dtype/);
  });

  it("takeAlongAxis (JAX's documented examples)", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]], "float32");
    expectArray(np.takeAlongAxis(x, np.array([[0, 2], [1, 0]]), 1) as Array, [[1, 3], [5, 4]]);
    expectArray(np.takeAlongAxis(x, np.array([[1, 0, 2]]), 0) as Array, [[4, 2, NAN]]);
    const y = np.array([[5, 3, 4], [2, 7, 6]]);
    expectArray(np.takeAlongAxis(y, np.array([[1, 2, 0], [0, 2, 1]]), 1) as Array, [[3, 4, 5], [2, 6, 7]]);
    expectArray(np.takeAlongAxis(y, np.array([[1], [0]]), -1) as Array, [[3], [2]]);
    expectArray(np.takeAlongAxis(y, np.array([[1, 0, 5]]), { axis: 0, mode: "clip" }) as Array, [[2, 3, 6]]);
    expectArray(np.takeAlongAxis(y, np.array([6, 0]), null) as Array, [I32_MIN, 5]);
    // Broadcasting of size-1 dimensions of the indices.
    const z = np.arange(24).reshape([2, 3, 4]);
    const idx = np.array([[[3, 0]], [[1, 1]]]);
    expectArray(np.takeAlongAxis(z, idx, 2) as Array, [[[3, 0], [7, 4], [11, 8]], [[13, 13], [17, 17], [21, 21]]]);
    expect(() => np.takeAlongAxis(y, np.array([1, 0]), 1)).toThrow(/takeAlongAxis: indices and arr must have the same number of dimensions/);
  });

  it("unravelIndex and ravelMultiIndex", () => {
    const [r, c] = np.unravelIndex(np.array([22, 41, 37, -1]), [7, 6]) as Array[];
    expectArray(r, [3, 6, 6, 6]);
    expectArray(c, [4, 5, 1, 5]);
    // Out-of-range indices clamp (JAX): 50 -> (2, 3), -50 -> (0, 0) for shape (3, 4).
    const [a, b] = np.unravelIndex(np.array([50, -50]), [3, 4]) as Array[];
    expectArray(a, [2, 0]);
    expectArray(b, [3, 0]);
    expectArray(np.ravelMultiIndex([np.array([3, 6, 6]), np.array([4, 5, 1])], [7, 6]) as Array, [22, 41, 37]);
    expectArray(np.ravelMultiIndex([np.array([3, 6, 6]), np.array([4, 5, 1])], [7, 6], { order: "F" }) as Array, [31, 41, 13]);
    expectArray(np.ravelMultiIndex([np.array([3, 9]), np.array([-1, 5])], [7, 6], { mode: "clip" }) as Array, [18, 41]);
    expectArray(np.ravelMultiIndex([np.array([3, 9]), np.array([-1, 5])], [7, 6], "wrap") as Array, [23, 17]);
    expect(() => np.ravelMultiIndex([np.array([7]), np.array([0])], [7, 6])).toThrow(/ravelMultiIndex: invalid entry 7/);
  });

  it("nonzero, argwhere, flatnonzero (with size and fillValue, JAX's documented examples)", () => {
    const x = np.array([0, 5, 0, 6, 0, 7]);
    const one = (v: Array[]) => v[0];
    expectArray(one(np.nonzero(x) as Array[]), [1, 3, 5], { dtype: "int32" });
    expectArray(one(np.nonzero(x, { size: 2 }) as Array[]), [1, 3]);
    expectArray(one(np.nonzero(x, { size: 5 }) as Array[]), [1, 3, 5, 0, 0]);
    expectArray(one(np.nonzero(x, { size: 5, fillValue: -1 }) as Array[]), [1, 3, 5, -1, -1]);
    const m = np.array([[0, 5, 0], [6, 0, 7]]);
    const [r, c] = np.nonzero(m) as Array[];
    expectArray(r, [0, 1, 1]);
    expectArray(c, [1, 0, 2]);
    const [r2, c2] = np.nonzero(m, { size: 4, fillValue: [9, -9] }) as Array[];
    expectArray(r2, [0, 1, 1, 9]);
    expectArray(c2, [1, 0, 2, -9]);
    expectArray(np.argwhere(m) as Array, [[0, 1], [1, 0], [1, 2]]);
    expectArray(np.argwhere(m, { size: 4, fillValue: -1 }) as Array, [[0, 1], [1, 0], [1, 2], [-1, -1]]);
    expect((np.argwhere(np.asarray(5)) as Array).shape).toEqual([1, 0]);
    expect((np.argwhere(np.asarray(0)) as Array).shape).toEqual([0, 0]);
    expectArray(np.flatnonzero(m) as Array, [1, 3, 5]);
    expectArray(np.flatnonzero(np.array([true, false, true]), { size: 1 }) as Array, [0]);
    expectArray(one(np.nonzero(np.zeros([4])) as Array[]), [], { shape: [0] });
    expectArray(one(np.nonzero(np.array([0.0, -0.0, NAN, 2], "float32")) as Array[]), [2, 3]);
    expect(() => np.nonzero(np.asarray(1))).toThrow(/nonzero: calling nonzero on 0-d arrays is not allowed/);
  });

  it("iteration and methods", () => {
    const m = np.arange(6).reshape([2, 3]) as Array;
    expect([...m].map((r) => (r as Array).tolist())).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(np.getitem(m, "1, 2").item()).toBe(5);
    expect(np.at(m, 0).get().tolist()).toEqual([0, 1, 2]);
  });

  it("basic reads are views of the same storage", () => {
    const x = np.arange(24).reshape([2, 3, 4]) as Array;
    const v = x.get("1, ::2, ::-1") as Array;
    expect((v as unknown as Concrete)._storage).toBe((x as unknown as Concrete)._storage);
    expectArray(v, [[15, 14, 13, 12], [23, 22, 21, 20]]);
  });

  it("errors name the indexing function and the problem", () => {
    const x = np.arange(6).reshape([2, 3]) as Array;
    expect(() => x.get("0, 0, 0")).toThrow(/getitem: too many indices: the array is 2-dimensional \(shape \[2, 3\]\), but 3 were indexed/);
    expect(() => x.get("..., ...")).toThrow(/an index can only have a single ellipsis/);
    expect(() => x.get(1.5)).toThrow(/getitem: indexer must have integer or boolean type/);
    expect(() => x.get(np.array([0.5]))).toThrow(/indexer must have integer or boolean type, got an indexer of dtype float32/);
    expect(() => x.get("a:b")).toThrow(/getitem: cannot parse "a" in the index "a:b"/);
    expect(() => x.get("1::0")).toThrow(/slice step cannot be zero/);
    expect(() => x.get(undefined)).toThrow(/an index is required/);
    expect(() => x.get([{}, 1])).toThrow(/unsupported index entry/);
    expect(() => x.get(np.array([true, false, true]))).toThrow(/the boolean index of shape \[3\] does not match the indexed axes \[2\]/);
    expect(() => x.get([np.array([0, 1]), np.array([0, 1, 2])])).toThrow(/cannot be broadcast together/);
    expect(() => x.at(0).set(np.zeros([2]))).toThrow(/at.set: cannot broadcast the update values of shape \[2\] to the indexed shape \[3\]/);
    expect(() => x.at(0).set("a")).toThrow(/at.set: the update values must be/);
    expect(() => np.zeros([0]).get(0)).toThrow(/out of bounds for axis 0 with size 0/);
  });
});
