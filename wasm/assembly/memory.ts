// The host owns the heap: everything above __heap_base is managed by wasm/allocator.ts.

/** First free byte after the module's static data (constant tables). */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 when this build uses relaxed SIMD (f32x4.relaxed_madd), else 0. */
export function relaxedEnabled(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
