// Jaxpr simplification: scalar constants become literals, common subexpressions are merged,
// dead equations removed. Every pass returns a new jaxpr (jaxprs are immutable values).
import { Array } from "../array/array.js";
import type { ArrayBase } from "../array/base.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, type Atom, type Eqn } from "../core/jaxpr.js";

export function simplify(cj: ClosedJaxpr): ClosedJaxpr {
  return dce(cse(foldLiterals(cj)));
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
