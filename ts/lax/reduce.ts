// Reduction primitives: reduce_{sum,prod,max,min,and,or} over axes, argmax/argmin over one
// axis. Each runs as a fused kernel with a reduction (jit fuses producers into it).
import { isBool, isFloat, type DType } from "../array/dtype.js";
import { fmtShape } from "../array/shape.js";
import type { ArrayBase } from "../array/base.js";
import { range } from "../array/shape.js";
import { LinearArg, definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { runKernel } from "../runtime/eager.js";
import { broadcast_in_dim_p, fullArray, pad_p, slice_p } from "./structural.js";
import { div_p, eq_p } from "./elementwise.js";
import { convert, mul, reshape, transpose, zerosLike } from "./rule_util.js";
import { cumprod_p } from "./sort.js";
import type { FusedKernel, ReduceOp } from "../runtime/kernel.js";

const kernels = new Map<string, FusedKernel>();

function reductionKernel(op: ReduceOp, dtype: DType, axes: number[], outDtype: DType): FusedKernel {
  const key = `${op}|${dtype}|${axes}|${outDtype}`;
  let k = kernels.get(key);
  if (!k) {
    k = {
      inputs: [{ dtype }],
      nodes: [{ kind: "input", input: 0, dtype }],
      reduce: { op, axes, arg: 0, dtype: outDtype },
      epilogue: [{ kind: "reduced", dtype: outDtype }],
      outputs: [{ node: 0, dtype: outDtype }],
    };
    kernels.set(key, k);
  }
  return k;
}

function checkAxes(name: string, axes: number[], ndim: number, shape: number[]): void {
  for (let i = 0; i < axes.length; i++) {
    if (!Number.isInteger(axes[i]) || axes[i] < 0 || axes[i] >= ndim || (i > 0 && axes[i] <= axes[i - 1])) {
      throw new RangeError(`lax.${name}: invalid axes ${JSON.stringify(axes)} for shape ${fmtShape(shape)} (sorted, distinct, in range)`);
    }
  }
}

const INT_LIMITS: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1],
};

/** The identity of `op` in `dtype` (what XLA's reduce gives for an empty reduction). */
export function reductionIdentity(op: ReduceOp, dtype: DType): number {
  const lim = INT_LIMITS[dtype];
  switch (op) {
    case "sum": case "or": return 0;
    case "prod": return 1;
    case "and": return isBool(dtype) ? 1 : lim && lim[0] === 0 ? lim[1] : -1; // all bits set
    case "max": return isBool(dtype) ? 0 : lim ? lim[0] : -Infinity;
    case "min": return isBool(dtype) ? 1 : lim ? lim[1] : Infinity;
    default: throw new Error(`reductionIdentity: no identity for ${op}`);
  }
}

function reducer(name: string, op: ReduceOp, accepts: (d: DType) => boolean): Primitive<{ axes: number[] }> {
  return definePrimitive<{ axes: number[] }>(name, {
    abstractEval: ([x], { axes }) => {
      checkAxes(name, axes, x.shape.length, x.shape);
      if (!accepts(x.dtype)) throw new TypeError(`lax.${name}: does not accept ${x.dtype} operands`);
      return [{ shape: x.shape.filter((_, i) => !axes.includes(i)), dtype: x.dtype, weakType: x.weakType }];
    },
    impl: ([x], { axes }) => {
      const outShape = x.shape.filter((_, i) => !axes.includes(i));
      // An empty reduction is the identity everywhere: filled directly rather than relying
      // on each backend's accumulator initialisation for a zero-size iteration space.
      if (axes.some((a) => x.shape[a] === 0)) {
        x._check(name);
        return [fullArray(outShape, reductionIdentity(op, x.dtype), x.dtype, x.weakType)];
      }
      return runKernel(name, reductionKernel(op, x.dtype, axes, x.dtype), x.shape, [x], outShape, x.weakType);
    },
  });
}

const any = () => true;
const notBool = (d: DType) => !isBool(d);
export const reduce_sum_p = reducer("reduce_sum", "sum", notBool);
export const reduce_prod_p = reducer("reduce_prod", "prod", notBool);
export const reduce_max_p = reducer("reduce_max", "max", any);
export const reduce_min_p = reducer("reduce_min", "min", any);
export const reduce_and_p = reducer("reduce_and", "and", (d) => !isFloat(d));
export const reduce_or_p = reducer("reduce_or", "or", (d) => !isFloat(d));

function argReducer(name: string, op: "argmax" | "argmin"): Primitive<{ axes: number[]; indexDtype: DType }> {
  return definePrimitive<{ axes: number[]; indexDtype: DType }>(name, {
    abstractEval: ([x], { axes }) => {
      if (axes.length !== 1) throw new TypeError(`lax.${name}: takes exactly one axis, got ${JSON.stringify(axes)}`);
      checkAxes(name, axes, x.shape.length, x.shape);
      if (x.shape[axes[0]] === 0) {
        throw new RangeError(`${op}: attempt to get ${op} of an empty sequence (axis ${axes[0]} of shape ${fmtShape(x.shape)})`);
      }
      return [{ shape: x.shape.filter((_, i) => i !== axes[0]), dtype: "int32", weakType: false }];
    },
    impl: ([x], { axes }) => {
      const outShape = x.shape.filter((_, i) => i !== axes[0]);
      return runKernel(name, reductionKernel(op, x.dtype, axes, "int32"), x.shape, [x], outShape);
    },
  });
}
export const argmax_p = argReducer("argmax", "argmax");
export const argmin_p = argReducer("argmin", "argmin");

export const reduceSum = (x: ArrayBase, axes: number[]) => bind1(reduce_sum_p, [x], { axes });

// ---------------------------------------------------------------------------------------
// Derivative and batching rules.
// - reduce_sum is linear: its transpose broadcasts the cotangent back over the axes.
// - reduce_prod: the tangent is sum_j t_j * prod_{k != j} x_k, with the leave-one-out
//   products computed from exclusive prefix and suffix products (no division, so it is
//   right when x has zeros; JAX gets the same values from a pairwise product tree).
// - reduce_max / reduce_min: JAX's chooser rule, the tangent averaged over the tied
//   winners: sum(t * loc) / sum(loc) with loc = (x == ans).
// - reduce_and / reduce_or / argmax / argmin: integer or bool results, no tangents.
// Batching shifts the axes past the batch axis, which stays where it was (less the
// reduced axes before it).

const keptAxes = (ndim: number, axes: number[]): number[] => range(ndim).filter((i) => !axes.includes(i));

/** y (reduced over `axes`) broadcast back to `shape`. */
function broadcastBack(y: ArrayBase, shape: number[], axes: number[]): ArrayBase {
  return bind1(broadcast_in_dim_p, [y], { shape, broadcastDimensions: keptAxes(shape.length, axes) });
}

function batchAxesParam<P extends { axes: number[] }>(p: Primitive<P>): void {
  p.rules.batch = ([x], [d], params) => {
    const bd = d!;
    const axes = params.axes.map((a) => (a < bd ? a : a + 1));
    const outDim = bd - axes.filter((a) => a < bd).length;
    return [[bind1(p, [x], { ...params, axes })], [outDim]];
  };
}

reduce_sum_p.rules.jvp = ([x], [t], params) => [[bind1(reduce_sum_p, [x], params)], [t === null ? null : bind1(reduce_sum_p, [t], params)]];
reduce_sum_p.rules.transpose = ([ct], [x], { axes }) => {
  if (!(x instanceof LinearArg)) throw new TypeError("transpose: reduce_sum's operand must be the linear input");
  return [ct === null ? null : broadcastBack(ct, x.aval.shape, axes)];
};

/** prod_{k != j} x_k over `axes`, for every j (x's shape); needs a non-empty reduction. */
function leaveOneOutProducts(x: ArrayBase, axes: number[]): ArrayBase {
  const kept = keptAxes(x.ndim, axes);
  const perm = [...kept, ...axes];
  const rest = kept.map((a) => x.shape[a]);
  const n = axes.reduce((s, a) => s * x.shape[a], 1);
  const flat = reshape(transpose(x, perm), [...rest, n]);
  const last = rest.length;
  const one = fullArray([], 1, x.dtype, x.weakType);
  const shift = (y: ArrayBase, fromFront: boolean): ArrayBase => {
    // Exclusive products: drop the last (first) entry and pad a 1 at the front (back).
    const start = rest.map(() => 0).concat(fromFront ? 0 : 1);
    const limit = [...rest, fromFront ? n - 1 : n];
    const cut = bind1(slice_p, [y], { startIndices: start, limitIndices: limit, strides: null });
    const cfg = rest.map(() => [0, 0, 0] as [number, number, number]).concat([[fromFront ? 1 : 0, fromFront ? 0 : 1, 0]]);
    return bind1(pad_p, [cut, one], { paddingConfig: cfg });
  };
  const before = shift(bind1(cumprod_p, [flat], { axis: last, reverse: false }), true);
  const after = shift(bind1(cumprod_p, [flat], { axis: last, reverse: true }), false);
  const loo = reshape(mul(before, after), perm.map((a) => x.shape[a]));
  const inv = perm.map((_, i) => perm.indexOf(i));
  return transpose(loo, inv);
}

reduce_prod_p.rules.jvp = ([x], [t], params) => {
  const out = bind1(reduce_prod_p, [x], params);
  if (t === null || !isFloat(x.dtype)) return [[out], [null]];
  const { axes } = params;
  if (axes.length === 0) return [[out], [t]];
  if (axes.some((a) => x.shape[a] === 0)) return [[out], [zerosLike(out)]];
  return [[out], [bind1(reduce_sum_p, [mul(t, leaveOneOutProducts(x, axes))], params)]];
};

function chooserJvp(p: Primitive<{ axes: number[] }>): void {
  p.rules.jvp = ([x], [t], params) => {
    const out = bind1(p, [x], params);
    if (t === null || !isFloat(x.dtype)) return [[out], [null]];
    const loc = convert(bind1(eq_p, [x, broadcastBack(out, x.shape, params.axes)], {}), x.dtype);
    const counts = bind1(reduce_sum_p, [loc], params);
    return [[out], [bind1(div_p, [bind1(reduce_sum_p, [mul(t, loc)], params), counts], {})]];
  };
}
chooserJvp(reduce_max_p);
chooserJvp(reduce_min_p);

for (const p of [reduce_and_p, reduce_or_p, argmax_p, argmin_p] as Primitive<{ axes: number[] }>[]) {
  p.rules.jvp = ([x], _t, params) => [[bind1(p, [x], params)], [null]];
}
for (const p of [reduce_sum_p, reduce_prod_p, reduce_max_p, reduce_min_p, reduce_and_p, reduce_or_p, argmax_p, argmin_p] as Primitive<{ axes: number[] }>[]) {
  batchAxesParam(p);
}
