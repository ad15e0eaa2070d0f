// Threefry-2x32 (20 rounds): the `threefry2x32` primitive, as in JAX's jax/_src/prng.py. Same
// rounds, key schedule and counter layout as JAX's, so a key gives JAX's bits exactly.
// Eagerly and under jit it runs as a backend routine (wasm/assembly/routines/threefry.ts:
// the whole block in SIMD registers, about 10x faster than ~130 fused uint32 ops through the
// kernel VM); backends without the routine evaluate the same rounds as lax ops
// (threefryRounds below). The outputs are integers: no derivative; vmap batches elementwise.
import type { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { fmtShape } from "../array/shape.js";
import { definePrimitive } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import * as lax from "../lax/api.js";
import { batchSize, batchToFront } from "../lax/rule_util.js";
import { array } from "../numpy/convert.js";
import type { DeviceBuffer } from "../runtime/backend.js";
import { deviceOf, emptyArray, materialize } from "../runtime/eager.js";

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
];

/** A uint32 scalar constant (JS numbers above 2^31 - 1 are taken modulo 2^32). */
export function u32(v: number): ArrayBase {
  return array(v >>> 0, "uint32");
}

/** Broadcasts a scalar to `shape` (lax ops need equal shapes). */
export function bcast(x: ArrayBase, shape: number[]): ArrayBase {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  if (x.ndim !== 0) throw new TypeError(`random: internal shape mismatch [${x.shape}] vs [${shape}]`);
  return lax.broadcastInDim(x, shape, []);
}

/** A uint32 constant of `shape`. */
export function u32s(v: number, shape: number[]): ArrayBase {
  return bcast(u32(v), shape);
}

function rotateLeft(x: ArrayBase, d: number): ArrayBase {
  return lax.bitwiseOr(lax.shiftLeft(x, u32s(d, x.shape)), lax.shiftRightLogical(x, u32s(32 - d, x.shape)));
}

/** The 20 rounds as lax uint32 ops on arrays of one shape (the routine's reference). */
export function threefryRounds(k0: ArrayBase, k1: ArrayBase, x0: ArrayBase, x1: ArrayBase): [ArrayBase, ArrayBase] {
  const shape = x0.shape;
  const k2 = lax.bitwiseXor(lax.bitwiseXor(k0, k1), u32s(0x1bd11bda, shape));
  const ks = [k0, k1, k2];
  let a = lax.add(x0, ks[0]);
  let b = lax.add(x1, ks[1]);
  for (let i = 0; i < 5; i++) {
    for (const r of ROTATIONS[i % 2]) {
      a = lax.add(a, b);
      b = rotateLeft(b, r);
      b = lax.bitwiseXor(a, b);
    }
    a = lax.add(a, ks[(i + 1) % 3]);
    b = lax.add(lax.add(b, ks[(i + 2) % 3]), u32s(i + 1, shape));
  }
  return [a, b];
}

/** threefry2x32(k0, k1, x0, x1) -> (y0, y1): uint32 operands of one shape, elementwise. */
export const threefry2x32_p = definePrimitive<Record<string, never>>("threefry2x32", {
  abstractEval: (args) => {
    const shape = args[0].shape;
    for (const a of args) {
      if (a.dtype !== "uint32") {
        throw new TypeError(`threefry2x32: operands must be uint32, got ${args.map((x) => x.dtype).join(", ")}`);
      }
      if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) {
        throw new TypeError(`threefry2x32: operands must have one shape, got ${args.map((x) => fmtShape(x.shape)).join(", ")}`);
      }
    }
    const out = { shape, dtype: "uint32" as const, weakType: false };
    return [out, out];
  },
  impl: (args) => {
    const backend = deviceOf("threefry2x32", args);
    if (!backend.threefry2x32) return threefryRounds(args[0], args[1], args[2], args[3]) as unknown as Array[];
    const shape = args[0].shape;
    const y0 = emptyArray(shape, "uint32", false, backend);
    const y1 = emptyArray(shape, "uint32", false, backend);
    const n = y0.size;
    if (n === 0) return [y0, y1];
    const copies: Array[] = [];
    const inputs = args.map((x): { buffer: DeviceBuffer; offset: number; stride: 0 | 1 } => {
      // A broadcast scalar (all strides 0, as keys are) is read as one value.
      if (n === 1 || x._strides.every((st) => st === 0)) return { buffer: x._storage.buffer, offset: x._offset, stride: 0 };
      const d = x._isContiguous() ? x : materialize(x);
      if (d !== x) copies.push(d);
      return { buffer: d._storage.buffer, offset: d._offset, stride: 1 };
    });
    backend.threefry2x32({ n, inputs, y0: y0._storage.buffer, y1: y1._storage.buffer });
    for (const c of copies) c.dispose();
    return [y0, y1];
  },
});

threefry2x32_p.rules.jvp = (primals, _tangents, params) => [bind(threefry2x32_p, primals, params), [null, null]];
threefry2x32_p.rules.batch = (args, dims, params) => [
  bind(threefry2x32_p, batchToFront(args, dims, batchSize(args, dims)), params),
  [0, 0],
];

/**
 * One Threefry-2x32 block per element: key (k0, k1) (uint32 scalars) and counters
 * (x0, x1) (uint32 arrays of one shape) -> two uint32 arrays of that shape.
 */
export function threefryBlock(k0: ArrayBase, k1: ArrayBase, x0: ArrayBase, x1: ArrayBase): [ArrayBase, ArrayBase] {
  const shape = x0.shape;
  const [y0, y1] = bind(threefry2x32_p, [bcast(k0, shape), bcast(k1, shape), x0, bcast(x1, shape)], {});
  return [y0, y1];
}

/** Splits a key array of shape [2] into its two uint32 scalars. */
export function keyHalves(key: ArrayBase): [ArrayBase, ArrayBase] {
  return [lax.reshape(lax.slice(key, [0], [1]), []), lax.reshape(lax.slice(key, [1], [2]), [])];
}

/**
 * JAX's `threefry_2x32(key, count)`: the counts are flattened, padded to even length with a
 * zero, the first half is x0 and the second half x1; the output is concat(y0, y1) without
 * the pad, in count's shape.
 */
export function threefry2x32(key: ArrayBase, count: ArrayBase): ArrayBase {
  const [k0, k1] = keyHalves(key);
  const n = count.size;
  let flat = lax.reshape(count, [n]);
  const odd = n % 2 === 1;
  if (odd) flat = lax.concatenate([flat, lax.reshape(u32(0), [1])], 0);
  const half = flat.shape[0] / 2;
  const x0 = lax.slice(flat, [0], [half]);
  const x1 = lax.slice(flat, [half], [2 * half]);
  const [y0, y1] = threefryBlock(k0, k1, x0, x1);
  let out = lax.concatenate([y0, y1], 0);
  if (odd) out = lax.slice(out, [0], [n]);
  return lax.reshape(out, count.shape);
}

/**
 * The flat row-major index of every element of `shape` as a 64-bit number split into two
 * uint32 arrays (hi, lo): JAX's iota_2x32_shape. Sizes here stay below 2^53, so hi is the
 * quotient by 2^32 of a float64-exact index.
 */
export function iota2x32Shape(shape: number[]): [ArrayBase, ArrayBase] {
  if (shape.length === 0) return [u32(0), u32(0)];
  const size = shape.reduce((p, d) => p * d, 1);
  // lo: sum over axes of iota_axis * stride (uint32 arithmetic wraps modulo 2^32 as the
  // low word of the 64-bit index does).
  let lo: ArrayBase | null = null;
  let stride = 1;
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const term = lax.mul(lax.broadcastedIota("uint32", shape, ax), u32s(stride % 2 ** 32, shape));
    lo = lo === null ? term : lax.add(lo, term);
    stride *= shape[ax];
  }
  let hi: ArrayBase;
  if (size <= 2 ** 32) {
    hi = lax.broadcastInDim(u32(0), shape, []);
  } else {
    throw new RangeError(`random: arrays of more than 2^32 elements are not supported (shape [${shape}])`);
  }
  return [hi, lo!];
}
