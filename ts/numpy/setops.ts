// jax.numpy set operations: unique (and the array-API uniqueValues/Counts/Inverse/All),
// isin, intersect1d, union1d, setdiff1d, setxor1d.
//
// Output sizes: without `size`, the length of the result depends on the values, which JAX
// allows only outside jit (the values are read on the host; under a transformation these
// functions throw and ask for `size`). With `size` (and `fillValue`) the shape is static and
// they trace; results are truncated or padded as JAX documents.
//
// Everything is built on stable sorts: `x[nonzero(mask, size)]` becomes a sort keyed on
// `!mask` (sortutil.compact), and the scatter of unique's inverse becomes a sort by the
// permutation, so no gather or scatter is needed.
import type { ArrayBase } from "../array/base.js";
import { isFloat } from "../array/dtype.js";
import { normalizeAxis } from "../array/shape.js";
import { searchsorted_p } from "../lax/search.js";
import { bind1 } from "../core/trace.js";
import { tidy } from "../runtime/memory.js";
import { arg } from "./convert.js";
import { promoteArgs } from "./promote.js";
import {
  and, bcast, cast, compact, concat, concreteInt, countAll, cumsum0, elem, eq, full, gt, iota, isnan,
  lt, moveAxis, ne, not, or, ravel, reduceAnd, reduceMax, reduceMin, reduceOr, requireConcrete, reshape, select, sliceAxis,
  sortOps, staticInt, sub, type A,
} from "./sortutil.js";

type X = ArrayBase | number | boolean;

const SIZE_HINT = "pass a static `size` (and `fillValue`) to fix the output length";

export interface UniqueOptions {
  returnIndex?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  /** null (default) flattens; an integer finds unique slices along that axis. */
  axis?: number | null;
  /** Treat NaNs as equal (default true; the array-API variants use false). */
  equalNan?: boolean;
  /** Static output length (pads or truncates); needed under jit. */
  size?: number | null;
  /** Padding value when size exceeds the number of unique values (default: the minimum). */
  fillValue?: X | null;
  sorted?: boolean;
}

/** The columns of x ([n, ...rest]) as m arrays of length n. */
function columns(x: A): A[] {
  const n = x.shape[0];
  const m = x.size / Math.max(n, 1);
  if (x.shape.length === 1) return [x];
  const flat = reshape(x, [n, m]);
  return globalThis.Array.from({ length: m }, (_, j) => reshape(sliceAxis(flat, 1, j, j + 1), [n]));
}

interface Sorted {
  /** The rows sorted lexicographically, as m columns of length n. */
  cols: A[];
  /** The stable permutation that sorts them. */
  perm: A;
  /** mask[i]: sorted row i is the first of its group of equal rows. */
  mask: A;
  /** The number of unique rows (int32, 0-d). */
  count: A;
}

/** Lexicographic stable sort of x's rows ([n, ...rest], n >= 1) and first-occurrence marks. */
function uniqueSort(x: A, equalNan: boolean): Sorted {
  const n = x.shape[0];
  const cs = columns(x);
  const m = cs.length;
  const sorted = sortOps([...cs, iota("int32", [n])], 0, m);
  const cols = sorted.slice(0, m);
  let diff: A | undefined;
  for (const c of cols) {
    const a = sliceAxis(c, 0, 1, n);
    const b = sliceAxis(c, 0, 0, n - 1);
    let d = ne(a, b);
    if (equalNan && isFloat(c.dtype)) d = and(d, not(and(isnan(a), isnan(b))));
    diff = diff ? or(diff, d) : d;
  }
  const mask = concat([full(true, "bool", [1]), diff!], 0);
  return { cols, perm: sorted[m], mask, count: countAll(mask) };
}

/**
 * The unique rows first (length `length`), with JAX's padding: values `fill` (default the
 * first sorted row, i.e. the minimum), first-occurrence indices perm[0], sorted positions n.
 */
function uniqueCompact(s: Sorted, length: number, fill: A | null): { cols: A[]; index: A; pos: A } {
  const n = s.perm.shape[0];
  const m = s.cols.length;
  const fills = s.cols.map((c) => (fill ? cast(fill, c.dtype) : elem(c, 0)));
  const out = compact(s.mask, [...s.cols, s.perm, iota("int32", [n])], length, s.count, [...fills, elem(s.perm, 0), full(n, "int32")]);
  return { cols: out.slice(0, m), index: out[m], pos: out[m + 1] };
}

/** Inverse indices: each row's group number, back in the original order. */
function uniqueInverseOf(s: Sorted): A {
  const n = s.perm.shape[0];
  const groups = sub(cumsum0(s.mask), full(1, "int32", [n]));
  return sortOps([s.perm, groups], 0)[1];
}

/**
 * np.unique(ar, { returnIndex, returnInverse, returnCounts, axis = null, equalNan = true,
 * size, fillValue }): the sorted unique values (or slices along `axis`). Returns the array
 * alone, or [values, index?, inverse?, counts?] when any return flag is set (JAX's order).
 *
 * Without `size` the result length depends on the values: allowed outside jit only. With
 * `size`, the result has that length: padded with `fillValue` (default: the minimum value),
 * indices padded with the index of the minimum, counts with 0 — JAX's documented padding.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function unique(ar: X, opts: UniqueOptions = {}): any {
  const fn = "unique";
  const size = opts.size === undefined || opts.size === null ? null : staticInt(fn, "size", opts.size);
  const res = tidy(() => {
    const x0 = arg(fn, ar);
    if (size === null) requireConcrete(fn, x0, SIZE_HINT);
    return uniqueImpl(fn, x0, opts, size);
  });
  return res.length === 1 ? res[0] : res;
}

function uniqueImpl(fn: string, x0: A, opts: UniqueOptions, size: number | null): A[] {
  const flatten = opts.axis === undefined || opts.axis === null;
  const axis = flatten ? 0 : normalizeAxis(fn, opts.axis!, x0.shape.length);
  const arr = flatten ? ravel(x0) : x0;
  const aux = moveAxis(arr, axis, 0);
  const n = aux.shape[0];
  const rest = aux.shape.slice(1);
  const m = rest.reduce((p, d) => p * d, 1);
  const fill = opts.fillValue === undefined || opts.fillValue === null ? null : arg(fn, opts.fillValue);
  if (fill && fill.shape.length !== 0) throw new TypeError(`${fn}: fillValue must be a scalar, got shape [${fill.shape}]`);
  const outs: A[] = [];
  if (n === 0 || m === 0) {
    // Degenerate inputs, as JAX handles them.
    let values: A;
    if (n === 0 && size) {
      if (!fill) throw new TypeError(`${fn}: for a zero-sized input with a nonzero size, fillValue must be given`);
      values = bcast(cast(fill, aux.dtype), [size, ...rest]);
    } else values = n === 0 ? aux : reshape(sliceAxis(aux, 0, 0, 1), [1, ...rest]);
    outs.push(moveAxis(values, 0, axis));
    if (opts.returnIndex) outs.push(n === 0 ? full(0, "int32", [0]) : full(0, "int32", [1]));
    if (opts.returnInverse) outs.push(reshape(full(0, "int32", [n]), flatten ? x0.shape : [n]));
    if (opts.returnCounts) outs.push(n === 0 ? full(0, "int32", [0]) : full(n, "int32", [1]));
    return outs;
  }
  const s = uniqueSort(aux, opts.equalNan ?? true);
  const L = size ?? concreteInt(fn, s.count, SIZE_HINT);
  // Compact one longer than L: counts need the position after the last value.
  const c = uniqueCompact(s, L + 1, fill);
  const cols = c.cols.map((col) => sliceAxis(col, 0, 0, L));
  const vals = cols.length === 1 ? reshape(cols[0], [L, ...rest]) : reshape(concat(cols.map((col) => reshape(col, [L, 1])), 1), [L, ...rest]);
  outs.push(moveAxis(vals, 0, axis));
  if (opts.returnIndex) outs.push(sliceAxis(c.index, 0, 0, L));
  if (opts.returnInverse) {
    const inv = uniqueInverseOf(s);
    outs.push(flatten ? reshape(inv, x0.shape) : inv);
  }
  // counts[i] = pos[i + 1] - pos[i]; positions past the last value are n.
  if (opts.returnCounts) outs.push(sub(sliceAxis(c.pos, 0, 1, L + 1), sliceAxis(c.pos, 0, 0, L)));
  return outs;
}

type Named<T extends Record<string, A>> = A[] & T;
const named = <T extends Record<string, A>>(list: A[], fields: T): Named<T> => Object.assign(list, fields);

/** Array-API unique_values: the sorted unique values (NaNs are not merged). */
export function uniqueValues(x: X, opts: { size?: number | null; fillValue?: X | null } = {}): ArrayBase {
  return unique(x, { equalNan: false, size: opts.size, fillValue: opts.fillValue });
}

/** Array-API unique_counts: [values, counts], also as `.values` / `.counts`. */
export function uniqueCounts(x: X, opts: { size?: number | null; fillValue?: X | null } = {}): Named<{ values: A; counts: A }> {
  const [values, counts] = unique(x, { returnCounts: true, equalNan: false, size: opts.size, fillValue: opts.fillValue });
  return named([values, counts], { values, counts });
}

/** Array-API unique_inverse: [values, inverseIndices] (inverse has x's shape). */
export function uniqueInverse(x: X, opts: { size?: number | null; fillValue?: X | null } = {}): Named<{ values: A; inverseIndices: A }> {
  const [values, inverseIndices] = unique(x, { returnInverse: true, equalNan: false, size: opts.size, fillValue: opts.fillValue });
  return named([values, inverseIndices], { values, inverseIndices });
}

/** Array-API unique_all: [values, indices, inverseIndices, counts], also as fields. */
export function uniqueAll(
  x: X,
  opts: { size?: number | null; fillValue?: X | null } = {},
): Named<{ values: A; indices: A; inverseIndices: A; counts: A }> {
  const [values, indices, inverseIndices, counts] = unique(x, {
    returnIndex: true, returnInverse: true, returnCounts: true, equalNan: false, size: opts.size, fillValue: opts.fillValue,
  });
  return named([values, indices, inverseIndices, counts], { values, indices, inverseIndices, counts });
}

/** Membership of each e in t (both 1-D, one dtype), without the final reshape. */
function in1d(e: A, t: A, invert: boolean, method: string): A {
  const n = e.shape[0];
  const m = t.shape[0];
  if (n === 0 || m === 0) return full(invert, "bool", [n]);
  if (method === "compare_all" || (method === "auto" && n * m <= 1 << 20)) {
    const eb = bcast(reshape(e, [n, 1]), [n, m]);
    const tb = bcast(reshape(t, [1, m]), [n, m]);
    return invert ? reduceAnd(ne(eb, tb), [1]) : reduceOr(eq(eb, tb), [1]);
  }
  // Binary search in the sorted test values: found where the equal range is non-empty.
  // The sort's order makes NaNs equal to each other, `==` does not: NaNs are never found.
  const [ts] = sortOps([t], 0);
  const l = bind1(searchsorted_p, [ts, e], { side: "left" });
  const r = bind1(searchsorted_p, [ts, e], { side: "right" });
  let found = gt(r, l);
  if (isFloat(e.dtype)) found = and(found, not(isnan(e)));
  return invert ? not(found) : found;
}

/**
 * np.isin(element, testElements, { assumeUnique, invert, method = "auto" }): whether each
 * element is in testElements (compared with ==, so NaN is never found), shaped like element.
 * "auto" compares all pairs for small inputs and binary-searches sorted test values
 * otherwise ("compare_all", "binary_search", "sort" choose explicitly); all give one result.
 */
export function isin(
  element: X,
  testElements: X,
  opts: { assumeUnique?: boolean; invert?: boolean; method?: "auto" | "compare_all" | "binary_search" | "sort" } = {},
): ArrayBase {
  const fn = "isin";
  const method = opts.method ?? "auto";
  if (!["auto", "compare_all", "binary_search", "sort"].includes(method)) {
    throw new TypeError(`${fn}: method must be "auto", "compare_all", "binary_search" or "sort", got ${JSON.stringify(method)}`);
  }
  return tidy(() => {
    const [e, t] = promoteArgs(fn, [element, testElements]);
    return reshape(in1d(ravel(e), ravel(t), !!opts.invert, method), e.shape);
  });
}

/** Unique sorted values of a 1-D array padded to its length, and how many are valid. */
function uniqueSized(x: A): { vals: A; index: A; count: A } {
  const n = x.shape[0];
  if (n === 0) return { vals: x, index: full(0, "int32", [0]), count: full(0, "int32") };
  const s = uniqueSort(x, true);
  const c = uniqueCompact(s, n, null);
  return { vals: c.cols[0], index: c.index, count: s.count };
}

/** Result length: the static size, or the concrete count (eager only). */
function resultLength(fn: string, size: number | null, count: A): number {
  return size === null ? concreteInt(fn, count, SIZE_HINT) : size;
}

/**
 * JAX's default padding of sized set results, literally: invalid entries first become the max
 * of (valid values and zeros), then everything's min. That is the smallest result, 0 when
 * there is none, and NaN when a NaN is among the results (max/min propagate it).
 */
function jaxPadMin(vals: A, valid: A): A {
  const L = vals.shape[0];
  const mx = reduceMax(select(valid, vals, full(0, vals.dtype)));
  return reduceMin(select(valid, vals, bcast(mx, [L])));
}

/**
 * np.intersect1d(ar1, ar2, { assumeUnique, returnIndices, size, fillValue }): the sorted
 * values in both (flattened). returnIndices: also the indices of their first occurrences in
 * each input. With `size`, values are padded with fillValue (default: the smallest result,
 * or 0), indices with the inputs' lengths, as JAX does.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function intersect1d(ar1: X, ar2: X, opts: { assumeUnique?: boolean; returnIndices?: boolean; size?: number | null; fillValue?: X | null } = {}): any {
  const fn = "intersect1d";
  const size = opts.size === undefined || opts.size === null ? null : staticInt(fn, "size", opts.size);
  const res = tidy(() => {
    const [p1, p2] = promoteArgs(fn, [ar1, ar2]);
    if (size === null) requireConcrete(fn, p1, SIZE_HINT), requireConcrete(fn, p2, SIZE_HINT);
    const a1 = ravel(p1);
    const a2 = ravel(p2);
    const n1 = a1.shape[0];
    const n2 = a2.shape[0];
    let v1 = a1, i1 = iota("int32", [n1]), c1 = full(n1, "int32");
    let v2 = a2, i2 = iota("int32", [n2]), c2 = full(n2, "int32");
    if (!opts.assumeUnique) {
      ({ vals: v1, index: i1, count: c1 } = uniqueSized(a1));
      ({ vals: v2, index: i2, count: c2 } = uniqueSized(a2));
    }
    const N = n1 + n2;
    const dt = a1.dtype;
    if (N === 0) {
      const L = size ?? 0;
      const vals = bcast(opts.fillValue != null ? cast(arg(fn, opts.fillValue), dt) : full(0, dt), [L]);
      return opts.returnIndices ? [vals, full(n1, "int32", [L]), full(n2, "int32", [L])] : [vals];
    }
    // Valid entries first, by value; ties keep ar1's entry before ar2's (stable).
    const valid = concat([lt(iota("int32", [n1]), bcast(c1, [n1])), lt(iota("int32", [n2]), bcast(c2, [n2]))], 0);
    const [sv, aux, ai] = sortOps([not(valid), concat([v1, v2], 0), concat([i1, i2], 0)], 0, 2);
    const head = (y: A) => sliceAxis(y, 0, 0, N - 1);
    const tail = (y: A) => sliceAxis(y, 0, 1, N);
    const mask = and(eq(tail(aux), head(aux)), not(tail(sv)));
    const count = countAll(mask);
    const L = resultLength(fn, size, count);
    const [vals, idx1, idx2] = compact(mask, [head(aux), head(ai), tail(ai)], L, count, [full(0, dt), full(n1, "int32"), full(n2, "int32")]);
    const ok = lt(iota("int32", [L]), bcast(count, [L]));
    const fillv = opts.fillValue != null ? cast(arg(fn, opts.fillValue), dt) : jaxPadMin(vals, ok);
    const out = select(ok, vals, fillv);
    return opts.returnIndices ? [out, idx1, idx2] : [out];
  });
  return res.length === 1 ? res[0] : res;
}

/**
 * np.union1d(ar1, ar2, { size, fillValue }): the sorted unique values of both (flattened);
 * unique's padding rules with `size`.
 */
export function union1d(ar1: X, ar2: X, opts: { size?: number | null; fillValue?: X | null } = {}): ArrayBase {
  const fn = "union1d";
  return tidy(() => {
    const [a1, a2] = promoteArgs(fn, [ar1, ar2]);
    return unique(concat([ravel(a1), ravel(a2)], 0), { size: opts.size, fillValue: opts.fillValue });
  });
}

/**
 * np.setdiff1d(ar1, ar2, { assumeUnique, size, fillValue = 0 }): the unique values of ar1
 * not in ar2, sorted (in ar1's order with assumeUnique). With `size`, padded with fillValue.
 */
export function setdiff1d(ar1: X, ar2: X, opts: { assumeUnique?: boolean; size?: number | null; fillValue?: X | null } = {}): ArrayBase {
  const fn = "setdiff1d";
  const size = opts.size === undefined || opts.size === null ? null : staticInt(fn, "size", opts.size);
  return tidy(() => {
    const a1 = ravel(arg(fn, ar1));
    const a2 = ravel(arg(fn, ar2));
    if (size === null) requireConcrete(fn, a1, SIZE_HINT);
    const dt = a1.dtype;
    const fillv = cast(opts.fillValue != null ? arg(fn, opts.fillValue) : full(0, dt), dt);
    const n = a1.shape[0];
    if (n === 0) return bcast(fillv, [size ?? 0]);
    let cand = a1;
    let valid: A = full(true, "bool", [n]);
    if (!opts.assumeUnique) {
      const u = uniqueSized(a1);
      cand = u.vals;
      valid = lt(iota("int32", [n]), bcast(u.count, [n]));
    }
    const [c, t] = promoteArgs(fn, [cand, a2]);
    const mask = and(in1d(c, ravel(t), true, "auto"), valid);
    const count = countAll(mask);
    const L = resultLength(fn, size, count);
    return compact(mask, [cand], L, count, [fillv])[0];
  });
}

/**
 * np.setxor1d(ar1, ar2, { assumeUnique, size, fillValue }): the sorted values in exactly
 * one of the inputs. With `size`, padded with fillValue (default: the smallest result, or 0).
 */
export function setxor1d(ar1: X, ar2: X, opts: { assumeUnique?: boolean; size?: number | null; fillValue?: X | null } = {}): ArrayBase {
  const fn = "setxor1d";
  const size = opts.size === undefined || opts.size === null ? null : staticInt(fn, "size", opts.size);
  return tidy(() => {
    const [p1, p2] = promoteArgs(fn, [ar1, ar2]);
    if (size === null) requireConcrete(fn, p1, SIZE_HINT), requireConcrete(fn, p2, SIZE_HINT);
    const a1 = ravel(p1);
    const a2 = ravel(p2);
    const n1 = a1.shape[0];
    const n2 = a2.shape[0];
    const N = n1 + n2;
    const dt = a1.dtype;
    const userFill = opts.fillValue != null ? cast(arg(fn, opts.fillValue), dt) : null;
    if (N === 0) return bcast(userFill ?? full(0, dt), [size ?? 0]);
    let v1 = a1, c1 = full(n1, "int32");
    let v2 = a2, c2 = full(n2, "int32");
    if (!opts.assumeUnique) {
      ({ vals: v1, count: c1 } = uniqueSized(a1));
      ({ vals: v2, count: c2 } = uniqueSized(a2));
    }
    const valid = concat([lt(iota("int32", [n1]), bcast(c1, [n1])), lt(iota("int32", [n2]), bcast(c2, [n2]))], 0);
    const [sInvalid, aux] = sortOps([not(valid), concat([v1, v2], 0)], 0, 2);
    const sValid = not(sInvalid);
    // Entry i is kept when valid and different from both valid neighbours.
    const t = full(true, "bool", [1]);
    const neq = ne(sliceAxis(aux, 0, 1, N), sliceAxis(aux, 0, 0, N - 1));
    const prevDiff = concat([t, neq], 0);
    const nextDiff = concat([or(neq, not(sliceAxis(sValid, 0, 1, N))), t], 0);
    const mask = and(sValid, and(prevDiff, nextDiff));
    const count = countAll(mask);
    const L = resultLength(fn, size, count);
    const [vals] = compact(mask, [aux], L, count, [full(0, dt)]);
    const ok = lt(iota("int32", [L]), bcast(count, [L]));
    return select(ok, vals, userFill ?? jaxPadMin(vals, ok));
  });
}
