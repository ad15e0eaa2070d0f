// ts/lax/dot.ts: lax.dot_general / lax.dot against float64 references
// (test/numpy/gen_contractions.py -> fixtures/contractions_dot.json): batch and contracting
// dims anywhere, several of each, transposed / strided / reversed / broadcast (stride-0)
// operands, size-0 dims, every dtype, mixed operand dtypes (JAX's "higher precision type"
// rule) and preferredElementType; plus the errors.
//
// Tolerance: float results within (K + 2) * 2^-24 * sum|terms| (float32 arithmetic, K products
// per element: the worst case of any summation order, Higham 3.1), float16 one more 2^-11
// rounding; ints and bools exact.
import { describe, expect, it } from "vitest";
import { Array, lax, numpy as np } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { decode, type Enc, expectRef, needsX64, type Ref, withX64 } from "../numpy/contractions_fixture_util.js";

type View = ["transpose", number[]] | ["slice", number[], number[], number[]] | ["broadcast", number[], number[]] | ["rev", number[]];
type DN = [[number[], number[]], [number[], number[]]];

interface Case extends Ref {
  lhs: Enc;
  rhs: Enc;
  dn: DN;
  lview: View | null;
  rview: View | null;
  pref?: string | null;
}

const cases = fixture<{ cases: Case[] }>("numpy/fixtures/contractions_dot.json").cases;

/** The view ops of gen_contractions.py's apply_view, as lax view primitives (no copies). */
function view(x: Array, v: View | null): Array {
  if (!v) return x;
  switch (v[0]) {
    case "transpose":
      return lax.transpose(x, v[1]) as Array;
    case "slice":
      return lax.slice(x, v[1], v[2], v[3]) as Array;
    case "broadcast":
      return lax.broadcastInDim(x, v[1], v[2]) as Array;
    case "rev":
      return lax.rev(x, v[1]) as Array;
  }
}

const name = (c: Case) =>
  `${c.lhs.d}${JSON.stringify(c.lhs.s)}${c.lview ? ` ${c.lview[0]}` : ""} x ${c.rhs.d}${JSON.stringify(c.rhs.s)}${c.rview ? ` ${c.rview[0]}` : ""} ` +
  `dn=${JSON.stringify(c.dn)}${c.pref ? ` pref=${c.pref}` : ""}`;

const f32 = (v: unknown) => np.array(v as never, "float32");

describe.each(backends)("lax.dot_general on %s", (backend) => {
  useBackend(backend);

  it.each(cases.map((c) => [name(c), c] as const))("%s", (label, c) => {
    withX64(needsX64(c.lhs, c.rhs, c.out, c.pref), () => {
      const l = view(decode(c.lhs), c.lview);
      const r = view(decode(c.rhs), c.rview);
      const got = lax.dotGeneral(l, r, c.dn, { preferredElementType: c.pref ?? null }) as Array;
      expectRef(got, c, label);
    });
  });

  it("views give the same result as their contiguous copies", () => {
    const a = np.sin(np.arange(48)).astype("float32").reshape([6, 8]);
    const b = np.cos(np.arange(40)).astype("float32").reshape([8, 5]);
    const copy = (x: Array) => np.array(x.tolist() as never, "float32");
    const views: [Array, Array][] = [
      [a.T.T, b],
      [lax.rev(a, [1]) as Array, lax.rev(b, [0]) as Array],
      [a.get(":, ::2") as Array, b.get("::2") as Array],
      [a.get("::-2, 1::2") as Array, b.get("1::2, ::-1") as Array],
      [np.broadcastTo(a.get("0"), [6, 8]), b],
    ];
    for (const [x, y] of views) {
      const dn: DN = [[[1], [0]], [[], []]];
      const want = lax.dotGeneral(copy(x), copy(y), dn) as Array;
      const got = lax.dotGeneral(x, y, dn) as Array;
      // Same products summed in (possibly) another order: 10 * 2^-24 relative to sum|terms|
      // (|terms| <= 1 here, K = 4..8).
      expectArray(got, want.tolist() as never, { atol: 8 * 10 * 2 ** -24 });
    }
  });

  it("sizes that straddle the GEMM's blocking, against a float64 multiply-and-sum", () => {
    // [B, M, K] x [B, K, N] with awkward sizes, the rhs given transposed (a strided view).
    const [B, M, K, N] = [2, 37, 130, 29];
    const a = np.sin(np.arange(B * M * K).reshape([B, M, K]).mul(0.37)).astype("float32") as Array;
    const bt = np.cos(np.arange(B * N * K).reshape([B, N, K]).mul(0.11)).astype("float32") as Array;
    const b = lax.transpose(bt, [0, 2, 1]) as Array;
    const got = lax.dotGeneral(a, b, [[[2], [1]], [[0], [0]]]) as Array;
    // Reference without the GEMM: elementwise products summed by a reduction, in float64.
    const [ref, absref] = withX64(true, () => {
      const a64 = a.astype("float64").reshape([B, M, 1, K]);
      const b64 = bt.astype("float64").reshape([B, 1, N, K]);
      const prod = np.multiply(a64, b64);
      return [np.sum(prod, { axis: 3 }).tolist(), np.sum(np.abs(prod), { axis: 3 }).tolist()];
    });
    expectRef(got, { out: { a: (ref as number[][][]).flat(2), s: [B, M, N], d: "float32" }, absref: { a: (absref as number[][][]).flat(2), s: [B, M, N], d: "float64" }, eb: [(K + 2) * 2 ** -24, 0] }, "big");
    // int32 wraps exactly: int8 operands, int32 products.
    const ia = np.arange(M * K).reshape([M, K]).mul(7).astype("int8") as Array;
    const ib = np.arange(K * N).reshape([N, K]).mul(3).astype("int8") as Array;
    const igot = lax.dotGeneral(ia, ib, [[[1], [1]], [[], []]], { preferredElementType: "int32" }) as Array;
    const iref = np.sum(np.multiply(ia.astype("int32").reshape([M, 1, K]), ib.astype("int32").reshape([1, N, K])), { axis: 2 });
    expectArray(igot, iref.tolist() as never, { dtype: "int32" });
  });

  it("lax.dot: vector/matrix products, and dimensionNumbers as dot_general", () => {
    const m = f32([[1, 2], [3, 4]]);
    const v = f32([1, 10]);
    expectArray(lax.dot(m, v) as Array, [21, 43]);
    expectArray(lax.dot(v, m) as Array, [31, 42]);
    expectArray(lax.dot(v, v) as Array, 101);
    expectArray(lax.dot(m, m, { dimensionNumbers: [[[0], [0]], [[], []]] }) as Array, [[10, 14], [14, 20]]);
    expectArray(lax.dot(np.array([100, 100], "int8"), np.array([2, 1], "int8"), { preferredElementType: "int32" }) as Array, 300, { dtype: "int32" });
    expect(() => lax.dot(np.ones([2, 2, 2]), m)).toThrow(/lax.dot: dimensionNumbers must be given.*\[2, 2, 2\] and \[2, 2\]/);
    expect(() => lax.dot(m, f32([1, 2, 3]))).toThrow(/lax.dot.*\[2, 2\] and \[3\]/);
  });

  it("an int stands for a 1-tuple of axes, as in JAX", () => {
    const m = f32([[1, 2], [3, 4]]);
    expectArray(lax.dotGeneral(m, m, [[1, 0], [[], []]] as never) as Array, [[7, 10], [15, 22]]);
  });

  it("result dtypes: XLA's higher-precision operand type, or preferredElementType", () => {
    const dn: DN = [[[0], [0]], [[], []]];
    const t = (a: string, b: string, pref?: string) =>
      (lax.dotGeneral(np.ones([2], a), np.ones([2], b), dn, { preferredElementType: pref ?? null }) as Array).dtype;
    expect(t("int8", "float32")).toBe("float32");
    expect(t("float32", "float16")).toBe("float32");
    expect(t("int32", "int8")).toBe("int32");
    expect(t("uint8", "int8")).toBe("int8"); // same width: signed wins
    expect(t("uint32", "int16")).toBe("uint32"); // wider wins
    expect(t("bool", "uint8")).toBe("uint8");
    expect(t("int32", "float16")).toBe("float16");
    expect(t("bool", "bool")).toBe("bool");
    expect(t("int8", "int8", "int32")).toBe("int32");
    expect(t("int8", "int8", "float16")).toBe("float16");
    expect(t("float16", "float16", "float32")).toBe("float32");
    expect(t("float32", "float32", "float16")).toBe("float16"); // floats may narrow (JAX does not check)
  });

  it("uint32 and int32 products wrap modulo 2^32", () => {
    const big = np.array([4000000000, 3], "uint32");
    expectArray(lax.dotGeneral(big, np.array([2, 1], "uint32"), [[[0], [0]], [[], []]]) as Array, (8000000003 % 2 ** 32), { dtype: "uint32" });
    const i = np.array([2 ** 30, 2 ** 30], "int32");
    expectArray(lax.dotGeneral(i, np.array([2, 2], "int32"), [[[0], [0]], [[], []]]) as Array, 0, { dtype: "int32" });
  });

  it("errors name the shapes and the offending dimensions", () => {
    const a = np.ones([2, 3]);
    const b = np.ones([4, 3]);
    expect(() => lax.dotGeneral(a, b, [[[1], [0]], [[], []]])).toThrow(
      /lax.dot_general: contracting dimensions must have equal sizes: lhs \[2, 3\] axis 1 \(3\) vs rhs \[4, 3\] axis 0 \(4\)/,
    );
    expect(() => lax.dotGeneral(a, b, [[[1], [1]], [[0], [0]]])).toThrow(/lax.dot_general: batch dimensions must have equal sizes: lhs \[2, 3\] vs rhs \[4, 3\]/);
    expect(() => lax.dotGeneral(a, b, [[[2], [1]], [[], []]])).toThrow(/lax.dot_general: lhs contracting dimensions \[2\] are invalid for an operand of rank 2/);
    expect(() => lax.dotGeneral(a, b, [[[1, 1], [1, 0]], [[], []]])).toThrow(/lhs contracting dimensions \[1,1\] are invalid/);
    expect(() => lax.dotGeneral(a, b, [[[1], [1]], [[1], [1]]])).toThrow(/lhs batch dimensions \[1\] must be disjoint from its contracting dimensions \[1\]/);
    expect(() => lax.dotGeneral(a, b, [[[1], []], [[], []]])).toThrow(/same number of contracting and batch dimensions/);
    expect(() => lax.dotGeneral(a, b, [[1], [1]] as never)).toThrow(/lax.dot_general: dimensionNumbers must be \[\[lhsContracting, rhsContracting\], \[lhsBatch, rhsBatch\]\]/);
    const i = np.ones([2], "int32");
    expect(() => lax.dotGeneral(i, i, [[[0], [0]], [[], []]], { preferredElementType: "int8" })).toThrow(
      /lax.dot_general: preferred_element_type must not be narrower than the original type.*int8.*int32/,
    );
    expect(() => lax.dotGeneral(np.ones([2]), np.ones([2]), [[[0], [0]], [[], []]], { preferredElementType: "int32" })).toThrow(
      /lax.dot_general: preferred_element_type int32 cannot hold the float32 result/,
    );
  });
});
