// np.pad with NumPy's modes: constant (per-side values), edge, wrap, reflect and symmetric
// (even / odd), linear_ramp, maximum, minimum, mean, empty. Compositions of lax.pad, slices,
// rev, broadcasts and concatenate, one axis at a time (as JAX does).
import type { ArrayBase } from "../array/base.js";
import { isFloat, isInteger, type DType } from "../array/dtype.js";
import { bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import { reduce_max_p, reduce_min_p, reduce_sum_p } from "../lax/reduce.js";
import { pad_p } from "../lax/structural.js";
import { arg } from "./convert.js";
import { linspace } from "./creation.js";
import {
  bcastTo, concat, cvt, describe, div, full, isArray, isPlainObject, mul, range, reshape, rev, sliceAxis, sub,
} from "./shape_helpers.js";

type X = ArrayBase | number | boolean;
type PairsLike = number | number[] | number[][] | ArrayBase;

export type PadMode = "constant" | "edge" | "wrap" | "reflect" | "symmetric" | "linear_ramp" | "maximum" | "minimum" | "mean" | "empty";

export interface PadOptions {
  mode?: PadMode;
  /** mode "constant": a scalar, [before, after], or one pair per axis. */
  constantValues?: X | X[] | X[][];
  /** modes "reflect" / "symmetric": "even" (default) or "odd". */
  reflectType?: "even" | "odd";
  /** mode "linear_ramp": the end values (scalar, pair or one pair per axis). */
  endValues?: number | number[] | number[][];
  /** modes "maximum" / "minimum" / "mean": how many edge values the statistic uses. */
  statLength?: number | number[] | number[][] | null;
}

/** NumPy's pad_width forms: n, [n], [before, after], [[before, after]], one pair per axis. */
function toPairs(fn: string, name: string, v: unknown, nd: number): [number, number][] {
  let val = v;
  if (isArray(val)) val = (val as ArrayBase).tolist();
  const bad = () => new TypeError(`${fn}: ${name} must be an integer, a pair, or one pair per axis (${nd}), got ${describe(v)}`);
  const num = (x: unknown): number => {
    if (typeof x !== "number" || !Number.isFinite(x)) throw bad();
    return x;
  };
  if (typeof val === "number") return range(nd).map(() => [num(val), num(val)]);
  if (!globalThis.Array.isArray(val)) throw bad();
  if (val.length === 1 && !globalThis.Array.isArray(val[0])) return range(nd).map(() => [num(val[0]), num(val[0])]);
  if (val.length === 2 && !globalThis.Array.isArray(val[0])) return range(nd).map(() => [num(val[0]), num(val[1])]);
  if (val.every((p) => globalThis.Array.isArray(p) && p.length === 2)) {
    if (val.length === 1) return range(nd).map(() => [num(val[0][0]), num(val[0][1])]);
    if (val.length === nd) return val.map((p) => [num(p[0]), num(p[1])]);
  }
  throw bad();
}

function checkNoPadding(fn: string, p: [number, number], mode: string): void {
  if (p[0] > 0 || p[1] > 0) throw new RangeError(`${fn}: cannot apply "${mode}" padding to an empty axis`);
}

function padConstant(x: ArrayBase, widths: [number, number][], cv: unknown): ArrayBase {
  const fn = "pad";
  const nd = x.shape.length;
  const value = (v: unknown): ArrayBase => cvt(arg(fn, v as X), x.dtype, x.weakType);
  const lpad = (y: ArrayBase, v: ArrayBase, cfg: [number, number, number][]) => bind1(pad_p, [y, v], { paddingConfig: cfg });
  if (!globalThis.Array.isArray(cv) && !(isArray(cv) && cv.shape.length > 0)) {
    return lpad(x, value(cv ?? 0), widths.map(([l, h]) => [l, h, 0]));
  }
  const pairs: unknown[][] = isArray(cv)
    ? toValuePairs(fn, (cv as ArrayBase).tolist() as unknown[], nd)
    : toValuePairs(fn, cv as unknown[], nd);
  let y = x;
  for (let i = 0; i < nd; i++) {
    const cfg: [number, number, number][] = range(nd).map(() => [0, 0, 0]);
    if (widths[i][0] !== 0) {
      cfg[i] = [widths[i][0], 0, 0];
      y = lpad(y, value(pairs[i][0]), cfg);
    }
    if (widths[i][1] !== 0) {
      cfg[i] = [0, widths[i][1], 0];
      y = lpad(y, value(pairs[i][1]), cfg);
    }
  }
  return y;
}

function toValuePairs(fn: string, v: unknown[], nd: number): unknown[][] {
  if (v.length === 1 && !globalThis.Array.isArray(v[0])) return range(nd).map(() => [v[0], v[0]]);
  if (v.length === 2 && !globalThis.Array.isArray(v[0])) return range(nd).map(() => [v[0], v[1]]);
  if (v.every((p) => globalThis.Array.isArray(p) && (p.length === 2 || p.length === 1))) {
    const pr = (p: unknown[]) => (p.length === 1 ? [p[0], p[0]] : p);
    if (v.length === 1) return range(nd).map(() => pr(v[0] as unknown[]));
    if (v.length === nd) return v.map((p) => pr(p as unknown[]));
  }
  throw new TypeError(`${fn}: constantValues must be a scalar, a pair, or one pair per axis (${nd}), got ${JSON.stringify(v)}`);
}

function padWrap(x: ArrayBase, widths: [number, number][]): ArrayBase {
  let y = x;
  for (let i = 0; i < y.shape.length; i++) {
    const size = y.shape[i];
    if (size === 0) {
      checkNoPadding("pad", widths[i], "wrap");
      continue;
    }
    const [lo, hi] = widths[i];
    const lr = Math.floor(lo / size);
    const lrem = lo % size;
    const rr = Math.floor(hi / size);
    const rrem = hi % size;
    const parts: ArrayBase[] = [];
    if (lrem > 0) parts.push(sliceAxis(y, i, size - lrem, size));
    for (let k = 0; k < lr + rr + 1; k++) parts.push(y);
    if (rrem > 0) parts.push(sliceAxis(y, i, 0, rrem));
    y = concat(parts, i);
  }
  return y;
}

function padReflect(x: ArrayBase, widths: [number, number][], mode: "reflect" | "symmetric", type: "even" | "odd"): ArrayBase {
  let y = x;
  for (let i = 0; i < y.shape.length; i++) {
    const size = y.shape[i];
    if (size === 0) {
      checkNoPadding("pad", widths[i], mode);
      continue;
    }
    if (widths[i][0] === 0 && widths[i][1] === 0) continue;
    const offset = mode === "reflect" && size > 1 ? 1 : 0;
    const build = (arr: ArrayBase, padding: number, before: boolean): ArrayBase => {
      let edge = before ? sliceAxis(arr, i, 0, 1) : sliceAxis(arr, i, arr.shape[i] - 1, arr.shape[i]);
      let a = arr;
      while (padding > 0) {
        const cur = Math.min(padding, size - offset);
        padding -= cur;
        const n = a.shape[i];
        // Python slices a[offset:offset+cur] / a[-(cur+offset):stop] with stop -1 for reflect.
        let part = before
          ? sliceAxis(a, i, offset, offset + cur)
          : sliceAxis(a, i, n - (cur + offset), mode === "symmetric" || size === 1 ? n : n - 1);
        part = rev(part, [i]);
        if (type === "odd") {
          const e = bcastTo(edge, part.shape);
          part = sub(mul(full(part.shape, 2, part.dtype, part.weakType), e), part);
          if (size > 1) edge = before ? sliceAxis(part, i, 0, 1) : sliceAxis(part, i, part.shape[i] - 1, part.shape[i]);
        }
        a = before ? concat([part, a], i) : concat([a, part], i);
      }
      return a;
    };
    y = build(y, widths[i][0], true);
    y = build(y, widths[i][1], false);
  }
  return y;
}

/** Repeats a size-1 slice along axis i n times (a broadcast). */
function repeatEdge(e: ArrayBase, i: number, n: number): ArrayBase {
  const shape = e.shape.slice();
  shape[i] = n;
  return bcastTo(e, shape);
}

function padEdge(x: ArrayBase, widths: [number, number][]): ArrayBase {
  let y = x;
  for (let i = 0; i < y.shape.length; i++) {
    const n = y.shape[i];
    if (n === 0) {
      checkNoPadding("pad", widths[i], "edge");
      continue;
    }
    const [lo, hi] = widths[i];
    const parts: ArrayBase[] = [];
    if (lo > 0) parts.push(repeatEdge(sliceAxis(y, i, 0, 1), i, lo));
    parts.push(y);
    if (hi > 0) parts.push(repeatEdge(sliceAxis(y, i, n - 1, n), i, hi));
    y = concat(parts, i);
  }
  return y;
}

function padLinearRamp(x: ArrayBase, widths: [number, number][], ends: [number, number][]): ArrayBase {
  let y = x;
  for (let i = 0; i < y.shape.length; i++) {
    const n = y.shape[i];
    const sq = (e: ArrayBase) => reshape(e, e.shape.filter((_, k) => k !== i));
    const ramp = (end: number, edge: ArrayBase, num: number): ArrayBase => {
      const r = linspace(end, sq(edge), num, { endpoint: false, dtype: y.dtype, axis: i }) as ArrayBase;
      return cvt(r, y.dtype, y.weakType);
    };
    const [lo, hi] = widths[i];
    if (n === 0) {
      checkNoPadding("pad", widths[i], "linear_ramp");
      continue;
    }
    const before = ramp(ends[i][0], sliceAxis(y, i, 0, 1), lo);
    const after = rev(ramp(ends[i][1], sliceAxis(y, i, n - 1, n), hi), [i]);
    y = concat([before, y, after], i);
  }
  return y;
}

function padStats(x: ArrayBase, widths: [number, number][], statLength: [number, number][] | null, mode: "maximum" | "minimum" | "mean"): ArrayBase {
  const fn = "pad";
  let y = x;
  const stat = (s: ArrayBase, i: number): ArrayBase => {
    const keep = s.shape.map((d, k) => (k === i ? 1 : d));
    if (mode === "maximum" || mode === "minimum") {
      if (s.shape[i] === 0) throw new RangeError(`${fn}: mode "${mode}" needs a non-empty axis ${i}`);
      return reshape(bind1(mode === "maximum" ? reduce_max_p : reduce_min_p, [s], { axes: [i] }), keep);
    }
    const fd: DType = isFloat(s.dtype) ? (s.dtype === "float16" ? "float32" : s.dtype) : "float32";
    const total = bind1(reduce_sum_p, [cvt(s, fd)], { axes: [i] });
    let m = reshape(div(total, full(total.shape, s.shape[i], fd)), keep);
    // Integer results are rounded (half to even), as NumPy and JAX do.
    if (isInteger(x.dtype)) m = bind1(E.round_even_p, [m], {});
    return m;
  };
  for (let i = 0; i < y.shape.length; i++) {
    const n = y.shape[i];
    let sb: ArrayBase;
    let sa: ArrayBase;
    if (!statLength) {
      sb = sa = stat(y, i);
    } else {
      let [lb, la] = statLength[i];
      if (lb === 0 || la === 0) throw new RangeError(`${fn}: a statLength of 0 yields no value for padding`);
      lb = Math.min(lb, n);
      la = Math.min(la, n);
      sb = stat(sliceAxis(y, i, 0, lb), i);
      sa = stat(sliceAxis(y, i, n - la, n), i);
    }
    sb = cvt(sb, y.dtype, y.weakType);
    sa = cvt(sa, y.dtype, y.weakType);
    const [lo, hi] = widths[i];
    y = concat([repeatEdge(sb, i, lo), y, repeatEdge(sa, i, hi)], i);
  }
  return y;
}

/**
 * np.pad(array, padWidth, mode = "constant", { constantValues, reflectType, endValues,
 * statLength }); the mode may also be given in the options object.
 */
export function pad(array: X, padWidth: PairsLike, mode?: PadMode | PadOptions, opts: PadOptions = {}): ArrayBase {
  const fn = "pad";
  const o: PadOptions = { ...(isPlainObject(mode) ? (mode as PadOptions) : { mode: mode as PadMode | undefined }), ...opts };
  const m = o.mode ?? "constant";
  const x = arg(fn, array);
  const nd = x.shape.length;
  const widths = toPairs(fn, "padWidth", padWidth, nd);
  if (widths.some(([a, b]) => !Number.isInteger(a) || !Number.isInteger(b))) throw new TypeError(`${fn}: padWidth must be integers`);
  if (widths.some(([a, b]) => a < 0 || b < 0)) throw new RangeError(`${fn}: padWidth cannot contain negative values, got ${JSON.stringify(widths)}`);
  const allowed: Record<string, (keyof PadOptions)[]> = {
    constant: ["constantValues"], edge: [], wrap: [], empty: [], reflect: ["reflectType"], symmetric: ["reflectType"],
    linear_ramp: ["endValues"], maximum: ["statLength"], minimum: ["statLength"], mean: ["statLength"],
  };
  if (!(m in allowed)) {
    throw new TypeError(`${fn}: unimplemented padding mode ${JSON.stringify(m)}; use one of ${Object.keys(allowed).join(", ")}`);
  }
  for (const k of ["constantValues", "reflectType", "endValues", "statLength"] as const) {
    if (o[k] !== undefined && !allowed[m].includes(k)) throw new TypeError(`${fn}: option ${k} does not apply to mode "${m}"`);
  }
  if (nd === 0) return x;
  switch (m) {
    case "constant":
      return padConstant(x, widths, o.constantValues ?? 0);
    case "empty":
      return padConstant(x, widths, 0);
    case "wrap":
      return padWrap(x, widths);
    case "reflect":
    case "symmetric": {
      const t = o.reflectType ?? "even";
      if (t !== "even" && t !== "odd") throw new TypeError(`${fn}: reflectType must be "even" or "odd", got ${JSON.stringify(t)}`);
      return padReflect(x, widths, m, t);
    }
    case "edge":
      return padEdge(x, widths);
    case "linear_ramp":
      return padLinearRamp(x, widths, toPairs(fn, "endValues", o.endValues ?? 0, nd));
    default: {
      const sl = o.statLength === undefined || o.statLength === null ? null : toPairs(fn, "statLength", o.statLength, nd);
      return padStats(x, widths, sl, m as "maximum" | "minimum" | "mean");
    }
  }
}

