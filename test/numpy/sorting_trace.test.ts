// Traceability of ts/numpy/sorting.ts, setops.ts, histogram.ts and lax.topK: under an
// abstract trace (shapes and dtypes only, as jit's tracing will be) every function must be a
// composition of primitives — no host reads — and give JAX's output shapes and dtypes; the
// value-dependent forms (unique without size, bincount without length) must refuse clearly.
import { describe, expect, it } from "vitest";
import { lax, numpy as np } from "../../ts/index.js";
import type { ArrayBase } from "../../ts/array/base.js";
import type { Aval, Params, Primitive } from "../../ts/core/primitive.js";
import { Trace, Tracer } from "../../ts/core/trace.js";

class ShapeTracer extends Tracer {
  constructor(readonly _trace: Trace, readonly aval: Aval) {
    super();
  }
}
class ShapeTrace extends Trace {
  readonly seen = new Set<string>();
  lift(x: ArrayBase): Tracer {
    return new ShapeTracer(this, { shape: x.shape, dtype: x.dtype, weakType: x.weakType });
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): ArrayBase[] {
    this.seen.add(prim.name);
    return prim.rules.abstractEval(tracers.map((t) => t.aval), params).map((a) => new ShapeTracer(this, a));
  }
}

const trace = new ShapeTrace(1);
const T = (shape: number[], dtype: string) => new ShapeTracer(trace, { shape, dtype: dtype as never, weakType: false });
const aval = (x: unknown) => {
  expect(x).toBeInstanceOf(Tracer);
  const t = x as Tracer;
  return `${t.dtype}[${t.shape}]`;
};

describe("sorting functions trace (abstract evaluation)", () => {
  const f = T([4, 6], "float32");
  const v = T([6], "float32");
  const i = T([9], "int32");

  it("sort, argsort, lexsort, partition, topK", () => {
    expect(aval(np.sort(f, { axis: 0, descending: true }))).toBe("float32[4,6]");
    expect(aval(np.sort(f, null))).toBe("float32[24]");
    expect(aval(np.argsort(f, { descending: true }))).toBe("int32[4,6]");
    expect(aval(np.lexsort([f, f]))).toBe("int32[4,6]");
    expect(aval(np.partition(f, 2))).toBe("float32[4,6]");
    expect(aval(np.argpartition(f, 2, 0))).toBe("int32[4,6]");
    const [tv, ti] = lax.topK(f, 3);
    expect([aval(tv), aval(ti)]).toEqual(["float32[4,3]", "int32[4,3]"]);
    const [sv] = np.topK(T([5], "uint8"), 2, { mode: "smallest" });
    expect(aval(sv)).toBe("uint8[2]");
  });

  it("searchsorted, digitize, interp", () => {
    expect(aval(np.searchsorted(v, f, { side: "right", sorter: T([6], "int32") }))).toBe("int32[4,6]");
    expect(aval(np.digitize(f, v, true))).toBe("int32[4,6]");
    expect(aval(np.interp(f, v, v))).toBe("float32[4,6]");
    expect(aval(np.interp(i, v, v, { period: 2, left: 0 }))).toBe("float32[9]");
    expect(trace.seen.has("searchsorted")).toBe(true);
  });

  it("unique and set operations with size", () => {
    const r = np.unique(f, { size: 5, fillValue: 0, returnIndex: true, returnInverse: true, returnCounts: true }) as unknown[];
    expect(r.map(aval)).toEqual(["float32[5]", "int32[5]", "int32[4,6]", "int32[5]"]);
    const ra = np.unique(T([5, 3], "int32"), { axis: 0, size: 2, returnCounts: true }) as unknown[];
    expect(ra.map(aval)).toEqual(["int32[2,3]", "int32[2]"]);
    expect(aval(np.uniqueValues(v, { size: 3 }))).toBe("float32[3]");
    expect(aval(np.isin(f, i))).toBe("bool[4,6]");
    expect(aval(np.isin(f, i, { method: "binary_search" }))).toBe("bool[4,6]");
    const [iv, i1, i2] = np.intersect1d(v, i, { size: 4, returnIndices: true });
    expect([aval(iv), aval(i1), aval(i2)]).toEqual(["float32[4]", "int32[4]", "int32[4]"]);
    expect(aval(np.union1d(v, i, { size: 7 }))).toBe("float32[7]");
    expect(aval(np.setdiff1d(i, v, { size: 3 }))).toBe("int32[3]");
    expect(aval(np.setxor1d(i, i, { size: 3, assumeUnique: true }))).toBe("int32[3]");
  });

  it("bincount with length, histogram", () => {
    expect(aval(np.bincount(i, null, 0, { length: 4 }))).toBe("int32[4]");
    expect(aval(np.bincount(i, T([9], "float32"), 0, { length: 4 }))).toBe("float32[4]");
    const [c, e] = np.histogram(f, 5, { weights: f, density: true });
    expect([aval(c), aval(e)]).toEqual(["float32[5]", "float32[6]"]);
    // Edges from a static range do not depend on the data: a concrete array.
    const e2 = np.histogramBinEdges(i, 3, { range: [0, 1] });
    expect(`${e2.dtype}[${e2.shape}]`).toBe("float32[4]");
  });

  it("value-dependent output sizes refuse under a transformation and say what to do", () => {
    expect(() => np.unique(v)).toThrow(/unique: the output shape depends on the input values.*pass a static `size`/);
    expect(() => np.intersect1d(v, v)).toThrow(/intersect1d: .*size/);
    expect(() => np.setdiff1d(v, v)).toThrow(/setdiff1d: .*size/);
    expect(() => np.union1d(v, v)).toThrow(/unique: .*size/);
    expect(() => np.bincount(i)).toThrow(/bincount: .*pass a static `length`/);
  });
});
