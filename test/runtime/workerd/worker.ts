// Runs inside Cloudflare's workerd, which forbids compiling Wasm from bytes at run time:
// the kernel module is imported as a precompiled Wasm module and passed to init().
// @ts-expect-error: a Wasm module import, resolved by workerd's module list.
import kernels from "./kernels.wasm";
import { init, lax, numpy as np } from "../../../ts/index.js";

export default {
  async test(): Promise<void> {
    const results: Record<string, unknown> = {};
    // Before init: the synchronous path must refuse with a clear message, not crash.
    try {
      np.array([1, 2, 3]);
      results.beforeInit = "no error";
    } catch (e) {
      results.beforeInit = String((e as Error).message);
    }
    await init({ module: kernels as WebAssembly.Module });
    const x = np.array([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], "float32");
    const y = np.array([1, 2, 3, 4, 5, 6, 7, 8], "float32");
    results.sinPlusCos = Array.from(lax.add(lax.sin(x), lax.cos(y)).dataSync() as Float32Array);
    results.sum = lax.reduceSum(y, [0]).item();
    results.argmax = lax.argmax(x, 0).item();
    results.sorted = Array.from(lax.sort(np.array([3, -1, 2, NaN, 0], "float32")).dataSync() as Float32Array);
    console.log("RESULTS " + JSON.stringify(results));
  },
};
