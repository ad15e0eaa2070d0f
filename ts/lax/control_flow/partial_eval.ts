// Partial evaluation of a jaxpr by dataflow: given which inputs are unknown, split it into a
// known jaxpr (runnable now) and an unknown jaxpr (staged), connected by residuals: the known
// values the unknown equations read. An equation is unknown when any of its inputs is.
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type Eqn } from "../../core/jaxpr.js";
import type { Aval } from "../../core/primitive.js";

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
  for (const e of j.eqns) {
    if (e.inputs.some((a) => a instanceof Var && unknown.has(a))) {
      unknownEqns.push(e);
      e.outputs.forEach((o) => unknown.add(o));
      e.inputs.forEach(addRes);
    } else knownEqns.push(e);
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
