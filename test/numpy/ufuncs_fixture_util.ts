// Runs the cases of test/numpy/fixtures/ufuncs_*.json (written by gen_ufuncs.py): builds the
// inputs, calls np[fn](...inputs, kwargs?) and compares every output with expectArray.
import { expect } from "vitest";
import { numpy as np, type Array } from "../../ts/index.js";
import { f16BitsToF32, f32ToF16Bits } from "../../ts/array/dtype.js";
import { expectArray, fixture, num } from "../helpers.js";

type Nested = number | boolean | string | Nested[];
export interface Spec {
  dtype: string;
  shape: number[];
  data: Nested;
}
export interface Case {
  fn: string;
  args: Spec[];
  kwargs?: Record<string, unknown>;
  out: Spec | Spec[];
  rtol?: number;
  atol?: number;
  note?: string;
}

export function loadCases(name: string): Case[] {
  return fixture<{ cases: Case[] }>(`numpy/fixtures/${name}`).cases;
}

function decode(v: Nested): Nested {
  if (globalThis.Array.isArray(v)) return v.map(decode);
  return typeof v === "string" ? num(v) : v;
}

/** Expected values rounded to the output dtype (fixtures store 9 significant digits). */
function roundTo(v: Nested, dtype: string): Nested {
  if (globalThis.Array.isArray(v)) return v.map((e) => roundTo(e, dtype));
  const x = typeof v === "string" ? num(v) : v;
  if (typeof x !== "number") return x;
  if (dtype === "float32") return Math.fround(x);
  if (dtype === "float16") return f16BitsToF32(f32ToF16Bits(x));
  return x;
}

export function input(s: Spec): Array {
  return np.array(decode(s.data) as never, s.dtype);
}

/** A short label: "floorDivide int8 x int8". */
export function label(c: Case): string {
  const kw = c.kwargs ? ` ${JSON.stringify(c.kwargs)}` : "";
  return `${c.fn} ${c.args.map((a) => a.dtype).join(" x ")}${kw}`;
}

export function runCase(c: Case): void {
  const f = (np as unknown as Record<string, (...a: unknown[]) => unknown>)[c.fn];
  expect(typeof f, `np.${c.fn} exists`).toBe("function");
  const args = c.args.map(input);
  const res = c.kwargs ? f(...args, c.kwargs) : f(...args);
  const outs = globalThis.Array.isArray(c.out) ? c.out : [c.out];
  const got = (globalThis.Array.isArray(c.out) ? res : [res]) as Array[];
  expect(got.length).toBe(outs.length);
  outs.forEach((o, i) => {
    try {
      expectArray(got[i], roundTo(o.data, o.dtype) as never, { dtype: o.dtype, shape: o.shape, rtol: c.rtol ?? 0, atol: c.atol ?? 0 });
    } catch (e) {
      const inputs = c.args.map((a) => JSON.stringify(a.data)).join(" ; ");
      throw new Error(`${label(c)} output ${i}: ${(e as Error).message}\n  inputs: ${inputs}${c.note ? `\n  note: ${c.note}` : ""}`);
    }
  });
}
