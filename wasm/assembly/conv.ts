// Data movement for convolution on the CPU backend (the arithmetic is the GEMM in gemm.ts).
//
// im2col32/im2col64 gather, for a range of output positions p (flattened over the output's
// spatial dims, row-major), the window of input values each position sees into one row of
// a matrix: row p, column k = r·cg + c (r = flattened window position, c = input channel of
// the group). Padding, negative padding, window strides and lhs/rhs dilation are all folded
// into per-dimension tables that the host precomputes:
//   table_d[o·win_d + r_d] = element offset along dim d of the input value that output
//   coordinate o sees at window coordinate r_d, or a negative value when that value is
//   padding (or a hole of lhs dilation).
// copyStrided32/copyStrided64 copy an N-d strided block (weight re-layout, output scatter).
//
// Parameter block (i32 words) at `params` for im2col:
//   [0] nd
//   [1 + 3d] outSize_d, [2 + 3d] win_d, [3 + 3d] byte address of table_d
//   [1 + 3nd] byte address of rdec: R·nd i32, the byte offset r_d·4 of each window position
//   [2 + 3nd ...] work area: nd words (row pointers into the tables) + nd words (coordinates)

// @ts-ignore: decorator
@inline function word(params: usize, i: i32): i32 {
  return load<i32>(params + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function setWord(params: usize, i: i32, v: i32): void {
  store<i32>(params + (<usize>i << 2), v);
}

// Copies cg elements of size (1 << shift) from src (stride cs elements) to contiguous dst.
// @ts-ignore: decorator
@inline function copyChannels(dst: usize, src: usize, cs: i32, cg: i32, shift: i32): void {
  if (cs == 1) {
    const bytes = <usize>cg << shift;
    let o: usize = 0;
    for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
    for (; o < bytes; o += 4) store<u32>(dst + o, load<u32>(src + o));
  } else if (shift == 2) {
    const step = <usize>cs << 2;
    for (let c = 0; c < cg; c++) {
      store<u32>(dst + (<usize>c << 2), load<u32>(src));
      src += step;
    }
  } else {
    const step = <usize>cs << 3;
    for (let c = 0; c < cg; c++) {
      store<u64>(dst + (<usize>c << 3), load<u64>(src));
      src += step;
    }
  }
}

// @ts-ignore: decorator
@inline function zeroBytes(dst: usize, bytes: usize): void {
  let o: usize = 0;
  const z = i32x4.splat(0);
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, z);
  for (; o < bytes; o += 4) store<u32>(dst + o, 0);
}

// @ts-ignore: decorator
@inline function im2col(
  shift: i32, dst: usize, ldRow: i32, src: usize, cs: i32, cg: i32, R: i32,
  params: usize, p0: i32, np: i32,
): void {
  const nd = word(params, 0);
  const rdec = <usize>word(params, 1 + 3 * nd);
  const rowPtr = 2 + 3 * nd; // work words: table row pointers
  const coord = rowPtr + nd; // work words: output coordinates
  // Decompose p0 into coordinates (last dim fastest).
  let rem = p0;
  for (let d = nd - 1; d >= 0; d--) {
    const size = word(params, 1 + 3 * d);
    const o = size > 0 ? rem % size : 0;
    rem = size > 0 ? rem / size : 0;
    setWord(params, coord + d, o);
    setWord(params, rowPtr + d, word(params, 3 + 3 * d) + ((o * word(params, 2 + 3 * d)) << 2));
  }
  const rowBytes = <usize>ldRow << shift;
  const chanBytes = <usize>cg << shift;
  for (let row = 0; row < np; row++) {
    const drow = dst + <usize>row * rowBytes;
    if (nd == 1) {
      const t = <usize>word(params, rowPtr);
      for (let r = 0; r < R; r++) {
        const v = load<i32>(t + (<usize>r << 2));
        const d = drow + <usize>r * chanBytes;
        if (v < 0) zeroBytes(d, chanBytes);
        else copyChannels(d, src + (<usize>v << shift), cs, cg, shift);
      }
    } else if (nd == 2) {
      const t0 = <usize>word(params, rowPtr), t1 = <usize>word(params, rowPtr + 1);
      const w1 = word(params, 2 + 3);
      let r = 0;
      for (let r0 = 0; r0 < word(params, 2); r0++) {
        const v0 = load<i32>(t0 + (<usize>r0 << 2));
        for (let r1 = 0; r1 < w1; r1++, r++) {
          const v1 = load<i32>(t1 + (<usize>r1 << 2));
          const d = drow + <usize>r * chanBytes;
          if ((v0 | v1) < 0) zeroBytes(d, chanBytes);
          else copyChannels(d, src + (<usize>(v0 + v1) << shift), cs, cg, shift);
        }
      }
    } else {
      for (let r = 0; r < R; r++) {
        let off = 0, flag = 0;
        const rd = rdec + <usize>(r * nd) * 4;
        for (let d = 0; d < nd; d++) {
          const v = load<i32>(<usize>word(params, rowPtr + d) + <usize>load<i32>(rd + (<usize>d << 2)));
          off += v;
          flag |= v;
        }
        const d = drow + <usize>r * chanBytes;
        if (flag < 0) zeroBytes(d, chanBytes);
        else copyChannels(d, src + (<usize>off << shift), cs, cg, shift);
      }
    }
    // Next output position.
    for (let d = nd - 1; d >= 0; d--) {
      const size = word(params, 1 + 3 * d);
      const win = word(params, 2 + 3 * d);
      let o = word(params, coord + d) + 1;
      if (o < size) {
        setWord(params, coord + d, o);
        setWord(params, rowPtr + d, word(params, rowPtr + d) + (win << 2));
        break;
      }
      setWord(params, coord + d, 0);
      setWord(params, rowPtr + d, word(params, 3 + 3 * d));
    }
  }
}

/** im2col for 4-byte elements (float32, int32): rows p0 … p0+np-1 of the window matrix. */
export function im2col32(
  dst: usize, ldRow: i32, src: usize, cs: i32, cg: i32, R: i32, params: usize, p0: i32, np: i32,
): void {
  im2col(2, dst, ldRow, src, cs, cg, R, params, p0, np);
}

/** im2col for 8-byte elements (float64). */
export function im2col64(
  dst: usize, ldRow: i32, src: usize, cs: i32, cg: i32, R: i32, params: usize, p0: i32, np: i32,
): void {
  im2col(3, dst, ldRow, src, cs, cg, R, params, p0, np);
}

// Strided N-d copy. params (i32 words): [0] nd, then per dim d: size, src stride, dst stride
// (elements), then nd work words.
// @ts-ignore: decorator
@inline function copyStrided(shift: i32, dst: usize, src: usize, params: usize): void {
  const nd = word(params, 0);
  if (nd == 0) {
    if (shift == 2) store<u32>(dst, load<u32>(src));
    else store<u64>(dst, load<u64>(src));
    return;
  }
  for (let d = 0; d < nd; d++) if (word(params, 1 + 3 * d) <= 0) return;
  const work = 1 + 3 * nd;
  for (let d = 0; d < nd; d++) setWord(params, work + d, 0);
  const last = nd - 1;
  const n = word(params, 1 + 3 * last);
  const ss = <usize>word(params, 2 + 3 * last) << shift;
  const ds = <usize>word(params, 3 + 3 * last) << shift;
  while (true) {
    let s = src, t = dst;
    if (shift == 2) {
      if (ss == 4 && ds == 4) {
        memory.copy(t, s, <usize>n << 2);
      } else {
        for (let i = 0; i < n; i++) {
          store<u32>(t, load<u32>(s));
          s += ss;
          t += ds;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        store<u64>(t, load<u64>(s));
        s += ss;
        t += ds;
      }
    }
    // Advance the outer dims.
    let d = last - 1;
    for (; d >= 0; d--) {
      const size = word(params, 1 + 3 * d);
      const sS = <usize>word(params, 2 + 3 * d) << shift;
      const dS = <usize>word(params, 3 + 3 * d) << shift;
      const o = word(params, work + d) + 1;
      if (o < size) {
        setWord(params, work + d, o);
        src += sS;
        dst += dS;
        break;
      }
      setWord(params, work + d, 0);
      src -= <usize>(size - 1) * sS;
      dst -= <usize>(size - 1) * dS;
    }
    if (d < 0) return;
  }
}

/** Copies an N-d block of 4-byte elements between strided layouts. */
export function copyStrided32(dst: usize, src: usize, params: usize): void {
  copyStrided(2, dst, src, params);
}

/** Copies an N-d block of 8-byte elements between strided layouts. */
export function copyStrided64(dst: usize, src: usize, params: usize): void {
  copyStrided(3, dst, src, params);
}

// Depthwise float32 convolution (one input channel per group, `mult` outputs per channel),
// direct and vectorized over channels. params (i32 words):
//   [0] nd, then per dim d: [1 + 4d] outSize, [2 + 4d] win, [3 + 4d] table address,
//   [4 + 4d] output stride (elements); then nd work words (table row pointers) and nd
//   work words (coordinates). Tables as for im2col.
// src: lhs at (batch, channel 0), rebased as for im2col; cs: channel stride. w: weights as
// [R][mult][C] contiguous. Output channel o = c·mult + m at out + o·os + (position offset).
// taps: scratch of R i32 (the input offsets of the current position's window).

// @ts-ignore: decorator
@inline function gather4(x: usize, step: usize): v128 {
  return f32x4(load<f32>(x), load<f32>(x + step), load<f32>(x + 2 * step), load<f32>(x + 3 * step));
}

// @ts-ignore: decorator
@inline function put4(t: usize, v: v128, step: usize, contiguous: bool): void {
  if (contiguous) {
    v128.store(t, v);
  } else {
    store<f32>(t, f32x4.extract_lane(v, 0));
    store<f32>(t + step, f32x4.extract_lane(v, 1));
    store<f32>(t + 2 * step, f32x4.extract_lane(v, 2));
    store<f32>(t + 3 * step, f32x4.extract_lane(v, 3));
  }
}

export function dwConv32(
  out: usize, os: i32, src: usize, cs: i32, C: i32, mult: i32, w: usize, R: i32,
  params: usize, taps: usize,
): void {
  const nd = word(params, 0);
  const rowPtr = 1 + 4 * nd;
  const coord = rowPtr + nd;
  let P = 1;
  for (let d = 0; d < nd; d++) {
    P *= word(params, 1 + 4 * d);
    setWord(params, rowPtr + d, word(params, 3 + 4 * d));
    setWord(params, coord + d, 0);
  }
  if (P <= 0) return;
  const cBytes = <usize>C << 2;
  const rStep = <usize>(mult * C) << 2; // weights of one window position
  const xstep = <usize>cs << 2;
  const xcs = cs == 1;
  const ostep = <usize>(os * mult) << 2; // between consecutive channels c of one m
  const ocont = os == 1 && mult == 1;
  let pOff: i32 = 0; // output element offset of the current position
  for (let p = 0; p < P; p++) {
    // This position's window: input offsets (or -1).
    let nt = 0;
    for (let r = 0; r < R; r++) {
      let off = 0, flag = 0, rr = r;
      for (let d = nd - 1; d >= 0; d--) {
        const win = word(params, 2 + 4 * d);
        const q = rr % win;
        rr /= win;
        const v = load<i32>(<usize>word(params, rowPtr + d) + (<usize>q << 2));
        off += v;
        flag |= v;
      }
      store<i32>(taps + (<usize>r << 2), flag < 0 ? -1 : off);
    }
    const dst = out + (<usize>pOff << 2);
    for (let m = 0; m < mult; m++) {
      const wm = w + <usize>m * cBytes;
      const dm = dst + (<usize>(m * os) << 2);
      let c = 0;
      for (; c + 16 <= C; c += 16) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
        const xc = src + <usize>c * xstep;
        let wp = wm + (<usize>c << 2);
        for (let r = 0; r < R; r++) {
          const off = load<i32>(taps + (<usize>r << 2));
          if (off >= 0) {
            const x = xc + (<usize>off << 2);
            if (xcs) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(x), v128.load(wp)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(x, 16), v128.load(wp, 16)));
              a2 = f32x4.add(a2, f32x4.mul(v128.load(x, 32), v128.load(wp, 32)));
              a3 = f32x4.add(a3, f32x4.mul(v128.load(x, 48), v128.load(wp, 48)));
            } else {
              a0 = f32x4.add(a0, f32x4.mul(gather4(x, xstep), v128.load(wp)));
              a1 = f32x4.add(a1, f32x4.mul(gather4(x + 4 * xstep, xstep), v128.load(wp, 16)));
              a2 = f32x4.add(a2, f32x4.mul(gather4(x + 8 * xstep, xstep), v128.load(wp, 32)));
              a3 = f32x4.add(a3, f32x4.mul(gather4(x + 12 * xstep, xstep), v128.load(wp, 48)));
            }
          }
          wp += rStep;
        }
        const t = dm + <usize>c * ostep;
        put4(t, a0, ostep, ocont);
        put4(t + 4 * ostep, a1, ostep, ocont);
        put4(t + 8 * ostep, a2, ostep, ocont);
        put4(t + 12 * ostep, a3, ostep, ocont);
      }
      for (; c + 4 <= C; c += 4) {
        let a0 = f32x4.splat(0);
        const xc = src + <usize>c * xstep;
        let wp = wm + (<usize>c << 2);
        for (let r = 0; r < R; r++) {
          const off = load<i32>(taps + (<usize>r << 2));
          if (off >= 0) {
            const x = xc + (<usize>off << 2);
            a0 = f32x4.add(a0, f32x4.mul(xcs ? v128.load(x) : gather4(x, xstep), v128.load(wp)));
          }
          wp += rStep;
        }
        put4(dm + <usize>c * ostep, a0, ostep, ocont);
      }
      for (; c < C; c++) {
        let a: f32 = 0;
        const xc = src + <usize>c * xstep;
        let wp = wm + (<usize>c << 2);
        for (let r = 0; r < R; r++) {
          const off = load<i32>(taps + (<usize>r << 2));
          if (off >= 0) a += load<f32>(xc + (<usize>off << 2)) * load<f32>(wp);
          wp += rStep;
        }
        store<f32>(dm + <usize>c * ostep, a);
      }
    }
    // Next output position.
    for (let d = nd - 1; d >= 0; d--) {
      const size = word(params, 1 + 4 * d);
      const o = word(params, coord + d) + 1;
      if (o < size) {
        setWord(params, coord + d, o);
        setWord(params, rowPtr + d, word(params, rowPtr + d) + (word(params, 2 + 4 * d) << 2));
        pOff += word(params, 4 + 4 * d);
        break;
      }
      setWord(params, coord + d, 0);
      setWord(params, rowPtr + d, word(params, 3 + 4 * d));
      pOff -= (size - 1) * word(params, 4 + 4 * d);
    }
  }
}
