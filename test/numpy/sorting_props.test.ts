// Property tests (fast-check) for ts/numpy/sorting.ts and setops.ts: argsort returns a
// permutation that sorts stably (JAX's order: NaNs last, -0.0 == 0.0), searchsorted agrees
// with a linear scan, unique/isin/topK agree with plain JS references.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Array, lax, numpy as np } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

const list = (x: Array): number[] => globalThis.Array.from(x.dataSync() as ArrayLike<number>);
/** JAX's sort comparator on numbers: NaNs last and equal, -0 == 0. */
const cmp = (a: number, b: number): number => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a < b ? -1 : a > b ? 1 : 0);
const f32round = (v: number) => Math.fround(v);

// Small value pools make ties, NaNs and signed zeros common.
const floatVal = fc.oneof(
  fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, 1, -1, 2.5),
  fc.float({ noNaN: false }).map(f32round),
  fc.integer({ min: -4, max: 4 }),
);
const floats = fc.array(floatVal, { minLength: 0, maxLength: 40 });
const ints = fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 0, maxLength: 40 });
const RUNS = { numRuns: 60 };
// Float data goes in as a Float32Array: np.array(list, "float32") rejects integers beyond int32
// even with the float dtype given (reported).
const arr = (dt: string, v: number[]): Array => (dt === "float32" ? np.array(Float32Array.from(v)) : np.array(v, dt as "int32"));

describe.each(backends)("numpy sorting properties on %s", (backend) => {
  useBackend(backend);

  it("argsort is a permutation that sorts stably (ascending and descending)", () => {
    fc.assert(
      fc.property(fc.oneof(floats.map((v) => ["float32", v] as const), ints.map((v) => ["int32", v] as const)), fc.boolean(), ([dt, vals], desc) => {
        const x = arr(dt, vals);
        const idx = list(np.argsort(x, { descending: desc }) as Array);
        const xv = list(x);
        expect([...idx].sort((a, b) => a - b)).toEqual(vals.map((_, i) => i));
        for (let k = 1; k < idx.length; k++) {
          const c = cmp(xv[idx[k - 1]], xv[idx[k]]) * (desc ? -1 : 1);
          expect(c < 0 || (c === 0 && idx[k - 1] < idx[k])).toBe(true);
        }
        // sort agrees with the values taken in argsort's (ascending) order.
        if (!desc) {
          const s = list(np.sort(x) as Array);
          s.forEach((v, k) => expect(cmp(v, xv[idx[k]])).toBe(0));
        }
      }),
      RUNS,
    );
  });

  it("searchsorted agrees with a linear scan (both sides, NaN-last order)", () => {
    fc.assert(
      fc.property(floats, fc.array(floatVal, { maxLength: 12 }), (avals, qvals) => {
        const a = [...avals].sort(cmp);
        const got = {
          left: list(np.searchsorted(arr("float32", a), arr("float32", qvals)) as Array),
          right: list(np.searchsorted(arr("float32", a), arr("float32", qvals), "right") as Array),
        };
        qvals.forEach((q, k) => {
          expect(got.left[k]).toBe(a.filter((v) => cmp(v, q) < 0).length);
          expect(got.right[k]).toBe(a.filter((v) => cmp(v, q) <= 0).length);
        });
      }),
      RUNS,
    );
  });

  it("unique: sorted distinct values, first indices, inverse and counts reconstruct x", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 40 }), (vals) => {
        const [v, idx, inv, cnt] = (np.unique(np.array(vals, "int32"), { returnIndex: true, returnInverse: true, returnCounts: true }) as Array[]).map(list);
        const want = [...new Set(vals)].sort((a, b) => a - b);
        expect(v).toEqual(want);
        expect(idx).toEqual(want.map((w) => vals.indexOf(w)));
        expect(inv.map((i) => v[i])).toEqual(vals);
        expect(cnt).toEqual(want.map((w) => vals.filter((x) => x === w).length));
      }),
      RUNS,
    );
  });

  it("unique with size pads or truncates as JAX documents", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 25 }), (vals, size) => {
        const [v, cnt] = (np.unique(np.array(vals, "int32"), { size, returnCounts: true }) as Array[]).map(list);
        const want = [...new Set(vals)].sort((a, b) => a - b);
        const pad = (xs: number[], fill: number) => globalThis.Array.from({ length: size }, (_, i) => (i < xs.length ? xs[i] : fill));
        expect(v).toEqual(pad(want, want[0]));
        expect(cnt).toEqual(pad(want.map((w) => vals.filter((x) => x === w).length), 0));
      }),
      RUNS,
    );
  });

  it("isin agrees with Array.includes semantics of == (NaN never found), on both paths", () => {
    fc.assert(
      fc.property(floats, floats, fc.constantFrom("compare_all", "binary_search"), (e, t, method) => {
        const got = list(np.isin(arr("float32", e), arr("float32", t), { method: method as "compare_all" }) as Array);
        expect(got).toEqual(e.map((x) => (t.some((y) => f32round(y) === f32round(x)) ? 1 : 0)));
      }),
      RUNS,
    );
  });

  it("topK equals the first k of a stable descending sort by the total order", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 30 }), fc.nat(), (vals, kk) => {
        const k = kk % (vals.length + 1);
        const [v, i] = (lax.topK(np.array(vals, "int32"), k) as Array[]).map(list);
        const order = vals.map((_, j) => j).sort((a, b) => vals[b] - vals[a] || a - b).slice(0, k);
        expect(i).toEqual(order);
        expect(v).toEqual(order.map((j) => vals[j]));
      }),
      RUNS,
    );
  });
});
