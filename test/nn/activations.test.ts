// jax.nn activations (ts/nn/activations.ts): values against the defining formulas evaluated in
// float64 here (the functions run in float64 under x64, so only rounding separates them);
// float32 results within a few ulp; gradients against central differences (check.ts);
// JAX's derivative conventions at the kinks; dtypes; vmap and jit against eager.
import { describe, expect, it } from "vitest";
import { Array, grad, jit, nn, numpy as np, vmap } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";
import { checkGrads, checkVmap, randArray, withX64 } from "../transforms/check.js";

type F = (x: any) => any;
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const softplus64 = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const SELU_A = 1.6732632423543772848170429916717;
const SELU_S = 1.0507009873554804934193349852946;

// [name, edgejax function, float64 reference, sample range for derivatives (clear of kinks)]
const cases: [string, F, (x: number) => number, [number, number]][] = [
  ["relu", nn.relu, (x) => Math.max(x, 0), [0.1, 3]],
  ["relu (negative side)", nn.relu, (x) => Math.max(x, 0), [-3, -0.1]],
  ["relu6", nn.relu6, (x) => Math.min(Math.max(x, 0), 6), [0.1, 5.9]],
  ["sigmoid", nn.sigmoid, sig, [-4, 4]],
  ["softplus", nn.softplus, softplus64, [-4, 4]],
  ["softSign", nn.softSign, (x) => x / (Math.abs(x) + 1), [0.1, 3]],
  ["silu", nn.silu, (x) => x * sig(x), [-4, 4]],
  ["swish", nn.swish, (x) => x * sig(x), [-4, 4]],
  ["logSigmoid", nn.logSigmoid, (x) => -softplus64(-x), [-4, 4]],
  ["elu", nn.elu, (x) => (x > 0 ? x : Math.expm1(x)), [-3, -0.1]],
  ["elu (positive side)", nn.elu, (x) => (x > 0 ? x : Math.expm1(x)), [0.1, 3]],
  ["elu(alpha = 0.5)", (x) => nn.elu(x, 0.5), (x) => (x > 0 ? x : 0.5 * Math.expm1(x)), [-3, -0.1]],
  ["leakyRelu", nn.leakyRelu, (x) => (x >= 0 ? x : 0.01 * x), [-3, -0.1]],
  ["leakyRelu(0.2)", (x) => nn.leakyRelu(x, 0.2), (x) => (x >= 0 ? x : 0.2 * x), [-3, -0.1]],
  ["hardTanh", nn.hardTanh, (x) => Math.max(-1, Math.min(1, x)), [-0.9, 0.9]],
  ["celu", nn.celu, (x) => Math.max(x, 0) + Math.expm1(Math.min(x, 0)), [-3, -0.1]],
  ["celu(alpha = 2)", (x) => nn.celu(x, 2), (x) => Math.max(x, 0) + 2 * Math.expm1(Math.min(x, 0) / 2), [-3, -0.1]],
  ["selu", nn.selu, (x) => SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x)), [-3, -0.1]],
  ["gelu (tanh approximation)", nn.gelu, (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), [-3, 3]],
  ["mish", nn.mish, (x) => x * Math.tanh(softplus64(x)), [-3, 3]],
  ["squareplus", nn.squareplus, (x) => (x + Math.sqrt(x * x + 4)) / 2, [-3, 3]],
  ["sparsePlus", nn.sparsePlus, (x) => (x <= -1 ? 0 : x >= 1 ? x : (x + 1) ** 2 / 4), [-0.9, 0.9]],
  ["sparseSigmoid", nn.sparseSigmoid, (x) => 0.5 * Math.min(Math.max(x + 1, 0), 2), [-0.9, 0.9]],
  ["hardSigmoid", nn.hardSigmoid, (x) => Math.min(Math.max(x + 3, 0), 6) / 6, [-2.9, 2.9]],
  ["hardSilu", nn.hardSilu, (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6, [-2.9, 2.9]],
];

// Points spanning both sides of every kink, large magnitudes and exact kinks.
const points = [-30, -7, -6, -3.5, -3, -2, -1.5, -1, -0.75, -0.5, -0.1, 0, 0.1, 0.5, 1, 1.5, 2, 3, 5.5, 6, 7, 30];

// Φ(x), the standard normal CDF, at the points used for the exact gelu (x·Φ(x)): standard
// tabulated values to 16 digits.
const PHI: [number, number][] = [
  [-2, 0.022750131948179195], [-1, 0.15865525393145707], [-0.5, 0.3085375387259869],
  [0, 0.5], [0.5, 0.6914624612740131], [1, 0.8413447460685429], [2, 0.9772498680518208],
];

describe.each(backends)("nn activations on %s", (backend) => {
  useBackend(backend);

  it.each(cases.map((c) => [c[0], c] as const))("%s: float64 values equal the formula", (_, [, f, ref]) => {
    withX64(() => {
      const got = Float64Array.from(f(np.array(points, "float64")).dataSync() as ArrayLike<number>);
      // Only the last-bit rounding of exp/log/tanh differs between the two evaluations.
      points.forEach((x, i) => expect(got[i], `x = ${x}`).toBeCloseTo(ref(x), 13));
    });
  });

  it.each(cases.map((c) => [c[0], c] as const))("%s: float32 values within a few ulp of float64", (_, [, f, ref]) => {
    const y = f(np.array(points, "float32"));
    expect(y.dtype).toBe("float32");
    const got = y.dataSync() as Float32Array;
    // float32 rounding of each intermediate: a few ulp (2^-24 ≈ 6e-8 relative each), plus an
    // absolute 1e-6 for results that come out of a cancellation (e.g. 1 + tanh(-large)).
    points.forEach((x, i) => {
      const e = ref(x);
      expect(Math.abs(got[i] - e), `x = ${x}: got ${got[i]}, want ${e}`).toBeLessThanOrEqual(1e-6 + 1e-6 * Math.abs(e));
    });
  });

  it.each(cases.map((c) => [c[0], c] as const))("%s: derivatives against central differences", (_, [, f, , range]) => {
    withX64(() => checkGrads(f, [randArray([7], range[0], range[1], 11)]));
  });

  it("exact gelu is x·Φ(x) (approximate: false)", () => {
    withX64(() => {
      const xs = PHI.map((p) => p[0]);
      const got = nn.gelu(np.array(xs, "float64"), false).dataSync();
      PHI.forEach(([x, phi], i) => expect(got[i]).toBeCloseTo(x * phi, 14));
      checkGrads((x: Array) => nn.gelu(x, { approximate: false }), [randArray([6], -3, 3, 5)]);
    });
    expectArray(nn.gelu(np.array(PHI.map((p) => p[0]), "float32"), { approximate: false }), PHI.map(([x, p]) => x * p), { atol: 1e-6, rtol: 1e-6 });
    // The default is the tanh approximation, as in JAX; they differ by about 1e-4 at x = 2.
    const x = np.array([2], "float32");
    expect(nn.gelu(x).item()).toBeCloseTo(0.5 * 2 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (2 + 0.044715 * 8))), 6);
    expect(Math.abs((nn.gelu(x).item() as number) - (nn.gelu(x, false).item() as number))).toBeGreaterThan(5e-5);
  });

  it("JAX's values from its documentation: relu", () => {
    expectArray(nn.relu(np.array([-2, -1, -0.5, 0, 0.5, 1, 2], "float32")), [0, 0, 0, 0, 0.5, 1, 2], { dtype: "float32" });
  });

  it("relu and relu6 have derivative 0 at their kinks; leakyRelu 1 at 0; hardTanh 1 on [-1, 1]", () => {
    const d = (f: F, x: number) => grad(f)(x).item();
    expect(d(nn.relu, 0)).toBe(0);
    expect(d(nn.relu, 1e-3)).toBe(1);
    expect(d(nn.relu, -1e-3)).toBe(0);
    expect(d(nn.relu6, 0)).toBe(0);
    expect(d(nn.relu6, 6)).toBe(0);
    expect(d(nn.relu6, 5.9)).toBe(1);
    expect(d(nn.hardSigmoid, -3)).toBe(0);
    expect(d(nn.leakyRelu, 0)).toBe(1);
    expect(d(nn.leakyRelu, -1)).toBeCloseTo(0.01, 7);
    expect(d(nn.hardTanh, 1)).toBe(1);
    expect(d(nn.hardTanh, -1)).toBe(1);
    expect(d(nn.hardTanh, 1.5)).toBe(0);
    expect(d(nn.elu, 0)).toBe(1); // x <= 0 branch: alpha·e^0
    // vmap of the custom rule: per-element derivatives.
    expectArray(vmap(grad(nn.relu))(np.array([-1, 0, 2], "float32")), [0, 0, 1]);
    expectArray(vmap(grad(nn.relu6))(np.array([-1, 0, 3, 6, 7], "float32")), [0, 0, 1, 0, 0]);
  });

  it("no overflow in the tails (elu, softplus, logSigmoid, sigmoid)", () => {
    const x = np.array([-1000, 1000], "float32");
    expectArray(nn.elu(x), [-1, 1000]);
    expectArray(nn.softplus(x), [0, 1000]);
    expectArray(nn.logSigmoid(x), [-1000, 0]);
    expectArray(nn.sigmoid(x), [0, 1]);
    expectArray(grad((v: Array) => nn.elu(v).sum())(np.array([-1000, 1000], "float32")), [0, 1]);
    expectArray(grad((v: Array) => nn.softplus(v).sum())(np.array([-1000, 1000], "float32")), [0, 1]);
  });

  it("dtypes follow JAX: relu and hardTanh keep ints; elu, celu, relu6, gelu, softSign give floats", () => {
    const i = np.array([-2, 0, 3], "int32");
    expect(nn.relu(i).dtype).toBe("int32");
    expectArray(nn.relu(i), [0, 0, 3]);
    expect(nn.hardTanh(i).dtype).toBe("int32");
    expect(nn.leakyRelu(i).dtype).toBe("float32");
    expect(nn.elu(i).dtype).toBe("float32");
    expect(nn.celu(i).dtype).toBe("float32");
    expect(nn.relu6(i).dtype).toBe("float32");
    expect(nn.gelu(i).dtype).toBe("float32");
    expect(nn.softSign(i).dtype).toBe("float32");
    expect(nn.softplus(i).dtype).toBe("float32");
    expect(nn.relu(np.array([1], "float16")).dtype).toBe("float16");
    expect(nn.gelu(np.array([1], "float16")).dtype).toBe("float16");
    expect(nn.selu(np.array([1], "float16")).dtype).toBe("float16");
    // JS numbers are weak scalars, as Python scalars.
    const r = nn.relu(2.5);
    expect([r.dtype, r.weakType]).toEqual(["float32", true]);
  });

  it("glu splits the axis in two halves", () => {
    const x = np.array([[1, 2, 0.5, -1], [0, 3, 2, 0]], "float32");
    expectArray(nn.glu(x), [[sig(0.5), 2 * sig(-1)], [0, 3 * sig(0)]], { rtol: 1e-6 });
    expectArray(nn.glu(x, 0), [[1 * sig(0), 2 * sig(3), 0.5 * sig(2), -1 * sig(0)]], { rtol: 1e-6 });
    expect(() => nn.glu(np.ones([3]))).toThrow(/even/);
  });

  it("vmap equals a loop and jit equals eager", () => {
    const x = randArray([4, 5], -4, 4, 3, "float32");
    for (const [name, f] of cases.map((c) => [c[0], c[1]] as const)) {
      checkVmap(f, [x], [1]);
      const eager = f(x).dataSync();
      const jitted = jit(f)(x).dataSync();
      // The compiled kernels evaluate the same float32 operations in the same order.
      expect(Array.prototype.constructor === Array ? globalThis.Array.from(jitted) : [], name).toEqual(globalThis.Array.from(eager));
    }
  });
});
