// dtypes: names, kinds, canonicalization (JAX's x32 mode) and typed-array mapping.
import { config } from "../config.js";
import { DTYPE_BYTES, type DType } from "../runtime/kernel.js";

export type { DType };
export { DTYPE_BYTES };

/** Every dtype edgejax stores. float64 needs x64; int64/uint64 are not supported. */
export const DTYPES: readonly DType[] = [
  "bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float16", "float32", "float64",
];

/** Accepted spellings (NumPy-style) -> canonical requested dtype (before x64 canonicalization). */
const ALIASES: Record<string, DType | "int64" | "uint64"> = {
  bool: "bool", bool_: "bool",
  int8: "int8", int16: "int16", int32: "int32", int64: "int64", int: "int64",
  uint8: "uint8", uint16: "uint16", uint32: "uint32", uint64: "uint64", uint: "uint64",
  float16: "float16", half: "float16", float32: "float32", single: "float32",
  float64: "float64", double: "float64", float: "float64",
};

export const isFloat = (d: DType): boolean => d === "float32" || d === "float64" || d === "float16";
export const isUnsigned = (d: DType): boolean => d === "uint8" || d === "uint16" || d === "uint32";
export const isSignedInt = (d: DType): boolean => d === "int8" || d === "int16" || d === "int32";
export const isInteger = (d: DType): boolean => isUnsigned(d) || isSignedInt(d);
export const isBool = (d: DType): boolean => d === "bool";

export function bitWidth(d: DType): number {
  return d === "bool" ? 1 : DTYPE_BYTES[d] * 8;
}

/**
 * Canonicalizes a dtype name as JAX does: 64-bit requests become 32-bit unless x64 is on
 * (float64 then stays float64; int64/uint64 stay 32-bit: edgejax has no 64-bit ints).
 */
export function canonicalDtype(name: unknown, fn = "dtype"): DType {
  if (typeof name !== "string" || !(name in ALIASES)) {
    throw new TypeError(
      `${fn}: unknown dtype ${JSON.stringify(name)}; use one of ${DTYPES.join(", ")}`,
    );
  }
  const d = ALIASES[name];
  if (d === "int64") return "int32";
  if (d === "uint64") return "uint32";
  if (d === "float64" && !config.x64) return "float32";
  return d;
}

/** The default float dtype: float32, or float64 with x64. */
export function defaultFloat(): DType {
  return config.x64 ? "float64" : "float32";
}

/** The default int dtype (int32; edgejax has no int64). */
export function defaultInt(): DType {
  return "int32";
}

export type TypedArray =
  | Float32Array | Float64Array | Int32Array | Uint32Array
  | Int16Array | Uint16Array | Int8Array | Uint8Array;

/** The typed array that holds a dtype's values in JS (float16 reads back as Float32Array). */
export function typedArrayFor(d: DType): { new (n: number): TypedArray; new (b: ArrayBuffer, o: number, n: number): TypedArray } {
  switch (d) {
    case "float32": case "float16": return Float32Array;
    case "float64": return Float64Array;
    case "int32": return Int32Array;
    case "uint32": return Uint32Array;
    case "int16": return Int16Array;
    case "uint16": return Uint16Array;
    case "int8": return Int8Array;
    case "uint8": case "bool": return Uint8Array;
  }
}

/** dtype of a typed array given to np.array. */
export function dtypeOfTypedArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return canonicalDtype("float64");
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Uint32Array) return "uint32";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Uint16Array) return "uint16";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return "uint8";
  return undefined;
}

// float16 <-> float32 conversions for the host (upload/readback of float16 data).
const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** float32 value -> IEEE half bits, round to nearest even. */
export function f32ToF16Bits(v: number): number {
  f32buf[0] = v;
  const x = u32buf[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let h = mant >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++;
  return sign | h;
}

/** IEEE half bits -> number. */
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
