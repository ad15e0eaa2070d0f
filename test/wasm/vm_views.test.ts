// Kernel VM: strided views (broadcast, transposed, reversed, offset, small inner dims),
// reductions over every axis subset (both schedules), argmax ties and NaN, epilogues,
// multiple outputs, empty and scalar shapes, float64, summation accuracy — against a scalar
// JS evaluator of the kernel IR.
import { afterEach, describe, expect, it } from "vitest";
import type { DType, FusedKernel, ReduceOp, ScalarNode } from "../../ts/runtime/kernel.js";
import { runFused, vmDebug } from "../../wasm/vm.js";
import { indices, rng } from "./helpers.js";
import {
  builds, close, contiguous, f16round, inp, isFloat, run, same, toDtype, upload, wrap, type In,
} from "./vm_helpers.js";

// ---- a scalar evaluator of the kernel IR (enough ops for these tests)

function evalNodes(nodes: ScalarNode[], idx: number[], ins: In[], reduced: number): number[] {
  const v: number[] = [];
  for (const n of nodes) {
    let r: number;
    switch (n.kind) {
      case "input": {
        const x = ins[n.input];
        let off = x.offset ?? 0;
        for (let i = 0; i < idx.length; i++) off += idx[i] * x.strides[i];
        r = x.data[off];
        break;
      }
      case "const": r = n.value; break;
      case "iota": r = idx[n.axis]; break;
      case "reduced": r = reduced; break;
      case "cast": {
        const a = v[n.arg];
        if (n.dtype === "bool") r = a !== 0 ? 1 : 0;
        else if (isFloat(n.dtype) || !Number.isFinite(a)) r = Number.isNaN(a) ? 0 : a;
        else r = Math.trunc(a);
        break;
      }
      case "unary": {
        const a = v[n.arg];
        const f: Record<string, (x: number) => number> = { neg: (x) => -x, abs: Math.abs, sin: Math.sin, exp: Math.exp, cos: Math.cos, log: Math.log, sqrt: Math.sqrt };
        r = f[n.op](a);
        break;
      }
      case "binary": {
        const [a, b] = [v[n.args[0]], v[n.args[1]]];
        switch (n.op) {
          case "add": r = a + b; break;
          case "sub": r = a - b; break;
          case "mul": r = isFloat(n.dtype) ? a * b : Math.imul(a, b); break;
          case "div": r = a / b; break;
          case "max": r = Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b); break;
          case "min": r = Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b); break;
          case "gt": r = +(a > b); break;
          case "lt": r = +(a < b); break;
          default: throw new Error(n.op);
        }
        break;
      }
      case "select": r = v[n.args[0]] ? v[n.args[1]] : v[n.args[2]]; break;
      default: throw new Error("node");
    }
    v.push(toDtype(r, n.dtype));
  }
  return v;
}

function identity(op: ReduceOp, d: DType): number {
  switch (op) {
    case "sum": case "or": return 0;
    case "prod": return 1;
    case "and": return d === "bool" ? 1 : wrap(-1, d);
    case "max": return isFloat(d) ? -Infinity : d === "int32" ? -(2 ** 31) : d === "int16" ? -32768 : d === "int8" ? -128 : 0;
    case "min": return isFloat(d) ? Infinity : d === "int32" ? 2 ** 31 - 1 : d === "int16" ? 32767 : d === "int8" ? 127 : d === "uint32" ? 2 ** 32 - 1 : d === "uint16" ? 65535 : d === "uint8" ? 255 : 1;
    default: return 0;
  }
}

/** Reference outputs of k (epilogue inputs indexed over the output space). */
function evalKernel(k: FusedKernel, shape: number[], ins: In[]): number[][] {
  const outs: number[][] = k.outputs.map(() => []);
  const red = k.reduce;
  if (!red) {
    for (const idx of indices(shape)) {
      const v = evalNodes(k.nodes, idx, ins, 0);
      k.outputs.forEach((o, i) => outs[i].push(toDtype(v[o.node], o.dtype)));
    }
    return outs;
  }
  const kept = shape.map((_, i) => i).filter((i) => !red.axes.includes(i));
  const argD = k.nodes[red.arg].dtype;
  const d = red.dtype;
  const isArg = red.op === "argmax" || red.op === "argmin";
  for (const oidx of indices(kept.map((i) => shape[i]))) {
    let acc = isArg ? NaN : identity(red.op, d);
    let best = isArg ? (red.op === "argmax" ? -Infinity : Infinity) : 0;
    let bi = 0;
    let count = 0;
    for (const ridx of indices(red.axes.map((i) => shape[i]))) {
      const idx = new Array(shape.length);
      kept.forEach((a, j) => (idx[a] = oidx[j]));
      red.axes.forEach((a, j) => (idx[a] = ridx[j]));
      const x = evalNodes(k.nodes, idx, ins, 0)[red.arg];
      const pos = ridx[0] ?? 0;
      switch (red.op) {
        case "sum": acc = d === "bool" ? acc | x : acc + x; break;
        case "prod": acc = isFloat(d) ? acc * x : d === "bool" ? acc & x : wrap(Math.imul(acc, x), d); break;
        case "max": acc = Number.isNaN(acc) || Number.isNaN(x) ? NaN : Math.max(acc, x); break;
        case "min": acc = Number.isNaN(acc) || Number.isNaN(x) ? NaN : Math.min(acc, x); break;
        case "and": acc = wrap(acc & x, d); break;
        case "or": acc = wrap(acc | x, d); break;
        case "argmax":
        case "argmin": {
          const better = Number.isNaN(x) ? !Number.isNaN(best) : !Number.isNaN(best) && (red.op === "argmax" ? x > best : x < best);
          if (count === 0 || better) {
            if (count === 0 || better) {
              best = x;
              bi = pos;
            }
          }
          break;
        }
      }
      count++;
    }
    void argD;
    const res = isArg ? bi : toDtype(acc, d);
    const epi = k.epilogue ?? [{ kind: "reduced", dtype: isArg ? "int32" : d }];
    const v = evalNodes(epi, oidx, ins, res);
    k.outputs.forEach((o, i) => outs[i].push(toDtype(v[o.node], o.dtype)));
  }
  return outs;
}

function check(got: number[][], ref: number[][], what: string, tol?: [number, number]): void {
  expect(got.length).toBe(ref.length);
  for (let o = 0; o < ref.length; o++) {
    expect(got[o].length, `${what}: output ${o} length`).toBe(ref[o].length);
    for (let i = 0; i < ref[o].length; i++) {
      const ok = tol ? close(got[o][i], ref[o][i], tol[0], tol[1]) : same(got[o][i], ref[o][i], false);
      if (!ok) throw new Error(`${what}: output ${o} element ${i}: got ${got[o][i]}, expected ${ref[o][i]}`);
    }
  }
}

function randomData(d: DType, n: number, seed: number, lo = -4, hi = 4): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => toDtype(isFloat(d) ? lo + r() * (hi - lo) : Math.floor(lo + r() * (hi - lo + 1)), d));
}

const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** A view of `shape` into a fresh buffer: random permutation, flips, an offset. */
function randomView(shape: number[], d: DType, seed: number, broadcast: boolean): In {
  const r = rng(seed);
  const D = shape.length;
  const perm = shape.map((_, i) => i).sort(() => r() - 0.5);
  const bshape = shape.map((s, i) => (broadcast && r() < 0.4 ? 1 : s));
  // lay out bshape in permuted order, with padding on a random axis
  const pad = D > 0 ? Math.floor(r() * 3) : 0;
  const padAxis = Math.floor(r() * D);
  const strides = new Array(D).fill(0);
  let acc = 1;
  for (let j = D - 1; j >= 0; j--) {
    const a = perm[j];
    strides[a] = acc;
    acc *= bshape[a] + (a === padAxis ? pad : 0);
  }
  let offset = 3;
  for (let i = 0; i < D; i++) {
    if (bshape[i] === 1) strides[i] = 0;
    else if (r() < 0.3) {
      offset += (bshape[i] - 1) * strides[i];
      strides[i] = -strides[i];
    }
  }
  return { dtype: d, data: randomData(d, acc + 3, seed + 1), strides, offset };
}

describe.each(builds)("kernel VM views and reductions (%s build)", (_name, inst) => {
  afterEach(() => {
    vmDebug.schedule = "auto";
  });

  const addMul = (d: DType): FusedKernel => ({
    inputs: [{ dtype: d }, { dtype: d }],
    nodes: [
      inp(0, d), inp(1, d), { kind: "const", value: 2, dtype: d },
      { kind: "binary", op: "mul", args: [1, 2], dtype: d }, { kind: "binary", op: "add", args: [0, 3], dtype: d },
    ],
    outputs: [{ node: 4, dtype: d }],
  });

  describe("elementwise views", () => {
    for (const d of ["float32", "int8", "float64", "float16", "uint16"] as DType[]) {
      it(`broadcast / transposed / reversed / offset views (${d})`, () => {
        const shape = [4, 5, 6];
        const a: In = { dtype: d, data: randomData(d, 120, 1), strides: contiguous(shape) };
        const cases: [string, In][] = [
          ["row broadcast", { dtype: d, data: randomData(d, 6, 2), strides: [0, 0, 1] }],
          ["column broadcast", { dtype: d, data: randomData(d, 4, 3), strides: [1, 0, 0] }],
          ["scalar", { dtype: d, data: randomData(d, 1, 4), strides: [0, 0, 0] }],
          ["transposed", { dtype: d, data: randomData(d, 120, 5), strides: [1, 4, 20] }],
          ["reversed", { dtype: d, data: randomData(d, 120, 6), strides: [-30, -6, -1], offset: 119 }],
          ["offset slice", { dtype: d, data: randomData(d, 400, 7), strides: [60, 12, 2], offset: 17 }],
        ];
        for (const [what, b] of cases) {
          const k = addMul(d);
          check(run(inst, k, shape, [a, b], 120), evalKernel(k, shape, [a, b]), `${what} ${d}`);
          // and with the roles swapped (the view first)
          check(run(inst, k, shape, [b, a], 120), evalKernel(k, shape, [b, a]), `${what} (swapped) ${d}`);
        }
      });
    }

    it("small inner dimensions spanning many rows", () => {
      for (const shape of [[700, 3], [3, 2, 500], [2000, 1], [1, 2000], [5, 7, 3, 11], [1030, 2]]) {
        const n = sizeOf(shape);
        const a: In = { dtype: "float32", data: randomData("float32", n, 1), strides: contiguous(shape) };
        // b: the transpose of a contiguous buffer of the reversed shape
        const rs = shape.slice().reverse();
        const bs = contiguous(rs).reverse();
        const b: In = { dtype: "float32", data: randomData("float32", n, 2), strides: bs };
        const k = addMul("float32");
        check(run(inst, k, shape, [a, b], n), evalKernel(k, shape, [a, b]), `shape [${shape}]`);
        check(run(inst, k, shape, [b, b], n), evalKernel(k, shape, [b, b]), `shape [${shape}] both strided`);
      }
    });

    it("random views (property test)", () => {
      const r = rng(99);
      for (let t = 0; t < 80; t++) {
        const D = Math.floor(r() * 5);
        const shape = Array.from({ length: D }, () => (r() < 0.2 ? 1 : 1 + Math.floor(r() * (r() < 0.2 ? 300 : 9))));
        const n = sizeOf(shape);
        const d = (["float32", "int32", "float64", "uint8", "float16"] as DType[])[t % 5];
        const a = randomView(shape, d, 1000 + t, true);
        const b = randomView(shape, d, 2000 + t, true);
        const k = addMul(d);
        check(run(inst, k, shape, [a, b], n), evalKernel(k, shape, [a, b]), `case ${t} shape [${shape}] ${d}`);
      }
    });

    it("scalar and empty shapes", () => {
      const k = addMul("float32");
      const s: In = { dtype: "float32", data: [1.5], strides: [] };
      const t: In = { dtype: "float32", data: [2], strides: [] };
      check(run(inst, k, [], [s, t], 1), [[5.5]], "scalar");
      // size 0: nothing written (run() checks the sentinel bytes)
      const e: In = { dtype: "float32", data: [], strides: [5, 1] };
      expect(run(inst, k, [0, 5], [e, e], 0)).toEqual([[]]);
      expect(run(inst, k, [5, 0, 3], [{ ...e, strides: [0, 3, 1] }, { ...e, strides: [0, 3, 1] }], 0)).toEqual([[]]);
    });
  });

  describe("multiple outputs", () => {
    it("several outputs of different dtypes from one elementwise kernel", () => {
      const k: FusedKernel = {
        inputs: [{ dtype: "float32" }, { dtype: "float32" }],
        nodes: [
          inp(0, "float32"), inp(1, "float32"), { kind: "binary", op: "add", args: [0, 1], dtype: "float32" },
          { kind: "cast", arg: 2, dtype: "int32" }, { kind: "const", value: 7, dtype: "int8" },
          { kind: "binary", op: "gt", args: [0, 1], dtype: "bool" }, { kind: "cast", arg: 2, dtype: "float16" },
        ],
        outputs: [
          { node: 2, dtype: "float32" }, { node: 3, dtype: "int32" }, { node: 0, dtype: "float32" },
          { node: 4, dtype: "int8" }, { node: 2, dtype: "float32" }, { node: 5, dtype: "bool" }, { node: 6, dtype: "float16" },
        ],
      };
      for (const shape of [[1501], [3, 7], [64, 32]]) {
        const n = sizeOf(shape);
        const a: In = { dtype: "float32", data: randomData("float32", n, 3, -100, 100), strides: contiguous(shape) };
        const b: In = { dtype: "float32", data: randomData("float32", n, 4, -100, 100), strides: contiguous(shape) };
        check(run(inst, k, shape, [a, b], n), evalKernel(k, shape, [a, b]), `multi-output [${shape}]`);
      }
    });
  });

  describe("reductions", () => {
    const OPS: ReduceOp[] = ["sum", "max", "min", "prod", "and", "or", "argmax", "argmin"];
    const DT: DType[] = ["float32", "int32", "float64", "uint8", "bool", "float16", "int16"];
    const SHAPES = [[4, 5, 6], [3, 4, 5, 2], [33, 70, 9]];
    for (const shape of SHAPES) {
      for (const d of DT) {
        it(`every axis subset of [${shape}] (${d})`, () => {
          const D = shape.length;
          const n = sizeOf(shape);
          for (let mask = 0; mask < 1 << D; mask++) {
            const axes = [...Array(D).keys()].filter((i) => mask & (1 << i));
            for (const op of OPS) {
              const isArg = op === "argmax" || op === "argmin";
              if (isArg && axes.length !== 1) continue;
              if ((op === "and" || op === "or") && isFloat(d)) continue;
              if (op === "prod" && n > 200 && isFloat(d) && d !== "float64") continue;
              const rd: DType = isArg ? "int32" : d;
              const k: FusedKernel = {
                inputs: [{ dtype: d }],
                nodes: [inp(0, d)],
                reduce: { op, axes, arg: 0, dtype: rd },
                epilogue: [{ kind: "reduced", dtype: rd }],
                outputs: [{ node: 0, dtype: rd }],
              };
              const lo = op === "prod" ? (isFloat(d) ? 0.9 : -2) : -50;
              const hi = op === "prod" ? (isFloat(d) ? 1.1 : 2) : 50;
              // a transposed view every other case
              const x: In =
                mask % 2
                  ? { dtype: d, data: randomData(d, n, mask + 7, lo, hi), strides: contiguous(shape) }
                  : { dtype: d, data: randomData(d, n, mask + 7, lo, hi), strides: contiguous(shape.slice().reverse()).reverse() };
              const ref = evalKernel(k, shape, [x]);
              const nOut = ref[0].length;
              const tol: [number, number] | undefined =
                isFloat(d) && (op === "sum" || op === "prod") ? (d === "float16" ? [2e-3, 0.05] : [1e-5, 1e-4]) : undefined;
              for (const sched of ["outer", "inner", "auto"] as const) {
                vmDebug.schedule = sched;
                check(run(inst, k, shape, [x], nOut), ref, `${op} axes [${axes}] ${d} ${sched}`, tol);
              }
            }
          }
        });
      }
    }

    it("block boundaries: long and short reduced ranges", () => {
      for (const [shape, axes] of [
        [[3, 2500], [1]], [[2500, 3], [0]], [[2500, 3], [1]], [[3, 2500], [0]], [[5000], [0]], [[2, 1029, 3], [0, 2]],
        [[1029, 5, 2], [1]], [[1, 1, 4099], [2]],
      ] as [number[], number[]][]) {
        const n = sizeOf(shape);
        for (const op of ["sum", "max", "argmax"] as ReduceOp[]) {
          if (op === "argmax" && axes.length !== 1) continue;
          const rd: DType = op === "argmax" ? "int32" : "float32";
          const k: FusedKernel = {
            inputs: [{ dtype: "float32" }],
            nodes: [inp(0, "float32")],
            reduce: { op, axes, arg: 0, dtype: rd },
            epilogue: [{ kind: "reduced", dtype: rd }],
            outputs: [{ node: 0, dtype: rd }],
          };
          const x: In = { dtype: "float32", data: randomData("float32", n, n), strides: contiguous(shape) };
          const ref = evalKernel(k, shape, [x]);
          for (const sched of ["outer", "inner", "auto"] as const) {
            vmDebug.schedule = sched;
            check(run(inst, k, shape, [x], ref[0].length), ref, `${op} [${shape}] axes [${axes}] ${sched}`, op === "sum" ? [1e-5, 1e-4] : undefined);
          }
        }
      }
    });

    it("argmax / argmin: ties take the lowest index, NaN wins (first NaN)", () => {
      const rows = [
        [1, 3, 3, 2, 3],
        [NaN, 1, NaN, 5, 5],
        [2, 2, 2, 2, 2],
        [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
        [0, -0, 0, 7, NaN],
        [Infinity, 1, Infinity, NaN, 0],
      ];
      const data = rows.flat();
      for (const op of ["argmax", "argmin"] as const) {
        for (const d of ["float32", "float64", "float16"] as DType[]) {
          const k: FusedKernel = {
            inputs: [{ dtype: d }],
            nodes: [inp(0, d)],
            reduce: { op, axes: [1], arg: 0, dtype: "int32" },
            epilogue: [{ kind: "reduced", dtype: "int32" }],
            outputs: [{ node: 0, dtype: "int32" }],
          };
          const want =
            op === "argmax" ? [1, 0, 0, 0, 4, 3] : [0, 0, 0, 0, 4, 3];
          for (const sched of ["outer", "inner"] as const) {
            vmDebug.schedule = sched;
            expect(run(inst, k, [6, 5], [{ dtype: d, data, strides: [5, 1] }], 6)[0], `${op} ${d} ${sched}`).toEqual(want);
            // the same along axis 0 of the transpose
            const kt = { ...k, reduce: { ...k.reduce!, axes: [0] } };
            expect(run(inst, kt, [5, 6], [{ dtype: d, data, strides: [1, 5] }], 6)[0], `${op} ${d} ${sched} (axis 0)`).toEqual(want);
          }
        }
      }
      // integer ties over a long range (several blocks)
      const n = 5000;
      const ints = Array.from({ length: n }, (_, i) => (i % 1000 === 999 ? 77 : i % 50));
      const k: FusedKernel = {
        inputs: [{ dtype: "int32" }],
        nodes: [inp(0, "int32")],
        reduce: { op: "argmax", axes: [0], arg: 0, dtype: "int32" },
        epilogue: [{ kind: "reduced", dtype: "int32" }],
        outputs: [{ node: 0, dtype: "int32" }],
      };
      for (const sched of ["outer", "inner"] as const) {
        vmDebug.schedule = sched;
        expect(run(inst, k, [n], [{ dtype: "int32", data: ints, strides: [1] }], 1)[0]).toEqual([999]);
      }
    });

    it("empty reductions give the identity", () => {
      const mk = (op: ReduceOp, d: DType): FusedKernel => ({
        inputs: [{ dtype: d }],
        nodes: [inp(0, d)],
        reduce: { op, axes: [0], arg: 0, dtype: d },
        epilogue: [{ kind: "reduced", dtype: d }],
        outputs: [{ node: 0, dtype: d }],
      });
      for (const sched of ["outer", "inner"] as const) {
        vmDebug.schedule = sched;
        const x: In = { dtype: "float32", data: [], strides: [3, 1] };
        expect(run(inst, mk("sum", "float32"), [0, 3], [x], 3)[0]).toEqual([0, 0, 0]);
        expect(run(inst, mk("max", "float32"), [0, 3], [x], 3)[0]).toEqual([-Infinity, -Infinity, -Infinity]);
        expect(run(inst, mk("prod", "float32"), [0, 3], [x], 3)[0]).toEqual([1, 1, 1]);
        expect(run(inst, mk("min", "int8"), [0, 2], [{ ...x, dtype: "int8" }], 2)[0]).toEqual([127, 127]);
        expect(run(inst, mk("and", "uint8"), [0, 2], [{ ...x, dtype: "uint8" }], 2)[0]).toEqual([255, 255]);
        // nothing to write when the output is empty
        expect(run(inst, { ...mk("sum", "float32"), reduce: { op: "sum", axes: [1], arg: 0, dtype: "float32" } }, [0, 3], [x], 0)).toEqual([[]]);
      }
      // full reduction of a scalar, and a reduction over no axes
      const s: In = { dtype: "float32", data: [4.5], strides: [] };
      expect(run(inst, { ...mk("sum", "float32"), reduce: { op: "sum", axes: [], arg: 0, dtype: "float32" } }, [], [s], 1)[0]).toEqual([4.5]);
      const v: In = { dtype: "float32", data: [1, 2, 3], strides: [1] };
      expect(run(inst, { ...mk("max", "float32"), reduce: { op: "max", axes: [], arg: 0, dtype: "float32" } }, [3], [v], 3)[0]).toEqual([1, 2, 3]);
    });

    it("fused producers and epilogues (inputs, iota, constants, several outputs)", () => {
      // out0 = sum_j(x * y) * (1/n) + bias[i];  out1 = exp(reduced) > iota(i) ; out2 = reduced
      const k: FusedKernel = {
        inputs: [{ dtype: "float32" }, { dtype: "float32" }, { dtype: "float32", epilogue: true }],
        nodes: [inp(0, "float32"), inp(1, "float32"), { kind: "binary", op: "mul", args: [0, 1], dtype: "float32" }],
        reduce: { op: "sum", axes: [1], arg: 2, dtype: "float32" },
        epilogue: [
          { kind: "reduced", dtype: "float32" }, { kind: "const", value: 0.125, dtype: "float32" },
          { kind: "binary", op: "mul", args: [0, 1], dtype: "float32" }, inp(2, "float32"),
          { kind: "binary", op: "add", args: [2, 3], dtype: "float32" }, { kind: "iota", axis: 0, dtype: "int32" },
          { kind: "cast", arg: 5, dtype: "float32" }, { kind: "binary", op: "gt", args: [4, 6], dtype: "bool" },
        ],
        outputs: [{ node: 4, dtype: "float32" }, { node: 7, dtype: "bool" }, { node: 0, dtype: "float32" }],
      };
      for (const [m, n] of [[10, 8], [3000, 8], [7, 2100]]) {
        const x: In = { dtype: "float32", data: randomData("float32", m * n, 1), strides: [n, 1] };
        const y: In = { dtype: "float32", data: randomData("float32", n, 2), strides: [0, 1] }; // broadcast row
        const bias: In = { dtype: "float32", data: randomData("float32", m, 3, -20, 20), strides: [1] };
        const ref = evalKernel(k, [m, n], [x, y, bias]);
        for (const sched of ["outer", "inner", "auto"] as const) {
          vmDebug.schedule = sched;
          const got = run(inst, k, [m, n], [x, y, bias], m);
          check([got[0], got[2]], [ref[0], ref[2]], `epilogue [${m}, ${n}] ${sched}`, [1e-5, 1e-4]);
          // the comparison may flip only where the values are within rounding of each other
          for (let i = 0; i < m; i++) if (Math.abs(ref[0][i] - i) > 1e-3) expect(got[1][i]).toBe(ref[1][i]);
        }
      }
    });

    it("epilogue inputs with strided views over a 2-D output space", () => {
      const shape = [6, 50, 7];
      const k: FusedKernel = {
        inputs: [{ dtype: "float32" }, { dtype: "float32", epilogue: true }],
        nodes: [inp(0, "float32")],
        reduce: { op: "max", axes: [1], arg: 0, dtype: "float32" },
        epilogue: [{ kind: "reduced", dtype: "float32" }, inp(1, "float32"), { kind: "binary", op: "sub", args: [0, 1], dtype: "float32" }],
        outputs: [{ node: 2, dtype: "float32" }],
      };
      const x: In = { dtype: "float32", data: randomData("float32", 2100, 5), strides: contiguous(shape) };
      for (const e of [
        { dtype: "float32", data: randomData("float32", 42, 6), strides: [1, 6] }, // transposed
        { dtype: "float32", data: randomData("float32", 7, 7), strides: [0, 1] }, // broadcast
        { dtype: "float32", data: randomData("float32", 50, 8), strides: [-7, -1], offset: 41 }, // reversed
      ] as In[]) {
        const ref = evalKernel(k, shape, [x, e]);
        for (const sched of ["outer", "inner"] as const) {
          vmDebug.schedule = sched;
          check(run(inst, k, shape, [x, e], 42), ref, `epilogue view ${sched}`);
        }
      }
    });

    it("float16 sums accumulate in float32 and round once", () => {
      const n = 3000;
      const data = Array.from({ length: n }, () => f16round(0.1));
      const k: FusedKernel = {
        inputs: [{ dtype: "float16" }],
        nodes: [inp(0, "float16")],
        reduce: { op: "sum", axes: [0], arg: 0, dtype: "float16" },
        epilogue: [{ kind: "reduced", dtype: "float16" }],
        outputs: [{ node: 0, dtype: "float16" }],
      };
      for (const sched of ["outer", "inner"] as const) {
        vmDebug.schedule = sched;
        const [got] = run(inst, k, [n], [{ dtype: "float16", data, strides: [1] }], 1);
        expect(got[0]).toBe(f16round(n * f16round(0.1)));
      }
    });

    it("float64 reductions and views", () => {
      const shape = [30, 40];
      const x: In = { dtype: "float64", data: randomData("float64", 1200, 11), strides: [1, 30] };
      for (const op of ["sum", "prod", "max", "argmin"] as ReduceOp[]) {
        for (const axes of [[0], [1], [0, 1]]) {
          if (op === "argmin" && axes.length > 1) continue;
          const rd: DType = op === "argmin" ? "int32" : "float64";
          const k: FusedKernel = {
            inputs: [{ dtype: "float64" }],
            nodes: [inp(0, "float64"), { kind: "unary", op: "sin", arg: 0, dtype: "float64" }],
            reduce: { op, axes, arg: 1, dtype: rd },
            epilogue: [{ kind: "reduced", dtype: rd }],
            outputs: [{ node: 0, dtype: rd }],
          };
          const ref = evalKernel(k, shape, [x]);
          for (const sched of ["outer", "inner"] as const) {
            vmDebug.schedule = sched;
            check(run(inst, k, shape, [x], ref[0].length), ref, `${op} [${axes}] f64 ${sched}`, op === "argmin" ? undefined : [1e-13, 1e-300]);
          }
        }
      }
    });

    it("float32 sums are accurate (16M elements, and 16384 rows per column)", () => {
      const r = rng(5);
      const n = 1 << 24;
      const ptr = inst.heap.alloc(n * 4);
      const f32 = new Float32Array(inst.heap.views().bytes, ptr, n);
      let exact = 0;
      for (let i = 0; i < n; i++) {
        f32[i] = 0.5 + r();
        exact += f32[i];
      }
      const out = inst.heap.alloc(256 * 4);
      const sum = (axes: number[], shape: number[]): FusedKernel => ({
        inputs: [{ dtype: "float32" }],
        nodes: [inp(0, "float32")],
        reduce: { op: "sum", axes, arg: 0, dtype: "float32" },
        epilogue: [{ kind: "reduced", dtype: "float32" }],
        outputs: [{ node: 0, dtype: "float32" }],
      });
      for (const sched of ["inner", "outer", "auto"] as const) {
        vmDebug.schedule = sched;
        runFused(inst, sum([0], [n]), [n], [{ ptr, layout: { strides: [1], offset: 0 } }], [out]);
        const got = new Float32Array(inst.heap.views().bytes, out, 1)[0];
        expect(Math.abs(got - exact) / exact, `1-D ${sched}`).toBeLessThan(1e-6);
      }
      // columns of [65536, 256]: each output sums 65536 values
      const cols = new Float64Array(256);
      for (let i = 0; i < n; i++) cols[i & 255] += f32[i];
      for (const sched of ["outer", "inner", "auto"] as const) {
        vmDebug.schedule = sched;
        runFused(inst, sum([0], [65536, 256]), [65536, 256], [{ ptr, layout: { strides: [256, 1], offset: 0 } }], [out]);
        const got = new Float32Array(inst.heap.views().bytes, out, 256);
        for (let j = 0; j < 256; j++) expect(Math.abs(got[j] - cols[j]) / cols[j], `column ${j} ${sched}`).toBeLessThan(1e-6);
      }
      inst.heap.free(ptr);
      inst.heap.free(out);
    });

    it("hoists costly subexpressions of broadcast inputs (same results)", () => {
      const f = "float32" as const;
      // out0 = sin(x) + cos(y) * exp(z);  out1 = cos(y);  out2 = cos(y) + iota(1)
      const k: FusedKernel = {
        inputs: [{ dtype: f }, { dtype: f }, { dtype: f }],
        nodes: [
          inp(0, f), { kind: "unary", op: "sin", arg: 0, dtype: f }, inp(1, f), { kind: "unary", op: "cos", arg: 2, dtype: f },
          inp(2, f), { kind: "unary", op: "exp", arg: 4, dtype: f }, { kind: "binary", op: "mul", args: [3, 5], dtype: f },
          { kind: "binary", op: "add", args: [1, 6], dtype: f }, { kind: "iota", axis: 1, dtype: "int32" },
          { kind: "cast", arg: 8, dtype: f }, { kind: "binary", op: "add", args: [3, 9], dtype: f },
        ],
        outputs: [{ node: 7, dtype: f }, { node: 3, dtype: f }, { node: 10, dtype: f }],
      };
      const shape = [70, 130];
      const n = 70 * 130;
      const x: In = { dtype: f, data: randomData(f, n, 1), strides: [130, 1] };
      const y: In = { dtype: f, data: randomData(f, 130, 2), strides: [0, 1] };
      const z: In = { dtype: f, data: randomData(f, 70, 3), strides: [1, 0] };
      const zs: In = { dtype: f, data: [0.25], strides: [0, 0] };
      for (const zz of [z, zs]) {
        const ref = evalKernel(k, shape, [x, y, zz]);
        const before = vmDebug.hoisted;
        check(run(inst, k, shape, [x, y, zz], n), ref, "hoisted", [1e-6, 1e-6]);
        expect(vmDebug.hoisted - before).toBe(3); // cos(y), exp(z), cos(y) + iota
      }
      // inside a reduction: sum over rows of sin(x) * cos(y)
      const kr: FusedKernel = {
        inputs: [{ dtype: f }, { dtype: f }],
        nodes: [
          inp(0, f), { kind: "unary", op: "sin", arg: 0, dtype: f }, inp(1, f), { kind: "unary", op: "cos", arg: 2, dtype: f },
          { kind: "binary", op: "mul", args: [1, 3], dtype: f },
        ],
        reduce: { op: "sum", axes: [1], arg: 4, dtype: f },
        epilogue: [{ kind: "reduced", dtype: f }],
        outputs: [{ node: 0, dtype: f }],
      };
      const refr = evalKernel(kr, shape, [x, y]);
      for (const sched of ["outer", "inner"] as const) {
        vmDebug.schedule = sched;
        check(run(inst, kr, shape, [x, y], 70), refr, `hoisted in a reduction (${sched})`, [1e-5, 1e-5]);
      }
    });

    it("an output may reuse an input's buffer (same layout)", () => {
      const f = "float32" as const;
      // out0 = x + 1 (written first), out1 = x * 2 (reads x after), out0 aliases x
      const k: FusedKernel = {
        inputs: [{ dtype: f }],
        nodes: [
          inp(0, f), { kind: "const", value: 1, dtype: f }, { kind: "binary", op: "add", args: [0, 1], dtype: f },
          { kind: "binary", op: "add", args: [0, 0], dtype: f },
        ],
        outputs: [{ node: 2, dtype: f }, { node: 3, dtype: f }],
      };
      const n = 3000;
      const data = randomData(f, n, 4);
      const x = upload(inst, f, data);
      const o1 = inst.heap.alloc(n * 4);
      runFused(inst, k, [n], [{ ptr: x, layout: { strides: [1], offset: 0 } }], [x, o1]);
      const buf = inst.heap.views().bytes;
      expect(Array.from(new Float32Array(buf, x, n))).toEqual(data.map((v) => Math.fround(v + 1)));
      expect(Array.from(new Float32Array(buf, o1, n))).toEqual(data.map((v) => Math.fround(v + v)));
      inst.heap.free(x);
      inst.heap.free(o1);
    });

    it("keeps working after the memory grows", () => {
      const k = addMul("float32");
      const a: In = { dtype: "float32", data: randomData("float32", 100, 1), strides: [1] };
      check(run(inst, k, [100], [a, a], 100), evalKernel(k, [100], [a, a]), "before");
      const big = inst.heap.alloc(64 << 20);
      check(run(inst, k, [100], [a, a], 100), evalKernel(k, [100], [a, a]), "after growth");
      inst.heap.free(big);
      const p = upload(inst, "float32", [1, 2, 3]);
      inst.heap.free(p);
    });
  });
});
