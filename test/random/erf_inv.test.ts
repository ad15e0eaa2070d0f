// ts/random/erf_inv.ts: XLA's float32 erf_inv polynomial. The reference below evaluates the
// same formula in float32 arithmetic step by step (Math.fround after every operation) with a
// correctly rounded log1p; edgejax's float32 log1p (like XLA's) is not correctly rounded, so
// a few elements may differ by an ulp or so in w and thus in the result. Any change of
// coefficient, branch or Horner order would change most elements, which this catches.
import { describe, expect, it } from "vitest";
import { type Array, lax, numpy as np, random } from "../../ts/index.js";
import { erfInvXla } from "../../ts/random/erf_inv.js";
import { backends, useBackend } from "../helpers.js";

const f = Math.fround;
const W_LT_5 = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941].map(f);
const W_GE_5 = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682].map(f);

function erfInvRef(x: number): number {
  if (Math.abs(x) === 1) return x * Infinity;
  let w = -f(Math.log1p(-f(x * x)));
  const lt = w < 5;
  w = lt ? f(w - 2.5) : f(f(Math.sqrt(w)) - 3);
  const c = lt ? W_LT_5 : W_GE_5;
  let p = c[0];
  for (let i = 1; i < 9; i++) p = f(c[i] + f(p * w));
  return f(p * x);
}

const fb = new Float32Array(1);
const ib = new Int32Array(fb.buffer);
const ord = (v: number): number => {
  fb[0] = v;
  return ib[0] < 0 ? -(ib[0] & 0x7fffffff) : ib[0];
};

describe.each(backends)("random erf_inv on %s", (backend) => {
  useBackend(backend);

  it("matches the float32 step-by-step formula (both branches, edges)", () => {
    const xs = np.concatenate([np.linspace(-0.9999999, 0.9999999, 4001).astype("float32"), np.array([0, 1, -1, 0.5, -0.99999994], "float32")]);
    const got = erfInvXla(xs).dataSync() as Float32Array;
    const x = xs.dataSync() as Float32Array;
    let exact = 0;
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const r = erfInvRef(x[i]);
      if (Object.is(r, got[i])) exact++;
      else worst = Math.max(worst, Math.abs(ord(r) - ord(got[i])));
    }
    // measured: all but a few elements equal; differences come from log1p's last bit.
    expect(exact / x.length).toBeGreaterThan(0.99);
    expect(worst).toBeLessThanOrEqual(4);
    expect(got[x.length - 4]).toBe(Infinity);
    expect(got[x.length - 3]).toBe(-Infinity);
  });

  it("normal() is sqrt(2) * erf_inv(uniform(nextafter(-1, 0), 1)) on the same bits", () => {
    const n = 50000;
    const k = random.key(9);
    const u = random.uniform(k, [n], { minval: -1 + 2 ** -24, maxval: 1 }).dataSync() as Float32Array;
    const z = random.normal(k, [n]).dataSync() as Float32Array;
    let exact = 0;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const r = f(f(Math.SQRT2) * erfInvRef(u[i]));
      if (r === z[i]) exact++;
      else worst = Math.max(worst, Math.abs(ord(r) - ord(z[i])));
    }
    // measured on 200000 samples: 0.16% differ, by at most 3 ulp (log1p rounding).
    expect(exact / n).toBeGreaterThan(0.995);
    expect(worst).toBeLessThanOrEqual(4);
  });

  it("the math library's lax.erfInv is a different (float64) approximation", () => {
    const xs = np.linspace(-0.99, 0.99, 2001).astype("float32");
    const a = erfInvXla(xs).dataSync() as Float32Array;
    const b = (lax.erfInv(xs) as Array).dataSync() as Float32Array;
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(a.length); // so samplers must not use it to match JAX's bits
  });
});
