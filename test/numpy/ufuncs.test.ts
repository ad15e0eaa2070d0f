// Arithmetic ufuncs (ts/numpy/ufuncs.ts) against NumPy fixtures with JAX's integer semantics
// (test/numpy/gen_ufuncs.py), plus result dtypes, weak types, errors and signed zeros.
import { beforeAll, describe, expect, it } from "vitest";
import { memoryStats, numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { label, loadCases, runCase } from "./ufuncs_fixture_util.js";

const cases = loadCases("ufuncs_arith.json");
const a = (v: unknown, dtype?: string) => np.array(v as never, dtype);
const info = (x: Array) => [x.dtype, x.weakType];

describe.each(backends)("ufuncs (arithmetic) on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [label(c), c] as const))("%s", (_, c) => runCase(c));
  });

  it("weak JS numbers take the array's dtype; two numbers give weak int32 / float32", () => {
    expect(info(a([100], "int8").add(100))).toEqual(["int8", false]);
    expectArray(a([100], "int8").add(100), [-56]); // wraps at 8 bits
    expect(info(np.add(2, 3))).toEqual(["int32", true]);
    expect(np.add(2, 3).item()).toBe(5);
    expect(info(np.add(2, 3.5))).toEqual(["float32", true]);
    expect(info(np.multiply(a([1, 2], "uint8"), 2))).toEqual(["uint8", false]);
    // int32 + weak float: the lattice join is f*, so the result is a weak float32 (as in JAX).
    expect(info(np.add(a([1, 2], "int32"), 1.5))).toEqual(["float32", true]);
    expect(info(np.add(a([1], "float16"), 1.5))).toEqual(["float16", false]);
    expect(info(np.add(true, 2))).toEqual(["int32", true]);
    expect(info(np.add(a([true]), 2))).toEqual(["int32", true]);
    expect(info(np.subtract(np.asarray(2), 1))).toEqual(["int32", true]);
  });

  it("promotes across dtypes on JAX's lattice", () => {
    expect(np.add(a([1], "int32"), a([1], "float16")).dtype).toBe("float16");
    expect(np.add(a([1], "uint32"), a([1], "int32")).dtype).toBe("int32");
    expect(np.add(a([1], "uint8"), a([1], "int8")).dtype).toBe("int16");
    expect(np.add(a([1], "uint16"), a([1], "int8")).dtype).toBe("int32");
    expect(np.add(a([true]), a([1], "uint8")).dtype).toBe("uint8");
    expect(np.multiply(a([true]), a([true])).dtype).toBe("bool");
    expectArray(np.add(a([200], "uint8"), a([-1], "int8")), [199], { dtype: "int16" });
  });

  it("divisions: true division of ints is float32; floor division keeps ints, bools become int32", () => {
    expect(info(np.trueDivide(a([1], "int8"), a([2], "int8")))).toEqual(["float32", false]);
    expect(info(np.divide(1, 2))).toEqual(["float32", true]);
    expect(np.divide(1, 2).item()).toBe(0.5);
    expect(info(np.floorDivide(a([true]), a([true])))).toEqual(["int32", false]);
    expect(info(np.floorDivide(7, 2))).toEqual(["int32", true]);
    expect(np.floorDivide(-7, 2).item()).toBe(-4);
    expect(np.remainder(-7, 2).item()).toBe(1);
    expect(np.remainder(7, -2).item()).toBe(-1);
    expect(np.fmod(-7, 2).item()).toBe(-1);
    expect(info(np.remainder(a([1.5], "float16"), 1))).toEqual(["float16", false]);
    const [q, r] = np.divmod(a([7, -7, 7, -7], "int32"), a([2, 2, -2, -2], "int32"));
    expectArray(q, [3, -4, -4, 3], { dtype: "int32" });
    expectArray(r, [1, 1, -1, -1], { dtype: "int32" });
    // JAX-documented example (jnp.divmod docstring).
    const [qf, rf] = np.divmod(a([3.3, 5.0, 8.9], "float32"), a([1.0, 2.0, 3.0], "float32"));
    expectArray(qf, [3, 2, 2], { dtype: "float32" });
    expectArray(rf, [0.30000007, 1, 2.9], { rtol: 1e-6 });
  });

  it("integer division by zero gives JAX's values (no trap)", () => {
    expectArray(np.floorDivide(a([5, -5, 0], "int32"), 0), [-2, -2, -1]);
    expectArray(np.floorDivide(a([5, 0], "uint8"), 0), [255, 255]);
    expectArray(np.remainder(a([5, -5, 0], "int32"), 0), [0, 0, 0]);
    expectArray(np.fmod(a([5, -5], "int16"), 0), [0, 0]);
    expectArray(np.floorDivide(a([-(2 ** 31)], "int32"), -1), [-(2 ** 31)]);
    expectArray(np.remainder(a([-(2 ** 31)], "int32"), -1), [0]);
    expectArray(np.floorDivide(a([-128], "int8"), a([-1], "int8")), [-128]);
  });

  it("bools: add is or, multiply is and, subtract and negative are errors", () => {
    const t = a([true, true, false, false]);
    const u = a([true, false, true, false]);
    expectArray(np.add(t, u), [true, true, true, false], { dtype: "bool" });
    expectArray(np.multiply(t, u), [true, false, false, false], { dtype: "bool" });
    expect(() => np.subtract(t, u)).toThrow(/subtract: boolean subtract is not supported/);
    expect(() => np.negative(t)).toThrow(/negative: takes integer or floating inputs, got bool/);
    expect(() => np.sign(t)).toThrow(/sign: /);
  });

  it("abs and sign of unsigned and INT_MIN", () => {
    expectArray(np.abs(a([0, 255], "uint8")), [0, 255], { dtype: "uint8" });
    expectArray(np.sign(a([0, 7, 4294967295], "uint32")), [0, 1, 1], { dtype: "uint32" });
    expectArray(np.abs(a([-(2 ** 31), -3], "int32")), [-(2 ** 31), 3]);
    expectArray(np.negative(a([1, 0], "uint8")), [255, 0]);
    expectArray(np.abs(a([true, false])), [true, false], { dtype: "bool" });
  });

  it("power: JS integer exponents use integer_pow; integer arrays use JAX's binary exponentiation", () => {
    expectArray(np.power(a([2, 3, -2], "int8"), 3), [8, 27, -8], { dtype: "int8" });
    expectArray(np.power(a([2], "int32"), 31), [-(2 ** 31)]); // wraps
    expect(() => np.power(a([2], "int32"), -1)).toThrow(/power: integers cannot be raised to a negative power/);
    expectArray(np.power(a([2, 4], "float32"), -2), [0.25, 0.0625], { dtype: "float32" });
    expectArray(np.power(a([true, false]), 2), [1, 0], { dtype: "int32" });
    expectArray(np.power(a([2, 2, 0, 0, 3], "int32"), a([10, 0, 0, 5, 64], "int32")), [1024, 1, 1, 0, 1]);
    // float base, integer exponent array: the base's dtype (lax.pow(float, int)).
    expectArray(np.power(a([2, -2], "float16"), a([3, 3], "int32")), [8, -8], { dtype: "float16" });
    expect(info(np.power(2.5, a([2], "int32")))).toEqual(["float32", false]);
    expect(info(np.power(a([2], "int32"), 0.5))).toEqual(["float32", true]);
    expect(info(np.power(2, 3))).toEqual(["int32", true]);
    expectArray(np.power(a([-8, 4], "float32"), a([1 / 3, 0.5], "float32")), [NaN, 2], { rtol: 1e-7 });
    expectArray(np.floatPower(a([2], "int32"), a([3], "int32")), [8], { dtype: "float32" });
    // Exponents beyond 2^31 (integer_pow unrolls by halving, not by 32-bit shifts).
    expectArray(np.power(a([1, -1, 1.0000001, 0.5], "float32"), 2 ** 40), [1, 1, Infinity, 0]);
    expectArray(np.power(a([3, -1], "int32"), 2 ** 33 + 1), [3, -1]); // 3^(2^33+1) mod 2^32 = 3
    expectArray(np.square(a([3, -16], "int8")), [9, 0], { dtype: "int8" });
    expectArray(np.reciprocal(a([4, 0], "int32")), [0.25, Infinity], { dtype: "float32" });
  });

  it("float16 arrays compute in float16 (each operation rounds)", () => {
    expectArray(np.add(a([2048], "float16"), a([1], "float16")), [2048], { dtype: "float16" });
    expectArray(np.multiply(a([300], "float16"), a([300], "float16")), [Infinity], { dtype: "float16" });
    expectArray(np.divide(a([1], "float16"), a([3], "float16")), [0.333251953125], { dtype: "float16" });
  });

  it("maximum/minimum propagate NaN; fmax/fmin ignore it", () => {
    const x = a([NaN, 1, NaN, -Infinity], "float32");
    const y = a([1, NaN, NaN, 2], "float32");
    expectArray(np.maximum(x, y), [NaN, NaN, NaN, 2]);
    expectArray(np.minimum(x, y), [NaN, NaN, NaN, -Infinity]);
    expectArray(np.fmax(x, y), [1, 1, NaN, 2]);
    expectArray(np.fmin(x, y), [1, 1, NaN, -Infinity]);
    expectArray(np.maximum(a([true, false]), a([false, false])), [true, false], { dtype: "bool" });
  });

  it("clip: positional, options, one-sided, NaN, dtype promotion", () => {
    const x = a([-3, 0.5, 7, NaN], "float32");
    expectArray(np.clip(x, -1, 2), [-1, 0.5, 2, NaN]);
    expectArray(np.clip(x, { max: 2 }), [-3, 0.5, 2, NaN]);
    expectArray(np.clip(x, null, 2), [-3, 0.5, 2, NaN]);
    expectArray(np.clip(x, { min: 0 }), [0, 0.5, 7, NaN]);
    expectArray(x.clip(0, 1), [0, 0.5, 1, NaN]);
    expect(np.clip(a([1, 2], "int8"), 0, 1).dtype).toBe("int8");
    expect(np.clip(a([1, 2], "int8"), 0.5, 1).dtype).toBe("float32");
    expectArray(np.clip(a([1, 5, 9], "int32"), a([2, 2, 2], "int32"), a([[4], [8]], "int32")), [[2, 4, 4], [2, 5, 8]]);
    expect(() => np.clip(x, { lo: 1 } as never)).toThrow(/clip: unknown option "lo"/);
  });

  it("signed zeros", () => {
    const z = np.negative(a([0], "float32")).dataSync()[0];
    expect(Object.is(z, -0)).toBe(true);
    expect(Object.is(np.multiply(a([-1], "float32"), 0).dataSync()[0], -0)).toBe(true);
    expect(Object.is(np.floorDivide(a([0], "float32"), a([-2], "float32")).dataSync()[0], -0)).toBe(true);
    // remainder keeps the divisor's sign even for zero results (NumPy: -0.0).
    const r = np.remainder(a([4], "float32"), a([-2], "float32")).dataSync()[0];
    expect(r === 0).toBe(true);
  });

  it("methods call the same functions", () => {
    const x = a([7, -7], "int32");
    expectArray(x.add(1), [8, -6]);
    expectArray(x.sub(1), [6, -8]);
    expectArray(x.mul(2), [14, -14]);
    expectArray(x.div(2), [3.5, -3.5], { dtype: "float32" });
    expectArray(x.floorDiv(2), [3, -4]);
    expectArray(x.mod(2), [1, 1]);
    expectArray(x.pow(2), [49, 49]);
    expectArray(x.neg(), [-7, 7]);
    expectArray(x.abs(), [7, 7]);
    expectArray(x.round(), [7, -7]);
    expectArray(a([1.25, -3.5], "float32").round(1), [1.2, -3.5], { rtol: 1e-7 });
  });

  it("broadcasts with NumPy's rule and names the function in errors", () => {
    expectArray(np.add(a([[1], [2]], "int32"), a([10, 20, 30], "int32")), [[11, 21, 31], [12, 22, 32]]);
    expect(() => np.add(a([1, 2], "int32"), a([1, 2, 3], "int32"))).toThrow(/add: shapes \[2\], \[3\] cannot be broadcast/);
    expect(() => np.floorDivide(a([1, 2]), a([[1, 2, 3]]))).toThrow(/floorDivide: shapes/);
    expect(() => np.add([1, 2] as never, 1)).toThrow(/add: lists and typed arrays are not arrays/);
    expect(() => np.remainder(a([1]), "x" as never)).toThrow(/remainder: expected an array or a number/);
  });

  it("empty and 0-d operands", () => {
    const e = a([], "float32");
    expect(np.add(e, 1).shape).toEqual([0]);
    expect(np.floorDivide(e, a([[1], [2]], "float32")).shape).toEqual([2, 0]);
    expect(np.power(a([], "int32"), a([], "int32")).shape).toEqual([0]);
    expectArray(np.remainder(np.asarray(-7), np.asarray(3)), 2);
    expect(np.remainder(np.asarray(-7), np.asarray(3)).shape).toEqual([]);
  });

  it("composite ufuncs free their intermediates in eager mode", () => {
    const x = a([7, -7, 0, 5], "int32");
    const y = a([2, 2, 0, -3], "int32");
    np.floorDivide(x, y).dispose();
    const before = memoryStats();
    for (let i = 0; i < 20; i++) np.floorDivide(x, y).dispose();
    const after = memoryStats();
    expect(after.liveArrays).toBe(before.liveArrays);
    expect(after.bytesInUse).toBe(before.bytesInUse);
  });
});
