// The jaxpr IR: typed variables, equations of primitives with params (nested jaxprs for
// control flow live in params), printed as JAX prints them.
import type { ArrayBase } from "../array/base.js";
import type { DType } from "../array/dtype.js";
import type { Aval, Params, Primitive } from "./primitive.js";
import { bind } from "./trace.js";

export class Var {
  private static counter = 0;
  /** Creation order; gives stable names when printing and sorting. */
  readonly id = Var.counter++;
  constructor(readonly aval: Aval) {}
}

/** A scalar constant written inline in an equation (JAX's Literal). */
export class Literal {
  constructor(
    readonly value: number | boolean,
    readonly aval: Aval,
  ) {}
}

export type Atom = Var | Literal;

export interface Eqn {
  prim: Primitive;
  inputs: Atom[];
  params: Params;
  outputs: Var[];
}

export class Jaxpr {
  constructor(
    /** Inputs bound to captured constants (closed over by the traced function). */
    readonly constvars: Var[],
    readonly invars: Var[],
    readonly eqns: Eqn[],
    readonly outvars: Atom[],
  ) {}

  get inAvals(): Aval[] {
    return this.invars.map((v) => v.aval);
  }
  get outAvals(): Aval[] {
    return this.outvars.map((v) => v.aval);
  }

  toString(): string {
    return printJaxpr(this, new Namer(), "");
  }
}

/** A jaxpr with the values of its constvars. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: ArrayBase[],
  ) {
    if (consts.length !== jaxpr.constvars.length) throw new Error("ClosedJaxpr: consts do not match constvars");
  }
  get inAvals(): Aval[] {
    return this.jaxpr.inAvals;
  }
  get outAvals(): Aval[] {
    return this.jaxpr.outAvals;
  }
  toString(): string {
    return this.jaxpr.toString();
  }
}

/** Evaluates a jaxpr by binding each equation: under a transformation it is transformed. */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly ArrayBase[], args: readonly ArrayBase[]): ArrayBase[] {
  const env = new Map<Var, ArrayBase>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => env.set(v, args[i]));
  const read = (a: Atom): ArrayBase => {
    if (a instanceof Literal) return literalArray(a);
    const x = env.get(a);
    if (x === undefined) throw new Error(`evalJaxpr: variable read before it was written`);
    return x;
  };
  for (const e of jaxpr.eqns) {
    const outs = bind(e.prim, e.inputs.map(read), e.params);
    e.outputs.forEach((v, i) => env.set(v, outs[i]));
  }
  return jaxpr.outvars.map(read);
}

export function evalClosed(cj: ClosedJaxpr, args: readonly ArrayBase[]): ArrayBase[] {
  return evalJaxpr(cj.jaxpr, cj.consts, args);
}

/** Set by ts/numpy (which owns scalar creation): a concrete 0-d array for a literal. */
export const jaxprHooks: { literal?: (value: number | boolean, aval: Aval) => ArrayBase } = {};

function literalArray(l: Literal): ArrayBase {
  return jaxprHooks.literal!(l.value, l.aval);
}

// ---- printing ----

const SHORT: Record<DType, string> = {
  float32: "f32", float64: "f64", float16: "f16", int32: "i32", int16: "i16", int8: "i8",
  uint32: "u32", uint16: "u16", uint8: "u8", bool: "bool",
} as Record<DType, string>;

export function fmtAval(a: Aval): string {
  return `${SHORT[a.dtype] ?? a.dtype}[${a.shape.join(",")}]`;
}

class Namer {
  private names = new Map<Var, string>();
  name(v: Var): string {
    let n = this.names.get(v);
    if (n === undefined) {
      let i = this.names.size;
      n = "";
      do {
        n = String.fromCharCode(97 + (i % 26)) + n;
        i = Math.floor(i / 26) - 1;
      } while (i >= 0);
      this.names.set(v, n);
    }
    return n;
  }
}

function fmtAtom(a: Atom, names: Namer): string {
  if (a instanceof Literal) {
    const v = typeof a.value === "boolean" ? String(a.value) : Number.isInteger(a.value) && a.aval.dtype.startsWith("float") ? a.value.toFixed(1) : String(a.value);
    return `${v}:${fmtAval(a.aval)}`;
  }
  return names.name(a);
}

function fmtParam(v: unknown, names: Namer, indent: string): string {
  if (v instanceof ClosedJaxpr) return printJaxpr(v.jaxpr, names, indent + "  ");
  if (v instanceof Jaxpr) return printJaxpr(v, names, indent + "  ");
  if (Array.isArray(v)) {
    if (v.some((x) => x instanceof ClosedJaxpr || x instanceof Jaxpr)) return `(\n${indent}    ${v.map((x) => fmtParam(x, names, indent + "  ")).join(`\n${indent}    `)}\n${indent}  )`;
    return `(${v.map((x) => fmtParam(x, names, indent)).join(",")}${v.length === 1 ? "," : ""})`;
  }
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function printJaxpr(j: Jaxpr, names: Namer, indent: string): string {
  const decl = (v: Var) => `${names.name(v)}:${fmtAval(v.aval)}`;
  const head = `{ lambda ${j.constvars.map(decl).join(" ")}; ${j.invars.map(decl).join(" ")}. let`;
  const lines = j.eqns.map((e) => {
    const ps = Object.entries(e.params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${fmtParam(v, names, indent)}`);
    const lhs = e.outputs.map(decl).join(" ");
    return `${indent}    ${lhs} = ${e.prim.name}${ps.length ? `[${ps.join(" ")}]` : ""} ${e.inputs.map((a) => fmtAtom(a, names)).join(" ")}`;
  });
  const outs = j.outvars.map((a) => fmtAtom(a, names)).join(" ");
  if (!lines.length) return `${head} in (${outs}) }`;
  // Like JAX's pretty printer: one line when it fits in 80 columns.
  const oneLine = `${head} ${lines.map((l) => l.trim()).join("; ")} in (${outs}) }`;
  if (oneLine.length <= 80 && !oneLine.includes("\n")) return oneLine;
  return `${head}\n${lines.join("\n")}\n${indent}  in (${outs}) }`;
}
