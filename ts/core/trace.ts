// bind: the one entry point of every primitive application. With no transformation active
// it evaluates eagerly; transformations (jvp, vmap, jaxpr tracing) push traces whose tracers
// intercept bind, as in JAX (autodidax's design).
import { ArrayBase } from "../array/base.js";
import { Array } from "../array/array.js";
import { asInternal } from "../runtime/buffer.js";
import type { Aval, Params, Primitive } from "./primitive.js";

export abstract class Trace {
  /** False once the transformation that made this trace has returned. */
  alive = true;
  /**
   * Set on traces that stage a whole function (jit, makeJaxpr, control-flow bodies):
   * primitives without inputs (iota) are staged into the innermost such trace instead of
   * running at trace time, so no output-sized constant is captured.
   */
  dynamic = false;
  constructor(readonly level: number) {}
  /** Wraps a value of a lower level as this trace's tracer. */
  abstract lift(x: ArrayBase): Tracer;
  abstract processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): ArrayBase[];
}

export abstract class Tracer extends ArrayBase {
  abstract readonly _trace: Trace;
  abstract readonly aval: Aval;
  get shape(): number[] {
    return this.aval.shape;
  }
  get dtype() {
    return this.aval.dtype;
  }
  get weakType(): boolean {
    return this.aval.weakType;
  }
  get device(): string {
    return "traced";
  }
  private concrete(what: string): never {
    throw new Error(
      `${what}: a concrete value is required, but this is an abstract tracer ` +
        `(shape [${this.shape}], ${this.dtype}) inside a transformation (jit, grad, vmap). ` +
        "Use lax.cond / np.where instead of JS control flow on traced values, or mark the argument static.",
    );
  }
  dataSync(): never { return this.concrete("dataSync"); }
  data(): never { return this.concrete("data"); }
  tolist(): never { return this.concrete("tolist"); }
  item(): never { return this.concrete("item"); }
  dispose(): void {}
  [Symbol.toPrimitive](): never { return this.concrete("converting a traced array to a JS value (if/while/Number)"); }
}

/** The stack of active traces (the bottom, eager evaluation, is implicit). */
export const traceStack: Trace[] = [];

/** Runs `fn` with a new trace on top of the stack (its level above every active one). */
export function withTrace<T extends Trace, R>(make: (level: number) => T, fn: (trace: T) => R): R {
  const trace = make(traceStack.length + 1);
  traceStack.push(trace);
  try {
    return fn(trace);
  } finally {
    traceStack.pop();
    trace.alive = false;
  }
}

export function leakedTracerError(t: Tracer): Error {
  return new Error(
    `a tracer (shape [${t.shape}], ${t.dtype}) escaped the transformation (jit, grad, vmap, ...) that ` +
      "made it, e.g. by being stored in an outer variable. Return values from the transformed function instead.",
  );
}

export function bind<P extends Params>(prim: Primitive<P>, args: ArrayBase[], params: P): ArrayBase[] {
  let top: Trace | undefined;
  for (const a of args) {
    if (a instanceof Tracer) {
      if (!a._trace.alive) throw leakedTracerError(a);
      if (!top || a._trace.level > top.level) top = a._trace;
    }
  }
  if (!top) {
    if (prim.rules.stageWhenTracing) {
      for (let i = traceStack.length - 1; i >= 0; i--) {
        if (traceStack[i].dynamic) return traceStack[i].processPrimitive(prim as unknown as Primitive, [], params);
      }
    }
    return prim.impl(args as Array[], params);
  }
  const tracers = args.map((a) => (a instanceof Tracer && a._trace === top ? a : top!.lift(a)));
  return asInternal(() => top!.processPrimitive(prim as unknown as Primitive, tracers, params));
}

/** bind for single-result primitives. */
export function bind1<P extends Params>(prim: Primitive<P>, args: ArrayBase[], params: P): ArrayBase {
  return bind(prim, args, params)[0];
}
