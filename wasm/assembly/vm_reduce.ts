// Reduction accumulators of the kernel VM (wasm/assembly/vm.ts).
//
// Outer schedule: one accumulator lane per kept element (a region of up to ACC_LANES lanes),
// updated lane-wise for every reduced position; float32 sums add in float32 for
// FLUSH_EVERY positions, then into float64 lanes (error ~ FLUSH_EVERY eps, not n eps).
// Inner schedule: a block of the reduced range is folded into 32 lanes held in v128 locals;
// float32 sums flush those into float64 lanes after every block. The lanes are combined at
// the end. arg reductions keep (value, index) per lane: strict comparisons keep the first
// index on ties; a NaN replaces a non-NaN best (the first NaN wins).

export const RED_SUM = 0;
export const RED_PROD = 1;
export const RED_MAX = 2;
export const RED_MIN = 3;
export const RED_AND = 4;
export const RED_OR = 5;
export const RED_ARGMAX = 6;
export const RED_ARGMIN = 7;
export const L_F32 = 0;
export const L_I32 = 1;
export const L_U32 = 2;
export const L_F64 = 3;
/** Lanes of the inner-schedule accumulator (float64: the first 16). */
export const INNER_LANES = 32;
export const FLUSH_EVERY = 32;

/** Fills nl accumulator lanes (a multiple of 4) with the identity; clears acc2 when used. */
export function accInit(op: i32, lane: i32, acc: usize, acc2: usize, nl: i32): void {
  let v: v128;
  if (lane == L_F64) {
    let x: f64 = 0;
    switch (op) {
      case RED_PROD: x = 1; break;
      case RED_MAX:
      case RED_ARGMAX: x = -Infinity; break;
      case RED_MIN:
      case RED_ARGMIN: x = Infinity; break;
    }
    v = f64x2.splat(x);
    for (let i: usize = 0; i < <usize>nl << 3; i += 16) v128.store(acc + i, v);
  } else {
    let bits: i32 = 0;
    switch (op) {
      case RED_PROD: bits = lane == L_F32 ? reinterpret<i32>(<f32>1) : 1; break;
      case RED_AND: bits = -1; break;
      case RED_MAX:
      case RED_ARGMAX: bits = lane == L_F32 ? reinterpret<i32>(-Infinity as f32) : lane == L_I32 ? i32.MIN_VALUE : 0; break;
      case RED_MIN:
      case RED_ARGMIN: bits = lane == L_F32 ? reinterpret<i32>(Infinity as f32) : lane == L_I32 ? i32.MAX_VALUE : -1; break;
    }
    v = i32x4.splat(bits);
    for (let i: usize = 0; i < <usize>nl << 2; i += 16) v128.store(acc + i, v);
  }
  if (op >= RED_ARGMAX || (op == RED_SUM && lane == L_F32)) {
    const z = i32x4.splat(0);
    const nb = op >= RED_ARGMAX ? <usize>nl << 2 : <usize>nl << 3;
    for (let i: usize = 0; i < nb; i += 16) v128.store(acc2 + i, z);
  }
}

/** acc2 (float64 lanes) += acc (float32 lanes); acc = 0. nl: a multiple of 4. */
export function flushF32(acc: usize, acc2: usize, nl: i32): void {
  const z = f32x4.splat(0);
  for (let i = 0; i < nl; i += 4) {
    const a = v128.load(acc + (<usize>i << 2));
    const o = acc2 + (<usize>i << 3);
    v128.store(o, f64x2.add(v128.load(o), f64x2.promote_low_f32x4(a)));
    v128.store(o, f64x2.add(v128.load(o, 16), f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 2, 3))), 16);
    v128.store(acc + (<usize>i << 2), z);
  }
}

// @ts-ignore: decorator
@inline
function combine(code: i32, a: v128, x: v128): v128 {
  switch (code) {
    case RED_SUM * 4 + L_F32: return f32x4.add(a, x);
    case RED_PROD * 4 + L_F32: return f32x4.mul(a, x);
    case RED_MAX * 4 + L_F32: return f32x4.max(a, x);
    case RED_MIN * 4 + L_F32: return f32x4.min(a, x);
    case RED_SUM * 4 + L_I32: return i32x4.add(a, x);
    case RED_PROD * 4 + L_I32: return i32x4.mul(a, x);
    case RED_MAX * 4 + L_I32: return i32x4.max_s(a, x);
    case RED_MIN * 4 + L_I32: return i32x4.min_s(a, x);
    case RED_MAX * 4 + L_U32: return i32x4.max_u(a, x);
    case RED_MIN * 4 + L_U32: return i32x4.min_u(a, x);
    case RED_AND * 4 + L_I32: return v128.and(a, x);
    case RED_OR * 4 + L_I32: return v128.or(a, x);
    case RED_SUM * 4 + L_F64: return f64x2.add(a, x);
    case RED_PROD * 4 + L_F64: return f64x2.mul(a, x);
    case RED_MAX * 4 + L_F64: return f64x2.max(a, x);
    case RED_MIN * 4 + L_F64: return f64x2.min(a, x);
    default: return a;
  }
}

/** Lane-wise: acc[k] = op(acc[k], src[k]) for k < n. */
// @ts-ignore: decorator
@inline
function vertical(code: i32, acc: usize, src: usize, n: i32): void {
  const f64 = (code & 3) == L_F64;
  const nb = f64 ? <usize>n << 3 : <usize>n << 2;
  const nv = nb & ~15;
  for (let o: usize = 0; o < nv; o += 16) v128.store(acc + o, combine(code, v128.load(acc + o), v128.load(src + o)));
  if (nv < nb) {
    // the last 1-3 lanes: combine a whole vector, keep only the live lanes
    const a = v128.load(acc + nv);
    const r = combine(code, a, v128.load(src + nv));
    const live = <i32>(nb - nv) >> 2; // 32-bit lanes
    const m = i32x4.gt_s(i32x4.splat(live), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
    v128.store(acc + nv, v128.bitselect(r, a, m));
  }
}

/** Folds src[0..n) into the INNER_LANES lanes at acc (v128 locals, 8 vectors). */
// @ts-ignore: decorator
@inline
function fold(code: i32, acc: usize, src: usize, n: i32): void {
  const f64 = (code & 3) == L_F64;
  const nb = f64 ? <usize>n << 3 : <usize>n << 2;
  let a0 = v128.load(acc, 0);
  let a1 = v128.load(acc, 16);
  let a2 = v128.load(acc, 32);
  let a3 = v128.load(acc, 48);
  let a4 = v128.load(acc, 64);
  let a5 = v128.load(acc, 80);
  let a6 = v128.load(acc, 96);
  let a7 = v128.load(acc, 112);
  let o: usize = 0;
  for (; o + 128 <= nb; o += 128) {
    const s = src + o;
    a0 = combine(code, a0, v128.load(s, 0));
    a1 = combine(code, a1, v128.load(s, 16));
    a2 = combine(code, a2, v128.load(s, 32));
    a3 = combine(code, a3, v128.load(s, 48));
    a4 = combine(code, a4, v128.load(s, 64));
    a5 = combine(code, a5, v128.load(s, 80));
    a6 = combine(code, a6, v128.load(s, 96));
    a7 = combine(code, a7, v128.load(s, 112));
  }
  v128.store(acc, a0, 0);
  v128.store(acc, a1, 16);
  v128.store(acc, a2, 32);
  v128.store(acc, a3, 48);
  v128.store(acc, a4, 64);
  v128.store(acc, a5, 80);
  v128.store(acc, a6, 96);
  v128.store(acc, a7, 112);
  // the rest (< 128 bytes) lane-wise into the first lanes
  if (o < nb) vertical(code, acc, src + o, f64 ? <i32>(nb - o) >> 3 : <i32>(nb - o) >> 2);
}

/** True when candidate v (index i) beats the best bv (index bi), for the final combine. */
// @ts-ignore: decorator
@inline
function argBetter(isMax: bool, v: f64, i: i32, bv: f64, bi: i32): bool {
  if (v != v) return bv == bv || i < bi;
  if (bv != bv) return false;
  if (v == bv) return i < bi;
  return isMax ? v > bv : v < bv;
}

/** Per lane k < n: candidate src[k] with index ibase + k * istep. */
function argStep(op: i32, lane: i32, acc: usize, idx: usize, src: usize, n: i32, ibase: i32, istep: i32): void {
  const isMax = op == RED_ARGMAX;
  for (let k = 0; k < n; k++) {
    const i = ibase + k * istep;
    let take: bool;
    if (lane == L_F64) {
      const v = load<f64>(src + (<usize>k << 3));
      const bv = load<f64>(acc + (<usize>k << 3));
      take = isMax ? v > bv || (v != v && bv == bv) : v < bv || (v != v && bv == bv);
      if (take) store<f64>(acc + (<usize>k << 3), v);
    } else if (lane == L_F32) {
      const v = load<f32>(src + (<usize>k << 2));
      const bv = load<f32>(acc + (<usize>k << 2));
      take = isMax ? v > bv || (v != v && bv == bv) : v < bv || (v != v && bv == bv);
      if (take) store<f32>(acc + (<usize>k << 2), v);
    } else if (lane == L_I32) {
      const v = load<i32>(src + (<usize>k << 2));
      const bv = load<i32>(acc + (<usize>k << 2));
      take = isMax ? v > bv : v < bv;
      if (take) store<i32>(acc + (<usize>k << 2), v);
    } else {
      const v = load<u32>(src + (<usize>k << 2));
      const bv = load<u32>(acc + (<usize>k << 2));
      take = isMax ? v > bv : v < bv;
      if (take) store<u32>(acc + (<usize>k << 2), v);
    }
    if (take) store<i32>(idx + (<usize>k << 2), i);
  }
}

/** The code used by combine(): unsigned sums, products and bit ops act like signed ones. */
// @ts-ignore: decorator
@inline
function codeOf(op: i32, lane: i32): i32 {
  const l = lane == L_U32 && (op == RED_SUM || op == RED_PROD || op == RED_AND || op == RED_OR) ? L_I32 : lane;
  return op * 4 + l;
}

/** Outer schedule: acc[k] (and acc2 for args) updated with src[k], k < n; r = the index. */
export function accOuter(op: i32, lane: i32, acc: usize, acc2: usize, src: usize, n: i32, r: i32): void {
  if (op >= RED_ARGMAX) {
    argStep(op, lane, acc, acc2, src, n, r, 0);
    return;
  }
  switch (codeOf(op, lane)) {
    case RED_SUM * 4 + L_F32: vertical(RED_SUM * 4 + L_F32, acc, src, n); break;
    case RED_PROD * 4 + L_F32: vertical(RED_PROD * 4 + L_F32, acc, src, n); break;
    case RED_MAX * 4 + L_F32: vertical(RED_MAX * 4 + L_F32, acc, src, n); break;
    case RED_MIN * 4 + L_F32: vertical(RED_MIN * 4 + L_F32, acc, src, n); break;
    case RED_SUM * 4 + L_I32: vertical(RED_SUM * 4 + L_I32, acc, src, n); break;
    case RED_PROD * 4 + L_I32: vertical(RED_PROD * 4 + L_I32, acc, src, n); break;
    case RED_MAX * 4 + L_I32: vertical(RED_MAX * 4 + L_I32, acc, src, n); break;
    case RED_MIN * 4 + L_I32: vertical(RED_MIN * 4 + L_I32, acc, src, n); break;
    case RED_MAX * 4 + L_U32: vertical(RED_MAX * 4 + L_U32, acc, src, n); break;
    case RED_MIN * 4 + L_U32: vertical(RED_MIN * 4 + L_U32, acc, src, n); break;
    case RED_AND * 4 + L_I32: vertical(RED_AND * 4 + L_I32, acc, src, n); break;
    case RED_OR * 4 + L_I32: vertical(RED_OR * 4 + L_I32, acc, src, n); break;
    case RED_SUM * 4 + L_F64: vertical(RED_SUM * 4 + L_F64, acc, src, n); break;
    case RED_PROD * 4 + L_F64: vertical(RED_PROD * 4 + L_F64, acc, src, n); break;
    case RED_MAX * 4 + L_F64: vertical(RED_MAX * 4 + L_F64, acc, src, n); break;
    case RED_MIN * 4 + L_F64: vertical(RED_MIN * 4 + L_F64, acc, src, n); break;
  }
}

/** Inner schedule: folds src[0..n) (positions q..q+n of the reduced range) into acc. */
export function accInner(op: i32, lane: i32, acc: usize, acc2: usize, src: usize, n: i32, q: i32): void {
  if (op >= RED_ARGMAX) {
    argStep(op, lane, acc, acc2, src, n, q, 1);
    return;
  }
  switch (codeOf(op, lane)) {
    case RED_SUM * 4 + L_F32: {
      fold(RED_SUM * 4 + L_F32, acc, src, n);
      flushF32(acc, acc2, INNER_LANES);
      break;
    }
    case RED_PROD * 4 + L_F32: fold(RED_PROD * 4 + L_F32, acc, src, n); break;
    case RED_MAX * 4 + L_F32: fold(RED_MAX * 4 + L_F32, acc, src, n); break;
    case RED_MIN * 4 + L_F32: fold(RED_MIN * 4 + L_F32, acc, src, n); break;
    case RED_SUM * 4 + L_I32: fold(RED_SUM * 4 + L_I32, acc, src, n); break;
    case RED_PROD * 4 + L_I32: fold(RED_PROD * 4 + L_I32, acc, src, n); break;
    case RED_MAX * 4 + L_I32: fold(RED_MAX * 4 + L_I32, acc, src, n); break;
    case RED_MIN * 4 + L_I32: fold(RED_MIN * 4 + L_I32, acc, src, n); break;
    case RED_MAX * 4 + L_U32: fold(RED_MAX * 4 + L_U32, acc, src, n); break;
    case RED_MIN * 4 + L_U32: fold(RED_MIN * 4 + L_U32, acc, src, n); break;
    case RED_AND * 4 + L_I32: fold(RED_AND * 4 + L_I32, acc, src, n); break;
    case RED_OR * 4 + L_I32: fold(RED_OR * 4 + L_I32, acc, src, n); break;
    case RED_SUM * 4 + L_F64: fold(RED_SUM * 4 + L_F64, acc, src, n); break;
    case RED_PROD * 4 + L_F64: fold(RED_PROD * 4 + L_F64, acc, src, n); break;
    case RED_MAX * 4 + L_F64: fold(RED_MAX * 4 + L_F64, acc, src, n); break;
    case RED_MIN * 4 + L_F64: fold(RED_MIN * 4 + L_F64, acc, src, n); break;
  }
}

/** Outer schedule: the results of n lanes (acc / acc2 at the block) into red. */
export function finishOuter(op: i32, lane: i32, acc: usize, acc2: usize, red: usize, n: i32): void {
  const n4 = (n + 3) & ~3;
  if (op >= RED_ARGMAX) {
    memory.copy(red, acc2, <usize>n4 << 2);
  } else if (op == RED_SUM && lane == L_F32) {
    for (let i = 0; i < n4; i += 2) {
      v128.store64_lane(red + (<usize>i << 2), f32x4.demote_f64x2_zero(v128.load(acc2 + (<usize>i << 3))), 0);
    }
  } else {
    memory.copy(red, acc, lane == L_F64 ? <usize>n4 << 3 : <usize>n4 << 2);
  }
}

/** Inner schedule: combines nl lanes into one value, stored at lane j of red. */
export function finishInner(op: i32, lane: i32, acc: usize, acc2: usize, red: usize, j: i32, nl: i32): void {
  const o = <usize>j;
  if (op >= RED_ARGMAX) {
    const isMax = op == RED_ARGMAX;
    let bv: f64 = 0;
    let bi: i32 = 0;
    for (let k = 0; k < nl; k++) {
      let v: f64;
      if (lane == L_F64) v = load<f64>(acc + (<usize>k << 3));
      else if (lane == L_F32) v = <f64>load<f32>(acc + (<usize>k << 2));
      else if (lane == L_I32) v = <f64>load<i32>(acc + (<usize>k << 2));
      else v = <f64>load<u32>(acc + (<usize>k << 2));
      const i = load<i32>(acc2 + (<usize>k << 2));
      if (k == 0 || argBetter(isMax, v, i, bv, bi)) {
        bv = v;
        bi = i;
      }
    }
    store<i32>(red + (o << 2), bi);
    return;
  }
  if (lane == L_F64) {
    let r = load<f64>(acc);
    for (let k = 1; k < INNER_LANES / 2; k++) {
      const v = load<f64>(acc + (<usize>k << 3));
      switch (op) {
        case RED_SUM: r += v; break;
        case RED_PROD: r *= v; break;
        case RED_MAX: r = max<f64>(r, v); break;
        default: r = min<f64>(r, v);
      }
    }
    store<f64>(red + (o << 3), r);
    return;
  }
  if (lane == L_F32) {
    if (op == RED_SUM) {
      let s: f64 = 0;
      for (let k = 0; k < INNER_LANES; k++) s += load<f64>(acc2 + (<usize>k << 3));
      store<f32>(red + (o << 2), <f32>s);
      return;
    }
    let r = load<f32>(acc);
    for (let k = 1; k < INNER_LANES; k++) {
      const v = load<f32>(acc + (<usize>k << 2));
      switch (op) {
        case RED_PROD: r *= v; break;
        case RED_MAX: r = max<f32>(r, v); break;
        default: r = min<f32>(r, v);
      }
    }
    store<f32>(red + (o << 2), r);
    return;
  }
  let r = load<i32>(acc);
  for (let k = 1; k < INNER_LANES; k++) {
    const v = load<i32>(acc + (<usize>k << 2));
    switch (op) {
      case RED_SUM: r += v; break;
      case RED_PROD: r *= v; break;
      case RED_AND: r &= v; break;
      case RED_OR: r |= v; break;
      case RED_MAX: r = lane == L_U32 ? <i32>max<u32>(<u32>r, <u32>v) : max<i32>(r, v); break;
      default: r = lane == L_U32 ? <i32>min<u32>(<u32>r, <u32>v) : min<i32>(r, v);
    }
  }
  store<i32>(red + (o << 2), r);
}
