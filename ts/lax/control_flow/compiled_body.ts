// Eager execution of control-flow bodies: each closed jaxpr compiles once (ts/compile) and
// its program runs every iteration. Programs are also shared between jaxprs of the same
// structure and constants (a function calling lax.scan eagerly retraces its body on every
// call; the retraced body reuses the program).
import type { Array } from "../../array/array.js";
import { ClosedJaxpr, Jaxpr, Literal, Var, jaxprHooks, type Atom } from "../../core/jaxpr.js";
import { compileJaxpr, type Executable } from "../../compile/index.js";

interface CompiledBody {
  /** The program of the outputs computed by equations (undefined when there are none). */
  exe?: Executable;
  /** Per output: ["computed", k] (k-th program output), ["input", i], ["const", i] or ["literal", 0]. */
  sources: ["computed" | "input" | "const" | "literal", number][];
}

const byJaxpr = new WeakMap<ClosedJaxpr, CompiledBody>();
const byStructure = new Map<string, CompiledBody>();
const MAX_SHARED = 256;

/**
 * Runs a closed jaxpr on concrete arrays with its compiled program (compiled on first use).
 * Outputs that are inputs, constants or literals are forwarded as fresh views: the program
 * only computes the others.
 */
export function runCompiled(cj: ClosedJaxpr, args: Array[]): Array[] {
  let body = byJaxpr.get(cj);
  if (!body) {
    const key = structuralKey(cj);
    body = key === undefined ? undefined : byStructure.get(key);
    if (!body) {
      body = compileBody(cj);
      if (key !== undefined) {
        if (byStructure.size >= MAX_SHARED) byStructure.delete(byStructure.keys().next().value!);
        byStructure.set(key, body);
      }
    }
    byJaxpr.set(cj, body);
  }
  const outs = body.exe ? body.exe.run(args, new Set()) : [];
  const view = (a: Array) => a._view(a.shape, a._strides, a._offset);
  return body.sources.map(([kind, i], o) => {
    if (kind === "computed") return outs[i];
    if (kind === "input") return view(args[i]);
    if (kind === "const") return view(cj.consts[i] as Array);
    const lit = cj.jaxpr.outvars[o] as Literal;
    return jaxprHooks.literal!(lit.value, lit.aval) as Array;
  });
}

function compileBody(cj: ClosedJaxpr): CompiledBody {
  const j = cj.jaxpr;
  const inIdx = new Map<Var, number>(j.invars.map((v, i) => [v, i]));
  const constIdx = new Map<Var, number>(j.constvars.map((v, i) => [v, i]));
  let k = 0;
  const sources = j.outvars.map((o): ["computed" | "input" | "const" | "literal", number] =>
    o instanceof Literal ? ["literal", 0] : inIdx.has(o) ? ["input", inIdx.get(o)!] : constIdx.has(o) ? ["const", constIdx.get(o)!] : ["computed", k++],
  );
  const computed = j.outvars.filter((_, i) => sources[i][0] === "computed");
  const exe = computed.length ? compileJaxpr(new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, j.eqns, computed), cj.consts)) : undefined;
  return { exe, sources };
}

// ---- structural keys ----

const objectIds = new WeakMap<object, number>();
let nextId = 0;
const idOf = (o: object): number => {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = ++nextId));
  return id;
};

/**
 * A key equal for jaxprs that compute the same thing: equations, types, literals, params
 * and the identity of every constant (nested jaxprs included). Undefined when a param is
 * something whose equality is not known (functions, class instances): never shared.
 */
export function structuralKey(cj: ClosedJaxpr): string | undefined {
  const parts: string[] = [];
  const ok = keyOfClosed(cj, parts);
  return ok ? parts.join("") : undefined;
}

function keyOfClosed(cj: ClosedJaxpr, out: string[]): boolean {
  out.push("{c:", cj.consts.map((c) => idOf(c)).join(","), ";");
  return keyOfJaxpr(cj.jaxpr, out) && (out.push("}"), true);
}

function keyOfJaxpr(j: Jaxpr, out: string[]): boolean {
  const names = new Map<Var, number>();
  const aval = (v: { aval: { shape: number[]; dtype: string; weakType: boolean } }) => `${v.aval.dtype}${v.aval.weakType ? "w" : ""}[${v.aval.shape}]`;
  const def = (v: Var) => (names.set(v, names.size), `${names.size - 1}:${aval(v)}`);
  const use = (a: Atom) => (a instanceof Literal ? `L${Object.is(a.value, -0) ? "-0" : String(a.value)}:${aval(a)}` : `${names.get(a) ?? "?"}`);
  out.push(j.constvars.map(def).join(","), ";", j.invars.map(def).join(","), ";");
  for (const e of j.eqns) {
    out.push(e.prim.name, "(", e.inputs.map(use).join(","), ")[");
    if (!keyOfValue(e.params, out)) return false;
    out.push("]", e.outputs.map(def).join(","), ";");
  }
  out.push("->", j.outvars.map(use).join(","));
  return true;
}

function keyOfValue(v: unknown, out: string[]): boolean {
  if (v === null || v === undefined) return out.push("n"), true;
  if (typeof v === "number") return out.push(Object.is(v, -0) ? "-0" : String(v)), true;
  if (typeof v === "string") return out.push(JSON.stringify(v)), true;
  if (typeof v === "boolean") return out.push(v ? "t" : "f"), true;
  if (v instanceof ClosedJaxpr) return keyOfClosed(v, out);
  if (v instanceof Jaxpr) return out.push("{"), keyOfJaxpr(v, out) && (out.push("}"), true);
  if (globalThis.Array.isArray(v)) {
    out.push("[");
    for (const x of v) if (!keyOfValue(x, out) || !out.push(",")) return false;
    return out.push("]"), true;
  }
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    out.push("{");
    for (const k of Object.keys(v).sort()) {
      out.push(JSON.stringify(k), ":");
      if (!keyOfValue((v as Record<string, unknown>)[k], out)) return false;
      out.push(",");
    }
    return out.push("}"), true;
  }
  return false;
}
