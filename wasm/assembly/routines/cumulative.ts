// Cumulative sum / product / max / min along one axis of a contiguous array seen as
// [outer, len, inner]. With inner > 1 the scan runs over whole rows of `inner` elements,
// SIMD across the row; with inner == 1 it is a sequential scalar loop. Each step is one
// operation in the array's dtype (integers wrap, float16 rounds every step), accumulated
// in order from the start (or from the end with reverse). max/min propagate NaN (Wasm's
// fmax/fmin). For bool, sum acts as logical or and prod as logical and.

import { DT_BOOL, DT_F16, DT_F32, DT_F64, DT_I16, DT_I32, DT_I8, DT_U16, DT_U32, f16ToF32, f32ToF16 } from "./common";

export const OP_SUM: i32 = 0;
export const OP_PROD: i32 = 1;
export const OP_MAX: i32 = 2;
export const OP_MIN: i32 = 3;

// @ts-ignore: decorator
@inline
export function comb<T>(op: i32, a: T, b: T): T {
  if (op == OP_SUM) return a + b;
  if (op == OP_PROD) return a * b;
  if (op == OP_MAX) return max<T>(a, b);
  return min<T>(a, b);
}

// @ts-ignore: decorator
@inline
export function vcomb<T>(op: i32, a: v128, b: v128): v128 {
  if (isFloat<T>()) {
    if (sizeof<T>() == 4) {
      if (op == OP_SUM) return f32x4.add(a, b);
      if (op == OP_PROD) return f32x4.mul(a, b);
      if (op == OP_MAX) return f32x4.max(a, b);
      return f32x4.min(a, b);
    } else {
      if (op == OP_SUM) return f64x2.add(a, b);
      if (op == OP_PROD) return f64x2.mul(a, b);
      if (op == OP_MAX) return f64x2.max(a, b);
      return f64x2.min(a, b);
    }
  } else if (sizeof<T>() == 4) {
    if (op == OP_SUM) return i32x4.add(a, b);
    if (op == OP_PROD) return i32x4.mul(a, b);
    if (isSigned<T>()) return op == OP_MAX ? i32x4.max_s(a, b) : i32x4.min_s(a, b);
    return op == OP_MAX ? i32x4.max_u(a, b) : i32x4.min_u(a, b);
  } else if (sizeof<T>() == 2) {
    if (op == OP_SUM) return i16x8.add(a, b);
    if (op == OP_PROD) return i16x8.mul(a, b);
    if (isSigned<T>()) return op == OP_MAX ? i16x8.max_s(a, b) : i16x8.min_s(a, b);
    return op == OP_MAX ? i16x8.max_u(a, b) : i16x8.min_u(a, b);
  } else {
    // 8-bit products have no SIMD instruction: the caller handles them lane by lane
    if (op == OP_SUM) return i8x16.add(a, b);
    if (isSigned<T>()) return op == OP_MAX ? i8x16.max_s(a, b) : i8x16.min_s(a, b);
    return op == OP_MAX ? i8x16.max_u(a, b) : i8x16.min_u(a, b);
  }
}

/** out[i] = prev[i] op cur[i] for `count` elements (out may alias cur). */
export function rowCombine<T>(op: i32, prev: usize, cur: usize, out: usize, count: i32): void {
  let i = 0;
  const lanes = 16 / sizeof<T>();
  if (!(sizeof<T>() == 1 && op == OP_PROD)) {
    for (; i + <i32>lanes <= count; i += <i32>lanes) {
      const off = <usize>i * sizeof<T>();
      v128.store(out + off, vcomb<T>(op, v128.load(prev + off), v128.load(cur + off)));
    }
  }
  for (; i < count; i++) {
    const off = <usize>i * sizeof<T>();
    store<T>(out + off, comb<T>(op, load<T>(prev + off), load<T>(cur + off)));
  }
}

function scan<T>(op: i32, outer: i32, len: i32, inner: i32, reverse: i32, src: usize, dst: usize): void {
  const es = sizeof<T>();
  const step = <isize>inner * <isize>es * (reverse ? -1 : 1);
  const block = <usize>len * <usize>inner * es;
  const startOff = reverse ? <usize>(len - 1) * <usize>inner * es : 0;
  for (let o = 0; o < outer; o++) {
    let s = src + <usize>o * block + startOff;
    let d = dst + <usize>o * block + startOff;
    if (inner == 1) {
      let acc = load<T>(s);
      store<T>(d, acc);
      for (let l = 1; l < len; l++) {
        s += step; d += step;
        acc = comb<T>(op, acc, load<T>(s));
        store<T>(d, acc);
      }
    } else {
      memory.copy(d, s, <usize>inner * es);
      for (let l = 1; l < len; l++) {
        s += step;
        rowCombine<T>(op, d, s, d + step, inner);
        d += step;
      }
    }
  }
}

// @ts-ignore: decorator
@inline
export function combF32(op: i32, a: f32, b: f32): f32 {
  if (op == OP_SUM) return a + b;
  if (op == OP_PROD) return a * b;
  if (op == OP_MAX) return max<f32>(a, b);
  return min<f32>(a, b);
}

/** float16: every step computed in float32 (exact for one + or *) and rounded to half. */
function scanF16(op: i32, outer: i32, len: i32, inner: i32, reverse: i32, src: usize, dst: usize): void {
  const step = <isize>inner * 2 * (reverse ? -1 : 1);
  const block = <usize>len * <usize>inner * 2;
  const startOff = reverse ? <usize>(len - 1) * <usize>inner * 2 : 0;
  for (let o = 0; o < outer; o++) {
    const s0 = src + <usize>o * block + startOff;
    const d0 = dst + <usize>o * block + startOff;
    for (let j = 0; j < inner; j++) {
      let s = s0 + (<usize>j << 1), d = d0 + (<usize>j << 1);
      let acc = <u32>load<u16>(s);
      store<u16>(d, <u16>acc);
      for (let l = 1; l < len; l++) {
        s += step; d += step;
        acc = f32ToF16(combF32(op, f16ToF32(acc), f16ToF32(<u32>load<u16>(s))));
        store<u16>(d, <u16>acc);
      }
    }
  }
}

/**
 * Cumulative op (0 sum, 1 prod, 2 max, 3 min) of a contiguous [outer, len, inner] array of
 * dtype `code` from src into dst (same layout; dst may equal src).
 */
export function rtnCumulative(op: i32, code: i32, outer: i32, len: i32, inner: i32, reverse: i32, src: usize, dst: usize): void {
  if (outer <= 0 || len <= 0 || inner <= 0) return;
  switch (code) {
    case DT_F32: scan<f32>(op, outer, len, inner, reverse, src, dst); break;
    case DT_F64: scan<f64>(op, outer, len, inner, reverse, src, dst); break;
    case DT_F16: scanF16(op, outer, len, inner, reverse, src, dst); break;
    case DT_I32: scan<i32>(op, outer, len, inner, reverse, src, dst); break;
    case DT_U32: scan<u32>(op, outer, len, inner, reverse, src, dst); break;
    case DT_I16: scan<i16>(op, outer, len, inner, reverse, src, dst); break;
    case DT_U16: scan<u16>(op, outer, len, inner, reverse, src, dst); break;
    case DT_I8: scan<i8>(op, outer, len, inner, reverse, src, dst); break;
    case DT_BOOL: scan<u8>(op == OP_SUM ? OP_MAX : op == OP_PROD ? 3 : op, outer, len, inner, reverse, src, dst); break;
    default: scan<u8>(op, outer, len, inner, reverse, src, dst); break;
  }
}
