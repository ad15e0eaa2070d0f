// Custom derivative rules, as JAX's jax.custom_jvp and jax.custom_vjp.
//
// Called with no transformation active, a custom function simply calls f. Under a
// transformation it traces f to a jaxpr and binds a primitive holding that jaxpr and the
// rules (closed-over tracers become explicit leading inputs, "consts"):
// - custom_jvp_call: its jvp rule calls the user's rule. Under grad the rule runs inside
//   linearize, so its tangent computation is staged and transposed like any other.
// - custom_vjp_call: its jvp rule runs fwd and binds custom_lin on the residuals and the
//   tangents. custom_lin is only ever staged (by linearize) and transposed, where it calls
//   bwd; evaluating it (forward mode: jvp, or linearize's tangent map) raises JAX's TypeError.
// Both batch by vmapping f's jaxpr and the rules, and stage as one equation under jit.
import type { Array as EdgeArray } from "../array/array.js";
import { ArrayBase } from "../array/base.js";
import { isFloat } from "../array/dtype.js";
import { ClosedJaxpr, Jaxpr, Var, evalClosed, type Atom, type Eqn } from "../core/jaxpr.js";
import { definePrimitive, LinearArg, type Aval, type Params } from "../core/primitive.js";
import { avalOf, traceToJaxpr } from "../core/staging.js";
import { Tracer, bind, traceStack } from "../core/trace.js";
import { reduceSum } from "../lax/reduce.js";
import { convert, moveaxis, zeros } from "../lax/rule_util.js";
import { stop_gradient_p } from "../lax/structural.js";
import { flatten, unflatten, type TreeDef } from "../tree/index.js";
import { checkFunction, flattenArgs, leafToArray, normArgnums } from "./common.js";
import { vmap } from "./vmap.js";

type Fn = (...args: any[]) => any;

// ---- shared machinery ----

/** f traced at the avals of the dynamic leaves, with closed-over tracers made inputs. */
export interface TracedCall {
  /** Inputs: [consts..., leaves...]; only concrete constants remain closed over. */
  call: ClosedJaxpr;
  /** The closed-over tracers, passed as the leading inputs of the primitive. */
  consts: ArrayBase[];
  outDef: TreeDef;
}

/**
 * Moves the constants of a traced jaxpr that are tracers (values of enclosing
 * transformations) to the front of its inputs, so that they are bound as operands and
 * every enclosing trace sees them. Concrete constants stay closed over.
 */
export function closureConvert(cj: ClosedJaxpr): { call: ClosedJaxpr; consts: ArrayBase[] } {
  const j = cj.jaxpr;
  const tracerIdx = cj.consts.map((c, i) => (c instanceof Tracer ? i : -1)).filter((i) => i >= 0);
  if (!tracerIdx.length) return { call: cj, consts: [] };
  const isTr = new Set(tracerIdx);
  const keepVars = j.constvars.filter((_, i) => !isTr.has(i));
  const keepVals = cj.consts.filter((_, i) => !isTr.has(i));
  const moved = tracerIdx.map((i) => j.constvars[i]);
  const jaxpr = new Jaxpr(keepVars, [...moved, ...j.invars], j.eqns, j.outvars);
  return { call: new ClosedJaxpr(jaxpr, keepVals), consts: tracerIdx.map((i) => cj.consts[i]) };
}

/** Splits arguments into static (nondiff) ones, kept as JS values, and dynamic leaves. */
function splitArgs(fn: string, args: unknown[], nondiff: number[]) {
  const nd = new Set(normArgnums(`${fn} nondiffArgnums`, nondiff, args.length));
  const dynIdx = [...args.keys()].filter((i) => !nd.has(i));
  const dynArgs = dynIdx.map((i) => args[i]);
  const [leaves, inDef] = flattenArgs(fn, dynArgs);
  const staticArgs = [...nd].sort((a, b) => a - b).map((i) => args[i]);
  /** The full argument list with the dynamic arguments rebuilt from leaves. */
  const rebuild = (ls: readonly ArrayBase[]): unknown[] => {
    const dyn = unflatten(inDef, ls) as unknown[];
    const full = args.slice();
    dynIdx.forEach((a, k) => (full[a] = dyn[k]));
    return full;
  };
  const dynTrees = (ls: readonly ArrayBase[]) => unflatten(inDef, ls) as unknown[];
  return { leaves, inDef, dynIdx, dynArgs, staticArgs, rebuild, dynTrees };
}

function traceCall(fn: string, f: Fn, rebuild: (ls: ArrayBase[]) => unknown[], leaves: ArrayBase[]): TracedCall {
  let outDef!: TreeDef;
  const cj = traceToJaxpr((ins) => {
    const [outs, d] = flattenArgs(fn, f(...rebuild(ins)));
    outDef = d;
    return outs;
  }, leaves.map(avalOf));
  return { ...closureConvert(cj), outDef };
}

function tangentAval(a: Aval): Aval {
  return { shape: a.shape.slice(), dtype: a.dtype, weakType: false };
}

/** A zero tangent for a primal (integer primals get zeros of their own dtype: no float0). */
function zeroTangent(p: ArrayBase): ArrayBase {
  return zeros(tangentAval(avalOf(p)));
}

function closedOverError(kind: "jvp" | "vjp"): TypeError {
  const rules = kind === "jvp" ? "JVP rule" : "VJP rule";
  return new TypeError(
    `Detected differentiation of a custom_${kind} function with respect to a closed-over value. ` +
      `That isn't supported because the custom ${rules} only specifies how to differentiate the custom_${kind} ` +
      `function with respect to explicit input parameters. Try passing the closed-over value into the custom_${kind} ` +
      `function as an argument, and adapting the custom_${kind} rule${kind === "vjp" ? "s (fwd and bwd)" : ""}.`,
  );
}

/** Checks a rule's flat outputs against f's output avals (shape; dtype up to weak types). */
function checkOuts(fn: string, what: string, outs: ArrayBase[], want: Aval[], tangent: boolean): ArrayBase[] {
  return outs.map((o, i) => {
    const w = want[i];
    if (o.shape.join() !== w.shape.join()) {
      throw new TypeError(
        `${fn}: the ${what} output ${i} has shape [${o.shape}] but the function's output has shape [${w.shape}]; ` +
          "a custom rule must produce primal and tangent outputs with the shapes and dtypes of the function's outputs",
      );
    }
    if (o.dtype !== w.dtype) {
      if (tangent && !isFloat(w.dtype)) return o;
      if (!o.weakType) {
        throw new TypeError(`${fn}: the ${what} output ${i} has dtype ${o.dtype} but the function's output has dtype ${w.dtype}`);
      }
      return convert(o, w.dtype, tangent ? false : w.weakType);
    }
    return o;
  });
}

/** vmap of a flat function: inputs batched at `dims` (0 or null), every output at axis 0. */
function vmapFlat(fn: (xs: ArrayBase[]) => ArrayBase[], xs: ArrayBase[], dims: (number | null)[], n: number): ArrayBase[] {
  return vmap((...ys: ArrayBase[]) => fn(ys), { inAxes: dims, outAxes: 0, axisSize: n })(...xs) as ArrayBase[];
}

/** Batch axes to the front: returns the moved args, their dims (0 or null) and the size. */
function toFront(args: ArrayBase[], dims: (number | null)[]): [ArrayBase[], (number | null)[], number] {
  let n = -1;
  const moved = args.map((a, i) => {
    const d = dims[i];
    if (d === null) return a;
    n = a.shape[d];
    return moveaxis(a, d, 0);
  });
  return [moved, dims.map((d) => (d === null ? null : 0)), n];
}

/**
 * Eager evaluation of a call primitive's jaxpr. Outputs that are inputs or constants (or
 * repeated) come back as fresh views: executors dispose each result after its last use.
 */
export function evalCallImpl(call: ClosedJaxpr, args: EdgeArray[]): EdgeArray[] {
  const outs = evalClosed(call, args) as EdgeArray[];
  const seen = new Set<unknown>([...args, ...call.consts]);
  return outs.map((o) => {
    if (seen.has(o)) return o._view(o.shape, o._strides, o._offset);
    seen.add(o);
    return o;
  });
}

/** f's jaxpr batched: inputs at dims (0 or null), all outputs at 0. */
function batchJaxpr(call: ClosedJaxpr, args: ArrayBase[], dims: (number | null)[], n: number): ClosedJaxpr {
  const cj = traceToJaxpr((ins) => vmapFlat((xs) => evalClosed(call, xs), ins, dims, n), args.map(avalOf));
  if (cj.consts.some((c) => c instanceof Tracer)) throw new Error("edgejax internal: a batched custom-rule jaxpr closed over a tracer");
  return cj;
}

// ---- custom_jvp ----

/** The flat form of a user's JVP rule: dynamic leaves in, flat outputs and tangents out. */
type FlatJvp = ((primals: ArrayBase[], tangents: ArrayBase[]) => [ArrayBase[], ArrayBase[]]) & { toString(): string };

interface CustomJvpParams extends Params {
  name: string;
  call: ClosedJaxpr;
  jvp: FlatJvp;
  numConsts: number;
}

export const custom_jvp_call_p = definePrimitive<CustomJvpParams>("custom_jvp_call", {
  abstractEval: (_avals, { call }) => call.outAvals.map((a) => ({ ...a, shape: a.shape.slice() })),
  impl: (args, { call }) => evalCallImpl(call, args),
});

custom_jvp_call_p.rules.jvp = (primals, tangents, { call, jvp, numConsts }) => {
  if (tangents.slice(0, numConsts).some((t) => t !== null)) throw closedOverError("jvp");
  const ps = primals.slice(numConsts);
  const ts = tangents.slice(numConsts).map((t, i) => t ?? zeroTangent(ps[i]));
  const [po, to] = jvp(ps, ts);
  return [po, to.map((t, i) => (isFloat(call.outAvals[i].dtype) ? t : null))];
};

custom_jvp_call_p.rules.batch = (args, dims, params) => {
  const [moved, d0, n] = toFront(args, dims);
  const argDims = d0.slice(params.numConsts);
  const call = batchJaxpr(params.call, moved, d0, n);
  const userJvp = params.jvp;
  const jvp = ((ps: ArrayBase[], ts: ArrayBase[]) => {
    const k = ps.length;
    const outs = vmapFlat((xs) => {
      const [po, to] = userJvp(xs.slice(0, k), xs.slice(k));
      return [...po, ...to];
    }, [...ps, ...ts], [...argDims, ...argDims], n);
    const m = outs.length / 2;
    return [outs.slice(0, m), outs.slice(m)];
  }) as FlatJvp;
  jvp.toString = () => `${userJvp}`;
  const outs = bind(custom_jvp_call_p, moved, { ...params, call, jvp });
  return [outs, outs.map(() => 0)];
};

export interface CustomJvpOptions {
  /** Arguments that are not differentiated (static values: functions, numbers, options). */
  nondiffArgnums?: number | number[];
}

/** A function with a custom JVP rule (JAX's `jax.custom_jvp`). */
export interface CustomJvpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  /** The undecorated function. */
  readonly fun: F;
  /**
   * Sets the rule: `jvpFn(...nondiffArgs, primals, tangents) -> [primalOut, tangentOut]`, where
   * primals and tangents are lists with one entry per differentiable argument.
   */
  defjvp(jvpFn: (...args: any[]) => [unknown, unknown]): CustomJvpFunction<F>;
  /**
   * Sets the rule from one function per argument: `fn(tangent, primalOut, ...primals)` gives
   * that argument's contribution to the output tangent (null: the argument has none).
   */
  defjvps(...fns: (((t: any, out: any, ...primals: any[]) => unknown) | null)[]): CustomJvpFunction<F>;
}

/** customJvp(f, {nondiffArgnums}): f with a JVP rule set by `.defjvp(rule)` or `.defjvps(...)`. */
export function customJvp<F extends Fn>(f: F, opts: CustomJvpOptions = {}): CustomJvpFunction<F> {
  checkFunction("customJvp", f);
  const nondiff = normNondiff(opts.nondiffArgnums);
  const name = f.name || "fun";
  const fn = `customJvp(${name})`;
  let rule: ((...args: any[]) => [unknown, unknown]) | undefined;

  const wrapped = ((...args: unknown[]) => {
    if (!rule) throw new TypeError(`No JVP defined for custom_jvp function ${name} using defjvp: call .defjvp(rule) or .defjvps(...) first`);
    if (traceStack.length === 0) return f(...args);
    const s = splitArgs(fn, args, nondiff);
    const traced = traceCall(fn, f, s.rebuild, s.leaves);
    const { call, consts, outDef } = traced;
    const userRule = rule;
    const jvp = ((ps: ArrayBase[], ts: ArrayBase[]) => {
      const res = userRule(...s.staticArgs, s.dynTrees(ps), s.dynTrees(ts));
      if (!Array.isArray(res) || res.length !== 2) {
        throw new TypeError(`${fn}: the JVP rule must return a pair [primalOut, tangentOut], got ${res === null ? "null" : typeof res}`);
      }
      const [po, pdef] = flattenArgs(fn, res[0]);
      if (!pdef.equals(outDef)) {
        throw new TypeError(`${fn}: the JVP rule's primal output has structure ${pdef}, the function's output has ${outDef}`);
      }
      // Null tangent leaves (or a null tangent output) are zeros, as JAX's symbolic zeros.
      const [tl, tdef] = flatten(res[1], (x) => x === null);
      let tangents: ArrayBase[];
      if (res[1] === null) tangents = call.outAvals.map((a) => zeros(tangentAval(a)));
      else {
        if (!tdef.equals(outDef)) {
          throw new TypeError(`${fn}: the JVP rule's tangent output has structure ${tdef}, the function's output has ${outDef}`);
        }
        tangents = tl.map((t, i) => (t === null ? zeros(tangentAval(call.outAvals[i])) : leafToArray(fn, t)));
      }
      return [checkOuts(fn, "JVP rule's primal", po, call.outAvals, false), checkOuts(fn, "JVP rule's tangent", tangents, call.outAvals, true)];
    }) as FlatJvp;
    jvp.toString = () => `${name}_jvp`;
    const outs = bind(custom_jvp_call_p, [...consts, ...s.leaves], { name, call, jvp, numConsts: consts.length });
    return unflatten(outDef, outs);
  }) as unknown as CustomJvpFunction<F>;

  Object.defineProperty(wrapped, "fun", { value: f });
  Object.defineProperty(wrapped, "name", { value: name });
  wrapped.defjvp = (jvpFn) => {
    checkFunction(`${fn}.defjvp`, jvpFn);
    rule = jvpFn;
    return wrapped;
  };
  wrapped.defjvps = (...fns) => {
    fns.forEach((g, i) => g !== null && checkFunction(`${fn}.defjvps (argument ${i})`, g));
    rule = (...all: unknown[]) => {
      const primals = all[all.length - 2] as unknown[];
      const tangents = all[all.length - 1] as unknown[];
      if (fns.length !== primals.length) {
        throw new TypeError(`${fn}.defjvps: got ${fns.length} tangent functions for ${primals.length} differentiable arguments; give one per argument (null for none)`);
      }
      const staticArgs = all.slice(0, -2);
      const full = fullArgs(staticArgs, primals, nondiff);
      const out = f(...full);
      let total: unknown[] | null = null;
      fns.forEach((g, i) => {
        if (g === null) return;
        const [contrib] = flattenArgs(fn, g(tangents[i], out, ...primals));
        total = total === null ? contrib : total.map((a, k) => (a as ArrayBase).add(contrib[k]));
      });
      const [outLeaves, outDef] = flattenArgs(fn, out);
      const tan = total ?? outLeaves.map((o) => zeros(tangentAval(avalOf(o))));
      return [out, unflatten(outDef, tan)];
    };
    return wrapped;
  };
  return wrapped;
}

function normNondiff(x: number | number[] | undefined): number[] {
  if (x === undefined) return [];
  return typeof x === "number" ? [x] : x.slice();
}

/** Reassembles a call's arguments from static ones (at their argnums) and dynamic ones. */
function fullArgs(staticArgs: unknown[], dyn: unknown[], nondiff: number[]): unknown[] {
  const n = staticArgs.length + dyn.length;
  const nd = [...new Set(nondiff.map((a) => (a < 0 ? a + n : a)))].sort((a, b) => a - b);
  const out: unknown[] = [];
  let s = 0;
  let d = 0;
  for (let i = 0; i < n; i++) out.push(nd.includes(i) ? staticArgs[s++] : dyn[d++]);
  return out;
}

// ---- custom_vjp ----

interface FwdResult {
  outs: ArrayBase[];
  res: ArrayBase[];
  resDef: TreeDef;
}
type FlatFwd = ((ps: ArrayBase[]) => FwdResult) & { toString(): string };
/** Residual leaves and output cotangents in, one cotangent per input leaf out (null: zero). */
type FlatBwd = ((res: ArrayBase[], resDef: TreeDef, cts: ArrayBase[]) => (ArrayBase | null)[]) & { toString(): string };

interface CustomVjpParams extends Params {
  name: string;
  call: ClosedJaxpr;
  fwd: FlatFwd;
  bwd: FlatBwd;
  numConsts: number;
}

export const custom_vjp_call_p = definePrimitive<CustomVjpParams>("custom_vjp_call", {
  abstractEval: (_avals, { call }) => call.outAvals.map((a) => ({ ...a, shape: a.shape.slice() })),
  impl: (args, { call }) => evalCallImpl(call, args),
});

interface CustomLinParams extends Params {
  name: string;
  numRes: number;
  resDef: TreeDef;
  bwd: FlatBwd;
  outAvals: Aval[];
}

/**
 * The tangent map of a custom_vjp function: [residuals..., tangents...] -> output tangents.
 * Linear in the tangents; only its transpose (bwd) is known.
 */
export const custom_vjp_lin_p = definePrimitive<CustomLinParams>("custom_lin", {
  abstractEval: (_avals, { outAvals }) => outAvals.map((a) => ({ ...a, shape: a.shape.slice() })),
  impl: () => {
    throw new TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.");
  },
});

custom_vjp_lin_p.rules.transpose = (cts, args, { numRes, resDef, bwd, outAvals }) => {
  const res = args.slice(0, numRes);
  if (res.some((r) => r instanceof LinearArg)) throw new Error("edgejax internal: custom_lin transposed with respect to its residuals");
  const ct = cts.map((c, i) => c ?? zeros(tangentAval(outAvals[i])));
  const inCts = bwd(res as ArrayBase[], resDef, ct);
  return [...res.map(() => null), ...inCts];
};

custom_vjp_call_p.rules.jvp = (primals, tangents, { name, call, fwd, bwd, numConsts }) => {
  if (tangents.slice(0, numConsts).some((t) => t !== null)) throw closedOverError("vjp");
  const ps = primals.slice(numConsts);
  const ts = tangents.slice(numConsts).map((t, i) => t ?? zeroTangent(ps[i]));
  const { outs, res, resDef } = fwd(ps);
  const outAvals = call.outAvals.map(tangentAval);
  const tOut = bind(custom_vjp_lin_p, [...res, ...ts], { name, numRes: res.length, resDef, bwd, outAvals });
  return [outs, tOut.map((t, i) => (isFloat(outAvals[i].dtype) ? t : null))];
};

custom_vjp_call_p.rules.batch = (args, dims, params) => {
  const [moved, d0, n] = toFront(args, dims);
  const argDims = d0.slice(params.numConsts);
  const call = batchJaxpr(params.call, moved, d0, n);
  const userFwd = params.fwd;
  const userBwd = params.bwd;
  // Residuals and outputs come out batched at 0, so bwd sees every input batched at 0.
  const fwd = ((ps: ArrayBase[]) => {
    let resDef!: TreeDef;
    let nOut = 0;
    const all = vmapFlat((xs) => {
      const r = userFwd(xs);
      resDef = r.resDef;
      nOut = r.outs.length;
      return [...r.outs, ...r.res];
    }, ps, argDims, n);
    return { outs: all.slice(0, nOut), res: all.slice(nOut), resDef };
  }) as FlatFwd;
  fwd.toString = () => `${userFwd}`;
  // The per-example cotangent avals, for instantiating null cotangents inside the vmap.
  const perExample = moved.slice(params.numConsts).map((a, i) => tangentAval(argDims[i] === null ? avalOf(a) : { ...avalOf(a), shape: a.shape.slice(1) }));
  // Null cotangents are instantiated inside the vmap so that every output is an array.
  const bwd = ((res: ArrayBase[], resDef: TreeDef, cts: ArrayBase[]) => {
    const k = res.length;
    let nulls: boolean[] = [];
    const outs = vmapFlat((xs) => {
      const r = userBwd(xs.slice(0, k), resDef, xs.slice(k));
      nulls = r.map((c) => c === null);
      return r.map((c, i) => c ?? zeros(perExample[i]));
    }, [...res, ...cts], [...res.map(() => 0), ...cts.map(() => 0)], n);
    // An unbatched input's cotangent is the sum over the batch (the input was broadcast).
    return outs.map((c, i) => (nulls[i] ? null : argDims[i] === null ? reduceSum(c, [0]) : c));
  }) as FlatBwd;
  bwd.toString = () => `${userBwd}`;
  const outs = bind(custom_vjp_call_p, moved, { ...params, call, fwd, bwd });
  return [outs, outs.map(() => 0)];
};

export interface CustomVjpOptions {
  /** Arguments that are not differentiated; bwd receives them first and returns no cotangent for them. */
  nondiffArgnums?: number | number[];
}

/** A function with a custom VJP rule (JAX's `jax.custom_vjp`). */
export interface CustomVjpFunction<F extends Fn> {
  (...args: Parameters<F>): ReturnType<F>;
  readonly fun: F;
  /**
   * Sets the rules: `fwd(...args) -> [out, residuals]` and
   * `bwd(...nondiffArgs, residuals, ct) -> a list with one cotangent per differentiable
   * argument` (null for a zero cotangent).
   */
  defvjp(fwd: (...args: any[]) => [unknown, unknown], bwd: (...args: any[]) => unknown[]): CustomVjpFunction<F>;
}

/** customVjp(f, {nondiffArgnums}): f with a reverse-mode rule set by `.defvjp(fwd, bwd)`. */
export function customVjp<F extends Fn>(f: F, opts: CustomVjpOptions = {}): CustomVjpFunction<F> {
  checkFunction("customVjp", f);
  const nondiff = normNondiff(opts.nondiffArgnums);
  const name = f.name || "fun";
  const fn = `customVjp(${name})`;
  let rules: { fwd: (...args: any[]) => [unknown, unknown]; bwd: (...args: any[]) => unknown[] } | undefined;

  const wrapped = ((...args: unknown[]) => {
    if (!rules) throw new TypeError(`No VJP defined for custom_vjp function ${name} using defvjp: call .defvjp(fwd, bwd) first`);
    if (traceStack.length === 0) return f(...args);
    const s = splitArgs(fn, args, nondiff);
    const { call, consts, outDef } = traceCall(fn, f, s.rebuild, s.leaves);
    const { fwd: userFwd, bwd: userBwd } = rules;
    const fwd = ((ps: ArrayBase[]) => {
      const r = userFwd(...s.rebuild(ps));
      if (!Array.isArray(r) || r.length !== 2) {
        throw new TypeError(`${fn}: fwd must return a pair [output, residuals], got ${r === null ? "null" : typeof r}`);
      }
      const [outs, def] = flattenArgs(fn, r[0]);
      if (!def.equals(outDef)) throw new TypeError(`${fn}: fwd's output has structure ${def}, the function's output has ${outDef}`);
      const [res, resDef] = flattenArgs(fn, r[1]);
      return { outs: checkOuts(fn, "fwd", outs, call.outAvals, false), res, resDef };
    }) as FlatFwd;
    fwd.toString = () => `${name}_fwd`;
    const inAvals = s.leaves.map((l) => tangentAval(avalOf(l)));
    const bwd = ((res: ArrayBase[], resDef: TreeDef, cts: ArrayBase[]) => {
      const out = userBwd(...s.staticArgs, unflatten(resDef, res), unflatten(outDef, cts));
      if (!Array.isArray(out) || out.length !== s.dynArgs.length) {
        throw new TypeError(
          `${fn}: bwd must return a list with one cotangent per differentiable argument (${s.dynArgs.length}), got ` +
            (Array.isArray(out) ? `a list of ${out.length}` : out === null ? "null" : typeof out),
        );
      }
      const flat: (ArrayBase | null)[] = [];
      out.forEach((ct, ai) => {
        const [argLeaves, argDef] = flatten(s.dynArgs[ai]);
        if (ct === null || ct === undefined) {
          argLeaves.forEach(() => flat.push(null));
          return;
        }
        const [cl, cdef] = flatten(ct, (x) => x === null);
        if (!cdef.equals(argDef)) throw new TypeError(`${fn}: bwd's cotangent ${ai} has structure ${cdef}, the argument has ${argDef}`);
        cl.forEach((c) => flat.push(c === null ? null : leafToArray(fn, c)));
      });
      return flat.map((c, i) => {
        if (c === null || !isFloat(inAvals[i].dtype)) return null;
        if (c.shape.join() !== inAvals[i].shape.join()) {
          throw new TypeError(`${fn}: bwd's cotangent for input leaf ${i} has shape [${c.shape}], the input has shape [${inAvals[i].shape}]`);
        }
        return convert(c, inAvals[i].dtype);
      });
    }) as FlatBwd;
    bwd.toString = () => `${name}_bwd`;
    const outs = bind(custom_vjp_call_p, [...consts, ...s.leaves], { name, call, fwd, bwd, numConsts: consts.length });
    return unflatten(outDef, outs);
  }) as unknown as CustomVjpFunction<F>;

  Object.defineProperty(wrapped, "fun", { value: f });
  Object.defineProperty(wrapped, "name", { value: name });
  wrapped.defvjp = (fwd, bwd) => {
    checkFunction(`${fn}.defvjp (fwd)`, fwd);
    checkFunction(`${fn}.defvjp (bwd)`, bwd);
    rules = { fwd, bwd };
    return wrapped;
  };
  return wrapped;
}

// ---- stop_gradient ----

// Batching of stop_gradient: the identity on values keeps the batch axis where it is
// (without this rule vmap would loop over the batch).
stop_gradient_p.rules.batch ??= ((args: ArrayBase[], dims: (number | null)[]) => [[bind(stop_gradient_p, args, {})[0]], [dims[0]]]) as never;


// ---- inlining for compilation ----

/** The call-like primitives whose params hold the jaxpr they evaluate. */
const callJaxprParam: Record<string, string> = { custom_jvp_call: "call", custom_vjp_call: "call", checkpoint: "jaxpr" };

/**
 * Replaces custom_jvp_call, custom_vjp_call and checkpoint equations by the equations of
 * the jaxprs they hold (recursively), for a compiler that wants to fuse across them: once
 * no transformation remains to be applied, they only evaluate their jaxpr. Checkpoint's
 * recomputation stays separate as long as common-subexpression elimination ran before.
 */
export function inlineCustomCalls(cj: ClosedJaxpr): ClosedJaxpr {
  const j = cj.jaxpr;
  if (!j.eqns.some((e) => e.prim.name in callJaxprParam)) return cj;
  const constvars = j.constvars.slice();
  const consts = cj.consts.slice();
  const sub = new Map<Var, Atom>();
  const s = (a: Atom): Atom => (a instanceof Var ? sub.get(a) ?? a : a);
  const eqns: Eqn[] = [];
  for (const e of j.eqns) {
    const key = callJaxprParam[e.prim.name];
    if (!key) {
      eqns.push({ ...e, inputs: e.inputs.map(s) });
      continue;
    }
    const inner = inlineCustomCalls(e.params[key] as ClosedJaxpr);
    const ij = inner.jaxpr;
    // Fresh variables: the same inner jaxpr may be inlined more than once.
    const env = new Map<Var, Atom>();
    ij.constvars.forEach((v, i) => {
      const nv = new Var(v.aval);
      constvars.push(nv);
      consts.push(inner.consts[i]);
      env.set(v, nv);
    });
    ij.invars.forEach((v, i) => env.set(v, s(e.inputs[i])));
    const r = (a: Atom): Atom => (a instanceof Var ? env.get(a) ?? a : a);
    for (const ie of ij.eqns) {
      const outs = ie.outputs.map((o) => {
        const nv = new Var(o.aval);
        env.set(o, nv);
        return nv;
      });
      eqns.push({ prim: ie.prim, inputs: ie.inputs.map(r), params: ie.params, outputs: outs });
    }
    e.outputs.forEach((o, i) => sub.set(o, r(ij.outvars[i])));
  }
  return new ClosedJaxpr(new Jaxpr(constvars, j.invars, eqns, j.outvars.map(s)), consts);
}
