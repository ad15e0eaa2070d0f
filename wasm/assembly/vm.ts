// The kernel VM: runs a FusedKernel compiled by wasm/vm.ts over blocks of up to 1024 elements.
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
const H_ACC = 116;
const H_ACC2 = 120;
const H_WORK = 124; // 384 bytes of VM work space (coordinates; up to 32 dims)

// input record: stype, ptr, offset, reg, flags, lastOff (state), baseOff (state), strides...
const R_HEAD: usize = 28;
// output record: stype, ptr, reg, flags
const O_SIZE: usize = 16;

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

// reductions
const RED_SUM = 0;
const RED_PROD = 1;
const RED_MAX = 2;
const RED_MIN = 3;
const RED_AND = 4;
const RED_OR = 5;
const RED_ARGMAX = 6;
const RED_ARGMIN = 7;
const L_F32 = 0;
const L_I32 = 1;
const L_U32 = 2;
const L_F64 = 3;
/** float32 sums add blocks of this many steps in f32, then flush into float64 lanes. */
const FLUSH_EVERY = 32;

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
 * coordinates of p in coord), with the record's base offset added.
 */
function loadInput(table: usize, scratch: usize, rec: usize, p: i32, n: i32, nd: i32, dims: usize, coord: usize, work: usize): void {
  const st = load<i32>(rec);
  const ptr = load<usize>(rec, 4);
  const reg = load<i32>(rec, 12);
  const flags = load<i32>(rec, 16);
  const dst = regAddr(scratch, reg);
  let off = load<i32>(rec, 8) + load<i32>(rec, 24);
  if (flags & F_INVARIANT) {
    if (load<i32>(rec, 20) == off) return;
    store<i32>(rec, off, 20);
    setReg(table, reg, dst);
    seg(st, ptr, off, 0, dst, B);
    return;
  }
  if (flags & F_FLAT) {
    off += p;
    if ((flags & F_DIRECT) != 0 && (n & 3) == 0) {
      setReg(table, reg, ptr + (<usize>off << esh(st)));
      return;
    }
    setReg(table, reg, dst);
    seg(st, ptr, off, 1, dst, n);
    return;
  }
  setReg(table, reg, dst);
  const strides = rec + R_HEAD;
  for (let i = 0; i < nd; i++) {
    const c = load<i32>(coord + (<usize>i << 2));
    store<i32>(work + (<usize>i << 2), c);
    off += c * load<i32>(strides + (<usize>i << 2));
  }
  const last = nd - 1;
  const inner = load<i32>(dims + (<usize>last << 2));
  const sIn = load<i32>(strides + (<usize>last << 2));
  const ls = lsh(st);
  let c = load<i32>(work + (<usize>last << 2));
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
// reductions

function accInit(op: i32, lane: i32, acc: usize, acc2: usize, nl: i32): void {
  // nl lanes (a multiple of 4, at least 4)
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
  // acc2: float64 partial sums (float32 sum) or indices (arg reductions)
  if (op >= RED_ARGMAX || (op == RED_SUM && lane == L_F32)) {
    const z = i32x4.splat(0);
    for (let i: usize = 0; i < <usize>nl << 3; i += 16) v128.store(acc2 + i, z);
  }
}

/** acc2 (f64 lanes) += acc (f32 lanes); acc = 0. Over nl lanes (multiple of 4). */
function flushF32(acc: usize, acc2: usize, nl: i32): void {
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
function vacc(code: i32, acc: usize, src: usize, n: i32): void {
  // lane-wise accumulate, vector part
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) {
    const o = <usize>i << 2;
    const a = v128.load(acc + o);
    const x = v128.load(src + o);
    let r: v128;
    switch (code) {
      case RED_SUM * 4 + L_F32: r = f32x4.add(a, x); break;
      case RED_PROD * 4 + L_F32: r = f32x4.mul(a, x); break;
      case RED_MAX * 4 + L_F32: r = f32x4.max(a, x); break;
      case RED_MIN * 4 + L_F32: r = f32x4.min(a, x); break;
      case RED_SUM * 4 + L_I32: r = i32x4.add(a, x); break;
      case RED_PROD * 4 + L_I32: r = i32x4.mul(a, x); break;
      case RED_MAX * 4 + L_I32: r = i32x4.max_s(a, x); break;
      case RED_MIN * 4 + L_I32: r = i32x4.min_s(a, x); break;
      case RED_MAX * 4 + L_U32: r = i32x4.max_u(a, x); break;
      case RED_MIN * 4 + L_U32: r = i32x4.min_u(a, x); break;
      case RED_AND * 4 + L_I32: r = v128.and(a, x); break;
      case RED_OR * 4 + L_I32: r = v128.or(a, x); break;
      default: r = a;
    }
    v128.store(acc + o, r);
  }
  for (let i = n4; i < n; i++) {
    const o = <usize>i << 2;
    switch (code) {
      case RED_SUM * 4 + L_F32: store<f32>(acc + o, load<f32>(acc + o) + load<f32>(src + o)); break;
      case RED_PROD * 4 + L_F32: store<f32>(acc + o, load<f32>(acc + o) * load<f32>(src + o)); break;
      case RED_MAX * 4 + L_F32: store<f32>(acc + o, max<f32>(load<f32>(acc + o), load<f32>(src + o))); break;
      case RED_MIN * 4 + L_F32: store<f32>(acc + o, min<f32>(load<f32>(acc + o), load<f32>(src + o))); break;
      case RED_SUM * 4 + L_I32: store<i32>(acc + o, load<i32>(acc + o) + load<i32>(src + o)); break;
      case RED_PROD * 4 + L_I32: store<i32>(acc + o, load<i32>(acc + o) * load<i32>(src + o)); break;
      case RED_MAX * 4 + L_I32: store<i32>(acc + o, max<i32>(load<i32>(acc + o), load<i32>(src + o))); break;
      case RED_MIN * 4 + L_I32: store<i32>(acc + o, min<i32>(load<i32>(acc + o), load<i32>(src + o))); break;
      case RED_MAX * 4 + L_U32: store<u32>(acc + o, max<u32>(load<u32>(acc + o), load<u32>(src + o))); break;
      case RED_MIN * 4 + L_U32: store<u32>(acc + o, min<u32>(load<u32>(acc + o), load<u32>(src + o))); break;
      case RED_AND * 4 + L_I32: store<i32>(acc + o, load<i32>(acc + o) & load<i32>(src + o)); break;
      case RED_OR * 4 + L_I32: store<i32>(acc + o, load<i32>(acc + o) | load<i32>(src + o)); break;
    }
  }
}

// @ts-ignore: decorator
@inline
function vacc64(op: i32, acc: usize, src: usize, n: i32): void {
  const n2 = n & ~1;
  for (let i = 0; i < n2; i += 2) {
    const o = <usize>i << 3;
    const a = v128.load(acc + o);
    const x = v128.load(src + o);
    let r: v128;
    switch (op) {
      case RED_SUM: r = f64x2.add(a, x); break;
      case RED_PROD: r = f64x2.mul(a, x); break;
      case RED_MAX: r = f64x2.max(a, x); break;
      default: r = f64x2.min(a, x);
    }
    v128.store(acc + o, r);
  }
  if (n2 < n) {
    const o = <usize>n2 << 3;
    const a = load<f64>(acc + o);
    const x = load<f64>(src + o);
    let r: f64;
    switch (op) {
      case RED_SUM: r = a + x; break;
      case RED_PROD: r = a * x; break;
      case RED_MAX: r = max<f64>(a, x); break;
      default: r = min<f64>(a, x);
    }
    store<f64>(acc + o, r);
  }
}

/** True when candidate v (index i) beats the current best bv (index bi). */
// @ts-ignore: decorator
@inline
function argBetterF(isMax: bool, v: f64, i: i32, bv: f64, bi: i32): bool {
  if (v != v) return bv == bv || i < bi;
  if (bv != bv) return false;
  if (v == bv) return i < bi;
  return isMax ? v > bv : v < bv;
}

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

let gSteps: i32 = 0;

/** Accumulates n lanes of src (indices ibase + k * istep for arg reductions). */
function accStep(op: i32, lane: i32, acc: usize, acc2: usize, src: usize, n: i32, ibase: i32, istep: i32, nl: i32): void {
  if (op >= RED_ARGMAX) {
    argStep(op, lane, acc, acc2, src, n, ibase, istep);
    return;
  }
  if (lane == L_F64) {
    switch (op) {
      case RED_SUM: vacc64(RED_SUM, acc, src, n); break;
      case RED_PROD: vacc64(RED_PROD, acc, src, n); break;
      case RED_MAX: vacc64(RED_MAX, acc, src, n); break;
      default: vacc64(RED_MIN, acc, src, n);
    }
    return;
  }
  const l = lane == L_U32 && (op == RED_SUM || op == RED_PROD || op == RED_AND || op == RED_OR) ? L_I32 : lane;
  switch (op * 4 + l) {
    case RED_SUM * 4 + L_F32: {
      vacc(RED_SUM * 4 + L_F32, acc, src, n);
      if (++gSteps >= FLUSH_EVERY) {
        flushF32(acc, acc2, nl);
        gSteps = 0;
      }
      break;
    }
    case RED_PROD * 4 + L_F32: vacc(RED_PROD * 4 + L_F32, acc, src, n); break;
    case RED_MAX * 4 + L_F32: vacc(RED_MAX * 4 + L_F32, acc, src, n); break;
    case RED_MIN * 4 + L_F32: vacc(RED_MIN * 4 + L_F32, acc, src, n); break;
    case RED_SUM * 4 + L_I32: vacc(RED_SUM * 4 + L_I32, acc, src, n); break;
    case RED_PROD * 4 + L_I32: vacc(RED_PROD * 4 + L_I32, acc, src, n); break;
    case RED_MAX * 4 + L_I32: vacc(RED_MAX * 4 + L_I32, acc, src, n); break;
    case RED_MIN * 4 + L_I32: vacc(RED_MIN * 4 + L_I32, acc, src, n); break;
    case RED_MAX * 4 + L_U32: vacc(RED_MAX * 4 + L_U32, acc, src, n); break;
    case RED_MIN * 4 + L_U32: vacc(RED_MIN * 4 + L_U32, acc, src, n); break;
    case RED_AND * 4 + L_I32: vacc(RED_AND * 4 + L_I32, acc, src, n); break;
    case RED_OR * 4 + L_I32: vacc(RED_OR * 4 + L_I32, acc, src, n); break;
  }
}

/** Outer mode: the lane-wise results (n lanes) into red. */
function accFinishLanes(op: i32, lane: i32, acc: usize, acc2: usize, red: usize, n: i32): void {
  const n4 = (n + 3) & ~3;
  if (op >= RED_ARGMAX) {
    memory.copy(red, acc2, <usize>n4 << 2);
  } else if (op == RED_SUM && lane == L_F32) {
    flushF32(acc, acc2, n4);
    gSteps = 0;
    for (let i = 0; i < n4; i += 2) {
      const v = f32x4.demote_f64x2_zero(v128.load(acc2 + (<usize>i << 3)));
      v128.store64_lane(red + (<usize>i << 2), v, 0);
    }
  } else {
    memory.copy(red, acc, <usize>n4 << lsh(lane == L_F64 ? S_F64 : S_F32));
  }
}

/** Inner mode: combines the nl lanes into one value stored at lane j of red. */
function accFinishScalar(op: i32, lane: i32, acc: usize, acc2: usize, red: usize, j: i32, nl: i32): void {
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
      if (k == 0 || argBetterF(isMax, v, i, bv, bi)) {
        bv = v;
        bi = i;
      }
    }
    store<i32>(red + (o << 2), bi);
    return;
  }
  if (lane == L_F64) {
    let r = load<f64>(acc);
    for (let k = 1; k < nl; k++) {
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
      flushF32(acc, acc2, (nl + 3) & ~3);
      gSteps = 0;
      let s: f64 = 0;
      for (let k = 0; k < nl; k++) s += load<f64>(acc2 + (<usize>k << 3));
      store<f32>(red + (o << 2), <f32>s);
      return;
    }
    let r = load<f32>(acc);
    for (let k = 1; k < nl; k++) {
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
  for (let k = 1; k < nl; k++) {
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

// ------------------------------------------------------------------------------------------

/** Runs the program described at d (see wasm/vm.ts). */
export function vmRun(d: usize): void {
  const table = load<usize>(d, H_TABLE);
  const scratch = load<usize>(d, H_SCRATCH);
  const nregs = load<i32>(d, H_NREGS);
  for (let r = 0; r < nregs; r++) setReg(table, r, regAddr(scratch, r));
  const npro = load<i32>(d, H_NPRO);
  if (npro > 0) exec(table, load<usize>(d, H_PRO), npro, B);
  gSteps = 0;

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
  const recSize = R_HEAD + (<usize>(wn + bn) << 2);
  const work = d + H_WORK;

  if (mode == 0) {
    for (let p = 0; p < wtotal; p += B) {
      const n = min(B, wtotal - p);
      loadAll(table, scratch, inrec, nin, recSize, p, n, wn, wdims, work);
      mapOutputs(table, scratch, outrec, nout, p, n);
      exec(table, code, ncode, n);
      storeOutputs(table, outrec, nout, p, n);
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
  const argReg = load<i32>(d, H_ARG);
  const red = regAddr(scratch, load<i32>(d, H_RED));
  const acc = regAddr(scratch, load<i32>(d, H_ACC));
  const acc2 = regAddr(scratch, load<i32>(d, H_ACC2));
  const bcoord = work + 256;
  const argAddr = table + (<usize>argReg << 2);

  if (mode == 1) {
    // outer: blocks of kept elements (walk), reduced positions in the base loop
    for (let p = 0; p < wtotal; p += B) {
      const n = min(B, wtotal - p);
      const nl = (n + 3) & ~3;
      accInit(op, lane, acc, acc2, nl);
      gSteps = 0;
      baseReset(inrec, nin, recSize, bcoord, bn);
      for (let r = 0; r < btotal; r++) {
        loadAll(table, scratch, inrec, nin, recSize, p, n, wn, wdims, work);
        exec(table, code, ncode, n);
        accStep(op, lane, acc, acc2, load<usize>(argAddr), n, r, 0, nl);
        baseNext(inrec, nin, recSize, bcoord, bn, bdims, wn);
      }
      accFinishLanes(op, lane, acc, acc2, red, n);
      loadAll(table, scratch, einrec, nein, erecSize, p, n, en, edims, work);
      mapOutputs(table, scratch, outrec, nout, p, n);
      exec(table, epi, nepi, n);
      storeOutputs(table, outrec, nout, p, n);
    }
    return;
  }

  // inner: kept positions in the base loop, blocks of the reduced range (walk)
  const nl = wtotal < B ? max((wtotal + 3) & ~3, 4) : B;
  baseReset(inrec, nin, recSize, bcoord, bn);
  for (let ob = 0; ob < ototal; ob += B) {
    const cnt = min(B, ototal - ob);
    for (let j = 0; j < cnt; j++) {
      accInit(op, lane, acc, acc2, nl);
      gSteps = 0;
      for (let q = 0; q < wtotal; q += B) {
        const n = min(B, wtotal - q);
        loadAll(table, scratch, inrec, nin, recSize, q, n, wn, wdims, work);
        exec(table, code, ncode, n);
        accStep(op, lane, acc, acc2, load<usize>(argAddr), n, q, 1, nl);
      }
      accFinishScalar(op, lane, acc, acc2, red, j, wtotal < B ? wtotal : B);
      baseNext(inrec, nin, recSize, bcoord, bn, bdims, wn);
    }
    loadAll(table, scratch, einrec, nein, erecSize, ob, cnt, en, edims, work);
    mapOutputs(table, scratch, outrec, nout, ob, cnt);
    exec(table, epi, nepi, cnt);
    storeOutputs(table, outrec, nout, ob, cnt);
  }
}
