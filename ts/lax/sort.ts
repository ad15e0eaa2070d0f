// lax.sort (stable, multi-operand, lexicographic on the first numKeys operands) and the
// cumulative reductions. Both run as routines of the backend along a contiguous last axis:
// the eager impl moves the axis last (a view), materializes, runs, and moves it back.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { fmtShape, range, shapeEq, sizeOf } from "../array/shape.js";
import { isFloat } from "../array/dtype.js";
import { LinearArg, definePrimitive } from "../core/primitive.js";
import { bind, bind1 } from "../core/trace.js";
import { deviceOf, emptyArray, materialize } from "../runtime/eager.js";
import { tidy } from "../runtime/memory.js";
import * as E from "./elementwise.js";
import { batchSize, batchToFront } from "./rule_util.js";
import { concatenate_p, fullArray, iota_p, pad_p, rev_p, slice_p, transpose_p } from "./structural.js";

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

// ---------------------------------------------------------------------------------------
// JAX's parallel prefix algorithm of lax.associative_scan (jax/_src/lax/control_flow/loops.py):
// combine adjacent pairs, scan the half-size result recursively (the odd outputs), then
// combine those with the even inputs, and interleave. The cumulative primitives'
// derivatives are this scan run on (primal, tangent) pairs, as JAX does (so ties of
// cummax/cummin are split in the same way as JAX's).

type Combine = (a: ArrayBase[], b: ArrayBase[]) => ArrayBase[];

function sliceAxis(x: ArrayBase, axis: number, start: number, limit: number, stride = 1): ArrayBase {
  const s = x.shape.map((_, i) => (i === axis ? start : 0));
  const l = x.shape.map((n, i) => (i === axis ? limit : n));
  const st = x.shape.map((_, i) => (i === axis ? stride : 1));
  return bind1(slice_p, [x], { startIndices: s, limitIndices: l, strides: stride === 1 ? null : st });
}

/** Interleaves a (even positions) and b (odd positions) along axis; |a| = |b| or |b| + 1. */
function interleave(a: ArrayBase, b: ArrayBase, axis: number): ArrayBase {
  const same = a.shape[axis] === b.shape[axis];
  const cfg = (lo: number, hi: number) => a.shape.map((_, i) => (i === axis ? [lo, hi, 1] : [0, 0, 0]) as [number, number, number]);
  const zero = (x: ArrayBase) => fullArray([], 0, x.dtype, x.weakType);
  const pa = bind1(pad_p, [a, zero(a)], { paddingConfig: cfg(0, same ? 1 : 0) });
  const pb = bind1(pad_p, [b, zero(b)], { paddingConfig: cfg(1, same ? 0 : 1) });
  return bind1(a.dtype === "bool" ? E.or_p : E.add_p, [pa, pb], {});
}

/** associative_scan(combine, elems, {axis, reverse}) on a list of arrays of one shape. */
export function parallelPrefixScan(combine: Combine, elems: ArrayBase[], axis: number, reverse = false): ArrayBase[] {
  const rev = (xs: ArrayBase[]) => xs.map((x) => bind1(rev_p, [x], { dimensions: [axis] }));
  const scan = (xs: ArrayBase[]): ArrayBase[] => {
    const n = xs[0].shape[axis];
    if (n < 2) return xs;
    const reduced = combine(
      xs.map((x) => sliceAxis(x, axis, 0, n - 1, 2)),
      xs.map((x) => sliceAxis(x, axis, 1, n, 2)),
    );
    const odd = scan(reduced);
    const evenIn = xs.map((x) => sliceAxis(x, axis, 2, n, 2));
    const even = n % 2 === 0 ? combine(odd.map((o) => sliceAxis(o, axis, 0, o.shape[axis] - 1)), evenIn) : combine(odd, evenIn);
    const withFirst = even.map((e, i) => bind1(concatenate_p, [sliceAxis(xs[i], axis, 0, 1), e], { dimension: axis }));
    return withFirst.map((e, i) => interleave(e, odd[i], axis));
  };
  const out = scan(reverse ? rev(elems) : elems);
  return reverse ? rev(out) : out;
}

const b2 = (p: typeof E.add_p, x: ArrayBase, y: ArrayBase) => bind1(p, [x, y], {});
const un1 = (p: typeof E.neg_p, x: ArrayBase) => bind1(p, [x], {});
const constOf = (x: ArrayBase, v: number) => fullArray(x.shape, v, x.dtype, x.weakType);
const sel = (pred: ArrayBase, onFalse: ArrayBase, onTrue: ArrayBase) => bind1(E.select_n_p, [pred, onFalse, onTrue], {});

/** JAX's logaddexp: max + log1p(exp(-|x - y|)); NaN differences (equal infinities, NaN) give x + y. */
function logaddexp(x: ArrayBase, y: ArrayBase): ArrayBase {
  const delta = b2(E.sub_p, x, y);
  const m = b2(E.max_p, x, y);
  const soft = b2(E.add_p, m, un1(E.floatUnaryPrims.log1p, un1(E.floatUnaryPrims.exp, un1(E.neg_p, un1(E.abs_p, delta)))));
  return sel(un1(E.is_nan_p, delta), soft, b2(E.add_p, x, y));
}

/** The tangent weight of `x` in max/min(x, y) = z: JAX's _balanced_eq (ties give 1/2 each). */
function balancedEq(x: ArrayBase, z: ArrayBase, y: ArrayBase): ArrayBase {
  const num = sel(b2(E.eq_p, x, z), constOf(z, 0), constOf(z, 1));
  const den = sel(b2(E.eq_p, y, z), constOf(z, 1), constOf(z, 2));
  return b2(E.div_p, num, den);
}

/** (primal, tangent) combines: the jvp of each cumulative operation's binary op. */
const pairCombines: Record<"prod" | "max" | "min" | "logsumexp", Combine> = {
  prod: ([a, da], [b, db]) => [b2(E.mul_p, a, b), b2(E.add_p, b2(E.mul_p, da, b), b2(E.mul_p, a, db))],
  max: ([a, da], [b, db]) => {
    const z = b2(E.max_p, a, b);
    return [z, b2(E.add_p, b2(E.mul_p, da, balancedEq(a, z, b)), b2(E.mul_p, db, balancedEq(b, z, a)))];
  },
  min: ([a, da], [b, db]) => {
    const z = b2(E.min_p, a, b);
    return [z, b2(E.add_p, b2(E.mul_p, da, balancedEq(a, z, b)), b2(E.mul_p, db, balancedEq(b, z, a)))];
  },
  logsumexp: ([a, da], [b, db]) => {
    // JAX's logaddexp jvp: t_a exp(a - out) + t_b exp(b - out), infinities read as 0.
    const z = logaddexp(a, b);
    const fin = (v: ArrayBase) => sel(un1(E.is_inf_p, v), v, constOf(v, 0));
    const w = (v: ArrayBase) => un1(E.floatUnaryPrims.exp, b2(E.sub_p, fin(v), fin(z)));
    return [z, b2(E.add_p, b2(E.mul_p, da, w(a)), b2(E.mul_p, db, w(b)))];
  },
};

/** cumlogsumexp: log(cumsum(exp(x))) computed stably (JAX's cumlogsumexp_p). */
export const cumlogsumexp_p = definePrimitive<{ axis: number; reverse: boolean }>("cumlogsumexp", {
  abstractEval: ([x], { axis }) => {
    if (axis < 0 || axis >= x.shape.length) throw new RangeError(`lax.cumlogsumexp: axis ${axis} is out of bounds for shape ${fmtShape(x.shape)}`);
    if (!isFloat(x.dtype)) throw new TypeError(`lax.cumlogsumexp: needs a floating-point operand, got ${x.dtype}; convert it first`);
    return [{ shape: x.shape, dtype: x.dtype, weakType: x.weakType }];
  },
  impl: ([x], { axis, reverse }) => tidy(() => parallelPrefixScan(([a], [b]) => [logaddexp(a, b)], [x], axis, reverse)) as Array[],
});

// cumsum is linear: its transpose is the cumsum running the other way.
cumsum_p.rules.jvp = ([x], [t], params) => [[bind1(cumsum_p, [x], params)], [t === null ? null : bind1(cumsum_p, [t], params)]];
cumsum_p.rules.transpose = ([ct], _args, { axis, reverse }) => [ct === null ? null : bind1(cumsum_p, [ct], { axis, reverse: !reverse })];

for (const [p, op] of [[cumprod_p, "prod"], [cummax_p, "max"], [cummin_p, "min"], [cumlogsumexp_p, "logsumexp"]] as const) {
  p.rules.jvp = ([x], [t], params) => {
    const out = bind1(p, [x], params);
    if (t === null || !isFloat(x.dtype)) return [[out], [null]];
    const [, tOut] = parallelPrefixScan(pairCombines[op], [x, t], params.axis, params.reverse);
    return [[out], [tOut]];
  };
}
for (const p of [cumsum_p, cumprod_p, cummax_p, cummin_p, cumlogsumexp_p]) {
  p.rules.batch = ([x], [d], { axis, reverse }) => [[bind1(p, [x], { axis: axis < d! ? axis : axis + 1, reverse })], [d]];
}

// sort: the outputs are a permutation of the inputs (the same for every operand), so the
// tangents are the input tangents in that permutation: sorted along with the keys (a stable
// sort keyed by the same keys applies the same permutation). That is linear in the
// tangents; its transpose applies the inverse permutation, which is a sort of the
// cotangents keyed by the permutation itself (perm[i] = where output i came from).
const SORT_STABLE = (dimension: number, numKeys: number) => ({ dimension, isStable: true, numKeys });

sort_p.rules.jvp = (xs, ts, params) => {
  // Stable, so the tangents below follow the same permutation as the values.
  const outs = bind(sort_p, xs, SORT_STABLE(params.dimension, params.numKeys));
  const carried = xs.map((x, i) => (ts[i] !== null && isFloat(x.dtype) ? i : -1)).filter((i) => i >= 0);
  const tOuts: (ArrayBase | null)[] = xs.map(() => null);
  if (carried.length === 0) return [outs, tOuts];
  const keys = xs.slice(0, params.numKeys);
  const sortedT = bind(sort_p, [...keys, ...carried.map((i) => ts[i]!)], SORT_STABLE(params.dimension, params.numKeys));
  carried.forEach((i, k) => (tOuts[i] = sortedT[params.numKeys + k]));
  return [outs, tOuts];
};

sort_p.rules.transpose = (cts, args, { dimension, numKeys }) => {
  if (args.slice(0, numKeys).some((a) => a instanceof LinearArg)) {
    throw new TypeError("transpose: sort is not linear in its keys (only the operands carried along can be linear)");
  }
  const res: (ArrayBase | null)[] = args.map(() => null);
  const lin = args.map((a, i) => (a instanceof LinearArg && cts[i] !== null ? i : -1)).filter((i) => i >= 0);
  if (lin.length === 0) return res;
  const keys = args.slice(0, numKeys) as ArrayBase[];
  const idx = bind1(iota_p, [], { dtype: "int32", shape: keys[0].shape, dimension });
  const perm = bind(sort_p, [...keys, idx], SORT_STABLE(dimension, numKeys))[numKeys];
  const back = bind(sort_p, [perm, ...lin.map((i) => cts[i]!)], SORT_STABLE(dimension, 1));
  lin.forEach((i, k) => (res[i] = back[1 + k]));
  return res;
};

sort_p.rules.batch = (xs, dims, params) => {
  const d0 = dims[0];
  if (d0 !== null && dims.every((d) => d === d0)) {
    const outs = bind(sort_p, xs, { ...params, dimension: params.dimension < d0 ? params.dimension : params.dimension + 1 });
    return [outs, outs.map(() => d0)];
  }
  const moved = batchToFront(xs, dims, batchSize(xs, dims));
  const outs = bind(sort_p, moved, { ...params, dimension: params.dimension + 1 });
  return [outs, outs.map(() => 0)];
};

/** lax.cumlogsumexp(x, axis = 0, reverse = false): log of the cumulative sum of exp(x), stably. */
export const cumlogsumexp = cum("cumlogsumexp", cumlogsumexp_p);
