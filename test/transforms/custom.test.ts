// Custom derivative rules (ts/transforms/custom.ts): the examples of JAX's "Custom
// derivative rules" tutorial with the values it prints, every composition with jit / vmap /
// grad, pytrees, errors, and lax.stopGradient.
import { describe, expect, it } from "vitest";
import { grad, hessian, jacfwd, jacrev, jit, jvp, lax, linearize, makeJaxpr, numpy as np, valueAndGrad, vjp, vmap, type Array } from "../../ts/index.js";
import { customJvp, customVjp, inlineCustomCalls } from "../../ts/transforms/custom.js";
import { checkpoint } from "../../ts/transforms/checkpoint.js";
import { evalClosed } from "../../ts/core/jaxpr.js";
import { expectArray } from "../helpers.js";

const f32 = (v: number | number[] | number[][]) => np.array(v as any, "float32");
// float32 results against float32 values printed by JAX, or float64 formulas: a few ulp.
const tol = { rtol: 2e-6, atol: 1e-7 };

/** The sigmoid in float64, the exact derivative of log(1 + exp(x)). */
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function makeLog1pexp() {
  const log1pexp = customJvp(function log1pexp(x: Array) {
    return np.log(np.exp(x).add(1));
  });
  log1pexp.defjvp(([x]: Array[], [t]: Array[]) => {
    const ans = log1pexp(x);
    return [ans, np.subtract(1, np.divide(1, np.exp(x).add(1))).mul(t)];
  });
  return log1pexp;
}

describe("customJvp: JAX's tutorial examples", () => {
  it("log1pexp: the stable rule gives grad(100) = 1 where autodiff of the formula gives NaN", () => {
    const plain = (x: Array) => np.log(np.exp(x).add(1));
    expect(Number.isNaN(grad(plain)(100.0).item())).toBe(true);
    const log1pexp = makeLog1pexp();
    expectArray(log1pexp(f32(3)), Math.log1p(Math.exp(3)), tol);
    expectArray(grad(log1pexp)(100.0), 1);
    expectArray(jit(grad(log1pexp))(f32(100)), 1);
    expectArray(grad(jit(log1pexp))(100.0), 1);
    const xs = [0, 2, -3, 100];
    expectArray(vmap(grad(log1pexp))(f32(xs)), xs.map(sigmoid), tol);
    expectArray(grad((x: Array) => vmap(log1pexp)(x).sum())(f32(xs)), xs.map(sigmoid), tol);
  });

  it("f(x) = x with a rule that doubles the tangent: every composition uses the rule", () => {
    const f = customJvp((x: Array) => x);
    f.defjvp(([x]: Array[], [t]: Array[]) => [x, t.mul(2)]);
    expectArray(f(f32(3)), 3);
    expectArray(grad(f)(3.0), 2);
    expectArray(jit(grad(f))(f32(3)), 2);
    expectArray(grad(jit(f))(3.0), 2);
    expectArray(jit(grad(jit(f)))(f32(3)), 2);
    const [p, t] = jvp(f, [f32([1, 2])], [f32([1, 10])]);
    expectArray(p, [1, 2]);
    expectArray(t, [2, 20]);
    expectArray(vmap(grad(f))(f32([1, 2, 3])), [2, 2, 2]);
    expectArray(grad((x: Array) => vmap(f)(x).sum())(f32([1, 2, 3])), [2, 2, 2]);
    // jvp outside vmap and inside it.
    expectArray(jvp(vmap(f), [f32([1, 2])], [f32([3, 4])])[1], [6, 8]);
    expectArray(vmap((x: Array, t: Array) => jvp(f, [x], [t])[1])(f32([1, 2]), f32([3, 4])), [6, 8]);
  });

  it("f(x, y) = sin(x) y by defjvp and by defjvps: f(2, 3) = 2.7278922, grad = -1.2484405", () => {
    const f = customJvp((x: Array, y: Array) => np.sin(x).mul(y));
    f.defjvp(([x, y]: Array[], [xd, yd]: Array[]) => [f(x, y), np.cos(x).mul(xd).mul(y).add(np.sin(x).mul(yd))]);
    expectArray(f(f32(2), f32(3)), 2.7278922, tol);
    expectArray(grad(f)(2.0, 3.0), -1.2484405, tol);
    const g = customJvp((x: Array, y: Array) => np.sin(x).mul(y));
    g.defjvps(
      (xd: Array, _out: Array, x: Array, y: Array) => np.cos(x).mul(xd).mul(y),
      (yd: Array, _out: Array, x: Array) => np.sin(x).mul(yd),
    );
    expectArray(grad(g)(2.0, 3.0), -1.2484405, tol);
    const [gx, gy] = grad(g, { argnums: [0, 1] })(2.0, 3.0);
    expectArray(gx, -1.2484405, tol);
    expectArray(gy, Math.sin(2), tol);
  });

  it("second derivatives differentiate the rule: rule 2 cos(x) t gives grad(grad) = -2 sin(x)", () => {
    const f = customJvp((x: Array) => np.sin(x));
    f.defjvp(([x]: Array[], [t]: Array[]) => [np.sin(x), np.cos(x).mul(2).mul(t)]);
    expectArray(grad(f)(0.5), 2 * Math.cos(0.5), tol);
    expectArray(grad(grad(f))(0.5), -2 * Math.sin(0.5), tol);
    expectArray(jit(grad(grad(f)))(f32(0.5)), -2 * Math.sin(0.5), tol);
  });

  it("nondiffArgnums: app(f, x) with a rule giving 2 t (JAX: app(x^3, 3) = 27, grad = 2)", () => {
    const app = customJvp((fn: (x: Array) => Array, x: Array) => fn(x), { nondiffArgnums: [0] });
    app.defjvp((fn: (x: Array) => Array, [x]: Array[], [t]: Array[]) => [fn(x), t.mul(2)]);
    const cube = (x: Array) => x.mul(x).mul(x);
    expectArray(app(cube, f32(3)), 27);
    expectArray(grad(app, { argnums: 1 })(cube, 3.0), 2);
    expectArray(vmap((x: Array) => grad((y: Array) => app(cube, y))(x))(f32([1, 2])), [2, 2]);
  });

  it("clip_gradient (custom_jvp version): the tangent is clipped, not the value", () => {
    const clipGradient = customJvp((lo: number, hi: number, x: Array) => x, { nondiffArgnums: [0, 1] });
    clipGradient.defjvp((lo: number, hi: number, [x]: Array[], [t]: Array[]) => [x, np.clip(t, lo, hi)]);
    const f = (x: Array) => clipGradient(-0.75, 0.75, x).mul(3);
    expectArray(f(f32(2)), 6);
    // d/dx of 3 * clip_gradient(x): the incoming tangent 1 is clipped to 0.75 then tripled.
    expectArray(jvp(f, [2.0], [1.0])[1], 2.25);
    expectArray(jvp(f, [2.0], [0.5])[1], 1.5);
  });

  it("jacfwd, jacrev, linearize and hessian use the rule", () => {
    const log1pexp = makeLog1pexp();
    const xs = [0, 2, 100];
    const diag = (v: number[]) => v.map((a, i) => v.map((_, j) => (i === j ? a : 0)));
    expectArray(jacfwd(log1pexp)(f32(xs)), diag(xs.map(sigmoid)), tol);
    expectArray(jacrev(log1pexp)(f32(xs)), diag(xs.map(sigmoid)), tol);
    const [, fJvp] = linearize(log1pexp, f32(xs));
    expectArray(fJvp(f32([1, 1, 1])), xs.map(sigmoid), tol);
    // The second derivative differentiates the rule's formula 1 - 1/(1 + e^x): s(1 - s).
    const h = hessian((x: Array) => log1pexp(x).sum())(f32([0, 2]));
    expectArray(h, diag([0, 2].map((x) => sigmoid(x) * (1 - sigmoid(x)))), { rtol: 1e-5, atol: 1e-7 });
  });

  it("pytree arguments and outputs", () => {
    const f = customJvp((p: { a: Array; b: Array }) => ({ s: p.a.add(p.b), d: [p.a.sub(p.b)] }));
    f.defjvp(([p]: any[], [t]: any[]) => [f(p), { s: t.a.add(t.b).mul(10), d: [t.a.sub(t.b)] }]);
    const g = grad((p: { a: Array; b: Array }) => {
      const o = f(p);
      return o.s.sum().add(o.d[0].sum());
    })({ a: f32([1, 2]), b: f32([3, 4]) });
    // d/da = 10 + 1, d/db = 10 - 1.
    expectArray(g.a, [11, 11]);
    expectArray(g.b, [9, 9]);
  });

  it("a null tangent output means zero", () => {
    const f = customJvp((x: Array) => np.sin(x));
    f.defjvp(([x]: Array[]) => [np.sin(x), null]);
    expectArray(grad(f)(1.0), 0);
  });

  it("is staged as one custom_jvp_call under makeJaxpr / jit, and batched as one under vmap", () => {
    const log1pexp = makeLog1pexp();
    const jx = makeJaxpr(log1pexp)(f32(1));
    expect(jx.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["custom_jvp_call"]);
    expect(jx.toString()).toContain("log1pexp_jvp");
    const vx = makeJaxpr(vmap(log1pexp))(f32([1, 2, 3]));
    const calls = vx.jaxpr.eqns.filter((e) => e.prim.name === "custom_jvp_call");
    expect(calls.length).toBe(1);
    expect(calls[0].outputs[0].aval.shape).toEqual([3]);
    expect(vx.jaxpr.eqns.some((e) => e.prim.name === "slice")).toBe(false);
    // An identity custom function under jit: its result aliases its input, which is read again.
    const ident = customJvp((x: Array) => x);
    ident.defjvp(([x]: Array[], [t]: Array[]) => [x, t]);
    const twice = jit((x: Array) => ident(x).add(1).add(ident(x)));
    expectArray(twice(f32([1, 2])), [3, 5]);
    expectArray(twice(f32([1, 2])), [3, 5]);
    // The jitted program evaluates f's jaxpr.
    expectArray(jit(log1pexp)(f32([0, 1])), [Math.log(2), Math.log1p(Math.E)], tol);
  });

  it("errors: no rule; differentiating through a closed-over value; bad rule outputs", () => {
    const f = customJvp((x: Array) => x);
    expect(() => f(f32(1))).toThrow(/No JVP defined for custom_jvp function/);
    // The rule only covers explicit arguments (JAX raises the same).
    expect(() =>
      grad((y: Array) => {
        const g = customJvp((x: Array) => x.mul(y));
        g.defjvp(([x]: Array[], [t]: Array[]) => [g(x), t]);
        return g(f32(2));
      })(1.0),
    ).toThrow(/closed-over value/);
    const h = customJvp((x: Array) => x);
    h.defjvp(([x]: Array[], [t]: Array[]) => [x, np.stack([t, t])]);
    expect(() => grad(h)(1.0)).toThrow(/shape \[2\].*shape \[\]/);
    const k = customJvp((x: Array) => x);
    k.defjvp(([x]: Array[]) => [[x], x]);
    expect(() => grad(k)(1.0)).toThrow(/structure/);
  });
});

describe("customVjp", () => {
  it("f(x, y) = sin(x) y with fwd/bwd from JAX's tutorial: grad = -1.2484405", () => {
    const f = customVjp((x: Array, y: Array) => np.sin(x).mul(y));
    f.defvjp(
      (x: Array, y: Array) => [f(x, y), [np.cos(x), np.sin(x), y]],
      ([cosx, sinx, y]: Array[], g: Array) => [cosx.mul(g).mul(y), sinx.mul(g)],
    );
    expectArray(f(f32(2), f32(3)), 2.7278922, tol);
    expectArray(grad(f)(2.0, 3.0), -1.2484405, tol);
    const [gx, gy] = grad(f, { argnums: [0, 1] })(2.0, 3.0);
    expectArray(gx, -1.2484405, tol);
    expectArray(gy, Math.sin(2), tol);
  });

  it("sin with bwd 2 cos: grad, jit, vmap and vjp all use bwd", () => {
    const f = customVjp((x: Array) => np.sin(x));
    f.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [c.mul(2).mul(g)]);
    const xs = [0, 0.5, 1, -2];
    const want = xs.map((x) => 2 * Math.cos(x));
    expectArray(f(f32(0.5)), Math.sin(0.5), tol);
    expectArray(grad(f)(0.5), want[1], tol);
    expectArray(jit(grad(f))(f32(0.5)), want[1], tol);
    expectArray(grad(jit(f))(0.5), want[1], tol);
    expectArray(vmap(grad(f))(f32(xs)), want, tol);
    expectArray(grad((x: Array) => vmap(f)(x).sum())(f32(xs)), want, tol);
    expectArray(jit(grad((x: Array) => vmap(f)(x).sum()))(f32(xs)), want, tol);
    expectArray(jacrev(f)(f32([0.5, 1])), [[want[1], 0], [0, want[2]]], tol);
    const [out, pull] = vjp(f, f32(xs));
    expectArray(out, xs.map(Math.sin), tol);
    expectArray(pull(f32([1, 1, 1, 1]))[0], want, tol);
    // Second derivative: the bwd rule's computation (2 cos(x) g) is differentiated.
    expectArray(grad(grad(f))(0.5), -2 * Math.sin(0.5), tol);
  });

  it("forward mode raises JAX's TypeError", () => {
    const f = customVjp((x: Array) => np.sin(x));
    f.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [c.mul(g)]);
    const msg = "can't apply forward-mode autodiff (jvp) to a custom_vjp function.";
    expect(() => jvp(f, [1.0], [1.0])).toThrow(msg);
    expect(() => jvp(jit(f), [1.0], [1.0])).toThrow(msg);
    // Under jit the tangent map is staged (jaxprs of jvps are legitimately traced, e.g. by
    // checkpoint and control flow) and the error comes when the program runs.
    expect(() => jit((x: Array) => jvp(f, [x], [x])[1])(f32(1))).toThrow(msg);
    // linearize's tangent map is forward mode too.
    const [, fJvp] = linearize(f, 1.0);
    expect(() => fJvp(1.0)).toThrow(msg);
    expect(() => jvp(vmap(f), [f32([1, 2])], [f32([1, 1])])).toThrow(msg);
    expect(() => vmap((x: Array) => jvp(f, [x], [x])[1])(f32([1, 2]))).toThrow(msg);
  });

  it("clip_gradient from JAX's tutorial: grad(sin(clip_gradient(-0.75, 0.75, x))) = clip(cos x)", () => {
    const clipGradient = customVjp((lo: number, hi: number, x: Array) => x);
    clipGradient.defvjp(
      (lo: number, hi: number, x: Array) => [x, [lo, hi]],
      ([lo, hi]: number[], g: Array) => [null, null, np.clip(g, lo, hi)],
    );
    const clipSin = (x: Array) => np.sin(clipGradient(-0.75, 0.75, x));
    const xs = [0, 0.5, 1, 2, 3, -1];
    const want = xs.map((x) => Math.min(0.75, Math.max(-0.75, Math.cos(x))));
    expectArray(vmap(grad(clipSin))(f32(xs)), want, tol);
    expectArray(jit(vmap(grad(clipSin)))(f32(xs)), want, tol);
    expectArray(grad((x: Array) => vmap(clipSin)(x).sum())(f32(xs)), want, tol);
    expectArray(clipSin(f32(2)), Math.sin(2), tol);
  });

  it("nondiffArgnums: app(f, x) with bwd 5 g (JAX: grad = 5)", () => {
    const app = customVjp((fn: (x: Array) => Array, x: Array) => fn(x), { nondiffArgnums: [0] });
    app.defvjp(
      (fn: (x: Array) => Array, x: Array) => [fn(x), x],
      (_fn: unknown, _x: Array, g: Array) => [g.mul(5)],
    );
    const sq = (x: Array) => x.mul(x);
    expectArray(app(sq, f32(4)), 16);
    expectArray(grad(app, { argnums: 1 })(sq, 4.0), 5);
  });

  it("pytree arguments, outputs and residuals; unbatched arguments under vmap get summed cotangents", () => {
    type P = { w: Array; b: Array };
    const affine = customVjp((p: P, x: Array) => ({ y: p.w.mul(x).add(p.b) }));
    affine.defvjp(
      (p: P, x: Array) => [affine(p, x), { saved: { w: p.w, x }, n: [x] }],
      (res: { saved: { w: Array; x: Array }; n: Array[] }, ct: { y: Array }) => [
        { w: res.saved.x.mul(ct.y), b: ct.y },
        res.saved.w.mul(ct.y),
      ],
    );
    const p = { w: f32([2, 3]), b: f32([1, 1]) };
    const loss = (q: P, x: Array) => affine(q, x).y.sum();
    const [gp, gx] = grad(loss, { argnums: [0, 1] })(p, f32([5, 7]));
    expectArray(gp.w, [5, 7]);
    expectArray(gp.b, [1, 1]);
    expectArray(gx, [2, 3]);
    // Batch over x only: the parameters' cotangents are summed over the batch.
    const xs = f32([[5, 7], [1, 2], [0, 1]]);
    const batched = grad((q: P) => vmap((x: Array) => loss(q, x))(xs).sum())(p);
    expectArray(batched.w, [6, 10]);
    expectArray(batched.b, [3, 3]);
    const [v, g2] = valueAndGrad(loss)(p, f32([5, 7]));
    expectArray(v, 10 + 21 + 2);
    expectArray(g2.w, [5, 7]);
  });

  it("is staged as one custom_vjp_call; errors name the problem", () => {
    const f = customVjp(function mysin(x: Array) {
      return np.sin(x);
    });
    expect(() => f(f32(1))).toThrow(/No VJP defined for custom_vjp function mysin/);
    f.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [c.mul(g)]);
    const jx = makeJaxpr(f)(f32(1));
    expect(jx.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["custom_vjp_call"]);
    expect(jx.toString()).toContain("mysin_bwd");
    const bad = customVjp((x: Array) => x);
    bad.defvjp((x: Array) => [x, null], (_r: null, g: Array) => g as never);
    expect(() => grad(bad)(1.0)).toThrow(/one cotangent per differentiable argument/);
    expect(() =>
      grad((y: Array) => {
        const g = customVjp((x: Array) => x.mul(y));
        g.defvjp((x: Array) => [g(x), null], (_r: null, ct: Array) => [ct]);
        return g(f32(2));
      })(1.0),
    ).toThrow(/closed-over value/);
  });
});

describe("closures, integer arguments and nested transformations", () => {
  it("a rule may use a closed-over batched value that is not differentiated (vmap of grad)", () => {
    const ys = f32([1, 2, 3]);
    const viaJvp = vmap((y: Array) =>
      grad((x: Array) => {
        const f = customJvp((x: Array) => x.mul(y));
        f.defjvp(([x]: Array[], [t]: Array[]) => [x.mul(y), t.mul(y).mul(3)]);
        return f(x);
      })(f32(1)),
    )(ys);
    expectArray(viaJvp, [3, 6, 9]);
    const viaVjp = vmap((y: Array) =>
      grad((x: Array) => {
        const f = customVjp((x: Array) => x.mul(y));
        f.defvjp((x: Array) => [x.mul(y), null], (_r: null, g: Array) => [g.mul(y).mul(3)]);
        return f(x);
      })(f32(1)),
    )(ys);
    expectArray(viaVjp, [3, 6, 9]);
  });

  it("customVjp under jit(vmap(grad)) and grad(vmap) with an unbatched argument", () => {
    const f = customVjp((x: Array, y: Array) => x.mul(y));
    // bwd swaps in 10 * the true cotangents, so only the rule can produce these numbers.
    f.defvjp((x: Array, y: Array) => [x.mul(y), [x, y]], ([x, y]: Array[], g: Array) => [g.mul(y).mul(10), g.mul(x).mul(10)]);
    const [gx, gy] = jit(vmap(grad(f, { argnums: [0, 1] }), { inAxes: [0, null] }))(f32([1, 2]), f32(5));
    expectArray(gx, [50, 50]);
    expectArray(gy, [10, 20]);
    // The unbatched y's cotangent sums over the batch: 10 * (1 + 2).
    expectArray(grad((y: Array) => vmap(f, { inAxes: [0, null] })(f32([1, 2]), y).sum())(f32(5)), 30);
  });

  it("batch axes other than 0 and nested vmap", () => {
    const log1pexp = makeLog1pexp();
    const m = [[0, 2, -1], [100, 1, 3]];
    const sm = m.map((r) => r.map(sigmoid));
    const smT = [0, 1, 2].map((j) => [0, 1].map((i) => sm[i][j]));
    // vmap over axis 1 moves that axis to the front of the result.
    expectArray(vmap(vmap(grad(log1pexp)), { inAxes: 1 })(f32(m)), smT, tol);
    expectArray(vmap(vmap(grad(log1pexp)))(f32(m)), sm, tol);
    const s = customVjp((x: Array) => np.sin(x));
    s.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [c.mul(2).mul(g)]);
    const want = m.map((r) => r.map((x) => 2 * Math.cos(x)));
    expectArray(grad((x: Array) => vmap(s, { inAxes: 1 })(x).sum())(f32(m)), want, tol);
    expectArray(grad((x: Array) => vmap(vmap(s))(x).sum())(f32(m)), want, tol);
    expectArray(vmap(vmap(grad(s)), { inAxes: 1 })(f32(m)), [0, 1, 2].map((j) => [0, 1].map((i) => want[i][j])), tol);
  });

  it("integer arguments get no cotangent and batch unbatched", () => {
    const h = customJvp((x: Array, n: Array) => x.mul(n.astype("float32")));
    h.defjvp(([x, n]: Array[], [t]: Array[]) => [h(x, n), t.mul(n.astype("float32")).mul(10)]);
    expectArray(grad(h)(2.0, np.array(3, "int32")), 30);
    expectArray(vmap(h, { inAxes: [0, null] })(f32([1, 2]), np.array(3, "int32")), [3, 6]);
    expectArray(vmap(grad(h), { inAxes: [0, null] })(f32([1, 2]), np.array(3, "int32")), [30, 30]);
  });
});

describe("inlineCustomCalls (for compilers)", () => {
  it("replaces the call equations by their jaxprs, recursively, with the same values", () => {
    const log1pexp = makeLog1pexp();
    const s = customVjp((x: Array) => np.sin(x));
    s.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [c.mul(g)]);
    const inner = checkpoint((x: Array) => s(log1pexp(x)).mul(x));
    const f = (x: Array) => inner(inner(x)).add(log1pexp(x));
    const x = f32([0.5, -1, 2]);
    const cj = makeJaxpr(f)(x);
    const names = (c: typeof cj) => c.jaxpr.eqns.map((e) => e.prim.name);
    expect(names(cj)).toContain("checkpoint");
    const flat = inlineCustomCalls(cj);
    expect(names(flat).filter((n) => ["checkpoint", "custom_jvp_call", "custom_vjp_call"].includes(n))).toEqual([]);
    expect(names(flat)).toContain("sin");
    expectArray(evalClosed(flat, [x])[0] as Array, (f(x) as Array).tolist() as number[], tol);
    // Gradients taken first, inlined after: same values as the eager gradient.
    const gj = inlineCustomCalls(makeJaxpr(grad((y: Array) => f(y).sum()))(x));
    expectArray(evalClosed(gj, [x])[0] as Array, (grad((y: Array) => f(y).sum())(x) as Array).tolist() as number[], tol);
  });
});

describe("lax.stopGradient", () => {
  it("has a zero derivative under grad, jit and vmap", () => {
    // d/dx [x * stop(x)] = stop(x) = 3; d/dx stop(x)^2 = 0.
    expectArray(grad((x: Array) => x.mul(lax.stopGradient(x)))(3.0), 3);
    expectArray(grad((x: Array) => lax.stopGradient(x).mul(lax.stopGradient(x)))(3.0), 0);
    expectArray(jit(grad((x: Array) => x.mul(lax.stopGradient(x))))(f32(3)), 3);
    expectArray(vmap(grad((x: Array) => x.mul(lax.stopGradient(x))))(f32([1, 2])), [1, 2]);
    expectArray(jvp((x: Array) => lax.stopGradient(x.mul(x)), [f32(2)], [f32(1)])[1], 0);
  });
  it("batches without looping over the batch", () => {
    const m = f32([[1, 2, 3], [4, 5, 6]]);
    expectArray(vmap(lax.stopGradient, { inAxes: 1 })(m), [[1, 4], [2, 5], [3, 6]]);
    const jx = makeJaxpr(vmap(lax.stopGradient))(m);
    expect(jx.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["stop_gradient"]);
  });
});
