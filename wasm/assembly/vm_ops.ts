// Instructions of the kernel VM. Each instruction is five i32 words [op, d, a, b, c]: d, a, b
// (and c for selects) index the register address table, other operands are immediates.
// Every instruction is one tight loop over a block of lanes; 32-bit lanes are f32 or i32 (u32
// values are held as i32 bits), float64 registers have 64-bit lanes. Loops run over n lanes
// rounded up to a multiple of 4 (registers are padded; lanes past n hold garbage that is never
// stored). The opcode numbers are mirrored in wasm/vm_compile.ts (OP).
import {
  f16BitsOf, f32OfF16Bits, f64ToF16Bits, math1F64, math2F64, nextafterF16, nextafterF32, nextafterF64,
} from "./vm_scalar";
import { mathBinaryF32, mathUnaryF32 } from "./math";

// moves
const OP_FILL32 = 1;
const OP_FILL64 = 2;
const OP_COPY32 = 3;
const OP_COPY64 = 4;
// float32 unary (d, a)
const OP_NEG_F32 = 10;
const OP_ABS_F32 = 11;
const OP_SIGN_F32 = 12;
const OP_FLOOR_F32 = 13;
const OP_CEIL_F32 = 14;
const OP_RNE_F32 = 15;
const OP_RAWAY_F32 = 16;
const OP_TRUNC_F32 = 17;
const OP_SQRT_F32 = 18;
const OP_RSQRT_F32 = 19;
const OP_RECIP_F32 = 20;
const OP_SQUARE_F32 = 21;
const OP_ISFINITE_F32 = 22;
const OP_ISNAN_F32 = 23;
const OP_ISINF_F32 = 24;
const OP_SIGNBIT_F32 = 25;
const OP_MATH1_F32 = 26;
const OP_ROUND_F16 = 27;
const OP_NE0_F32 = 28;
// float32 binary (d, a, b)
const OP_ADD_F32 = 30;
const OP_SUB_F32 = 31;
const OP_MUL_F32 = 32;
const OP_DIV_F32 = 33;
const OP_REM_F32 = 34;
const OP_MAX_F32 = 35;
const OP_MIN_F32 = 36;
const OP_NEXTAFTER_F32 = 37;
const OP_NEXTAFTER_F16 = 38;
const OP_COPYSIGN_F32 = 39;
const OP_EQ_F32 = 40;
const OP_NE_F32 = 41;
const OP_LT_F32 = 42;
const OP_LE_F32 = 43;
const OP_GT_F32 = 44;
const OP_GE_F32 = 45;
const OP_MATH2_F32 = 46;
// float64 unary
const OP_NEG_F64 = 50;
const OP_ABS_F64 = 51;
const OP_SIGN_F64 = 52;
const OP_FLOOR_F64 = 53;
const OP_CEIL_F64 = 54;
const OP_RNE_F64 = 55;
const OP_RAWAY_F64 = 56;
const OP_TRUNC_F64 = 57;
const OP_SQRT_F64 = 58;
const OP_RSQRT_F64 = 59;
const OP_RECIP_F64 = 60;
const OP_SQUARE_F64 = 61;
const OP_ISFINITE_F64 = 62;
const OP_ISNAN_F64 = 63;
const OP_ISINF_F64 = 64;
const OP_SIGNBIT_F64 = 65;
const OP_MATH1_F64 = 66;
const OP_NE0_F64 = 67;
// float64 binary
const OP_ADD_F64 = 70;
const OP_SUB_F64 = 71;
const OP_MUL_F64 = 72;
const OP_DIV_F64 = 73;
const OP_REM_F64 = 74;
const OP_MAX_F64 = 75;
const OP_MIN_F64 = 76;
const OP_NEXTAFTER_F64 = 77;
const OP_COPYSIGN_F64 = 78;
const OP_EQ_F64 = 79;
const OP_NE_F64 = 80;
const OP_LT_F64 = 81;
const OP_LE_F64 = 82;
const OP_GT_F64 = 83;
const OP_GE_F64 = 84;
const OP_MATH2_F64 = 85;
// integer unary
const OP_NEG_I32 = 90;
const OP_ABS_I32 = 91;
const OP_SIGN_I32 = 92;
const OP_SIGN_U32 = 93;
const OP_NOT_I32 = 94;
const OP_NOT_BOOL = 95;
const OP_POPCNT = 96; // c = mask of the dtype's bits
const OP_CLZ = 97; // c = bits
const OP_SQUARE_I32 = 98;
const OP_WRAP_S8 = 99;
const OP_WRAP_U8 = 100;
const OP_WRAP_S16 = 101;
const OP_WRAP_U16 = 102;
const OP_NE0_I32 = 103;
const OP_SIGNBIT_I32 = 104;
// integer binary
const OP_ADD_I32 = 110;
const OP_SUB_I32 = 111;
const OP_MUL_I32 = 112;
const OP_DIV_S = 113;
const OP_REM_S = 114;
const OP_DIV_U = 115;
const OP_REM_U = 116;
const OP_MAX_S = 117;
const OP_MIN_S = 118;
const OP_MAX_U = 119;
const OP_MIN_U = 120;
const OP_AND = 121;
const OP_OR = 122;
const OP_XOR = 123;
const OP_SHL = 124; // c = bits | unsigned << 8
const OP_SHRA = 125;
const OP_SHRL = 126;
const OP_EQ_I32 = 127;
const OP_NE_I32 = 128;
const OP_LT_S = 129;
const OP_LE_S = 130;
const OP_GT_S = 131;
const OP_GE_S = 132;
const OP_LT_U = 133;
const OP_LE_U = 134;
const OP_GT_U = 135;
const OP_GE_U = 136;
const OP_POW_S = 137;
const OP_POW_U = 138;
// select (d, pred, onTrue, onFalse)
const OP_SEL32 = 140;
const OP_SEL64 = 141;
// conversions
const OP_F32_TO_I32 = 150;
const OP_F32_TO_U32 = 151;
const OP_I32_TO_F32 = 152;
const OP_U32_TO_F32 = 153;
const OP_F32_TO_F64 = 154;
const OP_F64_TO_F32 = 155;
const OP_F64_TO_I32 = 156;
const OP_F64_TO_U32 = 157;
const OP_I32_TO_F64 = 158;
const OP_U32_TO_F64 = 159;
const OP_CLAMP_I32 = 160; // b = lo, c = hi (immediates)
const OP_F64_TO_F16 = 161;
const OP_F16_BITS_S = 162;
const OP_F16_BITS_U = 163;
const OP_BITS_F16 = 164;

// @ts-ignore: decorator
@inline
function R(table: usize, r: i32): usize {
  return load<usize>(table + (<usize>r << 2));
}

// @ts-ignore: decorator
@inline
function un32(op: i32, d: usize, a: usize, nb: usize): void {
  for (let i: usize = 0; i < nb; i += 16) {
    const x = v128.load(a + i);
    let r: v128;
    switch (op) {
      case OP_NEG_F32: r = f32x4.neg(x); break;
      case OP_ABS_F32: r = f32x4.abs(x); break;
      case OP_SIGN_F32: {
        const one = v128.or(v128.and(x, i32x4.splat(0x80000000)), f32x4.splat(1));
        const m = v128.and(f32x4.ne(x, f32x4.splat(0)), f32x4.eq(x, x));
        r = v128.bitselect(one, x, m);
        break;
      }
      case OP_FLOOR_F32: r = f32x4.floor(x); break;
      case OP_CEIL_F32: r = f32x4.ceil(x); break;
      case OP_RNE_F32: r = f32x4.nearest(x); break;
      case OP_RAWAY_F32: {
        const t = f32x4.trunc(x);
        const m = f32x4.ge(f32x4.abs(f32x4.sub(x, t)), f32x4.splat(0.5));
        const one = v128.or(v128.and(x, i32x4.splat(0x80000000)), f32x4.splat(1));
        r = v128.bitselect(f32x4.add(t, one), t, m);
        break;
      }
      case OP_TRUNC_F32: r = f32x4.trunc(x); break;
      case OP_SQRT_F32: r = f32x4.sqrt(x); break;
      case OP_RSQRT_F32: r = f32x4.div(f32x4.splat(1), f32x4.sqrt(x)); break;
      case OP_RECIP_F32: r = f32x4.div(f32x4.splat(1), x); break;
      case OP_SQUARE_F32: r = f32x4.mul(x, x); break;
      case OP_ISFINITE_F32: {
        const e = v128.and(x, i32x4.splat(0x7f800000));
        r = i32x4.neg(i32x4.ne(e, i32x4.splat(0x7f800000)));
        break;
      }
      case OP_ISNAN_F32: r = i32x4.neg(f32x4.ne(x, x)); break;
      case OP_ISINF_F32: {
        const e = v128.and(x, i32x4.splat(0x7fffffff));
        r = i32x4.neg(i32x4.eq(e, i32x4.splat(0x7f800000)));
        break;
      }
      case OP_SIGNBIT_F32: r = i32x4.shr_u(x, 31); break;
      case OP_ROUND_F16: r = f32OfF16Bits(f16BitsOf(x)); break;
      case OP_NE0_F32: r = i32x4.neg(f32x4.ne(x, f32x4.splat(0))); break;
      case OP_COPY32: r = x; break;
      case OP_NEG_I32: r = i32x4.neg(x); break;
      case OP_ABS_I32: r = i32x4.abs(x); break;
      case OP_SIGN_I32: r = v128.or(i32x4.shr_s(x, 31), i32x4.shr_u(i32x4.neg(x), 31)); break;
      case OP_SIGN_U32: r = i32x4.neg(i32x4.ne(x, i32x4.splat(0))); break;
      case OP_NOT_I32: r = v128.not(x); break;
      case OP_NOT_BOOL: r = v128.xor(x, i32x4.splat(1)); break;
      case OP_SQUARE_I32: r = i32x4.mul(x, x); break;
      case OP_WRAP_S8: r = i32x4.shr_s(i32x4.shl(x, 24), 24); break;
      case OP_WRAP_U8: r = v128.and(x, i32x4.splat(0xff)); break;
      case OP_WRAP_S16: r = i32x4.shr_s(i32x4.shl(x, 16), 16); break;
      case OP_WRAP_U16: r = v128.and(x, i32x4.splat(0xffff)); break;
      case OP_NE0_I32: r = i32x4.neg(i32x4.ne(x, i32x4.splat(0))); break;
      case OP_SIGNBIT_I32: r = i32x4.shr_u(x, 31); break;
      case OP_F32_TO_I32: r = i32x4.trunc_sat_f32x4_s(x); break;
      case OP_F32_TO_U32: r = i32x4.trunc_sat_f32x4_u(x); break;
      case OP_I32_TO_F32: r = f32x4.convert_i32x4_s(x); break;
      case OP_U32_TO_F32: r = f32x4.convert_i32x4_u(x); break;
      case OP_F16_BITS_S: r = i32x4.shr_s(i32x4.shl(f16BitsOf(x), 16), 16); break;
      case OP_F16_BITS_U: r = f16BitsOf(x); break;
      case OP_BITS_F16: r = f32OfF16Bits(x); break;
      default: r = x;
    }
    v128.store(d + i, r);
  }
}

// @ts-ignore: decorator
@inline
function bin32(op: i32, d: usize, a: usize, b: usize, nb: usize): void {
  for (let i: usize = 0; i < nb; i += 16) {
    const x = v128.load(a + i);
    const y = v128.load(b + i);
    let r: v128;
    switch (op) {
      case OP_ADD_F32: r = f32x4.add(x, y); break;
      case OP_SUB_F32: r = f32x4.sub(x, y); break;
      case OP_MUL_F32: r = f32x4.mul(x, y); break;
      case OP_DIV_F32: r = f32x4.div(x, y); break;
      case OP_MAX_F32: r = f32x4.max(x, y); break;
      case OP_MIN_F32: r = f32x4.min(x, y); break;
      case OP_COPYSIGN_F32: r = v128.bitselect(y, x, i32x4.splat(0x80000000)); break;
      case OP_EQ_F32: r = i32x4.neg(f32x4.eq(x, y)); break;
      case OP_NE_F32: r = i32x4.neg(f32x4.ne(x, y)); break;
      case OP_LT_F32: r = i32x4.neg(f32x4.lt(x, y)); break;
      case OP_LE_F32: r = i32x4.neg(f32x4.le(x, y)); break;
      case OP_GT_F32: r = i32x4.neg(f32x4.gt(x, y)); break;
      case OP_GE_F32: r = i32x4.neg(f32x4.ge(x, y)); break;
      case OP_ADD_I32: r = i32x4.add(x, y); break;
      case OP_SUB_I32: r = i32x4.sub(x, y); break;
      case OP_MUL_I32: r = i32x4.mul(x, y); break;
      case OP_MAX_S: r = i32x4.max_s(x, y); break;
      case OP_MIN_S: r = i32x4.min_s(x, y); break;
      case OP_MAX_U: r = i32x4.max_u(x, y); break;
      case OP_MIN_U: r = i32x4.min_u(x, y); break;
      case OP_AND: r = v128.and(x, y); break;
      case OP_OR: r = v128.or(x, y); break;
      case OP_XOR: r = v128.xor(x, y); break;
      case OP_EQ_I32: r = i32x4.neg(i32x4.eq(x, y)); break;
      case OP_NE_I32: r = i32x4.neg(i32x4.ne(x, y)); break;
      case OP_LT_S: r = i32x4.neg(i32x4.lt_s(x, y)); break;
      case OP_LE_S: r = i32x4.neg(i32x4.le_s(x, y)); break;
      case OP_GT_S: r = i32x4.neg(i32x4.gt_s(x, y)); break;
      case OP_GE_S: r = i32x4.neg(i32x4.ge_s(x, y)); break;
      case OP_LT_U: r = i32x4.neg(i32x4.lt_u(x, y)); break;
      case OP_LE_U: r = i32x4.neg(i32x4.le_u(x, y)); break;
      case OP_GT_U: r = i32x4.neg(i32x4.gt_u(x, y)); break;
      case OP_GE_U: r = i32x4.neg(i32x4.ge_u(x, y)); break;
      default: r = x;
    }
    v128.store(d + i, r);
  }
}

// @ts-ignore: decorator
@inline
function un64(op: i32, d: usize, a: usize, nb: usize): void {
  for (let i: usize = 0; i < nb; i += 16) {
    const x = v128.load(a + i);
    let r: v128;
    switch (op) {
      case OP_NEG_F64: r = f64x2.neg(x); break;
      case OP_ABS_F64: r = f64x2.abs(x); break;
      case OP_SIGN_F64: {
        const one = v128.or(v128.and(x, i64x2.splat(0x8000000000000000)), f64x2.splat(1));
        const m = v128.and(f64x2.ne(x, f64x2.splat(0)), f64x2.eq(x, x));
        r = v128.bitselect(one, x, m);
        break;
      }
      case OP_FLOOR_F64: r = f64x2.floor(x); break;
      case OP_CEIL_F64: r = f64x2.ceil(x); break;
      case OP_RNE_F64: r = f64x2.nearest(x); break;
      case OP_RAWAY_F64: {
        const t = f64x2.trunc(x);
        const m = f64x2.ge(f64x2.abs(f64x2.sub(x, t)), f64x2.splat(0.5));
        const one = v128.or(v128.and(x, i64x2.splat(0x8000000000000000)), f64x2.splat(1));
        r = v128.bitselect(f64x2.add(t, one), t, m);
        break;
      }
      case OP_TRUNC_F64: r = f64x2.trunc(x); break;
      case OP_SQRT_F64: r = f64x2.sqrt(x); break;
      case OP_RSQRT_F64: r = f64x2.div(f64x2.splat(1), f64x2.sqrt(x)); break;
      case OP_RECIP_F64: r = f64x2.div(f64x2.splat(1), x); break;
      case OP_SQUARE_F64: r = f64x2.mul(x, x); break;
      case OP_COPY64: r = x; break;
      default: r = x;
    }
    v128.store(d + i, r);
  }
}

// @ts-ignore: decorator
@inline
function bin64(op: i32, d: usize, a: usize, b: usize, nb: usize): void {
  for (let i: usize = 0; i < nb; i += 16) {
    const x = v128.load(a + i);
    const y = v128.load(b + i);
    let r: v128;
    switch (op) {
      case OP_ADD_F64: r = f64x2.add(x, y); break;
      case OP_SUB_F64: r = f64x2.sub(x, y); break;
      case OP_MUL_F64: r = f64x2.mul(x, y); break;
      case OP_DIV_F64: r = f64x2.div(x, y); break;
      case OP_MAX_F64: r = f64x2.max(x, y); break;
      case OP_MIN_F64: r = f64x2.min(x, y); break;
      case OP_COPYSIGN_F64: r = v128.bitselect(y, x, i64x2.splat(0x8000000000000000)); break;
      default: r = x;
    }
    v128.store(d + i, r);
  }
}

/** float64 comparisons and predicates -> i32 lanes (0/1). nl = lanes (multiple of 4). */
// @ts-ignore: decorator
@inline
function cmp64(op: i32, d: usize, a: usize, b: usize, nl: usize): void {
  for (let i: usize = 0; i < nl; i += 4) {
    const x0 = v128.load(a + (i << 3));
    const x1 = v128.load(a + (i << 3), 16);
    const y0 = v128.load(b + (i << 3));
    const y1 = v128.load(b + (i << 3), 16);
    let m0: v128, m1: v128;
    switch (op) {
      case OP_EQ_F64: m0 = f64x2.eq(x0, y0); m1 = f64x2.eq(x1, y1); break;
      case OP_NE_F64: m0 = f64x2.ne(x0, y0); m1 = f64x2.ne(x1, y1); break;
      case OP_LT_F64: m0 = f64x2.lt(x0, y0); m1 = f64x2.lt(x1, y1); break;
      case OP_LE_F64: m0 = f64x2.le(x0, y0); m1 = f64x2.le(x1, y1); break;
      case OP_GT_F64: m0 = f64x2.gt(x0, y0); m1 = f64x2.gt(x1, y1); break;
      case OP_GE_F64: m0 = f64x2.ge(x0, y0); m1 = f64x2.ge(x1, y1); break;
      case OP_ISNAN_F64: m0 = f64x2.ne(x0, x0); m1 = f64x2.ne(x1, x1); break;
      case OP_NE0_F64: m0 = f64x2.ne(x0, f64x2.splat(0)); m1 = f64x2.ne(x1, f64x2.splat(0)); break;
      case OP_ISFINITE_F64: {
        const ex = i64x2.splat(0x7ff0000000000000);
        m0 = v128.not(i64x2.eq(v128.and(x0, ex), ex));
        m1 = v128.not(i64x2.eq(v128.and(x1, ex), ex));
        break;
      }
      case OP_ISINF_F64: {
        const ab = i64x2.splat(0x7fffffffffffffff);
        const inf = i64x2.splat(0x7ff0000000000000);
        m0 = i64x2.eq(v128.and(x0, ab), inf);
        m1 = i64x2.eq(v128.and(x1, ab), inf);
        break;
      }
      case OP_SIGNBIT_F64: m0 = i64x2.shr_s(x0, 63); m1 = i64x2.shr_s(x1, 63); break;
      default: m0 = x0; m1 = x1;
    }
    v128.store(d + (i << 2), i32x4.neg(i32x4.shuffle(m0, m1, 0, 2, 4, 6)));
  }
}

function fill32(d: usize, bits: i32, nb: usize): void {
  const v = i32x4.splat(bits);
  for (let i: usize = 0; i < nb; i += 16) v128.store(d + i, v);
}

function fill64(d: usize, bits: i64, nb: usize): void {
  const v = i64x2.splat(bits);
  for (let i: usize = 0; i < nb; i += 16) v128.store(d + i, v);
}

function remF32(d: usize, a: usize, b: usize, nl: i32): void {
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 2;
    store<f32>(d + p, load<f32>(a + p) % load<f32>(b + p));
  }
}

function remF64(d: usize, a: usize, b: usize, nl: i32): void {
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 3;
    store<f64>(d + p, load<f64>(a + p) % load<f64>(b + p));
  }
}

function nextF32(d: usize, a: usize, b: usize, nl: i32, half: bool): void {
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 2;
    const x = load<f32>(a + p);
    const y = load<f32>(b + p);
    store<f32>(d + p, half ? nextafterF16(x, y) : nextafterF32(x, y));
  }
}

function nextF64(d: usize, a: usize, b: usize, nl: i32): void {
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 3;
    store<f64>(d + p, nextafterF64(load<f64>(a + p), load<f64>(b + p)));
  }
}

function math1F64Block(fn: i32, d: usize, a: usize, nl: i32): void {
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 3;
    store<f64>(d + p, math1F64(fn, load<f64>(a + p)));
  }
}

function math2F64Block(fn: i32, d: usize, a: usize, b: usize, nl: i32): void {
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 3;
    store<f64>(d + p, math2F64(fn, load<f64>(a + p), load<f64>(b + p)));
  }
}

// @ts-ignore: decorator
@inline
function intBin(op: i32, d: usize, a: usize, b: usize, nl: i32, c: i32): void {
  const bits = c & 255;
  const uns = (c >> 8) != 0;
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 2;
    const x = load<i32>(a + p);
    const y = load<i32>(b + p);
    let r: i32;
    switch (op) {
      case OP_DIV_S: r = y == 0 ? -1 : y == -1 ? -x : x / y; break;
      case OP_REM_S: r = y == 0 ? x : y == -1 ? 0 : x % y; break;
      case OP_DIV_U: r = y == 0 ? -1 : <i32>(<u32>x / <u32>y); break;
      case OP_REM_U: r = y == 0 ? x : <i32>(<u32>x % <u32>y); break;
      case OP_SHL: r = <u32>y >= <u32>bits ? 0 : x << y; break;
      case OP_SHRA: {
        // sign fill from the dtype's top bit (unsigned narrow values are re-signed first)
        const s = uns && bits < 32 ? (x << (32 - bits)) >> (32 - bits) : x;
        r = <u32>y >= <u32>bits ? s >> 31 : s >> y;
        break;
      }
      case OP_SHRL: {
        const m = bits == 32 ? x : x & ((1 << bits) - 1);
        r = <u32>y >= <u32>bits ? 0 : <i32>(<u32>m >>> y);
        break;
      }
      case OP_POW_S: r = ipowS(x, y); break;
      case OP_POW_U: r = ipowU(x, y); break;
      default: r = x;
    }
    store<i32>(d + p, r);
  }
}

function ipowS(x: i32, e: i32): i32 {
  if (e < 0) {
    if (x == 1) return 1;
    if (x == -1) return (e & 1) != 0 ? -1 : 1;
    return 0;
  }
  return ipowU(x, e);
}

function ipowU(x: i32, e: i32): i32 {
  let r: i32 = 1;
  let b = x;
  let k = <u32>e;
  while (k != 0) {
    if (k & 1) r *= b;
    b *= b;
    k >>>= 1;
  }
  return r;
}

function popcnt32(d: usize, a: usize, nb: usize, mask: i32): void {
  const m = i32x4.splat(mask);
  for (let i: usize = 0; i < nb; i += 16) {
    const x = v128.and(v128.load(a + i), m);
    v128.store(d + i, i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(x))));
  }
}

function clz32(d: usize, a: usize, nl: i32, bits: i32): void {
  const mask = bits == 32 ? -1 : (1 << bits) - 1;
  for (let i = 0; i < nl; i++) {
    const p = <usize>i << 2;
    store<i32>(d + p, clz<i32>(load<i32>(a + p) & mask) - (32 - bits));
  }
}

function sel32(d: usize, p: usize, t: usize, f: usize, nb: usize): void {
  const z = i32x4.splat(0);
  for (let i: usize = 0; i < nb; i += 16) {
    const m = i32x4.ne(v128.load(p + i), z);
    v128.store(d + i, v128.bitselect(v128.load(t + i), v128.load(f + i), m));
  }
}

function sel64(d: usize, p: usize, t: usize, f: usize, nl: usize): void {
  const z = i32x4.splat(0);
  for (let i: usize = 0; i < nl; i += 4) {
    const m = i32x4.ne(v128.load(p + (i << 2)), z);
    const o = i << 3;
    v128.store(d + o, v128.bitselect(v128.load(t + o), v128.load(f + o), i64x2.extend_low_i32x4_s(m)));
    v128.store(d + o, v128.bitselect(v128.load(t + o, 16), v128.load(f + o, 16), i64x2.extend_high_i32x4_s(m)), 16);
  }
}

function clampI32(d: usize, a: usize, nb: usize, lo: i32, hi: i32): void {
  const l = i32x4.splat(lo);
  const h = i32x4.splat(hi);
  for (let i: usize = 0; i < nb; i += 16) v128.store(d + i, i32x4.min_s(i32x4.max_s(v128.load(a + i), l), h));
}

// @ts-ignore: decorator
@inline
function widen(op: i32, d: usize, a: usize, nl: usize): void {
  // 32-bit lanes -> float64 lanes, two at a time. Runs downward so that d may equal a.
  let i = nl;
  while (i > 0) {
    i -= 2;
    const x = v128.load64_zero(a + (i << 2));
    let r: v128;
    switch (op) {
      case OP_F32_TO_F64: r = f64x2.promote_low_f32x4(x); break;
      case OP_I32_TO_F64: r = f64x2.convert_low_i32x4_s(x); break;
      case OP_U32_TO_F64: r = f64x2.convert_low_i32x4_u(x); break;
      default: r = x;
    }
    v128.store(d + (i << 3), r);
  }
}

// @ts-ignore: decorator
@inline
function narrow(op: i32, d: usize, a: usize, nl: usize): void {
  // float64 lanes -> 32-bit lanes, four at a time (upward, so d may equal a).
  for (let i: usize = 0; i < nl; i += 4) {
    const x0 = v128.load(a + (i << 3));
    const x1 = v128.load(a + (i << 3), 16);
    let r0: v128, r1: v128;
    switch (op) {
      case OP_F64_TO_F32: r0 = f32x4.demote_f64x2_zero(x0); r1 = f32x4.demote_f64x2_zero(x1); break;
      case OP_F64_TO_I32: r0 = i32x4.trunc_sat_f64x2_s_zero(x0); r1 = i32x4.trunc_sat_f64x2_s_zero(x1); break;
      case OP_F64_TO_U32: r0 = i32x4.trunc_sat_f64x2_u_zero(x0); r1 = i32x4.trunc_sat_f64x2_u_zero(x1); break;
      default: r0 = x0; r1 = x1;
    }
    v128.store(d + (i << 2), i32x4.shuffle(r0, r1, 0, 1, 4, 5));
  }
}

function f64ToF16(d: usize, a: usize, nl: i32): void {
  for (let i = 0; i < nl; i++) {
    store<f32>(d + (<usize>i << 2), f32OfF16BitsScalar(f64ToF16Bits(load<f64>(a + (<usize>i << 3)))));
  }
}

// @ts-ignore: decorator
@inline
function f32OfF16BitsScalar(h: u32): f32 {
  return f32x4.extract_lane(f32OfF16Bits(i32x4.splat(h)), 0);
}

/** Runs `count` instructions at `code` over a block of n lanes. */
export function exec(table: usize, code: usize, count: i32, n: i32): void {
  const n4 = (n + 3) & ~3;
  const nb4 = <usize>n4 << 2;
  const nb8 = <usize>n4 << 3;
  for (let k = 0; k < count; k++) {
    const ip = code + <usize>k * 20;
    const op = load<i32>(ip);
    const w2 = load<i32>(ip, 8);
    const w3 = load<i32>(ip, 12);
    const w4 = load<i32>(ip, 16);
    const d = R(table, load<i32>(ip, 4));
    switch (op) {
      case OP_FILL32: fill32(d, w4, nb4); break;
      case OP_FILL64: fill64(d, (<i64>w4 << 32) | <i64>(<u32>w3), nb8); break;
      case OP_COPY32: un32(OP_COPY32, d, R(table, w2), nb4); break;
      case OP_COPY64: un64(OP_COPY64, d, R(table, w2), nb8); break;

      case OP_NEG_F32: un32(OP_NEG_F32, d, R(table, w2), nb4); break;
      case OP_ABS_F32: un32(OP_ABS_F32, d, R(table, w2), nb4); break;
      case OP_SIGN_F32: un32(OP_SIGN_F32, d, R(table, w2), nb4); break;
      case OP_FLOOR_F32: un32(OP_FLOOR_F32, d, R(table, w2), nb4); break;
      case OP_CEIL_F32: un32(OP_CEIL_F32, d, R(table, w2), nb4); break;
      case OP_RNE_F32: un32(OP_RNE_F32, d, R(table, w2), nb4); break;
      case OP_RAWAY_F32: un32(OP_RAWAY_F32, d, R(table, w2), nb4); break;
      case OP_TRUNC_F32: un32(OP_TRUNC_F32, d, R(table, w2), nb4); break;
      case OP_SQRT_F32: un32(OP_SQRT_F32, d, R(table, w2), nb4); break;
      case OP_RSQRT_F32: un32(OP_RSQRT_F32, d, R(table, w2), nb4); break;
      case OP_RECIP_F32: un32(OP_RECIP_F32, d, R(table, w2), nb4); break;
      case OP_SQUARE_F32: un32(OP_SQUARE_F32, d, R(table, w2), nb4); break;
      case OP_ISFINITE_F32: un32(OP_ISFINITE_F32, d, R(table, w2), nb4); break;
      case OP_ISNAN_F32: un32(OP_ISNAN_F32, d, R(table, w2), nb4); break;
      case OP_ISINF_F32: un32(OP_ISINF_F32, d, R(table, w2), nb4); break;
      case OP_SIGNBIT_F32: un32(OP_SIGNBIT_F32, d, R(table, w2), nb4); break;
      case OP_MATH1_F32: mathUnaryF32(w4, R(table, w2), d, n4); break;
      case OP_ROUND_F16: un32(OP_ROUND_F16, d, R(table, w2), nb4); break;
      case OP_NE0_F32: un32(OP_NE0_F32, d, R(table, w2), nb4); break;

      case OP_ADD_F32: bin32(OP_ADD_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_SUB_F32: bin32(OP_SUB_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MUL_F32: bin32(OP_MUL_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_DIV_F32: bin32(OP_DIV_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_REM_F32: remF32(d, R(table, w2), R(table, w3), n4); break;
      case OP_MAX_F32: bin32(OP_MAX_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MIN_F32: bin32(OP_MIN_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_NEXTAFTER_F32: nextF32(d, R(table, w2), R(table, w3), n4, false); break;
      case OP_NEXTAFTER_F16: nextF32(d, R(table, w2), R(table, w3), n4, true); break;
      case OP_COPYSIGN_F32: bin32(OP_COPYSIGN_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_EQ_F32: bin32(OP_EQ_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_NE_F32: bin32(OP_NE_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_LT_F32: bin32(OP_LT_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_LE_F32: bin32(OP_LE_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_GT_F32: bin32(OP_GT_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_GE_F32: bin32(OP_GE_F32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MATH2_F32: mathBinaryF32(w4, R(table, w2), R(table, w3), d, n4); break;

      case OP_NEG_F64: un64(OP_NEG_F64, d, R(table, w2), nb8); break;
      case OP_ABS_F64: un64(OP_ABS_F64, d, R(table, w2), nb8); break;
      case OP_SIGN_F64: un64(OP_SIGN_F64, d, R(table, w2), nb8); break;
      case OP_FLOOR_F64: un64(OP_FLOOR_F64, d, R(table, w2), nb8); break;
      case OP_CEIL_F64: un64(OP_CEIL_F64, d, R(table, w2), nb8); break;
      case OP_RNE_F64: un64(OP_RNE_F64, d, R(table, w2), nb8); break;
      case OP_RAWAY_F64: un64(OP_RAWAY_F64, d, R(table, w2), nb8); break;
      case OP_TRUNC_F64: un64(OP_TRUNC_F64, d, R(table, w2), nb8); break;
      case OP_SQRT_F64: un64(OP_SQRT_F64, d, R(table, w2), nb8); break;
      case OP_RSQRT_F64: un64(OP_RSQRT_F64, d, R(table, w2), nb8); break;
      case OP_RECIP_F64: un64(OP_RECIP_F64, d, R(table, w2), nb8); break;
      case OP_SQUARE_F64: un64(OP_SQUARE_F64, d, R(table, w2), nb8); break;
      case OP_ISFINITE_F64: cmp64(OP_ISFINITE_F64, d, R(table, w2), R(table, w2), n4); break;
      case OP_ISNAN_F64: cmp64(OP_ISNAN_F64, d, R(table, w2), R(table, w2), n4); break;
      case OP_ISINF_F64: cmp64(OP_ISINF_F64, d, R(table, w2), R(table, w2), n4); break;
      case OP_SIGNBIT_F64: cmp64(OP_SIGNBIT_F64, d, R(table, w2), R(table, w2), n4); break;
      case OP_NE0_F64: cmp64(OP_NE0_F64, d, R(table, w2), R(table, w2), n4); break;
      case OP_MATH1_F64: math1F64Block(w4, d, R(table, w2), n4); break;

      case OP_ADD_F64: bin64(OP_ADD_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_SUB_F64: bin64(OP_SUB_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_MUL_F64: bin64(OP_MUL_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_DIV_F64: bin64(OP_DIV_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_REM_F64: remF64(d, R(table, w2), R(table, w3), n4); break;
      case OP_MAX_F64: bin64(OP_MAX_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_MIN_F64: bin64(OP_MIN_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_NEXTAFTER_F64: nextF64(d, R(table, w2), R(table, w3), n4); break;
      case OP_COPYSIGN_F64: bin64(OP_COPYSIGN_F64, d, R(table, w2), R(table, w3), nb8); break;
      case OP_EQ_F64: cmp64(OP_EQ_F64, d, R(table, w2), R(table, w3), n4); break;
      case OP_NE_F64: cmp64(OP_NE_F64, d, R(table, w2), R(table, w3), n4); break;
      case OP_LT_F64: cmp64(OP_LT_F64, d, R(table, w2), R(table, w3), n4); break;
      case OP_LE_F64: cmp64(OP_LE_F64, d, R(table, w2), R(table, w3), n4); break;
      case OP_GT_F64: cmp64(OP_GT_F64, d, R(table, w2), R(table, w3), n4); break;
      case OP_GE_F64: cmp64(OP_GE_F64, d, R(table, w2), R(table, w3), n4); break;
      case OP_MATH2_F64: math2F64Block(w4, d, R(table, w2), R(table, w3), n4); break;

      case OP_NEG_I32: un32(OP_NEG_I32, d, R(table, w2), nb4); break;
      case OP_ABS_I32: un32(OP_ABS_I32, d, R(table, w2), nb4); break;
      case OP_SIGN_I32: un32(OP_SIGN_I32, d, R(table, w2), nb4); break;
      case OP_SIGN_U32: un32(OP_SIGN_U32, d, R(table, w2), nb4); break;
      case OP_NOT_I32: un32(OP_NOT_I32, d, R(table, w2), nb4); break;
      case OP_NOT_BOOL: un32(OP_NOT_BOOL, d, R(table, w2), nb4); break;
      case OP_POPCNT: popcnt32(d, R(table, w2), nb4, w4); break;
      case OP_CLZ: clz32(d, R(table, w2), n4, w4); break;
      case OP_SQUARE_I32: un32(OP_SQUARE_I32, d, R(table, w2), nb4); break;
      case OP_WRAP_S8: un32(OP_WRAP_S8, d, R(table, w2), nb4); break;
      case OP_WRAP_U8: un32(OP_WRAP_U8, d, R(table, w2), nb4); break;
      case OP_WRAP_S16: un32(OP_WRAP_S16, d, R(table, w2), nb4); break;
      case OP_WRAP_U16: un32(OP_WRAP_U16, d, R(table, w2), nb4); break;
      case OP_NE0_I32: un32(OP_NE0_I32, d, R(table, w2), nb4); break;
      case OP_SIGNBIT_I32: un32(OP_SIGNBIT_I32, d, R(table, w2), nb4); break;

      case OP_ADD_I32: bin32(OP_ADD_I32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_SUB_I32: bin32(OP_SUB_I32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MUL_I32: bin32(OP_MUL_I32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_DIV_S: intBin(OP_DIV_S, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_REM_S: intBin(OP_REM_S, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_DIV_U: intBin(OP_DIV_U, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_REM_U: intBin(OP_REM_U, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_MAX_S: bin32(OP_MAX_S, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MIN_S: bin32(OP_MIN_S, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MAX_U: bin32(OP_MAX_U, d, R(table, w2), R(table, w3), nb4); break;
      case OP_MIN_U: bin32(OP_MIN_U, d, R(table, w2), R(table, w3), nb4); break;
      case OP_AND: bin32(OP_AND, d, R(table, w2), R(table, w3), nb4); break;
      case OP_OR: bin32(OP_OR, d, R(table, w2), R(table, w3), nb4); break;
      case OP_XOR: bin32(OP_XOR, d, R(table, w2), R(table, w3), nb4); break;
      case OP_SHL: intBin(OP_SHL, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_SHRA: intBin(OP_SHRA, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_SHRL: intBin(OP_SHRL, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_EQ_I32: bin32(OP_EQ_I32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_NE_I32: bin32(OP_NE_I32, d, R(table, w2), R(table, w3), nb4); break;
      case OP_LT_S: bin32(OP_LT_S, d, R(table, w2), R(table, w3), nb4); break;
      case OP_LE_S: bin32(OP_LE_S, d, R(table, w2), R(table, w3), nb4); break;
      case OP_GT_S: bin32(OP_GT_S, d, R(table, w2), R(table, w3), nb4); break;
      case OP_GE_S: bin32(OP_GE_S, d, R(table, w2), R(table, w3), nb4); break;
      case OP_LT_U: bin32(OP_LT_U, d, R(table, w2), R(table, w3), nb4); break;
      case OP_LE_U: bin32(OP_LE_U, d, R(table, w2), R(table, w3), nb4); break;
      case OP_GT_U: bin32(OP_GT_U, d, R(table, w2), R(table, w3), nb4); break;
      case OP_GE_U: bin32(OP_GE_U, d, R(table, w2), R(table, w3), nb4); break;
      case OP_POW_S: intBin(OP_POW_S, d, R(table, w2), R(table, w3), n4, w4); break;
      case OP_POW_U: intBin(OP_POW_U, d, R(table, w2), R(table, w3), n4, w4); break;

      case OP_SEL32: sel32(d, R(table, w2), R(table, w3), R(table, w4), nb4); break;
      case OP_SEL64: sel64(d, R(table, w2), R(table, w3), R(table, w4), <usize>n4); break;

      case OP_F32_TO_I32: un32(OP_F32_TO_I32, d, R(table, w2), nb4); break;
      case OP_F32_TO_U32: un32(OP_F32_TO_U32, d, R(table, w2), nb4); break;
      case OP_I32_TO_F32: un32(OP_I32_TO_F32, d, R(table, w2), nb4); break;
      case OP_U32_TO_F32: un32(OP_U32_TO_F32, d, R(table, w2), nb4); break;
      case OP_F32_TO_F64: widen(OP_F32_TO_F64, d, R(table, w2), <usize>n4); break;
      case OP_I32_TO_F64: widen(OP_I32_TO_F64, d, R(table, w2), <usize>n4); break;
      case OP_U32_TO_F64: widen(OP_U32_TO_F64, d, R(table, w2), <usize>n4); break;
      case OP_F64_TO_F32: narrow(OP_F64_TO_F32, d, R(table, w2), <usize>n4); break;
      case OP_F64_TO_I32: narrow(OP_F64_TO_I32, d, R(table, w2), <usize>n4); break;
      case OP_F64_TO_U32: narrow(OP_F64_TO_U32, d, R(table, w2), <usize>n4); break;
      case OP_CLAMP_I32: clampI32(d, R(table, w2), nb4, w3, w4); break;
      case OP_F64_TO_F16: f64ToF16(d, R(table, w2), n4); break;
      case OP_F16_BITS_S: un32(OP_F16_BITS_S, d, R(table, w2), nb4); break;
      case OP_F16_BITS_U: un32(OP_F16_BITS_U, d, R(table, w2), nb4); break;
      case OP_BITS_F16: un32(OP_BITS_F16, d, R(table, w2), nb4); break;
      default: unreachable();
    }
  }
}
