// Scaffolding shared by the Wasm kernel suites: both builds of the kernel module, a seeded
// PRNG, the dtypes with their typed arrays, heap uploads and downloads, index iteration.
import { readFileSync } from "node:fs";
import { WasmInstance } from "../../wasm/instance.js";
import type { DType } from "../../ts/runtime/kernel.js";

// ---- the builds

const imports = {
  env: {
    abort(): never {
      throw new Error("abort");
    },
    seed: () => 0,
  },
};

function load(file: string): WasmInstance | undefined {
  const bytes = readFileSync(new URL(`../../wasm/build/${file}`, import.meta.url));
  if (!WebAssembly.validate(bytes)) return undefined;
  return new WasmInstance(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));
}

/**
 * Fresh instances of both builds of the kernel module, each undefined where this runtime
 * cannot run it (relaxed SIMD needs Node 24+).
 */
export function loadBuilds(): [string, WasmInstance | undefined][] {
  return [
    ["simd", load("kernels.wasm")],
    ["relaxed", load("kernels-relaxed.wasm")],
  ];
}

/** Fresh instances of the builds this runtime can run. */
export function runnableBuilds(): [string, WasmInstance][] {
  return loadBuilds().filter((b): b is [string, WasmInstance] => b[1] !== undefined);
}

// ---- random numbers

/** Deterministic PRNG (mulberry32): uniform in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- dtypes and their typed arrays (float16 as its bits, bool as bytes)

export const DTYPES: DType[] = ["float32", "float64", "float16", "int32", "uint32", "int16", "uint16", "int8", "uint8", "bool"];

export type TA = Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;
export const CTOR: Record<DType, new (n: number) => TA> = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int16: Int16Array, uint16: Uint16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

/** A view of n elements of dtype d at byte ptr of buf. */
export function typedAt(buf: ArrayBuffer, d: DType, ptr: number, n: number): TA {
  return new (CTOR[d] as unknown as new (b: ArrayBuffer, o: number, n: number) => TA)(buf, ptr, n);
}

// ---- heap

/** Copies a into a fresh heap allocation; returns its address. */
export function put(inst: WasmInstance, a: TA): number {
  const p = inst.heap.alloc(Math.max(1, a.byteLength));
  new Uint8Array(inst.heap.bytes, p, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return p;
}

/** A copy of the n elements of dtype `dtype` at heap address p. */
export function getTA(inst: WasmInstance, dtype: DType, p: number, n: number): TA {
  return typedAt(inst.heap.bytes, dtype, p, n).slice();
}

/** A copy of the n bytes at heap address p. */
export function bytesOf(inst: WasmInstance, p: number, n: number): Uint8Array {
  return new Uint8Array(inst.heap.bytes, p, n).slice();
}

// ---- shapes

/** Every index of `shape`, row-major (none for an empty shape, one for a scalar). */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = new Array(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}
