// Derivative and batching rules of the movement primitives (ts/lax/structural.ts), through
// the public lax functions: jvp against float64 central differences, vjp by the transpose
// identity against jvp, vmap against a loop of the unbatched function.
import { describe, expect, it } from "vitest";
import { grad, jit, lax, makeJaxpr, numpy as np, vmap } from "../../ts/index.js";
import * as S from "../../ts/lax/structural.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

const r = (shape: number[], seed = 1) => randArray(shape, -1, 1, seed);

describe("movement primitives: jvp and vjp", () => {
  const cases: [string, (...a: any[]) => any, number[][]][] = [
    ["broadcast_in_dim new axes", (x) => lax.broadcastInDim(x, [2, 3, 4], [1]), [[3]]],
    ["broadcast_in_dim size-1 axes", (x) => lax.broadcastInDim(x, [3, 2, 4], [0, 2]), [[1, 4]]],
    ["broadcast_in_dim mixed", (x) => lax.broadcastInDim(x, [5, 3, 4, 2], [1, 2]), [[3, 1]]],
    ["broadcast_in_dim scalar", (x) => lax.broadcastInDim(x, [2, 3], []), [[]]],
    ["broadcast", (x) => lax.broadcast(x, [2]), [[3, 2]]],
    ["reshape", (x) => lax.reshape(x, [3, 4]), [[2, 6]]],
    ["reshape to scalar", (x) => lax.reshape(x, []), [[1, 1]]],
    ["transpose", (x) => lax.transpose(x, [2, 0, 1]), [[2, 3, 4]]],
    ["squeeze", (x) => lax.squeeze(x, [0, 2]), [[1, 3, 1, 2]]],
    ["expandDims", (x) => lax.expandDims(x, [0, 2]), [[3, 2]]],
    ["slice", (x) => lax.slice(x, [1, 0], [3, 4]), [[4, 5]]],
    ["slice strided", (x) => lax.slice(x, [1, 0], [6, 5], [2, 3]), [[7, 5]]],
    ["slice empty", (x) => lax.slice(x, [2, 0], [2, 3]), [[4, 3]]],
    ["sliceInDim", (x) => lax.sliceInDim(x, 1, 4, 2, 1), [[2, 5]]],
    ["rev", (x) => lax.rev(x, [0, 2]), [[2, 3, 4]]],
    ["concatenate", (x, y, z) => lax.concatenate([x, y, z], 1), [[2, 1], [2, 3], [2, 2]]],
    ["concatenate axis 0", (x, y) => lax.concatenate([x, y], 0), [[1, 3], [2, 3]]],
    ["pad", (x, v) => lax.pad(x, v, [[1, 2, 0], [0, 1, 1]]), [[2, 3], []]],
    ["pad negative (cropping)", (x, v) => lax.pad(x, v, [[-1, 2, 1], [1, -2, 0]]), [[4, 3], []]],
    ["pad interior only", (x, v) => lax.pad(x, v, [[0, 0, 2]]), [[4], []]],
    ["pad crop to empty", (x, v) => lax.pad(x, v, [[-3, 0, 0]]), [[3], []]],
    ["pad empty operand", (x, v) => lax.pad(x, v, [[1, 1, 1], [2, 0, 0]]), [[0, 2], []]],
    ["copy", (x) => np.copy(x), [[3, 2]]],
  ];
  it.each(cases)("%s", (_name, f, shapes) => {
    withX64(() => checkGrads(f, shapes.map((s, i) => r(s, 7 + i))));
  });

  it("pad: gradients of the padding value count the padded elements", () => {
    // d/dv sum(pad(x, v)) = number of padded elements: 5*7 - 2*3 = 29 (JAX's value).
    withX64(() => {
      const x = r([2, 3]);
      const g = grad((v: any) => lax.pad(x, v, [[1, 2, 0], [1, 1, 1]]).sum())(np.array(0.5, "float64"));
      expect(g.item()).toBe(5 * 7 - 2 * 3);
      const gx = grad((x: any) => lax.pad(x, np.array(0, "float64"), [[-1, 0, 1], [0, 0, 0]]).sum())(x);
      // The first row is cropped: it gets no gradient.
      expect(Array.from(gx.dataSync())).toEqual([0, 0, 0, 1, 1, 1]);
    });
  });

  it("squeeze and rev take negative axes and reject bad ones", () => {
    withX64(() => {
      checkGrads((x: any) => lax.squeeze(x, [-1]), [r([3, 1])]);
      checkGrads((x: any) => lax.rev(x, [-1, 0]), [r([3, 2])]);
      checkVmap((x: any) => lax.rev(lax.squeeze(x, [-1]), [-1]), [r([4, 3, 1])], [1]);
    });
    expect(() => lax.squeeze(np.zeros([3, 1]), [2])).toThrow(/out of range for rank 2/);
    expect(() => lax.rev(np.zeros([3]), [0, -1])).toThrow(/repeats axis 0/);
  });

  it("stop_gradient blocks gradients and batches", () => {
    withX64(() => {
      const f = (x: any) => x.mul(lax.stopGradient(x)).sum();
      const x = r([3]);
      const g = grad(f)(x);
      expect(Array.from(g.dataSync())).toEqual(Array.from(x.dataSync()));
      checkVmap((x: any) => lax.stopGradient(x), [r([3, 2])], [1]);
    });
  });

  it("iota has no tangent and needs no batching", () => {
    withX64(() => {
      const g = grad((x: any) => x.mul(lax.iota("float64", 3)).sum())(r([3]));
      expect(Array.from(g.dataSync())).toEqual([0, 1, 2]);
      const v = vmap((x: any) => x.add(lax.iota("float64", 3)))(np.zeros([2, 3], "float64"));
      expect(v.tolist()).toEqual([[0, 1, 2], [0, 1, 2]]);
    });
  });

  it("grad through jit", () => {
    withX64(() => {
      const f = (x: any) => lax.pad(lax.rev(lax.slice(lax.transpose(x, [1, 0]), [0, 1], [3, 3]), [0]), np.array(0, "float64"), [[1, 0, 1], [0, 1, 0]]).mul(2).sum();
      const x = r([3, 3]);
      const g1 = grad(f)(x);
      const g2 = jit(grad(jit(f)))(x);
      expect(g2.tolist()).toEqual(g1.tolist());
      // x^T[0:3, 1:3] reversed along 0, times 2: every element of x[1:3, :] has gradient 2.
      expect(g1.tolist()).toEqual([[0, 0, 0], [2, 2, 2], [2, 2, 2]]);
    });
  });
});

describe("movement primitives: batching", () => {
  const f32 = (shape: number[], seed = 1) => randArray(shape, -1, 1, seed, "float32");
  const cases: [string, (...a: any[]) => any, number[][], (number | null)[]][] = [
    ["broadcast_in_dim", (x) => lax.broadcastInDim(x, [2, 3, 4], [1, 2]), [[3, 5, 1]], [1]],
    ["broadcast_in_dim size-1 stretch", (x) => lax.broadcastInDim(x, [3, 2, 4], [0, 2]), [[1, 4, 3]], [-1]],
    ["reshape", (x) => lax.reshape(x, [3, 4]), [[2, 5, 6]], [1]],
    ["transpose", (x) => lax.transpose(x, [2, 0, 1]), [[2, 3, 5, 4]], [2]],
    ["squeeze", (x) => lax.squeeze(x, [0, 2]), [[1, 3, 1, 4]], [3]],
    ["slice strided", (x) => lax.slice(x, [1, 0], [6, 5], [2, 3]), [[7, 3, 5]], [1]],
    ["rev", (x) => lax.rev(x, [0, 1]), [[2, 3, 4]], [1]],
    ["rev batch last", (x) => lax.rev(x, [1]), [[2, 3, 4]], [-1]],
    ["concatenate mixed", (x, y) => lax.concatenate([x, y], 1), [[2, 1, 4], [2, 3]], [2, null]],
    ["concatenate both", (x, y) => lax.concatenate([x, y], 0), [[3, 1, 2], [4, 3, 2]], [0, 1]],
    ["pad operand", (x, v) => lax.pad(x, v, [[1, 2, 1], [-1, 0, 0]]), [[3, 4, 3], []], [1, null]],
    ["pad value", (x, v) => lax.pad(x, v, [[1, 2, 1], [0, 1, 0]]), [[3, 2], [4]], [null, 0]],
    ["pad both", (x, v) => lax.pad(x, v, [[1, -1, 1], [0, 1, 2]]), [[3, 2, 4], [4]], [2, 0]],
    ["copy", (x) => np.copy(x), [[3, 4]], [1]],
  ];
  it.each(cases)("%s", (_name, f, shapes, axes) => {
    const args = shapes.map((s, i) => f32(s, 3 + i));
    const norm = axes.map((a, i) => (a !== null && a < 0 ? a + shapes[i].length : a));
    checkVmap(f, args, norm);
    // Negative in_axes go through vmap's own normalization.
    if (axes.some((a) => a !== null && a < 0)) {
      const got = vmap(f, { inAxes: axes })(...args);
      const want = vmap(f, { inAxes: norm })(...args);
      expect(got.tolist()).toEqual(want.tolist());
    }
  });

  it("vmap of vmap and grad of vmap", () => {
    withX64(() => {
      const f = (x: any) => lax.pad(lax.rev(lax.transpose(x, [1, 0]), [1]), np.array(1, "float64"), [[1, 0, 1], [0, 2, 0]]);
      const x = r([4, 3, 2, 5]);
      const vv = vmap(vmap(f, { inAxes: 2 }), { inAxes: 1 })(x);
      checkVmap((y: any) => vmap(f, { inAxes: 2 })(y), [x], [1]);
      expect(vv.shape).toEqual([3, 5, 4, 6]);
      checkGrads((y: any) => vmap(f, { inAxes: 1 })(y), [r([2, 4, 3])]);
    });
  });

  it("batched movement under jit matches the eager vmap", () => {
    const f = (x: any, v: any) => {
      const y = lax.pad(lax.rev(lax.transpose(x, [1, 0]), [0]), v, [[1, -1, 1], [0, 2, 0]]);
      return lax.concatenate([lax.slice(y, [0, 1], [4, 4], [2, 1]), lax.broadcastInDim(lax.squeeze(lax.reshape(v, [1]), [0]), [2, 3], [])], 0);
    };
    const x = f32([3, 4, 2]);
    const v = f32([2], 9);
    const eager = vmap(f, { inAxes: [2, 0] })(x, v);
    const compiled = jit(vmap(f, { inAxes: [2, 0] }))(x, v);
    expect(compiled.tolist()).toEqual(eager.tolist());
    checkVmap(f, [x, v], [2, 0]);
  });

  it("every movement primitive has a batching rule (no loop over the batch)", () => {
    for (const p of [S.broadcast_in_dim_p, S.reshape_p, S.transpose_p, S.squeeze_p, S.slice_p, S.rev_p, S.concatenate_p, S.pad_p, S.copy_p, S.stop_gradient_p]) {
      expect(p.rules.batch, p.name).toBeTypeOf("function");
    }
    // The loop fallback would bind one pad per batch element.
    const jaxpr = makeJaxpr(vmap((x: any) => lax.pad(x, 0, [[1, 1, 0]])))(f32([5, 3]));
    expect(jaxpr.jaxpr.eqns.filter((e) => e.prim.name === "pad").length).toBe(1);
  });
});
