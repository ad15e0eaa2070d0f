// Accuracy and edge cases of the float32 SIMD math library (wasm/assembly/math.ts), on both
// Wasm builds where the runtime can run them (relaxed SIMD needs Node 24+).
//
// Errors are measured in ulp of the float32 result against float64 references: JavaScript's
// Math functions where they exist, SciPy/mpmath fixtures (test/wasm/gen_math_fixtures.py) for
// erf, erfc, erf_inv, lgamma and digamma. Inputs: float32 sampled with a stride in bit-pattern
// space over chosen ranges (so every binade is covered, down to subnormals) plus seeded random
// bit patterns over the whole range.
//
// EDGEJAX_MATH_REPORT=1 prints the measured maxima (docs/math-accuracy.md);
// EDGEJAX_MATH_DENSE=1 samples 8x denser (slow, for the documentation runs);
// EDGEJAX_MATH_EXHAUSTIVE=sin,cos@0:12800,... checks every float32 (optionally with
// lo <= |x| <= hi) for the listed JavaScript-referenced functions (minutes per function).
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { MathFn, MATH_BINARY, MATH_UNARY, isBinaryMathFn, type MathFnName } from "../../wasm/math_ids.js";
import { rng } from "./helpers.js";

const REPORT = process.env.EDGEJAX_MATH_REPORT === "1";
const DENSE = process.env.EDGEJAX_MATH_DENSE === "1" ? 8 : 1;
const EXHAUSTIVE = (process.env.EDGEJAX_MATH_EXHAUSTIVE ?? "").split(",").filter(Boolean);

// ---------------------------------------------------------------------------------------
// Module access

const imports = {
  env: {
    abort(): never {
      throw new Error("abort");
    },
    seed: () => 0,
  },
};

interface Kernels {
  unary(fn: number, x: Float32Array): Float32Array;
  binary(fn: number, a: Float32Array, b: Float32Array): Float32Array;
  exports: Record<string, unknown>;
  memory: WebAssembly.Memory;
  base: number;
  ensure(bytes: number): void;
}

const CHUNK = 1 << 20;

function load(file: string): Kernels | undefined {
  const bytes = readFileSync(new URL(`../../wasm/build/${file}`, import.meta.url));
  if (!WebAssembly.validate(bytes)) return undefined;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  const ex = inst.exports as Record<string, any>;
  if (typeof ex._initialize === "function") ex._initialize();
  const memory = ex.memory as WebAssembly.Memory;
  const base = (Number(ex.heapBase()) + 63) & ~63;
  const ensure = (bytes: number): void => {
    const need = base + bytes;
    if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  };
  ensure(3 * CHUNK * 4 + 256);
  const A = base;
  const B = base + CHUNK * 4 + 64;
  const C = base + 2 * CHUNK * 4 + 128;
  return {
    exports: ex,
    memory,
    base,
    ensure,
    unary(fn, x) {
      const out = new Float32Array(x.length);
      for (let s = 0; s < x.length; s += CHUNK) {
        const n = Math.min(CHUNK, x.length - s);
        new Float32Array(memory.buffer, A, n).set(x.subarray(s, s + n));
        ex.mathUnaryF32(fn, A, C, n);
        out.set(new Float32Array(memory.buffer, C, n), s);
      }
      return out;
    },
    binary(fn, a, b) {
      const out = new Float32Array(a.length);
      for (let s = 0; s < a.length; s += CHUNK) {
        const n = Math.min(CHUNK, a.length - s);
        new Float32Array(memory.buffer, A, n).set(a.subarray(s, s + n));
        new Float32Array(memory.buffer, B, n).set(b.subarray(s, s + n));
        ex.mathBinaryF32(fn, A, B, C, n);
        out.set(new Float32Array(memory.buffer, C, n), s);
      }
      return out;
    },
  };
}

const builds: [string, Kernels | undefined][] = [
  ["simd", load("kernels.wasm")],
  ["relaxed", load("kernels-relaxed.wasm")],
];

// ---------------------------------------------------------------------------------------
// Error measurement

const FMAX = 3.4028234663852886e38;
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number): number => ((f32[0] = x), u32[0]);
const fromBits = (b: number): number => ((u32[0] = b >>> 0), f32[0]);
const dv = new DataView(new ArrayBuffer(8));

/** ulp of the float32 grid at |v| (2^-149 below the normal range). */
function ulpOf(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  if (a >= 2 ** 128) return 2 ** 104;
  dv.setFloat64(0, a);
  return 2 ** (((dv.getUint32(0) >>> 20) & 0x7ff) - 1023 - 23);
}

/** Error of float32 `got` against the exact value `ref` in ulp; Infinity for a wrong
 *  NaN/inf/overflow (a result is expected to be inf exactly when ref rounds to inf). */
function ulpErr(got: number, ref: number): number {
  if (Number.isNaN(ref)) return Number.isNaN(got) ? 0 : Infinity;
  if (Number.isNaN(got)) return Infinity;
  if (got === ref) return 0;
  if (!Number.isFinite(got) || !Number.isFinite(ref)) return got === Math.fround(ref) ? 0 : Infinity;
  return Math.abs(got - ref) / ulpOf(ref);
}

interface Stat {
  max: number;
  at: number;
  at2?: number;
  n: number;
  absMax?: number;
}

function measure(got: Float32Array, xs: Float32Array, ref: (i: number) => number, ys?: Float32Array): Stat {
  let max = 0;
  let at = NaN;
  let at2: number | undefined;
  for (let i = 0; i < got.length; i++) {
    const e = ulpErr(got[i], ref(i));
    if (!(e <= max)) {
      max = e;
      at = xs[i];
      at2 = ys?.[i];
      if (Number.isNaN(e)) max = Infinity;
    }
  }
  return { max, at, at2, n: got.length };
}

const report: string[] = [];
function record(build: string, name: string, s: Stat, extra = ""): void {
  if (!REPORT) return;
  const where = s.at2 === undefined ? `x=${s.at}` : `(${s.at}, ${s.at2})`;
  report.push(`${build.padEnd(8)} ${name.padEnd(22)} n=${String(s.n).padStart(8)}  max ${s.max.toFixed(3)} ulp at ${where}${extra}`);
}
afterAll(() => {
  if (REPORT && report.length) console.log(report.join("\n"));
});

// ---------------------------------------------------------------------------------------
// Inputs

/** About n float32 between lo and hi (same sign), evenly spaced in bit-pattern space. Must
 *  stay identical to `strided` in gen_math_fixtures.py. */
function strided(lo: number, hi: number, n: number): Float32Array {
  const b0 = bitsOf(lo);
  const b1 = bitsOf(hi);
  const s = Math.min(b0, b1);
  const e = Math.max(b0, b1);
  const stride = Math.max(1, Math.floor((e - s) / n));
  const cnt = Math.floor((e - s) / stride) + 1;
  const out = new Float32Array(cnt);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < cnt; i++) u[i] = s + i * stride;
  return out;
}
const sym = (lo: number, hi: number, n: number): Float32Array[] => [strided(lo, hi, n), strided(-lo, -hi, n)];

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}


/** n random finite float32 (uniform bit patterns: log-uniform magnitudes, both signs). */
function randomFinite(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  const u = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    let b: number;
    do b = Math.floor(r() * 4294967296) >>> 0;
    while (((b >>> 23) & 0xff) === 0xff);
    u[i] = b;
  }
  return out;
}
function randomUniform(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

const N = 200_000 * DENSE; // points per sampled range
const ALL = (): Float32Array[] => [...sym(1e-45, FMAX, N), randomFinite(N, 7)];

// ---------------------------------------------------------------------------------------
// Unary functions with float64 references in JavaScript

type UnaryName = Exclude<MathFnName, "atan2" | "pow" | "erf" | "erfc" | "erf_inv" | "lgamma" | "digamma">;

interface UnarySpec {
  ref: (x: number) => number;
  inputs: () => Float32Array[];
  /** max ulp asserted (measured maximum plus a small margin) */
  bound: number;
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

const UNARY: Record<UnaryName, UnarySpec> = {
  sin: { ref: Math.sin, bound: 0.95, inputs: () => [...ALL(), ...sym(1e-45, 12800, 3 * N), strided(0, 8, N), ...sym(12800, 1e7, N)] },
  cos: { ref: Math.cos, bound: 0.95, inputs: () => [...ALL(), ...sym(1e-45, 12800, 3 * N), strided(0, 8, N), ...sym(12800, 1e7, N)] },
  tan: { ref: Math.tan, bound: 1.6, inputs: () => [...ALL(), ...sym(1e-45, 12800, 3 * N), strided(0, 8, N), ...sym(12800, 1e7, N)] },
  asin: { ref: Math.asin, bound: 0.7, inputs: () => [...sym(1e-45, 1, 2 * N), ...sym(0.45, 1, N), ...sym(1.0000001, FMAX, N / 10)] },
  acos: { ref: Math.acos, bound: 0.8, inputs: () => [...sym(1e-45, 1, 2 * N), ...sym(0.45, 1, N), ...sym(1.0000001, FMAX, N / 10)] },
  atan: { ref: Math.atan, bound: 1.6, inputs: () => [...ALL(), ...sym(0.01, 100, N)] },
  sinh: { ref: Math.sinh, bound: 0.9, inputs: () => [...ALL(), ...sym(0.5, 95, N)] },
  cosh: { ref: Math.cosh, bound: 0.9, inputs: () => [...ALL(), ...sym(1e-3, 95, N)] },
  tanh: { ref: Math.tanh, bound: 0.85, inputs: () => [...ALL(), ...sym(0.1, 10, N)] },
  asinh: { ref: Math.asinh, bound: 1.15, inputs: () => [...ALL(), ...sym(1e-3, 1e5, N)] },
  acosh: { ref: Math.acosh, bound: 1.9, inputs: () => [...ALL(), strided(1, 2, N), strided(1, 1e5, N)] },
  atanh: { ref: Math.atanh, bound: 1.25, inputs: () => [...sym(1e-45, 1, 2 * N), ...sym(0.3, 1, N), ...sym(1.0000001, FMAX, N / 10)] },
  exp: { ref: Math.exp, bound: 0.8, inputs: () => [...ALL(), ...sym(1e-3, 110, N)] },
  exp2: { ref: (x) => 2 ** x, bound: 0.85, inputs: () => [...ALL(), ...sym(1e-3, 160, N)] },
  expm1: { ref: Math.expm1, bound: 1.1, inputs: () => [...ALL(), ...sym(1e-3, 110, N)] },
  log: { ref: Math.log, bound: 0.9, inputs: () => [...ALL(), strided(0.5, 2, N)] },
  log2: { ref: Math.log2, bound: 1.2, inputs: () => [...ALL(), strided(0.5, 2, N)] },
  log10: { ref: Math.log10, bound: 1.05, inputs: () => [...ALL(), strided(0.5, 2, N)] },
  log1p: { ref: Math.log1p, bound: 0.95, inputs: () => [...ALL(), strided(-1e-10, -1, N), strided(1e-10, 10, N)] },
  sqrt: { ref: Math.sqrt, bound: 0.5, inputs: () => ALL() },
  cbrt: { ref: Math.cbrt, bound: 0.75, inputs: () => [...ALL(), strided(1, 8, N)] },
  logistic: { ref: logistic, bound: 1.2, inputs: () => [...ALL(), ...sym(1e-3, 110, N)] },
};

// ---------------------------------------------------------------------------------------
// Fixture-backed functions

interface Fixture {
  xs: Float32Array;
  ref: Float64Array;
  segs: [number, number, number][];
}

function readFixture(name: string): Fixture {
  const buf = readFileSync(new URL(`./math_fixtures/${name}.bin`, import.meta.url));
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.toString("latin1", 0, 4) !== "EJM1") throw new Error(`bad fixture ${name}`);
  const nseg = v.getUint32(4, true);
  const segs: [number, number, number][] = [];
  let n = 0;
  for (let i = 0; i < nseg; i++) {
    const s: [number, number, number] = [v.getUint32(8 + 12 * i, true), v.getUint32(12 + 12 * i, true), v.getUint32(16 + 12 * i, true)];
    segs.push(s);
    n += s[1];
  }
  const xs = new Float32Array(n);
  const xu = new Uint32Array(xs.buffer);
  let k = 0;
  for (const [s, c, st] of segs) for (let j = 0; j < c; j++) xu[k++] = (s + j * st) >>> 0;
  const off = 8 + 12 * nseg;
  const ref = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = v.getFloat32(off + 4 * i, true);
    const r = v.getInt16(off + 4 * n + 2 * i, true);
    ref[i] = Number.isFinite(hi) ? hi + (r / 32768) * ulpOf(hi) : hi;
  }
  return { xs, ref, segs };
}

// Windows of consecutive float32 around the negative zeros of lgamma and digamma, where the
// float64 reflection formula leaves ~1e-16 absolute but not relative accuracy.
const FIXTURES: Record<"erf" | "erfc" | "erf_inv" | "lgamma" | "digamma", { bound: number; zeroBound?: number; zeroAbs?: number }> = {
  erf: { bound: 0.95 },
  erfc: { bound: 0.51 },
  erf_inv: { bound: 0.51 },
  lgamma: { bound: 0.51, zeroBound: 0.51, zeroAbs: 1e-15 },
  digamma: { bound: 0.51, zeroBound: 0.51, zeroAbs: 1e-15 },
};

// ---------------------------------------------------------------------------------------
// Edge cases (C99 / NumPy conventions). `exact` values are compared bit for bit (so the
// sign of zero counts); `ulp` entries against a float64 value within the function's bound.

const PI2 = Math.fround(Math.PI / 2);
const PI = Math.fround(Math.PI);
const MINSUB = 2 ** -149;
const EDGE: [MathFnName, number, number][] = [
  ["sin", 0, 0], ["sin", -0, -0], ["sin", Infinity, NaN], ["sin", -Infinity, NaN], ["sin", NaN, NaN], ["sin", MINSUB, MINSUB], ["sin", -1e-40, Math.fround(-1e-40)],
  ["cos", 0, 1], ["cos", -0, 1], ["cos", Infinity, NaN], ["cos", -Infinity, NaN], ["cos", NaN, NaN], ["cos", MINSUB, 1],
  ["tan", 0, 0], ["tan", -0, -0], ["tan", Infinity, NaN], ["tan", NaN, NaN], ["tan", -1e-40, Math.fround(-1e-40)],
  ["asin", 0, 0], ["asin", -0, -0], ["asin", 1, PI2], ["asin", -1, -PI2], ["asin", 1.0000001, NaN], ["asin", Infinity, NaN], ["asin", NaN, NaN], ["asin", MINSUB, MINSUB],
  ["acos", 1, 0], ["acos", -1, PI], ["acos", 0, PI2], ["acos", -0, PI2], ["acos", -1.0000001, NaN], ["acos", -Infinity, NaN], ["acos", NaN, NaN],
  ["atan", 0, 0], ["atan", -0, -0], ["atan", Infinity, PI2], ["atan", -Infinity, -PI2], ["atan", NaN, NaN], ["atan", FMAX, PI2], ["atan", -MINSUB, -MINSUB],
  ["sinh", 0, 0], ["sinh", -0, -0], ["sinh", Infinity, Infinity], ["sinh", -Infinity, -Infinity], ["sinh", 89.5, Infinity], ["sinh", -89.5, -Infinity], ["sinh", NaN, NaN], ["sinh", MINSUB, MINSUB],
  ["cosh", 0, 1], ["cosh", -0, 1], ["cosh", Infinity, Infinity], ["cosh", -Infinity, Infinity], ["cosh", 90, Infinity], ["cosh", NaN, NaN],
  ["tanh", 0, 0], ["tanh", -0, -0], ["tanh", Infinity, 1], ["tanh", -Infinity, -1], ["tanh", 20, 1], ["tanh", NaN, NaN], ["tanh", -MINSUB, -MINSUB],
  ["asinh", 0, 0], ["asinh", -0, -0], ["asinh", Infinity, Infinity], ["asinh", -Infinity, -Infinity], ["asinh", NaN, NaN], ["asinh", MINSUB, MINSUB],
  ["acosh", 1, 0], ["acosh", 0.5, NaN], ["acosh", 0, NaN], ["acosh", -Infinity, NaN], ["acosh", Infinity, Infinity], ["acosh", NaN, NaN],
  ["atanh", 0, 0], ["atanh", -0, -0], ["atanh", 1, Infinity], ["atanh", -1, -Infinity], ["atanh", 1.5, NaN], ["atanh", Infinity, NaN], ["atanh", NaN, NaN], ["atanh", MINSUB, MINSUB],
  ["exp", 0, 1], ["exp", -0, 1], ["exp", Infinity, Infinity], ["exp", -Infinity, 0], ["exp", 88.73, Infinity], ["exp", -104, 0], ["exp", NaN, NaN], ["exp", MINSUB, 1],
  ["exp2", 0, 1], ["exp2", 128, Infinity], ["exp2", -149, MINSUB], ["exp2", -150, 0], ["exp2", -126, 2 ** -126], ["exp2", 127, 2 ** 127], ["exp2", 10, 1024], ["exp2", -Infinity, 0], ["exp2", Infinity, Infinity], ["exp2", NaN, NaN],
  ["expm1", 0, 0], ["expm1", -0, -0], ["expm1", Infinity, Infinity], ["expm1", -Infinity, -1], ["expm1", -20, -1], ["expm1", 89, Infinity], ["expm1", NaN, NaN], ["expm1", MINSUB, MINSUB], ["expm1", -MINSUB, -MINSUB],
  ["log", 1, 0], ["log", 0, -Infinity], ["log", -0, -Infinity], ["log", -1, NaN], ["log", -MINSUB, NaN], ["log", Infinity, Infinity], ["log", -Infinity, NaN], ["log", NaN, NaN],
  ["log2", 1, 0], ["log2", 0, -Infinity], ["log2", -0, -Infinity], ["log2", 8, 3], ["log2", 0.25, -2], ["log2", MINSUB, -149], ["log2", 2 ** -130, -130], ["log2", 2 ** 127, 127], ["log2", -2, NaN], ["log2", Infinity, Infinity], ["log2", NaN, NaN],
  ["log10", 1, 0], ["log10", 0, -Infinity], ["log10", -0, -Infinity], ["log10", 10, 1], ["log10", 1000, 3], ["log10", -10, NaN], ["log10", Infinity, Infinity], ["log10", NaN, NaN],
  ["log1p", 0, 0], ["log1p", -0, -0], ["log1p", -1, -Infinity], ["log1p", -2, NaN], ["log1p", Infinity, Infinity], ["log1p", -Infinity, NaN], ["log1p", NaN, NaN], ["log1p", MINSUB, MINSUB], ["log1p", -MINSUB, -MINSUB],
  ["sqrt", 0, 0], ["sqrt", -0, -0], ["sqrt", 4, 2], ["sqrt", -1, NaN], ["sqrt", Infinity, Infinity], ["sqrt", NaN, NaN],
  ["cbrt", 0, 0], ["cbrt", -0, -0], ["cbrt", 27, 3], ["cbrt", -8, -2], ["cbrt", 2 ** -147, 2 ** -49], ["cbrt", Infinity, Infinity], ["cbrt", -Infinity, -Infinity], ["cbrt", NaN, NaN],
  ["erf", 0, 0], ["erf", -0, -0], ["erf", Infinity, 1], ["erf", -Infinity, -1], ["erf", 5, 1], ["erf", NaN, NaN],
  ["erfc", 0, 1], ["erfc", -0, 1], ["erfc", Infinity, 0], ["erfc", -Infinity, 2], ["erfc", 11, 0], ["erfc", -5, 2], ["erfc", NaN, NaN],
  ["erf_inv", 0, 0], ["erf_inv", -0, -0], ["erf_inv", 1, Infinity], ["erf_inv", -1, -Infinity], ["erf_inv", 1.0000001, NaN], ["erf_inv", -Infinity, NaN], ["erf_inv", NaN, NaN],
  ["lgamma", 1, 0], ["lgamma", 2, 0], ["lgamma", 0, Infinity], ["lgamma", -0, Infinity], ["lgamma", -1, Infinity], ["lgamma", -2, Infinity], ["lgamma", -8388608, Infinity],
  ["lgamma", Infinity, Infinity], ["lgamma", -Infinity, Infinity], ["lgamma", NaN, NaN], ["lgamma", FMAX, Infinity], ["lgamma", MINSUB, Math.fround(-Math.log(MINSUB))],
  ["digamma", 0, -Infinity], ["digamma", -0, Infinity], ["digamma", -1, NaN], ["digamma", -2, NaN], ["digamma", Infinity, Infinity], ["digamma", -Infinity, NaN], ["digamma", NaN, NaN], ["digamma", 1, Math.fround(-0.5772156649015329)],
  ["logistic", 0, 0.5], ["logistic", -0, 0.5], ["logistic", Infinity, 1], ["logistic", -Infinity, 0], ["logistic", 100, 1], ["logistic", -110, 0], ["logistic", NaN, NaN], ["logistic", -100, Math.fround(logistic(-100))],
];

// atan2(y, x) and pow(x, y) special values (C99 Annex F / NumPy).
const EDGE2: [MathFnName, number, number, number][] = [
  ["atan2", 0, 0, 0], ["atan2", -0, 0, -0], ["atan2", 0, -0, PI], ["atan2", -0, -0, -PI], ["atan2", 0, -1, PI], ["atan2", -0, -1, -PI], ["atan2", 0, 1, 0], ["atan2", -0, 1, -0],
  ["atan2", 1, 0, PI2], ["atan2", 1, -0, PI2], ["atan2", -1, 0, -PI2], ["atan2", -1, -0, -PI2],
  ["atan2", 1, -Infinity, PI], ["atan2", -1, -Infinity, -PI], ["atan2", 1, Infinity, 0], ["atan2", -1, Infinity, -0],
  ["atan2", Infinity, 5, PI2], ["atan2", -Infinity, -5, -PI2], ["atan2", Infinity, -Infinity, Math.fround((3 * Math.PI) / 4)], ["atan2", -Infinity, -Infinity, Math.fround((-3 * Math.PI) / 4)],
  ["atan2", Infinity, Infinity, Math.fround(Math.PI / 4)], ["atan2", -Infinity, Infinity, Math.fround(-Math.PI / 4)], ["atan2", NaN, 1, NaN], ["atan2", 1, NaN, NaN],
  ["atan2", 3, 3, Math.fround(Math.PI / 4)], ["atan2", -2, -2, Math.fround((-3 * Math.PI) / 4)], ["atan2", FMAX, MINSUB, PI2], ["atan2", MINSUB, FMAX, 0],
  ["pow", 2, 0, 1], ["pow", NaN, 0, 1], ["pow", NaN, -0, 1], ["pow", 1, NaN, 1], ["pow", 1, Infinity, 1], ["pow", 1, -Infinity, 1], ["pow", -1, Infinity, 1], ["pow", -1, -Infinity, 1],
  ["pow", 0, -3, Infinity], ["pow", -0, -3, -Infinity], ["pow", 0, -2, Infinity], ["pow", -0, -2, Infinity], ["pow", -0, -0.5, Infinity], ["pow", 0, -Infinity, Infinity], ["pow", -0, -Infinity, Infinity],
  ["pow", 0, 3, 0], ["pow", -0, 3, -0], ["pow", -0, 2, 0], ["pow", -0, 0.5, 0], ["pow", 0, Infinity, 0],
  ["pow", 0.5, Infinity, 0], ["pow", 0.5, -Infinity, Infinity], ["pow", 2, Infinity, Infinity], ["pow", 2, -Infinity, 0], ["pow", -0.5, Infinity, 0], ["pow", -2, -Infinity, 0],
  ["pow", Infinity, -1, 0], ["pow", Infinity, 0.5, Infinity], ["pow", -Infinity, -3, -0], ["pow", -Infinity, -2, 0], ["pow", -Infinity, 3, -Infinity], ["pow", -Infinity, 2, Infinity], ["pow", -Infinity, 0.5, Infinity],
  ["pow", -2, 3, -8], ["pow", -2, 2, 4], ["pow", -2, -1, -0.5], ["pow", -2, 0.5, NaN], ["pow", -8, 1 / 3, NaN], ["pow", -1, 2 ** 24, 1], ["pow", -1, 2 ** 24 + 2, 1], ["pow", -1, 16777215, -1],
  ["pow", 2, 0.5, Math.fround(Math.SQRT2)], ["pow", 2, 128, Infinity], ["pow", 2, -150, 0], ["pow", 2, -149, MINSUB], ["pow", 10, 38, Math.fround(1e38)], ["pow", NaN, 1, NaN], ["pow", 2, NaN, NaN],
  ["pow", MINSUB, 0.5, Math.fround(Math.sqrt(MINSUB))], ["pow", FMAX, -1, Math.fround(1 / FMAX)], ["pow", 3, 2, 9],
];

const sameF32 = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

// ---------------------------------------------------------------------------------------

describe("math ids", () => {
  it("host MathFn mirrors the enum in wasm/assembly/math.ts", () => {
    const src = readFileSync(new URL("../../wasm/assembly/math.ts", import.meta.url), "utf8");
    const body = /export enum MathFn \{([^}]*)\}/.exec(src)![1];
    const ids: Record<string, number> = {};
    for (const m of body.matchAll(/(\w+)\s*=\s*(\d+)/g)) ids[m[1]] = Number(m[2]);
    expect(ids).toEqual({ ...MathFn });
    expect(MATH_UNARY.length + MATH_BINARY.length).toBe(Object.keys(MathFn).length);
    expect(MATH_BINARY.every((n) => isBinaryMathFn(MathFn[n]))).toBe(true);
    expect(MATH_UNARY.some((n) => isBinaryMathFn(MathFn[n]))).toBe(false);
  });
});

for (const [build, K] of builds) {
  describe.skipIf(!K)(`math (${build} build)`, () => {
    const k = K!;

    describe("accuracy against float64 references", () => {
      for (const [name, spec] of Object.entries(UNARY) as [UnaryName, UnarySpec][]) {
        it(`${name} <= ${spec.bound} ulp`, () => {
          const xs = concat(spec.inputs());
          const got = k.unary(MathFn[name], xs);
          const s = measure(got, xs, (i) => spec.ref(xs[i]));
          record(build, name, s);
          expect(s.max, `max error ${s.max} ulp at x = ${s.at}`).toBeLessThanOrEqual(spec.bound);
        });
      }

      it("sin, cos, tan of huge arguments (slow path) are correctly rounded", () => {
        const xs = concat([...sym(12900, FMAX, 2 * N), new Float32Array([1e10, -1e10, 3.4e38, -3.4e38, FMAX, -FMAX, 2 ** 100, 16777216, 8388607.5, 6.6e6, 12867.5, 12868, 1e30])]);
        for (const [name, ref] of [["sin", Math.sin], ["cos", Math.cos], ["tan", Math.tan]] as const) {
          const got = k.unary(MathFn[name], xs);
          const s = measure(got, xs, (i) => ref(xs[i]));
          record(build, `${name} |x|>=12800`, s);
          expect(s.max, `${name}: ${s.max} ulp at ${s.at}`).toBeLessThanOrEqual(0.501);
        }
      });

      it(`atan2 <= 1.7 ulp`, () => {
        const ys = concat([randomFinite(N, 11), randomUniform(N, -4, 4, 12), randomUniform(N, -1e-3, 1e-3, 13)]);
        const xs = concat([randomFinite(N, 21), randomUniform(N, -4, 4, 22), randomUniform(N, -1, 1, 23)]);
        const got = k.binary(MathFn.atan2, ys, xs);
        const s = measure(got, ys, (i) => Math.atan2(ys[i], xs[i]), xs);
        record(build, "atan2", s);
        expect(s.max, `max ${s.max} ulp at (${s.at}, ${s.at2})`).toBeLessThanOrEqual(1.7);
      });

      it(`pow <= 0.51 ulp`, () => {
        const xs = concat([randomFinite(N, 31).map(Math.abs), randomUniform(N, 0, 4, 32), randomUniform(N, -10, 10, 33), randomUniform(N, 0.99, 1.01, 34)]);
        const ys = concat([
          randomUniform(N, -40, 40, 41),
          randomUniform(N, -100, 100, 42),
          randomUniform(N, -30, 30, 43).map(Math.round),
          randomUniform(N, -5000, 5000, 44),
        ]);
        const got = k.binary(MathFn.pow, xs, ys);
        const s = measure(got, xs, (i) => Math.pow(xs[i], ys[i]), ys);
        record(build, "pow", s);
        expect(s.max, `max ${s.max} ulp at (${s.at}, ${s.at2})`).toBeLessThanOrEqual(0.51);
      });

      for (const [name, fx] of Object.entries(FIXTURES)) {
        const label = fx.zeroBound
          ? `${name} <= ${fx.bound} ulp (<= ${fx.zeroBound} ulp and ${fx.zeroAbs} absolute near negative zeros) vs SciPy/mpmath`
          : `${name} <= ${fx.bound} ulp vs SciPy`;
        it(label, () => {
          const f = readFixture(name);
          const got = k.unary(MathFn[name as MathFnName], f.xs);
          // points inside the windows (stride-1 segments) around negative zeros
          const nearZero = new Uint8Array(f.xs.length);
          let o = 0;
          for (const [, c, st] of f.segs) {
            if (st === 1) for (let j = 0; j < c; j++) nearZero[o + j] = f.xs[o + j] < 0 ? 1 : 0;
            o += c;
          }
          let max = 0, at = NaN, zmax = 0, zat = NaN, zabs = 0;
          for (let i = 0; i < got.length; i++) {
            const e = ulpErr(got[i], f.ref[i]);
            if (nearZero[i] && fx.zeroBound) {
              if (!(e <= zmax)) (zmax = e), (zat = f.xs[i]);
              if (Number.isFinite(f.ref[i])) zabs = Math.max(zabs, Math.abs(got[i] - f.ref[i]) - 0.5 * ulpOf(f.ref[i]));
            } else if (!(e <= max)) (max = e), (at = f.xs[i]);
          }
          record(build, name, { max, at, n: got.length });
          expect(max, `${name}: ${max} ulp at ${at}`).toBeLessThanOrEqual(fx.bound);
          if (fx.zeroBound) {
            record(build, `${name} near neg. zeros`, { max: zmax, at: zat, n: nearZero.reduce((a, b) => a + b, 0) }, `, abs ${zabs.toExponential(2)} beyond rounding`);
            expect(zmax, `${name} near zeros: ${zmax} ulp at ${zat}`).toBeLessThanOrEqual(fx.zeroBound);
            expect(zabs).toBeLessThanOrEqual(fx.zeroAbs!);
          }
        });
      }
    });

    describe.skipIf(EXHAUSTIVE.length === 0)("exhaustive", () => {
      for (const spec of EXHAUSTIVE) {
        const [name, range] = spec.split("@") as [UnaryName, string | undefined];
        const [lo, hi] = range ? range.split(":").map(Number) : [0, Infinity];
        it(`${spec}: every float32`, () => {
          const u = UNARY[name];
          const b0 = bitsOf(lo);
          const b1 = hi === Infinity ? 0x7fffffff : bitsOf(hi);
          const xs = new Float32Array(CHUNK);
          const xu = new Uint32Array(xs.buffer);
          let max = 0, at = NaN, n = 0;
          for (const sign of [0, 0x80000000]) {
            for (let s0 = b0; s0 <= b1; s0 += CHUNK) {
              const cnt = Math.min(CHUNK, b1 - s0 + 1);
              for (let i = 0; i < cnt; i++) xu[i] = (sign | (s0 + i)) >>> 0;
              const x = xs.subarray(0, cnt);
              const got = k.unary(MathFn[name], x);
              for (let i = 0; i < cnt; i++) {
                const e = ulpErr(got[i], u.ref(x[i]));
                if (!(e <= max)) (max = e), (at = x[i]);
              }
              n += cnt;
            }
          }
          record(build, `${spec} (all)`, { max, at, n });
          expect(max, `${spec}: ${max} ulp at ${at}`).toBeLessThanOrEqual(u.bound);
        }, 3_600_000);
      }
    });

    describe("special values", () => {
      it("unary edge cases", () => {
        const bad: string[] = [];
        for (const [name, x, want] of EDGE) {
          const got = k.unary(MathFn[name], new Float32Array([x]))[0];
          if (!sameF32(got, Math.fround(want))) bad.push(`${name}(${Object.is(x, -0) ? "-0" : x}) = ${Object.is(got, -0) ? "-0" : got}, want ${Object.is(want, -0) ? "-0" : want}`);
        }
        expect(bad).toEqual([]);
      });

      it("atan2 and pow edge cases", () => {
        const bad: string[] = [];
        for (const [name, a, b, want] of EDGE2) {
          const got = k.binary(MathFn[name], new Float32Array([a]), new Float32Array([b]))[0];
          const fmt = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));
          if (!sameF32(got, Math.fround(want))) bad.push(`${name}(${fmt(a)}, ${fmt(b)}) = ${fmt(got)}, want ${fmt(want)}`);
        }
        expect(bad).toEqual([]);
      });

      it("exact values: log2 of powers of two, exp2 of integers, cbrt of cubes", () => {
        const p = new Float32Array(277).map((_, i) => 2 ** (i - 149));
        expect(Array.from(k.unary(MathFn.log2, p))).toEqual(Array.from(p, (_, i) => i - 149));
        const e = new Float32Array(277).map((_, i) => i - 149);
        expect(Array.from(k.unary(MathFn.exp2, e))).toEqual(Array.from(p));
        const c = new Float32Array(255).map((_, i) => (i + 1) ** 3);
        expect(Array.from(k.unary(MathFn.cbrt, c))).toEqual(Array.from(c, (_, i) => i + 1));
      });
    });

    describe("block entry points", () => {
      const names = [...MATH_UNARY, ...MATH_BINARY];
      const sample = (n: number, seed: number, name: string): Float32Array => {
        const dom: Partial<Record<MathFnName, [number, number]>> = {
          asin: [-1, 1], acos: [-1, 1], atanh: [-1, 1], erf_inv: [-1, 1], acosh: [1, 50], log: [0, 50], log2: [0, 50],
          log10: [0, 50], log1p: [-1, 50], sqrt: [0, 50], pow: [0, 5],
        };
        const [lo, hi] = dom[name as MathFnName] ?? [-20, 20];
        return randomUniform(n, lo, hi, seed);
      };

      it("any length, any 4-byte alignment, in place; nothing written past n", () => {
        const mem = (): Float32Array => new Float32Array(k.memory.buffer);
        const A = k.base / 4 + 64;
        const B = A + 256;
        const D = A + 512;
        for (const name of names) {
          const fn = MathFn[name];
          const bin = isBinaryMathFn(fn);
          const xa = sample(40, fn + 1, name);
          const xb = sample(40, fn + 101, name);
          const want = bin ? k.binary(fn, xa, xb) : k.unary(fn, xa); // reference: one long call
          for (let n = 0; n <= 19; n++) {
            for (const mis of [0, 1, 2, 3]) {
              const m = mem();
              m.fill(-12345, A - 8, D + 64);
              m.set(xa.subarray(0, n), A + mis);
              m.set(xb.subarray(0, n), B + mis);
              if (bin) (k.exports.mathBinaryF32 as any)(fn, 4 * (A + mis), 4 * (B + mis), 4 * (D + mis), n);
              else (k.exports.mathUnaryF32 as any)(fn, 4 * (A + mis), 4 * (D + mis), n);
              const r = mem();
              for (let i = 0; i < n; i++) if (!sameF32(r[D + mis + i], want[i])) throw new Error(`${name} n=${n} mis=${mis} i=${i}: ${r[D + mis + i]} vs ${want[i]}`);
              for (let i = D - 8; i < D + mis; i++) expect(r[i]).toBe(-12345);
              for (let i = D + mis + n; i < D + 64; i++) expect(r[i]).toBe(-12345);
              // in place: dst == src (== a for binary)
              m.set(xa.subarray(0, n), A + mis);
              if (bin) (k.exports.mathBinaryF32 as any)(fn, 4 * (A + mis), 4 * (B + mis), 4 * (A + mis), n);
              else (k.exports.mathUnaryF32 as any)(fn, 4 * (A + mis), 4 * (A + mis), n);
              const q = mem();
              for (let i = 0; i < n; i++) if (!sameF32(q[A + mis + i], want[i])) throw new Error(`${name} in place n=${n} i=${i}`);
              expect(q[A + mis + n]).toBe(n < 40 ? -12345 : q[A + mis + n]);
            }
          }
        }
      });

      it("results do not depend on the position in the block", () => {
        for (const name of names) {
          const fn = MathFn[name];
          const xa = sample(1003, fn + 7, name);
          const xb = sample(1003, fn + 8, name);
          const bin = isBinaryMathFn(fn);
          const whole = bin ? k.binary(fn, xa, xb) : k.unary(fn, xa);
          const shifted = bin ? k.binary(fn, xa.subarray(3), xb.subarray(3)) : k.unary(fn, xa.subarray(3));
          for (let i = 0; i < shifted.length; i++) if (!sameF32(shifted[i], whole[i + 3])) throw new Error(`${name} at ${i}`);
        }
      });

      it("sin, cos, tan blocks with large lanes, in place and out of place", () => {
        const xs = concat([randomUniform(997, -20, 20, 91), randomUniform(37, -1e6, 1e6, 92), new Float32Array([Infinity, NaN, -3e38, 12801])]);
        const r = rng(93);
        for (let i = xs.length - 1; i > 0; i--) {
          const j = Math.floor(r() * (i + 1));
          [xs[i], xs[j]] = [xs[j], xs[i]];
        }
        for (const [name, ref] of [["sin", Math.sin], ["cos", Math.cos], ["tan", Math.tan]] as const) {
          const fn = MathFn[name];
          const out = k.unary(fn, xs);
          const m = new Float32Array(k.memory.buffer);
          const A = k.base / 4 + 16;
          m.set(xs, A);
          (k.exports.mathUnaryF32 as any)(fn, 4 * A, 4 * A, xs.length);
          const inPlace = new Float32Array(k.memory.buffer, 4 * A, xs.length);
          for (let i = 0; i < xs.length; i++) {
            if (!sameF32(inPlace[i], out[i])) throw new Error(`${name} in place at ${i}: ${inPlace[i]} vs ${out[i]}`);
            expect(ulpErr(out[i], ref(xs[i]))).toBeLessThanOrEqual(UNARY[name].bound);
          }
        }
      });

      it("ids of the wrong arity or unknown ids fill dst with NaN", () => {
        const x = new Float32Array([1, 2, 3, 4, 5]);
        for (const fn of [MathFn.atan2, MathFn.pow, 99, -1]) expect(Array.from(k.unary(fn, x)).every(Number.isNaN)).toBe(true);
        for (const fn of [MathFn.sin, MathFn.exp, 99]) expect(Array.from(k.binary(fn, x, x)).every(Number.isNaN)).toBe(true);
      });
    });
  });
}
