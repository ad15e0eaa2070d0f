// lax.gather / scatter* / dynamic_slice / dynamic_update_slice (ts/lax/indexing.ts): XLA's
// semantics with JAX's modes, checked on small cases computed by hand (and JAX's docstring
// example for gather).
import { describe, expect, it } from "vitest";
import { lax, numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";

const I32_MIN = -(2 ** 31);
const rows = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] };
const elems = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };

describe.each(backends)("lax indexing on %s", (backend) => {
  useBackend(backend);

  it("gather: JAX's docstring example and row gathers", () => {
    const x = np.array([10, 11, 12]);
    const idx = np.array([[0], [1], [1], [2], [2], [2]]);
    const g = lax.gather(x, idx, { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }, [1], { indicesAreSorted: true }) as Array;
    expectArray(g, [10, 11, 11, 12, 12, 12], { dtype: "int32" });
    const m = np.arange(12).reshape([3, 4]);
    expectArray(lax.gather(m, np.array([[2], [0]]), rows, [1, 4]) as Array, [[8, 9, 10, 11], [0, 1, 2, 3]]);
    // Offset dims first: the gathered axis goes last.
    expectArray(
      lax.gather(m, np.array([[2], [0]]), { offsetDims: [0], collapsedSliceDims: [0], startIndexMap: [0] }, [1, 4]) as Array,
      [[8, 0], [9, 1], [10, 2], [11, 3]],
    );
  });

  it("gather windows: clip clamps the start, fill fills whole windows", () => {
    const m = np.arange(16).reshape([4, 4]);
    const dn = { offsetDims: [1, 2], collapsedSliceDims: [], startIndexMap: [0, 1] };
    const idx = np.array([[0, 0], [3, 3], [-1, 1]]);
    expectArray(lax.gather(m, idx, dn, [2, 2]) as Array, [[[0, 1], [4, 5]], [[10, 11], [14, 15]], [[1, 2], [5, 6]]]);
    expectArray(lax.gather(m, idx, dn, [2, 2], { mode: "clip" }) as Array, [[[0, 1], [4, 5]], [[10, 11], [14, 15]], [[1, 2], [5, 6]]]);
    const f = lax.gather(m, idx, dn, [2, 2], { mode: "fill" }) as Array;
    expectArray(f, [[[0, 1], [4, 5]], [[I32_MIN, I32_MIN], [I32_MIN, I32_MIN]], [[I32_MIN, I32_MIN], [I32_MIN, I32_MIN]]]);
    expectArray(lax.gather(m, np.array([[2, 2]]), dn, [2, 2], { mode: "fill", fillValue: 7 }) as Array, [[[10, 11], [14, 15]]]);
    expectArray(lax.gather(np.arange(4, "float32"), np.array([[4]]), { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }, [1], { mode: "fill" }) as Array, [NaN]);
  });

  it("gather with operand batching dims", () => {
    const x = np.array([[1, 2, 3], [4, 5, 6]]);
    const dn = { offsetDims: [], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [0] };
    expectArray(lax.gather(x, np.array([[2], [0]]), dn, [1, 1]) as Array, [3, 4]);
  });

  it("gather of a strided view and of other index dtypes", () => {
    const m = np.arange(12).reshape([3, 4]).T as Array;
    expectArray(lax.gather(m, np.array([[3], [1]], "uint8"), rows, [1, 3]) as Array, [[3, 7, 11], [1, 5, 9]]);
  });

  it("scatter, scatterAdd (repeated indices accumulate), mul, min, max, sub", () => {
    const z = np.zeros([5], "int32");
    const idx = np.array([[1], [1], [3]]);
    const upd = np.array([1, 2, 3]);
    expectArray(lax.scatterAdd(z, idx, upd, elems) as Array, [0, 3, 0, 3, 0]);
    expectArray(lax.scatter(z, np.array([[4], [0]]), np.array([7, 8]), elems, { uniqueIndices: true }) as Array, [8, 0, 0, 0, 7]);
    expectArray(lax.scatterMul(np.ones([5], "int32"), idx, np.array([2, 3, 4]), elems) as Array, [1, 6, 1, 4, 1]);
    expectArray(lax.scatterMin(np.full([5], 5, "int32"), idx, np.array([7, 2, 9]), elems) as Array, [5, 2, 5, 5, 5]);
    expectArray(lax.scatterMax(np.full([5], 5, "int32"), idx, np.array([7, 2, 9]), elems) as Array, [5, 7, 5, 9, 5]);
    expectArray(lax.scatterSub(z, idx, upd, elems) as Array, [0, -3, 0, -3, 0]);
    // A JS number as updates takes the operand's dtype (one index: no scatter dims).
    expectArray(lax.scatterAdd(np.zeros([3], "float32"), np.array([2]), 1.5, elems) as Array, [0, 0, 1.5]);
  });

  it("scatter: out-of-bounds windows are dropped by default, clamped with clip", () => {
    const z = np.zeros([4], "int32");
    const idx = np.array([[5], [-1], [2]]);
    expectArray(lax.scatterAdd(z, idx, np.array([1, 2, 3]), elems) as Array, [0, 0, 3, 0]);
    expectArray(lax.scatterAdd(z, idx, np.array([1, 2, 3]), elems, { mode: "clip" }) as Array, [2, 0, 3, 1]);
    // Windows: [2, 2] blocks into a 4x4 operand.
    const dn = { updateWindowDims: [1, 2], insertedWindowDims: [], scatterDimsToOperandDims: [0, 1] };
    const blocks = np.ones([2, 2, 2], "int32");
    expectArray(lax.scatter(np.zeros([4, 4], "int32"), np.array([[1, 1], [3, 0]]), blocks, dn) as Array, [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0], [0, 0, 0, 0]]);
    expectArray(lax.scatter(np.zeros([4, 4], "int32"), np.array([[3, 0]]), np.ones([1, 2, 2], "int32"), dn, { mode: "clip" }) as Array, [[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0], [1, 1, 0, 0]]);
  });

  it("scatterAdd on bool is a logical or", () => {
    expectArray(lax.scatterAdd(np.array([false, false, true]), np.array([[0], [0]]), np.array([true, false]), elems) as Array, [true, false, true]);
  });

  it("dynamicSlice clamps start indices so the slice fits", () => {
    const x = np.arange(10);
    expectArray(lax.dynamicSlice(x, [8], [4]) as Array, [6, 7, 8, 9]);
    expectArray(lax.dynamicSlice(x, [-3], [2]) as Array, [7, 8]);
    expectArray(lax.dynamicSlice(x, [-3], [2], { allowNegativeIndices: false }) as Array, [0, 1]);
    expectArray(lax.dynamicSlice(x, [np.array(-20)], [3]) as Array, [0, 1, 2]);
    expectArray(lax.dynamicSlice(x, np.array([4]), [3]) as Array, [4, 5, 6]);
    const m = np.arange(12).reshape([3, 4]);
    expectArray(lax.dynamicSlice(m, [1, np.array(3, "int8")], [2, 2]) as Array, [[6, 7], [10, 11]]);
    expectArray(lax.dynamicSliceInDim(m, 1, 2, 1) as Array, [[1, 2], [5, 6], [9, 10]]);
    expectArray(lax.dynamicIndexInDim(m, 2, 0, false) as Array, [8, 9, 10, 11]);
    expectArray(lax.dynamicIndexInDim(m, -1, 1) as Array, [[3], [7], [11]]);
    expectArray(lax.dynamicSlice(np.asarray(5), [], []) as Array, 5, { shape: [] });
  });

  it("dynamicUpdateSlice clamps start indices so the update fits", () => {
    const x = np.zeros([6], "int32");
    expectArray(lax.dynamicUpdateSlice(x, np.array([1, 2, 3]), [5]) as Array, [0, 0, 0, 1, 2, 3]);
    expectArray(lax.dynamicUpdateSlice(x, np.array([1, 2]), [-4]) as Array, [0, 0, 1, 2, 0, 0]);
    const m = np.zeros([3, 3], "float32");
    expectArray(lax.dynamicUpdateSlice(m, np.ones([2, 2], "float32"), [np.array(2), 0]) as Array, [[0, 0, 0], [1, 1, 0], [1, 1, 0]]);
    expectArray(lax.dynamicUpdateSliceInDim(m, np.full([3, 1], 4, "float32"), 2, 1) as Array, [[0, 0, 4], [0, 0, 4], [0, 0, 4]]);
    expectArray(lax.dynamicUpdateIndexInDim(m, np.array([7, 8, 9], "float32"), 1, 0) as Array, [[0, 0, 0], [7, 8, 9], [0, 0, 0]]);
    expectArray(lax.dynamicUpdateSlice(np.asarray(1.5), np.asarray(2.5), []) as Array, 2.5, { shape: [] });
  });

  it("errors name the lax function and what is wrong", () => {
    const m = np.arange(12).reshape([3, 4]);
    expect(() => lax.gather(m, np.array([[0.5]]), rows, [1, 4])).toThrow(/lax.gather: indices must have an integer dtype, got float32/);
    expect(() => lax.gather(m, np.array([[0]]), rows, [1])).toThrow(/lax.gather: sliceSizes \[1\] must have one entry per operand dimension \(2\)/);
    expect(() => lax.gather(m, np.array([[0, 1]]), rows, [1, 4])).toThrow(/startIndexMap \[0\] must have one entry per index vector component/);
    expect(() => lax.gather(m, np.array([[0]]), rows, [2, 4])).toThrow(/collapsed and batching dimensions need slice size <= 1/);
    expect(() => lax.gather(m, np.array([[0]]), { ...rows, offsetDims: [] }, [1, 4])).toThrow(/offsetDims \[\] must have one entry per operand dimension/);
    expect(() => lax.gather(m, np.array(0), rows, [1, 4])).toThrow(/indices must have at least one dimension/);
    expect(() => lax.scatter(np.zeros([3]), np.array([[0]]), np.array([1]), elems)).toThrow(/lax.scatter: updates must have the operand's dtype, got int32 and float32/);
    expect(() => lax.scatterAdd(np.zeros([3], "int32"), np.array([[0], [1]]), np.array([1, 2, 3]), elems)).toThrow(/the scatter dimensions of updates \[3\] must match the indices' batch shape \[2\]/);
    expect(() => lax.dynamicSlice(m, [0], [1, 1])).toThrow(/lax.dynamic_slice: needs one start index per operand dimension \(2\), got 1/);
    expect(() => lax.dynamicSlice(m, [0, 0], [4, 1])).toThrow(/lax.dynamic_slice: slice size 4 is out of range for dimension 0 of size 3/);
    expect(() => lax.dynamicSlice(m, [0, 0.5], [1, 1])).toThrow(/start indices must be integers/);
    expect(() => lax.dynamicUpdateSlice(m, np.zeros([4, 1], "int32"), [0, 0])).toThrow(/lax.dynamic_update_slice: update of shape \[4, 1\] must have the operand's rank and fit in it/);
    expect(() => lax.gather(m, np.array([[0]]), rows, [1, 4], { mode: "wrap" as never })).toThrow(/lax.gather: unknown mode "wrap"/);
  });
});
