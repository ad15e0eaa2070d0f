// softmax, logSoftmax, logsumexp, standardize, oneHot (ts/nn/functions.ts): values against the
// formulas in float64 computed here, JAX's handling of infinities, options (axis, where, b,
// keepdims, returnSign), derivatives against central differences, vmap and jit.
import { describe, expect, it } from "vitest";
import { Array, grad, jit, nn, numpy as np } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { checkGrads, checkVmap, randArray, withX64 } from "../transforms/check.js";

const f32 = (v: unknown) => np.array(v as never, "float32");
const vals = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);

/** Row-wise float64 softmax / logsumexp of a JS matrix (reference). */
function lse64(row: number[]): number {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
}
const softmax64 = (row: number[]) => row.map((v) => Math.exp(v - lse64(row)));

const rows = [[0.5, -1, 2, 3.25], [10, 10, 10, 10], [-3, 0, 1e-3, 7]];

describe.each(backends)("nn functions on %s", (backend) => {
  useBackend(backend);

  it("softmax and logSoftmax equal the float64 formulas along the last axis (default)", () => {
    withX64(() => {
      const x = np.array(rows, "float64");
      const s = vals(nn.softmax(x));
      const l = vals(nn.logSoftmax(x));
      rows.forEach((r, i) => r.forEach((v, j) => {
        expect(s[i * 4 + j]).toBeCloseTo(softmax64(r)[j], 14);
        expect(l[i * 4 + j]).toBeCloseTo(v - lse64(r), 13);
      }));
    });
    // float32: each value within a few ulp (relative 1e-6) of float64.
    const s32 = nn.softmax(f32(rows));
    expectArray(s32, rows.map(softmax64), { rtol: 1e-6, atol: 1e-7, dtype: "float32" });
  });

  it("softmax over axis 0, several axes and all axes (null)", () => {
    const x = f32(rows);
    const cols = [0, 1, 2, 3].map((j) => softmax64(rows.map((r) => r[j])));
    expectArray(nn.softmax(x, 0), rows.map((_, i) => cols.map((c) => c[i])), { rtol: 1e-6, atol: 1e-7 });
    const all = softmax64(rows.flat());
    expectArray(nn.softmax(x, null), rows.map((r, i) => r.map((_, j) => all[i * 4 + j])), { rtol: 1e-6, atol: 1e-7 });
    expectArray(nn.softmax(x, [0, 1]), rows.map((r, i) => r.map((_, j) => all[i * 4 + j])), { rtol: 1e-6, atol: 1e-7 });
    expectArray(nn.logSoftmax(x, { axis: null }), rows.map((r, i) => r.map((v) => v - lse64(rows.flat()))), { rtol: 1e-6, atol: 1e-6 });
  });

  it("subtracting the maximum keeps large inputs finite; -inf gives 0 (log: -inf); +inf gives NaN", () => {
    expectArray(nn.softmax(f32([1000, 1001])), softmax64([0, 1]), { rtol: 1e-6 });
    expectArray(nn.logSoftmax(f32([1000, 1001])), [-1 - Math.log1p(Math.exp(-1)), -Math.log1p(Math.exp(-1))], { rtol: 1e-6 });
    expectArray(nn.softmax(f32([-Infinity, 0, 0])), [0, 0.5, 0.5]);
    expectArray(nn.logSoftmax(f32([-Infinity, 0, 0])), [-Infinity, -Math.LN2, -Math.LN2], { rtol: 1e-6 });
    // JAX: "If any input values are +inf, the result will be all NaN".
    expectArray(nn.softmax(f32([Infinity, 0])), [NaN, NaN]);
    expectArray(nn.softmax(f32([-Infinity, -Infinity])), [NaN, NaN]);
  });

  it("where: excluded elements are 0 (softmax) or -inf (logSoftmax) and do not count", () => {
    const x = f32([[1, 2, 3], [4, 5, 6]]);
    const w = np.array([[true, false, true], [true, true, true]]);
    const r0 = softmax64([1, 3]);
    expectArray(nn.softmax(x, { where: w }), [[r0[0], 0, r0[1]], softmax64([4, 5, 6])], { rtol: 1e-6 });
    expectArray(nn.logSoftmax(x, { where: w }), [[1 - lse64([1, 3]), -Infinity, 3 - lse64([1, 3])], [4, 5, 6].map((v) => v - lse64([4, 5, 6]))], { rtol: 1e-6 });
  });

  it("softmax and logSoftmax derivatives against central differences; gradients sum to zero", () => {
    withX64(() => {
      const x = randArray([3, 5], -2, 2, 7);
      checkGrads((v: Array) => nn.softmax(v), [x]);
      checkGrads((v: Array) => nn.logSoftmax(v, 0), [x]);
      checkGrads((v: Array) => nn.softmax(v, { where: np.array([[true, false, true, true, true]]) }), [x]);
      // d/dx sum(logSoftmax(x) · t) sums to zero across the axis (shift invariance).
      const g = grad((v: Array) => nn.logSoftmax(v).mul(np.array([1, 0, 0, 2, 0], "float64")).sum())(x);
      vals(g.sum(1)).forEach((s) => expect(Math.abs(s)).toBeLessThan(1e-12));
    });
  });

  it("logsumexp: all axes by default, axis, keepdims; JAX's non-finite handling", () => {
    const x = f32(rows);
    expectArray(nn.logsumexp(x), lse64(rows.flat()), { rtol: 1e-6 });
    expectArray(nn.logsumexp(x, 1), rows.map(lse64), { rtol: 1e-6 });
    expectArray(nn.logsumexp(x, { axis: 1, keepdims: true }), rows.map((r) => [lse64(r)]), { rtol: 1e-6 });
    expectArray(nn.logsumexp(x, 0), [0, 1, 2, 3].map((j) => lse64(rows.map((r) => r[j]))), { rtol: 1e-6 });
    // The maximum is replaced by 0 when not finite: all -inf gives -inf, not NaN.
    expectArray(nn.logsumexp(f32([-Infinity, -Infinity])), -Infinity);
    expectArray(nn.logsumexp(f32([Infinity, 0])), Infinity);
    expectArray(nn.logsumexp(f32([-Infinity, 0, 0])), Math.LN2, { rtol: 1e-6 });
    expectArray(nn.logsumexp(f32([1000, 1000])), 1000 + Math.LN2, { rtol: 1e-6 });
    expect(nn.logsumexp(np.array([1, 2], "int32")).dtype).toBe("float32");
  });

  it("logsumexp with b: scales, drops b == 0, NaN for a negative sum unless returnSign", () => {
    const a = f32([1, 2, 3]);
    expectArray(nn.logsumexp(a, { b: f32([2, 0.5, 1]) }), Math.log(2 * Math.E + 0.5 * Math.E ** 2 + Math.E ** 3), { rtol: 1e-6 });
    // b == 0 drops the element even when a is +inf there.
    expectArray(nn.logsumexp(f32([Infinity, 1]), { b: f32([0, 1]) }), 1, { rtol: 1e-6 });
    expectArray(nn.logsumexp(a, { b: f32([-1, 0, 0]) }), NaN);
    const [v, s] = nn.logsumexp(a, { b: f32([1, -1, 0]), returnSign: true });
    expectArray(v, Math.log(Math.E ** 2 - Math.E), { rtol: 1e-6 });
    expectArray(s, -1);
    const [v2, s2] = nn.logsumexp(f32([[0, 1], [2, 3]]), 1, { b: 2, returnSign: true, keepdims: true });
    expectArray(v2, [[Math.LN2 + lse64([0, 1])], [Math.LN2 + lse64([2, 3])]], { rtol: 1e-6 });
    expectArray(s2, [[1], [1]]);
  });

  it("logsumexp derivatives (a and b) against central differences; grad is softmax", () => {
    withX64(() => {
      const x = randArray([3, 4], -2, 2, 9);
      checkGrads((v: Array) => nn.logsumexp(v, 1), [x]);
      checkGrads((v: Array, b: Array) => nn.logsumexp(v, { axis: 0, b }), [x, randArray([3, 4], 0.5, 2, 10)]);
      const g = grad((v: Array) => nn.logsumexp(v))(x);
      expectArray(g, nn.softmax(x, null).tolist() as never, { rtol: 1e-12 });
    });
  });

  it("where in logsumexp", () => {
    const x = f32([[1, 2, 3]]);
    expectArray(nn.logsumexp(x, 1, { where: np.array([[true, false, true]]) }), [lse64([1, 3])], { rtol: 1e-6 });
  });

  it("standardize: (x - mean)·rsqrt(mean(x²) - mean² + eps), axis -1 by default", () => {
    withX64(() => {
      const data = [[1, 2, 3, 6], [-1, 0.5, 4, 4]];
      const got = nn.standardize(np.array(data, "float64"));
      const want = data.map((r) => {
        const m = r.reduce((s, v) => s + v, 0) / r.length;
        const v = r.reduce((s, q) => s + q * q, 0) / r.length - m * m;
        return r.map((q) => (q - m) / Math.sqrt(v + 1e-5));
      });
      expectArray(got, want, { rtol: 1e-13, atol: 1e-14 });
      const g2 = nn.standardize(np.array(data, "float64"), 0, { epsilon: 0 });
      const col = (j: number) => [data[0][j], data[1][j]];
      expectArray(g2, [0, 1].map((i) => [0, 1, 2, 3].map((j) => {
        const c = col(j);
        const m = (c[0] + c[1]) / 2;
        const v = (c[0] ** 2 + c[1] ** 2) / 2 - m * m;
        return v === 0 ? NaN : (c[i] - m) / Math.sqrt(v);
      })), { rtol: 1e-12, atol: 1e-14 });
      expectArray(nn.standardize(np.array([1, 3], "float64"), { mean: 1, variance: 4, epsilon: 0 }), [0, 1]);
      checkGrads((v: Array) => nn.standardize(v), [randArray([3, 5], -2, 2, 12)]);
    });
  });

  it("oneHot: classes on the last axis by default, zeros outside [0, n), axis and dtype options", () => {
    // JAX's documented examples.
    expectArray(nn.oneHot(np.array([0, 1, 2]), 3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { dtype: "float32" });
    expectArray(nn.oneHot(np.array([-1, 3]), 3), [[0, 0, 0], [0, 0, 0]]);
    expectArray(nn.oneHot(np.array([0, 2]), 3, { axis: 0 }), [[1, 0], [0, 0], [0, 1]]);
    expectArray(nn.oneHot(np.array([[1], [0]]), 2, { dtype: "int32", axis: 1 }), [[[0], [1]], [[1], [0]]], { dtype: "int32" });
    expectArray(nn.oneHot(2, 4), [0, 0, 1, 0]);
    expect(() => nn.oneHot(np.array([0]), 2.5)).toThrow(/numClasses/);
    expect(() => nn.oneHot(np.array([0]), 2, { axis: 3 })).toThrow(/axis/);
  });

  it("vmap equals a loop and jit equals eager", () => {
    const x = randArray([3, 4, 5], -3, 3, 4, "float32");
    const fs: [string, (v: Array) => Array][] = [
      ["softmax", (v) => nn.softmax(v)],
      ["logSoftmax(axis 0)", (v) => nn.logSoftmax(v, 0)],
      ["logsumexp(axis 1)", (v) => nn.logsumexp(v, 1)],
      ["standardize", (v) => nn.standardize(v)],
    ];
    for (const [name, f] of fs) {
      checkVmap(f, [x], [1]);
      // Compiled kernels compute the same float32 operations; reductions may sum in another
      // order, so allow float32 rounding (a few ulp).
      expectArray(jit(f)(x), f(x).tolist() as never, { rtol: 1e-6, atol: 1e-6 });
      expect(name).toBeTruthy();
    }
    expectArray(jit((i: Array) => nn.oneHot(i, 4))(np.array([3, 0, 9])), [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0]]);
  });
});
