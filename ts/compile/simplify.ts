// Jaxpr simplification: scalar constants become literals, common subexpressions are merged,
// dead equations removed. Every pass returns a new jaxpr (jaxprs are immutable values).
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, jaxprHooks, type Atom, type Eqn } from "../core/jaxpr.js";
import { bind } from "../core/trace.js";
import { viewStepOf } from "./views.js";
import { reductionIdentity } from "../lax/reduce.js";
import type { ReduceOp } from "../runtime/kernel.js";

export function simplify(cj: ClosedJaxpr): ClosedJaxpr {
  return dce(cse(foldConstants(foldEmptyReductions(foldLiterals(cj)))));
}

/**
 * Replaces each single-output equation that `fold` evaluates (its inputs already carrying
 * earlier replacements) by a literal, substituted into later equations and the outputs.
 */
function foldToLiterals(cj: ClosedJaxpr, fold: (e: Eqn) => Literal | undefined): ClosedJaxpr {
  const j = cj.jaxpr;
  const sub = new Map<Var, Literal>();
  const s = (a: Atom): Atom => (a instanceof Var ? sub.get(a) ?? a : a);
  const eqns: Eqn[] = [];
  for (const e0 of j.eqns) {
    const e = sub.size ? { ...e0, inputs: e0.inputs.map(s) } : e0;
    const lit = fold(e);
    if (lit) sub.set(e.outputs[0], lit);
    else eqns.push(e);
  }
  if (!sub.size) return cj;
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, eqns, j.outvars.map(s)), cj.consts);
}

/**
 * Elementwise equations and views whose operands are all literals are evaluated now (on
 * 0-d arrays, by the primitive's own eager implementation) and become literals.
 */
export function foldConstants(cj: ClosedJaxpr): ClosedJaxpr {
  return foldToLiterals(cj, (e) => {
    const allLit = e.inputs.length > 0 && e.inputs.every((a) => a instanceof Literal);
    if (!allLit || e.outputs.length !== 1 || e.prim.rules.effectful) return undefined;
    const out = e.outputs[0];
    if (viewStepOf(e)) return new Literal((e.inputs[0] as Literal).value, out.aval);
    if (!e.prim.rules.lower) return undefined;
    const args = e.inputs.map((a) => jaxprHooks.literal!((a as Literal).value, { ...a.aval, shape: [] }));
    const [r] = bind(e.prim, args, e.params);
    const value = r.item();
    for (const x of [...args, r]) x.dispose();
    return new Literal(value, out.aval);
  });
}

const REDUCTIONS: Record<string, ReduceOp> = {
  reduce_sum: "sum", reduce_prod: "prod", reduce_max: "max", reduce_min: "min", reduce_and: "and", reduce_or: "or",
};

/**
 * A reduction over an axis of size 0 is its identity everywhere (XLA's value): a literal, so
 * no kernel ever runs over an empty iteration space to produce a non-empty result.
 */
export function foldEmptyReductions(cj: ClosedJaxpr): ClosedJaxpr {
  return foldToLiterals(cj, (e) => {
    const op = REDUCTIONS[e.prim.name];
    const x = e.inputs[0];
    if (!op || !(e.params.axes as number[]).some((a) => x.aval.shape[a] === 0)) return undefined;
    const value = reductionIdentity(op, x.aval.dtype);
    return new Literal(x.aval.dtype === "bool" ? value !== 0 : value, e.outputs[0].aval);
  });
}

/** 0-d concrete constants become literals (printed inline, folded into kernels). */
export function foldLiterals(cj: ClosedJaxpr): ClosedJaxpr {
  const j = cj.jaxpr;
  const sub = new Map<Var, Literal>();
  const constvars: Var[] = [];
  const consts: ArrayBase[] = [];
  j.constvars.forEach((v, i) => {
    const c = cj.consts[i];
    // A 0-d constant, or one value broadcast (all strides 0, as numpy makes of JS scalars).
    if (c instanceof Array && !c.disposed && c.size > 0 && c._strides.every((st) => st === 0)) {
      const value = c._view([], [], c._offset).item();
      sub.set(v, new Literal(value, v.aval));
    } else {
      constvars.push(v);
      consts.push(c);
    }
  });
  if (!sub.size) return cj;
  const s = (a: Atom): Atom => (a instanceof Var ? sub.get(a) ?? a : a);
  const eqns = j.eqns.map((e) => ({ ...e, inputs: e.inputs.map(s) }));
  return new ClosedJaxpr(new Jaxpr(constvars, j.invars, eqns, j.outvars.map(s)), consts);
}

function paramsKey(p: Record<string, unknown>): string | undefined {
  try {
    return JSON.stringify(p, (_k, v) => {
      if (v instanceof ClosedJaxpr || v instanceof Jaxpr) throw new Error("jaxpr");
      return v;
    });
  } catch {
    return undefined; // params holding jaxprs or functions: never merged
  }
}

/** Merges equations with the same primitive, params and inputs. */
export function cse(cj: ClosedJaxpr): ClosedJaxpr {
  const j = cj.jaxpr;
  const sub = new Map<Var, Var>();
  const seen = new Map<string, Eqn>();
  const atomKey = (a: Atom) => (a instanceof Var ? `v${a.id}` : `l${a.value}:${a.aval.dtype}:${a.aval.weakType}`);
  const s = (a: Atom): Atom => (a instanceof Var ? sub.get(a) ?? a : a);
  const eqns: Eqn[] = [];
  for (const e0 of j.eqns) {
    const e = { ...e0, inputs: e0.inputs.map(s) };
    const pk = paramsKey(e.params);
    if (pk !== undefined && !e.prim.rules.effectful) {
      const key = `${e.prim.name}(${e.inputs.map(atomKey).join(",")})${pk}`;
      const prev = seen.get(key);
      if (prev) {
        e.outputs.forEach((o, i) => sub.set(o, prev.outputs[i]));
        continue;
      }
      seen.set(key, e);
    }
    eqns.push(e);
  }
  if (!sub.size) return cj;
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, eqns, j.outvars.map(s)), cj.consts);
}

/** Removes equations whose outputs are unused, and unused constants. */
export function dce(cj: ClosedJaxpr): ClosedJaxpr {
  const j = cj.jaxpr;
  const live = new Set<Var>(j.outvars.filter((o): o is Var => o instanceof Var));
  const kept: Eqn[] = [];
  for (let i = j.eqns.length - 1; i >= 0; i--) {
    const e = j.eqns[i];
    if (e.prim.rules.effectful || e.outputs.some((o) => live.has(o))) {
      kept.push(e);
      for (const a of e.inputs) if (a instanceof Var) live.add(a);
    }
  }
  kept.reverse();
  const constvars: Var[] = [];
  const consts: ArrayBase[] = [];
  j.constvars.forEach((v, i) => {
    if (live.has(v)) {
      constvars.push(v);
      consts.push(cj.consts[i]);
    }
  });
  if (kept.length === j.eqns.length && constvars.length === j.constvars.length) return cj;
  return new ClosedJaxpr(new Jaxpr(constvars, j.invars, kept, j.outvars), consts);
}
