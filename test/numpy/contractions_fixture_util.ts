// Shared by the contraction / convolution / windowed-reduction tests: decoding the fixtures
// of test/numpy/gen_contractions.py and comparing results against float64 references with
// the error bound each case carries.
import { expect } from "vitest";
import { Array, config, lax, numpy as np } from "../../ts/index.js";
import { expectArray, num } from "../helpers.js";

export interface Enc { a: (number | boolean | string)[]; s: number[]; d: string }

/** A reference result: exact values (floats: float64) plus, for floats, the error bound. */
export interface Ref {
  out: Enc;
  /** The same computation on |inputs|: the sum of |terms| of each output element. */
  absref?: Enc;
  /** [a, r]: |got - ref| <= a * absref + r * |ref| (see `bound` in gen_contractions.py). */
  eb?: [number, number];
}

/** A fixture array (flat values, shape, dtype) as an edgejax Array. */
export function decode(e: Enc): Array {
  const vals = e.a.map((v) => (typeof v === "string" ? num(v) : v)) as (number | boolean)[];
  if (e.s.length === 0) return np.array(vals[0] as number, e.d as never) as Array;
  const flat = np.array(vals as number[], e.d as never);
  return (e.s.length === 1 ? flat : lax.reshape(flat, e.s)) as Array;
}

/** Whether a case involves float64 (then it runs with jax_enable_x64, reset after). */
export function needsX64(...encs: (Enc | string | null | undefined)[]): boolean {
  return encs.some((e) => (typeof e === "string" ? e : e?.d) === "float64");
}

/** Runs f with jax_enable_x64 on when `on`, and always restores the previous setting. */
export function withX64<T>(on: boolean, f: () => T): T {
  if (!on) return f();
  const prev = config.read("jax_enable_x64");
  config.update("jax_enable_x64", true);
  try {
    return f();
  } finally {
    config.update("jax_enable_x64", prev);
  }
}

// float16 results: one more rounding (2^-11 relative, in eb[1]) and, near zero, float16's
// subnormal spacing 2^-24 (half of it is the rounding error).
const F16_ATOL = 2 ** -25;

/** Checks got against a reference: dtype, shape, and values exactly or within the bound. */
export function expectRef(got: Array, ref: Ref, label = ""): void {
  const want = ref.out;
  expect(got.dtype, `${label} dtype`).toBe(want.d);
  expect(got.shape, `${label} shape`).toEqual(want.s);
  if (!ref.eb || (ref.eb[0] === 0 && ref.eb[1] === 0)) {
    expectArray(got, want.a.length === 0 ? [] : (want.a as never), { shape: want.s, dtype: want.d });
    return;
  }
  const g = globalThis.Array.from(got.dataSync() as ArrayLike<number>);
  const r = want.a.map((v) => num(v as number | string));
  const abs = ref.absref ? ref.absref.a.map((v) => num(v as number | string)) : r.map(Math.abs);
  const [a, rr] = ref.eb;
  const atol = want.d === "float16" ? F16_ATOL : 0;
  expect(g.length).toBe(r.length);
  for (let i = 0; i < r.length; i++) {
    if (Number.isNaN(r[i]) ? Number.isNaN(g[i]) : g[i] === r[i]) continue;
    // The float16 rounding applies to the accumulated value: (1 + 2^-10) covers it.
    const tol = a * abs[i] * (1 + 2 ** -10) + rr * Math.abs(r[i]) + atol;
    if (!(Math.abs(g[i] - r[i]) <= tol)) {
      throw new Error(`${label} element ${i}: got ${g[i]}, expected ${r[i]} (|diff| ${Math.abs(g[i] - r[i])} > bound ${tol})`);
    }
  }
}
