// PRNG keys for Threefry-2x32: seeding, split, fold_in and raw bits, in JAX's two counter
// layouts (config flag jax_threefry_partitionable; JAX >= 0.5 defaults to true).
//
// A key is a uint32 array whose last axis has length 2 (the key data). `key(seed)` and
// `PRNGKey(seed)` make the same value: edgejax has no key dtype (see docs/decisions.md),
// so typed keys and legacy keys are one representation, and keys pass through jit, vmap
// and pytrees as the plain arrays they are.
import { ArrayBase } from "../array/base.js";
import { isInteger } from "../array/dtype.js";
import { config } from "../config.js";
import * as lax from "../lax/api.js";
import { array } from "../numpy/convert.js";
import { jit } from "../transforms/jit.js";
import { iota2x32Shape, keyHalves, threefry2x32, threefryBlock, u32, u32s } from "./threefry.js";

export type Key = ArrayBase;
export type Shape = number | number[];

const partitionable = (): boolean => config.read("jax_threefry_partitionable");

function fmt(x: ArrayBase): string {
  return `${x.dtype}[${x.shape.join(",")}]`;
}

/** Checks that `key` is a single key (uint32[2]); `batched` allows leading axes. */
export function checkKey(fn: string, key: unknown, batched = false): ArrayBase {
  if (!(key instanceof ArrayBase)) {
    throw new TypeError(`random.${fn}: expected a PRNG key (uint32 array of shape [2], from random.key or random.PRNGKey), got ${typeof key}`);
  }
  if (key.dtype !== "uint32" || key.ndim === 0 || key.shape[key.ndim - 1] !== 2) {
    throw new TypeError(`random.${fn}: expected a PRNG key (uint32 array with last axis 2, from random.key or random.PRNGKey), got ${fmt(key)}`);
  }
  if (!batched && key.ndim !== 1) {
    throw new TypeError(`random.${fn}: expected a single key of shape [2], got a key array ${fmt(key)}; use vmap to map over keys`);
  }
  return key;
}

export function normShape(fn: string, shape: Shape | undefined | null): number[] {
  if (shape === undefined || shape === null) return [];
  const s = typeof shape === "number" ? [shape] : shape;
  for (const d of s) {
    if (!Number.isInteger(d) || d < 0) throw new TypeError(`random.${fn}: shape must hold non-negative integers, got [${s}]`);
  }
  return [...s];
}

/**
 * Key data from an integer seed, as JAX's threefry_seed: the seed goes through int64 and
 * then x32 canonicalization, so in x32 mode (the default) the key is [0, seed mod 2^32]
 * (`PRNGKey(-1)` = [0, 4294967295]); with jax_enable_x64 a JS integer seed is split into
 * its high and low 32 bits of two's complement. An integer Array seed (int32/uint32, may be
 * traced) gives [0, uint32(seed)].
 */
function seedToKey(fn: string, seed: unknown): ArrayBase {
  if (typeof seed === "number" || typeof seed === "bigint") {
    if (typeof seed === "number" && !Number.isInteger(seed)) {
      throw new TypeError(`random.${fn}: the seed must be an integer, got ${seed}`);
    }
    const s = BigInt.asUintN(64, BigInt(seed));
    const hi = config.x64 ? Number(s >> 32n) : 0;
    const lo = Number(s & 0xffffffffn);
    return array([hi, lo], "uint32");
  }
  if (seed instanceof ArrayBase) {
    if (seed.ndim !== 0) throw new TypeError(`random.${fn}: accepts a scalar seed, got an array ${fmt(seed)}; use vmap for batching`);
    if (!isInteger(seed.dtype)) throw new TypeError(`random.${fn}: the seed must be an integer, got ${fmt(seed)}`);
    const lo = lax.reshape(lax.convertElementType(seed, "uint32"), [1]);
    return lax.concatenate([lax.reshape(u32(0), [1]), lo], 0);
  }
  throw new TypeError(`random.${fn}: the seed must be an integer (number, bigint or integer Array), got ${typeof seed}`);
}

/** A legacy key: uint32[2] = [seed >> 32, seed & 0xFFFFFFFF] after JAX's canonicalization. */
export function PRNGKey(seed: number | bigint | ArrayBase): Key {
  return seedToKey("PRNGKey", seed);
}

/** JAX's typed key; edgejax represents it with the same uint32[2] data as PRNGKey. */
export function key(seed: number | bigint | ArrayBase): Key {
  return seedToKey("key", seed);
}

/** The uint32 key data of a key (array). */
export function keyData(keys: Key): ArrayBase {
  return checkKey("keyData", keys, true);
}

/** Wraps uint32 data with a trailing axis of 2 as keys (validated; the data is the key). */
export function wrapKeyData(data: ArrayBase, opts: { impl?: string } = {}): Key {
  if (opts.impl !== undefined && opts.impl !== "threefry2x32") {
    throw new TypeError(`random.wrapKeyData: only impl "threefry2x32" is available, got ${JSON.stringify(opts.impl)}`);
  }
  return checkKey("wrapKeyData", data, true);
}

/**
 * The hash computations run through jit (one cached trace per counter layout, shape and
 * width), as JAX's do: eagerly, one fused kernel instead of ~150 elementwise dispatches;
 * under an outer trace, jit inlines.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const jitted = new Map<string, (...args: any[]) => any>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function jitPerMode<F extends (...args: any[]) => any>(name: string, f: (mode: boolean) => F, staticArgnums: number[]): F {
  const mode = partitionable();
  const id = `${name}|${mode}`;
  let g = jitted.get(id);
  if (!g) {
    g = jit(f(mode), { staticArgnums });
    jitted.set(id, g);
  }
  return g as F;
}

/** `num` new keys (or a shape of keys) along new leading axes. */
export function split(key: Key, num: Shape = 2): Key {
  const k = checkKey("split", key);
  const shape = normShape("split", num);
  return jitPerMode("split", (mode) => (kk: Key, s: number[]) => splitImpl(kk, s, mode), [1])(k, shape) as Key;
}

function splitImpl(k: Key, shape: number[], mode: boolean): Key {
  const size = shape.reduce((p, d) => p * d, 1);
  if (mode) {
    const [k0, k1] = keyHalves(k);
    const [hi, lo] = iota2x32Shape(shape);
    const [b0, b1] = threefryBlock(k0, k1, hi, lo);
    const ex = [...shape, 1];
    return lax.concatenate([lax.reshape(b0, ex), lax.reshape(b1, ex)], shape.length);
  }
  return lax.reshape(threefry2x32(k, lax.iota("uint32", size * 2)), [...shape, 2]);
}

/** A new key from a key and 32-bit data (JAX: threefry_2x32(key, [0, data])). */
export function foldIn(key: Key, data: number | ArrayBase): Key {
  const k = checkKey("foldIn", key);
  let d: ArrayBase;
  if (typeof data === "number") {
    if (!Number.isInteger(data)) throw new TypeError(`random.foldIn: data must be an integer, got ${data}`);
    d = u32(data);
  } else if (data instanceof ArrayBase) {
    if (data.ndim !== 0) throw new TypeError(`random.foldIn: accepts scalar data, got ${fmt(data)}; use vmap for batching`);
    if (!isInteger(data.dtype)) throw new TypeError(`random.foldIn: data must be an integer, got ${fmt(data)}`);
    d = lax.convertElementType(data, "uint32");
  } else {
    throw new TypeError(`random.foldIn: data must be an integer or an integer Array, got ${typeof data}`);
  }
  const [k0, k1] = keyHalves(k);
  const [b0, b1] = threefryBlock(k0, k1, u32(0), d);
  return lax.concatenate([lax.reshape(b0, [1]), lax.reshape(b1, [1])], 0);
}

const UINT: Record<number, "uint8" | "uint16" | "uint32"> = { 8: "uint8", 16: "uint16", 32: "uint32" };

/** Raw random bits of width 8, 16 or 32 (JAX's threefry_random_bits). */
export function randomBits(key: Key, bitWidth: 8 | 16 | 32, shape: number[]): ArrayBase {
  return jitPerMode("bits", (mode) => (k: Key, w: 8 | 16 | 32, s: number[]) => randomBitsImpl(k, w, s, mode), [1, 2])(key, bitWidth, shape) as ArrayBase;
}

function randomBitsImpl(key: Key, bitWidth: 8 | 16 | 32, shape: number[], mode: boolean): ArrayBase {
  const dtype = UINT[bitWidth];
  const size = shape.reduce((p, d) => p * d, 1);
  if (mode) {
    const [k0, k1] = keyHalves(key);
    const [hi, lo] = iota2x32Shape(shape);
    const [b0, b1] = threefryBlock(k0, k1, hi, lo);
    const x = lax.bitwiseXor(b0, b1);
    return bitWidth === 32 ? x : lax.convertElementType(x, dtype);
  }
  const maxCount = Math.ceil((bitWidth * size) / 32);
  if (maxCount >= 0xffffffff) throw new RangeError(`random: arrays of ${size} elements are too large for the legacy threefry layout`);
  let bits = threefry2x32(key, lax.iota("uint32", maxCount));
  if (bitWidth !== 32) {
    // bits.view(uint8/16)[:size]: each 32-bit word gives 32/bitWidth little-endian pieces.
    const per = 32 / bitWidth;
    const shifts = lax.mul(lax.broadcastedIota("uint32", [maxCount, per], 1), u32s(bitWidth, [maxCount, per]));
    const words = lax.broadcastInDim(bits, [maxCount, per], [0]);
    const pieces = lax.bitwiseAnd(lax.shiftRightLogical(words, shifts), u32s(2 ** bitWidth - 1, [maxCount, per]));
    bits = lax.slice(lax.convertElementType(lax.reshape(pieces, [maxCount * per]), dtype), [0], [size]);
  }
  return lax.reshape(bits, shape);
}

/** Uniform random bits: uint8/uint16/uint32 (JAX's random.bits). */
export function bits(key: Key, shape: Shape = [], dtype: "uint8" | "uint16" | "uint32" = "uint32"): ArrayBase {
  const k = checkKey("bits", key);
  const width = { uint8: 8, uint16: 16, uint32: 32 }[dtype] as 8 | 16 | 32 | undefined;
  if (width === undefined) throw new TypeError(`random.bits: dtype must be uint8, uint16 or uint32, got ${dtype}`);
  return randomBits(k, width, normShape("bits", shape));
}
