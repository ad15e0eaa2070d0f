// jit: traces f once per input signature (shapes, dtypes, weak types, static values, pytree
// structure), compiles the jaxpr (ts/compile) and runs the compiled program on later calls.
// Under another transformation (arguments are tracers) the traced jaxpr is inlined.
import { ArrayBase } from "../array/base.js";
import { Array } from "../array/array.js";
import { config } from "../config.js";
import { ClosedJaxpr as ClosedJaxprClass, type ClosedJaxpr } from "../core/jaxpr.js";
import { keep } from "../runtime/memory.js";
import { evalClosed } from "../core/jaxpr.js";
import { avalOf, traceToJaxpr } from "../core/staging.js";
import { Tracer } from "../core/trace.js";
import { compileJaxpr, type Executable } from "../compile/index.js";
import { simplify } from "../compile/simplify.js";
import { flatten, unflatten, type TreeDef } from "../tree/index.js";
import { checkFunction, flattenArgs, normArgnums } from "./common.js";

export interface JitOptions {
  staticArgnums?: number | number[];
  staticArgnames?: string | string[];
  donateArgnums?: number | number[];
  /** The device to run on (default: the default device). */
  device?: string;
}

interface Entry {
  jaxpr: ClosedJaxpr;
  outDef: TreeDef;
  exe?: Executable;
}

export interface Lowered {
  /** The simplified jaxpr. */
  jaxpr: ClosedJaxpr;
  /** The kernels the program became, one line each (fused kernels and routines). */
  kernels: string[];
  asText(): string;
}

export interface Jitted<F extends (...args: any[]) => any> {
  (...args: Parameters<F>): ReturnType<F>;
  /** Number of traces so far (one per new signature). */
  readonly traceCount: number;
  cacheSize(): number;
  clearCache(): void;
  lower(...args: Parameters<F>): Lowered;
}

/** jit(f, {staticArgnums, staticArgnames, donateArgnums, device}). */
export function jit<F extends (...args: any[]) => any>(f: F, opts: JitOptions = {}): Jitted<F> {
  checkFunction("jit", f);
  const cache = new Map<string, Entry>();
  let traceCount = 0;
  const staticNames = new Set(typeof opts.staticArgnames === "string" ? [opts.staticArgnames] : opts.staticArgnames ?? []);

  /** Splits the arguments into static values and dynamic leaves; returns the cache key. */
  const prepare = (args: unknown[]) => {
    const staticNums = new Set(opts.staticArgnums === undefined ? [] : normArgnums("jit staticArgnums", opts.staticArgnums, args.length));
    const donate = new Set(opts.donateArgnums === undefined ? [] : normArgnums("jit donateArgnums", opts.donateArgnums, args.length));
    const dynArgs: unknown[] = [];
    const keyParts: string[] = [];
    const dynIdx: number[] = [];
    args.forEach((a, i) => {
      if (staticNums.has(i)) {
        keyParts.push(`s${i}=${staticKey(a, i)}`);
      } else if (staticNames.size && isPlainObject(a) && i === args.length - 1) {
        // A trailing options object: named static arguments are static, the rest dynamic.
        const dyn: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(a)) {
          if (staticNames.has(k)) keyParts.push(`n${k}=${staticKey(v, k)}`);
          else dyn[k] = v;
        }
        dynArgs.push(dyn);
        dynIdx.push(i);
      } else {
        dynArgs.push(a);
        dynIdx.push(i);
      }
    });
    const [leaves, def] = flattenArgs("jit", dynArgs);
    keyParts.push(def.toString());
    for (const l of leaves) keyParts.push(`${l.dtype}${l.weakType ? "w" : ""}[${l.shape}]`);
    keyParts.push(modeKey());
    const donated = new Set<ArrayBase>();
    dynIdx.forEach((ai, di) => donate.has(ai) && flatten(dynArgs[di])[0].forEach((l) => l instanceof ArrayBase && donated.add(l)));
    return { leaves, def, key: keyParts.join("|"), dynIdx, donated };
  };

  const getEntry = (args: unknown[], p: ReturnType<typeof prepare>): Entry => {
    let e = cache.get(p.key);
    if (!e) {
      traceCount++;
      let outDef!: TreeDef;
      const raw = traceToJaxpr((ins) => {
        const dyn = unflatten(p.def, ins) as unknown[];
        const full = args.slice();
        p.dynIdx.forEach((ai, di) => {
          if (isPlainObject(args[ai]) && staticNames.size && ai === args.length - 1) full[ai] = { ...(args[ai] as object), ...(dyn[di] as object) };
          else full[ai] = dyn[di];
        });
        const [outs, def] = flattenArgs("jit", f(...full));
        outDef = def;
        return outs;
      }, p.leaves.map(avalOf));
      e = { jaxpr: retainConstants(simplify(raw)), outDef };
      cache.set(p.key, e);
    }
    return e;
  };

  // Fast path for the common call: every argument a concrete array, no static or donated
  // arguments. The key is built from shapes and dtypes alone (no pytree flattening).
  const simple = opts.staticArgnums === undefined && !staticNames.size && opts.donateArgnums === undefined;
  const fastCache = new Map<string, Entry>();
  const fastKey = (args: unknown[]): string | undefined => {
    let key = modeKey();
    for (const a of args) {
      if (!(a instanceof Array)) return undefined;
      key += `|${a.dtype}${a.weakType ? "w" : ""}[${a.shape}]`;
    }
    return key;
  };

  const jitted = ((...args: unknown[]) => {
    if (config.read("jax_disable_jit")) return f(...args);
    const fk = simple ? fastKey(args) : undefined;
    if (fk !== undefined) {
      const hit = fastCache.get(fk);
      if (hit?.exe) {
        for (const a of args) (a as Array)._check("jit");
        return unflatten(hit.outDef, hit.exe.run(args as Array[], NO_DONATION)) as ReturnType<F>;
      }
    }
    const p = prepare(args);
    const entry = getEntry(args, p);
    if (fk !== undefined) fastCache.set(fk, entry);
    const inlined = p.leaves.some((l) => l instanceof Tracer);
    if (inlined) return unflatten(entry.outDef, evalClosed(entry.jaxpr, p.leaves)) as ReturnType<F>;
    for (const l of p.leaves) (l as Array)._check("jit");
    entry.exe ??= compileJaxpr(entry.jaxpr, { device: opts.device });
    const outs = entry.exe.run(p.leaves as Array[], p.donated as Set<Array>);
    for (const d of p.donated) d.dispose();
    return unflatten(entry.outDef, outs) as ReturnType<F>;
  }) as unknown as Jitted<F>;

  Object.defineProperty(jitted, "traceCount", { get: () => traceCount });
  jitted.cacheSize = () => cache.size;
  jitted.clearCache = () => {
    cache.clear();
    fastCache.clear();
  };
  jitted.lower = (...args: Parameters<F>): Lowered => {
    const p = prepare(args);
    const entry = getEntry(args, p);
    entry.exe ??= compileJaxpr(entry.jaxpr, { device: opts.device });
    const kernels = entry.exe.describe();
    return { jaxpr: entry.jaxpr, kernels, asText: () => kernels.join("\n") };
  };
  return jitted;
}

const NO_DONATION = new Set<Array>();

/** The flags a trace depends on: x64 (dtypes) and the threefry counter layout (random bits). */
function modeKey(): string {
  return (config.x64 ? "x64" : "x32") + (config.read("jax_threefry_partitionable") ? "p" : "l");
}

/**
 * The cache owns the constants its jaxprs captured (nested ones included): each becomes a
 * view of its own, outside every tidy() scope. Otherwise a function first traced inside
 * tidy() would keep buffers that tidy frees (and the pool reuses), and a captured array
 * the user disposes would break later calls.
 */
function retainConstants(cj: ClosedJaxpr, seen = new Set<ClosedJaxpr>()): ClosedJaxpr {
  if (seen.has(cj)) return cj;
  seen.add(cj);
  const consts = cj.consts as ArrayBase[];
  for (let i = 0; i < consts.length; i++) {
    const c = consts[i];
    if (c instanceof Array && !c.disposed) consts[i] = keep(c._view(c.shape, c._strides, c._offset));
  }
  const walk = (v: unknown): void => {
    if (v instanceof ClosedJaxprClass) retainConstants(v, seen);
    else if (globalThis.Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(walk);
  };
  for (const e of cj.jaxpr.eqns) walk(e.params);
  return cj;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype && !(x instanceof ArrayBase);
}

const functionIds = new Map<unknown, number>();

/** A cache key for a static argument; arrays and functions are rejected (not hashable). */
function staticKey(v: unknown, where: number | string): string {
  const bad = (what: string) =>
    new TypeError(
      `jit: static argument ${typeof where === "number" ? `#${where}` : JSON.stringify(where)} must be hashable ` +
        `(a number, string, boolean, null or a list/object of those), got ${what}. Pass arrays as dynamic arguments.`,
    );
  const rec = (x: unknown): string => {
    if (x === null || x === undefined) return "null";
    if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
    if (typeof x === "string") return JSON.stringify(x);
    if (typeof x === "boolean") return String(x);
    if (x instanceof ArrayBase) throw bad(`an array of shape [${x.shape}]`);
    if (globalThis.Array.isArray(x)) return `[${x.map(rec).join(",")}]`;
    if (isPlainObject(x)) return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${rec(x[k])}`).join(",")}}`;
    if (typeof x === "function") {
      // Functions are hashable by identity, as in Python.
      let id = functionIds.get(x);
      if (id === undefined) functionIds.set(x, (id = functionIds.size + 1));
      return `fn${id}`;
    }
    throw bad(typeof x);
  };
  return rec(v);
}
