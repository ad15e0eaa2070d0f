// lax.cond and lax.switch: the `cond` primitive picks one of several closed jaxprs
// (branches) by an int32 index and applies it to the operands. Rules: jvp of every branch,
// batching (a batched index becomes a select of all branches' outputs, as in JAX),
// transposition of every branch's linear part, and partial evaluation for linearize.
import type { ArrayBase } from "../../array/base.js";
import { ClosedJaxpr, Jaxpr, Var, fmtAval } from "../../core/jaxpr.js";
import { LinearArg, definePrimitive, type Aval, type Primitive } from "../../core/primitive.js";
import { avalOf } from "../../core/staging.js";
import { bind, bind1 } from "../../core/trace.js";
import { arg } from "../../numpy/convert.js";
import { flattenArgs } from "../../transforms/common.js";
import { unflatten, type TreeDef } from "../../tree/index.js";
import { clamp_p, convert_element_type_p, eq_p, ne_p, select_n_p } from "../elementwise.js";
import { batchSize, convert, full, moveaxis, zeros } from "../rule_util.js";
import { broadcast_in_dim_p } from "../structural.js";
import { runCompiled } from "./compiled_body.js";
import { batchJaxpr, callJaxpr, eagerDebugging, fmtAvals, jvpJaxpr, padInputs, sameAval, tangentAval, traceFlat, traceHoisted, transposeJaxpr } from "./jaxpr_util.js";
import { partialEvalJaxpr, stagingFromSplit, type SplitRule } from "./partial_eval.js";

export interface CondParams {
  /** Closed jaxprs of equal input and output types. */
  branches: ClosedJaxpr[];
}

export const cond_p = definePrimitive<CondParams>("cond", {
  abstractEval: ([index, ...ops], { branches }) => {
    if (index.dtype !== "int32" || index.shape.length !== 0) throw new TypeError(`cond: the branch index must be an int32 scalar, got ${fmtAval(index)}`);
    const want = branches[0].inAvals;
    if (ops.length !== want.length || ops.some((o, i) => !sameAval(o, want[i]))) {
      throw new TypeError(`cond: operands ${fmtAvals(ops)} do not match the branches' inputs ${fmtAvals(want)}`);
    }
    return branches[0].outAvals.map((a) => ({ shape: a.shape.slice(), dtype: a.dtype, weakType: a.weakType }));
  },
  impl: ([index, ...ops], { branches }) => {
    const i = Math.min(Math.max(Number(index.item()), 0), branches.length - 1);
    return runCompiled(branches[i], ops);
  },
});

// ---- jvp ----

cond_p.rules.jvp = ([index, ...ops], [, ...tangents], { branches }) => {
  const nonzero = tangents.map((t) => t !== null);
  const none = branches[0].outAvals.map(() => false);
  // The output tangents that some branch makes nonzero; every branch then makes them.
  const outNz = branches
    .map((b) => jvpJaxpr(b, nonzero, none).outNonzero)
    .reduce((acc, nz) => acc.map((x, i) => x || nz[i]));
  const jvpBranches = branches.map((b) => jvpJaxpr(b, nonzero, outNz).jaxpr);
  const outs = bind(cond_p, [index, ...ops, ...tangents.filter((t): t is ArrayBase => t !== null)], { branches: jvpBranches });
  const n = outNz.length;
  let k = n;
  return [outs.slice(0, n), outNz.map((nz) => (nz ? outs[k++] : null))];
};

// ---- batching ----

cond_p.rules.batch = (args, dims, { branches }) => {
  const size = batchSize(args, dims);
  const [index, ...ops] = args;
  const opsBatched = dims.slice(1).map((d) => d !== null);
  const opsFront = ops.map((o, i) => (dims[i + 1] === null ? o : moveaxis(o, dims[i + 1]!, 0)));
  const nOut = branches[0].outAvals.length;
  if (dims[0] !== null) {
    // A batched index: run every branch on the whole batch and select per element.
    // Clamped as the impl does, so out-of-range indices pick the same branch.
    const n = branches.length;
    const idx = bind1(clamp_p, [full([size], 0, "int32"), moveaxis(index, dims[0], 0), full([size], n - 1, "int32")], {});
    const all = branches[0].outAvals.map(() => true);
    const perBranch = branches.map((b) => callJaxpr(batchJaxpr(b, size, opsBatched, all).jaxpr, opsFront));
    const outs = branches[0].outAvals.map((aval, j) => {
      let res = perBranch[0][j];
      for (let k = 1; k < branches.length; k++) {
        const hit = bind1(eq_p, [idx, full([size], k, "int32")], {});
        const which = bind1(broadcast_in_dim_p, [hit], { shape: [size, ...aval.shape], broadcastDimensions: [0] });
        res = bind1(select_n_p, [which, res, perBranch[k][j]], {});
      }
      return res;
    });
    return [outs, outs.map(() => 0)];
  }
  const none = new globalThis.Array<boolean>(nOut).fill(false);
  const outB = branches.map((b) => batchJaxpr(b, size, opsBatched, none).outBatched).reduce((acc, x) => acc.map((y, i) => y || x[i]));
  const batched = branches.map((b) => batchJaxpr(b, size, opsBatched, outB).jaxpr);
  const outs = bind(cond_p, [index, ...opsFront], { branches: batched });
  return [outs, outB.map((b) => (b ? 0 : null))];
};

// ---- transposition ----

cond_p.rules.transpose = (cts, [index, ...ops], { branches }) => {
  if (index instanceof LinearArg) throw new TypeError("cond: cannot transpose with respect to the branch index");
  const linear = ops.map((o) => o instanceof LinearArg);
  const residuals = ops.filter((o): o is ArrayBase => !(o instanceof LinearArg));
  const ctsIn = cts.map((c, i) => c ?? zeros(tangentAval(branches[0].outAvals[i])));
  const transposed = branches.map((b) => transposeJaxpr(b, linear));
  const outs = bind(cond_p, [index, ...residuals, ...ctsIn], { branches: transposed });
  let k = 0;
  return [null, ...linear.map((l) => (l ? outs[k++] : null))];
};

// ---- partial evaluation (linearize): run the known part now, stage the rest ----

const condSplit: SplitRule = (params, ukIns) => {
  const { branches } = params as CondParams;
  if (ukIns[0]) return null;
  const opsUnknown = ukIns.slice(1);
  const outUnknown = branches.map((b) => partialEvalJaxpr(b, opsUnknown).outUnknown).reduce((acc, x) => acc.map((y, i) => y || x[i]));
  const pes = branches.map((b) => partialEvalJaxpr(b, opsUnknown, outUnknown));
  const knownOpIdx = opsUnknown.map((u, i) => (u ? -1 : i)).filter((i) => i >= 0);
  const unknownOpIdx = opsUnknown.map((u, i) => (u ? i : -1)).filter((i) => i >= 0);
  const knownOpAvals = knownOpIdx.map((i) => branches[0].inAvals[i]);
  const knownOpPos = new Map<number, number>(knownOpIdx.map((i, k) => [i, k]));
  // Residuals each branch computes; the known cond returns all branches' (zeros for others').
  const computed = pes.map((pe) => pe.resAvals.filter((_, r) => pe.resFromInput[r] < 0));
  const nKnownOut = outUnknown.filter((u) => !u).length;
  const knownBranches = pes.map((pe, k) =>
    traceFlat((xs) => {
      const outs = callJaxpr(pe.known, xs);
      const res: ArrayBase[] = outs.slice(0, nKnownOut);
      computed.forEach((avals, b) => avals.forEach((a, r) => res.push(b === k ? outs[nKnownOut + r] : zeros(a))));
      return res;
    }, knownOpAvals),
  );
  const nRes = computed.flat().length;
  const base = { knownIns: [0, ...knownOpIdx.map((i) => i + 1)], knownParams: { branches: knownBranches }, outUnknown };
  if (!outUnknown.some((u) => u)) return { ...base, unknownParams: null, unknownIns: [], unknownOuts: [] };
  // Unknown branches take [known ops..., every branch's residuals..., unknown ops...].
  const offsets: number[] = [];
  computed.reduce((off, avals) => (offsets.push(off), off + avals.length), knownOpIdx.length);
  const slotAvals: Aval[] = [...knownOpAvals, ...computed.flat()];
  const unknownBranches = pes.map((pe, k) => {
    const j = pe.unknown.jaxpr;
    const slots: (Var | undefined)[] = new globalThis.Array(slotAvals.length).fill(undefined);
    let c = 0;
    pe.resFromInput.forEach((inp, r) => (slots[inp >= 0 ? knownOpPos.get(inp)! : offsets[k] + c++] = j.invars[r]));
    const invars = slots.map((v, s) => v ?? new Var(slotAvals[s]));
    return new ClosedJaxpr(new Jaxpr(j.constvars, [...invars, ...j.invars.slice(pe.resAvals.length)], j.eqns, j.outvars), pe.unknown.consts);
  });
  const unknownIns: ["in" | "res", number][] = [
    ["in", 0],
    ...knownOpIdx.map((i): ["in", number] => ["in", i + 1]),
    ...[...globalThis.Array(nRes).keys()].map((r): ["res", number] => ["res", r]),
    ...unknownOpIdx.map((i): ["in", number] => ["in", i + 1]),
  ];
  const unknownOuts = outUnknown.map((u, i) => (u ? i : -1)).filter((i) => i >= 0);
  return { ...base, unknownParams: { branches: unknownBranches }, unknownIns, unknownOuts };
};
cond_p.rules.splitEqn = condSplit;
cond_p.rules.staging = stagingFromSplit(cond_p as unknown as Primitive, condSplit);

// ---- the public functions ----

/** Traces branch functions on the operands; their outputs must agree in structure and type. */
function traceBranches(fn: string, funs: ((...args: any[]) => any)[], operands: unknown[], labels: string[]): { branches: ClosedJaxpr[]; args: ArrayBase[]; outDef: TreeDef } {
  const [leaves, inDef] = flattenArgs(fn, operands);
  const avals = leaves.map(avalOf);
  const traced = funs.map((f, k) => {
    if (typeof f !== "function") throw new TypeError(`${fn}: ${labels[k]} must be a function, got ${f === null ? "null" : typeof f}`);
    let outDef!: TreeDef;
    const t = traceHoisted((xs) => {
      const [outs, def] = flattenArgs(fn, f(...(unflatten(inDef, xs) as unknown[])));
      outDef = def;
      return outs;
    }, avals);
    return { ...t, outDef };
  });
  const first = traced[0];
  const outAvals = first.jaxpr.outAvals;
  traced.forEach((t, k) => {
    if (!t.outDef.equals(first.outDef)) {
      throw new TypeError(`${fn}: branch outputs must have the same structure, got ${first.outDef} (${labels[0]}) and ${t.outDef} (${labels[k]})`);
    }
    const oa = t.jaxpr.outAvals;
    if (oa.some((a, i) => !sameAval(a, outAvals[i]))) {
      throw new TypeError(`${fn}: branch outputs must have the same types, got ${fmtAvals(outAvals)} (${labels[0]}) and ${fmtAvals(oa)} (${labels[k]}); convert them to agree (e.g. with .astype)`);
    }
  });
  // Outputs weak in some branches and not others become strong everywhere (as in JAX).
  const strong = outAvals.map((_, i) => traced.some((t) => !t.jaxpr.outAvals[i].weakType));
  const hoisted = traced.flatMap((t) => t.hoisted);
  let before = 0;
  const branches = traced.map((t) => {
    let j = strengthen(t.jaxpr, strong);
    j = padInputs(j, 0, hoisted.slice(0, before).map(avalOf));
    j = padInputs(j, before + t.hoisted.length, hoisted.slice(before + t.hoisted.length).map(avalOf));
    before += t.hoisted.length;
    return j;
  });
  return { branches, args: [...hoisted, ...leaves], outDef: first.outDef };
}

/** Appends conversions making the marked weakly typed outputs strong. */
function strengthen(cj: ClosedJaxpr, strong: boolean[]): ClosedJaxpr {
  const j = cj.jaxpr;
  if (!j.outvars.some((o, i) => strong[i] && o.aval.weakType)) return cj;
  const eqns = j.eqns.slice();
  const outvars = j.outvars.map((o, i) => {
    if (!strong[i] || !o.aval.weakType) return o;
    const v = new Var({ ...o.aval, weakType: false });
    eqns.push({ prim: convert_element_type_p as unknown as Primitive, inputs: [o], params: { newDtype: o.aval.dtype, weakType: false }, outputs: [v] });
    return v;
  });
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, eqns, outvars), cj.consts);
}

function applyBranches(fn: string, index: ArrayBase, funs: ((...args: any[]) => any)[], operands: unknown[], labels: string[]): any {
  // Under disableJit, on concrete values: plain JS control flow (as JAX), for debugging.
  if (eagerDebugging(index, operands)) return funs[Math.min(Math.max(Number(index.item()), 0), funs.length - 1)](...operands);
  const { branches, args, outDef } = traceBranches(fn, funs, operands, labels);
  return unflatten(outDef, bind(cond_p, [index, ...args], { branches }));
}

/**
 * lax.cond(pred, trueFun, falseFun, ...operands): trueFun(...operands) where pred is true,
 * else falseFun(...operands). Both are traced; their outputs must have equal types.
 */
export function cond(pred: ArrayBase | boolean | number, trueFun: (...args: any[]) => any, falseFun: (...args: any[]) => any, ...operands: unknown[]): any {
  const fn = "lax.cond";
  const p = arg(fn, pred);
  if (p.shape.length !== 0) {
    throw new TypeError(`${fn}: the predicate must be a scalar, got shape [${p.shape}]; for elementwise choice use lax.select or np.where, or vmap the cond`);
  }
  let index: ArrayBase;
  if (p.dtype === "bool") index = convert(p, "int32");
  else if (p.dtype.startsWith("int") || p.dtype.startsWith("uint")) index = convert(bind1(ne_p, [p, full([], 0, p.dtype, p.weakType)], {}), "int32");
  else throw new TypeError(`${fn}: the predicate must be boolean or an integer, got ${p.dtype}`);
  return applyBranches(fn, index, [falseFun, trueFun], operands, ["falseFun", "trueFun"]);
}

/**
 * lax.switch(index, branches, ...operands): branches[index](...operands), the index
 * clamped to [0, branches.length - 1].
 */
export function switch_(index: ArrayBase | number, branches: ((...args: any[]) => any)[], ...operands: unknown[]): any {
  const fn = "lax.switch";
  if (!globalThis.Array.isArray(branches) || branches.length === 0) throw new TypeError(`${fn}: branches must be a non-empty list of functions`);
  const i = arg(fn, index);
  if (i.shape.length !== 0 || !(i.dtype.startsWith("int") || i.dtype.startsWith("uint"))) {
    throw new TypeError(`${fn}: the index must be an integer scalar, got ${fmtAval(avalOf(i))}`);
  }
  if (branches.length === 1) return branches[0](...operands);
  const i32 = convert(i, "int32");
  const clamped = bind1(clamp_p, [full([], 0, "int32"), i32, full([], branches.length - 1, "int32")], {});
  return applyBranches(fn, clamped, branches, operands, branches.map((_, k) => `branch ${k}`));
}
export { switch_ as switch };
