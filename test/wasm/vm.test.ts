// Kernel VM: every unary/binary op, select, cast, bitcast, const and iota for every dtype
// against scalar JS references (float16 rounding, integer wraparound, division by zero, NaN),
// on both Wasm builds where the runtime runs them.
import { describe, expect, it } from "vitest";
import type { BinaryOp, DType, FusedKernel, UnaryOp } from "../../ts/runtime/kernel.js";
import { runFused } from "../../wasm/vm.js";
import { DTYPES, rng } from "./helpers.js";
import {
  BYTES, bitsOf, builds, close, contiguous, digamma, download, erf, erfc, erfinv, f16bits, f16round, f16value, inp,
  intRange, isFloat, isUnsigned, lgamma, run, same, toDtype, upload, wrap,
} from "./vm_helpers.js";

const N = 1501; // more than one block, not a multiple of 4

function floatValues(d: DType, seed: number, n = N): number[] {
  const r = rng(seed);
  const special = [
    0, -0, 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3, -3, 0.49999997, -0.49999997, 1e-40, -1e-40, NaN, Infinity,
    -Infinity, 65504, 65519, 1e20, -1e20, 3.14159, 8388609, -8388609.5, 1e-7, 6e-8,
  ];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = i < special.length ? special[i] : (r() - 0.5) * 10 ** Math.floor(r() * 8 - 3);
    out.push(toDtype(v, d));
  }
  return out;
}

function intValues(d: DType, seed: number, n = N): number[] {
  const r = rng(seed);
  const [lo, hi] = intRange(d);
  const special = [0, 1, -1, 2, -2, 7, -7, lo, hi, lo + 1, hi - 1, 3, 100, -100, 255, 256, 65535, 65536];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let v: number;
    if (i < special.length) v = special[i];
    else if (r() < 0.3) v = Math.floor(r() * 20) - 10;
    else v = lo + Math.floor(r() * (hi - lo + 1));
    out.push(wrap(v, d));
  }
  return out;
}

const values = (d: DType, seed: number, n = N) => (isFloat(d) ? floatValues(d, seed, n) : intValues(d, seed, n));

function unaryKernel(op: UnaryOp, d: DType, rd: DType): FusedKernel {
  return {
    inputs: [{ dtype: d }],
    nodes: [inp(0, d), { kind: "unary", op, arg: 0, dtype: rd }],
    outputs: [{ node: 1, dtype: rd }],
  };
}

function binaryKernel(op: BinaryOp, d: DType, rd: DType): FusedKernel {
  return {
    inputs: [{ dtype: d }, { dtype: d }],
    nodes: [inp(0, d), inp(1, d), { kind: "binary", op, args: [0, 1], dtype: rd }],
    outputs: [{ node: 2, dtype: rd }],
  };
}

function rne(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

const roundOf = (d: DType) => (d === "float32" ? Math.fround : d === "float16" ? f16round : (x: number) => x);

// float unary ops computed exactly (reference rounded once per VM rounding step)
const EXACT_FLOAT_UNARY: Partial<Record<UnaryOp, (x: number, r: (v: number) => number, f: (v: number) => number) => number>> = {
  neg: (x) => -x,
  abs: (x) => Math.abs(x),
  sign: (x) => (x === 0 || Number.isNaN(x) ? x : Math.sign(x)),
  floor: Math.floor,
  ceil: Math.ceil,
  round_even: rne,
  round_away: (x) => (Number.isFinite(x) ? Math.sign(x) * Math.round(Math.abs(x)) : x),
  trunc: Math.trunc,
  sqrt: (x, r) => r(Math.sqrt(x)),
  rsqrt: (x, r, f) => r(f(1 / f(Math.sqrt(x)))),
  reciprocal: (x, r) => r(1 / x),
  square: (x, r) => r(x * x),
};

const PREDICATES: Partial<Record<UnaryOp, (x: number) => number>> = {
  is_finite: (x) => +Number.isFinite(x),
  is_nan: (x) => +Number.isNaN(x),
  is_inf: (x) => +(x === Infinity || x === -Infinity),
  signbit: (x) => +(x < 0 || Object.is(x, -0)),
};

// transcendental ops: reference and input domain
const APPROX: Partial<Record<UnaryOp, [(x: number) => number, number, number]>> = {
  cbrt: [Math.cbrt, -1000, 1000],
  exp: [Math.exp, -80, 80],
  exp2: [(x) => 2 ** x, -120, 120],
  expm1: [Math.expm1, -5, 5],
  log: [Math.log, 1e-6, 1e6],
  log2: [Math.log2, 1e-6, 1e6],
  log10: [Math.log10, 1e-6, 1e6],
  log1p: [Math.log1p, -0.9, 100],
  sin: [Math.sin, -100, 100],
  cos: [Math.cos, -100, 100],
  tan: [Math.tan, -1.5, 1.5],
  asin: [Math.asin, -1, 1],
  acos: [Math.acos, -1, 1],
  atan: [Math.atan, -50, 50],
  sinh: [Math.sinh, -10, 10],
  cosh: [Math.cosh, -10, 10],
  tanh: [Math.tanh, -10, 10],
  asinh: [Math.asinh, -100, 100],
  acosh: [Math.acosh, 1, 100],
  atanh: [Math.atanh, -0.99, 0.99],
  erf: [erf, -5, 5],
  erfc: [erfc, -3, 9],
  erf_inv: [erfinv, -0.999, 0.999],
  lgamma: [lgamma, 0.1, 30],
  digamma: [digamma, 0.1, 30],
  logistic: [(x) => 1 / (1 + Math.exp(-x)), -30, 30],
};

function tolerances(d: DType): [number, number] {
  return d === "float64" ? [1e-12, 1e-13] : d === "float32" ? [2e-5, 2e-6] : [2e-3, 2e-3];
}

function nextafterRef(a: number, b: number, d: DType): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return b;
  if (d === "float16") {
    // walk the float16 grid
    const step = (x: number, up: boolean) => {
      // find the neighbour by bits
      const bits = f16bits(x);
      let nb: number;
      if (x === 0) nb = (up ? 0 : 0x8000) | 1;
      else if ((x > 0) === up) nb = bits + 1;
      else nb = bits - 1;
      return f16value(nb);
    };
    return step(a, b > a);
  }
  const f = d === "float32" ? new Float32Array(1) : new Float64Array(1);
  const u = d === "float32" ? new Int32Array(f.buffer) : new BigInt64Array(f.buffer);
  if (a === 0) {
    f[0] = d === "float32" ? 1.401298464324817e-45 : 5e-324;
    return b > 0 ? f[0] : -f[0];
  }
  f[0] = a;
  const up = (b > a) === (a > 0);
  if (d === "float32") (u as Int32Array)[0] += up ? 1 : -1;
  else (u as BigInt64Array)[0] += up ? 1n : -1n;
  return f[0];
}

function copysignRef(a: number, b: number): number {
  const neg = b < 0 || Object.is(b, -0) || (Number.isNaN(b) && false);
  return neg ? -Math.abs(a) : Math.abs(a);
}

function floatBinaryRef(op: BinaryOp, a: number, b: number, d: DType): number | undefined {
  const r = roundOf(d);
  switch (op) {
    case "add": return r(a + b);
    case "sub": return r(a - b);
    case "mul": return r(a * b);
    case "div": return r(a / b);
    case "rem": return r(a % b);
    case "max": return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
    case "min": return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
    case "nextafter": return nextafterRef(a, b, d);
    case "copysign": return copysignRef(a, b);
    case "eq": return +(a === b);
    case "ne": return +(a !== b);
    case "lt": return +(a < b);
    case "le": return +(a <= b);
    case "gt": return +(a > b);
    case "ge": return +(a >= b);
    default: return undefined;
  }
}

function ipow(a: number, e: number, d: DType): number {
  if (e < 0) {
    if (a === 1) return 1;
    if (a === -1 && !isUnsigned(d)) return e & 1 ? wrap(-1, d) : 1;
    return 0;
  }
  let r = 1;
  let b = a;
  let k = e >>> 0;
  while (k) {
    if (k & 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
    k >>>= 1;
  }
  return wrap(r, d);
}

function intBinaryRef(op: BinaryOp, a: number, b: number, d: DType): number | undefined {
  const bits = bitsOf(d);
  const uns = isUnsigned(d);
  const w = (v: number) => wrap(v, d);
  const outOfRange = uns ? b >= bits : b < 0 || b >= bits;
  const signed = (v: number) => (bits === 32 ? v | 0 : (v << (32 - bits)) >> (32 - bits));
  switch (op) {
    case "add": return d === "bool" ? a | b : w(a + b);
    case "sub": return w(a - b);
    case "mul": return d === "bool" ? a & b : w(Math.imul(a, b));
    case "div": return b === 0 ? w(-1) : w(Math.trunc(a / b));
    case "rem": return b === 0 ? a : w(a % b);
    case "pow": return ipow(a, b, d);
    case "max": return Math.max(a, b);
    case "min": return Math.min(a, b);
    case "and": return w(a & b);
    case "or": return w(a | b);
    case "xor": return w(a ^ b);
    case "shl": return outOfRange ? 0 : w(a << b);
    case "shr_arith": return outOfRange ? w(signed(a) < 0 ? -1 : 0) : w(signed(a) >> b);
    case "shr_logical": {
      const m = bits === 32 ? a >>> 0 : a & ((1 << bits) - 1);
      return outOfRange ? 0 : w(m >>> b);
    }
    case "eq": return +(a === b);
    case "ne": return +(a !== b);
    case "lt": return +(a < b);
    case "le": return +(a <= b);
    case "gt": return +(a > b);
    case "ge": return +(a >= b);
    default: return undefined;
  }
}

function intUnaryRef(op: UnaryOp, a: number, d: DType): number | undefined {
  const bits = bitsOf(d);
  const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  const w = (v: number) => wrap(v, d);
  switch (op) {
    case "neg": return w(-a);
    case "abs": return w(Math.abs(a));
    case "sign": return Math.sign(a);
    case "not": return d === "bool" ? 1 - a : w(~a);
    case "popcount": {
      let v = (a & mask) >>> 0;
      let c = 0;
      while (v) {
        c += v & 1;
        v >>>= 1;
      }
      return c;
    }
    case "clz": return Math.clz32((a & mask) >>> 0) - (32 - bits);
    case "square": return w(Math.imul(a, a));
    case "signbit": return +(a < 0);
    default: return undefined;
  }
}

const FLOATS: DType[] = ["float32", "float64", "float16"];
const INTS: DType[] = ["int32", "uint32", "int16", "uint16", "int8", "uint8", "bool"];
const UNARY_OPS: UnaryOp[] = [
  "neg", "abs", "sign", "floor", "ceil", "round_even", "round_away", "trunc", "sqrt", "rsqrt", "cbrt", "exp",
  "exp2", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
  "tanh", "asinh", "acosh", "atanh", "erf", "erfc", "erf_inv", "lgamma", "digamma", "logistic", "reciprocal",
  "square", "not", "is_finite", "is_nan", "is_inf", "signbit", "popcount", "clz",
];
const BINARY_OPS: BinaryOp[] = [
  "add", "sub", "mul", "div", "rem", "pow", "atan2", "max", "min", "and", "or", "xor", "shl", "shr_arith",
  "shr_logical", "nextafter", "copysign", "eq", "ne", "lt", "le", "gt", "ge",
];
const CMP = new Set<string>(["eq", "ne", "lt", "le", "gt", "ge"]);

function expectValues(got: number[], ref: (number | undefined)[], what: string, x?: number[], y?: number[], tol?: [number, number]) {
  for (let i = 0; i < got.length; i++) {
    const r = ref[i]!;
    const ok = tol ? close(got[i], r, tol[0], tol[1]) : same(got[i], r);
    if (!ok) {
      const args = y ? `(${x![i]}, ${y[i]})` : x ? `(${x[i]})` : "";
      throw new Error(`${what}: element ${i}${args}: got ${got[i]}, expected ${r}`);
    }
  }
}

describe.each(builds)("kernel VM ops (%s build)", (_name, inst) => {
  describe("unary float ops", () => {
    for (const d of FLOATS) {
      for (const op of UNARY_OPS) {
        const exact = EXACT_FLOAT_UNARY[op];
        const pred = PREDICATES[op];
        const approx = APPROX[op];
        if (!exact && !pred && !approx) {
          it(`${op} ${d} is rejected`, () => {
            expect(() => run(inst, unaryKernel(op, d, d), [4], [{ dtype: d, data: [1, 2, 3, 4], strides: [1] }], 4)).toThrow(
              /not defined/,
            );
          });
          continue;
        }
        it(`${op} ${d}`, () => {
          const r = roundOf(d);
          let x = floatValues(d, 1 + op.length);
          if (approx) {
            const rr = rng(op.length * 7 + 3);
            x = x.map((v, i) => r(i < 3 ? [NaN, approx[1], approx[2]][i] : approx[1] + rr() * (approx[2] - approx[1])));
          }
          const rd: DType = pred ? "bool" : d;
          const [got] = run(inst, unaryKernel(op, d, rd), [N], [{ dtype: d, data: x, strides: [1] }], N);
          const f = d === "float64" ? (v: number) => v : Math.fround;
          if (exact) expectValues(got, x.map((v) => r(exact(v, r, f))), `${op} ${d}`, x);
          else if (pred) expectValues(got, x.map(pred), `${op} ${d}`, x);
          else expectValues(got, x.map((v) => r(approx![0](v))), `${op} ${d}`, x, undefined, tolerances(d));
        });
      }
    }
  });

  describe("unary integer ops", () => {
    for (const d of INTS) {
      for (const op of UNARY_OPS) {
        const x = values(d, 5);
        const ref0 = intUnaryRef(op, x[0], d);
        const invalid =
          ref0 === undefined ||
          (d === "bool" && op !== "not") ||
          (op === "signbit" && isUnsigned(d));
        if (invalid) {
          const predicate = op === "signbit" || op === "is_finite" || op === "is_nan" || op === "is_inf";
          it(`${op} ${d} is rejected`, () => {
            expect(() => run(inst, unaryKernel(op, d, predicate ? "bool" : d), [4], [{ dtype: d, data: [1, 0, 1, 0], strides: [1] }], 4)).toThrow(
              /not defined/,
            );
          });
          continue;
        }
        it(`${op} ${d}`, () => {
          const rd: DType = op === "signbit" ? "bool" : op === "popcount" || op === "clz" ? d : d;
          const [got] = run(inst, unaryKernel(op, d, rd), [N], [{ dtype: d, data: x, strides: [1] }], N);
          expectValues(got, x.map((v) => (isUnsigned(d) && op === "abs" ? v : intUnaryRef(op, v, d))), `${op} ${d}`, x);
        });
      }
    }
  });

  describe("binary ops", () => {
    for (const d of DTYPES) {
      for (const op of BINARY_OPS) {
        const rd: DType = CMP.has(op) ? "bool" : d;
        const fl = isFloat(d);
        let valid: boolean;
        if (fl) valid = !["and", "or", "xor", "shl", "shr_arith", "shr_logical"].includes(op);
        else if (d === "bool") valid = ["add", "mul", "max", "min", "and", "or", "xor", ...CMP].includes(op);
        else valid = !["atan2", "nextafter", "copysign"].includes(op);
        if (!valid) {
          it(`${op} ${d} is rejected`, () => {
            expect(() =>
              run(inst, binaryKernel(op, d, rd), [4], [{ dtype: d, data: [1, 0, 1, 0], strides: [1] }, { dtype: d, data: [1, 1, 0, 0], strides: [1] }], 4),
            ).toThrow(/not defined/);
          });
          continue;
        }
        it(`${op} ${d}`, () => {
          let x = values(d, 11);
          let y = values(d, 23);
          // crosses of special values
          const sp = fl ? [0, -0, 1, -1, NaN, Infinity, -Infinity, 2.5, -3] : [0, 1, -1, 2, ...intRange(d), 7, -7];
          const spd = sp.map((v) => (fl ? toDtype(v, d) : wrap(v, d)));
          let k = 0;
          for (const a of spd) for (const b of spd) if (k < 200) {
            x[k] = a;
            y[k] = b;
            k++;
          }
          if (["shl", "shr_arith", "shr_logical"].includes(op)) {
            const bits = bitsOf(d);
            const amounts = [0, 1, 3, bits - 1, bits, bits + 1, 100, -1, -100].map((v) => wrap(v, d));
            y = y.map((_, i) => amounts[i % amounts.length]);
          }
          if (op === "pow" && !fl) y = y.map((v, i) => (i % 3 === 0 ? wrap(i % 40 - 5, d) : v));
          if (op === "pow" && fl) {
            const rr = rng(9);
            x = x.map((v, i) => (i < 200 ? v : toDtype(rr() * 10, d)));
            y = y.map((v, i) => (i < 200 ? v : toDtype(rr() * 8 - 4, d)));
          }
          const [got] = run(inst, binaryKernel(op, d, rd), [N], [{ dtype: d, data: x, strides: [1] }, { dtype: d, data: y, strides: [1] }], N);
          if (fl && (op === "pow" || op === "atan2")) {
            const cpow = (a: number, b: number) =>
              a === 1 || b === 0 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b);
            const f = op === "pow" ? cpow : Math.atan2;
            const r = roundOf(d);
            expectValues(got, x.map((a, i) => r(f(a, y[i]))), `${op} ${d}`, x, y, tolerances(d));
            return;
          }
          const ref = x.map((a, i) => (fl ? floatBinaryRef(op, a, y[i], d) : intBinaryRef(op, a, y[i], d)));
          expectValues(got, ref, `${op} ${d}`, x, y);
        });
      }
    }
  });

  it("max/min propagate NaN, compare -0 < +0", () => {
    const x = [NaN, 1, -0, 0, NaN];
    const y = [1, NaN, 0, -0, NaN];
    const [mx] = run(inst, binaryKernel("max", "float32", "float32"), [5], [{ dtype: "float32", data: x, strides: [1] }, { dtype: "float32", data: y, strides: [1] }], 5);
    expect(mx.map(String)).toEqual(["NaN", "NaN", "0", "0", "NaN"]);
    const [mn] = run(inst, binaryKernel("min", "float64", "float64"), [5], [{ dtype: "float64", data: x, strides: [1] }, { dtype: "float64", data: y, strides: [1] }], 5);
    expect(Object.is(mn[2], -0) && Object.is(mn[3], -0)).toBe(true);
  });

  it("integer division edge cases", () => {
    const x = [7, -7, 7, -7, -2147483648, -2147483648, 5, 0];
    const y = [2, 2, -2, -2, -1, 0, 0, 0];
    const [q] = run(inst, binaryKernel("div", "int32", "int32"), [8], [{ dtype: "int32", data: x, strides: [1] }, { dtype: "int32", data: y, strides: [1] }], 8);
    expect(q).toEqual([3, -3, -3, 3, -2147483648, -1, -1, -1]);
    const [r] = run(inst, binaryKernel("rem", "int32", "int32"), [8], [{ dtype: "int32", data: x, strides: [1] }, { dtype: "int32", data: y, strides: [1] }], 8);
    expect(r.map((v) => v + 0)).toEqual([1, -1, 1, -1, 0, -2147483648, 5, 0]);
    const [q8] = run(inst, binaryKernel("div", "int8", "int8"), [2], [{ dtype: "int8", data: [-128, 9], strides: [1] }, { dtype: "int8", data: [-1, 0], strides: [1] }], 2);
    expect(q8).toEqual([-128, -1]);
    const [qu] = run(inst, binaryKernel("div", "uint8", "uint8"), [2], [{ dtype: "uint8", data: [200, 9], strides: [1] }, { dtype: "uint8", data: [0, 0], strides: [1] }], 2);
    expect(qu).toEqual([255, 255]);
  });

  describe("casts", () => {
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        it(`${from} -> ${to}`, () => {
          const x = values(from, 31);
          const k: FusedKernel = {
            inputs: [{ dtype: from }],
            nodes: [inp(0, from), { kind: "cast", arg: 0, dtype: to }],
            outputs: [{ node: 1, dtype: to }],
          };
          const [got] = run(inst, k, [N], [{ dtype: from, data: x, strides: [1] }], N);
          const ref = x.map((v) => {
            if (to === "bool") return v !== 0 ? 1 : 0;
            if (isFloat(to)) return toDtype(v, to);
            if (isFloat(from)) {
              if (Number.isNaN(v)) return 0;
              const [lo, hi] = intRange(to);
              return Math.min(hi, Math.max(lo, Math.trunc(v))) + 0;
            }
            return wrap(v, to);
          });
          expectValues(got, ref, `cast ${from} -> ${to}`, x);
        });
      }
    }
  });

  describe("bitcasts", () => {
    const pairs: [DType, DType][] = [
      ["float32", "int32"], ["float32", "uint32"], ["int32", "float32"], ["uint32", "float32"], ["int32", "uint32"],
      ["uint32", "int32"], ["float16", "int16"], ["float16", "uint16"], ["int16", "float16"], ["uint16", "float16"],
      ["int16", "uint16"], ["uint16", "int16"], ["int8", "uint8"], ["uint8", "int8"],
    ];
    for (const [from, to] of pairs) {
      it(`${from} -> ${to}`, () => {
        const x = values(from, 41);
        const k: FusedKernel = {
          inputs: [{ dtype: from }],
          nodes: [inp(0, from), { kind: "bitcast", arg: 0, dtype: to }],
          outputs: [{ node: 1, dtype: to }],
        };
        const [got] = run(inst, k, [N], [{ dtype: from, data: x, strides: [1] }], N);
        // reference: reinterpret the stored bytes
        const src = upload(inst, from, x);
        const bytes = inst.heap.views().u8.slice(src, src + N * BYTES[from]);
        inst.heap.free(src);
        const ptr = upload(inst, "uint8", Array.from(bytes));
        const ref = download(inst, to, ptr, N);
        inst.heap.free(ptr);
        expectValues(got, ref, `bitcast ${from} -> ${to}`, x);
      });
    }
    it("rejects different widths and float64", () => {
      const k = (from: DType, to: DType): FusedKernel => ({
        inputs: [{ dtype: from }],
        nodes: [inp(0, from), { kind: "bitcast", arg: 0, dtype: to }],
        outputs: [{ node: 1, dtype: to }],
      });
      expect(() => run(inst, k("float64", "int32"), [1], [{ dtype: "float64", data: [1], strides: [1] }], 1)).toThrow(/bitcast/);
      expect(() => run(inst, k("float32", "int16"), [1], [{ dtype: "float32", data: [1], strides: [1] }], 1)).toThrow(/bitcast/);
    });
  });

  describe("select", () => {
    for (const d of DTYPES) {
      it(`select ${d}`, () => {
        const p = values("bool", 3);
        const t = values(d, 4);
        const f = values(d, 5);
        const k: FusedKernel = {
          inputs: [{ dtype: "bool" }, { dtype: d }, { dtype: d }],
          nodes: [inp(0, "bool"), inp(1, d), inp(2, d), { kind: "select", args: [0, 1, 2], dtype: d }],
          outputs: [{ node: 3, dtype: d }],
        };
        const [got] = run(inst, k, [N], [
          { dtype: "bool", data: p, strides: [1] },
          { dtype: d, data: t, strides: [1] },
          { dtype: d, data: f, strides: [1] },
        ], N);
        expectValues(got, p.map((c, i) => (c ? t[i] : f[i])), `select ${d}`);
      });
    }
  });

  describe("constants", () => {
    for (const d of DTYPES) {
      it(`const ${d} (x * c + c2)`, () => {
        const x = values(d, 7);
        const c = d === "bool" ? 1 : isFloat(d) ? toDtype(-2.5, d) : wrap(-3, d);
        const c2 = d === "bool" ? 0 : isFloat(d) ? toDtype(0.75, d) : wrap(5, d);
        const k: FusedKernel = {
          inputs: [{ dtype: d }],
          nodes: [
            inp(0, d), { kind: "const", value: c, dtype: d }, { kind: "binary", op: "mul", args: [0, 1], dtype: d },
            { kind: "const", value: c2, dtype: d }, { kind: "binary", op: "add", args: [2, 3], dtype: d },
          ],
          outputs: [{ node: 4, dtype: d }, { node: 1, dtype: d }],
        };
        const [got, cs] = run(inst, k, [N], [{ dtype: d, data: x, strides: [1] }], N);
        const ref = x.map((v) => {
          if (d === "bool") return (v & c) | c2;
          if (isFloat(d)) return roundOf(d)(roundOf(d)(v * c) + c2);
          return wrap(Math.imul(v, c) + c2, d);
        });
        expectValues(got, ref, `const ${d}`, x);
        expect(cs.every((v) => same(v, c))).toBe(true);
      });
    }
  });

  describe("iota", () => {
    for (const d of ["int32", "uint32", "float32", "int8", "float64"] as DType[]) {
      it(`iota ${d} along each axis of [3, 5, 7]`, () => {
        for (let axis = 0; axis < 3; axis++) {
          const k: FusedKernel = {
            inputs: [],
            nodes: [{ kind: "iota", axis, dtype: d }],
            outputs: [{ node: 0, dtype: d }],
          };
          const [got] = run(inst, k, [3, 5, 7], [], 105);
          const ref: number[] = [];
          for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) for (let l = 0; l < 7; l++) ref.push([i, j, l][axis]);
          expect(got).toEqual(ref);
        }
      });
    }
    it("iota + input over a large space", () => {
      const shape = [3, 1000];
      const x = values("int32", 9, 3000);
      const k: FusedKernel = {
        inputs: [{ dtype: "int32" }],
        nodes: [inp(0, "int32"), { kind: "iota", axis: 1, dtype: "int32" }, { kind: "binary", op: "add", args: [0, 1], dtype: "int32" }],
        outputs: [{ node: 2, dtype: "int32" }],
      };
      const [got] = run(inst, k, shape, [{ dtype: "int32", data: x, strides: contiguous(shape) }], 3000);
      expect(got).toEqual(x.map((v, i) => (v + (i % 1000)) | 0));
    });
  });

  it("float16 intermediates are rounded like op-by-op evaluation", () => {
    // (a * b) + c in float16 with an intermediate that is not representable
    const a = [1.0009765625, 2049, 0.1].map(f16round);
    const b = [1.0009765625, 1, 3].map(f16round);
    const c = [-1, 1, 0.5].map(f16round);
    const k: FusedKernel = {
      inputs: [{ dtype: "float16" }, { dtype: "float16" }, { dtype: "float16" }],
      nodes: [
        inp(0, "float16"), inp(1, "float16"), inp(2, "float16"),
        { kind: "binary", op: "mul", args: [0, 1], dtype: "float16" },
        { kind: "binary", op: "add", args: [3, 2], dtype: "float16" },
      ],
      outputs: [{ node: 4, dtype: "float16" }],
    };
    const [got] = run(inst, k, [3], [
      { dtype: "float16", data: a, strides: [1] },
      { dtype: "float16", data: b, strides: [1] },
      { dtype: "float16", data: c, strides: [1] },
    ], 3);
    expect(got).toEqual(a.map((v, i) => f16round(f16round(v * b[i]) + c[i])));
  });

  it("narrow integer intermediates wrap like op-by-op evaluation", () => {
    // (a + b) >> 1 in int8: the sum wraps before the shift
    const k: FusedKernel = {
      inputs: [{ dtype: "int8" }, { dtype: "int8" }],
      nodes: [
        inp(0, "int8"), inp(1, "int8"), { kind: "binary", op: "add", args: [0, 1], dtype: "int8" },
        { kind: "const", value: 1, dtype: "int8" }, { kind: "binary", op: "shr_arith", args: [2, 3], dtype: "int8" },
      ],
      outputs: [{ node: 4, dtype: "int8" }],
    };
    const [got] = run(inst, k, [3], [{ dtype: "int8", data: [100, -100, 5], strides: [1] }, { dtype: "int8", data: [100, -100, 6], strides: [1] }], 3);
    expect(got).toEqual([-28, 28, 5]);
  });

  it("float64 special functions match known values", () => {
    const cases: [UnaryOp, number, number][] = [
      ["erf", 0.5, 0.5204998778130465], ["erf", 1, 0.8427007929497149], ["erf", -2, -0.9953222650189527],
      ["erfc", 3, 2.209049699858544e-5], ["erfc", 5, 1.5374597944280349e-12], ["erfc", 0.5, 0.4795001221869535],
      ["erf_inv", 0.5, 0.4769362762044699], ["erf_inv", -0.9, -1.1630871536766743], ["erf_inv", 0.999999, 3.458910737275499],
      ["lgamma", 0.5, 0.5723649429247001], ["lgamma", 10, 12.801827480081469], ["lgamma", -0.5, 1.2655121234846454],
      ["lgamma", 100, 359.1342053695754], ["digamma", 1, -0.5772156649015329], ["digamma", 0.5, -1.9635100260214235],
      ["digamma", 10, 2.251752589066721], ["digamma", -0.5, 0.03648997397857651],
    ];
    for (const [op, x, want] of cases) {
      const [got] = run(inst, unaryKernel(op, "float64", "float64"), [1], [{ dtype: "float64", data: [x], strides: [1] }], 1);
      expect(close(got[0], want, 1e-13, 1e-300), `${op}(${x}) = ${got[0]}, want ${want}`).toBe(true);
    }
    const [poles] = run(inst, unaryKernel("lgamma", "float64", "float64"), [3], [{ dtype: "float64", data: [0, -1, -2], strides: [1] }], 3);
    expect(poles).toEqual([Infinity, Infinity, Infinity]);
    const [dpoles] = run(inst, unaryKernel("digamma", "float64", "float64"), [2], [{ dtype: "float64", data: [0, -3], strides: [1] }], 2);
    expect(dpoles.every(Number.isNaN)).toBe(true);
  });

  it("rejects malformed kernels with clear errors", () => {
    const bad = (k: FusedKernel, re: RegExp) => expect(() => runFused(inst, k, [1], [], [0])).toThrow(re);
    bad({ inputs: [], nodes: [{ kind: "iota", axis: 0, dtype: "bool" }], outputs: [{ node: 0, dtype: "bool" }] }, /iota of bool/);
    bad({ inputs: [], nodes: [{ kind: "reduced", dtype: "float32" }], outputs: [{ node: 0, dtype: "float32" }] }, /reduced/);
    bad({ inputs: [], nodes: [{ kind: "const", value: 1, dtype: "float32" }], outputs: [{ node: 3, dtype: "float32" }] }, /output node 3/);
    bad(
      {
        inputs: [{ dtype: "float32" }],
        nodes: [inp(0, "float32")],
        reduce: { op: "and", axes: [0], arg: 0, dtype: "float32" },
        epilogue: [{ kind: "reduced", dtype: "float32" }],
        outputs: [{ node: 0, dtype: "float32" }],
      },
      /"and" is not defined for float32/,
    );
  });
});
