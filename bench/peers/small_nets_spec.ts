// The two small networks of the tutorial that every peer trains in the "iris-train-step" and
// "digits-cnn-step" cases, on the same deterministic data (shapes of the real data sets: Iris's
// 120 training rows of 4 features, 3 classes; a batch of 128 8×8 digits, 10 classes).
import { randomData } from "./types.js";

export const IRIS = { n: 120, features: 4, hidden: 10, classes: 3, lr: 0.01 };
export const DIGITS = { batch: 128, side: 8, classes: 10, conv1: 16, conv2: 32, hidden: 64, lr: 3e-3 };
export const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 };

/** n rows of one-hot labels over k classes, flattened. */
export function oneHotLabels(n: number, k: number, seed: number): Float32Array {
  const y = new Float32Array(n * k);
  const labels = randomData(n, seed);
  for (let i = 0; i < n; i++) y[i * k + Math.floor(labels[i] * k)] = 1;
  return y;
}

/** Iris-shaped batch: inputs [120, 4] roughly standardized, one-hot labels [120, 3]. */
export function irisBatch(): { x: Float32Array; y: Float32Array } {
  const x = randomData(IRIS.n * IRIS.features, 21).map((v) => 4 * v - 2);
  return { x, y: oneHotLabels(IRIS.n, IRIS.classes, 22) };
}

/** Digits-shaped batch: inputs [128, 8, 8, 1] (NHWC order) in [0, 1), one-hot labels [128, 10]. */
export function digitsBatch(): { x: Float32Array; y: Float32Array } {
  const x = randomData(DIGITS.batch * DIGITS.side * DIGITS.side, 31);
  return { x, y: oneHotLabels(DIGITS.batch, DIGITS.classes, 32) };
}

/** Glorot-uniform-like weights of a given shape (fan in/out given), from the shared generator. */
export function initWeights(shape: number[], fanIn: number, fanOut: number, seed: number): Float32Array {
  const scale = Math.sqrt(6 / (fanIn + fanOut));
  return randomData(shape.reduce((a, b) => a * b, 1), seed).map((v) => (2 * v - 1) * scale);
}

/** Flattened size after the CNN's two 2×2 stride-2 pools. */
export const CNN_FLAT = (DIGITS.side / 4) * (DIGITS.side / 4) * DIGITS.conv2;
