// dot_general: batched tensor contraction, executed by the backend's GEMM routine.
// Operands are moved (as views) to [batch, free, contract] / [batch, contract, free],
// collapsed to 3-D (a view when strides allow, else one copy), and multiplied.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { bitWidth, canonicalDtype, isFloat, isUnsigned, type DType } from "../array/dtype.js";
import { fmtShape, sizeOf } from "../array/shape.js";
import { definePrimitive, LinearArg, type Aval } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { deviceOf, emptyArray, viewOf } from "../runtime/eager.js";
import { convert_element_type_p } from "./elementwise.js";
import * as R from "./rule_util.js";
import { reshape_p, transpose_p } from "./structural.js";

/** ((lhsContracting, rhsContracting), (lhsBatch, rhsBatch)), as JAX's DotDimensionNumbers. */
export type DotDimensionNumbers = [[number[], number[]], [number[], number[]]];

export interface DotParams {
  dimensionNumbers: DotDimensionNumbers;
  preferredElementType: DType | null;
}

function freeDims(nd: number, contract: number[], batch: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < nd; i++) if (!contract.includes(i) && !batch.includes(i)) out.push(i);
  return out;
}

function checkDims(fn: string, which: string, dims: number[], nd: number): void {
  const seen = new Set<number>();
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d >= nd || seen.has(d)) {
      throw new RangeError(`${fn}: ${which} dimensions ${JSON.stringify(dims)} are invalid for an operand of rank ${nd}`);
    }
    seen.add(d);
  }
}

export function dotOutputShape(lhs: number[], rhs: number[], dn: DotDimensionNumbers): number[] {
  const [[lc, rc], [lb, rb]] = dn;
  return [
    ...lb.map((d) => lhs[d]),
    ...freeDims(lhs.length, lc, lb).map((d) => lhs[d]),
    ...freeDims(rhs.length, rc, rb).map((d) => rhs[d]),
  ];
}

/**
 * XLA's "higher precision type" of two operand dtypes (jax/_src/lax/lax.py
 * _dot_general_dtype_rule): compared by (float max exponent, mantissa bits, bit width,
 * signedness); ints and bool have no exponent or mantissa. So int8 x float32 -> float32,
 * int8 x int32 -> int32, uint8 x int8 -> int8, bool x int8 -> int8, float16 x float32 ->
 * float32. (JAX's lax.dot_general accepts mixed operand dtypes; jnp promotes first.)
 */
function dotResultDtype(a: DType, b: DType): DType {
  const props = (d: DType): number[] => {
    const fl: Partial<Record<DType, [number, number]>> = { float16: [16, 10], float32: [128, 23], float64: [1024, 52] };
    const [e, m] = fl[d] ?? [-1, -1];
    return [e, m, bitWidth(d), isUnsigned(d) ? 0 : 1];
  };
  const pa = props(a);
  const pb = props(b);
  for (let i = 0; i < pa.length; i++) {
    if (pa[i] !== pb[i]) return pa[i] > pb[i] ? a : b;
  }
  return a;
}

/** Checks preferred_element_type against the result dtype as JAX's _maybe_upcast does. */
export function checkPreferredDot(fn: string, result: DType, preferred: DType): void {
  if (preferred === result) return;
  if (isFloat(result) && !isFloat(preferred)) {
    // JAX lets this through to XLA, which has no float -> int accumulation: refuse clearly.
    throw new TypeError(`${fn}: preferred_element_type ${preferred} cannot hold the ${result} result of a floating-point product; use a floating dtype`);
  }
  if (!isFloat(result) && bitWidth(preferred) < bitWidth(result)) {
    throw new TypeError(
      `${fn}: preferred_element_type must not be narrower than the original type, got preferred_element_type of ${preferred} for result type of ${result}`,
    );
  }
}

/**
 * The dtype the GEMM computes in for operands of dtypes a, b and result dtype `out`: floats
 * in float32 (float16 too: accumulate in float32, round once) or float64; integers and bools
 * in int32 — sums of products modulo 2^32, which wrap to any narrower int exactly (uint32 has
 * the same bits; bools are 0/1 products, then != 0).
 */
function computeDtype(a: DType, b: DType, out: DType): DType {
  if (a === "float64" || b === "float64" || out === "float64") return "float64";
  if (isFloat(out)) return "float32";
  return "int32";
}

export const dot_general_p = definePrimitive<DotParams>("dot_general", {
  abstractEval: ([l, r], { dimensionNumbers: dn, preferredElementType }) => {
    const fn = "lax.dot_general";
    const [[lc, rc], [lb, rb]] = dn;
    checkDims(fn, "lhs contracting", lc, l.shape.length);
    checkDims(fn, "rhs contracting", rc, r.shape.length);
    checkDims(fn, "lhs batch", lb, l.shape.length);
    checkDims(fn, "rhs batch", rb, r.shape.length);
    for (const [side, c, b] of [["lhs", lc, lb], ["rhs", rc, rb]] as const) {
      if (c.some((d) => b.includes(d))) {
        throw new TypeError(`${fn}: ${side} batch dimensions ${JSON.stringify(b)} must be disjoint from its contracting dimensions ${JSON.stringify(c)}`);
      }
    }
    if (lc.length !== rc.length || lb.length !== rb.length) {
      throw new TypeError(`${fn}: lhs and rhs must have the same number of contracting and batch dimensions, got ${JSON.stringify(dn)}`);
    }
    for (let i = 0; i < lc.length; i++) {
      if (l.shape[lc[i]] !== r.shape[rc[i]]) {
        throw new TypeError(
          `${fn}: contracting dimensions must have equal sizes: lhs ${fmtShape(l.shape)} axis ${lc[i]} (${l.shape[lc[i]]}) vs ` +
            `rhs ${fmtShape(r.shape)} axis ${rc[i]} (${r.shape[rc[i]]})`,
        );
      }
    }
    for (let i = 0; i < lb.length; i++) {
      if (l.shape[lb[i]] !== r.shape[rb[i]]) {
        throw new TypeError(`${fn}: batch dimensions must have equal sizes: lhs ${fmtShape(l.shape)} vs rhs ${fmtShape(r.shape)} (${JSON.stringify(dn)})`);
      }
    }
    const result = dotResultDtype(l.dtype, r.dtype);
    if (preferredElementType) checkPreferredDot(fn, result, preferredElementType);
    return [{ shape: dotOutputShape(l.shape, r.shape, dn), dtype: preferredElementType ?? result, weakType: !preferredElementType && l.weakType && r.weakType }];
  },
  impl: ([l, r], { dimensionNumbers: dn, preferredElementType }) => {
    const [[lc, rc], [lb, rb]] = dn;
    const outDtype = preferredElementType ?? dotResultDtype(l.dtype, r.dtype);
    const cd = computeDtype(l.dtype, r.dtype, outDtype);
    const lf = freeDims(l.shape.length, lc, lb);
    const rf = freeDims(r.shape.length, rc, rb);
    const B = sizeOf(lb.map((d) => l.shape[d]));
    const M = sizeOf(lf.map((d) => l.shape[d]));
    const N = sizeOf(rf.map((d) => r.shape[d]));
    const K = sizeOf(lc.map((d) => l.shape[d]));
    const temps: Array[] = [];
    const prep = (x: Array, perm: number[], shape3: number[]): Array => {
      let y = x.dtype === cd ? x : (bind1(convert_element_type_p, [x], { newDtype: cd, weakType: false }) as Array);
      if (y !== x) temps.push(y);
      const t = bind1(transpose_p, [y], { permutation: perm }) as Array;
      temps.push(t);
      const v = bind1(reshape_p, [t], { newSizes: shape3 }) as Array;
      temps.push(v);
      return v;
    };
    const a = prep(l, [...lb, ...lf, ...lc], [B, M, K]);
    const b = prep(r, [...rb, ...rc, ...rf], [B, K, N]);
    const backend = deviceOf("dot_general", [l, r]);
    const outShape = dotOutputShape(l.shape, r.shape, dn);
    const weak = !preferredElementType && l.weakType && r.weakType;
    let out = emptyArray(outShape, cd, weak, backend);
    if (B * M * N > 0) {
      backend.matmul({
        dtype: cd,
        batch: B,
        m: M,
        n: N,
        k: K,
        a: { view: viewOf(a), batchStride: B > 1 ? a._strides[0] : 0, rowStride: a._strides[1], colStride: a._strides[2] },
        b: { view: viewOf(b), batchStride: B > 1 ? b._strides[0] : 0, rowStride: b._strides[1], colStride: b._strides[2] },
        out: out._storage.buffer,
      });
    }
    for (const t of temps) t.dispose();
    if (outDtype !== cd) {
      const conv = bind1(convert_element_type_p, [out], { newDtype: outDtype, weakType: weak }) as Array;
      out.dispose();
      out = conv;
    }
    return [out];
  },
});

/** lax.dot_general(lhs, rhs, dimensionNumbers, { preferredElementType }). */
export function dotGeneral(
  lhs: ArrayBase,
  rhs: ArrayBase,
  dimensionNumbers: DotDimensionNumbers,
  opts: { preferredElementType?: DType | string | null } = {},
): ArrayBase {
  const p = opts.preferredElementType ? canonicalDtype(opts.preferredElementType, "lax.dot_general") : null;
  return bind1(dot_general_p, [lhs, rhs], { dimensionNumbers: normalizeDimensionNumbers(dimensionNumbers), preferredElementType: p });
}

/** ((lc, rc), (lb, rb)) with JAX's leniency: a single int stands for a 1-tuple. */
function normalizeDimensionNumbers(dn: unknown): DotDimensionNumbers {
  const isArr = globalThis.Array.isArray;
  const dims = (v: unknown): number[] | null =>
    typeof v === "number" ? [v] : isArr(v) && v.every((d) => typeof d === "number") ? (v as number[]).slice() : null;
  if (isArr(dn) && dn.length === 2 && isArr(dn[0]) && isArr(dn[1]) && dn[0].length === 2 && dn[1].length === 2) {
    const [lc, rc, lb, rb] = [dn[0][0], dn[0][1], dn[1][0], dn[1][1]].map(dims);
    if (lc && rc && lb && rb) return [[lc, rc], [lb, rb]];
  }
  throw new TypeError(
    `lax.dot_general: dimensionNumbers must be [[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]] (arrays of axes), got ${JSON.stringify(dn)}`,
  );
}

/**
 * lax.dot(lhs, rhs, {dimensionNumbers, preferredElementType}): without dimension numbers,
 * the vector/matrix products of rank-1 or rank-2 operands (lhs's last axis with rhs's first);
 * with them, dot_general (recent JAX made lax.dot_general an alias of lax.dot).
 */
export function dot(
  lhs: ArrayBase,
  rhs: ArrayBase,
  opts: { dimensionNumbers?: DotDimensionNumbers | null; preferredElementType?: DType | string | null } = {},
): ArrayBase {
  const { dimensionNumbers, ...rest } = opts;
  if (dimensionNumbers) return dotGeneral(lhs, rhs, dimensionNumbers, rest);
  if (lhs.ndim < 1 || lhs.ndim > 2 || rhs.ndim < 1 || rhs.ndim > 2 || lhs.shape[lhs.ndim - 1] !== rhs.shape[0]) {
    throw new TypeError(
      `lax.dot: dimensionNumbers must be given unless this is a plain matrix-matrix, matrix-vector or vector-vector product ` +
        `(rank 1 or 2, lhs's last axis matching rhs's first), got shapes ${fmtShape(lhs.shape)} and ${fmtShape(rhs.shape)}; use lax.dotGeneral`,
    );
  }
  return dotGeneral(lhs, rhs, [[[lhs.ndim - 1], [0]], [[], []]], rest);
}

// ---- transformation rules (after jax/_src/lax/lax.py) ---------------------------------------
// dot_general is bilinear: the jvp applies it to each tangent with the other primal; the
// transpose w.r.t. one operand contracts the cotangent with the other operand over the output
// axes that operand did not contribute, then permutes the result into the operand's layout.

const isLinear = (a: ArrayBase | LinearArg): a is LinearArg => a instanceof LinearArg;

const argsort = (xs: number[]): number[] => xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);

const iota = (start: number, n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => start + i);

dot_general_p.rules.jvp = ([x, y], [tx, ty], params) => {
  const out = bind1(dot_general_p, [x, y], params);
  const dx = tx === null ? null : bind1(dot_general_p, [tx, y], params);
  const dy = ty === null ? null : bind1(dot_general_p, [x, ty], params);
  return [[out], [R.addAny(dx, dy)]];
};

/**
 * The cotangent of dot_general's lhs x (of aval xAval) given the output cotangent g and the
 * rhs y (JAX's _dot_general_transpose_lhs). `swapAns` says that g's free axes list y's before
 * x's (used for the rhs, transposed as the lhs of the swapped product).
 */
function dotTransposeLhs(g: ArrayBase, xAval: Aval, y: ArrayBase, dn: DotDimensionNumbers, swapAns: boolean): ArrayBase {
  const [[xc, yc], [xb, yb]] = dn;
  const xKept = freeDims(xAval.shape.length, xc, xb);
  const yKept = freeDims(y.ndim, yc, yb);
  const nb = xb.length;
  // g's axes: [batch, x free, y free] (or [batch, y free, x free] when swapped).
  const ansY = swapAns ? iota(nb, yKept.length) : iota(nb + xKept.length, yKept.length);
  const dims: DotDimensionNumbers = [[ansY, yKept], [iota(0, nb), yb]];
  // The product's axes: [batch, x's free axes, y's contracting axes in y's order], i.e.
  // x's axes xb, xKept, then xc sorted by the y axis each one pairs with.
  const xContractByY = argsort(yc).map((i) => xc[i]);
  const perm = argsort([...xb, ...xKept, ...xContractByY]);
  const prod = bind1(dot_general_p, [g, y], { dimensionNumbers: dims, preferredElementType: null });
  const xBar = R.transpose(prod, perm);
  // Cotangents have the operand's dtype (g may be wider: a preferred element type or the
  // other operand's dtype).
  return xBar.dtype === xAval.dtype ? xBar : R.convert(xBar, xAval.dtype);
}

dot_general_p.rules.transpose = ([ct], [x, y], { dimensionNumbers: dn }) => {
  if (isLinear(x) && isLinear(y)) throw new TypeError("transpose: dot_general of two linear values is not linear");
  if (ct === null) return [null, null];
  if (isLinear(x)) return [dotTransposeLhs(ct, x.aval, y as ArrayBase, dn, false), null];
  const [[xc, yc], [xb, yb]] = dn;
  return [null, dotTransposeLhs(ct, (y as LinearArg).aval, x as ArrayBase, [[yc, xc], [yb, xb]], true)];
};

/**
 * vmap: when both operands are batched the batch becomes a leading batch dimension of the
 * product (output axis 0); when one is, it stays a free axis of that operand and the output
 * axis is where that free axis lands.
 */
dot_general_p.rules.batch = ([x, y], [bx, by], params) => {
  const [[xc, yc], [xb, yb]] = params.dimensionNumbers;
  const bump = (dims: number[], b: number) => dims.map((d) => (d >= b ? d + 1 : d));
  const dotWith = (dn: DotDimensionNumbers) => bind1(dot_general_p, [x, y], { ...params, dimensionNumbers: dn });
  if (bx !== null && by !== null) {
    return [[dotWith([[bump(xc, bx), bump(yc, by)], [[bx, ...bump(xb, bx)], [by, ...bump(yb, by)]]])], [0]];
  }
  if (bx !== null) {
    const [c, b] = [bump(xc, bx), bump(xb, bx)];
    const outDim = xb.length + freeDims(x.ndim, c, b).indexOf(bx);
    return [[dotWith([[c, yc], [b, yb]])], [outDim]];
  }
  const [c, b] = [bump(yc, by!), bump(yb, by!)];
  const xFree = x.ndim - xc.length - xb.length;
  const outDim = xb.length + xFree + freeDims(y.ndim, c, b).indexOf(by!);
  return [[dotWith([[xc, c], [xb, b]])], [outDim]];
};
