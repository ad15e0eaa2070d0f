// Micro-benchmark of the kernel VM (npx tsx bench/vm.ts): per-call overhead of a tiny eager
// op, sin(x) + cos(y) with broadcasting (eager as three one-op kernels, and fused), a
// broadcast add, and sums over each axis of a square matrix. Medians after warm-up.
import { wasm } from "../wasm/instance.js";
import { runFused } from "../wasm/vm.js";
import type { DType, FusedKernel, ScalarNode } from "../ts/runtime/kernel.js";

const inst = wasm();
const f32 = "float32" as const;
const inp = (input: number, dtype: DType = f32): ScalarNode => ({ kind: "input", input, dtype });
const lay = (strides: number[]) => ({ strides, offset: 0 });

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median over `reps` timings (ms) of fn, after `warm` untimed runs. */
function time(fn: () => void, reps: number, warm = 5): number {
  for (let i = 0; i < warm; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function fill(ptr: number, n: number, f: (i: number) => number): void {
  const v = new Float32Array(inst.heap.views().bytes, ptr, n);
  for (let i = 0; i < n; i++) v[i] = f(i);
}

const unary = (op: "sin" | "cos"): FusedKernel => ({
  inputs: [{ dtype: f32 }],
  nodes: [inp(0), { kind: "unary", op, arg: 0, dtype: f32 }],
  outputs: [{ node: 1, dtype: f32 }],
});
const add: FusedKernel = {
  inputs: [{ dtype: f32 }, { dtype: f32 }],
  nodes: [inp(0), inp(1), { kind: "binary", op: "add", args: [0, 1], dtype: f32 }],
  outputs: [{ node: 2, dtype: f32 }],
};
const fused: FusedKernel = {
  inputs: [{ dtype: f32 }, { dtype: f32 }],
  nodes: [
    inp(0), { kind: "unary", op: "sin", arg: 0, dtype: f32 }, inp(1), { kind: "unary", op: "cos", arg: 2, dtype: f32 },
    { kind: "binary", op: "add", args: [1, 3], dtype: f32 },
  ],
  outputs: [{ node: 4, dtype: f32 }],
};
const sum = (axis: number): FusedKernel => ({
  inputs: [{ dtype: f32 }],
  nodes: [inp(0)],
  reduce: { op: "sum", axes: [axis], arg: 0, dtype: f32 },
  epilogue: [{ kind: "reduced", dtype: f32 }],
  outputs: [{ node: 0, dtype: f32 }],
});

const results: Record<string, number> = {};
function report(name: string, value: number, unit: string): void {
  results[name] = value;
  console.log(`${name.padEnd(52)} ${value.toFixed(unit === "us" ? 3 : 2).padStart(9)} ${unit}`);
}

console.log(`kernel VM benchmark (${inst.relaxed ? "relaxed SIMD" : "SIMD"} build, Node ${process.versions.node})`);

// 1. per-call cost of an eager add of 100 floats
{
  const n = 100;
  const a = inst.heap.alloc(n * 4);
  const b = inst.heap.alloc(n * 4);
  const o = inst.heap.alloc(n * 4);
  fill(a, n, (i) => i);
  fill(b, n, (i) => 2 * i);
  const ins = [{ ptr: a, layout: lay([1]) }, { ptr: b, layout: lay([1]) }];
  const outs = [o];
  const shape = [n];
  const calls = 20000;
  const ms = time(() => {
    for (let i = 0; i < calls; i++) runFused(inst, add, shape, ins, outs);
  }, 15, 20);
  report("add, 100 float32 (per call)", (ms * 1000) / calls, "us");
}

// 2. sin(x) + cos(y), x [5000, 5000], y [5000] broadcast along rows
{
  const N = 5000;
  const x = inst.heap.alloc(N * N * 4);
  const y = inst.heap.alloc(N * 4);
  const z = inst.heap.alloc(N * N * 4);
  const t1 = inst.heap.alloc(N * N * 4);
  const t2 = inst.heap.alloc(N * 4);
  fill(x, N * N, (i) => ((i % 9973) - 4986) * 1e-3);
  fill(y, N, (i) => i * 1e-3);
  const eager = () => {
    runFused(inst, unary("sin"), [N, N], [{ ptr: x, layout: lay([N, 1]) }], [t1]);
    runFused(inst, unary("cos"), [N], [{ ptr: y, layout: lay([1]) }], [t2]);
    runFused(inst, add, [N, N], [{ ptr: t1, layout: lay([N, 1]) }, { ptr: t2, layout: lay([0, 1]) }], [z]);
  };
  const one = () => runFused(inst, fused, [N, N], [{ ptr: x, layout: lay([N, 1]) }, { ptr: y, layout: lay([0, 1]) }], [z]);
  const sinOnly = () => runFused(inst, unary("sin"), [N * N], [{ ptr: x, layout: lay([1]) }], [t1]);
  const bcastAdd = () =>
    runFused(inst, add, [N, N], [{ ptr: t1, layout: lay([N, 1]) }, { ptr: t2, layout: lay([0, 1]) }], [z]);
  const copy = () => {
    const buf = inst.heap.views().bytes;
    new Float32Array(buf, z, N * N).set(new Float32Array(buf, t1, N * N));
  };
  report("(reference: copy 100 MB with TypedArray.set)", time(copy, 7), "ms");
  report("sin(x) on 25M float32", time(sinOnly, 7), "ms");
  report("x + y, [5000,5000] + [5000] broadcast", time(bcastAdd, 7), "ms");
  report("sin(x) + cos(y) 5000x5000, eager (three kernels)", time(eager, 7), "ms");
  report("sin(x) + cos(y) 5000x5000, one fused kernel", time(one, 7), "ms");
  for (const p of [x, y, z, t1, t2]) inst.heap.free(p);
}

// 3. sums over each axis of 4096 x 4096
{
  const N = 4096;
  const x = inst.heap.alloc(N * N * 4);
  const o = inst.heap.alloc(N * 4);
  fill(x, N * N, (i) => (i % 7) * 0.25);
  for (const axis of [0, 1]) {
    const k = sum(axis);
    report(`sum over axis ${axis} of 4096x4096`, time(() => runFused(inst, k, [N, N], [{ ptr: x, layout: lay([N, 1]) }], [o]), 9), "ms");
  }
  inst.heap.free(x);
  inst.heap.free(o);
}

if (process.env.BENCH_JSON) console.log(JSON.stringify(results));
