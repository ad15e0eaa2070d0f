// grad and vmap of the NumPy contractions (ts/numpy/contractions.ts), which lower to
// dot_general, conv_general_dilated and the structural primitives: jvp against float64
// central differences, vjp by the transpose identity, vmap against a loop of the function.
import { describe, expect, it } from "vitest";
import { grad, numpy as np, type Array } from "../../ts/index.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

type F2 = (a: Array, b: Array) => Array;

// [name, f, shape of a, shape of b]
const binary: [string, F2, number[], number[]][] = [
  ["np.dot matrix-matrix", (a, b) => np.dot(a, b), [3, 4], [4, 2]],
  ["np.dot vector-vector", (a, b) => np.dot(a, b), [5], [5]],
  ["np.dot N-D (last axis with second-to-last)", (a, b) => np.dot(a, b), [2, 3, 4], [5, 4, 2]],
  ["np.dot with a 0-d operand", (a, b) => np.dot(a, b), [], [2, 3]],
  ["np.matmul matrix-matrix", (a, b) => np.matmul(a, b), [3, 4], [4, 2]],
  ["np.matmul broadcasting batch dims", (a, b) => np.matmul(a, b), [2, 1, 3, 4], [5, 4, 2]],
  ["np.matmul vector @ batched matrix", (a, b) => np.matmul(a, b), [4], [2, 4, 3]],
  ["np.matmul batched matrix @ vector", (a, b) => np.matmul(a, b), [2, 3, 4], [4]],
  ["np.einsum ij,jk->ik", (a, b) => np.einsum("ij,jk->ik", a, b), [3, 4], [4, 2]],
  ["np.einsum bij,bjk->bik", (a, b) => np.einsum("bij,bjk->bik", a, b), [2, 3, 4], [2, 4, 2]],
  ["np.einsum ijk,ikl->jl (two contracted axes)", (a, b) => np.einsum("ijk,ikl->jl", a, b), [2, 3, 4], [2, 4, 5]],
  ["np.einsum ij,ij->i (batch only)", (a, b) => np.einsum("ij,ij->i", a, b), [3, 4], [3, 4]],
  ["np.einsum i,j->ji (outer, transposed)", (a, b) => np.einsum("i,j->ji", a, b), [3], [4]],
  ["np.einsum ij,kj-> (full contraction, summed free axes)", (a, b) => np.einsum("ij,kj->", a, b), [3, 4], [2, 4]],
  ["np.tensordot axes=2", (a, b) => np.tensordot(a, b), [2, 3, 4], [3, 4, 5]],
  ["np.tensordot axes=[[0, 2], [2, 0]]", (a, b) => np.tensordot(a, b, [[0, 2], [2, 0]]), [2, 3, 4], [4, 5, 2]],
  ["np.tensordot axes=0 (outer)", (a, b) => np.tensordot(a, b, 0), [2, 3], [3]],
  ["np.inner", (a, b) => np.inner(a, b), [3, 4], [2, 4]],
  ["np.outer of 2-D operands (flattened)", (a, b) => np.outer(a, b), [2, 3], [4]],
  ["np.vdot of matrices", (a, b) => np.vdot(a, b), [2, 3], [3, 2]],
  ["np.kron", (a, b) => np.kron(a, b), [2, 3], [2, 2]],
  ["np.kron of a vector and a matrix", (a, b) => np.kron(a, b), [3], [2, 2]],
  ["np.convolve full", (a, b) => np.convolve(a, b), [7], [3]],
  ["np.convolve same", (a, b) => np.convolve(a, b, "same"), [7], [4]],
  ["np.convolve valid", (a, b) => np.convolve(a, b, "valid"), [7], [3]],
  ["np.convolve with the longer operand second", (a, b) => np.convolve(a, b, "same"), [3], [6]],
  ["np.correlate valid", (a, b) => np.correlate(a, b), [7], [3]],
  ["np.correlate full, longer operand second", (a, b) => np.correlate(a, b, "full"), [3], [5]],
];

describe("derivatives of the NumPy contractions (float64 differences; vjp by the transpose identity)", () => {
  it.each(binary)("%s", (_n, f, sa, sb) => {
    withX64(() => checkGrads(f, [randArray(sa, -1, 1, 1), randArray(sb, -1, 1, 2)]));
  });

  it("grad of a least-squares loss through np.matmul: 2 A^T (A x - b)", () => {
    withX64(() => {
      const A = randArray([5, 3], -1, 1, 6);
      const b = randArray([5], -1, 1, 7);
      const x = randArray([3], -1, 1, 8);
      const loss = (v: Array) => {
        const r = np.matmul(A, v).sub(b);
        return np.dot(r, r);
      };
      const g = grad(loss)(x) as Array;
      const want = np.matmul(A.T, np.matmul(A, x).sub(b)).mul(2);
      const gv = g.dataSync() as Float64Array;
      const wv = want.dataSync() as Float64Array;
      expect(g.dtype).toBe("float64");
      // Same products in another order: float64 rounding only.
      gv.forEach((v, i) => expect(Math.abs(v - wv[i])).toBeLessThan(1e-12));
    });
  });
});

describe("np.einsum: traces, diagonals, ellipses, implicit output, several operands (grad and vmap)", () => {
  const specs: [string, number[][]][] = [
    ["ii->i", [[3, 3]]],
    ["ii->", [[3, 3]]],
    ["ij->", [[3, 4]]],
    ["iij,jk->ik", [[3, 3, 4], [4, 2]]],
    ["...ij,...jk->...ik", [[2, 3, 4], [2, 4, 2]]],
    ["ij,jk", [[3, 4], [4, 2]]],
    ["i,i,i->", [[4], [4], [4]]],
    ["ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]]],
  ];
  it.each(specs)("%s", (spec, shapes) => {
    const f = (...xs: Array[]) => np.einsum(spec, ...xs);
    withX64(() => {
      checkGrads(f, shapes.map((s, i) => randArray(s, -1, 1, i + 1)));
      // Batched at the front for all operands, then only the first one at its end.
      checkVmap(f, shapes.map((s, i) => randArray([3, ...s], -1, 1, i + 5)), shapes.map(() => 0), { rtol: 1e-12, atol: 1e-13 });
      const mixed = shapes.map((s, i) => randArray(i === 0 ? [...s, 3] : s, -1, 1, i + 9));
      checkVmap(f, mixed, shapes.map((s, i) => (i === 0 ? s.length : null)), { rtol: 1e-12, atol: 1e-13 });
    });
  });
});

describe("vmap of the NumPy contractions (against a loop)", () => {
  const B = 3;
  const withBatch = (s: number[], a: number | null) => (a === null ? s : [...s.slice(0, a), B, ...s.slice(a)]);
  it.each(binary)("%s", (_n, f, sa, sb) => {
    const axes: (number | null)[][] = [[0, 0], [0, null], [null, sb.length], [sa.length, Math.min(1, sb.length)]];
    for (const [aa, ab] of axes) {
      withX64(() => {
        const a = randArray(withBatch(sa, aa), -1, 1, 11);
        const b = randArray(withBatch(sb, ab), -1, 1, 12);
        // float64: the batched kernels may sum in another order than the per-slice ones.
        checkVmap(f, [a, b], [aa, ab], { rtol: 1e-12, atol: 1e-13 });
      });
    }
  });

  it("vmap of grad through np.matmul and np.convolve", () => {
    withX64(() => {
      const W = randArray([4, 3], -1, 1, 13);
      const k = randArray([3], -1, 1, 14);
      const loss = (x: Array) => np.sum(np.tanh(np.convolve(np.matmul(x, W), k)));
      checkVmap(grad(loss), [randArray([5, 4], -1, 1, 15)], [0], { rtol: 1e-12, atol: 1e-13 });
    });
  });
});
