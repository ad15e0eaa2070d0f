// Shared helpers of the CPU routines: dtype codes, float16 conversion, sort-order keys.
//
// dtype codes (the host maps ts/runtime/kernel.ts's DType strings to these; see
// wasm/routines.ts DTYPE_CODE):
//   0 float32, 1 float64, 2 float16, 3 int32, 4 uint32, 5 int16, 6 uint16, 7 int8, 8 uint8, 9 bool

export const DT_F32: i32 = 0;
export const DT_F64: i32 = 1;
export const DT_F16: i32 = 2;
export const DT_I32: i32 = 3;
export const DT_U32: i32 = 4;
export const DT_I16: i32 = 5;
export const DT_U16: i32 = 6;
export const DT_I8: i32 = 7;
export const DT_U8: i32 = 8;
export const DT_BOOL: i32 = 9;

// @ts-ignore: decorator
@inline
export function dtypeBytes(code: i32): i32 {
  if (code == DT_F64) return 8;
  if (code == DT_F32 || code == DT_I32 || code == DT_U32) return 4;
  if (code == DT_F16 || code == DT_I16 || code == DT_U16) return 2;
  return 1;
}

/** IEEE binary16 bits -> float32 (exact). */
export function f16ToF32(h: u32): f32 {
  const s = (h & 0x8000) << 16;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e == 0) {
    // zero or subnormal: m * 2^-24, exact in float32
    const mag = <f32>m * 5.9604644775390625e-8;
    return reinterpret<f32>(reinterpret<u32>(mag) | s);
  }
  if (e == 31) return reinterpret<f32>(s | 0x7f800000 | (m << 13));
  return reinterpret<f32>(s | ((e + 112) << 23) | (m << 13));
}

/** float32 -> IEEE binary16 bits, round to nearest even (NaN stays NaN, quiet). */
export function f32ToF16(f: f32): u32 {
  const x = reinterpret<u32>(f);
  const s = (x >> 16) & 0x8000;
  let a = x & 0x7fffffff;
  if (a >= 0x7f800000) {
    // inf or NaN (keep the top payload bits, force quiet)
    return a > 0x7f800000 ? s | 0x7e00 | ((a >> 13) & 0x3ff) : s | 0x7c00;
  }
  if (a >= 0x477ff000) return s | 0x7c00; // >= 65520 rounds to inf
  if (a < 0x38800000) {
    // below 2^-14: the result is subnormal (or zero); adding 0.5 rounds at 2^-24
    const v = reinterpret<f32>(a) + 0.5;
    return s | (reinterpret<u32>(v) - 0x3f000000);
  }
  const odd = (a >> 13) & 1;
  a += 0xc8000fff + odd; // rebias the exponent (-112 << 23) and round to nearest even
  return s | (a >> 13);
}

// ---- sort-order keys -------------------------------------------------------------------
// Each value maps to an unsigned integer whose natural order is JAX's sort order
// (lax.sort's comparator): floats are canonicalized first (-0.0 -> +0.0, every NaN -> one
// NaN placed after +inf), then compared in IEEE total order; ints by value; bool false < true.

// @ts-ignore: decorator
@inline
export function keyF32(bits: u32): u32 {
  if ((bits & 0x7fffffff) > 0x7f800000) return 0xffffffff; // NaN: last, all equal
  if (bits == 0x80000000) bits = 0; // -0 == +0
  return (bits & 0x80000000) ? ~bits : bits | 0x80000000;
}

// @ts-ignore: decorator
@inline
export function keyF16(bits: u32): u32 {
  bits &= 0xffff;
  if ((bits & 0x7fff) > 0x7c00) return 0xffff;
  if (bits == 0x8000) bits = 0;
  return (bits & 0x8000) ? (~bits) & 0xffff : bits | 0x8000;
}

// @ts-ignore: decorator
@inline
export function keyF64(bits: u64): u64 {
  if ((bits & 0x7fffffffffffffff) > 0x7ff0000000000000) return 0xffffffffffffffff;
  if (bits == 0x8000000000000000) bits = 0;
  return (bits & 0x8000000000000000) ? ~bits : bits | 0x8000000000000000;
}

/** Order key of element i (64-bit so that float64 fits; narrower dtypes use the low bits). */
// @ts-ignore: decorator
@inline
export function orderKey(code: i32, base: usize, i: usize): u64 {
  switch (code) {
    case DT_F32: return <u64>keyF32(load<u32>(base + (i << 2)));
    case DT_F64: return keyF64(load<u64>(base + (i << 3)));
    case DT_F16: return <u64>keyF16(<u32>load<u16>(base + (i << 1)));
    case DT_I32: return <u64>(load<u32>(base + (i << 2)) ^ 0x80000000);
    case DT_U32: return <u64>load<u32>(base + (i << 2));
    case DT_I16: return <u64>(<u32>(<i32>load<i16>(base + (i << 1)) + 0x8000));
    case DT_U16: return <u64>load<u16>(base + (i << 1));
    case DT_I8: return <u64>(<u32>(<i32>load<i8>(base + i) + 0x80));
    default: return <u64>load<u8>(base + i); // uint8, bool
  }
}
