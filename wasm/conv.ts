// Host side of convolution on the CPU backend: lax.conv_general_dilated on operands in
// canonical layout (lhs [N, C, spatial…], rhs [O, I, spatial…], out [N', O, spatial'…]),
// each with arbitrary element strides so that the frontend's transposes need no copies.
//
// Method: per output batch, group and chunk of output positions, the input windows are
// gathered into a matrix (im2col, wasm/assembly/conv.ts) and multiplied with the weights
// by the packed GEMM (wasm/gemm.ts). All of padding (also negative), window strides and
// both dilations live in small per-dimension index tables built here.
import type { WasmInstance } from "./instance.js";
import { matmul, type GemmDtype } from "./gemm.js";

export interface ConvOperand {
  /** Byte address of element [0, 0, 0, …]. */
  ptr: number;
  /** Canonical shape: lhs [N, C, spatial…], rhs [O, I, spatial…]. */
  shape: readonly number[];
  /** Element strides per canonical dimension (default: contiguous row-major). */
  strides?: readonly number[];
}

export interface ConvOutput {
  ptr: number;
  /** Element strides of the [N', O, spatial'…] output (default: contiguous row-major). */
  strides?: readonly number[];
}

export interface ConvOptions {
  windowStrides?: readonly number[];
  /** (lo, hi) per spatial dim; negative values crop. Default zeros. */
  padding?: readonly (readonly [number, number])[];
  lhsDilation?: readonly number[];
  rhsDilation?: readonly number[];
  featureGroupCount?: number;
  batchGroupCount?: number;
}

export interface ConvArgs extends ConvOptions {
  dtype: GemmDtype;
  lhs: ConvOperand;
  rhs: ConvOperand;
  out: ConvOutput;
}

interface Resolved {
  nd: number;
  ws: number[];
  pad: [number, number][];
  ld: number[];
  rd: number[];
  fg: number;
  bg: number;
  outShape: number[];
}

function err(msg: string): Error {
  return new Error(`edgejax: conv_general_dilated: ${msg}`);
}

function posInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw err(`${name} must be a positive integer, got ${v}`);
}

function resolve(lhsShape: readonly number[], rhsShape: readonly number[], o: ConvOptions): Resolved {
  const nd = lhsShape.length - 2;
  if (nd < 0) throw err(`lhs needs rank ≥ 2, got shape [${lhsShape}]`);
  if (rhsShape.length !== lhsShape.length) {
    throw err(`lhs and rhs ranks differ: [${lhsShape}] vs [${rhsShape}]`);
  }
  for (const s of [...lhsShape, ...rhsShape]) {
    if (!Number.isInteger(s) || s < 0) throw err(`bad dimension size ${s}`);
  }
  const ws = [...(o.windowStrides ?? new Array(nd).fill(1))];
  const pad = (o.padding ?? new Array(nd).fill([0, 0])).map((p) => [p[0], p[1]] as [number, number]);
  const ld = [...(o.lhsDilation ?? new Array(nd).fill(1))];
  const rd = [...(o.rhsDilation ?? new Array(nd).fill(1))];
  for (const [name, arr] of [["windowStrides", ws], ["padding", pad], ["lhsDilation", ld], ["rhsDilation", rd]] as const) {
    if (arr.length !== nd) throw err(`${name} needs ${nd} entries, got ${arr.length}`);
  }
  ws.forEach((v) => posInt("window stride", v));
  ld.forEach((v) => posInt("lhs dilation", v));
  rd.forEach((v) => posInt("rhs dilation", v));
  for (const [lo, hi] of pad) {
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw err(`padding must be integers, got (${lo}, ${hi})`);
  }
  const fg = o.featureGroupCount ?? 1;
  const bg = o.batchGroupCount ?? 1;
  posInt("feature_group_count", fg);
  posInt("batch_group_count", bg);
  if (fg > 1 && bg > 1) throw err("feature_group_count and batch_group_count cannot both exceed 1");
  const [N, C] = lhsShape;
  const [O, I] = rhsShape;
  if (C !== I * fg) {
    throw err(`lhs features (${C}) must equal rhs input features (${I}) × feature_group_count (${fg})`);
  }
  if (O % fg !== 0) throw err(`rhs output features (${O}) not divisible by feature_group_count (${fg})`);
  if (N % bg !== 0) throw err(`lhs batch (${N}) not divisible by batch_group_count (${bg})`);
  if (O % bg !== 0) throw err(`rhs output features (${O}) not divisible by batch_group_count (${bg})`);
  const outShape = [N / bg, O];
  for (let d = 0; d < nd; d++) {
    const inD = lhsShape[2 + d];
    const kD = rhsShape[2 + d];
    const din = inD === 0 ? 0 : (inD - 1) * ld[d] + 1;
    const padded = din + pad[d][0] + pad[d][1];
    const dk = kD === 0 ? 0 : (kD - 1) * rd[d] + 1;
    outShape.push(padded < dk ? 0 : Math.floor((padded - dk) / ws[d]) + 1);
  }
  return { nd, ws, pad, ld, rd, fg, bg, outShape };
}

/** Shape of conv_general_dilated's output [N', O, spatial'…] for canonical lhs/rhs shapes. */
export function convOutputShape(lhsShape: readonly number[], rhsShape: readonly number[], opts: ConvOptions = {}): number[] {
  return resolve(lhsShape, rhsShape, opts).outShape;
}

function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** The single stride that walks dims (row-major) as one flat index, or null if none does. */
function flatStride(sizes: readonly number[], strides: readonly number[]): number | null {
  let stride: number | null = null;
  let expect = 0;
  for (let i = sizes.length - 1; i >= 0; i--) {
    if (sizes[i] === 1) continue;
    if (stride === null) {
      stride = strides[i];
      expect = strides[i] * sizes[i];
    } else {
      if (strides[i] !== expect) return null;
      expect *= sizes[i];
    }
  }
  return stride ?? 1;
}

const COL_CHUNK_BYTES = 512 * 1024;

/** Writes an i32 parameter block and returns it (the caller frees). */
function writeWords(inst: WasmInstance, words: number[]): number {
  const p = inst.heap.alloc(words.length * 4);
  inst.heap.views().i32.set(words, p >> 2);
  return p;
}

function copyStrided(
  inst: WasmInstance, es: number, dst: number, src: number,
  sizes: readonly number[], srcStrides: readonly number[], dstStrides: readonly number[],
): void {
  const words = [sizes.length];
  for (let d = 0; d < sizes.length; d++) words.push(sizes[d], srcStrides[d], dstStrides[d]);
  for (let d = 0; d < sizes.length; d++) words.push(0);
  const params = writeWords(inst, words);
  (inst.exports[es === 8 ? "copyStrided64" : "copyStrided32"] as (a: number, b: number, c: number) => void)(dst, src, params);
  inst.heap.free(params);
}

/**
 * Per spatial dim d, table[o·win_d + r_d] = element offset (from the rebased lhs pointer) of
 * the input value output coordinate o sees at window coordinate r_d, or -1 for padding and
 * lhs-dilation holes. Offsets are rebased to be ≥ 0 even for negative strides.
 */
function indexTables(
  r: Resolved, lhs: ConvOperand, lS: readonly number[], win: readonly number[], es: number,
): { tables: number[][]; lhsBase: number } {
  let lhsBase = lhs.ptr;
  const tables: number[][] = [];
  for (let d = 0; d < r.nd; d++) {
    const inD = lhs.shape[2 + d];
    const st = lS[2 + d];
    const minOff = Math.min(0, (inD - 1) * st);
    lhsBase += minOff * es;
    const t: number[] = [];
    const din = inD === 0 ? 0 : (inD - 1) * r.ld[d] + 1;
    const outD = r.outShape[2 + d];
    for (let o = 0; o < outD; o++) {
      for (let q = 0; q < win[d]; q++) {
        const x = o * r.ws[d] + q * r.rd[d] - r.pad[d][0];
        t.push(x >= 0 && x < din && x % r.ld[d] === 0 ? (x / r.ld[d]) * st - minOff : -1);
      }
    }
    tables.push(t);
  }
  return { tables, lhsBase };
}

/** float32 depthwise convolution (feature groups = C, one input channel per group): direct. */
function depthwise(
  inst: WasmInstance, r: Resolved, lhs: ConvOperand, lS: readonly number[], rhs: ConvOperand,
  kS: readonly number[], outPtr: number, oS: readonly number[], alloc: (bytes: number) => number,
): void {
  const { nd, outShape } = r;
  const C = lhs.shape[1];
  const O = rhs.shape[0];
  const mult = O / C;
  const win = rhs.shape.slice(2);
  const R = win.reduce((a, b) => a * b, 1);
  // Weights as [R…][mult][C]: output channel o = c·mult + m.
  const wd = alloc(R * O * 4);
  if (R > 0) copyStrided(inst, 4, wd, rhs.ptr, [...win, mult, C], [...kS.slice(2), kS[0], kS[0] * mult], contiguous([...win, mult, C]));
  const { tables, lhsBase } = indexTables(r, lhs, lS, win, 4);
  const header = 1 + 6 * nd;
  const tableWords = tables.reduce((a, t) => a + t.length, 0);
  const params = alloc((header + tableWords) * 4);
  const words: number[] = [nd];
  let at = params + header * 4;
  for (let d = 0; d < nd; d++) {
    words.push(outShape[2 + d], win[d], at, oS[2 + d]);
    at += tables[d].length * 4;
  }
  for (let d = 0; d < 2 * nd; d++) words.push(0);
  for (const t of tables) for (const v of t) words.push(v);
  inst.heap.views().i32.set(words, params >> 2);
  const taps = alloc(R * 4);
  const fn = inst.exports.dwConv32 as (...x: number[]) => void;
  for (let n = 0; n < outShape[0]; n++) {
    fn(outPtr + n * oS[0] * 4, oS[1], lhsBase + n * lS[0] * 4, lS[1], C, mult, wd, R, params, taps);
  }
}

/**
 * out = conv_general_dilated(lhs, rhs) with XLA semantics: lhs dilation inserts ld-1 zeros
 * between input elements, padding (lo, hi) is then added (negative crops), the window is
 * dilated by rd and moved by the window strides; feature groups split C and O, batch groups
 * split N (group g takes lhs batches g·N/bg … (g+1)·N/bg - 1) and O.
 */
export function convGeneralDilated(inst: WasmInstance, args: ConvArgs): void {
  const { dtype, lhs, rhs, out } = args;
  if (dtype !== "float32" && dtype !== "float64" && dtype !== "int32") throw err(`unsupported dtype ${dtype}`);
  const es = dtype === "float64" ? 8 : 4;
  const r = resolve(lhs.shape, rhs.shape, args);
  const { nd, outShape, fg, bg } = r;
  const lS = lhs.strides ?? contiguous(lhs.shape);
  const kS = rhs.strides ?? contiguous(rhs.shape);
  const oS = out.strides ?? contiguous(outShape);
  if (lS.length !== lhs.shape.length || kS.length !== rhs.shape.length || oS.length !== outShape.length) {
    throw err("strides must have one entry per dimension");
  }
  const [Nout, O] = outShape;
  const outSp = outShape.slice(2);
  const P = outSp.reduce((a, b) => a * b, 1);
  if (Nout === 0 || O === 0 || P === 0) return;
  const I = rhs.shape[1];
  const win = rhs.shape.slice(2);
  const R = win.reduce((a, b) => a * b, 1);
  const K = R * I;
  const G = fg * bg;
  const Og = O / G;
  const nPerGroup = lhs.shape[0] / bg;

  const allocs: number[] = [];
  const alloc = (bytes: number): number => {
    const p = inst.heap.alloc(Math.max(bytes, 16));
    allocs.push(p);
    return p;
  };
  try {
    if (dtype === "float32" && fg > 1 && I === 1 && bg === 1) {
      depthwise(inst, r, lhs, lS, rhs, kS, out.ptr, oS, alloc);
      return;
    }

    // Weights as a contiguous [O, R·I] matrix, column k = r·I + c.
    const wmat = alloc(O * K * es);
    if (K > 0) {
      copyStrided(inst, es, wmat, rhs.ptr, [O, ...win, I], [kS[0], ...kS.slice(2), kS[1]], contiguous([O, ...win, I]));
    }

    // Index tables (see wasm/assembly/conv.ts).
    const { tables, lhsBase } = indexTables(r, lhs, lS, win, es);
    const headerWords = 2 + 5 * nd;
    const tableWords = tables.reduce((a, t) => a + t.length, 0);
    const params = alloc((headerWords + tableWords + R * nd) * 4);
    {
      const words: number[] = [nd];
      let at = params + headerWords * 4;
      const tableAt: number[] = [];
      for (let d = 0; d < nd; d++) {
        tableAt.push(at);
        at += tables[d].length * 4;
      }
      for (let d = 0; d < nd; d++) words.push(outSp[d], win[d], tableAt[d]);
      words.push(at); // rdec
      for (let d = 0; d < 2 * nd; d++) words.push(0);
      for (const t of tables) for (const v of t) words.push(v);
      const coords = new Array<number>(nd).fill(0);
      for (let q = 0; q < R; q++) {
        for (let d = 0; d < nd; d++) words.push(coords[d] * 4);
        for (let d = nd - 1; d >= 0; d--) {
          if (++coords[d] < win[d]) break;
          coords[d] = 0;
        }
      }
      inst.heap.views().i32.set(words, params >> 2);
    }

    // Where the GEMM writes: straight into out when its layout allows, else a temporary.
    const pFlat = flatStride(outSp, oS.slice(2));
    let mode: "OP" | "PO";
    let target = out.ptr;
    let tS = oS;
    let sP: number;
    if (pFlat === 1) {
      mode = "OP";
      sP = 1;
    } else if (pFlat !== null && oS[1] === 1) {
      mode = "PO";
      sP = pFlat;
    } else {
      mode = "OP";
      tS = contiguous(outShape);
      target = alloc(Nout * O * P * es);
      sP = 1;
    }

    // A 1×1 window over unpadded, undilated, unstrided input needs no im2col: the GEMM reads
    // the lhs (positions × channels) through its strides.
    const inSp = lhs.shape.slice(2);
    const pFlatIn =
      R === 1 && r.pad.every(([lo, hi]) => lo === 0 && hi === 0) && r.ld.every((v) => v === 1) &&
      r.ws.every((v) => v === 1)
        ? flatStride(inSp, lS.slice(2))
        : null;
    if (pFlatIn !== null && K > 0) {
      for (let n = 0; n < Nout; n++) {
        for (let g = 0; g < G; g++) {
          const nl = bg > 1 ? g * nPerGroup + n : n;
          const c0 = fg > 1 ? g * I : 0;
          const src = lhs.ptr + (nl * lS[0] + c0 * lS[1]) * es;
          const cBase = target + (n * tS[0] + g * Og * tS[1]) * es;
          const w = wmat + g * Og * K * es;
          if (mode === "OP") {
            matmul(inst, {
              dtype, batch: 1, m: Og, n: P, k: K,
              a: { ptr: w, batchStride: 0, rowStride: K, colStride: 1 },
              b: { ptr: src, batchStride: 0, rowStride: lS[1], colStride: pFlatIn },
              c: { ptr: cBase, batchStride: 0, rowStride: tS[1] },
            });
          } else {
            matmul(inst, {
              dtype, batch: 1, m: P, n: Og, k: K,
              a: { ptr: src, batchStride: 0, rowStride: pFlatIn, colStride: lS[1] },
              b: { ptr: w, batchStride: 0, rowStride: 1, colStride: K },
              c: { ptr: cBase, batchStride: 0, rowStride: sP },
            });
          }
        }
      }
      if (target !== out.ptr) copyStrided(inst, es, out.ptr, target, outShape, tS, oS);
      return;
    }

    const rowsPerChunk = Math.max(24, Math.floor(COL_CHUNK_BYTES / Math.max(1, K * es) / 24) * 24);
    const chunk = Math.min(P, rowsPerChunk);
    const col = alloc(chunk * K * es);
    const im2col = inst.exports[es === 8 ? "im2col64" : "im2col32"] as (...x: number[]) => void;
    for (let n = 0; n < Nout; n++) {
      for (let g = 0; g < G; g++) {
        const nl = bg > 1 ? g * nPerGroup + n : n;
        const c0 = fg > 1 ? g * I : 0;
        const src = lhsBase + (nl * lS[0] + c0 * lS[1]) * es;
        const cBase = target + (n * tS[0] + g * Og * tS[1]) * es;
        for (let p0 = 0; p0 < P; p0 += chunk) {
          const np = Math.min(chunk, P - p0);
          if (K > 0) im2col(col, K, src, lS[1], I, R, params, p0, np);
          if (mode === "OP") {
            matmul(inst, {
              dtype, batch: 1, m: Og, n: np, k: K,
              a: { ptr: wmat + g * Og * K * es, batchStride: 0, rowStride: K, colStride: 1 },
              b: { ptr: col, batchStride: 0, rowStride: 1, colStride: K },
              c: { ptr: cBase + p0 * sP * es, batchStride: 0, rowStride: tS[1] },
            });
          } else {
            matmul(inst, {
              dtype, batch: 1, m: np, n: Og, k: K,
              a: { ptr: col, batchStride: 0, rowStride: K, colStride: 1 },
              b: { ptr: wmat + g * Og * K * es, batchStride: 0, rowStride: 1, colStride: K },
              c: { ptr: cBase + p0 * sP * es, batchStride: 0, rowStride: sP },
            });
          }
        }
      }
    }
    if (target !== out.ptr) copyStrided(inst, es, out.ptr, target, outShape, tS, oS);
  } finally {
    for (const p of allocs) inst.heap.free(p);
  }
}
