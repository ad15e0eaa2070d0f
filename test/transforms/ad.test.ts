// The differentiation API (ts/transforms/ad.ts): values published in JAX's documentation and
// tests, options, pytrees and errors.
import { describe, expect, it } from "vitest";
import {
  grad, hessian, jacfwd, jacrev, jit, jvp, linearize, linearTranspose, numpy as np, valueAndGrad, vjp, vjpWithAux, vmap,
  type Array,
} from "../../ts/index.js";
import { expectArray } from "../helpers.js";

const f32 = (v: number | number[]) => np.array(v as any, "float32");
// float32 results against JAX's printed float32 values: a few ulp of slack.
const tol = { rtol: 2e-6, atol: 1e-7 };

describe("JAX's documented values", () => {
  it("grad(tanh)(0.2) = 0.961043", () => {
    expectArray(grad(np.tanh)(0.2), 0.961043, { rtol: 1e-6 });
  });
  it("derivatives 1-3 of tanh at 2.0", () => {
    let g: any = np.tanh;
    const want = [0.0706508, -0.1362187, 0.2526541];
    for (const w of want) {
      g = grad(g);
      expectArray(g(2.0), w, { rtol: 1e-5 });
    }
  });
  it("grad(sin(x)/x)(2.0) = -0.43539777", () => {
    expectArray(grad((x: Array) => np.sin(x).div(x))(2.0), -0.43539777, tol);
  });
  it("jvp(sin, [0.1], [0.2]) = [0.09983342, 0.19900084]", () => {
    const [p, t] = jvp(np.sin, [0.1], [0.2]);
    expectArray(p, 0.09983342, tol);
    expectArray(t, 0.19900084, tol);
  });
  it("vjp of (sin x, cos y) at (0.5, 1.0) with cotangent (-0.7, 0.3)", () => {
    const [out, pull] = vjp((x: Array, y: Array) => [np.sin(x), np.cos(y)], 0.5, 1.0);
    expectArray(out[0], Math.fround(Math.sin(0.5)), tol);
    const [gx, gy] = pull([-0.7, 0.3]);
    expectArray(gx, -0.61430776, tol);
    expectArray(gy, -0.2524413, tol);
  });
  it("hessian of x0^3 - 2 x0 x1 - x1^6 at [1, 2]", () => {
    const f = (x: Array) => x.get(0).pow(3).sub(x.get(0).mul(2).mul(x.get(1))).sub(x.get(1).pow(6));
    expectArray(hessian(f)(f32([1, 2])), [[6, -2], [-2, -480]], { rtol: 1e-6 });
  });
});

describe("grad options", () => {
  const f = (x: Array, y: Array) => np.sum(np.sin(x).mul(y));
  it("argnums as a number and as a list", () => {
    const x = f32([0.1, 0.2]);
    const y = f32([3, 4]);
    expectArray(grad(f, { argnums: 1 })(x, y), [Math.sin(0.1), Math.sin(0.2)], tol);
    const [gx, gy] = grad(f, { argnums: [0, 1] })(x, y);
    expectArray(gx, [3 * Math.cos(0.1), 4 * Math.cos(0.2)], tol);
    expectArray(gy, [Math.sin(0.1), Math.sin(0.2)], tol);
  });
  it("hasAux returns the auxiliary value undifferentiated", () => {
    const [g, aux] = grad((x: Array) => [np.sum(x.mul(x)), { n: x.size, y: x.mul(2) }], { hasAux: true })(f32([1, 2]));
    expectArray(g, [2, 4]);
    expect(aux.n).toBe(2);
    expectArray(aux.y, [2, 4]);
    const [[v, a], g2] = valueAndGrad((x: Array) => [np.sum(x), x], { hasAux: true })(f32([1, 2]));
    expectArray(v, 3);
    expectArray(a, [1, 2]);
    expectArray(g2, [1, 1]);
  });
  it("pytree arguments give pytree gradients", () => {
    const params = { w: f32([1, 2]), b: f32(0.5) };
    const loss = (p: { w: Array; b: Array }, x: Array) => np.sum(np.dot(p.w, x).add(p.b).pow(2));
    const g = grad(loss)(params, f32([3, 4]));
    // d/dw (w.x + b)^2 = 2 (w.x + b) x; w.x + b = 11.5
    expectArray(g.w, [69, 92]);
    expectArray(g.b, 23);
  });
  it("allowInt gives zero (float0-like) cotangents for integer inputs", () => {
    const [gx, gn] = grad((x: Array, n: Array) => np.sum(x.mul(n)), { argnums: [0, 1], allowInt: true })(f32([1, 2]), np.array([3, 4]));
    expectArray(gx, [3, 4]);
    expect(gn.dtype).toBe("bool");
    expect(gn.tolist()).toEqual([false, false]);
  });
  it("valueAndGrad returns the value", () => {
    const [v, g] = valueAndGrad((x: Array) => np.sum(x.mul(x)))(f32([1, 2]));
    expectArray(v, 5);
    expectArray(g, [2, 4]);
  });
  it("conventions at kinks: |x| at 0 is 1; maximum ties split; floor is flat", () => {
    expectArray(grad(np.abs)(0.0), 1);
    expectArray(grad((x: Array) => np.maximum(x, 1.0))(1.0), 0.5);
    expectArray(grad((x: Array) => np.floor(x))(1.5), 0);
    expectArray(grad((x: Array) => np.sign(x))(1.5), 0);
  });
});

describe("forward, reverse and mixed compositions", () => {
  it("jvp of grad, grad of jvp, vmap of grad, jit of grad agree", () => {
    const f = (x: Array) => np.sin(x).mul(x);
    const d2 = (x: number) => 2 * Math.cos(x) - x * Math.sin(x);
    const [, t] = jvp(grad(f), [0.7], [1.0]);
    expectArray(t, d2(0.7), tol);
    expectArray(grad((x: Array) => jvp(f, [x], [1.0])[1])(0.7), d2(0.7), tol);
    const xs = f32([0.1, 0.5, 2]);
    expectArray(vmap(grad(f))(xs), [0.1, 0.5, 2].map((x) => Math.sin(x) + x * Math.cos(x)), tol);
    expectArray(jit(grad(f))(0.7), Math.sin(0.7) + 0.7 * Math.cos(0.7), tol);
    expectArray(grad(jit(f))(0.7), Math.sin(0.7) + 0.7 * Math.cos(0.7), tol);
    expectArray(jit(vmap(grad(grad(f))))(xs), [0.1, 0.5, 2].map(d2), { rtol: 1e-5, atol: 1e-6 });
  });
  it("vmap(grad(sin(x)/x)) equals a loop of grad", () => {
    const g = grad((x: Array) => np.sin(x).div(x));
    const xs = np.linspace(0.5, 5, 7);
    const loop = [...xs].map((x) => g(x).item());
    expectArray(vmap(g)(xs), loop);
  });
  it("linearize and linearTranspose", () => {
    const [y, fJvp] = linearize((x: Array) => np.sin(x), f32([0, 1]));
    expectArray(y, [0, Math.sin(1)], tol);
    expectArray(fJvp(f32([2, 2])), [2, 2 * Math.cos(1)], tol);
    const fT = linearTranspose((x: Array, z: Array) => x.mul(3).add(z), f32([0, 0]), f32([0, 0]));
    const [cx, cz] = fT(f32([1, 2]));
    expectArray(cx, [3, 6]);
    expectArray(cz, [1, 2]);
  });
  it("jacfwd and jacrev agree with the analytic Jacobian", () => {
    const f = (x: Array) => np.stack([x.get(0).mul(x.get(1)), np.sin(x.get(0))]);
    const x = f32([0.3, 2]);
    const want = [[2, 0.3], [Math.cos(0.3), 0]];
    expectArray(jacfwd(f)(x), want, tol);
    expectArray(jacrev(f)(x), want, tol);
  });
  it("vjpWithAux", () => {
    const [out, pull, aux] = vjpWithAux((x: Array) => [x.mul(2), "aux"], f32([1]));
    expectArray(out, [2]);
    expect(aux).toBe("aux");
    expectArray(pull(f32([1]))[0], [2]);
  });
});

describe("errors", () => {
  it("grad of a non-scalar output is a TypeError", () => {
    expect(() => grad((x: Array) => x.mul(2))(f32([1, 2]))).toThrow(/scalar-output.*shape \[2\]/);
  });
  it("grad with integer inputs needs allowInt", () => {
    expect(() => grad((x: Array) => np.sum(x))(np.array([1, 2]))).toThrow(/int32.*allowInt/);
  });
  it("argnums out of range", () => {
    expect(() => grad((x: Array) => x, { argnums: 2 })(1.0)).toThrow(RangeError);
  });
  it("control flow on a traced value needs a concrete value", () => {
    const f = (x: Array) => ((x as any) > 0 ? x : x.neg());
    expect(() => grad(f)(1.0)).toThrow(/concrete value is required/);
    expect(() => jit(f)(f32(1))).toThrow(/concrete value is required/);
  });
  it("a leaked tracer is reported when used", () => {
    let leaked: Array | undefined;
    grad((x: Array) => {
      leaked = x;
      return x.mul(2);
    })(1.0);
    expect(() => np.sin(leaked!)).toThrow(/escaped the transformation/);
  });
  it("mismatched pytrees in vjp cotangents and jvp tangents", () => {
    const [, pull] = vjp((x: Array) => [x, x], f32(1));
    expect(() => pull([f32(1)])).toThrow(/structure/);
    expect(() => jvp((x: Array) => x, [f32(1)], [[f32(1)]])).toThrow(/structures differ/);
  });
});
