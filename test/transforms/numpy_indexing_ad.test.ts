// grad / jvp / vmap of the numpy functions built on the movement and indexing primitives
// (x.get, x.at(...).set/add/mul/min/max, take, takeAlongAxis, concatenate, stack, pad, roll,
// flip, tile, repeat, reshape & co., triu/tril, diagonal): jvp against float64 central
// differences, vjp by the transpose identity against jvp, vmap against a loop; hand-worked
// gradients for repeated indices, clamped reads and dropped writes.
import { describe, expect, it } from "vitest";
import { grad, jit, lax, numpy as np, vmap, type Array } from "../../ts/index.js";
import { checkGrads, checkVmap, randArray, withX64 } from "./check.js";

const r = (shape: number[], seed = 1) => randArray(shape, -1, 1, seed);
const f32 = (shape: number[], seed = 1) => randArray(shape, -1, 1, seed, "float32");
const idx = (v: unknown) => np.array(v as any, "int32");
// A dynamic slice and update at a start that depends on nothing differentiable.
const lax_dus = (x: any) => {
  const w = lax.dynamicSlice(x, [np.array(1, "int32")], [2]);
  return lax.dynamicUpdateSlice(x, np.sin(w).mul(w), [np.array(2, "int32")]).mul(x).sum();
};
const list = (a: any): number[] => globalThis.Array.from((a as Array).dataSync() as ArrayLike<number>, Number);

// name, f, argument shapes, in_axes for the vmap check (the other arguments are fixed).
type Case = [string, (...a: any[]) => any, number[][], (number | null)[]];

const getCases: Case[] = [
  ["int", (x) => x.get(1), [[3, 4]], [1]],
  ["negative int", (x) => x.get(-1), [[3, 4]], [0]],
  ["slices", (x) => x.get("1:3, ::2"), [[4, 5]], [0]],
  ["negative step", (x) => x.get("::-2, 1"), [[5, 3]], [1]],
  ["None and ellipsis", (x) => x.get([null, "...", 1]), [[2, 3, 4]], [2]],
  ["integer array", (x) => x.get(idx([2, 0, 2, -1])), [[4, 3]], [1]],
  ["two integer arrays", (x) => x.get([idx([[0, 1], [2, 2]]), idx([1, 3])]), [[3, 4]], [0]],
  ["integer arrays around a slice", (x) => x.get([idx([0, 2]), ":", idx([1, 0])]), [[3, 2, 2]], [1]],
  ["integer array and int", (x) => x.get([1, idx([3, 0, 3])]), [[2, 4]], [0]],
  ["out-of-bounds array clamps", (x) => x.get(idx([5, -7])), [[4]], [0]],
  ["at().get fill", (x) => x.at(idx([5, 1])).get({ mode: "fill", fillValue: 0 }), [[4]], [0]],
];

const atCases: Case[] = [
  ["set", (x, v) => x.at(idx([1, 3])).set(v), [[5], [2]], [0, 0]],
  ["set repeated", (x, v) => x.at(idx([1, 3, 1])).set(v), [[5], [3]], [0, null]],
  ["set slice", (x, v) => x.at("1:3").set(v), [[4, 2], [2, 2]], [1, 0]],
  ["set scalar broadcast", (x, v) => x.at([":", 1]).set(v), [[3, 2], []], [0, 0]],
  ["add repeated", (x, v) => x.at(idx([0, 2, 0, 0])).add(v), [[3], [4]], [0, 0]],
  ["add rows", (x, v) => x.at(idx([2, 0, 2])).add(v), [[3, 2], [3, 2]], [null, 1]],
  ["add dropped", (x, v) => x.at(idx([7, 1])).add(v), [[3], [2]], [0, 0]],
  ["mul repeated", (x, v) => x.at(idx([1, 1, 2])).mul(v), [[3], [3]], [0, 0]],
  ["min", (x, v) => x.at(idx([0, 2])).min(v), [[3], [2]], [0, 0]],
  ["max repeated", (x, v) => x.at(idx([0, 2, 0])).max(v), [[3], [3]], [0, 0]],
  ["subtract repeated", (x, v) => x.at(idx([1, 1])).subtract(v), [[3], [2]], [0, 0]],
  // divide / power: x op ones.at(i).multiply(v); v away from 0 (divide) and x > 0 (power).
  ["divide repeated", (x, v) => x.at(idx([2, 0, 2])).divide(v.add(3)), [[3], [3]], [0, 0]],
  ["power", (x, v) => x.add(2).at(idx([1, 2])).power(v), [[3], [2]], [0, 0]],
];

const fnCases: Case[] = [
  ["take flat", (x) => np.take(x, idx([5, 0, 3])), [[2, 3]], [0]],
  ["take axis", (x) => np.take(x, idx([[1, 0], [1, 1]]), { axis: 1 }), [[3, 2]], [1]],
  ["take negative axis, clip", (x) => np.take(x, idx([4, -1]), { axis: -1, mode: "clip" }), [[2, 3]], [0]],
  ["take wrap", (x) => np.take(x, idx([4, -4, 1]), { axis: 0, mode: "wrap" }), [[3, 2]], [1]],
  ["take out of bounds fills", (x) => np.take(x, idx([4, 1]), { axis: 0, fillValue: 0 }), [[3]], [0]],
  ["takeAlongAxis", (x) => np.takeAlongAxis(x, idx([[2, 0], [1, 1]]), 1), [[2, 3]], [0]],
  ["takeAlongAxis axis 0", (x) => np.takeAlongAxis(x, idx([[1, 0, 1]]), 0), [[2, 3]], [1]],
  ["concatenate", (x, y) => np.concatenate([x, y], 1), [[2, 1], [2, 3]], [0, 1]],
  ["concatenate flat", (x, y) => np.concatenate([x, y], null), [[2, 2], [3]], [1, null]],
  ["stack", (x, y) => np.stack([x, y], -1), [[2, 3], [2, 3]], [1, 0]],
  ["pad constant", (x) => np.pad(x, [[1, 2], [0, 1]], { constantValues: 3 }), [[2, 3]], [0]],
  ["pad edge", (x) => np.pad(x, [[2, 1]], "edge"), [[3]], [0]],
  ["pad reflect", (x) => np.pad(x, [[2, 1], [1, 2]], "reflect"), [[3, 4]], [1]],
  ["pad symmetric", (x) => np.pad(x, 2, "symmetric"), [[3]], [0]],
  ["roll", (x) => np.roll(x, 2, 1), [[2, 5]], [0]],
  ["roll flat", (x) => np.roll(x, -3), [[2, 3]], [1]],
  ["flip", (x) => np.flip(x, 0), [[3, 2]], [1]],
  ["flip all", (x) => np.flip(x), [[3, 2]], [0]],
  ["tile", (x) => np.tile(x, [2, 3]), [[2, 2]], [0]],
  ["repeat", (x) => np.repeat(x, 3, 0), [[2, 2]], [1]],
  ["repeat per element", (x) => np.repeat(x, [1, 0, 2], 1), [[2, 3]], [0]],
  ["reshape", (x) => np.reshape(x, [3, -1]), [[2, 3]], [1]],
  ["transpose", (x) => np.transpose(x, [1, 2, 0]), [[2, 3, 2]], [2]],
  ["moveaxis", (x) => np.moveaxis(x, 0, -1), [[2, 3, 2]], [1]],
  ["expandDims", (x) => np.expandDims(x, [0, -1]), [[3]], [0]],
  ["squeeze", (x) => np.squeeze(x, 1), [[3, 1]], [0]],
  ["broadcastTo", (x) => np.broadcastTo(x, [2, 3, 4]), [[3, 1]], [1]],
  ["triu", (x) => np.triu(x, 1), [[3, 4]], [0]],
  ["tril", (x) => np.tril(x, -1), [[4, 3]], [1]],
  ["diagonal", (x) => np.diagonal(x), [[3, 4]], [0]],
  ["diagonal offset, other axes", (x) => np.diagonal(x, { offset: -1, axis1: 2, axis2: 0 }), [[3, 2, 4]], [1]],
];

describe.each([
  ["x.get", getCases],
  ["x.at", atCases],
  ["numpy functions", fnCases],
] as const)("%s: jvp, vjp and vmap", (_group, cases) => {
  it.each(cases as Case[])("%s", (_n, f, shapes, axes) => {
    withX64(() => checkGrads(f, shapes.map((s, i) => r(s, 3 + i))));
    // The vmap check: the batch axis inserted at in_axes (negative axes are normalized).
    const args = shapes.map((s, i) => {
      const a = axes[i];
      if (a === null) return f32(s, 5 + i);
      const bs = s.slice();
      bs.splice(a, 0, 3);
      return f32(bs, 5 + i);
    });
    checkVmap(f, args, axes);
  });
});

describe("hand-worked gradients", () => {
  it("at().add: repeated indices accumulate gradients; dropped updates get none", () => {
    withX64(() => {
      const w = np.array([1, 10, 100], "float64");
      const f = (x: any, v: any) => x.at(idx([0, 2, 0, 9])).add(v).mul(w).sum();
      const [gx, gv] = grad(f, { argnums: [0, 1] })(r([3]), np.array([1, 2, 3, 4], "float64"));
      expect(list(gx)).toEqual([1, 10, 100]);
      expect(list(gv)).toEqual([1, 100, 1, 0]);
      // The gradient of a gather with repeated indices accumulates too.
      expect(list(grad((x: any) => x.get(idx([1, 1, 2, 1])).sum())(r([3])))).toEqual([0, 3, 1]);
    });
  });

  it("out-of-bounds reads clamp and send their gradient to the clamped element", () => {
    withX64(() => {
      expect(list(grad((x: any) => x.get(idx([9, 1])).sum())(r([4])))).toEqual([0, 1, 0, 1]);
      // ... unless the read fills, then there is no gradient.
      expect(list(grad((x: any) => x.at(idx([9, 1])).get({ mode: "fill", fillValue: 0 }).sum())(r([4])))).toEqual([0, 1, 0, 0]);
    });
  });

  it("at().set: overwritten elements get no gradient", () => {
    withX64(() => {
      const f = (x: any, v: any) => x.at("1:3").set(v).mul(np.array([1, 2, 3, 4], "float64")).sum();
      const [gx, gv] = grad(f, { argnums: [0, 1] })(r([4]), r([2], 2));
      expect(list(gx)).toEqual([1, 0, 0, 4]);
      expect(list(gv)).toEqual([2, 3]);
    });
  });

  it("pad reflect / edge: gradients fold back onto the source elements", () => {
    withX64(() => {
      // reflect [a b c] by 2 on the left: [c b a b c]; edge by 2 on the right: [a b c c c].
      expect(list(grad((x: any) => np.pad(x, [[2, 0]], "reflect").sum())(r([3])))).toEqual([1, 2, 2]);
      expect(list(grad((x: any) => np.pad(x, [[0, 2]], "edge").sum())(r([3])))).toEqual([1, 1, 3]);
    });
  });

  it("grad through jit agrees with grad, for gathers, scatters and movement together", () => {
    withX64(() => {
      const i = idx([2, 0, 2]);
      const f = (x: any, v: any) => {
        const y = x.at(i).add(v.mul(x.get(i)));
        return np.pad(np.roll(np.tile(y, 2), 1), [[1, 1]], "reflect").mul(np.arange(8, "float64")).sum();
      };
      const x = r([3]);
      const v = r([3], 2);
      const g1 = grad(f, { argnums: [0, 1] })(x, v);
      const g2 = jit(grad(jit(f), { argnums: [0, 1] }))(x, v);
      for (let k = 0; k < 2; k++) {
        list(g2[k]).forEach((a, j) => expect(a).toBeCloseTo(list(g1[k])[j], 12));
      }
      checkGrads(f, [x, v]);
    });
  });

  it("batched scalar indices (dynamic reads and updates) under vmap, jit and grad", () => {
    const xs = f32([4, 5]);
    const is = idx([0, 4, -1, 7]); // -1 wraps; 7 clamps on read, is dropped on update
    checkVmap((x: any, i: any) => x.get(i), [xs, is], [0, 0]);
    checkVmap((x: any, i: any) => x.get(i), [xs.get(0), is], [null, 0]);
    checkVmap((x: any, i: any) => x.at(i).set(9), [xs, is], [0, 0]);
    checkVmap((x: any, i: any) => x.at(i).add(x.get(i)), [xs, is], [0, 0]);
    checkVmap((x: any, i: any) => x.get([":", i]), [f32([4, 3, 5]), is], [0, 0]);
    const f = (x: any, i: any) => x.get(i).mul(x.get(i.add(1))).add(x.at(i).set(0).sum());
    withX64(() => {
      const x = r([5]);
      for (const i of [0, 3, 4, 9]) {
        const ii = np.array(i, "int32");
        const g = grad(f)(x, ii) as Array;
        expect(list(jit(grad(f))(x, ii))).toEqual(list(g));
        checkGrads((x: any) => f(x, ii), [x]);
      }
      const xb = r([4, 5]);
      const per = vmap(grad(f))(xb, is) as Array;
      for (let b = 0; b < 4; b++) expect(per.get(b).tolist()).toEqual((grad(f)(xb.get(b), is.get(b)) as Array).tolist());
    });
  });

  it("second derivatives: the rules' own outputs differentiate again", () => {
    withX64(() => {
      const i = idx([2, 0, 2, 3]);
      const f = (x: any) => {
        const g = np.sin(x.get(i)).mul(np.take(x, idx([1, 3, 1, 0])));
        const y = x.at(i).add(g).at(idx([1, 1])).set(x.get("0:2").mul(x.get(3)));
        const z = x.at(i).max(g).at(idx([0, 3])).mul(x.get("1:3"));
        return np.pad(y, [[1, 2]], "reflect").sum().add(np.roll(np.tile(y.mul(z), 2), 3).mul(np.arange(8, "float64")).sum());
      };
      const x = np.array([0.3, -0.7, 1.1, 0.5], "float64");
      checkGrads((x: any) => grad(f)(x), [x]);
      checkGrads((x: any) => grad((x: any) => lax_dus(x))(x), [x]);
    });
  });

  it("traced shifts and indices: np.roll, np.take, np.takeAlongAxis with batched integer arguments", () => {
    const xs = f32([4, 6]);
    const shifts = idx([0, 2, -3, 13]);
    checkVmap((x: any, s: any) => np.roll(x, s, 0), [xs, shifts], [0, 0]);
    checkVmap((x: any, s: any) => np.roll(x, s, 0), [xs.get(1), shifts], [null, 0]);
    const ii = idx([[1, 5], [0, 0], [3, 2], [5, 4]]);
    checkVmap((x: any, i: any) => np.take(x, i, { axis: 0 }), [xs, ii], [0, 0]);
    checkVmap((x: any, i: any) => np.takeAlongAxis(x, i, 0), [xs, ii], [0, 0]);
    withX64(() => {
      const s = np.array(2, "int32");
      checkGrads((x: any) => np.roll(x, s, 1), [r([2, 5])]);
      // roll by 2: out[j] = x[j - 2]; weights w[j] land on x[j - 2 mod 5].
      const g = grad((x: any) => np.roll(x, s, 0).mul(np.arange(5, "float64")).sum())(r([5]));
      expect(list(g)).toEqual([2, 3, 4, 0, 1]);
    });
  });

  it("vmap of grad and grad of vmap of an indexed update", () => {
    withX64(() => {
      const f = (x: any, i: any) => x.at(i).mul(x.get(i)).sum();
      const xs = r([4, 5]);
      const is = idx([[0, 1], [4, 4], [2, 2], [3, 0]]);
      const per = vmap(grad(f))(xs, is) as Array;
      for (let b = 0; b < 4; b++) expect(per.get(b).tolist()).toEqual((grad(f)(xs.get(b), is.get(b)) as Array).tolist());
      checkGrads((x: any) => vmap(f)(x, is), [xs]);
    });
  });
});
