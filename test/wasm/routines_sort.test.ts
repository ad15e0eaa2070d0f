// Sort routine (wasm/routines.ts sort) against a stable JS reference with JAX's order:
// -0.0 == 0.0, NaNs after +inf and equal to each other, lexicographic keys, stability.
import { describe, expect, it } from "vitest";
import { wasm } from "../../wasm/instance.js";
import { fromFloat16Bits, sort, toFloat16Bits } from "../../wasm/routines.js";
import type { DType } from "../../ts/runtime/kernel.js";
import { bytesOf, CTOR, DTYPES, getTA, put, rng, type TA } from "./helpers.js";

/** Random data with many ties and, for floats, ±0, ±inf and NaNs of both signs. */
function randomData(dtype: DType, n: number, r: () => number, distinct = 5): TA {
  const a = new CTOR[dtype](n);
  for (let i = 0; i < n; i++) {
    const u = r();
    const small = Math.floor(r() * distinct) - Math.floor(distinct / 2);
    switch (dtype) {
      case "float32": case "float64": {
        const specials = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1e30];
        a[i] = u < 0.3 ? specials[Math.floor(r() * specials.length)] : u < 0.6 ? small : (r() - 0.5) * 1e6;
        break;
      }
      case "float16": {
        const specials = [0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x0001, 0x8001, 0x7bff];
        a[i] = u < 0.3 ? specials[Math.floor(r() * specials.length)] : u < 0.6 ? toFloat16Bits(small) : toFloat16Bits((r() - 0.5) * 1000);
        break;
      }
      case "bool": a[i] = r() < 0.5 ? 1 : 0; break;
      case "uint8": case "uint16": case "uint32": case "int8": case "int16": case "int32":
        a[i] = u < 0.5 ? small : Math.floor((r() - 0.5) * 2 ** 33);
        break;
    }
  }
  if (dtype === "float32" || dtype === "float64") {
    // a NaN with the sign bit and one with a payload
    const bits = dtype === "float32" ? new Uint32Array(a.buffer) : new Uint32Array(a.buffer);
    const hi = dtype === "float32" ? 0 : 1;
    const w = dtype === "float32" ? 1 : 2;
    if (n > 2) { bits[0 * w + hi] = dtype === "float32" ? 0xffc00000 : 0xfff80000; }
    if (n > 5) { bits[3 * w + hi] = dtype === "float32" ? 0x7fc00123 : 0x7ff80123; }
  }
  return a;
}

function keyValue(dtype: DType, a: TA, i: number): number {
  const v = dtype === "float16" ? fromFloat16Bits(a[i]) : a[i];
  return v;
}

/** JAX's comparator as a three-way compare: NaN largest, -0 == 0. */
function cmp(x: number, y: number): number {
  const xn = Number.isNaN(x), yn = Number.isNaN(y);
  if (xn || yn) return xn && yn ? 0 : xn ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function refPerm(keys: { dtype: DType; data: TA }[], rows: number, n: number): Int32Array {
  const out = new Int32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((i, j) => {
      for (const k of keys) {
        const c = cmp(keyValue(k.dtype, k.data, r * n + i), keyValue(k.dtype, k.data, r * n + j));
        if (c !== 0) return c;
      }
      return i - j;
    });
    out.set(idx, r * n);
  }
  return out;
}

function permuteRef(a: TA, perm: Int32Array, rows: number, n: number): Uint8Array {
  const es = a.BYTES_PER_ELEMENT;
  const src = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      const s = (r * n + perm[r * n + j]) * es, d = (r * n + j) * es;
      for (let b = 0; b < es; b++) out[d + b] = src[s + b];
    }
  }
  return out;
}

/** Element-wise equality of two typed arrays, reporting the first difference (fast for big arrays). */
function expectEqualArrays(got: ArrayLike<number>, exp: ArrayLike<number>, what = ""): void {
  expect(got.length).toBe(exp.length);
  for (let i = 0; i < exp.length; i++) {
    if (got[i] !== exp[i] && !(Number.isNaN(got[i]) && Number.isNaN(exp[i]))) {
      expect.fail(`${what} element ${i}: got ${got[i]}, expected ${exp[i]}`);
    }
  }
}

describe("sort", () => {
  const inst = wasm();

  for (const dtype of DTYPES) {
    it(`sorts ${dtype} stably with JAX's order, with an iota carried (argsort)`, () => {
      const r = rng(17 + DTYPES.indexOf(dtype));
      for (const [rows, n] of [[1, 0], [0, 5], [1, 1], [3, 1], [1, 2], [4, 7], [2, 24], [3, 25], [2, 100], [1, 384], [2, 385], [1, 1000], [1, 5000]]) {
        const data = randomData(dtype, rows * n, r, n > 100 ? 50 : 5);
        const iota = new Int32Array(rows * n).map((_, i) => i % Math.max(n, 1));
        const src = put(inst, data), carried = put(inst, iota);
        const dst = inst.heap.alloc(Math.max(1, data.byteLength));
        const perm = inst.heap.alloc(Math.max(1, rows * n * 4));
        sort(inst, {
          shape: [rows, n],
          operands: [{ dtype, src, dst }, { dtype: "int32", src: carried, dst: carried }],
          perm,
        });
        const expected = refPerm([{ dtype, data }], rows, n);
        expectEqualArrays(getTA(inst, "int32", carried, rows * n), expected);
        expectEqualArrays(getTA(inst, "int32", perm, rows * n), expected);
        expectEqualArrays(bytesOf(inst, dst, data.byteLength), permuteRef(data, expected, rows, n));
        // the source is untouched
        expectEqualArrays(bytesOf(inst, src, data.byteLength), new Uint8Array(data.buffer));
        for (const p of [src, carried, dst, perm]) inst.heap.free(p);
      }
    });
  }

  it("puts -0.0 and 0.0 as equal (input order kept) and NaNs of any sign last", () => {
    const data = new Float32Array([NaN, 0, -0, 1, -Infinity, -0, 0, -NaN, Infinity, -1]);
    new Uint32Array(data.buffer)[7] = 0xffc00000;
    const src = put(inst, data), dst = inst.heap.alloc(data.byteLength), perm = inst.heap.alloc(40);
    sort(inst, { shape: [10], operands: [{ dtype: "float32", src, dst }], perm });
    expect(Array.from(getTA(inst, "int32", perm, 10))).toEqual([4, 9, 1, 2, 5, 6, 3, 8, 0, 7]);
    const out = getTA(inst, "float32", dst, 10);
    expect(Object.is(out[2], 0) && Object.is(out[3], -0) && Object.is(out[4], -0) && Object.is(out[5], 0)).toBe(true);
    expect(new Uint32Array(out.buffer)[9]).toBe(0xffc00000); // NaN bits preserved
  });

  it("lexsorts several keys (the first most significant) and carries other operands", () => {
    const r = rng(5);
    for (const [rows, n] of [[3, 10], [2, 300], [1, 3000]]) {
      for (const [d1, d2] of [["int32", "float32"], ["float64", "uint8"], ["bool", "float16"], ["int8", "int16"]] as [DType, DType][]) {
        const k1 = randomData(d1, rows * n, r, 3), k2 = randomData(d2, rows * n, r, 4);
        const k3 = randomData("uint16", rows * n, r, 3);
        const carried = randomData("float64", rows * n, r, 1000);
        const ptrs = [k1, k2, k3, carried].map((a) => put(inst, a));
        const outs = [k1, k2, k3, carried].map((a) => inst.heap.alloc(a.byteLength));
        const dts: DType[] = [d1, d2, "uint16", "float64"];
        sort(inst, {
          shape: [rows, n],
          numKeys: 3,
          operands: dts.map((dtype, i) => ({ dtype, src: ptrs[i], dst: outs[i] })),
        });
        const perm = refPerm([{ dtype: d1, data: k1 }, { dtype: d2, data: k2 }, { dtype: "uint16", data: k3 }], rows, n);
        [k1, k2, k3, carried].forEach((a, i) => {
          expectEqualArrays(bytesOf(inst, outs[i], a.byteLength), permuteRef(a, perm, rows, n));
        });
        for (const p of [...ptrs, ...outs]) inst.heap.free(p);
      }
    }
  });

  it("sorts in place and along the last axis of higher-rank shapes", () => {
    const r = rng(9);
    const data = randomData("float32", 2 * 3 * 50, r, 7);
    const p = put(inst, data);
    sort(inst, { shape: [2, 3, 50], operands: [{ dtype: "float32", src: p, dst: p }] });
    const perm = refPerm([{ dtype: "float32", data }], 6, 50);
    expectEqualArrays(bytesOf(inst, p, data.byteLength), permuteRef(data, perm, 6, 50));
    inst.heap.free(p);
  });

  it("is stable on all-equal keys and on sorted / reversed input", () => {
    for (const n of [10, 1000, 100000]) {
      const keys = new Int32Array(n);
      const kp = put(inst, keys), perm = inst.heap.alloc(4 * n), out = inst.heap.alloc(4 * n);
      sort(inst, { shape: [n], operands: [{ dtype: "int32", src: kp, dst: out }], perm });
      expectEqualArrays(getTA(inst, "int32", perm, n), new Int32Array(n).map((_, i) => i));
      const rev = new Float32Array(n).map((_, i) => n - i);
      const rp = put(inst, rev);
      sort(inst, { shape: [n], operands: [{ dtype: "float32", src: rp, dst: out }], perm });
      expectEqualArrays(getTA(inst, "int32", perm, n), new Int32Array(n).map((_, i) => n - 1 - i));
      for (const q of [kp, perm, out, rp]) inst.heap.free(q);
    }
  });

  it("sorts long rows (11-bit radix path) of float32 and float64 with ties and NaNs, stably", () => {
    const r = rng(21);
    for (const dtype of ["float32", "float64", "int16"] as DType[]) {
      const n = 140000;
      const data = randomData(dtype, n, r, 2000);
      const src = put(inst, data), dst = inst.heap.alloc(data.byteLength), perm = inst.heap.alloc(4 * n);
      sort(inst, { shape: [1, n], operands: [{ dtype, src, dst }], perm });
      const expected = refPerm([{ dtype, data }], 1, n);
      expectEqualArrays(getTA(inst, "int32", perm, n), expected);
      expectEqualArrays(bytesOf(inst, dst, data.byteLength), permuteRef(data, expected, 1, n));
      for (const p of [src, dst, perm]) inst.heap.free(p);
    }
  });

  it("rejects bad arguments", () => {
    expect(() => sort(inst, { shape: [], operands: [{ dtype: "float32", src: 0, dst: 0 }] })).toThrow(RangeError);
    expect(() => sort(inst, { shape: [3], numKeys: 2, operands: [{ dtype: "float32", src: 0, dst: 0 }] })).toThrow(/numKeys/);
  });

  it("sorts 1M float32 quickly", () => {
    const n = 1 << 20;
    const r = rng(1);
    const data = new Float32Array(n).map(() => (r() - 0.5) * 1e6);
    const src = put(inst, data), dst = inst.heap.alloc(4 * n);
    const times: number[] = [];
    for (let rep = 0; rep < 7; rep++) {
      const t0 = performance.now();
      sort(inst, { shape: [n], operands: [{ dtype: "float32", src, dst }] });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const ref = data.slice().sort();
    expectEqualArrays(getTA(inst, "float32", dst, n), ref);
    // argsort of 1M float32
    const iota = put(inst, new Int32Array(n).map((_, i) => i)), iout = inst.heap.alloc(4 * n);
    const t0 = performance.now();
    sort(inst, { shape: [n], operands: [{ dtype: "float32", src, dst }, { dtype: "int32", src: iota, dst: iout }] });
    const targ = performance.now() - t0;
    const ts0 = performance.now();
    data.slice().sort();
    const tjs = performance.now() - ts0;
    console.log(`sort 1M float32: median ${times[3].toFixed(1)} ms (min ${times[0].toFixed(1)}); argsort ${targ.toFixed(1)} ms; Float32Array.prototype.sort ${tjs.toFixed(1)} ms`);
    expect(times[3]).toBeLessThan(500);
    for (const p of [src, dst, iota, iout]) inst.heap.free(p);
  });
});
