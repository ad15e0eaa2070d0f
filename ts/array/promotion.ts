// JAX's type promotion lattice, weak types included (jax/_src/dtypes.py).
//
// Weak types are JS numbers: they adopt the other operand's dtype where the lattice allows,
// so `2 * int8Array` stays int8 and `int32Array + 1.5` is a (weak) float32.
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

/** The result type of combining a and b (jnp.result_type for two operands). */
export function promoteTypes(a: TypeInfo, b: TypeInfo): TypeInfo {
  if (a.dtype === b.dtype && a.weak === b.weak) return a;
  const key = `${a.dtype}${a.weak ? "*" : ""}|${b.dtype}${b.weak ? "*" : ""}`;
  let r = cache.get(key);
  if (!r) {
    const n = join(toNode(a), toNode(b));
    if (n === "i*") r = { dtype: canonicalDtype("int32"), weak: true };
    else if (n === "f*") r = { dtype: canonicalDtype("float64"), weak: true };
    else if (n === "bfloat16") r = { dtype: "float16", weak: false };
    else r = { dtype: canonicalDtype(n), weak: false };
    cache.set(key, r);
  }
  return r;
}

/** Result type of several operands (jnp.result_type). */
export function resultType(...ts: TypeInfo[]): TypeInfo {
  if (ts.length === 0) throw new TypeError("resultType: at least one operand is required");
  return ts.reduce(promoteTypes);
}

/** Clears the cache (the x64 flag changes canonicalization). */
export function resetPromotionCache(): void {
  cache.clear();
}
