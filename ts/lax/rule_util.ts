// Small helpers shared by the jvp / transpose / batching rules next to each primitive.
import type { ArrayBase } from "../array/base.js";
import { isFloat, type DType } from "../array/dtype.js";
import type { Aval } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { add_p, convert_element_type_p, mul_p, neg_p, sub_p } from "./elementwise.js";
import { broadcast_in_dim_p, fullArray, reshape_p, transpose_p } from "./structural.js";

/** Concrete zeros of an aval (constants are concrete at every trace level). */
export function zeros(aval: Aval): ArrayBase {
  return fullArray(aval.shape, 0, aval.dtype, aval.weakType);
}

export function full(shape: number[], value: number, dtype: DType, weak = false): ArrayBase {
  return fullArray(shape, value, dtype, weak);
}

/** Zeros shaped like x. */
export function zerosLike(x: ArrayBase): ArrayBase {
  return fullArray(x.shape, 0, x.dtype, x.weakType);
}

/** Whether values of this dtype carry tangents (integer and bool values do not). */
export function differentiable(dtype: DType): boolean {
  return isFloat(dtype);
}

/** a + b where null is a symbolic zero. */
export function addAny(a: ArrayBase | null, b: ArrayBase | null): ArrayBase | null {
  if (a === null) return b;
  if (b === null) return a;
  return bind1(add_p, [a, b], {});
}

export const add = (a: ArrayBase, b: ArrayBase): ArrayBase => bind1(add_p, [a, b], {});
export const sub = (a: ArrayBase, b: ArrayBase): ArrayBase => bind1(sub_p, [a, b], {});
export const mul = (a: ArrayBase, b: ArrayBase): ArrayBase => bind1(mul_p, [a, b], {});
export const neg = (a: ArrayBase): ArrayBase => bind1(neg_p, [a], {});

/** Converts to dtype (keeping weak = false), a no-op when it already has it. */
export function convert(x: ArrayBase, dtype: DType, weakType = false): ArrayBase {
  if (x.dtype === dtype && x.weakType === weakType) return x;
  return bind1(convert_element_type_p, [x], { newDtype: dtype, weakType });
}

/** A scalar constant broadcast to x's shape and dtype (for rule formulas like 1 - y^2). */
export function constLike(x: ArrayBase, value: number): ArrayBase {
  return fullArray(x.shape, value, x.dtype, x.weakType);
}

export function transpose(x: ArrayBase, perm: number[]): ArrayBase {
  if (perm.every((p, i) => p === i)) return x;
  return bind1(transpose_p, [x], { permutation: perm });
}

export function reshape(x: ArrayBase, shape: number[]): ArrayBase {
  return bind1(reshape_p, [x], { newSizes: shape });
}

/** Moves axis `from` of x to position `to`. */
export function moveaxis(x: ArrayBase, from: number, to: number): ArrayBase {
  if (from === to) return x;
  const perm = [...Array(x.ndim).keys()].filter((a) => a !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** x with a new axis of `size` at position `axis` (values repeated). */
export function broadcastAxis(x: ArrayBase, size: number, axis: number): ArrayBase {
  const shape = x.shape.slice();
  shape.splice(axis, 0, size);
  const dims = [...Array(x.ndim).keys()].map((d) => (d < axis ? d : d + 1));
  return bind1(broadcast_in_dim_p, [x], { shape, broadcastDimensions: dims });
}

/**
 * Brings every argument's batch axis to the front; unbatched arguments get one by
 * broadcasting (for primitives whose operands must have equal shapes).
 */
export function batchToFront(args: ArrayBase[], dims: (number | null)[], size: number): ArrayBase[] {
  return args.map((x, i) => (dims[i] === null ? broadcastAxis(x, size, 0) : moveaxis(x, dims[i]!, 0)));
}

/** The batch size of the batched arguments. */
export function batchSize(args: ArrayBase[], dims: (number | null)[]): number {
  for (let i = 0; i < args.length; i++) if (dims[i] !== null) return args[i].shape[dims[i]!];
  throw new Error("batchSize: no batched argument");
}
