// The kernel VM: runs a FusedKernel compiled by wasm/vm_compile.ts over blocks of up to 1024
// elements.
//
// The host writes a descriptor (layout below, i32 words) holding the program (prologue, main
// and epilogue instructions, see vm_ops.ts), the iteration spaces and one record per input
// and output. Registers are block buffers of REG_BYTES in a scratch area; instructions address
// them through a table of addresses, so a register can also point straight into an input or
// output buffer for a block (contiguous data of the lane type: no copy in or out).
//
// Modes:
//   0 elementwise: blocks over the walk space; load, run, store.
//   1 outer reduction: walk = kept axes, base = reduced axes. For each block of kept
//     elements, loop over reduced positions accumulating lane-wise; then the epilogue.
//   2 inner reduction: walk = reduced axes, base = kept axes. For each kept position, loop
//     over blocks of the reduced range accumulating lane-wise, then combine the lanes; the
//     epilogue runs once per block of outputs.
import { exec } from "./vm_ops";
import { f16BitsOf, f32OfF16Bits } from "./vm_scalar";
import {
  FLUSH_EVERY, INNER_LANES, L_F32, L_F64, RED_ARGMAX, RED_SUM, accInit, accInner, accOuter, finishInner, finishOuter,
  flushF32,
} from "./vm_reduce";

const B: i32 = 1024;
const REG_BYTES: usize = 8256;

// header (byte offsets)
const H_MODE = 0;
const H_TABLE = 4;
const H_NREGS = 8;
const H_SCRATCH = 12;
const H_CODE = 16;
const H_NCODE = 20;
const H_EPI = 24;
const H_NEPI = 28;
const H_PRO = 32;
const H_NPRO = 36;
const H_NIN = 40;
const H_INREC = 44;
const H_NEIN = 48;
const H_EINREC = 52;
const H_NOUT = 56;
const H_OUTREC = 60;
const H_WN = 64;
const H_WDIMS = 68;
const H_WTOTAL = 72;
const H_BN = 76;
const H_BDIMS = 80;
const H_BTOTAL = 84;
const H_EN = 88;
const H_EDIMS = 92;
const H_OTOTAL = 96;
const H_ROP = 100;
const H_RLANE = 104;
const H_ARG = 108;
const H_RED = 112;
const H_ACC = 116; // address of the accumulator region (ACC_LANES lanes of 8 bytes)
const H_ACC2 = 120; // address of the second one (float64 partial sums, or indices)
const H_ALIGN = 124; // blocks do not cross rows of this length (0: blocks span rows)
const H_WORK = 128; // 384 bytes of VM work space (coordinates; up to 32 dims)
/** Kept elements accumulated at once by the outer schedule. */
const ACC_LANES: i32 = 16384;

// input record: stype, ptr, offset, reg, flags, lastOff (state), baseOff (state), strides...
const R_HEAD: usize = 28;
// output record: stype, ptr, reg, flags
const O_SIZE: usize = 16;

const INVALID: i32 = i32.MIN_VALUE;
const F_FLAT = 1;
const F_INVARIANT = 2;
const F_DIRECT = 4;

// storage types
const S_F32 = 0;
const S_F64 = 1;
const S_F16 = 2;
const S_I32 = 3;
const S_U32 = 4;
const S_I16 = 5;
const S_U16 = 6;
const S_I8 = 7;
const S_U8 = 8;
const S_BOOL = 9;
const S_IOTA = 10;

// @ts-ignore: decorator
@inline
function esh(st: i32): usize {
  // log2 of the element size in memory
  if (st == S_F64) return 3;
  if (st <= S_U32 || st == S_IOTA) return st == S_F16 ? 1 : 2;
  return st <= S_U16 ? 1 : 0;
}

// @ts-ignore: decorator
@inline
function lsh(st: i32): usize {
  // log2 of the lane size in a register
  return st == S_F64 ? 3 : 2;
}

// @ts-ignore: decorator
@inline
function regAddr(scratch: usize, r: i32): usize {
  return scratch + <usize>r * REG_BYTES;
}

// @ts-ignore: decorator
@inline
function setReg(table: usize, r: i32, addr: usize): void {
  store<usize>(table + (<usize>r << 2), addr);
}

// ------------------------------------------------------------------------------------------
// loading

/** Loads `len` elements of storage type st from ptr (element index off, element stride) into
 * register lanes at dst. */
function seg(st: i32, ptr: usize, off: i32, stride: i32, dst: usize, len: i32): void {
  if (st == S_IOTA) {
    if (stride == 1) {
      let v = i32x4.add(i32x4.splat(off), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
      const four = i32x4.splat(4);
      let i = 0;
      for (; i + 4 <= len; i += 4) {
        v128.store(dst + (<usize>i << 2), v);
        v = i32x4.add(v, four);
      }
      for (; i < len; i++) store<i32>(dst + (<usize>i << 2), off + i);
    } else {
      for (let i = 0; i < len; i++) store<i32>(dst + (<usize>i << 2), off + i * stride);
    }
    return;
  }
  const sh = esh(st);
  const src = ptr + (<usize>off << sh);
  if (stride == 0) {
    splatFrom(st, src, dst, len);
    return;
  }
  if (stride == 1) {
    switch (st) {
      case S_F32:
      case S_I32:
      case S_U32: memory.copy(dst, src, <usize>len << 2); return;
      case S_F64: memory.copy(dst, src, <usize>len << 3); return;
      case S_F16: {
        let i = 0;
        for (; i + 4 <= len; i += 4) {
          v128.store(dst + (<usize>i << 2), f32OfF16Bits(v128.load16x4_u(src + (<usize>i << 1))));
        }
        for (; i < len; i++) store<f32>(dst + (<usize>i << 2), f16Scalar(load<u16>(src + (<usize>i << 1))));
        return;
      }
      case S_I16: {
        let i = 0;
        for (; i + 4 <= len; i += 4) v128.store(dst + (<usize>i << 2), v128.load16x4_s(src + (<usize>i << 1)));
        for (; i < len; i++) store<i32>(dst + (<usize>i << 2), <i32>load<i16>(src + (<usize>i << 1)));
        return;
      }
      case S_U16: {
        let i = 0;
        for (; i + 4 <= len; i += 4) v128.store(dst + (<usize>i << 2), v128.load16x4_u(src + (<usize>i << 1)));
        for (; i < len; i++) store<i32>(dst + (<usize>i << 2), <i32>load<u16>(src + (<usize>i << 1)));
        return;
      }
      case S_I8: {
        let i = 0;
        for (; i + 4 <= len; i += 4) {
          v128.store(dst + (<usize>i << 2), i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(v128.load32_zero(src + <usize>i))));
        }
        for (; i < len; i++) store<i32>(dst + (<usize>i << 2), <i32>load<i8>(src + <usize>i));
        return;
      }
      default: {
        // u8, bool
        let i = 0;
        for (; i + 4 <= len; i += 4) {
          v128.store(dst + (<usize>i << 2), i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(src + <usize>i))));
        }
        for (; i < len; i++) store<i32>(dst + (<usize>i << 2), <i32>load<u8>(src + <usize>i));
        return;
      }
    }
  }
  // strided gather
  const step = <isize>stride << sh;
  let s = src;
  switch (st) {
    case S_F32:
    case S_I32:
    case S_U32: {
      for (let i = 0; i < len; i++) {
        store<u32>(dst + (<usize>i << 2), load<u32>(s));
        s += step;
      }
      return;
    }
    case S_F64: {
      for (let i = 0; i < len; i++) {
        store<u64>(dst + (<usize>i << 3), load<u64>(s));
        s += step;
      }
      return;
    }
    case S_F16: {
      for (let i = 0; i < len; i++) {
        store<f32>(dst + (<usize>i << 2), f16Scalar(load<u16>(s)));
        s += step;
      }
      return;
    }
    case S_I16: {
      for (let i = 0; i < len; i++) {
        store<i32>(dst + (<usize>i << 2), <i32>load<i16>(s));
        s += step;
      }
      return;
    }
    case S_U16: {
      for (let i = 0; i < len; i++) {
        store<i32>(dst + (<usize>i << 2), <i32>load<u16>(s));
        s += step;
      }
      return;
    }
    case S_I8: {
      for (let i = 0; i < len; i++) {
        store<i32>(dst + (<usize>i << 2), <i32>load<i8>(s));
        s += step;
      }
      return;
    }
    default: {
      for (let i = 0; i < len; i++) {
        store<i32>(dst + (<usize>i << 2), <i32>load<u8>(s));
        s += step;
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function f16Scalar(h: u32): f32 {
  return f32x4.extract_lane(f32OfF16Bits(i32x4.splat(h)), 0);
}

/** Fills `len` lanes (rounded up to 4) with the one element at src. */
function splatFrom(st: i32, src: usize, dst: usize, len: i32): void {
  let v: v128;
  switch (st) {
    case S_F64: {
      v = v128.load64_splat(src);
      const nb = <usize>((len + 3) & ~3) << 3;
      for (let i: usize = 0; i < nb; i += 16) v128.store(dst + i, v);
      return;
    }
    case S_F32:
    case S_I32:
    case S_U32: v = v128.load32_splat(src); break;
    case S_F16: v = f32OfF16Bits(i32x4.splat(<i32>load<u16>(src))); break;
    case S_I16: v = i32x4.splat(<i32>load<i16>(src)); break;
    case S_U16: v = i32x4.splat(<i32>load<u16>(src)); break;
    case S_I8: v = i32x4.splat(<i32>load<i8>(src)); break;
    default: v = i32x4.splat(<i32>load<u8>(src));
  }
  const nb = <usize>((len + 3) & ~3) << 2;
  for (let i: usize = 0; i < nb; i += 16) v128.store(dst + i, v);
}

/** Computes the coordinates of linear position p in a space of nd dims into coord. */
function coordsOf(p: i32, nd: i32, dims: usize, coord: usize): void {
  for (let i = nd - 1; i >= 0; i--) {
    const dim = load<i32>(dims + (<usize>i << 2));
    const q = p / dim;
    store<i32>(coord + (<usize>i << 2), p - q * dim);
    p = q;
  }
}

/**
 * Loads one input (record rec) for the block [p, p + n) of a walk space (nd dims, dims,
 * coordinates of p in coord), with the record's base offset added. Record +20 holds the
 * element offset whose value the scratch register holds splatted (or INVALID).
 */
function loadInput(table: usize, scratch: usize, rec: usize, p: i32, n: i32, nd: i32, dims: usize, coord: usize, work: usize): void {
  const st = load<i32>(rec);
  const ptr = load<usize>(rec, 4);
  const reg = load<i32>(rec, 12);
  const flags = load<i32>(rec, 16);
  const dst = regAddr(scratch, reg);
  let off = load<i32>(rec, 8) + load<i32>(rec, 24);
  if (flags & F_INVARIANT) {
    splatInto(table, rec, st, ptr, off, reg, dst);
    return;
  }
  if (flags & F_FLAT) {
    off += p;
    if ((flags & F_DIRECT) != 0 && (n & 3) == 0) {
      setReg(table, reg, ptr + (<usize>off << esh(st)));
      return;
    }
    setReg(table, reg, dst);
    store<i32>(rec, INVALID, 20);
    seg(st, ptr, off, 1, dst, n);
    return;
  }
  const strides = rec + R_HEAD;
  for (let i = 0; i < nd; i++) {
    const c = load<i32>(coord + (<usize>i << 2));
    store<i32>(work + (<usize>i << 2), c);
    off += c * load<i32>(strides + (<usize>i << 2));
  }
  const last = nd - 1;
  const inner = load<i32>(dims + (<usize>last << 2));
  const sIn = load<i32>(strides + (<usize>last << 2));
  let c = load<i32>(work + (<usize>last << 2));
  if (c + n <= inner) {
    // the block lies in one row: point into it, or splat its one element
    if (sIn == 1 && (flags & F_DIRECT) != 0 && (n & 3) == 0) {
      setReg(table, reg, ptr + (<usize>off << esh(st)));
      return;
    }
    if (sIn == 0) {
      splatInto(table, rec, st, ptr, off, reg, dst);
      return;
    }
  }
  setReg(table, reg, dst);
  store<i32>(rec, INVALID, 20);
  const ls = lsh(st);
  let done = 0;
  while (true) {
    let len = inner - c;
    if (len > n - done) len = n - done;
    seg(st, ptr, off, sIn, dst + (<usize>done << ls), len);
    done += len;
    if (done >= n) break;
    // next row: back to the row start, then carry through the outer axes
    off -= c * sIn;
    c = 0;
    let i = last - 1;
    while (i >= 0) {
      const wa = work + (<usize>i << 2);
      const s = load<i32>(strides + (<usize>i << 2));
      const ci = load<i32>(wa) + 1;
      const dim = load<i32>(dims + (<usize>i << 2));
      if (ci < dim) {
        store<i32>(wa, ci);
        off += s;
        break;
      }
      store<i32>(wa, 0);
      off -= (dim - 1) * s;
      i--;
    }
  }
}

/** Points the register at its scratch buffer holding element `off` in every lane. */
// @ts-ignore: decorator
@inline
function splatInto(table: usize, rec: usize, st: i32, ptr: usize, off: i32, reg: i32, dst: usize): void {
  setReg(table, reg, dst);
  if (load<i32>(rec, 20) == off) return;
  store<i32>(rec, off, 20);
  seg(st, ptr, off, 0, dst, B);
}

function loadAll(table: usize, scratch: usize, recs: usize, nrec: i32, recSize: usize, p: i32, n: i32, nd: i32, dims: usize, work: usize): void {
  if (nrec == 0) return;
  const coord = work;
  const work2 = work + 128;
  coordsOf(p, nd, dims, coord);
  for (let k = 0; k < nrec; k++) {
    loadInput(table, scratch, recs + <usize>k * recSize, p, n, nd, dims, coord, work2);
  }
}

// ------------------------------------------------------------------------------------------
// storing

function storeLanes(st: i32, src: usize, dst: usize, n: i32): void {
  switch (st) {
    case S_F32:
    case S_I32:
    case S_U32: memory.copy(dst, src, <usize>n << 2); return;
    case S_F64: memory.copy(dst, src, <usize>n << 3); return;
    case S_F16: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const h = f16BitsOf(v128.load(src + (<usize>i << 2)));
        v128.store64_lane(dst + (<usize>i << 1), i8x16.shuffle(h, h, 0, 1, 4, 5, 8, 9, 12, 13, 0, 1, 4, 5, 8, 9, 12, 13), 0);
      }
      for (; i < n; i++) {
        const h = f16BitsOf(v128.load32_zero(src + (<usize>i << 2)));
        store<u16>(dst + (<usize>i << 1), <u16>i32x4.extract_lane(h, 0));
      }
      return;
    }
    case S_I16:
    case S_U16: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const h = v128.load(src + (<usize>i << 2));
        v128.store64_lane(dst + (<usize>i << 1), i8x16.shuffle(h, h, 0, 1, 4, 5, 8, 9, 12, 13, 0, 1, 4, 5, 8, 9, 12, 13), 0);
      }
      for (; i < n; i++) store<u16>(dst + (<usize>i << 1), <u16>load<i32>(src + (<usize>i << 2)));
      return;
    }
    default: {
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const h = v128.load(src + (<usize>i << 2));
        v128.store32_lane(dst + <usize>i, i8x16.shuffle(h, h, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12), 0);
      }
      for (; i < n; i++) store<u8>(dst + <usize>i, <u8>load<i32>(src + (<usize>i << 2)));
    }
  }
}

/** Points direct-capable output registers into the outputs for the block [p, p + n). */
function mapOutputs(table: usize, scratch: usize, recs: usize, nout: i32, p: i32, n: i32): void {
  for (let k = 0; k < nout; k++) {
    const rec = recs + <usize>k * O_SIZE;
    if ((load<i32>(rec, 12) & F_DIRECT) == 0) continue;
    const st = load<i32>(rec);
    const reg = load<i32>(rec, 8);
    if ((n & 3) == 0) setReg(table, reg, load<usize>(rec, 4) + (<usize>p << esh(st)));
    else setReg(table, reg, regAddr(scratch, reg));
  }
}

function storeOutputs(table: usize, recs: usize, nout: i32, p: i32, n: i32): void {
  for (let k = 0; k < nout; k++) {
    const rec = recs + <usize>k * O_SIZE;
    const st = load<i32>(rec);
    const dst = load<usize>(rec, 4) + (<usize>p << esh(st));
    const src = load<usize>(table + (<usize>load<i32>(rec, 8) << 2));
    if (src != dst) storeLanes(st, src, dst, n);
  }
}

// ------------------------------------------------------------------------------------------
// base-space odometer (per-input base offsets at record +24)

function baseReset(recs: usize, nrec: i32, recSize: usize, coord: usize, bn: i32): void {
  for (let k = 0; k < nrec; k++) store<i32>(recs + <usize>k * recSize, 0, 24);
  for (let i = 0; i < bn; i++) store<i32>(coord + (<usize>i << 2), 0);
}

function baseNext(recs: usize, nrec: i32, recSize: usize, coord: usize, bn: i32, bdims: usize, wn: i32): void {
  let i = bn - 1;
  while (i >= 0) {
    const ca = coord + (<usize>i << 2);
    const c = load<i32>(ca) + 1;
    const dim = load<i32>(bdims + (<usize>i << 2));
    const so = R_HEAD + (<usize>(wn + i) << 2);
    if (c < dim) {
      store<i32>(ca, c);
      for (let k = 0; k < nrec; k++) {
        const r = recs + <usize>k * recSize;
        store<i32>(r, load<i32>(r, 24) + load<i32>(r + so), 24);
      }
      return;
    }
    store<i32>(ca, 0);
    for (let k = 0; k < nrec; k++) {
      const r = recs + <usize>k * recSize;
      store<i32>(r, load<i32>(r, 24) - (dim - 1) * load<i32>(r + so), 24);
    }
    i--;
  }
}

/** Length of the block at p (< end): at most B, not crossing a row of `align` elements. */
// @ts-ignore: decorator
@inline
function blockLen(p: i32, end: i32, align: i32): i32 {
  let n = min(B, end - p);
  if (align > 0) {
    const rem = align - p % align;
    if (rem < n) n = rem;
  }
  return n;
}

// ------------------------------------------------------------------------------------------

/** Runs the program described at d (written by wasm/vm_layout.ts). */
export function vmRun(d: usize): void {
  const table = load<usize>(d, H_TABLE);
  const scratch = load<usize>(d, H_SCRATCH);
  const nregs = load<i32>(d, H_NREGS);
  for (let r = 0; r < nregs; r++) setReg(table, r, regAddr(scratch, r));
  const npro = load<i32>(d, H_NPRO);
  if (npro > 0) exec(table, load<usize>(d, H_PRO), npro, B);

  const mode = load<i32>(d, H_MODE);
  const code = load<usize>(d, H_CODE);
  const ncode = load<i32>(d, H_NCODE);
  const nin = load<i32>(d, H_NIN);
  const inrec = load<usize>(d, H_INREC);
  const nout = load<i32>(d, H_NOUT);
  const outrec = load<usize>(d, H_OUTREC);
  const wn = load<i32>(d, H_WN);
  const wdims = load<usize>(d, H_WDIMS);
  const wtotal = load<i32>(d, H_WTOTAL);
  const bn = load<i32>(d, H_BN);
  const align = load<i32>(d, H_ALIGN);
  const recSize = R_HEAD + (<usize>(wn + bn) << 2);
  const work = d + H_WORK;

  if (mode == 0) {
    for (let p = 0; p < wtotal; ) {
      const n = blockLen(p, wtotal, align);
      loadAll(table, scratch, inrec, nin, recSize, p, n, wn, wdims, work);
      mapOutputs(table, scratch, outrec, nout, p, n);
      exec(table, code, ncode, n);
      storeOutputs(table, outrec, nout, p, n);
      p += n;
    }
    return;
  }

  const epi = load<usize>(d, H_EPI);
  const nepi = load<i32>(d, H_NEPI);
  const nein = load<i32>(d, H_NEIN);
  const einrec = load<usize>(d, H_EINREC);
  const en = load<i32>(d, H_EN);
  const edims = load<usize>(d, H_EDIMS);
  const erecSize = R_HEAD + (<usize>en << 2);
  const bdims = load<usize>(d, H_BDIMS);
  const btotal = load<i32>(d, H_BTOTAL);
  const ototal = load<i32>(d, H_OTOTAL);
  const op = load<i32>(d, H_ROP);
  const lane = load<i32>(d, H_RLANE);
  const argAddr = table + (<usize>load<i32>(d, H_ARG) << 2);
  const red = regAddr(scratch, load<i32>(d, H_RED));
  const acc = load<usize>(d, H_ACC);
  const acc2 = load<usize>(d, H_ACC2);
  const bcoord = work + 256;
  const f32sum = op == RED_SUM && lane == L_F32;

  if (mode == 1) {
    // outer: chunks of kept elements (walk); for each reduced position (base), every block
    // of the chunk, so that rows are read in order
    const accSh: usize = lane == L_F64 ? 3 : 2;
    const acc2Sh: usize = f32sum ? 3 : 2;
    for (let c0 = 0; c0 < wtotal; c0 += ACC_LANES) {
      const cend = min(wtotal, c0 + ACC_LANES);
      const cnl = (cend - c0 + 3) & ~3;
      accInit(op, lane, acc, acc2, cnl);
      baseReset(inrec, nin, recSize, bcoord, bn);
      let steps = 0;
      for (let r = 0; r < btotal; r++) {
        for (let p = c0; p < cend; ) {
          const n = blockLen(p, cend, align);
          loadAll(table, scratch, inrec, nin, recSize, p, n, wn, wdims, work);
          exec(table, code, ncode, n);
          const k = <usize>(p - c0);
          accOuter(op, lane, acc + (k << accSh), acc2 + (k << acc2Sh), load<usize>(argAddr), n, r);
          p += n;
        }
        if (f32sum && ++steps == FLUSH_EVERY) {
          flushF32(acc, acc2, cnl);
          steps = 0;
        }
        baseNext(inrec, nin, recSize, bcoord, bn, bdims, wn);
      }
      if (f32sum) flushF32(acc, acc2, cnl);
      for (let p = c0; p < cend; ) {
        const n = min(B, cend - p);
        const k = <usize>(p - c0);
        finishOuter(op, lane, acc + (k << accSh), acc2 + (k << acc2Sh), red, n);
        loadAll(table, scratch, einrec, nein, erecSize, p, n, en, edims, work);
        mapOutputs(table, scratch, outrec, nout, p, n);
        exec(table, epi, nepi, n);
        storeOutputs(table, outrec, nout, p, n);
        p += n;
      }
    }
    return;
  }

  // inner: kept positions in the base loop, blocks of the reduced range (walk)
  const isArg = op >= RED_ARGMAX;
  const lanes = wtotal < B ? wtotal : B;
  const nl = isArg ? max((lanes + 3) & ~3, 4) : INNER_LANES;
  baseReset(inrec, nin, recSize, bcoord, bn);
  for (let ob = 0; ob < ototal; ob += B) {
    const cnt = min(B, ototal - ob);
    for (let j = 0; j < cnt; j++) {
      accInit(op, lane, acc, acc2, nl);
      for (let q = 0; q < wtotal; ) {
        const n = blockLen(q, wtotal, align);
        loadAll(table, scratch, inrec, nin, recSize, q, n, wn, wdims, work);
        exec(table, code, ncode, n);
        accInner(op, lane, acc, acc2, load<usize>(argAddr), n, q);
        q += n;
      }
      finishInner(op, lane, acc, acc2, red, j, lanes);
      baseNext(inrec, nin, recSize, bcoord, bn, bdims, wn);
    }
    loadAll(table, scratch, einrec, nein, erecSize, ob, cnt, en, edims, work);
    mapOutputs(table, scratch, outrec, nout, ob, cnt);
    exec(table, epi, nepi, cnt);
    storeOutputs(table, outrec, nout, ob, cnt);
  }
}
