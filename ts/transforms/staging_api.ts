// makeJaxpr, evalShape, blockUntilReady, disableJit.
import { ArrayBase } from "../array/base.js";
import { config } from "../config.js";
import type { ClosedJaxpr } from "../core/jaxpr.js";
import { avalOf, traceToJaxpr } from "../core/staging.js";
import { foldLiterals } from "../compile/simplify.js";
import { flatten, unflatten, type TreeDef } from "../tree/index.js";
import { checkFunction, flattenArgs, normArgnums } from "./common.js";

/** makeJaxpr(f, {staticArgnums})(...args): the jaxpr of f at these argument types. */
export function makeJaxpr(f: (...args: any[]) => any, opts: { staticArgnums?: number | number[] } = {}): (...args: any[]) => ClosedJaxpr {
  checkFunction("makeJaxpr", f);
  return (...args: any[]) => {
    const stat = new Set(opts.staticArgnums === undefined ? [] : normArgnums("makeJaxpr", opts.staticArgnums, args.length));
    const dynIdx = [...args.keys()].filter((i) => !stat.has(i));
    const [leaves, def] = flattenArgs("makeJaxpr", dynIdx.map((i) => args[i]));
    const cj = traceToJaxpr((ins) => {
      const dyn = unflatten(def, ins) as unknown[];
      const full = args.slice();
      dynIdx.forEach((ai, k) => (full[ai] = dyn[k]));
      return flattenArgs("makeJaxpr", f(...full))[0];
    }, leaves.map(avalOf));
    return foldLiterals(cj);
  };
}

/** A shape and dtype: what evalShape returns for each output leaf. */
export interface ShapeDtypeStruct {
  shape: number[];
  dtype: string;
  weakType: boolean;
}

/** evalShape(f, ...args): the output's shapes and dtypes, computing nothing. */
export function evalShape(f: (...args: any[]) => any, ...args: any[]): any {
  checkFunction("evalShape", f);
  const [leaves, def] = flatten(args, isSDS);
  const avals = leaves.map((l) =>
    l instanceof ArrayBase ? avalOf(l) : isSDS(l) ? { shape: l.shape.slice(), dtype: l.dtype, weakType: !!l.weakType } : avalOf(flattenArgs("evalShape", l)[0][0]),
  );
  let outDef!: TreeDef;
  const cj = traceToJaxpr((ins) => {
    const [outs, d] = flattenArgs("evalShape", f(...(unflatten(def, ins) as unknown[])));
    outDef = d;
    return outs;
  }, avals as never);
  return unflatten(outDef, cj.outAvals.map((a) => ({ shape: a.shape, dtype: a.dtype, weakType: a.weakType })));
}

function isSDS(x: unknown): x is ShapeDtypeStruct {
  return !!x && typeof x === "object" && !(x instanceof ArrayBase) && Array.isArray((x as ShapeDtypeStruct).shape) && typeof (x as ShapeDtypeStruct).dtype === "string";
}

/** Waits until every array in the tree is computed (CPU work is synchronous); returns the tree. */
export async function blockUntilReady<T>(tree: T): Promise<T> {
  for (const l of flatten(tree)[0]) if (l instanceof ArrayBase && l.device !== "cpu") await l.data();
  return tree;
}

/** Runs fn with jit disabled (jitted functions run op by op), restoring the flag after. */
export function disableJit<R>(fn: () => R): R {
  const prev = config.read("jax_disable_jit");
  config.update("jax_disable_jit", true);
  try {
    return fn();
  } finally {
    config.update("jax_disable_jit", prev);
  }
}
