// JAX's type promotion lattice, weak types included (jax/_src/dtypes.py).
//
// Weak types are JS numbers: they adopt the other operand's dtype where the lattice allows,
// so `2 * int8Array` stays int8 and `int32Array + 1.5` is a (weak) float32.
import { config } from "../config.js";
import { canonicalDtype, type DType } from "./dtype.js";

type Node =
  | "bool" | "i*" | "f*"
  | "uint8" | "uint16" | "uint32" | "uint64"
  | "int8" | "int16" | "int32" | "int64"
  | "bfloat16" | "float16" | "float32" | "float64";

// Edges of the lattice: each node -> the nodes just above it (complex types omitted).
const UP: Record<Node, Node[]> = {
  bool: ["i*"],
  "i*": ["uint8", "int8"],
  uint8: ["int16", "uint16"],
  uint16: ["int32", "uint32"],
  uint32: ["int64", "uint64"],
  uint64: ["f*"],
  int8: ["int16"],
  int16: ["int32"],
  int32: ["int64"],
  int64: ["f*"],
  "f*": ["bfloat16", "float16"],
  bfloat16: ["float32"],
  float16: ["float32"],
  float32: ["float64"],
  float64: [],
};
const NODES = Object.keys(UP) as Node[];

function upperSet(n: Node): Set<Node> {
  const seen = new Set<Node>([n]);
  const stack = [n];
  while (stack.length) for (const m of UP[stack.pop()!]) if (!seen.has(m)) seen.add(m), stack.push(m);
  return seen;
}
const UPPER = new Map(NODES.map((n) => [n, upperSet(n)]));

function join(a: Node, b: Node): Node {
  const ua = UPPER.get(a)!;
  const ub = UPPER.get(b)!;
  const common = NODES.filter((n) => ua.has(n) && ub.has(n));
  // The least upper bound: the common node whose upper set contains all the others.
  const lub = common.find((c) => common.every((o) => UPPER.get(c)!.has(o)));
  if (!lub) throw new TypeError(`no common dtype for ${a} and ${b}`);
  return lub;
}

export interface TypeInfo {
  dtype: DType;
  weak: boolean;
}

function toNode(t: TypeInfo): Node {
  if (t.weak) {
    if (t.dtype === "bool") return "bool";
    if (t.dtype === "float16" || t.dtype === "float32" || t.dtype === "float64") return "f*";
    return "i*";
  }
  return t.dtype;
}

const cache = new Map<string, TypeInfo>();

function fromNode(n: Node): TypeInfo {
  if (n === "i*") return { dtype: canonicalDtype("int32"), weak: true };
  if (n === "f*") return { dtype: canonicalDtype("float64"), weak: true };
  if (n === "bfloat16") return { dtype: "float16", weak: false };
  return { dtype: canonicalDtype(n), weak: false };
}

/** JAX's dtypes.lattice_result_type over n operands (not a fold: the all-weak rule is n-ary). */
function latticeResult(ts: TypeInfo[]): TypeInfo {
  if (ts.length === 1) return { dtype: ts[0].dtype, weak: ts[0].weak && ts[0].dtype !== "bool" };
  const allWeak = ts.every((t) => t.weak);
  if (!allWeak && ts.every((t) => t.dtype === ts[0].dtype)) return { dtype: ts[0].dtype, weak: false };
  if (allWeak) {
    // Every operand weak: the join of their strong dtypes, made weak (weak int8 + weak int16
    // is a weak int16, not a weak int32).
    const r = fromNode(ts.map((t) => t.dtype as Node).reduce(join));
    return { dtype: r.dtype, weak: r.dtype !== "bool" };
  }
  return fromNode(ts.map(toNode).reduce(join));
}

/** The result type of combining a and b (jnp.result_type for two operands). */
export function promoteTypes(a: TypeInfo, b: TypeInfo): TypeInfo {
  if (a.dtype === b.dtype && a.weak === b.weak) return a;
  const key = `${config.x64 ? "x64|" : ""}${a.dtype}${a.weak ? "*" : ""}|${b.dtype}${b.weak ? "*" : ""}`;
  let r = cache.get(key);
  if (!r) {
    r = latticeResult([a, b]);
    cache.set(key, r);
  }
  return r;
}

/** Result type of several operands (jnp.result_type). */
export function resultType(...ts: TypeInfo[]): TypeInfo {
  if (ts.length === 0) throw new TypeError("resultType: at least one operand is required");
  if (ts.length === 1) return ts[0];
  if (ts.length === 2) return promoteTypes(ts[0], ts[1]);
  return latticeResult(ts);
}

/** Clears the cache (the x64 flag changes canonicalization). */
export function resetPromotionCache(): void {
  cache.clear();
}
