// checkpoint (alias remat), as JAX's jax.checkpoint: the same values and derivatives as f,
// but reverse mode recomputes f's intermediates in the backward pass instead of saving them.
//
// Under a transformation, checkpoint(f) binds the `checkpoint` primitive holding f's jaxpr.
// - jvp: a checkpoint of f's jvp jaxpr ([primals, tangents] -> [primal outs, tangent outs]).
// - partial evaluation (the staging rule, used by linearize): inputs lifted from outside the
//   staging trace are known (the primals), the others unknown (the tangents). The known
//   outputs are computed at once; the unknown ones are staged as a checkpoint of the
//   unknown equations plus the known equations they need, recomputed from the known
//   *inputs* (only values a policy marks saveable become extra residuals).
// - transpose: a checkpoint of the backward pass of that jaxpr, so the recomputation runs
//   in the backward pass and stays one equation (common-subexpression elimination under
//   jit cannot merge it with the forward pass).
// - vmap: a checkpoint of the batched jaxpr.
import type { ArrayBase } from "../array/base.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, evalClosed, evalJaxpr, type Atom, type Eqn } from "../core/jaxpr.js";
import { definePrimitive, LinearArg, type Aval, type Params, type Primitive } from "../core/primitive.js";
import { StagingTrace, StagingTracer, avalOf, traceToJaxpr } from "../core/staging.js";
import { bind, traceStack } from "../core/trace.js";
import { dot_general_p } from "../lax/dot.js";
import { moveaxis, zeros } from "../lax/rule_util.js";
import { unflatten, type TreeDef } from "../tree/index.js";
import { checkFunction, flattenArgs, normArgnums } from "./common.js";
import { closureConvert, evalCallImpl } from "./custom.js";
import { jvpFlat } from "./jvp_trace.js";
import { backwardPass } from "./linearize.js";
import { vmap } from "./vmap.js";

/**
 * Which intermediate values reverse mode may save (true) rather than recompute, asked per
 * equation of the primal computation: `policy(prim, inAvals, params)`.
 */
export type CheckpointPolicy = ((prim: Primitive, inAvals: Aval[], params: Params) => boolean) & { policyName?: string };

function namedPolicy(name: string, fn: (prim: Primitive, inAvals: Aval[], params: Params) => boolean): CheckpointPolicy {
  const p = fn as CheckpointPolicy;
  p.policyName = name;
  p.toString = () => name;
  return p;
}

/**
 * checkpointName(x, name): x unchanged (every leaf of a pytree), tagged so that policies
 * such as `checkpointPolicies.saveOnlyTheseNames(name)` can save it (JAX's
 * jax.ad_checkpoint.checkpoint_name).
 */
export const name_p = definePrimitive<{ name: string }>("name", {
  abstractEval: ([x]) => [{ shape: x.shape.slice(), dtype: x.dtype, weakType: x.weakType }],
  // A view, not the same object: executors dispose intermediates after their last use.
  impl: ([x]) => [x._view(x.shape, x._strides, x._offset)],
});
name_p.rules.jvp = ([x], [t], params) => [[bind(name_p, [x], params)[0]], [t]];
name_p.rules.transpose = ([ct]) => [ct];
name_p.rules.batch = ([x], [d], params) => [[bind(name_p, [x], params)[0]], [d]];

export function checkpointName<T>(x: T, name: string): T {
  if (typeof name !== "string") throw new TypeError(`checkpointName: the name must be a string, got ${typeof name}`);
  const [leaves, def] = flattenArgs("checkpointName", x);
  return unflatten(def, leaves.map((l) => bind(name_p, [l], { name })[0])) as T;
}

const isDot = (prim: Primitive) => prim === (dot_general_p as unknown as Primitive);
const noBatchDims = (params: Params) => {
  const [, [lb, rb]] = params.dimensionNumbers as [[number[], number[]], [number[], number[]]];
  return lb.length === 0 && rb.length === 0;
};

/** JAX's jax.checkpoint_policies (the offloading ones excepted). */
export const checkpointPolicies = {
  /** Recompute everything (the default). */
  nothingSaveable: namedPolicy("nothing_saveable", () => false),
  /** Save everything: no recomputation (as without checkpoint). */
  everythingSaveable: namedPolicy("everything_saveable", () => true),
  /** Save the results of matrix products (dot_general); recompute the rest. */
  dotsSaveable: namedPolicy("dots_saveable", (prim) => isDot(prim)),
  /** Save the results of matrix products without batch dimensions. */
  dotsWithNoBatchDimsSaveable: namedPolicy("dots_with_no_batch_dims_saveable", (prim, _a, params) => isDot(prim) && noBatchDims(params)),
  /** Save only the values tagged by checkpointName with one of these names. */
  saveOnlyTheseNames: (...names: string[]) =>
    namedPolicy(`save_only_these_names(${names.join(",")})`, (prim, _a, params) => prim === (name_p as unknown as Primitive) && names.includes(params.name)),
  /** Save every tagged value except those with these names (untagged values are recomputed). */
  saveAnyNamesButThese: (...names: string[]) =>
    namedPolicy(`save_any_names_but_these(${names.join(",")})`, (prim, _a, params) => prim === (name_p as unknown as Primitive) && !names.includes(params.name)),
  /** Save what either policy saves. */
  saveFromBothPolicies: (a: CheckpointPolicy, b: CheckpointPolicy) =>
    namedPolicy(`save_from_both_policies(${a},${b})`, (prim, avals, params) => a(prim, avals, params) || b(prim, avals, params)),
};

interface CheckpointParams extends Params {
  jaxpr: ClosedJaxpr;
  prevent_cse: boolean;
  differentiated: boolean;
  policy: CheckpointPolicy | null;
}

export const checkpoint_p = definePrimitive<CheckpointParams>("checkpoint", {
  abstractEval: (_avals, { jaxpr }) => jaxpr.outAvals.map((a) => ({ ...a, shape: a.shape.slice() })),
  impl: (args, { jaxpr }) => evalCallImpl(jaxpr, args),
});

function tangentAval(a: Aval): Aval {
  return { shape: a.shape.slice(), dtype: a.dtype, weakType: false };
}

/** Traces a flat function into a jaxpr that must close over concrete values only. */
function traceClosed(fn: (xs: ArrayBase[]) => ArrayBase[], avals: Aval[]): ClosedJaxpr {
  const cj = traceToJaxpr(fn, avals);
  if (closureConvert(cj).consts.length) throw new Error("edgejax internal: a checkpoint rule's jaxpr closed over a tracer");
  return cj;
}

checkpoint_p.rules.jvp = (primals, tangents, params) => {
  const { jaxpr } = params;
  const live = tangents.map((t) => t !== null);
  const liveTangents = tangents.filter((t): t is ArrayBase => t !== null);
  const n = primals.length;
  let outLive: boolean[] = [];
  const jvpJaxpr = traceClosed((ins) => {
    const ps = ins.slice(0, n);
    let k = n;
    const ts = live.map((l) => (l ? ins[k++] : null));
    const [po, to] = jvpFlat((xs) => evalClosed(jaxpr, xs), ps, ts);
    outLive = to.map((t) => t !== null);
    return [...po, ...to.filter((t): t is ArrayBase => t !== null)];
  }, [...primals.map(avalOf), ...liveTangents.map((t) => tangentAval(avalOf(t)))]);
  const outs = bind(checkpoint_p, [...primals, ...liveTangents], { ...params, jaxpr: jvpJaxpr, differentiated: true });
  const m = jaxpr.outAvals.length;
  let k = m;
  return [outs.slice(0, m), outLive.map((l) => (l ? outs[k++] : null))];
};

checkpoint_p.rules.batch = (args, dims, params) => {
  let n = -1;
  const moved = args.map((a, i) => {
    if (dims[i] === null) return a;
    n = a.shape[dims[i]!];
    return moveaxis(a, dims[i]!, 0);
  });
  const inAxes = dims.map((d) => (d === null ? null : 0));
  const batched = traceClosed(
    (ins) => vmap((...xs: ArrayBase[]) => evalClosed(params.jaxpr, xs), { inAxes, outAxes: 0, axisSize: n })(...ins) as ArrayBase[],
    moved.map(avalOf),
  );
  const outs = bind(checkpoint_p, moved, { ...params, jaxpr: batched });
  return [outs, outs.map(() => 0)];
};

checkpoint_p.rules.transpose = (cts, args, params) => {
  const j = params.jaxpr.jaxpr;
  const isLin = args.map((a) => a instanceof LinearArg);
  const resVals = args.filter((a): a is ArrayBase => !(a instanceof LinearArg));
  const linVars = j.invars.filter((_, i) => isLin[i]);
  const resVars = j.invars.filter((_, i) => !isLin[i]);
  // The jaxpr seen as linear in the LinearArg inputs, the other inputs constants.
  const linear = new Jaxpr([...j.constvars, ...resVars], linVars, j.eqns, j.outvars);
  const outAvals = params.jaxpr.outAvals.map(tangentAval);
  const ctIns = cts.map((c, i) => c ?? zeros(outAvals[i]));
  const nRes = resVals.length;
  const transposed = traceClosed((ins) => {
    const res = ins.slice(0, nRes);
    const inCts = backwardPass(linear, [...params.jaxpr.consts, ...res], ins.slice(nRes));
    return inCts.map((c, i) => c ?? zeros(tangentAval(linVars[i].aval)));
  }, [...resVals.map(avalOf), ...outAvals]);
  const outs = bind(checkpoint_p, [...resVals, ...ctIns], { ...params, jaxpr: transposed, differentiated: true });
  let k = 0;
  return isLin.map((l) => (l ? outs[k++] : null));
};

/**
 * Partial evaluation: known inputs are values lifted from outside the staging trace.
 * Computes what depends only on them now and stages the rest (see the file comment).
 */
checkpoint_p.rules.staging = (trace: StagingTrace, args: StagingTracer[], params: Params): ArrayBase[] => {
  const p = params as CheckpointParams;
  const known = args.map((a) => a.constValue !== undefined);
  if (!known.some((k) => k)) return trace.stage(checkpoint_p as unknown as Primitive, args, params);
  const cj = p.jaxpr;
  const j = cj.jaxpr;
  if (known.every((k) => k)) return evalClosed(cj, args.map((a) => a.constValue!));

  // Which vars are known, and which equation produced each known var.
  const knownVar = new Set<Var>(j.constvars);
  j.invars.forEach((v, i) => known[i] && knownVar.add(v));
  const producer = new Map<Var, Eqn>();
  const unknownProducer = new Map<Var, Eqn>();
  const unknownEqns = new Set<Eqn>();
  for (const e of j.eqns) {
    if (e.inputs.every((a) => a instanceof Literal || knownVar.has(a))) {
      for (const o of e.outputs) {
        knownVar.add(o);
        producer.set(o, e);
      }
    } else {
      unknownEqns.add(e);
      for (const o of e.outputs) unknownProducer.set(o, e);
    }
  }
  const isKnown = (a: Atom) => a instanceof Literal || knownVar.has(a);
  const saveable = (e: Eqn) => !!p.policy && p.policy(e.prim, e.inputs.map((a) => a.aval), e.params);

  // Walk back from the unknown outputs: the unknown equations needed, the known equations
  // to recompute, and the residuals (known inputs and saved values).
  const neededUnknown = new Set<Eqn>();
  const recompute = new Set<Eqn>();
  const saved = new Set<Var>();
  const knownInputsUsed = new Set<Var>();
  const visited = new Set<Var>();
  const stack: Var[] = j.outvars.filter((a): a is Var => a instanceof Var && !isKnown(a));
  const need = (v: Var) => {
    if (!visited.has(v)) {
      visited.add(v);
      stack.push(v);
    }
  };
  stack.forEach((v) => visited.add(v));
  const invarSet = new Set(j.invars);
  const constSet = new Set(j.constvars);
  while (stack.length) {
    const v = stack.pop()!;
    if (constSet.has(v)) continue;
    if (invarSet.has(v)) {
      if (knownVar.has(v)) knownInputsUsed.add(v);
      continue;
    }
    const e = producer.get(v);
    if (e) {
      // A known intermediate: save it if the policy says so, otherwise recompute it.
      if (saveable(e)) saved.add(v);
      else if (!recompute.has(e)) {
        recompute.add(e);
        e.inputs.forEach((a) => a instanceof Var && need(a));
      }
      continue;
    }
    const u = unknownProducer.get(v)!;
    if (!neededUnknown.has(u)) {
      neededUnknown.add(u);
      u.inputs.forEach((a) => a instanceof Var && need(a));
    }
  }

  // The known pass: the known outputs and the saved values, evaluated now.
  const knownOuts = j.outvars.filter(isKnown);
  const savedList = [...saved];
  const knownInvars = j.invars.filter((_, i) => known[i]);
  const knownEqns = liveEqns(j.eqns.filter((e) => !unknownEqns.has(e)), [...knownOuts, ...savedList]);
  const knownJaxpr = new Jaxpr(j.constvars, knownInvars, knownEqns, [...knownOuts, ...savedList]);
  const knownVals = evalJaxpr(knownJaxpr, cj.consts, args.filter((_, i) => known[i]).map((a) => a.constValue!));

  // The staged part: [known inputs used, saved values, unknown inputs] -> unknown outputs.
  const resInvars = j.invars.filter((v) => knownInputsUsed.has(v));
  const unknownInvars = j.invars.filter((_, i) => !known[i]);
  const stagedEqns = j.eqns.filter((e) => recompute.has(e) || neededUnknown.has(e));
  const unknownOuts = j.outvars.filter((a) => !isKnown(a));
  const stagedJaxpr = new Jaxpr(j.constvars, [...resInvars, ...savedList, ...unknownInvars], stagedEqns, unknownOuts);
  const byVar = new Map<Var, StagingTracer>();
  j.invars.forEach((v, i) => byVar.set(v, args[i]));
  const savedVals = knownVals.slice(knownOuts.length);
  const ins = [...resInvars.map((v) => byVar.get(v)!), ...savedVals.map((x) => trace.lift(x)), ...unknownInvars.map((v) => byVar.get(v)!)];
  const staged = trace.stage(checkpoint_p as unknown as Primitive, ins, { ...params, jaxpr: new ClosedJaxpr(stagedJaxpr, cj.consts) });
  let ki = 0;
  let ui = 0;
  return j.outvars.map((a) => (isKnown(a) ? knownVals[ki++] : staged[ui++]));
};

/** The equations (in order) that the outputs depend on. */
function liveEqns(eqns: Eqn[], outs: Atom[]): Eqn[] {
  const live = new Set<Var>(outs.filter((a): a is Var => a instanceof Var));
  const kept: Eqn[] = [];
  for (let i = eqns.length - 1; i >= 0; i--) {
    const e = eqns[i];
    if (e.prim.rules.effectful || e.outputs.some((o) => live.has(o))) {
      kept.push(e);
      for (const a of e.inputs) if (a instanceof Var) live.add(a);
    }
  }
  return kept.reverse();
}

export interface CheckpointOptions {
  /** Which intermediates reverse mode may save (default: none; see checkpointPolicies). */
  policy?: CheckpointPolicy | null;
  /** Kept for JAX compatibility; the recomputation is always one equation, never merged. */
  preventCse?: boolean;
  /** Arguments passed through as static JS values (not traced). */
  staticArgnums?: number | number[];
}

/** checkpoint(f, {policy, staticArgnums}) (alias remat): f, recomputed in the backward pass. */
export function checkpoint<F extends (...args: any[]) => any>(f: F, opts: CheckpointOptions = {}): F {
  checkFunction("checkpoint", f);
  const policy = opts.policy ?? null;
  if (policy !== null && typeof policy !== "function") {
    throw new TypeError("checkpoint: policy must be a function (prim, inAvals, params) => boolean, e.g. checkpointPolicies.dotsSaveable");
  }
  const wrapped = (...args: unknown[]) => {
    if (traceStack.length === 0) return f(...args);
    const stat = new Set(opts.staticArgnums === undefined ? [] : normArgnums("checkpoint staticArgnums", opts.staticArgnums, args.length));
    const dynIdx = [...args.keys()].filter((i) => !stat.has(i));
    const [leaves, inDef] = flattenArgs("checkpoint", dynIdx.map((i) => args[i]));
    let outDef!: TreeDef;
    const cj = traceToJaxpr((ins) => {
      const dyn = unflatten(inDef, ins) as unknown[];
      const full = args.slice();
      dynIdx.forEach((a, k) => (full[a] = dyn[k]));
      const [outs, d] = flattenArgs("checkpoint", f(...full));
      outDef = d;
      return outs;
    }, leaves.map(avalOf));
    const { call, consts } = closureConvert(cj);
    const outs = bind(checkpoint_p, [...consts, ...leaves], { jaxpr: call, prevent_cse: opts.preventCse ?? true, differentiated: false, policy });
    return unflatten(outDef, outs);
  };
  return wrapped as F;
}

export const remat = checkpoint;

