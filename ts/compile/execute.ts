// Running a compiled program on concrete arrays: fused kernels straight on the backend,
// routines through their eager implementations, each intermediate released right after its
// last use, donated inputs' buffers reused for outputs or intermediates of the same size.
import { Array } from "../array/array.js";
import { jaxprHooks } from "../core/jaxpr.js";
import { bind } from "../core/trace.js";
import type { Backend, BufferView } from "../runtime/backend.js";
import { Storage, release, retain } from "../runtime/buffer.js";
import { getBackend } from "../runtime/device.js";
import { materialize } from "../runtime/eager.js";
import type { Program, SlotView, ValueRef } from "./program.js";
import { applySteps } from "./views.js";

export interface ExecOptions {
  device?: string;
  /** Whether an elementwise kernel may write an output over a donated input it reads. */
  inPlace: boolean;
}

/** Per-call state. */
class Frame {
  /** Arrays of input and routine slots (routine ones are owned). */
  readonly arrs: (Array | undefined)[];
  /** Storage of kernel slots (one reference owned by the frame until released). */
  readonly stos: (Storage | undefined)[];
  /** Contiguous copies of inputs whose layout a view could not express. */
  copies?: Map<number, Array>;
  /** Donated inputs (slot -> array) whose buffers may be taken. */
  donatedSlots?: Map<number, Array>;
  /** Donated arrays whose last use is over. */
  pool?: Array[];

  constructor(readonly prog: Program, readonly backend: Backend) {
    this.arrs = new globalThis.Array(prog.slots.length);
    this.stos = new globalThis.Array(prog.slots.length);
  }

  /** A layout-resolved array for an input/routine slot whose layout may not be row-major. */
  private source(slot: number): Array {
    return this.copies?.get(slot) ?? this.arrs[slot]!;
  }

  private copyOf(slot: number): Array {
    this.copies ??= new Map();
    let c = this.copies.get(slot);
    if (!c) {
      c = materialize(this.arrs[slot]!);
      this.copies.set(slot, c);
    }
    return c;
  }

  /** Buffer view of a kernel input. */
  view(v: SlotView): BufferView {
    const sto = this.stos[v.slot];
    if (sto) return { buffer: sto.buffer, strides: v.layout.strides, offset: v.layout.offset };
    let a = this.source(v.slot);
    if (a._isContiguous()) return { buffer: a._storage.buffer, strides: v.layout.strides, offset: v.layout.offset + a._offset };
    const l = applySteps({ shape: a.shape, strides: a._strides, offset: a._offset }, v.steps);
    if (l) return { buffer: a._storage.buffer, strides: l.strides, offset: l.offset };
    a = this.copyOf(v.slot);
    return { buffer: a._storage.buffer, strides: v.layout.strides, offset: v.layout.offset + a._offset };
  }

  /** A new Array for a routine operand or a result. */
  array(r: ValueRef): Array {
    if ("literal" in r) return jaxprHooks.literal!(r.literal, r.aval) as Array;
    const { shape, dtype, weakType } = r.aval;
    const sto = this.stos[r.slot];
    if (sto) return new Array(sto, shape, r.layout.strides, r.layout.offset, dtype, weakType);
    let a = this.source(r.slot);
    if (a._isContiguous()) return a._view(shape, r.layout.strides, r.layout.offset + a._offset, dtype, weakType);
    const l = applySteps({ shape: a.shape, strides: a._strides, offset: a._offset }, r.steps);
    if (l) return a._view(shape, l.strides, l.offset, dtype, weakType);
    a = this.copyOf(r.slot);
    return a._view(shape, r.layout.strides, r.layout.offset + a._offset, dtype, weakType);
  }

  /** Storage for a kernel output of `nbytes`: a donated buffer whose use is over, else new. */
  alloc(nbytes: number, inPlace: Array[] | undefined): Storage {
    const s = takeDonated(inPlace, nbytes) ?? takeDonated(this.pool, nbytes) ?? new Storage(this.backend.alloc(nbytes));
    if (!s.refs) retain(s);
    return s;
  }

  releaseSlot(slot: number): void {
    const sto = this.stos[slot];
    if (sto) {
      this.stos[slot] = undefined;
      release(sto);
      return;
    }
    const a = this.arrs[slot];
    if (a && this.prog.slots[slot].source === "routine") {
      this.arrs[slot] = undefined;
      a.dispose();
    }
  }

  /** Frees everything the frame still owns (results have taken their references). */
  finish(): void {
    for (let i = 0; i < this.stos.length; i++) if (this.stos[i]) this.releaseSlot(i);
    for (let i = this.prog.nInputs; i < this.arrs.length; i++) if (this.arrs[i]) this.releaseSlot(i);
    if (this.copies) for (const c of this.copies.values()) c.dispose();
  }
}

/** The storage of a donated array of `nbytes` from `list`, if one is free to take. */
function takeDonated(list: Array[] | undefined, nbytes: number): Storage | undefined {
  if (!list) return undefined;
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (a._storage.buffer.nbytes === nbytes && a._storage.refs === 1 && !a.disposed) {
      list.splice(i, 1);
      const s = a._storage;
      retain(s);
      a.dispose(); // jit disposes donated arrays anyway; the storage stays with the program
      return s;
    }
  }
  return undefined;
}

/** Donated inputs that may give their buffer away: sole owners of row-major storage, read by one slot. */
function donatable(prog: Program, args: readonly Array[], donated: Set<Array>, backend: Backend): Map<number, Array> | undefined {
  let out: Map<number, Array> | undefined;
  const seen = new Set<Array>();
  const dup = new Set<Array>();
  for (const a of args) (seen.has(a) ? dup : seen).add(a);
  args.forEach((a, i) => {
    const slot = prog.nConsts + i;
    const s = prog.slots[slot];
    if (!donated.has(a) || dup.has(a) || !Number.isFinite(s.lastUse) || s.lastUse < 0) return;
    if (a._storage.refs !== 1 || a._offset !== 0 || !a._isContiguous() || a._backend !== backend) return;
    (out ??= new Map()).set(slot, a);
  });
  return out;
}

export function execute(prog: Program, consts: readonly Array[], args: readonly Array[], donated: Set<Array>, opts: ExecOptions): Array[] {
  const backend = consts.length ? consts[0]._backend : args.length ? args[0]._backend : getBackend(opts.device);
  const f = new Frame(prog, backend);
  for (let i = 0; i < consts.length; i++) f.arrs[i] = consts[i];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a._backend !== backend) {
      throw new Error(`jit: arguments live on different devices (${backend.name} and ${a.device}); move them with devicePut`);
    }
    f.arrs[prog.nConsts + i] = a;
  }
  if (donated.size) f.donatedSlots = donatable(prog, args, donated, backend);
  try {
    const steps = prog.steps;
    for (let t = 0; t < steps.length; t++) {
      const s = steps[t];
      if (s.type === "kernel") {
        const views: BufferView[] = new globalThis.Array(s.inputs.length);
        for (let i = 0; i < s.inputs.length; i++) views[i] = f.view(s.inputs[i]);
        let inPlace: Array[] | undefined;
        if (f.donatedSlots && opts.inPlace) {
          for (const slot of s.inPlace) {
            const a = f.donatedSlots.get(slot);
            if (a && prog.slots[slot].lastUse === t) (inPlace ??= []).push(a);
          }
        }
        const bufs = new globalThis.Array(s.outputs.length);
        for (let k = 0; k < s.outputs.length; k++) {
          const slot = s.outputs[k];
          const sto = f.alloc(prog.slots[slot].nbytes, inPlace);
          f.stos[slot] = sto;
          bufs[k] = sto.buffer;
        }
        if (s.runs) backend.runFused(s.kernel, s.shape, views, bufs);
      } else {
        const ins = new globalThis.Array<Array>(s.args.length);
        const temps: Array[] = [];
        for (let i = 0; i < s.args.length; i++) {
          const r = s.args[i];
          if ("slot" in r && !r.steps.length && prog.slots[r.slot].source !== "kernel" && !f.copies?.has(r.slot)) {
            const a = f.arrs[r.slot]!;
            if (a.weakType === r.aval.weakType) {
              ins[i] = a;
              continue;
            }
          }
          ins[i] = f.array(r);
          temps.push(ins[i]);
        }
        const outs = bind(s.prim, ins, s.params) as Array[];
        for (let k = 0; k < s.outputs.length; k++) {
          let o = outs[k];
          // A routine may hand back one of its operands: the slot must own its own array.
          if (ins.includes(o)) o = o._view(o.shape, o._strides, o._offset);
          f.arrs[s.outputs[k]] = o;
        }
        for (const x of temps) x.dispose();
      }
      for (const slot of prog.release[t]) f.releaseSlot(slot);
      if (f.donatedSlots) {
        for (const [slot, a] of f.donatedSlots) {
          if (prog.slots[slot].lastUse === t) {
            f.donatedSlots.delete(slot);
            if (!a.disposed) (f.pool ??= []).push(a);
          }
        }
      }
    }
    const results = new globalThis.Array<Array>(prog.outputs.length);
    for (let i = 0; i < results.length; i++) results[i] = f.array(prog.outputs[i]);
    return results;
  } finally {
    f.finish();
  }
}
