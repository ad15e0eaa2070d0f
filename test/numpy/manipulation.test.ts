// ts/numpy/manipulation.ts and padding.ts against NumPy fixtures (gen_manipulation.py), plus
// JAX-specific behaviour (repeat's totalRepeatLength), views, and errors.
import { describe, expect, it } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { caseName, runCase, type Case } from "./shape_fixture_util.js";

const { cases } = fixture<{ cases: Case[] }>("numpy/fixtures/manipulation.json");

describe.each(backends)("manipulation on %s", (backend) => {
  useBackend(backend);

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [caseName(c), c] as const))("%s", (_, c) => runCase(c));
  });

  it("broadcastShapes returns a shape", () => {
    expect(np.broadcastShapes([2, 1], [3])).toEqual([2, 3]);
    expect(np.broadcastShapes(3, [4, 1], [1, 1, 1])).toEqual([1, 4, 3]);
    expect(np.broadcastShapes()).toEqual([]);
    expect(() => np.broadcastShapes([2], [3])).toThrow(/broadcastShapes: shapes \[2\], \[3\] cannot be broadcast/);
  });

  it("methods: reshape, transpose, T, ravel, squeeze, swapaxes", () => {
    const x = np.arange(6) as Array;
    expectArray(x.reshape(2, 3), [[0, 1, 2], [3, 4, 5]]);
    expectArray(x.reshape([3, -1]).T, [[0, 2, 4], [1, 3, 5]]);
    expectArray(x.reshape([1, 2, 3]).squeeze(), [[0, 1, 2], [3, 4, 5]]);
    expectArray(x.reshape([1, 2, 3]).swapaxes(0, 2).ravel(), [0, 3, 1, 4, 2, 5]);
    // reshape of a transposed view copies when it must.
    expectArray(np.reshape(np.transpose(x.reshape(2, 3)), [6]) as Array, [0, 3, 1, 4, 2, 5]);
    expectArray(np.reshape(np.transpose(x.reshape(2, 3)), [3, 2]) as Array, [[0, 3], [1, 4], [2, 5]]);
  });

  it("repeat with totalRepeatLength truncates or pads with the last element (JAX's algorithm)", () => {
    const a = np.array([1, 2, 3]);
    expectArray(np.repeat(a, np.array([2, 1, 1]), { axis: 0, totalRepeatLength: 3 }) as Array, [1, 1, 2], { dtype: "int32" });
    expectArray(np.repeat(a, np.array([2, 1, 1]), { axis: 0, totalRepeatLength: 6 }) as Array, [1, 1, 2, 3, 3, 3]);
    expectArray(np.repeat(a, 2, { totalRepeatLength: 6 }) as Array, [1, 1, 2, 2, 3, 3]);
    expectArray(np.repeat(np.array(4), 3, { totalRepeatLength: 3 }) as Array, [4, 4, 4]);
  });

  it("split returns views, arraySplit uneven parts", () => {
    const parts = np.split(np.arange(6), 3) as Array[];
    expect(parts.map((p) => p.tolist())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect((np.arraySplit(np.arange(5), 3) as Array[]).map((p) => p.shape)).toEqual([[2], [2], [1]]);
    expect((np.split(np.arange(6), np.array([1, 4])) as Array[]).map((p) => p.tolist())).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it("stack and concatenate of many arrays", () => {
    const xs = Array_from(40, (i) => np.full([2], i, "int32"));
    const s = np.stack(xs, 1) as Array;
    expect(s.shape).toEqual([2, 40]);
    expect((s.get("1, 39") as Array).item()).toBe(39);
    expect((np.concatenate(xs) as Array).shape).toEqual([80]);
  });

  it("keeps weak types through views and joins of weak operands", () => {
    const w = np.asarray(1.5);
    expect((np.reshape(w, [1]) as Array).weakType).toBe(true);
    expect((np.stack([w, w]) as Array).weakType).toBe(true);
    expect((np.concatenate([np.atleast1d(w) as Array, np.array([1], "float32")]) as Array).weakType).toBe(false);
  });

  it("errors name the function and the shapes", () => {
    const x = np.arange(6);
    expect(() => np.reshape(x, [4, -1])).toThrow(/reshape: cannot reshape an array of shape \[6\] \(size 6\) into shape \[4, -1\]/);
    expect(() => np.reshape(x, [-1, -1])).toThrow(/only specify one unknown dimension/);
    expect(() => np.reshape(x, [2, 3], "F")).toThrow(/order="F" is not supported/);
    expect(() => np.transpose(np.zeros([2, 3]), [0, 0])).toThrow(/transpose: repeated axis/);
    expect(() => np.transpose(np.zeros([2, 3]), [0])).toThrow(/transpose: axes/);
    expect(() => np.squeeze(np.zeros([2, 1]), 0)).toThrow(/squeeze: cannot select axis 0 to squeeze out: it has size 2/);
    expect(() => np.expandDims(np.zeros([2]), 3)).toThrow(/expandDims: axis 3 is out of bounds/);
    expect(() => np.broadcastTo(np.zeros([3]), [2, 4])).toThrow(/broadcastTo: cannot broadcast an array of shape \[3\] to shape \[2, 4\]/);
    expect(() => np.concatenate([np.zeros([2, 2]), np.zeros([3, 3])])).toThrow(/concatenate: all input array dimensions except axis 0 must match/);
    expect(() => np.concatenate([np.asarray(1), np.asarray(2)])).toThrow(/zero-dimensional arrays cannot be concatenated/);
    expect(() => np.concatenate([])).toThrow(/needs at least one array/);
    expect(() => np.stack([np.zeros([2]), np.zeros([3])])).toThrow(/stack: all input arrays must have the same shape/);
    expect(() => np.split(np.arange(5), 2)).toThrow(/split: an axis of size 5 does not divide into 2 equal sections; use arraySplit/);
    expect(() => np.repeat(np.arange(3), [1, 2])).toThrow(/repeat: repeats of length 2 do not match axis 0 of size 3/);
    expect(() => np.repeat(np.arange(3), -1)).toThrow(/repeat: repeats must be non-negative/);
    expect(() => np.rot90(np.zeros([2]))).toThrow(/rot90: the input must be at least 2-D/);
    expect(() => np.rot90(np.zeros([2, 2]), 1, [0, 0])).toThrow(/rot90: the two axes must be different/);
    expect(() => np.fliplr(np.zeros([2]))).toThrow(/fliplr: the input must be at least 2-D/);
    expect(() => np.diagonal(np.zeros([2]))).toThrow(/diagonal: the input must be at least 2-D/);
    expect(() => np.trace(np.zeros([2, 2]), 0, 1, 1)).toThrow(/diagonal: axis1 and axis2 must be different/);
    expect(() => np.tril(np.zeros([3]))).toThrow(/tril: the input must be at least 2-D/);
    expect(() => np.pad(np.zeros([2]), -1)).toThrow(/pad: padWidth cannot contain negative values/);
    expect(() => np.pad(np.zeros([2]), 1, "median" as never)).toThrow(/pad: unimplemented padding mode "median"/);
    expect(() => np.pad(np.zeros([2]), 1, "edge", { constantValues: 1 })).toThrow(/option constantValues does not apply to mode "edge"/);
    expect(() => np.pad(np.zeros([0]), 1, "wrap")).toThrow(/cannot apply "wrap" padding to an empty axis/);
    expect(() => np.pad(np.zeros([2, 2]), [1, 2, 3])).toThrow(/pad: padWidth must be an integer, a pair, or one pair per axis/);
    expect(() => np.roll(np.zeros([3, 3]), [1, 2, 3], [0, 1])).toThrow(/roll: 3 shifts and 2 axes cannot be broadcast/);
  });
});

function Array_from<T>(n: number, f: (i: number) => T): T[] {
  return globalThis.Array.from({ length: n }, (_, i) => f(i));
}
