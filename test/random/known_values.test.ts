// Sampler values against JAX's: the values quoted in the issue (default, partitionable mode)
// and JAX's own table tests/random_test.py::_RANDOM_VALUES_CASES (legacy mode,
// jax_threefry_partitionable=False; seed = adler32(name + "threefry2x32"); values printed to
// about 6 significant digits, so they are compared with JAX's own tolerance, rtol 1e-6 of
// assertAllClose for float32 plus 1e-6 absolute for the rounding of the printed digits).
import { afterEach, describe, expect, it } from "vitest";
import { type Array, config, numpy as np, random } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const ch of new TextEncoder().encode(s)) {
    a = (a + ch) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}
const caseKey = (name: string): Array => random.PRNGKey(adler32(name + "threefry2x32"));
const close = { rtol: 1e-6, atol: 1e-6 };

describe.each(backends)("random known values on %s", (backend) => {
  useBackend(backend);
  afterEach(() => config.update("jax_threefry_partitionable", true));

  describe("default (partitionable) mode, from the issue", () => {
    it("uniform", () => {
      expect(random.uniform(random.key(0)).item()).toBeCloseTo(0.947667, 6);
      expectArray(random.uniform(random.key(0), [3]), [0.947667, 0.9785799, 0.33229148], { rtol: 1e-7, dtype: "float32" });
      const [, sub] = random.split(random.key(0));
      expect(random.uniform(sub).item()).toBeCloseTo(0.00729382, 8);
    });
    it("bits", () => {
      expect(random.bits(random.key(0)).item()).toBe(4070199207);
    });
  });

  describe("legacy mode", () => {
    const legacy = (): void => config.update("jax_threefry_partitionable", false);
    it("randint(PRNGKey(0), [3, 3], 0, 8) (JAX's testPRNGValues)", () => {
      legacy();
      expectArray(random.randint(random.PRNGKey(0), [3, 3], 0, 8), [[2, 1, 3], [6, 1, 5], [6, 3, 4]], { dtype: "int32" });
    });

    const f32 = (name: string, expected: number[] | number[][], run: (k: Array) => Array, tol = close) =>
      it(name, () => {
        legacy();
        expectArray(run(caseKey(name)), expected, { ...tol, dtype: "float32" });
      });
    f32("uniform", [0.298671, 0.073213, 0.873356, 0.260549, 0.412797], (k) => random.uniform(k, [5]));
    f32("normal", [-1.173234, -1.511662, 0.070593, -0.099764, 1.052845], (k) => random.normal(k, [5]));
    f32("exponential", [0.526067, 0.043046, 0.039932, 0.46427, 0.123886], (k) => random.exponential(k, [5]));
    f32("gumbel", [2.06701, 0.911726, 0.145736, 0.185427, -0.00711], (k) => random.gumbel(k, [5]));
    f32("laplace", [0.578939, -0.204902, 0.555733, 0.911053, -0.96456], (k) => random.laplace(k, [5]));
    f32("logistic", [0.19611, -1.709053, -0.274093, -0.208322, -1.675489], (k) => random.logistic(k, [5]));
    // JAX's table itself uses rtol 1e-5 for cauchy: tan near pi/2 magnifies ulps of its argument.
    f32("cauchy", [-0.088416, -10.169713, 3.49677, -1.18056, 0.34556], (k) => random.cauchy(k, [5]), { rtol: 1e-5, atol: 1e-6 });
    f32("truncated_normal", [0.582807, 1.709771, 0.159513, 0.861376, 0.36148], (k) => random.truncatedNormal(k, 0, 2, [5]));
    f32("gamma", [0.824221, 1.724476, 0.502882, 5.386132, 0.685543], (k) => random.gamma(k, 0.8, [5]));
    f32("loggamma", [0.240559, -3.575443, -0.450946, -2.161372, -2.943277], (k) => random.loggamma(k, 0.8, [5]));
    f32("beta", [0.13259, 0.824893, 0.948363, 0.964155, 0.235448], (k) => random.beta(k, 0.8, 0.9, [5]));
    f32("dirichlet", [[0.003128, 0.009694, 0.987178], [0.025938, 0.479091, 0.494971]], (k) =>
      random.dirichlet(k, np.array([0.5, 0.6, 0.7], "float32"), [2]));
    f32("multivariate_normal", [[1.067826, 1.215599, 0.234166], [-0.237534, 1.32591, 1.413987]], (k) =>
      random.multivariateNormal(k, np.ones([1, 3], "float32"), np.eye(3, "float32"), { shape: [2] }));

    it("bernoulli", () => {
      legacy();
      expectArray(random.bernoulli(caseKey("bernoulli"), 0.5, [5]), [false, true, true, true, false], { dtype: "bool" });
    });
    it("bits (uint8, uint16, uint32)", () => {
      legacy();
      const k = caseKey("bits");
      expectArray(random.bits(k, [5], "uint8"), [10, 158, 82, 54, 158], { dtype: "uint8" });
      expectArray(random.bits(k, [5], "uint16"), [6738, 38161, 50695, 57337, 61600], { dtype: "uint16" });
      expectArray(random.bits(k, [5], "uint32"), [1978747883, 4134381225, 3628107870, 689687174, 2788938207], { dtype: "uint32" });
    });
    it("poisson", () => {
      legacy();
      expectArray(random.poisson(caseKey("poisson"), 5, [5]), [7, 3, 6, 11, 6], { dtype: "int32" });
    });
    it("rademacher", () => {
      legacy();
      expectArray(random.rademacher(caseKey("rademacher"), [5]), [-1, -1, -1, -1, 1], { dtype: "int32" });
    });
    it("randint", () => {
      legacy();
      expectArray(random.randint(caseKey("randint"), [5], 0, 10), [0, 5, 7, 7, 5], { dtype: "int32" });
    });
  });
});
