// jaxpr -> executable program: simplified jaxpr -> kernel graph (fusion) -> memory plan ->
// execution. The executable runs on concrete arrays of one device.
import type { Array } from "../array/array.js";
import type { ClosedJaxpr } from "../core/jaxpr.js";
import { execute } from "./execute.js";
import { defaultFusionOptions, planFusion, type FusionOptions } from "./fusion.js";
import { buildProgram, type Program } from "./program.js";
import { simplify } from "./simplify.js";
import { getBackend } from "../runtime/device.js";

function targetName(device: string | undefined): string {
  try {
    return getBackend(device).name;
  } catch {
    return device ?? "cpu";
  }
}

export interface Executable {
  /** Runs the program; `donated` inputs may have their buffers reused (the caller disposes them). */
  run(args: Array[], donated: Set<Array>): Array[];
  /** One line per kernel the program runs. */
  describe(): string[];
}

export interface CompileOptions {
  device?: string;
  /** Most buffers (inputs + outputs) one fused kernel may bind; at least 4. */
  maxKernelBuffers?: number;
  /** Cost (cheap ops; a transcendental counts 8) up to which a shared value is recomputed per kernel. */
  recomputeLimit?: number;
  /** Let elementwise kernels write over donated inputs (backends that allow aliased bindings). */
  inPlace?: boolean;
}

/** WebGPU's default limit of storage buffers per shader stage. */
const GPU_MAX_BUFFERS = 8;

export function compileJaxpr(cj: ClosedJaxpr, opts: CompileOptions = {}): Executable {
  const cpu = targetName(opts.device) === "cpu";
  const fusion: FusionOptions = {
    maxBuffers: opts.maxKernelBuffers ?? (cpu ? defaultFusionOptions.maxBuffers : GPU_MAX_BUFFERS),
    recomputeLimit: opts.recomputeLimit ?? defaultFusionOptions.recomputeLimit,
  };
  if (!(fusion.maxBuffers >= 4)) {
    throw new RangeError(`compileJaxpr: maxKernelBuffers must be at least 4 (a select reads 3 buffers and writes 1), got ${opts.maxKernelBuffers}`);
  }
  const simple = simplify(cj);
  const prog: Program = buildProgram(simple, planFusion(simple, fusion));
  const consts = simple.consts as Array[];
  // The CPU VM reads a block before writing it; a GPU may not bind one buffer twice.
  const exec = { device: opts.device, inPlace: opts.inPlace ?? cpu };
  return {
    run: (args, donated) => execute(prog, consts, args, donated, exec),
    describe: () => prog.steps.map((s) => s.line),
  };
}
