// The benchmark cases: ids, what they measure and how a time becomes the reported figure.
export interface Case {
  id: string;
  label: string;
  unit: "GFLOP/s" | "ms" | "µs" | "steps/s";
  /** Operations per run() (add-100 runs many adds per call to time them well). */
  opsPerRun?: number;
  /** From a median time in ms per run() to the figure. */
  figure(ms: number): number;
  higherIsBetter: boolean;
  /** How a peer had to deviate from the common program, printed under the table. */
  note?: string;
}

const gflops = (n: number) => (ms: number) => (2 * n ** 3) / (ms * 1e6);

export const ADD_OPS = 1000;

export const CASES: Case[] = [
  { id: "matmul-256", label: "matmul 256×256 f32", unit: "GFLOP/s", figure: gflops(256), higherIsBetter: true },
  { id: "matmul-512", label: "matmul 512×512 f32", unit: "GFLOP/s", figure: gflops(512), higherIsBetter: true },
  { id: "matmul-1024", label: "matmul 1024×1024 f32", unit: "GFLOP/s", figure: gflops(1024), higherIsBetter: true },
  { id: "sincos-5000", label: "sin(x)+cos(y), x 5000×5000, y 5000 (eager)", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "add-100", label: "add of 100 elements (latency per op)", unit: "µs", opsPerRun: ADD_OPS, figure: (ms) => (ms * 1000) / ADD_OPS, higherIsBetter: false },
  { id: "sum-axis0-4096", label: "sum over axis 0 of 4096×4096", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "sum-axis1-4096", label: "sum over axis 1 of 4096×4096", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "jit-sincos-5000", label: "jit(sin(x)+cos(y)), x 5000×5000, y 5000", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "grad-loop-1000", label: "grad(sin(x)/x) at 1000 points, a JS loop", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "vmap-grad-1000", label: "vmap(grad(sin(x)/x)) over 1000 points", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "mlp-step", label: "MLP 784-512-512-10 training step, batch 128, adam (jit)", unit: "steps/s", figure: (ms) => 1000 / ms, higherIsBetter: true },
  { id: "mlp-first-call", label: "MLP training step: first call (trace + compile + run)", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "jit-long-first-call", label: "first call of a new jit of a 2,401-equation program (400 layers of tanh(h·W + mean(h)), 64×64)", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "cold-start", label: "cold start: new Node process, import, add of 100 elements, read back", unit: "ms", figure: (ms) => ms, higherIsBetter: false,
    note: "cold start: the whole child process, timed from outside (Node's own start, about 100 ms on this machine, included); edgejax imports its published bundle (dist/edgejax.js), tfjs-wasm tfjs-core and the wasm backend, jax-js its package" },
  { id: "jit-call-overhead", label: "cached jit call, 2 ops on 100 elements (latency)", unit: "µs", opsPerRun: ADD_OPS, figure: (ms) => (ms * 1000) / ADD_OPS, higherIsBetter: false },
  { id: "conv2d", label: "conv2d NHWC 1×64×64×32, 3×3, 32 filters, SAME", unit: "ms", figure: (ms) => ms, higherIsBetter: false },
  { id: "iris-train-step", label: "Iris net 4-10-3 training step, full batch 120, adam (jit)", unit: "steps/s", figure: (ms) => 1000 / ms, higherIsBetter: true },
  { id: "digits-cnn-step", label: "digits CNN (2 conv, 2 pool, 2 dense) training step, batch 128×8×8, adam (jit; jax-js in NCHW)", unit: "steps/s", figure: (ms) => 1000 / ms, higherIsBetter: true,
    note: "digits CNN: jax-js convolves only NCHW/OIHW, so it trains the same network in that layout (pools via lax.reduceWindow); tfjs-wasm has no Conv2DBackpropFilter kernel, so its 3×3 convolutions run as 1×3×3 conv3d on a depth-1 volume (the wasm backend has conv3d's gradients)" },
  { id: "random-normal-10m", label: "random.normal, 10,000,000 float32", unit: "ms", figure: (ms) => ms, higherIsBetter: false,
    note: "random.normal: each peer uses its own method for the same distribution: edgejax JAX's (threefry-2x32 bits, erf_inv of a uniform; eager, inside tidy), jax-js threefry bits and Box-Muller (a jitted function), NumPy PCG64 and ziggurat" },
];
