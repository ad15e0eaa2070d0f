// Comparisons and logic (ts/numpy/ufuncs_logic.ts) against NumPy fixtures
// (test/numpy/gen_ufuncs.py), plus where/select/isclose/arrayEqual semantics and dtypes.
import { beforeAll, describe, expect, it } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { label, loadCases, runCase } from "./ufuncs_fixture_util.js";

const cases = loadCases("ufuncs_logic.json");
const a = (v: unknown, dtype?: string) => np.array(v as never, dtype);
const info = (x: Array) => [x.dtype, x.weakType];

describe.each(backends)("ufuncs (logic) on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [label(c), c] as const))("%s", (_, c) => runCase(c));
  });

  it("comparisons give (strong) bools after promotion", () => {
    expect(info(np.equal(1, 2))).toEqual(["bool", false]);
    expect(info(np.less(a([1], "int8"), 2.5))).toEqual(["bool", false]);
    expectArray(np.less(a([1, 3], "int8"), 2.5), [true, false]);
    // JAX promotes uint32 and int32 to int32 (x32 mode): 2^32 - 1 becomes -1.
    expectArray(np.equal(a([4294967295], "uint32"), a([-1], "int32")), [true]);
    expectArray(np.greater(a([NaN, 1], "float32"), a([0, NaN], "float32")), [false, false]);
    expectArray(np.notEqual(a([NaN], "float32"), a([NaN], "float32")), [true]);
    expectArray(a([1, 2, 3], "int32").less(2), [true, false, false]);
    expectArray(a([1, 2, 3], "int32").greaterEqual(2), [false, true, true]);
    expectArray(a([1, 2, 3], "int32").equal(2), [false, true, false]);
  });

  it("logical functions treat non-zero (and NaN) as true", () => {
    expectArray(np.logicalAnd(a([0, 1.5, NaN], "float32"), 2), [false, true, true]);
    expectArray(np.logicalOr(a([0, 0], "int8"), a([0, -3], "int8")), [false, true]);
    expectArray(np.logicalXor(a([true, true]), a([1, 0], "uint8")), [false, true]);
    expectArray(np.logicalNot(a([0, 2], "int32")), [true, false]);
    expect(np.logicalNot(3).dtype).toBe("bool");
  });

  it("where: broadcasting, promotion, weak types, non-bool conditions", () => {
    const c = a([true, false, true]);
    expectArray(np.where(c, 1, a([5, 6, 7], "int8")), [1, 6, 1], { dtype: "int8" });
    expect(info(np.where(c, 1, 2))).toEqual(["int32", true]);
    expect(info(np.where(c, 1, 2.5))).toEqual(["float32", true]);
    expect(info(np.where(c, a([1], "int8"), a([1], "uint8")))).toEqual(["int16", false]);
    expectArray(np.where(a([[0], [2]], "int32"), a([1, 2, 3], "float32"), -1), [[-1, -1, -1], [1, 2, 3]]);
    expectArray(np.where(true, a([1, 2], "int32"), 0), [1, 2]);
    expect(() => (np.where as (...a: unknown[]) => unknown)(c, 1)).toThrow(/where: either both or neither of x and y/);
    expect(() => np.where(a([true, false]), a([1, 2, 3], "int32"), 0)).toThrow(/where: shapes \[2\], \[3\]/);
  });

  it("where(condition) is nonzero(condition) when nonzero exists", () => {
    if (typeof (np as Record<string, unknown>).nonzero !== "function") {
      expect(() => np.where(a([true]))).toThrow(/where: the one-argument form is nonzero/);
      return;
    }
    const r = np.where(a([0, 3, 0, 5], "int32"));
    expectArray(r[0], [1, 3]);
    const [padded] = np.where(a([0, 3, 0, 5], "int32"), { size: 3, fillValue: -1 });
    expectArray(padded, [1, 3, -1]);
  });

  it("select: the first true condition wins; default; promotion and broadcasting", () => {
    const x = a([-2, -1, 0, 1, 2], "int32");
    const r = np.select([x.less(0), x.less(2)], [x.neg(), x.mul(10)], 99);
    expectArray(r, [2, 1, 0, 10, 99], { dtype: "int32" });
    expectArray(np.select([x.less(0)], [1.5]), [1.5, 1.5, 0, 0, 0], { dtype: "float32" });
    expect(np.select([a([true])], [a([1], "int8")]).dtype).toBe("int8");
    expect(np.select([a([true])], [a([1], "int8")], 0.5).dtype).toBe("float32");
    expectArray(np.select([a([[true], [false]])], [a([1, 2, 3], "int32")], -1), [[1, 2, 3], [-1, -1, -1]]);
    expectArray(np.select([a([0, 2], "int32")], [a([7, 8], "int32")]), [0, 8]); // non-bool conditions: != 0
    expect(() => np.select([a([true])], [])).toThrow(/select: condlist must have length equal to choicelist \(1 vs 0\)/);
    expect(() => np.select([], [])).toThrow(/select: condlist must be non-empty/);
  });

  it("isclose/allclose: NumPy's formula, options and positional forms", () => {
    const x = a([1, 1.001, NaN, Infinity, 0], "float32");
    const y = a([1, 1, NaN, Infinity, 1e-9], "float32");
    expectArray(np.isclose(x, y), [true, false, false, true, true]);
    expectArray(np.isclose(x, y, { rtol: 1e-2 }), [true, true, false, true, true]);
    expectArray(np.isclose(x, y, 1e-2, 0, true), [true, true, true, true, false]);
    expectArray(np.isclose(x, y, { atol: 0, equalNan: true }), [true, false, true, true, false]);
    expect(np.allclose(x, y).item()).toBe(false);
    expect(np.allclose(a([1, 2], "float32"), a([1, 2.00001], "float32")).item()).toBe(true);
    expect(np.allclose(a([NaN]), a([NaN]), { equalNan: true }).item()).toBe(true);
    expect(np.allclose(2, 2).dtype).toBe("bool");
    expect(() => np.isclose(x, y, { reltol: 1 } as never)).toThrow(/isclose: unknown option "reltol"/);
  });

  it("arrayEqual / arrayEquiv", () => {
    expect(np.arrayEqual(a([1, 2]), a([1, 2])).item()).toBe(true);
    expect(np.arrayEqual(a([1, 2]), a([1, 2, 3])).item()).toBe(false);
    expect(np.arrayEqual(a([1, NaN]), a([1, NaN])).item()).toBe(false);
    expect(np.arrayEqual(a([1, NaN]), a([1, NaN]), true).item()).toBe(true);
    expect(np.arrayEqual(a([1, NaN]), a([1, NaN]), { equalNan: true }).item()).toBe(true);
    expect(np.arrayEqual([1, 2], a([1, 2], "uint8")).item()).toBe(true); // lists are accepted here, as in JAX
    expect(np.arrayEqual(a([[1, 2]]), a([1, 2])).item()).toBe(false);
    expect(np.arrayEquiv(a([[1, 2], [1, 2]]), a([1, 2])).item()).toBe(true);
    expect(np.arrayEquiv(a([1, 2]), a([1, 2, 3])).item()).toBe(false);
    expect(np.arrayEquiv(a([3, 3]), 3).item()).toBe(true);
    expect(np.arrayEqual(a([1, 2]), a([1, 2])).dtype).toBe("bool");
  });
});
