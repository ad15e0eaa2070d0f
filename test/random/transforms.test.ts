// random under jit, vmap and grad: the traced samplers give the eager bits exactly, vmap over
// keys from split equals a loop over the keys, and reparameterized samples differentiate.
import { afterEach, describe, expect, it } from "vitest";
import { type Array, config, grad, jit, numpy as np, random, vmap } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

const bitsOf = (x: Array): number[] => globalThis.Array.from(new Uint32Array((x.dataSync() as Float32Array).slice().buffer));

describe.each(backends)("random transforms on %s", (backend) => {
  useBackend(backend);
  afterEach(() => config.update("jax_threefry_partitionable", true));

  for (const mode of [true, false]) {
    describe(`partitionable=${mode}`, () => {
      it("jit gives the eager bits (normal, uniform, split, randint)", () => {
        config.update("jax_threefry_partitionable", mode);
        const k = random.key(11);
        const f = jit((key: Array) => random.normal(key, [7]));
        expect(bitsOf(f(k) as Array)).toEqual(bitsOf(random.normal(k, [7])));
        const g = jit((key: Array) => random.uniform(key, [2, 3], { minval: -2, maxval: 5 }));
        expect(bitsOf(g(k) as Array)).toEqual(bitsOf(random.uniform(k, [2, 3], { minval: -2, maxval: 5 })));
        expect((jit((key: Array) => random.split(key, 3))(k) as Array).tolist()).toEqual(random.split(k, 3).tolist());
        expect((jit((key: Array) => random.randint(key, [9], -4, 13))(k) as Array).tolist()).toEqual(random.randint(k, [9], -4, 13).tolist());
        expect((jit((key: Array) => random.permutation(key, 20))(k) as Array).tolist()).toEqual(random.permutation(k, 20).tolist());
      });

      it("vmap over keys from split equals a loop over the keys", () => {
        config.update("jax_threefry_partitionable", mode);
        const keys = random.split(random.key(5), 4);
        const batched = vmap((k: Array) => random.normal(k, [3]))(keys) as Array;
        const loop = [...keys].map((k) => random.normal(k as Array, [3]).tolist());
        expect(batched.tolist()).toEqual(loop);
        const ints = vmap((k: Array) => random.randint(k, [5], 0, 100))(keys) as Array;
        expect(ints.tolist()).toEqual([...keys].map((k) => random.randint(k as Array, [5], 0, 100).tolist()));
        const folded = vmap((i: Array) => random.foldIn(random.key(5), i))(np.arange(4)) as Array;
        expect(folded.tolist()).toEqual([0, 1, 2, 3].map((i) => random.foldIn(random.key(5), i).tolist()));
      });
    });
  }

  it("the internally jitted hash equals op-by-op evaluation (jax_disable_jit)", () => {
    for (const mode of [true, false]) {
      config.update("jax_threefry_partitionable", mode);
      const k = random.key(21);
      const fast = [random.normal(k, [5]), random.split(k, 3), random.bits(k, [7], "uint8"), random.gamma(k, 0.7, [3])];
      config.update("jax_disable_jit", true);
      try {
        const slow = [random.normal(k, [5]), random.split(k, 3), random.bits(k, [7], "uint8"), random.gamma(k, 0.7, [3])];
        expect(bitsOf(fast[0])).toEqual(bitsOf(slow[0]));
        expect(fast[1].tolist()).toEqual(slow[1].tolist());
        expect(fast[2].tolist()).toEqual(slow[2].tolist());
        expect(bitsOf(fast[3])).toEqual(bitsOf(slow[3]));
      } finally {
        config.update("jax_disable_jit", false);
      }
    }
  });

  it("jit of gamma (vmapped while loops) equals eager", () => {
    const k = random.key(2);
    const f = jit((key: Array) => random.gamma(key, np.array([0.3, 1.0, 2.5, 9.0], "float32")));
    expect(bitsOf(f(k) as Array)).toEqual(bitsOf(random.gamma(k, np.array([0.3, 1.0, 2.5, 9.0], "float32"))));
  });

  it("grad through reparameterized samples", () => {
    const k = random.key(3);
    const z = random.normal(k, [6]);
    // d/dsigma sum(mu + sigma * z) = sum(z); d/dmu = 6.
    const f = (mu: Array, sigma: Array) => np.sum(np.add(mu, np.multiply(sigma, random.normal(k, [6]))));
    const [gmu, gs] = grad(f, { argnums: [0, 1] })(np.asarray(0.5, "float32"), np.asarray(2, "float32")) as Array[];
    expect(gmu.item()).toBeCloseTo(6, 5);
    expect(gs.item()).toBeCloseTo(np.sum(z).item() as number, 5);
    // uniform(minval, maxval) = max(lo, f * (hi - lo) + lo): d/dhi = f, d/dlo = 1 - f.
    const u01 = random.uniform(k, [4]);
    const h = (lo: Array, hi: Array) => np.sum(random.uniform(k, [4], { minval: lo, maxval: hi }));
    const [glo, ghi] = grad(h, { argnums: [0, 1] })(np.asarray(1, "float32"), np.asarray(3, "float32")) as Array[];
    expect(ghi.item()).toBeCloseTo(np.sum(u01).item() as number, 5);
    expect(glo.item()).toBeCloseTo(4 - (np.sum(u01).item() as number), 5);
  });
});
