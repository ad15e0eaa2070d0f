// GEMM kernels against naive float64 references, on both Wasm builds where the runtime can
// run them (relaxed SIMD needs Node 24+).
import { describe, expect, it } from "vitest";
import type { WasmInstance } from "../../wasm/instance.js";
import { matmul, type GemmDtype } from "../../wasm/gemm.js";
import { loadBuilds, rng } from "./helpers.js";

const builds = loadBuilds();

const SIZE: Record<GemmDtype, number> = { float32: 4, float64: 8, int32: 4 };

type Layout = "row" | "col" | "padded" | "reversed" | "colPadded";

interface View {
  ptr: number;
  batchStride: number;
  rowStride: number;
  colStride: number;
  get(b: number, i: number, j: number): number;
}

/** Allocates a (batch × rows × cols) operand in the given layout and fills it randomly. */
function makeOperand(
  inst: WasmInstance,
  dtype: GemmDtype,
  batch: number,
  rows: number,
  cols: number,
  layout: Layout,
  broadcast: boolean,
  rand: () => number,
  allocs: number[],
): View {
  const pad = layout === "padded" || layout === "colPadded" ? 3 : 0;
  let rowStride: number, colStride: number, per: number;
  if (layout === "col" || layout === "colPadded") {
    colStride = rows + pad;
    rowStride = 1;
    per = colStride * Math.max(cols, 1);
  } else {
    rowStride = cols + pad;
    colStride = 1;
    per = rowStride * Math.max(rows, 1);
  }
  const nb = broadcast ? 1 : batch;
  const total = per * nb + 1;
  const size = SIZE[dtype];
  const base = inst.heap.alloc(total * size);
  allocs.push(base);
  let ptr = base;
  if (layout === "reversed") {
    // Negative strides: element (i, j) at the mirrored position.
    rowStride = -rowStride;
    colStride = -colStride;
    ptr = base + (per - 1) * size;
  }
  const batchStride = broadcast ? 0 : per;
  const heap = inst.heap.views();
  const buf = heap.bytes;
  if (dtype === "float64") {
    const v = new Float64Array(buf, base, total);
    for (let i = 0; i < total; i++) v[i] = rand() * 2 - 1;
  } else if (dtype === "float32") {
    const v = new Float32Array(buf, base, total);
    for (let i = 0; i < total; i++) v[i] = rand() * 2 - 1;
  } else {
    const v = new Int32Array(buf, base, total);
    // Large values so that products and sums wrap.
    for (let i = 0; i < total; i++) v[i] = ((rand() * 2 ** 32) | 0) >> (rand() < 0.5 ? 0 : 20);
  }
  let arr: Float64Array | Float32Array | Int32Array | undefined;
  const get = (b: number, i: number, j: number): number => {
    const idx = (ptr - base) / size + b * batchStride + i * rowStride + j * colStride;
    const buffer = inst.heap.views().bytes;
    if (!arr || arr.buffer !== buffer) {
      const Arr = dtype === "float64" ? Float64Array : dtype === "float32" ? Float32Array : Int32Array;
      arr = new Arr(buffer, base, total);
    }
    return arr[idx];
  };
  return { ptr, batchStride, rowStride, colStride, get };
}

interface Case {
  dtype: GemmDtype;
  batch: number;
  m: number;
  n: number;
  k: number;
  la: Layout;
  lb: Layout;
  bcastA?: boolean;
  bcastB?: boolean;
  accumulate?: boolean;
  cPad?: number;
}

function runCase(inst: WasmInstance, cs: Case, seed: number): void {
  const { dtype, batch, m, n, k } = cs;
  const rand = rng(seed);
  const allocs: number[] = [];
  const A = makeOperand(inst, dtype, batch, m, k, cs.la, !!cs.bcastA, rand, allocs);
  const B = makeOperand(inst, dtype, batch, k, n, cs.lb, !!cs.bcastB, rand, allocs);
  const size = SIZE[dtype];
  const cRow = n + (cs.cPad ?? 0);
  const cBatch = cRow * m + 2;
  const cTotal = cBatch * batch + 4;
  const cBase = inst.heap.alloc(cTotal * size);
  allocs.push(cBase);
  const cPtr = cBase + 2 * size;
  const Arr = dtype === "float64" ? Float64Array : dtype === "float32" ? Float32Array : Int32Array;
  const SENT = -7;
  {
    const cv = new Arr(inst.heap.views().bytes, cBase, cTotal);
    for (let i = 0; i < cTotal; i++) cv[i] = cs.accumulate ? (dtype === "int32" ? i * 7919 : i / cTotal) : SENT;
  }
  const before = Array.from(new Arr(inst.heap.views().bytes, cBase, cTotal));
  matmul(inst, {
    dtype, batch, m, n, k,
    a: { ptr: A.ptr, batchStride: A.batchStride, rowStride: A.rowStride, colStride: A.colStride },
    b: { ptr: B.ptr, batchStride: B.batchStride, rowStride: B.rowStride, colStride: B.colStride },
    c: { ptr: cPtr, batchStride: cBatch, rowStride: cRow },
    accumulate: cs.accumulate,
  });
  const cv = new Arr(inst.heap.views().bytes, cBase, cTotal);
  const inside = new Uint8Array(cTotal);
  const u = dtype === "float64" ? 2 ** -53 : 2 ** -24;
  let bad = 0;
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const idx = 2 + t * cBatch + i * cRow + j;
        inside[idx] = 1;
        const init = cs.accumulate ? before[idx] : 0;
        if (dtype === "int32") {
          let s = init | 0;
          for (let p = 0; p < k; p++) s = (s + Math.imul(A.get(t, i, p), B.get(t, p, j))) | 0;
          if (cv[idx] !== s && bad++ < 5) expect(cv[idx], `C[${t},${i},${j}]`).toBe(s);
        } else {
          let s = init;
          let mag = Math.abs(init);
          for (let p = 0; p < k; p++) {
            const x = A.get(t, i, p) * B.get(t, p, j);
            s += x;
            mag += Math.abs(x);
          }
          // Any summation order (with or without fused multiply-add) stays within
          // γ_{k+1}·Σ|a||b| of the exact sum; the float64 reference adds its own k·2⁻⁵³.
          const tol = (k + 2) * u * mag + (k + 2) * 2 ** -53 * mag;
          const err = Math.abs(cv[idx] - s);
          if (!(err <= tol) && bad++ < 5) expect(err, `C[${t},${i},${j}] = ${cv[idx]} vs ${s}`).toBeLessThanOrEqual(tol);
        }
      }
    }
  }
  for (let idx = 0; idx < cTotal; idx++) {
    if (!inside[idx] && cv[idx] !== before[idx]) {
      expect(cv[idx], `write outside C at ${idx}`).toBe(before[idx]);
    }
  }
  expect(bad).toBe(0);
  for (const p of allocs) inst.heap.free(p);
}

const LAYOUTS: Layout[] = ["row", "col", "padded", "reversed", "colPadded"];

for (const [name, inst] of builds) {
  describe.skipIf(!inst)(`gemm (${name} build)`, () => {
    const it_ = inst!;
    for (const dtype of ["float32", "float64", "int32"] as GemmDtype[]) {
      it(`${dtype}: edge sizes 0, 1 and small odd shapes in every layout`, () => {
        const sizes = [0, 1, 2, 3, 5, 7, 8, 9];
        let seed = 1;
        for (const m of sizes)
          for (const n of sizes)
            for (const k of sizes) {
              const la = LAYOUTS[seed % LAYOUTS.length];
              const lb = LAYOUTS[(seed * 7 + 3) % LAYOUTS.length];
              runCase(it_, { dtype, batch: 1, m, n, k, la, lb, accumulate: seed % 3 === 0, cPad: seed % 2 }, seed++);
            }
      });

      it(`${dtype}: sizes around the block sizes`, () => {
        const cases: [number, number, number][] = [
          [13, 17, 19], [33, 31, 65], [4, 8, 16], [6, 8, 17], [127, 9, 130], [130, 33, 257],
          [121, 24, 513], [7, 1030, 5], [1, 9, 600], [250, 3, 1], [2, 1025, 70], [64, 64, 1100],
          // matrix-vector shapes (direct loops) and short k (row-panel-first tile order)
          [1, 100, 37], [2, 70, 601], [100, 1, 37], [67, 2, 515], [1, 1, 1000], [33, 35, 3], [130, 1030, 2],
        ];
        let seed = 100;
        for (const [m, n, k] of cases)
          for (const la of LAYOUTS.slice(0, 4)) {
            const lb = LAYOUTS[seed % 4];
            runCase(it_, { dtype, batch: 1, m, n, k, la, lb, accumulate: seed % 2 === 0, cPad: 1 }, seed++);
          }
      });

      it(`${dtype}: batched with broadcast operands`, () => {
        let seed = 500;
        for (const [batch, m, n, k] of [[3, 5, 7, 9], [4, 17, 12, 33], [2, 1, 1, 1], [5, 0, 3, 4], [3, 6, 8, 0]])
          for (const [bcastA, bcastB] of [[false, false], [true, false], [false, true], [true, true]])
            for (const la of ["row", "col"] as Layout[])
              runCase(it_, { dtype, batch, m, n, k, la, lb: LAYOUTS[seed % 5], bcastA, bcastB, accumulate: seed % 2 === 1 }, seed++);
      });
    }

    it("float32: matrix-vector shapes with strided vectors longer than the scratch", () => {
      // k beyond the packed-B area: the direct loops must not gather there.
      runCase(it_, { dtype: "float32", batch: 1, m: 1, n: 3, k: 600_000, la: "colPadded", lb: "col" }, 11);
      runCase(it_, { dtype: "float32", batch: 1, m: 3, n: 1, k: 600_000, la: "row", lb: "padded" }, 12);
    });

    it("float32: K = 0 writes zeros (and leaves C alone when accumulating)", () => {
      runCase(it_, { dtype: "float32", batch: 2, m: 9, n: 11, k: 0, la: "row", lb: "row" }, 7);
      runCase(it_, { dtype: "float32", batch: 2, m: 9, n: 11, k: 0, la: "row", lb: "row", accumulate: true }, 8);
    });

    it("float32: exact on small integers (no reassociation error)", () => {
      const inst = it_;
      const m = 37, n = 45, k = 301;
      const a = inst.heap.alloc(m * k * 4), b = inst.heap.alloc(k * n * 4), c = inst.heap.alloc(m * n * 4);
      const f = inst.heap.views().f32;
      for (let i = 0; i < m * k; i++) f[a / 4 + i] = ((i * 7) % 11) - 5;
      for (let i = 0; i < k * n; i++) f[b / 4 + i] = ((i * 5) % 9) - 4;
      matmul(inst, {
        dtype: "float32", batch: 1, m, n, k,
        a: { ptr: a, batchStride: 0, rowStride: k, colStride: 1 },
        b: { ptr: b, batchStride: 0, rowStride: n, colStride: 1 },
        c: { ptr: c, batchStride: 0, rowStride: n },
      });
      const g = inst.heap.views().f32;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += g[a / 4 + i * k + p] * g[b / 4 + p * n + j];
          expect(g[c / 4 + i * n + j]).toBe(s);
        }
      inst.heap.free(a); inst.heap.free(b); inst.heap.free(c);
    });

    it("rejects non-integer sizes", () => {
      expect(() =>
        matmul(it_, {
          dtype: "float32", batch: 1, m: 1.5, n: 1, k: 1,
          a: { ptr: 0, batchStride: 0, rowStride: 1, colStride: 1 },
          b: { ptr: 0, batchStride: 0, rowStride: 1, colStride: 1 },
          c: { ptr: 0, batchStride: 0, rowStride: 1 },
        }),
      ).toThrow(RangeError);
    });
  });
}

it("the relaxed build is tested where the runtime supports it", () => {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 24) expect(builds[1][1]).toBeDefined();
});
