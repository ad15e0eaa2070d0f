// vmap's API (ts/transforms/vmap.ts): in/out axes as pytree prefixes, null, negative axes,
// nesting, axisSize, errors.
import { describe, expect, it } from "vitest";
import { numpy as np, vmap, type Array } from "../../ts/index.js";
import { expectArray } from "../helpers.js";

const m = np.arange(6).reshape([2, 3]).astype("float32"); // [[0,1,2],[3,4,5]]

describe("vmap", () => {
  it("maps over axis 0 by default and over other axes by inAxes", () => {
    expectArray(vmap((r: Array) => np.sum(r.mul(r)))(m), [5, 50]);
    expectArray(vmap((c: Array) => c.mul(2), { inAxes: 1 })(m), [[0, 6], [2, 8], [4, 10]]);
    expectArray(vmap((c: Array) => c.mul(2), { inAxes: -1 })(m), [[0, 6], [2, 8], [4, 10]]);
  });
  it("null in inAxes broadcasts an argument", () => {
    const v = np.array([1, 10, 100], "float32");
    expectArray(vmap((r: Array, w: Array) => r.mul(w), { inAxes: [0, null] })(m, v), [[0, 10, 200], [3, 40, 500]]);
  });
  it("inAxes as a pytree prefix of the arguments", () => {
    const f = (p: { a: Array; b: Array }, s: Array) => p.a.add(p.b).mul(s);
    const out = vmap(f, { inAxes: [{ a: 0, b: null }, 0] })({ a: m, b: np.ones([3]) }, np.array([1, 2], "float32"));
    expectArray(out, [[1, 2, 3], [8, 10, 12]]);
  });
  it("outAxes moves the batch axis of each output", () => {
    const out = vmap((r: Array) => [r, np.sum(r)], { outAxes: [1, 0] })(m);
    expectArray(out[0], [[0, 3], [1, 4], [2, 5]]);
    expectArray(out[1], [3, 12]);
  });
  it("unbatched outputs are broadcast; axisSize with nothing mapped", () => {
    expectArray(vmap((_r: Array) => np.array(7, "float32"))(m), [7, 7]);
    expectArray(vmap(() => np.ones([2]), { inAxes: [], axisSize: 3 })(), [[1, 1], [1, 1], [1, 1]]);
  });
  it("nested vmaps compute an outer product", () => {
    const x = np.array([1, 2, 3], "float32");
    const y = np.array([10, 20], "float32");
    const outer = vmap((a: Array) => vmap((b: Array) => a.mul(b))(y))(x);
    expectArray(outer, [[10, 20], [20, 40], [30, 60]]);
    // And with the inner batch on a different axis of the same argument.
    expectArray(vmap(vmap((v: Array) => v.add(1)), { inAxes: 1 })(m), [[1, 4], [2, 5], [3, 6]]);
  });
  it("errors: inconsistent sizes, bad axes, wrong inAxes length", () => {
    expect(() => vmap((a: Array, b: Array) => a.add(b))(np.ones([2]), np.ones([3]))).toThrow(/inconsistent sizes.*2 vs 3/);
    expect(() => vmap((a: Array) => a, { inAxes: 2 })(np.ones([2]))).toThrow(/out of bounds/);
    expect(() => vmap((a: Array) => a, { inAxes: [0, 0] })(np.ones([2]))).toThrow(/inAxes has 2 entries/);
    expect(() => vmap((a: Array) => a, { inAxes: null })(np.ones([2]))).toThrow(/axisSize/);
  });
});
