// Strided copy, fill, cumulative ops and searchsorted (wasm/routines.ts) against plain JS
// references, bit for bit, over many shapes, strides and dtypes.
import { describe, expect, it } from "vitest";
import { wasm } from "../../wasm/instance.js";
import {
  copyStrided,
  cumulative,
  fill,
  fromFloat16Bits,
  searchsorted,
  toFloat16Bits,
  type CumulativeOp,
} from "../../wasm/routines.js";
import type { DType } from "../../ts/runtime/kernel.js";
import { bytesOf, CTOR, DTYPES, getTA, indices, put, rng, type TA } from "./helpers.js";

const asBytes = (a: TA) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function randomData(dtype: DType, n: number, r: () => number): TA {
  const a = new CTOR[dtype](n);
  for (let i = 0; i < n; i++) {
    const u = r();
    switch (dtype) {
      case "float32": case "float64": {
        const sp = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2];
        a[i] = u < 0.2 ? sp[Math.floor(r() * sp.length)] : (r() - 0.5) * 8;
        break;
      }
      case "float16": {
        const sp = [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3c00, 0xbc00, 0x0001, 0x7bff];
        a[i] = u < 0.2 ? sp[Math.floor(r() * sp.length)] : toFloat16Bits((r() - 0.5) * 8);
        break;
      }
      case "bool": a[i] = r() < 0.5 ? 1 : 0; break;
      default: a[i] = Math.floor((r() - 0.5) * 2 ** 33); // wraps into the dtype
    }
  }
  return a;
}

/** Element-wise equality of two typed arrays, reporting the first difference (fast for big arrays). */
function expectEqualArrays(got: ArrayLike<number>, exp: ArrayLike<number>, what = ""): void {
  expect(got.length).toBe(exp.length);
  for (let i = 0; i < exp.length; i++) {
    if (got[i] !== exp[i]) expect.fail(`${what} element ${i}: got ${got[i]}, expected ${exp[i]}`);
  }
}

// ---------------------------------------------------------------------------------------

describe("copyStrided", () => {
  const inst = wasm();

  /** A random view over `shape`: contiguous, permuted, padded, negative or broadcast strides. */
  function randomView(shape: number[], r: () => number, allowBroadcast: boolean): { strides: number[]; offset: number; span: number } {
    const nd = shape.length;
    const order = Array.from({ length: nd }, (_, i) => i);
    if (r() < 0.5) order.sort(() => r() - 0.5);
    const strides = new Array<number>(nd).fill(0);
    let acc = 1;
    for (let k = nd - 1; k >= 0; k--) {
      const d = order[k];
      const pad = r() < 0.3 ? 1 + Math.floor(r() * 3) : 1;
      strides[d] = acc * pad;
      acc *= shape[d] * pad + (r() < 0.2 ? 1 : 0);
    }
    let offset = 0;
    for (let d = 0; d < nd; d++) {
      if (allowBroadcast && r() < 0.15) strides[d] = 0;
      else if (r() < 0.3) strides[d] = -strides[d];
      if (strides[d] < 0) offset += Math.max(0, shape[d] - 1) * -strides[d];
    }
    let span = offset + 1;
    for (let d = 0; d < nd; d++) if (strides[d] > 0) span += Math.max(0, shape[d] - 1) * strides[d];
    return { strides, offset, span };
  }

  function refCopy(es: number, shape: number[], src: Uint8Array, sv: { strides: number[]; offset: number }, dst: Uint8Array, dv: { strides: number[]; offset: number }): void {
    for (const idx of indices(shape)) {
      let s = sv.offset, d = dv.offset;
      for (let k = 0; k < shape.length; k++) { s += idx[k] * sv.strides[k]; d += idx[k] * dv.strides[k]; }
      for (let b = 0; b < es; b++) dst[d * es + b] = src[s * es + b];
    }
  }

  for (const dtype of ["float32", "float64", "float16", "int8", "bool"] as DType[]) {
    it(`copies random strided views of ${dtype}`, () => {
      const r = rng(100 + DTYPES.indexOf(dtype));
      const es = new CTOR[dtype](0).BYTES_PER_ELEMENT;
      for (let t = 0; t < 150; t++) {
        const nd = Math.floor(r() * 5);
        const big = t % 10 === 0 && nd <= 2;
        const shape = Array.from({ length: nd }, () => (r() < 0.1 ? (r() < 0.3 ? 0 : 1) : 1 + Math.floor(r() * (big ? 60 : 7))));
        const sv = randomView(shape, r, true);
        const dv = randomView(shape, r, false);
        const src = randomData(dtype, sv.span, r);
        const dst0 = randomData(dtype, dv.span, r);
        const sp = put(inst, src), dp = put(inst, dst0);
        copyStrided(inst, dtype, shape, { ptr: sp, ...sv }, { ptr: dp, ...dv });
        const expected = asBytes(dst0).slice();
        refCopy(es, shape, asBytes(src), sv, expected, dv);
        expectEqualArrays(bytesOf(inst, dp, dst0.byteLength), expected);
        inst.heap.free(sp); inst.heap.free(dp);
      }
    });
  }

  it("handles transposes (tiled), reversals, broadcasts, pad-like and concat-like writes", () => {
    const r = rng(7);
    for (const dtype of ["float32", "uint16", "float64", "uint8"] as DType[]) {
      const es = new CTOR[dtype](0).BYTES_PER_ELEMENT;
      // transpose of a 37 x 53 matrix
      const [m, n] = [37, 53];
      const a = randomData(dtype, m * n, r);
      const ap = put(inst, a), op = inst.heap.alloc(m * n * es);
      copyStrided(inst, dtype, [n, m], { ptr: ap, strides: [1, n] }, { ptr: op, strides: [m, 1] });
      const exp = new Uint8Array(m * n * es);
      refCopy(es, [n, m], asBytes(a), { strides: [1, n], offset: 0 }, exp, { strides: [m, 1], offset: 0 });
      expectEqualArrays(bytesOf(inst, op, m * n * es), exp);
      // reversal of a long run (SIMD path) with odd lengths
      for (const len of [1, 3, 15, 16, 17, 100, 1001]) {
        const v = randomData(dtype, len, r);
        const vp = put(inst, v), wp = inst.heap.alloc(len * es);
        copyStrided(inst, dtype, [len], { ptr: vp, strides: [-1], offset: len - 1 }, { ptr: wp, strides: [1] });
        const rev = asBytes(v).slice();
        refCopy(es, [len], asBytes(v), { strides: [-1], offset: len - 1 }, rev, { strides: [1], offset: 0 });
        expectEqualArrays(bytesOf(inst, wp, len * es), rev);
        // broadcast of one element along a run, and of a row along rows
        copyStrided(inst, dtype, [len], { ptr: vp, strides: [0], offset: 0 }, { ptr: wp, strides: [1] });
        const bc = new Uint8Array(len * es);
        refCopy(es, [len], asBytes(v), { strides: [0], offset: 0 }, bc, { strides: [1], offset: 0 });
        expectEqualArrays(bytesOf(inst, wp, len * es), bc);
        inst.heap.free(vp); inst.heap.free(wp);
      }
      // concatenate two [2, 3] blocks along axis 1 into [2, 6] (dst strides [6, 1], offsets 0 and 3)
      const x = randomData(dtype, 6, r), y = randomData(dtype, 6, r);
      const xp = put(inst, x), yp = put(inst, y), cp = inst.heap.alloc(12 * es);
      copyStrided(inst, dtype, [2, 3], { ptr: xp, strides: [3, 1] }, { ptr: cp, strides: [6, 1], offset: 0 });
      copyStrided(inst, dtype, [2, 3], { ptr: yp, strides: [3, 1] }, { ptr: cp, strides: [6, 1], offset: 3 });
      const cexp = new Uint8Array(12 * es);
      refCopy(es, [2, 3], asBytes(x), { strides: [3, 1], offset: 0 }, cexp, { strides: [6, 1], offset: 0 });
      refCopy(es, [2, 3], asBytes(y), { strides: [3, 1], offset: 0 }, cexp, { strides: [6, 1], offset: 3 });
      expectEqualArrays(bytesOf(inst, cp, 12 * es), cexp);
      // a scalar
      copyStrided(inst, dtype, [], { ptr: xp, strides: [], offset: 4 }, { ptr: cp, strides: [], offset: 1 });
      expectEqualArrays(bytesOf(inst, cp + es, es), asBytes(x).slice(4 * es, 5 * es));
      for (const p of [ap, op, xp, yp, cp]) inst.heap.free(p);
    }
  });

  it("rejects mismatched strides", () => {
    expect(() => copyStrided(inst, "float32", [2, 2], { ptr: 0, strides: [1] }, { ptr: 0, strides: [2, 1] })).toThrow(RangeError);
  });
});

describe("fill", () => {
  const inst = wasm();
  it("fills every dtype, every length, at unaligned addresses", () => {
    const cases: [DType, number | boolean, TA][] = [
      ["float32", 1.5, new Float32Array([1.5])],
      ["float32", NaN, new Float32Array([NaN])],
      ["float64", -0, new Float64Array([-0])],
      ["float16", 1 / 3, new Uint16Array([0x3555])],
      ["float16", 65519, new Uint16Array([0x7bff])],
      ["float16", 65520, new Uint16Array([0x7c00])],
      ["float16", 2 ** -25, new Uint16Array([0x0000])],
      ["float16", 3 * 2 ** -25, new Uint16Array([0x0002])],
      ["int32", -7, new Int32Array([-7])],
      ["uint32", 0xffffffff, new Uint32Array([0xffffffff])],
      ["int16", 40000, new Int16Array([40000])],
      ["uint16", -1, new Uint16Array([65535])],
      ["int8", 130, new Int8Array([130])],
      ["uint8", 255, new Uint8Array([255])],
      ["bool", true, new Uint8Array([1])],
    ];
    for (const [dtype, value, one] of cases) {
      const es = one.BYTES_PER_ELEMENT;
      for (const count of [0, 1, 2, 3, 7, 8, 15, 16, 17, 33, 64, 100, 1000]) {
        const p = inst.heap.alloc(count * es + 64);
        new Uint8Array(inst.heap.bytes, p, count * es + 64).fill(0xab);
        const at = p + es; // not 16-byte aligned
        fill(inst, dtype, at, count, value);
        const got = bytesOf(inst, p, count * es + 64);
        const exp = new Uint8Array(count * es + 64).fill(0xab);
        for (let i = 0; i < count; i++) exp.set(asBytes(one), es + i * es);
        expect(got).toEqual(exp);
        inst.heap.free(p);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------

function refCumulative(dtype: DType, op: CumulativeOp, a: TA, shape: number[], axis: number, reverse: boolean): TA {
  const out = new CTOR[dtype](a.length);
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  const len = shape[axis];
  const isFloat = dtype.startsWith("float");
  const f = (x: number, y: number): number => {
    if (dtype === "bool") {
      if (op === "sum" || op === "max") return x | y;
      return x & y;
    }
    if (op === "sum") return x + y;
    if (op === "prod") return isFloat ? x * y : Number(BigInt.asIntN(64, BigInt(x) * BigInt(y)) & 0xffffffffn);
    if (isFloat && (Number.isNaN(x) || Number.isNaN(y))) return NaN;
    return op === "max" ? Math.max(x, y) : Math.min(x, y);
  };
  const round = (v: number): number => (dtype === "float16" ? toFloat16Bits(v) : v); // storing wraps ints / rounds f32
  const dec = (v: number): number => (dtype === "float16" ? fromFloat16Bits(v) : v);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let l = 0; l < len; l++) {
        const ll = reverse ? len - 1 - l : l;
        const i = (o * len + ll) * inner + j;
        if (l === 0) out[i] = a[i];
        else out[i] = round(f(dec(acc), dec(a[i])));
        acc = out[i];
      }
    }
  }
  return out;
}

/** Equality of float results with NaN == NaN (any payload) and -0 != 0. */
function expectSame(dtype: DType, got: TA, exp: TA): void {
  if (dtype === "float32" || dtype === "float64" || dtype === "float16") {
    const g = Array.from(got, (v) => (dtype === "float16" ? fromFloat16Bits(v) : v));
    const e = Array.from(exp, (v) => (dtype === "float16" ? fromFloat16Bits(v) : v));
    for (let i = 0; i < g.length; i++) {
      if (!(Object.is(g[i], e[i]) || (Number.isNaN(g[i]) && Number.isNaN(e[i])))) {
        expect.fail(`${dtype} element ${i}: got ${g[i]}, expected ${e[i]}`);
      }
    }
  } else {
    expect(got).toEqual(exp);
  }
}

describe("cumulative", () => {
  const inst = wasm();
  const ops: CumulativeOp[] = ["sum", "prod", "max", "min"];
  for (const dtype of DTYPES) {
    it(`scans ${dtype} along every axis, both directions`, () => {
      const r = rng(300 + DTYPES.indexOf(dtype));
      const shapes = [[0], [1], [5], [37], [3, 0, 2], [4, 5], [2, 3, 17], [3, 33, 2], [2, 2, 2, 9], [1, 70, 1]];
      for (const shape of shapes) {
        for (let axis = 0; axis < shape.length; axis++) {
          for (const op of ops) {
            for (const reverse of [false, true]) {
              const size = shape.reduce((x, y) => x * y, 1);
              let a = randomData(dtype, size, r);
              if (op === "prod" && dtype.startsWith("float")) {
                // keep products finite-ish so that rounding, not overflow, is tested
                a = a.map((v) => (dtype === "float16" ? toFloat16Bits(1 + (r() - 0.5) / 4) : 1 + (r() - 0.5) / 4)) as TA;
              }
              const sp = put(inst, a), dp = inst.heap.alloc(Math.max(1, a.byteLength));
              cumulative(inst, { op, dtype, shape, axis, reverse, src: sp, dst: dp });
              const exp = refCumulative(dtype, op, a, shape, axis, reverse);
              expectSame(dtype, getTA(inst, dtype, dp, size), exp);
              // in place
              cumulative(inst, { op, dtype, shape, axis: axis - shape.length, reverse, src: sp, dst: sp });
              expectSame(dtype, getTA(inst, dtype, sp, size), exp);
              inst.heap.free(sp); inst.heap.free(dp);
            }
          }
        }
      }
    });
  }

  it("rounds float16 sums and products correctly (subnormals, ties, overflow)", () => {
    const r = rng(11);
    const m = 200000;
    const a = new Uint16Array(2 * m);
    for (let i = 0; i < 2 * m; i++) {
      const u = r();
      // all bit patterns, weighted towards subnormals and the largest finite values
      a[i] = u < 0.6 ? Math.floor(r() * 65536) : u < 0.8 ? Math.floor(r() * 0x800) | (r() < 0.5 ? 0x8000 : 0) : 0x7800 + Math.floor(r() * 0x400);
    }
    const p = put(inst, a), q = inst.heap.alloc(4 * m);
    for (const op of ["sum", "prod"] as CumulativeOp[]) {
      cumulative(inst, { op, dtype: "float16", shape: [m, 2], axis: 1, src: p, dst: q });
      const got = getTA(inst, "float16", q, 2 * m);
      for (let i = 0; i < m; i++) {
        const x = fromFloat16Bits(a[2 * i]), y = fromFloat16Bits(a[2 * i + 1]);
        const e = toFloat16Bits(op === "sum" ? x + y : x * y);
        const gv = fromFloat16Bits(got[2 * i + 1]), ev = fromFloat16Bits(e);
        if (!(Object.is(gv, ev) || (Number.isNaN(gv) && Number.isNaN(ev)))) expect.fail(`${x} ${op} ${y}: got ${gv}, expected ${ev}`);
      }
    }
    inst.heap.free(p); inst.heap.free(q);
  });

  it("propagates NaN through max/min and keeps int sums wrapping", () => {
    const a = new Float32Array([1, NaN, 3, -5]);
    const p = put(inst, a), q = inst.heap.alloc(16);
    cumulative(inst, { op: "max", dtype: "float32", shape: [4], axis: 0, src: p, dst: q });
    const got = getTA(inst, "float32", q, 4);
    expect(got[0]).toBe(1);
    expect(Number.isNaN(got[1]) && Number.isNaN(got[2]) && Number.isNaN(got[3])).toBe(true);
    const b = new Int8Array([100, 100, 100]);
    const bp = put(inst, b), bq = inst.heap.alloc(3);
    cumulative(inst, { op: "sum", dtype: "int8", shape: [3], axis: 0, src: bp, dst: bq });
    expect(Array.from(getTA(inst, "int8", bq, 3))).toEqual([100, -56, 44]);
    for (const x of [p, q, bp, bq]) inst.heap.free(x);
  });
});

// ---------------------------------------------------------------------------------------

describe("searchsorted", () => {
  const inst = wasm();
  const cmp = (x: number, y: number): number => {
    const xn = Number.isNaN(x), yn = Number.isNaN(y);
    if (xn || yn) return xn && yn ? 0 : xn ? 1 : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  for (const dtype of DTYPES) {
    it(`finds insertion points in ${dtype} with NaNs last and -0 == 0`, () => {
      const r = rng(500 + DTYPES.indexOf(dtype));
      for (const n of [0, 1, 2, 7, 64, 1000]) {
        const dec = (v: number) => (dtype === "float16" ? fromFloat16Bits(v) : v);
        const sorted = Array.from(randomData(dtype, n, r)).sort((x, y) => cmp(dec(x), dec(y)));
        const sa = new CTOR[dtype](n);
        sa.set(sorted);
        const q = randomData(dtype, 200, r);
        for (let i = 0; i < Math.min(n, 50); i++) q[i] = sa[Math.floor(r() * n)]; // exact hits
        const sp = put(inst, sa), qp = put(inst, q), op = inst.heap.alloc(200 * 4);
        for (const side of ["left", "right"] as const) {
          searchsorted(inst, { dtype, sorted: { ptr: sp, n }, queries: { ptr: qp, count: 200 }, side, out: op });
          const exp = Array.from(q, (v) => {
            let c = 0;
            for (const s of sorted) {
              const k = cmp(dec(s), dec(v));
              if (k < 0 || (side === "right" && k === 0)) c++;
            }
            return c;
          });
          expect(Array.from(getTA(inst, "int32", op, 200))).toEqual(exp);
        }
        for (const x of [sp, qp, op]) inst.heap.free(x);
      }
    });
  }
  it("treats -0 and 0 as equal and NaN as the largest", () => {
    const s = new Float32Array([-1, -0, 0, 0, 2, NaN, NaN]);
    const qs = new Float32Array([0, -0, NaN, Infinity, -Infinity]);
    const sp = put(inst, s), qp = put(inst, qs), op = inst.heap.alloc(20);
    searchsorted(inst, { dtype: "float32", sorted: { ptr: sp, n: 7 }, queries: { ptr: qp, count: 5 }, side: "left", out: op });
    expect(Array.from(getTA(inst, "int32", op, 5))).toEqual([1, 1, 5, 5, 0]);
    searchsorted(inst, { dtype: "float32", sorted: { ptr: sp, n: 7 }, queries: { ptr: qp, count: 5 }, side: "right", out: op });
    expect(Array.from(getTA(inst, "int32", op, 5))).toEqual([4, 4, 7, 5, 0]);
    for (const x of [sp, qp, op]) inst.heap.free(x);
  });
});
