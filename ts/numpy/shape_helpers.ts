// Internal building blocks of creation.ts, manipulation.ts and indexing.ts: small typed
// wrappers over lax primitives (operands already agree in dtype and shape), constants and
// options parsing. Not re-exported from the numpy namespace.
import { Array as ConcreteArray } from "../array/array.js";
import { ArrayBase } from "../array/base.js";
import { canonicalDtype, type DType } from "../array/dtype.js";
import { fmtShape, normalizeAxis } from "../array/shape.js";
import type { Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import * as S from "../lax/structural.js";
import { gather_p, type GatherScatterMode } from "../lax/indexing.js";
import { fromBytes } from "../runtime/eager.js";
import { toStorage } from "./convert.js";

import { range } from "../array/shape.js";
export { range };

export const isArray = (x: unknown): x is ArrayBase => x instanceof ArrayBase;
export const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !globalThis.Array.isArray(x) && !(x instanceof ArrayBase) && !ArrayBuffer.isView(x);

/** A 0-d array of `dtype` holding v (not weak unless asked). */
export function constant(v: number | boolean, dtype: DType, weak = false): ArrayBase {
  return fromBytes(toStorage([typeof v === "boolean" ? (v ? 1 : 0) : v], dtype), [], dtype, weak);
}

/** lax.full: a broadcast of one value (a view of a single element eagerly). */
export function full(shape: number[], v: number | boolean, dtype: DType, weak = false): ArrayBase {
  return bcastScalar(constant(v, dtype, weak), shape);
}

/** Broadcasts a 0-d array to `shape`. */
export function bcastScalar(s: ArrayBase, shape: number[]): ArrayBase {
  return shape.length ? bind1(S.broadcast_in_dim_p, [s], { shape, broadcastDimensions: [] }) : s;
}

/** NumPy broadcasting of x to shape (trailing axes aligned); the caller checked compatibility. */
export function bcastTo(x: ArrayBase, shape: number[]): ArrayBase {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const lead = shape.length - x.shape.length;
  return bind1(S.broadcast_in_dim_p, [x], { shape, broadcastDimensions: x.shape.map((_, i) => i + lead) });
}

export function cvt(x: ArrayBase, dtype: DType, weak = false): ArrayBase {
  if (x.dtype === dtype && x.weakType === weak) return x;
  return bind1(E.convert_element_type_p, [x], { newDtype: dtype, weakType: weak });
}

export const reshape = (x: ArrayBase, shape: number[]): ArrayBase =>
  x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i]) ? x : bind1(S.reshape_p, [x], { newSizes: shape });
export const transpose = (x: ArrayBase, perm: number[]): ArrayBase =>
  perm.every((p, i) => p === i) ? x : bind1(S.transpose_p, [x], { permutation: perm });
export const rev = (x: ArrayBase, dims: number[]): ArrayBase => (dims.length ? bind1(S.rev_p, [x], { dimensions: dims }) : x);
export const concat = (xs: ArrayBase[], axis: number): ArrayBase => (xs.length === 1 ? xs[0] : bind1(S.concatenate_p, xs, { dimension: axis }));
export const iota = (dtype: DType, shape: number[], dim: number): ArrayBase => bind1(S.iota_p, [], { dtype, shape, dimension: dim });

/** lax.slice along one axis (start/stop already in range, step >= 1). */
export function sliceAxis(x: ArrayBase, axis: number, start: number, stop: number, step = 1): ArrayBase {
  if (start === 0 && stop === x.shape[axis] && step === 1) return x;
  const s = x.shape.map(() => 0);
  const l = x.shape.slice();
  s[axis] = start;
  l[axis] = Math.max(start, stop);
  const st = step === 1 ? null : x.shape.map((_, i) => (i === axis ? step : 1));
  return bind1(S.slice_p, [x], { startIndices: s, limitIndices: l, strides: st });
}

/** Inserts size-1 axes at the given (output) positions. */
export function expandDimsAt(x: ArrayBase, dims: number[]): ArrayBase {
  if (!dims.length) return x;
  const shape = x.shape.slice();
  for (const d of [...dims].sort((a, b) => a - b)) shape.splice(d, 0, 1);
  return reshape(x, shape);
}

const bin = (p: Primitive) => (x: ArrayBase, y: ArrayBase): ArrayBase => bind1(p, [x, y], {});
export const add = bin(E.add_p);
export const sub = bin(E.sub_p);
export const mul = bin(E.mul_p);
export const div = bin(E.div_p);
export const rem = bin(E.rem_p);
export const maximum = bin(E.max_p);
export const minimum = bin(E.min_p);
export const eq = bin(E.eq_p);
export const ne = bin(E.ne_p);
export const lt = bin(E.lt_p);
export const le = bin(E.le_p);
export const gt = bin(E.gt_p);
export const ge = bin(E.ge_p);
export const and = bin(E.and_p);
export const or = bin(E.or_p);
export const neg = (x: ArrayBase): ArrayBase => bind1(E.neg_p, [x], {});
/** select(pred, onTrue, onFalse) with equal shapes and dtypes. */
export const select = (p: ArrayBase, t: ArrayBase, f: ArrayBase): ArrayBase => bind1(E.select_n_p, [p, f, t], {});

/** x (op) c for a constant c in x's dtype. */
export const withConst = (op: (a: ArrayBase, b: ArrayBase) => ArrayBase, x: ArrayBase, c: number | boolean): ArrayBase =>
  op(x, full(x.shape, c, x.dtype, x.weakType));

/** Python's floor division and modulo of integer x by a positive constant. */
export function floorDivmodConst(x: ArrayBase, c: number): [ArrayBase, ArrayBase] {
  const q = withConst(div, x, c);
  const r = withConst(rem, x, c);
  if (x.dtype.startsWith("uint")) return [q, r];
  const negR = withConst(lt, r, 0);
  return [select(negR, withConst(sub, q, 1), q), select(negR, withConst(add, r, c), r)];
}

/** A dtype argument: a string, or the `dtype` key of an options object. */
export function dtypeArg(fn: string, v: unknown): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return canonicalDtype(v, fn);
  if (isPlainObject(v)) return v.dtype === undefined || v.dtype === null ? undefined : canonicalDtype(v.dtype, fn);
  throw new TypeError(`${fn}: expected a dtype string or an options object, got ${describe(v)}`);
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v instanceof ArrayBase) return `an array of shape ${fmtShape(v.shape)} and dtype ${v.dtype}`;
  if (globalThis.Array.isArray(v)) return `the list ${JSON.stringify(v)}`;
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * The values of an array that must be concrete (JAX's core.concrete_or_error): read on the
 * host; under a transformation (a tracer) a clear error says what to pass instead.
 */
export function concreteValues(fn: string, what: string, x: ArrayBase, hint = ""): number[] {
  if (!(x instanceof ConcreteArray)) {
    throw new TypeError(`${fn}: ${what} must be a concrete value, not a traced one (under jit, vmap or grad)${hint ? `; ${hint}` : ""}`);
  }
  return globalThis.Array.from(x.dataSync() as ArrayLike<number>);
}

/** An integer argument (JS number or a concrete 0-d integer array, read on the host). */
export function intArg(fn: string, name: string, v: unknown): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (v instanceof ArrayBase && v.shape.length === 0 && !v.dtype.startsWith("float") && v.dtype !== "bool") {
    return concreteValues(fn, name, v)[0];
  }
  throw new TypeError(`${fn}: ${name} must be an integer, got ${describe(v)}`);
}

/** An axis or list of axes, normalized (not sorted; duplicates rejected). */
export function axesArg(fn: string, axis: number | readonly number[], ndim: number): number[] {
  const list = typeof axis === "number" ? [axis] : axis;
  if (!globalThis.Array.isArray(list)) throw new TypeError(`${fn}: axis must be an integer or a list of integers, got ${describe(axis)}`);
  const out = list.map((a) => normalizeAxis(fn, a, ndim));
  if (new Set(out).size !== out.length) throw new Error(`${fn}: repeated axis in ${JSON.stringify(list)}`);
  return out;
}

/** A shape argument: an integer or a list of non-negative integers. */
export function shapeArg(fn: string, shape: unknown): number[] {
  const s = typeof shape === "number" ? [shape] : shape;
  if (!globalThis.Array.isArray(s) || !s.every((d) => Number.isInteger(d))) {
    throw new TypeError(`${fn}: shape must be an integer or a list of integers, got ${describe(shape)}`);
  }
  if (s.some((d) => d < 0)) throw new RangeError(`${fn}: negative dimensions are not allowed, got shape ${fmtShape(s)}`);
  return s.slice();
}

/** The bool matrix i + k == j (op eq), or i + k >= j (op ge, np.tri), of shape [n, m]. */
export function diagMask(n: number, m: number, k: number | ArrayBase, op: (a: ArrayBase, b: ArrayBase) => ArrayBase): ArrayBase {
  const shape = [n, m];
  const kk = typeof k === "number" ? full(shape, k, "int32") : bcastScalar(cvt(k, "int32"), shape);
  return op(add(iota("int32", shape, 0), kk), iota("int32", shape, 1));
}

/**
 * jnp.take's gather along one axis: out[..., i..., ...] = a[..., idx[i...], ...] (JAX's _take
 * dimension numbers). Negative indices are not wrapped here.
 */
export function takeAxis(a: ArrayBase, idx: ArrayBase, axis: number, mode: GatherScatterMode, fillValue: number | null = null): ArrayBase {
  const nd = a.shape.length;
  const k = idx.shape.length;
  const sliceSizes = a.shape.slice();
  sliceSizes[axis] = 1;
  return bind1(gather_p, [a, reshape(idx, [...idx.shape, 1])], {
    dimensionNumbers: {
      offsetDims: [...range(axis), ...range(nd - 1 - axis, axis + k)],
      collapsedSliceDims: [axis],
      startIndexMap: [axis],
      operandBatchingDims: [],
      startIndicesBatchingDims: [],
    },
    sliceSizes,
    mode,
    fillValue,
    indicesAreSorted: false,
    uniqueIndices: false,
  });
}
