// Array creation (jax.numpy): zeros/ones/full and their *Like forms, arange, linspace,
// logspace, geomspace, eye, identity, tri, diag, diagflat, meshgrid, indices, copy.
// Constant arrays are broadcasts of one value (eagerly a view of a single element); ranges
// are lax.iota compositions, so all of them trace like any other lax computation.
import type { ArrayBase } from "../array/base.js";
import { defaultFloat, isFloat, isInteger, type DType } from "../array/dtype.js";
import { resultType } from "../array/promotion.js";
import { broadcastShapes, fmtShape, normalizeAxis } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import * as E from "../lax/elementwise.js";
import { broadcast_in_dim_p, copy_p, pad_p } from "../lax/structural.js";
import { arg, type DTypeArg } from "./convert.js";
import {
  add, bcastScalar, bcastTo, concat, constant, cvt, describe, div, dtypeArg, eq, expandDimsAt, full as fullOf, ge,
  concreteValues, diagMask, intArg, iota, isArray, isPlainObject, mul, range, reshape, select, shapeArg, sub, transpose,
} from "./shape_helpers.js";
import { diagonal } from "./manipulation.js";

type X = ArrayBase | number | boolean;
type DtypeOpt = DTypeArg | { dtype?: DTypeArg | null } | null | undefined;

// ---- constant arrays ---------------------------------------------------------------------------

/** np.zeros(shape, dtype = float32): `np.zeros(5)`, `np.zeros([2, 3], "int32")`, `np.zeros([2], { dtype })`. */
export function zeros(shape: number | number[], dtype?: DtypeOpt): ArrayBase {
  return fullOf(shapeArg("zeros", shape), 0, dtypeArg("zeros", dtype) ?? defaultFloat());
}

/** np.ones(shape, dtype = float32). */
export function ones(shape: number | number[], dtype?: DtypeOpt): ArrayBase {
  return fullOf(shapeArg("ones", shape), 1, dtypeArg("ones", dtype) ?? defaultFloat());
}

/** np.empty: zeros, as in JAX (arrays are never uninitialized). */
export function empty(shape: number | number[], dtype?: DtypeOpt): ArrayBase {
  return fullOf(shapeArg("empty", shape), 0, dtypeArg("empty", dtype) ?? defaultFloat());
}

/** lax.full's rule: a scalar fill keeps its weak type when no dtype is given. */
function fillScalar(fn: string, fill: ArrayBase, dtype: DType | undefined): ArrayBase {
  return dtype === undefined ? fill : cvt(fill, dtype, false);
}

function broadcastFill(fn: string, fill: ArrayBase, shape: number[]): ArrayBase {
  broadcastShapes(fn, fill.shape, shape);
  if (fill.shape.length > shape.length || fill.shape.some((d, i) => d !== 1 && d !== shape[shape.length - fill.shape.length + i])) {
    throw new TypeError(`${fn}: the fill value of shape ${fmtShape(fill.shape)} cannot be broadcast to shape ${fmtShape(shape)}`);
  }
  return bcastTo(fill, shape);
}

/** np.full(shape, fillValue, dtype?): dtype defaults to the fill value's (a JS number stays weakly typed). */
export function full(shape: number | number[], fillValue: X, dtype?: DtypeOpt): ArrayBase {
  const fn = "full";
  const s = shapeArg(fn, shape);
  const d = dtypeArg(fn, dtype);
  const fill = fillScalar(fn, arg(fn, fillValue), d);
  if (fill.shape.length === 0) return bcastScalar(fill, s);
  return broadcastFill(fn, fill, s);
}

interface LikeOpts { dtype?: DTypeArg | null; shape?: number | number[] | null }
function likeArgs(fn: string, a: X, opts: DTypeArg | LikeOpts | null | undefined): { x: ArrayBase; dtype?: DType; shape: number[] } {
  const x = arg(fn, a);
  const o: LikeOpts = typeof opts === "string" ? { dtype: opts } : opts ?? {};
  if (!isPlainObject(o)) throw new TypeError(`${fn}: expected a dtype or { dtype, shape }, got ${describe(opts)}`);
  const dtype = dtypeArg(fn, o.dtype ?? undefined);
  const shape = o.shape === undefined || o.shape === null ? x.shape.slice() : shapeArg(fn, o.shape);
  return { x, dtype, shape };
}

/** lax.full_like: weak when `a` is weak and no dtype is given. */
function fullLikeScalar(x: ArrayBase, v: number | boolean, dtype: DType | undefined, shape: number[]): ArrayBase {
  const d = dtype ?? x.dtype;
  return fullOf(shape, v, d, dtype === undefined && x.weakType);
}

/** np.zerosLike(a, dtype? | { dtype, shape }). */
export function zerosLike(a: X, opts?: DTypeArg | LikeOpts | null): ArrayBase {
  const { x, dtype, shape } = likeArgs("zerosLike", a, opts);
  return fullLikeScalar(x, 0, dtype, shape);
}

/** np.onesLike(a, dtype? | { dtype, shape }). */
export function onesLike(a: X, opts?: DTypeArg | LikeOpts | null): ArrayBase {
  const { x, dtype, shape } = likeArgs("onesLike", a, opts);
  return fullLikeScalar(x, 1, dtype, shape);
}

/** np.emptyLike: zerosLike, as in JAX. */
export function emptyLike(a: X, opts?: DTypeArg | LikeOpts | null): ArrayBase {
  const { x, dtype, shape } = likeArgs("emptyLike", a, opts);
  return fullLikeScalar(x, 0, dtype, shape);
}

/** np.fullLike(a, fillValue, dtype? | { dtype, shape }). */
export function fullLike(a: X, fillValue: X, opts?: DTypeArg | LikeOpts | null): ArrayBase {
  const fn = "fullLike";
  const { x, dtype, shape } = likeArgs(fn, a, opts);
  const fill = arg(fn, fillValue);
  const d = dtype ?? x.dtype;
  if (fill.shape.length === 0) return bcastScalar(cvt(fill, d, dtype === undefined && x.weakType), shape);
  return broadcastFill(fn, cvt(fill, d), shape);
}

// ---- ranges ------------------------------------------------------------------------------------

type Num = number | ArrayBase;

/** A concrete scalar (arange and friends need static values, as in JAX). */
function staticScalar(fn: string, name: string, v: unknown): { value: number; dtype: DType; weak: boolean } {
  if (typeof v === "number") {
    const dtype: DType = Number.isInteger(v) && !Object.is(v, -0) ? "int32" : defaultFloat();
    return { value: v, dtype, weak: true };
  }
  if (isArray(v) && v.shape.length === 0) {
    // Reading the value is required here, as JAX's core.concrete_or_error does.
    return { value: concreteValues(fn, name, v)[0], dtype: v.dtype, weak: v.weakType };
  }
  throw new TypeError(`${fn}: ${name} must be a number or a 0-d array, got ${describe(v)}`);
}

/**
 * np.arange(stop), (start, stop), (start, stop, step), each optionally followed by a dtype or
 * { dtype }. JAX's dtype rule: any float argument gives float32, else int32.
 */
export function arange(start: Num, ...rest: (Num | DTypeArg | { dtype?: DTypeArg | null } | null | undefined)[]): ArrayBase {
  const fn = "arange";
  const nums: (Num | null | undefined)[] = [];
  let dtype: DType | undefined;
  for (const r of rest) {
    if (typeof r === "string" || isPlainObject(r)) dtype = dtypeArg(fn, r);
    else nums.push(r as Num | null | undefined);
  }
  if (nums.length > 2) throw new TypeError(`${fn}: takes at most start, stop, step and a dtype, got ${rest.length + 1} arguments`);
  const a = staticScalar(fn, nums[0] === undefined || nums[0] === null ? "stop" : "start", start);
  const b = nums[0] === undefined || nums[0] === null ? undefined : staticScalar(fn, "stop", nums[0]);
  const c = nums[1] === undefined || nums[1] === null ? undefined : staticScalar(fn, "step", nums[1]);
  const args = [a, b, c].filter((v): v is NonNullable<typeof v> => v !== undefined);
  const dt = dtype ?? resultType(...args.map((v) => ({ dtype: v.dtype, weak: v.weak }))).dtype;
  let lo = 0;
  let hi = a.value;
  if (b) [lo, hi] = [a.value, b.value];
  if (c) {
    if (c.value === 0) throw new RangeError(`${fn}: step must not be zero`);
    const wd: DType = dt === "float16" ? "float32" : dt;
    const size = Math.max(0, Math.ceil((hi - lo) / c.value));
    checkSize(fn, size);
    const i = iota(wd, [size], 0);
    const out = add(fullOf([size], lo, wd), mul(fullOf([size], c.value, wd), i));
    return cvt(out, dt);
  }
  const size = Math.max(0, Math.ceil(hi - lo));
  checkSize(fn, size);
  if (lo === 0) return iota(dt, [size], 0);
  return add(fullOf([size], lo, dt), iota(dt, [size], 0));
}

function checkSize(fn: string, size: number): void {
  if (!Number.isFinite(size) || size > 2 ** 31 - 1) throw new RangeError(`${fn}: the result would have ${size} elements`);
}

export interface LinspaceOptions {
  endpoint?: boolean;
  retstep?: boolean;
  dtype?: DTypeArg | null;
  axis?: number;
}

function spaceOpts(fn: string, rest: unknown[]): LinspaceOptions & { base?: number } {
  const o: LinspaceOptions & { base?: number } = {};
  for (const r of rest) {
    if (r === undefined || r === null) continue;
    if (typeof r === "boolean") o.endpoint = r;
    else if (typeof r === "string") o.dtype = r;
    else if (isPlainObject(r)) Object.assign(o, r);
    else throw new TypeError(`${fn}: unexpected argument ${describe(r)}; pass options as { endpoint, dtype, axis }`);
  }
  return o;
}

const toInexact = (d: DType): DType => (isFloat(d) ? d : defaultFloat());

function linspaceImpl(fn: string, start: X, stop: X, num: number, o: LinspaceOptions): [ArrayBase, ArrayBase] {
  if (typeof num !== "number") {
    // A traced num would make the output shape depend on a value (jnp: concrete_dim_or_error).
    throw new TypeError(`${fn}: the number of samples must be a static JS integer, got ${describe(num)}; under jit pass it as a static argument`);
  }
  if (!Number.isInteger(num) || num < 0) throw new RangeError(`${fn}: number of samples, ${num}, must be a non-negative integer`);
  let s = arg(fn, start);
  let e = arg(fn, stop);
  const dtype = dtypeArg(fn, o.dtype) ?? toInexact(resultType({ dtype: s.dtype, weak: s.weakType }, { dtype: e.dtype, weak: e.weakType }).dtype);
  const cd = toInexact(dtype);
  s = cvt(s, cd);
  e = cvt(e, cd);
  const bshape = broadcastShapes(fn, s.shape, e.shape);
  s = bcastTo(s, bshape);
  e = bcastTo(e, bshape);
  const axisIn = o.axis ?? 0;
  const axis = axisIn < 0 ? bshape.length + axisIn + 1 : axisIn;
  if (axis < 0 || axis > bshape.length) throw new RangeError(`${fn}: axis ${axisIn} is out of bounds for a result of dimension ${bshape.length + 1}`);
  const endpoint = o.endpoint ?? true;
  const withAxis = (n: number) => {
    const sh = bshape.slice();
    sh.splice(axis, 0, n);
    return sh;
  };
  const div_ = endpoint ? num - 1 : num;
  let out: ArrayBase;
  let delta: ArrayBase;
  if (num > 1) {
    delta = div(sub(e, s), fullOf(bshape, div_, cd));
    const shape = withAxis(div_);
    // JAX's formula: start * (1 - t) + stop * t with t = i / div, which hits both endpoints in
    // float32 exactly.
    const t = div(iota(cd, shape, axis), fullOf(shape, div_, cd));
    const sb = bcastTo(expandDimsAt(s, [axis]), shape);
    const eb = bcastTo(expandDimsAt(e, [axis]), shape);
    out = add(mul(sb, sub(fullOf(shape, 1, cd), t)), mul(eb, t));
    if (endpoint) out = concat([out, expandDimsAt(e, [axis])], axis);
  } else if (num === 1) {
    delta = endpoint ? fullOf(bshape, NaN, cd) : sub(e, s);
    out = expandDimsAt(s, [axis]);
  } else {
    delta = fullOf(bshape, NaN, cd);
    out = fullOf(withAxis(0), 0, cd);
  }
  if (isInteger(dtype) && isFloat(out.dtype)) out = bind1(E.floor_p, [out], {});
  return [cvt(out, dtype), delta];
}

/**
 * np.linspace(start, stop, num = 50, { endpoint = true, retstep = false, dtype, axis = 0 }).
 * With retstep the result is [samples, step].
 */
export function linspace(start: X, stop: X, num?: number, ...rest: (boolean | DTypeArg | LinspaceOptions | null | undefined)[]): any {
  const fn = "linspace";
  const o = spaceOpts(fn, rest);
  const [out, delta] = linspaceImpl(fn, start, stop, num ?? 50, o);
  return o.retstep ? [out, delta] : out;
}

/** np.logspace(start, stop, num = 50, { endpoint = true, base = 10, dtype, axis = 0 }): base ** linspace(start, stop). */
export function logspace(start: X, stop: X, num?: number, ...rest: (boolean | DTypeArg | (LinspaceOptions & { base?: number }) | null | undefined)[]): ArrayBase {
  const fn = "logspace";
  const o = spaceOpts(fn, rest);
  const s = arg(fn, start);
  const e = arg(fn, stop);
  const dtype = dtypeArg(fn, o.dtype) ?? toInexact(resultType({ dtype: s.dtype, weak: s.weakType }, { dtype: e.dtype, weak: e.weakType }).dtype);
  const cd = toInexact(dtype);
  const [lin] = linspaceImpl(fn, cvt(s, cd), cvt(e, cd), num ?? 50, { endpoint: o.endpoint, axis: o.axis });
  return cvt(powBase(fn, o.base ?? 10, lin), dtype);
}

/** base ** x elementwise, x floating (jnp.power of a scalar base). */
function powBase(fn: string, base: X, x: ArrayBase): ArrayBase {
  const b = arg(fn, base);
  const t = resultType({ dtype: b.dtype, weak: b.weakType }, { dtype: x.dtype, weak: x.weakType });
  const d = toInexact(t.dtype);
  return bind1(E.pow_p, [bcastTo(cvt(b, d, t.weak), x.shape), cvt(x, d, t.weak)], {});
}

/** np.geomspace(start, stop, num = 50, { endpoint = true, dtype, axis = 0 }) (JAX's formula via log10). */
export function geomspace(start: X, stop: X, num?: number, ...rest: (boolean | DTypeArg | LinspaceOptions | null | undefined)[]): ArrayBase {
  const fn = "geomspace";
  const o = spaceOpts(fn, rest);
  let s = arg(fn, start);
  let e = arg(fn, stop);
  const dtype = dtypeArg(fn, o.dtype) ?? toInexact(resultType({ dtype: s.dtype, weak: s.weakType }, { dtype: e.dtype, weak: e.weakType }).dtype);
  const cd = toInexact(dtype);
  s = cvt(s, cd);
  e = cvt(e, cd);
  const bshape = broadcastShapes(fn, s.shape, e.shape);
  s = bcastTo(s, bshape);
  e = bcastTo(e, bshape);
  const sign = bind1(E.sign_p, [s], {});
  const log10 = (v: ArrayBase) => bind1(E.floatUnaryPrims.log10, [v], {});
  const [lin] = linspaceImpl(fn, log10(div(s, sign)), log10(div(e, sign)), num ?? 50, { endpoint: o.endpoint, axis: 0 });
  let res = mul(bcastTo(expandDimsAt(sign, [0]), lin.shape), powBase(fn, 10, lin));
  const axisIn = o.axis ?? 0;
  const axis = normalizeAxis(fn, axisIn, res.shape.length);
  if (axis !== 0) res = transpose(res, [...range(axis, 1), 0, ...range(res.shape.length - axis - 1, axis + 1)]);
  return cvt(res, dtype);
}

// ---- matrices ----------------------------------------------------------------------------------

interface EyeOpts { M?: number | null; k?: number | ArrayBase; dtype?: DTypeArg | null }

function offsetArg(fn: string, k: unknown): number | ArrayBase {
  if (typeof k === "number" && Number.isInteger(k)) return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, k));
  if (isArray(k) && k.shape.length === 0 && isInteger(k.dtype)) return k;
  throw new TypeError(`${fn}: k must be a scalar integer, got ${describe(k)}`);
}

function dimArg(fn: string, name: string, v: unknown): number {
  const n = intArg(fn, name, v);
  if (n < 0) throw new RangeError(`${fn}: negative dimensions are not allowed, got ${name} = ${n}`);
  return n;
}

/** np.eye(N, M?, k = 0, dtype = float32), also eye(N, { M, k, dtype }). */
export function eye(N: number, M?: number | null | EyeOpts | DTypeArg, k?: number | ArrayBase | DTypeArg | EyeOpts, dtype?: DtypeOpt): ArrayBase {
  const fn = "eye";
  const o: EyeOpts = {};
  for (const [i, v] of [M, k, dtype].entries()) {
    if (v === undefined || v === null) continue;
    if (typeof v === "string") o.dtype = v;
    else if (isPlainObject(v)) Object.assign(o, v);
    else if (i === 0) o.M = v as number;
    else if (i === 1) o.k = v as number | ArrayBase;
    else throw new TypeError(`${fn}: unexpected argument ${describe(v)}`);
  }
  const n = dimArg(fn, "N", N);
  const m = o.M === undefined || o.M === null ? n : dimArg(fn, "M", o.M);
  const d = dtypeArg(fn, o.dtype) ?? defaultFloat();
  return cvt(diagMask(n, m, offsetArg(fn, o.k ?? 0), eq), d);
}

/** np.identity(n, dtype = float32). */
export function identity(n: number, dtype?: DtypeOpt): ArrayBase {
  return eye(n, null, 0, dtypeArg("identity", dtype) ?? defaultFloat());
}

/** np.tri(N, M?, k = 0, dtype = float32): ones at and below the k-th diagonal. */
export function tri(N: number, M?: number | null | EyeOpts | DTypeArg, k?: number | DTypeArg | EyeOpts, dtype?: DtypeOpt): ArrayBase {
  const fn = "tri";
  const o: EyeOpts = {};
  for (const [i, v] of [M, k, dtype].entries()) {
    if (v === undefined || v === null) continue;
    if (typeof v === "string") o.dtype = v;
    else if (isPlainObject(v)) Object.assign(o, v);
    else if (i === 0) o.M = v as number;
    else if (i === 1) o.k = v as number;
    else throw new TypeError(`${fn}: unexpected argument ${describe(v)}`);
  }
  const n = dimArg(fn, "N", N);
  const m = o.M === undefined || o.M === null ? n : dimArg(fn, "M", o.M);
  // JAX's default is float32 even with x64.
  const d = dtypeArg(fn, o.dtype) ?? "float32";
  return cvt(diagMask(n, m, offsetArg(fn, o.k ?? 0), ge), d);
}

/** np.diag(v, k = 0): a 1-D v becomes a matrix with v on its k-th diagonal; a 2-D v gives its k-th diagonal. */
export function diag(v: X, k = 0): ArrayBase {
  const fn = "diag";
  const x = arg(fn, v);
  const kk = intArg(fn, "k", k);
  if (x.shape.length === 2) return diagonal(x, kk);
  if (x.shape.length !== 1) throw new TypeError(`${fn}: the input must be 1-D or 2-D, got shape ${fmtShape(x.shape)}`);
  const n = x.shape[0] + Math.abs(kk);
  const zero = constant(0, x.dtype, x.weakType);
  const padded = bind1(pad_p, [x, zero], { paddingConfig: [[Math.max(0, -kk), Math.max(0, kk), 0]] });
  const col = bcastTo(reshape(padded, [n, 1]), [n, n]);
  return select(diagMask(n, n, kk, eq), col, bcastScalar(zero, [n, n]));
}

/** np.diagflat(v, k = 0): diag of the flattened input. */
export function diagflat(v: X, k = 0): ArrayBase {
  const x = arg("diagflat", v);
  return diag(reshape(x, [x.size]), intArg("diagflat", "k", k));
}

// ---- grids -------------------------------------------------------------------------------------

export interface MeshgridOptions { indexing?: "xy" | "ij"; sparse?: boolean; copy?: boolean }

/** np.meshgrid(...xs, { indexing = "xy", sparse = false }): a list of arrays. */
export function meshgrid(...args: (X | MeshgridOptions)[]): ArrayBase[] {
  const fn = "meshgrid";
  let o: MeshgridOptions = {};
  if (args.length && isPlainObject(args[args.length - 1])) o = args.pop() as MeshgridOptions;
  const indexing = o.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") throw new TypeError(`${fn}: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}`);
  if (o.copy === false) throw new TypeError(`${fn}: only copy = true is supported (arrays are immutable)`);
  const xs = args.map((a) => arg(fn, a));
  if (xs.some((a) => a.shape.length !== 1)) {
    throw new TypeError(`${fn}: arguments must be 1-D, got shapes ${xs.map((a) => fmtShape(a.shape)).join(", ")}`);
  }
  const swap = indexing === "xy" && xs.length >= 2;
  if (swap) [xs[0], xs[1]] = [xs[1], xs[0]];
  const sparse = !!o.sparse;
  const shape = xs.map((a) => (sparse ? 1 : a.shape[0]));
  const out = xs.map((a, i) => {
    const s = sparse ? shape.map((d, j) => (j === i ? a.shape[0] : d)) : shape;
    return bind1(broadcast_in_dim_p, [a], { shape: s, broadcastDimensions: [i] });
  });
  if (swap) [out[0], out[1]] = [out[1], out[0]];
  return out;
}

/** np.indices(dimensions, dtype = int32 | { dtype, sparse }): a stacked grid, or a list when sparse. */
export function indices(dimensions: number[], opts?: DTypeArg | { dtype?: DTypeArg | null; sparse?: boolean } | null): any {
  const fn = "indices";
  const o = typeof opts === "string" ? { dtype: opts } : opts ?? {};
  const dtype = dtypeArg(fn, o.dtype) ?? "int32";
  const dims = shapeArg(fn, dimensions);
  const n = dims.length;
  const out = dims.map((d, i) => {
    const s = o.sparse ? dims.map((dd, j) => (j === i ? dd : 1)) : dims;
    return iota(dtype, s, i);
  });
  if (o.sparse) return out;
  if (n === 0) return fullOf([0], 0, dtype);
  return concat(out.map((a) => expandDimsAt(a, [0])), 0);
}

/** np.copy(a): a new array with the same values. */
export function copy(a: X): ArrayBase {
  return bind1(copy_p, [arg("copy", a)], {});
}
