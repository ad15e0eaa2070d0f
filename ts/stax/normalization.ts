// stax.BatchNorm: normalization with the batch's own statistics (stax keeps no running averages).
import type { ArrayBase } from "../array/base.js";
import * as lax from "../lax/index.js";
import { ones, zeros } from "../nn/initializers.js";
import * as np from "../numpy/index.js";
import { scoped } from "../numpy/ufuncs_util.js";
import { split } from "../random/index.js";
import { asArray, asShape, describe, type Initializer, type Layer } from "./layer.js";

export interface BatchNormOptions {
  /** The axes to normalize over (default [0, 1, 2]: batch and spatial axes of NHWC). */
  axis?: number | number[];
  epsilon?: number;
  /** Add a learned offset beta (default true). */
  center?: boolean;
  /** Multiply by a learned scale gamma (default true). */
  scale?: boolean;
  betaInit?: Initializer;
  gammaInit?: Initializer;
}

/**
 * BatchNorm({axis = [0, 1, 2], epsilon = 1e-5, center = true, scale = true, betaInit = zeros, gammaInit = ones}):
 * z = (x - mean) * rsqrt(var + epsilon) over `axis`, var = max(0, mean(x²) - mean²), then
 * gamma * z + beta with beta, gamma of the input shape without `axis` (params [beta, gamma];
 * a disabled one is `[]`).
 */
export function BatchNorm(opts: BatchNormOptions = {}): Layer {
  const fn = "stax.BatchNorm";
  const { epsilon = 1e-5, center = true, scale = true, betaInit = zeros, gammaInit = ones } = opts;
  const axisList = typeof opts.axis === "number" ? [opts.axis] : (opts.axis ?? [0, 1, 2]);
  if (!Array.isArray(axisList) || axisList.some((a) => !Number.isInteger(a))) {
    throw new TypeError(`${fn}: axis must be an integer or a list of integers, got ${JSON.stringify(opts.axis)}`);
  }
  const axesFor = (rank: number): number[] => {
    const axes = axisList.map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 0 || a >= rank) || new Set(axes).size !== axes.length) {
      throw new TypeError(`${fn}: axis ${JSON.stringify(axisList)} must be distinct axes of a rank-${rank} input`);
    }
    return [...axes].sort((a, b) => a - b);
  };
  return [
    (rng, inputShape) => {
      const s = asShape("BatchNorm", inputShape);
      const axes = axesFor(s.length);
      const shape = s.filter((_, i) => !axes.includes(i));
      if (shape.some((d) => d < 0)) {
        throw new TypeError(`${fn}: the non-normalized dimensions must be known (not -1), got shape ${JSON.stringify(s)} with axis ${JSON.stringify(axisList)}`);
      }
      return scoped(() => {
        const [k1, k2] = [...split(rng)] as ArrayBase[];
        return [s, [center ? betaInit(k1, shape) : [], scale ? gammaInit(k2, shape) : []]];
      });
    },
    (params, inputs) => {
      const x = asArray("BatchNorm", inputs);
      if (!Array.isArray(params) || params.length !== 2) {
        throw new TypeError(`${fn}: params must be [beta, gamma] as returned by initFun, got ${describe(params)}`);
      }
      const [beta, gamma] = params as [ArrayBase, ArrayBase];
      const axes = axesFor(x.ndim);
      return scoped(() => {
        const mean = np.mean(x, axes, { keepdims: true });
        const variance = np.maximum(np.subtract(np.mean(np.square(x), axes, { keepdims: true }), np.square(mean)), 0);
        let z = np.multiply(np.subtract(x, mean), lax.rsqrt(np.add(variance, epsilon)));
        if (scale) z = np.multiply(np.expandDims(gamma, axes), z);
        if (center) z = np.add(z, np.expandDims(beta, axes));
        return z;
      });
    },
  ];
}
