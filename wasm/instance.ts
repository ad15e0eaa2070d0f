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

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
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

/** The bytes of the build this runtime can run: relaxed SIMD where it validates. */
export function kernelBytes(prefer: "relaxed" | "simd" | "auto" = "auto"): Uint8Array<ArrayBuffer> {
  if (prefer !== "simd") {
    const relaxed = decodeBase64(RELAXED_WASM_BASE64);
    if (prefer === "relaxed" || WebAssembly.validate(relaxed)) return relaxed;
  }
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
