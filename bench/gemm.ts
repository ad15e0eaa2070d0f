// Micro-benchmark of the CPU GEMM and convolution kernels (single thread).
//   npx tsx bench/gemm.ts            (Node 20: plain SIMD build; Node 24+: both builds)
//   node --no-liftoff --import tsx bench/gemm.ts   (to rule out baseline-tier effects)
// Prints GFLOP/s for square float32 matmul (256/512/1024, packing included) and the
// 3×3 convolution of a 1×64×64×32 NHWC image with 32 HWIO filters, SAME padding.
// Each figure is the median of several timed runs after a warm-up; runs of the builds are
// interleaved so that a noisy neighbour hits both alike.
import { kernelBytes, WasmInstance } from "../wasm/instance.js";
import { matmul } from "../wasm/gemm.js";
import { convGeneralDilated } from "../wasm/conv.js";

const imports = {
  env: {
    abort(): never {
      throw new Error("abort");
    },
    seed: () => 0,
  },
};

function instantiate(variant: "simd" | "relaxed"): WasmInstance | undefined {
  const bytes = kernelBytes(variant);
  if (!WebAssembly.validate(bytes)) return undefined;
  return new WasmInstance(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));
}

const builds = (["simd", "relaxed"] as const)
  .map((v) => [v, instantiate(v)] as const)
  .filter((b): b is readonly ["simd" | "relaxed", WasmInstance] => b[1] !== undefined);

function fill(inst: WasmInstance, ptr: number, n: number): void {
  const f = inst.heap.views().f32;
  for (let i = 0; i < n; i++) f[(ptr >> 2) + i] = Math.random() * 2 - 1;
}

interface Bench {
  name: string;
  flops: number;
  setup(inst: WasmInstance): () => void;
}

const benches: Bench[] = [];
for (const n of [256, 512, 1024]) {
  benches.push({
    name: `matmul f32 ${n}×${n}×${n}`,
    flops: 2 * n ** 3,
    setup(inst) {
      const a = inst.heap.alloc(n * n * 4), b = inst.heap.alloc(n * n * 4), c = inst.heap.alloc(n * n * 4);
      fill(inst, a, n * n);
      fill(inst, b, n * n);
      return () =>
        matmul(inst, {
          dtype: "float32", batch: 1, m: n, n, k: n,
          a: { ptr: a, batchStride: 0, rowStride: n, colStride: 1 },
          b: { ptr: b, batchStride: 0, rowStride: n, colStride: 1 },
          c: { ptr: c, batchStride: 0, rowStride: n },
        });
    },
  });
}

// conv: lhs NHWC [1, 64, 64, 32] seen as canonical [N, C, H, W]; rhs HWIO [3, 3, 32, 32] seen
// as [O, I, H, W]; output either NCHW (canonical contiguous) or NHWC (strided).
for (const outLayout of ["NHWC", "NCHW"] as const) {
  const H = 64, W = 64, C = 32, O = 32;
  benches.push({
    name: `conv f32 1×64×64×32 * 3×3×32→32 SAME → ${outLayout}`,
    flops: 2 * H * W * O * C * 9,
    setup(inst) {
      const x = inst.heap.alloc(H * W * C * 4), k = inst.heap.alloc(9 * C * O * 4), y = inst.heap.alloc(H * W * O * 4);
      fill(inst, x, H * W * C);
      fill(inst, k, 9 * C * O);
      return () =>
        convGeneralDilated(inst, {
          dtype: "float32",
          lhs: { ptr: x, shape: [1, C, H, W], strides: [H * W * C, 1, W * C, C] },
          rhs: { ptr: k, shape: [O, C, 3, 3], strides: [1, O, 3 * C * O, C * O] },
          out: { ptr: y, strides: outLayout === "NHWC" ? [H * W * O, 1, W * O, O] : undefined },
          windowStrides: [1, 1],
          padding: [[1, 1], [1, 1]],
        });
    },
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

console.log(`node ${process.versions.node}, builds: ${builds.map((b) => b[0]).join(", ")}`);
const ROUNDS = 7;
for (const bench of benches) {
  const runs = builds.map(([, inst]) => bench.setup(inst));
  // Warm up (tier-up out of Liftoff) and size the repetition count to ~60 ms per timing.
  const reps: number[] = [];
  for (const run of runs) {
    const t0 = performance.now();
    let r = 0;
    while (performance.now() - t0 < 300 || r < 3) {
      run();
      r++;
    }
    const per = (performance.now() - t0) / r;
    reps.push(Math.max(1, Math.round(60 / per)));
  }
  const times: number[][] = builds.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    runs.forEach((run, i) => {
      const t0 = performance.now();
      for (let r = 0; r < reps[i]; r++) run();
      times[i].push((performance.now() - t0) / reps[i]);
    });
  }
  const cols = builds.map(([v], i) => {
    const ms = median(times[i]);
    return `${v}: ${(bench.flops / ms / 1e6).toFixed(1).padStart(5)} GFLOP/s (${ms.toFixed(3)} ms)`;
  });
  console.log(`${bench.name.padEnd(48)} ${cols.join("   ")}`);
}
