// Dense matrix multiplication for the CPU backend: C = A·B or C += A·B, batched, with
// strided operand views (so transposed or broadcast operands need no copies).
//
// float32 follows the Goto/BLIS scheme: B is packed per (KC × NC) block into zero-padded
// panels of NR = 8 columns, A per (MC × KC) block into micro-panels of MR rows, and a
// register-blocked SIMD micro-kernel (wasm/assembly/gemm_kernels.ts) computes one MR × 8 tile
// of C per panel pair: MR = 4 in the plain SIMD build, 6 in the relaxed SIMD build.
// float64 uses the same packing with a 4 × 4 f64x2 kernel; int32 uses simple loops (wrapping).
//
// Strides are in elements and may be any i32 (0 = broadcast, negative = reversed view).
// Scratch: `gemmScratchBytes()` bytes from the host heap, passed to every call.
import { kernelF32x4, kernelF32x6, kernelF64 } from "./gemm_kernels";

// ---- blocking parameters ---------------------------------------------------------------

const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4; // rows of the float32 micro-kernel tile
const NR: i32 = 8;
const KC: i32 = 512;
const MC: i32 = ASC_FEATURE_RELAXED_SIMD ? 120 : 128;
const NC: i32 = 1024;
const SHORT_K: i32 = 64; // below this depth the loop over C tiles goes row panel first

// float64: 4 × 4 tiles, blocks sized to the same scratch.
const MR64: i32 = 4;
const NR64: i32 = 4;
const KC64: i32 = 256;
const MC64: i32 = 128;
const NC64: i32 = 1024;

const PACK_A_BYTES: usize = 262144; // ≥ MC·KC·4 and MC64·KC64·8
const PACK_B_BYTES: usize = 2097152; // KC·NC·4 = KC64·NC64·8
const TILE_BYTES: usize = 512; // one MR × NR tile of either type
const SPILL_BYTES: usize = 512; // target of the never-taken barrier stores

const OFF_B: usize = PACK_A_BYTES;
const OFF_TILE: usize = PACK_A_BYTES + PACK_B_BYTES;
const OFF_SPILL: usize = OFF_TILE + TILE_BYTES;

/** Bytes of packing scratch every gemm* call needs (64-byte aligned block from the heap). */
export function gemmScratchBytes(): i32 {
  return <i32>(OFF_SPILL + SPILL_BYTES);
}

// @ts-ignore: decorator
@inline function off4(i: i32, s: i32): usize {
  return <usize>(i * s) << 2;
}
// @ts-ignore: decorator
@inline function off8(i: i32, s: i32): usize {
  return <usize>(i * s) << 3;
}
// @ts-ignore: decorator
@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// ---- float32 packing ---------------------------------------------------------------------

// Packs rows [0, mc) × cols [0, kc) of the A view starting at `a` into micro-panels of MR
// rows: panel q holds, for each k, MR consecutive values (rows past mc are zero).
function packAF32(dst: usize, a: usize, rs: i32, cs: i32, mc: i32, kc: i32): void {
  let i0 = 0;
  if (rs == 1 && mc >= MR) {
    // Column-major A: walk k outermost so that reads run along contiguous columns; each
    // full panel receives its MR values of column p.
    const full = mc / MR;
    const panelBytes = <usize>(MR * kc) << 2;
    for (let p = 0; p < kc; p++) {
      let s = a + off4(p, cs);
      let d = dst + <usize>(p * MR) * 4;
      for (let q = 0; q < full; q++) {
        v128.store(d, v128.load(s));
        if (MR == 6) store<u64>(d + 16, load<u64>(s + 16));
        s += <usize>MR << 2;
        d += panelBytes;
      }
    }
    i0 = full * MR;
    dst += <usize>full * panelBytes;
  }
  for (let i = i0; i < mc; i += MR) {
    const rows = imin(MR, mc - i);
    const src = a + off4(i, rs);
    if (rows == MR && cs == 1) {
      // Row-major rows: 4 × 4 transposes.
      let p = 0;
      const r0 = src, r1 = src + off4(1, rs), r2 = src + off4(2, rs), r3 = src + off4(3, rs);
      for (; p + 4 <= kc; p += 4) {
        const q = <usize>p << 2;
        const x0 = v128.load(r0 + q), x1 = v128.load(r1 + q);
        const x2 = v128.load(r2 + q), x3 = v128.load(r3 + q);
        const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        const d = dst + <usize>(p * MR) * 4;
        v128.store(d, v128.shuffle<i64>(t0, t2, 0, 2));
        v128.store(d + <usize>MR * 4, v128.shuffle<i64>(t0, t2, 1, 3));
        v128.store(d + <usize>MR * 8, v128.shuffle<i64>(t1, t3, 0, 2));
        v128.store(d + <usize>MR * 12, v128.shuffle<i64>(t1, t3, 1, 3));
        if (MR == 6) {
          const x4 = v128.load(src + off4(4, rs) + q), x5 = v128.load(src + off4(5, rs) + q);
          const u0 = v128.shuffle<f32>(x4, x5, 0, 4, 1, 5);
          const u1 = v128.shuffle<f32>(x4, x5, 2, 6, 3, 7);
          v128.store64_lane(d, u0, 0, 16);
          v128.store64_lane(d, u0, 1, 40);
          v128.store64_lane(d, u1, 0, 64);
          v128.store64_lane(d, u1, 1, 88);
        }
      }
      for (; p < kc; p++) {
        const d = dst + <usize>(p * MR) * 4;
        const q = <usize>p << 2;
        for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), load<f32>(src + off4(r, rs) + q));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = src + off4(p, cs);
        const d = dst + <usize>(p * MR) * 4;
        let r = 0;
        for (; r < rows; r++) store<f32>(d + (<usize>r << 2), load<f32>(s + off4(r, rs)));
        for (; r < MR; r++) store<f32>(d + (<usize>r << 2), 0);
      }
    }
    dst += <usize>(MR * kc) << 2;
  }
}

// Packs rows [0, kc) × cols [0, nc) of the B view at `b` into panels of 8 columns: panel q
// holds, for each k, 8 consecutive values (columns past nc are zero).
function packBF32(dst: usize, b: usize, rs: i32, cs: i32, kc: i32, nc: i32): void {
  for (let j = 0; j < nc; j += NR) {
    const cols = imin(NR, nc - j);
    const src = b + off4(j, cs);
    if (cols == NR && cs == 1) {
      for (let p = 0; p < kc; p++) {
        const s = src + off4(p, rs);
        const d = dst + (<usize>p << 5);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
      }
    } else if (cols == NR && rs == 1) {
      // Transposed B (columns contiguous along k): two 4 × 4 transposes per 4 k-steps.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const q = <usize>p << 2;
        const d = dst + (<usize>p << 5);
        for (let h = 0; h < 2; h++) {
          const s0 = src + off4(h * 4, cs) + q;
          const x0 = v128.load(s0), x1 = v128.load(s0 + off4(1, cs));
          const x2 = v128.load(s0 + off4(2, cs)), x3 = v128.load(s0 + off4(3, cs));
          const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          const dh = d + (<usize>h << 4);
          v128.store(dh, v128.shuffle<i64>(t0, t2, 0, 2));
          v128.store(dh, v128.shuffle<i64>(t0, t2, 1, 3), 32);
          v128.store(dh, v128.shuffle<i64>(t1, t3, 0, 2), 64);
          v128.store(dh, v128.shuffle<i64>(t1, t3, 1, 3), 96);
        }
      }
      for (; p < kc; p++) {
        const d = dst + (<usize>p << 5);
        const q = <usize>p << 2;
        for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(src + off4(c, cs) + q));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const s = src + off4(p, rs);
        const d = dst + (<usize>p << 5);
        let c = 0;
        for (; c < cols; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + off4(c, cs)));
        for (; c < NR; c++) store<f32>(d + (<usize>c << 2), 0);
      }
    }
    dst += <usize>(NR * kc) << 2;
  }
}

// ---- float32 driver ------------------------------------------------------------------------

// One MR × NR tile of C; partial tiles go through the scratch tile.
// @ts-ignore: decorator
@inline function tileF32(
  kc: i32, ap: usize, bp: usize, cp: usize, crs: i32, mr: i32, nr: i32, acc: bool, tile: usize, sentinel: usize,
): void {
  if (mr == MR && nr == NR) {
    if (ASC_FEATURE_RELAXED_SIMD) kernelF32x6(kc, ap, bp, cp, off4(1, crs), acc, sentinel);
    else kernelF32x4(kc, ap, bp, cp, off4(1, crs), acc, sentinel);
  } else {
    if (ASC_FEATURE_RELAXED_SIMD) kernelF32x6(kc, ap, bp, tile, 32, false, sentinel);
    else kernelF32x4(kc, ap, bp, tile, 32, false, sentinel);
    for (let r = 0; r < mr; r++) {
      const t = tile + (<usize>r << 5);
      const d = cp + off4(r, crs);
      if (acc) {
        for (let q = 0; q < nr; q++) {
          const o = <usize>q << 2;
          store<f32>(d + o, load<f32>(d + o) + load<f32>(t + o));
        }
      } else {
        for (let q = 0; q < nr; q++) {
          const o = <usize>q << 2;
          store<f32>(d + o, load<f32>(t + o));
        }
      }
    }
  }
}

// ---- float32 matrix-vector products (m or n tiny): no packing, memory-bound loops -------

// out[j·os] (=|+=) Σ_p x[p·xs] · M[p·ms + j] for j < len (rows of M contiguous along j).
function axpyRowsF32(len: i32, k: i32, x: usize, xs: i32, mp: usize, ms: i32, out: usize, os: i32, acc: bool): void {
  const xstep = off4(1, xs), mstep = off4(1, ms);
  let j = 0;
  for (; j + 32 <= len; j += 32) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
    let xp = x, r = mp + (<usize>j << 2);
    for (let p = 0; p < k; p++) {
      const v = v128.load32_splat(xp);
      a0 = f32x4.add(a0, f32x4.mul(v, v128.load(r)));
      a1 = f32x4.add(a1, f32x4.mul(v, v128.load(r, 16)));
      a2 = f32x4.add(a2, f32x4.mul(v, v128.load(r, 32)));
      a3 = f32x4.add(a3, f32x4.mul(v, v128.load(r, 48)));
      a4 = f32x4.add(a4, f32x4.mul(v, v128.load(r, 64)));
      a5 = f32x4.add(a5, f32x4.mul(v, v128.load(r, 80)));
      a6 = f32x4.add(a6, f32x4.mul(v, v128.load(r, 96)));
      a7 = f32x4.add(a7, f32x4.mul(v, v128.load(r, 112)));
      xp += xstep;
      r += mstep;
    }
    const t = out + off4(j, os);
    storeVecF32(t, os, a0, acc); storeVecF32(t + off4(4, os), os, a1, acc);
    storeVecF32(t + off4(8, os), os, a2, acc); storeVecF32(t + off4(12, os), os, a3, acc);
    storeVecF32(t + off4(16, os), os, a4, acc); storeVecF32(t + off4(20, os), os, a5, acc);
    storeVecF32(t + off4(24, os), os, a6, acc); storeVecF32(t + off4(28, os), os, a7, acc);
  }
  for (; j + 4 <= len; j += 4) {
    let a0 = f32x4.splat(0);
    let xp = x, r = mp + (<usize>j << 2);
    for (let p = 0; p < k; p++) {
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xp), v128.load(r)));
      xp += xstep;
      r += mstep;
    }
    storeVecF32(out + off4(j, os), os, a0, acc);
  }
  for (; j < len; j++) {
    let s: f32 = 0;
    let xp = x, r = mp + (<usize>j << 2);
    for (let p = 0; p < k; p++) {
      s += load<f32>(xp) * load<f32>(r);
      xp += xstep;
      r += mstep;
    }
    const t = out + off4(j, os);
    store<f32>(t, acc ? load<f32>(t) + s : s);
  }
}

// @ts-ignore: decorator
@inline function storeVecF32(t: usize, os: i32, v: v128, acc: bool): void {
  if (os == 1) {
    v128.store(t, acc ? f32x4.add(v128.load(t), v) : v);
  } else {
    const s = off4(1, os);
    for (let l = 0; l < 4; l++) {
      const e = f32x4.extract_lane(v, 0);
      store<f32>(t, acc ? load<f32>(t) + e : e);
      v = v128.shuffle<f32>(v, v, 1, 2, 3, 0);
      t += s;
    }
  }
}

// out[i·os] (=|+=) Σ_p M[i·ms + p] · x[p] for i < count (rows of M and x contiguous).
function dotRowsF32(count: i32, k: i32, mp: usize, ms: i32, x: usize, out: usize, os: i32, acc: bool): void {
  const mstep = off4(1, ms);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r0 = mp + off4(i, ms), r1 = r0 + mstep, r2 = r1 + mstep, r3 = r2 + mstep;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const o = <usize>p << 2;
      const v = v128.load(x + o);
      s0 = f32x4.add(s0, f32x4.mul(v128.load(r0 + o), v));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(r1 + o), v));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(r2 + o), v));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(r3 + o), v));
    }
    // Horizontal sums: transpose-add so lane r holds row r's total.
    const t0 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
    const t1 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
    let sum = f32x4.add(v128.shuffle<i64>(t0, t1, 0, 2), v128.shuffle<i64>(t0, t1, 1, 3));
    for (; p < k; p++) {
      const o = <usize>p << 2;
      const xv = load<f32>(x + o);
      sum = f32x4.add(sum, f32x4.mul(f32x4(load<f32>(r0 + o), load<f32>(r1 + o), load<f32>(r2 + o), load<f32>(r3 + o)), f32x4.splat(xv)));
    }
    storeVecF32(out + off4(i, os), os, sum, acc);
  }
  for (; i < count; i++) {
    const r = mp + off4(i, ms);
    let sv = f32x4.splat(0);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const o = <usize>p << 2;
      sv = f32x4.add(sv, f32x4.mul(v128.load(r + o), v128.load(x + o)));
    }
    let s = (f32x4.extract_lane(sv, 0) + f32x4.extract_lane(sv, 1)) + (f32x4.extract_lane(sv, 2) + f32x4.extract_lane(sv, 3));
    for (; p < k; p++) s += load<f32>(r + (<usize>p << 2)) * load<f32>(x + (<usize>p << 2));
    const t = out + off4(i, os);
    store<f32>(t, acc ? load<f32>(t) + s : s);
  }
}

// Gathers k strided values into contiguous scratch (the packed-B area; see gemvF32).
function gatherF32(dst: usize, src: usize, stride: i32, k: i32): usize {
  if (stride == 1) return src;
  const step = off4(1, stride);
  for (let p = 0; p < k; p++) {
    store<f32>(dst + (<usize>p << 2), load<f32>(src));
    src += step;
  }
  return dst;
}

// Matrix-vector shapes (m ≤ 2 or n ≤ 2): returns false when no direct loop fits the layout.
function gemvF32(
  m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32,
  c: usize, crs: i32, acc: bool, scratch: usize,
): bool {
  // A strided vector is gathered into the packed-B scratch area, which holds this many.
  if (k > <i32>(PACK_B_BYTES >> 2)) return false;
  if (m <= 2 && m < n) {
    if (bcs == 1) {
      for (let i = 0; i < m; i++) axpyRowsF32(n, k, a + off4(i, ars), acs, b, brs, c + off4(i, crs), 1, acc);
      return true;
    }
    if (brs == 1) {
      for (let i = 0; i < m; i++) {
        const x = gatherF32(scratch, a + off4(i, ars), acs, k);
        dotRowsF32(n, k, b, bcs, x, c + off4(i, crs), 1, acc);
      }
      return true;
    }
  } else if (n <= 2) {
    if (acs == 1) {
      for (let j = 0; j < n; j++) {
        const x = gatherF32(scratch, b + off4(j, bcs), brs, k);
        dotRowsF32(m, k, a, ars, x, c + (<usize>j << 2), crs, acc);
      }
      return true;
    }
    if (ars == 1) {
      for (let j = 0; j < n; j++) axpyRowsF32(m, k, b + off4(j, bcs), brs, a, acs, c + (<usize>j << 2), crs, acc);
      return true;
    }
  }
  return false;
}

function zeroRowsF32(c: usize, crs: i32, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) memory.fill(c + off4(i, crs), 0, <usize>n << 2);
}

function gemmF32One(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, crs: i32, accumulate: bool, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) zeroRowsF32(c, crs, m, n);
    return;
  }
  if ((m <= 2 || n <= 2) && gemvF32(m, n, k, a, ars, acs, b, brs, bcs, c, crs, accumulate, scratch + OFF_B)) return;
  const pa = scratch, pb = scratch + OFF_B, tile = scratch + OFF_TILE, sentinel = scratch + OFF_SPILL;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = imin(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = imin(KC, k - pc);
      const acc = accumulate || pc > 0;
      packBF32(pb, b + off4(pc, brs) + off4(jc, bcs), brs, bcs, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = imin(MC, m - ic);
        packAF32(pa, a + off4(ic, ars) + off4(pc, acs), ars, acs, mc, kc);
        if (kc > SHORT_K) {
          // B micro-panel stays in L1 while the A block (L2) streams past it.
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = imin(NR, nc - jr);
            const bp = pb + (<usize>(jr * kc) << 2);
            for (let ir = 0; ir < mc; ir += MR) {
              const ap = pa + (<usize>(ir * kc) << 2);
              const cp = c + off4(ic + ir, crs) + (<usize>(jc + jr) << 2);
              tileF32(kc, ap, bp, cp, crs, imin(MR, mc - ir), nr, acc, tile, sentinel);
            }
          }
        } else {
          // Short k: C traffic dominates, so walk C row panel by row panel.
          for (let ir = 0; ir < mc; ir += MR) {
            const ap = pa + (<usize>(ir * kc) << 2);
            for (let jr = 0; jr < nc; jr += NR) {
              const bp = pb + (<usize>(jr * kc) << 2);
              const cp = c + off4(ic + ir, crs) + (<usize>(jc + jr) << 2);
              tileF32(kc, ap, bp, cp, crs, imin(MR, mc - ir), imin(NR, nc - jr), acc, tile, sentinel);
            }
          }
        }
      }
    }
  }
}

/**
 * float32 batched GEMM: for each b < batch, C_b (m × n) = A_b (m × k) · B_b (k × n), or
 * C_b += A_b·B_b when `accumulate` is 1. A_b(i, p) is at a + 4·(b·aBatch + i·ars + p·acs),
 * likewise B; C_b(i, j) at c + 4·(b·cBatch + i·crs + j). Strides in elements; 0 broadcasts.
 */
export function gemmF32(
  batch: i32, m: i32, n: i32, k: i32,
  a: usize, aBatch: i32, ars: i32, acs: i32,
  b: usize, bBatch: i32, brs: i32, bcs: i32,
  c: usize, cBatch: i32, crs: i32,
  accumulate: i32, scratch: usize,
): void {
  // A shared B with A and C batches stacked row-wise is one tall GEMM.
  if (batch > 1 && bBatch == 0 && aBatch == m * ars && cBatch == m * crs) {
    m *= batch;
    batch = 1;
  }
  for (let t = 0; t < batch; t++) {
    gemmF32One(
      m, n, k,
      a + off4(t, aBatch), ars, acs,
      b + off4(t, bBatch), brs, bcs,
      c + off4(t, cBatch), crs, accumulate != 0, scratch,
    );
  }
}

// ---- float64 -----------------------------------------------------------------------------

function packAF64(dst: usize, a: usize, rs: i32, cs: i32, mc: i32, kc: i32): void {
  for (let i = 0; i < mc; i += MR64) {
    const rows = imin(MR64, mc - i);
    const src = a + off8(i, rs);
    for (let p = 0; p < kc; p++) {
      const s = src + off8(p, cs);
      const d = dst + (<usize>(p * MR64) << 3);
      let r = 0;
      for (; r < rows; r++) store<f64>(d + (<usize>r << 3), load<f64>(s + off8(r, rs)));
      for (; r < MR64; r++) store<f64>(d + (<usize>r << 3), 0);
    }
    dst += <usize>(MR64 * kc) << 3;
  }
}

function packBF64(dst: usize, b: usize, rs: i32, cs: i32, kc: i32, nc: i32): void {
  for (let j = 0; j < nc; j += NR64) {
    const cols = imin(NR64, nc - j);
    const src = b + off8(j, cs);
    for (let p = 0; p < kc; p++) {
      const s = src + off8(p, rs);
      const d = dst + (<usize>(p * NR64) << 3);
      let q = 0;
      if (cols == NR64 && cs == 1) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        continue;
      }
      for (; q < cols; q++) store<f64>(d + (<usize>q << 3), load<f64>(s + off8(q, cs)));
      for (; q < NR64; q++) store<f64>(d + (<usize>q << 3), 0);
    }
    dst += <usize>(NR64 * kc) << 3;
  }
}

function gemmF64One(
  m: i32, n: i32, k: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  c: usize, crs: i32, accumulate: bool, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + off8(i, crs), 0, <usize>n << 3);
    return;
  }
  const pa = scratch, pb = scratch + OFF_B, tile = scratch + OFF_TILE;
  const ldc = off8(1, crs);
  for (let jc = 0; jc < n; jc += NC64) {
    const nc = imin(NC64, n - jc);
    for (let pc = 0; pc < k; pc += KC64) {
      const kc = imin(KC64, k - pc);
      const acc = accumulate || pc > 0;
      packBF64(pb, b + off8(pc, brs) + off8(jc, bcs), brs, bcs, kc, nc);
      for (let ic = 0; ic < m; ic += MC64) {
        const mc = imin(MC64, m - ic);
        packAF64(pa, a + off8(ic, ars) + off8(pc, acs), ars, acs, mc, kc);
        for (let jr = 0; jr < nc; jr += NR64) {
          const nr = imin(NR64, nc - jr);
          const bp = pb + (<usize>(jr * kc) << 3);
          for (let ir = 0; ir < mc; ir += MR64) {
            const mr = imin(MR64, mc - ir);
            const ap = pa + (<usize>(ir * kc) << 3);
            const cp = c + off8(ic + ir, crs) + (<usize>(jc + jr) << 3);
            if (mr == MR64 && nr == NR64) {
              kernelF64(kc, ap, bp, cp, ldc, acc);
            } else {
              kernelF64(kc, ap, bp, tile, 32, false);
              for (let r = 0; r < mr; r++) {
                const t = tile + (<usize>r << 5);
                const d = cp + off8(r, crs);
                for (let q = 0; q < nr; q++) {
                  const o = <usize>q << 3;
                  const v = load<f64>(t + o);
                  store<f64>(d + o, acc ? load<f64>(d + o) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/** float64 batched GEMM; same arguments as gemmF32 (strides in 8-byte elements). */
export function gemmF64(
  batch: i32, m: i32, n: i32, k: i32,
  a: usize, aBatch: i32, ars: i32, acs: i32,
  b: usize, bBatch: i32, brs: i32, bcs: i32,
  c: usize, cBatch: i32, crs: i32,
  accumulate: i32, scratch: usize,
): void {
  if (batch > 1 && bBatch == 0 && aBatch == m * ars && cBatch == m * crs) {
    m *= batch;
    batch = 1;
  }
  for (let t = 0; t < batch; t++) {
    gemmF64One(
      m, n, k,
      a + off8(t, aBatch), ars, acs,
      b + off8(t, bBatch), brs, bcs,
      c + off8(t, cBatch), crs, accumulate != 0, scratch,
    );
  }
}

// ---- int32 (wrapping) --------------------------------------------------------------------

/** int32 batched GEMM with wrapping arithmetic; same arguments as gemmF32. */
export function gemmI32(
  batch: i32, m: i32, n: i32, k: i32,
  a: usize, aBatch: i32, ars: i32, acs: i32,
  b: usize, bBatch: i32, brs: i32, bcs: i32,
  c: usize, cBatch: i32, crs: i32,
  accumulate: i32, scratch: usize,
): void {
  if (m <= 0 || n <= 0) return;
  for (let t = 0; t < batch; t++) {
    const at = a + off4(t, aBatch), bt = b + off4(t, bBatch), ct = c + off4(t, cBatch);
    if (bcs != 1 && brs == 1) {
      // Columns of B contiguous along k: dot products.
      for (let i = 0; i < m; i++) {
        const crow = ct + off4(i, crs);
        const arow = at + off4(i, ars);
        for (let j = 0; j < n; j++) {
          const bcol = bt + off4(j, bcs);
          let s: i32 = accumulate != 0 ? load<i32>(crow + (<usize>j << 2)) : 0;
          let p = 0;
          if (acs == 1) {
            let v = i32x4.splat(0);
            for (; p + 4 <= k; p += 4) {
              const o = <usize>p << 2;
              v = i32x4.add(v, i32x4.mul(v128.load(arow + o), v128.load(bcol + o)));
            }
            s += i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
          }
          for (; p < k; p++) s += load<i32>(arow + off4(p, acs)) * load<i32>(bcol + (<usize>p << 2));
          store<i32>(crow + (<usize>j << 2), s);
        }
      }
      continue;
    }
    for (let i = 0; i < m; i++) {
      const crow = ct + off4(i, crs);
      if (accumulate == 0) memory.fill(crow, 0, <usize>n << 2);
      const arow = at + off4(i, ars);
      for (let p = 0; p < k; p++) {
        const av = load<i32>(arow + off4(p, acs));
        const brow = bt + off4(p, brs);
        let j = 0;
        if (bcs == 1) {
          const va = i32x4.splat(av);
          for (; j + 4 <= n; j += 4) {
            const o = <usize>j << 2;
            v128.store(crow + o, i32x4.add(v128.load(crow + o), i32x4.mul(va, v128.load(brow + o))));
          }
        }
        for (; j < n; j++) {
          const o = <usize>j << 2;
          store<i32>(crow + o, load<i32>(crow + o) + av * load<i32>(brow + off4(j, bcs)));
        }
      }
    }
  }
}
