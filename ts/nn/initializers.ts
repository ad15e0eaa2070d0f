// jax.nn.initializers (jax/_src/nn/initializers.py): each builder returns
// `(key, shape, dtype?) => Array`, sampling with edgejax's bit-exact random functions and
// scaling in `dtype` in the same order as JAX, so the same key gives JAX's values (up to the
// last bits of the transcendental functions). Sampling runs outside any tidy scope of ours:
// a sampler's cached compiled function first traced inside tidy currently loses its constants.
import type { ArrayBase } from "../array/base.js";
import { canonicalDtype, defaultFloat, isFloat, type DType } from "../array/dtype.js";
import * as np from "../numpy/index.js";
import { asarray } from "../numpy/convert.js";
import { normal as randomNormal, truncatedNormal as randomTruncatedNormal, uniform as randomUniform, type Key } from "../random/index.js";
import { orthonormalColumns } from "./orthonormal.js";

export type Shape = number | readonly number[];
/** JAX's Initializer protocol: `init(key, shape, dtype?)`. */
export type Initializer = (key: Key, shape: Shape, dtype?: DType | string) => ArrayBase;
type Num = number | ArrayBase;

function shapeArg(fn: string, shape: Shape): number[] {
  const s = typeof shape === "number" ? [shape] : shape;
  if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`nn.initializers.${fn}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...s];
}

/** The dtype an initializer samples in: the call's, else the builder's, else the default float. */
function dtypeArg(fn: string, dtype: DType | string | undefined, fallback: DType | string | undefined): DType {
  const d = dtype ?? fallback;
  const out = d === undefined ? defaultFloat() : canonicalDtype(d, `nn.initializers.${fn}`);
  if (!isFloat(out)) throw new TypeError(`nn.initializers.${fn}: dtype must be a float dtype, got ${out}`);
  return out;
}

/** `c` as an array of `dtype` (JAX's jnp.array(c, dtype)). */
const konst = (c: Num, dtype: DType): ArrayBase => (typeof c === "number" ? asarray(c, dtype) : c.astype(dtype));

/** An initializer that returns zeros (the key is ignored). */
export function zeros(_key: Key, shape: Shape, dtype?: DType | string): ArrayBase {
  return np.zeros(shapeArg("zeros", shape), dtypeArg("zeros", dtype, undefined));
}

/** An initializer that returns ones (the key is ignored). */
export function ones(_key: Key, shape: Shape, dtype?: DType | string): ArrayBase {
  return np.ones(shapeArg("ones", shape), dtypeArg("ones", dtype, undefined));
}

/** constant(value, dtype?): arrays full of `value`. */
export function constant(value: Num, dtype?: DType | string): Initializer {
  return (_key, shape, dt) => np.full(shapeArg("constant", shape), value, dtypeArg("constant", dt, dtype));
}

/** uniform(scale = 1e-2, dtype?): uniform in [0, scale). */
export function uniform(scale: Num = 1e-2, dtype?: DType | string): Initializer {
  return (key, shape, dt) => {
    const d = dtypeArg("uniform", dt, dtype);
    return np.multiply(randomUniform(key, shapeArg("uniform", shape), d), konst(scale, d));
  };
}

/** normal(stddev = 1e-2, dtype?): normal with mean 0 and standard deviation `stddev`. */
export function normal(stddev: Num = 1e-2, dtype?: DType | string): Initializer {
  return (key, shape, dt) => {
    const d = dtypeArg("normal", dt, dtype);
    return np.multiply(randomNormal(key, shapeArg("normal", shape), d), konst(stddev, d));
  };
}

/**
 * truncatedNormal(stddev = 1e-2, dtype?, lower = -2, upper = 2): a standard normal truncated
 * to (lower, upper), then times `stddev` (no variance correction, as JAX).
 */
export function truncatedNormal(stddev: Num = 1e-2, dtype?: DType | string, lower: Num = -2.0, upper: Num = 2.0): Initializer {
  return (key, shape, dt) => {
    const d = dtypeArg("truncatedNormal", dt, dtype);
    return np.multiply(randomTruncatedNormal(key, lower, upper, shapeArg("truncatedNormal", shape), d), konst(stddev, d));
  };
}

export type Axes = number | readonly number[];

export interface FanOptions {
  /** Axis or axes of the input dimension (default -2). */
  inAxis?: Axes;
  /** Axis or axes of the output dimension (default -1). */
  outAxis?: Axes;
  /** Axes to ignore (default none). */
  batchAxis?: Axes;
  /** The initializer's default dtype. */
  dtype?: DType | string;
}

function axisSize(fn: string, shape: number[], axes: Axes): number {
  const list = typeof axes === "number" ? [axes] : axes;
  let size = 1;
  for (const a of list) {
    if (!Number.isInteger(a) || a < -shape.length || a >= shape.length) {
      throw new RangeError(`nn.initializers.${fn}: axis ${a} is out of range for shape [${shape}]`);
    }
    size *= shape[a < 0 ? a + shape.length : a];
  }
  return size;
}

/**
 * Fan-in and fan-out of a weight shape (JAX's _compute_fans): axes outside in/out/batch are
 * the receptive field (a convolution's spatial axes) and multiply both fans.
 */
export function computeFans(shape: number[], inAxis: Axes = -2, outAxis: Axes = -1, batchAxis: Axes = [], fn = "computeFans"): [number, number] {
  if (shape.length <= 1) {
    throw new RangeError(`nn.initializers.${fn}: cannot compute input and output sizes of a ${shape.length}-dimensional weights tensor (shape [${shape}]); it must be at least 2D`);
  }
  const inSize = axisSize(fn, shape, inAxis);
  const outSize = axisSize(fn, shape, outAxis);
  const batchSize = axisSize(fn, shape, batchAxis);
  const total = shape.reduce((a, b) => a * b, 1);
  const receptiveFieldSize = total / inSize / outSize / batchSize;
  return [inSize * receptiveFieldSize, outSize * receptiveFieldSize];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type Distribution = "truncated_normal" | "normal" | "uniform";

/** Standard deviation of a standard normal truncated to (-2, 2) (JAX's constant). */
const TRUNCATED_STDDEV = 0.87962566103423978;

/**
 * varianceScaling(scale, mode, distribution, {inAxis, outAxis, batchAxis, dtype}): samples with
 * variance scale / n, n the fan-in, fan-out or their mean. "truncated_normal" truncates at two
 * standard deviations and divides by the truncated distribution's stddev; "uniform" samples
 * in [-1, 1) times sqrt(3·variance).
 */
export function varianceScaling(scale: number, mode: FanMode, distribution: Distribution, opts: FanOptions = {}): Initializer {
  const modes: FanMode[] = ["fan_in", "fan_out", "fan_avg"];
  const dists: Distribution[] = ["truncated_normal", "normal", "uniform"];
  if (!modes.includes(mode)) throw new TypeError(`nn.initializers.varianceScaling: invalid mode ${JSON.stringify(mode)}; use one of ${modes.join(", ")}`);
  if (!dists.includes(distribution)) {
    throw new TypeError(`nn.initializers.varianceScaling: invalid distribution ${JSON.stringify(distribution)}; use one of ${dists.join(", ")}`);
  }
  const { inAxis = -2, outAxis = -1, batchAxis = [] } = opts;
  return (key, shape, dt) => {
    const d = dtypeArg("varianceScaling", dt, opts.dtype);
    const s = shapeArg("varianceScaling", shape);
    const [fanIn, fanOut] = computeFans(s, inAxis, outAxis, batchAxis, "varianceScaling");
    const denominator = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const variance = asarray(scale / denominator, d);
    if (distribution === "truncated_normal") {
      const stddev = np.divide(np.sqrt(variance), asarray(TRUNCATED_STDDEV, d));
      return np.multiply(randomTruncatedNormal(key, -2, 2, s, d), stddev);
    }
    if (distribution === "normal") return np.multiply(randomNormal(key, s, d), np.sqrt(variance));
    return np.multiply(randomUniform(key, s, d, -1), np.sqrt(np.multiply(3, variance)));
  };
}

const special = (scale: number, mode: FanMode, distribution: Distribution) => (opts: FanOptions = {}): Initializer =>
  varianceScaling(scale, mode, distribution, opts);

/** Glorot (Xavier) uniform: varianceScaling(1, "fan_avg", "uniform"). */
export const glorotUniform = special(1.0, "fan_avg", "uniform");
/** Glorot (Xavier) normal: varianceScaling(1, "fan_avg", "truncated_normal"). */
export const glorotNormal = special(1.0, "fan_avg", "truncated_normal");
/** LeCun uniform: varianceScaling(1, "fan_in", "uniform"). */
export const lecunUniform = special(1.0, "fan_in", "uniform");
/** LeCun normal: varianceScaling(1, "fan_in", "truncated_normal"). */
export const lecunNormal = special(1.0, "fan_in", "truncated_normal");
/** He (Kaiming) uniform: varianceScaling(2, "fan_in", "uniform"). */
export const heUniform = special(2.0, "fan_in", "uniform");
/** He (Kaiming) normal: varianceScaling(2, "fan_in", "truncated_normal"). */
export const heNormal = special(2.0, "fan_in", "truncated_normal");
export const xavierUniform = glorotUniform;
export const xavierNormal = glorotNormal;
export const kaimingUniform = heUniform;
export const kaimingNormal = heNormal;

/**
 * orthogonal(scale = 1, columnAxis = -1, dtype?): uniformly distributed (Haar) matrices with
 * orthonormal columns or rows, whichever are fewer: the Q of a Gaussian matrix's QR
 * decomposition with R's diagonal made positive, reshaped so that `columnAxis` holds the
 * columns (JAX's construction).
 */
export function orthogonal(scale: Num = 1.0, columnAxis = -1, dtype?: DType | string): Initializer {
  return (key, shape, dt) => {
    const d = dtypeArg("orthogonal", dt, dtype);
    const s = shapeArg("orthogonal", shape);
    if (s.length < 2) throw new RangeError(`nn.initializers.orthogonal: requires at least a 2D shape, got [${s}]`);
    if (!Number.isInteger(columnAxis) || columnAxis < -s.length || columnAxis >= s.length) {
      throw new RangeError(`nn.initializers.orthogonal: columnAxis ${columnAxis} is out of range for shape [${s}]`);
    }
    const ca = columnAxis < 0 ? columnAxis + s.length : columnAxis;
    const nCols = s[ca];
    const nRows = nCols === 0 ? 0 : s.reduce((a, b) => a * b, 1) / nCols;
    const matrixShape = nRows < nCols ? [nCols, nRows] : [nRows, nCols];
    const a = randomNormal(key, matrixShape, d);
    let q = orthonormalColumns(a);
    if (nRows < nCols) q = np.transpose(q);
    const rest = s.filter((_, i) => i !== ca);
    q = np.moveaxis(np.reshape(q, [...rest, nCols]), -1, ca);
    return np.multiply(konst(scale, d), q);
  };
}

/**
 * deltaOrthogonal(scale = 1, columnAxis = -1, dtype?): a 3D/4D/5D convolution kernel that is
 * zero except at the spatial centre, which holds an orthogonal matrix.
 */
export function deltaOrthogonal(scale: Num = 1.0, columnAxis = -1, dtype?: DType | string): Initializer {
  return (key, shape, dt) => {
    const d = dtypeArg("deltaOrthogonal", dt, dtype);
    const s = shapeArg("deltaOrthogonal", shape);
    if (s.length < 3 || s.length > 5) throw new RangeError(`nn.initializers.deltaOrthogonal: requires a 3D, 4D or 5D shape, got [${s}]`);
    if (s[s.length - 1] < s[s.length - 2]) {
      throw new RangeError(`nn.initializers.deltaOrthogonal: fan_in (${s[s.length - 2]}) must be less than or equal to fan_out (${s[s.length - 1]})`);
    }
    const ortho = orthogonal(scale, columnAxis, d)(key, s.slice(-2));
    const centre = s.slice(0, -2).map((k) => Math.floor((k - 1) / 2));
    return np.zeros(s, d).at(centre.join(", ")).set(ortho);
  };
}
