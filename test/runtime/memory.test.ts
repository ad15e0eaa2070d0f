// Memory: operations don't consume inputs; tidy/dispose/using free deterministically;
// finalizers bound async loops; the pool reuses blocks; disposed arrays give clear errors.
import { describe, expect, it } from "vitest";
import { lax, memoryStats, numpy as np, tidy, keep } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

describe.each(backends)("memory on %s", (backend) => {
  useBackend(backend);

  it("operations do not consume their inputs", () => {
    const x = np.array([1, 2, 3], "float32");
    const y = lax.add(x, x);
    const z = lax.mul(x, y);
    expect(x.tolist()).toEqual([1, 2, 3]);
    expect(z.tolist()).toEqual([2, 8, 18]);
    for (const a of [x, y, z]) a.dispose();
  });

  it("tidy frees everything created inside except the result", () => {
    const x = np.array(new Float32Array(1000).fill(1));
    const before = memoryStats();
    for (let i = 0; i < 2000; i++) {
      tidy(() => lax.sin(lax.add(lax.mul(x, x), x))).dispose();
    }
    const after = memoryStats();
    expect(after.liveArrays).toBe(before.liveArrays);
    expect(after.bytesInUse).toBe(before.bytesInUse);
    const kept = tidy(() => {
      const t = lax.add(x, x);
      keep(t);
      return lax.mul(t, x);
    });
    expect(memoryStats().liveArrays).toBe(before.liveArrays + 2);
    expect(kept.tolist()).toEqual(new Array(1000).fill(2));
    kept.dispose();
    x.dispose();
  });

  it("`using` and dispose() free deterministically, and disposing twice is harmless", () => {
    const before = memoryStats().liveArrays;
    {
      using a = np.array([1, 2, 3], "float32");
      using b = lax.add(a, a);
      expect(b.tolist()).toEqual([2, 4, 6]);
      expect(memoryStats().liveArrays).toBe(before + 2);
    }
    expect(memoryStats().liveArrays).toBe(before);
    const c = np.array([1], "float32");
    c.dispose();
    c.dispose();
    expect(() => lax.add(c, c)).toThrow(/disposed/);
    expect(() => c.dataSync()).toThrow(/dataSync.*disposed/);
  });

  it("views share storage: freeing a view keeps the base alive", () => {
    const x = np.array([[1, 2], [3, 4]], "float32");
    const t = lax.transpose(x, [1, 0]);
    x.dispose();
    expect(t.tolist()).toEqual([[1, 3], [2, 4]]);
    t.dispose();
  });

  it("the pool reuses freed blocks instead of growing memory", () => {
    const x = np.array(new Float32Array(100_000).fill(2));
    tidy(() => lax.mul(x, x)).dispose();
    const base = memoryStats();
    for (let i = 0; i < 200; i++) tidy(() => lax.sqrt(lax.mul(x, x))).dispose();
    const after = memoryStats();
    expect(after.memoryBytes).toBe(base.memoryBytes);
    expect(after.pooledBlocks).toBeGreaterThan(0);
    x.dispose();
  });

  it("an async loop that awaits each step stays bounded without dispose (finalizers)", async () => {
    const x = np.array(new Float32Array(1000).fill(0.5));
    const start = memoryStats();
    let peak = 0;
    for (let i = 0; i < 10_000; i++) {
      const y = lax.tanh(lax.add(lax.mul(x, x), x));
      const v = await y.data();
      if (v[0] === 12345) throw new Error("unreachable");
      if (i % 500 === 0) peak = Math.max(peak, memoryStats().bytesInUse);
    }
    // Without finalizers 10,000 steps x 3 arrays x 4 KB would hold about 120 MB; with them
    // the garbage between collections stays around 10-30 MB here.
    expect(peak - start.bytesInUse).toBeLessThan(64 * 1024 * 1024);
    x.dispose();
  });
});
