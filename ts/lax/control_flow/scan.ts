// lax.scan: the `scan` primitive loops a closed body jaxpr
//   (consts..., carry..., x...) -> (carry..., y...)
// over the leading axis of the xs, stacking the ys. Rules: jvp (carry tangents found by a
// fixpoint), batching (carry batched-ness by a fixpoint), transposition (a reverse scan of
// the transposed body) and partial evaluation for linearize (residuals stacked as ys).
import type { ArrayBase } from "../../array/base.js";
import type { Array } from "../../array/array.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, fmtAval } from "../../core/jaxpr.js";
import { LinearArg, definePrimitive, type Aval, type Primitive } from "../../core/primitive.js";
import { avalOf } from "../../core/staging.js";
import { bind, bind1 } from "../../core/trace.js";
import { deviceOf, emptyArray, viewOf } from "../../runtime/eager.js";
import { flattenArgs } from "../../transforms/common.js";
import { unflatten, type TreeDef } from "../../tree/index.js";
import { add, batchSize, broadcastAxis, convert, moveaxis, reshape, zeros } from "../rule_util.js";
import { concatenate_p, slice_p } from "../structural.js";
import {
  batchJaxpr, callJaxpr, eagerDebugging, fmtAvals, jvpJaxpr, permuteInputs, permuteOutputs, pick, sameAval, tangentAval, traceFlat, traceHoisted, transposeJaxpr,
} from "./jaxpr_util.js";
import { runCompiled } from "./compiled_body.js";
import { indexAxis, vmap } from "../../transforms/vmap.js";
import { partialEvalJaxpr, stagingFromSplit, type SplitRule } from "./partial_eval.js";

export interface ScanParams {
  jaxpr: ClosedJaxpr;
  numConsts: number;
  numCarry: number;
  length: number;
  reverse: boolean;
  /** Iterations per compiled step of the eager loop (values do not depend on it). */
  unroll: number;
}

const stacked = (a: Aval, n: number): Aval => ({ shape: [n, ...a.shape], dtype: a.dtype, weakType: a.weakType });
const unstacked = (a: Aval): Aval => ({ shape: a.shape.slice(1), dtype: a.dtype, weakType: a.weakType });

export const scan_p = definePrimitive<ScanParams>("scan", {
  abstractEval: (avals, { jaxpr, numConsts: nc, numCarry: nk, length }) => {
    const want = jaxpr.inAvals;
    const got = avals.map((a, i) => (i < nc + nk ? a : a.shape[0] === length ? unstacked(a) : null));
    if (avals.length !== want.length || got.some((a, i) => a === null || !sameAval(a, want[i]))) {
      throw new TypeError(`scan: operands ${fmtAvals(avals)} do not match the body's inputs ${fmtAvals(want)} with length ${length}`);
    }
    const outs = jaxpr.outAvals;
    return [...want.slice(nc, nc + nk), ...outs.slice(nk).map((a) => stacked(a, length))].map((a) => ({ ...a, shape: a.shape.slice() }));
  },
  impl: (args, params) => runScan(args, params),
});

/**
 * The eager loop: the body compiled once (with `unroll` iterations per step when asked),
 * xs read through views, ys written in place, each carry freed once the next exists.
 */
function runScan(args: Array[], { jaxpr, numConsts: nc, numCarry: nk, length, reverse, unroll }: ScanParams): Array[] {
  const consts = args.slice(0, nc);
  const init = args.slice(nc, nc + nk);
  const xs = args.slice(nc + nk);
  const backend = deviceOf("scan", args);
  const ys = jaxpr.outAvals.slice(nk).map((a) => emptyArray([length, ...a.shape], a.dtype, a.weakType, backend));
  let carry = init;
  // Runs `body` on the block of `count` iterations from index `start` (count 0: one iteration, unstacked).
  const step = (body: ClosedJaxpr, start: number, count: number) => {
    const block = (a: Array) =>
      count === 0
        ? a._view(a.shape.slice(1), a._strides.slice(1), a._offset + start * a._strides[0])
        : a._view([count, ...a.shape.slice(1)], a._strides, a._offset + start * a._strides[0]);
    const xsI = xs.map(block);
    const outs = runCompiled(body, [...consts, ...carry, ...xsI]);
    for (const x of xsI) x.dispose();
    outs.slice(nk).forEach((y, j) => {
      const dst = ys[j];
      const strides = count === 0 ? dst._strides.slice(1) : dst._strides;
      if (y.size) backend.copy(y.dtype, y.shape, viewOf(y), { buffer: dst._storage.buffer, strides, offset: start * dst._strides[0] });
      y.dispose();
    });
    // The previous carry is dead once the next exists (unless it is the caller's input).
    if (carry !== init) for (const c of carry) c.dispose();
    carry = outs.slice(0, nk);
  };
  const u = Math.min(unroll, length);
  const blocks = u > 1 ? Math.floor(length / u) : 0;
  const unrolled = blocks ? unrolledBody(jaxpr, nc, nk, u, reverse) : null;
  // Forward: blocks from 0, then the rest one by one; reverse: the mirror image.
  if (!reverse) {
    for (let b = 0; b < blocks; b++) step(unrolled!, b * u, u);
    for (let i = blocks * u; i < length; i++) step(jaxpr, i, 0);
  } else {
    for (let b = 0; b < blocks; b++) step(unrolled!, length - (b + 1) * u, u);
    for (let i = length - blocks * u - 1; i >= 0; i--) step(jaxpr, i, 0);
  }
  if (carry === init) carry = init.map((c) => c._view(c.shape, c._strides, c._offset));
  return [...carry, ...ys];
}

const unrolledCache = new WeakMap<ClosedJaxpr, Map<string, ClosedJaxpr>>();

/** The body applied `u` times to a block of u xs (in reverse order if asked), stacking the ys. */
function unrolledBody(jaxpr: ClosedJaxpr, nc: number, nk: number, u: number, reverse: boolean): ClosedJaxpr {
  let m = unrolledCache.get(jaxpr);
  if (!m) unrolledCache.set(jaxpr, (m = new Map()));
  const key = `${u}:${reverse}`;
  let body = m.get(key);
  if (body) return body;
  const inAvals = jaxpr.inAvals;
  body = traceFlat(
    (args) => {
      const consts = args.slice(0, nc);
      let carry = args.slice(nc, nc + nk);
      const xsBlock = args.slice(nc + nk);
      const ys: ArrayBase[][] = new globalThis.Array(u);
      for (let t = 0; t < u; t++) {
        const j = reverse ? u - 1 - t : t;
        const x = xsBlock.map((b) => reshape(bind1(slice_p, [b], { startIndices: b.shape.map((_, d) => (d === 0 ? j : 0)), limitIndices: b.shape.map((s, d) => (d === 0 ? j + 1 : s)), strides: null }), b.shape.slice(1)));
        const outs = callJaxpr(jaxpr, [...consts, ...carry, ...x]);
        carry = outs.slice(0, nk);
        ys[j] = outs.slice(nk);
      }
      const stackedYs = jaxpr.outAvals.slice(nk).map((_, k) => {
        const parts = ys.map((y) => broadcastAxis(y[k], 1, 0));
        return parts.length === 1 ? parts[0] : bind1(concatenate_p, parts, { dimension: 0 });
      });
      return [...carry, ...stackedYs];
    },
    [...inAvals.slice(0, nc + nk), ...inAvals.slice(nc + nk).map((a) => stacked(a, u))],
  );
  m.set(key, body);
  return body;
}

const split3 = <T>(xs: readonly T[], nc: number, nk: number): [T[], T[], T[]] => [xs.slice(0, nc), xs.slice(nc, nc + nk), xs.slice(nc + nk)];
const or = (a: boolean[], b: boolean[]) => a.map((x, i) => x || b[i]);
const subset = (a: boolean[], b: boolean[]) => a.every((x, i) => !x || b[i]);
const nonNull = <T>(x: T | null): x is T => x !== null;

// ---- jvp ----

scan_p.rules.jvp = (primals, tangents, params) => {
  const { jaxpr, numConsts: nc, numCarry: nk } = params;
  const [tc, tk, tx] = split3(tangents, nc, nk);
  const constNz = tc.map(nonNull);
  const xsNz = tx.map(nonNull);
  const nY = jaxpr.outAvals.length - nk;
  const noYs = new globalThis.Array<boolean>(nY).fill(false);
  let carryNz = tk.map(nonNull);
  for (;;) {
    const { outNonzero } = jvpJaxpr(jaxpr, [...constNz, ...carryNz, ...xsNz], [...carryNz, ...noYs]);
    const outCarry = outNonzero.slice(0, nk);
    if (subset(outCarry, carryNz)) break;
    carryNz = or(carryNz, outCarry);
  }
  const { jaxpr: jj, outNonzero } = jvpJaxpr(jaxpr, [...constNz, ...carryNz, ...xsNz], [...carryNz, ...noYs]);
  // jj: [consts, carry, xs, tc', tk', tx'] -> [carry, ys, tcarry', tys'] ; regroup for scan.
  const n = primals.length;
  const cnt = (m: boolean[]) => m.filter((x) => x).length;
  const [ncT, nkT, nxT] = [cnt(constNz), cnt(carryNz), cnt(xsNz)];
  const idx = (from: number, k: number) => [...globalThis.Array(k).keys()].map((i) => from + i);
  const inOrder = [
    ...idx(0, nc), ...idx(n, ncT),
    ...idx(nc, nk), ...idx(n + ncT, nkT),
    ...idx(nc + nk, primals.length - nc - nk), ...idx(n + ncT + nkT, nxT),
  ];
  const nyT = cnt(outNonzero.slice(nk));
  const outOrder = [...idx(0, nk), ...idx(nk + nY, nkT), ...idx(nk, nY), ...idx(nk + nY + nkT, nyT)];
  const body = permuteOutputs(permuteInputs(jj, inOrder), outOrder);
  const [pc, pk, px] = split3(primals, nc, nk);
  const tkIn = pk.map((p, i) => (carryNz[i] ? tk[i] ?? zeros(tangentAval(avalOf(p))) : null)).filter(nonNull);
  const outs = bind(scan_p, [...pc, ...tc.filter(nonNull), ...pk, ...tkIn, ...px, ...tx.filter(nonNull)], {
    ...params, jaxpr: body, numConsts: nc + ncT, numCarry: nk + nkT,
  });
  const carryOut = outs.slice(0, nk);
  const carryT = outs.slice(nk, nk + nkT);
  const ys = outs.slice(nk + nkT, nk + nkT + nY);
  const ysT = outs.slice(nk + nkT + nY);
  let a = 0;
  let b = 0;
  return [
    [...carryOut, ...ys],
    [...carryNz.map((nz) => (nz ? carryT[a++] : null)), ...outNonzero.slice(nk).map((nz) => (nz ? ysT[b++] : null))],
  ];
};

// ---- batching ----

scan_p.rules.batch = (args, dims, params) => {
  const { jaxpr, numConsts: nc, numCarry: nk } = params;
  const size = batchSize(args, dims);
  const [dc, dk, dx] = split3(dims, nc, nk);
  const constB = dc.map((d) => d !== null);
  const xsB = dx.map((d) => d !== null);
  const nY = jaxpr.outAvals.length - nk;
  const noYs = new globalThis.Array<boolean>(nY).fill(false);
  let carryB = dk.map((d) => d !== null);
  for (;;) {
    const outCarry = batchJaxpr(jaxpr, size, [...constB, ...carryB, ...xsB], [...carryB, ...noYs]).outBatched.slice(0, nk);
    if (subset(outCarry, carryB)) break;
    carryB = or(carryB, outCarry);
  }
  const { jaxpr: body, outBatched } = batchJaxpr(jaxpr, size, [...constB, ...carryB, ...xsB], [...carryB, ...noYs]);
  const [ac, ak, ax] = split3(args, nc, nk);
  const consts = ac.map((a, i) => (dc[i] === null ? a : moveaxis(a, dc[i]!, 0)));
  const init = ak.map((a, i) => (dk[i] !== null ? moveaxis(a, dk[i]!, 0) : carryB[i] ? broadcastAxis(a, size, 0) : a));
  // The body sees each x with the batch axis first, so the stacked xs carry it at axis 1.
  const xs = ax.map((a, i) => (dx[i] === null ? a : moveaxis(a, dx[i]!, 1)));
  const outs = bind(scan_p, [...consts, ...init, ...xs], { ...params, jaxpr: body });
  return [outs, [...carryB.map((b) => (b ? 0 : null)), ...outBatched.slice(nk).map((b) => (b ? 1 : null))]];
};

// ---- transposition: a scan in the other direction over the transposed body ----

scan_p.rules.transpose = (cts, args, params) => {
  const { jaxpr, numConsts: nc, numCarry: nk, length, reverse } = params;
  const isLin = (a: ArrayBase | LinearArg) => a instanceof LinearArg;
  const [ac, ak, ax] = split3(args, nc, nk);
  const constLin = ac.map(isLin);
  const xsLin = ax.map(isLin);
  // Carries are linear (tangents); a constant one (an instantiated zero) is treated as such.
  const bodyLin = [...constLin, ...ak.map(() => true), ...xsLin];
  const bt = transposeJaxpr(jaxpr, bodyLin);
  const resConsts = ac.filter((a): a is ArrayBase => !isLin(a));
  const resXs = ax.filter((a): a is ArrayBase => !isLin(a));
  const inAvals = jaxpr.inAvals;
  const linConstAvals = pick(inAvals.slice(0, nc), constLin).map(tangentAval);
  const carryAvals = inAvals.slice(nc, nc + nk).map(tangentAval);
  const yAvals = jaxpr.outAvals.slice(nk).map(tangentAval);
  const nlc = linConstAvals.length;
  // Transposed body: [resConsts, ctConstAcc, ctCarry, resX, ctY] -> [ctConstAcc', ctCarry', ctLinX]
  const body = traceFlat(
    (xs) => {
      let k = 0;
      const take = (m: number) => xs.slice(k, (k += m));
      const rc = take(resConsts.length);
      const acc = take(nlc);
      const ctCarry = take(nk);
      const rx = take(resXs.length);
      const ctY = take(yAvals.length);
      const outs = callJaxpr(bt, [...rc, ...rx, ...ctCarry, ...ctY]);
      return [...acc.map((a, i) => add(a, outs[i])), ...outs.slice(nlc)];
    },
    [...resConsts.map(avalOf), ...linConstAvals, ...carryAvals, ...resXs.map((x) => unstacked(avalOf(x))), ...yAvals],
  );
  const ctCarry = cts.slice(0, nk).map((c, i) => c ?? zeros(carryAvals[i]));
  const ctYs = cts.slice(nk).map((c, i) => c ?? zeros(stacked(yAvals[i], length)));
  const outs = bind(scan_p, [...resConsts, ...linConstAvals.map(zeros), ...ctCarry, ...resXs, ...ctYs], {
    ...params, jaxpr: body, numConsts: resConsts.length, numCarry: nlc + nk, reverse: !reverse,
  });
  const ctConsts = outs.slice(0, nlc);
  const ctInit = outs.slice(nlc, nlc + nk);
  const ctXs = outs.slice(nlc + nk);
  let a = 0;
  let b = 0;
  return [
    ...constLin.map((l) => (l ? ctConsts[a++] : null)),
    ...ak.map((c, i) => (isLin(c) ? ctInit[i] : null)),
    ...xsLin.map((l) => (l ? ctXs[b++] : null)),
  ];
};

// ---- partial evaluation: a known scan now, an unknown scan staged on stacked residuals ----

const scanSplit: SplitRule = (params, ukIns) => {
  const p = params as ScanParams;
  const { jaxpr, numConsts: nc, numCarry: nk } = p;
  const [uc, uk0, ux] = split3(ukIns, nc, nk);
  const nY = jaxpr.outAvals.length - nk;
  const noYs = new globalThis.Array<boolean>(nY).fill(false);
  let carryUk = uk0;
  for (;;) {
    const outCarry = partialEvalJaxpr(jaxpr, [...uc, ...carryUk, ...ux]).outUnknown.slice(0, nk);
    if (subset(outCarry, carryUk)) break;
    carryUk = or(carryUk, outCarry);
  }
  const inUk = [...uc, ...carryUk, ...ux];
  const pe = partialEvalJaxpr(jaxpr, inUk, [...carryUk, ...noYs]);
  const kj = pe.known.jaxpr;
  const nKc = uc.filter((u) => !u).length;
  const nKk = carryUk.filter((u) => !u).length;
  // Values of the known body that change per iteration: those reading a known carry or x.
  const variant = new Set<Var>(kj.invars.slice(nKc));
  for (const e of kj.eqns) if (e.inputs.some((a) => a instanceof Var && variant.has(a))) e.outputs.forEach((o) => variant.add(o));
  // Residual kinds: a known const or x is passed as is; a loop-invariant computed one leaves
  // the known scan as a carry (stored once); the others are stacked as its ys.
  const nComputed = pe.resFromInput.filter((inp) => inp < 0).length;
  const computedOuts = kj.outvars.slice(kj.outvars.length - nComputed);
  let ci = 0;
  const resVar: (Var | null)[] = [];
  const kind = pe.resFromInput.map((inp, r) => {
    if (inp >= 0) {
      resVar[r] = inp >= nc && inp < nc + nk ? jaxpr.jaxpr.invars[inp] : null;
      return inp < nc ? "const" : inp < nc + nk ? "stacked" : "xs";
    }
    const v = computedOuts[ci++] as Var;
    resVar[r] = v;
    return variant.has(v) ? "stacked" : "invariant";
  });
  const resOf = (k: string) => kind.map((x, r) => (x === k ? r : -1)).filter((r) => r >= 0);
  const constRes = resOf("const");
  const xsRes = resOf("xs");
  const invRes = resOf("invariant");
  const stackRes = resOf("stacked");
  const nKnownOut = kj.outvars.length - nComputed;
  // Known body: [consts, carries, invariant slots, xs] -> [carries, invariants, ys, stacked].
  const invSlots = invRes.map((r) => new Var(pe.resAvals[r]));
  const knownBody = new ClosedJaxpr(
    new Jaxpr(kj.constvars, [...kj.invars.slice(0, nKc + nKk), ...invSlots, ...kj.invars.slice(nKc + nKk)], kj.eqns, [
      ...kj.outvars.slice(0, nKk), ...invRes.map((r) => resVar[r]!), ...kj.outvars.slice(nKk, nKnownOut), ...stackRes.map((r) => resVar[r]!),
    ]),
    pe.known.consts,
  );
  const knownIdx = inUk.map((u, i) => (u ? -1 : i)).filter((i) => i >= 0);
  const zero = (a: Aval) => new Literal(a.dtype === "bool" ? false : 0, a);
  const knownIns = [...knownIdx.slice(0, nKc + nKk), ...invSlots.map((v) => zero(v.aval)), ...knownIdx.slice(nKc + nKk)];
  // Residual numbering for the unknown side: invariants first, then the stacked ones.
  const knownOutIdx = pe.outUnknown.map((u, i) => (u ? -1 : i)).filter((i) => i >= 0);
  const knownOutMap = [
    ...knownOutIdx.slice(0, nKk), ...invRes.map((_, k) => -(k + 1)), ...knownOutIdx.slice(nKk), ...stackRes.map((_, k) => -(invRes.length + k + 1)),
  ];
  const knownParams = { ...p, jaxpr: knownBody, numConsts: nKc, numCarry: nKk + invRes.length };
  const base = { knownIns, knownParams, knownOutMap, outUnknown: pe.outUnknown };
  if (!pe.outUnknown.some((u) => u)) return { ...base, unknownParams: null, unknownIns: [], unknownOuts: [] };
  // The unknown body: [constRes, invariantRes, ukConsts, ukCarry, xsRes, stackedRes, ukXs].
  const uj = pe.unknown.jaxpr;
  const ukIn = uj.invars.slice(kind.length);
  const ukIdx = inUk.map((u, i) => (u ? i : -1)).filter((i) => i >= 0);
  const nUc = uc.filter((u) => u).length;
  const nUk = carryUk.filter((u) => u).length;
  const invars = [
    ...constRes.map((r) => uj.invars[r]), ...invRes.map((r) => uj.invars[r]), ...ukIn.slice(0, nUc),
    ...ukIn.slice(nUc, nUc + nUk),
    ...xsRes.map((r) => uj.invars[r]), ...stackRes.map((r) => uj.invars[r]),
    ...ukIn.slice(nUc + nUk),
  ];
  const unknownBody = new ClosedJaxpr(new Jaxpr(uj.constvars, invars, uj.eqns, uj.outvars), pe.unknown.consts);
  const inp = (i: number): ["in", number] => ["in", i];
  const res = (k: number): ["res", number] => ["res", k];
  const unknownIns: ["in" | "res", number][] = [
    ...constRes.map((r) => inp(pe.resFromInput[r])), ...invRes.map((_, k) => res(k)), ...ukIdx.slice(0, nUc).map(inp),
    ...ukIdx.slice(nUc, nUc + nUk).map(inp),
    ...xsRes.map((r) => inp(pe.resFromInput[r])), ...stackRes.map((_, k) => res(invRes.length + k)),
    ...ukIdx.slice(nUc + nUk).map(inp),
  ];
  const unknownOuts = pe.outUnknown.map((u, i) => (u ? i : -1)).filter((i) => i >= 0);
  const unknownParams = { ...p, jaxpr: unknownBody, numConsts: constRes.length + invRes.length + nUc, numCarry: nUk };
  return { ...base, unknownParams, unknownIns, unknownOuts };
};
scan_p.rules.splitEqn = scanSplit;
scan_p.rules.staging = stagingFromSplit(scan_p as unknown as Primitive, scanSplit);

// ---- the public function ----

export interface ScanOptions {
  /** The number of iterations (required when xs is null; must agree with the xs). */
  length?: number;
  reverse?: boolean;
  /** Iterations per compiled step (a positive integer, or true for all); values are the same. */
  unroll?: number | boolean;
}

/**
 * lax.scan(f, init, xs, {length, reverse, unroll}) -> [carry, ys]: f(carry, x) returns
 * [carry, y]; the carry keeps its structure and types; ys stack the ys on a new leading axis.
 */
export function scan(f: (carry: any, x: any) => any, init: unknown, xs: unknown = null, opts: ScanOptions = {}): [any, any] {
  const fn = "lax.scan";
  if (typeof f !== "function") throw new TypeError(`${fn}: f must be a function, got ${f === null ? "null" : typeof f}`);
  const reverse = !!opts.reverse;
  const [initLeaves, carryDef] = flattenArgs(fn, init);
  const [xsLeaves, xsDef] = flattenArgs(fn, xs);
  const lengths = new Set<number>();
  for (const x of xsLeaves) {
    if (x.shape.length === 0) throw new TypeError(`${fn}: every leaf of xs needs a leading axis to scan over, got a scalar (${fmtAval(avalOf(x))})`);
    lengths.add(x.shape[0]);
  }
  if (opts.length !== undefined) {
    if (!Number.isInteger(opts.length) || opts.length < 0) throw new TypeError(`${fn}: length must be a non-negative integer, got ${opts.length}`);
    lengths.add(opts.length);
  }
  if (lengths.size === 0) throw new TypeError(`${fn}: with xs null (or empty), pass the number of iterations as {length}`);
  if (lengths.size > 1) {
    throw new RangeError(`${fn}: the xs' leading axes and length disagree: ${xsLeaves.map((x) => `[${x.shape}]`).join(", ")}${opts.length !== undefined ? `, length ${opts.length}` : ""}`);
  }
  const length = [...lengths][0];
  const unroll = opts.unroll === undefined || opts.unroll === false ? 1 : opts.unroll === true ? Math.max(length, 1) : opts.unroll;
  if (!Number.isInteger(unroll) || unroll < 1) throw new TypeError(`${fn}: unroll must be a positive integer or a boolean, got ${opts.unroll}`);
  if (length > 0 && eagerDebugging(initLeaves, xsLeaves)) return scanInJs(f, init, xsLeaves, xsDef, length, reverse);
  const xAvals = xsLeaves.map((x) => unstacked(avalOf(x)));
  let carry = initLeaves;
  for (let attempt = 0; ; attempt++) {
    const carryAvals = carry.map(avalOf);
    let outCarryDef!: TreeDef;
    let yDef!: TreeDef;
    let nCarryOut = 0;
    const { jaxpr, hoisted } = traceHoisted((ins) => {
      const c = unflatten(carryDef, ins.slice(0, carry.length));
      const x = unflatten(xsDef, ins.slice(carry.length));
      const out = f(c, x);
      if (!globalThis.Array.isArray(out) || out.length !== 2) throw new TypeError(`${fn}: f must return a pair [carry, y], got ${describe(out)}`);
      const [co, cd] = flattenArgs(fn, out[0]);
      const [yo, yd] = flattenArgs(fn, out[1]);
      outCarryDef = cd;
      yDef = yd;
      nCarryOut = co.length;
      return [...co, ...yo];
    }, [...carryAvals, ...xAvals]);
    if (!outCarryDef.equals(carryDef)) {
      throw new TypeError(`${fn}: f must return a carry with the structure of init: got ${outCarryDef}, init is ${carryDef}`);
    }
    const outAvals = jaxpr.outAvals.slice(0, nCarryOut);
    const bad = outAvals.findIndex((a, i) => !sameAval(a, carryAvals[i]) || a.weakType !== carryAvals[i].weakType);
    if (bad >= 0) {
      // A weakly typed init (a JS number) takes the type f gives it, as in JAX.
      const fixable = outAvals.every((a, i) => (sameAval(a, carryAvals[i]) && a.weakType === carryAvals[i].weakType) || (carryAvals[i].weakType && a.shape.join() === carryAvals[i].shape.join()));
      if (!fixable || attempt > 1) {
        throw new TypeError(
          `${fn}: the carry output of f must have the type of the carry input: input ${fmtAvals(carryAvals)}, output ${fmtAvals(outAvals)}. ` +
            "Give init the dtype f produces (e.g. np.array(0, 'float32')) or convert f's carry output with .astype",
        );
      }
      carry = carry.map((c, i) => (sameAval(outAvals[i], carryAvals[i]) && outAvals[i].weakType === carryAvals[i].weakType ? c : convert(c, outAvals[i].dtype, outAvals[i].weakType)));
      continue;
    }
    const outs = bind(scan_p, [...hoisted, ...carry, ...xsLeaves], { jaxpr, numConsts: hoisted.length, numCarry: carry.length, length, reverse, unroll });
    return [unflatten(carryDef, outs.slice(0, carry.length)), unflatten(yDef, outs.slice(carry.length))];
  }
}

/** scan under disableJit: a JS loop calling f, the ys stacked at the end. */
function scanInJs(f: (c: any, x: any) => any, init: unknown, xs: ArrayBase[], xsDef: TreeDef, length: number, reverse: boolean): [any, any] {
  let carry = init;
  const ys: ArrayBase[][] = [];
  let yDef!: TreeDef;
  for (let it = 0; it < length; it++) {
    const i = reverse ? length - 1 - it : it;
    const out = f(carry, unflatten(xsDef, xs.map((x) => indexAxis(x, 0, i))));
    if (!globalThis.Array.isArray(out) || out.length !== 2) throw new TypeError(`lax.scan: f must return a pair [carry, y], got ${describe(out)}`);
    carry = out[0];
    const [yl, yd] = flattenArgs("lax.scan", out[1]);
    yDef = yd;
    ys[i] = yl;
  }
  const stackedYs = ys[0].map((_, j) => bind1(concatenate_p, ys.map((y) => broadcastAxis(y[j], 1, 0)), { dimension: 0 }));
  return [carry, unflatten(yDef, stackedYs)];
}

function describe(x: unknown): string {
  if (globalThis.Array.isArray(x)) return `a list of ${x.length}`;
  return x === null ? "null" : typeof x;
}

/** lax.map(f, xs): f applied to each slice of xs along the leading axis, stacked. */
export function map(f: (x: any) => any, xs: unknown, opts: { batchSize?: number } = {}): any {
  const fn = "lax.map";
  if (typeof f !== "function") throw new TypeError(`${fn}: f must be a function, got ${f === null ? "null" : typeof f}`);
  const { batchSize } = opts;
  if (batchSize === undefined) return scan((_c: null, x: unknown) => [null, f(x)], null, xs)[1];
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError(`${fn}: batchSize must be a positive integer, got ${batchSize}`);
  // As JAX: a scan over batches of batchSize, f vmapped over each; the remainder vmapped apart.
  const [leaves, def] = flattenArgs(fn, xs);
  if (!leaves.length) throw new TypeError(`${fn}: xs has no arrays to map over`);
  const n = leaves[0].shape[0];
  const nb = Math.floor(n / batchSize);
  const nMain = nb * batchSize;
  const part = (x: ArrayBase, lo: number, hi: number) => bind1(slice_p, [x], { startIndices: x.shape.map((_, d) => (d === 0 ? lo : 0)), limitIndices: x.shape.map((s, d) => (d === 0 ? hi : s)), strides: null });
  const vf = vmap(f);
  const outs: ArrayBase[][] = [];
  let outDef: TreeDef | undefined;
  if (nb > 0) {
    const batched = leaves.map((x) => reshape(part(x, 0, nMain), [nb, batchSize, ...x.shape.slice(1)]));
    const ys = scan((_c: null, x: unknown) => [null, vf(x)], null, unflatten(def, batched))[1];
    const [yl, yd] = flattenArgs(fn, ys);
    outDef = yd;
    outs.push(yl.map((y) => reshape(y, [nMain, ...y.shape.slice(2)])));
  }
  if (nMain < n) {
    const [yl, yd] = flattenArgs(fn, vf(unflatten(def, leaves.map((x) => part(x, nMain, n)))));
    outDef = yd;
    outs.push(yl);
  }
  if (!outDef) return scan((_c: null, x: unknown) => [null, f(x)], null, xs)[1];
  const res = outs[0].map((_, j) => (outs.length === 1 ? outs[0][j] : bind1(concatenate_p, outs.map((o) => o[j]), { dimension: 0 })));
  return unflatten(outDef, res);
}
