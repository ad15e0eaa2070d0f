// Primitives and their registry. A primitive is one definition carrying what every layer
// needs: the shape/dtype rule, eager execution, the kernel lowering for fusion, and (added
// by ts/transforms) the jvp, transpose and batching rules.
import type { DType } from "../array/dtype.js";
import type { Array } from "../array/array.js";
import type { KernelBuilder } from "../compile/builder.js";
import type { ArrayBase } from "../array/base.js";

/** An abstract value: what tracing knows of an array. */
export interface Aval {
  shape: number[];
  dtype: DType;
  weakType: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Params = Record<string, any>;

export interface PrimitiveRules<P extends Params> {
  /** Output avals from input avals; throws a clear error for bad shapes/dtypes. */
  abstractEval(avals: Aval[], params: P): Aval[];
  /** Eager execution on concrete arrays (on their device). Elementwise primitives (with
   * `lower`) may omit it: they run a cached one-op kernel. */
  impl?(args: Array[], params: P): Array[];
  /**
   * For elementwise primitives: the scalar ops computing the outputs from the input
   * nodes. Such primitives fuse under jit, and their eager impl runs a one-op kernel.
   */
  lower?: (b: KernelBuilder, args: number[], params: P) => number[];
  /** A stable key of params for kernel caches (default JSON). */
  paramsKey?: (params: P) => string;
  /**
   * Forward-mode rule. `tangents[i]` is null for a symbolic zero (integer inputs, constants).
   * Returns the primal outputs and their tangents (null = zero). Written with bind, so it
   * works at any trace level.
   */
  jvp?(primals: ArrayBase[], tangents: (ArrayBase | null)[], params: P): [ArrayBase[], (ArrayBase | null)[]];
  /**
   * Transpose of a primitive linear in the inputs marked `LinearArg` (the others are
   * constants). `cts` are the outputs' cotangents (null = zero). Returns a cotangent for
   * each input (null for constants and zeros).
   */
  transpose?(cts: (ArrayBase | null)[], args: (ArrayBase | LinearArg)[], params: P): (ArrayBase | null)[];
  /**
   * vmap rule: `dims[i]` is the batch axis of args[i] (null = unbatched; at least one is
   * batched). Returns the outputs and their batch axes.
   */
  batch?(args: ArrayBase[], dims: (number | null)[], params: P): [ArrayBase[], (number | null)[]];
  // Further rules (partial evaluation of control flow, ...) live in the same object.
  [rule: string]: unknown;
}

/** A linear input of a primitive being transposed: only its aval is known. */
export class LinearArg {
  constructor(readonly aval: Aval) {}
}

/** Set by ts/runtime/eager.ts: the eager impl of primitives that only define `lower`. */
export const primitiveHooks: { elementwiseImpl?: (p: Primitive, args: Array[], params: Params, out: Aval[]) => Array[] } = {};

export class Primitive<P extends Params = Params> {
  constructor(
    readonly name: string,
    readonly rules: PrimitiveRules<P>,
  ) {}
  impl(args: Array[], params: P): Array[] {
    // Validate shapes and dtypes eagerly too (arrays are avals): errors come from one place.
    const out = this.rules.abstractEval(args, params);
    if (this.rules.impl) return this.rules.impl(args, params);
    return primitiveHooks.elementwiseImpl!(this as unknown as Primitive, args, params, out);
  }
  toString(): string {
    return this.name;
  }
}

export const primitives = new Map<string, Primitive>();

export function definePrimitive<P extends Params>(name: string, rules: PrimitiveRules<P>): Primitive<P> {
  if (primitives.has(name)) throw new Error(`edgejax: primitive ${name} is defined twice`);
  const p = new Primitive<P>(name, rules);
  primitives.set(name, p as unknown as Primitive);
  return p;
}
