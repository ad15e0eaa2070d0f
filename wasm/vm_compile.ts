// Kernel -> VM program: compiles a FusedKernel once into a compact register program for the
// kernel VM (wasm/assembly/vm.ts); wasm/vm.ts caches it, wasm/vm_layout.ts lays out a call.
//
// Program: three instruction streams of five i32 words [op, d, a, b, c] (opcodes in OP,
// mirrored from wasm/assembly/vm_ops.ts): the prologue (constants, run once per call), the
// main stream (per block of the iteration space) and the epilogue (per block of outputs,
// after a reduction). Registers are 1024-lane block buffers; inputs, iotas, constants and
// outputs own theirs, temporaries share registers by liveness. Each "loader" fills an input
// register per block (or points it into the input buffer when the data is contiguous and
// already in the lane format); outputs likewise may point straight into the output buffer.
import {
  DTYPE_BYTES, type BinaryOp, type DType, type FusedKernel, type ScalarNode, type UnaryOp,
} from "../ts/runtime/kernel.js";
import { MathFn } from "./math_ids.js";

// ---------------------------------------------------------------------------------------
// constants mirrored from wasm/assembly/vm.ts and vm_ops.ts

/** Opcodes (wasm/assembly/vm_ops.ts). */
export const OP = {
  FILL32: 1, FILL64: 2, COPY32: 3, COPY64: 4,
  NEG_F32: 10, ABS_F32: 11, SIGN_F32: 12, FLOOR_F32: 13, CEIL_F32: 14, RNE_F32: 15, RAWAY_F32: 16,
  TRUNC_F32: 17, SQRT_F32: 18, RSQRT_F32: 19, RECIP_F32: 20, SQUARE_F32: 21, ISFINITE_F32: 22,
  ISNAN_F32: 23, ISINF_F32: 24, SIGNBIT_F32: 25, MATH1_F32: 26, ROUND_F16: 27, NE0_F32: 28,
  ADD_F32: 30, SUB_F32: 31, MUL_F32: 32, DIV_F32: 33, REM_F32: 34, MAX_F32: 35, MIN_F32: 36,
  NEXTAFTER_F32: 37, NEXTAFTER_F16: 38, COPYSIGN_F32: 39, EQ_F32: 40, NE_F32: 41, LT_F32: 42,
  LE_F32: 43, GT_F32: 44, GE_F32: 45, MATH2_F32: 46,
  NEG_F64: 50, ABS_F64: 51, SIGN_F64: 52, FLOOR_F64: 53, CEIL_F64: 54, RNE_F64: 55, RAWAY_F64: 56,
  TRUNC_F64: 57, SQRT_F64: 58, RSQRT_F64: 59, RECIP_F64: 60, SQUARE_F64: 61, ISFINITE_F64: 62,
  ISNAN_F64: 63, ISINF_F64: 64, SIGNBIT_F64: 65, MATH1_F64: 66, NE0_F64: 67,
  ADD_F64: 70, SUB_F64: 71, MUL_F64: 72, DIV_F64: 73, REM_F64: 74, MAX_F64: 75, MIN_F64: 76,
  NEXTAFTER_F64: 77, COPYSIGN_F64: 78, EQ_F64: 79, NE_F64: 80, LT_F64: 81, LE_F64: 82, GT_F64: 83,
  GE_F64: 84, MATH2_F64: 85,
  NEG_I32: 90, ABS_I32: 91, SIGN_I32: 92, SIGN_U32: 93, NOT_I32: 94, NOT_BOOL: 95, POPCNT: 96,
  CLZ: 97, SQUARE_I32: 98, WRAP_S8: 99, WRAP_U8: 100, WRAP_S16: 101, WRAP_U16: 102, NE0_I32: 103,
  SIGNBIT_I32: 104,
  ADD_I32: 110, SUB_I32: 111, MUL_I32: 112, DIV_S: 113, REM_S: 114, DIV_U: 115, REM_U: 116,
  MAX_S: 117, MIN_S: 118, MAX_U: 119, MIN_U: 120, AND: 121, OR: 122, XOR: 123, SHL: 124, SHRA: 125,
  SHRL: 126, EQ_I32: 127, NE_I32: 128, LT_S: 129, LE_S: 130, GT_S: 131, GE_S: 132, LT_U: 133,
  LE_U: 134, GT_U: 135, GE_U: 136, POW_S: 137, POW_U: 138,
  SEL32: 140, SEL64: 141,
  F32_TO_I32: 150, F32_TO_U32: 151, I32_TO_F32: 152, U32_TO_F32: 153, F32_TO_F64: 154,
  F64_TO_F32: 155, F64_TO_I32: 156, F64_TO_U32: 157, I32_TO_F64: 158, U32_TO_F64: 159,
  CLAMP_I32: 160, F64_TO_F16: 161, F16_BITS_S: 162, F16_BITS_U: 163, BITS_F16: 164,
} as const;

/** float64 function ids (wasm/assembly/vm_scalar.ts F_*), in order. */
const MATH_FNS = [
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh",
  "atanh", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "cbrt", "erf",
  "erfc", "erf_inv", "lgamma", "digamma", "logistic",
] as const;
/** float64 ids (wasm/assembly/vm_scalar.ts F_*). */
const MATH_ID: Record<string, number> = Object.fromEntries(MATH_FNS.map((f, i) => [f, i]));
/** float32 ids of the SIMD math library. */
const MATH_ID_F32: Record<string, number> = MathFn;

// storage types (vm.ts S_*)
const STYPE: Record<DType, number> = {
  float32: 0, float64: 1, float16: 2, int32: 3, uint32: 4, int16: 5, uint16: 6, int8: 7, uint8: 8, bool: 9,
};
const S_IOTA = 10;

// lanes
const L_F32 = 0;
const L_I32 = 1;
const L_U32 = 2;
const L_F64 = 3;
const LANE: Record<DType, number> = {
  float32: L_F32, float16: L_F32, float64: L_F64, int32: L_I32, int16: L_I32, int8: L_I32, bool: L_I32,
  uint32: L_U32, uint16: L_U32, uint8: L_U32,
};
const BITS: Record<DType, number> = {
  float32: 32, float64: 64, float16: 16, int32: 32, uint32: 32, int16: 16, uint16: 16, int8: 8, uint8: 8, bool: 1,
};
export const RED_CODE = { sum: 0, prod: 1, max: 2, min: 3, and: 4, or: 5, argmax: 6, argmin: 7 } as const;

const isFloat = (d: DType) => d === "float32" || d === "float64" || d === "float16";
const isUnsigned = (d: DType) => d === "uint32" || d === "uint16" || d === "uint8";
const isInt = (d: DType) => !isFloat(d) && d !== "bool";

/** The in-place instruction that brings a lane value back into its dtype (or -1). */
function wrapOp(d: DType): number {
  switch (d) {
    case "int8": return OP.WRAP_S8;
    case "uint8": return OP.WRAP_U8;
    case "int16": return OP.WRAP_S16;
    case "uint16": return OP.WRAP_U16;
    case "float16": return OP.ROUND_F16;
    default: return -1;
  }
}

// ---------------------------------------------------------------------------------------
// compiled program

export interface Loader {
  /** Kernel input index, or -1 for an iota. */
  input: number;
  /** Iota axis (iteration space for main loaders, output space for epilogue loaders). */
  axis: number;
  stype: number;
  reg: number;
}

interface OutputSlot {
  stype: number;
  reg: number;
  direct: boolean;
}

export interface VmProgram {
  pro: Int32Array;
  main: Int32Array;
  epi: Int32Array;
  nRegs: number;
  loaders: Loader[];
  epiLoaders: Loader[];
  outputs: OutputSlot[];
  reduce?: {
    op: number;
    lane: number;
    axes: number[];
    arg: number;
    red: number;
  };
  /** Output dtypes (for the bytes per element of the output buffers). */
  outBytes: number[];
  /** Per main node: its subtree has an expensive (transcendental) op; null when none has. */
  costly: Uint8Array | null;
}

class VmCompileError extends Error {}

function fail(msg: string): never {
  throw new VmCompileError(`edgejax: kernel VM: ${msg}`);
}

/** One instruction stream under construction, over virtual registers. */
class Stream {
  words: number[] = [];
  /** Per instruction: virtual registers read, virtual register written. */
  reads: number[][] = [];
  writes: number[] = [];
  emit(op: number, d: number, a: number, b: number, c: number, regs: number[]): void {
    this.words.push(op, d, a, b, c);
    this.reads.push(regs);
    this.writes.push(d);
  }
}

interface VReg {
  /** 8 for float64 lanes, else 4. */
  width: number;
  pinned: boolean;
  /** Produced by an instruction (may then point into an output buffer). */
  computed: boolean;
  phys: number;
}

class Compiler {
  vregs: VReg[] = [];
  pro = new Stream();
  consts = new Map<string, number>();
  loaders: Loader[] = [];
  epiLoaders: Loader[] = [];

  vreg(width: number, pinned: boolean, computed: boolean): number {
    this.vregs.push({ width, pinned, computed, phys: -1 });
    return this.vregs.length - 1;
  }

  constant(value: number, dtype: DType): number {
    const lane = LANE[dtype];
    let lo: number;
    let hi = 0;
    if (lane === L_F64) {
      const f = new Float64Array([value]);
      const w = new Int32Array(f.buffer);
      lo = w[0];
      hi = w[1];
    } else if (lane === L_F32) {
      lo = new Int32Array(new Float32Array([value]).buffer)[0];
    } else if (dtype === "bool") {
      lo = value ? 1 : 0;
    } else {
      lo = wrapInt(Math.trunc(value), dtype);
    }
    const key = `${lane === L_F64 ? 8 : 4}:${lo}:${hi}`;
    let r = this.consts.get(key);
    if (r === undefined) {
      r = this.vreg(lane === L_F64 ? 8 : 4, true, false);
      if (lane === L_F64) this.pro.emit(OP.FILL64, r, 0, lo, hi, []);
      else this.pro.emit(OP.FILL32, r, 0, 0, lo, []);
      this.consts.set(key, r);
    }
    return r;
  }

  loader(list: Loader[], input: number, axis: number, stype: number, width: number): number {
    for (const l of list) if (l.input === input && l.axis === axis && l.stype === stype) return l.reg;
    const reg = this.vreg(width, true, false);
    list.push({ input, axis, stype, reg });
    return reg;
  }

  /** Compiles a DAG into s; returns the virtual register of each node. */
  dag(
    s: Stream,
    nodes: ScalarNode[],
    kernel: FusedKernel,
    where: "main" | "epilogue",
    reduced: number,
  ): number[] {
    const val: number[] = [];
    const list = where === "main" ? this.loaders : this.epiLoaders;
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      const ctx = `${where} node ${i} (${n.kind}${"op" in n ? " " + n.op : ""}, ${n.dtype})`;
      if (!(n.dtype in LANE)) fail(`${ctx}: unknown dtype ${n.dtype}`);
      const arg = (j: number) => {
        if (!Number.isInteger(j) || j < 0 || j >= i) fail(`${ctx}: operand ${j} is not an earlier node`);
        return j;
      };
      switch (n.kind) {
        case "input": {
          const inp = kernel.inputs[n.input];
          if (!inp) fail(`${ctx}: no input ${n.input}`);
          if (!!inp.epilogue !== (where === "epilogue")) {
            fail(`${ctx}: input ${n.input} is ${inp.epilogue ? "an epilogue" : "a main"} input`);
          }
          if (inp.dtype !== n.dtype) fail(`${ctx}: input ${n.input} has dtype ${inp.dtype}`);
          val.push(this.loader(list, n.input, -1, STYPE[n.dtype], LANE[n.dtype] === L_F64 ? 8 : 4));
          break;
        }
        case "const":
          val.push(this.constant(n.value, n.dtype));
          break;
        case "iota": {
          if (n.dtype === "bool") fail(`${ctx}: iota of bool`);
          const r = this.loader(list, -1, n.axis, S_IOTA, 4);
          val.push(this.cast(s, r, "int32", n.dtype, ctx));
          break;
        }
        case "reduced":
          if (where !== "epilogue" || reduced < 0) fail(`${ctx}: "reduced" outside an epilogue`);
          val.push(reduced);
          break;
        case "unary": {
          const a = arg(n.arg);
          const ad = nodes[a].dtype;
          val.push(this.unary(s, n.op, val[a], ad, n.dtype, ctx));
          break;
        }
        case "binary": {
          const a = arg(n.args[0]);
          const b = arg(n.args[1]);
          const ad = nodes[a].dtype;
          if (nodes[b].dtype !== ad) fail(`${ctx}: operand dtypes differ (${ad}, ${nodes[b].dtype})`);
          val.push(this.binary(s, n.op, val[a], val[b], ad, n.dtype, ctx));
          break;
        }
        case "select": {
          const p = arg(n.args[0]);
          const t = arg(n.args[1]);
          const f = arg(n.args[2]);
          if (nodes[p].dtype !== "bool") fail(`${ctx}: predicate is ${nodes[p].dtype}, not bool`);
          if (nodes[t].dtype !== n.dtype || nodes[f].dtype !== n.dtype) fail(`${ctx}: branch dtypes differ`);
          const w = LANE[n.dtype] === L_F64 ? 8 : 4;
          const d = this.vreg(w, false, true);
          s.emit(w === 8 ? OP.SEL64 : OP.SEL32, d, val[p], val[t], val[f], [val[p], val[t], val[f]]);
          val.push(d);
          break;
        }
        case "cast": {
          const a = arg(n.arg);
          val.push(this.cast(s, val[a], nodes[a].dtype, n.dtype, ctx));
          break;
        }
        case "bitcast": {
          const a = arg(n.arg);
          val.push(this.bitcast(s, val[a], nodes[a].dtype, n.dtype, ctx));
          break;
        }
        default:
          fail(`${ctx}: unknown node kind`);
      }
    }
    return val;
  }

  /** d = op(a) as one instruction (+ wrap into dtype `wrapTo` when given). */
  op1(s: Stream, op: number, a: number, width: number, c = 0, wrapTo?: DType): number {
    const d = this.vreg(width, false, true);
    s.emit(op, d, a, 0, c, [a]);
    return wrapTo ? this.wrapInPlace(s, d, wrapTo) : d;
  }

  op2(s: Stream, op: number, a: number, b: number, width: number, c = 0, wrapTo?: DType): number {
    const d = this.vreg(width, false, true);
    s.emit(op, d, a, b, c, [a, b]);
    return wrapTo ? this.wrapInPlace(s, d, wrapTo) : d;
  }

  wrapInPlace(s: Stream, d: number, dtype: DType): number {
    const w = wrapOp(dtype);
    if (w >= 0) s.emit(w, d, d, 0, 0, [d]);
    return d;
  }

  unary(s: Stream, op: UnaryOp, a: number, ad: DType, rd: DType, ctx: string): number {
    const lane = LANE[ad];
    const bad = () => fail(`${ctx}: unary "${op}" is not defined for ${ad}`);
    const predicate = op === "is_finite" || op === "is_nan" || op === "is_inf" || op === "signbit";
    if (predicate ? rd !== "bool" : rd !== ad) fail(`${ctx}: result dtype ${rd} does not match ${ad}`);
    if (lane === L_F32 || lane === L_F64) {
      const f64 = lane === L_F64;
      const w = f64 ? 8 : 4;
      const round = ad === "float16" ? ad : undefined;
      const simple: Partial<Record<UnaryOp, [number, number, boolean]>> = {
        neg: [OP.NEG_F32, OP.NEG_F64, false],
        abs: [OP.ABS_F32, OP.ABS_F64, false],
        sign: [OP.SIGN_F32, OP.SIGN_F64, false],
        floor: [OP.FLOOR_F32, OP.FLOOR_F64, false],
        ceil: [OP.CEIL_F32, OP.CEIL_F64, false],
        round_even: [OP.RNE_F32, OP.RNE_F64, false],
        round_away: [OP.RAWAY_F32, OP.RAWAY_F64, false],
        trunc: [OP.TRUNC_F32, OP.TRUNC_F64, false],
        sqrt: [OP.SQRT_F32, OP.SQRT_F64, true],
        rsqrt: [OP.RSQRT_F32, OP.RSQRT_F64, true],
        reciprocal: [OP.RECIP_F32, OP.RECIP_F64, true],
        square: [OP.SQUARE_F32, OP.SQUARE_F64, true],
      };
      const sm = simple[op];
      if (sm) return this.op1(s, f64 ? sm[1] : sm[0], a, w, 0, sm[2] ? round : undefined);
      switch (op) {
        case "is_finite": return this.op1(s, f64 ? OP.ISFINITE_F64 : OP.ISFINITE_F32, a, 4);
        case "is_nan": return this.op1(s, f64 ? OP.ISNAN_F64 : OP.ISNAN_F32, a, 4);
        case "is_inf": return this.op1(s, f64 ? OP.ISINF_F64 : OP.ISINF_F32, a, 4);
        case "signbit": return this.op1(s, f64 ? OP.SIGNBIT_F64 : OP.SIGNBIT_F32, a, 4);
        case "not": case "popcount": case "clz": return bad();
      }
      const id = MATH_ID[op];
      if (id === undefined) return bad();
      return this.op1(s, f64 ? OP.MATH1_F64 : OP.MATH1_F32, a, w, f64 ? id : MATH_ID_F32[op], round);
    }
    // integers and bool
    const bool = ad === "bool";
    const uns = isUnsigned(ad);
    const bits = BITS[ad];
    const wrap = bool ? undefined : ad;
    switch (op) {
      case "neg": return bool ? bad() : this.op1(s, OP.NEG_I32, a, 4, 0, wrap);
      case "abs": return bool ? bad() : uns ? a : this.op1(s, OP.ABS_I32, a, 4, 0, wrap);
      case "sign": return bool ? bad() : this.op1(s, uns ? OP.SIGN_U32 : OP.SIGN_I32, a, 4);
      case "not": return bool ? this.op1(s, OP.NOT_BOOL, a, 4) : this.op1(s, OP.NOT_I32, a, 4, 0, wrap);
      case "popcount": return bool ? bad() : this.op1(s, OP.POPCNT, a, 4, bits === 32 ? -1 : (1 << bits) - 1);
      case "clz": return bool ? bad() : this.op1(s, OP.CLZ, a, 4, bits);
      case "square": return bool ? bad() : this.op1(s, OP.SQUARE_I32, a, 4, 0, wrap);
      case "signbit": return bool || uns ? bad() : this.op1(s, OP.SIGNBIT_I32, a, 4);
      default: return bad();
    }
  }

  binary(s: Stream, op: BinaryOp, a: number, b: number, ad: DType, rd: DType, ctx: string): number {
    const lane = LANE[ad];
    const bad = () => fail(`${ctx}: binary "${op}" is not defined for ${ad}`);
    const cmp = op === "eq" || op === "ne" || op === "lt" || op === "le" || op === "gt" || op === "ge";
    if (cmp ? rd !== "bool" : rd !== ad) fail(`${ctx}: result dtype ${rd} does not match ${ad}`);
    if (lane === L_F32 || lane === L_F64) {
      const f64 = lane === L_F64;
      const w = f64 ? 8 : 4;
      const round = ad === "float16" ? ad : undefined;
      const table: Partial<Record<BinaryOp, [number, number, boolean]>> = {
        add: [OP.ADD_F32, OP.ADD_F64, true],
        sub: [OP.SUB_F32, OP.SUB_F64, true],
        mul: [OP.MUL_F32, OP.MUL_F64, true],
        div: [OP.DIV_F32, OP.DIV_F64, true],
        rem: [OP.REM_F32, OP.REM_F64, true],
        max: [OP.MAX_F32, OP.MAX_F64, false],
        min: [OP.MIN_F32, OP.MIN_F64, false],
        copysign: [OP.COPYSIGN_F32, OP.COPYSIGN_F64, false],
        nextafter: [ad === "float16" ? OP.NEXTAFTER_F16 : OP.NEXTAFTER_F32, OP.NEXTAFTER_F64, false],
      };
      const t = table[op];
      if (t) return this.op2(s, f64 ? t[1] : t[0], a, b, w, 0, t[2] ? round : undefined);
      const cmps: Partial<Record<BinaryOp, [number, number]>> = {
        eq: [OP.EQ_F32, OP.EQ_F64], ne: [OP.NE_F32, OP.NE_F64], lt: [OP.LT_F32, OP.LT_F64],
        le: [OP.LE_F32, OP.LE_F64], gt: [OP.GT_F32, OP.GT_F64], ge: [OP.GE_F32, OP.GE_F64],
      };
      const c = cmps[op];
      if (c) return this.op2(s, f64 ? c[1] : c[0], a, b, 4);
      if (op === "pow" || op === "atan2") {
        return this.op2(s, f64 ? OP.MATH2_F64 : OP.MATH2_F32, a, b, w, f64 ? MATH_ID[op] : MATH_ID_F32[op], round);
      }
      return bad();
    }
    const bool = ad === "bool";
    const uns = isUnsigned(ad);
    const bits = BITS[ad];
    const wrap = bool ? undefined : ad;
    const sh = bits | (uns ? 256 : 0);
    switch (op) {
      case "add": return this.op2(s, bool ? OP.OR : OP.ADD_I32, a, b, 4, 0, wrap);
      case "sub": return bool ? bad() : this.op2(s, OP.SUB_I32, a, b, 4, 0, wrap);
      case "mul": return this.op2(s, bool ? OP.AND : OP.MUL_I32, a, b, 4, 0, wrap);
      case "div": return bool ? bad() : this.op2(s, uns ? OP.DIV_U : OP.DIV_S, a, b, 4, 0, wrap);
      case "rem": return bool ? bad() : this.op2(s, uns ? OP.REM_U : OP.REM_S, a, b, 4, 0, wrap);
      case "pow": return bool ? bad() : this.op2(s, uns ? OP.POW_U : OP.POW_S, a, b, 4, 0, wrap);
      case "max": return this.op2(s, uns ? OP.MAX_U : OP.MAX_S, a, b, 4);
      case "min": return this.op2(s, uns ? OP.MIN_U : OP.MIN_S, a, b, 4);
      case "and": return this.op2(s, OP.AND, a, b, 4);
      case "or": return this.op2(s, OP.OR, a, b, 4);
      case "xor": return this.op2(s, OP.XOR, a, b, 4);
      case "shl": return bool ? bad() : this.op2(s, OP.SHL, a, b, 4, sh, wrap);
      case "shr_arith": return bool ? bad() : this.op2(s, OP.SHRA, a, b, 4, sh, wrap);
      case "shr_logical": return bool ? bad() : this.op2(s, OP.SHRL, a, b, 4, sh, wrap);
      case "eq": return this.op2(s, OP.EQ_I32, a, b, 4);
      case "ne": return this.op2(s, OP.NE_I32, a, b, 4);
      case "lt": return this.op2(s, uns ? OP.LT_U : OP.LT_S, a, b, 4);
      case "le": return this.op2(s, uns ? OP.LE_U : OP.LE_S, a, b, 4);
      case "gt": return this.op2(s, uns ? OP.GT_U : OP.GT_S, a, b, 4);
      case "ge": return this.op2(s, uns ? OP.GE_U : OP.GE_S, a, b, 4);
      default: return bad();
    }
  }

  cast(s: Stream, a: number, from: DType, to: DType, ctx: string): number {
    if (!(to in LANE)) fail(`${ctx}: unknown dtype ${to}`);
    if (from === to) return a;
    const lf = LANE[from];
    const lt = LANE[to];
    if (to === "bool") {
      return this.op1(s, lf === L_F64 ? OP.NE0_F64 : lf === L_F32 ? OP.NE0_F32 : OP.NE0_I32, a, 4);
    }
    if (lf === L_F32 || lf === L_F64) {
      const f64 = lf === L_F64;
      if (to === "float64") return this.op1(s, OP.F32_TO_F64, a, 8);
      if (to === "float32") return f64 ? this.op1(s, OP.F64_TO_F32, a, 4) : a; // float16 -> float32 is exact
      if (to === "float16") return f64 ? this.op1(s, OP.F64_TO_F16, a, 4) : this.op1(s, OP.ROUND_F16, a, 4);
      // float -> int: truncate toward zero, saturate, NaN -> 0
      if (to === "uint32") return this.op1(s, f64 ? OP.F64_TO_U32 : OP.F32_TO_U32, a, 4);
      const t = this.op1(s, f64 ? OP.F64_TO_I32 : OP.F32_TO_I32, a, 4);
      if (to === "int32") return t;
      const lo = isUnsigned(to) ? 0 : -(2 ** (BITS[to] - 1));
      const hi = isUnsigned(to) ? 2 ** BITS[to] - 1 : 2 ** (BITS[to] - 1) - 1;
      const d = this.vreg(4, false, true);
      s.emit(OP.CLAMP_I32, d, t, lo, hi, [t]);
      return d;
    }
    // from an integer or bool
    if (lt === L_F64) return this.op1(s, lf === L_U32 ? OP.U32_TO_F64 : OP.I32_TO_F64, a, 8);
    if (lt === L_F32) {
      return this.op1(s, lf === L_U32 ? OP.U32_TO_F32 : OP.I32_TO_F32, a, 4, 0, to === "float16" ? to : undefined);
    }
    if (from === "bool" || BITS[to] === 32) return a;
    if (BITS[from] < BITS[to] && (isUnsigned(from) || !isUnsigned(to))) return a;
    return this.op1(s, OP.COPY32, a, 4, 0, to);
  }

  bitcast(s: Stream, a: number, from: DType, to: DType, ctx: string): number {
    if (from === to) return a;
    if (!(to in LANE) || BITS[from] !== BITS[to] || from === "bool" || to === "bool") {
      fail(`${ctx}: cannot bitcast ${from} to ${to}`);
    }
    if (from === "float16") return this.op1(s, to === "int16" ? OP.F16_BITS_S : OP.F16_BITS_U, a, 4);
    if (to === "float16") return this.op1(s, OP.BITS_F16, a, 4);
    if (BITS[to] === 32) return a; // float32 / int32 / uint32 share the lane bits
    return this.op1(s, OP.COPY32, a, 4, 0, to);
  }
}

function wrapInt(v: number, d: DType): number {
  switch (d) {
    case "int8": return (v << 24) >> 24;
    case "uint8": return v & 0xff;
    case "int16": return (v << 16) >> 16;
    case "uint16": return v & 0xffff;
    default: return v | 0;
  }
}

/** Assigns physical registers: pinned registers are exclusive, temporaries are reused. */
function allocate(c: Compiler, streams: Stream[], keep: Set<number>, base: number): number {
  let next = base;
  for (const s of streams) {
    const last = new Map<number, number>();
    for (let i = 0; i < s.reads.length; i++) for (const r of s.reads[i]) last.set(r, i);
    const free: number[] = [];
    for (let i = 0; i < s.reads.length; i++) {
      const d = s.writes[i];
      const vd = c.vregs[d];
      const dying: number[] = [];
      for (const r of new Set(s.reads[i])) {
        const v = c.vregs[r];
        if (v.pinned || keep.has(r) || last.get(r) !== i || r === d) continue;
        dying.push(r);
      }
      // an operand of the same lane width may be overwritten in place
      for (const r of dying) if (c.vregs[r].width === vd.width && c.vregs[r].phys >= 0) free.push(c.vregs[r].phys);
      if (vd.phys < 0) {
        if (vd.pinned || keep.has(d)) vd.phys = next++;
        else vd.phys = free.length ? free.pop()! : next++;
      }
      for (const r of dying) {
        const p = c.vregs[r].phys;
        if (c.vregs[r].width !== vd.width && p >= 0 && p !== vd.phys) free.push(p);
      }
      // a temporary written but never read frees at once
      if (!vd.pinned && !keep.has(d) && !last.has(d) && !free.includes(vd.phys)) free.push(vd.phys);
    }
  }
  return next;
}

function finish(c: Compiler, s: Stream): Int32Array {
  const w = s.words;
  const out = new Int32Array(w.length);
  for (let i = 0; i < w.length; i += 5) {
    const op = w[i];
    out[i] = op;
    out[i + 1] = c.vregs[w[i + 1]].phys;
    const regs = s.reads[i / 5];
    // operands a, b (and c for selects) are registers exactly when listed in reads
    out[i + 2] = regs.length > 0 ? c.vregs[w[i + 2]].phys : w[i + 2];
    out[i + 3] = regs.length > 1 ? c.vregs[w[i + 3]].phys : w[i + 3];
    out[i + 4] = regs.length > 2 ? c.vregs[w[i + 4]].phys : w[i + 4];
  }
  return out;
}

/** Compiles a kernel (checking it: a malformed kernel throws) into its VM program. */
export function compile(kernel: FusedKernel): VmProgram {
  const c = new Compiler();
  const main = new Stream();
  const epi = new Stream();
  const keep = new Set<number>();
  const outputs: OutputSlot[] = [];
  const red = kernel.reduce;
  const mainVals = c.dag(main, kernel.nodes, kernel, "main", -1);
  let reduce: VmProgram["reduce"];
  let outVals: number[];
  let outNodes: ScalarNode[];
  if (red) {
    const argNode = kernel.nodes[red.arg];
    if (!argNode) fail(`reduction argument ${red.arg} is not a node`);
    const ad = argNode.dtype;
    const isArg = red.op === "argmax" || red.op === "argmin";
    if (!(red.op in RED_CODE)) fail(`unknown reduction ${red.op}`);
    if (isArg && red.axes.length !== 1) fail(`${red.op} takes exactly one axis`);
    if (isArg && red.dtype !== "int32") fail(`${red.op} gives int32 indices, not ${red.dtype}`);
    let arg = mainVals[red.arg];
    let vd: DType = isArg ? ad : red.dtype;
    if (!isArg && ad !== red.dtype) arg = c.cast(main, arg, ad, red.dtype, "reduction argument");
    let op: number = RED_CODE[red.op];
    if (vd === "bool" && !isArg) {
      op = red.op === "sum" || red.op === "max" || red.op === "or" ? RED_CODE.or : RED_CODE.and;
    } else if ((red.op === "and" || red.op === "or") && isFloat(vd)) {
      fail(`reduction "${red.op}" is not defined for ${vd}`);
    }
    keep.add(arg);
    const resDtype: DType = isArg ? "int32" : red.dtype;
    const rv = c.vreg(LANE[resDtype] === L_F64 ? 8 : 4, true, false);
    // bring the reduced value back into its dtype once (float16 sums accumulate in f32, narrow
    // integer sums wrap at the end)
    if (!isArg && (resDtype === "int8" || resDtype === "int16") && (red.op === "max" || red.op === "min")) {
      // the identity of an empty max/min is the dtype's extreme, not the int32 one
      const lim = 2 ** (BITS[resDtype] - 1);
      epi.emit(OP.CLAMP_I32, rv, rv, -lim, lim - 1, [rv]);
    } else if (!isArg && (isInt(resDtype) || (resDtype === "float16" && (red.op === "sum" || red.op === "prod")))) {
      c.wrapInPlace(epi, rv, resDtype);
    }
    const epiNodes: ScalarNode[] = kernel.epilogue ?? [{ kind: "reduced", dtype: resDtype }];
    for (const n of epiNodes) {
      if (n.kind === "reduced" && n.dtype !== resDtype) fail(`"reduced" has dtype ${n.dtype}, the reduction gives ${resDtype}`);
    }
    outVals = c.dag(epi, epiNodes, kernel, "epilogue", rv);
    outNodes = epiNodes;
    reduce = { op, lane: LANE[vd], axes: red.axes.slice(), arg, red: rv };
  } else {
    if (kernel.epilogue && kernel.epilogue.length) fail("an epilogue without a reduction");
    outVals = mainVals;
    outNodes = kernel.nodes;
  }
  // outputs
  const outStream = red ? epi : main;
  const directTaken = new Set<number>();
  const outRegs: number[] = [];
  for (const o of kernel.outputs) {
    const node = outNodes[o.node];
    if (!node) fail(`output node ${o.node} does not exist`);
    let r = outVals[o.node];
    if (node.dtype !== o.dtype) r = c.cast(outStream, r, node.dtype, o.dtype, `output ${o.node}`);
    keep.add(r);
    outRegs.push(r);
  }
  // physical registers: main stream, then epilogue (separate ranges: the epilogue runs
  // between main blocks of an outer reduction and must not clobber main's registers)
  const proNext = allocate(c, [c.pro], keep, 0);
  // pinned registers not yet placed (loaders, reduce registers) get exclusive ones
  let next = proNext;
  const place = (r: number) => {
    if (c.vregs[r].phys < 0) c.vregs[r].phys = next++;
  };
  for (const l of c.loaders) place(l.reg);
  for (const l of c.epiLoaders) place(l.reg);
  if (reduce) place(reduce.red);
  next = allocate(c, [main], keep, next);
  next = allocate(c, [epi], keep, next);
  for (const r of keep) place(r);
  if (reduce) place(reduce.arg);
  for (let k = 0; k < kernel.outputs.length; k++) {
    const o = kernel.outputs[k];
    const r = outRegs[k];
    const v = c.vregs[r];
    const st = STYPE[o.dtype];
    const laneOk = o.dtype === "float32" || o.dtype === "float64" || o.dtype === "int32" || o.dtype === "uint32";
    const direct = laneOk && v.computed && !v.pinned && !directTaken.has(r);
    if (direct) directTaken.add(r);
    outputs.push({ stype: st, reg: v.phys, direct });
  }
  return {
    pro: finish(c, c.pro),
    main: finish(c, main),
    epi: finish(c, epi),
    nRegs: next,
    loaders: c.loaders.map((l) => ({ ...l, reg: c.vregs[l.reg].phys })),
    epiLoaders: c.epiLoaders.map((l) => ({ ...l, reg: c.vregs[l.reg].phys })),
    outputs,
    reduce: reduce && {
      ...reduce,
      arg: c.vregs[reduce.arg].phys,
      red: c.vregs[reduce.red].phys,
    },
    outBytes: kernel.outputs.map((o) => DTYPE_BYTES[o.dtype]),
    costly: costlyNodes(kernel.nodes),
  };
}

const CHEAP_UNARY = new Set<string>([
  "neg", "abs", "sign", "floor", "ceil", "round_even", "round_away", "trunc", "sqrt", "rsqrt", "reciprocal", "square",
  "not", "is_finite", "is_nan", "is_inf", "signbit", "popcount", "clz",
]);
const COSTLY_BINARY = new Set<string>(["pow", "atan2", "rem", "nextafter"]);

function costlyNodes(nodes: ScalarNode[]): Uint8Array | null {
  const c = new Uint8Array(nodes.length);
  let any = false;
  nodes.forEach((n, i) => {
    let v = 0;
    switch (n.kind) {
      case "unary": v = c[n.arg] | (CHEAP_UNARY.has(n.op) ? 0 : 1); break;
      case "binary": v = c[n.args[0]] | c[n.args[1]] | (COSTLY_BINARY.has(n.op) ? 1 : 0); break;
      case "select": v = c[n.args[0]] | c[n.args[1]] | c[n.args[2]]; break;
      case "cast": case "bitcast": v = c[n.arg]; break;
    }
    c[i] = v;
    if (v) any = true;
  });
  return any ? c : null;
}
