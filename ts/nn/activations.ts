// jax.nn activation functions (jax/_src/nn/functions.py): each one JAX's formula, written with
// the same operations in the same order, so grad/vmap/jit come from the primitives' rules.
// relu and relu6 are custom_jvp functions as in JAX: their derivative is 0 at the kinks.
import type { ArrayBase } from "../array/base.js";
import * as lax from "../lax/api.js";
import * as np from "../numpy/index.js";
import { scoped } from "../numpy/ufuncs_util.js";
import { customJvp } from "../transforms/custom.js";
import { asArray, constOf, inexact, weakFloat, type ArrayLike } from "./common.js";

/** Zeros like g (a tangent). */
const zerosLike = (g: ArrayBase): ArrayBase => np.zerosLike(g);

const reluImpl = customJvp(function relu(x: ArrayBase): ArrayBase {
  return np.maximum(x, 0);
});
// For the behaviour at 0 see "Numerical influence of ReLU'(0) on backpropagation" (JAX cites it).
reluImpl.defjvps((g: ArrayBase, _ans: ArrayBase, x: ArrayBase) => lax.select(np.greater(x, 0), g, zerosLike(g)));

/** relu(x) = max(x, 0), with derivative 0 at x = 0 (as JAX). */
export function relu(x: ArrayLike): ArrayBase {
  return reluImpl(asArray("relu", x));
}

const relu6Impl = customJvp(function relu6(x: ArrayBase): ArrayBase {
  return np.minimum(np.maximum(x, 0), weakFloat(6));
});
relu6Impl.defjvps((g: ArrayBase, _ans: ArrayBase, x: ArrayBase) =>
  lax.select(np.logicalAnd(np.greater(x, 0), np.less(x, 6)), g, zerosLike(g)),
);

/** relu6(x) = min(max(x, 0), 6), with derivative 0 at 0 and at 6 (as JAX). */
export function relu6(x: ArrayLike): ArrayBase {
  return relu6Impl(asArray("relu6", x));
}

/** squareplus(x, b = 4) = (x + sqrt(x² + b)) / 2. */
export function squareplus(x: ArrayLike, b: ArrayLike = 4): ArrayBase {
  return scoped(() => {
    const xa = asArray("squareplus", x);
    const y = np.add(xa, np.sqrt(np.add(np.square(xa), asArray("squareplus", b))));
    return np.divide(y, 2);
  });
}

/** softplus(x) = log(1 + eˣ), computed as logaddexp(x, 0). */
export function softplus(x: ArrayLike): ArrayBase {
  return np.logaddexp(asArray("softplus", x), 0);
}

/** sparse_plus: 0 for x ≤ -1, (x + 1)²/4 for -1 < x < 1, x for x ≥ 1. */
export function sparsePlus(x: ArrayLike): ArrayBase {
  return scoped(() => {
    const xa = asArray("sparsePlus", x);
    const mid = np.divide(lax.integerPow(np.add(xa, weakFloat(1)), 2), 4);
    return np.where(np.lessEqual(xa, weakFloat(-1)), weakFloat(0), np.where(np.greaterEqual(xa, weakFloat(1)), xa, mid));
  });
}

/** soft_sign(x) = x / (|x| + 1). */
export function softSign(x: ArrayLike): ArrayBase {
  return scoped(() => {
    const xa = asArray("softSign", x);
    return np.divide(xa, np.add(np.abs(xa), 1));
  });
}
/** Alias of softSign. */
export const softsign = softSign;

/** sigmoid(x) = 1 / (1 + e⁻ˣ) (lax.logistic). */
export function sigmoid(x: ArrayLike): ArrayBase {
  return lax.logistic(asArray("sigmoid", x));
}

/** sparse_sigmoid(x) = clip(x + 1, 0, 2) / 2 (JAX multiplies by 0.5). */
export function sparseSigmoid(x: ArrayLike): ArrayBase {
  return scoped(() => np.multiply(weakFloat(0.5), np.clip(np.add(asArray("sparseSigmoid", x), weakFloat(1)), weakFloat(0), weakFloat(2))));
}

/** silu(x) = swish(x) = x · sigmoid(x). */
export function silu(x: ArrayLike): ArrayBase {
  return scoped(() => {
    const xa = asArray("silu", x);
    return np.multiply(xa, sigmoid(xa));
  });
}
/** Alias of silu. */
export const swish = silu;

/** mish(x) = x · tanh(softplus(x)). */
export function mish(x: ArrayLike): ArrayBase {
  return scoped(() => {
    const xa = asArray("mish", x);
    return np.multiply(xa, np.tanh(softplus(xa)));
  });
}

/** log_sigmoid(x) = -softplus(-x). */
export function logSigmoid(x: ArrayLike): ArrayBase {
  return scoped(() => np.negative(softplus(np.negative(asArray("logSigmoid", x)))));
}

/** elu(x, alpha = 1) = x for x > 0, alpha·(eˣ - 1) otherwise (expm1 of a clamped input, so no overflow). */
export function elu(x: ArrayLike, alpha: ArrayLike = 1.0): ArrayBase {
  return scoped(() => {
    const xa = asArray("elu", x);
    const pos = np.greater(xa, 0);
    return np.where(pos, xa, np.multiply(alpha, np.expm1(np.where(pos, weakFloat(0), xa))));
  });
}

/** leaky_relu(x, negativeSlope = 0.01) = x for x ≥ 0, negativeSlope·x otherwise. */
export function leakyRelu(x: ArrayLike, negativeSlope: ArrayLike = 1e-2): ArrayBase {
  return scoped(() => {
    const xa = asArray("leakyRelu", x);
    return np.where(np.greaterEqual(xa, 0), xa, np.multiply(negativeSlope, xa));
  });
}

/** hard_tanh(x) = -1 for x < -1, x for -1 ≤ x ≤ 1, 1 for x > 1. */
export function hardTanh(x: ArrayLike): ArrayBase {
  return scoped(() => {
    const xa = asArray("hardTanh", x);
    return np.where(np.greater(xa, 1), 1, np.where(np.less(xa, -1), -1, xa));
  });
}

/** celu(x, alpha = 1) = max(x, 0) + alpha·expm1(min(x, 0) / alpha). */
export function celu(x: ArrayLike, alpha: ArrayLike = 1.0): ArrayBase {
  return scoped(() => {
    const xa = asArray("celu", x);
    const a = typeof alpha === "number" ? weakFloat(alpha) : alpha;
    return np.add(np.maximum(xa, weakFloat(0)), np.multiply(a, np.expm1(np.divide(np.minimum(xa, weakFloat(0)), a))));
  });
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** selu(x) = scale · elu(x, alpha) with the self-normalizing constants. */
export function selu(x: ArrayLike): ArrayBase {
  return scoped(() => np.multiply(weakFloat(SELU_SCALE), elu(x, weakFloat(SELU_ALPHA))));
}

export interface GeluOptions {
  /** The tanh approximation (JAX's default, true) or the exact erf form. */
  approximate?: boolean;
}

/**
 * gelu(x): with `approximate` (the default, as JAX) x/2·(1 + tanh(√(2/π)(x + 0.044715x³)));
 * otherwise the exact x/2·erfc(-x/√2).
 */
export function gelu(x: ArrayLike, approximate: boolean | GeluOptions = true): ArrayBase {
  const approx = typeof approximate === "boolean" ? approximate : approximate.approximate ?? true;
  return scoped(() => {
    const xa = inexact("gelu", x);
    if (approx) {
      const c = constOf(Math.sqrt(2 / Math.PI), xa.dtype);
      const inner = np.multiply(c, np.add(xa, np.multiply(weakFloat(0.044715), lax.integerPow(xa, 3))));
      const cdf = np.multiply(weakFloat(0.5), np.add(weakFloat(1), np.tanh(inner)));
      return np.multiply(xa, cdf);
    }
    const sqrtHalf = constOf(Math.sqrt(0.5), xa.dtype);
    return np.multiply(np.multiply(weakFloat(0.5), xa), lax.erfc(np.multiply(np.negative(xa), sqrtHalf)));
  });
}

/** glu(x, axis = -1): the first half of x along axis times the sigmoid of the second half. */
export function glu(x: ArrayLike, axis: number | { axis?: number } = -1): ArrayBase {
  const ax = typeof axis === "number" ? axis : axis.axis ?? -1;
  return scoped(() => {
    const xa = asArray("glu", x);
    const n = xa.ndim;
    if (!Number.isInteger(ax) || ax < -n || ax >= n) {
      throw new RangeError(`nn.glu: axis ${ax} is out of range for an array of shape [${xa.shape}]`);
    }
    const size = xa.shape[ax < 0 ? ax + n : ax];
    if (size % 2 !== 0) throw new RangeError(`nn.glu: the size of axis ${ax} must be even, got shape [${xa.shape}]`);
    const [x1, x2] = np.split(xa, 2, ax) as ArrayBase[];
    return np.multiply(x1, sigmoid(x2));
  });
}

/** hard_sigmoid(x) = relu6(x + 3) / 6. */
export function hardSigmoid(x: ArrayLike): ArrayBase {
  return scoped(() => np.divide(relu6(np.add(asArray("hardSigmoid", x), weakFloat(3))), weakFloat(6)));
}

/** hard_silu(x) = hard_swish(x) = x · hard_sigmoid(x). */
export function hardSilu(x: ArrayLike): ArrayBase {
  return scoped(() => {
    const xa = asArray("hardSilu", x);
    return np.multiply(xa, hardSigmoid(xa));
  });
}
/** Alias of hardSilu. */
export const hardSwish = hardSilu;
