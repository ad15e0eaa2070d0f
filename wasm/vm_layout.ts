// Laying out one call of the kernel VM (wasm/assembly/vm.ts): the iteration space is
// collapsed (size-1 axes dropped, axes merged where every operand is contiguous across
// them); a reduction reorders it into kept and reduced axes and picks an "outer" (vector
// accumulators across kept elements) or "inner" (blocks along the reduced range) schedule.
// Everything per call goes into one preallocated descriptor area of the instance, next to
// the program compiled by wasm/vm_compile.ts.
import type { ViewLayout } from "../ts/runtime/kernel.js";
import type { WasmInstance } from "./instance.js";
import { RED_CODE, type Loader, type VmProgram } from "./vm_compile.js";

// ---------------------------------------------------------------------------------------
// constants mirrored from wasm/assembly/vm.ts

const BLOCK = 1024;
const REG_BYTES = 8256;
const HEADER_BYTES = 512;
const ACC_LANES = 16384;
/** Blocks do not cross rows at least this long (so views of rows map without copies). */
const ALIGN_MIN = 256;
const MAX_DIMS = 32;
// loader and output record flags (vm.ts F_*)
const F_FLAT = 1;
const F_INVARIANT = 2;
const F_DIRECT = 4;

// ---------------------------------------------------------------------------------------
// per-instance state

export interface VmState {
  /** Accumulator regions of the outer reduction schedule (2 x ACC_LANES x 8 bytes). */
  acc: number;
  desc: number;
  descBytes: number;
  scratch: number;
  scratchRegs: number;
  run: (desc: number) => void;
}

const states = new WeakMap<WasmInstance, VmState>();
let lastInst: WasmInstance | undefined;
let lastState: VmState | undefined;

function stateOf(inst: WasmInstance): VmState {
  if (inst === lastInst) return lastState!;
  let st = states.get(inst);
  if (!st) {
    const descBytes = 16384;
    st = {
      acc: 0,
      desc: inst.heap.alloc(descBytes),
      descBytes,
      scratch: 0,
      scratchRegs: 0,
      run: inst.exports.vmRun as (d: number) => void,
    };
    states.set(inst, st);
  }
  lastInst = inst;
  lastState = st;
  return st;
}

function ensureScratch(inst: WasmInstance, st: VmState, regs: number): void {
  if (regs <= st.scratchRegs) return;
  const n = Math.max(regs, 8, st.scratchRegs * 2);
  if (st.scratch) inst.heap.free(st.scratch);
  st.scratch = inst.heap.alloc(n * REG_BYTES);
  st.scratchRegs = n;
}

function ensureDesc(inst: WasmInstance, st: VmState, bytes: number): void {
  if (bytes <= st.descBytes) return;
  const n = Math.max(bytes, st.descBytes * 2);
  inst.heap.free(st.desc);
  st.desc = inst.heap.alloc(n);
  st.descBytes = n;
}

// ---------------------------------------------------------------------------------------
// collapsing, scheduling and the descriptor

// scratch for collapsing (reused across calls): dims and per-loader strides (64 per loader)
const SPACE = 64;
class Space {
  dims = new Int32Array(SPACE);
  str = new Int32Array(SPACE * 8);
  n = 0;
  reserve(nLoaders: number): void {
    if (this.str.length < nLoaders * SPACE) this.str = new Int32Array(nLoaders * SPACE * 2);
  }
}
const spaceA = new Space();
const spaceB = new Space();
const spaceE = new Space();
const IDENTITY_AXES = new Int32Array(256).map((_, i) => i);

/**
 * Collapses axes[0..nAxes) of `shape` for the loaders into sp: drops size-1 axes and merges
 * neighbours that are contiguous for every loader. A loader's stride for list position k is
 * its layout's strides[byPos ? k : axes[k]] (an iota: 1 on its axis, else 0).
 */
function collapse(
  sp: Space, shape: number[], axes: Int32Array, nAxes: number, loaders: Loader[], layouts: ViewLayout[], byPos: boolean,
): void {
  const nl = loaders.length;
  sp.reserve(nl);
  const dims = sp.dims;
  const str = sp.str;
  let nd = 0;
  for (let k = 0; k < nAxes; k++) {
    const ax = axes[k];
    const dim = shape[ax];
    if (dim === 1) continue;
    const si = byPos ? k : ax;
    let merge = nd > 0;
    if (merge) {
      for (let l = 0; l < nl; l++) {
        const ld = loaders[l];
        const s = ld.input >= 0 ? layouts[ld.input].strides[si] : ld.axis === si ? 1 : 0;
        if (str[l * SPACE + nd - 1] !== s * dim) {
          merge = false;
          break;
        }
      }
    }
    if (merge) {
      dims[nd - 1] *= dim;
    } else {
      if (nd >= MAX_DIMS) throw new Error(`edgejax: kernel VM: more than ${MAX_DIMS} non-mergeable axes`);
      dims[nd++] = dim;
    }
    for (let l = 0; l < nl; l++) {
      const ld = loaders[l];
      str[l * SPACE + nd - 1] = ld.input >= 0 ? layouts[ld.input].strides[si] : ld.axis === si ? 1 : 0;
    }
  }
  if (nd === 0) {
    dims[0] = 1;
    for (let l = 0; l < nl; l++) str[l * SPACE] = 0;
    nd = 1;
  }
  sp.n = nd;
}

function loaderFlags(l: Loader, sp: Space, li: number): number {
  let flat = true;
  let inv = true;
  let expect = 1;
  for (let i = sp.n - 1; i >= 0; i--) {
    const s = sp.str[li * SPACE + i];
    if (s !== 0) inv = false;
    if (s !== expect) flat = false;
    expect *= sp.dims[i];
  }
  let f = inv ? F_INVARIANT : flat ? F_FLAT : 0;
  const st = l.stype;
  if (st === 0 || st === 1 || st === 3 || st === 4) f |= F_DIRECT;
  return f;
}

// descriptor header (i32 word offsets; see wasm/assembly/vm.ts)
const H = {
  MODE: 0, TABLE: 1, NREGS: 2, SCRATCH: 3, CODE: 4, NCODE: 5, EPI: 6, NEPI: 7, PRO: 8, NPRO: 9,
  NIN: 10, INREC: 11, NEIN: 12, EINREC: 13, NOUT: 14, OUTREC: 15, WN: 16, WDIMS: 17, WTOTAL: 18,
  BN: 19, BDIMS: 20, BTOTAL: 21, EN: 22, EDIMS: 23, OTOTAL: 24, ROP: 25, RLANE: 26, ARG: 27,
  RED: 28, ACC: 29, ACC2: 30, ALIGN: 31,
} as const;
const INVALID_OFF = -0x80000000;

/** Test hooks: force the reduction schedule; count hoisted subexpressions. */
export const vmDebug = { schedule: "auto" as "auto" | "outer" | "inner", hoisted: 0 };

let keptAxes = new Int32Array(64);
let redAxes = new Int32Array(64);
let layoutScratch: ViewLayout[] = [];

/**
 * Writes the descriptor of running `prog` over the iteration space `shape` (`total`
 * elements) into inst's descriptor area (see runFused for inputs and outputs). Returns the
 * instance's VM state to run it with, or undefined when the call has nothing to do.
 */
export function writeDescriptor(
  inst: WasmInstance,
  prog: VmProgram,
  shape: number[],
  total: number,
  inputs: { ptr: number; layout: ViewLayout }[],
  outputs: number[],
): VmState | undefined {
  const D = shape.length;
  const loaders = prog.loaders;
  const nl = loaders.length;
  const nel = prog.epiLoaders.length;
  if (layoutScratch.length < inputs.length) layoutScratch = new Array(inputs.length);
  const layouts = layoutScratch;
  for (let i = 0; i < inputs.length; i++) layouts[i] = inputs[i].layout;

  let mode = 0;
  let walk = spaceA;
  let base: Space | undefined;
  let wtotal = total;
  let btotal = 1;
  let ototal = total;
  const red = prog.reduce;
  if (!red) {
    if (total === 0) return undefined;
    collapse(spaceA, shape, IDENTITY_AXES, D, loaders, layouts, false);
  } else {
    if (keptAxes.length < D) {
      keptAxes = new Int32Array(D * 2);
      redAxes = new Int32Array(D * 2);
    }
    let nk = 0;
    let nr = 0;
    ototal = 1;
    let rtotal = 1;
    for (let a = 0; a < D; a++) {
      if (red.axes.includes(a)) {
        redAxes[nr++] = a;
        rtotal *= shape[a];
      } else {
        keptAxes[nk++] = a;
        ototal *= shape[a];
      }
    }
    if (nr !== red.axes.length) {
      throw new RangeError(`edgejax: kernel VM: reduction axes [${red.axes}] out of range for shape [${shape}]`);
    }
    if (ototal === 0) return undefined;
    collapse(spaceA, shape, keptAxes, nk, loaders, layouts, false);
    collapse(spaceB, shape, redAxes, nr, loaders, layouts, false);
    // schedule: outer (blocks of kept elements) or inner (blocks along the reduced range)
    let contigK = true;
    let contigR = true;
    for (let l = 0; l < nl; l++) {
      if (loaders[l].input < 0) continue;
      if (Math.abs(spaceA.str[l * SPACE + spaceA.n - 1]) > 1) contigK = false;
      if (Math.abs(spaceB.str[l * SPACE + spaceB.n - 1]) > 1) contigR = false;
    }
    const stepsOuter = Math.ceil(ototal / BLOCK) * rtotal;
    const stepsInner = ototal * Math.max(1, Math.ceil(rtotal / BLOCK));
    const costOuter = stepsOuter * 64 + total * (contigK ? 1 : 4);
    // per output, the inner schedule also initializes and combines its lanes (all of a
    // block's lanes for arg reductions, 32 otherwise)
    const perOutput = red.op >= RED_CODE.argmax ? Math.min(BLOCK, rtotal) : 64;
    const costInner = stepsInner * 64 + total * (contigR ? 1 : 4) + ototal * perOutput;
    const sched = vmDebug.schedule;
    if (sched === "outer" || (sched === "auto" && costOuter <= costInner)) {
      mode = 1;
      walk = spaceA;
      base = spaceB;
      wtotal = ototal;
      btotal = rtotal;
    } else {
      mode = 2;
      walk = spaceB;
      base = spaceA;
      wtotal = rtotal;
      btotal = ototal;
    }
    collapse(spaceE, shape, keptAxes, nk, prog.epiLoaders, layouts, true);
  }

  // ---- the descriptor
  const st = stateOf(inst);
  if (prog.nRegs > st.scratchRegs) ensureScratch(inst, st, prog.nRegs);
  if (red && !st.acc) st.acc = inst.heap.alloc(ACC_LANES * 16);
  const wn = walk.n;
  const bn = base ? base.n : 0;
  const en = red ? spaceE.n : 0;
  const recW = 7 + wn + bn;
  const erecW = 7 + en;
  const nout = prog.outputs.length;
  const words =
    HEADER_BYTES / 4 + prog.nRegs + wn + bn + en + nl * recW + nel * erecW + nout * 4 +
    prog.pro.length + prog.main.length + prog.epi.length;
  if (words * 4 > st.descBytes) ensureDesc(inst, st, words * 4);
  const i32 = inst.heap.views().i32;
  const h = st.desc >> 2;
  let w = h + HEADER_BYTES / 4;
  i32[h + H.MODE] = mode;
  i32[h + H.TABLE] = w << 2;
  i32[h + H.NREGS] = prog.nRegs;
  i32[h + H.SCRATCH] = st.scratch;
  w += prog.nRegs;
  i32[h + H.WN] = wn;
  i32[h + H.WDIMS] = w << 2;
  for (let i = 0; i < wn; i++) i32[w++] = walk.dims[i];
  i32[h + H.WTOTAL] = wtotal;
  i32[h + H.BN] = bn;
  i32[h + H.BDIMS] = w << 2;
  for (let i = 0; i < bn; i++) i32[w++] = base!.dims[i];
  i32[h + H.BTOTAL] = btotal;
  i32[h + H.EN] = en;
  i32[h + H.EDIMS] = w << 2;
  for (let i = 0; i < en; i++) i32[w++] = spaceE.dims[i];
  i32[h + H.OTOTAL] = ototal;
  i32[h + H.NIN] = nl;
  i32[h + H.INREC] = w << 2;
  for (let l = 0; l < nl; l++) {
    const ld = loaders[l];
    const inp = ld.input >= 0;
    i32[w] = ld.stype;
    i32[w + 1] = inp ? inputs[ld.input].ptr : 0;
    i32[w + 2] = inp ? layouts[ld.input].offset : 0;
    i32[w + 3] = ld.reg;
    i32[w + 4] = loaderFlags(ld, walk, l);
    i32[w + 5] = INVALID_OFF;
    i32[w + 6] = 0;
    for (let i = 0; i < wn; i++) i32[w + 7 + i] = walk.str[l * SPACE + i];
    for (let i = 0; i < bn; i++) i32[w + 7 + wn + i] = base!.str[l * SPACE + i];
    w += recW;
  }
  i32[h + H.NEIN] = nel;
  i32[h + H.EINREC] = w << 2;
  for (let l = 0; l < nel; l++) {
    const ld = prog.epiLoaders[l];
    const inp = ld.input >= 0;
    i32[w] = ld.stype;
    i32[w + 1] = inp ? inputs[ld.input].ptr : 0;
    i32[w + 2] = inp ? layouts[ld.input].offset : 0;
    i32[w + 3] = ld.reg;
    i32[w + 4] = loaderFlags(ld, spaceE, l);
    i32[w + 5] = INVALID_OFF;
    i32[w + 6] = 0;
    for (let i = 0; i < en; i++) i32[w + 7 + i] = spaceE.str[l * SPACE + i];
    w += erecW;
  }
  i32[h + H.NOUT] = nout;
  i32[h + H.OUTREC] = w << 2;
  for (let k = 0; k < nout; k++) {
    const o = prog.outputs[k];
    // an output that is also an input (donated buffer) is written only after the block's
    // instructions have read everything
    let direct = o.direct;
    for (let i = 0; direct && i < inputs.length; i++) if (inputs[i].ptr === outputs[k]) direct = false;
    i32[w] = o.stype;
    i32[w + 1] = outputs[k];
    i32[w + 2] = o.reg;
    i32[w + 3] = direct ? F_DIRECT : 0;
    w += 4;
  }
  i32[h + H.PRO] = w << 2;
  i32[h + H.NPRO] = prog.pro.length / 5;
  i32.set(prog.pro, w);
  w += prog.pro.length;
  i32[h + H.CODE] = w << 2;
  i32[h + H.NCODE] = prog.main.length / 5;
  i32.set(prog.main, w);
  w += prog.main.length;
  i32[h + H.EPI] = w << 2;
  i32[h + H.NEPI] = prog.epi.length / 5;
  i32.set(prog.epi, w);
  i32[h + H.ALIGN] = wn > 1 && walk.dims[wn - 1] >= ALIGN_MIN ? walk.dims[wn - 1] : 0;
  if (red) {
    i32[h + H.ROP] = red.op;
    i32[h + H.RLANE] = red.lane;
    i32[h + H.ARG] = red.arg;
    i32[h + H.RED] = red.red;
    i32[h + H.ACC] = st.acc;
    i32[h + H.ACC2] = st.acc + ACC_LANES * 8;
  }
  return st;
}
