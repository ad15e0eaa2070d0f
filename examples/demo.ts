// npm run demo: the seed tutorial, end to end, on the embedded CPU backend (Wasm SIMD).
// 1. the NumPy wrapper, timed against plain JS loops (and NumPy when python3 has it)
// 2. the same under jit            3. grad and grad(grad) of sin(x)/x, drawn to an SVG file
// 4. vmap(grad) against a loop      5. PRNG keys
// 6. a stax network on Iris          7. an MLP and a small CNN on the 8x8 digits
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { grad, jit, numpy as np, optimizers, random, stax, tidy, vmap, type Array } from "../ts/index.js";
import { loadDigits, loadIris, standardize, trainTestSplit, type Dataset } from "./datasets.js";
import { linePlot } from "./plot_svg.js";

const t0Demo = performance.now();
const ms = (t: number) => `${t.toFixed(1)} ms`;

function timeIt<T>(fn: () => T, reps = 5): [T, number] {
  let result!: T;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
    if (i < reps - 1) (result as { dispose?: () => void }).dispose?.();
  }
  times.sort((a, b) => a - b);
  return [result, times[Math.floor(reps / 2)]];
}

function heading(s: string): void {
  console.log(`\n== ${s} ${"=".repeat(Math.max(0, 70 - s.length))}`);
}

// ---- 1. The NumPy wrapper -------------------------------------------------------------------
heading("1. NumPy on the CPU: np.sin(x) + np.cos(y)");
const x = np.ones([5000, 5000]);
const y = np.arange(5000).astype("float32");
console.log(`x = np.ones([5000, 5000]) -> [${x.shape}] ${x.dtype};  y = np.arange(5000) -> [${y.shape}] ${y.dtype}`);
const [z, tEager] = timeIt(() => tidy(() => np.add(np.sin(x), np.cos(y))));
console.log(`np.sin(x) + np.cos(y): median ${ms(tEager)}; z[0, :3] = ${JSON.stringify((z.get("0, :3").tolist() as number[]).map((v) => +v.toFixed(6)))}`);
z.dispose();
// np.ones is one value broadcast (zero strides), so sin(x) above is computed once and only
// the add runs per element. The same with 25M distinct values:
const xr = random.uniform(random.PRNGKey(1), [5000, 5000]);
const [zr, tEagerR] = timeIt(() => tidy(() => np.add(np.sin(xr), np.cos(y))));
zr.dispose();
console.log(`with x = random.uniform(key, [5000, 5000]) (25M distinct values): median ${ms(tEagerR)}`);
{
  const t0 = performance.now();
  const out = new Float32Array(5000 * 5000);
  for (let i = 0; i < 5000; i++) for (let j = 0; j < 5000; j++) out[i * 5000 + j] = Math.sin(1) + Math.cos(j);
  console.log(`plain JS loops (Math.sin, Math.cos): ${ms(performance.now() - t0)}`);
}
const py = spawnSync(
  "python3",
  ["-c", "import numpy as np,time\nx=np.random.default_rng(1).random((5000,5000),dtype=np.float32);y=np.arange(5000,dtype=np.float32)\nts=[]\nfor _ in range(5):\n t=time.perf_counter();np.sin(x)+np.cos(y);ts.append(time.perf_counter()-t)\nprint(sorted(ts)[2]*1000)"],
  { encoding: "utf8" },
);
console.log(py.status === 0 ? `NumPy (python3), x random: median ${ms(Number(py.stdout))}` : "NumPy: python3 with NumPy not found, skipped");

// ---- 2. jit ----------------------------------------------------------------------------------
heading("2. The same under jit: one fused kernel");
const f = jit((a: Array, b: Array) => np.add(np.sin(a), np.cos(b)));
const [zj, tJit] = timeIt(() => f(xr, y));
console.log(`jit(sin(x) + cos(y)), x random: median ${ms(tJit)} (kernels: ${f.lower(xr, y).kernels.join("; ")})`);
zj.dispose();

// ---- 3. grad ---------------------------------------------------------------------------------
heading("3. grad and grad(grad) of sin(x)/x");
const sinc = (v: Array) => np.sin(v).div(v);
const dsinc = grad(sinc);
const d2sinc = grad(grad(sinc));
console.log(`grad(sin(x)/x)(2.0) = ${dsinc(2.0).item().toFixed(8)} (JAX: -0.43539777)`);
const xs = np.linspace(-10, 10, 400);
const curves = [
  { label: "sin(x)/x", f: sinc, color: "#1f77b4" },
  { label: "grad", f: dsinc, color: "#ff7f0e" },
  { label: "grad(grad)", f: d2sinc, color: "#2ca02c" },
].map((c) => ({ label: c.label, color: c.color, xs: xs.dataSync(), ys: vmap(c.f)(xs).dataSync() }));
const plotPath = join(tmpdir(), "edgejax-sinc-derivatives.svg");
writeFileSync(plotPath, linePlot(curves, "sin(x)/x and its first two derivatives (edgejax grad)"));
console.log(`plot written to ${plotPath}`);

// ---- 4. vmap ---------------------------------------------------------------------------------
heading("4. vmap(grad) against a JS loop of grad calls");
const pts = np.linspace(0.5, 10, 1000);
const ptsJs = globalThis.Array.from(pts.dataSync() as Float32Array);
let tLoop = performance.now();
for (const p of ptsJs) dsinc(p).dispose();
tLoop = performance.now() - tLoop;
const vg = vmap(dsinc);
const [gv, tVmap] = timeIt(() => vg(pts));
gv.dispose();
console.log(`loop: ${ms(tLoop)}; vmap: ${ms(tVmap)}; speed-up ${(tLoop / tVmap).toFixed(0)}x`);

// ---- 5. PRNG ---------------------------------------------------------------------------------
heading("5. PRNG keys: the same key gives the same numbers");
const key = random.PRNGKey(0);
const [k1, k2] = random.split(key);
const fmt = (a: Array) => JSON.stringify((a.tolist() as number[]).map((v) => +v.toFixed(6)));
console.log(`PRNGKey(0) = ${JSON.stringify(random.keyData(key).tolist())}`);
console.log(`normal(k1, [3]) = ${fmt(random.normal(k1, [3]))}; again: ${fmt(random.normal(k1, [3]))}`);
console.log(`normal(k2, [3]) = ${fmt(random.normal(k2, [3]))} (a different key, different numbers)`);

// ---- training helpers ------------------------------------------------------------------------
type Net = ReturnType<typeof stax.serial>;

function oneHot(yy: Int32Array, k: number): Array {
  const out = new Float32Array(yy.length * k);
  yy.forEach((c, i) => (out[i * k + c] = 1));
  return np.array(out).reshape([yy.length, k]);
}

/** Trains `net` with adam on minibatches; returns the held-out accuracy. */
function train(name: string, net: Net, data: [Dataset, Dataset], shape: number[], opts: { lr: number; epochs: number; batch: number; seed: number }): number {
  const [trainSet, testSet] = data;
  const [init, apply] = net;
  const [, params0] = init(random.PRNGKey(opts.seed), [-1, ...shape]);
  const [optInit, optUpdate, getParams] = optimizers.adam(opts.lr);
  const loss = (p: unknown, xb: Array, yb: Array) => np.mean(np.sum((apply(p as never, xb) as Array).mul(yb), 1)).neg();
  const step = jit((i: Array, state: unknown, xb: Array, yb: Array) => optUpdate(i, grad(loss)(getParams(state as never), xb, yb), state as never), { donateArgnums: 1 });
  const predict = jit((p: unknown, xb: Array) => np.argmax(apply(p as never, xb) as Array, 1));
  const X = np.array(trainSet.x).reshape([trainSet.n, ...shape]);
  const Y = oneHot(trainSet.y, trainSet.classes);
  const Xt = np.array(testSet.x).reshape([testSet.n, ...shape]);
  let state = optInit(params0 as never);
  let it = 0;
  const t0 = performance.now();
  const nb = Math.ceil(trainSet.n / opts.batch);
  for (let e = 0; e < opts.epochs; e++) {
    for (let b = 0; b < nb; b++) {
      const lo = b * opts.batch;
      const hi = Math.min(trainSet.n, lo + opts.batch);
      if (hi - lo < opts.batch && nb > 1) continue; // one batch shape: one compiled step
      const xb = X.get(`${lo}:${hi}`);
      const yb = Y.get(`${lo}:${hi}`);
      state = step(np.array(it++, "float32") as Array, state, xb, yb);
    }
    if ((e + 1) % Math.max(1, Math.floor(opts.epochs / 5)) === 0 || e + 1 === opts.epochs) {
      const l = loss(getParams(state as never), X, Y).item();
      process.stdout.write(`\r  ${name}: epoch ${e + 1}/${opts.epochs}, training loss ${l.toFixed(4)}   `);
    }
  }
  const pred = predict(getParams(state as never), Xt).dataSync();
  let correct = 0;
  pred.forEach((c, i) => (correct += c === testSet.y[i] ? 1 : 0));
  const acc = correct / testSet.n;
  console.log(`\n  ${name}: ${it} steps in ${ms(performance.now() - t0)}; test accuracy ${(100 * acc).toFixed(1)}% (${correct}/${testSet.n})`);
  return acc;
}

// ---- 6. Iris ---------------------------------------------------------------------------------
heading("6. stax on Iris: serial(Dense(10), Relu, Dense(3), LogSoftmax), adam(0.01)");
const iris = trainTestSplit(loadIris(), 0.2, 42);
standardize(iris[0], iris[1]);
const irisNet = stax.serial(stax.Dense(10), stax.Relu, stax.Dense(3), stax.LogSoftmax);
const irisAcc = train("Iris", irisNet, iris, [4], { lr: 0.01, epochs: 300, batch: 120, seed: 0 });

// ---- 7. digits -------------------------------------------------------------------------------
heading("7. The 8x8 handwritten digits: an MLP and a small CNN");
const digits = trainTestSplit(loadDigits(), 0.2, 7);
for (const d of digits) for (let i = 0; i < d.x.length; i++) d.x[i] /= 16;
const mlp = stax.serial(stax.Dense(128), stax.Relu, stax.Dense(10), stax.LogSoftmax);
const mlpAcc = train("MLP", mlp, digits, [64], { lr: 3e-3, epochs: 30, batch: 128, seed: 1 });
const cnn = stax.serial(
  stax.Conv(16, [3, 3], { padding: "SAME" }), stax.Relu, stax.AvgPool([2, 2], { strides: [2, 2] }),
  stax.Conv(32, [3, 3], { padding: "SAME" }), stax.Relu, stax.MaxPool([2, 2], { strides: [2, 2] }),
  stax.Flatten, stax.Dense(64), stax.Relu, stax.Dense(10), stax.LogSoftmax,
);
const cnnAcc = train("CNN", cnn, digits, [8, 8, 1], { lr: 3e-3, epochs: 30, batch: 128, seed: 2 });

heading("Summary");
console.log(`Iris test accuracy ${(100 * irisAcc).toFixed(1)}% (goal >= 95%), digits MLP ${(100 * mlpAcc).toFixed(1)}%, CNN ${(100 * cnnAcc).toFixed(1)}% (goal >= 97%)`);
console.log(`whole demo: ${(performance.now() - t0Demo) / 1000 < 120 ? "" : "(over two minutes) "}${((performance.now() - t0Demo) / 1000).toFixed(1)} s`);
if (irisAcc < 0.95 || cnnAcc < 0.97) process.exitCode = 1;
