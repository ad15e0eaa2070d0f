// lax.whileLoop: the `while` primitive runs a closed body jaxpr while a closed predicate
// jaxpr holds. Operands: [condConsts..., bodyConsts..., carry...]. Rules: jvp (carry
// tangents by a fixpoint), batching (a batched predicate runs while any element holds and
// selects, as in JAX), partial evaluation (known carries computed now, the whole loop staged
// for the unknown ones). No transpose: reverse mode needs scan / foriLoop with static bounds.
import type { ArrayBase } from "../../array/base.js";
import { ClosedJaxpr, Jaxpr, fmtAval } from "../../core/jaxpr.js";
import { definePrimitive, type Primitive } from "../../core/primitive.js";
import { avalOf } from "../../core/staging.js";
import { bind, bind1 } from "../../core/trace.js";
import { flattenArgs } from "../../transforms/common.js";
import { unflatten, type TreeDef } from "../../tree/index.js";
import { select_n_p } from "../elementwise.js";
import { reduce_or_p } from "../reduce.js";
import { batchSize, broadcastAxis, convert, moveaxis, zeros } from "../rule_util.js";
import { broadcast_in_dim_p } from "../structural.js";
import { batchJaxpr, callJaxpr, eagerDebugging, fmtAvals, jvpJaxpr, padInputs, permuteInputs, pick, sameAval, tangentAval, traceFlat, traceHoisted } from "./jaxpr_util.js";
import { runCompiled } from "./compiled_body.js";
import { partialEvalJaxpr, stagingFromSplit, type SplitRule } from "./partial_eval.js";

export interface WhileParams {
  /** (condConsts..., carry...) -> bool scalar */
  condJaxpr: ClosedJaxpr;
  /** (bodyConsts..., carry...) -> carry... */
  bodyJaxpr: ClosedJaxpr;
  condNconsts: number;
  bodyNconsts: number;
}

export const while_p = definePrimitive<WhileParams>("while", {
  abstractEval: (avals, { condJaxpr, bodyJaxpr, condNconsts: cn, bodyNconsts: bn }) => {
    const carry = avals.slice(cn + bn);
    const want = bodyJaxpr.inAvals.slice(bn);
    if (carry.length !== want.length || carry.some((a, i) => !sameAval(a, want[i]))) {
      throw new TypeError(`while: carry ${fmtAvals(carry)} does not match the body's ${fmtAvals(want)}`);
    }
    const p = condJaxpr.outAvals;
    if (p.length !== 1 || p[0].dtype !== "bool" || p[0].shape.length !== 0) throw new TypeError(`while: the predicate must be a bool scalar, got ${fmtAvals(p)}`);
    return want.map((a) => ({ shape: a.shape.slice(), dtype: a.dtype, weakType: a.weakType }));
  },
  impl: (args, { condJaxpr, bodyJaxpr, condNconsts: cn, bodyNconsts: bn }) => {
    const cc = args.slice(0, cn);
    const bc = args.slice(cn, cn + bn);
    const init = args.slice(cn + bn);
    let carry = init;
    for (;;) {
      const [p] = runCompiled(condJaxpr, [...cc, ...carry]);
      const go = Boolean(p.item());
      p.dispose();
      if (!go) break;
      const next = runCompiled(bodyJaxpr, [...bc, ...carry]);
      if (carry !== init) for (const c of carry) c.dispose();
      carry = next;
    }
    return carry === init ? init.map((c) => c._view(c.shape, c._strides, c._offset)) : carry;
  },
});
const whilePrim = while_p as unknown as Primitive;

const or = (a: boolean[], b: boolean[]) => a.map((x, i) => x || b[i]);
const subset = (a: boolean[], b: boolean[]) => a.every((x, i) => !x || b[i]);

// ---- jvp: the carry grows by the nonzero tangents; the predicate ignores them ----

while_p.rules.jvp = (primals, tangents, params) => {
  const { condJaxpr, bodyJaxpr, condNconsts: cn, bodyNconsts: bn } = params;
  const bcNz = tangents.slice(cn, cn + bn).map((t) => t !== null);
  let carryNz = tangents.slice(cn + bn).map((t) => t !== null);
  for (;;) {
    const out = jvpJaxpr(bodyJaxpr, [...bcNz, ...carryNz], carryNz).outNonzero;
    if (subset(out, carryNz)) break;
    carryNz = or(carryNz, out);
  }
  const { jaxpr: jj } = jvpJaxpr(bodyJaxpr, [...bcNz, ...carryNz], carryNz);
  const nk = carryNz.length;
  const nbT = bcNz.filter((x) => x).length;
  const nkT = carryNz.filter((x) => x).length;
  const r = (from: number, n: number) => [...globalThis.Array(n).keys()].map((i) => from + i);
  // jj: [bc, carry, bcT, carryT] -> [carry, carryT]; the loop wants [bc, bcT, carry, carryT].
  const body = permuteInputs(jj, [...r(0, bn), ...r(bn + nk, nbT), ...r(bn, nk), ...r(bn + nk + nbT, nkT)]);
  const condJ = padInputs(condJaxpr, cn + nk, pick(bodyJaxpr.inAvals.slice(bn), carryNz).map(tangentAval));
  const cc = primals.slice(0, cn);
  const bc = primals.slice(cn, cn + bn);
  const init = primals.slice(cn + bn);
  const bcT = tangents.slice(cn, cn + bn).filter((t): t is ArrayBase => t !== null);
  const initT = init.map((p, i) => (carryNz[i] ? tangents[cn + bn + i] ?? zeros(tangentAval(avalOf(p))) : null)).filter((t): t is ArrayBase => t !== null);
  const outs = bind(while_p, [...cc, ...bc, ...bcT, ...init, ...initT], { condJaxpr: condJ, bodyJaxpr: body, condNconsts: cn, bodyNconsts: bn + nbT });
  let k = nk;
  return [outs.slice(0, nk), carryNz.map((nz) => (nz ? outs[k++] : null))];
};

// ---- batching ----

while_p.rules.batch = (args, dims, params) => {
  const { condJaxpr, bodyJaxpr, condNconsts: cn, bodyNconsts: bn } = params;
  const size = batchSize(args, dims);
  const front = (a: ArrayBase, d: number | null) => (d === null ? a : moveaxis(a, d, 0));
  const ccB = dims.slice(0, cn).map((d) => d !== null);
  const bcB = dims.slice(cn, cn + bn).map((d) => d !== null);
  let carryB = dims.slice(cn + bn).map((d) => d !== null);
  let predB = false;
  for (;;) {
    predB = batchJaxpr(condJaxpr, size, [...ccB, ...carryB], [false]).outBatched[0];
    // A batched predicate: every element keeps its own state, so every carry is batched.
    const out = predB ? carryB.map(() => true) : batchJaxpr(bodyJaxpr, size, [...bcB, ...carryB], carryB).outBatched;
    if (subset(out, carryB)) break;
    carryB = or(carryB, out);
  }
  const args2 = args.map((a, i) => front(a, dims[i]));
  const init = args2.slice(cn + bn).map((a, i) => (dims[cn + bn + i] === null && carryB[i] ? broadcastAxis(a, size, 0) : a));
  const outDims = carryB.map((b) => (b ? 0 : null));
  const condB = batchJaxpr(condJaxpr, size, [...ccB, ...carryB], [predB]).jaxpr;
  const bodyB = batchJaxpr(bodyJaxpr, size, [...bcB, ...carryB], carryB).jaxpr;
  const cc = args2.slice(0, cn);
  const bc = args2.slice(cn, cn + bn);
  if (!predB) {
    const outs = bind(while_p, [...cc, ...bc, ...init], { condJaxpr: condB, bodyJaxpr: bodyB, condNconsts: cn, bodyNconsts: bn });
    return [outs, outDims];
  }
  // Run while any element's predicate holds; elements already done keep their carry.
  const carryAvals = init.map(avalOf);
  const anyCond = traceFlat((xs) => [bind1(reduce_or_p, callJaxpr(condB, xs), { axes: [0] })], [...cc.map(avalOf), ...carryAvals]);
  const selectBody = traceFlat(
    (xs) => {
      const ccv = xs.slice(0, cn);
      const bcv = xs.slice(cn, cn + bn);
      const carry = xs.slice(cn + bn);
      const [pred] = callJaxpr(condB, [...ccv, ...carry]);
      const next = callJaxpr(bodyB, [...bcv, ...carry]);
      return next.map((n, i) => {
        const which = bind1(broadcast_in_dim_p, [pred], { shape: n.shape.slice(), broadcastDimensions: [0] });
        return bind1(select_n_p, [which, carry[i], n], {});
      });
    },
    [...cc.map(avalOf), ...bc.map(avalOf), ...carryAvals],
  );
  const outs = bind(while_p, [...cc, ...cc, ...bc, ...init], { condJaxpr: anyCond, bodyJaxpr: selectBody, condNconsts: cn, bodyNconsts: cn + bn });
  return [outs, outDims];
};

// ---- partial evaluation: known carries by a loop of their own; the whole loop staged ----

const whileSplit: SplitRule = (params, ukIns) => {
  const p = params as WhileParams;
  const { condJaxpr, bodyJaxpr, condNconsts: cn, bodyNconsts: bn } = p;
  const ccUk = ukIns.slice(0, cn);
  const bcUk = ukIns.slice(cn, cn + bn);
  let carryUk = ukIns.slice(cn + bn);
  for (;;) {
    const out = partialEvalJaxpr(bodyJaxpr, [...bcUk, ...carryUk]).outUnknown;
    if (subset(out, carryUk)) break;
    carryUk = or(carryUk, out);
  }
  const condPe = partialEvalJaxpr(condJaxpr, [...ccUk, ...carryUk]);
  if (condPe.outUnknown[0] || carryUk.every((u) => u)) return null;
  const bodyPe = partialEvalJaxpr(bodyJaxpr, [...bcUk, ...carryUk]);
  const nKnownCarry = carryUk.filter((u) => !u).length;
  const kb = bodyPe.known.jaxpr;
  const knownBody = new ClosedJaxpr(new Jaxpr(kb.constvars, kb.invars, kb.eqns, kb.outvars.slice(0, nKnownCarry)), bodyPe.known.consts);
  const kc = condPe.known.jaxpr;
  const knownCond = new ClosedJaxpr(new Jaxpr(kc.constvars, kc.invars, kc.eqns, kc.outvars.slice(0, 1)), condPe.known.consts);
  const all = [...ccUk, ...bcUk, ...carryUk];
  return {
    knownIns: all.map((u, i) => (u ? -1 : i)).filter((i) => i >= 0),
    knownParams: { condJaxpr: knownCond, bodyJaxpr: knownBody, condNconsts: ccUk.filter((u) => !u).length, bodyNconsts: bcUk.filter((u) => !u).length },
    outUnknown: carryUk,
    // The unknown carries come from the whole loop, run again (known parts recomputed).
    unknownParams: carryUk.some((u) => u) ? p : null,
    unknownIns: all.map((_, i): ["in", number] => ["in", i]),
    unknownOuts: carryUk.map((u, i) => (u ? i : -1)),
  };
};
while_p.rules.splitEqn = whileSplit;
while_p.rules.staging = stagingFromSplit(whilePrim, whileSplit);

// ---- the public function ----

/** lax.whileLoop(condFun, bodyFun, init): while condFun(val) is true, val = bodyFun(val). */
export function whileLoop(condFun: (val: any) => any, bodyFun: (val: any) => any, init: unknown): any {
  const fn = "lax.whileLoop";
  if (typeof condFun !== "function" || typeof bodyFun !== "function") throw new TypeError(`${fn}: condFun and bodyFun must be functions`);
  const [initLeaves, def] = flattenArgs(fn, init);
  if (eagerDebugging(initLeaves)) {
    let val = init;
    while (Boolean(flattenArgs(fn, condFun(val))[0][0].item())) val = bodyFun(val);
    return val;
  }
  let carry = initLeaves;
  for (let attempt = 0; ; attempt++) {
    const avals = carry.map(avalOf);
    let outDef!: TreeDef;
    const body = traceHoisted((xs) => {
      const [outs, d] = flattenArgs(fn, bodyFun(unflatten(def, xs)));
      outDef = d;
      return outs;
    }, avals);
    if (!outDef.equals(def)) throw new TypeError(`${fn}: bodyFun must return a value with the structure of init: got ${outDef}, init is ${def}`);
    const outAvals = body.jaxpr.outAvals;
    const same = (i: number) => sameAval(outAvals[i], avals[i]) && outAvals[i].weakType === avals[i].weakType;
    if (!avals.every((_, i) => same(i))) {
      const fixable = avals.every((a, i) => same(i) || (a.weakType && a.shape.join() === outAvals[i].shape.join()));
      if (!fixable || attempt > 1) {
        throw new TypeError(
          `${fn}: bodyFun must return the type of its input: input ${fmtAvals(avals)}, output ${fmtAvals(outAvals)}. ` +
            "Give init the dtype bodyFun produces or convert its output with .astype",
        );
      }
      carry = carry.map((c, i) => (same(i) ? c : convert(c, outAvals[i].dtype, outAvals[i].weakType)));
      continue;
    }
    const condT = traceHoisted((xs) => {
      const [outs] = flattenArgs(fn, condFun(unflatten(def, xs)));
      if (outs.length !== 1 || outs[0].shape.length !== 0 || outs[0].dtype !== "bool") {
        throw new TypeError(`${fn}: condFun must return a bool scalar, got ${outs.map((o) => fmtAval(avalOf(o))).join(", ") || "nothing"}`);
      }
      return outs;
    }, avals);
    const outs = bind(while_p, [...condT.hoisted, ...body.hoisted, ...carry], {
      condJaxpr: condT.jaxpr, bodyJaxpr: body.jaxpr, condNconsts: condT.hoisted.length, bodyNconsts: body.hoisted.length,
    });
    return unflatten(def, outs);
  }
}
