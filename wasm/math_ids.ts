// Host-side mirror of the function ids of the float32 SIMD math library
// (enum MathFn in wasm/assembly/math.ts; test/wasm/math.test.ts checks that they agree).
//
//   mathUnaryF32(fn, src, dst, n)      dst[i] = f(src[i])         fn: a unary id below
//   mathBinaryF32(fn, a, b, dst, n)    dst[i] = f(a[i], b[i])     fn: MathFn.atan2 (a = y, b = x)
//                                                                     or MathFn.pow (a = base, b = exponent)
// Pointers are byte offsets into the module's memory (4-byte aligned float32 arrays, any n >= 0;
// dst may equal a source). An id of the wrong arity or an unknown id fills dst with NaN.

export const MathFn = {
  sin: 0,
  cos: 1,
  tan: 2,
  asin: 3,
  acos: 4,
  atan: 5,
  sinh: 6,
  cosh: 7,
  tanh: 8,
  asinh: 9,
  acosh: 10,
  atanh: 11,
  exp: 12,
  exp2: 13,
  expm1: 14,
  log: 15,
  log2: 16,
  log10: 17,
  log1p: 18,
  sqrt: 19,
  cbrt: 20,
  erf: 21,
  erfc: 22,
  erf_inv: 23,
  lgamma: 24,
  digamma: 25,
  logistic: 26,
  atan2: 27,
  pow: 28,
} as const;

export type MathFnName = keyof typeof MathFn;
export type MathFnId = (typeof MathFn)[MathFnName];

/** Names of the functions taking two operands (mathBinaryF32). */
export const MATH_BINARY: readonly MathFnName[] = ["atan2", "pow"];

/** Names of the functions taking one operand (mathUnaryF32), in id order. */
export const MATH_UNARY: readonly MathFnName[] = (Object.keys(MathFn) as MathFnName[]).filter(
  (k) => !MATH_BINARY.includes(k),
);

/** True for ids that mathBinaryF32 accepts. */
export function isBinaryMathFn(id: number): boolean {
  return id === MathFn.atan2 || id === MathFn.pow;
}
