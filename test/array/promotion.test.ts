// Type promotion and broadcasting, as properties (fast-check) and against JAX's documented
// table (docs/type_promotion.rst of jax-ml/jax, "binary promotion table").
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { config, lax, numpy as np, type Array } from "../../ts/index.js";
import { promoteTypes, resetPromotionCache, resultType, type TypeInfo } from "../../ts/array/promotion.js";
import type { DType } from "../../ts/array/dtype.js";
import { backends, useBackend } from "../helpers.js";

// JAX's table, verbatim for the rows and columns edgejax has (no u8/i8/bf/complex operands;
// results i8/u8/f8 are canonicalized below). Columns: b1 u1 u2 u4 i1 i2 i4 f2 f4 f8 i* f*.
const COLS = ["b1", "u1", "u2", "u4", "i1", "i2", "i4", "f2", "f4", "f8", "i*", "f*"] as const;
type Code = (typeof COLS)[number];
const TABLE: Record<Code, string> = {
  b1: "b1 u1 u2 u4 i1 i2 i4 f2 f4 f8 i* f*",
  u1: "u1 u1 u2 u4 i2 i2 i4 f2 f4 f8 u1 f*",
  u2: "u2 u2 u2 u4 i4 i4 i4 f2 f4 f8 u2 f*",
  u4: "u4 u4 u4 u4 i8 i8 i8 f2 f4 f8 u4 f*",
  i1: "i1 i2 i4 i8 i1 i2 i4 f2 f4 f8 i1 f*",
  i2: "i2 i2 i4 i8 i2 i2 i4 f2 f4 f8 i2 f*",
  i4: "i4 i4 i4 i8 i4 i4 i4 f2 f4 f8 i4 f*",
  f2: "f2 f2 f2 f2 f2 f2 f2 f2 f4 f8 f2 f2",
  f4: "f4 f4 f4 f4 f4 f4 f4 f4 f4 f8 f4 f4",
  f8: "f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8",
  "i*": "i* u1 u2 u4 i1 i2 i4 f2 f4 f8 i* f*",
  "f*": "f* f* f* f* f* f* f* f2 f4 f8 f* f*",
};

const STRONG: Record<string, DType> = {
  b1: "bool", u1: "uint8", u2: "uint16", u4: "uint32", i1: "int8", i2: "int16", i4: "int32",
  f2: "float16", f4: "float32", f8: "float64",
};

/** A table code as edgejax's type, with JAX's canonicalization (x32: i8 -> i4, f8 -> f4). */
function typeOf(code: string, x64: boolean): TypeInfo {
  const fdefault: DType = x64 ? "float64" : "float32";
  if (code === "i*") return { dtype: "int32", weak: true };
  if (code === "f*") return { dtype: fdefault, weak: true };
  if (code === "i8") return { dtype: "int32", weak: false }; // no int64: 32-bit ints even with x64
  if (code === "u8") return { dtype: "uint32", weak: false };
  if (code === "f8") return { dtype: fdefault, weak: false };
  return { dtype: STRONG[code], weak: false };
}

function setX64(on: boolean): void {
  config.update("jax_enable_x64", on);
  resetPromotionCache();
}

describe("promotion lattice (JAX's table)", () => {
  afterEach(() => setX64(false));

  for (const x64 of [false, true]) {
    it(`matches docs/type_promotion.rst for every pair (x64 ${x64 ? "on" : "off"})`, () => {
      setX64(x64);
      const codes = COLS.filter((c) => x64 || c !== "f8");
      for (const r of codes) {
        const row = TABLE[r].split(" ");
        for (const c of codes) {
          const want = typeOf(row[COLS.indexOf(c)], x64);
          const got = promoteTypes(typeOf(r, x64), typeOf(c, x64));
          expect({ pair: `${r}+${c}`, ...got }).toEqual({ pair: `${r}+${c}`, ...want });
        }
      }
    });
  }

  it("documented examples", () => {
    const t = (dtype: DType, weak = false): TypeInfo => ({ dtype, weak });
    expect(promoteTypes(t("int32"), t("float16"))).toEqual(t("float16"));
    expect(promoteTypes(t("uint32"), t("int32"))).toEqual(t("int32")); // x32 mode
    expect(promoteTypes(t("int8"), t("int32", true))).toEqual(t("int8")); // 2 * int8 stays int8
    expect(promoteTypes(t("bool"), t("int32", true))).toEqual(t("int32", true)); // True + 2
    expect(promoteTypes(t("int32"), t("float32", true))).toEqual(t("float32", true)); // int32 + 1.5
    expect(promoteTypes(t("uint32"), t("float32"))).toEqual(t("float32"));
    expect(promoteTypes(t("uint8"), t("int8"))).toEqual(t("int16"));
  });
});

// ---- properties -------------------------------------------------------------------------

const strongDtypes: DType[] = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "float16", "float32"];
const commonTypeArb: fc.Arbitrary<TypeInfo> = fc.oneof(
  fc.constantFrom(...strongDtypes).map((dtype) => ({ dtype, weak: false })),
  fc.constantFrom<DType>("int32", "float32").map((dtype) => ({ dtype, weak: true })),
);
// Weak types are mostly int32/float32 (JS numbers); narrower weak types arise inside lax
// (a scalar converted to the other operand's dtype) and follow the same rules.
const typeArb: fc.Arbitrary<TypeInfo> = fc.oneof(
  fc.constantFrom(...strongDtypes).map((dtype) => ({ dtype, weak: false })),
  fc.constantFrom<DType>("int32", "float32").map((dtype) => ({ dtype, weak: true })),
  fc.constantFrom<DType>("int8", "uint8", "int16", "float16").map((dtype) => ({ dtype, weak: true })),
);

/**
 * JAX's lattice_result_type for n operands (dtypes.py), as the reference: all weak -> the
 * strong join made weak; all one dtype -> that dtype, strong; else the join of the lattice
 * nodes, where weak ints are i* and weak floats f* (the join of the nodes is associative, so
 * it is computed with binary promotions of the nodes' representatives).
 */
function jaxResultType(ts: TypeInfo[]): TypeInfo {
  if (ts.length === 1) return ts[0];
  const allWeak = ts.every((t) => t.weak);
  if (!allWeak && ts.every((t) => t.dtype === ts[0].dtype)) return { dtype: ts[0].dtype, weak: false };
  if (allWeak) {
    const r = ts.map((t) => ({ dtype: t.dtype, weak: false })).reduce((a, b) => promoteTypes(a, b));
    return { dtype: r.dtype, weak: r.dtype !== "bool" };
  }
  const node = (t: TypeInfo): TypeInfo => (t.weak ? { dtype: t.dtype === "float16" || t.dtype === "float32" ? "float32" : "int32", weak: true } : t);
  return ts.map(node).reduce((a, b) => promoteTypes(a, b));
}

describe("promotion lattice (properties)", () => {
  it("is commutative and idempotent", () => {
    fc.assert(
      fc.property(typeArb, typeArb, (a, b) => {
        expect(promoteTypes(a, b)).toEqual(promoteTypes(b, a));
        expect(promoteTypes(a, a)).toEqual(a);
      }),
    );
  });

  it("is associative for strong types and JS numbers' weak types", () => {
    fc.assert(
      fc.property(commonTypeArb, commonTypeArb, commonTypeArb, (a, b, c) => {
        expect(promoteTypes(promoteTypes(a, b), c)).toEqual(promoteTypes(a, promoteTypes(b, c)));
        expect(resultType(a, b, c)).toEqual(promoteTypes(promoteTypes(a, b), c));
      }),
    );
  });

  it("resultType of n operands is JAX's n-ary rule and ignores the operands' order", () => {
    fc.assert(
      fc.property(fc.array(typeArb, { minLength: 1, maxLength: 5 }), (ts) => {
        expect(resultType(...ts)).toEqual(jaxResultType(ts));
        expect(resultType(...[...ts].reverse())).toEqual(resultType(...ts));
      }),
    );
  });

  it("all-weak operands join their strong dtypes and stay weak (JAX's lattice_result_type)", () => {
    const w = (dtype: DType): TypeInfo => ({ dtype, weak: true });
    expect(promoteTypes(w("int8"), w("int16"))).toEqual(w("int16"));
    expect(promoteTypes(w("float16"), w("int32"))).toEqual(w("float16"));
    expect(resultType(w("int32"), w("float32"))).toEqual(w("float32"));
  });

  it("bool is the bottom; a weak type never widens a strong one of its kind", () => {
    fc.assert(
      fc.property(typeArb, (a) => {
        if (!a.weak) expect(promoteTypes({ dtype: "bool", weak: false }, a)).toEqual(a);
        const w: TypeInfo = { dtype: "int32", weak: true };
        if (!a.weak && a.dtype !== "bool" && a.dtype !== "float16" && a.dtype !== "float32") expect(promoteTypes(a, w)).toEqual(a);
        if (!a.weak && (a.dtype === "float16" || a.dtype === "float32")) expect(promoteTypes(a, w)).toEqual(a);
        if (!a.weak && (a.dtype === "float16" || a.dtype === "float32")) expect(promoteTypes(a, { dtype: "float32", weak: true })).toEqual(a);
      }),
    );
  });

  it("the result is an upper bound: promoting it again with either operand changes nothing", () => {
    fc.assert(
      fc.property(typeArb, typeArb, (a, b) => {
        const r = promoteTypes(a, b);
        expect(promoteTypes(r, a)).toEqual(r);
        expect(promoteTypes(r, b)).toEqual(r);
      }),
    );
  });
});

// ---- through the numpy functions -------------------------------------------------------

/** NumPy's broadcasting rule, written independently as the reference. */
function npBroadcast(a: number[], b: number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function iotaArray(shape: number[], dtype: DType, offset: number): Array {
  const n = shape.reduce((p, q) => p * q, 1);
  const data = globalThis.Array.from({ length: n }, (_, i) => (i + offset) % 7);
  return lax.reshape(np.array(data, dtype), shape) as Array;
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 });
/** Pairs of shapes that mostly broadcast: b derived from a by dropping leading axes and setting some to 1. */
const shapePairArb = fc.oneof(
  fc.tuple(shapeArb, fc.array(fc.boolean(), { maxLength: 4 }), fc.nat(4)).map(([a, ones, drop]) => {
    const b = a.slice(Math.min(drop, a.length)).map((d, i) => (ones[i] ? 1 : d));
    return [a, b] as [number[], number[]];
  }),
  fc.tuple(shapeArb, shapeArb),
);

describe.each(backends)("promotion and broadcasting through numpy on %s", (backend) => {
  beforeAll(() => useBackend(backend));

  it("np.add's dtype and weak flag are the lattice's (arrays and JS numbers)", () => {
    const operand = fc.oneof(
      fc.constantFrom(...strongDtypes).map((d) => ({ kind: "array" as const, dtype: d })),
      fc.constantFrom({ kind: "int" as const }, { kind: "float" as const }),
    );
    fc.assert(
      fc.property(operand, operand, (p, q) => {
        const make = (o: typeof p) => (o.kind === "array" ? np.array([1], o.dtype) : o.kind === "int" ? 2 : 0.5);
        const info = (o: typeof p): TypeInfo =>
          o.kind === "array" ? { dtype: o.dtype, weak: false } : { dtype: o.kind === "int" ? "int32" : "float32", weak: true };
        const r = np.add(make(p), make(q));
        const want = promoteTypes(info(p), info(q));
        expect([r.dtype, r.weakType]).toEqual([want.dtype, want.weak]);
      }),
      { numRuns: 60 },
    );
  });

  it("np.add broadcasts with NumPy's rule (shapes and values) and refuses the rest", () => {
    fc.assert(
      fc.property(shapePairArb, fc.boolean(), ([sa, sb], swap) => {
        const [s1, s2] = swap ? [sb, sa] : [sa, sb];
        const want = npBroadcast(s1, s2);
        const x = iotaArray(s1, "int32", 0);
        const y = iotaArray(s2, "int32", 3);
        if (!want) {
          expect(() => np.add(x, y)).toThrow(/add: shapes .* cannot be broadcast/);
          return;
        }
        const r = np.add(x, y);
        expect(r.shape).toEqual(want);
        // Values: out[idx] = x[idx'] + y[idx''] with broadcast (size-1) axes indexed at 0.
        const xv = x.dataSync();
        const yv = y.dataSync();
        const rv = r.dataSync();
        const strides = (s: number[]) => s.map((_, i) => s.slice(i + 1).reduce((p, q) => p * q, 1));
        const [xs, ys] = [strides(s1), strides(s2)];
        const n = want.reduce((p, q) => p * q, 1);
        for (let flat = 0; flat < n; flat++) {
          let rem = flat;
          let xi = 0;
          let yi = 0;
          for (let ax = want.length - 1; ax >= 0; ax--) {
            const i = rem % want[ax];
            rem = Math.floor(rem / want[ax]);
            const ax1 = ax - (want.length - s1.length);
            const ax2 = ax - (want.length - s2.length);
            if (ax1 >= 0 && s1[ax1] !== 1) xi += i * xs[ax1];
            if (ax2 >= 0 && s2[ax2] !== 1) yi += i * ys[ax2];
          }
          expect(rv[flat]).toBe(xv[xi] + yv[yi]);
        }
      }),
      { numRuns: 80 },
    );
  });
});
