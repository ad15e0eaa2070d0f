// searchsorted: for each query, the number of sorted elements that come before it in
// JAX's sort order (side left: elements < query; side right: elements <= query), compared
// through the same order keys as the sort (-0.0 == 0.0, NaNs last and equal).

import { DT_F16, DT_F32, DT_F64, DT_I32, orderKey } from "./common";

// @ts-ignore: decorator
@inline
function searchT(code: i32, sorted: usize, n: i32, queries: usize, count: i32, right: bool, out: usize): void {
  for (let q = 0; q < count; q++) {
    const key = orderKey(code, queries, <usize>q);
    let lo: u32 = 0, hi: u32 = <u32>n;
    if (right) {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (orderKey(code, sorted, <usize>mid) <= key) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (orderKey(code, sorted, <usize>mid) < key) lo = mid + 1;
        else hi = mid;
      }
    }
    store<i32>(out + (<usize>q << 2), <i32>lo);
  }
}

/** Writes int32 insertion points of `count` queries into the sorted run of n elements. */
export function rtnSearchSorted(code: i32, sorted: usize, n: i32, queries: usize, count: i32, right: i32, out: usize): void {
  // searchT is inlined with a constant dtype for the common dtypes, so that the key
  // transform is resolved outside the loops
  switch (code) {
    case DT_F32: searchT(DT_F32, sorted, n, queries, count, right != 0, out); break;
    case DT_F64: searchT(DT_F64, sorted, n, queries, count, right != 0, out); break;
    case DT_F16: searchT(DT_F16, sorted, n, queries, count, right != 0, out); break;
    case DT_I32: searchT(DT_I32, sorted, n, queries, count, right != 0, out); break;
    default: searchT(code, sorted, n, queries, count, right != 0, out); break;
  }
}
