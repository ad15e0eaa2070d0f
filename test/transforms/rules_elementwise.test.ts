// Derivative and batching rules of the elementwise lax primitives (ts/lax/elementwise.ts).
import { describe, it } from "vitest";
import { lax, numpy as np } from "../../ts/index.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

const unary: [string, (x: any) => any, [number, number]][] = [
  ["sin", lax.sin, [-3, 3]], ["cos", lax.cos, [-3, 3]], ["tan", lax.tan, [-1.2, 1.2]],
  ["asin", lax.asin, [-0.9, 0.9]], ["acos", lax.acos, [-0.9, 0.9]], ["atan", lax.atan, [-3, 3]],
  ["sinh", lax.sinh, [-3, 3]], ["cosh", lax.cosh, [-3, 3]], ["tanh", lax.tanh, [-3, 3]],
  ["asinh", lax.asinh, [-3, 3]], ["acosh", lax.acosh, [1.1, 4]], ["atanh", lax.atanh, [-0.9, 0.9]],
  ["exp", lax.exp, [-3, 3]], ["exp2", lax.exp2, [-3, 3]], ["expm1", lax.expm1, [-3, 3]],
  ["log", lax.log, [0.1, 4]], ["log1p", lax.log1p, [-0.5, 4]], ["sqrt", lax.sqrt, [0.1, 4]],
  ["rsqrt", lax.rsqrt, [0.1, 4]], ["cbrt", lax.cbrt, [0.1, 4]],
  ["erf", lax.erf, [-2, 2]], ["erfc", lax.erfc, [-2, 2]], ["erf_inv", lax.erfInv, [-0.9, 0.9]],
  ["lgamma", lax.lgamma, [0.5, 5]], ["digamma", lax.digamma, [0.5, 5]], ["logistic", lax.logistic, [-4, 4]],
  ["abs", lax.abs, [-2, 2]], ["neg", lax.neg, [-2, 2]],
];

describe("elementwise derivative rules (float64 finite differences; vjp by the transpose identity)", () => {
  it.each(unary)("%s", (_name, f, [lo, hi]) => {
    withX64(() => checkGrads(f, [randArray([7], lo, hi, 11)]));
  });
  const binary: [string, (x: any, y: any) => any, [number, number], [number, number]][] = [
    ["add", lax.add, [-2, 2], [-2, 2]], ["sub", lax.sub, [-2, 2], [-2, 2]], ["mul", lax.mul, [-2, 2], [-2, 2]],
    ["div", lax.div, [-2, 2], [0.5, 2]], ["pow", lax.pow, [0.5, 2], [-2, 2]], ["atan2", lax.atan2, [-2, 2], [0.5, 2]],
    ["max", lax.max, [-2, 2], [-2, 2]], ["min", lax.min, [-2, 2], [-2, 2]], ["rem", lax.rem, [1, 5], [0.7, 0.9]],
  ];
  it.each(binary)("%s", (_name, f, a, b) => {
    withX64(() => checkGrads(f, [randArray([6], a[0], a[1], 21), randArray([6], b[0], b[1], 22)]));
  });
});

describe("elementwise batching", () => {
  it("unary and binary with mixed batch axes", () => {
    checkVmap(lax.sin, [randArray([4, 3], -1, 1, 1, "float32")], [1]);
    checkVmap(lax.mul, [randArray([4, 3], -1, 1, 1, "float32"), randArray([3], -1, 1, 2, "float32")], [0, null]);
    checkVmap(lax.atan2, [randArray([3, 4], -1, 1, 1, "float32"), randArray([4, 3], -1, 1, 2, "float32")], [1, 0]);
  });
});
