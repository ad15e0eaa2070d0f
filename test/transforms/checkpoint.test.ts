// checkpoint / remat (ts/transforms/checkpoint.ts): the same values and derivatives as the
// plain function under every transformation, and proof that reverse mode recomputes the
// primal work in the backward pass (by counting evaluations and by reading the jaxpr).
import { describe, expect, it } from "vitest";
import {
  grad, hessian, jacrev, jit, jvp, makeJaxpr, numpy as np, valueAndGrad, vjp, vmap, type Array,
} from "../../ts/index.js";
import { checkpoint, checkpointName, checkpointPolicies, remat } from "../../ts/transforms/checkpoint.js";
import { definePrimitive } from "../../ts/core/primitive.js";
import { bind1 } from "../../ts/core/trace.js";
import { Var, type ClosedJaxpr, type Eqn } from "../../ts/core/jaxpr.js";
import { expectArray } from "../helpers.js";
import { randArray } from "./check.js";

const f32 = (v: number | number[] | number[][]) => np.array(v as any, "float32");
// checkpoint evaluates the same primitives on the same values as the plain function, in
// another grouping: the float32 results agree to a few ulp (sums may reassociate).
const same = { rtol: 1e-6, atol: 1e-7 };

const toList = (x: Array) => x.tolist() as any;

/** A sine that counts its eager evaluations: how often the primal work really runs. */
let sinCalls = 0;
const counted_sin_p = definePrimitive("test_checkpoint_counted_sin", {
  abstractEval: ([x]) => [{ shape: x.shape.slice(), dtype: x.dtype, weakType: x.weakType }],
  impl: ([x]) => {
    sinCalls++;
    return [np.sin(x) as never];
  },
});
counted_sin_p.rules.jvp = ([x], [t]) => [[bind1(counted_sin_p, [x], {})], [t === null ? null : (t as Array).mul(np.cos(x as Array))]];
const csin = (x: Array) => bind1(counted_sin_p, [x], {}) as Array;

function countSin(fn: () => unknown): number {
  sinCalls = 0;
  fn();
  return sinCalls;
}

type Params = { w1: Array; b1: Array; w2: Array };
const mlp = (p: Params, x: Array) => np.tanh(np.tanh(np.matmul(x, p.w1).add(p.b1)).mul(np.exp(x.sum().mul(0.1))).matmul(p.w2)).sum();
const params = (): Params => ({
  w1: randArray([3, 4], -1, 1, 1, "float32"),
  b1: randArray([4], -1, 1, 2, "float32"),
  w2: randArray([4, 2], -1, 1, 3, "float32"),
});

describe("checkpoint: values and derivatives equal the plain function's", () => {
  const x = randArray([3], -1, 1, 4, "float32");

  it("values: eager, jit, vmap; remat is the same function", () => {
    expect(remat).toBe(checkpoint);
    const g = checkpoint(mlp);
    const p = params();
    expectArray(g(p, x), mlp(p, x).item() as number, same);
    expectArray(jit(g)(p, x), mlp(p, x).item() as number, same);
    const xs = randArray([5, 3], -1, 1, 5, "float32");
    expectArray(vmap(g, { inAxes: [null, 0] })(p, xs), toList(vmap(mlp, { inAxes: [null, 0] })(p, xs)), same);
  });

  it("grad with pytree parameters, also under jit, of jit, and with vmap on either side", () => {
    const p = params();
    const g = checkpoint(mlp);
    const want = grad(mlp)(p, x);
    for (const got of [grad(g)(p, x), jit(grad(g))(p, x), grad(jit(g))(p, x)]) {
      for (const k of ["w1", "b1", "w2"] as const) expectArray(got[k], toList(want[k]), same);
    }
    const xs = randArray([4, 3], -1, 1, 6, "float32");
    const perEx = vmap(grad(g, { argnums: 1 }), { inAxes: [null, 0] })(p, xs);
    expectArray(perEx, toList(vmap(grad(mlp, { argnums: 1 }), { inAxes: [null, 0] })(p, xs)), same);
    const batchLoss = (f: typeof mlp) => (q: Params) => vmap(f, { inAxes: [null, 0] })(q, xs).sum();
    const gb = grad(batchLoss(g))(p);
    const wb = grad(batchLoss(mlp))(p);
    for (const k of ["w1", "b1", "w2"] as const) expectArray(gb[k], toList(wb[k]), same);
  });

  it("jvp, vjp, valueAndGrad, jacrev and hessian", () => {
    const f = (x: Array) => np.sin(x).mul(np.exp(x.mul(0.5))).mul(x.sum());
    const g = checkpoint(f);
    const x3 = f32([0.3, -0.7, 1.1]);
    const t3 = f32([1, 0.5, -2]);
    expectArray(jvp(g, [x3], [t3])[1], toList(jvp(f, [x3], [t3])[1]), same);
    const [, pg] = vjp(g, x3);
    const [, pf] = vjp(f, x3);
    expectArray(pg(t3)[0], toList(pf(t3)[0]), same);
    const s = (h: typeof f) => (x: Array) => h(x).sum();
    const [vg, gg] = valueAndGrad(s(g))(x3);
    expectArray(vg, s(f)(x3).item() as number, same);
    expectArray(gg, toList(grad(s(f))(x3)), same);
    expectArray(jacrev(g)(x3), toList(jacrev(f)(x3)), same);
    expectArray(hessian(s(g))(x3), toList(hessian(s(f))(x3)), { rtol: 1e-5, atol: 1e-6 });
  });

  it("higher derivatives: d/dx of sin(x) e^x up to the third, also nested checkpoints", () => {
    const f = (x: Array) => np.sin(x).mul(np.exp(x));
    // d1 = e^x (sin + cos), d2 = 2 e^x cos, d3 = 2 e^x (cos - sin), in float64.
    const x = 0.7;
    const e = Math.exp(x);
    const want = [e * (Math.sin(x) + Math.cos(x)), 2 * e * Math.cos(x), 2 * e * (Math.cos(x) - Math.sin(x))];
    for (const g of [checkpoint(f), checkpoint(checkpoint(f)), (y: Array) => checkpoint(np.exp)(y).mul(checkpoint(np.sin)(y))]) {
      let d: any = g;
      for (const w of want) {
        d = grad(d);
        expectArray(d(x), w, { rtol: 1e-5 });
      }
      expectArray(jit(grad(grad(g)))(f32(x)), want[1], { rtol: 1e-5 });
    }
  });

  it("batch axes other than 0 and nested vmap", () => {
    const f = (x: Array) => np.sin(np.sin(x)).mul(x);
    const m = randArray([2, 3], -2, 2, 9, "float32");
    const loss = (h: typeof f, axes: number) => (x: Array) => vmap(vmap(h), { inAxes: axes })(x).sum();
    expectArray(grad(loss(checkpoint(f), 1))(m), toList(grad(loss(f, 1))(m)), same);
    expectArray(vmap(vmap(grad(checkpoint(f))), { inAxes: 1 })(m), toList(vmap(vmap(grad(f)), { inAxes: 1 })(m)), same);
  });

  it("closed-over values are differentiated too, and static arguments pass through", () => {
    const plain = (y: Array) => np.sin(np.sin(f32([1, 2]).mul(y))).sum();
    const withCkpt = (y: Array) => checkpoint((x: Array) => np.sin(np.sin(x.mul(y))))(f32([1, 2])).sum();
    expectArray(grad(withCkpt)(0.4), grad(plain)(0.4).item() as number, same);
    const scaled = checkpoint((k: number, x: Array) => np.sin(x).mul(k), { staticArgnums: 0 });
    expectArray(grad((x: Array) => scaled(3, x))(0.2), 3 * Math.cos(0.2), same);
  });
});

/** The `checkpoint` equations of a jaxpr. */
const checkpointEqns = (cj: ClosedJaxpr): Eqn[] => cj.jaxpr.eqns.filter((e) => e.prim.name === "checkpoint");
const innerNames = (e: Eqn): string[] => (e.params.jaxpr as ClosedJaxpr).jaxpr.eqns.map((q) => q.prim.name);

describe("checkpoint recomputes instead of saving", () => {
  const f = (x: Array) => csin(csin(x));

  it("counts evaluations: the backward pass runs the inner sine again", () => {
    // Plain reverse mode evaluates sin(x) and sin(sin(x)) once each and saves them. With
    // checkpoint the backward pass recomputes sin(x) (needed for cos(sin(x))); the outer
    // sine's value is not needed by the derivative, so it is not recomputed.
    expect(countSin(() => grad(f)(0.5))).toBe(2);
    expect(countSin(() => grad(checkpoint(f))(0.5))).toBe(3);
    // Saving everything is plain reverse mode again.
    expect(countSin(() => grad(checkpoint(f, { policy: checkpointPolicies.everythingSaveable }))(0.5))).toBe(2);
    // Eagerly (no transformation) it is just f.
    expect(countSin(() => checkpoint(f)(f32(0.5)))).toBe(2);
    expectArray(grad(checkpoint(f))(0.5), grad(f)(0.5).item() as number, same);
  });

  it("the backward pass is one checkpoint equation whose only residuals are the inputs", () => {
    const g = (x: Array) => np.sin(np.sin(x));
    const cj = makeJaxpr(grad(checkpoint(g)))(f32(0.5));
    const eqns = checkpointEqns(cj);
    expect(eqns.length).toBe(1);
    // Its operands are the function's input and the output cotangent (a literal 1): no
    // intermediate of the forward pass is saved for it.
    const invars = new Set(cj.jaxpr.invars);
    for (const a of eqns[0].inputs) expect(!(a instanceof Var) || invars.has(a)).toBe(true);
    // It recomputes sin(x) (to get cos(sin(x))) before applying the transposed tangent map.
    expect(innerNames(eqns[0]).filter((n) => n === "sin").length).toBe(1);
    expect(innerNames(eqns[0]).filter((n) => n === "cos").length).toBe(2);
    // Without checkpoint the cosines are computed in the forward pass and nothing recomputes.
    const plain = makeJaxpr(grad(g))(f32(0.5));
    expect(checkpointEqns(plain).length).toBe(0);
    // Under jit, simplification (CSE) cannot merge the recomputation into the forward pass.
    const lowered = jit(grad(checkpoint(g))).lower(f32(0.5));
    expect(checkpointEqns(lowered.jaxpr).length).toBe(1);
  });

  it("policies: dotsSaveable saves the matrix product and recomputes the rest", () => {
    const w = randArray([3, 3], -1, 1, 7, "float32");
    const h = (x: Array) => np.sin(np.matmul(w, np.sin(x))).sum();
    const x = randArray([3], -1, 1, 8, "float32");
    const none = checkpointEqns(makeJaxpr(grad(checkpoint(h)))(x))[0];
    const dots = checkpointEqns(makeJaxpr(grad(checkpoint(h, { policy: checkpointPolicies.dotsSaveable })))(x))[0];
    const count = (e: Eqn) => innerNames(e).filter((n) => n === "dot_general").length;
    // The primal product is recomputed by default and saved (one operand more) with the policy.
    expect(count(none)).toBe(count(dots) + 1);
    expect(dots.inputs.length).toBe(none.inputs.length + 1);
    const want = toList(grad(h)(x));
    expectArray(grad(checkpoint(h, { policy: checkpointPolicies.dotsSaveable }))(x), want, same);
    expectArray(grad(checkpoint(h, { policy: checkpointPolicies.dotsWithNoBatchDimsSaveable }))(x), want, same);
    expect(() => checkpoint(h, { policy: "dots" as never })).toThrow(/policy must be a function/);
  });

  it("named values: saveOnlyTheseNames saves what checkpointName tagged", () => {
    const h = (x: Array) => csin(checkpointName(csin(x), "inner"));
    const P = checkpointPolicies;
    // Saving "inner" (= sin(x)) leaves nothing to recompute: as plain reverse mode.
    expect(countSin(() => grad(checkpoint(h, { policy: P.saveOnlyTheseNames("inner") }))(0.5))).toBe(2);
    expect(countSin(() => grad(checkpoint(h, { policy: P.saveOnlyTheseNames("other") }))(0.5))).toBe(3);
    expect(countSin(() => grad(checkpoint(h, { policy: P.saveAnyNamesButThese("other") }))(0.5))).toBe(2);
    expect(countSin(() => grad(checkpoint(h, { policy: P.saveAnyNamesButThese("inner") }))(0.5))).toBe(3);
    expect(countSin(() => grad(checkpoint(h, { policy: P.saveFromBothPolicies(P.dotsSaveable, P.saveOnlyTheseNames("inner")) }))(0.5))).toBe(2);
    const want = Math.cos(Math.sin(0.5)) * Math.cos(0.5);
    expectArray(grad(checkpoint(h, { policy: P.saveOnlyTheseNames("inner") }))(0.5), want, same);
    // checkpointName is the identity on values, for pytrees too, under every transformation.
    const tagged = checkpointName({ a: f32([1, 2]), b: [f32(3)] }, "t");
    expectArray(tagged.a, [1, 2]);
    expectArray(tagged.b[0], 3);
    expectArray(grad((x: Array) => checkpointName(x.mul(x), "sq"))(3.0), 6);
    expectArray(vmap((x: Array) => checkpointName(x, "v"))(f32([1, 2])), [1, 2]);
    expectArray(jit((x: Array) => checkpointName(x, "j").add(1))(f32([1, 2])), [2, 3]);
    expect(makeJaxpr((x: Array) => checkpointName(x, "n"))(f32(1)).toString()).toContain("name[name=n]");
  });

  it("is staged as one equation under makeJaxpr and batched as one under vmap", () => {
    const g = checkpoint((x: Array) => np.sin(np.sin(x)));
    expect(makeJaxpr(g)(f32(1)).jaxpr.eqns.map((e) => e.prim.name)).toEqual(["checkpoint"]);
    const vx = makeJaxpr(vmap(g))(f32([1, 2, 3]));
    expect(vx.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["checkpoint"]);
    expect(vx.jaxpr.eqns[0].outputs[0].aval.shape).toEqual([3]);
  });
});
