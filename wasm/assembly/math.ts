// Float32 SIMD math library: vectorized elementary and special functions on f32x4 lanes.
//
// Every function takes and returns one v128 of four float32 lanes and is accurate over the
// whole float32 range (see docs/math-accuracy.md for measured errors). Polynomial
// coefficients and constants live in linear memory (math_tables.ts and the K_* values
// below) and are loaded with v128.load32_splat, which V8 turns into one broadcast load;
// `v128.const` inside loops costs three instructions per use.
//
// Design:
// - Fast paths are branch-free; rare inputs (huge sin/cos/tan arguments, log of
//   non-positive/subnormal/non-finite values, ...) are detected with one compare and
//   v128.any_true per vector and handled by a separate slow path.
// - Under ASC_FEATURE_RELAXED_SIMD (kernels-relaxed.wasm) polynomials use
//   f32x4.relaxed_madd (FMA); every error-free transformation (Fast2Sum, exact products)
//   uses plain mul/add so the results are correct with and without fusion.
// - erfc, erf_inv, lgamma, digamma and pow compute in float64 lanes (two f64x2 per
//   vector) and round once at the end.
//
// Block entry points: mathUnaryF32(fn, src, dst, n) and mathBinaryF32(fn, a, b, dst, n)
// apply function id `fn` (enum MathFn, mirrored in wasm/math_ids.ts) to n float32 values.

import {
  SIN_P, COS_P, TAN_P, ATAN_P, ASIN_P, EXP_P, EXPM1_P, LOG_P, TANH_P, SINH_P, CBRT_P, ERF_P, ERF_R,
  PIO2_PARTS, TWO_OVER_PI_BITS, EXPD_P, LOGD_P, SIND_P, COSD_P, SINPI_P, COSPI_P, STIRLING_P,
  PSI_ASYM_P, ERF_SMALL_P, LGAMMA_R, DIGAMMA_Q, DIGAMMA_X0, ERFCX_P, ERFINV_P1, ERFINV_P2,
} from "./math_tables";

/** Function ids of mathUnaryF32 (0..26) and mathBinaryF32 (27, 28). Mirrored in wasm/math_ids.ts. */
export enum MathFn {
  sin = 0,
  cos = 1,
  tan = 2,
  asin = 3,
  acos = 4,
  atan = 5,
  sinh = 6,
  cosh = 7,
  tanh = 8,
  asinh = 9,
  acosh = 10,
  atanh = 11,
  exp = 12,
  exp2 = 13,
  expm1 = 14,
  log = 15,
  log2 = 16,
  log10 = 17,
  log1p = 18,
  sqrt = 19,
  cbrt = 20,
  erf = 21,
  erfc = 22,
  erf_inv = 23,
  lgamma = 24,
  digamma = 25,
  logistic = 26,
  atan2 = 27,
  pow = 28,
}

// ---------------------------------------------------------------------------------------
// Constants (each in linear memory; F() / I() / D() splat them into all lanes)

const K_ONE = memory.data<f32>([1.0]);
const K_HALF = memory.data<f32>([0.5]);
const K_QUARTER = memory.data<f32>([0.25]);
const K_TWO = memory.data<f32>([2.0]);
const K_NEG_ONE = memory.data<f32>([-1.0]);
const K_NEG_HALF = memory.data<f32>([-0.5]);
const K_THIRD = memory.data<f32>([0.3333333432674408]);
const K_NEG_NINTH = memory.data<f32>([-0.1111111119389534]);
const K_5_81 = memory.data<f32>([0.06172839552164078]);
const K_INF = memory.data<u32>([0x7f800000]);
const K_NEG_INF = memory.data<u32>([0xff800000]);
const K_NAN = memory.data<u32>([0x7fc00000]);
const K_MIN_NORMAL = memory.data<f32>([1.1754943508222875e-38]);
const K_TWO23 = memory.data<f32>([8388608.0]);
const K_TWO24 = memory.data<f32>([16777216.0]);
const K_TWO12 = memory.data<f32>([4096.0]);
const K_TINY = memory.data<f32>([1e-30]);
const K_MAGIC = memory.data<f32>([12582912.0]); // 1.5 * 2^23: adding it rounds to an integer in the low bits
const K_MAGIC_BITS = memory.data<i32>([0x4b400000]);
const K_SIGN = memory.data<u32>([0x80000000]);
const K_ABS = memory.data<u32>([0x7fffffff]);
const K_I1 = memory.data<i32>([1]);
const K_I2 = memory.data<i32>([2]);
const K_I127 = memory.data<i32>([127]);
const K_I300 = memory.data<i32>([300]);
const K_I100 = memory.data<i32>([100]);
const K_I21846 = memory.data<i32>([21846]);
const K_NEG23 = memory.data<i32>([-23]);
const K_NEG24 = memory.data<i32>([-24]);
const K_ZERO_I = memory.data<i32>([0]);
const K_MANT = memory.data<i32>([0x007fffff]);
const K_ONE_BITS = memory.data<i32>([0x3f800000]);
const K_SQRTHALF_BITS = memory.data<i32>([0x3f3504f3]);
const K_HI12 = memory.data<u32>([0xfffff000]); // keeps 12 significant bits
const K_HI8 = memory.data<u32>([0xffff8000]); // keeps 8 significant bits
const K_RND8 = memory.data<i32>([0x4000]);
const K_SUBN_LIMIT = memory.data<i32>([0x7f000000]);
const K_MIN_NORMAL_BITS = memory.data<i32>([0x00800000]);

// trigonometric
const K_2_OVER_PI = memory.data<f32>([0.6366197466850281]);
const K_TRIG_MAX = memory.data<f32>([12800.0]); // |x| <= 12800: k*C1..C4 exact (k < 2^13)
const K_PIO2_HI = memory.data<f32>([1.5707963705062866]);
const K_PIO2_LO = memory.data<f32>([-4.371138828673793e-8]);
const K_PI_HI = memory.data<f32>([3.1415927410125732]);
const K_PI_LO = memory.data<f32>([-8.742277657347586e-8]);

// exponential / logarithm
const K_LOG2E = memory.data<f32>([1.4426950216293335]);
const K_LN2HI = memory.data<f32>([0.693145751953125]); // 16 significant bits: k*LN2HI is exact
const K_LN2LO = memory.data<f32>([1.4286067653e-6]);
const K_LN2_12 = memory.data<f32>([0.693115234375]); // 12 significant bits
const K_LN2_12LO = memory.data<f32>([3.194618329871446e-5]);
const K_EXP_LO = memory.data<f32>([-104.0]);
const K_EXP_HI = memory.data<f32>([89.0]);
const K_EXP2_LO = memory.data<f32>([-151.0]);
const K_EXP2_HI = memory.data<f32>([129.0]);
const K_EXPM1_LO = memory.data<f32>([-30.0]);
const K_EXPM1_HI = memory.data<f32>([88.0]);
const K_SINH_HI = memory.data<f32>([90.0]);
const K_TANH_HI = memory.data<f32>([40.0]);
const K_TANH_SMALL = memory.data<f32>([0.625]);
const K_L2E_HI = memory.data<f32>([1.44287109375]); // 12 significant bits
const K_L2E_LO = memory.data<f32>([-1.7605285393074155e-4]);
const K_L10E_HI = memory.data<f32>([0.434326171875]); // 12 significant bits
const K_L10E_LO = memory.data<f32>([-3.168997136526741e-5]);
const K_LOG10E = memory.data<f32>([0.4342944920063019]);
const K_LG2_HI = memory.data<f32>([0.30103302001953125]); // 16 significant bits
const K_LG2_LO = memory.data<f32>([-3.024355464731343e-6]);
const K_CBRT2 = memory.data<f32>([1.2599210498948732]);
const K_ERF_SPLIT = memory.data<f32>([0.875]);
const K_ERF_MID = memory.data<f32>([2.4375]);
const K_FOUR = memory.data<f32>([4.0]);
const K_CBRT4 = memory.data<f32>([1.5874010519681994]);

// float64
const D_ONE = memory.data<f64>([1.0]);
const D_HALF = memory.data<f64>([0.5]);
const D_TWO = memory.data<f64>([2.0]);
const D_ZERO = memory.data<f64>([0.0]);
const D_MAGIC = memory.data<f64>([6755399441055744.0]); // 1.5 * 2^52
const D_LOG2E = memory.data<f64>([1.4426950408889634]);
const D_LN2HI = memory.data<f64>([6.93147180369123816490e-1]); // 32 significant bits
const D_LN2LO = memory.data<f64>([1.90821492927058770002e-10]);
const D_EXP_LO = memory.data<f64>([-708.0]);
const D_EXP_HI = memory.data<f64>([709.0]);
const D_1000 = memory.data<f64>([1000.0]);
const D_NEG1000 = memory.data<f64>([-1000.0]);
const D_LN2 = memory.data<f64>([0.6931471805599453]);
const D_SQRTHALF_BITS = memory.data<i64>([0x3fe6a09e667f3bcd]);
const D_MANT = memory.data<i64>([0x000fffffffffffff]);
const D_E1024 = memory.data<i64>([0x4000000000000000]); // 1024 << 52
const D_MAGIC_E = memory.data<f64>([6755399441056768.0]); // 1.5 * 2^52 + 1024
const D_MAGIC_BITS = memory.data<i64>([0x4338000000000000]);
const D_I1023 = memory.data<i64>([1023]);
const D_PI = memory.data<f64>([3.141592653589793]);
const D_LOGPI = memory.data<f64>([1.1447298858494002]);
const D_HALF_LOG_2PI = memory.data<f64>([0.9189385332046728]);
const D_1_75 = memory.data<f64>([1.75]);
const D_2_5 = memory.data<f64>([2.5]);
const D_5 = memory.data<f64>([5.0]);
const D_10 = memory.data<f64>([10.0]);
const D_12 = memory.data<f64>([12.0]);
const D_ERFCX_U0 = memory.data<f64>([0.4826446280991736]);
const D_ERFINV_S0 = memory.data<f64>([3.16131566292015]);
const D_INF = memory.data<f64>([Infinity]);
const D_NAN = memory.data<f64>([NaN]);
const D_SIGN64 = memory.data<u64>([0x8000000000000000]);
const D_TINY64 = memory.data<f64>([1e-300]);

// ---------------------------------------------------------------------------------------
// Small helpers

@inline function F(p: usize): v128 {
  return v128.load32_splat(p);
}
@inline function I(p: usize): v128 {
  return v128.load32_splat(p);
}
@inline function D(p: usize): v128 {
  return v128.load64_splat(p);
}
@inline function add(a: v128, b: v128): v128 {
  return f32x4.add(a, b);
}
@inline function sub(a: v128, b: v128): v128 {
  return f32x4.sub(a, b);
}
@inline function mul(a: v128, b: v128): v128 {
  return f32x4.mul(a, b);
}
@inline function div(a: v128, b: v128): v128 {
  return f32x4.div(a, b);
}
/** a*b + c: fused in the relaxed build, mul then add otherwise. Only for polynomial terms. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}
@inline function sel(a: v128, b: v128, mask: v128): v128 {
  return v128.bitselect(a, b, mask);
}
@inline function signOf(x: v128): v128 {
  return v128.and(x, I(K_SIGN));
}
@inline function addd(a: v128, b: v128): v128 {
  return f64x2.add(a, b);
}
@inline function subd(a: v128, b: v128): v128 {
  return f64x2.sub(a, b);
}
@inline function muld(a: v128, b: v128): v128 {
  return f64x2.mul(a, b);
}
@inline function divd(a: v128, b: v128): v128 {
  return f64x2.div(a, b);
}
@inline function maddd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}

// Horner evaluation of c0 + c1 z + ... with float32 coefficients at p (hN: N coefficients).
@inline function h2(z: v128, p: usize): v128 {
  return madd(F(p + 4), z, F(p));
}
@inline function h3(z: v128, p: usize): v128 {
  return madd(h2(z, p + 4), z, F(p));
}
@inline function h4(z: v128, p: usize): v128 {
  return madd(h3(z, p + 4), z, F(p));
}
@inline function h5(z: v128, p: usize): v128 {
  return madd(h4(z, p + 4), z, F(p));
}
@inline function h6(z: v128, p: usize): v128 {
  return madd(h5(z, p + 4), z, F(p));
}
@inline function h7(z: v128, p: usize): v128 {
  return madd(h6(z, p + 4), z, F(p));
}
@inline function h8(z: v128, p: usize): v128 {
  return madd(h7(z, p + 4), z, F(p));
}
@inline function h9(z: v128, p: usize): v128 {
  return madd(h8(z, p + 4), z, F(p));
}

// Same with float64 coefficients (hdN: N coefficients), written out so that every
// coefficient load has a constant address.
@inline function hd2(z: v128, p: usize): v128 {
  return maddd(D(p + 8), z, D(p));
}
@inline function hd3(z: v128, p: usize): v128 {
  return maddd(hd2(z, p + 8), z, D(p));
}
@inline function hd4(z: v128, p: usize): v128 {
  return maddd(hd3(z, p + 8), z, D(p));
}
@inline function hd5(z: v128, p: usize): v128 {
  return maddd(hd4(z, p + 8), z, D(p));
}
@inline function hd6(z: v128, p: usize): v128 {
  return maddd(hd5(z, p + 8), z, D(p));
}
@inline function hd7(z: v128, p: usize): v128 {
  return maddd(hd6(z, p + 8), z, D(p));
}
@inline function hd8(z: v128, p: usize): v128 {
  return maddd(hd7(z, p + 8), z, D(p));
}
@inline function hd9(z: v128, p: usize): v128 {
  return maddd(hd8(z, p + 8), z, D(p));
}
@inline function hd10(z: v128, p: usize): v128 {
  return maddd(hd9(z, p + 8), z, D(p));
}
@inline function hd11(z: v128, p: usize): v128 {
  return maddd(hd10(z, p + 8), z, D(p));
}
@inline function hd12(z: v128, p: usize): v128 {
  return maddd(hd11(z, p + 8), z, D(p));
}
@inline function hd13(z: v128, p: usize): v128 {
  return maddd(hd12(z, p + 8), z, D(p));
}
@inline function hd14(z: v128, p: usize): v128 {
  return maddd(hd13(z, p + 8), z, D(p));
}
@inline function hd15(z: v128, p: usize): v128 {
  return maddd(hd14(z, p + 8), z, D(p));
}
@inline function hd16(z: v128, p: usize): v128 {
  return maddd(hd15(z, p + 8), z, D(p));
}
@inline function hd17(z: v128, p: usize): v128 {
  return maddd(hd16(z, p + 8), z, D(p));
}
@inline function hd18(z: v128, p: usize): v128 {
  return maddd(hd17(z, p + 8), z, D(p));
}
@inline function hd19(z: v128, p: usize): v128 {
  return maddd(hd18(z, p + 8), z, D(p));
}
@inline function hd20(z: v128, p: usize): v128 {
  return maddd(hd19(z, p + 8), z, D(p));
}
@inline function hd21(z: v128, p: usize): v128 {
  return maddd(hd20(z, p + 8), z, D(p));
}

/** Converts the low / high two float32 lanes to float64. */
@inline function loD(x: v128): v128 {
  return f64x2.promote_low_f32x4(x);
}
@inline function hiD(x: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 2, 3));
}
/** Rounds two f64x2 back into one f32x4 (lanes of a, then lanes of b). */
@inline function joinD(a: v128, b: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 2);
}

// ---------------------------------------------------------------------------------------
// sin, cos, tan

// Reduction of |x| <= 12800: k = round(|x| 2/pi), |x| - k pi/2 = hi + lo with pi/2 in five
// parts. k*C1 .. k*C4 are exact for k < 2^13, r1 and r2 are exact, hi/lo is a Fast2Sum.
// Both polynomials are evaluated and the quadrant selects one.
@inline function trigFast(x: v128, which: i32): v128 {
  const ax = v128.and(x, I(K_ABS));
  const y = madd(ax, F(K_2_OVER_PI), F(K_MAGIC)); // bits: 0x4b400000 + k
  const kf = sub(y, F(K_MAGIC));
  const r1 = sub(ax, mul(kf, F(PIO2_PARTS)));
  const r2 = sub(r1, mul(kf, F(PIO2_PARTS + 4)));
  const t3 = mul(kf, F(PIO2_PARTS + 8));
  const hi = sub(r2, t3);
  const lo = sub(sub(sub(sub(r2, hi), t3), mul(kf, F(PIO2_PARTS + 12))), mul(kf, F(PIO2_PARTS + 16)));
  const z = mul(hi, hi);
  let res: v128;
  if (which == 2) {
    // tan(hi + lo) ~ hi + v, v = tp + lo (1 + tan^2 hi), tp = hi^3 P(hi^2), with
    // tan^2 hi ~ hi^2 + 2 hi tp; t + tl = hi + v (Fast2Sum).
    // odd quadrants: -1/(t + tl) = q + q^2 tl with q = -1/t
    const tp = mul(mul(hi, z), h7(z, TAN_P));
    const v = madd(lo, madd(add(hi, hi), tp, add(F(K_ONE), z)), tp);
    const t = add(hi, v);
    const tl = add(sub(hi, t), v);
    const odd = i32x4.shr_s(i32x4.shl(y, 31), 31);
    const q = div(F(K_NEG_ONE), t);
    res = v128.xor(sel(madd(mul(q, q), tl, q), add(t, tl), odd), v128.xor(x, ax));
  } else {
    // sin(hi + lo) ~ hi + (hi^3 P(hi^2) + lo (1 - hi^2/2))
    const hz = mul(z, F(K_HALF));
    const w = sub(F(K_ONE), hz);
    const s = add(hi, madd(mul(hi, z), h3(z, SIN_P), mul(lo, w)));
    // cos(hi + lo) ~ (1 - z/2) + (z^2 P(z) - hi lo), with the rounding error of 1 - z/2
    const werr = sub(sub(F(K_ONE), w), hz);
    const c = add(w, sub(madd(mul(z, z), h3(z, COS_P), werr), mul(hi, lo)));
    const q = which == 1 ? i32x4.add(y, I(K_I1)) : y; // quadrant (cos x = sin(x + pi/2))
    const odd = i32x4.shr_s(i32x4.shl(q, 31), 31);
    let sign = i32x4.shl(i32x4.shr_u(q, 1), 31);
    if (which == 0) sign = v128.xor(sign, v128.xor(x, ax));
    res = v128.xor(sel(c, s, odd), sign);
  }
  return res;
}

/** Mask of the lanes the fast reduction does not cover: |x| > 12800 and inf (not NaN). */
@inline function trigBig(x: v128): v128 {
  return f32x4.gt(v128.and(x, I(K_ABS)), F(K_TRIG_MAX));
}
@inline function trig(x: v128, which: i32): v128 {
  let res = trigFast(x, which);
  if (v128.any_true(trigBig(x))) res = trigLanes(x, res, which);
  return res;
}
/** One vector from src to dst (src may equal dst). Testing first and redoing the whole vector
 *  out of line when a lane is large keeps the fast path free of spills around the call. */
@inline function trigRun(src: usize, dst: usize, which: i32): void {
  const x = v128.load(src);
  if (v128.any_true(trigBig(x))) trigVecSlow(src, dst, which);
  else v128.store(dst, trigFast(x, which));
}
/** Block loop of sin (which 0), cos (1), tan (2). When src and dst do not overlap, the main
 *  loop only accumulates the large-lane mask and a second pass (rarely needed) redoes the
 *  vectors with large lanes from src: ~7% faster than testing every vector. */
@inline function trigLoop(src: usize, dst: usize, n: i32, which: i32): void {
  const n4 = n & ~3;
  const bytes = <usize>n4 << 2;
  if (src + bytes <= dst || dst + bytes <= src) {
    let acc = i32x4.splat(0);
    for (let o: usize = 0; o < bytes; o += 16) {
      const x = v128.load(src + o);
      acc = v128.or(acc, trigBig(x));
      v128.store(dst + o, trigFast(x, which));
    }
    if (v128.any_true(acc)) {
      for (let o: usize = 0; o < bytes; o += 16) {
        if (v128.any_true(trigBig(v128.load(src + o)))) trigVecSlow(src + o, dst + o, which);
      }
    }
  } else {
    for (let o: usize = 0; o < bytes; o += 16) trigRun(src + o, dst + o, which);
  }
  if (n4 < n) {
    const k = n - n4;
    let r: v128;
    const x = loadPartial(src + bytes, k);
    if (which == 0) r = sin4(x);
    else if (which == 1) r = cos4(x);
    else r = tan4(x);
    storePartial(dst + bytes, r, k);
  }
}
function trigVecSlow(src: usize, dst: usize, which: i32): void {
  const x = v128.load(src);
  let res: v128;
  if (which == 0) res = trigFast(x, 0);
  else if (which == 1) res = trigFast(x, 1);
  else res = trigFast(x, 2);
  v128.store(dst, trigLanes(x, res, which));
}

// quadrant and reduced argument of the scalar slow path
let gQuad: i32 = 0;
let gRed: f64 = 0;

/**
 * Payne-Hanek reduction of a finite float32 |x| = m 2^s (m: 24-bit integer): with 96 bits of
 * 2/pi starting at the bit of weight 2^(1-s), (x 2/pi) mod 4 = (m * W) 2^-94 mod 4, where
 * the product is computed in 64-bit integer pieces. Sets gQuad (0..3) and gRed (|x| - k pi/2
 * in [-pi/4, pi/4], relative error ~2^-60).
 */
function reduceLarge(ix: u32): void {
  const m = <u64>((ix & 0x7fffff) | 0x800000);
  const s = <i32>(ix >> 23) - 150;
  const pos = s + 62; // bit position of the window start in the zero-padded table
  const base = TWO_OVER_PI_BITS + (<usize>(pos >> 5) << 2);
  const sh = <u64>(pos & 31);
  const a0 = <u64>load<u32>(base);
  const a1 = <u64>load<u32>(base, 4);
  const a2 = <u64>load<u32>(base, 8);
  const a3 = <u64>load<u32>(base, 12);
  const w0 = (((a0 << 32) | a1) << sh) >> 32;
  const w1 = (((a1 << 32) | a2) << sh) >> 32;
  const w2 = (((a2 << 32) | a3) << sh) >> 32;
  const p2 = m * w2;
  const p1 = m * w1;
  const p0 = m * w0;
  const lo64 = p2 + (p1 << 32);
  const carry: u64 = lo64 < p2 ? 1 : 0;
  const hi32 = <u32>(p0 + (p1 >> 32) + carry);
  let q = hi32 >> 30;
  let fh = hi32 & 0x3fffffff;
  let fl = lo64;
  let neg = false;
  if (fh & 0x20000000) {
    // fraction >= 1/2: round up, r = -(1 - fraction), computed exactly in integers
    q = (q + 1) & 3;
    neg = true;
    if (fl != 0) {
      fh = 0x3fffffff - fh;
      fl = 0 - fl;
    } else {
      fh = 0x40000000 - fh;
    }
  }
  const f = <f64>fh * 9.313225746154785e-10 + <f64>fl * 5.048709793414476e-29; // 2^-30, 2^-94
  const r = f * 1.5707963267948966;
  gQuad = <i32>q;
  gRed = neg ? -r : r;
}

function sinD(r: f64): f64 {
  const z = r * r;
  let p = load<f64>(SIND_P, 56);
  for (let i = 6; i >= 0; i--) p = p * z + load<f64>(SIND_P + (<usize>i << 3));
  return r - r * z * p;
}
function cosD(r: f64): f64 {
  const z = r * r;
  let p = load<f64>(COSD_P, 56);
  for (let i = 6; i >= 0; i--) p = p * z + load<f64>(COSD_P + (<usize>i << 3));
  return 1.0 - 0.5 * z + z * z * p;
}

/** sin (which 0), cos (1) or tan (2) of any float32, correctly reduced; scalar double. */
function trigScalar(x: f32, which: i32): f32 {
  const ix = reinterpret<u32>(x) & 0x7fffffff;
  if (ix >= 0x7f800000) return x - x; // inf, NaN -> NaN
  reduceLarge(ix);
  const q = gQuad;
  const r = gRed;
  const s = sinD(r);
  const c = cosD(r);
  let v: f64;
  if (which == 0) {
    v = q == 0 ? s : q == 1 ? c : q == 2 ? -s : -c;
    if (x < 0) v = -v;
  } else if (which == 1) {
    v = q == 0 ? c : q == 1 ? -s : q == 2 ? -c : s;
  } else {
    v = q & 1 ? -c / s : s / c;
    if (x < 0) v = -v;
  }
  return <f32>v;
}

/** Replaces the lanes of res whose |x| exceeds the fast reduction range. */
function trigLanes(x: v128, res: v128, which: i32): v128 {
  const lim = <f32>12800.0;
  let a = f32x4.extract_lane(x, 0);
  if (!(Mathf.abs(a) <= lim)) res = f32x4.replace_lane(res, 0, trigScalar(a, which));
  a = f32x4.extract_lane(x, 1);
  if (!(Mathf.abs(a) <= lim)) res = f32x4.replace_lane(res, 1, trigScalar(a, which));
  a = f32x4.extract_lane(x, 2);
  if (!(Mathf.abs(a) <= lim)) res = f32x4.replace_lane(res, 2, trigScalar(a, which));
  a = f32x4.extract_lane(x, 3);
  if (!(Mathf.abs(a) <= lim)) res = f32x4.replace_lane(res, 3, trigScalar(a, which));
  return res;
}

@inline function sinBody(x: v128): v128 {
  return trig(x, 0);
}
@inline function cosBody(x: v128): v128 {
  return trig(x, 1);
}
@inline function tanBody(x: v128): v128 {
  return trig(x, 2);
}
export function sin4(x: v128): v128 {
  return sinBody(x);
}
export function cos4(x: v128): v128 {
  return cosBody(x);
}
export function tan4(x: v128): v128 {
  return tanBody(x);
}

// ---------------------------------------------------------------------------------------
// atan, atan2, asin, acos

// atan(n/d) for 0 <= n <= d as (B + s*(t + t^3 P(t^2))) with the base angle B (0, pi/2 or pi,
// hi/lo) and sign flip s applied by the caller: here t = n/d, and 0/0, inf/inf give 0 and 1.
// Returns the unevaluated pair via the combination below.
@inline function atanFinish(t: v128, bhi: v128, blo: v128, flip: v128): v128 {
  const z = mul(t, t);
  const corr = mul(mul(t, z), h9(z, ATAN_P));
  const u = v128.xor(t, flip);
  const h = add(bhi, u);
  const err = add(sub(bhi, h), u); // Fast2Sum: |bhi| >= |u| whenever bhi != 0
  return add(h, add(err, add(blo, v128.xor(corr, flip))));
}

@inline function atanBody(x: v128): v128 {
  const ax = f32x4.abs(x);
  const one = F(K_ONE);
  const swap = f32x4.gt(ax, one);
  const t = div(sel(one, ax, swap), sel(ax, one, swap));
  const bhi = v128.and(F(K_PIO2_HI), swap);
  const blo = v128.and(F(K_PIO2_LO), swap);
  const flip = v128.and(swap, I(K_SIGN));
  return v128.or(atanFinish(t, bhi, blo, flip), signOf(x));
}

@inline function atan2Body(y: v128, x: v128): v128 {
  const ay = f32x4.abs(y);
  const ax = f32x4.abs(x);
  const swap = f32x4.gt(ay, ax);
  const mn = sel(ax, ay, swap);
  const mx = sel(ay, ax, swap);
  let t = div(mn, mx);
  // equal magnitudes (also 0/0 and inf/inf): t = 1, or 0 when both are zero
  t = sel(v128.and(F(K_ONE), f32x4.ne(mx, i32x4.splat(0))), t, f32x4.eq(mn, mx));
  const xneg = i32x4.shr_s(x, 31);
  // base angle: swap -> pi/2; else x < 0 -> pi; else 0. Sign flip: swap xor (x < 0).
  const bhi = sel(F(K_PIO2_HI), v128.and(F(K_PI_HI), xneg), swap);
  const blo = sel(F(K_PIO2_LO), v128.and(F(K_PI_LO), xneg), swap);
  const flip = v128.and(v128.xor(swap, xneg), I(K_SIGN));
  return v128.or(atanFinish(t, bhi, blo, flip), signOf(y));
}

// asin / acos: |x| <= 1/2: asin x = x + x^3 P(x^2). |x| > 1/2: asin|x| = pi/2 - 2 asin(w),
// w = sqrt((1-|x|)/2) = wh + c with wh = w cut to 8 bits (so pi/2 - 2wh and pi - 2wh are
// exact) and c = (z - wh^2) / (w + wh).
@inline function asinAcos(x: v128, isAcos: bool): v128 {
  const ax = f32x4.abs(x);
  const big = f32x4.gt(ax, F(K_HALF));
  const z = sel(mul(sub(F(K_ONE), ax), F(K_HALF)), mul(ax, ax), big);
  const w = sel(f32x4.sqrt(z), ax, big);
  const p = mul(mul(w, z), h6(z, ASIN_P));
  const wh = v128.and(w, I(K_HI8));
  const c = div(sub(z, mul(wh, wh)), f32x4.pmax(add(w, wh), F(K_TINY)));
  const wh2 = add(wh, wh);
  const cp2 = mul(add(c, p), F(K_TWO));
  let bigRes: v128;
  let smallRes: v128;
  if (!isAcos) {
    bigRes = add(sub(F(K_PIO2_HI), wh2), sub(F(K_PIO2_LO), cp2));
    smallRes = add(ax, p);
    return v128.or(sel(bigRes, smallRes, big), signOf(x));
  }
  // acos: x > 1/2: 2 (wh + (c + p)); x < -1/2: (pi - 2wh) + (pi_lo - 2(c + p))
  const xneg = i32x4.shr_s(x, 31);
  const flip = v128.and(xneg, I(K_SIGN));
  bigRes = add(
    add(v128.and(F(K_PI_HI), xneg), v128.xor(wh2, flip)),
    add(v128.and(F(K_PI_LO), xneg), v128.xor(cp2, flip)),
  );
  // |x| <= 1/2: pi/2 - (x + (sign(x) p - pi/2_lo))
  smallRes = sub(F(K_PIO2_HI), add(x, sub(v128.xor(p, signOf(x)), F(K_PIO2_LO))));
  return sel(bigRes, smallRes, big);
}

export function atan4(x: v128): v128 {
  return atanBody(x);
}
export function atan2_4(y: v128, x: v128): v128 {
  return atan2Body(y, x);
}
export function asin4(x: v128): v128 {
  return asinAcos(x, false);
}
export function acos4(x: v128): v128 {
  return asinAcos(x, true);
}

// ---------------------------------------------------------------------------------------
// exp, exp2, expm1, sinh, cosh, tanh, logistic

// second result of expPair
let gExpLo: v128 = i32x4.splat(0);

/** e^xc (xc clamped to [-104, 89]), times 1/2 if `half`. r = xc - k ln2 is carried as a
 *  rounded value plus its rounding error, and 1 + r as a Fast2Sum, so the result before the
 *  final rounding is accurate to ~2^-30. Scaling by 2^k in two steps covers overflow to inf
 *  and gradual underflow with a single rounding. */
@inline function expK(xc: v128, half: bool): v128 {
  return expGen(xc, half, false);
}
/** e^xc = hi + lo with |lo| <= ulp(hi)/2: returns hi, leaves lo in gExpLo. */
@inline function expPair(xc: v128, half: bool): v128 {
  return expGen(xc, half, true);
}
@inline function expGen(xc: v128, half: bool, pair: bool): v128 {
  const y = madd(xc, F(K_LOG2E), F(K_MAGIC));
  const kf = sub(y, F(K_MAGIC));
  const rh = sub(xc, mul(kf, F(K_LN2HI))); // exact
  const rl = mul(kf, F(K_LN2LO));
  let k = i32x4.sub(y, I(K_MAGIC_BITS));
  if (half) k = i32x4.sub(k, I(K_I1));
  return expRed(rh, rl, k, pair);
}
/** 2^k e^(rh - rl) for |rh - rl| <= ln2/2 + tiny, |rl| << |rh|. */
@inline function expRed(rh: v128, rl: v128, k: v128, pair: bool): v128 {
  const one = F(K_ONE);
  const r = sub(rh, rl);
  const rerr = sub(sub(rh, r), rl);
  const s = add(one, r);
  const e1 = add(sub(one, s), r);
  const t = add(e1, madd(mul(r, r), h5(r, EXP_P), rerr));
  const ph = add(s, t);
  if (pair) gExpLo = scale2k(add(sub(s, ph), t), k);
  return scale2k(ph, k);
}
/** p * 2^k for k in [-152, 130], in two exact-or-once-rounded steps. */
@inline function scale2k(p: v128, k: v128): v128 {
  const k1 = i32x4.shr_s(k, 1);
  const k2 = i32x4.sub(k, k1);
  const s1 = i32x4.shl(i32x4.add(k1, I(K_I127)), 23);
  const s2 = i32x4.shl(i32x4.add(k2, I(K_I127)), 23);
  return mul(mul(p, s1), s2);
}
@inline function clampF(x: v128, lo: usize, hi: usize): v128 {
  // pmin/pmax keep a NaN in x
  return f32x4.pmax(f32x4.pmin(x, F(hi)), F(lo));
}

@inline function expBody(x: v128): v128 {
  return expK(clampF(x, K_EXP_LO, K_EXP_HI), false);
}
@inline function exp2Body(x: v128): v128 {
  const xc = clampF(x, K_EXP2_LO, K_EXP2_HI);
  const y = add(xc, F(K_MAGIC));
  const r = sub(xc, sub(y, F(K_MAGIC))); // exact, |r| <= 1/2
  // r ln2 = r1 LN2_12 + (r2 LN2_12 + r LN2_12LO) with r1 = r cut to 12 bits: first product exact
  const r1 = v128.and(r, I(K_HI12));
  const r2 = sub(r, r1);
  const rh = mul(r1, F(K_LN2_12));
  const rl = f32x4.neg(madd(r2, F(K_LN2_12), mul(r, F(K_LN2_12LO))));
  return expRed(rh, rl, i32x4.sub(y, I(K_MAGIC_BITS)), false);
}
@inline function expm1Body(x: v128): v128 {
  const xc = clampF(x, K_EXPM1_LO, K_EXPM1_HI);
  const y = madd(xc, F(K_LOG2E), F(K_MAGIC));
  const kf = sub(y, F(K_MAGIC));
  const rh = sub(xc, mul(kf, F(K_LN2HI)));
  const rl = mul(kf, F(K_LN2LO));
  const r = sub(rh, rl);
  const rerr = sub(sub(rh, r), rl);
  const t = madd(mul(r, r), h6(r, EXPM1_P), rerr); // e^r - 1 = r + t
  const s = i32x4.shl(i32x4.add(i32x4.sub(y, I(K_MAGIC_BITS)), I(K_I127)), 23);
  // e^x - 1 = (2^k - 1) + 2^k r + 2^k t: a = 2^k - 1 rounded (exact for k <= 24) plus its
  // error aerr, 2^k r is exact, and |a| >= |2^k r| when k != 0, so a + 2^k r is a Fast2Sum
  const a = sub(s, F(K_ONE));
  const aerr = sub(sub(s, a), F(K_ONE));
  const b = mul(s, r);
  const h = add(a, b);
  const err = add(sub(a, h), b);
  let res = v128.or(add(h, add(err, madd(s, t, aerr))), signOf(x));
  if (v128.any_true(f32x4.gt(x, F(K_EXPM1_HI)))) res = sel(expBody(x), res, f32x4.gt(x, F(K_EXPM1_HI)));
  return res;
}
@inline function sinhBody(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = mul(ax, ax);
  let res = madd(mul(ax, z), h4(z, SINH_P), ax);
  const big = f32x4.ge(ax, F(K_ONE));
  if (v128.any_true(big)) {
    // e^|x|/2 - e^-|x|/2 = (hh - q) + hl, q = 1/(4 hh), with a Fast2Sum for hh - q
    const hh = expPair(f32x4.pmin(ax, F(K_SINH_HI)), true);
    const hl = gExpLo;
    const q = div(F(K_QUARTER), hh);
    const d = sub(hh, q);
    const v = add(d, add(sub(sub(hh, d), q), hl));
    res = sel(sel(hh, v, f32x4.eq(hh, F(K_INF))), res, big);
  }
  return v128.or(res, signOf(x));
}
@inline function coshBody(x: v128): v128 {
  const hh = expPair(f32x4.pmin(f32x4.abs(x), F(K_SINH_HI)), true);
  const hl = gExpLo;
  const q = div(F(K_QUARTER), hh);
  const d = add(hh, q);
  return sel(hh, add(d, add(add(sub(hh, d), q), hl)), f32x4.eq(hh, F(K_INF)));
}
@inline function tanhBody(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = mul(ax, ax);
  let res = madd(mul(ax, z), h6(z, TANH_P), ax);
  const big = f32x4.ge(ax, F(K_TANH_SMALL));
  if (v128.any_true(big)) {
    // 1 - 2/(1 + E), E = eh + el = e^2|x| >= 3.4; d + dl = 1 + E, q = 2/d,
    // 2/(d + dl) = q - q dl/d = q - q^2 dl/2
    const one = F(K_ONE);
    const eh = expPair(f32x4.pmin(add(ax, ax), F(K_TANH_HI)), false);
    const d = add(eh, one);
    const dl = add(add(sub(eh, d), one), gExpLo);
    const q = div(F(K_TWO), d);
    const h = sub(one, q);
    res = sel(add(h, madd(mul(q, q), mul(dl, F(K_HALF)), sub(sub(one, h), q))), res, big);
  }
  return v128.or(res, signOf(x));
}
// logistic: e = e^-|x| as an unevaluated pair eh + el; x >= 0: 1/(1 + e), x < 0: e/(1 + e),
// each as q = nh/d plus the first-order correction (nl - q dl)/d with d + dl = 1 + e exactly.
@inline function logisticBody(x: v128): v128 {
  const one = F(K_ONE);
  const eh = expPair(f32x4.pmax(v128.or(x, I(K_SIGN)), F(K_EXP_LO)), false);
  const el = gExpLo;
  const d = add(one, eh);
  const dl = add(add(sub(one, d), eh), el);
  const neg = f32x4.lt(x, i32x4.splat(0));
  const q = div(sel(eh, one, neg), d);
  return add(q, div(sub(v128.and(el, neg), mul(q, dl)), d));
}

// erf (float32): |x| < 0.875: x + x P(x^2); else 1 - exp(-a^2 + R(a)), a = min(|x|, 4): erfc
// needs only absolute accuracy there (erf rounds to 1 beyond 3.92); 1 - e^.. is a Fast2Sum
// on the exponential as a pair.
@inline function erfBody(x: v128): v128 {
  const a = v128.and(x, I(K_ABS));
  const z = mul(a, a);
  let res = add(a, madd(mul(a, z), h6(z, ERF_P + 4), mul(a, F(ERF_P))));
  const big = f32x4.ge(a, F(K_ERF_SPLIT));
  if (v128.any_true(big)) {
    const one = F(K_ONE);
    const ac = f32x4.pmin(a, F(K_FOUR));
    const eh = expPair(sub(h8(sub(ac, F(K_ERF_MID)), ERF_R), mul(ac, ac)), false);
    const h = sub(one, eh);
    res = sel(add(h, sub(sub(sub(one, h), eh), gExpLo)), res, big);
  }
  return v128.or(res, v128.xor(x, a));
}

export function exp4(x: v128): v128 {
  return expBody(x);
}
export function exp2_4(x: v128): v128 {
  return exp2Body(x);
}
export function expm1_4(x: v128): v128 {
  return expm1Body(x);
}
export function sinh4(x: v128): v128 {
  return sinhBody(x);
}
export function cosh4(x: v128): v128 {
  return coshBody(x);
}
export function tanh4(x: v128): v128 {
  return tanhBody(x);
}
export function logistic4(x: v128): v128 {
  return logisticBody(x);
}

// ---------------------------------------------------------------------------------------
// log, log2, log10, log1p, asinh, acosh, atanh

/** log_b(2^e (1 + f)), f in [sqrt(1/2)-1, sqrt(2)-1] (slightly wider with a correction),
 *  e an i32x4. which: 0 natural, 1 base 2, 2 base 10. */
@inline function logFinish(f: v128, e: v128, which: i32): v128 {
  return logFinishX(f, e, v128.xor(f, f), false, which);
}
/** Same plus a small term `extra` (~2^-24 relative), added to log(1+f) - f when hasExtra. */
@inline function logFinishX(f: v128, e: v128, extra: v128, hasExtra: bool, which: i32): v128 {
  const ef = f32x4.convert_i32x4_s(e);
  const z = mul(f, f);
  let t = madd(mul(z, f), h9(f, LOG_P), mul(z, F(K_NEG_HALF))); // log(1+f) - f
  if (hasExtra) t = add(t, extra);
  if (which == 0) {
    const a = mul(ef, F(K_LN2HI)); // exact
    const s = add(a, f);
    const err = add(sub(a, s), f);
    return add(s, add(err, madd(ef, F(K_LN2LO), t)));
  }
  // split f = fh + fl with fh of 12 bits so that fh * (12-bit constant) is exact
  const fh = v128.and(f, I(K_HI12));
  const fl = sub(f, fh);
  if (which == 1) {
    const a = mul(fh, F(K_L2E_HI));
    const rest = add(madd(fl, F(K_L2E_HI), mul(f, F(K_L2E_LO))), mul(t, F(K_LOG2E)));
    const s = add(ef, a);
    const err = add(sub(ef, s), a);
    return add(s, add(err, rest));
  }
  const a1 = mul(ef, F(K_LG2_HI));
  const a2 = mul(fh, F(K_L10E_HI));
  const rest = add(madd(ef, F(K_LG2_LO), madd(fl, F(K_L10E_HI), mul(f, F(K_L10E_LO)))), mul(t, F(K_LOG10E)));
  const s = add(a1, a2);
  const err = add(sub(a1, s), a2);
  return add(s, add(err, rest));
}

/** log_b(u) for positive normal finite u, exponent offset eadj. */
@inline function logCore(u: v128, eadj: v128, which: i32): v128 {
  const b = i32x4.sub(u, I(K_SQRTHALF_BITS));
  const e = i32x4.add(i32x4.shr_s(b, 23), eadj);
  const m = i32x4.add(v128.and(b, I(K_MANT)), I(K_SQRTHALF_BITS));
  return logFinish(sub(m, F(K_ONE)), e, which);
}

/** ln(u + c) + eadj ln 2 for positive normal finite u and a small correction c. */
@inline function logUC(u: v128, c: v128, eadj: v128): v128 {
  const b = i32x4.sub(u, I(K_SQRTHALF_BITS));
  const e = i32x4.shr_s(b, 23);
  const m = i32x4.add(v128.and(b, I(K_MANT)), I(K_SQRTHALF_BITS));
  // 2^-e, or 0 when e > 126 (the correction is negligible there)
  const sc = i32x4.shl(i32x4.max_s(i32x4.sub(I(K_I127), e), I(K_ZERO_I)), 23);
  // log(m + c 2^-e) = log(m) + c 2^-e / m
  const extra = div(mul(c, sc), m);
  return logFinishX(sub(m, F(K_ONE)), i32x4.add(e, eadj), extra, true, 0);
}

/** log of vectors containing zero, negative, subnormal, inf or NaN lanes. */
function logSpecial(x: v128, which: i32): v128 {
  const zero = v128.xor(x, x);
  const subn = v128.and(f32x4.gt(x, zero), f32x4.lt(x, F(K_MIN_NORMAL)));
  const u = sel(mul(x, F(K_TWO23)), x, subn);
  const eadj = v128.and(subn, I(K_NEG23));
  let r: v128;
  if (which == 0) r = logCore(u, eadj, 0);
  else if (which == 1) r = logCore(u, eadj, 1);
  else r = logCore(u, eadj, 2);
  r = sel(F(K_NEG_INF), r, f32x4.eq(x, zero));
  r = sel(F(K_NAN), r, f32x4.lt(x, zero));
  return sel(x, r, v128.or(f32x4.eq(x, F(K_INF)), f32x4.ne(x, x)));
}

@inline function logAny(x: v128, which: i32): v128 {
  // special unless 0x00800000 <= bits < 0x7f800000 (positive, normal, finite)
  if (v128.any_true(i32x4.ge_u(i32x4.sub(x, I(K_MIN_NORMAL_BITS)), I(K_SUBN_LIMIT)))) {
    return logSpecial(x, which);
  }
  return logCore(x, v128.xor(x, x), which);
}

@inline function logBody(x: v128): v128 {
  return logAny(x, 0);
}
@inline function log2Body(x: v128): v128 {
  return logAny(x, 1);
}
@inline function log10Body(x: v128): v128 {
  return logAny(x, 2);
}

@inline function log1pBody(x: v128): v128 {
  const one = F(K_ONE);
  const u = add(one, x);
  const bb = sub(u, one);
  const c = add(sub(one, sub(u, bb)), sub(x, bb)); // TwoSum error: 1 + x = u + c exactly
  let r = v128.or(logUC(u, c, v128.xor(x, x)), signOf(x));
  const ok = v128.and(f32x4.gt(x, F(K_NEG_ONE)), f32x4.lt(x, F(K_INF)));
  if (!i32x4.all_true(ok)) r = log1pFix(x, r);
  return r;
}
function log1pFix(x: v128, r: v128): v128 {
  r = sel(F(K_NEG_INF), r, f32x4.eq(x, F(K_NEG_ONE)));
  r = sel(F(K_NAN), r, f32x4.lt(x, F(K_NEG_ONE)));
  return sel(x, r, v128.or(f32x4.eq(x, F(K_INF)), f32x4.ne(x, x)));
}

// asinh |x| = log1p(|x| + x^2/(1 + sqrt(1 + x^2))), or log(2|x|) for |x| >= 2^12
@inline function asinhBody(x: v128): v128 {
  const one = F(K_ONE);
  const a = f32x4.abs(x);
  const q = div(mul(a, a), add(one, f32x4.sqrt(madd(a, a, one))));
  const w = add(a, q);
  const werr = sub(q, sub(w, a));
  const u = add(one, w);
  const bb = sub(u, one);
  const c = add(add(sub(one, sub(u, bb)), sub(w, bb)), werr);
  const big = f32x4.ge(a, F(K_TWO12));
  const r = logUC(sel(a, u, big), v128.andnot(c, big), v128.and(big, I(K_I1)));
  let res = v128.or(r, signOf(x));
  if (!i32x4.all_true(f32x4.lt(a, F(K_INF)))) res = sel(x, res, v128.or(f32x4.ge(a, F(K_INF)), f32x4.ne(x, x)));
  return res;
}

// acosh x = log1p(d + sqrt(d (d + 2))), d = x - 1, or log(2x) for x >= 2^12
@inline function acoshBody(x: v128): v128 {
  const one = F(K_ONE);
  const d = sub(x, one);
  const s = f32x4.sqrt(madd(d, d, add(d, d))); // d (d + 2) = d^2 + 2d
  const t = add(d, s);
  const terr = sub(d, sub(t, s));
  const u = add(one, t);
  const bb = sub(u, one);
  const c = add(add(sub(one, sub(u, bb)), sub(t, bb)), terr);
  const big = f32x4.ge(x, F(K_TWO12));
  let res = logUC(sel(x, u, big), v128.andnot(c, big), v128.and(big, I(K_I1)));
  const ok = v128.and(f32x4.ge(x, one), f32x4.lt(x, F(K_INF)));
  if (!i32x4.all_true(ok)) {
    res = sel(F(K_NAN), res, f32x4.lt(x, one));
    res = sel(x, res, v128.or(f32x4.eq(x, F(K_INF)), f32x4.ne(x, x)));
  }
  return res;
}

// atanh |x| = log1p(2|x| + 2x^2/(1-|x|)) / 2 for |x| < 1/2, log1p(2|x|/(1-|x|)) / 2 otherwise
@inline function atanhBody(x: v128): v128 {
  const one = F(K_ONE);
  const a = f32x4.abs(x);
  const a2 = add(a, a);
  const big = f32x4.ge(a, F(K_HALF));
  const q = div(sel(a2, mul(a2, a), big), sub(one, a));
  const w = sel(q, add(a2, q), big);
  const werr = v128.andnot(sub(q, sub(w, a2)), big);
  const u = add(one, w);
  const bb = sub(u, one);
  const c = add(add(sub(one, sub(u, bb)), sub(w, bb)), werr);
  let res = v128.or(mul(logUC(u, c, v128.xor(x, x)), F(K_HALF)), signOf(x));
  if (!i32x4.all_true(f32x4.lt(a, one))) {
    res = sel(v128.or(F(K_INF), signOf(x)), res, f32x4.eq(a, one));
    res = sel(F(K_NAN), res, f32x4.gt(a, one));
    res = sel(x, res, f32x4.ne(x, x));
  }
  return res;
}

export function log4(x: v128): v128 {
  return logBody(x);
}
export function log2_4(x: v128): v128 {
  return log2Body(x);
}
export function log10_4(x: v128): v128 {
  return log10Body(x);
}
export function log1p4(x: v128): v128 {
  return log1pBody(x);
}
export function asinh4(x: v128): v128 {
  return asinhBody(x);
}
export function acosh4(x: v128): v128 {
  return acoshBody(x);
}
export function atanh4(x: v128): v128 {
  return atanhBody(x);
}

// ---------------------------------------------------------------------------------------
// sqrt, cbrt

@inline function sqrtBody(x: v128): v128 {
  return f32x4.sqrt(x);
}

// cbrt: |x| = 2^(3q + r) m, a = 2^r m in [1, 8). y0 ~ cbrt(a) rounded to 8 bits, so y0^3 is
// exact and d = (a - y0^3) / y0^3 is small; cbrt(a) = y0 (1 + d/3 - d^2/9 + 5d^3/81 ...).
@inline function cbrtCore(ax: v128, qadj: v128): v128 {
  const e = i32x4.add(i32x4.sub(i32x4.shr_u(ax, 23), I(K_I127)), qadj);
  const q = i32x4.sub(i32x4.shr_s(i32x4.mul(i32x4.add(e, I(K_I300)), I(K_I21846)), 16), I(K_I100));
  const r = i32x4.sub(e, i32x4.add(q, i32x4.add(q, q)));
  const mant = v128.and(ax, I(K_MANT));
  const m = v128.or(mant, I(K_ONE_BITS));
  const a = v128.or(mant, i32x4.shl(i32x4.add(r, I(K_I127)), 23));
  const c = sel(F(K_CBRT2), sel(F(K_CBRT4), F(K_ONE), i32x4.eq(r, I(K_I2))), i32x4.eq(r, I(K_I1)));
  const y0 = v128.and(i32x4.add(mul(h3(m, CBRT_P), c), I(K_RND8)), I(K_HI8));
  const y3 = mul(mul(y0, y0), y0);
  const d = div(sub(a, y3), y3);
  const corr = mul(d, madd(d, madd(d, F(K_5_81), F(K_NEG_NINTH)), F(K_THIRD)));
  const y = madd(y0, corr, y0);
  return mul(y, i32x4.shl(i32x4.add(q, I(K_I127)), 23));
}
function cbrtSpecial(x: v128): v128 {
  const ax = f32x4.abs(x);
  const subn = f32x4.lt(ax, F(K_MIN_NORMAL));
  const u = sel(mul(ax, F(K_TWO24)), ax, subn);
  const r = v128.or(cbrtCore(u, v128.and(subn, I(K_NEG24))), signOf(x));
  // 0, inf, NaN: cbrt(x) = x
  const same = v128.or(v128.or(f32x4.eq(ax, v128.xor(x, x)), f32x4.eq(ax, F(K_INF))), f32x4.ne(x, x));
  return sel(x, r, same);
}
@inline function cbrtBody(x: v128): v128 {
  const ax = f32x4.abs(x);
  if (v128.any_true(i32x4.ge_u(i32x4.sub(ax, I(K_MIN_NORMAL_BITS)), I(K_SUBN_LIMIT)))) return cbrtSpecial(x);
  return v128.or(cbrtCore(ax, v128.xor(x, x)), signOf(x));
}
export function sqrt4(x: v128): v128 {
  return sqrtBody(x);
}
export function cbrt4(x: v128): v128 {
  return cbrtBody(x);
}

// ---------------------------------------------------------------------------------------
// float64 kernels (two f64x2 halves per vector)

/** e^t for f64x2 t, relative error ~1e-16; t is clamped to [-708, 709]. */
@inline function expD(t0: v128): v128 {
  const t = f64x2.pmax(f64x2.pmin(t0, D(D_EXP_HI)), D(D_EXP_LO));
  const y = maddd(t, D(D_LOG2E), D(D_MAGIC));
  const kd = subd(y, D(D_MAGIC));
  const r = subd(subd(t, muld(kd, D(D_LN2HI))), muld(kd, D(D_LN2LO)));
  const p = addd(D(D_ONE), maddd(muld(r, r), hd12(r, EXPD_P), r));
  const sc = i64x2.shl(i64x2.add(y, D(D_I1023)), 52);
  return muld(p, sc);
}

/** 2^t for f64x2 t (clamped to [-1000, 1000]): exact for integer t. */
@inline function exp2D(t0: v128): v128 {
  const t = f64x2.pmax(f64x2.pmin(t0, D(D_1000)), D(D_NEG1000));
  const y = addd(t, D(D_MAGIC));
  const r = muld(subd(t, subd(y, D(D_MAGIC))), D(D_LN2)); // (t - k) ln2, |.| <= ln2/2
  const p = addd(D(D_ONE), maddd(muld(r, r), hd12(r, EXPD_P), r));
  // 2^k in two factors (k in [-1000, 1000])
  const k = i64x2.sub(y, D(D_MAGIC_BITS));
  const k1 = i64x2.shr_s(k, 1);
  const s1 = i64x2.shl(i64x2.add(k1, D(D_I1023)), 52);
  const s2 = i64x2.shl(i64x2.add(i64x2.sub(k, k1), D(D_I1023)), 52);
  return muld(muld(p, s1), s2);
}

/** log2 x for positive normal finite f64x2 x: exact for powers of two. */
@inline function log2D(x: v128): v128 {
  const b = i64x2.sub(x, D(D_SQRTHALF_BITS));
  const ed = subd(i64x2.add(i64x2.shr_u(i64x2.add(b, D(D_E1024)), 52), D(D_MAGIC_BITS)), D(D_MAGIC_E));
  const m = i64x2.add(v128.and(b, D(D_MANT)), D(D_SQRTHALF_BITS));
  const f = subd(m, D(D_ONE));
  const s = divd(f, addd(D(D_TWO), f));
  const z = muld(s, s);
  const lm = subd(f, muld(s, subd(f, muld(z, hd11(z, LOGD_P)))));
  return addd(ed, muld(lm, D(D_LOG2E)));
}

/** ln x for positive normal finite f64x2 x, error ~1 ulp (double). */
@inline function logD(x: v128): v128 {
  const b = i64x2.sub(x, D(D_SQRTHALF_BITS));
  // exponent (+1024) moved into the mantissa of 1.5*2^52 converts it to double
  const ed = subd(i64x2.add(i64x2.shr_u(i64x2.add(b, D(D_E1024)), 52), D(D_MAGIC_BITS)), D(D_MAGIC_E));
  const m = i64x2.add(v128.and(b, D(D_MANT)), D(D_SQRTHALF_BITS));
  const f = subd(m, D(D_ONE));
  const s = divd(f, addd(D(D_TWO), f));
  const z = muld(s, s);
  // log(1+f) = 2 atanh(s) = f - s (f - z P(z)) since 2s = f - s f
  const lm = subd(f, muld(s, subd(f, muld(z, hd11(z, LOGD_P)))));
  return addd(muld(ed, D(D_LN2HI)), addd(lm, muld(ed, D(D_LN2LO))));
}

/** sin(pi r) and cos(pi r) for |r| <= 1/2 (f64x2). */
@inline function sinpiD(r: v128): v128 {
  return muld(r, hd14(muld(r, r), SINPI_P));
}
@inline function cospiD(r: v128): v128 {
  return hd14(muld(r, r), COSPI_P);
}

// lgamma in float64 lanes. w = x (x >= 0) or 1 - x (x < 0, reflection).
//   w < 1:        lgamma(w) = lgamma(w + 1) - log w
//   1 <= v < 2.5: lgamma(v) = (v-1)(v-2) R(v)          (relative accuracy at the zeros 1, 2)
//   w >= 2.5:     lgamma(w) = Stirling(w + n) - log(w (w+1) ... (w+n-1)), w + n >= 10
//   x < 0:        lgamma(x) = log pi - log|sin(pi x)| - lgamma(1 - x)
function lgammaD(x: v128): v128 {
  const one = D(D_ONE);
  const zero = D(D_ZERO);
  const neg = f64x2.lt(x, zero);
  const w = sel(subd(one, x), x, neg);
  const inR = f64x2.lt(w, D(D_2_5));
  const inA = f64x2.lt(w, one);
  let base = zero;
  let qw = sel(w, one, inA);
  if (v128.any_true(inR)) {
    const v = sel(addd(w, one), w, inA);
    const rr = muld(muld(subd(v, one), subd(v, D(D_TWO))), hd17(subd(v, D(D_1_75)), LGAMMA_R));
    base = v128.and(rr, inR);
  }
  if (!i64x2.all_true(inR)) {
    let v = w;
    let pr = one;
    for (let i = 0; i < 8; i++) {
      const act = f64x2.lt(v, D(D_10));
      pr = sel(muld(pr, v), pr, act);
      v = sel(addd(v, one), v, act);
    }
    const iv = divd(one, v);
    const iv2 = muld(iv, iv);
    const st = addd(
      subd(muld(subd(v, D(D_HALF)), logD(v)), v),
      addd(D(D_HALF_LOG_2PI), muld(iv, hd7(iv2, STIRLING_P))),
    );
    base = sel(base, st, inR);
    qw = sel(qw, pr, inR);
  }
  // x >= 0: base - log(qw); x < 0: log(pi) - base - log(|sin(pi x)| / qw)
  let qt = qw;
  if (v128.any_true(neg)) {
    const sp = f64x2.abs(sinpiD(subd(x, f64x2.nearest(x))));
    qt = sel(divd(sp, qw), qw, neg);
    base = sel(subd(D(D_LOGPI), base), base, neg);
  }
  const res = addd(subd(base, logD(qt)), zero); // + 0 turns -0 (at x = 1, 2) into +0
  // poles (x <= 0 integer, -inf), +inf -> +inf; NaN -> NaN
  const pole = v128.and(f64x2.le(x, zero), f64x2.eq(f64x2.floor(x), x));
  const out = sel(D(D_INF), res, v128.or(pole, f64x2.eq(x, D(D_INF))));
  return sel(x, out, f64x2.ne(x, x));
}

// digamma in float64 lanes:
//   w < 1:        psi(w) = psi(w + 1) - 1/w
//   1 <= v < 2.5: psi(v) = (v - x0) Q(v)   (x0 = positive zero)
//   w >= 2.5:     psi(w) = psi(w + n) - sum 1/(w + k), w + n >= 10, asymptotic series
//   x < 0:        psi(x) = psi(1 - x) - pi cot(pi x)
function digammaD(x: v128): v128 {
  const one = D(D_ONE);
  const zero = D(D_ZERO);
  const neg = f64x2.lt(x, zero);
  const w = sel(subd(one, x), x, neg);
  const inR = f64x2.lt(w, D(D_2_5));
  const inA = f64x2.lt(w, one);
  let base = zero;
  let sub_ = v128.and(divd(one, w), inA);
  if (v128.any_true(inR)) {
    const v = sel(addd(w, one), w, inA);
    const dv = subd(subd(v, D(DIGAMMA_X0)), D(DIGAMMA_X0 + 8));
    base = v128.and(muld(dv, hd21(subd(v, D(D_1_75)), DIGAMMA_Q)), inR);
  }
  if (!i64x2.all_true(inR)) {
    let v = w;
    let num = zero;
    let den = one;
    for (let i = 0; i < 8; i++) {
      const act = f64x2.lt(v, D(D_10));
      num = sel(addd(muld(num, v), den), num, act);
      den = sel(muld(den, v), den, act);
      v = sel(addd(v, one), v, act);
    }
    const iv = divd(one, v);
    const iv2 = muld(iv, iv);
    const ps = subd(subd(logD(v), muld(D(D_HALF), iv)), muld(iv2, hd7(iv2, PSI_ASYM_P)));
    base = sel(base, ps, inR);
    sub_ = sel(sub_, divd(num, den), inR);
  }
  let res = subd(base, sub_);
  if (v128.any_true(neg)) {
    const r = subd(x, f64x2.nearest(x));
    const cot = divd(muld(D(D_PI), cospiD(r)), sinpiD(r));
    res = sel(subd(res, cot), res, neg);
  }
  // x = -0 gives +inf through 1/w; negative integers and -inf -> NaN; +inf -> +inf
  res = sel(D(D_INF), res, f64x2.eq(x, D(D_INF)));
  const bad = v128.and(neg, f64x2.eq(f64x2.floor(x), x));
  return sel(D(D_NAN), res, v128.or(bad, f64x2.ne(x, x)));
}

// erf / erfc in float64 lanes: |x| < 1/2: erf = x P(x^2); else erfc(a) = e^(-a^2) G(u),
// u = 1/(1 + a/2), a clamped to 12 (erfc(12) underflows float32).
@inline function erfPair(x: v128, wantErfc: bool): v128 {
  const one = D(D_ONE);
  const a = f64x2.abs(x);
  const small = f64x2.lt(a, D(D_HALF));
  let res = D(D_ZERO);
  if (v128.any_true(small)) {
    const e = muld(x, hd12(muld(x, x), ERF_SMALL_P));
    res = wantErfc ? subd(one, e) : e;
  }
  if (!i64x2.all_true(small)) {
    const ac = f64x2.pmin(a, D(D_12));
    const u = divd(one, maddd(ac, D(D_HALF), one));
    const c = muld(expD(f64x2.neg(muld(ac, ac))), hd13(subd(u, D(D_ERFCX_U0)), ERFCX_P));
    const xneg = f64x2.lt(x, D(D_ZERO));
    let big: v128;
    if (wantErfc) big = sel(subd(D(D_TWO), c), c, xneg);
    else big = v128.or(subd(one, c), v128.and(x, D(D_SIGN64)));
    res = sel(res, big, small);
  }
  return res;
}

function erfcD(x: v128): v128 {
  return erfPair(x, true);
}

// erf_inv in float64 lanes: w = -log((1-y)(1+y)); y P1(w) for w < 5, y P2(sqrt w) otherwise.
function erfinvD(y: v128): v128 {
  const one = D(D_ONE);
  const a = f64x2.abs(y);
  const pr = muld(subd(one, a), addd(one, a));
  const w = f64x2.neg(logD(f64x2.pmax(pr, D(D_TINY64))));
  const lowW = f64x2.lt(w, D(D_5));
  let p = D(D_ZERO);
  if (v128.any_true(lowW)) p = hd13(subd(w, D(D_2_5)), ERFINV_P1);
  if (!i64x2.all_true(lowW)) p = sel(p, hd13(subd(f64x2.sqrt(w), D(D_ERFINV_S0)), ERFINV_P2), lowW);
  let res = muld(y, p);
  res = sel(v128.or(D(D_INF), v128.and(y, D(D_SIGN64))), res, f64x2.eq(a, one));
  return sel(D(D_NAN), res, v128.or(f64x2.gt(a, one), f64x2.ne(y, y)));
}

// pow: |x|^y = e^(y ln|x|) in float64 for positive finite x and finite y; every other case
// (x <= 0, inf, NaN, infinite y) is resolved by powSpecial with the C99 / NumPy rules.
@inline function powAbsD(ax: v128, y: v128): v128 {
  return exp2D(muld(y, log2D(ax)));
}
@inline function powCore(ax: v128, y: v128): v128 {
  return joinD(powAbsD(loD(ax), loD(y)), powAbsD(hiD(ax), hiD(y)));
}
function powSpecial(x: v128, y: v128): v128 {
  const zero = v128.xor(x, x);
  const one = F(K_ONE);
  const inf = F(K_INF);
  const ax = f32x4.abs(x);
  const ay = f32x4.abs(y);
  const xfin = v128.and(f32x4.gt(ax, zero), f32x4.lt(ax, inf)); // finite, nonzero
  const yfin = f32x4.lt(ay, inf);
  const safe = v128.and(xfin, yfin);
  let r = powCore(sel(ax, one, safe), sel(y, zero, safe));
  const yint = f32x4.eq(f32x4.trunc(y), y);
  const yodd = v128.and(
    v128.and(yint, f32x4.lt(ay, F(K_TWO24))),
    i32x4.eq(v128.and(i32x4.trunc_sat_f32x4_s(y), I(K_I1)), I(K_I1)),
  );
  const xneg = f32x4.lt(x, zero);
  // negative finite x: odd integer y flips the sign, non-integer y -> NaN
  r = v128.xor(r, v128.and(v128.and(xneg, yodd), I(K_SIGN)));
  r = sel(F(K_NAN), r, v128.andnot(v128.and(xneg, xfin), yint));
  // x = +-0: y < 0 -> +inf (odd: copysign(inf, x)); y > 0 -> +0 (odd: x)
  const xzero = f32x4.eq(ax, zero);
  const zsign = v128.and(signOf(x), yodd);
  r = sel(v128.or(sel(inf, zero, f32x4.lt(y, zero)), zsign), r, xzero);
  // x = +-inf: y < 0 -> +0, y > 0 -> +inf; odd y keeps the sign of x
  r = sel(v128.or(sel(zero, inf, f32x4.lt(y, zero)), zsign), r, f32x4.eq(ax, inf));
  // y = +-inf (x not NaN): |x| == 1 -> 1; |x| < 1: +inf -> 0, -inf -> inf; |x| > 1: opposite
  const small = f32x4.lt(ax, one);
  const ypos = f32x4.gt(y, zero);
  r = sel(sel(inf, zero, v128.xor(small, ypos)), r, f32x4.eq(ay, inf));
  r = sel(one, r, v128.and(f32x4.eq(ay, inf), f32x4.eq(ax, one)));
  // NaN in, NaN out ...
  r = sel(F(K_NAN), r, v128.or(f32x4.ne(x, x), f32x4.ne(y, y)));
  // ... except pow(x, +-0) = 1 and pow(1, y) = 1
  return sel(one, r, v128.or(f32x4.eq(y, zero), f32x4.eq(x, one)));
}
@inline function powBody(x: v128, y: v128): v128 {
  // fast: 0 < x < inf and |y| < inf
  const ok = v128.and(v128.and(f32x4.gt(x, v128.xor(x, x)), f32x4.lt(x, F(K_INF))), f32x4.lt(f32x4.abs(y), F(K_INF)));
  if (!i32x4.all_true(ok)) return powSpecial(x, y);
  return powCore(x, y);
}

export function erf4(x: v128): v128 {
  return erfBody(x);
}
export function erfc4(x: v128): v128 {
  return joinD(erfcD(loD(x)), erfcD(hiD(x)));
}
export function erfinv4(x: v128): v128 {
  return joinD(erfinvD(loD(x)), erfinvD(hiD(x)));
}
export function lgamma4(x: v128): v128 {
  return joinD(lgammaD(loD(x)), lgammaD(hiD(x)));
}
export function digamma4(x: v128): v128 {
  return joinD(digammaD(loD(x)), digammaD(hiD(x)));
}
export function pow4(x: v128, y: v128): v128 {
  return powBody(x, y);
}

// ---------------------------------------------------------------------------------------
// Block entry points

// Each op has `run` (one vector from memory to memory, inlined into the main loop), `body`
// (the inlined vector function) and `call` (an out-of-line call for the last 1-3 elements).
// Unrolling the main loop by 2 measured no gain (within +-3% for sin, exp, log, atan,
// logistic) and cost 10 KB of code, so the loops take one vector per iteration.
@final class SinOp {
  @inline body(x: v128): v128 { return sinBody(x); }
  @inline call(x: v128): v128 { return sin4(x); }
  @inline run(s: usize, d: usize): void { trigRun(s, d, 0); }
}
@final class CosOp {
  @inline body(x: v128): v128 { return cosBody(x); }
  @inline call(x: v128): v128 { return cos4(x); }
  @inline run(s: usize, d: usize): void { trigRun(s, d, 1); }
}
@final class TanOp {
  @inline body(x: v128): v128 { return tanBody(x); }
  @inline call(x: v128): v128 { return tan4(x); }
  @inline run(s: usize, d: usize): void { trigRun(s, d, 2); }
}
@final class AsinOp {
  @inline body(x: v128): v128 { return asinAcos(x, false); }
  @inline call(x: v128): v128 { return asin4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class AcosOp {
  @inline body(x: v128): v128 { return asinAcos(x, true); }
  @inline call(x: v128): v128 { return acos4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class AtanOp {
  @inline body(x: v128): v128 { return atanBody(x); }
  @inline call(x: v128): v128 { return atan4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class SinhOp {
  @inline body(x: v128): v128 { return sinhBody(x); }
  @inline call(x: v128): v128 { return sinh4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class CoshOp {
  @inline body(x: v128): v128 { return coshBody(x); }
  @inline call(x: v128): v128 { return cosh4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class TanhOp {
  @inline body(x: v128): v128 { return tanhBody(x); }
  @inline call(x: v128): v128 { return tanh4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class AsinhOp {
  @inline body(x: v128): v128 { return asinhBody(x); }
  @inline call(x: v128): v128 { return asinh4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class AcoshOp {
  @inline body(x: v128): v128 { return acoshBody(x); }
  @inline call(x: v128): v128 { return acosh4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class AtanhOp {
  @inline body(x: v128): v128 { return atanhBody(x); }
  @inline call(x: v128): v128 { return atanh4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class ExpOp {
  @inline body(x: v128): v128 { return expBody(x); }
  @inline call(x: v128): v128 { return exp4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class Exp2Op {
  @inline body(x: v128): v128 { return exp2Body(x); }
  @inline call(x: v128): v128 { return exp2_4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class Expm1Op {
  @inline body(x: v128): v128 { return expm1Body(x); }
  @inline call(x: v128): v128 { return expm1_4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class LogOp {
  @inline body(x: v128): v128 { return logBody(x); }
  @inline call(x: v128): v128 { return log4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class Log2Op {
  @inline body(x: v128): v128 { return log2Body(x); }
  @inline call(x: v128): v128 { return log2_4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class Log10Op {
  @inline body(x: v128): v128 { return log10Body(x); }
  @inline call(x: v128): v128 { return log10_4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class Log1pOp {
  @inline body(x: v128): v128 { return log1pBody(x); }
  @inline call(x: v128): v128 { return log1p4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class SqrtOp {
  @inline body(x: v128): v128 { return sqrtBody(x); }
  @inline call(x: v128): v128 { return sqrtBody(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class CbrtOp {
  @inline body(x: v128): v128 { return cbrtBody(x); }
  @inline call(x: v128): v128 { return cbrt4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class LogisticOp {
  @inline body(x: v128): v128 { return logisticBody(x); }
  @inline call(x: v128): v128 { return logistic4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class ErfOp {
  @inline body(x: v128): v128 { return erfBody(x); }
  @inline call(x: v128): v128 { return erf4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
// float64-based functions: always called out of line
@final class ErfcOp {
  @inline body(x: v128): v128 { return erfc4(x); }
  @inline call(x: v128): v128 { return erfc4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class ErfinvOp {
  @inline body(x: v128): v128 { return erfinv4(x); }
  @inline call(x: v128): v128 { return erfinv4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class LgammaOp {
  @inline body(x: v128): v128 { return lgamma4(x); }
  @inline call(x: v128): v128 { return lgamma4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class DigammaOp {
  @inline body(x: v128): v128 { return digamma4(x); }
  @inline call(x: v128): v128 { return digamma4(x); }
  @inline run(s: usize, d: usize): void { v128.store(d, this.body(v128.load(s))); }
}
@final class Atan2Op {
  @inline body(a: v128, b: v128): v128 { return atan2Body(a, b); }
  @inline call(a: v128, b: v128): v128 { return atan2_4(a, b); }
  @inline run(a: usize, b: usize, d: usize): void { v128.store(d, this.body(v128.load(a), v128.load(b))); }
}
@final class PowOp {
  @inline body(a: v128, b: v128): v128 { return powBody(a, b); }
  @inline call(a: v128, b: v128): v128 { return pow4(a, b); }
  @inline run(a: usize, b: usize, d: usize): void { v128.store(d, this.body(v128.load(a), v128.load(b))); }
}

/** Loads lanes [0, k) of a float32 vector at p (k = 1..3), zero elsewhere. */
@inline function loadPartial(p: usize, k: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (k > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (k > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}
@inline function storePartial(p: usize, v: v128, k: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (k > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (k > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

@inline function unaryLoop<T>(src: usize, dst: usize, n: i32): void {
  const op = changetype<T>(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    op.run(src + o, dst + o);
  }
  if (i < n) {
    const o = <usize>i << 2;
    storePartial(dst + o, op.call(loadPartial(src + o, n - i)), n - i);
  }
}

@inline function binaryLoop<T>(pa: usize, pb: usize, dst: usize, n: i32): void {
  const op = changetype<T>(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    op.run(pa + o, pb + o, dst + o);
  }
  if (i < n) {
    const o = <usize>i << 2;
    const k = n - i;
    storePartial(dst + o, op.call(loadPartial(pa + o, k), loadPartial(pb + o, k)), k);
  }
}

function fillNaN(dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), NaN);
}

/**
 * dst[i] = f(src[i]) for i in [0, n), f = unary function id `fn` (MathFn). Any n >= 0, any
 * 4-byte alignment, src may equal dst. An unknown id (or a binary one) fills dst with NaN.
 */
export function mathUnaryF32(fn: i32, src: usize, dst: usize, n: i32): void {
  switch (fn) {
    case MathFn.sin: trigLoop(src, dst, n, 0); break;
    case MathFn.cos: trigLoop(src, dst, n, 1); break;
    case MathFn.tan: trigLoop(src, dst, n, 2); break;
    case MathFn.asin: unaryLoop<AsinOp>(src, dst, n); break;
    case MathFn.acos: unaryLoop<AcosOp>(src, dst, n); break;
    case MathFn.atan: unaryLoop<AtanOp>(src, dst, n); break;
    case MathFn.sinh: unaryLoop<SinhOp>(src, dst, n); break;
    case MathFn.cosh: unaryLoop<CoshOp>(src, dst, n); break;
    case MathFn.tanh: unaryLoop<TanhOp>(src, dst, n); break;
    case MathFn.asinh: unaryLoop<AsinhOp>(src, dst, n); break;
    case MathFn.acosh: unaryLoop<AcoshOp>(src, dst, n); break;
    case MathFn.atanh: unaryLoop<AtanhOp>(src, dst, n); break;
    case MathFn.exp: unaryLoop<ExpOp>(src, dst, n); break;
    case MathFn.exp2: unaryLoop<Exp2Op>(src, dst, n); break;
    case MathFn.expm1: unaryLoop<Expm1Op>(src, dst, n); break;
    case MathFn.log: unaryLoop<LogOp>(src, dst, n); break;
    case MathFn.log2: unaryLoop<Log2Op>(src, dst, n); break;
    case MathFn.log10: unaryLoop<Log10Op>(src, dst, n); break;
    case MathFn.log1p: unaryLoop<Log1pOp>(src, dst, n); break;
    case MathFn.sqrt: unaryLoop<SqrtOp>(src, dst, n); break;
    case MathFn.cbrt: unaryLoop<CbrtOp>(src, dst, n); break;
    case MathFn.erf: unaryLoop<ErfOp>(src, dst, n); break;
    case MathFn.erfc: unaryLoop<ErfcOp>(src, dst, n); break;
    case MathFn.erf_inv: unaryLoop<ErfinvOp>(src, dst, n); break;
    case MathFn.lgamma: unaryLoop<LgammaOp>(src, dst, n); break;
    case MathFn.digamma: unaryLoop<DigammaOp>(src, dst, n); break;
    case MathFn.logistic: unaryLoop<LogisticOp>(src, dst, n); break;
    default: fillNaN(dst, n);
  }
}

/**
 * dst[i] = f(a[i], b[i]) for i in [0, n): atan2(a = y, b = x) or pow(a = base, b = exponent).
 * Any n >= 0, any 4-byte alignment, dst may equal a or b. Unknown ids fill dst with NaN.
 */
export function mathBinaryF32(fn: i32, a: usize, b: usize, dst: usize, n: i32): void {
  switch (fn) {
    case MathFn.atan2: binaryLoop<Atan2Op>(a, b, dst, n); break;
    case MathFn.pow: binaryLoop<PowOp>(a, b, dst, n); break;
    default: fillNaN(dst, n);
  }
}
