// How each equation executes under jit: fused into a kernel's scalar DAG (elementwise), folded
// into an input view (view), as a kernel's reduction, as iota nodes, or as a routine run
// through its eager implementation. Plus the rough cost used to decide what is recomputed.
import type { Eqn } from "../core/jaxpr.js";
import type { ReduceOp } from "../runtime/kernel.js";
import { viewStepOf } from "./views.js";

export type Kind = "elementwise" | "view" | "reduction" | "iota" | "routine";

export const REDUCE_OPS: Record<string, ReduceOp> = {
  reduce_sum: "sum", reduce_prod: "prod", reduce_max: "max", reduce_min: "min",
  reduce_and: "and", reduce_or: "or", argmax: "argmax", argmin: "argmin",
};

export function kindOf(e: Eqn): Kind {
  if (e.prim.rules.effectful) return "routine";
  if (viewStepOf(e)) return "view";
  const name = e.prim.name;
  if (name in REDUCE_OPS) return "reduction";
  if (name === "iota") return "iota";
  // copy is the identity on values; under jit it is a kernel output like any other.
  if (name === "copy" || e.prim.rules.lower) return "elementwise";
  return "routine";
}

// Work per element of an inlined equation, in units of one cheap arithmetic op. Used only to
// decide whether a value needed by several kernels is recomputed in each or materialized once.
const EXPENSIVE = new Set([
  "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos",
  "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "erf_inv", "lgamma",
  "digamma", "logistic", "pow", "atan2", "cbrt",
]);
const MEDIUM = new Set(["div", "rem", "sqrt", "rsqrt", "integer_pow", "nextafter"]);

export function opCost(e: Eqn, kind: Kind): number {
  if (kind === "view") return 0;
  const n = e.prim.name;
  if (EXPENSIVE.has(n)) return 8;
  if (MEDIUM.has(n)) return 2;
  return 1;
}
