// Movement primitives as transformations of strided layouts. Under jit a view op never runs:
// it is folded into the layout through which a kernel (or a routine, or an output) reads the
// materialized buffer below it. A layout is what eager views carry: shape, element strides
// and an element offset.
import { contiguousStrides, isRowMajorStrides, reshapeViewStrides, sizeOf } from "../array/shape.js";
import type { Eqn } from "../core/jaxpr.js";

export interface Layout {
  shape: number[];
  strides: number[];
  offset: number;
}

export type ViewStep =
  | { op: "broadcast"; shape: number[]; dims: number[] }
  | { op: "reshape"; shape: number[] }
  | { op: "transpose"; perm: number[] }
  | { op: "squeeze"; dims: number[] }
  | { op: "slice"; start: number[]; limit: number[]; step: number[] | null }
  | { op: "rev"; dims: number[] }
  /** Same elements (stop_gradient, a dtype conversion to the same dtype, a reduction over no axes). */
  | { op: "identity" };

/** The view step an equation performs, or undefined when it is not a pure view. */
export function viewStepOf(e: Eqn): ViewStep | undefined {
  const p = e.params;
  switch (e.prim.name) {
    case "broadcast_in_dim":
      return { op: "broadcast", shape: p.shape, dims: p.broadcastDimensions };
    case "reshape":
      return { op: "reshape", shape: p.newSizes };
    case "transpose":
      return { op: "transpose", perm: p.permutation };
    case "squeeze":
      return { op: "squeeze", dims: p.dimensions };
    case "slice":
      return { op: "slice", start: p.startIndices, limit: p.limitIndices, step: p.strides ?? null };
    case "rev":
      return { op: "rev", dims: p.dimensions };
    case "stop_gradient":
      return { op: "identity" };
    case "convert_element_type":
      return e.inputs[0].aval.dtype === p.newDtype ? { op: "identity" } : undefined;
    case "reduce_sum": case "reduce_prod": case "reduce_max": case "reduce_min": case "reduce_and": case "reduce_or":
      return p.axes.length === 0 ? { op: "identity" } : undefined;
    default:
      return undefined;
  }
}

export function contiguousLayout(shape: number[]): Layout {
  return { shape, strides: contiguousStrides(shape), offset: 0 };
}

/** True when the layout addresses its elements in row-major order from `offset`. */
export function isRowMajor(l: Layout): boolean {
  return isRowMajorStrides(l.shape, l.strides);
}

/** Strides of a reshape of `l` without copying, or undefined when a copy is needed. */
function reshapeStrides(l: Layout, shape: number[]): number[] | undefined {
  if (sizeOf(l.shape) !== sizeOf(shape)) throw new Error(`jit: internal error: reshape of [${l.shape}] to [${shape}]`);
  return reshapeViewStrides(l.shape, l.strides, shape);
}

/** The layout of `step` applied to a value laid out as `l`; undefined when it needs a copy. */
export function applyStep(l: Layout, step: ViewStep): Layout | undefined {
  switch (step.op) {
    case "identity":
      return l;
    case "broadcast": {
      const strides = new Array<number>(step.shape.length).fill(0);
      step.dims.forEach((d, i) => {
        if (l.shape[i] === step.shape[d] && step.shape[d] !== 1) strides[d] = l.strides[i];
      });
      return { shape: step.shape, strides, offset: l.offset };
    }
    case "reshape": {
      const strides = reshapeStrides(l, step.shape);
      return strides && { shape: step.shape, strides, offset: l.offset };
    }
    case "transpose":
      return { shape: step.perm.map((a) => l.shape[a]), strides: step.perm.map((a) => l.strides[a]), offset: l.offset };
    case "squeeze":
      return {
        shape: l.shape.filter((_, i) => !step.dims.includes(i)),
        strides: l.strides.filter((_, i) => !step.dims.includes(i)),
        offset: l.offset,
      };
    case "slice": {
      let offset = l.offset;
      const shape: number[] = [];
      const strides: number[] = [];
      for (let i = 0; i < step.start.length; i++) {
        const k = step.step ? step.step[i] : 1;
        offset += step.start[i] * l.strides[i];
        shape.push(Math.ceil((step.limit[i] - step.start[i]) / k));
        strides.push(l.strides[i] * k);
      }
      return { shape, strides, offset };
    }
    case "rev": {
      let offset = l.offset;
      const strides = l.strides.slice();
      for (const d of step.dims) {
        if (l.shape[d] > 0) offset += (l.shape[d] - 1) * strides[d];
        strides[d] = -strides[d];
      }
      return { shape: l.shape, strides, offset };
    }
  }
}

export function applySteps(l: Layout, steps: readonly ViewStep[]): Layout | undefined {
  let cur: Layout | undefined = l;
  for (let i = 0; cur && i < steps.length; i++) cur = applyStep(cur, steps[i]);
  return cur;
}

/** True when a step makes some element appear more often than in its source (a real broadcast). */
export function expands(step: ViewStep, srcShape: number[]): boolean {
  return step.op === "broadcast" && sizeOf(step.shape) > sizeOf(srcShape);
}

export function layoutKey(l: Layout): string {
  return `${l.strides.join(",")}@${l.offset}`;
}
