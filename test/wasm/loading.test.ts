// Loading the kernel module (wasm/instance.ts): the relaxed-SIMD build is chosen exactly
// where the runtime validates it (Node 24 yes, Node 20 no; the suite runs under both), told
// by a tiny probe module instead of validating the whole build; the loaded instance says
// which build it is; the base64 decoders agree.
import { describe, expect, it } from "vitest";
import { decodeBase64, hasRelaxedSimd, kernelBytes, wasm } from "../../wasm/instance.js";

describe("kernel module loading", () => {
  it("the relaxed-SIMD probe agrees with validating the whole relaxed build", () => {
    expect(hasRelaxedSimd()).toBe(WebAssembly.validate(kernelBytes("relaxed")));
    expect(WebAssembly.validate(kernelBytes("simd"))).toBe(true);
  });

  it("the default build is the relaxed one exactly where relaxed SIMD runs", () => {
    expect(wasm().relaxed).toBe(hasRelaxedSimd());
    // Node 24 (npm test's second pass) has relaxed SIMD; Node 20 does not.
    const major = Number(process.versions.node.split(".")[0]);
    if (major >= 24) expect(hasRelaxedSimd()).toBe(true);
    if (major === 20) expect(hasRelaxedSimd()).toBe(false);
  });

  it("the native and the portable base64 decoders give the same bytes", () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + (i >> 3)) & 255);
    const b64 = btoa(String.fromCharCode(...bytes));
    const native = decodeBase64(b64);
    const g = globalThis as { Buffer?: unknown };
    const saved = g.Buffer;
    g.Buffer = undefined; // as in Deno and browsers
    try {
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes));
    } finally {
      g.Buffer = saved;
    }
    expect(Array.from(native)).toEqual(Array.from(bytes));
    expect(native.buffer.byteLength).toBe(1000); // its own buffer, not a view into Node's pool
  });
});
