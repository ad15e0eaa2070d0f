// Forward mode: the JVP trace carries (primal, tangent) pairs through each primitive's jvp
// rule. A null tangent is a symbolic zero (integer values, constants).
import type { ArrayBase } from "../array/base.js";
import { avalOf } from "../core/staging.js";
import type { Aval, Params, Primitive } from "../core/primitive.js";
import { Trace, Tracer, bind, withTrace } from "../core/trace.js";

export class JVPTracer extends Tracer {
  readonly aval: Aval;
  constructor(
    readonly _trace: JVPTrace,
    readonly primal: ArrayBase,
    readonly tangent: ArrayBase | null,
  ) {
    super();
    this.aval = avalOf(primal);
  }
}

export class JVPTrace extends Trace {
  lift(x: ArrayBase): JVPTracer {
    return new JVPTracer(this, x, null);
  }
  processPrimitive(prim: Primitive, tracers: Tracer[], params: Params): ArrayBase[] {
    const ts = tracers as JVPTracer[];
    const primals = ts.map((t) => t.primal);
    const tangents = ts.map((t) => t.tangent);
    // Nothing to differentiate: bind the primitive on the primals alone.
    if (tangents.every((t) => t === null)) return bind(prim, primals, params).map((p) => new JVPTracer(this, p, null));
    const rule = prim.rules.jvp;
    if (!rule) {
      throw new TypeError(
        `jvp/grad: the primitive ${prim.name} has no differentiation rule; ` +
          "wrap the computation in lax.stopGradient if its derivative is not needed",
      );
    }
    return wrapAll(this, rule(primals, tangents, params));
  }
}

function wrapAll(trace: JVPTrace, [ps, ts]: [ArrayBase[], (ArrayBase | null)[]]): ArrayBase[] {
  return ps.map((p, i) => new JVPTracer(trace, p, ts[i] ?? null));
}

/**
 * Runs `fn` on JVP tracers of the given primals and tangents (flat lists) and returns the
 * flat primal and tangent outputs. Outputs that did not depend on the inputs get null.
 */
export function jvpFlat(
  fn: (args: ArrayBase[]) => ArrayBase[],
  primals: ArrayBase[],
  tangents: (ArrayBase | null)[],
): [ArrayBase[], (ArrayBase | null)[]] {
  return withTrace(
    (level) => new JVPTrace(level),
    (trace) => {
      const ins = primals.map((p, i) => new JVPTracer(trace, p, tangents[i]));
      const outs = fn(ins);
      const po: ArrayBase[] = [];
      const to: (ArrayBase | null)[] = [];
      for (const o of outs) {
        if (o instanceof JVPTracer && o._trace === trace) {
          po.push(o.primal);
          to.push(o.tangent);
        } else {
          po.push(o);
          to.push(null);
        }
      }
      return [po, to];
    },
  );
}
