// Threefry-2x32 (20 rounds), written with lax uint32 ops so that it traces under jit, vmap
// and grad like any other function. Same rounds, key schedule and counter layout as JAX's
// jax/_src/random/threefry2x32.py, so a key gives JAX's bits exactly.
import type { ArrayBase } from "../array/base.js";
import * as lax from "../lax/api.js";
import { array } from "../numpy/convert.js";

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

/**
 * One Threefry-2x32 block per element: key (k0, k1) (uint32 scalars) and counters
 * (x0, x1) (uint32 arrays of one shape) -> two uint32 arrays of that shape.
 */
export function threefryBlock(k0: ArrayBase, k1: ArrayBase, x0: ArrayBase, x1: ArrayBase): [ArrayBase, ArrayBase] {
  const shape = x0.shape;
  const k2 = lax.bitwiseXor(lax.bitwiseXor(k0, k1), u32(0x1bd11bda));
  const ks = [bcast(k0, shape), bcast(k1, shape), bcast(k2, shape)];
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
