// The memory plan of compiled programs: intermediates are freed after their last use,
// donated buffers are reused, and a synchronous training-style loop holds memory flat.
import { describe, expect, it } from "vitest";
import { numpy as np, jit, memoryStats, tidy, type Array } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

const live = () => {
  const m = memoryStats();
  return { arrays: m.liveArrays, bytes: m.bytesInUse };
};

describe.each(backends)("jit memory (%s)", (backend) => {
  useBackend(backend);

  it("a donated step run 10,000 times in a synchronous loop keeps memory flat", () => {
    const g = np.full([64], 0.5, "float32");
    const step = jit((p: Array, d: Array) => p.sub(d.mul(0.01)), { donateArgnums: 0 });
    let p = np.zeros([64], "float32");
    p = step(p, g); // compile and warm up
    const before = live();
    for (let i = 0; i < 10_000; i++) p = step(p, g);
    expect(live()).toEqual(before);
    // 10,001 steps of 0.005 each, accumulated in float32: -50.005 within float32 rounding
    // of 10^4 additions (relative 1e-7 each, so about 1e-3 absolute at most).
    expect(Math.abs((p.dataSync()[0] as number) + 50.005)).toBeLessThan(1e-2);
    p.dispose();
    g.dispose();
  });

  it("a step with reductions, routines and a pytree of donated state stays flat", () => {
    const w0 = np.full([8, 4], 0.1, "float32");
    const x = np.ones([16, 8], "float32");
    const step = jit(
      (s: { w: Array; m: Array }, xb: Array) => {
        const h = np.tanh(np.dot(xb, s.w));
        const loss = np.mean(h.mul(h));
        const gw = np.dot(xb.T, h).mul(0.001);
        return { w: s.w.sub(gw), m: s.m.mul(0.9).add(loss) };
      },
      { donateArgnums: 0 },
    );
    let s = step({ w: w0, m: np.zeros([], "float32") }, x) as { w: Array; m: Array };
    const before = live();
    for (let i = 0; i < 2_000; i++) s = step(s, x) as { w: Array; m: Array };
    expect(live()).toEqual(before);
    expect(Number.isFinite(s.m.item() as number)).toBe(true);
  });

  it("the donated buffer becomes the output buffer", () => {
    const step = jit((p: Array) => np.sin(p).add(1), { donateArgnums: 0 });
    const p = np.arange(10).astype("float32");
    const want = np.sin(p).add(1).tolist();
    const buffer = (p as any)._storage.buffer;
    const q = step(p);
    expect((q as any)._storage.buffer).toBe(buffer);
    expect(q.tolist()).toEqual(want);
  });

  it("in-place writes are safe when the donated input is also read through another view", () => {
    const step = jit((p: Array) => p.add(p.get("::-1")), { donateArgnums: 0 });
    const p = np.arange(6).astype("float32");
    expect(step(p).tolist()).toEqual([5, 5, 5, 5, 5, 5]);
    const step2 = jit((p: Array) => [p.mul(2), p.sum()], { donateArgnums: 0 });
    const [a, b] = step2(np.arange(4).astype("float32")) as Array[];
    expect(a.tolist()).toEqual([0, 2, 4, 6]);
    expect(b.item()).toBe(6);
  });

  it("without donation, an async training loop that awaits each step stays bounded (finalizers)", async () => {
    // A jitted step whose old state is simply dropped: only the FinalizationRegistry frees
    // it, between event-loop turns.
    const step = jit((s: { w: Array; m: Array }) => ({ w: s.w.sub(s.m.mul(0.01)), m: s.m.mul(0.9).add(np.tanh(s.w)) }));
    let state = { w: np.array(new Float32Array(4096).fill(0.5)), m: np.zeros([4096]) };
    const start = memoryStats().bytesInUse;
    let peak = 0;
    for (let i = 0; i < 5_000; i++) {
      state = step(state);
      const v = await state.w.data(); // one event-loop turn per step
      if (Number.isNaN(v[0])) throw new Error("diverged");
      if (i % 250 === 0) peak = Math.max(peak, memoryStats().bytesInUse);
    }
    // Kept forever, 5,000 steps x 2 arrays x 16 KB would be about 160 MB.
    expect(peak - start).toBeLessThan(64 * 1024 * 1024);
  });

  it("a donated array used afterwards gives a clear error", () => {
    const step = jit((p: Array) => p.mul(2), { donateArgnums: 0 });
    const p = np.ones([3], "float32");
    step(p);
    expect((p as any).disposed).toBe(true);
    expect(() => p.add(1)).toThrow(/disposed or donated/);
    expect(() => step(p)).toThrow(/jit: the array \(shape \[3\], float32\) was disposed or donated/);
  });

  it("a donated input that is also a result, or shares its storage, is not overwritten", () => {
    const f = jit((p: Array) => [p, p.mul(2)], { donateArgnums: 0 });
    const p = np.arange(3).astype("float32");
    const [a, b] = f(p) as Array[];
    expect(a.tolist()).toEqual([0, 1, 2]);
    expect(b.tolist()).toEqual([0, 2, 4]);
    const base = np.arange(3).astype("float32");
    const view = base.reshape([1, 3]);
    const g = jit((q: Array) => q.add(1), { donateArgnums: 0 });
    expect(g(view).tolist()).toEqual([[1, 2, 3]]);
    expect(base.tolist()).toEqual([0, 1, 2]);
  });

  it("intermediates do not leak, with or without tidy", () => {
    const x = np.linspace(-1, 1, 60).reshape([6, 10]).astype("float32");
    const f = jit((a: Array) => {
      const t = np.sin(np.cos(np.sin(a))); // materialized: needed by two kernels
      const s = np.sum(t, { axis: 1, keepdims: true });
      const d = np.dot(t, a.T); // a routine in the middle
      return [np.exp(d).sum(), t.div(s), np.sort(t, 1)];
    });
    f(x).forEach((o: Array) => o.dispose());
    const before = live();
    for (let i = 0; i < 200; i++) f(x).forEach((o: Array) => o.dispose());
    expect(live()).toEqual(before);
    for (let i = 0; i < 50; i++) tidy(() => void f(x));
    expect(live()).toEqual(before);
  });

  it("an error inside a run frees what the run allocated", () => {
    const x = np.ones([4], "float32");
    const f = jit((a: Array, i: Array) => np.sin(a).add(np.take(np.cos(a), i)).sum());
    const idx = np.array([0, 1, 2, 3]);
    f(x, idx).dispose();
    const other = np.ones([4], "float32");
    other.dispose();
    const before = live();
    // a disposed argument: refused before anything runs
    expect(() => f(other, idx)).toThrow(/disposed/);
    expect(live()).toEqual(before);
  });
});
