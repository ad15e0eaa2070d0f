// Register-blocked SIMD micro-kernels of the GEMM (wasm/assembly/gemm.ts): each computes one
// tile of C, C = or += packed A micro-panel · packed B panel, with the whole tile held in
// registers (the panel layouts are those of packAF32/packBF32 and packAF64/packBF64 there).
//  - float32, plain SIMD build: MR = 4 rows × 8 columns (8 f32x4 accumulators, the most V8's
//    15 usable XMM registers hold with separate mul + add), K unrolled by 16 with a
//    never-taken "scheduling barrier" branch after each k-step (V8 would otherwise hoist all
//    loads of the unrolled block above the arithmetic and spill);
//  - float32, relaxed SIMD build: MR = 6 rows × 8 (12 accumulators fit because relaxed_madd
//    needs no temp);
//  - float64: 4 × 4 tiles of f64x2 accumulators.

// ---- float32 -----------------------------------------------------------------------------

// C tile (MR × 8, row stride ldc bytes) = or += packed A panel · packed B panel.
// The `ap == sentinel` branches are never taken (sentinel points into the spill area, ap
// walks the packed A block); they only split each k-step into its own basic block.
export function kernelF32x4(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool, sentinel: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a: v128, b0: v128, b1: v128;
  let k = kc;
  while (k >= 16) {
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    if (ap == sentinel) {
      v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
      v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
      v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
      v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
    }
    k -= 16;
  }
  while (k > 0) {
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    a = v128.load32_splat(ap); c00 = f32x4.add(c00, f32x4.mul(a, b0)); c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4); c10 = f32x4.add(c10, f32x4.mul(a, b0)); c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8); c20 = f32x4.add(c20, f32x4.mul(a, b0)); c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12); c30 = f32x4.add(c30, f32x4.mul(a, b0)); c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += 16; bp += 32;
    k--;
  }
  if (acc) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}

export function kernelF32x6(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool, sentinel: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
    let a: v128, b0: v128, b1: v128;
    let k = kc;
    while (k >= 16) {
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      if (ap == sentinel) {
        v128.store(sentinel, c00, 0); v128.store(sentinel, c01, 16);
        v128.store(sentinel, c10, 32); v128.store(sentinel, c11, 48);
        v128.store(sentinel, c20, 64); v128.store(sentinel, c21, 80);
        v128.store(sentinel, c30, 96); v128.store(sentinel, c31, 112);
        v128.store(sentinel, c40, 128); v128.store(sentinel, c41, 144);
        v128.store(sentinel, c50, 160); v128.store(sentinel, c51, 176);
      }
      k -= 16;
    }
    while (k > 0) {
      b0 = v128.load(bp); b1 = v128.load(bp, 16);
      a = v128.load32_splat(ap); c00 = f32x4.relaxed_madd(a, b0, c00); c01 = f32x4.relaxed_madd(a, b1, c01);
      a = v128.load32_splat(ap, 4); c10 = f32x4.relaxed_madd(a, b0, c10); c11 = f32x4.relaxed_madd(a, b1, c11);
      a = v128.load32_splat(ap, 8); c20 = f32x4.relaxed_madd(a, b0, c20); c21 = f32x4.relaxed_madd(a, b1, c21);
      a = v128.load32_splat(ap, 12); c30 = f32x4.relaxed_madd(a, b0, c30); c31 = f32x4.relaxed_madd(a, b1, c31);
      a = v128.load32_splat(ap, 16); c40 = f32x4.relaxed_madd(a, b0, c40); c41 = f32x4.relaxed_madd(a, b1, c41);
      a = v128.load32_splat(ap, 20); c50 = f32x4.relaxed_madd(a, b0, c50); c51 = f32x4.relaxed_madd(a, b1, c51);
      ap += 24; bp += 32;
      k--;
    }
    if (acc) {
      c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
      c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
      c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
      c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
      c40 = f32x4.add(c40, v128.load(c + 4 * ldc)); c41 = f32x4.add(c41, v128.load(c + 4 * ldc, 16));
      c50 = f32x4.add(c50, v128.load(c + 5 * ldc)); c51 = f32x4.add(c51, v128.load(c + 5 * ldc, 16));
    }
    v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
    v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
    v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
    v128.store(c, c30); v128.store(c, c31, 16); c += ldc;
    v128.store(c, c40); v128.store(c, c41, 16); c += ldc;
    v128.store(c, c50); v128.store(c, c51, 16);
  }
}

// ---- float64 -----------------------------------------------------------------------------

// C tile (4 × 4, row stride ldc bytes) = or += packed A panel · packed B panel.
export function kernelF64(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, acc: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load64_splat(ap);
    if (ASC_FEATURE_RELAXED_SIMD) {
      c00 = f64x2.relaxed_madd(a, b0, c00); c01 = f64x2.relaxed_madd(a, b1, c01);
      a = v128.load64_splat(ap, 8);
      c10 = f64x2.relaxed_madd(a, b0, c10); c11 = f64x2.relaxed_madd(a, b1, c11);
      a = v128.load64_splat(ap, 16);
      c20 = f64x2.relaxed_madd(a, b0, c20); c21 = f64x2.relaxed_madd(a, b1, c21);
      a = v128.load64_splat(ap, 24);
      c30 = f64x2.relaxed_madd(a, b0, c30); c31 = f64x2.relaxed_madd(a, b1, c31);
    } else {
      c00 = f64x2.add(c00, f64x2.mul(a, b0)); c01 = f64x2.add(c01, f64x2.mul(a, b1));
      a = v128.load64_splat(ap, 8);
      c10 = f64x2.add(c10, f64x2.mul(a, b0)); c11 = f64x2.add(c11, f64x2.mul(a, b1));
      a = v128.load64_splat(ap, 16);
      c20 = f64x2.add(c20, f64x2.mul(a, b0)); c21 = f64x2.add(c21, f64x2.mul(a, b1));
      a = v128.load64_splat(ap, 24);
      c30 = f64x2.add(c30, f64x2.mul(a, b0)); c31 = f64x2.add(c31, f64x2.mul(a, b1));
    }
    ap += 32; bp += 32;
  }
  if (acc) {
    c00 = f64x2.add(c00, v128.load(c)); c01 = f64x2.add(c01, v128.load(c, 16));
    c10 = f64x2.add(c10, v128.load(c + ldc)); c11 = f64x2.add(c11, v128.load(c + ldc, 16));
    c20 = f64x2.add(c20, v128.load(c + 2 * ldc)); c21 = f64x2.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f64x2.add(c30, v128.load(c + 3 * ldc)); c31 = f64x2.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}
