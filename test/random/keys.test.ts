// ts/random/threefry.ts + keys.ts: Threefry-2x32 known answers (Salmon et al.'s test vectors,
// as in JAX's tests/random_test.py), key construction, split / foldIn / bits in both counter
// layouts against values published in the JAX issue and JAX's tests.
import { afterEach, describe, expect, it } from "vitest";
import { config, grad, jit, lax, makeJaxpr, numpy as np, random, vmap } from "../../ts/index.js";
import type { ArrayBase } from "../../ts/array/base.js";
import { bind } from "../../ts/core/trace.js";
import { threefry2x32_p, threefryBlock, threefryRounds, u32 } from "../../ts/random/threefry.js";
import { defaultBackend } from "../../ts/runtime/device.js";
import { backends, useBackend } from "../helpers.js";

const legacy = (): void => config.update("jax_threefry_partitionable", false);

describe.each(backends)("random keys on %s", (backend) => {
  useBackend(backend);
  afterEach(() => {
    config.update("jax_threefry_partitionable", true);
    config.update("jax_enable_x64", false);
  });

  it("threefry block known answers", () => {
    const cases: [number[], number[], number[]][] = [
      [[0, 0], [0, 0], [0x6b200159, 0x99ba4efe]],
      [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
      [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
    ];
    for (const [k, x, want] of cases) {
      const [y0, y1] = threefryBlock(u32(k[0]), u32(k[1]), np.array([x[0]], "uint32"), np.array([x[1]], "uint32"));
      expect([y0.tolist(), y1.tolist()]).toEqual([[want[0]], [want[1]]]);
    }
  });

  it("PRNGKey / key seeding (x32 canonicalization)", () => {
    expect(random.PRNGKey(0).tolist()).toEqual([0, 0]);
    expect(random.PRNGKey(-1).tolist()).toEqual([0, 4294967295]);
    expect(random.PRNGKey(2 ** 32 + 5).tolist()).toEqual([0, 5]);
    expect(random.key(42).tolist()).toEqual([0, 42]);
    expect(random.PRNGKey(0).dtype).toBe("uint32");
    // An int32 Array seed (traceable) gives the same key.
    expect(random.PRNGKey(np.asarray(-1, "int32")).tolist()).toEqual([0, 4294967295]);
  });

  it("x64 mode splits a 64-bit seed into high and low words", () => {
    config.update("jax_enable_x64", true);
    expect(random.PRNGKey(-1).tolist()).toEqual([4294967295, 4294967295]);
    expect(random.PRNGKey(2 ** 32 + 5).tolist()).toEqual([1, 5]);
  });

  it("keyData / wrapKeyData round trip, with validation", () => {
    const ks = random.split(random.key(0), 3);
    expect(random.keyData(ks).tolist()).toEqual(ks.tolist());
    expect(random.wrapKeyData(random.keyData(ks)).tolist()).toEqual(ks.tolist());
    expect(() => random.wrapKeyData(np.zeros([3], "uint32"))).toThrow(/last axis 2/);
    expect(() => random.split(np.zeros([2], "int32"))).toThrow(/uint32/);
    expect(() => random.split(ks)).toThrow(/single key/);
  });

  it("default mode: bits(key(0)) and foldIn(k, i) == split(k, n)[i]", () => {
    expect(random.bits(random.key(0)).item()).toBe(4070199207);
    const k = random.key(7);
    const ks = random.split(k, 5);
    for (let i = 0; i < 5; i++) expect(random.foldIn(k, i).tolist()).toEqual(ks.get(i).tolist());
    // split by shape = split by count, reshaped
    expect(random.split(k, [2, 3]).reshape([6, 2]).tolist()).toEqual(random.split(k, 6).tolist());
  });

  it("arrays iterate over their first axis: const [k, sub] = split(key)", () => {
    const [k, sub] = random.split(random.key(0));
    expect(k.shape).toEqual([2]);
    expect(sub.shape).toEqual([2]);
    expect(random.uniform(sub).item()).toBeCloseTo(0.00729382, 7);
  });

  it("legacy mode: JAX's testRngRandomBits and testPRNGValues", () => {
    legacy();
    expect(random.bits(random.PRNGKey(1701), [3]).tolist()).toEqual([56197195, 4200222568, 961309823]);
    expect(random.bits(random.PRNGKey(1701), [3], "uint16").tolist()).toEqual([41682, 1300, 55017]);
    expect(random.bits(random.PRNGKey(1701), [3], "uint8").tolist()).toEqual([216, 115, 43]);
    expect(random.split(random.PRNGKey(0), 4).tolist()).toEqual([
      [2285895361, 1501764800],
      [1518642379, 4090693311],
      [433833334, 4221794875],
      [839183663, 3740430601],
    ]);
    expect(random.foldIn(random.PRNGKey(0), 4).tolist()).toEqual([2285895361, 433833334]);
  });

  it("legacy mode: 8/16-bit bits are views of the 32-bit stream (JAX's testRngRandomBitsViewProperty)", () => {
    legacy();
    const k = random.PRNGKey(1701);
    const b32 = random.bits(k, [10], "uint32").dataSync() as Uint32Array;
    const b16 = random.bits(k, [20], "uint16").dataSync() as Uint16Array;
    const b8 = random.bits(k, [40], "uint8").dataSync() as Uint8Array;
    expect(Array.from(new Uint32Array(b16.buffer, b16.byteOffset, 10))).toEqual(Array.from(b32));
    expect(Array.from(new Uint32Array(b8.buffer, b8.byteOffset, 10))).toEqual(Array.from(b32));
  });

  it("the two modes give different streams", () => {
    const a = random.bits(random.key(3), [4]).tolist();
    legacy();
    expect(random.bits(random.key(3), [4]).tolist()).not.toEqual(a);
  });

  it("bad arguments name the function and the fix", () => {
    expect(() => random.PRNGKey(1.5)).toThrow(/PRNGKey: the seed must be an integer/);
    expect(() => random.PRNGKey(np.zeros([2], "int32"))).toThrow(/scalar seed/);
    expect(() => random.foldIn(random.key(0), np.zeros([2], "int32"))).toThrow(/foldIn: accepts scalar data/);
    expect(() => random.bits(random.key(0), [-1])).toThrow(/bits: shape/);
  });
});

describe("the threefry2x32 primitive", () => {
  const words = (n: number, seed: number) =>
    np.array(Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 2654435761 + seed) ^ (seed * 97)) >>> 0), "uint32");
  const same = (got: ArrayBase[], want: ArrayBase[]) => expect(got.map((g) => g.tolist())).toEqual(want.map((w) => w.tolist()));

  it("matches the rounds as lax ops, for per-element, broadcast and strided operands", () => {
    const n = 37;
    const [k0, k1, x0, x1] = [1, 2, 3, 4].map((s) => words(n, s));
    const bind4 = (a: ArrayBase[]) => bind(threefry2x32_p, a, {});
    same(bind4([k0, k1, x0, x1]), threefryRounds(k0, k1, x0, x1));
    // Broadcast keys (zero strides) and non-contiguous counters (a transpose, a strided slice).
    const kb = lax.broadcastInDim(u32(0xdeadbeef), [6, 5], []);
    const xt = lax.transpose(lax.reshape(words(30, 5), [5, 6]), [1, 0]);
    const xs = lax.reshape(lax.slice(words(60, 6), [0], [60], [2]), [6, 5]);
    same(bind4([kb, kb, xt, xs]), threefryRounds(kb, kb, xt, xs));
    const empty = lax.slice(k0, [0], [0]);
    expect(bind4([empty, empty, empty, empty]).map((a) => a.shape)).toEqual([[0], [0]]);
  });

  it("falls back to the lax rounds on a backend without the routine", () => {
    const backend = defaultBackend() as { threefry2x32?: unknown };
    const [k0, k1, x0, x1] = [1, 2, 3, 4].map((s) => words(9, s));
    const want = bind(threefry2x32_p, [k0, k1, x0, x1], {}).map((a) => a.tolist());
    backend.threefry2x32 = undefined; // an own property hides the prototype's method
    try {
      expect(bind(threefry2x32_p, [k0, k1, x0, x1], {}).map((a) => a.tolist())).toEqual(want);
    } finally {
      delete backend.threefry2x32;
    }
  });

  it("batches under vmap, runs under jit and has no derivative", () => {
    const x0 = words(8, 1), x1 = words(8, 2);
    const keys = lax.reshape(words(6, 3), [3, 2]);
    const f = (k: ArrayBase) => threefryBlock(lax.reshape(lax.slice(k, [0], [1]), []), lax.reshape(lax.slice(k, [1], [2]), []), x0, x1)[0];
    const rows = [0, 1, 2].map((i) => f(lax.reshape(lax.slice(keys, [i, 0], [i + 1, 2]), [2])).tolist());
    expect(vmap(f)(keys).tolist()).toEqual(rows);
    expect(jit(f)(lax.reshape(lax.slice(keys, [1, 0], [2, 2]), [2])).tolist()).toEqual(rows[1]);
    expect(makeJaxpr(f)(np.array([1, 2], "uint32")).toString()).toContain("threefry2x32");
    // Samplers built on it still differentiate with respect to their float parameters.
    const g = grad((s: ArrayBase) => np.sum(np.multiply(s, random.normal(random.key(0), [4]))))(np.array(2, "float32"));
    expect(g.tolist()).toEqual(np.sum(random.normal(random.key(0), [4])).tolist());
  });

  it("rejects operands of other dtypes or shapes", () => {
    const a = words(4, 1);
    expect(() => bind(threefry2x32_p, [a, a, a, np.zeros([4], "int32")], {})).toThrow(/threefry2x32: operands must be uint32/);
    expect(() => bind(threefry2x32_p, [a, a, a, words(5, 1)], {})).toThrow(/threefry2x32: operands must have one shape/);
  });
});
