// Reverse mode as JAX does it: linearize (jvp with the tangents staged into a linear jaxpr,
// the primal work evaluated) then transpose that jaxpr (backward pass).
import type { ArrayBase } from "../array/base.js";
import { ClosedJaxpr, Literal, Var, evalJaxpr, type Atom, type Jaxpr } from "../core/jaxpr.js";
import { LinearArg, type Aval } from "../core/primitive.js";
import { StagingTrace, StagingTracer, avalOf } from "../core/staging.js";
import { bind, withTrace } from "../core/trace.js";
import { addAny, convert, differentiable, zeros } from "../lax/rule_util.js";
import { jvpFlat } from "./jvp_trace.js";
import { jaxprHooks } from "../core/jaxpr.js";
import { asInternal } from "../runtime/buffer.js";

export interface Linearized {
  primalsOut: ArrayBase[];
  /** tangents of the differentiable inputs -> tangents of the outputs (null entries: zero). */
  linear: ClosedJaxpr;
  /** For each input: whether it has a tangent input in `linear`. */
  inMask: boolean[];
  /** For each output: whether its tangent is structurally zero (no output var used). */
  outZero: boolean[];
}

/** Linearizes fn at `primals` (flat). Inputs of integer/bool dtype get no tangent. */
export function linearizeFlat(fn: (args: ArrayBase[]) => ArrayBase[], primals: ArrayBase[], inMask?: boolean[]): Linearized {
  const mask = inMask ?? primals.map((p) => differentiable(p.dtype));
  return withTrace(
    (level) => new StagingTrace(level),
    (trace) => {
      trace.partialEval = true;
      const tanIns = primals.map((p, i) => (mask[i] ? trace.newArg(tangentAval(avalOf(p))) : null));
      const [po, to] = jvpFlat(fn, primals, tanIns);
      const outZero = to.map((t) => t === null);
      const outs = to.map((t, i) => t ?? zeros(tangentAval(avalOf(po[i]))));
      const linear = trace.build(tanIns.filter((t): t is StagingTracer => t !== null), outs);
      return { primalsOut: po, linear, inMask: mask, outZero };
    },
  );
}

function tangentAval(a: Aval): Aval {
  return { shape: a.shape, dtype: a.dtype, weakType: false };
}

/**
 * The backward pass: given the cotangents of a linear jaxpr's outputs, returns those of its
 * inputs (null where zero). Equations not depending on the inputs are evaluated forward.
 */
export function backwardPass(jaxpr: Jaxpr, consts: readonly ArrayBase[], cts: (ArrayBase | null)[]): (ArrayBase | null)[] {
  return asInternal(() => backwardPassImpl(jaxpr, consts, cts));
}

function backwardPassImpl(jaxpr: Jaxpr, consts: readonly ArrayBase[], cts: (ArrayBase | null)[]): (ArrayBase | null)[] {
  const linear = new Set<Var>(jaxpr.invars);
  const env = new Map<Var, ArrayBase>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  const read = (a: Atom): ArrayBase => (a instanceof Literal ? jaxprHooks.literal!(a.value, a.aval) : env.get(a)!);
  // Forward: evaluate non-linear equations; note the linear ones.
  const linearEqns = [];
  for (const e of jaxpr.eqns) {
    if (e.inputs.some((a) => a instanceof Var && linear.has(a))) {
      for (const o of e.outputs) linear.add(o);
      linearEqns.push(e);
    } else {
      const outs = bind(e.prim, e.inputs.map(read), e.params);
      e.outputs.forEach((v, i) => env.set(v, outs[i]));
    }
  }
  const ctEnv = new Map<Var, ArrayBase>();
  const addCt = (v: Var, ct: ArrayBase | null) => {
    if (ct === null || !linear.has(v)) return;
    const prev = ctEnv.get(v);
    ctEnv.set(v, prev ? addAny(prev, ct)! : ct);
  };
  jaxpr.outvars.forEach((v, i) => {
    if (v instanceof Var) addCt(v, cts[i]);
  });
  for (let k = linearEqns.length - 1; k >= 0; k--) {
    const e = linearEqns[k];
    const outCts = e.outputs.map((o) => ctEnv.get(o) ?? null);
    for (const o of e.outputs) ctEnv.delete(o);
    if (outCts.every((c) => c === null)) continue;
    const rule = e.prim.rules.transpose;
    if (!rule) {
      throw new TypeError(
        `grad/vjp: the primitive ${e.prim.name} cannot be transposed (it has no reverse-mode rule)` +
          (e.prim.name === "while" ? "; reverse-mode differentiation of lax.whileLoop is not supported: use lax.scan or lax.foriLoop with static bounds" : ""),
      );
    }
    const args = e.inputs.map((a) => (a instanceof Var && linear.has(a) ? new LinearArg(a.aval) : read(a)));
    const inCts = rule(outCts, args, e.params);
    e.inputs.forEach((a, i) => {
      if (a instanceof Var && linear.has(a)) addCt(a, inCts[i] ? fixDtype(inCts[i]!, a.aval) : null);
    });
  }
  return jaxpr.invars.map((v) => ctEnv.get(v) ?? null);
}

/** Cotangents take the input's dtype (a rule may produce a weak or wider one). */
function fixDtype(ct: ArrayBase, aval: Aval): ArrayBase {
  return ct.dtype === aval.dtype && !ct.weakType ? ct : convert(ct, aval.dtype);
}

/** Evaluates a linear jaxpr forward (the tangent map of a linearization). */
export function evalLinear(lin: ClosedJaxpr, tangents: ArrayBase[]): ArrayBase[] {
  return evalJaxpr(lin.jaxpr, lin.consts, tangents);
}
