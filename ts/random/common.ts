// Argument handling shared by the samplers: dtypes, shapes, parameters as arrays.
import { ArrayBase } from "../array/base.js";
import { canonicalDtype, isFloat, type DType } from "../array/dtype.js";
import * as lax from "../lax/api.js";
import { full } from "../lax/rule_util.js";
import { asarray } from "../numpy/convert.js";
import { broadcastShapes } from "../numpy/manipulation.js";

export type Num = number | ArrayBase;

/** Float sampling dtypes: float32 (default) and float16. */
export function floatDtype(fn: string, dtype: unknown): DType {
  const d = dtype === undefined || dtype === null ? "float32" : canonicalDtype(dtype, `random.${fn}`);
  if (!isFloat(d)) throw new TypeError(`random.${fn}: dtype must be a float dtype, got ${d}`);
  if (d === "float64") {
    throw new TypeError(`random.${fn}: float64 sampling needs 64 random bits per value, and edgejax has no 64-bit integers; use float32`);
  }
  return d;
}

/** A float parameter (number or Array) as an array of `dtype`. */
export function param(x: Num, dtype: DType): ArrayBase {
  if (x instanceof ArrayBase) return x.dtype === dtype ? x : lax.convertElementType(x, dtype);
  return asarray(x, dtype);
}

/** A constant of `dtype` broadcast to `shape`. */
export function fconst(v: number, dtype: DType, shape: number[] = []): ArrayBase {
  return full(shape, v, dtype);
}

/** Shape of a parameter (a JS number is a scalar). */
export function shapeOf(x: Num): number[] {
  return x instanceof ArrayBase ? x.shape : [];
}

/** JAX's _check_shape: parameter shapes must broadcast to `shape`. */
export function checkShape(fn: string, shape: number[], ...paramShapes: number[][]): void {
  let b: number[];
  try {
    b = broadcastShapes(shape, ...paramShapes);
  } catch {
    b = [];
  }
  if (b.length !== shape.length || b.some((d, i) => d !== shape[i])) {
    throw new TypeError(
      `random.${fn}: the shape argument [${shape}] must be a broadcast-compatible result shape of the parameter shapes ${paramShapes.map((s) => `[${s}]`).join(", ")}; pass a larger shape or omit it`,
    );
  }
}

/** Options: a dtype string in the options position is read as { dtype }. */
export function opts<T extends object>(o: T | string | undefined): T & { dtype?: string } {
  if (o === undefined) return {} as T;
  if (typeof o === "string") return { dtype: o } as T & { dtype?: string };
  return o as T & { dtype?: string };
}

/** float info used by the samplers. */
export function finfo(dtype: DType): { bits: 16 | 32; nmant: number; eps: number; epsneg: number; tiny: number } {
  if (dtype === "float16") return { bits: 16, nmant: 10, eps: 2 ** -10, epsneg: 2 ** -11, tiny: 2 ** -14 };
  return { bits: 32, nmant: 23, eps: 2 ** -23, epsneg: 2 ** -24, tiny: 2 ** -126 };
}

