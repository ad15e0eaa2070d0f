// reduce_window (pooling): pad with the init value — the reduction's identity unless JAX's
// (initValue, computation) form gives another, which then also starts every window —
// (interior padding gives base dilation), then view the padded array as [out..., window...] with strides
// (stride * windowStride, stride * windowDilation) and reduce the window axes in one fused
// kernel. No routine of its own: the kernel VM does the work.
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { isBool, isFloat, type DType } from "../array/dtype.js";
import { fmtShape, range } from "../array/shape.js";
import { LinearArg, definePrimitive } from "../core/primitive.js";
import { bind1 } from "../core/trace.js";
import { runKernel } from "../runtime/eager.js";
import type { FusedKernel, ReduceOp } from "../runtime/kernel.js";
import { paddingPairs } from "./conv.js";
import { fullArray, pad_p, slice_p } from "./structural.js";
import { add_p, and_p, gt_p, is_nan_p, lt_p, max_p, min_p, mul_p, not_p, or_p, select_n_p } from "./elementwise.js";
import { mul, zerosLike } from "./rule_util.js";
import * as api from "./api.js";

export type WindowOp = "sum" | "max" | "min" | "prod";

export interface ReduceWindowParams {
  op: WindowOp;
  /** XLA's init value: pads the operand and starts every window; null = the op's identity. */
  init: number | null;
  windowDimensions: number[];
  windowStrides: number[];
  padding: [number, number][];
  baseDilation: number[];
  windowDilation: number[];
}

/** The identity of a window reduction in a dtype (-inf / the minimum for max, ...). */
export function windowIdentity(op: WindowOp, dtype: DType): number {
  if (op === "sum") return 0;
  if (op === "prod") return 1;
  const big = isFloat(dtype)
    ? Infinity
    : ({ int32: 2 ** 31 - 1, int16: 32767, int8: 127, uint32: 2 ** 32 - 1, uint16: 65535, uint8: 255, bool: 1 } as Record<string, number>)[dtype];
  const small = isFloat(dtype)
    ? -Infinity
    : ({ int32: -(2 ** 31), int16: -32768, int8: -128, uint32: 0, uint16: 0, uint8: 0, bool: 0 } as Record<string, number>)[dtype];
  return op === "max" ? small : big;
}

function outShape(shape: number[], p: ReduceWindowParams): number[] {
  return shape.map((n, i) => {
    const padded = (n - 1) * p.baseDilation[i] + 1 + p.padding[i][0] + p.padding[i][1];
    const w = (p.windowDimensions[i] - 1) * p.windowDilation[i] + 1;
    return padded < w ? 0 : Math.floor((padded - w) / p.windowStrides[i]) + 1;
  });
}

const kernels = new Map<string, FusedKernel>();

export const reduce_window_p = definePrimitive<ReduceWindowParams>("reduce_window", {
  abstractEval: ([x], p) => {
    const fn = "lax.reduce_window";
    const nd = x.shape.length;
    for (const [name, v] of [
      ["window_dimensions", p.windowDimensions],
      ["window_strides", p.windowStrides],
      ["base_dilation", p.baseDilation],
      ["window_dilation", p.windowDilation],
    ] as const) {
      if (v.length !== nd || v.some((s) => !Number.isInteger(s) || s < 1)) {
        throw new TypeError(`${fn}: ${name} must be ${nd} positive integers for an operand of shape ${fmtShape(x.shape)}, got ${JSON.stringify(v)}`);
      }
    }
    if (p.padding.length !== nd) throw new TypeError(`${fn}: padding needs ${nd} (lo, hi) pairs, got ${JSON.stringify(p.padding)}`);
    return [{ shape: outShape(x.shape, p), dtype: x.dtype, weakType: x.weakType }];
  },
  impl: ([x], p) => {
    const nd = x.shape.length;
    // On bools XLA's add is `or` and mul is `and`: the same as max and min.
    const op: WindowOp = isBool(x.dtype) ? boolOp(p.op) : p.op;
    const identity = windowIdentity(op, x.dtype);
    const init = p.init ?? identity;
    const pv = fullArray([], init, x.dtype);
    const padded = bind1(pad_p, [x, pv], {
      paddingConfig: p.padding.map(([lo, hi], i) => [lo, hi, p.baseDilation[i] - 1] as [number, number, number]),
    }) as Array;
    pv.dispose();
    const out = outShape(x.shape, p);
    const view = padded._view(
      [...out, ...p.windowDimensions],
      [...padded._strides.map((s, i) => s * p.windowStrides[i]), ...padded._strides.map((s, i) => s * p.windowDilation[i])],
      padded._offset,
    );
    const axes = range(nd).map((i) => i + nd);
    const key = `${op}|${x.dtype}|${nd}`;
    let k = kernels.get(key);
    if (!k) {
      k = {
        inputs: [{ dtype: x.dtype }],
        nodes: [{ kind: "input", input: 0, dtype: x.dtype }],
        reduce: { op: op as ReduceOp, axes, arg: 0, dtype: x.dtype },
        epilogue: [{ kind: "reduced", dtype: x.dtype }],
        outputs: [{ node: 0, dtype: x.dtype }],
      };
      kernels.set(key, k);
    }
    let res = runKernel("reduce_window", k, view.shape, [view], out, x.weakType);
    view.dispose();
    padded.dispose();
    if (init !== identity && !Object.is(init, identity)) {
      // A non-identity init value also starts every window: out = init (op) reduction.
      const iv = fullArray(out, init, x.dtype);
      const combine = { sum: add_p, prod: mul_p, max: max_p, min: min_p }[op];
      const r = bind1(combine, [res[0], iv], {}) as Array;
      res[0].dispose();
      iv.dispose();
      res = [r];
    }
    return res;
  },
});

type Computation = (x: ArrayBase, y: ArrayBase) => ArrayBase;
type WindowOpts = { baseDilation?: number[] | null; windowDilation?: number[] | null };

/**
 * lax.reduce_window in two forms:
 *  - reduceWindow(operand, op, windowDimensions, windowStrides?, padding = "VALID",
 *    {baseDilation, windowDilation}) with op "sum" | "max" | "min" | "prod" (the reduction's
 *    identity pads and starts each window: max pads with -inf);
 *  - JAX's reduceWindow(operand, initValue, computation, windowDimensions, windowStrides?,
 *    padding?, baseDilation?, windowDilation?) with computation lax.add / lax.mul / lax.max /
 *    lax.min; initValue pads the operand and starts every window, as XLA's ReduceWindow (with
 *    the identity — 0, 1, -inf, +inf or the integer limits — it is the plain pooling).
 *    Other computations are not supported (a clear error says so).
 * String padding ("SAME", "SAME_LOWER", "VALID") comes from JAX's padtype_to_pads.
 */
export function reduceWindow(
  operand: ArrayBase,
  op: WindowOp,
  windowDimensions: number[],
  windowStrides?: number[] | null,
  padding?: string | [number, number][],
  opts?: WindowOpts,
): ArrayBase;
export function reduceWindow(
  operand: ArrayBase,
  initValue: number | boolean | ArrayBase,
  computation: Computation,
  windowDimensions: number[],
  windowStrides?: number[] | null,
  padding?: string | [number, number][],
  baseDilation?: number[] | null | WindowOpts,
  windowDilation?: number[] | null,
): ArrayBase;
export function reduceWindow(operand: ArrayBase, ...rest: unknown[]): ArrayBase {
  const fn = "lax.reduce_window";
  let op: WindowOp;
  let init: number | null = null;
  let windowDimensions: number[];
  let windowStrides: number[] | null | undefined;
  let padding: string | [number, number][];
  let opts: WindowOpts;
  if (typeof rest[1] === "function") {
    const ops = new Map<unknown, WindowOp>([[api.add, "sum"], [api.mul, "prod"], [api.max, "max"], [api.min, "min"]]);
    const o = ops.get(rest[1]);
    if (!o) {
      throw new TypeError(`${fn}: the computation must be lax.add, lax.mul, lax.max or lax.min (other reductions are not supported)`);
    }
    op = o;
    init = initScalar(fn, rest[0]);
    windowDimensions = rest[2] as number[];
    windowStrides = rest[3] as number[] | null | undefined;
    padding = (rest[4] as string | [number, number][] | undefined) ?? "VALID";
    const bd = rest[5];
    opts = bd && !globalThis.Array.isArray(bd) && typeof bd === "object" ? (bd as WindowOpts) : { baseDilation: bd as number[] | null, windowDilation: rest[6] as number[] | null };
  } else {
    op = rest[0] as WindowOp;
    windowDimensions = rest[1] as number[];
    windowStrides = rest[2] as number[] | null | undefined;
    padding = (rest[3] as string | [number, number][] | undefined) ?? "VALID";
    opts = (rest[4] as WindowOpts | undefined) ?? {};
    if (typeof op !== "string" || !["sum", "max", "min", "prod"].includes(op)) {
      throw new TypeError(
        `${fn}: op must be "sum", "max", "min" or "prod" (or pass JAX's initValue, computation), got ${typeof op === "string" ? JSON.stringify(op) : typeof op}`,
      );
    }
  }
  const nd = operand.ndim;
  const strides = windowStrides ?? new globalThis.Array(nd).fill(1);
  const baseDilation = opts.baseDilation ?? new globalThis.Array(nd).fill(1);
  const windowDilation = opts.windowDilation ?? new globalThis.Array(nd).fill(1);
  for (const [name, v] of [["window_dimensions", windowDimensions], ["window_strides", strides], ["base_dilation", baseDilation], ["window_dilation", windowDilation]] as const) {
    if (!globalThis.Array.isArray(v) || v.length !== nd) {
      throw new TypeError(`${fn}: ${name} needs ${nd} entries for an operand of shape ${fmtShape(operand.shape)}, got ${JSON.stringify(v)}`);
    }
  }
  // String padding is computed from the operand's shape before base dilation, as JAX does
  // (jax/_src/lax/windowed_reductions.py, _reduce_window), with the dilated window.
  const win = windowDimensions.map((w, i) => (w - 1) * windowDilation[i] + 1);
  const pads = paddingPairs(padding, operand.shape, win, strides, fn);
  if (init !== null && Object.is(init, windowIdentity(isBool(operand.dtype) ? boolOp(op) : op, operand.dtype))) init = null;
  return bind1(reduce_window_p, [operand], { op, init, windowDimensions, windowStrides: strides, padding: pads, baseDilation, windowDilation });
}

const boolOp = (op: WindowOp): WindowOp => ({ sum: "max", prod: "min", max: "max", min: "min" } as const)[op];

/** The init value as a number (JAX, too, needs it concrete to pick the monoid reducer). */
function initScalar(fn: string, v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  const a = v as ArrayBase | null;
  if (a && typeof a === "object" && "shape" in a && a.shape.length === 0) return Number((a as unknown as { item(): number | boolean }).item());
  throw new TypeError(`${fn}: initValue must be a scalar (a number or a 0-d array), got ${a && typeof a === "object" && "shape" in a ? `shape ${fmtShape(a.shape)}` : typeof v}`);
}

// ---------------------------------------------------------------------------------------
// Derivative and batching rules.
// - sum: the tangent is the same window sum of the tangent (an init value only adds a
//   constant), linear; its transpose pads the cotangent (strides become interior padding)
//   and sums windows of it again, as JAX's _reduce_window_sum_transpose_rule.
// - max / min: the tangent of each window's winner (JAX's select_and_gather_add): the first
//   entry in window order holding the extreme wins ties, a NaN beats numbers; padding and the
//   init value have zero tangent.
// - prod: sum over the window of t_w * prod_{v != w} x_v from prefix/suffix products.
// max/min/prod read the window entries as one strided slice per window position, so their
// tangents are slices, selects and products: linear, and transposed by those rules.
// Batching adds a window dimension of size 1 for the batch axis.

/** The W (product of windowDimensions) strided views of the padded operand, one per window position, each of the output's shape. */
function windowEntries(y: ArrayBase, p: ReduceWindowParams, padValue: number): ArrayBase[] {
  const nd = y.ndim;
  const pv = fullArray([], padValue, y.dtype, y.weakType);
  const padded = bind1(pad_p, [y, pv], {
    paddingConfig: p.padding.map(([lo, hi], i) => [lo, hi, p.baseDilation[i] - 1] as [number, number, number]),
  });
  const out = outShape(y.shape, p);
  const entries: ArrayBase[] = [];
  const pos = new globalThis.Array<number>(nd).fill(0);
  const total = p.windowDimensions.reduce((a, b) => a * b, 1);
  for (let w = 0; w < total; w++) {
    const start = pos.map((k, i) => k * p.windowDilation[i]);
    const limit = start.map((s, i) => s + (out[i] - 1) * p.windowStrides[i] + 1);
    entries.push(bind1(slice_p, [padded], { startIndices: start, limitIndices: limit, strides: p.windowStrides.slice() }));
    for (let i = nd - 1; i >= 0; i--) {
      if (++pos[i] < p.windowDimensions[i]) break;
      pos[i] = 0;
    }
  }
  return entries;
}

const sel = (pred: ArrayBase, onFalse: ArrayBase, onTrue: ArrayBase) => bind1(select_n_p, [pred, onFalse, onTrue], {});

function windowChooserTangent(x: ArrayBase, t: ArrayBase, p: ReduceWindowParams): ArrayBase {
  const op = p.op as "max" | "min";
  const identity = windowIdentity(op, x.dtype);
  const xs = windowEntries(x, p, p.init ?? identity);
  const ts = windowEntries(t, p, 0);
  const beats = op === "max" ? gt_p : lt_p;
  const zero = fullArray(xs[0].shape, 0, t.dtype);
  // Running winner: starts at the init value (zero tangent) when there is one.
  let best = p.init === null ? xs[0] : fullArray(xs[0].shape, p.init, x.dtype, x.weakType);
  let bt = p.init === null ? ts[0] : zero;
  for (let w = p.init === null ? 1 : 0; w < xs.length; w++) {
    const nan = bind1(and_p, [bind1(is_nan_p, [xs[w]], {}), bind1(not_p, [bind1(is_nan_p, [best], {})], {})], {});
    const take = bind1(or_p, [bind1(beats, [xs[w], best], {}), nan], {});
    best = sel(take, best, xs[w]);
    bt = sel(take, bt, ts[w]);
  }
  return bt;
}

function windowProdTangent(x: ArrayBase, t: ArrayBase, p: ReduceWindowParams): ArrayBase {
  const xs = windowEntries(x, p, p.init ?? 1);
  const ts = windowEntries(t, p, 0);
  const W = xs.length;
  // prefix[w] = init * x_0 ... x_{w-1}; suffix[w] = x_{w+1} ... x_{W-1}.
  const prefix: ArrayBase[] = [fullArray(xs[0].shape, p.init ?? 1, x.dtype, x.weakType)];
  for (let w = 1; w < W; w++) prefix.push(mul(prefix[w - 1], xs[w - 1]));
  let suffix: ArrayBase | null = null;
  let acc: ArrayBase | null = null;
  for (let w = W - 1; w >= 0; w--) {
    const coef = suffix === null ? prefix[w] : mul(prefix[w], suffix);
    const term = mul(ts[w], coef);
    acc = acc === null ? term : bind1(add_p, [acc, term], {});
    suffix = suffix === null ? xs[w] : mul(xs[w], suffix);
  }
  return acc!;
}

reduce_window_p.rules.jvp = ([x], [t], p) => {
  const out = bind1(reduce_window_p, [x], p);
  if (t === null || !isFloat(x.dtype)) return [[out], [null]];
  if (out.size === 0) return [[out], [zerosLike(out)]];
  if (p.op === "sum") return [[out], [bind1(reduce_window_p, [t], { ...p, init: null })]];
  if (p.op === "prod") return [[out], [windowProdTangent(x, t, p)]];
  return [[out], [windowChooserTangent(x, t, p)]];
};

const dilateShape = (n: number, d: number) => (n === 0 ? 0 : 1 + d * (n - 1));

reduce_window_p.rules.transpose = ([ct], [x], p) => {
  if (!(x instanceof LinearArg) || p.op !== "sum" || p.init !== null) {
    throw new TypeError(`transpose: reduce_window is linear only as a sum with a zero init value (got op ${p.op}, init ${p.init})`);
  }
  if (ct === null) return [null];
  const inShape = x.aval.shape;
  if (ct.size === 0) return [fullArray(inShape, 0, ct.dtype)];
  // JAX's _conv_general_vjp_lhs_padding with the window as the kernel.
  const pads = inShape.map((n, i) => {
    const lhs = dilateShape(n, p.baseDilation[i]);
    const rhs = dilateShape(p.windowDimensions[i], p.windowDilation[i]);
    const outD = dilateShape(ct.shape[i], p.windowStrides[i]);
    const before = rhs - p.padding[i][0] - 1;
    return [before, lhs + rhs - 1 - outD - before, p.windowStrides[i] - 1] as [number, number, number];
  });
  const padded = bind1(pad_p, [ct, fullArray([], 0, ct.dtype)], { paddingConfig: pads });
  const nd = inShape.length;
  return [
    bind1(reduce_window_p, [padded], {
      op: "sum",
      init: null,
      windowDimensions: p.windowDimensions,
      windowStrides: p.baseDilation,
      padding: range(nd).map(() => [0, 0] as [number, number]),
      baseDilation: range(nd).map(() => 1),
      windowDilation: p.windowDilation,
    }),
  ];
};

reduce_window_p.rules.batch = ([x], [d], p) => {
  const bd = d!;
  const ins = <T>(v: T[], item: T) => [...v.slice(0, bd), item, ...v.slice(bd)];
  const params: ReduceWindowParams = {
    ...p,
    windowDimensions: ins(p.windowDimensions, 1),
    windowStrides: ins(p.windowStrides, 1),
    padding: ins(p.padding, [0, 0] as [number, number]),
    baseDilation: ins(p.baseDilation, 1),
    windowDilation: ins(p.windowDilation, 1),
  };
  return [[bind1(reduce_window_p, [x], params)], [bd]];
};
