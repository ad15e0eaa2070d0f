// ts/numpy/contractions.ts: dot, matmul, vdot, inner, outer, tensordot, einsum, kron, cross,
// convolve, correlate against NumPy float64 fixtures (test/numpy/gen_contractions.py), with
// JAX's result dtypes; plus preferredElementType, the einsum contraction orders, the swap
// semantics of correlate, errors and options.
//
// Tolerances: each float case carries the bound (K + 2) * u * sum|terms| (u = 2^-24 for float32
// arithmetic, 2^-53 for float64; K = the number of products summed into an output element),
// the worst case of any summation order (Higham, 3.1), plus one 2^-11 rounding for float16
// results (computed in float32, rounded once). Integer and bool results are exact.
import { describe, expect, it } from "vitest";
import { Array, lax, memoryStats, numpy as np, tidy } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { decode, type Enc, expectRef, needsX64, type Ref, withX64 } from "./contractions_fixture_util.js";

interface Case extends Ref {
  fn: string;
  args: Enc[];
  spec?: string;
  axes?: number | [number | number[], number | number[]];
  opts?: Record<string, number>;
  mode?: string;
}

const cases = fixture<{ cases: Case[] }>("numpy/fixtures/contractions.json").cases;

function caseName(c: Case): string {
  const extra = c.spec ?? (c.axes !== undefined ? `axes=${JSON.stringify(c.axes)}` : c.mode ?? (c.opts ? JSON.stringify(c.opts) : ""));
  return `${c.fn} ${c.args.map((a) => `${a.d}${JSON.stringify(a.s)}`).join(" ")} ${extra}`;
}

type Fn = (...a: unknown[]) => Array;
const npf = np as unknown as Record<string, Fn>;

function run(c: Case, optimize?: boolean): Array {
  const args = c.args.map(decode);
  switch (c.fn) {
    case "einsum":
      return optimize === undefined ? np.einsum(c.spec!, ...args) : np.einsum(c.spec!, ...args, { optimize });
    case "tensordot":
      return np.tensordot(args[0], args[1], c.axes as never);
    case "cross":
      return np.cross(args[0], args[1], c.opts);
    case "convolve":
    case "correlate":
      return npf[c.fn](args[0], args[1], c.mode);
    default:
      return npf[c.fn](args[0], args[1]);
  }
}

const f32 = (v: unknown) => np.array(v as never, "float32");
const i8 = (v: unknown) => np.array(v as never, "int8");

describe.each(backends)("numpy contractions on %s", (backend) => {
  useBackend(backend);

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [caseName(c), c] as const))("%s", (name, c) => {
      withX64(needsX64(...c.args, c.out), () => {
        expectRef(run(c), c, name);
        // Chains of 3+ operands: the greedy order and left-to-right (optimize: false) agree
        // with the reference within the same bound.
        if (c.fn === "einsum" && c.args.length >= 3) {
          expectRef(run(c, false), c, `${name} (optimize: false)`);
          expectRef(run(c, true), c, `${name} (optimize: true)`);
        }
      });
    });
  });

  describe("result dtypes (JAX's promotion)", () => {
    it("mixed operands promote as jnp.result_type", () => {
      expect(np.dot(i8([1, 2]), f32([1, 2])).dtype).toBe("float32");
      expect(np.matmul(np.array([[1, 2]], "int32"), f32([[1], [2]])).dtype).toBe("float32"); // NumPy: float64
      expect(np.dot(np.array([1, 2], "uint8"), i8([1, 2])).dtype).toBe("int16");
      expect(np.dot(np.array([1, 2], "float16"), np.array([1, 2], "int32")).dtype).toBe("float16");
      expect(np.einsum("i,i", np.array([1, 2], "uint32"), np.array([1, 2], "int32")).dtype).toBe("int32");
      expect(np.tensordot(np.array([true]), np.array([3], "int8"), 1).dtype).toBe("int8");
      expect(np.outer(i8([1]), np.array([2], "uint8")).dtype).toBe("int16");
      expect(np.kron(np.array([true]), f32([2])).dtype).toBe("float32");
    });
    it("a JS number is weak: it takes the array's dtype", () => {
      const d = np.dot(2, i8([100, 3]));
      expect(d.dtype).toBe("int8");
      expectArray(d, [-56, 6]); // 200 wraps
      expect(np.inner(i8([1, 2]), 3).dtype).toBe("int8");
      expect(np.dot(1.5, f32([2])).dtype).toBe("float32");
    });
    it("bool products are bool (logical or of ands)", () => {
      const a = np.array([[true, false], [false, false]]);
      const b = np.array([[true, false], [true, true]]);
      expectArray(np.matmul(a, b), [[true, false], [false, false]], { dtype: "bool" });
      expectArray(np.dot(np.array([true, true]), np.array([true, true])), true, { dtype: "bool" });
      expectArray(np.einsum("ii", np.array([[false, true], [true, false]])), false, { dtype: "bool" });
      expectArray(np.einsum("ij->j", np.array([[false, true], [true, true]])), [true, true], { dtype: "bool" });
    });
    it("bool operands of the elementwise forms multiply as logical and (jnp.multiply)", () => {
      expectArray(np.outer(np.array([true, false]), np.array([true, true])), [[true, true], [false, false]], { dtype: "bool" });
      expectArray(np.kron(np.array([true, false]), np.array([true, true])), [true, true, false, false], { dtype: "bool" });
      expectArray(np.dot(np.array(true), np.array([true, false])), [true, false], { dtype: "bool" });
      expectArray(np.inner(np.array([true, false]), np.array(false)), [false, false], { dtype: "bool" });
      expect(() => np.cross(np.array([true, false, true]), np.array([true, true, false]))).toThrow(/cross: boolean operands are not supported/);
    });
    it("int8 wraps like JAX; float16 stays float16", () => {
      expectArray(np.dot(i8([100, 100, 3]), i8([100, 100, 3])), 41, { dtype: "int8" }); // 20009 mod 256
      expectArray(np.vdot(np.array([200, 100], "uint8"), np.array([2, 1], "uint8")), 244, { dtype: "uint8" });
      expectArray(np.matmul(np.array([[1, 2]], "float16"), np.array([[3], [4]], "float16")), [[11]], { dtype: "float16" });
    });
    it("convolve / correlate of ints give float32 (JAX promotes to inexact; NumPy keeps ints)", () => {
      expectArray(np.convolve(np.array([1, 2, 3]), np.array([0, 1])), [0, 1, 2, 3], { dtype: "float32" });
      expectArray(np.correlate(i8([1, 2, 3]), i8([1, 1]), "full"), [1, 3, 5, 3], { dtype: "float32" });
      expect(np.convolve(np.array([true, false]), np.array([true])).dtype).toBe("float32");
    });
  });

  describe("preferredElementType", () => {
    it("accumulates in the preferred dtype (no int8 wrap) and returns it", () => {
      const x = i8([100, 100, 3]);
      expectArray(np.dot(x, x, { preferredElementType: "int32" }), 20009, { dtype: "int32" });
      expectArray(np.vdot(x, x, { preferredElementType: "float32" }), 20009, { dtype: "float32" });
      expectArray(np.inner(x, x, { preferredElementType: "int32" }), 20009, { dtype: "int32" });
      expectArray(np.tensordot(x, x, 1, { preferredElementType: "int16" }), 20009, { dtype: "int16" });
      expectArray(np.einsum("i,i", x, x, { preferredElementType: "int32" }), 20009, { dtype: "int32" });
      expectArray(np.einsum("i->", x, { preferredElementType: "int32" }), 203, { dtype: "int32" });
      const b = np.array([[true, true], [true, false]]);
      expectArray(np.matmul(b, b, { preferredElementType: "int32" }), [[2, 1], [1, 1]], { dtype: "int32" });
      expectArray(np.dot(2, x, { preferredElementType: "int32" }), [200, 200, 6], { dtype: "int32" });
      expect(np.dot(x, x, { preferredElementType: "int32" }).weakType).toBe(false);
    });
    it("float16 inputs with a float32 preference are not rounded to float16", () => {
      const h = np.array([2048, 1], "float16");
      const one = np.array([1, 1], "float16");
      expectArray(np.dot(h, one), 2048, { dtype: "float16" }); // 2049 is not a float16
      expectArray(np.dot(h, one, { preferredElementType: "float32" }), 2049, { dtype: "float32" });
    });
    it("a narrower float preference rounds the result", () => {
      expectArray(np.dot(f32([2049, 0]), f32([1, 1]), { preferredElementType: "float16" }), 2048, { dtype: "float16" });
    });
    it("convolve / correlate take it too (then only promote, as JAX)", () => {
      expectArray(np.convolve(np.array([1, 2, 3]), np.array([0, 1]), "full", { preferredElementType: "int32" }), [0, 1, 2, 3], { dtype: "int32" });
      expectArray(np.correlate(np.array([1, 2, 3]), np.array([1, 1]), { mode: "same", preferredElementType: "int32" }), [1, 3, 5], { dtype: "int32" });
    });
    it("a narrower integer preference is an error (JAX's _maybe_upcast)", () => {
      const x = np.array([1, 2], "int32");
      expect(() => np.dot(x, x, { preferredElementType: "int8" })).toThrow(/dot.*narrower.*int8.*int32/);
      expect(() => np.matmul(f32([[1]]), f32([[1]]), { preferredElementType: "int32" })).toThrow(/matmul.*int32.*float32/);
      expect(() => np.dot(x, x, { preferredElementType: "int65" as never })).toThrow(/dot: unknown dtype "int65"/);
    });
  });

  describe("matmul", () => {
    it("broadcasts batch dims and squeezes promoted 1-D operands", () => {
      const a = np.arange(24).reshape([2, 1, 3, 4]);
      const b = np.arange(40).reshape([5, 4, 2]);
      const got = np.matmul(a, b);
      expect(got.shape).toEqual([2, 5, 3, 2]);
      // Element [1, 4] is a[1, 0] @ b[4].
      const ref = np.matmul(a.get("1, 0"), b.get("4"));
      expectArray(got.get("1, 4") as Array, ref.tolist() as never);
      expect(np.matmul(np.ones([4]), np.ones([5, 4, 2])).shape).toEqual([5, 2]);
      expect(np.matmul(np.ones([5, 2, 4]), np.ones([4])).shape).toEqual([5, 2]);
      expect(np.matmul(np.ones([4]), np.ones([4])).shape).toEqual([]);
    });
    it("transposed, strided and broadcast (stride-0) operands", () => {
      const a = np.arange(12).reshape([3, 4]).astype("float32");
      expectArray(np.matmul(a.T, a), (np.matmul(np.array(a.T.tolist() as never, "float32"), a)).tolist() as never);
      const s = a.get("::2, ::-1") as Array; // [[3,2,1,0],[11,10,9,8]]
      expectArray(np.matmul(s, np.ones([4, 1])), [[6], [38]]);
      const bc = np.broadcastTo(f32([1, 2, 3, 4]), [3, 4]);
      expectArray(np.matmul(bc, a.T), [[20, 60, 100], [20, 60, 100], [20, 60, 100]]);
      const bcast3 = np.broadcastTo(a, [2, 3, 4]);
      expectArray(np.matmul(bcast3, np.ones([4])), [[6, 22, 38], [6, 22, 38]]);
    });
    it("size-0 dims: empty results, and zeros when the contraction is empty", () => {
      expectArray(np.matmul(np.ones([2, 0]), np.ones([0, 3])), [[0, 0, 0], [0, 0, 0]]);
      expect(np.matmul(np.ones([0, 2]), np.ones([2, 3])).shape).toEqual([0, 3]);
      expect(np.matmul(np.ones([0, 2, 2]), np.ones([2, 2])).shape).toEqual([0, 2, 2]);
      expectArray(np.einsum("i,i", np.ones([0]), np.ones([0])), 0);
    });
    it("errors name both shapes", () => {
      expect(() => np.matmul(np.ones([2, 3]), np.ones([4, 2]))).toThrow(/matmul.*\[2, 3\].*\[4, 2\].*3 != 4/);
      expect(() => np.matmul(np.ones([3]), np.ones([4]))).toThrow(/matmul.*\[3\].*\[4\]/);
      expect(() => np.matmul(np.ones([2, 2, 3]), np.ones([3, 3, 2]))).toThrow(/matmul: the batch dimensions of shapes \[2, 2, 3\] and \[3, 3, 2\]/);
      expect(() => np.matmul(np.ones([2]), np.array(3))).toThrow(/matmul.*at least 1-D.*\[2\].*\[\]/);
      expect(() => np.dot(np.ones([2, 3]), np.ones([2, 3]))).toThrow(/dot: shapes \[2, 3\] and \[2, 3\] are not aligned/);
      expect(() => np.matmul(np.ones([2]), np.ones([2]), { precision: "high" } as never)).toThrow(/matmul: unknown option "precision"/);
    });
    it("works as an Array method", () => {
      const a = f32([[1, 2], [3, 4]]);
      expectArray(a.dot(f32([1, 1])) as Array, [3, 7]);
    });
  });

  describe("einsum", () => {
    it("the greedy order and optimize: false agree on a longer chain", () => {
      const shapes = [[3, 4], [4, 5], [5, 2], [2, 6], [6, 3]];
      const ops = shapes.map((s, k) => np.sin(np.arange(s[0] * s[1]).reshape(s).add(k)).astype("float32"));
      const spec = "ab,bc,cd,de,ef->af";
      const greedy = np.einsum(spec, ...ops);
      const plain = np.einsum(spec, ...ops, { optimize: false });
      const chain = ops.reduce((acc, o) => np.matmul(acc, o));
      const abs = ops.map((o) => np.abs(o)).reduce((acc, o) => np.matmul(acc, o));
      // Sums of 4*5*2*6 = 240 products each: bound (240 + 5) u sum|terms| per element.
      const bound = np.multiply(abs, 245 * 2 ** -24);
      for (const r of [greedy, plain]) {
        expect(r.shape).toEqual([3, 3]);
        expect(np.all(np.lessEqual(np.abs(np.subtract(r, chain)), np.multiply(bound, 2))).item()).toBe(true);
      }
    });
    it("implicit output: singly-used indices sorted (upper case first), ellipsis dims first", () => {
      expect(np.einsum("ba", np.ones([2, 3])).shape).toEqual([3, 2]);
      expect(np.einsum("aB", np.ones([2, 3])).shape).toEqual([3, 2]);
      expect(np.einsum("ij,jk", np.ones([2, 3]), np.ones([3, 4])).shape).toEqual([2, 4]);
      expect(np.einsum("...ij,...jk", np.ones([2, 1, 2, 3]), np.ones([4, 3, 5])).shape).toEqual([2, 4, 2, 5]);
      expect(np.einsum("i...,i...", np.ones([3, 1]), np.ones([3, 4])).shape).toEqual([4]);
    });
    it("invalid subscripts and operands give clear errors", () => {
      const m = np.ones([2, 3]);
      expect(() => np.einsum("ij,jk->il", m, np.ones([3, 4]))).toThrow(/einsum: output subscript l does not appear/);
      expect(() => np.einsum("ij,jk", m, np.ones([4, 4]))).toThrow(/einsum: index j has sizes 3 and 4/);
      expect(() => np.einsum("i1", m)).toThrow(/einsum: invalid subscript character "1"/);
      expect(() => np.einsum("ij", np.ones([2, 3, 4]))).toThrow(/einsum: operand 0 has shape \[2, 3, 4\] \(rank 3\)/);
      expect(() => np.einsum("ij,jk", m)).toThrow(/einsum.*2 operands but 1 were given/);
      expect(() => np.einsum("ij->ii", m)).toThrow(/einsum: repeated output subscript/);
      expect(() => np.einsum("ij->i->j", m)).toThrow(/einsum.*more than one "->"/);
      expect(() => np.einsum("i.j", m)).toThrow(/einsum.*ellipsis/);
      expect(() => np.einsum("......", m)).toThrow(/einsum.*ellipsis/);
      expect(() => np.einsum("ij")).toThrow(/einsum: no operands/);
      expect(() => np.einsum("ij", m, { optimise: true } as never)).toThrow(/einsum: unknown option "optimise"/);
      expect(() => np.einsum("ijk...", m)).toThrow(/einsum: operand 0 of shape \[2, 3\] has fewer dims/);
    });
  });

  describe("tensordot, cross, kron", () => {
    it("tensordot axes errors", () => {
      expect(() => np.tensordot(np.ones([2]), np.ones([3]), 2)).toThrow(/tensordot: axes=2 is invalid for shapes \[2\] and \[3\]/);
      expect(() => np.tensordot(np.ones([2, 3]), np.ones([3, 2]), [[0], [0]])).toThrow(/tensordot.*do not match shapes \[2, 3\] and \[3, 2\]/);
      expect(() => np.tensordot(np.ones([2, 3]), np.ones([3, 2]), [[0, 1], [1]])).toThrow(/tensordot/);
    });
    it("unknown options are errors", () => {
      expect(() => np.cross(np.ones([3]), np.ones([3]), { axes: 0 } as never)).toThrow(/cross: unknown option "axes"/);
      expect(() => np.tensordot(np.ones([3]), np.ones([3]), 1, { precision: 1 } as never)).toThrow(/tensordot: unknown option "precision"/);
      expect(() => np.convolve(np.ones([3]), np.ones([3]), { method: "fft" } as never)).toThrow(/convolve: unknown option "method"/);
    });
    it("cross needs 2 or 3 components", () => {
      expect(() => np.cross(np.ones([4]), np.ones([3]))).toThrow(/cross: vectors must have 2 or 3 components.*4 and 3/);
      expectArray(np.cross(f32([1, 0, 0]), f32([0, 1, 0])), [0, 0, 1]);
    });
    it("kron of int8 wraps", () => {
      expectArray(np.kron(i8([100]), i8([2, 3])), [-56, 44], { dtype: "int8" });
    });
  });

  it("frees every intermediate (tidy leaves no live arrays or bytes behind)", () => {
    const work = () =>
      tidy(() => {
        np.einsum("ij,jk,kl->il", np.ones([2, 3]), np.ones([3, 4]), np.ones([4, 5]));
        np.einsum("iij->j", np.ones([3, 3, 2]));
        np.matmul(np.ones([2, 1, 3, 4]), np.ones([5, 4, 2]));
        np.dot(np.array([1, 2], "int8"), np.array([1, 2], "int8"), { preferredElementType: "float32" });
        np.correlate(np.ones([3]), np.ones([5]), "full");
        np.cross(np.ones([4, 3]), np.ones([4, 2]));
        np.kron(np.ones([2, 2]), np.ones([2]));
        lax.convGeneralDilated(np.ones([2, 6, 7, 2]), np.ones([2, 3, 2, 3]), [2, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] });
        lax.reduceWindow(np.ones([4, 5]), "max", [2, 2], [1, 1], "SAME");
      });
    work(); // warm the kernel caches
    const before = memoryStats();
    work();
    work();
    const after = memoryStats();
    expect(after.liveArrays).toBe(before.liveArrays);
    expect(after.bytesInUse).toBe(before.bytesInUse);
  });

  describe("convolve / correlate", () => {
    it("len(v) > len(a): NumPy's swap (correlate reverses its output)", () => {
      // np.correlate([1, 2, 3], [0, 1, 0.5, 3], mode) and np.convolve(...), from NumPy 2.
      const a = f32([1, 2, 3]);
      const v = f32([0, 1, 0.5, 3]);
      expectArray(np.correlate(a, v, "full"), [3, 6.5, 11, 3.5, 3, 0]);
      expectArray(np.correlate(a, v, "same"), [6.5, 11, 3.5, 3]);
      expectArray(np.correlate(a, v), [11, 3.5]);
      expectArray(np.correlate(v, a, "full"), [0, 3, 3.5, 11, 6.5, 3]);
      expectArray(np.convolve(a, v, "same"), [1, 2.5, 7, 7.5]);
      expectArray(np.convolve(a, v), [0, 1, 2.5, 7, 7.5, 9]);
      expectArray(np.convolve(v, a, "valid"), [2.5, 7]);
    });
    it("errors", () => {
      expect(() => np.correlate(f32([]), f32([1]))).toThrow(/correlate: inputs cannot be empty.*\[0\]/);
      expect(() => np.convolve(np.ones([2, 2]), f32([1]))).toThrow(/convolve: takes 1-D arrays.*\[2, 2\]/);
      expect(() => np.convolve(f32([1]), f32([1]), "circular" as never)).toThrow(/convolve: mode must be "full", "same" or "valid"/);
      expect(() => np.convolve(f32([1]), f32([1]), "toString" as never)).toThrow(/convolve: mode must be/);
    });
  });
});
