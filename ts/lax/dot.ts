// dot_general: batched tensor contraction, executed by the backend's GEMM routine.
// Operands are moved (as views) to [batch, free, contract] / [batch, contract, free],
// collapsed to 3-D (a view when strides allow, else one copy), and multiplied.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { canonicalDtype, isFloat, type DType } from "../array/dtype.js";
import { fmtShape, sizeOf } from "../array/shape.js";
import { definePrimitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { deviceOf, emptyArray, viewOf } from "../runtime/eager.js";
import { convert_element_type_p } from "./elementwise.js";
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

/** The dtype GEMM computes in for an operand dtype (narrow types are widened). */
function computeDtype(d: DType): DType {
  if (d === "float32" || d === "float64" || d === "int32") return d;
  if (d === "float16") return "float32";
  return "int32"; // other ints, uint32 (same bits) and bool (0/1 products, then != 0)
}

export const dot_general_p = definePrimitive<DotParams>("dot_general", {
  abstractEval: ([l, r], { dimensionNumbers: dn, preferredElementType }) => {
    const fn = "lax.dot_general";
    const [[lc, rc], [lb, rb]] = dn;
    checkDims(fn, "lhs contracting", lc, l.shape.length);
    checkDims(fn, "rhs contracting", rc, r.shape.length);
    checkDims(fn, "lhs batch", lb, l.shape.length);
    checkDims(fn, "rhs batch", rb, r.shape.length);
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
    if (l.dtype !== r.dtype && !preferredElementType) {
      throw new TypeError(`${fn}: operands must have equal dtypes, got ${l.dtype} and ${r.dtype}; promote first (np.dot/np.matmul do)`);
    }
    return [{ shape: dotOutputShape(l.shape, r.shape, dn), dtype: preferredElementType ?? l.dtype, weakType: l.weakType && r.weakType }];
  },
  impl: ([l, r], { dimensionNumbers: dn, preferredElementType }) => {
    const [[lc, rc], [lb, rb]] = dn;
    const outDtype = preferredElementType ?? l.dtype;
    const cd = computeDtype(isFloat(outDtype) && !isFloat(l.dtype) ? outDtype : l.dtype === r.dtype ? l.dtype : outDtype);
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
    let out = emptyArray(outShape, cd, l.weakType && r.weakType, backend);
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
      const conv =
        outDtype === "bool"
          ? (bind1(convert_element_type_p, [out], { newDtype: "bool", weakType: false }) as Array)
          : (bind1(convert_element_type_p, [out], { newDtype: outDtype, weakType: out.weakType }) as Array);
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
  return bind1(dot_general_p, [lhs, rhs], { dimensionNumbers, preferredElementType: p });
}

/** lax.dot: vector/matrix products of rank-1 or rank-2 operands. */
export function dot(lhs: ArrayBase, rhs: ArrayBase, opts: { preferredElementType?: DType | string | null } = {}): ArrayBase {
  if (lhs.ndim < 1 || lhs.ndim > 2 || rhs.ndim < 1 || rhs.ndim > 2) {
    throw new TypeError(`lax.dot: takes rank-1 or rank-2 operands, got shapes ${fmtShape(lhs.shape)} and ${fmtShape(rhs.shape)}; use dotGeneral`);
  }
  return dotGeneral(lhs, rhs, [[[lhs.ndim - 1], [0]], [[], []]], opts);
}
