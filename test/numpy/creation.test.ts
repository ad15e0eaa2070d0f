// ts/numpy/creation.ts against NumPy fixtures (gen_creation.py) plus JAX's dtype and weak-type
// rules, positional forms and errors.
import { describe, expect, it } from "vitest";
import { numpy as np, config } from "../../ts/index.js";
import { backends, expectArray, fixture, useBackend } from "../helpers.js";
import { caseName, runCase, type Case } from "./shape_fixture_util.js";

const { cases } = fixture<{ cases: Case[] }>("numpy/fixtures/creation.json");

describe.each(backends)("creation on %s", (backend) => {
  useBackend(backend);

  describe("NumPy fixtures", () => {
    it.each(cases.map((c) => [caseName(c), c] as const))("%s", (_, c) => runCase(c));
  });

  it("typed arrays convert by value, whatever their element type", () => {
    // A Float64Array is float32 data in x32 mode but has 8-byte elements: it must be converted, not reinterpreted.
    expect(np.array(Float64Array.from([0.5, 0.25]), "float32").tolist()).toEqual([0.5, 0.25]);
    expect(np.array(Float64Array.from([0.5, -2])).tolist()).toEqual([0.5, -2]);
    expect(np.array(Float32Array.from([1.5]), "int32").tolist()).toEqual([1]);
    expect(np.array(Int32Array.from([1, -3]), "float32").tolist()).toEqual([1, -3]);
  });

  it("dtypes and weak types follow JAX", () => {
    expect(np.zeros([2]).weakType).toBe(false);
    expect(np.arange(3).weakType).toBe(false);
    expect(np.arange(3).dtype).toBe("int32");
    expect(np.arange(0, 1, 0.5).dtype).toBe("float32");
    // lax.full keeps the weak type of a Python scalar fill value.
    const f = np.full([2], 3);
    expect(f.dtype).toBe("int32");
    expect(f.weakType).toBe(true);
    expect(np.full([2], 3, "int32").weakType).toBe(false);
    expect(np.full([2], 1.5).weakType).toBe(true);
    expect(np.full([2], true).dtype).toBe("bool");
    // *Like functions keep the weak type of their input when no dtype is given.
    const w = np.asarray(2.5);
    expect(w.weakType).toBe(true);
    expect(np.zerosLike(w).weakType).toBe(true);
    expect(np.zerosLike(w, "float32").weakType).toBe(false);
    expect(np.int8 && np.zeros([1], np.int8).dtype).toBe("int8");
    // arange with an int8 array argument takes its dtype.
    expect(np.arange(np.array(4, "int8")).dtype).toBe("int8");
    expect(np.tri(2).dtype).toBe("float32");
    expect(np.linspace(0, 1, 3).weakType).toBe(false);
  });

  it("x64 changes the default float", () => {
    config.update("jax_enable_x64", true);
    try {
      expect(np.zeros([1]).dtype).toBe("float64");
      expect(np.arange(0.5, 2).dtype).toBe("float64");
      expect(np.eye(2).dtype).toBe("float64");
      expect(np.tri(2).dtype).toBe("float32");
      expectArray(np.linspace(0, 1, 4) as never, [0, 1 / 3, 2 / 3, 1], { dtype: "float64", rtol: 1e-15 });
    } finally {
      config.update("jax_enable_x64", false);
    }
  });

  it("constant arrays are single-element broadcasts", () => {
    const z = np.zeros([1000, 1000]);
    expect(z.shape).toEqual([1000, 1000]);
    expect(z.sum().item()).toBe(0);
  });

  it("arange reads concrete 0-d arrays", () => {
    expectArray(np.arange(np.array(1), np.array(4)) as never, [1, 2, 3], { dtype: "int32" });
  });

  it("errors name the function and the problem", () => {
    expect(() => np.zeros([-1])).toThrow(/zeros: negative dimensions/);
    expect(() => np.zeros([2.5] as never)).toThrow(/zeros: shape must be/);
    expect(() => np.zeros([2], "float128")).toThrow(/unknown dtype "float128"/);
    expect(() => np.arange(0, 5, 0)).toThrow(/arange: step must not be zero/);
    expect(() => np.arange([1, 2] as never)).toThrow(/arange: .* must be a number/);
    expect(() => np.linspace(0, 1, -1)).toThrow(/linspace: number of samples, -1/);
    expect(() => np.full([2, 2], np.array([1, 2, 3]))).toThrow(/full/);
    expect(() => np.eye(-2)).toThrow(/eye: negative dimensions/);
    expect(() => np.diag(np.zeros([2, 2, 2]))).toThrow(/diag: the input must be 1-D or 2-D/);
    expect(() => np.meshgrid(np.zeros([2, 2]))).toThrow(/meshgrid: arguments must be 1-D/);
    expect(() => np.meshgrid(np.zeros([2]), { indexing: "ji" as never })).toThrow(/meshgrid: indexing must be/);
  });
});
