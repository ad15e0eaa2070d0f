// stax's pooling layers MaxPool, SumPool and AvgPool over lax.reduceWindow
// (jax/example_libraries/stax.py _pooling_layer, _normalize_by_window_size).
import type { ArrayBase } from "../array/base.js";
import { paddingPairs } from "../lax/conv.js";
import * as lax from "../lax/index.js";
import * as np from "../numpy/index.js";
import { scoped } from "../numpy/ufuncs_util.js";
import { asArray, asShape, type Layer } from "./layer.js";

export interface PoolOptions {
  /** Window strides over the spatial dimensions (default all 1). */
  strides?: number[] | null;
  /** "VALID" (default), "SAME" or "SAME_LOWER". */
  padding?: string;
  /** The input layout, e.g. "NCHW": where N and C are (default: N first, C last). */
  spec?: string | null;
}

type PoolArgs = [] | [PoolOptions] | [number[] | null | undefined, string?, (string | null)?];

/** Accepts JAX's positional order (strides, padding, spec) or one options object. */
function poolOptions(rest: PoolArgs): PoolOptions {
  const [a, padding, spec] = rest as unknown[];
  if (a && typeof a === "object" && !Array.isArray(a)) return a as PoolOptions;
  return { strides: a as number[] | null, padding: padding as string, spec: spec as string | null };
}

/** `x` with 1 inserted at each of the (sorted) non-spatial axes, as stax builds full windows. */
function withUnitAxes(x: number[], axes: number[]): number[] {
  const out = [...x];
  for (const i of axes) out.splice(i, 0, 1);
  return out;
}

function poolingLayer(name: string, op: "max" | "sum", average: boolean) {
  return (windowShape: number[], ...rest: PoolArgs): Layer => {
    const fn = `stax.${name}`;
    const o = poolOptions(rest);
    if (!Array.isArray(windowShape) || windowShape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new TypeError(`${fn}: windowShape must be a list of positive integers (one per spatial dimension), got ${JSON.stringify(windowShape)}`);
    }
    const nsp = windowShape.length;
    const strides = o.strides && o.strides.length ? o.strides : windowShape.map(() => 1);
    if (strides.length !== nsp) throw new TypeError(`${fn}: strides needs ${nsp} entries (one per window dimension), got ${JSON.stringify(strides)}`);
    const padding = typeof o.padding === "string" ? o.padding.toUpperCase() : (o.padding ?? "VALID");
    if (!["VALID", "SAME", "SAME_LOWER"].includes(padding)) {
      throw new TypeError(`${fn}: padding must be "VALID", "SAME" or "SAME_LOWER", got ${JSON.stringify(padding)}`);
    }
    let nonSpatial = [0, nsp + 1];
    if (o.spec) {
      if (o.spec.length !== nsp + 2 || o.spec.split("N").length !== 2 || o.spec.split("C").length !== 2) {
        throw new TypeError(`${fn}: spec must name N and C once among ${nsp + 2} dimensions, got ${JSON.stringify(o.spec)}`);
      }
      nonSpatial = [o.spec.indexOf("N"), o.spec.indexOf("C")];
    }
    nonSpatial.sort((a, b) => a - b);
    const window = withUnitAxes(windowShape, nonSpatial);
    const fullStrides = withUnitAxes(strides, nonSpatial);
    const checkRank = (s: readonly number[]) => {
      if (s.length !== nsp + 2) {
        throw new TypeError(`${fn}: a ${nsp}-D window needs inputs of rank ${nsp + 2} (batch, spatial..., channels), got shape ${JSON.stringify(s)}`);
      }
    };
    return [
      (_rng, inputShape) => {
        const s = asShape(name, inputShape);
        checkRank(s);
        const pads = paddingPairs(padding, s, window, fullStrides, fn);
        return [s.map((n, i) => Math.floor((n + pads[i][0] + pads[i][1] - window[i]) / fullStrides[i]) + 1), []];
      },
      (_params, inputs) => {
        const x = asArray(name, inputs);
        checkRank(x.shape);
        return scoped(() => {
          const out = lax.reduceWindow(x, op, window, fullStrides, padding);
          if (!average) return out;
          // Divide by the number of real (unpadded) elements in each window.
          const spatial = x.shape.filter((_, i) => !nonSpatial.includes(i));
          const counts: ArrayBase = lax.reduceWindow(np.ones(spatial, x.dtype), "sum", windowShape, strides, padding);
          return np.divide(out, np.expandDims(counts, nonSpatial));
        });
      },
    ];
  };
}

/** MaxPool(windowShape, {strides, padding = "VALID", spec}): the maximum over each window. */
export const MaxPool = poolingLayer("MaxPool", "max", false);
/** SumPool(windowShape, {strides, padding = "VALID", spec}): the sum over each window. */
export const SumPool = poolingLayer("SumPool", "sum", false);
/** AvgPool(windowShape, {strides, padding = "VALID", spec}): the window sum over the count of unpadded elements. */
export const AvgPool = poolingLayer("AvgPool", "sum", true);
