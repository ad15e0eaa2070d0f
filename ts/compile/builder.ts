// Builds the scalar DAG of a FusedKernel. Used by eager lowering (one primitive) and by jit
// fusion (many), so a primitive's `lower` rule is written once.
import type { BinaryOp, DType, FusedKernel, ScalarNode, UnaryOp } from "../runtime/kernel.js";

export class KernelBuilder {
  readonly nodes: ScalarNode[] = [];
  readonly inputs: { dtype: DType }[] = [];

  dtype(node: number): DType {
    return this.nodes[node].dtype;
  }

  private push(n: ScalarNode): number {
    this.nodes.push(n);
    return this.nodes.length - 1;
  }

  input(dtype: DType): number {
    this.inputs.push({ dtype });
    return this.push({ kind: "input", input: this.inputs.length - 1, dtype });
  }
  const(value: number, dtype: DType): number {
    return this.push({ kind: "const", value, dtype });
  }
  unary(op: UnaryOp, arg: number, dtype: DType = this.dtype(arg)): number {
    return this.push({ kind: "unary", op, arg, dtype });
  }
  binary(op: BinaryOp, a: number, b: number, dtype: DType = this.dtype(a)): number {
    return this.push({ kind: "binary", op, args: [a, b], dtype });
  }
  select(pred: number, onTrue: number, onFalse: number): number {
    return this.push({ kind: "select", args: [pred, onTrue, onFalse], dtype: this.dtype(onTrue) });
  }
  cast(arg: number, dtype: DType): number {
    if (this.dtype(arg) === dtype) return arg;
    return this.push({ kind: "cast", arg, dtype });
  }
  bitcast(arg: number, dtype: DType): number {
    return this.push({ kind: "bitcast", arg, dtype });
  }
  iota(axis: number, dtype: DType): number {
    return this.push({ kind: "iota", axis, dtype });
  }
  /** In an epilogue: the reduction's result at the current output position. */
  reduced(dtype: DType): number {
    return this.push({ kind: "reduced", dtype });
  }

  /** An elementwise kernel whose outputs are the given nodes. */
  build(outputs: number[]): FusedKernel {
    return {
      inputs: this.inputs.slice(),
      nodes: this.nodes.slice(),
      outputs: outputs.map((n) => ({ node: n, dtype: this.dtype(n) })),
    };
  }
}
