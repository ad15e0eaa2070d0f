// Checks for derivative and batching rules, shared by the transformation suites:
// - checkJvp: jvp against central differences, in float64 (x64 on) so that the difference
//   quotient is accurate to ~1e-9 (eps = 1e-6: truncation ~eps^2, rounding ~1e-16/eps).
// - checkVjp: the transpose identity <ct, J t> = <J^T ct, t> against jvp, which checks
//   reverse mode exactly up to rounding (and so, with checkJvp, against differences).
// - checkVmap: vmap(f) against stacking f over a loop of slices.
import { expect } from "vitest";
import { Array, config, jvp, numpy as np, vjp, vmap } from "../../ts/index.js";

type F = (...args: any[]) => any;

/** Runs fn with x64 on (float64 on the CPU), restoring the flag. */
export function withX64<T>(fn: () => T): T {
  const prev = config.read("jax_enable_x64");
  config.update("jax_enable_x64", true);
  try {
    return fn();
  } finally {
    config.update("jax_enable_x64", prev);
  }
}

/** A deterministic pseudo-random generator (tests must be repeatable). */
export function rng(seed = 1): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** An array of the shape with values uniform in [lo, hi) (float64 unless dtype given). */
export function randArray(shape: number[], lo = -1, hi = 1, seed = 1, dtype = "float64"): Array {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Float64Array.from({ length: n }, () => lo + (hi - lo) * r());
  return np.array(vals, dtype as any).reshape(shape);
}

const isFloatArr = (x: Array) => x.dtype === "float64" || x.dtype === "float32" || x.dtype === "float16";

function leaves(x: unknown): Array[] {
  if (x instanceof Array) return [x];
  if (globalThis.Array.isArray(x)) return x.flatMap(leaves);
  if (x && typeof x === "object") return Object.keys(x).sort().flatMap((k) => leaves((x as any)[k]));
  return [];
}

function toF64(x: Array): Float64Array {
  return Float64Array.from(x.dataSync() as ArrayLike<number>, Number);
}

function expectClose(got: Array[], want: Array[], rtol: number, atol: number, what: string): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.shape, `${what}: shape of output ${i}`).toEqual(want[i].shape);
    const a = toF64(g);
    const b = toF64(want[i]);
    for (let k = 0; k < a.length; k++) {
      const tol = atol + rtol * Math.abs(b[k]);
      if (a[k] !== b[k] && !(Math.abs(a[k] - b[k]) <= tol) && !(Number.isNaN(a[k]) && Number.isNaN(b[k]))) {
        expect.fail(`${what}: output ${i} element ${k}: got ${a[k]}, expected ${b[k]} (tolerance ${tol})`);
      }
    }
  });
}

/** Random tangents for the float args (zeros of the same dtype elsewhere; jvp ignores them). */
function tangentsFor(args: Array[], seed: number): Array[] {
  return args.map((a, i) => (isFloatArr(a) ? randArray(a.shape, -1, 1, seed + 17 * i, a.dtype) : np.zerosLike(a)));
}

/**
 * jvp of f at args (float64 arrays; others are held fixed) against central differences.
 * f returns an array or a (nested) list of arrays.
 */
export function checkJvp(f: F, args: Array[], opts: { eps?: number; rtol?: number; atol?: number; seed?: number } = {}): void {
  const { eps = 1e-6, rtol = 1e-6, atol = 1e-7, seed = 3 } = opts;
  withX64(() => {
    const ts = tangentsFor(args, seed);
    const [, tOut] = jvp(f, args, ts);
    const shifted = (s: number) => args.map((a, i) => (isFloatArr(a) ? a.add(ts[i].mul(s)) : a));
    const plus = leaves(f(...shifted(eps)));
    const minus = leaves(f(...shifted(-eps)));
    const fd = plus.map((p, i) => (isFloatArr(p) ? p.sub(minus[i]).div(2 * eps) : null));
    const got = leaves(tOut).filter((_, i) => fd[i] !== null);
    expectClose(got, fd.filter((x): x is Array => x !== null), rtol, atol, "jvp vs central differences");
  });
}

/** vjp of f at args against jvp: <ct, J t> = <J^T ct, t> for random t and ct. */
export function checkVjp(f: F, args: Array[], opts: { rtol?: number; atol?: number; seed?: number } = {}): void {
  const { rtol = 1e-9, atol = 1e-10, seed = 5 } = opts;
  withX64(() => {
    const ts = tangentsFor(args, seed);
    const [out, tOut] = jvp(f, args, ts);
    const outs = leaves(out);
    const cts = outs.map((o, i) => (isFloatArr(o) ? randArray(o.shape, -1, 1, seed + 31 * i, o.dtype) : np.zerosLike(o)));
    const [, pullback] = vjp(f, ...args);
    const ctTree = rebuild(out, cts);
    const inCts = leaves(pullback(ctTree));
    let lhs = 0;
    leaves(tOut).forEach((t, i) => {
      if (!isFloatArr(outs[i])) return;
      const a = toF64(t);
      const b = toF64(cts[i]);
      for (let k = 0; k < a.length; k++) lhs += a[k] * b[k];
    });
    let rhs = 0;
    let scaleSum = 0;
    args.forEach((a, i) => {
      if (!isFloatArr(a)) return;
      const g = toF64(inCts[i]);
      const t = toF64(ts[i]);
      for (let k = 0; k < g.length; k++) {
        rhs += g[k] * t[k];
        scaleSum += Math.abs(g[k] * t[k]);
      }
    });
    const tol = atol + rtol * Math.max(Math.abs(lhs), scaleSum);
    if (!(Math.abs(lhs - rhs) <= tol)) expect.fail(`vjp vs jvp: <ct, J t> = ${lhs} but <J^T ct, t> = ${rhs} (tolerance ${tol})`);
  });
}

/** Rebuilds `like`'s list structure with new leaves. */
function rebuild(like: unknown, ls: Array[]): unknown {
  let i = 0;
  const rec = (x: unknown): unknown => {
    if (x instanceof Array) return ls[i++];
    if (globalThis.Array.isArray(x)) return x.map(rec);
    if (x && typeof x === "object") {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) o[k] = rec((x as any)[k]);
      return o;
    }
    return x;
  };
  return rec(like);
}

/** Both derivative checks. */
export function checkGrads(f: F, args: Array[], opts: { rtol?: number; atol?: number; eps?: number } = {}): void {
  checkJvp(f, args, opts);
  checkVjp(f, args);
}

/**
 * vmap(f, {inAxes, outAxes: 0}) against a loop of f over slices of the mapped arguments,
 * stacked along axis 0. Exact equality by default (the same kernels run either way) unless
 * a tolerance is given.
 */
export function checkVmap(f: F, args: Array[], inAxes: (number | null)[], opts: { rtol?: number; atol?: number } = {}): void {
  const { rtol = 0, atol = 0 } = opts;
  const n = args.find((a, i) => inAxes[i] !== null)!.shape[inAxes.find((d) => d !== null)!];
  const batched = leaves(vmap(f, { inAxes })(...args));
  const per: Array[][] = [];
  for (let b = 0; b < n; b++) {
    const slice = args.map((a, i) => (inAxes[i] === null ? a : np.take(a, b, { axis: inAxes[i]! })));
    per.push(leaves(f(...slice)));
  }
  const stacked = per[0].map((_, j) => np.stack(per.map((p) => p[j])));
  expectClose(batched, stacked, rtol, atol, "vmap vs loop");
}

/** Elementwise closeness with a tolerance relative to the reference's largest value (at least 1). */
export function expectCloseScaled(got: Array, want: Array, rtol: number): void {
  expect(got.shape).toEqual(want.shape);
  const a = globalThis.Array.from(got.dataSync() as ArrayLike<number>, Number);
  const b = globalThis.Array.from(want.dataSync() as ArrayLike<number>, Number);
  const scale = Math.max(1, ...b.map(Math.abs));
  a.forEach((v, i) => expect(Math.abs(v - b[i]), `element ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(rtol * scale));
}
