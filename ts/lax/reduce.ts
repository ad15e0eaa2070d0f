// Reduction primitives: reduce_{sum,prod,max,min,and,or} over axes, argmax/argmin over one
// axis. Each runs as a fused kernel with a reduction (jit fuses producers into it).
import { isBool, isFloat, type DType } from "../array/dtype.js";
import { fmtShape } from "../array/shape.js";
import type { ArrayBase } from "../array/base.js";
import { definePrimitive, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { runKernel } from "../runtime/eager.js";
import { fullArray } from "./structural.js";
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
