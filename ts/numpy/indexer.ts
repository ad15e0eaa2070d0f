// NumPy indexing with JAX's semantics (jax/_src/numpy/indexing.py), shared by x.get(...)
// and x.at(...).set/add/...: parsing of the JS index forms, then one of three lowerings:
//   - static slicing (ints, slices, None, ...): lax.slice + rev + reshape (views eagerly);
//   - dynamic slicing (plus 0-d integer arrays, unit steps): lax.dynamic_slice;
//   - the general case: one lax.gather (or scatter) built like JAX's _index_to_gather.
// Not re-exported from the numpy namespace; ./indexing.ts holds the public functions.
import { Array as ConcreteArray } from "../array/array.js";
import { ArrayBase } from "../array/base.js";
import { isBool, isInteger, isUnsigned } from "../array/dtype.js";
import { fmtShape } from "../array/shape.js";
import { bind1 } from "../core/trace.js";
import { gather_p, parseMode, type GatherScatterMode } from "../lax/indexing.js";
import { dynamicSlice } from "../lax/indexing.js";
import type { GatherDimensionNumbers } from "../runtime/backend.js";
import { asarray, type Nested } from "./convert.js";
import {
  add, bcastTo, concat, constant, cvt, describe, expandDimsAt, full, iota, lt, mul, range, reshape, rev, select,
} from "./shape_helpers.js";
import { slice_p } from "../lax/structural.js";

export type Entry =
  | { t: "none" }
  | { t: "ellipsis" }
  | { t: "slice"; start: number | null; stop: number | null; step: number | null }
  | { t: "int"; v: number }
  /** An integer array (0-d ones act like dynamic scalar indices). */
  | { t: "array"; a: ArrayBase }
  /** A boolean mask, or a scalar true/false. */
  | { t: "bool"; a: ArrayBase | boolean };

// ---- parsing -----------------------------------------------------------------------------------

const INT_RE = /^[+-]?\d+$/;

function parseInt_(fn: string, s: string, whole: string): number {
  if (!INT_RE.test(s)) throw new TypeError(`${fn}: cannot parse ${JSON.stringify(s)} in the index ${JSON.stringify(whole)}; expected an integer`);
  return Number(s);
}

/** One item of an index string: "3", "-1", "1:3", "::-1", "...", "None", "True". */
function parseItem(fn: string, item: string, whole: string): Entry {
  const s = item.trim();
  if (s === "..." || s === "Ellipsis") return { t: "ellipsis" };
  if (s === "None" || s === "newaxis" || s === "np.newaxis" || s === "null") return { t: "none" };
  if (s === "True" || s === "False") return { t: "bool", a: s === "True" };
  if (s.includes(":")) {
    const parts = s.split(":");
    if (parts.length > 3) throw new TypeError(`${fn}: bad slice ${JSON.stringify(s)} in the index ${JSON.stringify(whole)}`);
    const [a, b, c] = parts.map((p) => (p.trim() === "" ? null : parseInt_(fn, p.trim(), whole)));
    return { t: "slice", start: a, stop: b ?? null, step: c ?? null };
  }
  if (INT_RE.test(s)) return intEntry(fn, Number(s));
  throw new TypeError(
    `${fn}: cannot parse ${JSON.stringify(s)} in the index ${JSON.stringify(whole)}; ` +
      'use integers, slices like "1:3" or "::-1", "...", "None", separated by commas',
  );
}

function parseString(fn: string, s: string): Entry[] {
  if (s.trim() === "" || s.trim() === "()") return [];
  const items = s.split(",");
  // A trailing comma ("0,") makes a one-element tuple, as in Python.
  if (items.length > 1 && items[items.length - 1].trim() === "") items.pop();
  return items.map((it) => {
    if (it.trim() === "") throw new TypeError(`${fn}: empty item in the index ${JSON.stringify(s)}`);
    return parseItem(fn, it, s);
  });
}

function intEntry(fn: string, v: number): Entry {
  if (!Number.isInteger(v)) throw new TypeError(`${fn}: indexer must have integer or boolean type, got the number ${v}`);
  return { t: "int", v };
}

function arrayEntry(fn: string, a: ArrayBase): Entry {
  if (isBool(a.dtype)) return { t: "bool", a };
  if (isInteger(a.dtype)) return { t: "array", a };
  throw new TypeError(`${fn}: indexer must have integer or boolean type, got an indexer of dtype ${a.dtype}`);
}

/**
 * An array literal rather than a list of per-axis entries: all numbers/booleans, or all
 * numeric lists. A mix ([0, [2, 1]]) is per-axis: x[0, [2, 1]].
 */
function isNumericList(v: unknown[]): boolean {
  if (v.every((e) => typeof e === "number" || typeof e === "boolean")) return true;
  return v.every((e) => globalThis.Array.isArray(e) && isNumericList(e));
}

function entryOf(fn: string, e: unknown): Entry[] {
  if (typeof e === "number") return [intEntry(fn, e)];
  if (typeof e === "boolean") return [{ t: "bool", a: e }];
  if (e === null) return [{ t: "none" }];
  if (typeof e === "string") return parseString(fn, e);
  if (e instanceof ArrayBase) return [arrayEntry(fn, e)];
  if (ArrayBuffer.isView(e) || globalThis.Array.isArray(e)) return [arrayEntry(fn, asarray(e as Nested))];
  throw new TypeError(
    `${fn}: unsupported index entry ${describe(e)}; use integers, index strings (":", "1:3", "..."), null (newaxis), ` +
      "integer or boolean arrays, or nested lists of integers",
  );
}

/**
 * The entries of a JS index: a number, a string ("::2, 3:"), null, a boolean, an array, a
 * nested list of numbers (an integer array, as NumPy's x[[0, 2]]), or a list of per-axis entries
 * (which must contain something other than plain numbers: ["1:3", 0], [null, 2]).
 */
export function parseIndex(fn: string, index: unknown): Entry[] {
  if (globalThis.Array.isArray(index)) {
    if (isNumericList(index)) return [arrayEntry(fn, asarray(index as Nested))];
    return index.flatMap((e) => entryOf(fn, e));
  }
  if (index === undefined) throw new TypeError(`${fn}: an index is required (use ":" or "..." for everything)`);
  return entryOf(fn, index);
}

// ---- analysis ----------------------------------------------------------------------------------

const consumes = (e: Entry): number =>
  e.t === "none" || e.t === "ellipsis" ? 0 : e.t === "bool" ? (typeof e.a === "boolean" ? 0 : e.a.shape.length) : 1;

/** Checks the number of indexed axes and ellipses. */
export function checkIndex(fn: string, entries: Entry[], shape: number[]): void {
  const ell = entries.filter((e) => e.t === "ellipsis").length;
  if (ell > 1) throw new RangeError(`${fn}: an index can only have a single ellipsis ("...")`);
  const total = entries.reduce((s, e) => s + consumes(e), 0);
  if (total > shape.length) {
    throw new RangeError(`${fn}: too many indices: the array is ${shape.length}-dimensional (shape ${fmtShape(shape)}), but ${total} were indexed`);
  }
}

/** Replaces the ellipsis and the implicit trailing axes by full slices. */
function expandEllipsis(entries: Entry[], ndim: number): Entry[] {
  const total = entries.reduce((s, e) => s + consumes(e), 0);
  const full_: Entry = { t: "slice", start: null, stop: null, step: null };
  const out: Entry[] = [];
  let hasEll = false;
  for (const e of entries) {
    if (e.t === "ellipsis") {
      hasEll = true;
      for (let i = 0; i < ndim - total; i++) out.push(full_);
    } else out.push(e);
  }
  if (!hasEll) for (let i = total; i < ndim; i++) out.push(full_);
  return out;
}

/** Python's slice.indices(size): start, stop, step with NumPy's clamping. */
export function sliceIndices(fn: string, s: { start: number | null; stop: number | null; step: number | null }, size: number): [number, number, number] {
  const step = s.step ?? 1;
  if (step === 0) throw new RangeError(`${fn}: slice step cannot be zero`);
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? size : size - 1;
  const clampI = (v: number) => (v < 0 ? Math.max(v + size, lower) : Math.min(v, upper));
  const start = s.start === null ? (step > 0 ? lower : upper) : clampI(s.start);
  const stop = s.stop === null ? (step > 0 ? upper : lower) : clampI(s.stop);
  return [start, stop, step];
}

function sliceSize(start: number, stop: number, step: number): number {
  const gap = Math.abs(step);
  const dist = step > 0 ? stop - start : start - stop;
  return Math.max(0, Math.floor((dist + gap - 1) / gap));
}

const isStaticMode = (m: GatherScatterMode) => m === "promise_in_bounds" || m === "clip";

// ---- static and dynamic slicing ----------------------------------------------------------------

function staticSlice(fn: string, x: ArrayBase, entries: Entry[], normalize: boolean): ArrayBase {
  const shape = x.shape;
  const start: number[] = [];
  const limit: number[] = [];
  const strides: number[] = [];
  const revAxes: number[] = [];
  const squeeze: number[] = [];
  const newaxis: number[] = [];
  let axis = 0;
  for (const e of expandEllipsis(entries, shape.length)) {
    if (e.t === "none") {
      newaxis.push(start.length - squeeze.length + newaxis.length);
      continue;
    }
    const size = shape[axis];
    if (e.t === "int") {
      if (size === 0) throw new RangeError(`${fn}: index ${e.v} is out of bounds for axis ${axis} with size 0`);
      let i = normalize && e.v < 0 ? e.v + size : e.v;
      // Out-of-bounds integer reads clamp (JAX's dynamic_slice fallback).
      i = Math.min(Math.max(i, 0), size - 1);
      start.push(i);
      limit.push(i + 1);
      strides.push(1);
      squeeze.push(axis);
    } else if (e.t === "slice") {
      const [s, t, st] = sliceIndices(fn, e, size);
      if (st < 0) {
        const ns = Math.min(size, t + 1 + (Math.abs(s - t - 1) % -st));
        start.push(ns);
        limit.push(Math.max(ns, s + 1));
        strides.push(-st);
        revAxes.push(axis);
      } else {
        start.push(s);
        limit.push(Math.max(s, t));
        strides.push(st);
      }
    }
    axis++;
  }
  let y = x;
  const trivial = strides.every((s) => s === 1) && start.every((s, i) => s === 0 && limit[i] === shape[i]);
  if (!trivial) {
    y = bind1(slice_p, [y], { startIndices: start, limitIndices: limit, strides: strides.every((s) => s === 1) ? null : strides });
  }
  y = rev(y, revAxes);
  if (squeeze.length) y = reshape(y, y.shape.filter((_, i) => !squeeze.includes(i)));
  return expandDimsAt(y, newaxis);
}

function canDynamicSlice(entries: Entry[]): boolean {
  return entries.every(
    (e) =>
      e.t === "int" || e.t === "none" || e.t === "ellipsis" ||
      (e.t === "slice" && (e.step === null || e.step === 1 || e.step === -1)) ||
      (e.t === "array" && e.a.shape.length === 0),
  );
}

function dynamicSliceIndex(fn: string, x: ArrayBase, entries: Entry[], normalize: boolean): ArrayBase {
  const shape = x.shape;
  const starts: (number | ArrayBase)[] = [];
  const sizes: number[] = [];
  const revAxes: number[] = [];
  const squeeze: number[] = [];
  const newaxis: number[] = [];
  let axis = 0;
  for (const e of expandEllipsis(entries, shape.length)) {
    if (e.t === "none") {
      newaxis.push(starts.length - squeeze.length + newaxis.length);
      continue;
    }
    const size = shape[axis];
    if (e.t === "int" || e.t === "array") {
      if (size === 0) throw new RangeError(`${fn}: index is out of bounds for axis ${axis} with size 0`);
      starts.push(e.t === "int" ? e.v : (e.a as ArrayBase));
      sizes.push(1);
      squeeze.push(axis);
    } else if (e.t === "slice") {
      const [s, t, st] = sliceIndices(fn, e, size);
      if (st < 0) {
        const ns = t + 1;
        starts.push(ns);
        sizes.push(Math.max(0, s + 1 - ns));
        revAxes.push(axis);
      } else {
        starts.push(s);
        sizes.push(Math.max(0, t - s));
      }
    }
    axis++;
  }
  let y = dynamicSlice(x, starts, sizes, { allowNegativeIndices: normalize });
  y = rev(y, revAxes);
  if (squeeze.length) y = reshape(y, y.shape.filter((_, i) => !squeeze.includes(i)));
  return expandDimsAt(y, newaxis);
}

// ---- the general case: gather --------------------------------------------------------------------

/** Boolean masks become integer index arrays (np.where). Needs concrete values, as in JAX. */
export function expandBoolIndices(fn: string, entries: Entry[], shape: number[]): Entry[] {
  const out: Entry[] = [];
  let axis = 0;
  const total = entries.reduce((s, e) => s + consumes(e), 0);
  for (const e of entries) {
    if (e.t === "ellipsis") {
      axis += shape.length - total;
      out.push(e);
      continue;
    }
    if (e.t !== "bool" || typeof e.a === "boolean") {
      axis += consumes(e);
      out.push(e);
      continue;
    }
    const m = e.a;
    if (!(m instanceof ConcreteArray)) {
      throw new TypeError(
        `${fn}: boolean masks need concrete values (the result's shape depends on them); under jit use ` +
          "np.where(mask, x, fill) or nonzero(mask, { size }) to get fixed-size integer indices",
      );
    }
    const expected = shape.slice(axis, axis + m.shape.length);
    if (!m.shape.every((d, i) => d === 0 || d === expected[i])) {
      throw new RangeError(`${fn}: the boolean index of shape ${fmtShape(m.shape)} does not match the indexed axes ${fmtShape(expected)}`);
    }
    // Host read of the mask: JAX also requires it to be concrete (NonConcreteBooleanIndexError).
    const flat = m.dataSync();
    const nd = m.shape.length;
    const coords: number[][] = range(nd).map(() => []);
    const strides = m.shape.map((_, i) => m.shape.slice(i + 1).reduce((p, d) => p * d, 1));
    for (let k = 0; k < flat.length; k++) {
      if (!flat[k]) continue;
      for (let d = 0; d < nd; d++) coords[d].push(Math.floor(k / strides[d]) % m.shape[d]);
    }
    // A 0-d mask is a scalar boolean (it adds an axis of size 1 or 0).
    if (nd === 0) out.push({ t: "bool", a: !!flat[0] });
    for (const c of coords) out.push({ t: "array", a: asarray(c, "int32") });
    axis += nd;
  }
  return out;
}

export interface GatherIndexer {
  sliceShape: number[];
  gatherSliceShape: number[];
  gatherIndices: ArrayBase;
  dnums: GatherDimensionNumbers;
  uniqueIndices: boolean;
  indicesAreSorted: boolean;
  reversedYDims: number[];
  newaxisDims: number[];
  scalarBoolDims: number[];
}

const i32 = (a: ArrayBase): ArrayBase => cvt(a, "int32");

/** JAX's _index_to_gather: the gather computing x[index] (bool masks already expanded). */
export function indexToGather(fn: string, shape0: number[], entries0: Entry[], normalize: boolean): GatherIndexer {
  // Advanced indices separated by a slice (or None / ellipsis) move to the front, as NumPy does.
  const advPos = entries0.map((e, i) => (e.t === "array" || e.t === "int" ? i : -1)).filter((i) => i >= 0);
  const contiguous = advPos.every((p, k) => k === 0 || p === advPos[k - 1] + 1);
  let entries = expandEllipsis(entries0, shape0.length);
  // Scalar booleans add a size-1 axis indexed by arange(1) (true) or arange(0) (false).
  const shape = shape0.slice();
  const scalarBoolDims: number[] = [];
  {
    let dim = 0;
    entries = entries.map((e) => {
      if (e.t === "bool" && typeof e.a === "boolean") {
        shape.splice(dim, 0, 1);
        scalarBoolDims.push(dim);
        dim++;
        return { t: "array", a: asarray(e.a ? [0] : [], "int32") } as Entry;
      }
      dim += consumes(e);
      return e;
    });
  }
  // Normalize negative indices.
  if (normalize) {
    let dim = 0;
    entries = entries.map((e) => {
      const size = shape[dim];
      dim += consumes(e);
      if (e.t === "int") return { t: "int", v: e.v < 0 ? e.v + size : e.v };
      if (e.t === "array" && !isUnsigned(e.a.dtype)) {
        const a = i32(e.a);
        return { t: "array", a: select(lt(a, full(a.shape, 0, "int32")), add(a, full(a.shape, size, "int32")), a) };
      }
      return e;
    });
  }
  const isAdvanced = entries.some((e) => e.t === "array" && e.a.shape.length > 0);
  const advIdxPos: number[] = [];
  const advXAxes: number[] = [];
  const advArrays: ArrayBase[] = [];
  if (isAdvanced) {
    let j = 0;
    entries.forEach((e, i) => {
      if (e.t === "none") return;
      if (e.t === "array" || e.t === "int") {
        advIdxPos.push(i);
        advXAxes.push(j);
        advArrays.push(e.t === "int" ? constant(e.v, "int32") : i32(e.a));
      }
      j++;
    });
  }
  let xAxis = 0;
  let yAxis = 0;
  let collapsedYAxis = 0;
  const offsetDims: number[] = [];
  const collapsed: number[] = [];
  const startIndexMap: number[] = [];
  const gatherIndices: [ArrayBase, number][] = [];
  const gatherIndicesShape: number[] = [];
  const sliceShape: number[] = [];
  const newaxisDims: number[] = [];
  const reversedYDims: number[] = [];
  const gatherSliceShape: number[] = [];
  entries.forEach((e, pos) => {
    if (advArrays.length && ((contiguous && pos === advIdxPos[0]) || (!contiguous && pos === 0))) {
      const bshape = advArrays.reduce<number[]>((s, a) => broadcastShape(fn, s, a.shape), []);
      const startDim = gatherIndicesShape.length;
      for (const a of advArrays) gatherIndices.push([bcastTo(a, bshape), startDim]);
      gatherIndicesShape.push(...bshape);
      startIndexMap.push(...advXAxes);
      collapsed.push(...advXAxes);
      sliceShape.push(...bshape);
      yAxis += bshape.length;
      collapsedYAxis += bshape.length;
    }
    if (advIdxPos.includes(pos)) {
      xAxis++;
      gatherSliceShape.push(1);
      return;
    }
    if (e.t === "int" || (e.t === "array" && e.a.shape.length === 0)) {
      if (shape[xAxis] === 0) throw new RangeError(`${fn}: index is out of bounds for axis ${xAxis} with size 0`);
      gatherIndices.push([e.t === "int" ? constant(e.v, "int32") : i32(e.a), gatherIndicesShape.length]);
      collapsed.push(xAxis);
      gatherSliceShape.push(1);
      startIndexMap.push(xAxis);
      xAxis++;
    } else if (e.t === "none") {
      sliceShape.push(1);
      newaxisDims.push(yAxis);
      yAxis++;
    } else if (e.t === "slice") {
      const [start, stop, step] = sliceIndices(fn, e, shape[xAxis]);
      const size = sliceSize(start, stop, step);
      sliceShape.push(size);
      if (step === 1) {
        if (size !== shape[xAxis]) {
          gatherIndices.push([constant(start, "int32"), gatherIndicesShape.length]);
          startIndexMap.push(xAxis);
        }
        gatherSliceShape.push(size);
        offsetDims.push(collapsedYAxis);
      } else {
        let idx = add(full([size], start, "int32"), mul(full([size], step, "int32"), iota("int32", [size], 0)));
        if (step < 0) {
          reversedYDims.push(collapsedYAxis);
          idx = rev(idx, [0]);
        }
        gatherSliceShape.push(1);
        gatherIndices.push([idx, gatherIndicesShape.length]);
        startIndexMap.push(xAxis);
        gatherIndicesShape.push(size);
        collapsed.push(xAxis);
      }
      collapsedYAxis++;
      yAxis++;
      xAxis++;
    } else {
      throw new TypeError(`${fn}: unsupported index entry at position ${pos}`);
    }
  });
  let gi: ArrayBase;
  if (gatherIndices.length === 0) gi = full([0], 0, "int32");
  else if (gatherIndices.length === 1) gi = expandDimsAt(gatherIndices[0][0], [gatherIndices[0][0].shape.length]);
  else {
    const target = [...gatherIndicesShape, 1];
    gi = concat(
      gatherIndices.map(([g, i]) => {
        // broadcast_in_dim(g, target, range(i, i + g.ndim))
        const shp = target.map((_, k) => (k >= i && k < i + g.shape.length ? g.shape[k - i] : 1));
        return bcastTo(reshape(g, shp), target);
      }),
      target.length - 1,
    );
  }
  return {
    sliceShape,
    gatherSliceShape,
    gatherIndices: gi,
    dnums: {
      offsetDims,
      collapsedSliceDims: collapsed.slice().sort((a, b) => a - b),
      startIndexMap,
      operandBatchingDims: [],
      startIndicesBatchingDims: [],
    },
    uniqueIndices: advArrays.length === 0,
    indicesAreSorted: advArrays.length === 0,
    reversedYDims,
    newaxisDims,
    scalarBoolDims,
  };
}

function broadcastShape(fn: string, a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new TypeError(`${fn}: the integer index arrays of shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

export interface TakeOptions {
  mode?: GatherScatterMode | "fill" | "drop" | null;
  fillValue?: number | boolean | null;
  indicesAreSorted?: boolean;
  uniqueIndices?: boolean;
  wrapNegativeIndices?: boolean;
}

/** JAX's rewriting_take: x[index]. */
export function rewritingTake(fn: string, x: ArrayBase, index: unknown, opts: TakeOptions = {}): ArrayBase {
  const mode = parseMode(fn, opts.mode, "promise_in_bounds");
  const normalize = opts.wrapNegativeIndices ?? true;
  let entries = parseIndex(fn, index);
  checkIndex(fn, entries, x.shape);
  if (isStaticMode(mode)) {
    if (entries.every((e) => e.t === "int" || e.t === "slice" || e.t === "none" || e.t === "ellipsis")) {
      return staticSlice(fn, x, entries, normalize);
    }
    if (canDynamicSlice(entries)) return dynamicSliceIndex(fn, x, entries, normalize);
  }
  entries = expandBoolIndices(fn, entries, x.shape);
  const g = indexToGather(fn, x.shape, entries, normalize);
  let y = x;
  if (g.scalarBoolDims.length) y = expandDimsAt(y, g.scalarBoolDims);
  if (g.sliceShape.some((d) => d === 0)) return full(g.sliceShape, 0, y.dtype, y.weakType);
  if (!g.gatherIndices.shape.some((d) => d === 0)) {
    let fill: number | null = null;
    if (opts.fillValue !== undefined && opts.fillValue !== null) {
      if (typeof opts.fillValue !== "number" && typeof opts.fillValue !== "boolean") {
        throw new TypeError(`${fn}: fillValue must be a scalar number or boolean, got ${describe(opts.fillValue)}`);
      }
      fill = Number(opts.fillValue);
    }
    y = bind1(gather_p, [y, g.gatherIndices], {
      dimensionNumbers: g.dnums,
      sliceSizes: g.gatherSliceShape,
      mode,
      fillValue: mode === "fill_or_drop" ? fill : null,
      indicesAreSorted: !!opts.indicesAreSorted || g.indicesAreSorted,
      uniqueIndices: !!opts.uniqueIndices || g.uniqueIndices,
    });
  }
  y = rev(y, g.reversedYDims);
  return expandDimsAt(y, g.newaxisDims);
}
