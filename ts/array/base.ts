// Methods shared by concrete arrays and (later) tracers. Each delegates to the library
// function of the same name, registered by ts/numpy/methods.ts at import time, so that
// `x.add(y)` and `np.add(x, y)` are one code path.
import type { DType } from "./dtype.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const methodTable: Record<string, (...args: any[]) => any> = {};

function call(name: string, ...args: unknown[]): any {
  const f = methodTable[name];
  if (!f) throw new Error(`edgejax: method ${name} is not available (import "edgejax" first)`);
  return f(...args);
}

export type ArrayLike = ArrayBase | number | boolean;
export type NestedList = number | boolean | NestedList[];
export type AxisArg = number | number[] | null | undefined | { axis?: number | number[] | null; keepdims?: boolean; dtype?: DType };

export abstract class ArrayBase {
  abstract readonly shape: number[];
  abstract readonly dtype: DType;
  abstract readonly weakType: boolean;

  /** The device holding the values ("cpu", ...). */
  abstract readonly device: string;
  /** The values as a new typed array (see Array.dataSync in ts/array/array.ts). */
  abstract dataSync(): import("./dtype.js").TypedArray;
  abstract data(): Promise<import("./dtype.js").TypedArray>;
  abstract tolist(): NestedList;
  abstract item(): number | boolean;
  abstract dispose(): void;
  [Symbol.dispose](): void {
    this.dispose();
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  add(y: ArrayLike): any { return call("add", this, y); }
  sub(y: ArrayLike): any { return call("subtract", this, y); }
  mul(y: ArrayLike): any { return call("multiply", this, y); }
  div(y: ArrayLike): any { return call("divide", this, y); }
  floorDiv(y: ArrayLike): any { return call("floorDivide", this, y); }
  mod(y: ArrayLike): any { return call("remainder", this, y); }
  pow(y: ArrayLike): any { return call("power", this, y); }
  neg(): any { return call("negative", this); }
  abs(): any { return call("abs", this); }
  matmul(y: ArrayLike): any { return call("matmul", this, y); }
  dot(y: ArrayLike): any { return call("dot", this, y); }
  equal(y: ArrayLike): any { return call("equal", this, y); }
  notEqual(y: ArrayLike): any { return call("notEqual", this, y); }
  less(y: ArrayLike): any { return call("less", this, y); }
  lessEqual(y: ArrayLike): any { return call("lessEqual", this, y); }
  greater(y: ArrayLike): any { return call("greater", this, y); }
  greaterEqual(y: ArrayLike): any { return call("greaterEqual", this, y); }
  and(y: ArrayLike): any { return call("bitwiseAnd", this, y); }
  or(y: ArrayLike): any { return call("bitwiseOr", this, y); }
  xor(y: ArrayLike): any { return call("bitwiseXor", this, y); }
  not(): any { return call("bitwiseNot", this); }

  reshape(shape: number[] | number, ...rest: number[]): any {
    return call("reshape", this, typeof shape === "number" ? [shape, ...rest] : shape);
  }
  transpose(axes?: number[]): any { return call("transpose", this, axes); }
  get T(): any { return call("transpose", this); }
  astype(dtype: DType | string): any { return call("astype", this, dtype); }
  ravel(): any { return call("ravel", this); }
  flatten(): any { return call("ravel", this); }
  squeeze(axis?: number | number[]): any { return call("squeeze", this, axis); }
  swapaxes(a: number, b: number): any { return call("swapaxes", this, a, b); }
  clip(min?: ArrayLike | null, max?: ArrayLike | null): any { return call("clip", this, min, max); }
  round(decimals?: number): any { return call("round", this, decimals); }

  sum(axis?: AxisArg, opts?: object): any { return call("sum", this, axis, opts); }
  prod(axis?: AxisArg, opts?: object): any { return call("prod", this, axis, opts); }
  mean(axis?: AxisArg, opts?: object): any { return call("mean", this, axis, opts); }
  var(axis?: AxisArg, opts?: object): any { return call("var", this, axis, opts); }
  std(axis?: AxisArg, opts?: object): any { return call("std", this, axis, opts); }
  max(axis?: AxisArg, opts?: object): any { return call("max", this, axis, opts); }
  min(axis?: AxisArg, opts?: object): any { return call("min", this, axis, opts); }
  all(axis?: AxisArg, opts?: object): any { return call("all", this, axis, opts); }
  any(axis?: AxisArg, opts?: object): any { return call("any", this, axis, opts); }
  argmax(axis?: AxisArg, opts?: object): any { return call("argmax", this, axis, opts); }
  argmin(axis?: AxisArg, opts?: object): any { return call("argmin", this, axis, opts); }
  cumsum(axis?: AxisArg, opts?: object): any { return call("cumsum", this, axis, opts); }
  cumprod(axis?: AxisArg, opts?: object): any { return call("cumprod", this, axis, opts); }
  sort(axis?: AxisArg, opts?: object): any { return call("sort", this, axis, opts); }
  argsort(axis?: AxisArg, opts?: object): any { return call("argsort", this, axis, opts); }

  /** Reads `x[index]`: a number, an index string ("::2, 3:", "..., None"), an int/bool Array, or a list of those. */
  get(index: unknown): any { return call("getitem", this, index); }
  /** Functional updates: x.at(idx).set(v) / .add(v) / .mul(v) / .min(v) / .max(v) / .get(). */
  at(index: unknown): any { return call("at", this, index); }

  *[Symbol.iterator](): Iterator<any> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d array is not possible");
    for (let i = 0; i < this.shape[0]; i++) yield this.get(i);
  }
}
