// stax's combinators and structural layers: serial, parallel, shapeDependent, FanOut,
// FanInSum, FanInConcat, Identity, Flatten, Dropout (jax/example_libraries/stax.py).
import { ArrayBase } from "../array/base.js";
import * as np from "../numpy/index.js";
import { scoped } from "../numpy/ufuncs_util.js";
import { bernoulli, split, type Key } from "../random/index.js";
import { checkKey } from "../random/keys.js";
import {
  asArray, asArrayList, asShape, asShapeList, checkLayer, type ApplyOptions, type Inputs, type Layer, type Params, type Shapes,
} from "./layer.js";

/** The keys of `split(rng, n)` as a list (or n nulls without an rng, as stax). */
function splitKeys(fn: string, rng: Key | null | undefined, n: number): (Key | null)[] {
  if (rng === undefined || rng === null) return new Array(n).fill(null);
  checkKey(fn, rng);
  return [...split(rng, n)] as Key[];
}

/**
 * serial(...layers): the layers composed in order. init splits the rng once per layer
 * (`rng, layerRng = split(rng)`); apply splits `rng` (if given) into one key per layer.
 */
export function serial(...layers: Layer[]): Layer {
  const ls = layers.map((l, i) => checkLayer("serial", l, i));
  const n = ls.length;
  const initFun = (rng: Key, inputShape: Shapes): [Shapes, Params] =>
    scoped(() => {
      let shape = inputShape;
      let key = rng;
      const params: Params[] = [];
      for (const [init] of ls) {
        const [next, layerRng] = [...split(key)] as Key[];
        key = next;
        const [s, p] = init(layerRng, shape);
        shape = s;
        params.push(p);
      }
      return [shape, params];
    });
  const applyFun = (params: Params, inputs: Inputs, opts: ApplyOptions = {}): Inputs => {
    if (!Array.isArray(params) || params.length !== n) {
      throw new TypeError(`stax.serial: params must be a list of ${n} entries (one per layer, as returned by initFun), got ${Array.isArray(params) ? params.length : typeof params}`);
    }
    return scoped(() => {
      const { rng, ...kw } = opts;
      const rngs = splitKeys("serial", rng, n);
      let x = inputs;
      ls.forEach(([, apply], i) => {
        x = apply(params[i], x, { ...kw, rng: rngs[i] });
      });
      return x;
    });
  };
  return [initFun, applyFun];
}

/**
 * parallel(...layers): layer i maps input i to output i (inputs and outputs are lists, often
 * between FanOut and FanInSum/FanInConcat). init returns [outputShapes, params] as lists.
 */
export function parallel(...layers: Layer[]): Layer {
  const ls = layers.map((l, i) => checkLayer("parallel", l, i));
  const n = ls.length;
  const count = (what: string, x: unknown) => {
    if (!Array.isArray(x) || x.length !== n) {
      throw new TypeError(`stax.parallel: ${what} must be a list of ${n} entries (one per layer), got ${Array.isArray(x) ? `${x.length} entries` : typeof x}`);
    }
  };
  const initFun = (rng: Key, inputShape: Shapes): [Shapes, Params] => {
    count("the input shape", inputShape);
    return scoped(() => {
      const rngs = splitKeys("parallel", rng, n) as Key[];
      const outs = ls.map(([init], i) => init(rngs[i], (inputShape as Shapes[])[i]));
      return [outs.map((o) => o[0]), outs.map((o) => o[1])];
    });
  };
  const applyFun = (params: Params, inputs: Inputs, opts: ApplyOptions = {}): Inputs => {
    count("params", params);
    count("the inputs", inputs);
    return scoped(() => {
      const { rng, ...kw } = opts;
      const rngs = splitKeys("parallel", rng, n);
      return ls.map(([, apply], i) => apply((params as Params[])[i], (inputs as Inputs[])[i], { ...kw, rng: rngs[i] }));
    });
  };
  return [initFun, applyFun];
}

/** The shapes of (a list of) arrays, as shapeDependent passes them to makeLayer. */
function shapesOf(x: Inputs): Shapes {
  return x instanceof ArrayBase ? [...x.shape] : x.map(shapesOf);
}

/** shapeDependent(makeLayer): builds the layer from the input shape when init/apply is called. */
export function shapeDependent(makeLayer: (inputShape: Shapes) => Layer): Layer {
  const make = (s: Shapes) => checkLayer("shapeDependent", makeLayer(s), 0);
  return [(rng, inputShape) => make(inputShape)[0](rng, inputShape), (params, inputs, opts) => make(shapesOf(inputs))[1](params, inputs, opts)];
}

/** The identity layer (no params). */
export const Identity: Layer = [(_rng, inputShape) => [inputShape, []], (_params, inputs) => inputs];

/** Flattens all but the leading dimension: [N, ...] -> [N, prod(...)]. */
export const Flatten: Layer = [
  (_rng, inputShape) => {
    const s = asShape("Flatten", inputShape);
    if (s.length === 0) throw new TypeError("stax.Flatten: needs an input of rank >= 1, got shape []");
    return [[s[0], s.slice(1).reduce((a, b) => a * b, 1)], []];
  },
  (_params, inputs) => {
    const x = asArray("Flatten", inputs);
    if (x.ndim === 0) throw new TypeError("stax.Flatten: needs an input of rank >= 1, got a scalar");
    return np.reshape(x, [x.shape[0], -1]);
  },
];

/** FanOut(num): repeats the input `num` times into a list. */
export function FanOut(num: number): Layer {
  if (!Number.isInteger(num) || num < 0) throw new TypeError(`stax.FanOut: num must be a non-negative integer, got ${num}`);
  return [(_rng, inputShape) => [new Array(num).fill(inputShape), []], (_params, inputs) => new Array(num).fill(inputs)];
}

/** Sums a list of inputs (all of the first input's shape). */
export const FanInSum: Layer = [
  (_rng, inputShape) => [asShapeList("FanInSum", inputShape)[0], []],
  (_params, inputs) => {
    const xs = asArrayList("FanInSum", inputs);
    if (xs.length === 0) throw new TypeError("stax.FanInSum: needs at least one input");
    return scoped(() => xs.slice(1).reduce<ArrayBase>((acc, x) => np.add(acc, x), xs[0]));
  },
];

/** FanInConcat(axis = -1) or FanInConcat({axis}): concatenates a list of inputs along `axis`. */
export function FanInConcat(axisOrOpts: number | { axis?: number } = -1): Layer {
  const axis = typeof axisOrOpts === "number" ? axisOrOpts : (axisOrOpts?.axis ?? -1);
  if (!Number.isInteger(axis)) throw new TypeError(`stax.FanInConcat: axis must be an integer, got ${axis}`);
  return [
    (_rng, inputShape) => {
      const shapes = asShapeList("FanInConcat", inputShape);
      const rank = shapes[0].length;
      if (rank === 0 || shapes.some((s) => s.length !== rank)) {
        throw new TypeError(`stax.FanInConcat: inputs must all have the same rank >= 1, got shapes ${JSON.stringify(shapes)}`);
      }
      const ax = ((axis % rank) + rank) % rank; // Python's axis % ndim
      const size = shapes.reduce((a, s) => a + s[ax], 0);
      return [[...shapes[0].slice(0, ax), size, ...shapes[0].slice(ax + 1)], []];
    },
    (_params, inputs) => np.concatenate(asArrayList("FanInConcat", inputs), axis),
  ];
}

/**
 * Dropout(rate, mode = "train") or Dropout(rate, {mode}). As JAX's stax, `rate` is the probability of KEEPING a unit:
 * in "train" mode apply needs `{rng}` and returns where(bernoulli(rng, rate, x.shape), x / rate, 0);
 * in "test" mode it returns the input.
 */
export function Dropout(rate: number | ArrayBase, modeOrOpts: "train" | "test" | { mode?: "train" | "test" } = "train"): Layer {
  const mode = typeof modeOrOpts === "string" ? modeOrOpts : (modeOrOpts?.mode ?? "train");
  if (mode !== "train" && mode !== "test") {
    throw new TypeError(`stax.Dropout: mode must be "train" or "test", got ${JSON.stringify(mode)}`);
  }
  return [
    (_rng, inputShape) => [inputShape, []],
    (_params, inputs, opts = {}) => {
      const x = asArray("Dropout", inputs);
      if (mode === "test") return x;
      const rng = opts.rng;
      if (rng === undefined || rng === null) {
        throw new TypeError(
          "stax.Dropout: in \"train\" mode apply needs a PRNG key: call applyFun(params, inputs, {rng}) with rng from random.key(seed) (or use Dropout(rate, \"test\") for evaluation)",
        );
      }
      return scoped(() => {
        const keep = bernoulli(rng, rate, x.shape);
        return np.where(keep, np.divide(x, rate), 0);
      });
    },
  ];
}
