// Stable multi-operand sort along the last axis of contiguous [rows, n] arrays.
//
// Every key operand is mapped to unsigned order keys (common.ts: JAX's comparator — -0.0 ==
// 0.0, NaNs last and equal). A permutation of the row is then sorted stably by each key
// word in turn, least significant first (LSD): the last key operand first, and for float64
// its low word before its high word. Each pass sorts 64-bit pairs (key << 32 | position in
// the current permutation): the positions make every pair distinct, so any sort of the
// pairs is stable. Pairs are sorted by insertion sort (tiny rows), merge sort (short rows)
// or an LSD radix sort on the key's four bytes, skipping bytes that are equal across the
// row. Finally every operand is permuted alike into its destination.

import { DT_F16, DT_F32, DT_F64, DT_I16, DT_I32, DT_I8, DT_U16, DT_U32, dtypeBytes, keyF16, keyF32, keyF64 } from "./common";

const INSERTION_MAX: i32 = 24;
const MERGE_MAX: i32 = 32;
const RADIX11_MIN: i32 = 131072;

function insertionSort(a: usize, n: i32): void {
  for (let i = 1; i < n; i++) {
    const v = load<u64>(a + (<usize>i << 3));
    let j = i - 1;
    while (j >= 0) {
      const w = load<u64>(a + (<usize>j << 3));
      if (w <= v) break;
      store<u64>(a + (<usize>(j + 1) << 3), w);
      j--;
    }
    store<u64>(a + (<usize>(j + 1) << 3), v);
  }
}

// @ts-ignore: decorator
@inline
function cswap(p: usize, i: usize, j: usize): void {
  const x = load<u64>(p + (i << 3)), y = load<u64>(p + (j << 3));
  const lt = x < y;
  store<u64>(p + (i << 3), select<u64>(x, y, lt));
  store<u64>(p + (j << 3), select<u64>(y, x, lt));
}

/** Bottom-up merge sort of n u64 at a (b is scratch). Returns where the result is. */
function mergeSort(a: usize, b: usize, n: i32): usize {
  const RUN = 4;
  let s = 0;
  // runs of 4 by a branchless sorting network
  for (; s + 4 <= n; s += 4) {
    const p = a + (<usize>s << 3);
    cswap(p, 0, 1); cswap(p, 2, 3); cswap(p, 0, 2); cswap(p, 1, 3); cswap(p, 1, 2);
  }
  if (s < n) insertionSort(a + (<usize>s << 3), n - s);
  let src = a, dst = b;
  for (let width = RUN; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = min(lo + width, n), hi = min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      if (mid >= hi) {
        memory.copy(dst + (<usize>lo << 3), src + (<usize>lo << 3), <usize>(hi - lo) << 3);
        continue;
      }
      // branchless: random keys would mispredict half of the comparisons
      while (i < mid && j < hi) {
        const x = load<u64>(src + (<usize>i << 3));
        const y = load<u64>(src + (<usize>j << 3));
        const takeX = x <= y;
        store<u64>(dst + (<usize>k << 3), select<u64>(x, y, takeX));
        i += <i32>takeX;
        j += <i32>!takeX;
        k++;
      }
      if (i < mid) memory.copy(dst + (<usize>k << 3), src + (<usize>i << 3), <usize>(mid - i) << 3);
      else if (j < hi) memory.copy(dst + (<usize>k << 3), src + (<usize>j << 3), <usize>(hi - j) << 3);
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/** LSD radix sort of n u64 by their high 32 bits (stable). hist: 4 * 256 u32 scratch. */
function radixSort(a: usize, b: usize, n: i32, hist: usize, haveHist: bool): usize {
  if (!haveHist) memory.fill(hist, 0, 4 * 256 * 4);
  const end = haveHist ? a : a + (<usize>n << 3);
  for (let p = a; p < end; p += 8) {
    const k = <u32>(load<u64>(p) >> 32);
    const h0 = hist + ((<usize>(k & 255)) << 2);
    const h1 = hist + 1024 + ((<usize>((k >> 8) & 255)) << 2);
    const h2 = hist + 2048 + ((<usize>((k >> 16) & 255)) << 2);
    const h3 = hist + 3072 + ((<usize>(k >> 24)) << 2);
    store<u32>(h0, load<u32>(h0) + 1);
    store<u32>(h1, load<u32>(h1) + 1);
    store<u32>(h2, load<u32>(h2) + 1);
    store<u32>(h3, load<u32>(h3) + 1);
  }
  const first = <u32>(load<u64>(a) >> 32);
  let src = a, dst = b;
  for (let d = 0; d < 4; d++) {
    const h = hist + (<usize>d << 10);
    const shift = <u64>(32 + 8 * d);
    // a byte that is the same in every key does not reorder anything
    if (load<u32>(h + ((<usize>((first >> (8 * d)) & 255)) << 2)) == <u32>n) continue;
    // exclusive prefix sums -> byte offsets into dst
    let sum: u32 = 0;
    for (let i = 0; i < 256; i++) {
      const c = load<u32>(h + (<usize>i << 2));
      store<u32>(h + (<usize>i << 2), sum);
      sum += c << 3;
    }
    const e = src + (<usize>n << 3);
    for (let p = src; p < e; p += 8) {
      const v = load<u64>(p);
      const slot = h + ((<usize>(<u32>(v >> shift) & 255)) << 2);
      const off = load<u32>(slot);
      store<u32>(slot, off + 8);
      store<u64>(dst + <usize>off, v);
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

/** LSD radix sort by the high 32 bits with 11-bit digits (3 passes; for long rows). hist: 3 * 2048 u32. */
function radixSort11(a: usize, b: usize, n: i32, hist: usize, haveHist: bool): usize {
  if (!haveHist) memory.fill(hist, 0, 3 * 2048 * 4);
  const end = haveHist ? a : a + (<usize>n << 3);
  for (let p = a; p < end; p += 8) {
    const k = <u32>(load<u64>(p) >> 32);
    const h0 = hist + ((<usize>(k & 2047)) << 2);
    const h1 = hist + 8192 + ((<usize>((k >> 11) & 2047)) << 2);
    const h2 = hist + 16384 + ((<usize>(k >> 22)) << 2);
    store<u32>(h0, load<u32>(h0) + 1);
    store<u32>(h1, load<u32>(h1) + 1);
    store<u32>(h2, load<u32>(h2) + 1);
  }
  const first = <u32>(load<u64>(a) >> 32);
  let src = a, dst = b;
  for (let d = 0; d < 3; d++) {
    const h = hist + <usize>d * 8192;
    const shift = <u64>(32 + 11 * d);
    if (load<u32>(h + ((<usize>((first >> (11 * d)) & 2047)) << 2)) == <u32>n) continue;
    let sum: u32 = 0;
    for (let i = 0; i < 2048; i++) {
      const c = load<u32>(h + (<usize>i << 2));
      store<u32>(h + (<usize>i << 2), sum);
      sum += c << 3;
    }
    const e = src + (<usize>n << 3);
    for (let p = src; p < e; p += 8) {
      const v = load<u64>(p);
      const slot = h + ((<usize>(<u32>(v >> shift) & 2047)) << 2);
      const off = load<u32>(slot);
      store<u32>(slot, off + 8);
      store<u64>(dst + <usize>off, v);
    }
    const t = src; src = dst; dst = t;
  }
  return src;
}

const HIST_NONE: i32 = 0;
const HIST_8: i32 = 1;
const HIST_11: i32 = 2;

/** Which histogram the radix sort of a row of n will want (built while the pairs are). */
function histMode(n: i32): i32 {
  if (n <= MERGE_MAX) return HIST_NONE;
  return n >= RADIX11_MIN ? HIST_11 : HIST_8;
}

function clearHist(hist: usize, mode: i32): void {
  if (mode == HIST_8) memory.fill(hist, 0, 4 * 256 * 4);
  else if (mode == HIST_11) memory.fill(hist, 0, 3 * 2048 * 4);
}

// @ts-ignore: decorator
@inline
function histAdd(hist: usize, k: u32, mode: i32): void {
  if (mode == HIST_8) {
    const h0 = hist + ((<usize>(k & 255)) << 2);
    const h1 = hist + 1024 + ((<usize>((k >> 8) & 255)) << 2);
    const h2 = hist + 2048 + ((<usize>((k >> 16) & 255)) << 2);
    const h3 = hist + 3072 + ((<usize>(k >> 24)) << 2);
    store<u32>(h0, load<u32>(h0) + 1);
    store<u32>(h1, load<u32>(h1) + 1);
    store<u32>(h2, load<u32>(h2) + 1);
    store<u32>(h3, load<u32>(h3) + 1);
  } else if (mode == HIST_11) {
    const h0 = hist + ((<usize>(k & 2047)) << 2);
    const h1 = hist + 8192 + ((<usize>((k >> 11) & 2047)) << 2);
    const h2 = hist + 16384 + ((<usize>(k >> 22)) << 2);
    store<u32>(h0, load<u32>(h0) + 1);
    store<u32>(h1, load<u32>(h1) + 1);
    store<u32>(h2, load<u32>(h2) + 1);
  }
}

/** Sorts n pairs at a (b: scratch); the histogram of `mode` was built with the pairs. */
function sortPairs(a: usize, b: usize, n: i32, hist: usize, mode: i32): usize {
  if (n <= INSERTION_MAX) { insertionSort(a, n); return a; }
  if (n <= MERGE_MAX) return mergeSort(a, b, n);
  if (mode == HIST_11) return radixSort11(a, b, n, hist, true);
  return radixSort(a, b, n, hist, true);
}

/**
 * Writes pairs (key word << 32 | i) for i in [0, n), where the key is that of element
 * perm[i] (or i when perm == 0). word: 0 = the low 32 bits of the key, 1 = the high ones.
 */
function buildPairs(code: i32, base: usize, n: i32, perm: usize, word: i32, out: usize, hist: usize, mode: i32): void {
  clearHist(hist, mode);
  for (let i = 0; i < n; i++) {
    const e: usize = perm ? <usize>load<u32>(perm + (<usize>i << 2)) : <usize>i;
    let k: u32;
    switch (code) {
      case DT_F32: k = keyF32(load<u32>(base + (e << 2))); break;
      case DT_F64: {
        const k64 = keyF64(load<u64>(base + (e << 3)));
        k = word ? <u32>(k64 >> 32) : <u32>k64;
        break;
      }
      case DT_F16: k = keyF16(<u32>load<u16>(base + (e << 1))); break;
      case DT_I32: k = load<u32>(base + (e << 2)) ^ 0x80000000; break;
      case DT_U32: k = load<u32>(base + (e << 2)); break;
      case DT_I16: k = <u32>(<i32>load<i16>(base + (e << 1)) + 0x8000); break;
      case DT_U16: k = <u32>load<u16>(base + (e << 1)); break;
      case DT_I8: k = <u32>(<i32>load<i8>(base + e) + 0x80); break;
      default: k = <u32>load<u8>(base + e); break;
    }
    histAdd(hist, k, mode);
    store<u64>(out + (<usize>i << 3), (<u64>k << 32) | <u64>i);
  }
}

/** Specialized first pass for float32 keys (the common case). */
function buildPairsF32(base: usize, n: i32, out: usize, hist: usize, mode: i32): void {
  clearHist(hist, mode);
  if (mode == HIST_11) {
    for (let i = 0; i < n; i++) {
      const k = keyF32(load<u32>(base + (<usize>i << 2)));
      histAdd(hist, k, HIST_11);
      store<u64>(out + (<usize>i << 3), (<u64>k << 32) | <u64>i);
    }
  } else if (mode == HIST_8) {
    for (let i = 0; i < n; i++) {
      const k = keyF32(load<u32>(base + (<usize>i << 2)));
      histAdd(hist, k, HIST_8);
      store<u64>(out + (<usize>i << 3), (<u64>k << 32) | <u64>i);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = keyF32(load<u32>(base + (<usize>i << 2)));
      store<u64>(out + (<usize>i << 3), (<u64>k << 32) | <u64>i);
    }
  }
}

/** dst[j] = src[idx_j], where idx_j is the u32 at perm + (j << shift) (2: u32 array, 3: low words of pairs). */
function permute(esize: i32, src: usize, dst: usize, perm: usize, shift: usize, n: i32): void {
  if (esize == 4) {
    for (let j = 0; j < n; j++) store<u32>(dst + (<usize>j << 2), load<u32>(src + (<usize>load<u32>(perm + (<usize>j << shift)) << 2)));
  } else if (esize == 8) {
    for (let j = 0; j < n; j++) store<u64>(dst + (<usize>j << 3), load<u64>(src + (<usize>load<u32>(perm + (<usize>j << shift)) << 3)));
  } else if (esize == 2) {
    for (let j = 0; j < n; j++) store<u16>(dst + (<usize>j << 1), load<u16>(src + (<usize>load<u32>(perm + (<usize>j << shift)) << 1)));
  } else {
    for (let j = 0; j < n; j++) store<u8>(dst + <usize>j, load<u8>(src + <usize>load<u32>(perm + (<usize>j << shift))));
  }
}

/**
 * Sorts `rows` rows of length n. ops: numOps records of 3 i32 (dtype code, src, dst); the
 * first numKeys operands are the keys, lexicographic, the first most significant.
 * scratch: at least 24 * n + 32768 bytes, 8-byte aligned. permOut: 0, or an int32 [rows, n]
 * output for the permutation (argsort).
 */
export function rtnSort(rows: i32, n: i32, numOps: i32, numKeys: i32, ops: usize, scratch: usize, permOut: usize): void {
  if (rows <= 0 || n <= 0) return;
  const pairsA = scratch;
  const pairsB = pairsA + (<usize>n << 3);
  const permA = pairsB + (<usize>n << 3);
  const permB = permA + (<usize>n << 2);
  const hist = permB + (<usize>n << 2);
  const mode = histMode(n);
  for (let r = 0; r < rows; r++) {
    let perm: usize = 0; // 0 = identity
    let shift: usize = 2;
    let free = pairsA; // a pair buffer not holding the permutation
    const passes = numKeys == 1 && load<i32>(ops) != DT_F64 ? 1 : 0; // 1: a single pass
    for (let k = numKeys - 1; k >= 0; k--) {
      const code = load<i32>(ops + (<usize>(3 * k) << 2));
      const esize = dtypeBytes(code);
      const base = <usize>load<u32>(ops + (<usize>(3 * k + 1) << 2)) + <usize>r * <usize>n * <usize>esize;
      const words = code == DT_F64 ? 2 : 1;
      for (let w = 0; w < words; w++) {
        if (!perm && code == DT_F32) buildPairsF32(base, n, pairsA, hist, mode);
        else buildPairs(code, base, n, perm, w, pairsA, hist, mode);
        const sorted = sortPairs(pairsA, pairsB, n, hist, mode);
        if (passes == 1) {
          // the only pass: the positions in the sorted pairs are the permutation
          perm = sorted;
          shift = 3;
          free = sorted == pairsA ? pairsB : pairsA;
          continue;
        }
        const next = perm == permA ? permB : permA;
        if (perm) {
          for (let j = 0; j < n; j++) {
            const i = <usize>(<u32>load<u64>(sorted + (<usize>j << 3)));
            store<u32>(next + (<usize>j << 2), load<u32>(perm + (i << 2)));
          }
        } else {
          for (let j = 0; j < n; j++) store<u32>(next + (<usize>j << 2), <u32>load<u64>(sorted + (<usize>j << 3)));
        }
        perm = next;
      }
    }
    for (let o = 0; o < numOps; o++) {
      const code = load<i32>(ops + (<usize>(3 * o) << 2));
      const esize = dtypeBytes(code);
      const rowBytes = <usize>n * <usize>esize;
      let src = <usize>load<u32>(ops + (<usize>(3 * o + 1) << 2)) + <usize>r * rowBytes;
      const dst = <usize>load<u32>(ops + (<usize>(3 * o + 2) << 2)) + <usize>r * rowBytes;
      if (src == dst) {
        // in place: permute from a copy of the row (8n bytes hold any row)
        memory.copy(free, src, rowBytes);
        src = free;
      }
      permute(esize, src, dst, perm, shift, n);
    }
    if (permOut) {
      const out = permOut + <usize>r * (<usize>n << 2);
      for (let j = 0; j < n; j++) store<u32>(out + (<usize>j << 2), load<u32>(perm + (<usize>j << shift)));
    }
  }
}
