// XLA gather and scatter (index_vector_dim last, int32 indices).
//
// The host turns the dimension numbers into linear maps (wasm/routines_gather.ts):
//  - batch dims (the dims of the index array before the index vector): per dim its size,
//    its element stride in the gather output / scatter updates, and the operand stride of
//    the operand batching dim it pairs with (0 if none);
//  - the index vector: per component the operand stride of the dim it indexes and the
//    largest start that keeps the slice / window inside the operand (operand dim - size);
//  - the slice / window: an N-D strided copy block (shape, srcStride, dstStride).
// For each batch position the routine reads the index vector, clamps it (gather clip,
// scatter clip) or checks it (gather fill: the whole slice gets the fill value; scatter
// drop: the whole window is skipped — XLA's rule), then copies or combines the slice.

import { DT_BOOL, DT_F16, DT_F32, DT_F64, DT_I16, DT_I32, DT_I8, DT_U16, DT_U32, f16ToF32, f32ToF16 } from "./common";
import { copyLevel, copyRun } from "./copy";
import { OP_MAX, OP_MIN, OP_PROD, OP_SUM, comb, combF32, rowCombine } from "./cumulative";

// ---- shared state of one call (the routines are not reentrant) ----
let gIdx: usize = 0;      // next index vector
let gK: i32 = 0;          // index vector length
let gKParams: usize = 0;  // K x (opStride, ub)
let gNb: i32 = 0;
let gBParams: usize = 0;  // nb x (size, stride, opBatchStride)
let gSd: i32 = 0;
let gSlice: usize = 0;    // slice / window copy block
let gFillSlice: usize = 0; // gather fill: the slice block with zero source strides
let gMode: i32 = 0;
let gEsize: i32 = 0;
let gFill: usize = 0;
let gOp: i32 = 0;
let gCode: i32 = 0;
let gBad: bool = false;

/** Reads the next index vector; returns the operand element offset of the slice start. */
// @ts-ignore: decorator
@inline
function startOffset(clampAll: bool): isize {
  let off: isize = 0;
  let bad = false;
  for (let k = 0; k < gK; k++) {
    let v = load<i32>(gIdx + (<usize>k << 2));
    const st = load<i32>(gKParams + (<usize>(2 * k) << 2));
    const ub = load<i32>(gKParams + (<usize>(2 * k + 1) << 2));
    if (<u32>v > <u32>ub) {
      bad = true;
      if (clampAll) v = v < 0 ? 0 : ub;
    }
    off += <isize>v * <isize>st;
  }
  gIdx += <usize>gK << 2;
  gBad = bad;
  return off;
}

// ---------------------------------------------------------------------------------------
// gather

function gatherSlice(src: usize, dst: usize): void {
  if (gSd == 0) copyRun(gEsize, 1, src, <isize>gEsize, dst, <isize>gEsize);
  else copyLevel(gEsize, gSd, 0, gSlice, src, dst);
}

function gatherFillSlice(dst: usize): void {
  if (gSd == 0) copyRun(gEsize, 1, gFill, <isize>gEsize, dst, <isize>gEsize);
  else copyLevel(gEsize, gSd, 0, gFillSlice, gFill, dst);
}

/** Last batch dim, one element per index vector of length 1 (np.take, x[idx]). */
function gatherElems1<T>(n: i32, op: usize, outStride: isize, bStride: isize, dst: usize): void {
  const st = <isize>load<i32>(gKParams) * sizeof<T>();
  const ub = load<i32>(gKParams + 4);
  const fill = gMode == 1;
  const fv = load<T>(gFill);
  let idx = gIdx;
  for (let i = 0; i < n; i++) {
    let v = load<i32>(idx);
    idx += 4;
    if (<u32>v > <u32>ub) {
      if (fill) { store<T>(dst, fv); op += bStride; dst += outStride; continue; }
      v = v < 0 ? 0 : ub;
    }
    store<T>(dst, load<T>(op + <usize>(<isize>v * st)));
    op += bStride;
    dst += outStride;
  }
  gIdx = idx;
}

function gatherLevel(dim: i32, op: usize, out: usize): void {
  const es = <isize>gEsize;
  const n = load<i32>(gBParams + (<usize>(3 * dim) << 2));
  const outStride = <isize>load<i32>(gBParams + (<usize>(3 * dim + 1) << 2)) * es;
  const bStride = <isize>load<i32>(gBParams + (<usize>(3 * dim + 2) << 2)) * es;
  if (dim < gNb - 1) {
    for (let i = 0; i < n; i++) {
      gatherLevel(dim + 1, op, out);
      op += bStride; out += outStride;
    }
    return;
  }
  if (gK == 1 && gSd == 0) {
    if (gEsize == 4) gatherElems1<u32>(n, op, outStride, bStride, out);
    else if (gEsize == 8) gatherElems1<u64>(n, op, outStride, bStride, out);
    else if (gEsize == 2) gatherElems1<u16>(n, op, outStride, bStride, out);
    else gatherElems1<u8>(n, op, outStride, bStride, out);
    return;
  }
  const fill = gMode == 1;
  for (let i = 0; i < n; i++) {
    const off = startOffset(!fill);
    if (fill && gBad) gatherFillSlice(out);
    else gatherSlice(op + <usize>(off * es), out);
    op += bStride; out += outStride;
  }
}

/**
 * params (i32): esize, nb, K, sd, mode (0 clip, 1 fill), then nb x (size, outStride,
 * opBatchStride), K x (opStride, ub), the slice block (shape[sd], opStride[sd],
 * outStride[sd]) and, for mode 1, the same block with zero source strides.
 * op: byte address of operand element (0, ..., 0); idx: int32 [..batch, K]; out: output
 * byte address; fill: address of the fill element.
 */
export function rtnGather(params: usize, op: usize, idx: usize, out: usize, fill: usize): void {
  gEsize = load<i32>(params);
  gNb = load<i32>(params + 4);
  gK = load<i32>(params + 8);
  gSd = load<i32>(params + 12);
  gMode = load<i32>(params + 16);
  gBParams = params + 20;
  gKParams = gBParams + (<usize>(3 * gNb) << 2);
  gSlice = gKParams + (<usize>(2 * gK) << 2);
  gFillSlice = gSlice + (<usize>(3 * gSd) << 2);
  gFill = fill;
  gIdx = idx;
  for (let d = 0; d < gNb; d++) if (load<i32>(gBParams + (<usize>(3 * d) << 2)) <= 0) return;
  for (let d = 0; d < gSd; d++) if (load<i32>(gSlice + (<usize>d << 2)) <= 0) return;
  if (gNb == 0) {
    const off = startOffset(gMode == 0);
    if (gMode == 1 && gBad) gatherFillSlice(out);
    else gatherSlice(op + <usize>(off * <isize>gEsize), out);
    return;
  }
  gatherLevel(0, op, out);
}

// ---------------------------------------------------------------------------------------
// scatter

/** Combines one run of len elements: dst[i] = dst[i] op src[i] (strides in bytes). */
function combineRunT<T>(op: i32, len: i32, src: usize, ss: isize, dst: usize, ds: isize): void {
  const es = <isize>sizeof<T>();
  if (ss == es && ds == es) {
    rowCombine<T>(op, dst, src, dst, len);
    return;
  }
  for (let i = 0; i < len; i++) {
    store<T>(dst, comb<T>(op, load<T>(dst), load<T>(src)));
    src += ss; dst += ds;
  }
}

function combineRunF16(op: i32, len: i32, src: usize, ss: isize, dst: usize, ds: isize): void {
  for (let i = 0; i < len; i++) {
    store<u16>(dst, <u16>f32ToF16(combF32(op, f16ToF32(<u32>load<u16>(dst)), f16ToF32(<u32>load<u16>(src)))));
    src += ss; dst += ds;
  }
}

function combineRun(len: i32, src: usize, ss: isize, dst: usize, ds: isize): void {
  const op = gOp;
  switch (gCode) {
    case DT_F32: combineRunT<f32>(op, len, src, ss, dst, ds); break;
    case DT_F64: combineRunT<f64>(op, len, src, ss, dst, ds); break;
    case DT_F16: combineRunF16(op, len, src, ss, dst, ds); break;
    case DT_I32: combineRunT<i32>(op, len, src, ss, dst, ds); break;
    case DT_U32: combineRunT<u32>(op, len, src, ss, dst, ds); break;
    case DT_I16: combineRunT<i16>(op, len, src, ss, dst, ds); break;
    case DT_U16: combineRunT<u16>(op, len, src, ss, dst, ds); break;
    case DT_I8: combineRunT<i8>(op, len, src, ss, dst, ds); break;
    default: combineRunT<u8>(op, len, src, ss, dst, ds); break;
  }
}

function combineLevel(dim: i32, src: usize, dst: usize): void {
  const es = <isize>gEsize;
  const nd = gSd;
  const n = load<i32>(gSlice + (<usize>dim << 2));
  const ss = <isize>load<i32>(gSlice + (<usize>(nd + dim) << 2)) * es;
  const ds = <isize>load<i32>(gSlice + (<usize>(2 * nd + dim) << 2)) * es;
  if (dim == nd - 1) {
    combineRun(n, src, ss, dst, ds);
    return;
  }
  for (let i = 0; i < n; i++) {
    combineLevel(dim + 1, src, dst);
    src += ss; dst += ds;
  }
}

function scatterWindow(src: usize, dst: usize): void {
  if (gOp < 0) {
    if (gSd == 0) copyRun(gEsize, 1, src, <isize>gEsize, dst, <isize>gEsize);
    else copyLevel(gEsize, gSd, 0, gSlice, src, dst);
  } else {
    if (gSd == 0) combineRun(1, src, <isize>gEsize, dst, <isize>gEsize);
    else combineLevel(0, src, dst);
  }
}

/** Last batch dim with single-element windows: the x.at[idx].add(v) case. */
function scatterElemsT<T>(n: i32, upd: usize, updStride: isize, op: usize, bStride: isize): void {
  const clip = gMode == 1;
  const o = gOp;
  for (let i = 0; i < n; i++) {
    const off = startOffset(clip);
    if (clip || !gBad) {
      const p = op + <usize>(off * <isize>sizeof<T>());
      if (o < 0) store<T>(p, load<T>(upd));
      else store<T>(p, comb<T>(o, load<T>(p), load<T>(upd)));
    }
    upd += updStride; op += bStride;
  }
}

function scatterLevel(dim: i32, upd: usize, op: usize): void {
  const es = <isize>gEsize;
  const n = load<i32>(gBParams + (<usize>(3 * dim) << 2));
  const updStride = <isize>load<i32>(gBParams + (<usize>(3 * dim + 1) << 2)) * es;
  const bStride = <isize>load<i32>(gBParams + (<usize>(3 * dim + 2) << 2)) * es;
  if (dim < gNb - 1) {
    for (let i = 0; i < n; i++) {
      scatterLevel(dim + 1, upd, op);
      upd += updStride; op += bStride;
    }
    return;
  }
  if (gSd == 0 && gCode != DT_F16) {
    switch (gCode) {
      case DT_F32: scatterElemsT<f32>(n, upd, updStride, op, bStride); return;
      case DT_F64: scatterElemsT<f64>(n, upd, updStride, op, bStride); return;
      case DT_I32: scatterElemsT<i32>(n, upd, updStride, op, bStride); return;
      case DT_U32: scatterElemsT<u32>(n, upd, updStride, op, bStride); return;
      case DT_I16: scatterElemsT<i16>(n, upd, updStride, op, bStride); return;
      case DT_U16: scatterElemsT<u16>(n, upd, updStride, op, bStride); return;
      case DT_I8: scatterElemsT<i8>(n, upd, updStride, op, bStride); return;
      default: scatterElemsT<u8>(n, upd, updStride, op, bStride); return;
    }
  }
  const clip = gMode == 1;
  for (let i = 0; i < n; i++) {
    const off = startOffset(clip);
    if (clip || !gBad) scatterWindow(upd, op + <usize>(off * es));
    upd += updStride; op += bStride;
  }
}

/**
 * params (i32): dtype code, nb, K, wd, mode (0 drop, 1 clip), op (-1 set, 0 add, 1 mul,
 * 2 max, 3 min), then nb x (size, updStride, opBatchStride), K x (opStride, ub), the window
 * block (shape[wd], updStride[wd], opStride[wd]).
 * op: byte address of the destination (a copy of the operand), element (0, ..., 0);
 * idx: int32 [..batch, K]; upd: byte address of updates element (0, ..., 0).
 */
export function rtnScatter(params: usize, op: usize, idx: usize, upd: usize): void {
  gCode = load<i32>(params);
  gEsize = gCode == DT_F64 ? 8 : (gCode == DT_F32 || gCode == DT_I32 || gCode == DT_U32) ? 4 : (gCode == DT_F16 || gCode == DT_I16 || gCode == DT_U16) ? 2 : 1;
  gNb = load<i32>(params + 4);
  gK = load<i32>(params + 8);
  gSd = load<i32>(params + 12);
  gMode = load<i32>(params + 16);
  gOp = load<i32>(params + 20);
  if (gCode == DT_BOOL && gOp >= 0) gOp = gOp == OP_SUM ? OP_MAX : gOp == OP_PROD ? OP_MIN : gOp;
  gBParams = params + 24;
  gKParams = gBParams + (<usize>(3 * gNb) << 2);
  gSlice = gKParams + (<usize>(2 * gK) << 2);
  gIdx = idx;
  for (let d = 0; d < gNb; d++) if (load<i32>(gBParams + (<usize>(3 * d) << 2)) <= 0) return;
  for (let d = 0; d < gSd; d++) if (load<i32>(gSlice + (<usize>d << 2)) <= 0) return;
  if (gNb == 0) {
    const off = startOffset(gMode == 1);
    if (gMode == 1 || !gBad) scatterWindow(upd, op + <usize>(off * <isize>gEsize));
    return;
  }
  scatterLevel(0, upd, op);
}
