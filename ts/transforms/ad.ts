// The public differentiation API: jvp, linearize, vjp, grad, valueAndGrad, linearTranspose,
// jacfwd, jacrev, hessian. Pytrees in and out; JAX's conventions and errors.
import { ArrayBase } from "../array/base.js";
import { isFloat } from "../array/dtype.js";
import { traceToJaxpr } from "../core/staging.js";
import { asUser } from "../runtime/buffer.js";
import { avalOf } from "../core/staging.js";
import { convert, full, zeros } from "../lax/rule_util.js";
import { flatten, type TreeDef } from "../tree/index.js";
import { checkFunction, flattenArgs, flattenPoints, freeIntermediates, leafToArray, normArgnums, unflattenArgs } from "./common.js";
import { jvpFlat } from "./jvp_trace.js";
import { backwardPass, evalLinear, linearizeFlat } from "./linearize.js";
import { vmap } from "./vmap.js";
import * as np from "../numpy/index.js";

type Fn = (...args: any[]) => any;

export interface GradOptions {
  argnums?: number | number[];
  hasAux?: boolean;
  allowInt?: boolean;
}

/** float0 stand-in: the zero cotangent of an integer input (see docs/decisions.md). */
function float0Zeros(x: ArrayBase): ArrayBase {
  return full(x.shape, 0, "bool");
}

/**
 * One cotangent per primal leaf: the backward pass's (in order over the differentiable
 * leaves, null = zero) or float0-like zeros for the leaves without tangents.
 */
function inputCotangents(primals: ArrayBase[], inMask: boolean[], inCts: (ArrayBase | null)[]): ArrayBase[] {
  let k = 0;
  return primals.map((p, i) => {
    if (!inMask[i]) return float0Zeros(p);
    return inCts[k++] ?? zeros({ ...avalOf(p), weakType: false });
  });
}

/** Output of a traced function as flat arrays, with its structure. */
function flatOut(fn: string, out: unknown): [ArrayBase[], TreeDef] {
  return flattenArgs(fn, out);
}

/**
 * Calls f with the leaves at `argnums` replaced, returns flat outputs [out..., aux...].
 * `info` receives the structures of the output and the aux value.
 */
function wrapArgnums(
  fn: string,
  f: Fn,
  args: unknown[],
  argnums: number[],
  inDef: TreeDef,
  hasAux: boolean,
  info: Info,
): (leaves: ArrayBase[]) => ArrayBase[] {
  return (leaves) => {
    const dyn = unflattenArgs(inDef, leaves) as unknown[];
    const full = args.slice();
    argnums.forEach((a, i) => (full[a] = dyn[i]));
    let out = asUser(() => f(...full));
    let aux: unknown = null;
    if (hasAux) {
      if (!Array.isArray(out) || out.length !== 2) {
        throw new TypeError(`${fn}: with hasAux the function must return a pair [output, aux], got ${describe(out)}`);
      }
      [out, aux] = out;
    }
    const [outs, outDef] = flatOut(fn, out);
    // Aux leaves that are not arrays (numbers, strings, ...) pass through untouched.
    const [auxLeaves, auxDef] = flatten(aux);
    info.outDef = outDef;
    info.auxDef = auxDef;
    info.auxLeaves = auxLeaves;
    info.nOut = outs.length;
    return [...outs, ...auxLeaves.filter((l): l is ArrayBase => l instanceof ArrayBase)];
  };
}

type Info = { outDef?: TreeDef; auxDef?: TreeDef; nOut?: number; auxLeaves?: unknown[] };

/** The aux value from the traced array leaves (`arrays`, in order) and the pass-through ones. */
function rebuildAux(info: Info, arrays: ArrayBase[]): unknown {
  let k = 0;
  return unflattenArgs(info.auxDef!, info.auxLeaves!.map((l) => (l instanceof ArrayBase ? arrays[k++] : l)));
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return `a list of ${x.length}`;
  return x === null ? "null" : typeof x;
}

/** jvp(f, primals, tangents, {hasAux}) -> [primalsOut, tangentsOut] (or with aux). */
export function jvp(f: Fn, primals: unknown[], tangents: unknown[], opts: { hasAux?: boolean } = {}): any {
  checkFunction("jvp", f);
  return freeIntermediates(() => jvpImpl(f, primals, tangents, opts));
}

function jvpImpl(f: Fn, primals: unknown[], tangents: unknown[], opts: { hasAux?: boolean }): any {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new TypeError("jvp: primals and tangents must be lists of arguments, e.g. jvp(f, [x], [dx])");
  }
  if (primals.length !== tangents.length) {
    throw new TypeError(`jvp: got ${primals.length} primals and ${tangents.length} tangents; they must match`);
  }
  const [ps, pdef] = flattenPoints("jvp", primals);
  const [tl, tdef] = flatten(tangents);
  if (!pdef.equals(tdef)) throw new TypeError(`jvp: primal and tangent structures differ: ${pdef} and ${tdef}`);
  const ts = tl.map((t, i) => {
    const ta = leafToArray("jvp", t);
    const p = ps[i];
    if (!isFloat(p.dtype)) return null;
    if (ta.dtype !== p.dtype && !ta.weakType) {
      throw new TypeError(`jvp: primal and tangent dtypes must be equal, got ${p.dtype} and ${ta.dtype} (argument leaf ${i})`);
    }
    if (ta.shape.join() !== p.shape.join()) {
      throw new TypeError(`jvp: primal and tangent shapes must be equal, got [${p.shape}] and [${ta.shape}] (argument leaf ${i})`);
    }
    return convert(ta, p.dtype);
  });
  const info: Info = {};
  const all = [...primals.keys()];
  const flat = wrapArgnums("jvp", f, primals, all, pdef, !!opts.hasAux, info);
  const [po, to] = jvpFlat(flat, ps, ts);
  const n = info.nOut!;
  const tOut = to.slice(0, n).map((t, i) => t ?? (isFloat(po[i].dtype) ? zeros({ ...avalOf(po[i]), weakType: false }) : float0Zeros(po[i])));
  const res = [unflattenArgs(info.outDef!, po.slice(0, n)), unflattenArgs(info.outDef!, tOut)];
  return opts.hasAux ? [...res, rebuildAux(info, po.slice(n))] : res;
}

/** linearize(f, ...primals) -> [out, fJvp] with fJvp(...tangents) = the tangents of out. */
export function linearize(f: Fn, ...primals: unknown[]): [any, (...tangents: unknown[]) => any] {
  checkFunction("linearize", f);
  const [ps, pdef] = flattenPoints("linearize", primals);
  const info: Info = {};
  const lin = linearizeFlat(wrapArgnums("linearize", f, primals, [...primals.keys()], pdef, false, info), ps);
  const out = unflattenArgs(info.outDef!, lin.primalsOut);
  const fJvp = (...tangents: unknown[]) => {
    const [tl, tdef] = flattenArgs("linearize", tangents);
    if (!tdef.equals(pdef)) throw new TypeError(`linearize: tangent structure ${tdef} differs from the primals' ${pdef}`);
    const ins = tl.filter((_, i) => lin.inMask[i]).map((t, i) => convert(t, lin.linear.inAvals[i].dtype));
    return unflattenArgs(info.outDef!, evalLinear(lin.linear, ins));
  };
  return [out, fJvp];
}

/** vjp(f, ...primals) -> [out, vjpFn] with vjpFn(ct) = a list of cotangents, one per primal. */
export function vjp(f: Fn, ...primals: unknown[]): [any, (ct: unknown) => any[]] {
  checkFunction("vjp", f);
  return vjpImpl("vjp", f, primals, false) as [any, (ct: unknown) => any[]];
}

/** vjp with an auxiliary output: f returns [out, aux]; gives [out, vjpFn, aux]. */
export function vjpWithAux(f: Fn, ...primals: unknown[]): [any, (ct: unknown) => any[], any] {
  checkFunction("vjpWithAux", f);
  return vjpImpl("vjpWithAux", f, primals, true) as [any, (ct: unknown) => any[], any];
}

function vjpImpl(fn: string, f: Fn, primals: unknown[], hasAux: boolean): unknown[] {
  const [ps, pdef] = flattenPoints(fn, primals);
  const info: Info = {};
  const lin = linearizeFlat(wrapArgnums(fn, f, primals, [...primals.keys()], pdef, hasAux, info), ps);
  const n = info.nOut!;
  const outs = lin.primalsOut.slice(0, n);
  const out = unflattenArgs(info.outDef!, outs);
  const vjpFn = (ct: unknown): any[] => {
    const [cl, cdef] = flattenArgs(`${fn} function`, ct);
    if (!cdef.equals(info.outDef!)) {
      throw new TypeError(`${fn}: the cotangent's structure ${cdef} differs from the output's ${info.outDef}`);
    }
    cl.forEach((c, i) => {
      if (c.shape.join() !== outs[i].shape.join()) {
        throw new TypeError(`${fn}: cotangent ${i} has shape [${c.shape}], the output has [${outs[i].shape}]`);
      }
    });
    const cts = [...cl.map((c, i) => (isFloat(outs[i].dtype) ? convert(c, outs[i].dtype) : null)), ...lin.primalsOut.slice(n).map(() => null)];
    const inCts = backwardPass(lin.linear.jaxpr, lin.linear.consts, cts);
    return unflattenArgs(pdef, inputCotangents(ps, lin.inMask, inCts)) as any[];
  };
  const res: unknown[] = [out, vjpFn];
  if (hasAux) res.push(rebuildAux(info, lin.primalsOut.slice(n)));
  return res;
}

/** valueAndGrad(f, {argnums, hasAux, allowInt}) -> (...args) => [value, grad] (or [[value, aux], grad]). */
export function valueAndGrad(f: Fn, opts: GradOptions = {}): (...args: unknown[]) => any {
  checkFunction("valueAndGrad", f);
  return (...args: unknown[]) => freeIntermediates(() => valueAndGradImpl("valueAndGrad", f, opts, args));
}

/** grad(f, {argnums, hasAux, allowInt}): the gradient of a scalar function. */
export function grad(f: Fn, opts: GradOptions = {}): (...args: unknown[]) => any {
  checkFunction("grad", f);
  return (...args: unknown[]) =>
    freeIntermediates(() => {
      const [value, g] = valueAndGradImpl("grad", f, opts, args);
      return opts.hasAux ? [g, value[1]] : g;
    });
}

function valueAndGradImpl(fn: string, f: Fn, opts: GradOptions, args: unknown[]): [any, any] {
  const argnumsOpt = opts.argnums ?? 0;
  const argnums = normArgnums(fn, argnumsOpt, args.length);
  const dyn = argnums.map((a) => args[a]);
  const [ps, pdef] = flattenPoints(fn, dyn);
  for (const p of ps) {
    if (!isFloat(p.dtype) && !opts.allowInt) {
      throw new TypeError(
        `${fn} requires real-valued (floating) inputs, but got ${p.dtype}. ` +
          "To differentiate with integer or boolean inputs present, use vjp or pass { allowInt: true }.",
      );
    }
  }
  const info: Info = {};
  const lin = linearizeFlat(wrapArgnums(fn, f, args, argnums, pdef, !!opts.hasAux, info), ps);
  const out = lin.primalsOut[0];
  if (info.nOut !== 1 || out.shape.length !== 0) {
    throw new TypeError(
      `${fn}: the gradient is only defined for scalar-output functions; the output had ` +
        (info.nOut !== 1 ? `${info.nOut} leaves (${info.outDef})` : `shape [${out.shape}]`) +
        ". Use vjp, jacrev or sum the output.",
    );
  }
  if (!isFloat(out.dtype)) {
    throw new TypeError(`${fn} requires real-valued (floating) outputs, but the output is ${out.dtype}`);
  }
  const cts = [full([], 1, out.dtype), ...lin.primalsOut.slice(1).map(() => null)];
  const inCts = backwardPass(lin.linear.jaxpr, lin.linear.consts, cts);
  const g = unflattenArgs(pdef, inputCotangents(ps, lin.inMask, inCts)) as unknown[];
  const grads = typeof argnumsOpt === "number" ? g[0] : g;
  const value = opts.hasAux ? [out, rebuildAux(info, lin.primalsOut.slice(1))] : out;
  return [value, grads];
}

/** linearTranspose(f, ...primals): the transpose of a linear f, as a function of the output cotangent. */
export function linearTranspose(f: Fn, ...primals: unknown[]): (ct: unknown) => any[] {
  checkFunction("linearTranspose", f);
  const [ps, pdef] = flattenArgs("linearTranspose", primals);
  const info: Info = {};
  const cj = traceToJaxpr(wrapArgnums("linearTranspose", f, primals, [...primals.keys()], pdef, false, info), ps.map(avalOf));
  return (ct: unknown) => {
    const [cl, cdef] = flattenArgs("linearTranspose", ct);
    if (!cdef.equals(info.outDef!)) throw new TypeError(`linearTranspose: the cotangent's structure ${cdef} differs from the output's ${info.outDef}`);
    const inCts = backwardPass(cj.jaxpr, cj.consts, cl.map((c, i) => convert(c, cj.outAvals[i].dtype)));
    return unflattenArgs(pdef, inCts.map((c, i) => c ?? zeros({ ...avalOf(ps[i]), weakType: false }))) as any[];
  };
}

// ---- Jacobians ----

/** The standard basis of x's space, stacked along a new leading axis: [x.size, ...x.shape]. */
function basis(x: ArrayBase): ArrayBase {
  return np.reshape(np.eye(x.size, { dtype: x.dtype }), [x.size, ...x.shape]);
}

/** jacfwd(f, {argnums, hasAux}): Jacobian by forward mode (vmapped jvp); out.shape + in.shape. */
export function jacfwd(f: Fn, opts: { argnums?: number | number[]; hasAux?: boolean } = {}): (...args: unknown[]) => any {
  checkFunction("jacfwd", f);
  return (...args: unknown[]) => freeIntermediates(() => jacfwdImpl(f, opts, args));
}

type JacOptions = { argnums?: number | number[]; hasAux?: boolean; allowInt?: boolean };

/** The points a Jacobian is taken at (float leaves of the argnums arguments) and f on them. */
function jacSetup(fn: string, f: Fn, opts: JacOptions, args: unknown[]) {
  const argnumsOpt = opts.argnums ?? 0;
  const argnums = normArgnums(fn, argnumsOpt, args.length);
  const [ps, pdef] = flattenPoints(fn, argnums.map((a) => args[a]));
  for (const p of ps) if (!isFloat(p.dtype)) throw new TypeError(`${fn} requires real-valued (floating) inputs, got ${p.dtype}`);
  const info: Info = {};
  const flat = wrapArgnums(fn, f, args, argnums, pdef, !!opts.hasAux, info);
  return { ps, pdef, info, flat, singleArg: typeof argnumsOpt === "number" };
}

function jacfwdImpl(f: Fn, opts: JacOptions, args: unknown[]): any {
  const { ps, pdef, info, flat, singleArg } = jacSetup("jacfwd", f, opts, args);
  // One pushforward per input leaf, vmapped over that leaf's basis.
  let outs: ArrayBase[] = [];
  const perLeaf: ArrayBase[][] = [];
  ps.forEach((p, li) => {
    const push = (t: ArrayBase) => {
      const ts = ps.map((q, j) => (j === li ? t : null));
      const [po, to] = jvpFlat(flat, ps, ts);
      outs = po;
      return to.slice(0, info.nOut!).map((x, i) => x ?? zeros({ ...avalOf(po[i]), weakType: false }));
    };
    const cols = vmap(push, { inAxes: 0, outAxes: -1 })(basis(p)) as ArrayBase[];
    perLeaf.push(cols.map((c, i) => np.reshape(c, [...outs[i].shape, ...p.shape])));
  });
  const n = info.nOut!;
  const jac = jacTree(info.outDef!, pdef, perLeaf, n, singleArg);
  return opts.hasAux ? [jac, rebuildAux(info, outs.slice(n))] : jac;
}

/** jacrev(f, {argnums, hasAux}) (alias jacobian): Jacobian by reverse mode (vmapped vjp). */
export function jacrev(f: Fn, opts: { argnums?: number | number[]; hasAux?: boolean; allowInt?: boolean } = {}): (...args: unknown[]) => any {
  checkFunction("jacrev", f);
  return (...args: unknown[]) => freeIntermediates(() => jacrevImpl(f, opts, args));
}

function jacrevImpl(f: Fn, opts: JacOptions, args: unknown[]): any {
  const { ps, pdef, info, flat, singleArg } = jacSetup("jacrev", f, opts, args);
  const lin = linearizeFlat(flat, ps);
  const n = info.nOut!;
  const outs = lin.primalsOut.slice(0, n);
  // rows[o][leaf]: d out_o / d leaf, shape out_o.shape + leaf.shape.
  const rows: ArrayBase[][] = outs.map((o, oi) => {
    const pull = (ct: ArrayBase) => {
      const cts = lin.primalsOut.map((_, j) => (j === oi ? ct : null));
      const inCts = backwardPass(lin.linear.jaxpr, lin.linear.consts, cts);
      return ps.map((p, i) => inCts[i] ?? zeros({ ...avalOf(p), weakType: false }));
    };
    const res = vmap(pull, { inAxes: 0, outAxes: 0 })(basis(o)) as ArrayBase[];
    return res.map((r, i) => np.reshape(r, [...o.shape, ...ps[i].shape]));
  });
  const perLeaf = ps.map((_, li) => rows.map((r) => r[li]));
  const jac = jacTree(info.outDef!, pdef, perLeaf, n, singleArg);
  return opts.hasAux ? [jac, rebuildAux(info, lin.primalsOut.slice(n))] : jac;
}

export const jacobian = jacrev;

/** The Jacobian as a tree: output structure outside, input structure inside (as JAX). */
function jacTree(outDef: TreeDef, inDef: TreeDef, perLeaf: ArrayBase[][], nOut: number, singleArg: boolean): unknown {
  const perOut = [...Array(nOut).keys()].map((o) => {
    const inTree = unflattenArgs(inDef, perLeaf.map((l) => l[o])) as unknown[];
    return singleArg ? inTree[0] : inTree;
  });
  return unflattenArgs(outDef, perOut);
}

/** hessian(f, {argnums}) = jacfwd(jacrev(f)). */
export function hessian(f: Fn, opts: { argnums?: number | number[]; hasAux?: boolean } = {}): (...args: unknown[]) => any {
  checkFunction("hessian", f);
  return jacfwd(jacrev(f, opts), { argnums: opts.argnums, hasAux: opts.hasAux });
}
