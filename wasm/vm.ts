// Host side of the kernel VM (wasm/assembly/vm.ts): compiles a FusedKernel once into a
// compact register program (wasm/vm_compile.ts, cached here), and runs it on a shape by
// writing a descriptor into the heap (wasm/vm_layout.ts). A costly subexpression over
// broadcast inputs is first hoisted into a sub-kernel of its own shape (wasm/vm_hoist.ts).
import { kernelKey, type FusedKernel, type ViewLayout } from "../ts/runtime/kernel.js";
import type { WasmInstance } from "./instance.js";
import { compile, type VmProgram } from "./vm_compile.js";
import { HOIST_MIN, noHoist, planHoist, type HoistPlan } from "./vm_hoist.js";
import { vmDebug, writeDescriptor } from "./vm_layout.js";

export { OP, type VmProgram } from "./vm_compile.js";
export { vmDebug } from "./vm_layout.js";

const byObject = new WeakMap<FusedKernel, VmProgram>();
const byKey = new Map<string, VmProgram>();

/** The compiled program of a kernel (cached by object identity and by kernelKey). */
export function vmProgram(kernel: FusedKernel): VmProgram {
  let p = byObject.get(kernel);
  if (p) return p;
  const key = kernelKey(kernel);
  p = byKey.get(key);
  if (!p) {
    p = compile(kernel);
    byKey.set(key, p);
  }
  byObject.set(kernel, p);
  return p;
}

/**
 * Runs `kernel` over the iteration space `shape`. inputs: byte address and view of each kernel
 * input (epilogue inputs: strides over the output space); outputs: byte addresses of
 * contiguous row-major buffers over the output space.
 */
export function runFused(
  inst: WasmInstance,
  kernel: FusedKernel,
  shape: number[],
  inputs: { ptr: number; layout: ViewLayout }[],
  outputs: number[],
): void {
  const prog = vmProgram(kernel);
  const D = shape.length;
  let total = 1;
  for (let i = 0; i < D; i++) total *= shape[i];
  if (prog.costly && total >= HOIST_MIN && D <= 30 && !noHoist.has(kernel)) {
    const plan = planHoist(kernel, prog.costly, shape, inputs, total);
    if (plan) {
      runHoisted(inst, plan, shape, inputs, outputs);
      return;
    }
  }
  const st = writeDescriptor(inst, prog, shape, total, inputs, outputs);
  if (st) st.run(st.desc);
}

/** Runs the sub-kernels of a hoisting plan into temporaries, then its main kernel. */
function runHoisted(
  inst: WasmInstance, plan: HoistPlan, shape: number[], inputs: { ptr: number; layout: ViewLayout }[], outputs: number[],
): void {
  const temps: number[] = [];
  vmDebug.hoisted += plan.subs.length;
  try {
    const all = inputs.slice();
    for (const s of plan.subs) {
      let size = 1;
      for (const a of s.axes) size *= shape[a];
      const tmp = inst.heap.alloc(Math.max(1, size * s.bytes));
      temps.push(tmp);
      runFused(
        inst,
        s.kernel,
        s.axes.map((a) => shape[a]),
        s.inputs.map((k) => ({
          ptr: inputs[k].ptr,
          layout: { strides: s.axes.map((a) => inputs[k].layout.strides[a]), offset: inputs[k].layout.offset },
        })),
        [tmp],
      );
      const strides = new Array(shape.length).fill(0);
      let acc = 1;
      for (let j = s.axes.length - 1; j >= 0; j--) {
        strides[s.axes[j]] = acc;
        acc *= shape[s.axes[j]];
      }
      all.push({ ptr: tmp, layout: { strides, offset: 0 } });
    }
    runFused(inst, plan.main, shape, all, outputs);
  } finally {
    for (const t of temps) inst.heap.free(t);
  }
}
