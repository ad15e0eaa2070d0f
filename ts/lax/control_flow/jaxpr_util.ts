// Jaxpr plumbing shared by the control-flow primitives: tracing user functions into closed
// jaxprs (with captured tracers hoisted into explicit operands), rearranging a jaxpr's inputs,
// and the jaxpr-to-jaxpr transformations (jvp, batching, transposition) their rules use.
import type { ArrayBase } from "../../array/base.js";
import { ClosedJaxpr, Jaxpr, Var, evalJaxpr, fmtAval } from "../../core/jaxpr.js";
import type { Aval } from "../../core/primitive.js";
import { traceToJaxpr } from "../../core/staging.js";
import { Tracer, withTrace } from "../../core/trace.js";
import { config } from "../../config.js";
import { flatten } from "../../tree/index.js";
import { foldLiterals } from "../../compile/simplify.js";
import { jvpFlat } from "../../transforms/jvp_trace.js";
import { BatchTrace, BatchTracer } from "../../transforms/vmap.js";
import { backwardPass } from "../../transforms/linearize.js";
import { broadcastAxis, differentiable, moveaxis, zeros } from "../rule_util.js";

export const sameAval = (a: Aval, b: Aval): boolean => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((s, i) => s === b.shape[i]);
export const tangentAval = (a: Aval): Aval => ({ shape: a.shape, dtype: a.dtype, weakType: false });
export const fmtAvals = (as: Aval[]): string => `(${as.map(fmtAval).join(", ")})`;

/**
 * Traces a flat function into a closed jaxpr whose captured values that are tracers of
 * other transformations become leading inputs (so the primitive's bind sees them); concrete
 * captured values stay constants. Returns the jaxpr and the hoisted values, in order.
 */
export function traceHoisted(fn: (args: ArrayBase[]) => ArrayBase[], inAvals: Aval[]): { jaxpr: ClosedJaxpr; hoisted: ArrayBase[] } {
  // Scalar constants made while tracing (JS numbers) become literals: the jaxpr then owns no
  // arrays that a tidy() around the first call could dispose.
  const cj = foldLiterals(traceToJaxpr(fn, inAvals));
  const j = cj.jaxpr;
  const keepVars: Var[] = [];
  const keepVals: ArrayBase[] = [];
  const hoistVars: Var[] = [];
  const hoisted: ArrayBase[] = [];
  j.constvars.forEach((v, i) => {
    if (cj.consts[i] instanceof Tracer) {
      hoistVars.push(v);
      hoisted.push(cj.consts[i]);
    } else {
      keepVars.push(v);
      keepVals.push(cj.consts[i]);
    }
  });
  return { jaxpr: new ClosedJaxpr(new Jaxpr(keepVars, [...hoistVars, ...j.invars], j.eqns, j.outvars), keepVals), hoisted };
}

/** Traces a flat function (no captured tracers expected) into a closed jaxpr. */
export function traceFlat(fn: (args: ArrayBase[]) => ArrayBase[], inAvals: Aval[]): ClosedJaxpr {
  const { jaxpr, hoisted } = traceHoisted(fn, inAvals);
  if (hoisted.length) throw new Error("control flow: internal error, a derived jaxpr captured a tracer");
  return jaxpr;
}

/** The same jaxpr with its inputs reordered: new input k is old input `order[k]`. */
export function permuteInputs(cj: ClosedJaxpr, order: number[]): ClosedJaxpr {
  const j = cj.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, order.map((k) => j.invars[k]), j.eqns, j.outvars), cj.consts);
}

/** The same jaxpr with its outputs reordered: new output k is old output `order[k]`. */
export function permuteOutputs(cj: ClosedJaxpr, order: number[]): ClosedJaxpr {
  const j = cj.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, j.eqns, order.map((k) => j.outvars[k])), cj.consts);
}

/** The same jaxpr with unused inputs of the given avals inserted at position `at`. */
export function padInputs(cj: ClosedJaxpr, at: number, avals: Aval[]): ClosedJaxpr {
  const j = cj.jaxpr;
  const invars = j.invars.slice();
  invars.splice(at, 0, ...avals.map((a) => new Var(a)));
  return new ClosedJaxpr(new Jaxpr(j.constvars, invars, j.eqns, j.outvars), cj.consts);
}

/** Whether jit is disabled and no value is traced: control flow then runs as JS (as in JAX). */
export function eagerDebugging(...trees: unknown[]): boolean {
  return !!config.read("jax_disable_jit") && !flatten(trees)[0].some((l) => l instanceof Tracer);
}

export const callJaxpr = (cj: ClosedJaxpr, args: readonly ArrayBase[]): ArrayBase[] => evalJaxpr(cj.jaxpr, cj.consts, args);

/** Splits xs into the entries where mask is true and the others, each in order. */
export function splitByMask<T>(xs: readonly T[], mask: readonly boolean[]): [T[], T[]] {
  const t: T[] = [];
  const f: T[] = [];
  xs.forEach((x, i) => (mask[i] ? t : f).push(x));
  return [t, f];
}

// ---- jvp of a jaxpr ----

/**
 * The jvp of a jaxpr as a jaxpr: inputs [primals..., tangents of the inputs with
 * `nonzero`], outputs [primals..., tangents of the outputs with `outNonzero`]. Output
 * tangents listed in `instantiate` are made (zeros) even when symbolically zero; integer
 * outputs never get tangents.
 */
export function jvpJaxpr(cj: ClosedJaxpr, nonzero: boolean[], instantiate: boolean[]): { jaxpr: ClosedJaxpr; outNonzero: boolean[] } {
  const inAvals = cj.inAvals;
  const n = inAvals.length;
  const tanAvals = inAvals.filter((_, i) => nonzero[i]).map(tangentAval);
  let outNonzero: boolean[] = [];
  const jaxpr = traceFlat((args) => {
    const primals = args.slice(0, n);
    let k = n;
    const tangents = inAvals.map((_, i) => (nonzero[i] ? args[k++] : null));
    const [po, to] = jvpFlat((xs) => callJaxpr(cj, xs), primals, tangents);
    outNonzero = po.map((p, i) => differentiable(p.dtype) && (to[i] !== null || instantiate[i]));
    const tOut = to.map((t, i) => t ?? zeros(tangentAval(cj.outAvals[i])));
    return [...po, ...tOut.filter((_, i) => outNonzero[i])];
  }, [...inAvals, ...tanAvals]);
  return { jaxpr, outNonzero };
}

// ---- batching of a jaxpr ----

/**
 * The batched version of a jaxpr: inputs with `batched` carry a leading batch axis of
 * `size`; outputs come back with the batch axis leading where `outBatched` (which
 * includes `instantiate`: such outputs are broadcast when they did not depend on the batch).
 */
export function batchJaxpr(cj: ClosedJaxpr, size: number, batched: boolean[], instantiate: boolean[]): { jaxpr: ClosedJaxpr; outBatched: boolean[] } {
  let outBatched: boolean[] = [];
  const avals = cj.inAvals.map((a, i) => (batched[i] ? { ...a, shape: [size, ...a.shape] } : a));
  const jaxpr = traceFlat(
    (args) =>
      withTrace(
        (level) => new BatchTrace(level, size),
        (trace) => {
          const outs = callJaxpr(cj, args.map((a, i) => new BatchTracer(trace, a, batched[i] ? 0 : null)));
          const res = outs.map((o, i): [ArrayBase, boolean] => {
            if (o instanceof BatchTracer && o._trace === trace && o.bdim !== null) return [moveaxis(o.val, o.bdim, 0), true];
            const v = o instanceof BatchTracer && o._trace === trace ? o.val : o;
            return instantiate[i] ? [broadcastAxis(v, size, 0), true] : [v, false];
          });
          outBatched = res.map((r) => r[1]);
          return res.map((r) => r[0]);
        },
      ),
    avals,
  );
  return { jaxpr, outBatched };
}

// ---- transposition of a jaxpr ----

/**
 * The transpose of a jaxpr linear in the inputs marked `linear`: inputs [non-linear
 * inputs..., cotangents of every output], outputs the cotangents of the linear inputs
 * (zeros where the backward pass found none).
 */
export function transposeJaxpr(cj: ClosedJaxpr, linear: boolean[]): ClosedJaxpr {
  const j = cj.jaxpr;
  const [linVars, resVars] = splitByMask(j.invars, linear);
  const asLinear = new Jaxpr([...j.constvars, ...resVars], linVars, j.eqns, j.outvars);
  const nRes = resVars.length;
  return traceFlat((args) => {
    const res = args.slice(0, nRes);
    const cts = args.slice(nRes);
    const inCts = backwardPass(asLinear, [...cj.consts, ...res], cts);
    return inCts.map((c, i) => c ?? zeros(tangentAval(linVars[i].aval)));
  }, [...resVars.map((v) => v.aval), ...cj.outAvals.map(tangentAval)]);
}

/** The entries of `xs` where mask is true. */
export const pick = <T>(xs: readonly T[], mask: readonly boolean[]): T[] => xs.filter((_, i) => mask[i]);
