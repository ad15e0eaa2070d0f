import { describe, expect, it } from "vitest";
import { grad, jit, jvp, makeJaxpr, numpy as np, vmap, vjp, type Array } from "../../ts/index.js";
import { customJvp, customVjp } from "../../ts/transforms/custom.js";
import { expectArray } from "../helpers.js";

describe("smoke", () => {
  it("log1pexp", () => {
    const log1pexp = customJvp((x: Array) => np.log(np.exp(x).add(1)));
    log1pexp.defjvp(([x]: Array[], [t]: Array[]) => [log1pexp(x), np.subtract(1, np.divide(1, np.exp(x).add(1))).mul(t)]);
    expectArray(grad(log1pexp)(100.0), 1);
    expectArray(jit(grad(log1pexp))(np.array(100, "float32")), 1);
    expectArray(grad(jit(log1pexp))(100.0), 1);
    console.log(makeJaxpr(log1pexp)(np.array(1, "float32")).toString());
    console.log(makeJaxpr(grad(log1pexp))(np.array(1, "float32")).toString());
    expectArray(vmap(grad(log1pexp))(np.array([100, 0], "float32")), [1, 0.5]);
    expectArray(grad((x: Array) => vmap(log1pexp)(x).sum())(np.array([100, 0], "float32")), [1, 0.5]);
  });
  it("vjp", () => {
    const f = customVjp((x: Array) => np.sin(x));
    f.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [c.mul(2).mul(g)]);
    expectArray(grad(f)(0.0), 2);
    expectArray(jit(grad(f))(np.array(0, "float32")), 2);
    expectArray(grad(jit(f))(0.0), 2);
    expectArray(vmap(grad(f))(np.array([0, 0], "float32")), [2, 2]);
    expectArray(grad((x: Array) => vmap(f)(x).sum())(np.array([0, 0], "float32")), [2, 2]);
    expect(() => jvp(f, [0.0], [1.0])).toThrow(/can't apply forward-mode/);
    console.log(makeJaxpr(grad(f))(np.array(1, "float32")).toString());
  });
});
