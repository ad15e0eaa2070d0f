// lax.associativeScan: an inclusive prefix scan with an associative binary function, by the
// parallel (Blelloch-style odd/even) recursion JAX uses, built from slices, pads and
// concatenations, so every transformation applies to it through those primitives.
import type { ArrayBase } from "../../array/base.js";
import { bind1 } from "../../core/trace.js";
import { flattenArgs } from "../../transforms/common.js";
import { unflatten } from "../../tree/index.js";
import { add_p, or_p } from "../elementwise.js";
import { full } from "../rule_util.js";
import { concatenate_p, pad_p, rev_p, slice_p } from "../structural.js";

function sliceInDim(x: ArrayBase, start: number, limit: number, stride: number, axis: number): ArrayBase {
  const s = x.shape.map(() => 0);
  const l = x.shape.slice();
  const st = x.shape.map(() => 1);
  s[axis] = start;
  l[axis] = limit;
  st[axis] = stride;
  return bind1(slice_p, [x], { startIndices: s, limitIndices: l, strides: st });
}

/** Interleaves a and b along axis (a first); a is as long as b or one longer. */
function interleave(a: ArrayBase, b: ArrayBase, axis: number): ArrayBase {
  const same = a.shape[axis] === b.shape[axis];
  const pa: [number, number, number][] = a.shape.map(() => [0, 0, 0]);
  const pb: [number, number, number][] = b.shape.map(() => [0, 0, 0]);
  pa[axis] = [0, same ? 1 : 0, 1];
  pb[axis] = [1, same ? 0 : 1, 1];
  const zero = (x: ArrayBase) => full([], 0, x.dtype, x.weakType);
  const op = a.dtype === "bool" ? or_p : add_p;
  return bind1(op, [bind1(pad_p, [a, zero(a)], { paddingConfig: pa }), bind1(pad_p, [b, zero(b)], { paddingConfig: pb })], {});
}

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
  const rev = (xs: ArrayBase[]) => xs.map((x) => bind1(rev_p, [x], { dimensions: [axis] }));
  const recurse = (xs: ArrayBase[]): ArrayBase[] => {
    const m = xs[0].shape[axis];
    if (m < 2) return xs;
    const reduced = combine(
      xs.map((x) => sliceInDim(x, 0, m - 1, 2, axis)),
      xs.map((x) => sliceInDim(x, 1, m, 2, axis)),
    );
    const odd = recurse(reduced);
    const evenRest = m % 2 === 0
      ? combine(odd.map((o) => sliceInDim(o, 0, o.shape[axis] - 1, 1, axis)), xs.map((x) => sliceInDim(x, 2, m, 2, axis)))
      : combine(odd, xs.map((x) => sliceInDim(x, 2, m, 2, axis)));
    const even = xs.map((x, i) => bind1(concatenate_p, [sliceInDim(x, 0, 1, 1, axis), evenRest[i]], { dimension: axis }));
    return even.map((e, i) => interleave(e, odd[i], axis));
  };
  let xs = leaves;
  if (opts.reverse) xs = rev(xs);
  let out = recurse(xs);
  if (opts.reverse) out = rev(out);
  return unflatten(def, out);
}
