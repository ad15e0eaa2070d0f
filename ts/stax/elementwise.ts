// stax's elementwise layers: a function applied to the input, no params, shape unchanged.
import type { ArrayBase } from "../array/base.js";
import { elu, gelu, leakyRelu, relu, selu, sigmoid, softplus } from "../nn/activations.js";
import { logSoftmax, softmax } from "../nn/functions.js";
import * as np from "../numpy/index.js";
import { asArray, type Layer } from "./layer.js";

/**
 * elementwise(fun, ...args): the layer x -> fun(x, ...args) (JAX's `elementwise(fun, **kwargs)`;
 * here the extra arguments are passed positionally after x).
 */
export function elementwise<A extends unknown[]>(fun: (x: ArrayBase, ...args: A) => ArrayBase, ...args: A): Layer {
  if (typeof fun !== "function") throw new TypeError(`stax.elementwise: fun must be a function, got ${typeof fun}`);
  return [(_rng, inputShape) => [inputShape, []], (_params, inputs) => fun(asArray("elementwise", inputs), ...args)];
}

export const Tanh: Layer = elementwise((x) => np.tanh(x));
export const Relu: Layer = elementwise((x) => relu(x));
export const Exp: Layer = elementwise((x) => np.exp(x));
export const LogSoftmax: Layer = elementwise((x) => logSoftmax(x, -1));
export const Softmax: Layer = elementwise((x) => softmax(x, -1));
export const Softplus: Layer = elementwise((x) => softplus(x));
export const Sigmoid: Layer = elementwise((x) => sigmoid(x));
export const Elu: Layer = elementwise((x) => elu(x));
export const LeakyRelu: Layer = elementwise((x) => leakyRelu(x));
export const Selu: Layer = elementwise((x) => selu(x));
export const Gelu: Layer = elementwise((x) => gelu(x));
