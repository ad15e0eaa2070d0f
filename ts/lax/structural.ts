// Movement primitives. Eagerly most are O(1) views of the same storage (strides and offset
// change); pad and concatenate copy through the backend's strided copy.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import type { DType } from "../array/dtype.js";
import { contiguousStrides, fmtShape, range, reshapeViewStrides, sizeOf } from "../array/shape.js";
import { KernelBuilder } from "../compile/builder.js";
import { LinearArg, definePrimitive, type Aval, type Params, type Primitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { deviceOf, emptyArray, materialize, runKernel, viewOf } from "../runtime/eager.js";
import type { FusedKernel } from "../runtime/kernel.js";
import { sameDtypes, select_n_p, sub_p } from "./elementwise.js";
import { reduce_sum_p } from "./reduce.js";
import { batchSize, broadcastAxis, moveaxis } from "./rule_util.js";

const aval = (shape: number[], dtype: DType, weakType: boolean): Aval => ({ shape, dtype, weakType });

function checkInts(fn: string, name: string, v: unknown, len?: number): number[] {
  if (!Array_isArray(v) || !v.every((d) => Number.isInteger(d)) || (len !== undefined && v.length !== len)) {
    throw new TypeError(
      `lax.${fn}: ${name} must be a list of ${len ?? "any number of"} integers, got ${JSON.stringify(v)}`,
    );
  }
  return v as number[];
}
const Array_isArray = (v: unknown): v is unknown[] => globalThis.Array.isArray(v);

export const broadcast_in_dim_p = definePrimitive<{ shape: number[]; broadcastDimensions: number[] }>("broadcast_in_dim", {
  abstractEval: ([x], { shape, broadcastDimensions: bd }) => {
    checkInts("broadcast_in_dim", "broadcastDimensions", bd, x.shape.length);
    for (let i = 0; i < bd.length; i++) {
      const d = bd[i];
      if (d < 0 || d >= shape.length || (i > 0 && d <= bd[i - 1]) || (x.shape[i] !== 1 && x.shape[i] !== shape[d])) {
        throw new TypeError(
          `lax.broadcast_in_dim: cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)} with ` +
            `broadcast_dimensions ${JSON.stringify(bd)}`,
        );
      }
    }
    return [aval(shape, x.dtype, x.weakType)];
  },
  impl: ([x], { shape, broadcastDimensions: bd }) => {
    const strides = new globalThis.Array<number>(shape.length).fill(0);
    for (let i = 0; i < bd.length; i++) if (x.shape[i] === shape[bd[i]] && shape[bd[i]] !== 1) strides[bd[i]] = x._strides[i];
    return [x._view(shape.slice(), strides, x._offset)];
  },
});


export const reshape_p = definePrimitive<{ newSizes: number[] }>("reshape", {
  abstractEval: ([x], { newSizes }) => {
    checkInts("reshape", "newSizes", newSizes);
    if (sizeOf(newSizes) !== sizeOf(x.shape) || newSizes.some((d) => d < 0)) {
      throw new TypeError(`reshape: cannot reshape an array of shape ${fmtShape(x.shape)} (size ${sizeOf(x.shape)}) into shape ${fmtShape(newSizes)}`);
    }
    return [aval(newSizes, x.dtype, x.weakType)];
  },
  impl: ([x], { newSizes }) => {
    const st = reshapeViewStrides(x.shape, x._strides, newSizes);
    if (st) return [x._view(newSizes.slice(), st, x._offset)];
    const c = materialize(x);
    const out = c._view(newSizes.slice(), contiguousStrides(newSizes), c._offset);
    c.dispose();
    return [out];
  },
});

export const transpose_p = definePrimitive<{ permutation: number[] }>("transpose", {
  abstractEval: ([x], { permutation: p }) => {
    checkInts("transpose", "permutation", p, x.shape.length);
    if (new Set(p).size !== p.length || p.some((a) => a < 0 || a >= p.length)) {
      throw new TypeError(`transpose: ${JSON.stringify(p)} is not a permutation of the axes of an array of shape ${fmtShape(x.shape)}`);
    }
    return [aval(p.map((a) => x.shape[a]), x.dtype, x.weakType)];
  },
  impl: ([x], { permutation: p }) => [x._view(p.map((a) => x.shape[a]), p.map((a) => x._strides[a]), x._offset)],
});

/** Axis list of `fn` for an array of rank `rank`: negative axes count from the end; no repeats. */
function normAxes(fn: string, name: string, dims: unknown, rank: number): number[] {
  const out = checkInts(fn, name, dims).map((d) => (d < 0 ? d + rank : d));
  out.forEach((d, i) => {
    if (d < 0 || d >= rank) throw new RangeError(`lax.${fn}: ${name} ${JSON.stringify(dims)} has an axis out of range for rank ${rank}`);
    if (out.indexOf(d) !== i) throw new RangeError(`lax.${fn}: ${name} ${JSON.stringify(dims)} repeats axis ${d}`);
  });
  return out;
}

export const squeeze_p = definePrimitive<{ dimensions: number[] }>("squeeze", {
  abstractEval: ([x], { dimensions }) => {
    const dims = normAxes("squeeze", "dimensions", dimensions, x.shape.length);
    for (const d of dims) {
      if (x.shape[d] !== 1) {
        throw new TypeError(`squeeze: cannot squeeze axis ${d} of size ${x.shape[d]} (shape ${fmtShape(x.shape)}); only size-1 axes can be removed`);
      }
    }
    return [aval(x.shape.filter((_, i) => !dims.includes(i)), x.dtype, x.weakType)];
  },
  impl: ([x], { dimensions }) => {
    const dims = normAxes("squeeze", "dimensions", dimensions, x.shape.length);
    const keep = x.shape.map((_, i) => !dims.includes(i));
    return [x._view(x.shape.filter((_, i) => keep[i]), x._strides.filter((_, i) => keep[i]), x._offset)];
  },
});

export const slice_p = definePrimitive<{ startIndices: number[]; limitIndices: number[]; strides: number[] | null }>("slice", {
  abstractEval: ([x], { startIndices: s, limitIndices: l, strides }) => {
    const n = x.shape.length;
    checkInts("slice", "startIndices", s, n);
    checkInts("slice", "limitIndices", l, n);
    if (strides) checkInts("slice", "strides", strides, n);
    for (let i = 0; i < n; i++) {
      if (s[i] < 0 || l[i] > x.shape[i] || s[i] > l[i] || (strides && strides[i] < 1)) {
        throw new RangeError(
          `lax.slice: invalid slice [${s}] to [${l}]${strides ? ` step [${strides}]` : ""} of shape ${fmtShape(x.shape)}`,
        );
      }
    }
    const shape = s.map((st, i) => Math.ceil((l[i] - st) / (strides ? strides[i] : 1)));
    return [aval(shape, x.dtype, x.weakType)];
  },
  impl: ([x], { startIndices: s, limitIndices: l, strides }) => {
    let off = x._offset;
    const shape: number[] = [];
    const st: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const step = strides ? strides[i] : 1;
      off += s[i] * x._strides[i];
      shape.push(Math.ceil((l[i] - s[i]) / step));
      st.push(x._strides[i] * step);
    }
    return [x._view(shape, st, off)];
  },
});

export const rev_p = definePrimitive<{ dimensions: number[] }>("rev", {
  abstractEval: ([x], { dimensions }) => {
    normAxes("rev", "dimensions", dimensions, x.shape.length);
    return [aval(x.shape, x.dtype, x.weakType)];
  },
  impl: ([x], { dimensions }) => {
    let off = x._offset;
    const st = x._strides.slice();
    for (const d of normAxes("rev", "dimensions", dimensions, x.shape.length)) {
      if (x.shape[d] > 0) off += (x.shape[d] - 1) * st[d];
      st[d] = -st[d];
    }
    return [x._view(x.shape, st, off)];
  },
});

/** Copies `src` into the region of `dst` given by offset/strides (elements). */
function copyInto(dst: Array, src: Array, offset: number, strides: number[]): void {
  if (src.size === 0) return;
  const b = deviceOf("copy", [dst, src]);
  b.copy(src.dtype, src.shape, viewOf(src), { buffer: dst._storage.buffer, strides, offset });
}

export const concatenate_p = definePrimitive<{ dimension: number }>("concatenate", {
  abstractEval: (xs, { dimension: d }) => {
    if (xs.length === 0) throw new TypeError("concatenate: needs at least one array");
    sameDtypes("concatenate", xs);
    const nd = xs[0].shape.length;
    if (d < 0 || d >= nd) throw new RangeError(`concatenate: axis ${d} is out of bounds for arrays of dimension ${nd}`);
    for (const x of xs) {
      if (x.shape.length !== nd || x.shape.some((s, i) => i !== d && s !== xs[0].shape[i])) {
        throw new TypeError(
          `concatenate: all shapes must match except on axis ${d}, got ${xs.map((a) => fmtShape(a.shape)).join(", ")}`,
        );
      }
    }
    const shape = xs[0].shape.slice();
    shape[d] = xs.reduce((s, x) => s + x.shape[d], 0);
    return [aval(shape, xs[0].dtype, xs.every((x) => x.weakType))];
  },
  impl: (xs, { dimension: d }) => {
    const shape = xs[0].shape.slice();
    shape[d] = xs.reduce((s, x) => s + x.shape[d], 0);
    const out = emptyArray(shape, xs[0].dtype, xs.every((x) => x.weakType), deviceOf("concatenate", xs));
    let pos = 0;
    for (const x of xs) {
      copyInto(out, x, pos * out._strides[d], out._strides);
      pos += x.shape[d];
    }
    return [out];
  },
});

const fullKernels = new Map<string, FusedKernel>();
/** A new array filled with one value. */
export function fullArray(shape: number[], value: number, dtype: DType, weak = false): Array {
  const key = `${dtype}:${Object.is(value, -0) ? "-0" : value}`;
  let k = fullKernels.get(key);
  if (!k) {
    const b = new KernelBuilder();
    k = b.build([b.const(value, dtype)]);
    if (fullKernels.size > 256) fullKernels.clear();
    fullKernels.set(key, k);
  }
  return runKernel("full", k, shape, [], shape, weak)[0];
}

/** pad(x, padValue, [[lo, hi, interior], ...]); lo/hi may be negative (cropping). */
export const pad_p = definePrimitive<{ paddingConfig: [number, number, number][] }>("pad", {
  abstractEval: ([x, pv], { paddingConfig: cfg }) => {
    sameDtypes("pad", [x, pv]);
    if (pv.shape.length !== 0) throw new TypeError(`lax.pad: the padding value must be a scalar, got shape ${fmtShape(pv.shape)}`);
    if (cfg.length !== x.shape.length) {
      throw new TypeError(`lax.pad: padding_config has ${cfg.length} entries for an array of dimension ${x.shape.length}`);
    }
    const shape = x.shape.map((d, i) => {
      const [lo, hi, int] = cfg[i];
      if (int < 0) throw new RangeError(`lax.pad: interior padding must be >= 0, got ${int}`);
      const n = lo + hi + d + Math.max(0, d - 1) * int;
      if (n < 0) throw new RangeError(`lax.pad: padding ${JSON.stringify(cfg[i])} leaves a negative size on axis ${i}`);
      return n;
    });
    return [aval(shape, x.dtype, x.weakType)];
  },
  impl: ([x, pv], { paddingConfig: cfg }) => {
    const shape = x.shape.map((d, i) => cfg[i][0] + cfg[i][1] + d + Math.max(0, d - 1) * cfg[i][2]);
    const value = Number(pv.item());
    const out = fullArray(shape, value, x.dtype, x.weakType);
    // Place x's element j at lo + j*(interior+1); elements landing outside are cropped.
    const srcStart: number[] = [];
    const srcStop: number[] = [];
    let off = 0;
    const dstStrides: number[] = [];
    for (let i = 0; i < shape.length; i++) {
      const [lo, , int] = cfg[i];
      const step = int + 1;
      const first = lo >= 0 ? 0 : Math.ceil(-lo / step);
      let last = x.shape[i];
      while (last > first && lo + (last - 1) * step >= shape[i]) last--;
      srcStart.push(first);
      srcStop.push(Math.max(first, last));
      off += (lo + first * step) * out._strides[i];
      dstStrides.push(out._strides[i] * step);
    }
    if (srcStop.every((s, i) => s > srcStart[i])) {
      const part = bind1(slice_p, [x], { startIndices: srcStart, limitIndices: srcStop, strides: null }) as Array;
      copyInto(out, part, off, dstStrides);
      part.dispose();
    }
    return [out];
  },
});

export const iota_p = definePrimitive<{ dtype: DType; shape: number[]; dimension: number }>("iota", {
  // Staged under jit rather than run at trace time (see Trace.dynamic): no captured index arrays.
  stageWhenTracing: true,
  abstractEval: (_, { dtype, shape, dimension }) => {
    if (dimension < 0 || dimension >= shape.length) {
      throw new RangeError(`lax.iota: dimension ${dimension} is out of bounds for shape ${fmtShape(shape)}`);
    }
    return [aval(shape, dtype, false)];
  },
  impl: (_, { dtype, shape, dimension }) => {
    const b = new KernelBuilder();
    const idx = b.iota(dimension, dtype === "float32" || dtype === "float64" || dtype === "float16" ? "int32" : dtype);
    const k = b.build([b.cast(idx, dtype)]);
    return runKernel("iota", k, shape, [], shape);
  },
});

/** A contiguous copy (lax has none; jnp.copy and materialization use it). */
export const copy_p = definePrimitive("copy", {
  abstractEval: ([x]) => [aval(x.shape, x.dtype, x.weakType)],
  impl: ([x]) => [materialize(x)],
});

// Convenience wrappers.
export const broadcastInDim = (x: ArrayBase, shape: number[], broadcastDimensions: number[]) =>
  bind1(broadcast_in_dim_p, [x], { shape, broadcastDimensions });
export const reshape = (x: ArrayBase, newSizes: number[]) => bind1(reshape_p, [x], { newSizes });
export const transpose = (x: ArrayBase, permutation: number[]) => bind1(transpose_p, [x], { permutation });

/**
 * stop_gradient: the identity on values. Its derivative rules (zero tangent and cotangent)
 * come with the transformations milestone; eagerly it is a view of the same storage.
 */
export const stop_gradient_p = definePrimitive("stop_gradient", {
  abstractEval: ([x]) => [aval(x.shape, x.dtype, x.weakType)],
  impl: ([x]) => [x._view(x.shape, x._strides, x._offset)],
});

stop_gradient_p.rules.jvp = ([x]) => [[bind1(stop_gradient_p, [x], {})], [null]];
copy_p.rules.jvp = ([x], [t]) => [[bind1(copy_p, [x], {})], [t === null ? null : bind1(copy_p, [t], {})]];
copy_p.rules.transpose = ([ct]) => [ct];


// ---- derivative and batching rules ------------------------------------------------------------
// Every movement primitive is linear: its jvp applies it to the tangent, and its transpose
// moves the cotangent back (sums over broadcast axes, pads a slice, slices a concatenation).
// Batching brings the batch axis to the front and shifts the static axis parameters by one.

type Ct = ArrayBase | null;
const linearShape = (x: ArrayBase | LinearArg): number[] => (x instanceof LinearArg ? x.aval.shape : x.shape);
/** Zeros for a symbolic-zero tangent: a broadcast scalar (a stride-0 view eagerly, one broadcast under jit). */
const tangentZeros = (x: ArrayBase): ArrayBase =>
  bind1(broadcast_in_dim_p, [fullArray([], 0, x.dtype)], { shape: x.shape.slice(), broadcastDimensions: [] });
const front = (x: ArrayBase, d: number | null): ArrayBase => moveaxis(x, d!, 0);
const shift = (axes: number[]): number[] => axes.map((a) => a + 1);

/** jvp of a primitive with one linear operand (and static params). */
function linear1<P extends Params>(p: Primitive<P>): void {
  p.rules.jvp = ([x], [t], params) => [[bind1(p, [x], params)], [t === null ? null : bind1(p, [t], params)]];
}

linear1(broadcast_in_dim_p);
broadcast_in_dim_p.rules.transpose = ([ct], [x], { shape, broadcastDimensions: bd }) => {
  if (ct === null) return [null];
  const xs = linearShape(x);
  // Sum over the new axes and over the size-1 operand axes that were stretched.
  const axes = range(shape.length).filter((d) => {
    const i = bd.indexOf(d);
    return i < 0 || (xs[i] === 1 && shape[d] !== 1);
  });
  const summed = axes.length ? bind1(reduce_sum_p, [ct], { axes }) : ct;
  return [sameShape(summed.shape, xs) ? summed : reshape(summed, xs)];
};
broadcast_in_dim_p.rules.batch = ([x], [d], { shape, broadcastDimensions: bd }) => {
  const xb = front(x, d);
  return [[bind1(broadcast_in_dim_p, [xb], { shape: [xb.shape[0], ...shape], broadcastDimensions: [0, ...shift(bd)] })], [0]];
};

linear1(reshape_p);
reshape_p.rules.transpose = ([ct], [x]) => [ct === null ? null : reshape(ct, linearShape(x))];
reshape_p.rules.batch = ([x], [d], { newSizes }) => {
  const xb = front(x, d);
  return [[reshape(xb, [xb.shape[0], ...newSizes])], [0]];
};

linear1(transpose_p);
transpose_p.rules.transpose = ([ct], _x, { permutation: p }) => {
  if (ct === null) return [null];
  const inv = p.map((_, i) => p.indexOf(i));
  return [bind1(transpose_p, [ct], { permutation: inv })];
};
transpose_p.rules.batch = ([x], [d], { permutation: p }) => [[bind1(transpose_p, [front(x, d)], { permutation: [0, ...shift(p)] })], [0]];

linear1(squeeze_p);
squeeze_p.rules.transpose = ([ct], [x]) => [ct === null ? null : reshape(ct, linearShape(x))];
squeeze_p.rules.batch = ([x], [d], { dimensions }) => {
  const rank = x.ndim - 1;
  const dims = dimensions.map((a) => (a < 0 ? a + rank : a));
  return [[bind1(squeeze_p, [front(x, d)], { dimensions: shift(dims) })], [0]];
};

linear1(slice_p);
slice_p.rules.transpose = ([ct], [x], { startIndices: s, strides }) => {
  if (ct === null) return [null];
  const xs = linearShape(x);
  // The slice's elements sit at s + k*stride: pad zeros around them (strides - 1 between).
  const cfg = xs.map((n, i): [number, number, number] => {
    const st = strides ? strides[i] : 1;
    const m = ct.shape[i];
    const end = m === 0 ? s[i] : s[i] + (m - 1) * st + 1;
    return [s[i], n - end, m === 0 ? 0 : st - 1];
  });
  return [bind1(pad_p, [ct, fullArray([], 0, ct.dtype)], { paddingConfig: cfg })];
};
slice_p.rules.batch = ([x], [d], { startIndices: s, limitIndices: l, strides }) => {
  const xb = front(x, d);
  return [[bind1(slice_p, [xb], { startIndices: [0, ...s], limitIndices: [xb.shape[0], ...l], strides: strides ? [1, ...strides] : null })], [0]];
};

linear1(rev_p);
rev_p.rules.transpose = ([ct], _x, params) => [ct === null ? null : bind1(rev_p, [ct], params)];
rev_p.rules.batch = ([x], [d], { dimensions }) => {
  const rank = x.ndim - 1;
  const dims = dimensions.map((a) => (a < 0 ? a + rank : a)).map((a) => (a >= d! ? a + 1 : a));
  return [[bind1(rev_p, [x], { dimensions: dims })], [d]];
};

concatenate_p.rules.jvp = (xs, ts, params) => {
  const out = bind1(concatenate_p, xs, params);
  if (ts.every((t) => t === null)) return [[out], [null]];
  return [[out], [bind1(concatenate_p, ts.map((t, i) => t ?? tangentZeros(xs[i])), params)]];
};
concatenate_p.rules.transpose = ([ct], args, { dimension: d }) => {
  let pos = 0;
  return args.map((a) => {
    const shape = linearShape(a);
    const start = pos;
    pos += shape[d];
    if (ct === null || !(a instanceof LinearArg)) return null;
    const lo = shape.map((_, i) => (i === d ? start : 0));
    const hi = shape.map((n, i) => (i === d ? start + n : n));
    return bind1(slice_p, [ct], { startIndices: lo, limitIndices: hi, strides: null });
  });
};
concatenate_p.rules.batch = (xs, dims, { dimension }) => {
  const n = batchSize(xs, dims);
  const parts = xs.map((x, i) => (dims[i] === null ? broadcastAxis(x, n, 0) : front(x, dims[i])));
  return [[bind1(concatenate_p, parts, { dimension: dimension + 1 })], [0]];
};

pad_p.rules.jvp = ([x, pv], [tx, tpv], params) => {
  const out = bind1(pad_p, [x, pv], params);
  if (tx === null && tpv === null) return [[out], [null]];
  return [[out], [bind1(pad_p, [tx ?? tangentZeros(x), tpv ?? tangentZeros(pv)], params)]];
};
pad_p.rules.transpose = ([ct], [x, pv], { paddingConfig: cfg }) => {
  if (ct === null) return [null, null];
  // The operand's cotangent: undo the edge padding (a negative pad crops, a positive one
  // restores cropped elements as zeros), then take every (interior + 1)-th element.
  const unpadded = bind1(pad_p, [ct, fullArray([], 0, ct.dtype)], { paddingConfig: cfg.map(([lo, hi]): [number, number, number] => [-lo, -hi, 0]) });
  const tx = bind1(slice_p, [unpadded], {
    startIndices: cfg.map(() => 0),
    limitIndices: unpadded.shape.slice(),
    strides: cfg.map(([, , int]) => int + 1),
  });
  let tpv: Ct = null;
  if (pv instanceof LinearArg) {
    // Every output element not taken from the operand is the padding value.
    const all = (a: ArrayBase) => bind1(reduce_sum_p, [a], { axes: range(a.ndim) });
    tpv = bind1(sub_p, [all(ct), all(tx)], {});
  }
  return [x instanceof LinearArg ? tx : null, tpv];
};
pad_p.rules.batch = ([x, pv], [dx, dpv], { paddingConfig: cfg }) => {
  const n = batchSize([x, pv], [dx, dpv]);
  const xb = dx === null ? broadcastAxis(x, n, 0) : front(x, dx);
  const cfgB: [number, number, number][] = [[0, 0, 0], ...cfg];
  if (dpv === null) return [[bind1(pad_p, [xb, pv], { paddingConfig: cfgB })], [0]];
  // A padding value per batch element: pad with zeros, then select the padding value where
  // a padded mask of trues says the element did not come from the operand.
  const padded = bind1(pad_p, [xb, fullArray([], 0, x.dtype)], { paddingConfig: cfgB });
  const mask = bind1(pad_p, [fullArray(xb.shape, 1, "bool"), fullArray([], 0, "bool")], { paddingConfig: cfgB });
  const pvb = bind1(broadcast_in_dim_p, [pv], { shape: padded.shape, broadcastDimensions: [0] });
  return [[bind1(select_n_p, [mask, pvb, padded], {})], [0]];
};

iota_p.rules.jvp = (_xs, _ts, params) => [[bind1(iota_p, [], params)], [null]];

copy_p.rules.batch = ([x], [d]) => [[bind1(copy_p, [x], {})], [d]];
stop_gradient_p.rules.batch = ([x], [d]) => [[bind1(stop_gradient_p, [x], {})], [d]];

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
