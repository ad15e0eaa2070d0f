// jit fusion: jit(sin(x) + cos(y)) on 5000x5000 float32 against eager (two kernels and an
// intermediate), and the overhead of a cached jitted call on tiny inputs.
// Run: npx tsx bench/jit_fusion.ts   (medians; shared machines drift, compare ratios)
import { numpy as np, jit, type Array } from "../ts/index.js";

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => void, minMs: number, minReps = 5): number {
  for (let i = 0; i < 2; i++) fn();
  const ts: number[] = [];
  const start = performance.now();
  while (ts.length < minReps || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const N = Number(process.env.N ?? 5000);
const x = np.ones([N, N], "float32").mul(0.5);
const y = np.ones([N, N], "float32").mul(0.25);
const f = (a: Array, b: Array) => np.sin(a).add(np.cos(b));
const jf = jit(f);
console.log("kernels:", jf.lower(x, y).kernels);
const eager = time(() => f(x, y).dispose(), 3000);
const fused = time(() => jf(x, y).dispose(), 3000);
console.log(`sin(x)+cos(y) ${N}x${N} f32: eager ${eager.toFixed(1)} ms, jit ${fused.toFixed(1)} ms, ratio ${(eager / fused).toFixed(2)}x`);

// Per-call overhead on tiny inputs: a cached jitted call vs. the same one-kernel work run eagerly
// through a single primitive (the kernel's own time is about the same).
const s = np.ones([8], "float32");
const t = np.ones([8], "float32");
const one = jit((a: Array, b: Array) => a.add(b));
const reps = 20000;
const loop = (fn: () => void) => {
  const ts: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    ts.push(((performance.now() - t0) * 1000) / reps);
  }
  return median(ts);
};
const tJit = loop(() => one(s, t).dispose());
const tEager = loop(() => s.add(t).dispose());
const three = jit((a: Array, b: Array) => np.sum(np.exp(a.mul(b).sub(1))));
const tJit3 = loop(() => three(s, t).dispose());
console.log(`tiny add: jit ${tJit.toFixed(2)} us/call, eager add ${tEager.toFixed(2)} us/call, jit overhead over eager ~${(tJit - tEager).toFixed(2)} us`);
console.log(`tiny sum(exp(a*b-1)) (one fused kernel): jit ${tJit3.toFixed(2)} us/call`);
