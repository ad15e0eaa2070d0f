// Argument handling shared by the transformations: pytrees of arrays and JS scalars in,
// flat lists of arrays inside.
import { ArrayBase } from "../array/base.js";
import { jaxprHooks } from "../core/jaxpr.js";
import { traceStack, Tracer } from "../core/trace.js";
import { arg, scalar, toStorage } from "../numpy/convert.js";
import { defaultFloat } from "../array/dtype.js";
import { fromBytes } from "../runtime/eager.js";
import { asInternal } from "../runtime/buffer.js";
import { freeInternal } from "../runtime/memory.js";
import { flatten, unflatten, type TreeDef } from "../tree/index.js";

jaxprHooks.literal = (value, aval) => {
  const s = fromBytes(toStorage([typeof value === "boolean" ? (value ? 1 : 0) : value], aval.dtype), [], aval.dtype, aval.weakType);
  if (!aval.shape.length) return s;
  // A broadcast literal: one value viewed with zero strides.
  const b = s._view(aval.shape.slice(), aval.shape.map(() => 0), 0);
  s.dispose();
  return b;
};

/**
 * Called eagerly (no active trace), a transformation frees its own intermediates when it
 * returns (the values inside its tracers, residuals, cotangents): only the arrays in its
 * result survive. So a synchronous loop of eager grad/vmap/jvp calls does not pile up
 * garbage until the next await. Arrays the transformed function itself makes from concrete
 * values are the user's, as outside a transformation. Under an outer trace the
 * intermediates are tracers and this does nothing.
 */
export function freeIntermediates<T>(fn: () => T): T {
  return traceStack.length === 0 ? freeInternal(() => asInternal(fn)) : asInternal(fn);
}

/** A leaf as an array: JS numbers become weak scalars (as Python scalars in JAX). */
export function leafToArray(fn: string, x: unknown): ArrayBase {
  if (x instanceof ArrayBase) return x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(fn, x);
  return arg(fn, x);
}

/** Flattens a pytree whose leaves are arrays or JS scalars. */
export function flattenArgs(fn: string, tree: unknown): [ArrayBase[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => leafToArray(fn, l)), def];
}

/**
 * For the points differentiated at (grad, jvp, vjp, jacobians): JS numbers are weak
 * float scalars even when integral, since JS cannot tell 2 from 2.0 and nobody
 * differentiates at an integer (docs/decisions.md).
 */
export function flattenPoints(fn: string, tree: unknown): [ArrayBase[], TreeDef] {
  const [leaves, def] = flatten(tree);
  return [leaves.map((l) => (typeof l === "number" ? fromBytes(toStorage([l], defaultFloat()), [], defaultFloat(), true) : leafToArray(fn, l))), def];
}

export function unflattenArgs(def: TreeDef, leaves: readonly unknown[]): unknown {
  return unflatten(def, leaves);
}

/** Normalizes argnums (a number or a list) against the number of arguments. */
export function normArgnums(fn: string, argnums: number | number[], nargs: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : argnums;
  return list.map((a) => {
    if (!Number.isInteger(a)) throw new TypeError(`${fn}: argnums must be integers, got ${JSON.stringify(argnums)}`);
    const n = a < 0 ? a + nargs : a;
    if (n < 0 || n >= nargs) {
      throw new RangeError(
        `${fn}: argnums ${JSON.stringify(argnums)} is out of range for a function called with ${nargs} positional argument${nargs === 1 ? "" : "s"}`,
      );
    }
    return n;
  });
}

export function isTracer(x: unknown): x is Tracer {
  return x instanceof Tracer;
}

export function checkFunction(fn: string, f: unknown): void {
  if (typeof f !== "function") throw new TypeError(`${fn}: expected a function, got ${f === null ? "null" : typeof f}`);
}
