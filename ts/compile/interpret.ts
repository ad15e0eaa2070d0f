// The reference executor of a closed jaxpr on concrete arrays: equation by equation through
// the eager primitives, freeing each intermediate after its last use.
import type { ArrayBase } from "../array/base.js";
import { Literal, Var, jaxprHooks, type ClosedJaxpr, type Jaxpr } from "../core/jaxpr.js";
import { bind } from "../core/trace.js";

/** For each equation index, the vars whose last use it is. */
export function lastUses(j: Jaxpr): Var[][] {
  const last = new Map<Var, number>();
  j.eqns.forEach((e, i) => e.inputs.forEach((a) => a instanceof Var && last.set(a, i)));
  const keep = new Set<Var>([...j.invars, ...j.constvars, ...j.outvars.filter((o): o is Var => o instanceof Var)]);
  const out: Var[][] = j.eqns.map(() => []);
  for (const [v, i] of last) if (!keep.has(v)) out[i].push(v);
  // Outputs of equations that nobody reads (and are not results) die at once.
  j.eqns.forEach((e, i) => e.outputs.forEach((o) => !last.has(o) && !keep.has(o) && out[i].push(o)));
  return out;
}

export function interpret(cj: ClosedJaxpr, args: readonly ArrayBase[], dying = lastUses(cj.jaxpr)): ArrayBase[] {
  const j = cj.jaxpr;
  const env = new Map<Var, ArrayBase>();
  j.constvars.forEach((v, i) => env.set(v, cj.consts[i]));
  j.invars.forEach((v, i) => env.set(v, args[i]));
  const read = (a: Var | Literal): ArrayBase => (a instanceof Literal ? jaxprHooks.literal!(a.value, a.aval) : env.get(a)!);
  j.eqns.forEach((e, i) => {
    const outs = bind(e.prim, e.inputs.map(read), e.params);
    e.outputs.forEach((v, k) => env.set(v, outs[k]));
    for (const v of dying[i]) {
      env.get(v)?.dispose();
      env.delete(v);
    }
  });
  return j.outvars.map(read);
}
