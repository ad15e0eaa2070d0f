// N-D strided copy and fill, for element sizes 1, 2, 4 and 8 bytes.
//
// A copy is described by a parameter block of i32 words: shape[nd], srcStride[nd],
// dstStride[nd] (strides in elements, may be negative or 0 on the source). The host
// simplifies the description first (drops unit dims, merges contiguous dims), so the
// innermost dim is usually a long run: contiguous runs use memory.copy, reversed runs a
// SIMD lane shuffle, broadcast runs a SIMD fill, and the rest a plain strided loop.

/** Fills `count` elements of `esize` bytes at dst with the element stored at `pattern`. */
export function fillRun(esize: i32, dst: usize, count: i32, pattern: usize): void {
  if (count <= 0) return;
  if (esize == 1) {
    memory.fill(dst, load<u8>(pattern), <usize>count);
    return;
  }
  let v: v128;
  if (esize == 2) v = i16x8.splat(load<u16>(pattern));
  else if (esize == 4) v = i32x4.splat(load<i32>(pattern));
  else v = i64x2.splat(load<i64>(pattern));
  const nbytes = <usize>count * <usize>esize;
  const end = dst + nbytes;
  let p = dst;
  while (p + 64 <= end) {
    v128.store(p, v);
    v128.store(p, v, 16);
    v128.store(p, v, 32);
    v128.store(p, v, 48);
    p += 64;
  }
  while (p + 16 <= end) {
    v128.store(p, v);
    p += 16;
  }
  // the tail is a whole number of elements and the pattern repeats every esize bytes
  if (p < end) {
    if (nbytes >= 16) {
      v128.store(end - 16, v);
    } else {
      while (p < end) {
        if (esize == 2) store<u16>(p, i16x8.extract_lane_u(v, 0));
        else if (esize == 4) store<i32>(p, i32x4.extract_lane(v, 0));
        else store<i64>(p, i64x2.extract_lane(v, 0));
        p += <usize>esize;
      }
    }
  }
}

/** Strided fill (dst stride in bytes). */
function fillStrided(esize: i32, dst: usize, dstride: isize, count: i32, pattern: usize): void {
  if (dstride == <isize>esize) {
    fillRun(esize, dst, count, pattern);
    return;
  }
  if (esize == 1) {
    const v = load<u8>(pattern);
    for (let i = 0; i < count; i++) { store<u8>(dst, v); dst += dstride; }
  } else if (esize == 2) {
    const v = load<u16>(pattern);
    for (let i = 0; i < count; i++) { store<u16>(dst, v); dst += dstride; }
  } else if (esize == 4) {
    const v = load<u32>(pattern);
    for (let i = 0; i < count; i++) { store<u32>(dst, v); dst += dstride; }
  } else {
    const v = load<u64>(pattern);
    for (let i = 0; i < count; i++) { store<u64>(dst, v); dst += dstride; }
  }
}

/** Copies one run of `len` elements; strides in bytes. */
export function copyRun(esize: i32, len: i32, src: usize, sstride: isize, dst: usize, dstride: isize): void {
  if (len <= 0) return;
  const es = <isize>esize;
  if (sstride == es && dstride == es) {
    memory.copy(dst, src, <usize>len * <usize>esize);
    return;
  }
  if (sstride == 0) {
    fillStrided(esize, dst, dstride, len, src);
    return;
  }
  let i = 0;
  if (sstride == -es && dstride == es) {
    // reversed run: load 16 bytes ending at the current source element, reverse the lanes
    if (esize == 4) {
      for (; i + 4 <= len; i += 4) {
        const v = v128.load(src - 12);
        v128.store(dst, i32x4.shuffle(v, v, 3, 2, 1, 0));
        src -= 16; dst += 16;
      }
    } else if (esize == 8) {
      for (; i + 2 <= len; i += 2) {
        const v = v128.load(src - 8);
        v128.store(dst, i64x2.shuffle(v, v, 1, 0));
        src -= 16; dst += 16;
      }
    } else if (esize == 2) {
      for (; i + 8 <= len; i += 8) {
        const v = v128.load(src - 14);
        v128.store(dst, i16x8.shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0));
        src -= 16; dst += 16;
      }
    } else {
      for (; i + 16 <= len; i += 16) {
        const v = v128.load(src - 15);
        v128.store(dst, i8x16.shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        src -= 16; dst += 16;
      }
    }
  }
  if (esize == 4) {
    for (; i < len; i++) { store<u32>(dst, load<u32>(src)); src += sstride; dst += dstride; }
  } else if (esize == 8) {
    for (; i < len; i++) { store<u64>(dst, load<u64>(src)); src += sstride; dst += dstride; }
  } else if (esize == 2) {
    for (; i < len; i++) { store<u16>(dst, load<u16>(src)); src += sstride; dst += dstride; }
  } else {
    for (; i < len; i++) { store<u8>(dst, load<u8>(src)); src += sstride; dst += dstride; }
  }
}

const TILE: i32 = 16;

/**
 * 2-D copy whose source is contiguous along the outer dim and the destination along the
 * inner one (a transpose): tiles keep both sides in cache.
 */
function copyTransposed(
  esize: i32, rows: i32, cols: i32, src: usize, sRow: isize, sCol: isize, dst: usize, dRow: isize, dCol: isize,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        copyRun(esize, c1 - c0,
          src + <usize>(<isize>r * sRow + <isize>c0 * sCol), sCol,
          dst + <usize>(<isize>r * dRow + <isize>c0 * dCol), dCol);
      }
    }
  }
}

/** Recursive N-D copy over a parameter block (shape, srcStride, dstStride; element units). */
export function copyLevel(esize: i32, nd: i32, dim: i32, params: usize, src: usize, dst: usize): void {
  const n = load<i32>(params + (<usize>dim << 2));
  const ss = <isize>load<i32>(params + (<usize>(nd + dim) << 2)) * <isize>esize;
  const ds = <isize>load<i32>(params + (<usize>(2 * nd + dim) << 2)) * <isize>esize;
  if (dim == nd - 1) {
    copyRun(esize, n, src, ss, dst, ds);
    return;
  }
  if (dim == nd - 2) {
    const n2 = load<i32>(params + (<usize>(dim + 1) << 2));
    const ss2 = <isize>load<i32>(params + (<usize>(nd + dim + 1) << 2)) * <isize>esize;
    const ds2 = <isize>load<i32>(params + (<usize>(2 * nd + dim + 1) << 2)) * <isize>esize;
    const es = <isize>esize;
    if (ds2 == es && ss2 != es && ss == es && n >= TILE && n2 >= TILE) {
      copyTransposed(esize, n, n2, src, ss, ss2, dst, ds, ds2);
      return;
    }
    for (let i = 0; i < n; i++) {
      copyRun(esize, n2, src, ss2, dst, ds2);
      src += ss; dst += ds;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    copyLevel(esize, nd, dim + 1, params, src, dst);
    src += ss; dst += ds;
  }
}

/**
 * N-D strided copy. `src` and `dst` are byte addresses of the element at index (0, ..., 0)
 * (offsets already applied); params: shape[nd], srcStride[nd], dstStride[nd] as i32.
 * nd == 0 copies one element.
 */
export function rtnCopy(esize: i32, nd: i32, params: usize, src: usize, dst: usize): void {
  if (nd == 0) {
    copyRun(esize, 1, src, <isize>esize, dst, <isize>esize);
    return;
  }
  for (let d = 0; d < nd; d++) if (load<i32>(params + (<usize>d << 2)) <= 0) return;
  copyLevel(esize, nd, 0, params, src, dst);
}

/** Fills `count` contiguous elements at dst with the element stored at `pattern`. */
export function rtnFill(esize: i32, dst: usize, count: i32, pattern: usize): void {
  fillRun(esize, dst, count, pattern);
}
