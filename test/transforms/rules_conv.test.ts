// Derivative and batching rules of conv_general_dilated (ts/lax/conv.ts): jvp against float64
// central differences, vjp by the transpose identity (so both transposes are checked against
// the differences), vmap against a loop; strides, paddings, dilations, groups and layouts.
import { describe, expect, it } from "vitest";
import { grad, jit, lax, makeJaxpr, numpy as np, vjp, vmap, type Array } from "../../ts/index.js";
import { checkGrads, checkVmap, expectCloseScaled as expectClose, randArray, withX64 } from "./check.js";

interface Case {
  name: string;
  lhs: number[];
  rhs: number[];
  strides: number[];
  padding: string | [number, number][];
  opts?: Record<string, unknown>;
}

const cases: Case[] = [
  { name: "1-D NCH/OIH, VALID", lhs: [2, 3, 9], rhs: [4, 3, 3], strides: [1], padding: "VALID" },
  { name: "1-D stride 2, SAME", lhs: [2, 3, 9], rhs: [4, 3, 3], strides: [2], padding: "SAME" },
  { name: "1-D stride 3 that does not divide the input, VALID", lhs: [1, 2, 8], rhs: [3, 2, 3], strides: [3], padding: "VALID" },
  { name: "1-D explicit padding (2, 1), stride 3", lhs: [2, 2, 7], rhs: [3, 2, 2], strides: [3], padding: [[2, 1]] },
  { name: "1-D padding wider than the window (pad_before < 0 in the lhs transpose)", lhs: [1, 2, 5], rhs: [2, 2, 2], strides: [1], padding: [[3, 0]] },
  { name: "1-D negative padding (cropping)", lhs: [2, 2, 8], rhs: [3, 2, 3], strides: [1], padding: [[-1, 2]] },
  { name: "1-D NWC/WIO, SAME_LOWER", lhs: [2, 7, 3], rhs: [4, 3, 2], strides: [1], padding: "SAME_LOWER", opts: { dimensionNumbers: ["NWC", "WIO", "NWC"] } },
  { name: "2-D NCHW/OIHW, stride (2, 1), SAME", lhs: [2, 3, 6, 5], rhs: [4, 3, 3, 2], strides: [2, 1], padding: "SAME" },
  { name: "2-D NHWC/HWIO, VALID", lhs: [2, 6, 5, 3], rhs: [3, 2, 3, 4], strides: [1, 1], padding: "VALID", opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] } },
  { name: "2-D NHWC/HWIO, stride 2, SAME", lhs: [1, 7, 6, 2], rhs: [3, 3, 2, 3], strides: [2, 2], padding: "SAME", opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] } },
  { name: "2-D mixed layouts NHWC / OIHW -> NCHW", lhs: [2, 5, 6, 3], rhs: [2, 3, 2, 3], strides: [1, 2], padding: [[1, 0], [0, 1]], opts: { dimensionNumbers: ["NHWC", "OIHW", "NCHW"] } },
  { name: "2-D rhs dilation (2, 1)", lhs: [1, 2, 7, 6], rhs: [3, 2, 2, 3], strides: [1, 1], padding: "SAME", opts: { rhsDilation: [2, 1] } },
  { name: "2-D lhs dilation (transposed conv), explicit padding", lhs: [1, 2, 4, 3], rhs: [3, 2, 3, 2], strides: [1, 1], padding: [[2, 2], [1, 0]], opts: { lhsDilation: [2, 3] } },
  { name: "2-D lhs and rhs dilation with strides", lhs: [2, 2, 5, 5], rhs: [2, 2, 2, 2], strides: [2, 1], padding: [[1, 1], [0, 2]], opts: { lhsDilation: [2, 1], rhsDilation: [1, 2] } },
  { name: "feature groups (3 groups of 2 input features)", lhs: [2, 6, 7], rhs: [6, 2, 3], strides: [1], padding: "SAME", opts: { featureGroupCount: 3 } },
  { name: "depthwise (feature groups = channels), NHWC/HWIO", lhs: [2, 5, 5, 3], rhs: [2, 2, 1, 6], strides: [1, 1], padding: "VALID", opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], featureGroupCount: 3 } },
  { name: "feature groups with strides and dilation", lhs: [1, 4, 9], rhs: [4, 2, 2], strides: [2], padding: [[1, 1]], opts: { featureGroupCount: 2, rhsDilation: [2] } },
  { name: "batch groups (2 groups of the batch)", lhs: [4, 3, 6], rhs: [6, 3, 3], strides: [1], padding: "VALID", opts: { batchGroupCount: 2 } },
  { name: "batch groups, NHWC/HWIO with strides", lhs: [6, 5, 4, 2], rhs: [2, 2, 2, 6], strides: [2, 1], padding: "SAME", opts: { dimensionNumbers: ["NHWC", "HWIO", "NHWC"], batchGroupCount: 3 } },
  { name: "batch groups, N and O last (WCN / IWO -> CWN)", lhs: [6, 3, 4], rhs: [3, 3, 6], strides: [1], padding: [[1, 0]], opts: { dimensionNumbers: ["WCN", "IWO", "CWN"], batchGroupCount: 2 } },
  { name: "feature groups, features last (WNC / IOW -> NWC)", lhs: [5, 2, 4], rhs: [2, 6, 2], strides: [2], padding: "SAME", opts: { dimensionNumbers: ["WNC", "IOW", "NWC"], featureGroupCount: 2 } },
];

const convOf = (c: Case) => (x: Array, w: Array) => lax.convGeneralDilated(x, w, c.strides, c.padding, c.opts as any);

describe("conv_general_dilated derivatives (float64 differences; vjp by the transpose identity)", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    withX64(() => checkGrads(convOf(c), [randArray(c.lhs, -1, 1, 1), randArray(c.rhs, -1, 1, 2)]));
  });

  it("3-D convolution with strides and padding", () => {
    const c: Case = { name: "3-D", lhs: [1, 2, 4, 3, 4], rhs: [2, 2, 2, 2, 3], strides: [1, 2, 1], padding: [[1, 0], [0, 0], [1, 1]] };
    withX64(() => checkGrads(convOf(c), [randArray(c.lhs, -1, 1, 3), randArray(c.rhs, -1, 1, 4)]));
  });

  it.each(cases.filter((c) => /stride|groups|dilation/.test(c.name)).map((c) => [c.name, c] as const))(
    "second order (jvp and vjp of the gradient): %s",
    (_n, c) => {
      // grad of sum(conv(x, w)^2) w.r.t. (x, w) involves both transposes; differentiating it
      // again differentiates (and transposes) those convolutions in turn.
      const loss = (x: Array, w: Array) => np.sum(np.square(convOf(c)(x, w)));
      const g = (x: Array, w: Array) => grad(loss, { argnums: [0, 1] })(x, w) as Array[];
      withX64(() => checkGrads(g, [randArray(c.lhs, -1, 1, 5), randArray(c.rhs, -1, 1, 6)]));
    },
  );

  it("grad under jit equals grad", () => {
    withX64(() => {
      const c = cases.find((k) => k.name.startsWith("2-D lhs and rhs dilation"))!;
      const loss = (x: Array, w: Array) => np.sum(np.sin(convOf(c)(x, w)));
      const x = randArray(c.lhs, -1, 1, 7);
      const w = randArray(c.rhs, -1, 1, 8);
      const [gx, gw] = grad(loss, { argnums: [0, 1] })(x, w) as Array[];
      const [jx, jw] = jit(grad(loss, { argnums: [0, 1] }))(x, w) as Array[];
      // Fusion may reorder the float64 sums: rounding only.
      expectClose(jx, gx, 1e-12);
      expectClose(jw, gw, 1e-12);
    });
  });

  it("cotangents of a 1x1 convolution equal the matrix-product formulas", () => {
    // A 1x1 conv in NHWC/HWIO is x @ W over the channel axis: dx = g W^T, dW = x^T g.
    withX64(() => {
      const x = randArray([2, 3, 3, 4], -1, 1, 5);
      const W = randArray([1, 1, 4, 5], -1, 1, 6);
      const g = randArray([2, 3, 3, 5], -1, 1, 7);
      const [, pull] = vjp((a: Array, b: Array) => lax.convGeneralDilated(a, b, [1, 1], "VALID", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }), x, W);
      const [gx, gW] = pull(g) as Array[];
      const x2 = x.reshape([18, 4]);
      const g2 = g.reshape([18, 5]);
      const W2 = W.reshape([4, 5]);
      expectClose(gx, np.matmul(g2, W2.T).reshape([2, 3, 3, 4]), 1e-12);
      expectClose(gW, np.matmul(x2.T, g2).reshape([1, 1, 4, 5]), 1e-12);
    });
  });

  it("preferred element type: float16 operands, float32 result; cotangents are float16", () => {
    const x = randArray([1, 2, 6], -1, 1, 8, "float16");
    const w = randArray([3, 2, 3], -1, 1, 9, "float16");
    const f = (a: Array, b: Array) => lax.convGeneralDilated(a, b, [1], "VALID", { preferredElementType: "float32" });
    expect(f(x, w).dtype).toBe("float32");
    const g = randArray([1, 3, 4], -1, 1, 10, "float32");
    const [gx, gw] = vjp(f, x, w)[1](g) as Array[];
    expect(gx.dtype).toBe("float16");
    expect(gw.dtype).toBe("float16");
    // The same cotangents computed in float32, then rounded once (float16 spacing 2^-11 relative).
    const f32 = (a: Array, b: Array) => lax.convGeneralDilated(a, b, [1], "VALID");
    const [rx, rw] = vjp(f32, x.astype("float32"), w.astype("float32"))[1](g) as Array[];
    expectClose(gx.astype("float32"), rx, 2e-3);
    expectClose(gw.astype("float32"), rw, 2e-3);
  });
});


describe("conv_general_dilated batching (vmap against a loop)", () => {
  const B = 3;
  const withBatch = (s: number[], a: number | null) => (a === null ? s : [...s.slice(0, a), B, ...s.slice(a)]);
  it.each(cases.map((c) => [c.name, c] as const))("%s: lhs, rhs and both batched at several axes", (_n, c) => {
    const nd = c.lhs.length;
    const axes: (number | null)[][] = [[0, null], [nd, null], [null, 0], [null, nd], [1, 2], [0, 0], [nd, nd]];
    for (const [al, ar] of axes) {
      // float64 products summed in another order by the batched routine: rounding only.
      withX64(() => {
        const x = randArray(withBatch(c.lhs, al), -1, 1, 11);
        const w = randArray(withBatch(c.rhs, ar), -1, 1, 12);
        checkVmap(convOf(c), [x, w], [al, ar], { rtol: 1e-12, atol: 1e-13 });
      });
    }
  });

  it.each(cases.filter((c) => /groups|dilation/.test(c.name)).map((c) => [c.name, c] as const))(
    "per-example gradients (vmap of grad, the transposes batched): %s",
    (_n, c) => {
      const loss = (x: Array, w: Array) => np.sum(np.sin(convOf(c)(x, w)));
      const g = (x: Array, w: Array) => grad(loss, { argnums: [0, 1] })(x, w) as Array[];
      withX64(() => {
        const x = randArray(withBatch(c.lhs, 0), -1, 1, 13);
        checkVmap(g, [x, randArray(c.rhs, -1, 1, 14)], [0, null], { rtol: 1e-12, atol: 1e-13 });
        checkVmap(g, [x, randArray(withBatch(c.rhs, 1), -1, 1, 14)], [0, 1], { rtol: 1e-12, atol: 1e-13 });
      });
    },
  );

  it("nested vmap (the batch folded twice) and vmap under jit", () => {
    const c = cases.find((k) => k.name.startsWith("feature groups (3"))!;
    withX64(() => {
      const x = randArray([2, 3, ...c.lhs], -1, 1, 15);
      const w = randArray([3, 2, ...c.rhs], -1, 1, 16);
      const inner = vmap(convOf(c), { inAxes: [0, 0] });
      checkVmap(inner, [x, w], [0, 1], { rtol: 1e-12, atol: 1e-13 });
      checkVmap(jit(inner), [x, w], [0, 1], { rtol: 1e-12, atol: 1e-13 });
    });
  });

  it("empty batches and empty operands", () => {
    const f = (x: Array, w: Array) => lax.convGeneralDilated(x, w, [1], "SAME", { featureGroupCount: 2 });
    for (const [inAxes, xs, ws] of [
      [[0, null], [0, 2, 4, 5], [6, 2, 3]],
      [[null, 0], [2, 4, 5], [0, 6, 2, 3]],
      [[0, 0], [0, 2, 4, 5], [0, 6, 2, 3]],
    ] as [(number | null)[], number[], number[]][]) {
      expect(vmap(f, { inAxes })(np.ones(xs), np.ones(ws)).shape).toEqual([0, 2, 6, 5]);
    }
    // A batch of 3 over operands with an empty N axis.
    expect(vmap(f, { inAxes: [0, 0] })(np.ones([3, 0, 4, 5]), np.ones([3, 6, 2, 3])).shape).toEqual([3, 0, 6, 5]);
    // Gradients through an empty product are zeros of the operands' shapes.
    const [gx, gw] = grad((x: Array, w: Array) => np.sum(f(x, w)), { argnums: [0, 1] })(np.ones([0, 4, 5]), np.ones([6, 2, 3])) as Array[];
    expect(gx.shape).toEqual([0, 4, 5]);
    expect(gw.shape).toEqual([6, 2, 3]);
    expect(globalThis.Array.from(gw.dataSync() as Float32Array).every((v) => v === 0)).toBe(true);
  });

  it("a batched convolution is one conv_general_dilated, not a loop", () => {
    const f = (x: Array, w: Array) => lax.convGeneralDilated(x, w, [1], "SAME", { featureGroupCount: 2 });
    for (const inAxes of [[0, null], [null, 1], [2, 0]] as (number | null)[][]) {
      const x = np.ones(withBatch([2, 4, 5], inAxes[0]));
      const w = np.ones(withBatch([6, 2, 3], inAxes[1]));
      const vtext = makeJaxpr(vmap(f, { inAxes }))(x, w).toString();
      expect(vtext.match(/conv_general_dilated/g)?.length).toBe(1);
      expect(vtext).not.toMatch(/concatenate/);
    }
  });
});
