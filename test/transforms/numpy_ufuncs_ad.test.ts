// jax.numpy ufuncs under the transformations:
// - grad/jvp of every unary and binary math ufunc against float64 central differences, and
//   reverse mode against forward mode (check.ts: checkJvp, checkVjp);
// - vmap against a loop (mixed batch axes, broadcasting, weak JS scalars) and jit against eager;
// - JAX's conventions at kinks and special points (values from JAX's documentation, its
//   derivative rules in jax/_src/lax/lax.py and jax/_src/numpy/ufuncs.py, and its FAQ on
//   where() and NaN gradients).
import { describe, expect, it } from "vitest";
import { Array, grad, hessian, jit, jvp, numpy as np, vmap } from "../../ts/index.js";
import { expectArray } from "../helpers.js";
import { checkGrads, checkJvp, checkVmap, randArray, withX64 } from "./check.js";

type U = (x: any) => any;
/** Sum of every float output (divmod returns two). */
const sumAll = (out: Array | Array[]): Array =>
  globalThis.Array.isArray(out) ? out.map((o) => np.sum(o)).reduce((p, q) => np.add(p, q)) : np.sum(out);
type B = (x: any, y: any) => any;

// Sample ranges keep away from kinks and poles (a kink inside [x - eps, x + eps] would make the
// central difference meaningless); the kinks themselves are tested separately below.
const unary: [string, U, [number, number]][] = [
  ["sin", np.sin, [-3, 3]], ["cos", np.cos, [-3, 3]], ["tan", np.tan, [-1.2, 1.2]],
  ["arcsin", np.arcsin, [-0.9, 0.9]], ["arccos", np.arccos, [-0.9, 0.9]], ["arctan", np.arctan, [-3, 3]],
  ["asin", np.asin, [-0.9, 0.9]], ["acos", np.acos, [-0.9, 0.9]], ["atan", np.atan, [-3, 3]],
  ["sinh", np.sinh, [-2, 2]], ["cosh", np.cosh, [-2, 2]], ["tanh", np.tanh, [-2, 2]],
  ["arcsinh", np.arcsinh, [-3, 3]], ["arccosh", np.arccosh, [1.1, 3]], ["arctanh", np.arctanh, [-0.9, 0.9]],
  ["asinh", np.asinh, [-3, 3]], ["acosh", np.acosh, [1.1, 3]], ["atanh", np.atanh, [-0.9, 0.9]],
  ["exp", np.exp, [-2, 2]], ["exp2", np.exp2, [-2, 2]], ["expm1", np.expm1, [-2, 2]],
  ["log", np.log, [0.1, 3]], ["log2", np.log2, [0.1, 3]], ["log10", np.log10, [0.1, 3]], ["log1p", np.log1p, [-0.5, 3]],
  ["sqrt", np.sqrt, [0.1, 3]], ["cbrt", np.cbrt, [-3, 3]], ["square", np.square, [-2, 2]], ["reciprocal", np.reciprocal, [0.5, 2]],
  ["abs", np.abs, [-2, 2]], ["absolute", np.absolute, [-2, 2]], ["fabs", np.fabs, [-2, 2]],
  ["negative", np.negative, [-2, 2]], ["positive", np.positive, [-2, 2]], ["sign", np.sign, [-2, 2]],
  ["floor", np.floor, [-3, 3]], ["ceil", np.ceil, [-3, 3]], ["trunc", np.trunc, [-3, 3]], ["fix", np.fix, [-3, 3]],
  ["rint", np.rint, [-3, 3]], ["round", (x) => np.round(x, 2), [-3, 3]], ["around", np.around, [-3, 3]],
  ["deg2rad", np.deg2rad, [-90, 90]], ["radians", np.radians, [-90, 90]], ["rad2deg", np.rad2deg, [-2, 2]], ["degrees", np.degrees, [-2, 2]],
  ["sinc", np.sinc, [-2, 2]], ["sinc near 0", np.sinc, [-1e-3, 1e-3]], ["nanToNum", np.nanToNum, [-2, 2]],
  ["power(x, 3)", (x) => np.power(x, 3), [-2, 2]], ["power(x, -2)", (x) => np.power(x, -2), [0.5, 2]],
  ["power(x, 0.5)", (x) => np.power(x, 0.5), [0.1, 2]], ["x ** 2 via pow", (x) => np.pow(x, 2), [-2, 2]],
];

const binary: [string, B, [number, number], [number, number]][] = [
  ["add", np.add, [-2, 2], [-2, 2]], ["subtract", np.subtract, [-2, 2], [-2, 2]], ["multiply", np.multiply, [-2, 2], [-2, 2]],
  ["divide", np.divide, [-2, 2], [0.5, 2]], ["trueDivide", np.trueDivide, [-2, 2], [-2, -0.5]],
  ["floorDivide", np.floorDivide, [-5, 5], [0.6, 2]], ["remainder", np.remainder, [-5, 5], [0.6, 2]],
  ["mod (negative divisor)", np.mod, [-5, 5], [-2, -0.6]], ["fmod", np.fmod, [-5, 5], [-2, -0.6]],
  ["divmod", np.divmod, [-5, 5], [0.6, 2]],
  ["power", np.power, [0.5, 2], [-2, 2]], ["pow", np.pow, [0.5, 2], [-2, 2]], ["floatPower", np.floatPower, [0.5, 2], [-2, 2]],
  ["arctan2", np.arctan2, [-2, 2], [0.5, 2]], ["atan2 (x < 0)", np.atan2, [0.2, 2], [-2, -0.5]],
  ["hypot", np.hypot, [-2, 2], [-2, 2]], ["logaddexp", np.logaddexp, [-3, 3], [-3, 3]], ["logaddexp2", np.logaddexp2, [-3, 3], [-3, 3]],
  ["copysign", np.copysign, [-2, 2], [-2, 2]], ["heaviside", np.heaviside, [-2, 2], [-2, 2]],
  ["maximum", np.maximum, [-2, 2], [-2, 2]], ["minimum", np.minimum, [-2, 2], [-2, 2]],
  ["fmax", np.fmax, [-2, 2], [-2, 2]], ["fmin", np.fmin, [-2, 2], [-2, 2]],
  ["clip(x, lo, 0.5)", (x, lo) => np.clip(x, lo, 0.5), [-2, 2], [-1, 0]],
  ["where(x > y, x * y, x - y)", (x, y) => np.where(np.greater(x, y), np.multiply(x, y), np.subtract(x, y)), [-2, 2], [-2, 2]],
];

describe("numpy ufuncs: derivatives against float64 central differences", () => {
  it.each(unary)("%s", (_name, f, [lo, hi]) => {
    withX64(() => checkGrads(f, [randArray([2, 4], lo, hi, 7)]));
  });
  it.each(binary)("%s", (_name, f, a, b) => {
    withX64(() => checkGrads(f, [randArray([2, 3], a[0], a[1], 8), randArray([2, 3], b[0], b[1], 9)]));
  });
  it.each(unary)("second order: %s (jvp of grad against differences of grad)", (_name, f, [lo, hi]) => {
    const df = (x: Array) => grad((v: Array) => np.sum(f(v)))(x);
    // The difference quotient of a first derivative computed in float64: 1e-5 relative leaves
    // room for the rounding of the composite derivative formulas (about 1e-16 / eps * |f''|).
    withX64(() => checkJvp(df, [randArray([5], lo, hi, 13)], { rtol: 1e-5, atol: 1e-6 }));
  });
  it.each(binary)("second order: %s", (_name, f, a, b) => {
    const df = (x: Array, y: Array) => grad((u: Array, v: Array) => sumAll(f(u, v)), { argnums: [0, 1] })(x, y);
    withX64(() => checkJvp(df, [randArray([5], a[0], a[1], 14), randArray([5], b[0], b[1], 15)], { rtol: 1e-5, atol: 1e-6 }));
  });
  it("binary ufuncs with broadcasting and weak scalars", () => {
    withX64(() => {
      checkGrads((x: Array, y: Array) => np.hypot(x, y), [randArray([2, 3], -2, 2, 1), randArray([3], 0.5, 2, 2)]);
      checkGrads((x: Array) => np.logaddexp(x, 0.5), [randArray([4], -3, 3, 3)]);
      checkGrads((x: Array, y: Array) => np.power(x, y), [randArray([2, 1], 0.5, 2, 4), randArray([1, 3], -2, 2, 5)]);
      checkGrads((x: Array) => np.arctan2(1.5, x), [randArray([4], -2, 2, 6)]);
      checkGrads((x: Array, lo: Array, hi: Array) => np.clip(x, lo, hi), [randArray([2, 3], -2, 2, 7), randArray([3], -1, -0.5, 8), randArray([2, 1], 0.5, 1, 9)]);
    });
  });
  it("power with a float base and an integer array exponent", () => {
    withX64(() => {
      const n = np.array([[-2, 0, 1], [2, 3, 4]], "int32");
      checkGrads((x: Array) => np.power(x, n), [randArray([2, 3], 0.5, 2, 11)]);
    });
  });
});

// ---- JAX's values at kinks and special points -------------------------------------------------

const g = (f: U) => (x: number) => withX64(() => grad(f)(np.array(x, "float64")).item() as number);
const g2 = (f: B) => (x: number, y: number) =>
  withX64(() => (grad(f, { argnums: [0, 1] })(np.array(x, "float64"), np.array(y, "float64")) as Array[]).map((a) => a.item() as number));

describe("numpy ufuncs: JAX's conventions at kinks", () => {
  it("abs, absolute, fabs: derivative 1 at 0 (also at -0), -1 below", () => {
    for (const f of [np.abs, np.absolute, np.fabs]) {
      expect(g(f)(0)).toBe(1);
      expect(g(f)(-0)).toBe(1);
      expect(g(f)(-2)).toBe(-1);
    }
  });
  it("sqrt and cbrt at 0: +inf (as JAX); x ** 0.5 at 0 also +inf", () => {
    expect(g(np.sqrt)(0)).toBe(Infinity);
    expect(g(np.cbrt)(0)).toBe(Infinity);
    expect(g((x) => np.power(x, np.array(0.5, "float64")))(0)).toBe(Infinity);
  });
  it("integer powers at 0: x ** 2 -> 0, x ** 1 -> 1, x ** 0 -> 0 (no NaN)", () => {
    expect(g((x) => np.power(x, 2))(0)).toBe(0);
    expect(g((x) => np.square(x))(0)).toBe(0);
    expect(g((x) => np.power(x, 1))(0)).toBe(1);
    expect(g((x) => np.power(x, 0))(0)).toBe(0);
    expect(g((x) => np.power(x, 0))(3)).toBe(0);
    // A float exponent array and an int32 exponent array behave the same at 0.
    expect(g((x) => np.power(x, np.array(2, "float64")))(0)).toBe(0);
    expect(g((x) => np.power(x, np.array(2, "int32")))(0)).toBe(0);
    expect(g((x) => np.power(x, np.array(0, "int32")))(0)).toBe(0);
    // Second derivative of x ** 3 at 0 is 0, of x ** 2 is 2.
    withX64(() => {
      expect(hessian((x: Array) => np.power(x, 3))(np.array(0, "float64")).item()).toBe(0);
      expect(hessian((x: Array) => np.power(x, 2))(np.array(0, "float64")).item()).toBe(2);
    });
  });
  it("power: d/dy at x = 0 is 0 (JAX reads log(0) as 0 there); d/dx with y = 0 is 0", () => {
    expect(g2(np.power)(0, 2)).toEqual([0, 0]);
    expect(g2(np.power)(0, 0)).toEqual([0, 0]);
    const [dx, dy] = g2(np.power)(2, 3);
    expect(dx).toBeCloseTo(12, 12);
    expect(dy).toBeCloseTo(8 * Math.log(2), 12);
  });
  it("maximum/minimum split ties 0.5/0.5; fmax/fmin give the tie to the second argument (JAX's where)", () => {
    expect(g2(np.maximum)(1, 1)).toEqual([0.5, 0.5]);
    expect(g2(np.minimum)(1, 1)).toEqual([0.5, 0.5]);
    expect(g2(np.maximum)(2, 1)).toEqual([1, 0]);
    expect(g2(np.minimum)(2, 1)).toEqual([0, 1]);
    expect(g2(np.fmax)(1, 1)).toEqual([0, 1]);
    expect(g2(np.fmin)(1, 1)).toEqual([0, 1]);
    expect(g2(np.fmax)(NaN, 1)).toEqual([0, 1]);
    expect(g2(np.fmax)(1, NaN)).toEqual([1, 0]);
  });
  it("clip at a bound: 0.5 (maximum(min, x) then minimum(max, x), as jnp.clip)", () => {
    expect(g((x) => np.clip(x, 0, 1))(0)).toBe(0.5);
    expect(g((x) => np.clip(x, 0, 1))(1)).toBe(0.5);
    expect(g((x) => np.clip(x, 0, 1))(0.5)).toBe(1);
    expect(g((x) => np.clip(x, 0, 1))(2)).toBe(0);
  });
  it("piecewise-constant functions have zero derivatives", () => {
    for (const f of [np.sign, np.floor, np.ceil, np.trunc, np.rint, np.round, (x: Array) => np.floorDivide(x, 0.7)]) {
      expect(g(f)(1.3)).toBe(0);
    }
    expect(g2(np.heaviside)(1.3, 0.5)).toEqual([0, 0]);
    // heaviside(0, h) = h: the derivative flows to h.
    expect(g2(np.heaviside)(0, 0.5)).toEqual([0, 1]);
  });
  it("remainder and fmod: d/dx = 1, d/dy = -floor(x/y) resp. -trunc(x/y)", () => {
    expect(g2(np.remainder)(-5.5, 2)).toEqual([1, 3]);
    expect(g2(np.fmod)(-5.5, 2)).toEqual([1, 2]);
    expect(g2(np.floorDivide)(-5.5, 2)).toEqual([0, 0]);
    const [q, r] = withX64(() => jvp((x: Array) => np.divmod(x, 2), [np.array(-5.5, "float64")], [np.array(1, "float64")])[1]) as Array[];
    expect([q.item(), r.item()]).toEqual([0, 1]);
  });
  it("where: the gradient reaches only the chosen branch, and 0 * inf is NaN as in JAX", () => {
    const safeLog = (x: Array) => np.where(np.greater(x, 0), np.log(x), 0);
    expect(g(safeLog)(2)).toBe(0.5);
    expect(Math.abs(g(safeLog)(-1))).toBe(0); // a zero cotangent times log'(-1) = -1: (-)0
    expect(g(safeLog)(0)).toBeNaN(); // 0 * (1/0) = 0 * inf = NaN, exactly JAX's FAQ example
    // The FAQ's fix (a where inside as well) gives 0.
    const saferLog = (x: Array) => np.where(np.greater(x, 0), np.log(np.where(np.greater(x, 0), x, 1)), 0);
    expect(g(saferLog)(0)).toBe(0);
    expect(g2((c: Array, x: Array) => np.where(np.greater(c, 0), x, np.multiply(x, 3)))(1, 2)).toEqual([0, 1]);
    expect(g2((c: Array, x: Array) => np.where(np.greater(c, 0), x, np.multiply(x, 3)))(-1, 2)).toEqual([0, 3]);
  });
  it("logaddexp and logaddexp2 at ties: 0.5/0.5 (JAX's custom JVP); with -inf the other argument takes all", () => {
    expect(g2(np.logaddexp)(1, 1)).toEqual([0.5, 0.5]);
    expect(g2(np.logaddexp2)(1, 1)).toEqual([0.5, 0.5]);
    expect(g2(np.logaddexp)(-Infinity, 1)).toEqual([0, 1]);
    const [a, b] = g2(np.logaddexp)(0, Math.log(3));
    expect(a).toBeCloseTo(0.25, 14);
    expect(b).toBeCloseTo(0.75, 14);
  });
  it("hypot at the origin: 0.5/0.5 (the max/min tie of JAX's formula), no NaN", () => {
    expect(g2(np.hypot)(0, 0)).toEqual([0.5, 0.5]);
    const [a, b] = g2(np.hypot)(3, -4);
    expect(a).toBeCloseTo(0.6, 14);
    expect(b).toBeCloseTo(-0.8, 14);
  });
  it("sinc at 0: value 1, derivative 0, second derivative -pi^2/3 (JAX's Maclaurin rule)", () => {
    expect(g(np.sinc)(0)).toBe(0);
    withX64(() => {
      expect(hessian(np.sinc)(np.array(0, "float64")).item()).toBeCloseTo(-(Math.PI ** 2) / 3, 12);
      expect(np.sinc(np.array(0, "float64")).item()).toBe(1);
    });
  });
  it("copysign: d/dx is the sign applied (1 at x = -0 with a positive y, as JAX's abs rule), d/dy = 0", () => {
    expect(g2(np.copysign)(-2, 3)).toEqual([-1, 0]);
    expect(g2(np.copysign)(2, -3)).toEqual([-1, 0]);
    expect(g2(np.copysign)(2, 3)).toEqual([1, 0]);
    expect(g2(np.copysign)(-0, 3)).toEqual([1, 0]);
  });
  it("arctan2 and conversions", () => {
    const [a, b] = g2(np.arctan2)(1, 2);
    expect(a).toBeCloseTo(2 / 5, 14);
    expect(b).toBeCloseTo(-1 / 5, 14);
    expect(g(np.deg2rad)(10)).toBeCloseTo(Math.PI / 180, 15);
    expect(g(np.rad2deg)(1)).toBeCloseTo(180 / Math.PI, 12);
  });
  it("nanToNum: derivative 1 where finite, 0 at the replaced entries", () => {
    withX64(() => {
      const x = np.array([1, NaN, Infinity, -Infinity, -2], "float64");
      expectArray(grad((v: Array) => np.sum(np.nanToNum(v)))(x), [1, 0, 0, 0, 1]);
      const xa = np.array([0.5, NaN], "float64");
      expectArray(grad((v: Array) => np.sum(np.nanToNum(v, { nan: v.get(0) })))(xa), [2, 0]);
    });
  });
  it("frexp and ldexp work on the bits: zero derivatives, as JAX (bitcast_convert_type's jvp is zero)", () => {
    expect(grad((x: Array) => np.frexp(x)[0])(np.array(3, "float32")).item()).toBe(0);
    expect(grad((x: Array) => np.ldexp(x, 3))(np.array(3, "float32")).item()).toBe(0);
    // ... except where ldexp returns its input (0, ±inf): there the derivative is 1.
    expect(grad((x: Array) => np.ldexp(x, 3))(np.array(0, "float32")).item()).toBe(1);
  });
  it("frexp and ldexp in float64 (x64): exact, subnormals and specials; zero derivatives there too", () => {
    withX64(() => {
      const vals = [1, -0.75, 3, 1e300, -1e-300, 2 ** -1074, -5e-310, Number.MAX_VALUE, 1 - 2 ** -53, 0, -0, Infinity, NaN];
      const x = np.array(vals, "float64");
      const [m, e] = np.frexp(x);
      expect([m.dtype, e.dtype]).toEqual(["float64", "int32"]);
      const ms = m.tolist() as number[];
      const es = e.tolist() as number[];
      vals.forEach((v, i) => {
        if (!Number.isFinite(v) || v === 0) {
          expect(Object.is(ms[i], v) || (Number.isNaN(v) && Number.isNaN(ms[i]))).toBe(true);
          expect(es[i]).toBe(0);
          return;
        }
        expect(Math.abs(ms[i]) >= 0.5 && Math.abs(ms[i]) < 1, `mantissa of ${v}`).toBe(true);
        // Two steps so that 2^e itself cannot overflow or underflow.
        expect(ms[i] * 2 ** Math.trunc(es[i] / 2) * 2 ** (es[i] - Math.trunc(es[i] / 2))).toBe(v);
      });
      expectArray(jit((v: Array) => np.frexp(v)[1])(x), es);
      expectArray(np.ldexp(np.array([1, 3, 5, 0.75], "float64"), np.array([3, -2, 1000, -1074], "int32")), [8, 0.75, 5 * 2 ** 1000, 0.75 * 2 ** -1074]);
      expectArray(grad((v: Array) => np.sum(np.frexp(v)[0]))(np.array([3, 0], "float64")), [0, 1]);
    });
  });
  it("expm1 and log1p near 0 keep their accuracy in the derivative", () => {
    expect(g(np.expm1)(1e-10)).toBeCloseTo(1 + 1e-10, 15);
    expect(g(np.log1p)(1e-10)).toBeCloseTo(1 / (1 + 1e-10), 15);
  });
});

// ---- vmap and jit -------------------------------------------------------------------------------

describe("numpy ufuncs: vmap against a loop", () => {
  it.each(unary)("%s (batch axis 1)", (_name, f, [lo, hi]) => {
    checkVmap(f, [randArray([3, 4], lo, hi, 5, "float32")], [1]);
  });
  it.each(binary)("%s (axes 1 and 0, and one unbatched)", (_name, f, a, b) => {
    checkVmap(f, [randArray([3, 4], a[0], a[1], 5, "float32"), randArray([4, 3], b[0], b[1], 6, "float32")], [1, 0]);
    checkVmap(f, [randArray([4, 3], a[0], a[1], 7, "float32"), randArray([3], b[0], b[1], 8, "float32")], [0, null]);
  });
  it("comparisons, logic, isclose, integer ufuncs", () => {
    const x = randArray([4, 3], -1, 1, 1, "float32");
    const y = randArray([4, 3], -1, 1, 2, "float32");
    for (const f of [np.equal, np.less, np.greaterEqual, np.logicalAnd, np.logicalXor, (a: Array, b: Array) => np.isclose(a, b, { atol: 0.5 })]) {
      checkVmap(f, [x, y.T], [0, 1]);
    }
    const i = np.array([[12, -18, 7], [0, 5, 9], [-4, 8, 30], [1, 1, 2]], "int32");
    const j = np.array([[8, 12, 3], [0, 10, 6], [6, -12, 4], [3, 1, 1]], "int32");
    for (const f of [np.gcd, np.lcm, np.bitwiseAnd, np.leftShift, np.floorDivide, np.remainder, np.power]) checkVmap(f, [i, j], [0, 0]);
    checkVmap((t: Array, tol: Array) => np.isclose(t, 0, { atol: tol }), [x, np.array([0.1, 0.5, 0.9, 1], "float32")], [0, 0]);
  });
  it("weak JS scalars keep the batched operand's dtype", () => {
    const x = np.array([[1, 2], [3, 4]], "float32");
    const out = vmap((r: Array) => np.power(np.add(r, 1), 2))(x);
    expect(out.dtype).toBe("float32");
    expectArray(out, [[4, 9], [16, 25]]);
  });
});

describe("numpy ufuncs: jit against eager (float32)", () => {
  const close = { rtol: 2e-6, atol: 1e-6 }; // a fused kernel may round intermediate steps differently
  it.each(unary)("%s", (_name, f, [lo, hi]) => {
    const x = randArray([2, 5], lo, hi, 3, "float32");
    expectArray(jit(f)(x) as Array, (f(x) as Array).tolist() as any, close);
  });
  it.each(binary)("%s", (_name, f, a, b) => {
    const x = randArray([2, 5], a[0], a[1], 3, "float32");
    const y = randArray([5], b[0], b[1], 4, "float32");
    const want = f(x, y);
    const got = jit(f)(x, y);
    const ws = globalThis.Array.isArray(want) ? want : [want];
    const gs = globalThis.Array.isArray(got) ? got : [got];
    ws.forEach((w: Array, k: number) => expectArray(gs[k], w.tolist() as any, close));
  });
  it("special values survive jit (inf, NaN, -0)", () => {
    const x = np.array([0, -0, Infinity, -Infinity, NaN, 1], "float32");
    for (const f of [np.sinc, np.nanToNum, np.sign, np.signbit, np.isposinf, np.abs, np.sqrt, (v: Array) => np.logaddexp(v, v), (v: Array) => np.hypot(v, 1)]) {
      const want = f(x) as Array;
      expectArray(jit(f)(x) as Array, want.tolist() as any);
    }
  });
});
