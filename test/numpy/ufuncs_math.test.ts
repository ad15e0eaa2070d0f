// Floating-point ufuncs (ts/numpy/ufuncs_math.ts) against NumPy fixtures
// (test/numpy/gen_ufuncs.py): transcendental functions within a few ulp of float64
// references, rounding/classification exactly; plus signed zeros, special values and dtypes.
import { beforeAll, describe, expect, it } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { label, loadCases, runCase } from "./ufuncs_fixture_util.js";

const cases = loadCases("ufuncs_math.json");
const a = (v: unknown, dtype?: string) => np.array(v as never, dtype);
const info = (x: Array) => [x.dtype, x.weakType];
const values = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);
const isNegZero = (v: number) => Object.is(v, -0);

describe.each(backends)("ufuncs (math) on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [label(c), c] as const))("%s", (_, c) => runCase(c));
  });

  it("promotes ints and bools to float32 and keeps weak types", () => {
    expect(info(np.exp(2))).toEqual(["float32", true]);
    expect(info(np.exp(a([1], "int8")))).toEqual(["float32", false]);
    expect(info(np.sin(a([true])))).toEqual(["float32", false]);
    expect(info(np.sqrt(a([4], "float16")))).toEqual(["float16", false]);
    expect(info(np.arctan2(a([1], "float16"), 1))).toEqual(["float16", false]);
    expect(info(np.floor(a([1], "int8")))).toEqual(["int8", false]);
    expect(info(np.floor(3))).toEqual(["int32", true]);
    expect(info(np.rint(a([1], "int8")))).toEqual(["float32", false]);
    expect(info(np.round(a([1], "uint16"), 2))).toEqual(["uint16", false]);
    expect(info(np.isnan(2.5))).toEqual(["bool", false]);
  });

  it("arctan2 and copysign honour signed zeros", () => {
    const y = a([0, -0, 0, -0, 1, -1], "float32");
    const x = a([0, 0, -0, -0, -Infinity, -Infinity], "float32");
    const r = values(np.arctan2(y, x));
    expect(r[0]).toBe(0);
    expect(isNegZero(r[1])).toBe(true);
    expect(r[2]).toBeCloseTo(Math.PI, 6);
    expect(r[3]).toBeCloseTo(-Math.PI, 6);
    expect(r[4]).toBeCloseTo(Math.PI, 6);
    expect(r[5]).toBeCloseTo(-Math.PI, 6);
    const c = values(np.copysign(a([1, 0, 2], "float32"), a([-0, -1, 0], "float32")));
    expect(c[0]).toBe(-1);
    expect(isNegZero(c[1])).toBe(true);
    expect(c[2]).toBe(2);
    expectArray(np.signbit(a([-0, 0, -NaN, -1], "float32")), [true, false, true, true]);
  });

  it("rounding keeps the sign of zero; round is half to even", () => {
    expect(isNegZero(values(np.round(a([-0.4], "float32")))[0])).toBe(true);
    expect(isNegZero(values(np.ceil(a([-0.5], "float32")))[0])).toBe(true);
    expect(isNegZero(values(np.trunc(a([-0.7], "float32")))[0])).toBe(true);
    expect(isNegZero(values(np.fix(a([-0.7], "float16")))[0])).toBe(true);
    expectArray(np.round(a([0.5, 1.5, 2.5, -0.5, -1.5, -2.5], "float32")), [0, 2, 2, -0, -2, -2]);
    expectArray(np.around(a([0.5, 1.5, 2.5], "float16")), [0, 2, 2], { dtype: "float16" });
    expectArray(np.rint(a([0.5, 1.5, 2.5], "float32")), [0, 2, 2]);
    // JAX's documented formula: round_even(x * 10^d) / 10^d in float32.
    expectArray(np.round(a([1.25, 1.35, -2.675], "float32"), { decimals: 1 }), [1.2, 1.4, -2.7], { rtol: 1e-7 });
    expectArray(np.round(a([1250, 1350], "float32"), -2), [1200, 1400]);
    expectArray(np.round(a([3.14159], "float32"), 40), [3.14159], { rtol: 1e-7 }); // beyond float32's range: unchanged
    expect(() => np.round(a([1], "int32"), -1)).toThrow(/round: integer rounding with decimals < 0/);
    expect(() => np.round(a([true]))).toThrow(/round: bool inputs are not supported/);
    expect(() => np.round(a([1.5]), 0.5)).toThrow(/round: decimals must be an integer/);
  });

  it("sinc, logaddexp and hypot special values", () => {
    expectArray(np.sinc(a([0, -0, Infinity, -Infinity, NaN], "float32")), [1, 1, 0, 0, NaN]);
    expectArray(np.sinc(0), 1);
    const ninf = -Infinity;
    expectArray(np.logaddexp(a([ninf, Infinity, Infinity, ninf, NaN, 0], "float32"), a([ninf, Infinity, ninf, 1, 0, ninf], "float32")),
      [ninf, Infinity, Infinity, 1, NaN, 0]);
    expectArray(np.logaddexp2(a([ninf, 1], "float32"), a([ninf, 1], "float32")), [ninf, 2]);
    expectArray(np.logaddexp(a([1000, -1000], "float32"), a([1000, -1000], "float32")), [1000 + Math.LN2, -1000 + Math.LN2], { rtol: 1e-7 });
    expectArray(np.hypot(a([3, Infinity, NaN, 0, 3.5e38], "float32"), a([4, NaN, -Infinity, 0, 3.5e38], "float32")), [5, Infinity, Infinity, 0, Infinity]);
    // (Float32Array inputs: np.array refuses integral JS numbers beyond int32 even with a float dtype.)
    expectArray(np.hypot(np.array(new Float32Array([3e30])), np.array(new Float32Array([4e30]))), [5e30], { rtol: 1e-6 });
  });

  it("nanToNum: defaults are 0 and the dtype's finite extremes", () => {
    expectArray(np.nanToNum(a([NaN, Infinity, -Infinity, 2], "float16")), [0, 65504, -65504, 2], { dtype: "float16" });
    expectArray(np.nanToNum(a([NaN, Infinity, -Infinity], "float32")), [0, 3.4028234663852886e38, -3.4028234663852886e38]);
    expectArray(np.nanToNum(a([NaN, Infinity, -Infinity], "float32"), { nan: 1, posinf: 2 }), [1, 2, -3.4028234663852886e38]);
    expectArray(np.nanToNum(a([NaN, Infinity, -Infinity], "float32"), true, 5, 6, 7), [5, 6, 7]);
    expectArray(np.nanToNum(a([1, 2], "int8")), [1, 2], { dtype: "int8" });
    expect(() => np.nanToNum(a([1]), { nans: 1 } as never)).toThrow(/nanToNum: unknown option "nans"/);
  });

  it("frexp and ldexp are inverses; subnormals and specials", () => {
    const x = a([8, -0.3, 1e-40, -3e-45, 6.5e37, 1], "float32");
    const [m, e] = np.frexp(x);
    expect(m.dtype).toBe("float32");
    expect(e.dtype).toBe("int32");
    expectArray(e, [4, -1, -132, -147, 126, 1]);
    expectArray(np.ldexp(m, e), values(x));
    const [m16, e16] = np.frexp(a([6, 2e-7, -Infinity], "float16"));
    expectArray(m16, [0.75, 0.75, -Infinity], { dtype: "float16" });
    expectArray(e16, [3, -22, 0]);
    expectArray(np.ldexp(a([1, 1], "float32"), a([3, -3], "int8")), [8, 0.125]);
    expectArray(np.ldexp(3, 2), 12);
    expect(np.ldexp(3, 2).dtype).toBe("float32");
    expect(() => np.ldexp(a([1], "float32"), a([1.5], "float32"))).toThrow(/ldexp: the exponent must be an integer/);
  });

  it("heaviside(x, h0)", () => {
    expectArray(np.heaviside(a([-1.5, 0, 2, NaN, -0], "float32"), 0.5), [0, 0.5, 1, NaN, 0.5]);
    expectArray(np.heaviside(a([-1, 0, 1], "int32"), a([0, 7, 0], "int32")), [0, 7, 1], { dtype: "float32" });
  });

  it("classification of integers and bools", () => {
    expectArray(np.isnan(a([1, 2], "int32")), [false, false]);
    expectArray(np.isinf(a([true])), [false]);
    expectArray(np.isfinite(a([255], "uint8")), [true]);
    expectArray(np.isposinf(a([Infinity, -Infinity, NaN], "float16")), [true, false, false]);
    expectArray(np.isneginf(a([Infinity, -Infinity, NaN], "float32")), [false, true, false]);
  });
});
