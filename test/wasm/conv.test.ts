// conv_general_dilated against a naive float64 reference written from XLA's definition, on
// both Wasm builds where the runtime can run them.
import { describe, expect, it } from "vitest";
import type { WasmInstance } from "../../wasm/instance.js";
import { convGeneralDilated, convOutputShape, type ConvOptions } from "../../wasm/conv.js";
import type { GemmDtype } from "../../wasm/gemm.js";
import { loadBuilds, rng } from "./helpers.js";

const builds = loadBuilds();

const prod = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);

/** Strides of `shape` stored with physical dim order `perm` (perm[0] outermost). */
function permStrides(shape: readonly number[], perm: readonly number[], reversed = false): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = perm.length - 1; i >= 0; i--) {
    s[perm[i]] = reversed ? -acc : acc;
    acc *= shape[perm[i]];
  }
  return s;
}

type Arr = Float32Array | Float64Array | Int32Array;
function arrType(dtype: GemmDtype) {
  return dtype === "float64" ? Float64Array : dtype === "float32" ? Float32Array : Int32Array;
}

interface Tensor {
  ptr: number; // address of element [0, …]
  base: number;
  strides: number[];
  shape: number[];
  at(idx: number[]): number;
}

function makeTensor(inst: WasmInstance, dtype: GemmDtype, shape: number[], layout: "contig" | "last" | "reversed", rand: () => number, allocs: number[]): Tensor {
  const n = prod(shape);
  const es = dtype === "float64" ? 8 : 4;
  const base = inst.heap.alloc(Math.max(n, 1) * es);
  allocs.push(base);
  const r = shape.length;
  // "last": channels-last physical order (N, spatial…, C) as NHWC / (spatial…, I, O) as HWIO.
  const perm = layout === "last" ? [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1] : Array.from({ length: r }, (_, i) => i);
  const strides = permStrides(shape, perm, layout === "reversed");
  const ptr = layout === "reversed" ? base + (n - 1) * es : base;
  const A = arrType(dtype);
  const v = new A(inst.heap.views().bytes, base, n);
  for (let i = 0; i < n; i++) v[i] = dtype === "int32" ? ((rand() * 2 ** 32) | 0) >> (rand() < 0.5 ? 0 : 16) : rand() * 2 - 1;
  const at = (idx: number[]): number => {
    let off = (ptr - base) / es;
    for (let d = 0; d < idx.length; d++) off += idx[d] * strides[d];
    return new A(inst.heap.views().bytes, base, n)[off];
  };
  return { ptr, base, strides, shape, at };
}

/** Naive conv_general_dilated from the definition (float64 accumulation, exact int32). */
function reference(dtype: GemmDtype, lhs: Tensor, rhs: Tensor, opts: Required<ConvOptions>, outShape: number[]) {
  const nd = lhs.shape.length - 2;
  const [N, C] = lhs.shape;
  const [O, I] = rhs.shape;
  const G = opts.featureGroupCount * opts.batchGroupCount;
  const Og = O / G;
  const outSp = outShape.slice(2);
  const win = rhs.shape.slice(2);
  const P = prod(outSp);
  const R = prod(win);
  const val = new Float64Array(outShape[0] * O * P);
  const mag = new Float64Array(val.length);
  const lhsCache = new Float64Array(prod(lhs.shape));
  const lhsIdx = (idx: number[]) => { let o = 0; for (let d = 0; d < idx.length; d++) o = o * lhs.shape[d] + idx[d]; return o; };
  { // Cache lhs in canonical order for speed.
    const idx = new Array(lhs.shape.length).fill(0);
    for (let i = 0; i < lhsCache.length; i++) {
      lhsCache[i] = lhs.at(idx);
      for (let d = idx.length - 1; d >= 0; d--) { if (++idx[d] < lhs.shape[d]) break; idx[d] = 0; }
    }
  }
  void C;
  let w = 0;
  for (let n = 0; n < outShape[0]; n++)
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / Og);
      const nl = opts.batchGroupCount > 1 ? g * (N / opts.batchGroupCount) + n : n;
      const c0 = opts.featureGroupCount > 1 ? g * I : 0;
      for (let p = 0; p < P; p++, w++) {
        const oc: number[] = [];
        let rem = p;
        for (let d = nd - 1; d >= 0; d--) { oc[d] = rem % outSp[d]; rem = Math.floor(rem / outSp[d]); }
        let s = 0, m = 0;
        for (let c = 0; c < I; c++)
          for (let q = 0; q < R; q++) {
            const rc: number[] = [];
            let rr = q;
            for (let d = nd - 1; d >= 0; d--) { rc[d] = rr % win[d]; rr = Math.floor(rr / win[d]); }
            const li = [nl, c0 + c];
            let ok = true;
            for (let d = 0; d < nd && ok; d++) {
              // Position in the lhs-dilated, padded input.
              const x = oc[d] * opts.windowStrides[d] + rc[d] * opts.rhsDilation[d] - opts.padding[d][0];
              if (x < 0 || x % opts.lhsDilation[d] !== 0) ok = false;
              else if (x / opts.lhsDilation[d] >= lhs.shape[2 + d]) ok = false;
              else li.push(x / opts.lhsDilation[d]);
            }
            if (!ok) continue;
            const a = lhsCache[lhsIdx(li)];
            const b = rhs.at([o, c, ...rc]);
            if (dtype === "int32") s = (s + Math.imul(a, b)) | 0;
            else { s += a * b; m += Math.abs(a * b); }
          }
        val[w] = s;
        mag[w] = m;
      }
    }
  return { val, mag, K: I * R };
}

interface Case {
  dtype: GemmDtype;
  lhsShape: number[];
  rhsShape: number[];
  opts: ConvOptions;
  lhsLayout?: "contig" | "last" | "reversed";
  rhsLayout?: "contig" | "last" | "reversed";
  outLayout?: "contig" | "last" | "reversed";
}

function runCase(inst: WasmInstance, cs: Case, seed: number): void {
  const rand = rng(seed);
  const allocs: number[] = [];
  const { dtype } = cs;
  const nd = cs.lhsShape.length - 2;
  const opts: Required<ConvOptions> = {
    windowStrides: cs.opts.windowStrides ?? new Array(nd).fill(1),
    padding: cs.opts.padding ?? new Array(nd).fill([0, 0]),
    lhsDilation: cs.opts.lhsDilation ?? new Array(nd).fill(1),
    rhsDilation: cs.opts.rhsDilation ?? new Array(nd).fill(1),
    featureGroupCount: cs.opts.featureGroupCount ?? 1,
    batchGroupCount: cs.opts.batchGroupCount ?? 1,
  };
  const lhs = makeTensor(inst, dtype, cs.lhsShape, cs.lhsLayout ?? "contig", rand, allocs);
  const rhs = makeTensor(inst, dtype, cs.rhsShape, cs.rhsLayout ?? "contig", rand, allocs);
  const outShape = convOutputShape(cs.lhsShape, cs.rhsShape, opts);
  const es = dtype === "float64" ? 8 : 4;
  const total = prod(outShape);
  const guard = 4;
  const outBase = inst.heap.alloc((total + 2 * guard) * es);
  allocs.push(outBase);
  const outLayout = cs.outLayout ?? "contig";
  const perm = outLayout === "last" ? [0, ...Array.from({ length: nd }, (_, i) => i + 2), 1] : Array.from({ length: nd + 2 }, (_, i) => i);
  const oStrides = permStrides(outShape, perm, outLayout === "reversed");
  const outPtr = outBase + (guard + (outLayout === "reversed" ? Math.max(total - 1, 0) : 0)) * es;
  const A = arrType(dtype);
  new A(inst.heap.views().bytes, outBase, total + 2 * guard).fill(-9);
  const ref = reference(dtype, lhs, rhs, opts, outShape);
  convGeneralDilated(inst, {
    dtype,
    lhs: { ptr: lhs.ptr, shape: cs.lhsShape, strides: lhs.strides },
    rhs: { ptr: rhs.ptr, shape: cs.rhsShape, strides: rhs.strides },
    out: { ptr: outPtr, strides: outLayout === "contig" ? undefined : oStrides },
    ...opts,
  });
  const got: Arr = new A(inst.heap.views().bytes, outBase, total + 2 * guard);
  for (let i = 0; i < guard; i++) {
    expect(got[i], "guard before").toBe(-9);
    expect(got[guard + total + i], "guard after").toBe(-9);
  }
  const u = dtype === "float64" ? 2 ** -53 : 2 ** -24;
  const O = outShape[1];
  const P = prod(outShape.slice(2));
  let bad = 0;
  for (let n = 0; n < outShape[0]; n++)
    for (let o = 0; o < O; o++)
      for (let p = 0; p < P; p++) {
        const w = (n * O + o) * P + p;
        // Element address from the output strides.
        let rem = p, off = n * oStrides[0] + o * oStrides[1];
        for (let d = nd - 1; d >= 0; d--) { off += (rem % outShape[2 + d]) * oStrides[2 + d]; rem = Math.floor(rem / outShape[2 + d]); }
        const v = got[(outPtr - outBase) / es + off];
        if (dtype === "int32") {
          if (v !== ref.val[w] && bad++ < 3) expect(v, `out[${n},${o},${p}]`).toBe(ref.val[w]);
        } else {
          // γ_{K+1}·Σ|terms| for any summation order, plus the reference's own error.
          const tol = (ref.K + 2) * (u + 2 ** -53) * ref.mag[w];
          if (!(Math.abs(v - ref.val[w]) <= tol) && bad++ < 3) {
            expect(Math.abs(v - ref.val[w]), `out[${n},${o},${p}] = ${v} vs ${ref.val[w]}`).toBeLessThanOrEqual(tol);
          }
        }
      }
  expect(bad).toBe(0);
  for (const p of allocs) inst.heap.free(p);
}

const DTYPES: GemmDtype[] = ["float32", "float64", "int32"];

for (const [name, inst] of builds) {
  describe.skipIf(!inst)(`conv_general_dilated (${name} build)`, () => {
    const I = inst!;
    it("output shapes follow XLA's formula", () => {
      expect(convOutputShape([1, 3, 10], [4, 3, 3])).toEqual([1, 4, 8]);
      expect(convOutputShape([1, 3, 10], [4, 3, 3], { windowStrides: [2], padding: [[1, 1]] })).toEqual([1, 4, 5]);
      expect(convOutputShape([1, 3, 10], [4, 3, 3], { lhsDilation: [2], rhsDilation: [3] })).toEqual([1, 4, 13]);
      expect(convOutputShape([1, 3, 4], [4, 3, 5])).toEqual([1, 4, 0]);
      expect(convOutputShape([4, 3, 10], [6, 3, 3], { batchGroupCount: 2 })).toEqual([2, 6, 8]);
      expect(() => convOutputShape([1, 4, 10], [4, 3, 3])).toThrow(/features/);
      expect(() => convOutputShape([4, 4, 10], [4, 2, 3], { featureGroupCount: 2, batchGroupCount: 2 })).toThrow();
    });

    for (const dtype of DTYPES) {
      it(`${dtype}: 1-D strides, padding (also negative) and dilations`, () => {
        let seed = 1;
        for (const ws of [1, 2, 3])
          for (const pad of [[0, 0], [1, 1], [2, -1], [-2, 3], [-1, -1]] as [number, number][])
            for (const [ld, rd] of [[1, 1], [2, 1], [1, 2], [3, 2]])
              runCase(I, { dtype, lhsShape: [2, 3, 11], rhsShape: [4, 3, 3], opts: { windowStrides: [ws], padding: [pad], lhsDilation: [ld], rhsDilation: [rd] } }, seed++);
      });

      it(`${dtype}: 2-D, layouts (NCHW/NHWC in and out, reversed), SAME padding`, () => {
        let seed = 100;
        for (const lhsLayout of ["contig", "last", "reversed"] as const)
          for (const rhsLayout of ["contig", "last", "reversed"] as const)
            for (const outLayout of ["contig", "last", "reversed"] as const)
              runCase(I, { dtype, lhsShape: [2, 5, 9, 7], rhsShape: [6, 5, 3, 2], opts: { padding: [[1, 1], [0, 1]], windowStrides: [1, 2] }, lhsLayout, rhsLayout, outLayout }, seed++);
        runCase(I, { dtype, lhsShape: [1, 32, 16, 16], rhsShape: [32, 32, 3, 3], opts: { padding: [[1, 1], [1, 1]] }, lhsLayout: "last", rhsLayout: "last", outLayout: "last" }, seed++);
        runCase(I, { dtype, lhsShape: [1, 8, 40, 33], rhsShape: [7, 8, 5, 5], opts: { padding: [[2, 2], [2, 2]], rhsDilation: [2, 1] } }, seed++);
      });

      it(`${dtype}: 3-D and 0-D spatial`, () => {
        runCase(I, { dtype, lhsShape: [2, 3, 5, 6, 4], rhsShape: [4, 3, 2, 3, 2], opts: { padding: [[1, 0], [1, 1], [-1, 2]], windowStrides: [1, 2, 1], lhsDilation: [1, 1, 2], rhsDilation: [2, 1, 1] } }, 300);
        runCase(I, { dtype, lhsShape: [1, 4, 4, 4, 4], rhsShape: [5, 4, 3, 3, 3], opts: { padding: [[1, 1], [1, 1], [1, 1]] }, lhsLayout: "last", outLayout: "last" }, 301);
        runCase(I, { dtype, lhsShape: [3, 2, 3, 2, 2, 3], rhsShape: [2, 2, 2, 1, 2, 2], opts: { padding: [[0, 1], [1, 0], [0, 0], [1, 1]] } }, 302);
        runCase(I, { dtype, lhsShape: [5, 7], rhsShape: [3, 7], opts: {} }, 303);
      });

      it(`${dtype}: feature groups (incl. depthwise) and batch groups`, () => {
        let seed = 400;
        for (const fg of [1, 2, 3, 6])
          for (const mult of [1, 2])
            for (const lhsLayout of ["contig", "last"] as const)
              runCase(I, { dtype, lhsShape: [2, 6, 7, 6], rhsShape: [fg * mult * (fg === 1 ? 2 : 1), 6 / fg, 3, 3], opts: { featureGroupCount: fg, padding: [[1, 1], [1, 1]] }, lhsLayout, outLayout: seed % 2 ? "last" : "contig" }, seed++);
        for (const bg of [2, 4])
          for (const O of [bg, 2 * bg])
            for (const lhsLayout of ["contig", "last"] as const)
              runCase(I, { dtype, lhsShape: [4, 3, 6, 5], rhsShape: [O, 3, 2, 2], opts: { batchGroupCount: bg, windowStrides: [2, 1] }, lhsLayout, outLayout: seed % 2 ? "last" : "contig" }, seed++);
        runCase(I, { dtype, lhsShape: [6, 2, 9], rhsShape: [6, 2, 3], opts: { batchGroupCount: 3, rhsDilation: [2] } }, seed++);
        // Depthwise (one input channel per group; float32 takes a direct kernel), channel
        // counts off the SIMD width, channel multipliers 1 and 2, all layouts.
        for (const mult of [1, 2])
          for (const layout of ["contig", "last", "reversed"] as const)
            runCase(I, { dtype, lhsShape: [2, 39, 9, 8], rhsShape: [39 * mult, 1, 3, 3], opts: { featureGroupCount: 39, padding: [[1, 1], [2, 0]], windowStrides: [1, 2], rhsDilation: [1, 2] }, lhsLayout: layout, rhsLayout: layout, outLayout: layout }, seed++);
        runCase(I, { dtype, lhsShape: [1, 9, 4, 3, 5], rhsShape: [9, 1, 2, 2, 3], opts: { featureGroupCount: 9, padding: [[1, 0], [0, 1], [1, 1]], lhsDilation: [2, 1, 1] }, lhsLayout: "last", outLayout: "last" }, seed++);
      });

      it(`${dtype}: 1×1 windows (read without im2col) in every layout, with groups`, () => {
        let seed = 700;
        for (const lhsLayout of ["contig", "last", "reversed"] as const)
          for (const outLayout of ["contig", "last", "reversed"] as const) {
            runCase(I, { dtype, lhsShape: [2, 6, 5, 7], rhsShape: [9, 6, 1, 1], opts: {}, lhsLayout, rhsLayout: "last", outLayout }, seed++);
            runCase(I, { dtype, lhsShape: [2, 6, 5], rhsShape: [4, 3, 1], opts: { featureGroupCount: 2 }, lhsLayout, outLayout }, seed++);
            runCase(I, { dtype, lhsShape: [4, 3, 2, 3, 4], rhsShape: [4, 3, 1, 1, 1], opts: { batchGroupCount: 2 }, lhsLayout, outLayout }, seed++);
          }
        // 1×1 windows that still need im2col: strided, padded, lhs-dilated.
        runCase(I, { dtype, lhsShape: [1, 5, 6, 6], rhsShape: [3, 5, 1, 1], opts: { windowStrides: [2, 1] }, lhsLayout: "last" }, seed++);
        runCase(I, { dtype, lhsShape: [1, 5, 6, 6], rhsShape: [3, 5, 1, 1], opts: { padding: [[1, 0], [0, -1]] }, lhsLayout: "last" }, seed++);
        runCase(I, { dtype, lhsShape: [1, 5, 6, 6], rhsShape: [3, 5, 1, 1], opts: { lhsDilation: [1, 2] } }, seed++);
      });

      it(`${dtype}: empty outputs, empty windows and empty channels`, () => {
        runCase(I, { dtype, lhsShape: [2, 3, 4], rhsShape: [2, 3, 5], opts: {} }, 500); // window larger than input
        runCase(I, { dtype, lhsShape: [0, 3, 4], rhsShape: [2, 3, 2], opts: {} }, 501);
        runCase(I, { dtype, lhsShape: [2, 0, 4], rhsShape: [2, 0, 2], opts: {} }, 502); // K = 0: zeros
        runCase(I, { dtype, lhsShape: [2, 3, 4], rhsShape: [0, 3, 2], opts: {} }, 503);
        runCase(I, { dtype, lhsShape: [2, 3, 0], rhsShape: [2, 3, 1], opts: { padding: [[1, 1]] } }, 504); // only padding
        runCase(I, { dtype, lhsShape: [2, 3, 4], rhsShape: [2, 3, 0], opts: {} }, 505); // empty window
        runCase(I, { dtype, lhsShape: [1, 2, 3], rhsShape: [2, 2, 2], opts: { padding: [[-3, 0]] } }, 506);
      });

      it(`${dtype}: random configurations`, () => {
        const rand = rng(dtype.length * 977);
        const ri = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
        for (let t = 0; t < 60; t++) {
          const nd = ri(1, 3);
          const fg = rand() < 0.3 ? ri(2, 3) : 1;
          const bg = fg === 1 && rand() < 0.3 ? ri(2, 3) : 1;
          const I_ = ri(1, 3);
          const O = fg * bg * ri(1, 3);
          const N = bg * ri(1, 2);
          const sp = Array.from({ length: nd }, () => ri(1, nd === 3 ? 5 : 8));
          const win = Array.from({ length: nd }, () => ri(1, 3));
          const opts: ConvOptions = {
            windowStrides: Array.from({ length: nd }, () => ri(1, 3)),
            padding: Array.from({ length: nd }, () => [ri(-2, 3), ri(-2, 3)] as [number, number]),
            lhsDilation: Array.from({ length: nd }, () => ri(1, 3)),
            rhsDilation: Array.from({ length: nd }, () => ri(1, 3)),
            featureGroupCount: fg,
            batchGroupCount: bg,
          };
          const layouts = ["contig", "last", "reversed"] as const;
          runCase(I, { dtype, lhsShape: [N, I_ * fg, ...sp], rhsShape: [O, I_, ...win], opts, lhsLayout: layouts[ri(0, 2)], rhsLayout: layouts[ri(0, 2)], outLayout: layouts[ri(0, 2)] }, 1000 + t);
        }
      });
    }
  });
}
