// The published entry point: package.json's exports map names the single-file ESM bundle
// (dist/edgejax.js, built by `npm run build`) and its type declarations; the bundle loads
// on its own and computes. One file instead of ~130 modules halves the cold import in Node.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

describe("the package entry point", () => {
  it("exports a bundle and its declarations that exist after the build", () => {
    const entry = pkg.exports["."];
    expect(entry.default).toBe(pkg.main);
    expect(existsSync(join(root, entry.default)), `${entry.default} (run npm run build)`).toBe(true);
    expect(existsSync(join(root, entry.types))).toBe(true);
    expect(existsSync(join(root, pkg.exports["./kernels.wasm"]))).toBe(true);
  });

  it("the bundle runs numpy, jit, grad and random by itself", async () => {
    const ej = await import(pathToFileURL(join(root, pkg.exports["."].default)).href);
    const np = ej.numpy;
    const x = np.array([1, 2, 3], "float32");
    expect(np.add(np.sin(x), 1).tolist().map((v: number) => Number(v.toFixed(5)))).toEqual([1.84147, 1.9093, 1.14112]);
    expect(ej.jit((a: unknown) => np.sum(np.multiply(a, a)))(x).item()).toBe(14);
    expect(ej.grad((a: unknown) => np.sum(np.multiply(a, a)))(x).tolist()).toEqual([2, 4, 6]);
    // The same bits as the sources give.
    const src = await import("../../ts/index.js");
    expect(ej.random.normal(ej.random.key(42), [4]).tolist()).toEqual(src.random.normal(src.random.key(42), [4]).tolist());
  });
});
