// Hoisting for the kernel VM: a costly subexpression that varies along fewer axes than the
// iteration space (it depends only on broadcast inputs) is computed once at its own shape by
// a sub-kernel; the main kernel reads the result as a broadcast input. cos(y) for y
// broadcast over rows of x costs 5000 evaluations instead of 25M. This file plans the
// rewrite (cached per kernel and pattern); wasm/vm.ts runs the plan.
import { DTYPE_BYTES, type FusedKernel, type ScalarNode, type ViewLayout } from "../ts/runtime/kernel.js";

/** Iteration spaces smaller than this are not worth hoisting from. */
export const HOIST_MIN = 4096;

export interface HoistPlan {
  main: FusedKernel;
  subs: { kernel: FusedKernel; axes: number[]; inputs: number[]; bytes: number }[];
}

const hoistPlans = new WeakMap<FusedKernel, Map<string, HoistPlan>>();
/** Kernels that are hoisting rewrites themselves (never hoisted from again). */
export const noHoist = new WeakSet<FusedKernel>();
let masks = new Int32Array(64);
let hoistable = new Uint8Array(64);
let hoisted = new Uint8Array(64);

/**
 * The hoisting plan of `kernel` over `shape` (its nodes' `costly` flags from the program), or
 * undefined when no costly subexpression varies along few enough axes.
 */
export function planHoist(
  kernel: FusedKernel, costly: Uint8Array, shape: number[], inputs: { layout: ViewLayout }[], total: number,
): HoistPlan | undefined {
  const nodes = kernel.nodes;
  const nn = nodes.length;
  if (masks.length < nn) {
    masks = new Int32Array(nn * 2);
    hoistable = new Uint8Array(nn * 2);
    hoisted = new Uint8Array(nn * 2);
  }
  let full = 0;
  for (let a = 0; a < shape.length; a++) if (shape[a] > 1) full |= 1 << a;
  let any = false;
  for (let i = 0; i < nn; i++) {
    const n = nodes[i];
    let m = 0;
    switch (n.kind) {
      case "input": {
        const st = inputs[n.input].layout.strides;
        for (let a = 0; a < shape.length; a++) if (st[a] !== 0 && shape[a] > 1) m |= 1 << a;
        break;
      }
      case "iota": m = shape[n.axis] > 1 ? 1 << n.axis : 0; break;
      case "unary": case "cast": case "bitcast": m = masks[n.arg]; break;
      case "binary": m = masks[n.args[0]] | masks[n.args[1]]; break;
      case "select": m = masks[n.args[0]] | masks[n.args[1]] | masks[n.args[2]]; break;
    }
    masks[i] = m;
    let h = 0;
    if (costly[i] && m !== full) {
      let size = 1;
      for (let a = 0; a < shape.length; a++) if (m & (1 << a)) size *= shape[a];
      if (size * 4 <= total) h = 1;
    }
    hoistable[i] = h;
    hoisted[i] = 0;
    if (h) any = true;
  }
  if (!any) return undefined;
  // hoist the largest hoistable subexpressions: those used by a node that is not hoistable
  const use = (j: number, i: number) => {
    if (hoistable[j] && !hoistable[i]) hoisted[j] = 1;
  };
  let key = "";
  for (let i = 0; i < nn; i++) {
    const n = nodes[i];
    switch (n.kind) {
      case "unary": case "cast": case "bitcast": use(n.arg, i); break;
      case "binary": use(n.args[0], i); use(n.args[1], i); break;
      case "select": use(n.args[0], i); use(n.args[1], i); use(n.args[2], i); break;
    }
  }
  const roots = kernel.reduce ? [kernel.reduce.arg] : kernel.outputs.map((o) => o.node);
  for (const r of roots) if (hoistable[r]) hoisted[r] = 1;
  for (let i = 0; i < nn; i++) if (hoisted[i]) key += `${i}:${masks[i]},`;
  if (!key) return undefined;
  key += shape.length;
  let plans = hoistPlans.get(kernel);
  if (!plans) hoistPlans.set(kernel, (plans = new Map()));
  let plan = plans.get(key);
  if (!plan) {
    plan = buildHoistPlan(kernel, shape.length);
    plans.set(key, plan);
  }
  return plan;
}

/** Builds the sub-kernels and the rewritten main kernel for the nodes marked in `hoisted`. */
function buildHoistPlan(kernel: FusedKernel, D: number): HoistPlan {
  const nodes = kernel.nodes;
  const subs: HoistPlan["subs"] = [];
  const tempOf = new Map<number, number>();
  for (let h = 0; h < nodes.length; h++) {
    if (!hoisted[h]) continue;
    const axes: number[] = [];
    for (let a = 0; a < D; a++) if (masks[h] & (1 << a)) axes.push(a);
    const sub: ScalarNode[] = [];
    const remap = new Map<number, number>();
    const subInputs: number[] = [];
    const visit = (i: number): number => {
      const done = remap.get(i);
      if (done !== undefined) return done;
      const n = nodes[i];
      let c: ScalarNode;
      switch (n.kind) {
        case "input": {
          let k = subInputs.indexOf(n.input);
          if (k < 0) k = subInputs.push(n.input) - 1;
          c = { ...n, input: k };
          break;
        }
        case "iota": {
          const pos = axes.indexOf(n.axis);
          c = pos >= 0 ? { ...n, axis: pos } : { kind: "const", value: 0, dtype: n.dtype };
          break;
        }
        case "unary": case "cast": case "bitcast": c = { ...n, arg: visit(n.arg) }; break;
        case "binary": c = { ...n, args: [visit(n.args[0]), visit(n.args[1])] }; break;
        case "select": c = { ...n, args: [visit(n.args[0]), visit(n.args[1]), visit(n.args[2])] }; break;
        default: c = { ...n };
      }
      remap.set(i, sub.push(c) - 1);
      return sub.length - 1;
    };
    const root = visit(h);
    tempOf.set(h, kernel.inputs.length + subs.length);
    subs.push({
      kernel: {
        inputs: subInputs.map((k) => ({ dtype: kernel.inputs[k].dtype })),
        nodes: sub,
        outputs: [{ node: root, dtype: nodes[h].dtype }],
      },
      axes,
      inputs: subInputs,
      bytes: DTYPE_BYTES[nodes[h].dtype],
    });
  }
  // the main kernel: hoisted nodes become inputs; nodes only they used are dropped
  const live = new Uint8Array(nodes.length);
  const mark = (i: number): void => {
    if (live[i]) return;
    live[i] = 1;
    if (tempOf.has(i)) return;
    const n = nodes[i];
    switch (n.kind) {
      case "unary": case "cast": case "bitcast": mark(n.arg); break;
      case "binary": mark(n.args[0]); mark(n.args[1]); break;
      case "select": n.args.forEach(mark); break;
    }
  };
  if (kernel.reduce) mark(kernel.reduce.arg);
  else kernel.outputs.forEach((o) => mark(o.node));
  const idx = new Map<number, number>();
  const main: ScalarNode[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (!live[i]) continue;
    const n = nodes[i];
    const t = tempOf.get(i);
    const at = (j: number) => idx.get(j)!;
    let c: ScalarNode;
    if (t !== undefined) c = { kind: "input", input: t, dtype: n.dtype };
    else if (n.kind === "unary" || n.kind === "cast" || n.kind === "bitcast") c = { ...n, arg: at(n.arg) };
    else if (n.kind === "binary") c = { ...n, args: [at(n.args[0]), at(n.args[1])] };
    else if (n.kind === "select") c = { ...n, args: [at(n.args[0]), at(n.args[1]), at(n.args[2])] };
    else c = { ...n };
    idx.set(i, main.push(c) - 1);
  }
  const rewritten: FusedKernel = {
    inputs: [...kernel.inputs, ...subs.map((s) => ({ dtype: s.kernel.outputs[0].dtype }))],
    nodes: main,
    outputs: kernel.reduce ? kernel.outputs : kernel.outputs.map((o) => ({ node: idx.get(o.node)!, dtype: o.dtype })),
  };
  if (kernel.reduce) {
    rewritten.reduce = { ...kernel.reduce, arg: idx.get(kernel.reduce.arg)! };
    if (kernel.epilogue) rewritten.epilogue = kernel.epilogue;
  }
  noHoist.add(rewritten);
  return { main: rewritten, subs };
}
