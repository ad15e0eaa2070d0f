// Eager transformations free their own intermediates: a synchronous loop of grad / vmap /
// jvp / jacobian calls that disposes only what it keeps holds memory flat, with no tidy()
// (finalizers cannot run inside a synchronous loop). Arrays the result holds survive, and so
// do arrays the transformed function makes from concrete values (they are the user's).
import { describe, expect, it } from "vitest";
import { grad, hessian, jacfwd, jacrev, jit, jvp, memoryStats, numpy as np, tidy, valueAndGrad, vmap, type Array } from "../../ts/index.js";

const sinc = (x: Array) => np.divide(np.sin(x), x);
const live = () => memoryStats().liveArrays;

describe("eager transformations and memory", () => {
  it("a synchronous loop of 10,000 grad and vmap(grad) calls keeps the live arrays flat", () => {
    const xs = np.linspace(0.5, 10, 100);
    const g = grad(sinc);
    const vg = vmap(g);
    g(2.0).dispose();
    vg(xs).dispose();
    const before = live();
    const bytes = memoryStats().bytesInUse;
    for (let i = 0; i < 5000; i++) {
      g(1 + i / 5000).dispose();
      vg(xs).dispose();
    }
    expect(live()).toBe(before);
    expect(memoryStats().bytesInUse).toBe(bytes);
    xs.dispose();
  });

  it("jvp, valueAndGrad with aux, jacobians and hessian free everything but their results", () => {
    const x = np.array([0.5, 1, 2], "float32");
    const dx = np.onesLike(x);
    const f = (v: Array) => np.sum(np.multiply(np.sin(v), v));
    const before = live();
    const [p, t] = jvp(np.sin, [x], [dx]);
    const [[val, aux], gr] = valueAndGrad((v: Array) => [f(v), np.cos(v)], { hasAux: true })(x);
    const jf = jacfwd(np.sin)(x);
    const jr = jacrev(np.sin)(x);
    const h = hessian(f)(x);
    const results = [p, t, val, aux, gr, jf, jr, h] as Array[];
    expect(live()).toBe(before + results.length);
    // The results are intact.
    tidy(() => {
      expect(t.tolist()).toEqual(np.cos(x).tolist());
      expect(np.arrayEqual(jr, jf).item()).toBe(true);
    });
    for (const r of results) r.dispose();
    expect(live()).toBe(before);
  });

  it("a result that is an input, or a view of an intermediate, survives; nested in tidy it moves out", () => {
    const x = np.array([1, 2, 3], "float32");
    const ones = np.ones([2, 3]);
    const before = live();
    const [[v, same], gr] = valueAndGrad((a: Array) => [np.sum(a), a], { hasAux: true })(x);
    expect(same).toBe(x);
    const rows = vmap((r: Array) => np.reshape(np.sqrt(r), [1, 3]))(ones) as Array;
    expect(rows.tolist()).toEqual([[[1, 1, 1]], [[1, 1, 1]]]);
    const kept = tidy(() => grad(sinc)(2.0)) as Array;
    expect((kept as unknown as { disposed: boolean }).disposed).toBe(false);
    for (const r of [v, gr, rows, kept]) r.dispose();
    expect(live()).toBe(before);
    expect(x.disposed).toBe(false);
  });

  it("an array the transformed function makes from concrete values and stores aside survives", () => {
    let weights: Array | null = null;
    let scaled: Array | null = null;
    const loss = (v: Array) => {
      weights ??= np.array([1, 2, 3], "float32");
      scaled ??= np.multiply(np.add(weights, 1), 0.5) as Array; // numpy ufuncs on concrete values
      return np.sum(np.multiply(np.multiply(v, weights), scaled));
    };
    const x = np.array([1, 1, 1], "float32");
    expect(grad(loss)(x).tolist()).toEqual([1, 3, 6]);
    expect((weights as unknown as { disposed: boolean }).disposed).toBe(false);
    expect((scaled as unknown as { disposed: boolean }).disposed).toBe(false);
    expect(grad(loss)(x).tolist()).toEqual([1, 3, 6]);
  });

  it("JS numbers inside the transformed function do not pile up either", () => {
    const f = (v: Array) => np.sum(np.add(np.multiply(np.power(v, 2), 3), 1));
    const x = np.array([1, 2, 3], "float32");
    grad(f)(x).dispose();
    vmap(grad(f))(x).dispose();
    const before = live();
    for (let i = 0; i < 1000; i++) {
      grad(f)(x).dispose();
      vmap(grad(f))(x).dispose();
    }
    expect(live()).toBe(before);
  });

  it("under jit the transformation traces as before (constants it captures stay valid)", () => {
    const w = np.array([3], "float32");
    const f = jit((a: Array) => grad((b: Array) => np.sum(np.multiply(np.multiply(b, b), w)))(a));
    expect(f(np.array([2], "float32")).tolist()).toEqual([12]);
    expect(f(np.array([1], "float32")).tolist()).toEqual([6]);
  });
});
