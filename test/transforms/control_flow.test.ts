// lax control flow: values from JAX's documentation and tests, derivatives against central
// differences (test/transforms/check.ts), vmap against loops, jit against eager.
import { describe, expect, it } from "vitest";
import { Array, grad, hessian, jacfwd, jacrev, jit, lax, makeJaxpr, memoryStats, numpy as np, tidy, disableJit } from "../../ts/index.js";
import { evalLinear, linearizeFlat } from "../../ts/transforms/linearize.js";
import { partialEvalJaxpr } from "../../ts/lax/control_flow/partial_eval.js";
import { structuralKey } from "../../ts/lax/control_flow/compiled_body.js";
import { checkGrads, checkJvp, checkVmap, randArray, withX64 } from "./check.js";

const sin = (x: any) => np.sin(x);
const cos = (x: any) => np.cos(x);

describe("values", () => {
  it("foriLoop(0, 4, (i, t) => t + i, 0) = 6 (int32)", () => {
    const r = lax.foriLoop(0, 4, (i: Array, t: Array) => np.add(t, i), 0);
    expect(r.item()).toBe(6);
    expect(r.dtype).toBe("int32");
  });
  it("switch clamps its index to the branches", () => {
    const br = [(x: any) => np.add(x, 1), (x: any) => np.multiply(x, 2), (x: any) => np.subtract(x, 3)];
    expect(lax.switch(-1, br, 10).item()).toBe(11);
    expect(lax.switch(0, br, 10).item()).toBe(11);
    expect(lax.switch(1, br, 10).item()).toBe(20);
    expect(lax.switch(2, br, 10).item()).toBe(7);
    expect(lax.switch(3, br, 10).item()).toBe(7);
    expect(lax.switch(np.array(100), br, 10).item()).toBe(7);
  });
  it("cond picks by the predicate; operands are pytrees", () => {
    const t = (o: any) => ({ s: np.add(o.a, o.b), d: np.subtract(o.a, o.b) });
    const f = (o: any) => ({ s: np.multiply(o.a, o.b), d: o.a });
    const ops = { a: np.array([1, 2], "float32"), b: np.array([3, 5], "float32") };
    const r1 = lax.cond(true, t, f, ops);
    expect(r1.s.tolist()).toEqual([4, 7]);
    expect(r1.d.tolist()).toEqual([-2, -3]);
    const r0 = lax.cond(np.array(false), t, f, ops);
    expect(r0.s.tolist()).toEqual([3, 10]);
    expect(lax.cond(np.array(3), () => 1, () => 0).item()).toBe(1);
  });
  it("scan((c, x) => [c + x, c + x], 0, arange(5)) = [10, [0, 1, 3, 6, 10]]", () => {
    const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, x), np.add(c, x)], 0, np.arange(5));
    expect(c.item()).toBe(10);
    expect(ys.tolist()).toEqual([0, 1, 3, 6, 10]);
  });
  it("reverse scan runs from the last x; ys stay in xs order", () => {
    const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, x), np.add(c, x)], 0, np.arange(5), { reverse: true });
    expect(c.item()).toBe(10);
    expect(ys.tolist()).toEqual([10, 10, 9, 7, 4]);
  });
  it("scan with xs null and length; pytree carries and ys", () => {
    const [c, ys] = lax.scan(
      (c: any) => [{ a: np.add(c.a, 1), b: np.multiply(c.b, 2) }, [c.a, { twice: np.multiply(c.b, 2) }]],
      { a: 0, b: np.array([1, 3], "float32") },
      null,
      { length: 3 },
    );
    expect(c.a.item()).toBe(3);
    expect(c.b.tolist()).toEqual([8, 24]);
    expect(ys[0].tolist()).toEqual([0, 1, 2]);
    expect(ys[1].twice.tolist()).toEqual([[2, 6], [4, 12], [8, 24]]);
  });
  it("unroll gives the same values", () => {
    const f = (c: any, x: any) => [np.add(np.multiply(c, 0.5), x), np.sin(c)];
    const xs = np.linspace(0, 1, 7).astype("float32");
    const [c1, y1] = lax.scan(f, np.array(1, "float32"), xs);
    const [c1r, y1r] = lax.scan(f, np.array(1, "float32"), xs, { reverse: true });
    for (const unroll of [2, 3, 7, 100, true]) {
      const [c2, y2] = lax.scan(f, np.array(1, "float32"), xs, { unroll });
      expect(c2.tolist()).toEqual(c1.tolist());
      expect(y2.tolist()).toEqual(y1.tolist());
      const [c2r, y2r] = lax.scan(f, np.array(1, "float32"), xs, { unroll, reverse: true });
      expect(c2r.tolist()).toEqual(c1r.tolist());
      expect(y2r.tolist()).toEqual(y1r.tolist());
    }
  });
  it("lax.map stacks f over the leading axis", () => {
    const r = lax.map((x: any) => np.sum(x), np.arange(6).reshape([3, 2]));
    expect(r.tolist()).toEqual([1, 5, 9]);
    // batchSize: a scan over vmapped batches plus the remainder; the same values.
    const xs = np.arange(15).reshape([5, 3]);
    const f = (x: any) => ({ s: np.sum(x), d: np.multiply(x, 2) });
    const want = lax.map(f, xs);
    for (const batchSize of [1, 2, 5, 7]) {
      const got = lax.map(f, xs, { batchSize });
      expect(got.s.tolist()).toEqual(want.s.tolist());
      expect(got.d.tolist()).toEqual(want.d.tolist());
    }
    expect(lax.foriLoop(0, 7, (i: Array, t: Array) => np.add(t, np.multiply(i, i)), 0, { unroll: 3 }).item()).toBe(91);
  });
  it("whileLoop and foriLoop with traced bounds", () => {
    expect(lax.whileLoop((c: any) => np.less(c, 10), (c: any) => np.add(c, 3), 0).item()).toBe(12);
    const f = jit((n: Array) => lax.foriLoop(0, n, (i: Array, t: Array) => np.add(t, i), 0));
    expect(f(np.array(5)).item()).toBe(10);
    expect(f(np.array(0)).item()).toBe(0);
  });
  it("associativeScan matches cumsum / cumprod, reversed and along an axis", () => {
    const x = np.arange(1, 8).astype("float32");
    expect(lax.associativeScan((a: any, b: any) => np.add(a, b), x).tolist()).toEqual(np.cumsum(x).tolist());
    expect(lax.associativeScan((a: any, b: any) => np.multiply(a, b), x).tolist()).toEqual(np.cumprod(x).tolist());
    const rev = lax.associativeScan((a: any, b: any) => np.add(a, b), x, { reverse: true });
    expect(rev.tolist()).toEqual([28, 27, 25, 22, 18, 13, 7]);
    const m = np.arange(12).reshape([2, 6]);
    expect(lax.associativeScan((a: any, b: any) => np.add(a, b), m, { axis: 1 }).tolist()).toEqual(np.cumsum(m, { axis: 1 }).tolist());
    // A pytree: running max with its position (max is associative on pairs).
    const v = np.array([3, 1, 4, 1, 5, 9, 2, 6], "float32");
    const [mx] = lax.associativeScan((a: any, b: any) => [np.maximum(a[0], b[0]), np.add(a[1], b[1])], [v, np.onesLike(v)]);
    expect(mx.tolist()).toEqual([3, 3, 4, 4, 5, 9, 9, 9]);
  });
});

describe("disableJit: control flow runs as JS on concrete values (for debugging)", () => {
  it("bodies see concrete arrays; cond runs only the chosen branch", () => {
    disableJit(() => {
      const seen: number[] = [];
      const [c, ys] = lax.scan((c: any, x: any) => (seen.push(x.item()), [np.add(c, x), np.multiply(c, 2)]), np.array(0, "int32"), np.arange(4), { reverse: true });
      expect(seen).toEqual([3, 2, 1, 0]);
      expect(c.item()).toBe(6);
      // Reverse: x = 3, 2, 1, 0 with y = 2c before each step.
      expect(ys.tolist()).toEqual([12, 10, 6, 0]);
      const r = lax.cond(np.array(true), (x: any) => np.add(x, x.item()), () => { throw new Error("not this branch"); }, np.array(2.5, "float32"));
      expect(r.item()).toBe(5);
      expect(lax.whileLoop((v: any) => v.item() < 10, (v: any) => np.multiply(v, 3), np.array(1)).item()).toBe(27);
      expect(lax.foriLoop(0, 4, (i: Array, t: Array) => np.add(t, i.item()), 0).item()).toBe(6);
    });
  });
});

describe("errors", () => {
  it("scan names both carry types when f changes the carry's type", () => {
    expect(() => lax.scan((c: any, x: any) => [np.add(c, x).astype("float32"), x], np.array(0, "int32"), np.arange(3))).toThrow(/i32\[\].*f32\[\]/);
  });
  it("cond and switch require branches of equal output types", () => {
    expect(() => lax.cond(true, () => np.zeros([2]), () => np.zeros([3]))).toThrow(/same types.*f32\[3\]\) \(falseFun\).*f32\[2\]\) \(trueFun\)/);
    expect(() => lax.switch(0, [() => np.zeros([2]), () => np.zeros([2], "int32")])).toThrow(/lax.switch/);
  });
  it("bad inputs name the function and what to do", () => {
    expect(() => lax.cond(np.array(1.5, "float32"), sin, cos, 1)).toThrow(/lax.cond: the predicate must be boolean or an integer, got float32/);
    expect(() => lax.cond(np.array([true, false]), sin, cos, 1)).toThrow(/lax.cond: the predicate must be a scalar.*np.where/);
    expect(() => lax.switch(np.array(1.5, "float32"), [sin, cos], 1)).toThrow(/lax.switch: the index must be an integer scalar/);
    expect(() => lax.scan((c: any, x: any) => [c, x], 0, np.array(3))).toThrow(/lax.scan: every leaf of xs needs a leading axis/);
    expect(() => lax.scan((c: any, x: any) => [c, x], 0, np.zeros([3]), { length: 4 })).toThrow(/leading axes and length disagree/);
    expect(() => lax.scan((c: any, x: any) => c, 0, np.zeros([3]))).toThrow(/f must return a pair \[carry, y\]/);
    expect(() => lax.scan((c: any, x: any) => [[c], x], 0, np.zeros([3]))).toThrow(/structure of init/);
    expect(() => lax.whileLoop((c: any) => c, (c: any) => c, np.array(1.5, "float32"))).toThrow(/condFun must return a bool scalar/);
    expect(() => lax.whileLoop((c: any) => np.less(c, 3), (c: any) => np.zeros([2]), np.array(0, "float32"))).toThrow(/bodyFun must return the type of its input/);
  });
  it("retraced bodies share compiled programs only when equal (literals and constants included)", () => {
    const run = (k: number, w: Array) => lax.scan((c: any, x: any) => [np.add(np.multiply(c, k), np.multiply(x, w)), c], np.array(1, "float32"), np.ones([3], "float32"))[0].item();
    const w1 = np.array(2, "float32");
    const w2 = np.array(3, "float32");
    // c -> k c + w, three times from 1.
    const want = (k: number, w: number) => [1, 2, 3].reduce((c) => k * c + w, 1);
    expect(run(2, w1)).toBe(want(2, 2));
    expect(run(2, w1)).toBe(want(2, 2));
    expect(run(-1, w1)).toBe(want(-1, 2));
    expect(run(2, w2)).toBe(want(2, 3));
    expect(run(-0, w1)).toBe(want(-0, 2));
    const key = (k: number) => structuralKey(makeJaxpr((c: Array) => np.multiply(c, k))(np.array(1, "float32")));
    expect(key(0)).not.toBe(key(-0));
    expect(key(2)).toBe(key(2));
  });
  it("the body is traced once per call, not per iteration", () => {
    let calls = 0;
    lax.scan((c: any, x: any) => (calls++, [np.add(c, x), c]), np.array(0, "float32"), np.zeros([50], "float32"));
    expect(calls).toBe(1);
    calls = 0;
    lax.whileLoop((c: any) => np.less(c, 50), (c: any) => (calls++, np.add(c, 1)), np.array(0, "int32"));
    expect(calls).toBe(1);
  });
  it("scan requires length or xs", () => {
    expect(() => lax.scan((c: any) => [c, c], 0, null)).toThrow(/length/);
  });
  it("reverse mode of whileLoop says to use scan or foriLoop with static bounds", () => {
    const f = (x: any) => lax.whileLoop((c: any) => np.less(c[0], 3), (c: any) => [np.add(c[0], 1), np.multiply(c[1], 2)], [0, x])[1];
    expect(() => grad(f)(1.5)).toThrow(/scan or lax.foriLoop with static bounds/);
  });
});

describe("derivatives (float64, against central differences)", () => {
  const xs = randArray([5], -1, 1, 7);
  it("scan", () => {
    const f = (c0: Array, w: Array, xs: Array) =>
      lax.scan((c: any, x: any) => [np.add(np.multiply(np.sin(c), w), x), np.multiply(c, x)], c0, xs);
    withX64(() => checkGrads(f, [np.array(0.3, "float64"), np.array(1.2, "float64"), xs.astype("float64")]));
  });
  it("reverse scan with a pytree carry", () => {
    const f = (a: Array, b: Array, xs: Array) =>
      lax.scan((c: any, x: any) => [{ p: np.multiply(c.p, np.cos(x)), q: np.add(c.q, np.multiply(c.p, x)) }, np.sin(c.q)], { p: a, q: b }, xs, { reverse: true });
    withX64(() => checkGrads(f, [np.array(0.7, "float64"), np.array(-0.2, "float64"), xs.astype("float64")]));
  });
  it("foriLoop with static bounds", () => {
    const f = (x: Array) => lax.foriLoop(0, 5, (i: Array, c: Array) => np.add(np.multiply(c, 0.9), np.sin(np.multiply(c, i))), x);
    withX64(() => checkGrads(f, [np.array(0.4, "float64")]));
  });
  it("cond (the predicate depends on the input) and switch", () => {
    const f = (x: Array) => lax.cond(np.greater(x, 0), (y: any) => np.sin(np.multiply(y, y)), (y: any) => np.multiply(y, 3), x);
    withX64(() => {
      checkGrads(f, [np.array(0.8, "float64")]);
      checkGrads(f, [np.array(-0.8, "float64")]);
    });
    const g = (k: Array, x: Array, y: Array) => lax.switch(k, [(a: any) => np.multiply(a, y), (a: any) => np.exp(a), (a: any) => np.sin(np.add(a, y))], x);
    withX64(() => {
      for (const k of [0, 1, 2]) checkGrads(g, [np.array(k), np.array(0.3, "float64"), np.array(1.1, "float64")]);
    });
  });
  it("grad of scan equals the closed form; grad(grad) too", () => {
    // scan c -> c * x three times from 1 is x^3.
    const cube = (x: any) => lax.scan((c: any) => [np.multiply(c, x), null], np.onesLike(x), null, { length: 3 })[0];
    expect(grad(cube)(2).item()).toBeCloseTo(12, 5);
    expect(grad(grad(cube))(2).item()).toBeCloseTo(12, 5);
    expect(grad(grad(grad(cube)))(2).item()).toBeCloseTo(6, 5);
  });
  it("grad(grad) through scan against differences of grad", () => {
    const f = (x: any) => np.sum(lax.scan((c: any, xi: any) => [np.sin(np.add(np.multiply(c, x), xi)), c], x, xs.astype("float64"))[1]);
    withX64(() => {
      const g = grad(f);
      const x = np.array(0.35, "float64");
      const eps = 1e-6;
      const fd = (g(np.array(0.35 + eps, "float64")).item() - g(np.array(0.35 - eps, "float64")).item()) / (2 * eps);
      // Differences of float64 gradients: error ~ eps^2 + 1e-16 / eps.
      expect(Math.abs(grad(g)(x).item() - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    });
  });
});

describe("nesting and other transformations", () => {
  const xs = randArray([4], -1, 1, 11);
  it("cond inside scan, scan inside cond, under grad", () => {
    const f = (x: Array, xs: Array) =>
      lax.scan((c: any, xi: any) => [lax.cond(np.greater(xi, 0), (a: any) => np.sin(np.multiply(a, xi)), (a: any) => np.multiply(a, np.cos(xi)), c), c], x, xs);
    withX64(() => checkGrads(f, [np.array(0.9, "float64"), xs.astype("float64")]));
    const g = (p: Array, x: Array) =>
      lax.cond(np.greater(p, 0), (a: any) => lax.scan((c: any, xi: any) => [np.multiply(np.sin(c), xi), c], a, xs.astype("float64"))[0], (a: any) => np.exp(a), x);
    withX64(() => {
      checkGrads(g, [np.array(1), np.array(0.4, "float64")]);
      checkGrads(g, [np.array(0), np.array(0.4, "float64")]);
    });
  });
  it("scan inside scan (grad), and a scan over a matrix carry", () => {
    const f = (w: Array, xs: Array) =>
      lax.scan((c: any, xi: any) => [lax.scan((d: any, y: any) => [np.tanh(np.add(np.multiply(d, w), y)), null], c, np.stack([xi, np.multiply(xi, 2)]))[0], np.sum(c)], np.onesLike(w), xs);
    withX64(() => checkGrads(f, [randArray([2], -1, 1, 12), randArray([3, 2], -1, 1, 13)]));
  });
  it("nested scans whose inner loop has loop-invariant residuals", () => {
    const f = (x: Array, xs: Array) =>
      lax.scan((c: any, xi: any) => {
        const inner = lax.scan((d: any) => [np.add(np.multiply(d, np.tanh(c)), xi), d], c, null, { length: 3 });
        return [np.sin(inner[0]), np.sum(inner[1])];
      }, x, xs);
    withX64(() => checkGrads(f, [randArray([2], -1, 1, 31), randArray([4, 2], -1, 1, 32)]));
  });
  it("jvp (forward mode) of whileLoop against differences", () => {
    const f = (x: Array, y: Array) => lax.whileLoop((c: any) => np.less(c[0], 4), (c: any) => [np.add(c[0], 1), np.add(np.sin(c[1]), y)], [0, x])[1];
    withX64(() => checkJvp(f, [np.array(0.3, "float64"), np.array(0.2, "float64")]));
    // jvp of foriLoop with traced bounds goes through the while loop too.
    const g = (n: Array, x: Array) => lax.foriLoop(0, n, (_i: Array, c: Array) => np.multiply(c, c), x);
    withX64(() => checkJvp(g, [np.array(3), np.array(1.1, "float64")]));
  });
  it("hessian of a scan equals the closed form", () => {
    // f(x) = sum over 4 steps of c -> c * x starting at x: the carry ends at x^5.
    const f = (x: any) => lax.scan((c: any) => [np.multiply(c, x), null], x, null, { length: 4 })[0];
    expect(hessian(f)(np.array(1.5, "float32")).item()).toBeCloseTo(20 * 1.5 ** 3, 3);
  });
  it("vmap of grad through cond with a batched predicate", () => {
    const f = (x: Array) => lax.cond(np.greater(x, 0), (a: any) => np.multiply(a, a), (a: any) => np.sin(a), x);
    const xs = np.array([-1, 0.5, 2, -0.25], "float32");
    checkVmap(grad(f), [xs], [0], { rtol: 1e-6 });
  });
  it("jacrev (vmap of the transposed scan) equals jacfwd (vmap of the jvp scan)", () => {
    const f = (v: any) => lax.scan((c: any, xi: any) => [np.multiply(np.sin(c), xi), np.multiply(c, xi)], np.sum(v), v)[1];
    withX64(() => {
      const x = randArray([4], -1, 1, 21);
      const a = jacrev(f)(x).dataSync();
      const b = jacfwd(f)(x).dataSync();
      // float64: the two modes differ by rounding only.
      a.forEach((v: number, i: number) => expect(Math.abs(v - b[i])).toBeLessThan(1e-12));
    });
  });
  it("associativeScan differentiates through its slices, pads and concatenations", () => {
    const f = (v: Array) => lax.associativeScan((a: any, b: any) => np.multiply(a, b), v);
    withX64(() => checkGrads(f, [randArray([6], 0.5, 1.5, 22)]));
  });
  it("memory per iteration is freed: live arrays do not grow with the length", () => {
    const body = (c: any, x: any) => [np.add(np.multiply(c, 0.5), np.sin(x)), np.cos(c)];
    const delta = (n: number) => {
      const xs = np.zeros([n, 3], "float32");
      const init = np.ones([3], "float32");
      const before = memoryStats().liveArrays;
      const [c, ys] = lax.scan(body, init, xs);
      const after = memoryStats().liveArrays;
      for (const a of [c, ys, xs, init]) a.dispose();
      return after - before;
    };
    delta(5);
    expect(delta(200)).toBe(delta(20));
  });
});

describe("vmap (against a loop of the function)", () => {
  it("cond with a batched predicate, and with batched operands only", () => {
    const f = (p: Array, x: Array) => lax.cond(np.greater(p, 0), (y: any) => np.sin(y), (y: any) => np.multiply(y, 2), x);
    const ps = np.array([1, -1, 2, -3], "float32").astype("int32");
    const x = np.array([0.5, 0.25, -1, 2], "float32");
    checkVmap(f, [ps, x], [0, 0]);
    checkVmap(f, [np.array(1), x], [null, 0]);
    checkVmap(f, [np.array(-1), x], [null, 0]);
    checkVmap(f, [ps, np.array(0.5, "float32")], [0, null]);
    const g = (k: Array, x: Array) => lax.switch(k, [(y: any) => np.sin(y), (y: any) => np.cos(y), (y: any) => np.negative(y)], x);
    checkVmap(g, [np.array([0, 2, 1, 5, -1]), np.array([1, 2, 3, 4, 5], "float32")], [0, 0]);
  });
  it("scan with batched xs, batched init, or a batched constant", () => {
    const f = (c0: Array, w: Array, xs: Array) => lax.scan((c: any, x: any) => [np.add(np.multiply(c, w), x), np.sin(c)], c0, xs);
    const xs = randArray([3, 4], -1, 1, 3, "float32");
    const c0 = randArray([3], -1, 1, 4, "float32");
    const w = randArray([3], 0, 1, 5, "float32");
    checkVmap(f, [c0, w, xs], [0, 0, 0]);
    checkVmap(f, [np.array(0.5, "float32"), w, randArray([4], -1, 1, 3, "float32")], [null, 0, null]);
    checkVmap(f, [c0, np.array(0.9, "float32"), randArray([4], -1, 1, 3, "float32")], [0, null, null]);
    // xs batched along axis 1 (its scan axis stays 0).
    checkVmap(f, [np.array(0.5, "float32"), np.array(0.9, "float32"), randArray([4, 3], -1, 1, 6, "float32")], [null, null, 1]);
  });
  it("whileLoop with a batched predicate", () => {
    const f = (limit: Array, x: Array) => lax.whileLoop((c: any) => np.less(c[0], limit), (c: any) => [np.add(c[0], 1), np.multiply(c[1], 1.5)], [0, x])[1];
    checkVmap(f, [np.array([0, 3, 1, 5]), np.array([1, 2, 3, 4], "float32")], [0, 0]);
    checkVmap(f, [np.array([0, 3, 1, 5]), np.array(2, "float32")], [0, null]);
    checkVmap(f, [np.array(3), np.array([1, 2, 3, 4], "float32")], [null, 0]);
    // A batched constant in the body and a batched predicate together.
    const g = (limit: Array, w: Array) => lax.whileLoop((c: any) => np.less(c[0], limit), (c: any) => [np.add(c[0], 1), np.multiply(c[1], w)], [0, np.array(1, "float32")])[1];
    checkVmap(g, [np.array([1, 2, 3]), np.array([0.5, 1.5, 2], "float32")], [0, 0]);
  });
  it("grad inside vmap of switch with a batched index", () => {
    const g = (k: Array, x: Array) => grad((y: any) => lax.switch(k, [(a: any) => np.sin(a), (a: any) => np.multiply(a, a), (a: any) => np.exp(a)], y))(x);
    checkVmap(g, [np.array([0, 1, 2, 9, -3]), np.array([0.5, 1, 1.5, 2, 2.5], "float32")], [0, 0], { rtol: 1e-6 });
  });
  it("grad inside vmap of scan", () => {
    const f = (x: Array) => lax.scan((c: any) => [np.sin(np.multiply(c, x)), null], x, null, { length: 3 })[0];
    const xs = np.array([0.1, 0.5, 1.5], "float32");
    checkVmap(grad(f), [xs], [0], { rtol: 1e-6 });
  });
});

describe("jit", () => {
  it("cond, switch, scan, foriLoop, whileLoop and associativeScan compile to the eager values", () => {
    const fs: [(...a: any[]) => any, any[]][] = [
      [(p: Array, x: Array) => lax.cond(p, sin, cos, x), [np.array(true), np.array([0.5, 1], "float32")]],
      [(k: Array, x: Array) => lax.switch(k, [sin, cos, (y: any) => np.multiply(y, 3)], x), [np.array(7), np.array(0.5, "float32")]],
      [(c: Array, xs: Array) => lax.scan((a: any, x: any) => [np.add(np.multiply(a, 0.5), x), np.sin(a)], c, xs), [np.array(1, "float32"), np.arange(6).astype("float32")]],
      [(x: Array) => lax.foriLoop(1, 6, (i: Array, t: Array) => np.multiply(t, i), x), [np.array(1)]],
      [(x: Array) => lax.whileLoop((c: any) => np.less(c, 100), (c: any) => np.multiply(c, 3), x), [np.array(1)]],
      [(x: Array) => lax.associativeScan((a: any, b: any) => np.add(a, b), x), [np.arange(9).astype("float32")]],
    ];
    for (const [f, args] of fs) {
      const want = JSON.stringify(flat(f(...args)).map((a) => a.tolist()));
      expect(JSON.stringify(flat(jit(f)(...args)).map((a) => a.tolist()))).toBe(want);
    }
  });
  it("grad of a jitted scan and jit of a grad through scan and cond", () => {
    const f = (x: Array) => np.sum(lax.scan((c: any, xi: any) => [np.multiply(np.sin(c), xi), c], x, np.array([0.5, 1.5, -1], "float32"))[1]);
    const g = (x: Array) => lax.cond(np.greater(x, 0), (y: any) => np.multiply(y, y), (y: any) => np.sin(y), x);
    const x = np.array(0.7, "float32");
    expect(jit(grad(f))(x).item()).toBeCloseTo(grad(f)(x).item(), 6);
    expect(grad(jit(f))(x).item()).toBeCloseTo(grad(f)(x).item(), 6);
    expect(jit(grad(g))(x).item()).toBeCloseTo(1.4, 6);
  });
  it("a jitted scan traced inside tidy() still runs after the tidy (scalar constants are literals)", () => {
    const f = jit((c: Array, xs: Array) => lax.scan((a: any, x: any) => [np.add(np.multiply(a, 0.5), x), a], c, xs)[0]);
    const xs = np.arange(4).astype("float32");
    const first = tidy(() => f(np.array(1, "float32"), xs).item());
    expect(f(np.array(1, "float32"), xs).item()).toBe(first);
  });
  it("the jaxpr holds one scan equation with its body", () => {
    const j = makeJaxpr((c: Array, xs: Array) => lax.scan((a: any, x: any) => [np.add(a, x), a], c, xs))(np.array(0, "float32"), np.zeros([4]));
    expect(j.toString()).toMatch(/scan\[/);
    expect(j.jaxpr.eqns.length).toBe(1);
  });
});

describe("partial evaluation", () => {
  it("linearize runs the primal loop now and stages a tangent-only scan over stacked residuals", () => {
    const f = (xs: any[]) => [lax.scan((c: any, x: any) => [np.multiply(np.sin(c), x), c], xs[0], np.array([0.5, 1.5, -1], "float32"))[0]];
    const lin = linearizeFlat(f, [np.array(0.7, "float32")]);
    const eqns = lin.linear.jaxpr.eqns;
    expect(eqns.map((e) => e.prim.name)).toEqual(["scan"]);
    expect(eqns[0].params.numCarry).toBe(1);
    const body = eqns[0].params.jaxpr.jaxpr;
    // The primal sin and its derivative cos were computed by the known scan: the staged body is linear.
    expect(body.eqns.map((e: any) => e.prim.name)).toEqual(["mul", "mul"]);
    expect(lin.primalsOut[0].item()).toBeCloseTo(
      (() => { let c = 0.7; for (const x of [0.5, 1.5, -1]) c = Math.sin(c) * x; return c; })(), 5);
  });
  it("a loop-invariant residual is kept once, not stacked per iteration", () => {
    const w = np.array([0.5, -1, 2], "float32");
    // w is a primal input without a tangent: tanh(w) is computed inside the loop from it.
    const f = (xs: any[]) => [lax.scan((c: any) => [np.multiply(c, np.tanh(xs[1])), null], xs[0], null, { length: 50 })[0]];
    const x = np.array([1, 2, 3], "float32");
    const lin = linearizeFlat(f, [x, w], [true, false]);
    const [e] = lin.linear.jaxpr.eqns;
    expect(e.prim.name).toBe("scan");
    // Inputs: tanh(w) as a constant and the tangent carry; no stacked [50, 3] residual.
    expect(e.inputs.map((a) => a.aval.shape)).toEqual([[3], [3]]);
    expect(e.params.numConsts).toBe(1);
    // And the derivative is right: d/dx (x * tanh(w)^50) = tanh(w)^50.
    const t = np.power(np.tanh(w), 50);
    const [g] = evalLinear(lin.linear, [np.ones([3], "float32")]);
    g.dataSync().forEach((v: number, i: number) => expect(v).toBeCloseTo(t.dataSync()[i], 6));
  });
  it("partialEvalJaxpr splits by dataflow and names the residuals", () => {
    const cj = makeJaxpr((a: Array, b: Array) => { const s = np.sin(a); return [np.multiply(s, b), np.cos(a)]; })(np.array(1, "float32"), np.array(2, "float32"));
    const pe = partialEvalJaxpr(cj, [false, true]);
    expect(pe.outUnknown).toEqual([true, false]);
    expect(pe.known.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["sin", "cos"]);
    expect(pe.unknown.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["mul"]);
    expect(pe.resAvals.length).toBe(1);
  });
  it("jit and makeJaxpr stage loops as written (nothing runs at trace time)", () => {
    const j = makeJaxpr((x: Array) => lax.foriLoop(0, 3, (_i: Array, c: Array) => np.multiply(c, 2), x))(np.array(1, "float32"));
    expect(j.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["scan"]);
    expect(j.jaxpr.eqns[0].params.numCarry).toBe(2);
  });
});

function flat(x: any): Array[] {
  if (x instanceof Array) return [x];
  if (globalThis.Array.isArray(x)) return x.flatMap(flat);
  if (x && typeof x === "object") return Object.keys(x).sort().flatMap((k) => flat(x[k]));
  return [];
}
