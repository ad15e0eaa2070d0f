// Bitwise and integer ufuncs (ts/numpy/ufuncs_int.ts) against NumPy fixtures with XLA's shift
// semantics (test/numpy/gen_ufuncs.py), plus dtypes and errors.
import { beforeAll, describe, expect, it } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { label, loadCases, runCase } from "./ufuncs_fixture_util.js";

const cases = loadCases("ufuncs_int.json");
const a = (v: unknown, dtype?: string) => np.array(v as never, dtype);
const info = (x: Array) => [x.dtype, x.weakType];

describe.each(backends)("ufuncs (integer) on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [label(c), c] as const))("%s", (_, c) => runCase(c));
  });

  it("bitwise ops promote and keep weak types", () => {
    expect(info(np.bitwiseAnd(a([1], "uint8"), a([1], "int8")))).toEqual(["int16", false]);
    expect(info(np.bitwiseOr(a([1], "uint8"), 256))).toEqual(["uint8", false]);
    expect(info(np.bitwiseXor(6, 3))).toEqual(["int32", true]);
    expect(np.bitwiseXor(6, 3).item()).toBe(5);
    expectArray(np.invert(a([0, 255], "uint8")), [255, 0]);
    expectArray(np.bitwiseNot(a([true, false])), [false, true], { dtype: "bool" });
    expectArray(a([12], "int32").and(10), [8]);
    expectArray(a([12], "int32").or(3), [15]);
    expectArray(a([12], "int32").xor(4), [8]);
    expectArray(a([0], "int16").not(), [-1]);
  });

  it("shifts: XLA's results for out-of-range amounts; bools become int32", () => {
    expectArray(np.leftShift(a([1, 1, 1, 1], "int32"), a([31, 32, 33, -1], "int32")), [-(2 ** 31), 0, 0, 0]);
    expectArray(np.rightShift(a([-8, -8, -8], "int32"), a([1, 31, 100], "int32")), [-4, -1, -1]);
    expectArray(np.rightShift(a([4294967295, 4294967295], "uint32"), a([31, 32], "uint32")), [1, 0]);
    expectArray(np.leftShift(a([true]), a([true])), [2], { dtype: "int32" });
    expect(info(np.leftShift(a([1], "uint8"), 3))).toEqual(["uint8", false]);
    expectArray(np.bitwiseRightShift(a([128], "uint8"), 7), [1]);
    expectArray(np.bitwiseLeftShift(a([3], "int8"), 6), [-64]);
  });

  it("refuse floats with errors naming the function", () => {
    expect(() => np.bitwiseAnd(a([1.5]), 1)).toThrow(/bitwiseAnd: takes integer or bool inputs, got float32/);
    expect(() => np.invert(a([1.5]))).toThrow(/invert: takes integer or bool inputs, got float32/);
    expect(() => np.leftShift(a([1], "int32"), 1.5)).toThrow(/leftShift: takes integer inputs, got float32/);
    expect(() => np.gcd(a([true]), a([true]))).toThrow(/gcd: takes integer inputs, got bool/);
    expect(() => np.lcm(a([1.5]), 2)).toThrow(/lcm: takes integer inputs, got float32/);
  });

  it("gcd and lcm with signs, zeros and weak scalars", () => {
    expectArray(np.gcd(a([12, -12, 12, -12, 0, 0, 7], "int32"), a([18, 18, -18, -18, 5, 0, 0], "int32")), [6, 6, 6, 6, 5, 0, 7]);
    expectArray(np.lcm(a([4, -4, 0, 3], "int32"), a([6, 6, 5, -7], "int32")), [12, 12, 0, 21]);
    expect(info(np.gcd(a([12], "uint8"), 18))).toEqual(["uint8", false]);
    expect(info(np.gcd(12, 18))).toEqual(["int32", true]);
    expect(np.lcm(12, 18).item()).toBe(36);
    // Broadcasting.
    expectArray(np.gcd(a([[12], [9]], "int16"), a([8, 6, 3], "int16")), [[4, 6, 3], [1, 3, 3]]);
  });
});
