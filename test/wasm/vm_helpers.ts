// Helpers of the kernel VM suites: the runnable Wasm builds, typed uploads/downloads, running
// a kernel, scalar JS references for every dtype (float16 rounding, integer wraparound). The
// scaffolding shared with the other kernel suites (PRNG, dtypes) is in helpers.ts.
import type { WasmInstance } from "../../wasm/instance.js";
import { runFused } from "../../wasm/vm.js";
import type { DType, FusedKernel, ScalarNode } from "../../ts/runtime/kernel.js";
import { runnableBuilds, typedAt } from "./helpers.js";

/** The builds this runtime can run (relaxed SIMD needs Node 24+). */
export const builds: [string, WasmInstance][] = runnableBuilds();

export const BYTES: Record<DType, number> = {
  float32: 4, float64: 8, float16: 2, int32: 4, uint32: 4, int16: 2, uint16: 2, int8: 1, uint8: 1, bool: 1,
};
export const isFloat = (d: DType) => d === "float32" || d === "float64" || d === "float16";
export const isUnsigned = (d: DType) => d === "uint32" || d === "uint16" || d === "uint8";
export const bitsOf = (d: DType) => (d === "bool" ? 1 : BYTES[d] * 8);

// ---- float16 (reference: exact rounding of a float64 value, ties to even)

function rneInt(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export function f16round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let q: number;
  if (a < 2 ** -14) q = 2 ** -24;
  else {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e--;
    if (2 ** (e + 1) <= a) e++;
    q = 2 ** (e - 10);
  }
  let r = rneInt(a / q) * q;
  if (r >= 65520) r = Infinity;
  return x < 0 ? -r : r;
}

export function f16bits(x: number): number {
  const v = f16round(x);
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

export function f16value(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 1023;
  if (e === 31) return m ? NaN : s * Infinity;
  if (e === 0) return s * m * 2 ** -24;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

// ---- integers

export function wrap(v: number, d: DType): number {
  switch (d) {
    case "int32": return v | 0;
    case "uint32": return v >>> 0;
    case "int16": return (v << 16) >> 16;
    case "uint16": return v & 0xffff;
    case "int8": return (v << 24) >> 24;
    case "uint8": return v & 0xff;
    case "bool": return v ? 1 : 0;
    default: throw new Error(d);
  }
}

export function intRange(d: DType): [number, number] {
  switch (d) {
    case "int32": return [-(2 ** 31), 2 ** 31 - 1];
    case "uint32": return [0, 2 ** 32 - 1];
    case "int16": return [-32768, 32767];
    case "uint16": return [0, 65535];
    case "int8": return [-128, 127];
    case "uint8": return [0, 255];
    default: return [0, 1];
  }
}

/** Rounds a JS number into dtype d's value set (what a store then load gives). */
export function toDtype(v: number, d: DType): number {
  switch (d) {
    case "float64": return v;
    case "float32": return Math.fround(v);
    case "float16": return f16round(v);
    case "bool": return v ? 1 : 0;
    default: return wrap(Math.trunc(v), d);
  }
}

// ---- heap

export function upload(inst: WasmInstance, d: DType, values: ArrayLike<number>, extra = 0): number {
  const n = values.length + extra;
  const ptr = inst.heap.alloc(Math.max(1, n * BYTES[d]));
  const buf = inst.heap.views().bytes;
  const view = typedAt(buf, d, ptr, values.length);
  for (let i = 0; i < values.length; i++) view[i] = d === "float16" ? f16bits(values[i]) : values[i];
  return ptr;
}

export function download(inst: WasmInstance, d: DType, ptr: number, n: number): number[] {
  const v = Array.from(typedAt(inst.heap.views().bytes, d, ptr, n));
  return d === "float16" ? v.map(f16value) : v;
}

export interface In {
  dtype: DType;
  /** The buffer's elements. */
  data: ArrayLike<number>;
  strides: number[];
  offset?: number;
}

const SENTINEL = 0x5a;

/**
 * Runs kernel k over shape with the given inputs; returns each output's values (nOut
 * elements each). Also checks that nothing was written past the outputs.
 */
export function run(inst: WasmInstance, k: FusedKernel, shape: number[], ins: In[], nOut: number): number[][] {
  const ptrs = ins.map((x) => upload(inst, x.dtype, x.data));
  const outs = k.outputs.map((o) => {
    const bytes = Math.max(1, nOut * BYTES[o.dtype]) + 64;
    const p = inst.heap.alloc(bytes);
    inst.heap.views().u8.fill(SENTINEL, p, p + bytes);
    return p;
  });
  runFused(inst, k, shape, ins.map((x, i) => ({ ptr: ptrs[i], layout: { strides: x.strides, offset: x.offset ?? 0 } })), outs);
  const res = k.outputs.map((o, i) => download(inst, o.dtype, outs[i], nOut));
  const u8 = inst.heap.views().u8;
  k.outputs.forEach((o, i) => {
    const end = outs[i] + nOut * BYTES[o.dtype];
    for (let j = end; j < end + 64; j++) {
      if (u8[j] !== SENTINEL) throw new Error(`output ${i} written past its end (byte ${j - end})`);
    }
  });
  for (const p of ptrs) inst.heap.free(p);
  for (const p of outs) inst.heap.free(p);
  return res;
}

export function contiguous(shape: number[]): number[] {
  const s = new Array(shape.length).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export const inp = (input: number, dtype: DType): ScalarNode => ({ kind: "input", input, dtype });

/** Same values (NaN == NaN, -0 != +0 unless loose). */
export function same(a: number, b: number, signedZero = true): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === 0 && b === 0 && signedZero) return Object.is(a, b);
  return a === b;
}

export function close(got: number, ref: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(ref)) return Number.isNaN(got);
  if (!Number.isFinite(ref)) return got === ref;
  return Math.abs(got - ref) <= atol + rtol * Math.abs(ref);
}

// ---- special functions (float64 references for tests)

export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    // 2/sqrt(pi) * exp(-x^2) * sum 2^n x^(2n+1) / (2n+1)!!
    let term = a;
    let sum = a;
    for (let n = 1; n < 300 && term > sum * 1e-18; n++) {
      term *= (2 * a * a) / (2 * n + 1);
      sum += term;
    }
    r = (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
  } else r = 1 - erfcLarge(a);
  return x < 0 ? -r : r;
}

function erfcLarge(x: number): number {
  // continued fraction, evaluated backwards
  let f = x;
  for (let k = 200; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function erfc(x: number): number {
  if (x < 1) return 1 - erf(x);
  return erfcLarge(x);
}

export function erfinv(y: number): number {
  if (Number.isNaN(y) || y < -1 || y > 1) return NaN;
  if (y === 1) return Infinity;
  if (y === -1) return -Infinity;
  // bisection on erf
  let lo = -6;
  let hi = 6;
  for (let i = 0; i < 200; i++) {
    const m = (lo + hi) / 2;
    if (erf(m) < y) lo = m;
    else hi = m;
  }
  return (lo + hi) / 2;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

export function digamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (x < 0.5) return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let acc = 0;
  while (x < 20) {
    acc -= 1 / x;
    x += 1;
  }
  const r2 = 1 / (x * x);
  return acc + Math.log(x) - 0.5 / x - r2 * (1 / 12 - r2 * (1 / 120 - r2 * (1 / 252 - r2 * (1 / 240 - r2 / 132))));
}
