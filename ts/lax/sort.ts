// lax.sort (stable, multi-operand, lexicographic on the first numKeys operands) and the
// cumulative reductions. Both run as routines of the backend along a contiguous last axis:
// the eager impl moves the axis last (a view), materializes, runs, and moves it back.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { fmtShape, range, shapeEq, sizeOf } from "../array/shape.js";
import { definePrimitive } from "../core/primitive.js";
import { bind, bind1 } from "../core/trace.js";
import { deviceOf, emptyArray, materialize } from "../runtime/eager.js";
import { transpose_p } from "./structural.js";

function moveLast(x: Array, dim: number): Array {
  const n = x.shape.length;
  if (dim === n - 1) return x;
  const perm = [...range(n).filter((i) => i !== dim), dim];
  return bind1(transpose_p, [x], { permutation: perm }) as Array;
}
function moveBack(x: Array, dim: number): Array {
  const n = x.shape.length;
  if (dim === n - 1) return x;
  const perm: number[] = [];
  for (let i = 0; i < n; i++) perm.push(i < dim ? i : i === dim ? n - 1 : i - 1);
  const out = bind1(transpose_p, [x], { permutation: perm }) as Array;
  x.dispose();
  return out;
}

/** Contiguous copy with `dim` last (disposing intermediates). */
function contiguousLast(x: Array, dim: number): Array {
  const moved = moveLast(x, dim);
  if (moved._isContiguous() && moved._offset === 0) return moved === x ? (materializeIfShared(x)) : moved;
  const c = materialize(moved);
  if (moved !== x) moved.dispose();
  return c;
}
// Routines read from offset 0 of the buffer: views with an offset are copied.
const materializeIfShared = (x: Array) => (x._offset === 0 && x._isContiguous() ? x : materialize(x));

export const sort_p = definePrimitive<{ dimension: number; isStable: boolean; numKeys: number }>("sort", {
  abstractEval: (xs, { dimension, numKeys }) => {
    if (xs.length === 0) throw new TypeError("lax.sort: needs at least one operand");
    const nd = xs[0].shape.length;
    if (nd === 0) throw new TypeError("lax.sort: operands must have at least one dimension");
    if (dimension < 0 || dimension >= nd) throw new RangeError(`lax.sort: dimension ${dimension} is out of bounds for shape ${fmtShape(xs[0].shape)}`);
    if (numKeys < 1 || numKeys > xs.length) throw new RangeError(`lax.sort: numKeys must be in [1, ${xs.length}], got ${numKeys}`);
    for (const x of xs) {
      if (!shapeEq(x.shape, xs[0].shape)) {
        throw new TypeError(`lax.sort: all operands must have the same shape, got ${xs.map((a) => fmtShape(a.shape)).join(", ")}`);
      }
    }
    return xs.map((x) => ({ shape: x.shape, dtype: x.dtype, weakType: x.weakType }));
  },
  impl: (xs, { dimension, numKeys }) => {
    const backend = deviceOf("sort", xs);
    const srcs = xs.map((x) => contiguousLast(x, dimension));
    const shape = srcs[0].shape;
    const n = shape[shape.length - 1];
    const rows = sizeOf(shape) / Math.max(n, 1);
    const outs = srcs.map((s) => emptyArray(shape, s.dtype, s.weakType, backend));
    if (sizeOf(shape) > 0) {
      backend.sort({
        shape: [rows, n],
        numKeys,
        operands: srcs.map((s, i) => ({ dtype: s.dtype, src: s._storage.buffer, dst: outs[i]._storage.buffer })),
      });
    }
    srcs.forEach((s, i) => s !== xs[i] && s.dispose());
    return outs.map((o) => moveBack(o, dimension));
  },
});

type CumOp = "sum" | "prod" | "max" | "min";
function cumulative(name: string, op: CumOp) {
  return definePrimitive<{ axis: number; reverse: boolean }>(name, {
    abstractEval: ([x], { axis }) => {
      if (axis < 0 || axis >= x.shape.length) throw new RangeError(`lax.${name}: axis ${axis} is out of bounds for shape ${fmtShape(x.shape)}`);
      if ((op === "sum" || op === "prod") && x.dtype === "bool") throw new TypeError(`lax.${name}: does not accept bool operands; convert first`);
      return [{ shape: x.shape, dtype: x.dtype, weakType: x.weakType }];
    },
    impl: ([x], { axis, reverse }) => {
      const backend = deviceOf(name, [x]);
      const src = materializeIfShared(x);
      const out = emptyArray(x.shape, x.dtype, x.weakType, backend);
      if (x.size > 0) {
        backend.cumulative({ op, dtype: x.dtype, shape: x.shape, axis, reverse, src: src._storage.buffer, dst: out._storage.buffer });
      }
      if (src !== x) src.dispose();
      return [out];
    },
  });
}
export const cumsum_p = cumulative("cumsum", "sum");
export const cumprod_p = cumulative("cumprod", "prod");
export const cummax_p = cumulative("cummax", "max");
export const cummin_p = cumulative("cummin", "min");

/** lax.sort(operand | operands, {dimension = -1, isStable = true, numKeys = 1}). */
export function sort(operand: ArrayBase | ArrayBase[], opts: { dimension?: number; isStable?: boolean; numKeys?: number } = {}): any {
  const xs = globalThis.Array.isArray(operand) ? operand : [operand];
  const nd = xs[0]?.shape.length ?? 0;
  const dimension = opts.dimension === undefined ? nd - 1 : opts.dimension < 0 ? opts.dimension + nd : opts.dimension;
  const outs = bind(sort_p, xs, { dimension, isStable: opts.isStable ?? true, numKeys: opts.numKeys ?? 1 });
  return globalThis.Array.isArray(operand) ? outs : outs[0];
}

const cum = (name: string, p: typeof cumsum_p) => (x: ArrayBase, axis = 0, reverse = false): ArrayBase => {
  const a = axis < 0 ? axis + x.shape.length : axis;
  return bind1(p, [x], { axis: a, reverse });
};
export const cumsum = cum("cumsum", cumsum_p);
export const cumprod = cum("cumprod", cumprod_p);
export const cummax = cum("cummax", cummax_p);
export const cummin = cum("cummin", cummin_p);
