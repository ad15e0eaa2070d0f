// random API surface: shapes and dtypes of every sampler, float16, option forms, and clear
// errors for bad arguments.
import { describe, expect, it } from "vitest";
import { type Array, numpy as np, random, vmap } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

describe.each(backends)("random API on %s", (backend) => {
  useBackend(backend);
  const k = random.key(0);

  it("result shapes and dtypes", () => {
    const cases: [string, () => { shape: number[]; dtype: string }, number[], string][] = [
      ["uniform", () => random.uniform(k, [2, 3]), [2, 3], "float32"],
      ["uniform positional dtype/bounds", () => random.uniform(k, [4], "float32", -1, 1), [4], "float32"],
      ["normal float16", () => random.normal(k, [3], "float16"), [3], "float16"],
      ["uniform float16", () => random.uniform(k, [3], { dtype: "float16" }), [3], "float16"],
      ["bernoulli scalar", () => random.bernoulli(k), [], "bool"],
      ["randint", () => random.randint(k, [5], 0, 3), [5], "int32"],
      ["randint uint8", () => random.randint(k, [5], 0, 300, "uint8"), [5], "uint8"],
      ["permutation int", () => random.permutation(k, 6), [6], "int32"],
      ["choice", () => random.choice(k, 5, [2, 2]), [2, 2], "int32"],
      ["categorical batch", () => random.categorical(k, np.zeros([3, 4], "float32")), [3], "int32"],
      ["truncatedNormal broadcast", () => random.truncatedNormal(k, np.zeros([2], "float32"), 1), [2], "float32"],
      ["gamma from a's shape", () => random.gamma(k, np.ones([3], "float32")), [3], "float32"],
      ["beta", () => random.beta(k, 1, 2, [2]), [2], "float32"],
      ["dirichlet", () => random.dirichlet(k, np.ones([4], "float32"), [2]), [2, 4], "float32"],
      ["poisson", () => random.poisson(k, 2, [3]), [3], "int32"],
      ["rademacher float32", () => random.rademacher(k, [3], "float32"), [3], "float32"],
      ["t", () => random.t(k, 3, [2]), [2], "float32"],
      ["chisquare", () => random.chisquare(k, 3, [2]), [2], "float32"],
      ["orthogonal", () => random.orthogonal(k, 3, [2]), [2, 3, 3], "float32"],
      ["ball", () => random.ball(k, 4, { shape: [2] }), [2, 4], "float32"],
      ["multivariateNormal", () => random.multivariateNormal(k, np.zeros([2], "float32"), np.eye(2, "float32")), [2], "float32"],
      ["bits uint8", () => random.bits(k, [3], "uint8"), [3], "uint8"],
      ["split by shape", () => random.split(k, [2, 3]), [2, 3, 2], "uint32"],
    ];
    for (const [name, run, shape, dtype] of cases) {
      const x = run();
      expect([name, x.shape, x.dtype]).toEqual([name, shape, dtype]);
    }
  });

  it("float16 uniform values lie in [0, 1) and normal is finite", () => {
    const u = random.uniform(k, [1000], "float16").dataSync() as ArrayLike<number>;
    expect(Math.min(...globalThis.Array.from(u))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...globalThis.Array.from(u))).toBeLessThan(1);
    expect(globalThis.Array.from(random.normal(k, [1000], "float16").dataSync() as ArrayLike<number>).every(Number.isFinite)).toBe(true);
  });

  it("errors name the function and the fix", () => {
    expect(() => random.uniform(k, [2], "int32")).toThrow(/random.uniform: dtype must be a float dtype/);
    expect(() => random.uniform(k, [2], { minval: np.zeros([3], "float32") })).toThrow(/random.uniform: the shape argument \[2\]/);
    expect(() => random.randint(k, [2], 0, 5, "float32")).toThrow(/random.randint: dtype must be an integer dtype/);
    expect(() => random.choice(k, 3, { shape: [5], replace: false })).toThrow(/random.choice: cannot take a larger sample/);
    expect(() => random.choice(k, 3, { shape: [2], p: np.ones([4], "float32") })).toThrow(/random.choice: p must be/);
    expect(() => random.gamma(k, 1, [2], { method: "approximate" as "exact" })).toThrow(/random.gamma: only method "exact"/);
    expect(() => random.normal(random.split(k, 2), [2])).toThrow(/random.normal: expected a single key/);
    expect(() => random.categorical(k, np.zeros([3, 4], "float32"), { shape: [2, 5] })).toThrow(/random.categorical: the shape argument/);
    expect(() => random.dirichlet(k, np.asarray(1, "float32"))).toThrow(/random.dirichlet: alpha must have at least one dimension/);
    expect(() => random.multivariateNormal(k, np.zeros([2], "float32"), np.eye(3, "float32"))).toThrow(/cov must have shape \[\.\.\., 2, 2\]/);
    // Loop-based samplers (a lax.whileLoop per element) under vmap equal a loop over the keys.
    const ks = random.split(k, 3);
    for (const draw of [(kk: Array) => random.gamma(kk, 1.5, [2]), (kk: Array) => random.poisson(kk, 3, [2])]) {
      expect(vmap(draw)(ks).tolist()).toEqual([0, 1, 2].map((i) => draw(ks.get(i)).tolist()));
    }
    expect(() => random.normal(k, [2], "float64")).not.toThrow(); // x32: float64 canonicalizes to float32, as in JAX
  });
});
