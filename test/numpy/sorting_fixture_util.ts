// Shared by the sorting test files: decoding test/numpy/fixtures/sorting.json (written by
// test/numpy/gen_sorting.py) and running one case against np.<fn> or lax.<fn>.
import { expect } from "vitest";
import { type Array, lax, numpy as np } from "../../ts/index.js";
import { expectArray, fixture, num } from "../helpers.js";

export interface Enc { a: (number | boolean | string)[]; s: number[]; d: string }
type Arg = Enc | number | boolean | string | null | Arg[];
export interface Case {
  fn: string;
  args: Arg[];
  opts: Record<string, Arg>;
  out: Enc | Enc[];
  tol: [number, number];
  note?: string;
  signedZeros?: boolean;
}

export const cases = fixture<{ cases: Case[] }>("numpy/fixtures/sorting.json").cases;

const isEnc = (v: unknown): v is Enc => typeof v === "object" && v !== null && "a" in v && "s" in v && "d" in v;

/** A fixture array (flat values, shape, dtype) as an edgejax Array. */
export function decode(e: Enc): Array {
  const vals = e.a.map((v) => (typeof v === "string" ? num(v) : v)) as number[];
  if (e.s.length === 0) return np.array(vals[0], e.d as never);
  const flat = np.array(vals, e.d as never);
  return (e.s.length === 1 ? flat : lax.reshape(flat, e.s)) as Array;
}

function decodeArg(v: Arg): unknown {
  if (isEnc(v)) return decode(v);
  if (globalThis.Array.isArray(v)) return v.map(decodeArg);
  return v;
}

const describeArg = (v: Arg): string =>
  isEnc(v) ? `${v.d}${JSON.stringify(v.s)}` : globalThis.Array.isArray(v) ? `[${v.map(describeArg).join(",")}]` : JSON.stringify(v);

export function caseName(c: Case, i: number): string {
  const o = Object.entries(c.opts).map(([k, v]) => `${k}=${describeArg(v)}`).join(" ");
  return `#${i} ${c.fn}(${c.args.map(describeArg).join(", ")}) ${o}${c.note ? ` — ${c.note}` : ""}`;
}

/** Runs the case's function and compares every output (dtype, shape, values, signs of zeros). */
export function runCase(c: Case): void {
  const f = (c.fn.startsWith("lax.") ? (lax as never)[c.fn.slice(4)] : (np as never)[c.fn]) as (...a: unknown[]) => unknown;
  expect(f, `${c.fn} exists`).toBeTypeOf("function");
  const args = c.args.map(decodeArg);
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.opts)) opts[k] = decodeArg(v);
  if (Object.keys(opts).length) {
    if (c.fn === "bincount") while (args.length < 3) args.push(undefined);
    args.push(opts);
  }
  const got = f(...args);
  const outs = globalThis.Array.isArray(c.out) ? c.out : [c.out];
  const gots = (globalThis.Array.isArray(c.out) ? got : [got]) as Array[];
  expect(gots.length).toBe(outs.length);
  outs.forEach((o, i) => {
    expectArray(gots[i], o.a as never, { dtype: o.d, shape: o.s, rtol: c.tol[0], atol: c.tol[1] });
    expect(gots[i].weakType).toBe(false);
    if (c.signedZeros) {
      const g = gots[i].dataSync();
      o.a.forEach((e, j) => {
        if (e === 0) expect(Object.is(g[j], e), `sign of zero at ${j}: got ${Object.is(g[j], -0) ? "-0" : "0"}`).toBe(true);
      });
    }
  });
}
