// makeJaxpr and the jaxpr printer (ts/core/jaxpr.ts), the simplification passes
// (ts/compile/simplify.ts), evalShape.
import { describe, expect, it } from "vitest";
import { evalShape, makeJaxpr, numpy as np, type Array } from "../../ts/index.js";
import { cse, dce, foldLiterals } from "../../ts/compile/simplify.js";
import { evalClosed } from "../../ts/core/jaxpr.js";

describe("makeJaxpr", () => {
  it("prints as JAX does", () => {
    expect(makeJaxpr(np.sin)(np.ones([3])).toString()).toBe("{ lambda ; a:f32[3]. let b:f32[3] = sin a in (b) }");
    // Longer ones break lines, one equation per line.
    const long = makeJaxpr((x: Array) => np.cos(np.sin(np.exp(np.log(x)))))(np.ones([1000, 1000])).toString();
    expect(long.split("\n")).toEqual([
      "{ lambda ; a:f32[1000,1000]. let",
      "    b:f32[1000,1000] = log a",
      "    c:f32[1000,1000] = exp b",
      "    d:f32[1000,1000] = sin c",
      "    e:f32[1000,1000] = cos d",
      "  in (e) }",
    ]);
  });
  it("scalar constants print inline as literals", () => {
    const text = makeJaxpr((x: Array) => np.sin(x).mul(2))(np.ones([3])).toString();
    expect(text).toContain("mul b 2.0:f32[3]");
    expect(text.startsWith("{ lambda ; a:f32[3]. let")).toBe(true);
  });
  it("several inputs and outputs, params", () => {
    const j = makeJaxpr((x: Array, y: Array) => [np.sum(x, 0), x.add(y)])(np.ones([2, 3]), np.ones([2, 3]));
    expect(j.jaxpr.invars.length).toBe(2);
    expect(j.jaxpr.outvars.length).toBe(2);
    expect(j.toString()).toMatch(/reduce_sum\[axes=\(0,\)\] a/);
  });
  it("closed-over arrays become constvars", () => {
    const c = np.arange(3).astype("float32");
    const j = makeJaxpr((x: Array) => x.add(c))(np.ones([3]));
    expect(j.jaxpr.constvars.length).toBe(1);
    expect(j.toString()).toMatch(/^\{ lambda a:f32\[3\]; b:f32\[3\]\. let c:f32\[3\] = add b a/);
  });
});

describe("simplification", () => {
  it("CSE merges equal equations and DCE drops unused ones", () => {
    const j = makeJaxpr((x: Array) => {
      np.cos(x); // dead
      return np.sin(x).add(np.sin(x));
    })(np.ones([3]));
    expect(j.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["cos", "sin", "sin", "add"]);
    const s = dce(cse(j));
    expect(s.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["sin", "add"]);
    // Same values before and after.
    const x = np.array([0.1, 0.2, 0.3], "float32");
    expect(evalClosed(s, [x])[0].tolist()).toEqual(evalClosed(j, [x])[0].tolist());
  });
  it("literal folding keeps the values", () => {
    const c = np.array(3.5, "float32");
    const j = makeJaxpr((x: Array) => x.mul(c))(np.ones([2]));
    const folded = foldLiterals(j);
    expect(folded.jaxpr.constvars.length).toBe(0);
    expect(evalClosed(folded, [np.ones([2])])[0].tolist()).toEqual([3.5, 3.5]);
  });
});

describe("evalShape", () => {
  it("computes shapes and dtypes without running", () => {
    const out = evalShape((x: Array, y: Array) => ({ s: np.dot(x, y), t: x.astype("int32") }), np.ones([2, 3]), np.ones([3, 4]));
    expect(out.s.shape).toEqual([2, 4]);
    expect(out.s.dtype).toBe("float32");
    expect(out.t.dtype).toBe("int32");
    expect(evalShape(np.sin, { shape: [5, 2], dtype: "float32" }).shape).toEqual([5, 2]);
  });
});
