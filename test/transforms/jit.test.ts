// jit's API (ts/transforms/jit.ts): trace caching per signature, static arguments, pytrees,
// inlining under other transformations, disableJit, donation errors.
import { describe, expect, it } from "vitest";
import { disableJit, grad, jit, lax, numpy as np, tidy, vmap, type Array } from "../../ts/index.js";
import { expectArray } from "../helpers.js";

describe("jit", () => {
  it("traces once per signature", () => {
    let calls = 0;
    const f = jit((x: Array, y: Array) => {
      calls++;
      return np.sin(x).add(np.cos(y));
    });
    const a = np.ones([3]);
    expectArray(f(a, a), [Math.sin(1) + Math.cos(1), Math.sin(1) + Math.cos(1), Math.sin(1) + Math.cos(1)], { rtol: 1e-6 });
    f(a, np.zeros([3]));
    expect(f.traceCount).toBe(1);
    f(np.ones([4]), np.ones([4])); // new shape
    f(a.astype("float16"), a.astype("float16")); // new dtype
    expect(f.traceCount).toBe(3);
    expect(calls).toBe(3);
    expect(f.cacheSize()).toBe(3);
    // Weak and strong scalars are different signatures, as in JAX.
    f(1.5 as any, 1.5 as any);
    f(np.array(1.5, "float32"), np.array(1.5, "float32"));
    expect(f.traceCount).toBe(5);
  });
  it("static arguments are part of the key and must be hashable", () => {
    const f = jit((x: Array, n: number) => x.mul(n), { staticArgnums: [1] });
    expectArray(f(np.ones([2]), 3 as any), [3, 3]);
    expectArray(f(np.ones([2]), 4 as any), [4, 4]);
    f(np.ones([2]), 4 as any);
    expect(f.traceCount).toBe(2);
    expect(() => f(np.ones([2]), np.ones([2]) as any)).toThrow(/static argument #1 must be hashable/);
    const g = jit((x: Array, o: { scale: number }) => x.mul(o.scale), { staticArgnames: ["scale"] });
    expectArray(g(np.ones([2]), { scale: 5 }), [5, 5]);
  });
  it("pytrees in and out", () => {
    const f = jit((p: { w: Array; b: Array }, xs: Array[]) => ({ y: np.dot(xs[0], p.w).add(p.b), n: xs.length }));
    const out = f({ w: np.ones([2, 2]), b: np.array([1, 2], "float32") }, [np.array([1, 2], "float32")]);
    expectArray(out.y, [4, 5]);
    expectArray(out.n as any, 1); // JS numbers come back as arrays
  });
  it("returns fresh arrays even when an output is an input", () => {
    const f = jit((x: Array) => [x, x.mul(2)]);
    const x = np.ones([2]);
    const [y] = f(x);
    y.dispose();
    expectArray(x, [1, 1]);
  });
  it("inlines under grad and vmap, and nests", () => {
    const inner = jit((x: Array) => np.sin(x).mul(x));
    const outer = jit((x: Array) => inner(x).add(1));
    expectArray(outer(np.array(0.5, "float32")), Math.sin(0.5) * 0.5 + 1, { rtol: 1e-6 });
    expectArray(grad(inner)(0.5), Math.cos(0.5) * 0.5 + Math.sin(0.5), { rtol: 1e-6 });
    expectArray(vmap(inner)(np.array([0.5, 1], "float32")), [Math.sin(0.5) * 0.5, Math.sin(1)], { rtol: 1e-6 });
  });
  it("disableJit runs the function eagerly each time", () => {
    let calls = 0;
    const f = jit((x: Array) => {
      calls++;
      return x.add(1);
    });
    disableJit(() => {
      f(np.ones([1]));
      f(np.ones([1]));
    });
    expect(calls).toBe(2);
    expect(f.traceCount).toBe(0);
  });
  it("a donated argument cannot be used afterwards", () => {
    const step = jit((s: Array) => s.add(1), { donateArgnums: 0 });
    const s0 = np.zeros([4]);
    const s1 = step(s0);
    expectArray(s1, [1, 1, 1, 1]);
    expect(() => s0.dataSync()).toThrow(/disposed or donated/);
    expect(() => step(s0)).toThrow(/disposed or donated/);
  });
  it("owns the constants it captured, even when first traced inside tidy()", () => {
    const c = np.array([10, 20, 30], "float32");
    const f = jit((x: Array) => np.add(x, c).add(np.array([1, 1, 1], "float32")));
    const x = np.zeros([3]);
    expectArray(tidy(() => f(x)), [11, 21, 31]);
    c.dispose(); // the user drops the captured array; the cache keeps its own reference
    for (let i = 0; i < 50; i++) np.full([3], 7 + i, "float32"); // would reuse freed buffers
    expectArray(f(x), [11, 21, 31]);
  });
  it("stages iota instead of capturing an index array", () => {
    const f = jit((x: Array) => x.add(lax.iota("float32", 1000)));
    const low = f.lower(np.zeros([1000]));
    expect(low.jaxpr.jaxpr.constvars.length).toBe(0);
    expect(low.jaxpr.jaxpr.eqns.map((e) => e.prim.name)).toContain("iota");
    expectArray(f(np.ones([1000])).get("995:"), [996, 997, 998, 999, 1000]);
    expectArray(lax.iota("int32", 3), [0, 1, 2]); // eager: runs at once
  });
  it("lower() exposes the jaxpr and the kernels", () => {
    const f = jit((x: Array) => np.sqrt(x.mul(x).add(1)));
    const low = f.lower(np.ones([8]));
    expect(low.jaxpr.toString()).toContain("sqrt");
    expect(low.kernels.length).toBeGreaterThan(0);
  });
});
