// np.array / np.asarray and the conversions every numpy function applies to its arguments.
import { Array } from "../array/array.js";
import { ArrayBase } from "../array/base.js";
import {
  canonicalDtype, defaultFloat, dtypeOfTypedArray, f32ToF16Bits, isBool, isFloat, typedArrayFor,
  type DType, type TypedArray,
} from "../array/dtype.js";
import { bind1 } from "../core/trace.js";
import { fromBytes } from "../runtime/eager.js";
import { convert_element_type_p } from "../lax/elementwise.js";
import { concatenate_p, reshape_p, copy_p } from "../lax/structural.js";

export type DTypeArg = DType | string;
export type Nested = number | boolean | ArrayBase | Nested[] | TypedArray;

/** Values in a dtype's storage format (float16 bits, bool bytes). */
export function toStorage(values: ArrayLike<number> | number[], dtype: DType): ArrayBufferView {
  const n = values.length;
  if (dtype === "float16") {
    const out = new Uint16Array(n);
    for (let i = 0; i < n; i++) out[i] = f32ToF16Bits(values[i]);
    return out;
  }
  if (dtype === "bool") {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i] ? 1 : 0;
    return out;
  }
  const T = typedArrayFor(dtype);
  const out = new T(n);
  if (isFloat(dtype)) for (let i = 0; i < n; i++) out[i] = values[i];
  // Float -> int conversion truncates toward zero (NumPy's astype), then wraps.
  else for (let i = 0; i < n; i++) out[i] = Math.trunc(values[i]) || 0;
  return out;
}

const INT32_MIN = -(2 ** 31);
const UINT32_MAX = 2 ** 32 - 1;

/** dtype of a JS number: int32 if it is an integer (JAX's Python int), else the default float. */
function scalarDtype(fn: string, v: number): DType {
  if (Number.isInteger(v) && !Object.is(v, -0)) {
    if (v < INT32_MIN || v > UINT32_MAX) {
      throw new RangeError(`${fn}: the integer ${v} does not fit in int32; pass a float dtype or use a smaller value`);
    }
    return "int32";
  }
  return defaultFloat();
}

/** A 0-d array from a JS scalar. Numbers are weakly typed, as Python scalars in JAX. */
export function scalar(fn: string, v: number | boolean, dtype?: DType): Array {
  if (typeof v === "boolean") return fromBytes(new Uint8Array([v ? 1 : 0]), [], dtype ?? "bool", false)._check(fn);
  const d = dtype ?? scalarDtype(fn, v);
  const weak = dtype === undefined;
  return fromBytes(toStorage([v], d), [], d, weak);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (globalThis.Array.isArray(v)) return "a list";
  return typeof v === "object" ? (v as object).constructor?.name ?? "object" : `${typeof v} ${JSON.stringify(v)}`;
}

/** Walks nested lists: shape, flat leaves, and whether any leaf is an array. */
function flattenNested(fn: string, data: Nested): { shape: number[]; flat: (number | boolean | ArrayBase)[]; hasArrays: boolean } {
  const shape: number[] = [];
  let d: unknown = data;
  while (globalThis.Array.isArray(d)) {
    shape.push(d.length);
    d = d[0];
  }
  const flat: (number | boolean | ArrayBase)[] = [];
  let hasArrays = false;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth < shape.length) {
      if (!globalThis.Array.isArray(v) || v.length !== shape[depth]) {
        throw new TypeError(
          `${fn}: ragged nested list: element ${path || "[]"} has ${globalThis.Array.isArray(v) ? `length ${v.length}` : describe(v)}, ` +
            `expected a list of length ${shape[depth]} (all rows must have the same length)`,
        );
      }
      for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
      return;
    }
    if (typeof v === "number" || typeof v === "boolean") flat.push(v);
    else if (v instanceof ArrayBase) {
      flat.push(v);
      hasArrays = true;
    } else if (ArrayBuffer.isView(v)) {
      flat.push(...(globalThis.Array.from(v as unknown as ArrayLike<number>) as number[]));
      if (flat.length && depth === shape.length) shape.push((v as unknown as TypedArray).length);
    } else {
      throw new TypeError(`${fn}: non-numeric data at ${path || "the top level"}: ${describe(v)}; expected numbers, booleans, arrays or lists of them`);
    }
  };
  walk(data, 0, "");
  return { shape, flat, hasArrays };
}

/** np.array: always a new array. */
export function array(data: Nested, dtype?: DTypeArg | { dtype?: DTypeArg }): Array {
  const dt = typeof dtype === "object" && dtype !== null ? dtype.dtype : dtype;
  const d = dt === undefined ? undefined : canonicalDtype(dt, "array");
  if (data instanceof Array) {
    return d && d !== data.dtype ? (astype(data, d) as Array) : (bind1(copy_p, [data._check("array")], {}) as Array);
  }
  return asarray(data, d);
}

/** np.asarray: arrays pass through (converted if a dtype is given). */
export function asarray(data: Nested, dtype?: DTypeArg | { dtype?: DTypeArg }): Array {
  const fn = "asarray";
  const dt = typeof dtype === "object" && dtype !== null ? dtype.dtype : dtype;
  const d = dt === undefined ? undefined : canonicalDtype(dt, fn);
  if (data instanceof ArrayBase) {
    const x = data instanceof Array ? data._check(fn) : data;
    return (d && d !== x.dtype ? astype(x, d) : x) as Array;
  }
  if (typeof data === "number" || typeof data === "boolean") return scalar(fn, data, d);
  if (ArrayBuffer.isView(data)) {
    const td = dtypeOfTypedArray(data);
    if (!td) throw new TypeError(`${fn}: unsupported typed array ${describe(data)}`);
    const target = d ?? td;
    const ta = data as TypedArray;
    // Pass the data through only when its element type is the target's storage type
    // (a Float64Array in x32 mode has dtype float32 but 8-byte elements).
    const direct = target !== "float16" && target !== "bool" && ta instanceof typedArrayFor(target);
    return fromBytes(direct ? ta : toStorage(ta, target), [ta.length], target);
  }
  if (!globalThis.Array.isArray(data)) {
    throw new TypeError(`${fn}: cannot convert ${describe(data)} to an array; pass numbers, booleans, typed arrays or nested lists`);
  }
  const { shape, flat, hasArrays } = flattenNested(fn, data);
  if (hasArrays) return stackLeaves(fn, shape, flat, d);
  let inferred: DType = "bool";
  if (!d) for (const v of flat) {
    if (typeof v === "boolean") continue;
    const sd = scalarDtype(fn, v as number);
    if (sd !== "int32") {
      inferred = sd;
      break;
    }
    inferred = "int32";
  }
  const target = d ?? inferred;
  return fromBytes(toStorage(flat as number[], target), shape, target);
}

/** np.array([x, y, ...]) where leaves are arrays: a stack along new leading axes. */
function stackLeaves(fn: string, outer: number[], leaves: (number | boolean | ArrayBase)[], d?: DType): Array {
  const arrs = leaves.map((v) => (v instanceof ArrayBase ? v : scalar(fn, v)));
  const inner = arrs[0].shape;
  for (const a of arrs) {
    if (a.shape.join() !== inner.join()) throw new TypeError(`${fn}: cannot stack arrays of different shapes [${inner}] and [${a.shape}]`);
  }
  let dtype = d;
  if (!dtype) {
    dtype = arrs[0].dtype;
    for (const a of arrs) if (a.dtype !== dtype) dtype = isBool(dtype) ? a.dtype : isFloat(a.dtype) ? a.dtype : dtype;
  }
  const parts = arrs.map((a) => bind1(reshape_p, [astype(a, dtype!)], { newSizes: [1, ...inner] }));
  const cat = bind1(concatenate_p, parts, { dimension: 0 });
  return bind1(reshape_p, [cat], { newSizes: [...outer, ...inner] }) as Array;
}

/** x.astype(dtype) / lax.convert_element_type. */
export function astype(x: ArrayBase, dtype: DTypeArg): ArrayBase {
  const d = canonicalDtype(dtype, "astype");
  if (x.dtype === d && !x.weakType) return x;
  return bind1(convert_element_type_p, [x], { newDtype: d, weakType: false });
}

/** Converts a numpy function's argument; lists are rejected as in JAX. */
export function arg(fn: string, x: unknown): ArrayBase {
  if (x instanceof ArrayBase) return x instanceof Array ? x._check(fn) : x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(fn, x);
  if (globalThis.Array.isArray(x) || ArrayBuffer.isView(x)) {
    throw new TypeError(`${fn}: lists and typed arrays are not arrays; wrap them with np.array(...) first (as jnp requires)`);
  }
  throw new TypeError(`${fn}: expected an array or a number, got ${describe(x)}`);
}
