// Partial evaluation of a jaxpr by dataflow: given which inputs are unknown, split it into a
// known jaxpr (runnable now) and an unknown jaxpr (staged), connected by residuals: the known
// values the unknown equations read. An equation is unknown when any of its inputs is.
import type { ArrayBase } from "../../array/base.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, jaxprHooks, type Atom, type Eqn } from "../../core/jaxpr.js";
import type { Aval, Params, Primitive } from "../../core/primitive.js";
import type { StagingRule, StagingTrace } from "../../core/staging.js";
import { bind } from "../../core/trace.js";

/**
 * Whether this staging trace is linearize's. Only then do control-flow primitives split
 * (JAX's linearize partially evaluates; jit and makeJaxpr stage the program as written and
 * run nothing at trace time).
 */
function isLinearizing(trace: StagingTrace): boolean {
  return trace.partialEval;
}

/**
 * How a control-flow equation splits when some inputs are known: a known equation of the
 * same primitive (inputs `knownIns`, outputs [known outputs..., residuals...]) and an
 * unknown one (inputs from the original inputs or the residuals), as JAX's partial
 * evaluation rules of cond/scan/while do.
 */
export interface EqnSplit {
  /** The known equation's inputs: original input indices, or literal values (e.g. zeros). */
  knownIns: (number | Literal)[];
  knownParams: Params;
  /**
   * For each output of the known equation: the original output (>= 0) or residual r
   * (encoded -(r + 1)). Default: the known outputs in order, then the residuals.
   */
  knownOutMap?: number[];
  /** For each output: whether the unknown equation gives it. */
  outUnknown: boolean[];
  /** Null when no output is unknown. */
  unknownParams: Params | null;
  unknownIns: ["in" | "res", number][];
  /** For each output of the unknown equation: the original output it is, or -1 (unused). */
  unknownOuts: number[];
}

/** The known equation's output map (see EqnSplit.knownOutMap). */
function knownOutMap(s: EqnSplit, nOutsKnownEqn: number): number[] {
  if (s.knownOutMap) return s.knownOutMap;
  const outs = s.outUnknown.map((u, i) => (u ? -1 : i)).filter((i) => i >= 0);
  return [...outs, ...[...globalThis.Array(nOutsKnownEqn - outs.length).keys()].map((r) => -(r + 1))];
}

/** A primitive's split rule (stored as `rules.splitEqn`): null means "all unknown". */
export type SplitRule = (params: Params, unknownIns: boolean[]) => EqnSplit | null;

/** The staging rule of a primitive with a split rule: run the known part now, stage the rest. */
export function stagingFromSplit(prim: Primitive, split: SplitRule): StagingRule {
  return (trace, args, params) => {
    const known = args.map((a) => a.constValue !== undefined);
    if (known.every((k) => k)) return bind(prim, args.map((a) => a.constValue!), params);
    if (known.every((k) => !k) || !isLinearizing(trace)) return trace.stage(prim, args, params);
    const s = split(params, known.map((k) => !k));
    if (!s) return trace.stage(prim, args, params);
    const knownOuts = bind(prim, s.knownIns.map((i) => (typeof i === "number" ? args[i].constValue! : jaxprHooks.literal!(i.value, i.aval))), s.knownParams);
    const out: ArrayBase[] = [];
    const res: ArrayBase[] = [];
    knownOutMap(s, knownOuts.length).forEach((m, k) => (m >= 0 ? (out[m] = knownOuts[k]) : (res[-m - 1] = knownOuts[k])));
    if (s.unknownParams) {
      const staged = trace.stage(prim, s.unknownIns.map(([kind, i]) => (kind === "in" ? args[i] : trace.lift(res[i]))), s.unknownParams);
      s.unknownOuts.forEach((o, j) => o >= 0 && (out[o] = staged[j]));
    }
    return out;
  };
}

/** Splits one equation with its primitive's split rule; null when it has none or declines. */
function splitEqn(e: Eqn, unknownIns: boolean[]): { known: Eqn; unknown: Eqn | null; outUnknown: boolean[] } | null {
  const rule = e.prim.rules.splitEqn as SplitRule | undefined;
  const s = rule?.(e.params, unknownIns);
  if (!s) return null;
  const knownInputs = s.knownIns.map((i) => (typeof i === "number" ? e.inputs[i] : i));
  const knownAvals = e.prim.rules.abstractEval(knownInputs.map((a) => a.aval), s.knownParams);
  const map = knownOutMap(s, knownAvals.length);
  const resVars: Var[] = [];
  const outputs = map.map((m, k) => (m >= 0 ? e.outputs[m] : (resVars[-m - 1] = new Var(knownAvals[k]))));
  const known: Eqn = { prim: e.prim, inputs: knownInputs, params: s.knownParams, outputs };
  let unknown: Eqn | null = null;
  if (s.unknownParams) {
    const inputs = s.unknownIns.map(([kind, i]) => (kind === "in" ? e.inputs[i] : resVars[i]));
    const outAvals = e.prim.rules.abstractEval(inputs.map((a) => a.aval), s.unknownParams);
    const outputs = s.unknownOuts.map((o, j) => (o >= 0 ? e.outputs[o] : new Var(outAvals[j])));
    unknown = { prim: e.prim, inputs, params: s.unknownParams, outputs };
  }
  return { known, unknown, outUnknown: s.outUnknown };
}

export interface PartialEval {
  /** known inputs -> [known outputs..., residuals...] */
  known: ClosedJaxpr;
  /** [residuals..., unknown inputs...] -> unknown outputs */
  unknown: ClosedJaxpr;
  /** For each output: whether the unknown jaxpr computes it. */
  outUnknown: boolean[];
  /** The residuals' avals. */
  resAvals: Aval[];
  /**
   * For each residual: the index (among all inputs) of the known input it is, or -1 when
   * it is computed by the known jaxpr. Callers may pass such inputs straight through.
   */
  resFromInput: number[];
}

/**
 * Splits `cj`. `unknownIns[i]` marks unknown inputs; outputs listed in `instantiate` are
 * computed by the unknown side even when known (their known value becomes a residual).
 * Constants of `cj` are available to both sides. The known jaxpr outputs only residuals
 * computed by it (not the known inputs that are residuals: see resFromInput).
 */
export function partialEvalJaxpr(cj: ClosedJaxpr, unknownIns: boolean[], instantiate: boolean[] = []): PartialEval {
  const j = cj.jaxpr;
  const unknown = new Set<Var>();
  j.invars.forEach((v, i) => unknownIns[i] && unknown.add(v));
  const knownEqns: Eqn[] = [];
  const unknownEqns: Eqn[] = [];
  const consts = new Set<Var>(j.constvars);
  const residuals: Var[] = [];
  const isRes = new Set<Var>();
  const addRes = (a: Atom) => {
    if (a instanceof Var && !unknown.has(a) && !consts.has(a) && !isRes.has(a)) {
      isRes.add(a);
      residuals.push(a);
    }
  };
  const stageWhole = (e: Eqn) => {
    unknownEqns.push(e);
    e.outputs.forEach((o) => unknown.add(o));
    e.inputs.forEach(addRes);
  };
  for (const e of j.eqns) {
    const uk = e.inputs.map((a) => a instanceof Var && unknown.has(a));
    if (!uk.some((u) => u)) knownEqns.push(e);
    else if (uk.every((u) => u)) stageWhole(e);
    else {
      // Control flow with some known inputs splits in two, as in the staging rules.
      const sp = splitEqn(e, uk);
      if (!sp) stageWhole(e);
      else {
        knownEqns.push(sp.known);
        if (sp.unknown) stageWhole(sp.unknown);
      }
    }
  }
  const outUnknown = j.outvars.map((o, i) => (o instanceof Var && unknown.has(o)) || !!instantiate[i]);
  j.outvars.forEach((o, i) => outUnknown[i] && addRes(o));
  const knownIns = j.invars.filter((_, i) => !unknownIns[i]);
  const inputIndex = new Map<Var, number>(j.invars.map((v, i) => [v, i]));
  const resFromInput = residuals.map((r) => inputIndex.get(r) ?? -1);
  const computedRes = residuals.filter((_, k) => resFromInput[k] < 0);
  const knownOuts = j.outvars.filter((_, i) => !outUnknown[i]);
  const known = new Jaxpr(j.constvars, knownIns, knownEqns, [...knownOuts, ...computedRes]);
  const unknownOuts = j.outvars.filter((_, i) => outUnknown[i]);
  const unknownIns2 = j.invars.filter((_, i) => unknownIns[i]);
  // Fresh residual inputs for the unknown side, so that both jaxprs have their own variables.
  const sub = new Map<Var, Var>(residuals.map((r) => [r, new Var(r.aval)]));
  const s = (a: Atom): Atom => (a instanceof Var ? sub.get(a) ?? a : a);
  const unknownJ = new Jaxpr(
    j.constvars,
    [...residuals.map((r) => sub.get(r)!), ...unknownIns2],
    unknownEqns.map((e) => ({ ...e, inputs: e.inputs.map(s) })),
    unknownOuts.map((o) => (o instanceof Literal ? o : s(o))),
  );
  return {
    known: new ClosedJaxpr(known, cj.consts),
    unknown: new ClosedJaxpr(unknownJ, cj.consts),
    outUnknown,
    resAvals: residuals.map((r) => r.aval),
    resFromInput,
  };
}
