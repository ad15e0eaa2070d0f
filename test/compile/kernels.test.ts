// What the compiler makes of programs: how many kernels, what each fuses, what is
// materialized, and that kernels respect a backend's buffer limit.
import { describe, expect, it } from "vitest";
import { numpy as np, jit, makeJaxpr, type Array } from "../../ts/index.js";
import { compileJaxpr } from "../../ts/compile/index.js";
import { planFusion } from "../../ts/compile/fusion.js";
import { simplify } from "../../ts/compile/simplify.js";
import type { ClosedJaxpr } from "../../ts/core/jaxpr.js";

const x = np.array([[0.5, -1, 2], [1.5, 0.25, -0.75]], "float32");
const y = np.array([[1, 2, 3], [4, 5, 6]], "float32");
const kernels = (f: (...a: any[]) => unknown, ...args: unknown[]) => jit(f as any).lower(...(args as [])).kernels;
const fusedCount = (lines: string[]) => lines.filter((l) => l.startsWith("fused")).length;

describe("kernel counts", () => {
  it("sqrt(x*x + y*y) is one kernel, y an argument or closed over", () => {
    expect(kernels((a: Array, b: Array) => np.sqrt(a.mul(a).add(b.mul(b))), x, y)).toEqual(["fused[mul,mul,add,sqrt] f32[2,3]"]);
    expect(kernels((a: Array) => np.sqrt(a.mul(a).add(y.mul(y))), x)).toHaveLength(1);
    // y broadcast from a row
    const row = np.array([1, 2, 3], "float32");
    expect(kernels((a: Array) => np.sqrt(a.mul(a).add(row.mul(row))), x)).toHaveLength(1);
  });

  it("sin(x) + cos(y) is one kernel", () => {
    expect(kernels((a: Array, b: Array) => np.sin(a).add(np.cos(b)), x, y)).toEqual(["fused[sin,cos,add] f32[2,3]"]);
  });

  it("softmax is at most three kernels: max, sum of exp, normalization", () => {
    const softmax = (a: Array) => {
      const e = np.exp(a.sub(np.max(a, { axis: 1, keepdims: true })));
      return e.div(np.sum(e, { axis: 1, keepdims: true }));
    };
    const ks = kernels(softmax, x);
    expect(ks.length).toBeLessThanOrEqual(3);
    expect(ks.every((k) => k.startsWith("fused"))).toBe(true);
  });

  it("consumers of a reduction run in its epilogue; views do not run", () => {
    expect(kernels((a: Array) => np.mean(a, 1), x)).toEqual(["fused[reduce_sum,div] f32[2] <- [2,3]"]);
    expect(kernels((a: Array) => np.sum(np.exp(a.T), 0).mul(2).add(1), x)).toHaveLength(1);
    expect(kernels((a: Array) => a.T.reshape([6]).get("::-1"), x)).toHaveLength(1); // one copy
    expect(kernels((a: Array) => a.T.get("::-1"), x)).toHaveLength(0); // a view of the argument
  });

  it("a reduction is never duplicated; a second reduction starts a new kernel", () => {
    const ks = kernels((a: Array) => {
      const s = np.sum(a, 1);
      return [s.mul(2), np.max(a, 1).add(s)];
    }, x);
    expect(ks.filter((k) => k.includes("reduce_sum"))).toHaveLength(1);
    expect(ks.filter((k) => k.includes("reduce_max"))).toHaveLength(1);
  });

  it("routines run as routines; their operands are materialized", () => {
    const ks = kernels((a: Array, b: Array) => np.exp(np.dot(np.sin(a), b.T)), x, y);
    expect(ks).toEqual(["fused[sin] f32[2,3]", "routine dot_general f32[2,3] f32[3,2] -> f32[2,2]", "fused[exp] f32[2,2]"]);
  });

  it("an expensive value needed by two kernels is computed once; a cheap one is recomputed", () => {
    const heavy = kernels((a: Array) => {
      const t = np.sin(np.cos(np.sin(a)));
      return [t.mul(2), np.sum(t, 1)];
    }, x);
    const sins = heavy.map((k) => (k.match(/sin/g) ?? []).length).reduce((p, q) => p + q, 0);
    expect(sins).toBe(2); // sin, cos, sin once
    const cheap = kernels((a: Array) => {
      const t = a.mul(3).add(1);
      return [t.mul(2), np.sum(t, 1)];
    }, x);
    expect(fusedCount(cheap)).toBe(2); // t recomputed in both kernels, never stored
  });

  it("results over the same shape share one kernel with several outputs", () => {
    expect(kernels((a: Array) => [np.sin(a), np.cos(a), np.sin(a).mul(np.cos(a))], x)).toEqual(["fused[sin,cos,mul] f32[2,3] (3 outputs)"]);
    // b is computed from a through a routine: a's kernel must run first
    const ks = kernels((a: Array) => {
      const s = np.exp(a);
      const b = np.cumsum(s, 1);
      return [s, b.add(1)];
    }, x);
    expect(ks).toEqual(["fused[exp] f32[2,3]", "routine cumsum f32[2,3] -> f32[2,3]", "fused[add] f32[2,3]"]);
  });

  it("a reduction over an empty axis is a constant", () => {
    const f = jit((a: Array) => [np.sum(a.get(":, :0"), 1).add(1), np.prod(a.get(":0"), 0)]);
    expect(f.lower(x).kernels).toEqual([]);
    expect((f(x) as Array[]).map((o) => o.tolist())).toEqual([[1, 1], [1, 1, 1]]);
  });

  it("literals become kernel constants", () => {
    const f = jit((a: Array) => a.mul(2).add(np.full([2, 3], 0.5)));
    expect(f.lower(x).kernels).toHaveLength(1);
    expect(f(x).tolist()).toEqual([[1.5, -1.5, 4.5], [3.5, 1, -1]]);
  });
});

describe("long programs", () => {
  it("a chain of 2,000 inlined equations is cut into kernels instead of overflowing the stack", () => {
    const f = (a: Array) => {
      let v = a;
      for (let i = 0; i < 1000; i++) v = v.mul(0.999).add(0.01);
      return np.sum(v);
    };
    const a = np.array([1, 2, 3], "float32");
    const jf = jit(f);
    const ks = jf.lower(a).kernels;
    expect(ks.length).toBeGreaterThanOrEqual(10); // at most 200 inlined levels per kernel
    expect(ks.length).toBeLessThanOrEqual(12);
    // the same float32 operations in the same order: equal up to rounding of the final sum
    expect(Math.abs((jf(a).item() as number) - (f(a).item() as number))).toBeLessThan(1e-4);
  });
});

describe("buffer limit", () => {
  const n = 12;
  const args = globalThis.Array.from({ length: n }, (_: unknown, i: number) => np.full([3], i + 1, "float32"));
  const sumAll = (...as: Array[]) => as.reduce((p, q) => p.add(q));

  it("kernels that would bind too many buffers are split; the values stay the same", () => {
    const cj = simplify(makeJaxpr(sumAll)(...args) as ClosedJaxpr);
    for (const limit of [4, 5, 8]) {
      const plan = planFusion(cj, { maxBuffers: limit, recomputeLimit: 16 });
      for (const g of plan.groups) expect(g.kernel.inputs.length + g.kernel.outputs.length).toBeLessThanOrEqual(limit);
      // n inputs, each kernel reads at most limit - 1: at least ceil((n - 1) / (limit - 2)) kernels
      expect(plan.groups.length).toBeGreaterThanOrEqual(Math.ceil((n - 1) / (limit - 2)));
      const exe = compileJaxpr(cj, { maxKernelBuffers: limit });
      expect((exe.run(args as any, new Set())[0] as Array).tolist()).toEqual([78, 78, 78]);
    }
    expect(planFusion(cj, { maxBuffers: 32, recomputeLimit: 16 }).groups).toHaveLength(1);
  });

  it("a limit below 4 is refused", () => {
    const cj = makeJaxpr(sumAll)(...args.slice(0, 2)) as ClosedJaxpr;
    expect(() => compileJaxpr(cj, { maxKernelBuffers: 3 })).toThrow(/at least 4/);
  });
});
