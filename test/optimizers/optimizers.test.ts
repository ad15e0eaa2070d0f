// jax.example_libraries.optimizers (ts/optimizers): each optimizer's first steps against values
// computed by hand and against its update formula run in float64 here; pytrees of parameters;
// schedules; l2Norm/clipGrads; the state under jit with donation; JSON save/load.
import { describe, expect, it } from "vitest";
import { Array, grad, jit, numpy as np, optimizers, tree } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";

const f32 = (v: unknown) => np.array(v as never, "float32");
const vals = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);
const sumSq = (x: Array) => np.sum(np.multiply(x, x));

/** Runs `steps` updates of `opt` on f(x) = Σ x² from x0; returns the parameters after each. */
function run(opt: optimizers.Optimizer, x0: Array, steps: number): number[][] {
  const [init, update, getParams] = opt;
  let state = init(x0);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    state = update(i, grad(sumSq)(getParams(state) as Array), state);
    out.push(vals(getParams(state) as Array));
  }
  return out;
}

// Float64 references: the update rules applied elementwise to one coordinate of Σ x², g = 2x.
type Ref = (x0: number, steps: number) => number[];
const refs: Record<string, Ref> = {
  sgd: (x, n) => loop(n, (i) => (x -= 0.1 * 2 * x)),
  momentum: (x, n) => {
    let v = 0;
    return loop(n, () => {
      v = 0.9 * v + 2 * x;
      return (x -= 0.1 * v);
    });
  },
  nesterov: (x, n) => {
    let v = 0;
    return loop(n, () => {
      const g = 2 * x;
      v = 0.9 * v + g;
      return (x -= 0.1 * (0.9 * v + g));
    });
  },
  adagrad: (x, n) => {
    let gsq = 0;
    let m = 0;
    return loop(n, () => {
      const g = 2 * x;
      gsq += g * g;
      m = 0.1 * (g / Math.sqrt(gsq)) + 0.9 * m;
      return (x -= 0.1 * m);
    });
  },
  rmsprop: (x, n) => {
    let a = 0;
    return loop(n, () => {
      const g = 2 * x;
      a = 0.9 * a + 0.1 * g * g;
      return (x -= (0.1 * g) / Math.sqrt(a + 1e-8));
    });
  },
  rmspropMomentum: (x, n) => {
    let a = 0;
    let mom = 0;
    return loop(n, () => {
      const g = 2 * x;
      a = 0.9 * a + 0.1 * g * g;
      mom = 0.9 * mom + (0.1 * g) / Math.sqrt(a + 1e-8);
      return (x -= mom);
    });
  },
  adam: (x, n) => {
    let m = 0;
    let v = 0;
    return loop(n, (i) => {
      const g = 2 * x;
      m = 0.1 * g + 0.9 * m;
      v = 0.001 * g * g + 0.999 * v;
      // JAX raises jnp.asarray(b, float32) to the power: the float32-rounded betas.
      const mhat = m / (1 - Math.fround(0.9) ** (i + 1));
      const vhat = v / (1 - Math.fround(0.999) ** (i + 1));
      return (x -= (0.1 * mhat) / (Math.sqrt(vhat) + 1e-8));
    });
  },
  adamax: (x, n) => {
    let m = 0;
    let u = 0;
    return loop(n, (i) => {
      const g = 2 * x;
      m = 0.1 * g + 0.9 * m;
      u = Math.max(0.999 * u, Math.abs(g));
      return (x -= ((0.1 / (1 - Math.fround(0.9) ** (i + 1))) * m) / (u + 1e-8));
    });
  },
};
function loop(n: number, step: (i: number) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(step(i));
  return out;
}

const makers: Record<string, () => optimizers.Optimizer> = {
  sgd: () => optimizers.sgd(0.1),
  momentum: () => optimizers.momentum(0.1, 0.9),
  nesterov: () => optimizers.nesterov(0.1, 0.9),
  adagrad: () => optimizers.adagrad(0.1),
  rmsprop: () => optimizers.rmsprop(0.1),
  rmspropMomentum: () => optimizers.rmspropMomentum(0.1),
  adam: () => optimizers.adam(0.1),
  adamax: () => optimizers.adamax(0.1),
  sm3: () => optimizers.sm3(0.1),
};

describe.each(backends)("optimizers on %s", (backend) => {
  useBackend(backend);

  it("first steps computed by hand", () => {
    // sgd(0.1) on x²: 1 - 0.1·2 = 0.8, then 0.8 - 0.1·1.6 = 0.64.
    expect(run(optimizers.sgd(0.1), f32(1), 2).flat()).toEqual([0.8, 0.64].map(Math.fround));
    // momentum(0.1, 0.9) on x·x from ones: v = 2, x = 0.8; v = 0.9·2 + 1.6 = 3.4, x = 0.46.
    const mom = run(optimizers.momentum(0.1, 0.9), np.ones([3]), 2);
    mom[0].forEach((v) => expect(v).toBeCloseTo(0.8, 6));
    mom[1].forEach((v) => expect(v).toBeCloseTo(0.46, 6));
    // nesterov(0.1, 0.9): x = 1 - 0.1·(0.9·2 + 2) = 0.62; then v = 3.04, x = 0.62 - 0.1·(2.736 + 1.24).
    expect(run(optimizers.nesterov(0.1, 0.9), f32(1), 2).flat().map((v) => +v.toFixed(6))).toEqual([0.62, 0.2224]);
    // rmsprop(0.1): a = 0.1·4, x = 1 - 0.1·2/sqrt(0.4 + 1e-8) = 0.683772.
    expect(run(optimizers.rmsprop(0.1), f32(1), 1)[0][0]).toBeCloseTo(0.683772, 6);
    expect(run(optimizers.rmspropMomentum(0.1), f32(1), 1)[0][0]).toBeCloseTo(0.683772, 6);
    // adagrad(0.1): gSq = 4, m = 0.1·(2·0.5) = 0.1, x = 1 - 0.01 = 0.99.
    expect(run(optimizers.adagrad(0.1), f32(1), 1)[0][0]).toBeCloseTo(0.99, 7);
    // adam's and adamax's first step moves by the step size: m̂ = g, v̂ = g² (u = |g|). As in
    // JAX, the bias corrections use b1, b2 rounded to float32 (1 - 0.999 is off by 1.3e-5
    // relative), which moves adam's first step by about 7e-7.
    expect(run(optimizers.adam(0.1), f32(1), 1)[0][0]).toBeCloseTo(0.9, 5);
    expect(run(optimizers.adamax(0.1), f32(1), 1)[0][0]).toBeCloseTo(0.9, 7);
    // sm3(0.1) on a vector: accumulators 0, accum = 4, m = 0.1·(2·0.5), x = 0.99.
    expect(run(optimizers.sm3(0.1), np.ones([2]), 1)[0]).toEqual([0.99, 0.99].map(Math.fround));
  });

  it.each(Object.keys(refs))("%s: five steps match the update formula in float64", (name) => {
    const x0 = [1, -0.5, 2.5, 0.1];
    const got = run(makers[name](), f32(x0), 5);
    const want = x0.map((x) => refs[name](x, 5));
    // Each float32 step rounds a handful of operations (≈1e-7 relative each) and the errors
    // carry over five steps: 2e-6 relative plus 1e-7 absolute for values near zero. Adam's
    // 1 - b2^(i+1) cancels in float32 (0.999^3 carries a 6e-8 rounding, 2e-5 relative to
    // 1 - 0.999^3 ≈ 0.003; JAX computes it the same way), which moves each step of size 0.1
    // by up to ~1e-6: 5e-6 absolute over five steps.
    const atol = name === "adam" ? 5e-6 : 1e-7;
    for (let s = 0; s < 5; s++) {
      x0.forEach((_, k) => {
        const w = want[k][s];
        expect(Math.abs(got[s][k] - w), `${name} step ${s} coordinate ${k}: got ${got[s][k]}, want ${w}`).toBeLessThanOrEqual(atol + 2e-6 * Math.abs(w));
      });
    }
  });

  it("sm3 on a matrix: per-axis accumulators (min to read, max to write) as JAX", () => {
    const x0 = [[1, -2, 0.5], [0.25, 3, -1]];
    const got = run(optimizers.sm3(0.1, 0.9), f32(x0), 3);
    // Reference: rows r[i], columns c[j]; accum = min(r[i], c[j]) + g²; r[i] = max_j accum, c[j] = max_i accum.
    const x = x0.map((r) => r.slice());
    const m = x0.map((r) => r.map(() => 0));
    let rows = [0, 0];
    let cols = [0, 0, 0];
    for (let s = 0; s < 3; s++) {
      const acc = x.map((r, i) => r.map((v, j) => Math.min(rows[i], cols[j]) + (2 * v) ** 2));
      x.forEach((r, i) => r.forEach((v, j) => {
        const g = 2 * v;
        m[i][j] = 0.1 * (g / Math.sqrt(acc[i][j])) + 0.9 * m[i][j];
        r[j] = v - 0.1 * m[i][j];
      }));
      rows = acc.map((r) => Math.max(...r));
      cols = [0, 1, 2].map((j) => Math.max(acc[0][j], acc[1][j]));
      got[s].forEach((v, k) => expect(v).toBeCloseTo(x[Math.floor(k / 3)][k % 3], 6));
    }
    // A 0-d parameter works too (stored as given; accumulated as a length-1 vector).
    const [init, update, getParams] = optimizers.sm3(0.1);
    const st = update(0, f32(2), init(f32(1)));
    expect((getParams(st) as Array).shape).toEqual([]);
    expectArray(getParams(st) as Array, 0.99, { rtol: 1e-7 });
  });

  it("works over any pytree of parameters; the state is a pytree of arrays only", () => {
    const params = { w: f32([[1, 2], [3, 4]]), b: f32([0.5]), extra: [f32(2), null] };
    const [init, update, getParams] = optimizers.adam(0.01);
    const state = init(params);
    // Three state arrays (x, m, v) per parameter leaf, nothing else.
    expect(tree.leaves(state).length).toBe(9);
    expect(tree.leaves(state).every((l) => l instanceof Array)).toBe(true);
    const loss = (p: typeof params) => np.add(np.add(sumSq(p.w), sumSq(p.b)), sumSq(p.extra[0] as Array));
    const next = update(0, grad(loss)(getParams(state) as typeof params), state);
    const p = getParams(next) as typeof params;
    expect(Object.keys(p).sort()).toEqual(["b", "extra", "w"]);
    expect(p.extra[1]).toBe(null);
    // Adam's first step: every coordinate moves by the step size against its gradient's sign.
    expectArray(p.w, [[0.99, 1.99], [2.99, 3.99]], { rtol: 1e-6 });
    expectArray(p.b, [0.49], { rtol: 1e-6 });
    expect(() => update(1, { w: f32([[1, 1], [1, 1]]), b: f32([1]) }, next)).toThrow(/does not match the parameter tree/);
    expect(() => update(1, params, { packedState: 3 } as never)).toThrow(/optimizer state/);
    // JS numbers are float parameters.
    const [i2, u2, g2] = optimizers.sgd(0.5);
    expectArray(g2(u2(0, 1, i2(2))) as Array, 1.5, { dtype: "float32" });
  });

  it("schedules: values from JAX's formulas", () => {
    expect(optimizers.exponentialDecay(0.1, 3, 2)(3)).toBeCloseTo(0.2, 12);
    expect(optimizers.exponentialDecay(0.1, 3, 2)(0)).toBe(0.1);
    const poly = optimizers.polynomialDecay(1, 50, 0.1);
    expect(Number((poly(25) as Array).item())).toBeCloseTo(0.55, 6);
    expect(Number((poly(0) as Array).item())).toBe(1);
    expect(Number((poly(100) as Array).item())).toBeCloseTo(0.1, 7);
    expect(Number((optimizers.polynomialDecay(1, 10, 0, 2)(5) as Array).item())).toBeCloseTo(0.25, 7);
    expect(optimizers.inverseTimeDecay(1, 10, 0.5)(20)).toBeCloseTo(0.5, 12);
    expect(optimizers.inverseTimeDecay(1, 10, 0.5)(15)).toBeCloseTo(1 / 1.75, 12);
    expect(Number((optimizers.inverseTimeDecay(1, 10, 0.5, true)(15) as Array).item())).toBeCloseTo(1 / 1.5, 6);
    const pc = optimizers.piecewiseConstant([10, 20], [1, 0.5, 0.1]);
    expect([5, 10, 11, 20, 25].map((i) => Number((pc(i) as Array).item()))).toEqual([1, 1, 0.5, 0.5, Math.fround(0.1)]);
    expect(() => optimizers.piecewiseConstant([10, 20], [1, 0.5])).toThrow(/one shorter/);
    expect(optimizers.constant(0.3)(100)).toBe(0.3);
    expect(optimizers.makeSchedule(0.1)(7)).toBe(0.1);
    const f = (i: number | Array) => i;
    expect(optimizers.makeSchedule(f as never)).toBe(f);
    expect(() => optimizers.makeSchedule(np.ones([2]))).toThrow(/step size/);
  });

  it("schedules take a traced step under jit", () => {
    const at = (s: optimizers.Schedule, i: number) => Number((jit((k: Array) => np.asarray(s(k) as never))(np.array(i, "int32")) as Array).item());
    expect(at(optimizers.exponentialDecay(0.1, 3, 2), 3)).toBeCloseTo(0.2, 6);
    expect(at(optimizers.polynomialDecay(1, 50, 0.1), 25)).toBeCloseTo(0.55, 6);
    expect(at(optimizers.inverseTimeDecay(1, 10, 0.5), 20)).toBeCloseTo(0.5, 6);
    expect(at(optimizers.inverseTimeDecay(1, 10, 0.5, true), 15)).toBeCloseTo(1 / 1.5, 6);
    expect(at(optimizers.piecewiseConstant([10, 20], [1, 0.5, 0.1]), 11)).toBe(0.5);
  });

  it("an optimizer with a schedule uses the step index", () => {
    // sgd with step sizes 0.1, 0.05 on x²: 1 - 0.2 = 0.8; 0.8 - 0.05·1.6 = 0.72.
    const got = run(optimizers.sgd(optimizers.exponentialDecay(0.1, 1, 0.5)), f32(1), 2);
    expect(got.flat()[0]).toBeCloseTo(0.8, 7);
    expect(got.flat()[1]).toBeCloseTo(0.72, 7);
  });

  it("l2Norm and clipGrads", () => {
    const g = { a: f32([3, 0]), b: [f32([[4]])] };
    expectArray(optimizers.l2Norm(g), 5);
    const clipped = optimizers.clipGrads(g, 1) as typeof g;
    expectArray(clipped.a, [0.6, 0], { rtol: 1e-6 });
    expectArray(clipped.b[0], [[0.8]], { rtol: 1e-6 });
    const kept = optimizers.clipGrads(g, 10) as typeof g;
    expectArray(kept.a, [3, 0]);
  });

  it.each(Object.keys(makers))("%s: a jitted update step with donated state equals the eager one", (name) => {
    const [init, update, getParams] = makers[name]();
    const params = { w: f32([[1, -2, 0.5], [0.25, 3, -1]]), b: f32([0.1, -0.3, 2]) };
    const loss = (p: typeof params, x: Array) => np.sum(np.square(np.add(np.matmul(x, p.w), p.b)));
    const x = f32([[0.5, -1], [2, 0.25]]);
    const step = (i: number | Array, state: optimizers.OptimizerState, batch: Array) =>
      update(i, grad(loss)(getParams(state) as typeof params, batch), state);
    const jitted = jit(step, { donateArgnums: 1 });
    let eager = init(params);
    let compiled = init(params);
    let eagerNum = init(params);
    for (let i = 0; i < 4; i++) {
      // The same step as an int32 array in both: the same operations, so the same bits.
      eager = step(np.array(i, "int32"), eager, x);
      eagerNum = step(i, eagerNum, x);
      compiled = jitted(np.array(i, "int32"), compiled, x);
    }
    expect(jitted.traceCount).toBe(1);
    const pe = getParams(eager) as typeof params;
    const pc = getParams(compiled) as typeof params;
    expect(vals(pc.w)).toEqual(vals(pe.w));
    expect(vals(pc.b)).toEqual(vals(pe.b));
    // A JS number step computes the bias corrections from a weak scalar instead: equal to
    // float32 rounding.
    const pn = getParams(eagerNum) as typeof params;
    expectArray(pn.w, pe.w.tolist() as never, { rtol: 1e-5, atol: 1e-6 });
  });

  it("unpackOptimizerState -> JSON -> packOptimizerState round-trips exactly", () => {
    const [init, update, getParams] = optimizers.adam(0.05);
    const params = { layer: [f32([[1, -2], [0.5, 3]]), f32([-0, 7.25])], scale: f32(1.5) };
    const loss = (p: typeof params) => np.add(sumSq(p.layer[0]), np.multiply(sumSq(p.layer[1]), p.scale));
    let state = init(params);
    for (let i = 0; i < 3; i++) state = update(i, grad(loss)(getParams(state) as typeof params), state);
    const marked = optimizers.unpackOptimizerState(state) as any;
    expect(marked.layer[0]).toBeInstanceOf(optimizers.JoinPoint);
    expect(marked.layer[0].subtree.length).toBe(3); // [x, m, v]
    const text = JSON.stringify(marked);
    const restored = optimizers.packOptimizerState(JSON.parse(text));
    const a = tree.leaves(state) as Array[];
    const b = tree.leaves(restored) as Array[];
    expect(b.length).toBe(a.length);
    a.forEach((l, i) => {
      expect(b[i].dtype).toBe(l.dtype);
      expect(b[i].shape).toEqual(l.shape);
      expect(new Uint8Array((b[i].dataSync() as Float32Array).buffer)).toEqual(new Uint8Array((l.dataSync() as Float32Array).buffer));
    });
    // Training continues identically from the restored state.
    const s1 = update(3, grad(loss)(getParams(state) as typeof params), state);
    const s2 = update(3, grad(loss)(getParams(restored) as typeof params), restored);
    (tree.leaves(getParams(s1)) as Array[]).forEach((l, i) => expect(vals((tree.leaves(getParams(s2)) as Array[])[i])).toEqual(vals(l)));
    // Without JSON: pack(unpack(state)) is the same state.
    const again = optimizers.packOptimizerState(optimizers.unpackOptimizerState(state));
    expect(again.treeDef).toEqual(state.treeDef);
    expect(again.subtreeDefs).toEqual(state.subtreeDefs);
    expect(() => optimizers.packOptimizerState({ a: 1 })).toThrow(/JoinPoint/);
  });

  it("the JSON form keeps special values, -0 and other dtypes exactly", () => {
    const [init] = optimizers.sgd(0.1);
    const special = np.array([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38], "float32");
    const state = init({ f: special, h: np.array([0.1, -0, 65504], "float16"), i: np.array([-7, 2 ** 31 - 1], "int32") });
    const back = optimizers.packOptimizerState(JSON.parse(JSON.stringify(optimizers.unpackOptimizerState(state))));
    const [f, h, i] = tree.leaves(back) as Array[];
    const bits = (x: Array) => globalThis.Array.from(new Uint32Array(new Float32Array(x.dataSync() as ArrayLike<number>).buffer));
    expect(bits(f)).toEqual(bits(special));
    expect(h.dtype).toBe("float16");
    expect(bits(h)).toEqual(bits(np.array([0.1, -0, 65504], "float16")));
    expect(i.dtype).toBe("int32");
    expect(vals(i)).toEqual([-7, 2 ** 31 - 1]);
  });
});
