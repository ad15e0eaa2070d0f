// lax.associativeScan: an inclusive prefix scan with an associative binary function, by the
// parallel odd/even recursion JAX uses (parallelPrefixScan in ../sort.ts, built from slices,
// pads and concatenations, so every transformation applies to it through those primitives).
import type { ArrayBase } from "../../array/base.js";
import { flattenArgs } from "../../transforms/common.js";
import { unflatten } from "../../tree/index.js";
import { parallelPrefixScan } from "../sort.js";

/**
 * lax.associativeScan(fn, elems, {reverse, axis}): the inclusive scan of the pytree elems
 * along axis with fn, an associative function applied to whole slices (vectorized).
 */
export function associativeScan(fn: (a: any, b: any) => any, elems: unknown, opts: { reverse?: boolean; axis?: number } = {}): any {
  const name = "lax.associativeScan";
  if (typeof fn !== "function") throw new TypeError(`${name}: fn must be a function, got ${fn === null ? "null" : typeof fn}`);
  const [leaves, def] = flattenArgs(name, elems);
  if (!leaves.length) return elems;
  const nd = leaves[0].shape.length;
  let axis = opts.axis ?? 0;
  if (!Number.isInteger(axis) || axis < -nd || axis >= nd) throw new RangeError(`${name}: axis ${opts.axis} is out of bounds for arrays of rank ${nd}`);
  if (axis < 0) axis += nd;
  const n = leaves[0].shape[axis];
  for (const l of leaves) {
    if (l.shape.length <= axis || l.shape[axis] !== n) {
      throw new TypeError(`${name}: every element must have the same size on axis ${axis}, got shapes ${leaves.map((x) => `[${x.shape}]`).join(", ")}`);
    }
  }
  const combine = (a: ArrayBase[], b: ArrayBase[]): ArrayBase[] => {
    const [out, outDef] = flattenArgs(name, fn(unflatten(def, a), unflatten(def, b)));
    if (!outDef.equals(def)) throw new TypeError(`${name}: fn must return the structure of elems (${def}), got ${outDef}`);
    return out;
  };
  return unflatten(def, parallelPrefixScan(combine, leaves, axis, !!opts.reverse));
}
