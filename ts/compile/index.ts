// jaxpr -> executable program. The executable runs on concrete arrays of one device.
import type { Array } from "../array/array.js";
import type { ClosedJaxpr } from "../core/jaxpr.js";
import { interpret, lastUses } from "./interpret.js";

export interface Executable {
  /** Runs the program; `donated` inputs may have their buffers reused (the caller disposes them). */
  run(args: Array[], donated: Set<Array>): Array[];
  /** One line per kernel the program runs. */
  describe(): string[];
}

export interface CompileOptions {
  device?: string;
}

export function compileJaxpr(cj: ClosedJaxpr, _opts: CompileOptions = {}): Executable {
  const dying = lastUses(cj.jaxpr);
  return {
    run(args) {
      const outs = interpret(cj, args, dying) as Array[];
      // Results that are inputs or constants come back as fresh views: disposing one must
      // not dispose the other.
      const shared = new Set<unknown>([...args, ...cj.consts]);
      const seen = new Set<Array>();
      return outs.map((o) => {
        if (shared.has(o) || seen.has(o)) return o._view(o.shape, o._strides, o._offset);
        seen.add(o);
        return o;
      });
    },
    describe() {
      return cj.jaxpr.eqns.map((e) => e.prim.name);
    },
  };
}
