// Property tests (fast-check): x.get / x.at on random shapes and random NumPy index strings,
// against a JS reference of NumPy basic indexing with JAX's rules (out-of-bounds integer reads
// clamp, out-of-bounds integer updates are dropped), and integer-array indexing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";

type Ent = { t: "int"; v: number } | { t: "slice"; start: number | null; stop: number | null; step: number | null } | { t: "none" } | { t: "ell" };

const fmt = (e: Ent): string =>
  e.t === "int" ? String(e.v) : e.t === "none" ? "None" : e.t === "ell" ? "..." : `${e.start ?? ""}:${e.stop ?? ""}${e.step === null ? "" : `:${e.step}`}`;

/** Python's slice(start, stop, step).indices(size) expanded to the selected positions. */
function slicePositions(e: { start: number | null; stop: number | null; step: number | null }, n: number): number[] {
  const step = e.step ?? 1;
  const lo = step > 0 ? 0 : -1;
  const hi = step > 0 ? n : n - 1;
  const cl = (v: number) => (v < 0 ? Math.max(v + n, lo) : Math.min(v, hi));
  const start = e.start === null ? (step > 0 ? lo : hi) : cl(e.start);
  const stop = e.stop === null ? (step > 0 ? hi : lo) : cl(e.stop);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** Per output axis: the source axis and positions, or a new axis; ints fix a source axis. */
type Plan = { kind: "axis"; src: number; pos: number[] } | { kind: "new" };
function plan(shape: number[], ents: Ent[], forUpdate: boolean): { axes: Plan[]; fixed: Map<number, number | null> } {
  const consumed = ents.filter((e) => e.t === "int" || e.t === "slice").length;
  const full: Ent[] = [];
  let sawEll = false;
  for (const e of ents) {
    if (e.t === "ell") {
      sawEll = true;
      for (let i = 0; i < shape.length - consumed; i++) full.push({ t: "slice", start: null, stop: null, step: null });
    } else full.push(e);
  }
  if (!sawEll) for (let i = consumed; i < shape.length; i++) full.push({ t: "slice", start: null, stop: null, step: null });
  const axes: Plan[] = [];
  const fixed = new Map<number, number | null>();
  let ax = 0;
  for (const e of full) {
    if (e.t === "none") axes.push({ kind: "new" });
    else if (e.t === "int") {
      const n = shape[ax];
      const v = e.v < 0 ? e.v + n : e.v;
      // Reads clamp (JAX); updates drop out-of-bounds positions (null).
      fixed.set(ax, forUpdate ? (v >= 0 && v < n ? v : null) : Math.min(Math.max(v, 0), n - 1));
      ax++;
    } else if (e.t === "slice") {
      axes.push({ kind: "axis", src: ax, pos: slicePositions(e, shape[ax]) });
      ax++;
    }
  }
  return { axes, fixed };
}

const stridesOf = (shape: number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));

/** Reference x[index] for x = arange(size).reshape(shape): [shape, flat values]. */
function refGet(shape: number[], ents: Ent[]): [number[], number[]] {
  const { axes, fixed } = plan(shape, ents, false);
  const st = stridesOf(shape);
  const outShape = axes.map((a) => (a.kind === "new" ? 1 : a.pos.length));
  const vals: number[] = [];
  const rec = (k: number, off: number) => {
    if (k === axes.length) return void vals.push(off);
    const a = axes[k];
    if (a.kind === "new") return rec(k + 1, off);
    for (const p of a.pos) rec(k + 1, off + p * st[a.src]);
  };
  let base = 0;
  for (const [ax, v] of fixed) base += (v as number) * st[ax];
  rec(0, base);
  return [outShape, vals];
}

/** Reference x.at[index].set(-1) for x = arange(size).reshape(shape). */
function refSet(shape: number[], ents: Ent[]): number[] {
  const size = shape.reduce((p, d) => p * d, 1);
  const out = Array_from(size, (i) => i);
  const { axes, fixed } = plan(shape, ents, true);
  if ([...fixed.values()].some((v) => v === null)) return out;
  const st = stridesOf(shape);
  let base = 0;
  for (const [ax, v] of fixed) base += (v as number) * st[ax];
  const rec = (k: number, off: number) => {
    if (k === axes.length) return void (out[off] = -1);
    const a = axes[k];
    if (a.kind === "new") return rec(k + 1, off);
    for (const p of a.pos) rec(k + 1, off + p * st[a.src]);
  };
  rec(0, base);
  return out;
}

function Array_from<T>(n: number, f: (i: number) => T): T[] {
  return globalThis.Array.from({ length: n }, (_, i) => f(i));
}

const shapeArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
const boundArb = fc.option(fc.integer({ min: -7, max: 7 }), { nil: null });
const stepArb = fc.option(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -3, max: -1 })), { nil: null });

/** A shape and a random basic index for it (ints only on non-empty axes). */
const caseArb = shapeArb.chain((shape) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -7, max: 7 }), boundArb, boundArb, stepArb), { minLength: shape.length, maxLength: shape.length }),
      fc.option(fc.tuple(fc.integer({ min: 0, max: shape.length }), fc.integer({ min: 0, max: shape.length })), { nil: null }),
      fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 2 }),
    )
    .map(([k, raw, ell, nones]) => {
      // With an ellipsis every axis gets an entry first, then a run of them becomes "..."
      // (entries after it keep their axes).
      let ents: Ent[] = raw.slice(0, ell ? shape.length : k).map(([isInt, v, a, b, s], i) =>
        isInt && shape[i] > 0 ? { t: "int", v } : { t: "slice", start: a, stop: b, step: s },
      );
      if (ell) {
        const lo = Math.min(ell[0], ell[1]);
        const hi = Math.max(ell[0], ell[1]);
        ents = [...ents.slice(0, lo), { t: "ell" }, ...ents.slice(hi)];
      }
      for (const p of nones) ents.splice(Math.min(p, ents.length), 0, { t: "none" });
      return { shape, ents };
    }),
);

describe.each(backends)("indexing properties on %s", (backend) => {
  useBackend(backend);

  it("x.get(index string) matches NumPy basic slicing (JAX clamps integer reads)", () => {
    fc.assert(
      fc.property(caseArb, ({ shape, ents }) => {
        const x = np.arange(shape.reduce((p, d) => p * d, 1)).reshape(shape) as Array;
        const s = ents.map(fmt).join(", ");
        const got = x.get(s) as Array;
        const [shp, vals] = refGet(shape, ents);
        expect(got.shape, s).toEqual(shp);
        expect(globalThis.Array.from(got.dataSync()), s).toEqual(vals);
        // The same index as a list of per-axis entries (strings, numbers, null).
        const list = ents.map((e) => (e.t === "int" ? e.v : e.t === "none" ? null : fmt(e)));
        if (list.some((e) => typeof e !== "number")) {
          expect(globalThis.Array.from((x.get(list) as Array).dataSync()), s).toEqual(vals);
        }
        // .at().get({ mode: "clip" }) takes the same path.
        expect(globalThis.Array.from((x.at(s).get({ mode: "clip" }) as Array).dataSync()), s).toEqual(vals);
      }),
      { numRuns: 300 },
    );
  });

  it("x.at(index string).set(v) writes the selected positions (out-of-bounds integers drop)", () => {
    fc.assert(
      fc.property(caseArb, ({ shape, ents }) => {
        const x = np.arange(shape.reduce((p, d) => p * d, 1)).reshape(shape) as Array;
        const s = ents.map(fmt).join(", ");
        const got = x.at(s).set(-1) as Array;
        expect(got.shape).toEqual(shape);
        expect(globalThis.Array.from(got.dataSync()), s).toEqual(refSet(shape, ents));
      }),
      { numRuns: 200 },
    );
  });

  it("integer-array reads clamp and .add accumulates repeated indices (dropping out-of-bounds ones)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 0, maxLength: 8 }),
        (n, m, idx) => {
          const x = np.arange(n * m).reshape([n, m]) as Array;
          const ia = np.array(idx, "int32");
          const got = x.get(ia) as Array;
          expect(got.shape).toEqual([idx.length, m]);
          const wrap = (i: number) => (i < 0 ? i + n : i);
          const want = idx.flatMap((i) => Array_from(m, (j) => Math.min(Math.max(wrap(i), 0), n - 1) * m + j));
          expect(globalThis.Array.from(got.dataSync())).toEqual(want);
          const acc = Array_from(n * m, (k) => k);
          for (const i of idx) {
            const w = wrap(i);
            if (w < 0 || w >= n) continue;
            for (let j = 0; j < m; j++) acc[w * m + j] += 10;
          }
          expect(globalThis.Array.from((x.at(ia).add(10) as Array).dataSync())).toEqual(acc);
          // A second index array on axis 1 broadcasts with the first.
          const col = np.array(idx.map((i) => ((i % m) + m) % m), "int32");
          const pick = x.get([ia, col]) as Array;
          expect(globalThis.Array.from(pick.dataSync())).toEqual(
            idx.map((i) => Math.min(Math.max(wrap(i), 0), n - 1) * m + (((i % m) + m) % m)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
