import { describe, expect, it } from "vitest";
import { lax, numpy as np } from "../../ts/index.js";

describe("smoke", () => {
  it("foriLoop", () => {
    const r = lax.foriLoop(0, 4, (i: any, t: any) => np.add(t, i), 0);
    expect(r.item()).toBe(6);
  });
  it("scan", () => {
    const [c, ys] = lax.scan((c: any, x: any) => [np.add(c, x), np.add(c, x)], 0, np.arange(5));
    expect(c.item()).toBe(10);
    expect(ys.tolist()).toEqual([0, 1, 3, 6, 10]);
  });
  it("switch", () => {
    const br = [(x: any) => np.add(x, 1), (x: any) => np.multiply(x, 2), (x: any) => np.subtract(x, 3)];
    expect(lax.switch(-1, br, 10).item()).toBe(11);
    expect(lax.switch(3, br, 10).item()).toBe(7);
    expect(lax.cond(true, (x: any) => np.add(x, 1), (x: any) => np.subtract(x, 1), 5).item()).toBe(6);
  });
  it("while", () => {
    expect(lax.whileLoop((c: any) => np.less(c, 10), (c: any) => np.add(c, 3), 0).item()).toBe(12);
  });
});
