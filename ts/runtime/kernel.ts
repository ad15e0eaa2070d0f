// The kernel IR: what ts/compile hands to a backend, and what eager execution uses with
// one-primitive graphs. A backend executes two kinds of kernels:
//   - a FusedKernel: strided input views, a DAG of scalar ops per element, at most one
//     reduction with its epilogue, M outputs (contiguous, row-major);
//   - a routine (GEMM, conv, sort, gather/scatter, ...): see Backend in ./backend.ts.
// Nothing here depends on shapes of a particular call: the same FusedKernel object is run
// on any iteration shape and any input strides, so backends can cache its compiled form.

export type DType =
  | "float32"
  | "float64"
  | "float16"
  | "int32"
  | "uint32"
  | "int16"
  | "uint16"
  | "int8"
  | "uint8"
  | "bool";

/** Bytes per stored element. bool is one byte (0 or 1), float16 two (IEEE binary16). */
export const DTYPE_BYTES: Record<DType, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  int32: 4,
  uint32: 4,
  int16: 2,
  uint16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/**
 * Scalar operations. Binary ops take two operands of the node's operand dtype (`dtype` of
 * the arguments, identical for both, as lax requires); comparisons produce bool.
 * Semantics are lax's (not NumPy's): `div` truncates toward zero on integers, `rem` takes
 * the dividend's sign (C fmod) on ints and floats; integer division by zero gives what XLA
 * gives on CPU: x / 0 = -1 (all ones) for unsigned and signed, x % 0 = x.
 * Integer arithmetic wraps at the dtype's width (int8 + int8 wraps at 8 bits).
 * Shifts: shift amounts outside [0, bits) give 0 for shl/shr_logical and the sign fill for
 * shr_arith.
 */
export type UnaryOp =
  | "neg" | "abs" | "sign" | "floor" | "ceil" | "round_even" | "round_away" | "trunc"
  | "sqrt" | "rsqrt" | "cbrt" | "exp" | "exp2" | "expm1" | "log" | "log2" | "log10" | "log1p"
  | "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "tanh"
  | "asinh" | "acosh" | "atanh" | "erf" | "erfc" | "erf_inv" | "lgamma" | "digamma"
  | "logistic" | "reciprocal" | "square"
  | "not"          // bitwise not on ints, logical not on bool
  | "is_finite" | "is_nan" | "is_inf" | "signbit"   // -> bool
  | "popcount" | "clz";

export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "rem" | "pow" | "atan2" | "max" | "min"
  | "and" | "or" | "xor" | "shl" | "shr_arith" | "shr_logical"
  | "nextafter" | "copysign"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge";   // -> bool (float compares: NaN is unordered)

export type ScalarNode =
  /** Element of input `input` (an index into FusedKernel.inputs) at the current position. */
  | { kind: "input"; input: number; dtype: DType }
  /** A literal, already representable in dtype. */
  | { kind: "const"; value: number; dtype: DType }
  | { kind: "unary"; op: UnaryOp; arg: number; dtype: DType }
  /** `dtype` is the result dtype (bool for comparisons); operands are nodes of equal dtype. */
  | { kind: "binary"; op: BinaryOp; args: [number, number]; dtype: DType }
  /** pred ? onTrue : onFalse (pred is a bool node). lax.select_n(p, f, t) lowers to this. */
  | { kind: "select"; args: [pred: number, onTrue: number, onFalse: number]; dtype: DType }
  /** convert_element_type: float->int truncates toward zero and saturates (NaN -> 0), as XLA. */
  | { kind: "cast"; arg: number; dtype: DType }
  /** Reinterpret the bits (same width). */
  | { kind: "bitcast"; arg: number; dtype: DType }
  /** The index along `axis` of the iteration space (int32 or uint32). */
  | { kind: "iota"; axis: number; dtype: DType }
  /** In an epilogue only: the reduction's result at the current output position. */
  | { kind: "reduced"; dtype: DType };

export type ReduceOp = "sum" | "prod" | "max" | "min" | "and" | "or" | "argmax" | "argmin";

export interface Reduction {
  op: ReduceOp;
  /** Axes of the iteration space that are reduced (sorted, distinct). argmax/argmin: one axis. */
  axes: number[];
  /** The node (in `nodes`) whose values are reduced. */
  arg: number;
  /**
   * dtype of the accumulator and result. sum/prod accumulate in this dtype (float16 sums
   * accumulate in float32 and round once at the end). argmax/argmin give int32 indices:
   * ties take the lowest index; NaN wins (the first NaN).
   */
  dtype: DType;
}

export interface FusedKernel {
  /** dtype of each input; each input is used by `nodes` or by `epilogue`, not both. */
  inputs: { dtype: DType; epilogue?: boolean }[];
  /** Scalar DAG over the iteration space, in topological order. */
  nodes: ScalarNode[];
  reduce?: Reduction;
  /** With a reduction: scalar DAG over the output space (may use "reduced" and epilogue inputs). */
  epilogue?: ScalarNode[];
  /** Output nodes: indices into `epilogue` when there is a reduction, else into `nodes`. */
  outputs: { node: number; dtype: DType }[];
}

/**
 * Where an input's elements are at run time: element strides (may be 0 for broadcast, or
 * negative for reversal) over the iteration space (or over the output space for epilogue
 * inputs), and an element offset into its buffer.
 */
export interface ViewLayout {
  strides: number[];
  offset: number;
}

// JSON writes Infinity, -Infinity and NaN as null and -0 as 0: spell them out so constants
// that differ only there do not share a compiled kernel.
const keyNumber = (_: string, v: unknown) =>
  typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0)) ? (Object.is(v, -0) ? "-0" : String(v)) : v;

/** A stable string for caching compiled forms of a kernel. */
export function kernelKey(k: FusedKernel): string {
  return JSON.stringify([k.inputs, k.nodes, k.reduce ?? null, k.epilogue ?? null, k.outputs], keyNumber);
}
