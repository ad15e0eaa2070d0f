// Shape rules of stax's convolution layers and lax.conv_transpose (jax/_src/lax/convolution.py),
// written over lax.convGeneralDilated: a transposed convolution is a convolution of the
// input dilated by the strides (lhs dilation) with unit window strides.
import type { ArrayBase } from "../array/base.js";
import * as lax from "../lax/index.js";
import { convDimensionNumbers, paddingPairs } from "../lax/conv.js";

export type Padding = string | [number, number][];
export type DimensionNumbers = [string, string, string];

/** The operand shapes permuted to [N, C, spatial...] / [O, I, spatial...] (JAX's conv_general_permutations). */
function permuted(lhsShape: number[], rhsShape: number[], dn: DimensionNumbers) {
  const d = convDimensionNumbers(lhsShape.length, dn);
  return { d, lhsT: d.lhsSpec.map((i) => lhsShape[i]), rhsT: d.rhsSpec.map((i) => rhsShape[i]) };
}

/** `outT` (in [N, C, spatial...] order) placed at the output layout's positions. */
function unpermute(outT: number[], outSpec: number[]): number[] {
  const out = new Array<number>(outT.length);
  outT.forEach((v, k) => (out[outSpec[k]] = v));
  return out;
}

function checkPadding(fn: string, padding: Padding, nsp: number, modes = ["SAME", "VALID"]): void {
  if (typeof padding === "string") {
    if (!modes.includes(padding)) {
      throw new TypeError(`${fn}: padding must be "SAME", "VALID" or ${nsp} (lo, hi) pairs, got ${JSON.stringify(padding)}`);
    }
  } else if (!Array.isArray(padding) || padding.length !== nsp || padding.some((p) => !Array.isArray(p) || p.length !== 2)) {
    throw new TypeError(`${fn}: padding must be "SAME", "VALID" or ${nsp} (lo, hi) pairs, got ${JSON.stringify(padding)}`);
  }
}

/** lax.conv_general_shape_tuple: the output shape of convGeneralDilated (batch may be -1). */
export function convGeneralShape(lhsShape: number[], rhsShape: number[], strides: number[], padding: Padding, dn: DimensionNumbers): number[] {
  const { d, lhsT, rhsT } = permuted(lhsShape, rhsShape, dn);
  const nsp = lhsT.length - 2;
  checkPadding("stax.GeneralConv", padding, nsp, ["SAME", "VALID", "SAME_LOWER"]);
  const pads = typeof padding === "string" ? paddingPairs(padding, lhsT.slice(2), rhsT.slice(2), strides, "stax.GeneralConv") : padding;
  const space = lhsT.slice(2).map((n, i) => Math.max(0, Math.floor((n + pads[i][0] + pads[i][1] - rhsT[i + 2]) / strides[i]) + 1));
  return unpermute([lhsT[0], rhsT[0], ...space], d.outSpec);
}

/** JAX's _conv_transpose_padding: the (lo, hi) pads of the dilated input for kernel size k and stride s. */
export function convTransposePadding(k: number, s: number, padding: "SAME" | "VALID"): [number, number] {
  let padLen: number;
  let padA: number;
  if (padding === "SAME") {
    padLen = k + s - 2;
    padA = s > k - 1 ? k - 1 : Math.ceil(padLen / 2);
  } else {
    padLen = k + s - 2 + Math.max(k - s, 0);
    padA = k - 1;
  }
  return [padA, padLen - padA];
}

/** lax.conv_transpose_shape_tuple: the output shape of convTranspose (batch may be -1). */
export function convTransposeShape(lhsShape: number[], rhsShape: number[], strides: number[], padding: Padding, dn: DimensionNumbers): number[] {
  const { d, lhsT, rhsT } = permuted(lhsShape, rhsShape, dn);
  const nsp = lhsT.length - 2;
  checkPadding("stax.GeneralConvTranspose", padding, nsp);
  const pads = typeof padding === "string" ? rhsT.slice(2).map((k, i) => convTransposePadding(k, strides[i], padding as "SAME" | "VALID")) : padding;
  const space = lhsT.slice(2).map((n, i) => (n - 1) * strides[i] - rhsT[i + 2] + 2 + pads[i][0] + pads[i][1]);
  return unpermute([lhsT[0], rhsT[0], ...space], d.outSpec);
}

const DEFAULT_TRANSPOSE_DN: Record<number, DimensionNumbers> = {
  3: ["NHC", "HIO", "NHC"],
  4: ["NHWC", "HWIO", "NHWC"],
  5: ["NHWDC", "HWDIO", "NHWDC"],
};

export interface ConvTransposeOptions {
  rhsDilation?: number[] | null;
  dimensionNumbers?: DimensionNumbers | null;
  /** Flip the kernel's spatial axes and swap its I/O axes (the gradient of a forward conv). */
  transposeKernel?: boolean;
}

/**
 * lax.conv_transpose(lhs, rhs, strides, padding, {rhsDilation, dimensionNumbers, transposeKernel}):
 * convGeneralDilated with unit window strides, lhs dilation = strides, and pads from
 * convTransposePadding for "SAME"/"VALID" (explicit (lo, hi) pairs pass through).
 * Default layouts: NHC/HIO/NHC, NHWC/HWIO/NHWC, NHWDC/HWDIO/NHWDC by rank.
 */
export function convTranspose(lhs: ArrayBase, rhs: ArrayBase, strides: number[], padding: Padding, opts: ConvTransposeOptions = {}): ArrayBase {
  const fn = "lax.conv_transpose";
  const nd = lhs.ndim;
  if (nd < 3 || rhs.ndim !== nd) {
    throw new TypeError(`${fn}: lhs and rhs must have the same rank >= 3, got [${lhs.shape}] and [${rhs.shape}]`);
  }
  const dnStrings = opts.dimensionNumbers ?? DEFAULT_TRANSPOSE_DN[nd];
  if (!dnStrings) throw new TypeError(`${fn}: no default dimension numbers for rank ${nd}; pass dimensionNumbers`);
  const nsp = nd - 2;
  if (strides.length !== nsp) throw new TypeError(`${fn}: strides needs ${nsp} entries, got ${JSON.stringify(strides)}`);
  checkPadding(fn, padding, nsp);
  const dn = convDimensionNumbers(nd, dnStrings);
  const rhsDilation = opts.rhsDilation ?? new Array(nsp).fill(1);
  let pads: [number, number][];
  if (typeof padding === "string") {
    const kSpatial = dn.rhsSpec.slice(2).map((ax, i) => (rhs.shape[ax] - 1) * rhsDilation[i] + 1);
    pads = kSpatial.map((k, i) => convTransposePadding(k, strides[i], padding as "SAME" | "VALID"));
  } else pads = padding;
  let kernel = rhs;
  if (opts.transposeKernel) {
    const perm = [...Array(nd).keys()];
    [perm[dn.rhsSpec[0]], perm[dn.rhsSpec[1]]] = [perm[dn.rhsSpec[1]], perm[dn.rhsSpec[0]]];
    kernel = lax.transpose(lax.rev(rhs, dn.rhsSpec.slice(2)), perm);
  }
  return lax.convGeneralDilated(lhs, kernel, new Array(nsp).fill(1), pads, { lhsDilation: strides, rhsDilation, dimensionNumbers: dn });
}
