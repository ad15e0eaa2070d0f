// Eager execution: one primitive at a time, through the same kernel IR as jit.
import { Array, arrayHooks } from "../array/array.js";
import { DTYPE_BYTES, type DType } from "../array/dtype.js";
import { contiguousStrides, sizeOf } from "../array/shape.js";
import { KernelBuilder } from "../compile/builder.js";
import { primitiveHooks, type Aval, type Params, type Primitive } from "../core/primitive.js";
import type { Backend, BufferView } from "./backend.js";
import { Storage } from "./buffer.js";
import { defaultBackend } from "./device.js";
import type { FusedKernel } from "./kernel.js";

/** A fresh contiguous array of `shape` on `backend` (contents undefined). */
export function emptyArray(shape: number[], dtype: DType, weak = false, backend: Backend = defaultBackend()): Array {
  const nbytes = sizeOf(shape) * DTYPE_BYTES[dtype];
  return Array._contiguous(new Storage(backend.alloc(nbytes)), shape, dtype, weak);
}

export function viewOf(x: Array): BufferView {
  return { buffer: x._storage.buffer, strides: x._strides, offset: x._offset };
}

/** The common device of the arguments (one device per kernel). */
export function deviceOf(fn: string, args: readonly Array[]): Backend {
  const b = args.length ? args[0]._backend : defaultBackend();
  for (let i = 1; i < args.length; i++) {
    if (args[i]._backend !== b) {
      throw new Error(
        `${fn}: arguments live on different devices (${b.name} and ${args[i].device}); move one with devicePut`,
      );
    }
  }
  return b;
}

/** Runs a fused kernel over `shape` and wraps its outputs. */
export function runKernel(fn: string, kernel: FusedKernel, shape: number[], args: Array[], outShape: number[], weak = false): Array[] {
  for (const a of args) a._check(fn);
  const backend = deviceOf(fn, args);
  const outs = kernel.outputs.map((o) => emptyArray(outShape, o.dtype, weak, backend));
  if (sizeOf(shape) > 0 || sizeOf(outShape) > 0) {
    backend.runFused(kernel, shape, args.map(viewOf), outs.map((o) => o._storage.buffer));
  }
  return outs;
}

const elementwiseKernels = new WeakMap<Primitive, Map<string, FusedKernel>>();

function paramsKey<P extends Params>(prim: Primitive<P>, params: P): string {
  if (prim.rules.paramsKey) return prim.rules.paramsKey(params);
  for (const _ in params) return JSON.stringify(params);
  return "";
}

/** Eager impl of an elementwise primitive: a cached one-op kernel. `out` is its abstractEval. */
export function elementwiseImpl<P extends Params>(prim: Primitive<P>, args: Array[], params: P, out: Aval[]): Array[] {
  let cache = elementwiseKernels.get(prim as unknown as Primitive);
  if (!cache) elementwiseKernels.set(prim as unknown as Primitive, (cache = new Map()));
  let key = paramsKey(prim, params);
  for (let i = 0; i < args.length; i++) key += "|" + args[i].dtype;
  let kernel = cache.get(key);
  if (!kernel) {
    const b = new KernelBuilder();
    const ins = args.map((a) => b.input(a.dtype));
    kernel = b.build(prim.rules.lower!(b, ins, params));
    cache.set(key, kernel);
  }
  // The weak flag is the primitive's rule (comparisons and is_nan give strong bools even
  // for weak operands), not the inputs' conjunction.
  const shape = args[0].shape;
  return runKernel(prim.name, kernel, shape, args, shape, out[0].weakType && args.length > 0);
}

primitiveHooks.elementwiseImpl = elementwiseImpl;

const copyKernels = new Map<DType, FusedKernel>();

/** A contiguous copy of a view. */
export function materialize(x: Array): Array {
  let k = copyKernels.get(x.dtype);
  if (!k) {
    const b = new KernelBuilder();
    k = b.build([b.input(x.dtype)]);
    copyKernels.set(x.dtype, k);
  }
  return runKernel("copy", k, x.shape, [x], x.shape, x.weakType)[0];
}
arrayHooks.materialize = materialize;

/** Uploads host data (already in the dtype's storage format) as a contiguous array. */
export function fromBytes(data: ArrayBufferView, shape: number[], dtype: DType, weak = false, backend: Backend = defaultBackend()): Array {
  const out = emptyArray(shape, dtype, weak, backend);
  if (data.byteLength) backend.write(out._storage.buffer, data);
  return out;
}

export { contiguousStrides };
