// Scalar helpers of the kernel VM: IEEE half conversions (scalar and v128), the float64
// special functions that AssemblyScript's Math lacks (erf, erfc, erf_inv, lgamma, digamma),
// and the float64 dispatch by math-function id (float32 uses wasm/assembly/math.ts).

// Function ids of the VM's float64 path (host mirror: MATH_FNS in wasm/vm_compile.ts).
export const F_SIN = 0;
export const F_COS = 1;
export const F_TAN = 2;
export const F_ASIN = 3;
export const F_ACOS = 4;
export const F_ATAN = 5;
export const F_ATAN2 = 6;
export const F_SINH = 7;
export const F_COSH = 8;
export const F_TANH = 9;
export const F_ASINH = 10;
export const F_ACOSH = 11;
export const F_ATANH = 12;
export const F_EXP = 13;
export const F_EXP2 = 14;
export const F_EXPM1 = 15;
export const F_LOG = 16;
export const F_LOG2 = 17;
export const F_LOG10 = 18;
export const F_LOG1P = 19;
export const F_POW = 20;
export const F_SQRT = 21;
export const F_CBRT = 22;
export const F_ERF = 23;
export const F_ERFC = 24;
export const F_ERF_INV = 25;
export const F_LGAMMA = 26;
export const F_DIGAMMA = 27;
export const F_LOGISTIC = 28;

// ---------------------------------------------------------------------------------------
// float16 <-> float32

/** float32 -> float16 bits, round to nearest even; NaN -> quiet NaN (sign kept). */
export function f32ToF16Bits(f: f32): u32 {
  let u = reinterpret<u32>(f);
  const sign = (u >>> 16) & 0x8000;
  u &= 0x7fffffff;
  let o: u32;
  if (u >= 0x47800000) {
    o = u > 0x7f800000 ? 0x7e00 : 0x7c00;
  } else if (u < 0x38800000) {
    // subnormal or zero: adding 0.5 aligns the 10 result bits at the bottom, rounding RNE
    o = reinterpret<u32>(reinterpret<f32>(u) + <f32>0.5) - 0x3f000000;
  } else {
    const odd = (u >>> 13) & 1;
    o = (u + 0xc8000fff + odd) >>> 13;
  }
  return o | sign;
}

/** float16 bits (low 16 bits of h) -> float32. */
export function f16BitsToF32(h: u32): f32 {
  let o = (h & 0x7fff) << 13;
  const e = o & 0x0f800000;
  o += 0x38000000;
  if (e == 0x0f800000) {
    o += 0x38000000;
  } else if (e == 0) {
    o += 0x00800000;
    o = reinterpret<u32>(reinterpret<f32>(o) - reinterpret<f32>(<u32>0x38800000));
  }
  return reinterpret<f32>(o | ((h & 0x8000) << 16));
}

/** Four float32 lanes -> four float16 bit patterns in i32 lanes (same rules as f32ToF16Bits). */
// @ts-ignore: decorator
@inline
export function f16BitsOf(v: v128): v128 {
  const sign = v128.and(i32x4.shr_u(v, 16), i32x4.splat(0x8000));
  const u = v128.and(v, i32x4.splat(0x7fffffff));
  // special: inf / NaN / overflow
  const big = i32x4.ge_u(u, i32x4.splat(0x47800000));
  const special = v128.bitselect(i32x4.splat(0x7e00), i32x4.splat(0x7c00), i32x4.gt_u(u, i32x4.splat(0x7f800000)));
  // subnormal
  const sub = i32x4.sub(f32x4.add(u, f32x4.splat(0.5)), i32x4.splat(0x3f000000));
  // normal
  const odd = v128.and(i32x4.shr_u(u, 13), i32x4.splat(1));
  const nrm = i32x4.shr_u(i32x4.add(i32x4.add(u, i32x4.splat(<i32>0xc8000fff)), odd), 13);
  const small = i32x4.lt_u(u, i32x4.splat(0x38800000));
  const r = v128.bitselect(special, v128.bitselect(sub, nrm, small), big);
  return v128.or(r, sign);
}

/** Four float16 bit patterns (low 16 bits of i32 lanes) -> four float32 lanes. */
// @ts-ignore: decorator
@inline
export function f32OfF16Bits(h: v128): v128 {
  let o = i32x4.shl(v128.and(h, i32x4.splat(0x7fff)), 13);
  const e = v128.and(o, i32x4.splat(0x0f800000));
  o = i32x4.add(o, i32x4.splat(0x38000000));
  const isSpecial = i32x4.eq(e, i32x4.splat(0x0f800000));
  const isSub = i32x4.eq(e, i32x4.splat(0));
  const sp = i32x4.add(o, i32x4.splat(0x38000000));
  const sb = f32x4.sub(i32x4.add(o, i32x4.splat(0x00800000)), i32x4.splat(0x38800000));
  o = v128.bitselect(sp, v128.bitselect(sb, o, isSub), isSpecial);
  return v128.or(o, i32x4.shl(v128.and(h, i32x4.splat(0x8000)), 16));
}

/** float64 -> float16 bits with one rounding (round to odd to float32 first, then RNE). */
export function f64ToF16Bits(x: f64): u32 {
  let y = <f32>x;
  if (<f64>y != x && x == x) {
    let b = reinterpret<u32>(y);
    if ((b & 1) == 0) {
      if (Math.abs(<f64>y) > Math.abs(x)) b -= 1;
      else b += 1;
      y = reinterpret<f32>(b);
    }
  }
  return f32ToF16Bits(y);
}

/** nextafter in float16 steps (values held as float32). */
export function nextafterF16(a: f32, b: f32): f32 {
  if (a != a || b != b) return a + b;
  if (a == b) return b;
  const ha = f32ToF16Bits(a);
  let r: u32;
  if ((ha & 0x7fff) == 0) r = (reinterpret<u32>(b) >>> 16 & 0x8000) | 1;
  else if ((a < b) == (a > 0)) r = ha + 1;
  else r = ha - 1;
  return f16BitsToF32(r);
}

export function nextafterF32(a: f32, b: f32): f32 {
  if (a != a || b != b) return a + b;
  if (a == b) return b;
  if (a == 0) return reinterpret<f32>((reinterpret<u32>(b) & 0x80000000) | 1);
  const u = reinterpret<u32>(a);
  return reinterpret<f32>((a < b) == (a > 0) ? u + 1 : u - 1);
}

export function nextafterF64(a: f64, b: f64): f64 {
  if (a != a || b != b) return a + b;
  if (a == b) return b;
  if (a == 0) return reinterpret<f64>((reinterpret<u64>(b) & 0x8000000000000000) | 1);
  const u = reinterpret<u64>(a);
  return reinterpret<f64>((a < b) == (a > 0) ? u + 1 : u - 1);
}

// ---------------------------------------------------------------------------------------
// float64 special functions

const TWO_OVER_SQRTPI: f64 = 1.1283791670955126;
const INV_SQRTPI: f64 = 0.5641895835477563;
const LN_SQRT_2PI: f64 = 0.9189385332046728;

/** exp(-x*x) with x*x split so that the rounding of the square does not cost accuracy. */
function expNegSq(x: f64): f64 {
  const hi = reinterpret<f64>(reinterpret<u64>(x) & 0xfffffffff8000000);
  const lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-lo * (x + hi));
}

/** erf for |x| < 3 by the everywhere-positive series 2/sqrt(pi) e^{-x^2} sum 2^n x^(2n+1)/(2n+1)!!. */
function erfSeries(x: f64): f64 {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / <f64>(2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRTPI * expNegSq(x) * sum;
}

/** erfc for x >= 1 by its continued fraction (modified Lentz). */
function erfcFrac(x: f64): f64 {
  // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny: f64 = 1e-300;
  let f = x;
  let c = x;
  let d: f64 = 0;
  for (let k = 1; k < 5000; k++) {
    const a = <f64>k * 0.5;
    d = x + a * d;
    if (d == 0) d = tiny;
    c = x + a / c;
    if (c == 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (INV_SQRTPI * expNegSq(x)) / f;
}

export function erf64(x: f64): f64 {
  if (x != x) return x;
  const a = Math.abs(x);
  if (a < 1e-300) return x * TWO_OVER_SQRTPI;
  let r: f64;
  if (a < 3) r = erfSeries(a);
  else if (a < 6.5) r = 1 - erfcFrac(a);
  else r = 1;
  return x < 0 ? -r : r;
}

export function erfc64(x: f64): f64 {
  if (x != x) return x;
  if (x < 0) return 2 - erfc64(-x);
  if (x < 1) return 1 - erfSeries(x);
  if (x > 27.3) return 0;
  return erfcFrac(x);
}

export function erfInv64(y: f64): f64 {
  if (y != y || y < -1 || y > 1) return NaN;
  if (y == 1) return Infinity;
  if (y == -1) return -Infinity;
  const s: f64 = y < 0 ? -1 : 1;
  const a = Math.abs(y);
  // initial guess (Giles' single-precision approximation), then Halley steps on erf / erfc
  let w = -Math.log((1 - a) * (1 + a));
  let p: f64;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    p = 3.43273939e-7 + p * w;
    p = -3.5233877e-6 + p * w;
    p = -4.39150654e-6 + p * w;
    p = 0.00021858087 + p * w;
    p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w;
    p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w;
    p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w;
    p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w;
    p = 2.83297682 + p * w;
  }
  let x = p * a;
  if (a <= 0.5) {
    for (let i = 0; i < 3; i++) {
      const f = erf64(x) - a;
      const d = TWO_OVER_SQRTPI * expNegSq(x);
      x -= f / (d + x * f);
    }
  } else {
    const q = 1 - a; // exact for a in [0.5, 1]
    for (let i = 0; i < 3; i++) {
      const f = q - erfc64(x); // = erf(x) - a
      const d = TWO_OVER_SQRTPI * expNegSq(x);
      if (d == 0) break;
      x -= f / (d + x * f);
    }
  }
  return s * x;
}

/** Stirling's series for log Gamma(x), x >= 10. */
function lgammaStirling(x: f64): f64 {
  const r = 1 / x;
  const r2 = r * r;
  const series =
    r * (1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680 + r2 * (1.0 / 1188 + r2 * (-691.0 / 360360))))));
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
}

export function lgamma64(x: f64): f64 {
  if (x != x) return x;
  if (x == Infinity || x == -Infinity) return Infinity;
  if (x <= 0 && x == Math.floor(x)) return Infinity;
  if (x < 0.5) {
    // reflection: log|Gamma(x)| = log(pi / |sin(pi x)|) - log|Gamma(1 - x)|
    const sp = Math.abs(sinPi(x));
    return Math.log(Math.PI / sp) - lgamma64(1 - x);
  }
  if (x >= 10) return lgammaStirling(x);
  // shift up to >= 10 with the product x (x+1) ... kept in range by rescaling
  let prod: f64 = 1;
  let logAdj: f64 = 0;
  let z = x;
  while (z < 10) {
    prod *= z;
    z += 1;
    if (prod > 1e250) {
      logAdj += Math.log(prod);
      prod = 1;
    }
  }
  return lgammaStirling(z) - Math.log(prod) - logAdj;
}

/** sin(pi x) with exact argument reduction. */
function sinPi(x: f64): f64 {
  let r = x - 2 * Math.floor(x * 0.5); // [0, 2)
  let s: f64 = 1;
  if (r >= 1) {
    r -= 1;
    s = -1;
  }
  if (r > 0.5) r = 1 - r;
  return s * Math.sin(Math.PI * r);
}

export function digamma64(x: f64): f64 {
  if (x != x) return x;
  if (x == Infinity) return x;
  if (x <= 0 && x == Math.floor(x)) return NaN;
  let acc: f64 = 0;
  if (x < 0.5) {
    // reflection: psi(x) = psi(1 - x) - pi / tan(pi x)
    const t = sinPi(x) / sinPi(x + 0.5); // tan(pi x) = sin(pi x) / cos(pi x)
    acc = -Math.PI / t;
    x = 1 - x;
  }
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  const series =
    r2 * (1.0 / 12 - r2 * (1.0 / 120 - r2 * (1.0 / 252 - r2 * (1.0 / 240 - r2 * (1.0 / 132 - r2 * (691.0 / 32760 - r2 / 12))))));
  return acc + Math.log(x) - 0.5 * r - series;
}

export function logistic64(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** One float64 math function by id. */
export function math1F64(fn: i32, x: f64): f64 {
  switch (fn) {
    case F_SIN: return Math.sin(x);
    case F_COS: return Math.cos(x);
    case F_TAN: return Math.tan(x);
    case F_ASIN: return Math.asin(x);
    case F_ACOS: return Math.acos(x);
    case F_ATAN: return Math.atan(x);
    case F_SINH: return Math.sinh(x);
    case F_COSH: return Math.cosh(x);
    case F_TANH: return Math.tanh(x);
    case F_ASINH: return Math.asinh(x);
    case F_ACOSH: return Math.acosh(x);
    case F_ATANH: return Math.atanh(x);
    case F_EXP: return Math.exp(x);
    case F_EXP2: return Math.exp2(x);
    case F_EXPM1: return Math.expm1(x);
    case F_LOG: return Math.log(x);
    case F_LOG2: return Math.log2(x);
    case F_LOG10: return Math.log10(x);
    case F_LOG1P: return Math.log1p(x);
    case F_SQRT: return Math.sqrt(x);
    case F_CBRT: return Math.cbrt(x);
    case F_ERF: return erf64(x);
    case F_ERFC: return erfc64(x);
    case F_ERF_INV: return erfInv64(x);
    case F_LGAMMA: return lgamma64(x);
    case F_DIGAMMA: return digamma64(x);
    case F_LOGISTIC: return logistic64(x);
    default: return NaN;
  }
}

export function math2F64(fn: i32, x: f64, y: f64): f64 {
  if (fn == F_ATAN2) return Math.atan2(x, y);
  // C99: pow(1, y) = 1 and pow(x, 0) = 1 even for NaN; pow(-1, +-inf) = 1
  if (x == 1 || y == 0) return 1;
  if (x == -1 && (y == Infinity || y == -Infinity)) return 1;
  return Math.pow(x, y);
}
