// ts/lax/conv.ts: lax.conv_general_dilated against a float64 direct convolution
// (test/numpy/gen_contractions.py -> fixtures/contractions_conv.json; the reference is checked
// there against scipy.signal.correlate): 1-D/2-D/3-D, strides, SAME / SAME_LOWER / VALID /
// explicit (also negative) padding, lhs and rhs dilation, dimension numbers as strings
// (NHWC/HWIO, HWCN/OHWI/NWHC, NDHWC/DHWIO, ...), feature groups (incl. depthwise) and batch
// groups, dtypes, size-0 outputs; JAX's stax output shapes; errors.
//
// Tolerance: float results within (K + 2) * u * sum|terms| (K = I * window size products per
// output element; u = 2^-24 for float32 arithmetic, 2^-53 for float64; any summation order is
// within it, Higham 3.1), float16 one more 2^-11 rounding; ints exact (wrapping).
import { describe, expect, it } from "vitest";
import { Array, lax, numpy as np } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { decode, type Enc, expectRef, needsX64, type Ref, withX64 } from "../numpy/contractions_fixture_util.js";

interface Case extends Ref {
  lhs: Enc;
  rhs: Enc;
  strides: number[];
  padding: string | [number, number][];
  lhsDilation: number[] | null;
  rhsDilation: number[] | null;
  dn: [string, string, string] | null;
  fg: number;
  bg: number;
}

const cases = fixture<{ cases: Case[] }>("numpy/fixtures/contractions_conv.json").cases;

const name = (c: Case) =>
  `${c.lhs.d} ${JSON.stringify(c.lhs.s)} * ${JSON.stringify(c.rhs.s)}${c.dn ? ` ${c.dn.join("/")}` : ""} s=${JSON.stringify(c.strides)} ` +
  `p=${JSON.stringify(c.padding)}${c.lhsDilation ? ` ld=${JSON.stringify(c.lhsDilation)}` : ""}${c.rhsDilation ? ` rd=${JSON.stringify(c.rhsDilation)}` : ""}` +
  `${c.fg > 1 ? ` fg=${c.fg}` : ""}${c.bg > 1 ? ` bg=${c.bg}` : ""}`;

const run = (c: Case, lhs = decode(c.lhs), rhs = decode(c.rhs)) =>
  lax.convGeneralDilated(lhs, rhs, c.strides, c.padding, {
    lhsDilation: c.lhsDilation,
    rhsDilation: c.rhsDilation,
    dimensionNumbers: c.dn,
    featureGroupCount: c.fg,
    batchGroupCount: c.bg,
  }) as Array;

const f32 = (v: unknown) => np.array(v as never, "float32");
const Array_from = (a: ArrayLike<number>) => globalThis.Array.from(a);

describe.each(backends)("lax.conv_general_dilated on %s", (backend) => {
  useBackend(backend);

  it.each(cases.map((c) => [name(c), c] as const))("%s", (label, c) => {
    withX64(needsX64(c.lhs), () => expectRef(run(c), c, label));
  });

  it("JAX's stax shapes: NHWC [2,10,11,1] * HWIO [2,3,1,3], strides (2,1)", () => {
    const x = np.ones([2, 10, 11, 1]);
    const w = np.ones([2, 3, 1, 3]);
    const dn: [string, string, string] = ["NHWC", "HWIO", "NHWC"];
    expect(lax.convGeneralDilated(x, w, [2, 1], "VALID", { dimensionNumbers: dn }).shape).toEqual([2, 5, 9, 3]);
    expect(lax.convGeneralDilated(x, w, [2, 1], "SAME", { dimensionNumbers: dn }).shape).toEqual([2, 5, 11, 3]);
    expect(lax.convGeneralDilated(x, w, [2, 1], "same", { dimensionNumbers: dn }).shape).toEqual([2, 5, 11, 3]);
    expect(lax.convGeneralDilated(x, w, [2, 1], "SAME_LOWER", { dimensionNumbers: dn }).shape).toEqual([2, 5, 11, 3]);
  });

  it("SAME pads the high side more, SAME_LOWER the low side", () => {
    const x = f32([[[1, 2, 3, 4]]]);
    const w = f32([[[1, 10]]]); // window 2: one pad element
    expectArray(lax.convGeneralDilated(x, w, [1], "SAME") as Array, [[[21, 32, 43, 4]]]);
    expectArray(lax.convGeneralDilated(x, w, [1], "SAME_LOWER") as Array, [[[10, 21, 32, 43]]]);
  });

  it("strided / transposed / broadcast operand views equal contiguous copies", () => {
    const c = cases.find((k) => k.dn?.[0] === "NHWC" && k.fg === 1 && k.padding === "SAME" && k.lhs.s[0] === 2)!;
    const lhs = decode(c.lhs);
    const rhs = decode(c.rhs);
    // The same values reached through a transpose of a transpose and a reversed-twice view.
    const lv = lax.transpose(lax.transpose(lhs, [3, 2, 1, 0]), [3, 2, 1, 0]) as Array;
    const rv = lax.rev(lax.rev(rhs, [0, 1]), [0, 1]) as Array;
    expectRef(run(c, lv, rv), c, "views");
    // A broadcast (stride-0) batch: every output batch equals the first one.
    const one = lhs.get("0:1") as Array;
    const bc = np.broadcastTo(one, lhs.shape);
    const out = run(c, bc, rhs);
    expectArray(out.get("1") as Array, (out.get("0") as Array).tolist() as never);
  });

  it("reversed, strided and broadcast views (also for the depthwise path) equal copies exactly", () => {
    const x = np.sin(np.arange(2 * 5 * 9 * 7).reshape([2, 5, 9, 7])).astype("float32") as Array;
    const w = np.cos(np.arange(10 * 5 * 3 * 2).reshape([10, 5, 3, 2])).astype("float32") as Array;
    const wdw = np.cos(np.arange(10 * 3 * 2).reshape([10, 1, 3, 2])).astype("float32") as Array;
    const copy = (v: Array) => np.array(v.tolist() as never, v.dtype as never) as Array;
    const views = [lax.rev(x, [2]), lax.rev(x, [1]), x.get(":, :, ::2, 1:"), np.broadcastTo(x.get("0:1, :, :, 0:1"), [2, 5, 9, 7])] as Array[];
    for (const v of views) {
      for (const [k, fg] of [[w, 1], [wdw, 5], [lax.rev(w, [2, 3]) as Array, 1]] as const) {
        const opts = { featureGroupCount: fg, rhsDilation: [1, 2] };
        const got = lax.convGeneralDilated(v, k, [2, 1], "SAME", opts) as Array;
        // Same products in the same order: bit-identical.
        expectArray(got, (lax.convGeneralDilated(copy(v), copy(k), [2, 1], "SAME", opts) as Array).tolist() as never);
      }
    }
  });

  it("preferredElementType: int8 inputs accumulate in int32 / float32", () => {
    const x = np.array([[[100, 100, 100]]], "int8");
    const w = np.array([[[1, 1]]], "int8");
    expectArray(lax.convGeneralDilated(x, w, [1], "VALID") as Array, [[[-56, -56]]], { dtype: "int8" }); // 200 wraps
    expectArray(lax.convGeneralDilated(x, w, [1], "VALID", { preferredElementType: "int32" }) as Array, [[[200, 200]]], { dtype: "int32" });
    expectArray(lax.conv(x, w, [1], "VALID", { preferredElementType: "float32" }) as Array, [[[200, 200]]], { dtype: "float32" });
    const h = np.array([[[2048, 1]]], "float16");
    const o = np.array([[[1, 1]]], "float16");
    expectArray(lax.conv(h, o, [1], "VALID") as Array, [[[2048]]], { dtype: "float16" });
    expectArray(lax.conv(h, o, [1], "VALID", { preferredElementType: "float32" }) as Array, [[[2049]]], { dtype: "float32" });
    expectArray(lax.conv(np.array([[[true, true]]]), np.array([[[true]]]), [1], "VALID") as Array, [[[true, true]]], { dtype: "bool" });
  });

  it("a larger conv (several im2col chunks) against shifted float64 dot_generals", () => {
    // 34x34 outputs x K = 16*9: more output positions than one im2col chunk holds.
    const [N, C, H, W, O] = [1, 16, 34, 34, 8];
    const x = np.sin(np.arange(N * C * H * W).reshape([N, C, H, W]).mul(0.3)).astype("float32") as Array;
    const w = np.cos(np.arange(O * C * 9).reshape([O, C, 3, 3]).mul(0.7)).astype("float32") as Array;
    const got = lax.convGeneralDilated(x, w, [1, 1], "SAME") as Array;
    // out[n, o, i, j] = sum over (di, dj) of padded x[n, :, i + di, j + dj] . w[o, :, di, dj].
    const [ref, absref] = withX64(true, () => {
      const xp = lax.pad(x.astype("float64"), np.array(0, "float64"), [[0, 0, 0], [0, 0, 0], [1, 1, 0], [1, 1, 0]]) as Array;
      const w64 = w.astype("float64") as Array;
      let acc: Array | null = null;
      let accAbs: Array | null = null;
      for (let di = 0; di < 3; di++) {
        for (let dj = 0; dj < 3; dj++) {
          const xs = lax.slice(xp, [0, 0, di, dj], [N, C, di + H, dj + W]) as Array;
          const ws = lax.reshape(lax.slice(w64, [0, 0, di, dj], [O, C, di + 1, dj + 1]), [O, C]) as Array;
          // [N, H, W, O] products summed over C.
          const t = lax.dotGeneral(xs, ws, [[[1], [1]], [[], []]]) as Array;
          const ta = lax.dotGeneral(np.abs(xs), np.abs(ws), [[[1], [1]], [[], []]]) as Array;
          acc = acc ? (np.add(acc, t) as Array) : t;
          accAbs = accAbs ? (np.add(accAbs, ta) as Array) : ta;
        }
      }
      return [lax.transpose(acc!, [0, 3, 1, 2]).dataSync(), lax.transpose(accAbs!, [0, 3, 1, 2]).dataSync()];
    });
    const shape = [N, O, H, W];
    expectRef(got, { out: { a: Array_from(ref), s: shape, d: "float32" }, absref: { a: Array_from(absref), s: shape, d: "float64" }, eb: [(C * 9 + 2) * 2 ** -24, 0] }, "big conv");
  });

  it("lax.conv is NCHW / OIHW", () => {
    const x = np.arange(16).astype("float32").reshape([1, 1, 4, 4]);
    const w = f32([[[[1, 0], [0, -1]]]]);
    expectArray(lax.conv(x, w, [2, 2], "VALID") as Array, [[[[-5, -5], [-5, -5]]]]);
  });

  it("errors", () => {
    const x = np.ones([1, 3, 3, 2]);
    const w = np.ones([2, 2, 2, 4]);
    const dn = (d: unknown) => ({ dimensionNumbers: d as [string, string, string] });
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", dn(["NHWC", "HWIO", "NXWC"]))).toThrow(/same set of spatial characters/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", dn(["NHWC", "HWIO", "NHWCC"]))).toThrow(/dimension_numbers\[2\] must have length equal to the operands' rank 4/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", dn(["NHHC", "HWIO", "NHWC"]))).toThrow(/dimension_numbers\[0\] cannot have duplicate characters/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", dn(["NHWC", "HWIX", "NHWC"]))).toThrow(/dimension_numbers\[1\] must contain 'O' and 'I' exactly once/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", dn(["NHWC", "HWIO"]))).toThrow(/dimension_numbers must be 3 strings/);
    const nhwc = dn(["NHWC", "HWIO", "NHWC"]);
    expect(() => lax.convGeneralDilated(x, np.ones([2, 2, 3, 4]), [1, 1], "VALID", nhwc)).toThrow(
      /lhs features \(2\) must equal rhs input features \(3\) x feature_group_count \(1\).*\[1, 3, 3, 2\], \[2, 2, 3, 4\]/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1], "VALID", nhwc)).toThrow(/lax.conv_general_dilated: window_strides and rhs_dilation need 2 entries.*\[1\]/);
    expect(() => lax.convGeneralDilated(x, w, [1, 0], [[0, 0], [0, 0]], nhwc)).toThrow(/window_strides must be 2 positive integers, got \[1,0\]/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], [[0, 0]], nhwc)).toThrow(/padding must be "SAME", "VALID" or 2 \(lo, hi\) pairs/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "FULL", nhwc)).toThrow(/unknown padding "FULL"/);
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "SAME", { ...nhwc, lhsDilation: [2, 1] })).toThrow(/string padding "SAME" is not implemented with lhs_dilation/);
    expect(() => lax.convGeneralDilated(x, np.ones([2, 2, 1, 4]), [1, 1], "VALID", { ...nhwc, featureGroupCount: 2, batchGroupCount: 2 })).toThrow(
      /at most one of batch_group_count and feature_group_count may be > 1/,
    );
    expect(() => lax.convGeneralDilated(x, np.ones([2, 2, 1, 3]), [1, 1], "VALID", { ...nhwc, featureGroupCount: 2 })).toThrow(
      /rhs output features \(3\) must be divisible/,
    );
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID", { ...nhwc, batchGroupCount: 2 })).toThrow(/batch \(1\) and output features \(4\) must be divisible by batch_group_count \(2\)/);
    expect(() => lax.convGeneralDilated(np.ones([2, 3]), np.ones([2, 3]), [], "VALID")).toThrow(/same rank >= 3.*\[2, 3\]/);
    expect(() => lax.convGeneralDilated(np.ones([1, 1, 3]), np.ones([1, 1, 2], "int32"), [1], "VALID")).toThrow(/operands must have equal dtypes, got float32 and int32/);
    expect(() => lax.conv(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", { preferredElementType: "int32" })).toThrow(
      /input type float32 is incompatible with preferred_element_type int32/,
    );
    expect(() => lax.conv(np.ones([1, 1, 3], "int32"), np.ones([1, 1, 2], "int32"), [1], "VALID", { preferredElementType: "int16" })).toThrow(
      /preferred_element_type int16 must not be narrower than the input type int32/,
    );
    expect(() => lax.conv(np.ones([1, 1, 3], "int8"), np.ones([1, 1, 2], "int8"), [1], "VALID", { preferredElementType: "uint32" })).toThrow(
      /same signedness/,
    );
  });
});
