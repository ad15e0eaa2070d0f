// Internal helpers shared by ts/numpy/reductions.ts and ts/numpy/statistics.ts: argument
// parsing (the positional axis and the options object), small lax compositions through
// bind, constants, and the generic reduction that mirrors jnp's `_reduction`.
// Nothing here is re-exported from the numpy namespace.
import type { ArrayBase } from "../array/base.js";
import { ArrayBase as ArrayBaseClass } from "../array/base.js";
import { canonicalDtype, defaultFloat, isBool, isFloat, isInteger, isUnsigned, type DType } from "../array/dtype.js";
import { broadcastShapes, fmtShape, normalizeAxes, shapeEq, sizeOf } from "../array/shape.js";
import type { Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import * as R from "../lax/reduce.js";
import * as S from "../lax/structural.js";
import { arg, scalar } from "./convert.js";

export type Axis = number | readonly number[] | null | undefined;

// ---- argument parsing ------------------------------------------------------------------

const isOptions = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !globalThis.Array.isArray(v) && !(v instanceof ArrayBaseClass) && !ArrayBuffer.isView(v);

/**
 * Splits `f(x, axis?, opts?)` / `f(x, opts?)` into the axis and the options, checking the
 * option names (a typo such as `keepDims` is an error, not silently ignored).
 */
export function parseAxisArgs<O extends object>(
  fn: string,
  axisOrOpts: unknown,
  opts: unknown,
  allowed: readonly string[],
): O & { axis: Axis } {
  let o: Record<string, unknown> = {};
  let axis: unknown = undefined;
  if (isOptions(axisOrOpts)) {
    if (opts !== undefined) throw new TypeError(`${fn}: pass either an axis and an options object, or one options object, not two objects`);
    o = axisOrOpts;
    axis = o.axis;
  } else {
    axis = axisOrOpts;
    if (opts !== undefined && opts !== null) {
      if (!isOptions(opts)) throw new TypeError(`${fn}: the third argument must be an options object {${allowed.join(", ")}}, got ${describe(opts)}`);
      o = opts;
      if (o.axis !== undefined) {
        if (axis !== undefined) throw new TypeError(`${fn}: axis given twice (positionally and in the options)`);
        axis = o.axis;
      }
    }
  }
  for (const k of Object.keys(o)) {
    if (k !== "axis" && !allowed.includes(k)) {
      throw new TypeError(`${fn}: unknown option ${JSON.stringify(k)}; accepted: axis, ${allowed.join(", ")}`);
    }
  }
  checkAxisArg(fn, axis);
  return { ...(o as O), axis: axis as Axis };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (globalThis.Array.isArray(v)) return "a list";
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : `${typeof v} ${JSON.stringify(v)}`;
}

function checkAxisArg(fn: string, axis: unknown): void {
  if (axis === undefined || axis === null || typeof axis === "number") return;
  if (globalThis.Array.isArray(axis) && axis.every((a) => typeof a === "number")) return;
  throw new TypeError(`${fn}: axis must be an integer, a list of integers or null, got ${describe(axis)}`);
}

/** A single (possibly negative) axis for functions that take one axis or null. */
export function singleAxis(fn: string, axis: Axis): number | null {
  if (axis === undefined || axis === null) return null;
  if (typeof axis !== "number") {
    throw new TypeError(`${fn}: axis must be a single integer or null, got ${JSON.stringify(axis)}`);
  }
  return axis;
}

export function dtypeOpt(fn: string, dtype: unknown): DType | undefined {
  return dtype === undefined || dtype === null ? undefined : canonicalDtype(dtype, fn);
}

// ---- dtype rules -------------------------------------------------------------------------

/** jnp's _promote_integer_dtype: bool -> int32, narrow ints -> int32 / uint32. */
export function promoteIntegerDtype(d: DType): DType {
  if (isBool(d)) return "int32";
  if (isUnsigned(d)) return "uint32";
  if (isInteger(d)) return "int32";
  return d;
}
/** dtypes.to_inexact_dtype: bools and ints (all 32-bit or narrower here) -> float32. */
/** JAX's dtypes.to_inexact_dtype: integers and bools become the default float (float64 with x64). */
export const toInexact = (d: DType): DType => (isFloat(d) ? d : defaultFloat());
/** _upcast_f16: float16 computations run in float32. */
export const upcastF16 = (d: DType): DType => (d === "float16" ? "float32" : d);

// ---- lax compositions --------------------------------------------------------------------

/** lax.convert_element_type: the result is strongly typed, as in JAX. */
export function convert(x: ArrayBase, dtype: DType): ArrayBase {
  if (x.dtype === dtype && !x.weakType) return x;
  return bind1(E.convert_element_type_p, [x], { newDtype: dtype, weakType: false });
}

/** Broadcasts to `shape` (NumPy rules: align trailing axes). */
export function broadcastTo(x: ArrayBase, shape: readonly number[]): ArrayBase {
  if (shapeEq(x.shape, shape)) return x;
  const lead = shape.length - x.shape.length;
  return bind1(S.broadcast_in_dim_p, [x], { shape: shape.slice(), broadcastDimensions: x.shape.map((_, i) => i + lead) });
}

/** A lax binary op after NumPy broadcasting of the shapes (dtypes must already agree). */
export function lbin(p: Primitive, x: ArrayBase, y: ArrayBase, fn = "reduction"): ArrayBase {
  if (!shapeEq(x.shape, y.shape)) {
    const shape = broadcastShapes(fn, x.shape, y.shape);
    x = broadcastTo(x, shape);
    y = broadcastTo(y, shape);
  }
  return bind1(p, [x, y], {});
}
export const add = (x: ArrayBase, y: ArrayBase) => lbin(E.add_p, x, y);
export const sub = (x: ArrayBase, y: ArrayBase) => lbin(E.sub_p, x, y);
export const mul = (x: ArrayBase, y: ArrayBase) => lbin(E.mul_p, x, y);
export const div = (x: ArrayBase, y: ArrayBase) => lbin(E.div_p, x, y);
export const lmax = (x: ArrayBase, y: ArrayBase) => lbin(E.max_p, x, y);
export const lmin = (x: ArrayBase, y: ArrayBase) => lbin(E.min_p, x, y);
export const land = (x: ArrayBase, y: ArrayBase) => lbin(E.and_p, x, y);
export const lor = (x: ArrayBase, y: ArrayBase) => lbin(E.or_p, x, y);
export const eq = (x: ArrayBase, y: ArrayBase) => lbin(E.eq_p, x, y);
export const ne = (x: ArrayBase, y: ArrayBase) => lbin(E.ne_p, x, y);
export const le = (x: ArrayBase, y: ArrayBase) => lbin(E.le_p, x, y);
export const gt = (x: ArrayBase, y: ArrayBase) => lbin(E.gt_p, x, y);
export const lnot = (x: ArrayBase) => bind1(E.not_p, [x], {});
export const isnan = (x: ArrayBase) => bind1(E.is_nan_p, [x], {});
export const floor = (x: ArrayBase) => bind1(E.floor_p, [x], {});
export const ceil = (x: ArrayBase) => bind1(E.ceil_p, [x], {});
export const sqrt = (x: ArrayBase) => bind1(E.floatUnaryPrims.sqrt, [x], {});
export const square = (x: ArrayBase) => bind1(E.integer_pow_p, [x], { y: 2 });

/** where(pred, onTrue, onFalse) with NumPy broadcasting; onTrue/onFalse share a dtype. */
export function select(pred: ArrayBase, onTrue: ArrayBase, onFalse: ArrayBase, fn = "reduction"): ArrayBase {
  const shape = broadcastShapes(fn, pred.shape, onTrue.shape, onFalse.shape);
  return bind1(E.select_n_p, [broadcastTo(pred, shape), broadcastTo(onFalse, shape), broadcastTo(onTrue, shape)], {});
}

export function reshape(x: ArrayBase, shape: number[]): ArrayBase {
  if (shapeEq(x.shape, shape)) return x;
  return bind1(S.reshape_p, [x], { newSizes: shape });
}
export function transpose(x: ArrayBase, perm: number[]): ArrayBase {
  if (perm.every((p, i) => p === i)) return x;
  return bind1(S.transpose_p, [x], { permutation: perm });
}
export const ravel = (x: ArrayBase) => reshape(x, [x.size]);

/** Inserts size-1 axes at the (sorted) positions `axes` of the result: keepdims. */
export function expandDims(x: ArrayBase, axes: readonly number[]): ArrayBase {
  const shape = x.shape.slice();
  for (const a of [...axes].sort((p, q) => p - q)) shape.splice(a, 0, 1);
  return reshape(x, shape);
}

// ---- constants ---------------------------------------------------------------------------

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1],
};

/**
 * A 0-d constant of `dtype` (strongly typed), as jnp's `_reduction_init_val`: for bools
 * `value > 0`; infinities of integer dtypes saturate to the dtype's range.
 */
export function konst(value: number | boolean, dtype: DType): ArrayBase {
  if (isBool(dtype)) return scalar("constant", typeof value === "boolean" ? value : value > 0, "bool");
  let v = Number(value);
  const r = INT_RANGE[dtype];
  if (r) v = Number.isNaN(v) ? 0 : Math.min(Math.max(v, r[0]), r[1]);
  return scalar("constant", v, dtype);
}
export const full = (shape: readonly number[], value: number | boolean, dtype: DType) => broadcastTo(konst(value, dtype), shape);

// ---- the generic reduction (jnp's _reduction) -----------------------------------------------

export type RedOp = "sum" | "prod" | "max" | "min" | "and" | "or";

const REDUCE_P: Record<RedOp, Primitive<{ axes: number[] }>> = {
  sum: R.reduce_sum_p, prod: R.reduce_prod_p, max: R.reduce_max_p, min: R.reduce_min_p,
  and: R.reduce_and_p, or: R.reduce_or_p,
};
const BINARY_P: Record<RedOp, Primitive> = {
  sum: E.add_p, prod: E.mul_p, max: E.max_p, min: E.min_p, and: E.and_p, or: E.or_p,
};
const INIT: Record<RedOp, number | boolean> = { sum: 0, prod: 1, max: -Infinity, min: Infinity, and: true, or: false };

export interface ReductionSpec {
  name: string;
  op: RedOp;
  /** false for max/min: an empty reduction needs `initial`. */
  hasIdentity: boolean;
  preproc?: "numeric" | "bool";
  boolOp?: RedOp;
  upcastF16?: boolean;
  promoteIntegers?: boolean;
}

export interface ReductionOpts {
  dtype?: DType;
  keepdims?: boolean;
  initial?: unknown;
  where?: unknown;
}

/** A `where=` mask: a bool array broadcastable to x's shape. */
export function checkWhere(fn: string, where: unknown, shape: readonly number[]): ArrayBase | undefined {
  if (where === undefined || where === null) return undefined;
  const w = arg(fn, where);
  if (w.dtype !== "bool") throw new TypeError(`${fn}: where must be a boolean array, got ${w.dtype}; compare first (e.g. x.greater(0))`);
  const b = broadcastShapes(fn, w.shape, shape);
  if (!shapeEq(b, shape)) {
    throw new TypeError(`${fn}: the where mask of shape ${fmtShape(w.shape)} does not broadcast to the operand's shape ${fmtShape(shape)}`);
  }
  return broadcastTo(w, shape);
}

/** A reduction over `axes` with the primitive of `op` (identity-filled masked entries). */
export function reduceWith(op: RedOp, x: ArrayBase, axes: number[]): ArrayBase {
  if (axes.length === 0) return x;
  return bind1(REDUCE_P[op], [x], { axes });
}

export function reduction(spec: ReductionSpec, x: unknown, axis: Axis, opts: ReductionOpts): ArrayBase {
  const { name } = spec;
  let a = arg(name, x);
  const where = checkWhere(name, opts.where, a.shape);
  if (opts.initial === undefined && !spec.hasIdentity && where) {
    throw new Error(`${name}: reduction operation ${name} does not have an identity, so to use a where mask one has to specify 'initial'`);
  }
  if (spec.preproc === "numeric" && isBool(a.dtype)) a = bind1(E.convert_element_type_p, [a], { newDtype: "int32", weakType: a.weakType });
  if (spec.preproc === "bool") a = convert(a, "bool");
  const axes = normalizeAxes(name, axis, a.ndim);
  if (opts.initial === undefined && !spec.hasIdentity) {
    for (const d of axes) {
      if (a.shape[d] === 0) {
        throw new Error(
          `${name}: zero-size array to reduction operation ${name} which has no identity ` +
            `(axis ${d} of shape ${fmtShape(a.shape)} is empty); pass initial`,
        );
      }
    }
  }
  const resultDtype = opts.dtype ?? (spec.promoteIntegers ? promoteIntegerDtype(a.dtype) : a.dtype);
  const comp = spec.upcastF16 && opts.dtype === undefined && isFloat(resultDtype) ? upcastF16(resultDtype) : resultDtype;
  a = convert(a, comp);
  const op = isBool(comp) ? spec.boolOp ?? spec.op : spec.op;
  if (where) a = select(where, a, konst(INIT[op], comp), name);
  let result = reduceWith(op, a, axes);
  if (opts.initial !== undefined && opts.initial !== null) {
    const init = convert(arg(name, opts.initial), comp);
    if (init.shape.length !== 0) throw new TypeError(`${name}: initial value must be a scalar, got an array of shape ${fmtShape(init.shape)}`);
    result = lbin(BINARY_P[op], broadcastTo(init, result.shape), result, name);
  }
  if (opts.keepdims) result = expandDims(result, axes);
  return convert(result, resultDtype);
}

/** Number of elements reduced over `axes` of `shape`. */
export function axesSize(shape: readonly number[], axes: readonly number[]): number {
  return sizeOf(axes.map((a) => shape[a]));
}

/** jnp.sum / jnp.prod's reduction spec. */
export function sumSpec(name: string, op: "sum" | "prod", promoteIntegers = true): ReductionSpec {
  return { name, op, hasIdentity: true, preproc: "numeric", boolOp: op === "sum" ? "or" : "and", upcastF16: true, promoteIntegers };
}

/** jnp.sum(x, axis, dtype=, keepdims=, where=). */
export function sumImpl(name: string, x: ArrayBase, axis: Axis, opts: ReductionOpts): ArrayBase {
  return reduction(sumSpec(name, "sum"), x, axis, opts);
}

/** The element count of a (masked) reduction, in `dtype` (jnp's _count). */
export function countOf(fn: string, a: ArrayBase, axis: Axis, keepdims: boolean, where: ArrayBase | undefined, dtype: DType): ArrayBase {
  if (!where) return konst(axesSize(a.shape, normalizeAxes(fn, axis, a.ndim)), dtype);
  return sumImpl(fn, where, axis, { dtype, keepdims });
}

/** jnp's _mean: sum / count, ints and bools as float32; `upcast` runs float16 in float32. */
export function meanImpl(fn: string, x: unknown, axis: Axis, o: { dtype?: DType; keepdims?: boolean; where?: unknown }, upcast: boolean): ArrayBase {
  const a = arg(fn, x);
  const where = checkWhere(fn, o.where, a.shape);
  const resultDtype = o.dtype ?? toInexact(a.dtype);
  const comp = upcast && isFloat(resultDtype) ? upcastF16(resultDtype) : resultDtype;
  const normalizer = countOf(fn, a, axis, o.keepdims ?? false, where, comp);
  const s = sumImpl(fn, a, axis, { dtype: comp, keepdims: o.keepdims, where });
  return convert(div(s, normalizer), resultDtype);
}
