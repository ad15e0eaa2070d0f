// Shared by the creation / manipulation / indexing tests: decoding fixture arguments and
// running one case (np[fn](...args) compared with a NumPy reference).
import { expect } from "vitest";
import { Array, lax, numpy as np } from "../../ts/index.js";
import { expectArray, num } from "../helpers.js";

export interface Enc { a: (number | boolean | string)[]; s: number[]; d: string }
export interface Case { fn: string; args: unknown[]; out: Enc | Enc[]; tol: [number, number] }

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !globalThis.Array.isArray(v);

/** A fixture array (flat values, shape, dtype) as an edgejax Array. */
export function decode(e: Enc): Array {
  const vals = e.a.map((v) => (typeof v === "string" ? num(v) : v)) as (number | boolean)[];
  if (e.s.length === 0) return np.array(vals[0], e.d as never);
  const flat = np.array(vals as number[], e.d as never);
  return (e.s.length === 1 ? flat : lax.reshape(flat, e.s)) as Array;
}

/** {arr} -> Array, {opts} -> options object (decoded recursively), lists recursively. */
export function decodeArg(v: unknown): unknown {
  if (globalThis.Array.isArray(v)) return v.map(decodeArg);
  if (isObj(v)) {
    if ("arr" in v) return decode(v.arr as Enc);
    if ("opts" in v) return Object.fromEntries(Object.entries(v.opts as object).map(([k, x]) => [k, decodeArg(x)]));
  }
  return v;
}

function fmtArg(v: unknown): string {
  if (globalThis.Array.isArray(v)) return `[${v.map(fmtArg).join(", ")}]`;
  if (isObj(v) && "arr" in v) {
    const e = v.arr as Enc;
    return `<${e.d}${JSON.stringify(e.s)}>`;
  }
  if (isObj(v) && "opts" in v) return JSON.stringify(v.opts);
  return JSON.stringify(v);
}

export const caseName = (c: Case): string => `${c.fn}(${c.args.map(fmtArg).join(", ")})`;

/** Runs np[fn](...args) and compares with the reference (values, shape, dtype). */
export function runCase(c: Case, ns: Record<string, unknown> = np as unknown as Record<string, unknown>): void {
  const f = ns[c.fn] as (...a: unknown[]) => unknown;
  expect(f, `np.${c.fn} exists`).toBeTypeOf("function");
  const got = f(...c.args.map(decodeArg));
  const outs = globalThis.Array.isArray(c.out) ? c.out : [c.out];
  const gots = globalThis.Array.isArray(c.out) ? (got as Array[]) : [got as Array];
  expect(gots.length).toBe(outs.length);
  outs.forEach((o, i) => {
    expectArray(gots[i], o.a as never, { dtype: o.d, shape: o.s, rtol: c.tol[0], atol: c.tol[1] });
  });
}
