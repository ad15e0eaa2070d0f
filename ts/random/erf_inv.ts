// XLA's float32 erf_inv (M. Giles' single-precision approximation), written with lax ops so
// that random.normal and random.truncatedNormal compute JAX's formula on JAX's bits. The CPU
// math library's lax.erfInv evaluates a float64 approximation instead (closer to the true
// function, but not XLA's rounding), so samplers use this one.
import type { ArrayBase } from "../array/base.js";
import * as lax from "../lax/api.js";
import { full } from "../lax/rule_util.js";
import { broadcastInDim } from "../lax/structural.js";
import { jit } from "../transforms/jit.js";

const W_LT_5 = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
  0.246640727, 1.50140941,
];
const W_GE_5 = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
  1.00167406, 2.83297682,
];


/**
 * erf_inv(x) for float32 x, as XLA's ErfInv32: w = -log1p(-x^2), two degree-8 polynomials.
 * Runs through a cached jit: one fused kernel instead of ~30 passes over the samples.
 */
export function erfInvXla(x: ArrayBase): ArrayBase {
  if (x.dtype !== "float32") throw new TypeError(`random: erf_inv is implemented for float32, got ${x.dtype}`);
  return erfInvJit(x);
}

const erfInvJit = jit((x: ArrayBase) => erfInvOps(x));

function erfInvOps(x: ArrayBase): ArrayBase {
  // Constants as one value broadcast (zero strides): no sample-sized constant arrays.
  const c = (v: number): ArrayBase => broadcastInDim(full([], v, "float32"), x.shape, []);
  let w = lax.neg(lax.log1p(lax.neg(lax.mul(x, x))));
  const lt = lax.lt(w, c(5));
  w = lax.select(lt, lax.sub(w, c(2.5)), lax.sub(lax.sqrt(w), c(3)));
  const coef = (i: number): ArrayBase => lax.select(lt, c(W_LT_5[i]), c(W_GE_5[i]));
  let p = coef(0);
  for (let i = 1; i < 9; i++) p = lax.add(coef(i), lax.mul(p, w));
  const result = lax.mul(p, x);
  // erf_inv(+-1) = +-inf: the polynomial is indeterminate there.
  return lax.select(lax.eq(lax.abs(x), c(1)), lax.mul(x, c(Infinity)), result);
}
