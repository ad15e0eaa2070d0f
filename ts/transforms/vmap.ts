// vmap: the batching trace carries (value, batch axis) pairs through each primitive's batch
// rule. Elementwise primitives without a rule batch by aligning axes; any other primitive
// without a rule falls back to a loop over the batch (correct, slow) so that everything
// is vmappable.
import type { ArrayBase } from "../array/base.js";
import type { Aval, Params, Primitive } from "../core/primitive.js";
import { Trace, Tracer, bind, withTrace } from "../core/trace.js";
import { avalOf } from "../core/staging.js";
import { batchSize, batchToFront, broadcastAxis, moveaxis, reshape } from "../lax/rule_util.js";
import { concatenate_p, slice_p } from "../lax/structural.js";
import { bind1 } from "../core/trace.js";
import { flatten, flattenUpTo, unflatten } from "../tree/index.js";
import { checkFunction, flattenArgs, freeIntermediates } from "./common.js";
import { asUser } from "../runtime/buffer.js";

export class BatchTracer extends Tracer {
  readonly aval: Aval;
  constructor(
    readonly _trace: BatchTrace,
    readonly val: ArrayBase,
    readonly bdim: number | null,
  ) {
    super();
    const a = avalOf(val);
    this.aval = bdim === null ? a : { shape: a.shape.filter((_, i) => i !== bdim), dtype: a.dtype, weakType: a.weakType };
  }
}

export class BatchTrace extends Trace {
  constructor(
    level: number,
    readonly axisSize: number,
  ) {
    super(level);
  }
  lift(x: ArrayBase): BatchTracer {
    return new BatchTracer(this, x, null);
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): ArrayBase[] {
    const ts = tracers as BatchTracer[];
    const vals = ts.map((t) => t.val);
    const dims = ts.map((t) => t.bdim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params).map((v) => new BatchTracer(this, v, null));
    const rule = prim.rules.batch ?? (prim.rules.lower ? elementwiseBatch : loopBatch(prim));
    const [outs, outDims] = rule(vals, dims, params, prim);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]));
  }
}

/** Batching of primitives whose operands all have one shape: batch axes to the front. */
export function elementwiseBatch(args: ArrayBase[], dims: (number | null)[], params: Params, prim?: Primitive): [ArrayBase[], number[]] {
  const n = batchSize(args, dims);
  // Unbatched scalar-shaped operands still need the batch axis: lax ops need equal shapes.
  const outs = bind(prim!, batchToFront(args, dims, n), params);
  return [outs, outs.map(() => 0)];
}

/** The fallback: apply the primitive to each batch element and stack the results. */
function loopBatch(prim: Primitive) {
  return (args: ArrayBase[], dims: (number | null)[], params: Params): [ArrayBase[], number[]] => {
    const n = batchSize(args, dims);
    const results: ArrayBase[][] = [];
    for (let i = 0; i < n; i++) {
      const slice = args.map((a, k) => (dims[k] === null ? a : indexAxis(a, dims[k]!, i)));
      results.push(bind(prim, slice, params));
    }
    const outs = results[0].map((_, j) => {
      const parts = results.map((r) => broadcastAxis(r[j], 1, 0));
      return parts.length === 1 ? parts[0] : bind1(concatenate_p, parts, { dimension: 0 });
    });
    return [outs, outs.map(() => 0)];
  };
}

/** x[..., i, ...] along axis (a static index). */
export function indexAxis(x: ArrayBase, axis: number, i: number): ArrayBase {
  const start = x.shape.map((_, d) => (d === axis ? i : 0));
  const limit = x.shape.map((s, d) => (d === axis ? i + 1 : s));
  const s = bind1(slice_p, [x], { startIndices: start, limitIndices: limit, strides: null });
  return reshape(s, x.shape.filter((_, d) => d !== axis));
}

export interface VmapOptions {
  inAxes?: unknown;
  outAxes?: unknown;
  axisSize?: number;
}

/** vmap(f, {inAxes, outAxes, axisSize}): f mapped over an axis of its arguments. */
export function vmap(f: (...args: any[]) => any, opts: VmapOptions = {}): (...args: any[]) => any {
  checkFunction("vmap", f);
  const inAxesOpt = opts.inAxes === undefined ? 0 : opts.inAxes;
  const outAxesOpt = opts.outAxes === undefined ? 0 : opts.outAxes;
  return (...args: any[]) => {
    // in_axes: an int/null for every argument, or a list (a prefix of the argument list's tree).
    let axesTree: unknown;
    if (typeof inAxesOpt === "number" || inAxesOpt === null) axesTree = args.map(() => inAxesOpt);
    else if (Array.isArray(inAxesOpt)) {
      if (inAxesOpt.length !== args.length) {
        throw new TypeError(`vmap: inAxes has ${inAxesOpt.length} entries but the function got ${args.length} arguments; give one per argument`);
      }
      axesTree = inAxesOpt;
    } else throw new TypeError(`vmap: inAxes must be a number, null or a list with one entry per argument, got ${JSON.stringify(inAxesOpt)}`);
    const [axesLeaves, axesDef] = flatten(axesTree, (x) => x === null);
    const argGroups = flattenUpTo("vmap in_axes", axesDef, args);
    const leafAxes: (number | null)[] = [];
    const leaves: ArrayBase[] = [];
    const groupDefs = argGroups.map((g, gi) => {
      const [ls, def] = flattenArgs("vmap", g);
      const ax = axesLeaves[gi] as number | null;
      if (ax !== null && !Number.isInteger(ax)) throw new TypeError(`vmap: in_axes entries must be integers or null, got ${JSON.stringify(ax)}`);
      for (const l of ls) {
        leaves.push(l);
        if (ax === null) leafAxes.push(null);
        else {
          if (ax < -l.ndim || ax >= l.ndim) {
            throw new RangeError(`vmap: in_axes ${ax} is out of bounds for an argument of shape [${l.shape}] (rank ${l.ndim})`);
          }
          leafAxes.push(ax < 0 ? ax + l.ndim : ax);
        }
      }
      return [def, ls.length] as const;
    });
    // The batch size, from the mapped arguments (or axisSize).
    const sizes = new Set<number>();
    leaves.forEach((l, i) => leafAxes[i] !== null && sizes.add(l.shape[leafAxes[i]!]));
    if (opts.axisSize !== undefined) sizes.add(opts.axisSize);
    if (sizes.size === 0) throw new TypeError("vmap: no argument is mapped (all inAxes are null); pass axisSize to say the batch size");
    if (sizes.size > 1) {
      const desc = leaves.map((l, i) => (leafAxes[i] === null ? null : `axis ${leafAxes[i]} of [${l.shape}]`)).filter((x) => x).join(", ");
      throw new RangeError(`vmap: inconsistent sizes for the mapped axes: ${[...sizes].join(" vs ")} (${desc})`);
    }
    const n = [...sizes][0];
    return freeIntermediates(() => withTrace(
      (level) => new BatchTrace(level, n),
      (trace) => {
        let k = 0;
        const groups = groupDefs.map(([def, count]) => {
          const ls = leaves.slice(k, k + count).map((l, j) => new BatchTracer(trace, l, leafAxes[k + j]));
          k += count;
          return unflatten(def, ls);
        });
        const tracedArgs = unflatten(axesDef, groups) as unknown[];
        const out = asUser(() => f(...tracedArgs));
        const [outLeaves, outDef] = flattenArgs("vmap", out);
        // out_axes: a number/null for all outputs, or a prefix tree of the output.
        let outAxes: (number | null)[];
        if (typeof outAxesOpt === "number" || outAxesOpt === null) outAxes = outLeaves.map(() => outAxesOpt as number | null);
        else {
          const [oa, oaDef] = flatten(outAxesOpt, (x) => x === null);
          const groups = flattenUpTo("vmap out_axes", oaDef, unflatten(outDef, outLeaves));
          outAxes = [];
          groups.forEach((g, gi) => flatten(g)[0].forEach(() => outAxes.push(oa[gi] as number | null)));
        }
        const res = outLeaves.map((o, i) => finishOut(trace, o, outAxes[i], n));
        return unflatten(outDef, res);
      },
    ));
  };
}

function finishOut(trace: BatchTrace, o: ArrayBase, outAxis: number | null, n: number): ArrayBase {
  let val: ArrayBase;
  let bdim: number | null;
  if (o instanceof BatchTracer && o._trace === trace) {
    val = o.val;
    bdim = o.bdim;
  } else {
    val = o;
    bdim = null;
  }
  if (outAxis === null) {
    if (bdim !== null) throw new TypeError("vmap: an output with outAxes null must not depend on the mapped inputs");
    return val;
  }
  const rank = val.ndim + (bdim === null ? 1 : 0);
  const dst = outAxis < 0 ? outAxis + rank : outAxis;
  if (dst < 0 || dst >= rank) throw new RangeError(`vmap: outAxes ${outAxis} is out of bounds for an output of rank ${rank}`);
  if (bdim === null) return broadcastAxis(val, n, dst);
  return moveaxis(val, bdim, dst);
}
