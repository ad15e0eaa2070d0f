// Shared pieces of the host side of the CPU routines (wasm/routines.ts, wasm/routines_gather.ts):
// dtype codes of wasm/assembly/routines/common.ts, the per-instance parameter block,
// scalar encoding (float16 included) and argument checks.
import type { DType } from "../ts/runtime/kernel.js";
import { DTYPE_BYTES } from "../ts/runtime/kernel.js";
import type { WasmInstance } from "./instance.js";

/** dtype codes understood by the AssemblyScript routines. */
export const DTYPE_CODE: Record<DType, number> = {
  float32: 0,
  float64: 1,
  float16: 2,
  int32: 3,
  uint32: 4,
  int16: 5,
  uint16: 6,
  int8: 7,
  uint8: 8,
  bool: 9,
};

export function dtypeCode(fn: string, dtype: DType): number {
  const c = DTYPE_CODE[dtype];
  if (c === undefined) throw new TypeError(`edgejax: ${fn}: unsupported dtype ${String(dtype)}`);
  return c;
}

export function esizeOf(dtype: DType): number {
  return DTYPE_BYTES[dtype];
}

// ---- parameter block -------------------------------------------------------------------
// Each instance keeps one block of its heap for routine parameters (i32 words) and scalars;
// it grows when a call needs more. Routines are synchronous and not reentrant.

interface ParamBlock {
  ptr: number;
  bytes: number;
}
const blocks = new WeakMap<WasmInstance, ParamBlock>();

/** A parameter area of at least `bytes` bytes (64-byte aligned). */
export function paramBlock(inst: WasmInstance, bytes: number): number {
  let b = blocks.get(inst);
  if (!b || b.bytes < bytes) {
    if (b) inst.heap.free(b.ptr);
    const size = Math.max(4096, 1 << Math.ceil(Math.log2(bytes)));
    b = { ptr: inst.heap.alloc(size), bytes: size };
    blocks.set(inst, b);
  }
  return b.ptr;
}

/**
 * Writes i32 words into the parameter block and returns its address. `extra` bytes after
 * the words stay free for the caller (returned as the second element, 8-byte aligned).
 */
export function writeParams(inst: WasmInstance, words: number[], extra = 0): [number, number] {
  const wordBytes = Math.ceil((words.length * 4) / 16) * 16;
  const ptr = paramBlock(inst, wordBytes + extra);
  const i32 = inst.heap.views().i32;
  const base = ptr >> 2;
  for (let i = 0; i < words.length; i++) i32[base + i] = words[i];
  return [ptr, ptr + wordBytes];
}

// ---- scalars ---------------------------------------------------------------------------

/** IEEE binary16 bits of a number, rounded to nearest even (directly from float64). */
export function toFloat16Bits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  let a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) {
    // subnormal: multiples of 2^-24
    const q = a * 2 ** 24;
    let m = Math.floor(q);
    const r = q - m;
    if (r > 0.5 || (r === 0.5 && (m & 1) === 1)) m++;
    return sign | m; // m == 1024 gives the smallest normal, as it should
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  a = a / 2 ** e; // in [1, 2)
  const q = (a - 1) * 1024;
  let m = Math.floor(q);
  const r = q - m;
  if (r > 0.5 || (r === 0.5 && (m & 1) === 1)) m++;
  if (m === 1024) { m = 0; e++; }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}

/** The number a float16 bit pattern stands for. */
export function fromFloat16Bits(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Stores `value` as one element of `dtype` at byte address `ptr` (ints wrap, as a cast of an int). */
export function writeScalar(inst: WasmInstance, dtype: DType, ptr: number, value: number | boolean | bigint): void {
  const dv = new DataView(inst.heap.bytes);
  const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
  const num = typeof v === "bigint" ? Number(BigInt.asIntN(64, v)) : v;
  const int = (bits: number): number => {
    if (typeof v === "bigint") return Number(BigInt.asIntN(bits, v));
    if (!Number.isFinite(num)) return 0;
    return Number(BigInt.asIntN(bits, BigInt(Math.trunc(num))));
  };
  switch (dtype) {
    case "float32": dv.setFloat32(ptr, num, true); break;
    case "float64": dv.setFloat64(ptr, num, true); break;
    case "float16": dv.setUint16(ptr, toFloat16Bits(num), true); break;
    case "int32": case "uint32": dv.setInt32(ptr, int(32), true); break;
    case "int16": case "uint16": dv.setInt16(ptr, int(16), true); break;
    case "int8": case "uint8": dv.setInt8(ptr, int(8)); break;
    case "bool": dv.setUint8(ptr, num ? 1 : 0); break;
    default: throw new TypeError(`edgejax: unsupported dtype ${String(dtype)}`);
  }
}

// ---- checks ----------------------------------------------------------------------------

export function checkInt32(fn: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new RangeError(`edgejax: ${fn}: ${name} must be a 32-bit integer, got ${v}`);
  }
}

export function checkShape(fn: string, name: string, shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0 || d > 0x7fffffff) {
      throw new RangeError(`edgejax: ${fn}: ${name} [${shape.join(", ")}] has an invalid dimension ${d}`);
    }
    size *= d;
  }
  if (size > 0x7fffffff) throw new RangeError(`edgejax: ${fn}: ${name} [${shape.join(", ")}] has more than 2^31-1 elements`);
  return size;
}

export function checkPtr(fn: string, name: string, p: number): void {
  if (!Number.isInteger(p) || p < 0 || p > 0xffffffff) {
    throw new RangeError(`edgejax: ${fn}: ${name} must be a byte address, got ${p}`);
  }
}

/** Row-major element strides of a shape. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Simplifies an N-D copy (or combine) over `shape` with source and destination strides:
 * drops unit dims and merges dims that are contiguous in both. Returns null when the
 * shape has no elements.
 */
export function simplifyCopy(
  shape: readonly number[],
  ss: readonly number[],
  ds: readonly number[],
): { shape: number[]; ss: number[]; ds: number[] } | null {
  const outShape: number[] = [], outSs: number[] = [], outDs: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    const n = shape[i];
    if (n === 0) return null;
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && ss[i] === outSs[last] * outShape[last] && ds[i] === outDs[last] * outShape[last]) {
      outShape[last] *= n;
      continue;
    }
    outShape.push(n);
    outSs.push(ss[i]);
    outDs.push(ds[i]);
  }
  outShape.reverse(); outSs.reverse(); outDs.reverse();
  return { shape: outShape, ss: outSs, ds: outDs };
}

export function normAxis(fn: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(`edgejax: ${fn}: axis ${axis} is out of bounds for an array of rank ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}
