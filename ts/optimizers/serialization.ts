// unpackOptimizerState / packOptimizerState (JAX's serialization helpers): an OptimizerState
// becomes the parameters' pytree with a JoinPoint per parameter holding that parameter's
// state, and back. To save a trained model as JSON, JoinPoint.toJSON writes each array as
// {dtype, shape, data} with the raw little-endian bytes in base64 (exact for every value:
// NaN payloads, infinities and -0 included), and packOptimizerState accepts either the
// JoinPoints or their JSON.parse'd form.
import { ArrayBase } from "../array/base.js";
import { canonicalDtype, DTYPE_BYTES, f32ToF16Bits, type DType } from "../array/dtype.js";
import { fromBytes } from "../runtime/eager.js";
import { flatten, unflatten, type PyTree } from "../tree/index.js";
import { decodeTreeDef, encodeTreeDef, type EncodedTreeDef, type OptimizerState } from "./state.js";

const JOIN_KEY = "__joinPoint__";
const ARRAY_KEY = "__ndarray__";

/** Marks the boundary between the parameter tree and one parameter's state tree. */
export class JoinPoint {
  constructor(readonly subtree: PyTree) {}
  /** JSON form: {"__joinPoint__": subtree} with arrays as {"__ndarray__": {dtype, shape, data}}. */
  toJSON(): unknown {
    return { [JOIN_KEY]: toJsonTree(this.subtree) };
  }
}

/** The state as the parameter pytree with a JoinPoint (holding that parameter's state) per leaf. */
export function unpackOptimizerState(state: OptimizerState): PyTree {
  const fn = "optimizers.unpackOptimizerState";
  if (state === null || typeof state !== "object" || !Array.isArray(state.packedState)) {
    throw new TypeError(`${fn}: expected an optimizer state (from an optimizer's initFun or updateFun)`);
  }
  const subtrees = state.packedState.map((leaves, i) => unflatten(decodeTreeDef(fn, state.subtreeDefs[i]), leaves));
  return unflatten(decodeTreeDef(fn, state.treeDef), subtrees.map((s) => new JoinPoint(s)));
}

const isJsonJoinPoint = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === "object" && !Array.isArray(x) && Object.keys(x).length === 1 && JOIN_KEY in x;

/** The inverse of unpackOptimizerState; also takes the JSON.parse'd form of its result. */
export function packOptimizerState(marked: PyTree): OptimizerState {
  const fn = "optimizers.packOptimizerState";
  const [sentinels, def] = flatten(marked, (x) => x instanceof JoinPoint || isJsonJoinPoint(x));
  const packed: ArrayBase[][] = [];
  const subtreeDefs: EncodedTreeDef[] = [];
  sentinels.forEach((s, i) => {
    let subtree: PyTree;
    if (s instanceof JoinPoint) subtree = s.subtree;
    else if (isJsonJoinPoint(s)) subtree = fromJsonTree(fn, s[JOIN_KEY]);
    else {
      throw new TypeError(`${fn}: every leaf of the marked tree must be a JoinPoint (from unpackOptimizerState, or its JSON), leaf ${i} is ${describe(s)}`);
    }
    const [leaves, sdef] = flatten(subtree);
    leaves.forEach((l, k) => {
      if (!(l instanceof ArrayBase)) throw new TypeError(`${fn}: state leaf ${k} of parameter ${i} is ${describe(l)}, expected an array`);
    });
    packed.push(leaves as ArrayBase[]);
    subtreeDefs.push(encodeTreeDef(sdef));
  });
  return { packedState: packed, treeDef: encodeTreeDef(def), subtreeDefs };
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return "null";
  if (Array.isArray(x)) return "a list";
  return typeof x;
}

// ---- JSON form of a state subtree ------------------------------------------------------------

function toJsonTree(x: unknown): unknown {
  if (x instanceof ArrayBase) return { [ARRAY_KEY]: encodeArray(x) };
  if (Array.isArray(x)) return x.map(toJsonTree);
  if (x !== null && typeof x === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(x).sort()) o[k] = toJsonTree((x as Record<string, unknown>)[k]);
    return o;
  }
  return x;
}

function fromJsonTree(fn: string, x: unknown): unknown {
  if (Array.isArray(x)) return x.map((c) => fromJsonTree(fn, c));
  if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === ARRAY_KEY) return decodeArray(fn, o[ARRAY_KEY]);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = fromJsonTree(fn, o[k]);
    return out;
  }
  return x;
}

interface EncodedArray {
  dtype: string;
  shape: number[];
  /** The row-major values' storage bytes (little-endian; float16 as its bits), base64. */
  data: string;
}

/** The storage bytes of x's values (float16 as IEEE half bits, bool as 0/1 bytes). */
function storageBytes(x: ArrayBase): Uint8Array {
  const vals = x.dataSync();
  if (x.dtype === "float16") {
    // dataSync widens float16 to float32 exactly; narrowing back is exact too.
    const h = new Uint16Array(vals.length);
    for (let i = 0; i < vals.length; i++) h[i] = f32ToF16Bits(vals[i] as number);
    return new Uint8Array(h.buffer);
  }
  return new Uint8Array(vals.buffer, vals.byteOffset, vals.byteLength).slice();
}

function encodeArray(x: ArrayBase): EncodedArray {
  return { dtype: x.dtype, shape: x.shape.slice(), data: toBase64(storageBytes(x)) };
}

function decodeArray(fn: string, e: unknown): ArrayBase {
  const o = e as EncodedArray;
  if (o === null || typeof o !== "object" || typeof o.dtype !== "string" || !Array.isArray(o.shape) || typeof o.data !== "string") {
    throw new TypeError(`${fn}: malformed array entry (expected {dtype, shape, data})`);
  }
  const dtype: DType = canonicalDtype(o.dtype, fn);
  if (dtype !== o.dtype) {
    throw new TypeError(`${fn}: the saved array has dtype ${o.dtype}, which this configuration stores as ${dtype}; enable the same x64 setting as when it was saved`);
  }
  const bytes = fromBase64(fn, o.data);
  const count = o.shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * DTYPE_BYTES[dtype]) {
    throw new TypeError(`${fn}: array data has ${bytes.length} bytes, expected ${count * DTYPE_BYTES[dtype]} for ${dtype}[${o.shape}]`);
  }
  return fromBytes(bytes, o.shape.slice(), dtype);
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function toBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63] : "=";
    out += i + 2 < bytes.length ? B64[n & 63] : "=";
  }
  return out;
}

function fromBase64(fn: string, s: string): Uint8Array {
  if (s.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(s)) throw new TypeError(`${fn}: array data is not base64`);
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n = (B64.indexOf(s[i]) << 18) | (B64.indexOf(s[i + 1]) << 12) | ((B64.indexOf(s[i + 2]) & 63) << 6) | (B64.indexOf(s[i + 3]) & 63);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
