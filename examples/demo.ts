// The seed's first example: NumPy-style arrays on the CPU backend (Wasm SIMD).
//   npm run demo
import { numpy as np, memoryStats, tidy } from "../ts/index.js";

function time<T>(label: string, fn: () => T, reps = 5): T {
  let result!: T;
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
    if (i < reps - 1) (result as { dispose?: () => void }).dispose?.();
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[Math.floor(reps / 2)].toFixed(1)} ms (best ${times[0].toFixed(1)} ms, ${reps} runs)`);
  return result;
}

console.log("edgejax demo: the seed's first example\n");
const x = np.ones([5000, 5000]);
const y = np.arange(5000).astype("float32");
console.log(`x = np.ones([5000, 5000]) -> shape [${x.shape}], ${x.dtype}`);
console.log(`y = np.arange(5000)        -> shape [${y.shape}], ${y.dtype}\n`);

const z = time("np.sin(x) + np.cos(y)   (5000x5000 float32, eager)", () =>
  tidy(() => np.add(np.sin(x), np.cos(y))),
);
console.log(`z[0, :4] = ${JSON.stringify((z.get("0, :4").tolist() as number[]).map((v) => +v.toFixed(6)))}`);
console.log(`expected = ${JSON.stringify([0, 1, 2, 3].map((j) => +(Math.sin(1) + Math.cos(j)).toFixed(6)))}`);

// The same in plain JS loops, for scale.
const t0 = performance.now();
const out = new Float32Array(5000 * 5000);
for (let i = 0; i < 5000; i++) for (let j = 0; j < 5000; j++) out[i * 5000 + j] = Math.sin(1) + Math.cos(j);
console.log(`plain JS loops (Math.sin/Math.cos): ${(performance.now() - t0).toFixed(1)} ms`);

z.dispose();
console.log("\nmemory:", memoryStats());
