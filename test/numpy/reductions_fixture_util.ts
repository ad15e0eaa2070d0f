// Shared by the reductions test files: decoding fixture arrays and running one case.
import { expect } from "vitest";
import { Array, lax, numpy as np } from "../../ts/index.js";
import { expectArray, num } from "../helpers.js";

export interface Enc { a: (number | boolean | string)[]; s: number[]; d: string }
export interface Case { fn: string; x: Enc; q?: number | Enc; opts: Record<string, unknown>; out: Enc | Enc[]; tol: [number, number] }

const isEnc = (v: unknown): v is Enc => typeof v === "object" && v !== null && "a" in v && "s" in v && "d" in v;

/** A fixture array (flat values, shape, dtype) as an edgejax Array. */
export function decode(e: Enc): Array {
  const vals = e.a.map((v) => (typeof v === "string" ? num(v) : v)) as (number | boolean)[];
  if (e.s.length === 0) return np.array(vals[0], e.d as never);
  const flat = np.array(vals as number[], e.d as never);
  return (e.s.length === 1 ? flat : lax.reshape(flat, e.s)) as Array;
}

export function caseName(c: Case): string {
  const o = Object.entries(c.opts)
    .map(([k, v]) => `${k}=${isEnc(v) ? `<${v.d}${JSON.stringify(v.s)}>` : JSON.stringify(v)}`)
    .join(" ");
  const q = c.q === undefined ? "" : ` q=${isEnc(c.q) ? JSON.stringify(c.q.a) : c.q}`;
  return `${c.fn} ${c.x.d}${JSON.stringify(c.x.s)}${q} ${o}`;
}

/** Runs np[fn](x, [q], opts) and compares with the reference (value, shape, dtype). */
export function runCase(c: Case): void {
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.opts)) opts[k] = isEnc(v) ? decode(v) : v;
  const x = decode(c.x);
  const f = (np as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
  expect(f, `np.${c.fn} exists`).toBeTypeOf("function");
  const args: unknown[] = [x];
  if (c.q !== undefined) args.push(isEnc(c.q) ? decode(c.q) : c.q);
  args.push(opts);
  const got = f(...args);
  const outs = globalThis.Array.isArray(c.out) ? c.out : [c.out];
  const gots = globalThis.Array.isArray(c.out) ? (got as Array[]) : [got as Array];
  expect(gots.length).toBe(outs.length);
  outs.forEach((o, i) => {
    expect(gots[i].weakType).toBe(false);
    expectArray(gots[i], o.a as never, { dtype: o.d, shape: o.s, rtol: c.tol[0], atol: c.tol[1] });
  });
}
