// Derivative and batching rules of dot_general (ts/lax/dot.ts): jvp against float64 central
// differences, vjp by the transpose identity, vmap against a loop, for many dimension numbers.
import { describe, expect, it } from "vitest";
import { grad, jacfwd, jit, lax, makeJaxpr, numpy as np, vjp, vmap, type Array } from "../../ts/index.js";
import { checkGrads, checkVmap, expectCloseScaled as expectClose, randArray, withX64 } from "./check.js";

type DN = [[number[], number[]], [number[], number[]]];

// [name, lhs shape, rhs shape, dimension numbers]
const cases: [string, number[], number[], DN][] = [
  ["matmul", [3, 4], [4, 5], [[[1], [0]], [[], []]]],
  ["vector dot", [4], [4], [[[0], [0]], [[], []]]],
  ["matrix-vector", [3, 4], [4], [[[1], [0]], [[], []]]],
  ["vector-matrix", [4], [4, 5], [[[0], [0]], [[], []]]],
  ["outer product (no contraction)", [3], [5], [[[], []], [[], []]]],
  ["scalar times array", [], [2, 3], [[[], []], [[], []]]],
  ["lhs transposed (contract axis 0)", [4, 3], [4, 5], [[[0], [0]], [[], []]]],
  ["both transposed", [4, 3], [5, 4], [[[0], [1]], [[], []]]],
  ["batched matmul", [2, 3, 4], [2, 4, 5], [[[2], [1]], [[0], [0]]]],
  ["batched, batch axes not leading", [3, 2, 4], [4, 5, 2], [[[2], [0]], [[1], [2]]]],
  ["two batch axes paired in swapped order", [2, 3, 4, 2], [3, 2, 2, 5], [[[3], [2]], [[0, 1], [1, 0]]]],
  ["two contracting axes, crossed pairing", [2, 3, 4], [4, 3, 5], [[[1, 2], [1, 0]], [[], []]]],
  ["full contraction of matrices", [3, 4], [3, 4], [[[0, 1], [0, 1]], [[], []]]],
  ["batch only (elementwise product)", [3, 2], [3, 2], [[[], []], [[0, 1], [0, 1]]]],
  ["batch, free and contracting on every side", [2, 3, 4, 5], [5, 2, 6, 4], [[[2, 3], [3, 0]], [[0], [1]]]],
  ["empty contraction axis", [3, 0], [0, 2], [[[1], [0]], [[], []]]],
];

describe("dot_general derivatives (float64 differences; vjp by the transpose identity)", () => {
  it.each(cases)("%s", (_name, ls, rs, dn) => {
    const f = (x: Array, y: Array) => lax.dotGeneral(x, y, dn);
    withX64(() => checkGrads(f, [randArray(ls, -1, 1, 1), randArray(rs, -1, 1, 2)]));
  });

  it.each(cases.filter(([n]) => /batch|crossed|transposed/.test(n)))("second order (jvp and vjp of the gradient): %s", (_n, ls, rs, dn) => {
    // grad of sum(sin(dot(x, y))) uses both transposes; differentiating it again
    // differentiates and transposes those products in turn.
    const loss = (x: Array, y: Array) => np.sum(np.sin(lax.dotGeneral(x, y, dn)));
    const g = (x: Array, y: Array) => grad(loss, { argnums: [0, 1] })(x, y) as Array[];
    withX64(() => checkGrads(g, [randArray(ls, -1, 1, 3), randArray(rs, -1, 1, 4)]));
  });

  it("gradient of a matrix product equals the textbook formulas", () => {
    // L = sum(W * (A @ B)): dL/dA = W @ B^T, dL/dB = A^T @ W (float32, both sides use one GEMM
    // order, so a few ulp of slack).
    const A = randArray([3, 4], -1, 1, 5, "float32");
    const B = randArray([4, 2], -1, 1, 6, "float32");
    const W = randArray([3, 2], -1, 1, 7, "float32");
    const [gA, gB] = grad((a: Array, b: Array) => np.sum(np.matmul(a, b).mul(W)), { argnums: [0, 1] })(A, B) as Array[];
    expect(gA.dtype).toBe("float32");
    expectClose(gA, np.matmul(W, B.T), 1e-6);
    expectClose(gB, np.matmul(A.T, W), 1e-6);
  });

  it("cotangents keep the operand's dtype: float32 x int32", () => {
    const x = randArray([2, 3], -1, 1, 8, "float32");
    const y = np.array([[1, 2], [3, -1], [0, 2]], "int32");
    const ct = randArray([2, 2], -1, 1, 9, "float32");
    const [out, pull] = vjp((a: Array) => lax.dotGeneral(a, y, [[[1], [0]], [[], []]]), x);
    expect(out.dtype).toBe("float32");
    const [gx] = pull(ct) as Array[];
    expect(gx.dtype).toBe("float32");
    expectClose(gx, np.matmul(ct, y.astype("float32").T), 1e-6);
  });

  it("mixed float dtypes: float16 x float32 gives float32; each cotangent has its operand's dtype", () => {
    const x = randArray([2, 3], -1, 1, 17, "float16");
    const y = randArray([3, 2], -1, 1, 18, "float32");
    const f = (a: Array, b: Array) => lax.dotGeneral(a, b, [[[1], [0]], [[], []]]);
    expect(f(x, y).dtype).toBe("float32");
    const ct = randArray([2, 2], -1, 1, 19, "float32");
    const [gx, gy] = vjp(f, x, y)[1](ct) as Array[];
    expect(gx.dtype).toBe("float16");
    expect(gy.dtype).toBe("float32");
    // gx is rounded once to float16 (relative spacing 2^-11); gy is float32 GEMM rounding.
    expectClose(gx.astype("float32"), np.matmul(ct, y.T), 1e-3);
    expectClose(gy, np.matmul(x.astype("float32").T, ct), 1e-6);
  });

  it("preferred element type: float16 operands, float32 product; cotangents are float16", () => {
    const x = randArray([2, 3], -1, 1, 10, "float16");
    const y = randArray([3, 4], -1, 1, 11, "float16");
    const f = (a: Array, b: Array) => lax.dotGeneral(a, b, [[[1], [0]], [[], []]], { preferredElementType: "float32" });
    expect(f(x, y).dtype).toBe("float32");
    const ct = randArray([2, 4], -1, 1, 12, "float32");
    const [, pull] = vjp(f, x, y);
    const [gx, gy] = pull(ct) as Array[];
    expect(gx.dtype).toBe("float16");
    expect(gy.dtype).toBe("float16");
    // Reference in float32, rounded once to float16 (relative spacing 2^-11 ~ 4.9e-4).
    expectClose(gx.astype("float32"), np.matmul(ct, y.astype("float32").T), 1e-3);
    expectClose(gy.astype("float32"), np.matmul(x.astype("float32").T, ct), 1e-3);
  });

  it("second derivatives: the Hessian of x.(A x) is A + A^T", () => {
    withX64(() => {
      const A = randArray([4, 4], -1, 1, 13);
      const quad = (x: Array) => lax.dotGeneral(x, lax.dotGeneral(A, x, [[[1], [0]], [[], []]]), [[[0], [0]], [[], []]]);
      const H = jacfwd(jacfwd(quad))(randArray([4], -1, 1, 14)) as Array;
      expectClose(H, A.add(A.T), 1e-12);
    });
  });

  it("grad under jit", () => {
    withX64(() => {
      const A = randArray([3, 4], -1, 1, 15);
      const B = randArray([4, 2], -1, 1, 16);
      const g = jit(grad((a: Array) => np.sum(lax.dotGeneral(a, B, [[[1], [0]], [[], []]]))));
      // d/dA sum(A B) = ones(3, 2) B^T: each row is B's row sums.
      expectClose(g(A) as Array, np.broadcastTo(np.sum(B, { axis: 1 }), [3, 4]), 1e-12);
    });
  });
});


describe("dot_general batching (vmap against a loop)", () => {
  // [name, lhs shape (unbatched), rhs shape, dn]
  const sub = cases.filter(([n]) => !n.startsWith("empty"));
  it.each(sub)("%s: both batched, lhs batched, rhs batched, at several axes", (_name, ls, rs, dn) => {
    const f = (x: Array, y: Array) => lax.dotGeneral(x, y, dn);
    const B = 3;
    for (const [ax, ay] of [[0, 0], [ls.length, 0], [0, rs.length], [Math.min(1, ls.length), null], [null, Math.min(1, rs.length)], [ls.length, null], [null, rs.length]] as (number | null)[][]) {
      const withBatch = (s: number[], a: number | null) => (a === null ? s : [...s.slice(0, a), B, ...s.slice(a)]);
      const x = randArray(withBatch(ls, ax), -1, 1, 21, "float32");
      const y = randArray(withBatch(rs, ay), -1, 1, 22, "float32");
      // The batched product may sum in another order than the per-slice GEMM: float32 slack.
      checkVmap(f, [x, y], [ax, ay], { rtol: 1e-5, atol: 1e-6 });
    }
  });

  it("the batched product is one dot_general with the batch as a batch dimension, not a loop", () => {
    const f = vmap((x: Array, y: Array) => lax.dotGeneral(x, y, [[[1], [0]], [[], []]]), { inAxes: [0, 1] });
    const text = makeJaxpr(f)(np.ones([5, 3, 4]), np.ones([4, 5, 2])).toString();
    expect(text.match(/dot_general/g)?.length).toBe(1);
    expect(text).not.toMatch(/concatenate/);
    expect(f(np.ones([5, 3, 4]), np.ones([4, 5, 2])).shape).toEqual([5, 3, 2]);
  });

  it.each(sub.filter(([n]) => /batch|crossed/.test(n)))("per-example gradients, nested vmap and vmap under jit: %s", (_n, ls, rs, dn) => {
    withX64(() => {
      const loss = (x: Array, y: Array) => np.sum(np.sin(lax.dotGeneral(x, y, dn)));
      const g = (x: Array, y: Array) => grad(loss, { argnums: [0, 1] })(x, y) as Array[];
      const x = randArray([3, ...ls], -1, 1, 31);
      checkVmap(g, [x, randArray(rs, -1, 1, 32)], [0, null], { rtol: 1e-12, atol: 1e-13 });
      checkVmap(g, [x, randArray([...rs, 3], -1, 1, 33)], [0, rs.length], { rtol: 1e-12, atol: 1e-13 });
      // The outer vmap sees the inner one's dimension numbers (batch dimension added).
      const inner = vmap((a: Array, b: Array) => lax.dotGeneral(a, b, dn), { inAxes: [0, null] });
      const xx = randArray([3, 2, ...ls], -1, 1, 34);
      const yy = randArray([...rs, 2], -1, 1, 35);
      checkVmap(inner, [xx, yy], [1, rs.length], { rtol: 1e-12, atol: 1e-13 });
      checkVmap(jit(inner), [xx, yy], [1, rs.length], { rtol: 1e-12, atol: 1e-13 });
    });
  });

  it("vmap of grad and grad of vmap agree with a loop", () => {
    withX64(() => {
      const W = randArray([4, 2], -1, 1, 3);
      const loss = (x: Array) => np.sum(np.tanh(lax.dotGeneral(x, W, [[[0], [0]], [[], []]])));
      const xs = randArray([3, 4], -1, 1, 4);
      checkVmap(grad(loss), [xs], [0], { rtol: 1e-12, atol: 1e-14 });
    });
  });
});
