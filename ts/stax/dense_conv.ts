// stax's linear layers: Dense, GeneralConv/Conv and GeneralConvTranspose/ConvTranspose/
// Conv1DTranspose (jax/example_libraries/stax.py). Params are [W, b].
import type { ArrayBase } from "../array/base.js";
import * as lax from "../lax/index.js";
import { glorotNormal, normal } from "../nn/initializers.js";
import * as np from "../numpy/index.js";
import { scoped } from "../numpy/ufuncs_util.js";
import { split } from "../random/index.js";
import { convGeneralShape, convTranspose, convTransposeShape, type DimensionNumbers, type Padding } from "./conv_transpose.js";
import { asArray, asPair, asShape, type Initializer, type Layer } from "./layer.js";

const splitTwo = (rng: ArrayBase): [ArrayBase, ArrayBase] => [...split(rng)] as [ArrayBase, ArrayBase];

export interface DenseOptions {
  /** Weight initializer (default glorotNormal()). */
  WInit?: Initializer;
  /** Bias initializer (default normal(1e-2)). */
  bInit?: Initializer;
}

/**
 * Dense(outDim, WInit = glorotNormal(), bInit = normal(1e-2)), or Dense(outDim, {WInit, bInit}): inputs [..., in] -> [..., outDim],
 * apply = dot(x, W) + b with W: [in, outDim], b: [outDim].
 */
export function Dense(outDim: number, WInitOrOpts?: Initializer | DenseOptions, bInitArg?: Initializer): Layer {
  const o: DenseOptions = typeof WInitOrOpts === "function" || WInitOrOpts === undefined ? { WInit: WInitOrOpts, bInit: bInitArg } : WInitOrOpts;
  const WInit = o.WInit ?? glorotNormal();
  const bInit = o.bInit ?? normal();
  if (!Number.isInteger(outDim) || outDim < 0) throw new TypeError(`stax.Dense: outDim must be a non-negative integer, got ${outDim}`);
  return [
    (rng, inputShape) => {
      const s = asShape("Dense", inputShape);
      const inDim = s[s.length - 1];
      if (s.length === 0 || inDim < 0) {
        throw new TypeError(`stax.Dense: the input's last dimension must be known (not -1), got shape ${JSON.stringify(s)}`);
      }
      return scoped(() => {
        const [k1, k2] = splitTwo(rng);
        return [[...s.slice(0, -1), outDim], [WInit(k1, [inDim, outDim]), bInit(k2, [outDim])]];
      });
    },
    (params, inputs) => {
      const [W, b] = asPair("Dense", params);
      return scoped(() => np.add(np.dot(asArray("Dense", inputs), W), b));
    },
  ];
}

/** Options of the convolution layers (JAX's keyword arguments). */
export interface ConvLayerOptions {
  /** Window strides (default all 1). */
  strides?: number[] | null;
  /** "VALID" (default), "SAME" or (lo, hi) pairs per spatial dimension. */
  padding?: Padding;
  /** Kernel initializer (default glorotNormal over the kernel's I and O axes). */
  WInit?: Initializer | null;
  /** Bias initializer (default normal(1e-6)). */
  bInit?: Initializer | null;
}

type ConvArgs = [] | [ConvLayerOptions] | [number[] | null | undefined, Padding?, (Initializer | null)?, (Initializer | null)?];

/** Accepts JAX's positional order (strides, padding, WInit, bInit) or one options object. */
function convOptions(rest: ConvArgs): ConvLayerOptions {
  const [a, padding, WInit, bInit] = rest as unknown[];
  if (a && typeof a === "object" && !Array.isArray(a)) return a as ConvLayerOptions;
  return { strides: a as number[] | null, padding: padding as Padding, WInit: WInit as Initializer, bInit: bInit as Initializer };
}

/** Kernel and bias shapes and the resolved settings shared by GeneralConv and GeneralConvTranspose. */
function convSetup(fn: string, dn: DimensionNumbers, outChan: number, filterShape: number[], o: ConvLayerOptions) {
  if (!Array.isArray(dn) || dn.length !== 3 || !dn.every((s) => typeof s === "string")) {
    throw new TypeError(`stax.${fn}: dimensionNumbers must be 3 strings like ["NHWC", "HWIO", "NHWC"], got ${JSON.stringify(dn)}`);
  }
  const [lhsSpec, rhsSpec, outSpec] = dn;
  if (!Number.isInteger(outChan) || outChan < 0) throw new TypeError(`stax.${fn}: outChan must be a non-negative integer, got ${outChan}`);
  if (!Array.isArray(filterShape) || filterShape.length !== rhsSpec.length - 2) {
    throw new TypeError(`stax.${fn}: filterShape needs ${rhsSpec.length - 2} spatial sizes for the kernel layout ${rhsSpec}, got ${JSON.stringify(filterShape)}`);
  }
  const strides = o.strides && o.strides.length ? o.strides : filterShape.map(() => 1);
  if (strides.length !== filterShape.length) {
    throw new TypeError(`stax.${fn}: strides needs ${filterShape.length} entries (one per spatial dimension), got ${JSON.stringify(strides)}`);
  }
  // lax.conv_general_dilated reads padding names in any case; lax.conv_transpose only "SAME"/"VALID".
  const padding = typeof o.padding === "string" && fn === "GeneralConv" ? o.padding.toUpperCase() : (o.padding ?? "VALID");
  const WInit = o.WInit ?? glorotNormal({ inAxis: rhsSpec.indexOf("I"), outAxis: rhsSpec.indexOf("O") });
  const bInit = o.bInit ?? normal(1e-6);
  const shapes = (inputShape: number[]) => {
    if (inputShape.length !== lhsSpec.length) {
      throw new TypeError(`stax.${fn}: the input layout ${lhsSpec} needs a rank-${lhsSpec.length} input shape, got ${JSON.stringify(inputShape)}`);
    }
    let f = 0;
    const kernel = [...rhsSpec].map((c) => (c === "O" ? outChan : c === "I" ? inputShape[lhsSpec.indexOf("C")] : filterShape[f++]));
    const bias = [...outSpec].map((c) => (c === "C" ? outChan : 1));
    return { kernel, bias };
  };
  return { strides, padding, WInit, bInit, shapes };
}

/**
 * The [init, apply] pair of the convolution layers; they differ only in the output-shape rule
 * and the operation: params [W, b], b broadcast over the output.
 */
function convLayer(
  fn: "GeneralConv" | "GeneralConvTranspose",
  dimensionNumbers: DimensionNumbers,
  outChan: number,
  filterShape: number[],
  rest: ConvArgs,
  outShape: typeof convGeneralShape,
  op: (x: ArrayBase, W: ArrayBase, strides: number[], padding: Padding, o: { dimensionNumbers: DimensionNumbers }) => ArrayBase,
): Layer {
  const { strides, padding, WInit, bInit, shapes } = convSetup(fn, dimensionNumbers, outChan, filterShape, convOptions(rest));
  return [
    (rng, inputShape) => {
      const s = asShape(fn, inputShape);
      const { kernel, bias } = shapes(s);
      const out = outShape(s, kernel, strides, padding, dimensionNumbers);
      return scoped(() => {
        const [k1, k2] = splitTwo(rng);
        return [out, [WInit(k1, kernel), bInit(k2, bias)]];
      });
    },
    (params, inputs) => {
      const [W, b] = asPair(fn, params);
      const x = asArray(fn, inputs);
      return scoped(() => np.add(op(x, W, strides, padding, { dimensionNumbers }), b));
    },
  ];
}

/**
 * GeneralConv(dimensionNumbers, outChan, filterShape, {strides, padding = "VALID", WInit, bInit}):
 * a convolution layer in any layout, e.g. ["NHWC", "HWIO", "NHWC"]; params [W, b] with b
 * broadcast over the output (size outChan on its C axis, 1 elsewhere).
 */
export const GeneralConv = (dimensionNumbers: DimensionNumbers, outChan: number, filterShape: number[], ...rest: ConvArgs): Layer =>
  convLayer("GeneralConv", dimensionNumbers, outChan, filterShape, rest, convGeneralShape, lax.convGeneralDilated);

/** Conv(outChan, filterShape, {strides, padding, WInit, bInit}): GeneralConv in NHWC / HWIO / NHWC. */
export const Conv = (outChan: number, filterShape: number[], ...rest: ConvArgs): Layer =>
  GeneralConv(["NHWC", "HWIO", "NHWC"], outChan, filterShape, ...rest);

/**
 * GeneralConvTranspose(dimensionNumbers, outChan, filterShape, {strides, padding = "VALID", WInit, bInit}):
 * a transposed convolution (lax.conv_transpose semantics) with params [W, b].
 */
export const GeneralConvTranspose = (dimensionNumbers: DimensionNumbers, outChan: number, filterShape: number[], ...rest: ConvArgs): Layer =>
  convLayer("GeneralConvTranspose", dimensionNumbers, outChan, filterShape, rest, convTransposeShape, convTranspose);

/** Conv1DTranspose(outChan, filterShape, ...): GeneralConvTranspose in NHC / HIO / NHC. */
export const Conv1DTranspose = (outChan: number, filterShape: number[], ...rest: ConvArgs): Layer =>
  GeneralConvTranspose(["NHC", "HIO", "NHC"], outChan, filterShape, ...rest);

/** ConvTranspose(outChan, filterShape, ...): GeneralConvTranspose in NHWC / HWIO / NHWC. */
export const ConvTranspose = (outChan: number, filterShape: number[], ...rest: ConvArgs): Layer =>
  GeneralConvTranspose(["NHWC", "HWIO", "NHWC"], outChan, filterShape, ...rest);
