// Fusion: which values of a jaxpr are materialized, and which kernels compute them.
//
// Every variable is either a buffer (an input, a constant, a routine's result, or a value
// chosen for materialization: a "root") or is recomputed inside the kernels that read it.
// Planning starts from the roots the program needs (its results, the operands of routines)
// and builds the kernels; whenever a kernel cannot be formed (a view that needs a copy, two
// reductions in one kernel, an expensive value needed by several kernels, too many buffers,
// a dependency cycle) the offending value becomes a root and planning runs again. Each round
// materializes at least one more value, so it ends.
import type { DType } from "../array/dtype.js";
import { shapeEq, sizeOf } from "../array/shape.js";
import { Literal, Var, type Atom, type ClosedJaxpr, type Eqn } from "../core/jaxpr.js";
import type { FusedKernel, ScalarNode } from "../runtime/kernel.js";
import { KernelBuilder } from "./builder.js";
import { REDUCE_OPS, kindOf, opCost, type Kind } from "./classify.js";
import {
  applySteps, contiguousLayout, expands, isRowMajor, layoutKey, viewStepOf, type Layout, type ViewStep,
} from "./views.js";

export interface FusionOptions {
  /** Most buffers (inputs + outputs) one fused kernel may bind (WebGPU: 8 storage buffers). */
  maxBuffers: number;
  /** A value needed by several kernels is recomputed in each when its cost is at most this. */
  recomputeLimit: number;
}

/** Longest chain of equations inlined into one kernel before a value is materialized. */
const MAX_INLINE_DEPTH = 200;

export const defaultFusionOptions: FusionOptions = { maxBuffers: 32, recomputeLimit: 16 };

interface Info {
  eqn: Eqn;
  index: number;
  kind: Kind;
  step?: ViewStep;
}

/** A kernel input: a buffer variable read through view steps (layout for a contiguous buffer). */
export interface KernelInput {
  v: Var;
  steps: ViewStep[];
  layout: Layout;
  epilogue: boolean;
}

export interface KernelGroup {
  kernel: FusedKernel;
  /** Iteration space (the reduction's operand shape, or the outputs' shape). */
  shape: number[];
  /** Shape of the outputs' space (the reduction's result shape, else `shape`). */
  outShape: number[];
  inputs: KernelInput[];
  roots: Var[];
  /** Names of the fused primitives, in program order. */
  names: string[];
  /** Program position (the first root's equation), for scheduling. */
  order: number;
  reduces: boolean;
}

export interface FusionPlan {
  groups: KernelGroup[];
  /** Buffer variables: inputs, constants, routine results and roots. */
  isBuffer(v: Var): boolean;
  info: Map<Var, Info>;
}

class Rebuild extends Error {}

export function planFusion(cj: ClosedJaxpr, opts: FusionOptions): FusionPlan {
  return new Planner(cj, opts).run();
}

class Planner {
  readonly info = new Map<Var, Info>();
  readonly given = new Set<Var>();
  /** Values materialized because a kernel could not be formed otherwise (grows each round). */
  readonly forced = new Set<Var>();
  roots = new Set<Var>();
  readonly noJoin = new Set<Var>();
  /** Values materialized to bound the inlining depth: never merged back into one kernel. */
  private readonly depthCuts = new Set<Var>();
  private consumers = new Map<Var, Eqn[]>();

  constructor(
    readonly cj: ClosedJaxpr,
    readonly opts: FusionOptions,
  ) {
    const j = cj.jaxpr;
    for (const v of [...j.constvars, ...j.invars]) this.given.add(v);
    j.eqns.forEach((eqn, index) => {
      const kind = kindOf(eqn);
      const step = kind === "view" ? viewStepOf(eqn) : undefined;
      for (const o of eqn.outputs) {
        this.info.set(o, { eqn, index, kind, step });
        if (kind === "routine") this.given.add(o);
      }
      for (const a of eqn.inputs) {
        if (a instanceof Var) {
          let c = this.consumers.get(a);
          if (!c) this.consumers.set(a, (c = []));
          c.push(eqn);
        }
      }
    });
  }

  /**
   * Cuts chains of inlined equations deeper than MAX_INLINE_DEPTH (kernels are built by
   * recursion; a 2000-step unrolled loop would overflow the stack): every so many levels a
   * value is materialized.
   */
  private limitDepth(): void {
    const depth = new Map<Var, number>();
    for (const e of this.cj.jaxpr.eqns) {
      let d = 0;
      for (const a of e.inputs) if (a instanceof Var) d = Math.max(d, depth.get(a) ?? 0);
      for (const o of e.outputs) {
        if (this.given.has(o)) continue;
        if (d + 1 > MAX_INLINE_DEPTH) {
          this.forced.add(o);
          this.depthCuts.add(o);
        }
        else depth.set(o, d + 1);
      }
    }
  }

  isBuffer = (v: Var): boolean => this.given.has(v) || this.roots.has(v);

  /** Follows views down to a buffer, literal or computed value; the steps go base -> v. */
  resolve(a: Atom): { base: Atom; steps: ViewStep[] } {
    const steps: ViewStep[] = [];
    let cur = a;
    while (cur instanceof Var && !this.isBuffer(cur)) {
      const inf = this.info.get(cur)!;
      if (inf.kind !== "view") break;
      steps.unshift(inf.step!);
      cur = inf.eqn.inputs[0];
    }
    return { base: cur, steps };
  }

  /** Roots forced by the program: its results and the operands of routines. */
  private requiredRoots(): boolean {
    let added = false;
    const add = (v: Var) => {
      if (!this.roots.has(v)) {
        this.roots.add(v);
        added = true;
      }
    };
    const need = (a: Atom, forRoutine: boolean) => {
      if (!(a instanceof Var) || this.isBuffer(a)) return;
      const { base, steps } = this.resolve(a);
      if (base instanceof Literal) return;
      if (this.isBuffer(base as Var)) {
        if (!applySteps(contiguousLayout(base.aval.shape), steps)) add(a);
        return;
      }
      // A computed value: materialize it before it is broadcast into a routine (smaller),
      // else the value as read (contiguous for the routine, or for the result).
      let shape = base.aval.shape;
      let grows = false;
      for (const s of steps) {
        if (expands(s, shape)) grows = true;
        shape = s.op === "broadcast" || s.op === "reshape" ? s.shape : shape;
      }
      add(forRoutine && grows ? (base as Var) : a);
    };
    for (const e of this.cj.jaxpr.eqns) if (kindOf(e) === "routine") e.inputs.forEach((a) => need(a, true));
    this.cj.jaxpr.outvars.forEach((a) => need(a, false));
    return added;
  }

  run(): FusionPlan {
    this.limitDepth();
    const limit = 4 * (this.cj.jaxpr.eqns.length + 4) + 16;
    for (let round = 0; round < limit; round++) {
      // The program's own needs are recomputed each round: a forced root may turn a result
      // into a view of it.
      this.roots = new Set(this.forced);
      while (this.requiredRoots());
      const groups = this.tryBuild();
      if (groups) return { groups, isBuffer: this.isBuffer, info: this.info };
    }
    throw new Error("jit: internal error: fusion planning did not converge");
  }

  // ---- one planning round ----

  private violations = new Set<Var>();
  private joinsBroken = new Set<Var>();

  private materialize(v: Var): void {
    if (!this.isBuffer(v)) this.violations.add(v);
  }

  /** Builds every kernel; returns undefined (after recording new roots) when some failed. */
  private tryBuild(): KernelGroup[] | undefined {
    this.violations = new Set();
    this.joinsBroken = new Set();
    const rootList = [...this.roots].sort((a, b) => this.info.get(a)!.index - this.info.get(b)!.index);
    // group roots: by the reduction whose epilogue computes them, else one kernel each
    const byKey = new Map<Var, Var[]>();
    // elementwise kernels over the same shape merge into one with several outputs (shared
    // subexpressions computed once) unless one reads what the other produces
    const siblings: { key: Var; leaves: Set<Var> }[] = [];
    for (const r of rootList) {
      let key = this.groupKey(r);
      if (key === r && this.info.get(r)!.kind !== "reduction") {
        const leaves = this.leavesOf(r);
        const into = siblings.find((s) => this.canMerge(byKey.get(s.key)!, s.leaves, r, leaves));
        if (into) {
          key = into.key;
          for (const l of leaves) into.leaves.add(l);
        } else siblings.push({ key: r, leaves });
      }
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(r);
    }
    if (this.violations.size) return this.commit();
    const builds: GroupBuild[] = [];
    for (const [key, roots] of byKey) {
      const red = this.info.get(key)!.kind === "reduction" ? key : undefined;
      builds.push(this.buildGroup(red, roots));
    }
    if (this.violations.size || this.joinsBroken.size) return this.commit();
    this.checkDuplicates(builds);
    if (this.violations.size) return this.commit();
    for (const g of builds) this.checkBuffers(g);
    if (this.violations.size || this.joinsBroken.size) return this.commit();
    return builds.map((g) => g.finish());
  }

  private commit(): undefined {
    for (const v of this.violations) this.forced.add(v);
    for (const r of this.joinsBroken) this.noJoin.add(r);
    return undefined;
  }

  /** The reduction a root joins (as its epilogue), or the root itself. */
  private groupKey(r: Var): Var {
    if (this.info.get(r)!.kind === "reduction") return r;
    const free: Var[] = [];
    const mat: Var[] = [];
    const seen = new Set<Var>();
    const walk = (a: Atom) => {
      if (!(a instanceof Var) || seen.has(a)) return;
      seen.add(a);
      const inf = this.info.get(a);
      if (!inf) return;
      if (inf.kind === "reduction") {
        (this.isBuffer(a) ? mat : free).push(a);
        return;
      }
      if (this.isBuffer(a) && a !== r) return;
      if (inf.kind === "routine") return;
      inf.eqn.inputs.forEach(walk);
    };
    walk(r);
    const order = (a: Var, b: Var) => this.info.get(a)!.index - this.info.get(b)!.index;
    free.sort(order);
    mat.sort(order);
    // An epilogue runs over the reduction's result: only roots of that size can join it.
    // It must not read a buffer computed from the reduction either (that would be a cycle).
    let leaves: Set<Var> | undefined;
    const fits = (red: Var) => {
      if (sizeOf(red.aval.shape) !== sizeOf(r.aval.shape)) return false;
      leaves ??= this.leavesOf(r);
      for (const l of leaves) if (l !== red && this.dependsOn(l, red)) return false;
      return true;
    };
    let key: Var | undefined;
    for (const red of free) {
      if (!key && fits(red)) key = red;
      else this.materialize(red);
    }
    if (key) return key;
    if (!this.noJoin.has(r)) {
      for (let i = mat.length - 1; i >= 0; i--) if (fits(mat[i])) return mat[i];
    }
    return r;
  }

  /** Buffers an elementwise root reads (through the values it inlines). */
  private leavesOf(r: Var): Set<Var> {
    const leaves = new Set<Var>();
    const seen = new Set<Var>();
    const walk = (a: Atom) => {
      if (!(a instanceof Var) || seen.has(a)) return;
      seen.add(a);
      if (this.isBuffer(a) && a !== r) leaves.add(a);
      else this.info.get(a)?.eqn.inputs.forEach(walk);
    };
    walk(r);
    return leaves;
  }

  private canMerge(roots: Var[], leaves: Set<Var>, r: Var, rLeaves: Set<Var>): boolean {
    if (!shapeEq(roots[0].aval.shape, r.aval.shape)) return false;
    if (this.depthCuts.has(r) || roots.some((q) => this.depthCuts.has(q))) return false;
    let n = roots.length + 1;
    for (const l of leaves) if (!roots.includes(l)) n++;
    for (const l of rLeaves) if (!leaves.has(l) && !roots.includes(l)) n++;
    if (n > this.opts.maxBuffers) return false;
    // r may inline the group's roots, but must not read a buffer computed from them
    for (const l of rLeaves) if (!roots.includes(l) && roots.some((q) => this.dependsOn(l, q))) return false;
    return true;
  }

  /** Whether `v` depends on `on` (through any equations). */
  private dependsOn(v: Var, on: Var): boolean {
    if (v === on) return true;
    const id = this.varIds().get(on);
    return id !== undefined && (this.ancestorsOf(v)[id >>> 5] & (1 << (id & 31))) !== 0;
  }

  /** Dense ids of the program's values: inputs, constants, then what the equations make. */
  private ids?: Map<Var, number>;
  private varIds(): Map<Var, number> {
    if (!this.ids) {
      const j = this.cj.jaxpr;
      this.ids = new Map();
      for (const v of [...j.invars, ...j.constvars, ...j.eqns.flatMap((e) => e.outputs)]) this.ids.set(v, this.ids.size);
    }
    return this.ids;
  }

  /**
   * The values `v` is computed from, as a bitset over varIds, memoized per value: one search
   * per value asked about (and reused by later searches that reach it), so planning stays
   * near-linear in the length of long programs where a search per query was quadratic.
   */
  private ancCache = new Map<Var, Uint32Array>();
  private ancestorsOf(v: Var): Uint32Array {
    let bits = this.ancCache.get(v);
    if (bits) return bits;
    const ids = this.varIds();
    bits = new Uint32Array((ids.size + 31) >>> 5);
    const seen = new Set<Var>([v]);
    const stack = [v];
    while (stack.length) {
      const inf = this.info.get(stack.pop()!);
      if (!inf) continue;
      for (const a of inf.eqn.inputs) {
        if (!(a instanceof Var) || seen.has(a)) continue;
        seen.add(a);
        const id = ids.get(a);
        if (id !== undefined) bits[id >>> 5] |= 1 << (id & 31);
        const known = this.ancCache.get(a);
        if (known) for (let i = 0; i < bits.length; i++) bits[i] |= known[i];
        else stack.push(a);
      }
    }
    this.ancCache.set(v, bits);
    return bits;
  }

  /** Cost of computing v inline (its equation and the unmaterialized values below it). */
  cost(v: Var, memo = new Map<Var, number>()): number {
    if (this.isBuffer(v)) return 0;
    let c = memo.get(v);
    if (c !== undefined) return c;
    const inf = this.info.get(v)!;
    c = opCost(inf.eqn, inf.kind);
    memo.set(v, c);
    for (const a of inf.eqn.inputs) if (a instanceof Var) c += this.cost(a, memo);
    memo.set(v, c);
    return c;
  }

  private buildGroup(red: Var | undefined, roots: Var[]): GroupBuild {
    return new GroupBuild(this, red, roots);
  }

  /** Values inlined into several kernels (or at several views) are materialized if costly. */
  private checkDuplicates(builds: GroupBuild[]): void {
    const inst = new Map<Var, Set<string>>();
    builds.forEach((g, gi) => {
      for (const [v, keys] of g.inlined) {
        let s = inst.get(v);
        if (!s) inst.set(v, (s = new Set()));
        for (const k of keys) s.add(`${gi}/${k}`);
      }
    });
    const bad = [...inst].filter(([v, s]) => s.size > 1 && this.cost(v) > this.opts.recomputeLimit).map(([v]) => v);
    // The latest offenders first; what they inline is left for the next round.
    bad.sort((a, b) => this.info.get(b)!.index - this.info.get(a)!.index);
    const covered = new Set<Var>();
    for (const v of bad) {
      if (covered.has(v)) continue;
      this.materialize(v);
      this.below(v, covered);
    }
  }

  /** Adds the unmaterialized values v is computed from to `out`. */
  private below(v: Var, out: Set<Var>): void {
    const inf = this.info.get(v);
    if (!inf) return;
    for (const a of inf.eqn.inputs) {
      if (a instanceof Var && !this.isBuffer(a) && !out.has(a)) {
        out.add(a);
        this.below(a, out);
      }
    }
  }

  /** Distinct buffers an inlined value reads. */
  private leafCount(v: Var): number {
    const leaves = new Set<Var>();
    const seen = new Set<Var>();
    const walk = (a: Atom) => {
      if (!(a instanceof Var) || seen.has(a)) return;
      seen.add(a);
      if (this.isBuffer(a)) leaves.add(a);
      else this.info.get(a)!.eqn.inputs.forEach(walk);
    };
    walk(v);
    return leaves.size;
  }

  /** Splits kernels that bind more buffers than the backend allows. */
  private checkBuffers(g: GroupBuild): void {
    const total = g.inputCount() + g.roots.length;
    if (total <= this.opts.maxBuffers) return;
    let best: Var | undefined;
    let bestCount = 1;
    let fallback: Var | undefined;
    let fallbackCount = 1;
    for (const v of g.inlined.keys()) {
      const n = this.leafCount(v);
      if (n + 1 <= this.opts.maxBuffers && n > bestCount) {
        best = v;
        bestCount = n;
      }
      if (n > fallbackCount) {
        fallback = v;
        fallbackCount = n;
      }
    }
    const pick = best ?? fallback;
    if (pick) this.materialize(pick);
    else if (g.roots.length > 1) {
      // Too many results in one epilogue: the last leaves it.
      const last = g.roots[g.roots.length - 1];
      this.joinsBroken.add(last);
      if (g.red && !this.isBuffer(g.red)) this.materialize(g.red);
    } else {
      throw new Error(`jit: a kernel needs ${total} buffers, more than the backend's limit of ${this.opts.maxBuffers}`);
    }
  }

  /** Called when root `r` cannot be computed in reduction `red`'s epilogue. */
  breakJoin(r: Var, red: Var | undefined): void {
    if (!red) return;
    if (r !== red) this.joinsBroken.add(r);
    if (!this.isBuffer(red)) this.materialize(red);
  }

  /** Called when an unmaterialized value cannot be inlined where it is needed. */
  cannotInline(v: Var, r: Var, red: Var | undefined): void {
    if (this.isBuffer(v) || v === r) this.breakJoin(r, red);
    else this.materialize(v);
  }

  dependsOnRed(v: Var, red: Var): boolean {
    return this.dependsOn(v, red);
  }
}

/** One kernel under construction: a main DAG (iteration space) and, with a reduction, an epilogue. */
class GroupBuild {
  readonly main = new KernelBuilder();
  readonly epi?: KernelBuilder;
  readonly mainInputs: KernelInput[] = [];
  readonly epiInputs: KernelInput[] = [];
  private readonly inputIndex = new Map<string, number>();
  private readonly memo = new Map<string, number[]>();
  /** Inlined values and the views (space:layout) they are computed at. */
  readonly inlined = new Map<Var, Set<string>>();
  private readonly used = new Set<number>();
  private reducedNode = -1;
  private outputs: number[] = [];
  readonly shape: number[];
  readonly outShape: number[];
  private root!: Var;
  private redArg = -1;
  private readonly rootSet: Set<Var>;

  constructor(
    readonly p: Planner,
    readonly red: Var | undefined,
    readonly roots: Var[],
  ) {
    this.rootSet = new Set(roots);
    if (red) {
      const x = p.info.get(red)!.eqn.inputs[0];
      this.shape = x.aval.shape;
      this.outShape = red.aval.shape;
      this.epi = new KernelBuilder();
      this.root = red;
      this.used.add(p.info.get(red)!.index);
      this.redArg = this.node(x, [], contiguousLayout(this.shape), "main");
      for (const r of roots) {
        this.root = r;
        if (r === red) {
          this.outputs.push(this.reduced());
          continue;
        }
        const steps: ViewStep[] = shapeEq(r.aval.shape, this.outShape) ? [] : [{ op: "reshape", shape: this.outShape }];
        this.outputs.push(this.node(r, steps, contiguousLayout(this.outShape), "epi"));
      }
    } else {
      this.shape = this.outShape = roots[0].aval.shape;
      for (const r of roots) {
        this.root = r;
        const steps: ViewStep[] = shapeEq(r.aval.shape, this.shape) ? [] : [{ op: "reshape", shape: this.shape }];
        this.outputs.push(this.node(r, steps, contiguousLayout(this.shape), "main"));
      }
    }
  }

  inputCount(): number {
    return this.mainInputs.length + this.epiInputs.length;
  }

  private reduced(): number {
    if (this.reducedNode < 0) {
      const dt = this.red!.aval.dtype;
      this.reducedNode = this.epi!.reduced(dt);
    }
    return this.reducedNode;
  }

  private builder(where: "main" | "epi"): KernelBuilder {
    return where === "main" ? this.main : this.epi!;
  }

  /** A placeholder after a failure (the round is rebuilt anyway). */
  private dummy(where: "main" | "epi", dtype: DType): number {
    return this.builder(where).const(0, dtype);
  }

  private leaf(v: Var, steps: ViewStep[], layout: Layout, where: "main" | "epi"): number {
    if (where === "epi" && this.red && this.p.dependsOnRed(v, this.red)) {
      // v is computed after this kernel's reduction: the root must run in a later kernel.
      this.p.breakJoin(this.root, this.red);
      return this.dummy(where, v.aval.dtype);
    }
    const key = `${where}:${v.id}:${layoutKey(layout)}`;
    let n = this.inputIndex.get(key);
    if (n === undefined) {
      n = this.builder(where).input(v.aval.dtype);
      this.inputIndex.set(key, n);
      (where === "main" ? this.mainInputs : this.epiInputs).push({ v, steps, layout, epilogue: where === "epi" });
    }
    return n;
  }

  /** The node computing `a` at the positions given by `steps` (probe: its layout if contiguous). */
  private node(a: Atom, steps: ViewStep[], probe: Layout, where: "main" | "epi"): number {
    const b = this.builder(where);
    if (a instanceof Literal) return b.const(typeof a.value === "boolean" ? (a.value ? 1 : 0) : a.value, a.aval.dtype);
    const v = a;
    if (where === "epi" && v === this.red) {
      // The reduced value is available only at the current output position.
      if (probe.offset === 0 && isRowMajor(probe)) return this.reduced();
      this.p.breakJoin(this.root, this.red);
      return this.dummy(where, v.aval.dtype);
    }
    // Roots of this kernel are computed here, not read.
    if (this.p.isBuffer(v) && !this.rootSet.has(v)) return this.leaf(v, steps, probe, where);
    const inf = this.p.info.get(v)!;
    switch (inf.kind) {
      case "view": {
        const u = inf.eqn.inputs[0];
        const next = [inf.step!, ...steps];
        const up = applySteps(contiguousLayout(u.aval.shape), next);
        if (!up) {
          this.p.cannotInline(v, this.root, this.red);
          return this.dummy(where, v.aval.dtype);
        }
        return this.node(u, next, up, where);
      }
      case "iota":
        return this.iota(v, inf.eqn, steps, where);
      case "elementwise": {
        const key = `${where}:${inf.index}:${layoutKey(probe)}`;
        let outs = this.memo.get(key);
        if (!outs) {
          const ins = inf.eqn.inputs.map((x) => this.node(x, steps, probe, where));
          outs = inf.eqn.prim.name === "copy" ? ins : inf.eqn.prim.rules.lower!(b, ins, inf.eqn.params);
          this.memo.set(key, outs);
          this.used.add(inf.index);
          let s = this.inlined.get(v);
          if (!s) this.inlined.set(v, (s = new Set()));
          s.add(`${where}:${layoutKey(probe)}`);
        }
        return outs[inf.eqn.outputs.indexOf(v)];
      }
      case "reduction":
        // A second reduction, or one needed inside a reduction's operand: materialize it.
        this.p.cannotInline(v, this.root, this.red);
        return this.dummy(where, v.aval.dtype);
      default:
        throw new Error(`jit: internal error: ${inf.eqn.prim.name} reached inside a kernel`);
    }
  }

  /** iota as an affine function of the kernel's position: sum of stride * index + offset. */
  private iota(v: Var, e: Eqn, steps: ViewStep[], where: "main" | "epi"): number {
    const { shape, dimension, dtype } = e.params as { shape: number[]; dimension: number; dtype: DType };
    const strides = shape.map((_, i) => (i === dimension ? 1 : 0));
    const l = applySteps({ shape, strides, offset: 0 }, steps);
    if (!l) {
      this.p.cannotInline(v, this.root, this.red);
      return this.dummy(where, v.aval.dtype);
    }
    const b = this.builder(where);
    let acc: number | undefined;
    l.strides.forEach((s, axis) => {
      if (s === 0 || l.shape[axis] === 1) return;
      let t = b.iota(axis, "int32");
      if (s !== 1) t = b.binary("mul", t, b.const(s, "int32"));
      acc = acc === undefined ? t : b.binary("add", acc, t);
    });
    if (acc === undefined) acc = b.const(l.offset, "int32");
    else if (l.offset !== 0) acc = b.binary("add", acc, b.const(l.offset, "int32"));
    this.used.add(this.p.info.get(v)!.index);
    return b.cast(acc, dtype);
  }

  finish(): KernelGroup {
    const names = [...this.used].sort((x, y) => x - y).map((i) => this.p.cj.jaxpr.eqns[i].prim.name);
    const order = Math.min(...this.roots.map((r) => this.p.info.get(r)!.index));
    const outDtypes = this.roots.map((r) => r.aval.dtype);
    let kernel: FusedKernel;
    if (this.red) {
      const inf = this.p.info.get(this.red)!;
      const op = REDUCE_OPS[inf.eqn.prim.name];
      const nMain = this.main.inputs.length;
      const epilogue: ScalarNode[] = this.epi!.nodes.map((n) => (n.kind === "input" ? { ...n, input: n.input + nMain } : n));
      kernel = {
        inputs: [...this.main.inputs.map((i) => ({ dtype: i.dtype })), ...this.epi!.inputs.map((i) => ({ dtype: i.dtype, epilogue: true }))],
        nodes: this.main.nodes.slice(),
        reduce: { op, axes: inf.eqn.params.axes.slice(), arg: this.redArg, dtype: this.red.aval.dtype },
        epilogue,
        outputs: this.outputs.map((n, i) => ({ node: n, dtype: outDtypes[i] })),
      };
    } else {
      const k = this.main.build(this.outputs);
      kernel = { ...k, outputs: k.outputs.map((o, i) => ({ node: o.node, dtype: outDtypes[i] })) };
    }
    return {
      kernel,
      shape: this.shape,
      outShape: this.outShape,
      inputs: [...this.mainInputs, ...this.epiInputs],
      roots: this.roots,
      names,
      order,
      reduces: !!this.red,
    };
  }
}
