// The kernel graph as a program: buffer slots, steps (fused kernels and routines) in a
// dependency order close to the jaxpr's, and the memory plan (when each slot dies).
// Everything here is computed once per compiled jaxpr; a call only follows it.
import { DTYPE_BYTES, type DType } from "../array/dtype.js";
import { sizeOf } from "../array/shape.js";
import { Literal, Var, fmtAval, type Atom, type ClosedJaxpr, type Eqn } from "../core/jaxpr.js";
import type { Aval, Primitive } from "../core/primitive.js";
import type { FusedKernel } from "../runtime/kernel.js";
import { kindOf } from "./classify.js";
import type { FusionPlan } from "./fusion.js";
import { applySteps, contiguousLayout, isRowMajor, type Layout, type ViewStep } from "./views.js";

export type SlotSource = "input" | "kernel" | "routine";

export interface Slot {
  shape: number[];
  dtype: DType;
  weak: boolean;
  nbytes: number;
  source: SlotSource;
  /** Index of the last step reading it; Infinity when a result refers to it. */
  lastUse: number;
}

/** A value read from a slot through view steps (`layout` is for a row-major slot at offset 0). */
export interface SlotView {
  slot: number;
  steps: ViewStep[];
  layout: Layout;
}

/** A routine operand or a program result. */
export type ValueRef = ({ literal: number | boolean } | SlotView) & { aval: Aval };

export interface KernelStep {
  type: "kernel";
  kernel: FusedKernel;
  shape: number[];
  inputs: SlotView[];
  outputs: number[];
  /** False when the iteration space or the outputs are empty. */
  runs: boolean;
  /**
   * Input slots this kernel may overwrite with an output (a donated buffer): every read of
   * them is the identity layout of an elementwise kernel, so each element is read before the
   * same position is written.
   */
  inPlace: number[];
  line: string;
}

export interface RoutineStep {
  type: "routine";
  prim: Primitive;
  params: Eqn["params"];
  args: ValueRef[];
  outputs: number[];
  line: string;
}

export type Step = KernelStep | RoutineStep;

export interface Program {
  slots: Slot[];
  nConsts: number;
  nInputs: number;
  steps: Step[];
  /** Slots whose storage is released after each step. */
  release: number[][];
  outputs: ValueRef[];
}

export function buildProgram(cj: ClosedJaxpr, plan: FusionPlan): Program {
  const j = cj.jaxpr;
  const slots: Slot[] = [];
  const slotOf = new Map<Var, number>();
  const addSlot = (v: Var, source: SlotSource): number => {
    const a = v.aval;
    slots.push({ shape: a.shape, dtype: a.dtype, weak: a.weakType, nbytes: sizeOf(a.shape) * DTYPE_BYTES[a.dtype], source, lastUse: -1 });
    slotOf.set(v, slots.length - 1);
    return slots.length - 1;
  };
  for (const v of j.constvars) addSlot(v, "input");
  for (const v of j.invars) {
    // An argument listed twice in invars cannot happen; a var is one slot.
    addSlot(v, "input");
  }

  const refOf = (a: Atom): ValueRef => {
    if (a instanceof Literal) return { literal: a.value, aval: a.aval };
    const steps: ViewStep[] = [];
    let cur: Atom = a;
    while (cur instanceof Var && !plan.isBuffer(cur)) {
      const inf: { kind: string; step?: ViewStep; eqn: Eqn } = plan.info.get(cur)!;
      if (inf.kind !== "view") break;
      steps.unshift(inf.step!);
      cur = inf.eqn.inputs[0];
    }
    if (cur instanceof Literal) return { literal: cur.value, aval: a.aval };
    const slot = slotOf.get(cur);
    const layout = slot === undefined ? undefined : applySteps(contiguousLayout(cur.aval.shape), steps);
    if (slot === undefined || !layout) throw new Error("jit: internal error: a routine operand or result is not materialized");
    return { slot, steps, layout, aval: a.aval };
  };

  interface Pending {
    step: () => Step;
    routine: boolean;
    produces: Var[];
    reads: Var[];
    order: number;
  }
  const pending: Pending[] = [];
  for (const g of plan.groups) {
    pending.push({
      step: () => {
        const inputs = g.inputs.map((i) => ({ slot: slotOf.get(i.v)!, steps: i.steps, layout: i.layout }));
        const inPlace = g.reduces
          ? []
          : [...new Set(inputs.map((i) => i.slot))].filter((s) =>
              inputs.every((i) => i.slot !== s || (i.layout.offset === 0 && isRowMajor({ shape: g.shape, strides: i.layout.strides, offset: 0 }))),
            );
        const outs = g.roots.map((r) => slotOf.get(r)!);
        return {
          type: "kernel",
          kernel: g.kernel,
          shape: g.shape,
          inputs,
          outputs: outs,
          runs: sizeOf(g.shape) > 0 && sizeOf(g.outShape) > 0,
          inPlace,
          line: describeKernel(g.names, g.shape, g.outShape, g.roots.map((r) => r.aval), g.reduces),
        };
      },
      routine: false,
      produces: g.roots,
      reads: g.inputs.map((i) => i.v),
      order: g.order,
    });
  }
  j.eqns.forEach((e, index) => {
    if (kindOf(e) !== "routine") return;
    const reads: Var[] = [];
    for (const a of e.inputs) {
      let cur: Atom = a;
      while (cur instanceof Var && !plan.isBuffer(cur) && plan.info.get(cur)!.kind === "view") cur = plan.info.get(cur)!.eqn.inputs[0];
      if (cur instanceof Var) reads.push(cur);
    }
    pending.push({
      step: () => ({
        type: "routine",
        prim: e.prim,
        params: e.params,
        args: e.inputs.map(refOf),
        outputs: e.outputs.map((o) => slotOf.get(o)!),
        line: `routine ${e.prim.name} ${e.inputs.map((a) => fmtAval(a.aval)).join(" ")} -> ${e.outputs.map((o) => fmtAval(o.aval)).join(" ")}`,
      }),
      routine: true,
      produces: e.outputs,
      reads,
      order: index,
    });
  });

  // slots for what steps produce, in program order
  const producer = new Map<Var, number>();
  pending.forEach((p, i) => p.produces.forEach((v) => producer.set(v, i)));
  const byOrder = pending.map((_, i) => i).sort((a, b) => pending[a].order - pending[b].order);
  for (const i of byOrder) {
    for (const v of pending[i].produces) addSlot(v, pending[i].routine ? "routine" : "kernel");
  }

  // dependency order (data dependencies only; among ready steps, program order first)
  const deps = pending.map(() => new Set<number>());
  pending.forEach((p, i) => {
    for (const v of p.reads) {
      const k = producer.get(v);
      if (k !== undefined && k !== i) deps[i].add(k);
    }
  });
  const done = new Set<number>();
  const sequence: number[] = [];
  while (sequence.length < pending.length) {
    const next = byOrder.find((i) => !done.has(i) && [...deps[i]].every((d) => done.has(d)));
    if (next === undefined) throw new Error("jit: internal error: the kernel graph has a cycle");
    done.add(next);
    sequence.push(next);
  }
  const steps: Step[] = sequence.map((i) => pending[i].step());

  // memory plan: last uses
  const outputs = j.outvars.map(refOf);
  steps.forEach((s, t) => {
    const reads = s.type === "kernel" ? s.inputs.map((i) => i.slot) : s.args.flatMap((a) => ("slot" in a ? [a.slot] : []));
    for (const r of reads) slots[r].lastUse = Math.max(slots[r].lastUse, t);
  });
  for (const o of outputs) if ("slot" in o) slots[o.slot].lastUse = Infinity;
  const release: number[][] = steps.map(() => []);
  steps.forEach((s, t) => {
    for (const o of s.outputs) if (slots[o].lastUse < t) slots[o].lastUse = t; // unused results die at once
  });
  slots.forEach((s, i) => {
    if (s.source !== "input" && Number.isFinite(s.lastUse)) release[s.lastUse].push(i);
  });
  return { slots, nConsts: j.constvars.length, nInputs: j.constvars.length + j.invars.length, steps, release, outputs };
}

const SHORT: Record<string, string> = {
  float32: "f32", float64: "f64", float16: "f16", int32: "i32", int16: "i16", int8: "i8",
  uint32: "u32", uint16: "u16", uint8: "u8", bool: "bool",
};

function describeKernel(names: string[], shape: number[], outShape: number[], outs: Aval[], reduces: boolean): string {
  const list = names.length ? names.join(",") : "copy";
  const dt = SHORT[outs[0].dtype] ?? outs[0].dtype;
  const space = reduces ? `${dt}[${outShape}] <- [${shape}]` : `${dt}[${shape}]`;
  return `fused[${list}] ${space}${outs.length > 1 ? ` (${outs.length} outputs)` : ""}`;
}
