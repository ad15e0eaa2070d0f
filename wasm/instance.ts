// Loads the AssemblyScript kernel module and owns its one WebAssembly.Memory.
//
// Three ways in, for the three kinds of runtime:
//  - sync (Node, Deno, Bun, workers): on first use, compile the embedded bytes;
//  - async (browsers' main thread, where sync compilation of large modules is refused):
//    `await init()` before the first operation;
//  - no run-time compilation at all (Cloudflare workerd, strict CSP): import the prebuilt
//    `edgejax/kernels.wasm` as a module and pass it: `init({ module })`.
import { RELAXED_WASM_BASE64, SIMD_WASM_BASE64 } from "./generated/modules.js";
import { HeapAllocator } from "./allocator.js";

export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  relaxedEnabled(): number;
  // Every other export is a kernel entry point; see wasm/assembly/index.ts.
  [name: string]: any;
}

export class WasmInstance {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  readonly heap: HeapAllocator;
  readonly relaxed: boolean;

  constructor(instance: WebAssembly.Instance) {
    this.exports = instance.exports as unknown as KernelExports;
    this.memory = this.exports.memory;
    this.relaxed = this.exports.relaxedEnabled() === 1;
    this.heap = new HeapAllocator(this.memory, this.exports.heapBase());
  }
}

let current: WasmInstance | undefined;

/** @internal base64 to bytes (exported for the loading test). */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  // Native decoders where the runtime has one (Uint8Array.fromBase64, Node's and Bun's
  // Buffer): the portable atob loop below costs ~5 ms per build on a cold start.
  const native = Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> };
  if (typeof native.fromBase64 === "function") return native.fromBase64(b64);
  const buffer = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (buffer) {
    const b = buffer.from(b64, "base64");
    return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const imports = {
  env: {
    abort(_msg: number, _file: number, line: number, col: number): never {
      throw new Error(`edgejax: internal error in the CPU kernel module (at ${line}:${col})`);
    },
    seed: () => 0,
  },
};

/**
 * A 76-byte module whose one function returns f32x4.relaxed_madd of three zero vectors: it
 * validates exactly where relaxed SIMD is on, and validating it costs microseconds where the
 * whole relaxed build (~140 KB) costs milliseconds.
 */
function relaxedSimdProbe(): Uint8Array<ArrayBuffer> {
  const zeros = (n: number) => new globalThis.Array<number>(n).fill(0);
  const vconst = [0xfd, 0x0c, ...zeros(16)];
  const body = [0x00, ...vconst, ...vconst, ...vconst, 0xfd, 0x85, 0x02, 0x0b];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of type 0
    0x0a, body.length + 2, 0x01, body.length, ...body, // its code
  ]);
}

let relaxedSupported: boolean | undefined;

/** Whether this runtime runs relaxed SIMD (checked once). */
export function hasRelaxedSimd(): boolean {
  return (relaxedSupported ??= WebAssembly.validate(relaxedSimdProbe()));
}

/** The bytes of the build this runtime can run: relaxed SIMD where it validates. */
export function kernelBytes(prefer: "relaxed" | "simd" | "auto" = "auto"): Uint8Array<ArrayBuffer> {
  if (prefer === "relaxed" || (prefer === "auto" && hasRelaxedSimd())) return decodeBase64(RELAXED_WASM_BASE64);
  return decodeBase64(SIMD_WASM_BASE64);
}

export interface InitOptions {
  /** A precompiled kernel module (workerd: `import wasm from "edgejax/kernels.wasm"`). */
  module?: WebAssembly.Module;
  /** Force a build (tests); default picks relaxed SIMD when the runtime validates it. */
  variant?: "relaxed" | "simd" | "auto";
}

/** Loads the CPU kernels asynchronously (or from a given module). Idempotent. */
export async function initWasm(opts: InitOptions = {}): Promise<WasmInstance> {
  if (current && !opts.module && !opts.variant) return current;
  const module = opts.module ?? (await WebAssembly.compile(kernelBytes(opts.variant)));
  const instance = await WebAssembly.instantiate(module, imports);
  current = new WasmInstance(instance);
  return current;
}

/** The loaded kernels, loading them synchronously on first use. */
export function wasm(): WasmInstance {
  if (current) return current;
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(kernelBytes());
  } catch (e) {
    throw new Error(
      "edgejax: could not compile the CPU kernel module synchronously (" +
        String((e as Error).message ?? e) +
        "). In browsers call `await init()` first; where run-time Wasm compilation is " +
        "forbidden (Cloudflare Workers, strict CSP) import the prebuilt module and pass it: " +
        '`import kernels from "edgejax/kernels.wasm"; await init({ module: kernels })`.',
    );
  }
  current = new WasmInstance(new WebAssembly.Instance(module, imports));
  return current;
}

/** Replaces the loaded instance (tests use it to run a suite on a chosen build). */
export function setWasmInstance(instance: WasmInstance): void {
  current = instance;
}
