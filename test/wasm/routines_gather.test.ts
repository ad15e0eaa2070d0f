// gather / scatter (wasm/routines_gather.ts): the examples of XLA's gather/scatter tests,
// then random dimension numbers (batching dims included) against a direct transcription
// of XLA's semantics, with out-of-bounds and repeated indices.
import { describe, expect, it } from "vitest";
import { wasm } from "../../wasm/instance.js";
import {
  fromFloat16Bits,
  gather,
  gatherShape,
  scatter,
  toFloat16Bits,
  type GatherDimensionNumbers,
  type ScatterDimensionNumbers,
  type ScatterOp,
} from "../../wasm/routines.js";
import type { DType } from "../../ts/runtime/kernel.js";
import { CTOR, DTYPES, getTA, indices, put, rng, type TA } from "./helpers.js";

const randInt = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
function strides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { st[i] = acc; acc *= shape[i]; }
  return st;
}
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

function randomData(dtype: DType, n: number, r: () => number): TA {
  const a = new CTOR[dtype](n);
  for (let i = 0; i < n; i++) {
    const v = randInt(r, -6, 6);
    if (dtype === "float16") a[i] = toFloat16Bits(r() < 0.1 ? -0 : v / 2);
    else if (dtype === "bool") a[i] = r() < 0.5 ? 1 : 0;
    else if (dtype === "float32" || dtype === "float64") a[i] = r() < 0.05 ? NaN : r() < 0.1 ? -0 : v / 4 + (r() < 0.2 ? 1e-3 : 0);
    else a[i] = v * 37;
  }
  return a;
}

// ---- references: XLA's semantics, transcribed directly --------------------------------

interface GatherCase {
  operandShape: number[];
  indicesShape: number[]; // last dim = index vector
  dn: Required<GatherDimensionNumbers>;
  sliceSizes: number[];
}

function refGather(c: GatherCase, operand: TA, idx: Int32Array, mode: "clip" | "fill", fillRaw: number): TA {
  const { operandShape, indicesShape, dn, sliceSizes } = c;
  const outShape = gatherShape(operandShape, indicesShape, dn, sliceSizes);
  const out = new (operand.constructor as new (n: number) => TA)(size(outShape));
  const K = indicesShape[indicesShape.length - 1];
  const batchOutDims = outShape.map((_, d) => d).filter((d) => !dn.offsetDims.includes(d));
  const windowDims = operandShape.map((_, d) => d).filter((d) => !dn.collapsedSliceDims.includes(d) && !dn.operandBatchingDims.includes(d));
  const opSt = strides(operandShape), idxSt = strides(indicesShape);
  let o = 0;
  for (const Out of indices(outShape)) {
    const G = batchOutDims.map((d) => Out[d]);
    const start = new Array(operandShape.length).fill(0);
    let oob = false;
    for (let k = 0; k < K; k++) {
      const d = dn.startIndexMap[k];
      let v = idx[dot([...G, k], idxSt)];
      const ub = operandShape[d] - sliceSizes[d];
      if (v < 0 || v > ub) { oob = true; v = Math.min(Math.max(v, 0), ub); }
      start[d] = v;
    }
    dn.operandBatchingDims.forEach((d, i) => { start[d] = G[dn.startIndicesBatchingDims[i]]; });
    const inIdx = start.slice();
    windowDims.forEach((d, i) => { inIdx[d] += Out[dn.offsetDims[i]]; });
    out[o++] = mode === "fill" && oob ? fillRaw : operand[dot(inIdx, opSt)];
  }
  return out;
}

interface ScatterCase {
  operandShape: number[];
  indicesShape: number[];
  updatesShape: number[];
  dn: Required<ScatterDimensionNumbers>;
}

function combineRef(dtype: DType, op: ScatterOp, x: number, y: number): number {
  if (op === "set") return y;
  const isFloat = dtype.startsWith("float");
  const dec = (v: number) => (dtype === "float16" ? fromFloat16Bits(v) : v);
  const enc = (v: number) => (dtype === "float16" ? toFloat16Bits(v) : v);
  if (dtype === "bool") return op === "add" || op === "max" ? x | y : x & y;
  const a = dec(x), b = dec(y);
  if (op === "add") return enc(a + b);
  if (op === "mul") return isFloat ? enc(a * b) : Number(BigInt.asIntN(64, BigInt(a) * BigInt(b)) & 0xffffffffn);
  if (isFloat && (Number.isNaN(a) || Number.isNaN(b))) return enc(NaN);
  return enc(op === "max" ? Math.max(a, b) : Math.min(a, b));
}

/** Updates applied batch position by batch position (row-major), each window in row-major order. */
function refScatter(c: ScatterCase, dtype: DType, op: ScatterOp, operand: TA, idx: Int32Array, upd: TA, mode: "drop" | "clip"): TA {
  const { operandShape, indicesShape, updatesShape, dn } = c;
  const out = operand.slice();
  const K = indicesShape[indicesShape.length - 1];
  const batchShape = indicesShape.slice(0, -1);
  const updScatterDims = updatesShape.map((_, d) => d).filter((d) => !dn.updateWindowDims.includes(d));
  const windowDims = operandShape.map((_, d) => d).filter((d) => !dn.insertedWindowDims.includes(d) && !dn.operandBatchingDims.includes(d));
  const windowShape = dn.updateWindowDims.map((d) => updatesShape[d]);
  const ws = new Array(operandShape.length).fill(1);
  windowDims.forEach((d, i) => { ws[d] = windowShape[i]; });
  const opSt = strides(operandShape), idxSt = strides(indicesShape), updSt = strides(updatesShape);
  for (const G of indices(batchShape)) {
    const start = new Array(operandShape.length).fill(0);
    let oob = false;
    for (let k = 0; k < K; k++) {
      const d = dn.scatterDimsToOperandDims[k];
      let v = idx[dot([...G, k], idxSt)];
      const ub = operandShape[d] - ws[d];
      if (v < 0 || v > ub) { oob = true; v = Math.min(Math.max(v, 0), ub); }
      start[d] = v;
    }
    if (oob && mode === "drop") continue;
    dn.operandBatchingDims.forEach((d, i) => { start[d] = G[dn.scatterIndicesBatchingDims[i]]; });
    for (const W of indices(windowShape)) {
      const U = new Array(updatesShape.length).fill(0);
      updScatterDims.forEach((d, j) => { U[d] = G[j]; });
      dn.updateWindowDims.forEach((d, i) => { U[d] = W[i]; });
      const inIdx = start.slice();
      windowDims.forEach((d, i) => { inIdx[d] += W[i]; });
      const p = dot(inIdx, opSt);
      out[p] = combineRef(dtype, op, out[p], upd[dot(U, updSt)]);
    }
  }
  return out;
}

function expectSame(dtype: DType, got: TA, exp: TA, what: string): void {
  const float = dtype.startsWith("float");
  const dec = (v: number) => (dtype === "float16" ? fromFloat16Bits(v) : v);
  for (let i = 0; i < exp.length; i++) {
    const g = dec(got[i]), e = dec(exp[i]);
    const ok = float ? Object.is(g, e) || (Number.isNaN(g) && Number.isNaN(e)) : g === e;
    if (!ok) expect.fail(`${what}: element ${i}: got ${g}, expected ${e} (got [${Array.from(got, dec)}], expected [${Array.from(exp, dec)}])`);
  }
  expect(got.length).toBe(exp.length);
}

// ---- XLA's examples ---------------------------------------------------------------------

const M3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const ND = [-1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7, -8, 8, -9, 9];
const g = (o: number[], c: number[], s: number[]): Required<GatherDimensionNumbers> =>
  ({ offsetDims: o, collapsedSliceDims: c, startIndexMap: s, operandBatchingDims: [], startIndicesBatchingDims: [] });
const sdn = (u: number[], i: number[], s: number[]): Required<ScatterDimensionNumbers> =>
  ({ updateWindowDims: u, insertedWindowDims: i, scatterDimsToOperandDims: s, operandBatchingDims: [], scatterIndicesBatchingDims: [] });

describe("gather: XLA's examples", () => {
  const inst = wasm();
  const cases: [string, number[], number[], number[], number[], Required<GatherDimensionNumbers>, number[], number[]][] = [
    // name, operand shape, operand, indices shape, indices, dnums, slice sizes, expected
    ["TensorFlowGatherV1", [3, 3], M3, [2, 1], [0, 2], g([1], [0], [0]), [1, 3], [1, 2, 3, 7, 8, 9]],
    ["TensorFlowGatherV2", [3, 3], M3, [2, 1], [0, 2], g([0], [1], [1]), [3, 1], [1, 3, 4, 6, 7, 9]],
    ["MultipleBatchDims", [3, 3], M3, [2, 2, 1], [0, 2, 2, 1], g([1], [1], [1]), [3, 1], [1, 3, 4, 6, 7, 9, 3, 2, 6, 5, 9, 8]],
    ["NdMultipleBatchDims", [3, 3], M3, [2, 2, 2], [0, 2, 2, 1, 1, 1, 0, 1], g([], [0, 1], [0, 1]), [1, 1], [3, 8, 5, 2]],
    ["GatherNd", [3, 3, 2], ND, [2, 2], [0, 0, 1, 0], g([1], [0, 1], [0, 1]), [1, 1, 2], [-1, 1, -4, 4]],
    ["DynamicSlice", [3, 3], M3, [2], [1, 1], g([0, 1], [], [0, 1]), [2, 2], [5, 6, 8, 9]],
    ["BatchDynamicSlice", [3, 3], M3, [2, 2], [2, 1, 1, 1], g([1, 2], [], [0, 1]), [2, 2], [5, 6, 8, 9, 5, 6, 8, 9]],
    ["OutOfBoundsIndex", [3, 3], M3, [6, 2], [2, 7, 2, 1, 1, 1, 5, 1, 2147483647, 1, 1, 2], g([1], [0], [0, 1]), [1, 3],
      [7, 8, 9, 7, 8, 9, 4, 5, 6, 7, 8, 9, 7, 8, 9, 4, 5, 6]],
    ["NegativeIndex", [3, 3], M3, [6, 2], [2, -1, 2, 1, 1, 1, -500, 1, -2147483648, 1, 1, 2], g([1], [0], [0, 1]), [1, 3],
      [7, 8, 9, 7, 8, 9, 4, 5, 6, 1, 2, 3, 1, 2, 3, 4, 5, 6]],
    ["OneScalarIndex", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1], [1], g([0, 1], [0], [0]), [1, 3, 2], [7, 8, 9, 10, 11, 12]],
    ["ScalarResult", [4], [1, 2, 3, 4], [1], [1], g([], [0], [0]), [1], [2]],
    ["ZeroSizedResult", [3], [1, 2, 3], [0, 1], [], g([], [0], [0]), [1], []],
  ];
  for (const [name, os, od, is, id, dn, ss, expected] of cases) {
    it(name, () => {
      const opP = put(inst, new Int32Array(od)), idxP = put(inst, new Int32Array(id));
      const outShape = gatherShape(os, is, dn, ss);
      const outP = inst.heap.alloc(Math.max(4, size(outShape) * 4));
      gather(inst, { dtype: "int32", operand: { ptr: opP, shape: os }, indices: { ptr: idxP, shape: is }, dimensionNumbers: dn, sliceSizes: ss, out: outP });
      expect(Array.from(getTA(inst, "int32", outP, size(outShape)))).toEqual(expected);
      for (const p of [opP, idxP, outP]) inst.heap.free(p);
    });
  }

  it("fill mode: a slice starting out of bounds is all fill value", () => {
    const opP = put(inst, new Float32Array(M3)), idxP = put(inst, new Int32Array([0, 1, 2, -1, 3]));
    const outP = inst.heap.alloc(5 * 2 * 4);
    // x[r, 0:2] for each start row r: rows -1 and 3 are out of bounds
    gather(inst, {
      dtype: "float32", operand: { ptr: opP, shape: [3, 3] }, indices: { ptr: idxP, shape: [5, 1] },
      dimensionNumbers: g([1], [0], [0]), sliceSizes: [1, 2], mode: "fill", out: outP,
    });
    const got = Array.from(getTA(inst, "float32", outP, 10));
    expect(got.slice(0, 4)).toEqual([1, 2, 4, 5]);
    expect(got.slice(4, 6)).toEqual([7, 8]);
    expect(got.slice(6).every(Number.isNaN)).toBe(true);
    gather(inst, {
      dtype: "float32", operand: { ptr: opP, shape: [3, 3] }, indices: { ptr: idxP, shape: [5, 1] },
      dimensionNumbers: g([1], [0], [0]), sliceSizes: [1, 2], mode: "fill", fillValue: -1, out: outP,
    });
    expect(Array.from(getTA(inst, "float32", outP, 10)).slice(6)).toEqual([-1, -1, -1, -1]);
    for (const p of [opP, idxP, outP]) inst.heap.free(p);
  });
});

describe("scatter: XLA's examples", () => {
  const inst = wasm();
  const cases: [string, ScatterOp, number[], number[], number[], number[], number[], number[], Required<ScatterDimensionNumbers>, number[]][] = [
    ["TensorFlowScatterV1_Update", "set", [3, 3], M3, [2, 1], [0, 2], [2, 3], [10, 20, 30, 70, 80, 90], sdn([1], [0], [0]), [10, 20, 30, 4, 5, 6, 70, 80, 90]],
    ["TensorFlowScatterV2_Update", "set", [3, 3], M3, [2, 1], [0, 2], [3, 2], [10, 30, 40, 60, 70, 90], sdn([0], [1], [1]), [10, 2, 30, 40, 5, 60, 70, 8, 90]],
    ["TensorFlowScatter_Add", "add", [3, 3], M3, [2, 1], [0, 2], [2, 3], [10, 20, 30, 70, 80, 90], sdn([1], [0], [0]), [11, 22, 33, 4, 5, 6, 77, 88, 99]],
    ["TensorFlowScatter_Mul", "mul", [3, 3], M3, [2, 1], [0, 2], [2, 3], [10, 20, 30, 70, 80, 90], sdn([1], [0], [0]), [10, 40, 90, 4, 5, 6, 490, 640, 810]],
    ["TensorFlowScatter_RepeatedIndices_Add", "add", [3, 3], M3, [2, 1], [1, 1], [2, 3], [10, 20, 30, 70, 80, 90], sdn([1], [0], [0]), [1, 2, 3, 84, 105, 126, 7, 8, 9]],
    ["ScatterNd", "set", [3, 3, 2], ND, [2, 2], [0, 0, 1, 0], [2, 2], [-10, 10, -40, 40], sdn([1], [0, 1], [0, 1]),
      [-10, 10, -2, 2, -3, 3, -40, 40, -5, 5, -6, 6, -7, 7, -8, 8, -9, 9]],
    ["DynamicUpdateSlice", "set", [3, 3], M3, [2], [1, 1], [2, 2], [10, 20, 30, 40], sdn([0, 1], [], [0, 1]), [1, 2, 3, 4, 10, 20, 7, 30, 40]],
    ["BatchDynamicUpdateSlice", "set", [3, 3], M3, [2, 2], [2, 1, 1, 1], [2, 1, 2], [10, 20, 30, 40], sdn([1, 2], [], [0, 1]), [1, 2, 3, 4, 30, 40, 7, 10, 20]],
    ["OutOfBoundsUpdatesAreDropped", "set", [3, 3], M3, [6, 2], [2, 7, 2, 1, 1, 1, 5, 1, 2147483647, 1, 1, 2], [6, 1, 2],
      [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], sdn([1, 2], [], [0, 1]), [1, 2, 3, 4, 50, 60, 7, 30, 40]],
    ["OneScalarIndex", "set", [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1], [1], [1, 3, 2], [10, 20, 30, 40, 50, 60], sdn([0, 1, 2], [], [0]),
      [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60]],
    ["ScalarUpdate", "set", [4], [1, 2, 3, 4], [1], [1], [], [25], sdn([], [0], [0]), [1, 25, 3, 4]],
    ["EmptyIndices", "set", [3], [1, 2, 3], [0, 1], [], [0], [], sdn([], [0], [0]), [1, 2, 3]],
  ];
  for (const [name, op, os, od, is, id, us, ud, dn, expected] of cases) {
    it(name, () => {
      const opP = put(inst, new Int32Array(od)), idxP = put(inst, new Int32Array(id)), updP = put(inst, new Int32Array(ud));
      scatter(inst, {
        dtype: "int32", op, operand: { ptr: opP, shape: os }, indices: { ptr: idxP, shape: is },
        updates: { ptr: updP, shape: us }, dimensionNumbers: dn,
      });
      expect(Array.from(getTA(inst, "int32", opP, size(os)))).toEqual(expected);
      for (const p of [opP, idxP, updP]) inst.heap.free(p);
    });
  }

  it("clip mode clamps the window start instead of dropping", () => {
    const opP = put(inst, new Int32Array(M3)), idxP = put(inst, new Int32Array([5, -3])), updP = put(inst, new Int32Array([10, 20, 30, 70, 80, 90]));
    scatter(inst, {
      dtype: "int32", op: "add", operand: { ptr: opP, shape: [3, 3] }, indices: { ptr: idxP, shape: [2, 1] },
      updates: { ptr: updP, shape: [2, 3] }, dimensionNumbers: sdn([1], [0], [0]), mode: "clip",
    });
    expect(Array.from(getTA(inst, "int32", opP, 9))).toEqual([71, 82, 93, 4, 5, 6, 17, 28, 39]);
    for (const p of [opP, idxP, updP]) inst.heap.free(p);
  });
});

// ---- random dimension numbers -------------------------------------------------------------

function pick<T>(r: () => number, xs: T[], k: number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }
  return a.slice(0, k);
}

function randomGatherCase(r: () => number): GatherCase {
  const rank = randInt(r, 1, 3);
  const operandShape = Array.from({ length: rank }, () => randInt(r, 1, 5));
  const dims = operandShape.map((_, d) => d);
  // batching dims: pairs of operand dim / indices batch dim
  const nBatching = r() < 0.25 ? randInt(r, 1, Math.min(1, rank)) : 0;
  const operandBatchingDims = pick(r, dims, nBatching).sort((a, b) => a - b);
  const free = dims.filter((d) => !operandBatchingDims.includes(d));
  const K = randInt(r, 0, free.length);
  const startIndexMap = pick(r, free, K);
  const collapsedSliceDims = free.filter(() => r() < 0.4).sort((a, b) => a - b);
  const sliceSizes = operandShape.map((n, d) =>
    operandBatchingDims.includes(d) || collapsedSliceDims.includes(d) ? 1 : r() < 0.05 ? 0 : randInt(r, 1, n));
  const nb = randInt(r, nBatching, nBatching + 2);
  const batchShape = Array.from({ length: nb }, () => randInt(r, r() < 0.05 ? 0 : 1, 4));
  const startIndicesBatchingDims = pick(r, batchShape.map((_, i) => i), nBatching);
  startIndicesBatchingDims.forEach((j, i) => { batchShape[j] = operandShape[operandBatchingDims[i]]; });
  const nWindow = dims.filter((d) => !collapsedSliceDims.includes(d) && !operandBatchingDims.includes(d)).length;
  const outRank = nb + nWindow;
  const offsetDims = pick(r, Array.from({ length: outRank }, (_, i) => i), nWindow).sort((a, b) => a - b);
  return {
    operandShape, indicesShape: [...batchShape, K], sliceSizes,
    dn: { offsetDims, collapsedSliceDims, startIndexMap, operandBatchingDims, startIndicesBatchingDims },
  };
}

function randomScatterCase(r: () => number): ScatterCase {
  const rank = randInt(r, 1, 3);
  const operandShape = Array.from({ length: rank }, () => randInt(r, 1, 5));
  const dims = operandShape.map((_, d) => d);
  const nBatching = r() < 0.25 ? 1 : 0;
  const operandBatchingDims = pick(r, dims, nBatching).sort((a, b) => a - b);
  const free = dims.filter((d) => !operandBatchingDims.includes(d));
  const K = randInt(r, 0, free.length);
  const scatterDimsToOperandDims = pick(r, free, K);
  const insertedWindowDims = free.filter(() => r() < 0.4).sort((a, b) => a - b);
  const windowDims = dims.filter((d) => !insertedWindowDims.includes(d) && !operandBatchingDims.includes(d));
  const windowShape = windowDims.map((d) => (r() < 0.05 ? 0 : randInt(r, 1, operandShape[d])));
  const nb = randInt(r, nBatching, nBatching + 2);
  const batchShape = Array.from({ length: nb }, () => randInt(r, r() < 0.05 ? 0 : 1, 4));
  const scatterIndicesBatchingDims = pick(r, batchShape.map((_, i) => i), nBatching);
  scatterIndicesBatchingDims.forEach((j, i) => { batchShape[j] = operandShape[operandBatchingDims[i]]; });
  const updRank = nb + windowDims.length;
  const updateWindowDims = pick(r, Array.from({ length: updRank }, (_, i) => i), windowDims.length).sort((a, b) => a - b);
  const updatesShape = new Array<number>(updRank);
  updateWindowDims.forEach((d, i) => { updatesShape[d] = windowShape[i]; });
  let j = 0;
  for (let d = 0; d < updRank; d++) if (!updateWindowDims.includes(d)) updatesShape[d] = batchShape[j++];
  return {
    operandShape, indicesShape: [...batchShape, K], updatesShape,
    dn: { updateWindowDims, insertedWindowDims, scatterDimsToOperandDims, operandBatchingDims, scatterIndicesBatchingDims },
  };
}

function randomIndices(c: { operandShape: number[]; indicesShape: number[] }, map: readonly number[], r: () => number): Int32Array {
  const idx = new Int32Array(size(c.indicesShape));
  const K = c.indicesShape[c.indicesShape.length - 1];
  for (let i = 0; i < idx.length; i++) {
    const n = c.operandShape[map[i % K]];
    const u = r();
    idx[i] = u < 0.08 ? randInt(r, -4, -1) : u < 0.16 ? randInt(r, n, n + 3) : u < 0.18 ? (r() < 0.5 ? 2147483647 : -2147483648) : randInt(r, 0, n - 1);
  }
  return idx;
}

describe("gather: random dimension numbers", () => {
  const inst = wasm();
  for (const dtype of DTYPES) {
    it(`matches XLA's semantics for ${dtype} (clip and fill)`, () => {
      const r = rng(1000 + DTYPES.indexOf(dtype));
      for (let t = 0; t < 150; t++) {
        const c = randomGatherCase(r);
        const operand = randomData(dtype, size(c.operandShape), r);
        const idx = randomIndices(c, c.dn.startIndexMap, r);
        const outShape = gatherShape(c.operandShape, c.indicesShape, c.dn, c.sliceSizes);
        const es = operand.BYTES_PER_ELEMENT;
        // the operand as a strided view (reversed and padded) in half of the cases
        const strided = r() < 0.5;
        let opP: number, view: { strides?: number[]; offset?: number } = {};
        if (strided) {
          const st = strides(c.operandShape).map((s) => 2 * s);
          const rev = c.operandShape.map(() => r() < 0.5);
          const big = new (operand.constructor as new (n: number) => TA)(2 * size(c.operandShape) + 2);
          let offset = 0;
          rev.forEach((f, d) => { if (f) { offset += (c.operandShape[d] - 1) * st[d]; st[d] = -st[d]; } });
          const opSt = strides(c.operandShape);
          for (const I of indices(c.operandShape)) big[offset + dot(I, st)] = operand[dot(I, opSt)];
          opP = put(inst, big);
          view = { strides: st, offset };
        } else {
          opP = put(inst, operand);
        }
        const idxP = put(inst, idx);
        const outP = inst.heap.alloc(Math.max(1, size(outShape) * es));
        for (const mode of ["clip", "fill"] as const) {
          gather(inst, {
            dtype, operand: { ptr: opP, shape: c.operandShape, ...view }, indices: { ptr: idxP, shape: c.indicesShape },
            dimensionNumbers: c.dn, sliceSizes: c.sliceSizes, mode, fillValue: dtype === "bool" ? true : 99, out: outP,
          });
          const fillRaw = dtype === "float16" ? toFloat16Bits(99) : dtype === "bool" ? 1 : 99;
          expectSame(dtype, getTA(inst, dtype, outP, size(outShape)), refGather(c, operand, idx, mode, fillRaw), `${mode} ${JSON.stringify(c)} idx [${idx}]`);
        }
        for (const p of [opP, idxP, outP]) inst.heap.free(p);
      }
    });
  }

  it("takes elements and rows fast (np.take, x[idx]) and checks the result", () => {
    const r = rng(77);
    const n = 1 << 16, m = 1 << 20;
    const table = new Float32Array(n).map(() => r());
    const idx = new Int32Array(m).map(() => randInt(r, -2, n + 1));
    const tp = put(inst, table), ip = put(inst, idx), op = inst.heap.alloc(4 * m);
    const run = () => gather(inst, {
      dtype: "float32", operand: { ptr: tp, shape: [n] }, indices: { ptr: ip, shape: [m, 1] },
      dimensionNumbers: g([], [0], [0]), sliceSizes: [1], out: op,
    });
    run();
    const t0 = performance.now();
    run();
    const t1 = performance.now();
    const got = getTA(inst, "float32", op, m);
    for (let i = 0; i < m; i += 997) expect(got[i]).toBe(table[Math.min(Math.max(idx[i], 0), n - 1)]);
    // rows of a [4096, 64] matrix
    const rows = 4096, cols = 64, k = 1 << 14;
    const mat = new Float32Array(rows * cols).map(() => r());
    const ridx = new Int32Array(k).map(() => randInt(r, 0, rows - 1));
    const mp = put(inst, mat), rp = put(inst, ridx), rop = inst.heap.alloc(4 * k * cols);
    const runRows = () => gather(inst, {
      dtype: "float32", operand: { ptr: mp, shape: [rows, cols] }, indices: { ptr: rp, shape: [k, 1] },
      dimensionNumbers: g([1], [0], [0]), sliceSizes: [1, cols], out: rop,
    });
    runRows();
    const t2 = performance.now();
    runRows();
    const t3 = performance.now();
    const rgot = getTA(inst, "float32", rop, k * cols);
    for (let i = 0; i < k; i += 101) expect(Array.from(rgot.subarray(i * cols, (i + 1) * cols))).toEqual(Array.from(mat.subarray(ridx[i] * cols, (ridx[i] + 1) * cols)));
    console.log(`gather: 1M elements from 64K float32 in ${(t1 - t0).toFixed(1)} ms; 16K rows of 64 float32 in ${(t3 - t2).toFixed(1)} ms`);
    for (const p of [tp, ip, op, mp, rp, rop]) inst.heap.free(p);
  });
});

describe("scatter: random dimension numbers", () => {
  const inst = wasm();
  const ops: ScatterOp[] = ["set", "add", "mul", "min", "max"];
  for (const dtype of DTYPES) {
    it(`matches XLA's semantics for ${dtype} (every combine op, drop and clip)`, () => {
      const r = rng(2000 + DTYPES.indexOf(dtype));
      for (let t = 0; t < 120; t++) {
        const c = randomScatterCase(r);
        const operand = randomData(dtype, size(c.operandShape), r);
        const upd = randomData(dtype, size(c.updatesShape), r);
        const idx = randomIndices(c, c.dn.scatterDimsToOperandDims, r);
        const op = ops[t % ops.length];
        const mode = r() < 0.5 ? "drop" : "clip";
        // updates as a strided (transposed-order, padded) view in some cases
        let updP: number, view: { strides?: number[]; offset?: number } = {};
        if (r() < 0.4) {
          const st = strides(c.updatesShape).map((s) => 3 * s);
          const big = new (upd.constructor as new (n: number) => TA)(3 * size(c.updatesShape) + 1);
          const uSt = strides(c.updatesShape);
          for (const I of indices(c.updatesShape)) big[1 + dot(I, st)] = upd[dot(I, uSt)];
          updP = put(inst, big);
          view = { strides: st, offset: 1 };
        } else {
          updP = put(inst, upd);
        }
        const opP = put(inst, operand), idxP = put(inst, idx);
        scatter(inst, {
          dtype, op, operand: { ptr: opP, shape: c.operandShape }, indices: { ptr: idxP, shape: c.indicesShape },
          updates: { ptr: updP, shape: c.updatesShape, ...view }, dimensionNumbers: c.dn, mode,
        });
        const exp = refScatter(c, dtype, op, operand, idx, upd, mode);
        expectSame(dtype, getTA(inst, dtype, opP, size(c.operandShape)), exp, `${op} ${mode} ${JSON.stringify(c)} idx [${idx}]`);
        for (const p of [opP, idxP, updP]) inst.heap.free(p);
      }
    });
  }

  it("accumulates repeated indices (x.at[idx].add) and is fast for 1M updates", () => {
    const r = rng(3);
    const n = 1000, m = 1 << 20;
    const idx = new Int32Array(m).map(() => randInt(r, -5, n + 4));
    const upd = new Int32Array(m).map(() => randInt(r, -100, 100));
    const opP = put(inst, new Int32Array(n)), idxP = put(inst, idx), updP = put(inst, upd);
    const t0 = performance.now();
    scatter(inst, {
      dtype: "int32", op: "add", operand: { ptr: opP, shape: [n] }, indices: { ptr: idxP, shape: [m, 1] },
      updates: { ptr: updP, shape: [m] }, dimensionNumbers: sdn([], [0], [0]),
    });
    const t1 = performance.now();
    const exp = new Int32Array(n);
    for (let i = 0; i < m; i++) if (idx[i] >= 0 && idx[i] < n) exp[idx[i]] += upd[i];
    expect(getTA(inst, "int32", opP, n)).toEqual(exp);
    console.log(`scatter-add: 1M int32 updates in ${(t1 - t0).toFixed(1)} ms`);
    for (const p of [opP, idxP, updP]) inst.heap.free(p);
  });

  it("rejects inconsistent dimension numbers", () => {
    expect(() => scatter(inst, {
      dtype: "int32", op: "set", operand: { ptr: 0, shape: [3, 3] }, indices: { ptr: 0, shape: [2, 1] },
      updates: { ptr: 0, shape: [3, 3] }, dimensionNumbers: sdn([1], [0], [0]),
    })).toThrow(/batch shape/);
    expect(() => gather(inst, {
      dtype: "int32", operand: { ptr: 0, shape: [3, 3] }, indices: { ptr: 0, shape: [2, 1] },
      dimensionNumbers: g([1], [0], [0]), sliceSizes: [2, 3], out: 0,
    })).toThrow(/slice size/);
  });
});
