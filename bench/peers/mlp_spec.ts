// The MLP every peer trains in the "mlp-*" cases: 784-512-512-10, ReLU, softmax cross-entropy,
// adam(1e-3), batch 128, on the same deterministic random data.
import { randomData } from "./types.js";

export const MLP = { sizes: [784, 512, 512, 10], batch: 128, lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 };

/** Initial weights (scaled uniform) and biases (zeros), as flat Float32Arrays with shapes. */
export function mlpInit(): { w: [Float32Array, number[]][]; b: [Float32Array, number[]][] } {
  const w: [Float32Array, number[]][] = [];
  const b: [Float32Array, number[]][] = [];
  for (let i = 0; i + 1 < MLP.sizes.length; i++) {
    const [m, n] = [MLP.sizes[i], MLP.sizes[i + 1]];
    const scale = Math.sqrt(6 / (m + n));
    w.push([randomData(m * n, 100 + i).map((v) => (2 * v - 1) * scale), [m, n]]);
    b.push([new Float32Array(n), [n]]);
  }
  return { w, b };
}

/** A batch: inputs in [0, 1) and one-hot labels. */
export function mlpBatch(): { x: Float32Array; y: Float32Array } {
  const x = randomData(MLP.batch * MLP.sizes[0], 7);
  const k = MLP.sizes[MLP.sizes.length - 1];
  const y = new Float32Array(MLP.batch * k);
  const labels = randomData(MLP.batch, 9);
  for (let i = 0; i < MLP.batch; i++) y[i * k + Math.floor(labels[i] * k)] = 1;
  return { x, y };
}
