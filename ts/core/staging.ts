// The staging trace: records the primitives applied to its tracers as jaxpr equations.
// It serves makeJaxpr and jit (every input a tracer) and linearize (only the tangents are
// tracers: primal work on concrete values runs eagerly, so partial evaluation is free).
// Values from outside (concrete arrays, tracers of lower traces) become constvars.
import { ArrayBase } from "../array/base.js";
import { ClosedJaxpr, Jaxpr, Var, type Atom, type Eqn } from "./jaxpr.js";
import type { Aval, Params, Primitive } from "./primitive.js";
import { Trace, Tracer, leakedTracerError, withTrace } from "./trace.js";

export function avalOf(x: ArrayBase): Aval {
  if (x instanceof Tracer) return x.aval;
  return { shape: x.shape, dtype: x.dtype, weakType: x.weakType };
}

export class StagingTracer extends Tracer {
  constructor(
    readonly _trace: StagingTrace,
    readonly aval: Aval,
    readonly variable: Var,
    /** For a lifted outside value: the value itself (known when partially evaluating). */
    readonly constValue?: ArrayBase,
  ) {
    super();
  }
  override toString(): string {
    return `Traced<${this.dtype}[${this.shape}]>`;
  }
}

/**
 * A staging rule for primitives that partially evaluate themselves (control flow): given
 * the inputs, some of them known (lifted constants), it may run the known part outside and
 * stage only the rest. Returns the outputs (tracers of `trace` or outside values).
 */
export type StagingRule = (trace: StagingTrace, args: StagingTracer[], params: Params) => ArrayBase[];

export class StagingTrace extends Trace {
  /**
   * Set by linearize: control-flow primitives then split into a part run now and a staged
   * part (partial evaluation). jit and makeJaxpr leave it off and stage programs as written.
   */
  partialEval = false;
  readonly eqns: Eqn[] = [];
  readonly constVars: Var[] = [];
  readonly constVals: ArrayBase[] = [];
  private readonly lifted = new Map<ArrayBase, StagingTracer>();

  lift(x: ArrayBase): StagingTracer {
    if (x instanceof Tracer && !x._trace.alive) throw leakedTracerError(x);
    let t = this.lifted.get(x);
    if (!t) {
      const aval = avalOf(x);
      const v = new Var(aval);
      t = new StagingTracer(this, aval, v, x);
      this.constVars.push(v);
      this.constVals.push(x);
      this.lifted.set(x, t);
    }
    return t;
  }

  /** A new input of the jaxpr being built. */
  newArg(aval: Aval): StagingTracer {
    const a = { shape: aval.shape.slice(), dtype: aval.dtype, weakType: aval.weakType };
    return new StagingTracer(this, a, new Var(a));
  }

  /** Stages one equation (no partial evaluation). */
  stage(prim: Primitive, tracers: StagingTracer[], params: Params, outAvals?: Aval[]): StagingTracer[] {
    const avals = outAvals ?? prim.rules.abstractEval(tracers.map((t) => t.aval), params);
    const outs = avals.map((a) => {
      const v = new Var(a);
      return new StagingTracer(this, a, v);
    });
    this.eqns.push({ prim, inputs: tracers.map((t) => t.variable), params, outputs: outs.map((o) => o.variable) });
    return outs;
  }

  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): ArrayBase[] {
    const ts = tracers as StagingTracer[];
    const rule = prim.rules.staging as StagingRule | undefined;
    if (rule) return rule(this, ts, params);
    return this.stage(prim, ts, params);
  }

  /** The staged jaxpr from `inputs` to `outputs` (outside values among outputs become constvars). */
  build(inputs: StagingTracer[], outputs: ArrayBase[]): ClosedJaxpr {
    const outAtoms: Atom[] = outputs.map((o) => (o instanceof StagingTracer && o._trace === this ? o : this.lift(o)).variable);
    const jaxpr = new Jaxpr(this.constVars.slice(), inputs.map((t) => t.variable), this.eqns.slice(), outAtoms);
    return new ClosedJaxpr(jaxpr, this.constVals.slice());
  }
}

/**
 * Traces `fn` on abstract inputs of the given avals into a closed jaxpr. `fn` takes and
 * returns flat lists of arrays; non-array outputs must be converted by the caller.
 */
export function traceToJaxpr(fn: (args: ArrayBase[]) => ArrayBase[], inAvals: Aval[]): ClosedJaxpr {
  return withTrace(
    (level) => new StagingTrace(level),
    (trace) => {
      trace.dynamic = true;
      const ins = inAvals.map((a) => trace.newArg(a));
      const outs = fn(ins);
      return trace.build(ins, outs);
    },
  );
}
