// conv_general_dilated (JAX's semantics: strides, padding, lhs/rhs dilation, dimension
// numbers, feature and batch groups), run by the backend's convolution routine on views of
// the operands in canonical [N, C, spatial...] / [O, I, spatial...] order (no copies).
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { canonicalDtype, DTYPE_BYTES, isBool, isFloat, isSignedInt, type DType } from "../array/dtype.js";
import { fmtShape, range } from "../array/shape.js";
import { definePrimitive, LinearArg, type Aval } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { deviceOf, emptyArray, viewOf } from "../runtime/eager.js";
import { convert_element_type_p } from "./elementwise.js";
import * as R from "./rule_util.js";
import { rev_p, transpose_p } from "./structural.js";

/** Positions of (batch, feature, spatial...) in lhs/out and (out feature, in feature, spatial...) in rhs. */
export interface ConvDimensionNumbers {
  lhsSpec: number[];
  rhsSpec: number[];
  outSpec: number[];
}

export interface ConvParams {
  windowStrides: number[];
  padding: [number, number][];
  lhsDilation: number[];
  rhsDilation: number[];
  dimensionNumbers: ConvDimensionNumbers;
  featureGroupCount: number;
  batchGroupCount: number;
  preferredElementType: DType | null;
}

/** Dimension numbers from strings like ["NHWC", "HWIO", "NHWC"] (JAX's conv_general_permutations). */
export function convDimensionNumbers(nd: number, dn?: [string, string, string] | ConvDimensionNumbers | null): ConvDimensionNumbers {
  const fn = "lax.conv_general_dilated";
  if (!dn) {
    const iota = range(nd);
    return { lhsSpec: iota, rhsSpec: iota, outSpec: iota };
  }
  if (!globalThis.Array.isArray(dn)) {
    for (const k of ["lhsSpec", "rhsSpec", "outSpec"] as const) {
      const v = dn[k];
      if (!globalThis.Array.isArray(v) || v.length !== nd || [...v].sort((a, b) => a - b).some((d, i) => d !== i)) {
        throw new TypeError(`${fn}: dimension_numbers.${k} must be a permutation of 0..${nd - 1}, got ${JSON.stringify(v)}`);
      }
    }
    return dn;
  }
  if (dn.length !== 3 || !dn.every((s) => typeof s === "string")) {
    throw new TypeError(`${fn}: dimension_numbers must be 3 strings like ["NHWC", "HWIO", "NHWC"], got ${JSON.stringify(dn)}`);
  }
  const [lhs, rhs, out] = dn;
  const pairs = ["NC", "OI", "NC"];
  dn.forEach((s, i) => {
    if (s.length !== nd) {
      throw new TypeError(`${fn}: dimension_numbers[${i}] must have length equal to the operands' rank ${nd}, got ${JSON.stringify(s)}`);
    }
    for (const c of pairs[i]) {
      if (s.split(c).length !== 2) throw new TypeError(`${fn}: dimension_numbers[${i}] must contain '${pairs[i][0]}' and '${pairs[i][1]}' exactly once, got ${JSON.stringify(s)}`);
    }
    if (new Set(s).size !== s.length) throw new TypeError(`${fn}: dimension_numbers[${i}] cannot have duplicate characters, got ${JSON.stringify(s)}`);
  });
  const spatialChars = (s: string, pair: string) => [...s].filter((c) => !pair.includes(c)).sort().join("");
  if (spatialChars(lhs, "NC") !== spatialChars(rhs, "OI") || spatialChars(out, "NC") !== spatialChars(rhs, "OI")) {
    throw new TypeError(`${fn}: dimension_numbers ${JSON.stringify(dn)} must each have the same set of spatial characters`);
  }
  // Spatial dims of lhs and out are ordered as the rhs orders them; rhs's in its own order.
  const spatialOf = (s: string, skip: string) =>
    range(nd)
      .filter((i) => !skip.includes(s[i]))
      .sort((a, b) => rhs.indexOf(s[a]) - rhs.indexOf(s[b]));
  return {
    lhsSpec: [lhs.indexOf("N"), lhs.indexOf("C"), ...spatialOf(lhs, "NC")],
    rhsSpec: [rhs.indexOf("O"), rhs.indexOf("I"), ...range(nd).filter((i) => !"OI".includes(rhs[i]))],
    outSpec: [out.indexOf("N"), out.indexOf("C"), ...spatialOf(out, "NC")],
  };
}

/** Explicit (lo, hi) pads for "SAME" / "VALID" / "SAME_LOWER" (JAX's padtype_to_pads). */
export function paddingPairs(
  padding: string | [number, number][],
  inShape: number[],
  windowShape: number[],
  strides: number[],
  fn = "lax.conv_general_dilated",
): [number, number][] {
  if (typeof padding !== "string") {
    if (padding.length !== inShape.length || padding.some((p) => !globalThis.Array.isArray(p) || p.length !== 2)) {
      throw new TypeError(`${fn}: padding must be "SAME", "VALID" or ${inShape.length} (lo, hi) pairs, got ${JSON.stringify(padding)}`);
    }
    return padding.map(([a, b]) => [a, b]);
  }
  const mode = padding.toUpperCase();
  if (mode === "VALID") return inShape.map(() => [0, 0]);
  if (mode !== "SAME" && mode !== "SAME_LOWER") throw new TypeError(`${fn}: unknown padding ${JSON.stringify(padding)}; use "SAME", "VALID" or (lo, hi) pairs`);
  return inShape.map((n, i) => {
    const out = Math.ceil(n / strides[i]);
    const total = Math.max(0, (out - 1) * strides[i] + windowShape[i] - n);
    const small = Math.floor(total / 2);
    return mode === "SAME" ? [small, total - small] : [total - small, small];
  });
}

export function convOutShape(lhs: number[], rhs: number[], p: ConvParams): number[] {
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimensionNumbers;
  const nsp = lhs.length - 2;
  const canon = [lhs[ls[0]] / p.batchGroupCount, rhs[rs[0]]];
  for (let i = 0; i < nsp; i++) {
    const inD = (lhs[ls[i + 2]] - 1) * p.lhsDilation[i] + 1 + p.padding[i][0] + p.padding[i][1];
    const kD = (rhs[rs[i + 2]] - 1) * p.rhsDilation[i] + 1;
    canon.push(inD < kD ? 0 : Math.floor((inD - kD) / p.windowStrides[i]) + 1);
  }
  const out = new globalThis.Array<number>(lhs.length);
  for (let k = 0; k < lhs.length; k++) out[os[k]] = canon[k];
  return out;
}

/** The dtype the conv routine computes in: float32 (also for float16: round once), float64, or int32 (wraps exactly to narrower ints; bools are 0/1, then != 0). */
function computeDtype(d: DType): DType {
  if (d === "float32" || d === "float64" || d === "int32") return d;
  return d === "float16" ? "float32" : "int32";
}

/** JAX's _validate_preferred_element_type for an operand dtype and a requested result dtype. */
function checkPreferred(fn: string, input: DType, preferred: DType): void {
  const kind = (d: DType) => (isFloat(d) ? "floating" : isBool(d) ? "bool" : "integral");
  if (preferred === input) return;
  if (!(kind(input) === "integral" && kind(preferred) === "floating")) {
    if (kind(input) !== kind(preferred)) {
      throw new TypeError(
        `${fn}: input type ${input} is incompatible with preferred_element_type ${preferred}; the compatible combinations are (integral, integral), (integral, floating), (floating, floating)`,
      );
    }
    if (isSignedInt(input) && !isSignedInt(preferred)) {
      throw new TypeError(`${fn}: preferred_element_type ${preferred} must have the same signedness as the input type ${input}`);
    }
  }
  if (DTYPE_BYTES[preferred] < DTYPE_BYTES[input]) {
    throw new TypeError(`${fn}: preferred_element_type ${preferred} must not be narrower than the input type ${input}`);
  }
}

export const conv_general_dilated_p = definePrimitive<ConvParams>("conv_general_dilated", {
  abstractEval: ([l, r], p) => {
    const fn = "lax.conv_general_dilated";
    const nd = l.shape.length;
    const nsp = nd - 2;
    if (nd < 3 || r.shape.length !== nd) {
      throw new TypeError(`${fn}: lhs and rhs must have the same rank >= 3, got ${fmtShape(l.shape)} and ${fmtShape(r.shape)}`);
    }
    if (l.dtype !== r.dtype) throw new TypeError(`${fn}: operands must have equal dtypes, got ${l.dtype} and ${r.dtype}; convert one (lax.convertElementType)`);
    if (p.preferredElementType) checkPreferred(fn, l.dtype, p.preferredElementType);
    if (p.padding.length !== nsp || p.padding.some((q) => q.length !== 2 || !q.every(Number.isInteger))) {
      throw new TypeError(`${fn}: padding must be ${nsp} (lo, hi) integer pairs, got ${JSON.stringify(p.padding)}`);
    }
    for (const [name, v] of [["window_strides", p.windowStrides], ["lhs_dilation", p.lhsDilation], ["rhs_dilation", p.rhsDilation]] as const) {
      if (v.length !== nsp || v.some((s) => !Number.isInteger(s) || s < 1)) {
        throw new TypeError(`${fn}: ${name} must be ${nsp} positive integers, got ${JSON.stringify(v)}`);
      }
    }
    const { lhsSpec: ls, rhsSpec: rs } = p.dimensionNumbers;
    const C = l.shape[ls[1]];
    const I = r.shape[rs[1]];
    const O = r.shape[rs[0]];
    const N = l.shape[ls[0]];
    const fg = p.featureGroupCount;
    const bg = p.batchGroupCount;
    if (!Number.isInteger(fg) || fg < 1 || !Number.isInteger(bg) || bg < 1) {
      throw new TypeError(`${fn}: feature_group_count (${fg}) and batch_group_count (${bg}) must be positive integers`);
    }
    if (fg > 1 && bg > 1) {
      throw new TypeError(`${fn}: at most one of batch_group_count and feature_group_count may be > 1, got batch_group_count=${bg} and feature_group_count=${fg}`);
    }
    if (C !== I * fg || O % fg !== 0) {
      throw new TypeError(
        `${fn}: lhs features (${C}) must equal rhs input features (${I}) x feature_group_count (${fg}), and rhs output features (${O}) must be divisible by it; shapes ${fmtShape(l.shape)}, ${fmtShape(r.shape)}`,
      );
    }
    if (N % bg !== 0 || O % bg !== 0) {
      throw new TypeError(`${fn}: batch (${N}) and output features (${O}) must be divisible by batch_group_count (${bg})`);
    }
    return [{ shape: convOutShape(l.shape, r.shape, p), dtype: p.preferredElementType ?? l.dtype, weakType: false }];
  },
  impl: ([l, r], p) => {
    const outDtype = p.preferredElementType ?? l.dtype;
    const cd = computeDtype(outDtype);
    const temps: Array[] = [];
    const canon = (x: Array, spec: number[]): Array => {
      const y = x.dtype === cd ? x : (bind1(convert_element_type_p, [x], { newDtype: cd, weakType: false }) as Array);
      if (y !== x) temps.push(y);
      const t = bind1(transpose_p, [y], { permutation: spec }) as Array;
      temps.push(t);
      return t;
    };
    const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimensionNumbers;
    const a = canon(l, ls);
    const b = canon(r, rs);
    const outShape = convOutShape(l.shape, r.shape, p);
    const canonShape = os.map((_, k) => outShape[os[k]]);
    const backend = deviceOf("conv_general_dilated", [l, r]);
    const out = emptyArray(canonShape, cd, false, backend);
    if (out.size > 0) {
      backend.conv({
        dtype: cd,
        lhs: viewOf(a),
        lhsShape: a.shape,
        rhs: viewOf(b),
        rhsShape: b.shape,
        windowStrides: p.windowStrides,
        padding: p.padding,
        lhsDilation: p.lhsDilation,
        rhsDilation: p.rhsDilation,
        featureGroupCount: p.featureGroupCount,
        batchGroupCount: p.batchGroupCount,
        out: out._storage.buffer,
        outShape: canonShape,
      });
    }
    for (const t of temps) t.dispose();
    const perm = new globalThis.Array<number>(os.length);
    for (let k = 0; k < os.length; k++) perm[os[k]] = k;
    let res = bind1(transpose_p, [out], { permutation: perm }) as Array;
    out.dispose();
    if (outDtype !== cd) {
      const c = bind1(convert_element_type_p, [res], { newDtype: outDtype, weakType: false }) as Array;
      res.dispose();
      res = c;
    }
    return [res];
  },
});

export interface ConvOptions {
  lhsDilation?: number[] | null;
  rhsDilation?: number[] | null;
  dimensionNumbers?: [string, string, string] | ConvDimensionNumbers | null;
  featureGroupCount?: number;
  batchGroupCount?: number;
  preferredElementType?: DType | string | null;
}

/** lax.conv_general_dilated(lhs, rhs, windowStrides, padding, {lhsDilation, rhsDilation, dimensionNumbers, ...}). */
export function convGeneralDilated(
  lhs: ArrayBase,
  rhs: ArrayBase,
  windowStrides: number[],
  padding: string | [number, number][],
  opts: ConvOptions = {},
): ArrayBase {
  const nd = lhs.ndim;
  const nsp = nd - 2;
  if (nd < 3 || rhs.ndim !== nd) {
    throw new TypeError(`lax.conv_general_dilated: lhs and rhs must have the same rank >= 3, got ${fmtShape(lhs.shape)} and ${fmtShape(rhs.shape)}`);
  }
  const dn = convDimensionNumbers(nd, opts.dimensionNumbers);
  const lhsDilation = opts.lhsDilation ?? new globalThis.Array(nsp).fill(1);
  const rhsDilation = opts.rhsDilation ?? new globalThis.Array(nsp).fill(1);
  let pads: [number, number][];
  if (typeof padding === "string") {
    if (lhsDilation.some((d) => d !== 1)) {
      throw new TypeError(
        `lax.conv_general_dilated: string padding ${JSON.stringify(padding)} is not implemented with lhs_dilation ${JSON.stringify(lhsDilation)} (transposed convolution); give explicit (lo, hi) pairs`,
      );
    }
    if (windowStrides.length !== nsp || rhsDilation.length !== nsp) {
      throw new TypeError(`lax.conv_general_dilated: window_strides and rhs_dilation need ${nsp} entries for operands of rank ${nd}, got ${JSON.stringify(windowStrides)} and ${JSON.stringify(rhsDilation)}`);
    }
    const inSp = dn.lhsSpec.slice(2).map((d) => lhs.shape[d]);
    const kSp = dn.rhsSpec.slice(2).map((d, i) => (rhs.shape[d] - 1) * rhsDilation[i] + 1);
    pads = paddingPairs(padding, inSp, kSp, windowStrides);
  } else pads = paddingPairs(padding, new globalThis.Array(nsp).fill(0), [], windowStrides);
  return bind1(conv_general_dilated_p, [lhs, rhs], {
    windowStrides,
    padding: pads,
    lhsDilation,
    rhsDilation,
    dimensionNumbers: dn,
    featureGroupCount: opts.featureGroupCount ?? 1,
    batchGroupCount: opts.batchGroupCount ?? 1,
    preferredElementType: opts.preferredElementType ? canonicalDtype(opts.preferredElementType, "lax.conv_general_dilated") : null,
  });
}

/** lax.conv(lhs, rhs, windowStrides, padding): NCHW / OIHW. */
export const conv = (
  lhs: ArrayBase,
  rhs: ArrayBase,
  windowStrides: number[],
  padding: string | [number, number][],
  opts: { preferredElementType?: DType | string | null } = {},
) => convGeneralDilated(lhs, rhs, windowStrides, padding, { preferredElementType: opts.preferredElementType });

// ---- transformation rules (after jax/_src/lax/convolution.py) -------------------------------
// conv_general_dilated is bilinear. Its transpose w.r.t. lhs is a convolution of the cotangent
// with the spatially flipped kernel (in/out features swapped), the forward strides becoming
// lhs dilation; w.r.t. rhs, a convolution of lhs with the cotangent as the kernel, the forward
// strides becoming rhs dilation. Feature groups and batch groups trade places between the two.

const isLinear = (a: ArrayBase | LinearArg): a is LinearArg => a instanceof LinearArg;

const convWith = (l: ArrayBase, r: ArrayBase, p: ConvParams): ArrayBase => bind1(conv_general_dilated_p, [l, r], p);

/** Size of a dimension of size d after inserting (dilation - 1) holes between elements. */
const dilateDim = (d: number, dilation: number): number => (d === 0 ? 0 : 1 + dilation * (d - 1));

/** Splits axis `src` of x into (size1, rest), size1 major. */
function reshapeAxisOutOf(src: number, size1: number, x: ArrayBase): ArrayBase {
  const shape = x.shape.slice();
  shape.splice(src, 1, size1, shape[src] / size1);
  return R.reshape(x, shape);
}

/**
 * Merges axis `src` of x into axis `dst` (numbered after `src` is removed), src major. So an
 * added batch axis folds into, say, the feature axis of the unbatched layout.
 */
function reshapeAxisInto(src: number, dst: number, x: ArrayBase): ArrayBase {
  const perm = range(x.ndim).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] *= x.shape[src];
  return R.reshape(R.transpose(x, perm), shape);
}

/** (features, batch) swapped in a spec: how the rhs transpose reads lhs, out and rhs. */
const swapSpec = (s: number[]): number[] => [s[1], s[0], ...s.slice(2)];

/** The padding of the lhs-transpose convolution (JAX's _conv_general_vjp_lhs_padding). */
function vjpLhsPadding(inSp: number[], kSp: number[], strides: number[], outSp: number[], padding: [number, number][], lhsDil: number[], rhsDil: number[]): [number, number][] {
  return inSp.map((n, i) => {
    const lhsD = dilateDim(n, lhsDil[i]);
    const rhsD = dilateDim(kSp[i], rhsDil[i]);
    const outD = dilateDim(outSp[i], strides[i]);
    const before = rhsD - padding[i][0] - 1;
    return [before, lhsD + rhsD - 1 - outD - before];
  });
}

/** The padding of the rhs-transpose convolution (JAX's _conv_general_vjp_rhs_padding). */
function vjpRhsPadding(inSp: number[], kSp: number[], strides: number[], outSp: number[], padding: [number, number][], lhsDil: number[], rhsDil: number[]): [number, number][] {
  return inSp.map((n, i) => {
    const lhsD = dilateDim(n, lhsDil[i]);
    const rhsD = dilateDim(kSp[i], rhsDil[i]);
    const outD = dilateDim(outSp[i], strides[i]);
    const lo = padding[i][0];
    return [lo, outD - lhsD + rhsD - lo - 1];
  });
}

/** Cotangents have the operand's dtype; the cotangent may be wider (preferred element type). */
const toDtype = (x: ArrayBase, d: DType): ArrayBase => (x.dtype === d ? x : R.convert(x, d));

function convTransposeLhs(g: ArrayBase, lhs: Aval, rhs: ArrayBase, p: ConvParams): ArrayBase {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  let fg = p.featureGroupCount;
  const bg = p.batchGroupCount;
  let w = toDtype(rhs, g.dtype);
  if (fg > 1 || bg > 1) {
    // The group axis moves from the kernel's output features into its input features, which
    // become the output features of the transposed convolution.
    w = reshapeAxisOutOf(rhsSpec[0], fg * bg, w);
    w = reshapeAxisInto(rhsSpec[0], rhsSpec[1], w);
    fg = fg * bg;
  }
  const padding = vjpLhsPadding(
    lhsSpec.slice(2).map((d) => lhs.shape[d]),
    rhsSpec.slice(2).map((d) => w.shape[d]),
    p.windowStrides,
    outSpec.slice(2).map((d) => g.shape[d]),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  );
  const flipped = bind1(rev_p, [w], { dimensions: rhsSpec.slice(2) });
  let out = convWith(g, flipped, {
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    rhsDilation: p.rhsDilation,
    dimensionNumbers: { lhsSpec: outSpec, rhsSpec: swapSpec(rhsSpec), outSpec: lhsSpec },
    featureGroupCount: fg,
    batchGroupCount: 1,
    preferredElementType: null,
  });
  if (bg > 1) {
    // Batch groups came out as feature groups: move them back into the batch axis.
    out = reshapeAxisOutOf(lhsSpec[1], bg, out);
    out = reshapeAxisInto(lhsSpec[1], lhsSpec[0], out);
  }
  return toDtype(out, lhs.dtype);
}

function convTransposeRhs(g: ArrayBase, lhs: ArrayBase, rhs: Aval, p: ConvParams): ArrayBase {
  if (g.size === 0) return R.zeros({ ...rhs, weakType: false });
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const padding = vjpRhsPadding(
    lhsSpec.slice(2).map((d) => lhs.shape[d]),
    rhsSpec.slice(2).map((d) => rhs.shape[d]),
    p.windowStrides,
    outSpec.slice(2).map((d) => g.shape[d]),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  );
  const out = convWith(toDtype(lhs, g.dtype), g, {
    windowStrides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.windowStrides,
    dimensionNumbers: { lhsSpec: swapSpec(lhsSpec), rhsSpec: swapSpec(outSpec), outSpec: swapSpec(rhsSpec) },
    // Feature groups of the forward pass are batch groups here and vice versa.
    featureGroupCount: p.batchGroupCount,
    batchGroupCount: p.featureGroupCount,
    preferredElementType: null,
  });
  return toDtype(out, rhs.dtype);
}

conv_general_dilated_p.rules.jvp = ([l, r], [tl, tr], p) => {
  const out = convWith(l, r, p);
  const dl = tl === null ? null : convWith(tl, r, p);
  const dr = tr === null ? null : convWith(l, tr, p);
  return [[out], [R.addAny(dl, dr)]];
};

conv_general_dilated_p.rules.transpose = ([ct], [l, r], p) => {
  if (isLinear(l) && isLinear(r)) throw new TypeError("transpose: conv_general_dilated of two linear values is not linear");
  if (ct === null) return [null, null];
  if (isLinear(l)) return [convTransposeLhs(ct, l.aval, r as ArrayBase, p), null];
  return [null, convTransposeRhs(ct, l as ArrayBase, (r as LinearArg).aval, p)];
};

/**
 * vmap (JAX's _conv_general_dilated_batch_rule): a batched lhs folds into the batch axis N; a
 * batched rhs folds into the output features (inside each group); both batched, the batch
 * becomes extra feature groups (or batch groups). The output batch axis is then split out.
 */
conv_general_dilated_p.rules.batch = ([l, r], [bl, br], p) => {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const size = bl !== null ? l.shape[bl] : r.shape[br!];
  if (size === 0) {
    // An empty batch cannot be folded into other axes (0 groups): the result is empty.
    const unbatched = (x: ArrayBase, b: number | null): Aval => ({ shape: x.shape.filter((_, i) => i !== b), dtype: x.dtype, weakType: x.weakType });
    const [aval] = conv_general_dilated_p.rules.abstractEval([unbatched(l, bl), unbatched(r, br)], p);
    return [[R.zeros({ ...aval, shape: [0, ...aval.shape] })], [0]];
  }
  if (bl !== null && br !== null) {
    const B = l.shape[bl];
    let newL: ArrayBase;
    let q: ConvParams;
    if (p.batchGroupCount > 1) {
      newL = reshapeAxisInto(bl, lhsSpec[0], l);
      q = { ...p, batchGroupCount: p.batchGroupCount * B };
    } else {
      newL = reshapeAxisInto(bl, lhsSpec[1], l);
      q = { ...p, featureGroupCount: p.featureGroupCount * B };
    }
    const out = convWith(newL, reshapeAxisInto(br, rhsSpec[0], r), q);
    return [[reshapeAxisOutOf(outSpec[1], B, out)], [outSpec[1]]];
  }
  if (bl !== null) {
    const B = l.shape[bl];
    let newL: ArrayBase;
    if (p.batchGroupCount === 1) newL = reshapeAxisInto(bl, lhsSpec[0], l);
    else {
      // Batch groups must stay outermost in N: split them out, fold the vmap batch inside.
      const n0 = lhsSpec[0] + (bl <= lhsSpec[0] ? 1 : 0);
      newL = reshapeAxisOutOf(n0, p.batchGroupCount, l);
      newL = reshapeAxisInto(bl + (lhsSpec[0] < bl ? 1 : 0), lhsSpec[0] + 1, newL);
      newL = reshapeAxisInto(lhsSpec[0], lhsSpec[0], newL);
    }
    const out = convWith(newL, r, p);
    return [[reshapeAxisOutOf(outSpec[0], B, out)], [outSpec[0]]];
  }
  const B = r.shape[br!];
  if (p.featureGroupCount === 1 && p.batchGroupCount === 1) {
    const out = convWith(l, reshapeAxisInto(br!, rhsSpec[0], r), p);
    return [[reshapeAxisOutOf(outSpec[1], B, out)], [outSpec[1]]];
  }
  // Groups must stay outermost in the output features: split them out of O, fold the vmap
  // batch into what remains, and undo the same on the output.
  const G = p.featureGroupCount > 1 ? p.featureGroupCount : p.batchGroupCount;
  let w = reshapeAxisOutOf(rhsSpec[0] + (br! <= rhsSpec[0] ? 1 : 0), G, r);
  w = reshapeAxisInto(br! + (rhsSpec[0] < br! ? 1 : 0), rhsSpec[0] + 1, w);
  w = reshapeAxisInto(rhsSpec[0], rhsSpec[0], w);
  let out = convWith(l, w, p);
  out = reshapeAxisOutOf(outSpec[1], G, out);
  out = reshapeAxisOutOf(outSpec[1] + 1, B, out);
  out = reshapeAxisInto(outSpec[1], outSpec[1] + 1, out);
  return [[out], [outSpec[1]]];
};
