// Derivative and batching rules of gather, the scatters, dynamic_slice and
// dynamic_update_slice (ts/lax/indexing.ts), through the public lax functions: jvp against
// float64 central differences, vjp by the transpose identity, vmap against a loop, and a few
// gradients worked out by hand (repeated indices, clamping, dropping, ties).
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, lax, linearTranspose, makeJaxpr, numpy as np, vjp, vmap, type Array } from "../../ts/index.js";
import * as I from "../../ts/lax/indexing.js";
import { checkGrads, checkVjp, checkVmap, randArray, withX64 } from "./check.js";

const r = (shape: number[], seed = 1) => randArray(shape, -1, 1, seed);
const f32 = (shape: number[], seed = 1) => randArray(shape, -1, 1, seed, "float32");
const idx = (v: unknown) => np.array(v as any, "int32");
const list = (a: any): number[] => globalThis.Array.from((a as Array).dataSync() as ArrayLike<number>, Number);

// Dimension numbers used below.
const rows = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }; // x[i, :]
const elems = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }; // x[i]
const blocks = { offsetDims: [1, 2], collapsedSliceDims: [], startIndexMap: [0, 1] }; // x[i:i+a, j:j+b]
const sElems = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
const sRows = { updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0] };
const sBlocks = { updateWindowDims: [1, 2], insertedWindowDims: [], scatterDimsToOperandDims: [0, 1] };
const sCols = { updateWindowDims: [0], insertedWindowDims: [1], scatterDimsToOperandDims: [1] }; // x[:, j] = u[:, k]

describe("gather: jvp, vjp", () => {
  it.each([
    ["rows", (x: any) => lax.gather(x, idx([[2], [0], [2]]), rows, [1, 4]), [3, 4]],
    ["elements with repeats", (x: any) => lax.gather(x, idx([[1], [1], [3]]), elems, [1]), [5]],
    ["blocks", (x: any) => lax.gather(x, idx([[0, 1], [2, 2]]), blocks, [2, 2]), [4, 4]],
    ["out of bounds clamps", (x: any) => lax.gather(x, idx([[5, 0], [-2, 3]]), blocks, [2, 2]), [4, 4]],
    ["fill mode", (x: any) => lax.gather(x, idx([[5, 0], [1, 1]]), blocks, [2, 2], { mode: "fill", fillValue: 0 }), [4, 4]],
    ["operand batching dims", (x: any) => lax.gather(x, idx([[2], [0]]), { offsetDims: [], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [0] }, [1, 1]), [2, 3]],
  ] as const)("%s", (_n, f, shape) => withX64(() => checkGrads(f, [r(shape as unknown as number[])])));

  it("out-of-bounds gathers send the gradient to the clamped element; filled ones get none", () => {
    withX64(() => {
      const x = r([5]);
      const g = grad((x: any) => lax.gather(x, idx([[7], [-3], [1], [1]]), elems, [1]).sum())(x);
      expect(list(g)).toEqual([1, 2, 0, 0, 1]);
      const gf = grad((x: any) => lax.gather(x, idx([[7], [1]]), elems, [1], { mode: "fill", fillValue: 0 }).sum())(x);
      expect(list(gf)).toEqual([0, 1, 0, 0, 0]);
    });
  });
});

describe("scatters: jvp, vjp", () => {
  const ops: [string, (x: any, i: any, u: any, dn: any, o?: any) => any][] = [
    ["scatter", lax.scatter], ["scatterAdd", lax.scatterAdd], ["scatterMul", lax.scatterMul],
    ["scatterMin", lax.scatterMin], ["scatterMax", lax.scatterMax],
  ];
  const layouts: [string, number[], unknown, number[], unknown][] = [
    ["elements, repeated indices", [5], [[1], [3], [1], [0]], [4], sElems],
    ["rows, repeated", [4, 3], [[2], [0], [2]], [3, 3], sRows],
    ["columns", [3, 4], [[3], [1]], [3, 2], sCols],
    ["blocks, overlapping", [4, 4], [[0, 1], [1, 2], [3, 3]], [3, 2, 2], sBlocks],
    ["out of bounds dropped", [5], [[7], [2], [-1]], [3], sElems],
  ];
  for (const [name, op] of ops) {
    it.each(layouts)(`${name}: %s`, (_l, xs, ii, us, dn) => {
      withX64(() => {
        const f = (x: any, u: any) => op(x, idx(ii), u, dn);
        // Distinct values keep min/max away from ties (their derivative jumps there);
        // differences of 1e-6 steps stay far from the 0.1 gaps.
        const x = np.sin(np.arange(xs.reduce((a, b) => a * b, 1), "float64").mul(0.37)).reshape(xs);
        const u = np.sin(np.arange(us.reduce((a, b) => a * b, 1), "float64").add(100).mul(0.71)).reshape(us);
        checkGrads(f, [x, u]);
      });
    });
  }
  it("clip mode", () => {
    withX64(() => {
      for (const [, op] of ops) checkGrads((x: any, u: any) => op(x, idx([[6], [-2], [1]]), u, sElems, { mode: "clip" }), [r([4], 2), r([3], 3)]);
    });
  });

  it("scatterAdd: repeated indices accumulate, the updates each get their element's cotangent", () => {
    withX64(() => {
      const x = np.zeros([4], "float64");
      const u = np.array([1, 2, 3], "float64");
      const f = (x: any, u: any) => lax.scatterAdd(x, idx([[1], [1], [9]]), u, sElems).mul(np.array([1, 10, 100, 1000], "float64")).sum();
      const [gx, gu] = grad(f, { argnums: [0, 1] })(x, u);
      expect(list(gx)).toEqual([1, 10, 100, 1000]);
      // The third update is out of bounds: dropped, no gradient.
      expect(list(gu)).toEqual([10, 10, 0]);
    });
  });

  it("scatter: the last write wins and only it gets a gradient; overwritten operand elements get none", () => {
    withX64(() => {
      const f = (x: any, u: any) => lax.scatter(x, idx([[1], [2], [1]]), u, sElems).mul(np.array([1, 10, 100, 1000], "float64")).sum();
      const x = r([4]);
      const u = np.array([5, 6, 7], "float64");
      const out = lax.scatter(x, idx([[1], [2], [1]]), u, sElems) as Array;
      expect(list(out)[1]).toBe(7); // the routines apply updates in order
      const [gx, gu] = grad(f, { argnums: [0, 1] })(x, u);
      expect(list(gx)).toEqual([1, 0, 0, 1000]);
      expect(list(gu)).toEqual([0, 100, 10]);
    });
  });

  it("scatterMul: update gradients with repeated indices and zeros", () => {
    withX64(() => {
      // out[0] = x0 * u0 * u1 * u2, out[1] = x1 * u3.
      const f = (u: any) => lax.scatterMul(np.array([2, 3], "float64"), idx([[0], [0], [0], [1]]), u, sElems).sum();
      expect(list(grad(f)(np.array([3, 5, 7, 11], "float64")))).toEqual([70, 42, 30, 3]);
      // One zero among the updates: only its own derivative survives.
      expect(list(grad(f)(np.array([3, 0, 7, 11], "float64")))).toEqual([0, 42, 0, 3]);
      // Two zeros: every derivative at that element vanishes.
      expect(list(grad(f)(np.array([0, 0, 7, 11], "float64")))).toEqual([0, 0, 0, 3]);
      checkVjp(f, [np.array([3, 0, 7, 11], "float64")]);
    });
  });

  it("scatterMax / scatterMin: ties share the tangent evenly (JAX's rule)", () => {
    withX64(() => {
      const f = (x: any, u: any) => lax.scatterMax(x, idx([[0], [0], [1]]), u, sElems).sum();
      const [gx, gu] = grad(f, { argnums: [0, 1] })(np.array([5, 1, 0], "float64"), np.array([5, 5, 0.5], "float64"));
      // Element 0: operand and two updates tie at 5 -> 1/3 each; element 1: operand wins.
      expect(list(gx).map((v) => +v.toFixed(12))).toEqual([+(1 / 3).toFixed(12), 1, 1]);
      expect(list(gu).map((v) => +v.toFixed(12))).toEqual([+(1 / 3).toFixed(12), +(1 / 3).toFixed(12), 0]);
      const g = grad((u: any) => lax.scatterMin(np.array([5, 1], "float64"), idx([[0], [1]]), u, sElems).sum())(np.array([2, 3], "float64"));
      expect(list(g)).toEqual([1, 0]);
    });
  });

  it("integer operands carry no tangent", () => {
    const [y, t] = jvp((x: any) => lax.gather(np.arange(5), idx([[1]]), elems, [1]).astype("float32").mul(x), [np.array(2, "float32")], [np.array(1, "float32")]);
    expect(list(y)).toEqual([2]);
    expect(list(t)).toEqual([1]);
  });
});

describe("transposes applied directly (linearTranspose): <ct, f(x)> = <f^T(ct), x>", () => {
  const dot = (a: any, b: any) => list(np.multiply(a, b).sum())[0];
  const cases: [string, (...a: any[]) => any, number[][]][] = [
    ["scatter, repeated indices", (x, u) => lax.scatter(x, idx([[1], [3], [1]]), u, sElems), [[5], [3]]],
    ["scatter, unique, blocks", (x, u) => lax.scatter(x, idx([[0, 1], [2, 2]]), u, sBlocks, { uniqueIndices: true }), [[4, 4], [2, 2, 2]]],
    ["scatter, dropped and clipped", (x, u) => lax.scatter(x, idx([[7], [1], [-1]]), u, sElems), [[4], [3]]],
    ["scatterAdd", (x, u) => lax.scatterAdd(x, idx([[2], [0], [2]]), u, sRows), [[3, 2], [3, 2]]],
    ["gather", (x) => lax.gather(x, idx([[1, 0], [1, 3], [2, 2]]), blocks, [2, 2]), [[4, 4]]],
    ["dynamicSlice", (x) => lax.dynamicSlice(x, [np.array(3, "int32")], [2]), [[4]]],
    ["dynamicUpdateSlice", (x, u) => lax.dynamicUpdateSlice(x, u, [np.array(-1, "int32"), 1]), [[3, 4], [2, 2]]],
  ];
  it.each(cases)("%s", (_n, f, shapes) => {
    withX64(() => {
      const xs = shapes.map((s, k) => r(s, 11 + k));
      const out = f(...xs) as Array;
      const ct = r(out.shape, 5);
      const back = linearTranspose(f, ...xs)(ct) as Array[];
      const lhs = dot(ct, out);
      const rhs = xs.reduce((acc, x, k) => acc + dot(back[k], x), 0);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * (1 + Math.abs(lhs)));
    });
  });
});

describe("dynamic_slice / dynamic_update_slice: jvp, vjp", () => {
  it("dynamic_slice with clamped starts", () => {
    withX64(() => {
      checkGrads((x: any) => lax.dynamicSlice(x, [1, 2], [2, 2]), [r([4, 5])]);
      checkGrads((x: any) => lax.dynamicSlice(x, [3, -1], [2, 3]), [r([4, 5])]);
      checkGrads((x: any) => lax.dynamicSliceInDim(x, np.array(9, "int32"), 2, 1), [r([3, 4])]);
      const g = grad((x: any) => lax.dynamicSlice(x, [4], [2]).sum())(r([5]));
      expect(list(g)).toEqual([0, 0, 0, 1, 1]); // start 4 clamps to 3
    });
  });
  it("dynamic_update_slice", () => {
    withX64(() => {
      checkGrads((x: any, u: any) => lax.dynamicUpdateSlice(x, u, [1, 2]), [r([4, 5]), r([2, 3], 2)]);
      checkGrads((x: any, u: any) => lax.dynamicUpdateSlice(x, u, [5, -7]), [r([4, 5]), r([2, 3], 2)]);
      checkGrads((x: any, u: any) => lax.dynamicUpdateIndexInDim(x, u, 1, 0), [r([3, 4]), r([4], 2)]);
      const [gx, gu] = grad((x: any, u: any) => lax.dynamicUpdateSlice(x, u, [2]).mul(np.array([1, 2, 3, 4], "float64")).sum(), { argnums: [0, 1] })(r([4]), r([2]));
      expect(list(gx)).toEqual([1, 2, 0, 0]);
      expect(list(gu)).toEqual([3, 4]);
    });
  });
  it("the transposes make zeros by broadcasting a scalar, not as operand-sized buffers", () => {
    // Constants are evaluated when traced; a broadcast scalar is a stride-0 view of one element.
    const big = (j: any) => j.consts.filter((c: any) => c.size >= 100);
    const x = f32([1000, 4]);
    // Squares, so that the cotangents depend on x and the transposes are staged.
    const sq = (y: any) => y.mul(y).sum();
    const j = makeJaxpr(grad((x: any) => sq(lax.gather(x, idx([[3], [7]]), rows, [1, 4]))))(x);
    const k = makeJaxpr(grad((x: any) => sq(lax.dynamicSlice(x, [np.array(5, "int32"), 0], [2, 4]))))(x);
    expect(j.jaxpr.eqns.map((e) => e.prim.name)).toContain("scatter_add");
    expect(k.jaxpr.eqns.map((e) => e.prim.name)).toContain("dynamic_update_slice");
    for (const c of [...big(j), ...big(k)]) expect(c._strides).toEqual([0, 0]);
  });

  it("grad through jit with traced start indices", () => {
    withX64(() => {
      const f = (x: any, i: any) => lax.dynamicUpdateSlice(x, lax.dynamicSlice(x, [i], [2]).mul(3), [np.array(0, "int32")]).sum();
      const x = r([5]);
      const i = np.array(2, "int32");
      const g1 = grad(f)(x, i);
      const g2 = jit(grad(f))(x, i);
      expect(list(g2)).toEqual(list(g1));
      // out = [3x2, 3x3, x2, x3, x4]: d/dx = [0, 0, 4, 4, 1].
      expect(list(g1)).toEqual([0, 0, 4, 4, 1]);
    });
  });
});

describe("batching", () => {
  const G = lax.gather;
  it.each([
    ["gather operand", (x: any) => G(x, idx([[2], [0]]), rows, [1, 4]), [[3, 5, 4]], [1]],
    ["gather operand, batch last", (x: any) => G(x, idx([[2, 1], [0, 0]]), blocks, [2, 2]), [[4, 4, 3]], [2]],
    ["gather indices", (i: any) => G(f32([3, 4]), i, rows, [1, 4]), [[3, 2, 1]], [1]],
    ["gather indices, batch on the index vector side", (i: any) => G(f32([4, 4]), i, blocks, [2, 2]), [[2, 2, 3]], [2]],
    ["gather both", (x: any, i: any) => G(x, i, elems, [1]), [[3, 5], [3, 4, 1]], [0, 0]],
    ["gather both, other axes", (x: any, i: any) => G(x, i, blocks, [2, 1], { mode: "fill", fillValue: -1 }), [[4, 4, 3], [2, 3, 2]], [2, 1]],
    ["gather both, operand batching dims", (x: any, i: any) => G(x, i, { offsetDims: [], collapsedSliceDims: [1], startIndexMap: [1], operandBatchingDims: [0], startIndicesBatchingDims: [0] }, [1, 1]), [[3, 2, 4], [2, 3, 1]], [0, 1]],
  ] as const)("%s", (_n, f, shapes, axes) => {
    const args = (shapes as unknown as number[][]).map((s, k) =>
      (_n as string).includes("indices") || (k === 1) ? np.floor(randArray(s, -1, 5, 4 + k)).astype("int32") : f32(s, 2 + k),
    );
    checkVmap(f as any, args, axes as unknown as number[]);
  });

  const scat: [string, (x: any, i: any, u: any, dn: any) => any][] = [
    ["scatter", lax.scatter], ["scatterAdd", lax.scatterAdd], ["scatterMul", lax.scatterMul], ["scatterMin", lax.scatterMin], ["scatterMax", lax.scatterMax],
  ];
  it.each(scat)("%s with every combination of batched arguments", (_n, op) => {
    const x = f32([3, 5, 4]);
    const i = np.floor(randArray([3, 2, 1], -1, 6, 9)).astype("int32"); // some out of bounds
    const u = f32([2, 4, 3], 5);
    const axes: (number | null)[][] = [[0, null, null], [null, 0, 2], [null, null, 2], [0, 0, null], [0, 0, 2]];
    for (const [ax, ai, au] of axes) {
      const xs = ax === null ? x.get(0) : x;
      const is = ai === null ? i.get(0) : i;
      const us = au === null ? u.get(["...", 0]) : u;
      checkVmap((x: any, i: any, u: any) => op(x, i, u, sRows), [xs, is, us], [ax, ai, au]);
    }
  });

  it("dynamic_slice and dynamic_update_slice with batched operands and/or starts", () => {
    const x = f32([3, 4, 5]);
    const u = f32([2, 3, 3], 2);
    const s = np.array([0, 3, -2], "int32");
    const t = np.array([1, 9, 2], "int32");
    const ds = (x: any, a: any, b: any) => lax.dynamicSlice(x, [a, b], [2, 3]);
    checkVmap(ds, [x, s.get(0), t.get(0)], [0, null, null]);
    checkVmap(ds, [x.get(0), s, t.get(1)], [null, 0, null]);
    checkVmap(ds, [x, s, t], [0, 0, 0]);
    checkVmap((x: any, a: any) => lax.dynamicSlice(x, [a], [2]), [f32([3, 5]), s], [0, 0]);
    const dus = (x: any, u: any, a: any, b: any) => lax.dynamicUpdateSlice(x, u, [a, b]);
    checkVmap(dus, [x, u.get(0), s.get(0), t.get(0)], [0, null, null, null]);
    checkVmap(dus, [x.get(0), u, s.get(0), t.get(0)], [null, 2, null, null]);
    checkVmap(dus, [x.get(0), u.get(0), s, t.get(0)], [null, null, 0, null]);
    checkVmap(dus, [x, u, s, t], [0, 2, 0, 0]);
    // Rank-0 operands: no start indices at all.
    checkVmap((x: any) => lax.dynamicSlice(x, [], []), [f32([3])], [0]);
    checkVmap((x: any, u: any) => lax.dynamicUpdateSlice(x, u, []), [f32([3]), f32([3], 2)], [0, 0]);
  });

  it("batched gather/scatter/dynamic slices bind one primitive (no loop over the batch)", () => {
    for (const p of [I.gather_p, I.scatter_p, I.scatter_add_p, I.scatter_mul_p, I.scatter_min_p, I.scatter_max_p, I.dynamic_slice_p, I.dynamic_update_slice_p]) {
      expect(p.rules.batch, p.name).toBeTypeOf("function");
    }
    const count = (j: any, name: string) => j.jaxpr.eqns.filter((e: any) => e.prim.name === name).length;
    const x = f32([6, 5]);
    const i = idx([[1], [2], [3], [0], [4], [1]]);
    expect(count(makeJaxpr(vmap((x: any, i: any) => G(x, i, elems, [1])))(x, i), "gather")).toBe(1);
    expect(count(makeJaxpr(vmap((x: any, i: any) => lax.scatterAdd(x, i, np.array(1, "float32"), sElems)))(x, i), "scatter_add")).toBe(1);
    expect(count(makeJaxpr(vmap((x: any, i: any) => lax.dynamicSlice(x, [i.reshape([])], [2])))(x, i), "gather")).toBe(1);
  });

  it("batched gathers, scatters and dynamic slices under jit match the eager vmap", () => {
    const x = f32([3, 5, 4]);
    const i = np.floor(randArray([3, 2, 1], -1, 6, 9)).astype("int32");
    const u = f32([3, 2, 4], 5);
    const s = np.array([0, 3, -2], "int32");
    const f = (x: any, i: any, u: any, s: any) => [
      G(x, i, rows, [1, 4]),
      lax.scatterAdd(x, i, u, sRows),
      lax.scatter(x, i, u, sRows),
      lax.dynamicSlice(x, [s, 1], [2, 3]),
      lax.dynamicUpdateSlice(x, u, [s, s]),
    ];
    const eager = vmap(f)(x, i, u, s) as Array[];
    const compiled = jit(vmap(f))(x, i, u, s) as Array[];
    eager.forEach((e, k) => expect(compiled[k].tolist(), `output ${k}`).toEqual(e.tolist()));
  });

  it("grad of vmap and vmap of grad agree with per-example gradients", () => {
    withX64(() => {
      const f = (x: any, i: any) => lax.scatterAdd(x, i, lax.gather(x, i, elems, [1]).mul(2), sElems).mul(x).sum();
      const x = r([4, 5]);
      const i = idx([[[1], [1]], [[0], [4]], [[2], [3]], [[4], [4]]]);
      const batched = vmap(grad(f))(x, i) as Array;
      for (let b = 0; b < 4; b++) expect(batched.get(b).tolist()).toEqual((grad(f)(x.get(b), i.get(b)) as Array).tolist());
      checkGrads((x: any) => vmap(f)(x, i).sum(), [x]);
      const [, pull] = vjp((x: any) => vmap(f)(x, i), x);
      expect((pull(np.ones([4], "float64"))[0] as Array).tolist()).toEqual(batched.tolist());
    });
  });
});
