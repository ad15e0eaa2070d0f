// The stax layer protocol (jax.example_libraries.stax): a layer is a pair
// [initFun(rng, inputShape) -> [outputShape, params], applyFun(params, inputs, {rng, ...})].
// Shapes use -1 for a dimension unknown at init time (the batch, as stax does). Params are
// pytrees: JS lists stand for stax's tuples and lists, `[]` for "no params".
import { ArrayBase } from "../array/base.js";
import type { Key } from "../random/index.js";

/** A shape, or a (nested) list of shapes for layers with several inputs/outputs. */
export type Shapes = number[] | Shapes[];
/** Layer parameters: an array or a (nested) list of them; `[]` when a layer has none. */
export type Params = ArrayBase | Params[];
/** Layer inputs/outputs: an array or a (nested) list of arrays. */
export type Inputs = ArrayBase | Inputs[];

/** Keyword arguments of applyFun: `rng` (a PRNG key, needed by Dropout in "train" mode) and anything else layers read. */
export interface ApplyOptions {
  rng?: Key | null;
  [kw: string]: unknown;
}

export type InitFun = (rng: Key, inputShape: Shapes) => [Shapes, Params];
export type ApplyFun = (params: Params, inputs: Inputs, opts?: ApplyOptions) => Inputs;
export type Layer = [InitFun, ApplyFun];

/** A weight initializer: `(key, shape, dtype?) => Array` (nn.initializers' protocol). */
export type Initializer = (key: Key, shape: number[], dtype?: string) => ArrayBase;

const isShape = (s: unknown): s is number[] => Array.isArray(s) && s.every((d) => typeof d === "number");

/** `s` as a single shape of integers (>= -1), or a TypeError naming the layer. */
export function asShape(fn: string, s: Shapes | undefined): number[] {
  if (!isShape(s) || s.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new TypeError(`stax.${fn}: the input shape must be a list of integers (-1 for the batch dimension), got ${JSON.stringify(s)}`);
  }
  return s;
}

/** `s` as a list of shapes (for layers taking several inputs), or a TypeError naming the layer. */
export function asShapeList(fn: string, s: Shapes | undefined): number[][] {
  if (!Array.isArray(s) || s.length === 0 || !s.every((x) => isShape(x))) {
    throw new TypeError(`stax.${fn}: expects a list of input shapes (e.g. the output of FanOut), got ${JSON.stringify(s)}`);
  }
  return s as number[][];
}

/** `x` as a single array, or a TypeError naming the layer. */
export function asArray(fn: string, x: Inputs | undefined): ArrayBase {
  if (!(x instanceof ArrayBase)) {
    throw new TypeError(`stax.${fn}: expects a single array input, got ${Array.isArray(x) ? `a list of ${x.length}` : typeof x}`);
  }
  return x;
}

/** `x` as a list of arrays, or a TypeError naming the layer. */
export function asArrayList(fn: string, x: Inputs | undefined): ArrayBase[] {
  if (!Array.isArray(x) || !x.every((a) => a instanceof ArrayBase)) {
    throw new TypeError(`stax.${fn}: expects a list of arrays as input (e.g. the output of FanOut), got ${x instanceof ArrayBase ? "a single array" : typeof x}`);
  }
  return x as ArrayBase[];
}

/** `params` as a pair [a, b] of arrays (Dense/Conv weights), or a TypeError naming the layer. */
export function asPair(fn: string, params: Params): [ArrayBase, ArrayBase] {
  if (!Array.isArray(params) || params.length !== 2 || !params.every((p) => p instanceof ArrayBase)) {
    throw new TypeError(`stax.${fn}: params must be [W, b] as returned by the layer's initFun, got ${describe(params)}`);
  }
  return params as [ArrayBase, ArrayBase];
}

export function describe(x: unknown): string {
  if (x instanceof ArrayBase) return `${x.dtype}[${x.shape.join(",")}]`;
  if (Array.isArray(x)) return `[${x.map(describe).join(", ")}]`;
  return typeof x;
}

/** Checks a layer is an [initFun, applyFun] pair (a common slip: passing a constructor such as `Dense` uncalled). */
export function checkLayer(fn: string, layer: unknown, i: number): Layer {
  if (!Array.isArray(layer) || layer.length !== 2 || typeof layer[0] !== "function" || typeof layer[1] !== "function") {
    const hint = typeof layer === "function" ? " (a layer constructor must be called, e.g. Dense(10), FanOut(2))" : "";
    throw new TypeError(`stax.${fn}: layer ${i} must be an [initFun, applyFun] pair, got ${typeof layer}${hint}`);
  }
  return layer as Layer;
}
