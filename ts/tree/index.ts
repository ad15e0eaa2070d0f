// Pytrees: nested JS lists, plain objects (keys sorted, as JAX sorts dict keys) and null
// (an empty node). Everything else is a leaf (arrays, numbers, booleans, ...).
import { ArrayBase } from "../array/base.js";

export type PyTree = unknown;

/** The structure of a pytree with its leaves taken out. */
export class TreeDef {
  constructor(
    readonly kind: "leaf" | "list" | "dict" | "none",
    readonly children: TreeDef[] = [],
    readonly keys: string[] = [],
  ) {}
  get numLeaves(): number {
    if (this.kind === "leaf") return 1;
    let n = 0;
    for (const c of this.children) n += c.numLeaves;
    return n;
  }
  equals(other: TreeDef): boolean {
    if (this.kind !== other.kind || this.children.length !== other.children.length) return false;
    if (this.kind === "dict" && this.keys.join("\u0000") !== other.keys.join("\u0000")) return false;
    return this.children.every((c, i) => c.equals(other.children[i]));
  }
  toString(): string {
    switch (this.kind) {
      case "leaf":
        return "*";
      case "none":
        return "null";
      case "list":
        return `[${this.children.join(", ")}]`;
      case "dict":
        return `{${this.keys.map((k, i) => `${k}: ${this.children[i]}`).join(", ")}}`;
    }
  }
}

const LEAF = new TreeDef("leaf");

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object" || x instanceof ArrayBase) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Leaves (depth first, dict keys sorted) and the structure. */
export function flatten(tree: PyTree, isLeaf?: (x: unknown) => boolean): [unknown[], TreeDef] {
  const leaves: unknown[] = [];
  const rec = (x: unknown): TreeDef => {
    if (isLeaf?.(x)) {
      leaves.push(x);
      return LEAF;
    }
    if (x === null || x === undefined) return new TreeDef("none");
    if (Array.isArray(x)) return new TreeDef("list", x.map(rec));
    if (isPlainObject(x)) {
      const keys = Object.keys(x).sort();
      return new TreeDef("dict", keys.map((k) => rec(x[k])), keys);
    }
    leaves.push(x);
    return LEAF;
  };
  const def = rec(tree);
  return [leaves, def];
}

/** Rebuilds a tree of `def`'s structure from leaves. */
export function unflatten(def: TreeDef, leaves: readonly unknown[]): PyTree {
  let i = 0;
  const rec = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return null;
      case "list":
        return d.children.map(rec);
      case "dict": {
        const o: Record<string, unknown> = {};
        d.keys.forEach((k, j) => (o[k] = rec(d.children[j])));
        return o;
      }
    }
  };
  if (leaves.length !== def.numLeaves) {
    throw new TypeError(`tree.unflatten: the structure ${def} has ${def.numLeaves} leaves, got ${leaves.length}`);
  }
  return rec(def);
}

export function leaves(tree: PyTree): unknown[] {
  return flatten(tree)[0];
}

export function structure(tree: PyTree): TreeDef {
  return flatten(tree)[1];
}

/** tree.map(f, tree, ...rest): rest must have tree's structure (or extend it below its leaves). */
export function map(f: (...xs: any[]) => unknown, tree: PyTree, ...rest: PyTree[]): PyTree {
  const [ls, def] = flatten(tree);
  const others = rest.map((r) => flattenUpTo("tree.map", def, r));
  return unflatten(def, ls.map((l, i) => f(l, ...others.map((o) => o[i]))));
}

/**
 * The subtrees of `tree` at the leaf positions of `prefix` (JAX's flatten_up_to), e.g. for
 * vmap's in_axes, which may be a prefix of the arguments' structure.
 */
export function flattenUpTo(fn: string, prefix: TreeDef, tree: PyTree): unknown[] {
  const out: unknown[] = [];
  const rec = (d: TreeDef, x: unknown, path: string): void => {
    switch (d.kind) {
      case "leaf":
        out.push(x);
        return;
      case "none":
        if (x !== null && x !== undefined) throw mismatch(fn, path, "null", x);
        return;
      case "list":
        if (!Array.isArray(x) || x.length !== d.children.length) throw mismatch(fn, path, `a list of ${d.children.length}`, x);
        d.children.forEach((c, i) => rec(c, x[i], `${path}[${i}]`));
        return;
      case "dict": {
        if (!isPlainObject(x)) throw mismatch(fn, path, `an object with keys ${d.keys.join(", ")}`, x);
        const keys = Object.keys(x).sort();
        if (keys.join("\u0000") !== d.keys.join("\u0000")) throw mismatch(fn, path, `an object with keys ${d.keys.join(", ")}`, x);
        d.keys.forEach((k, i) => rec(d.children[i], x[k], `${path}.${k}`));
        return;
      }
    }
  };
  rec(prefix, tree, "");
  return out;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return "null";
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (x instanceof ArrayBase) return `an array of shape [${x.shape}]`;
  if (isPlainObject(x)) return `an object with keys ${Object.keys(x).sort().join(", ")}`;
  return typeof x;
}

function mismatch(fn: string, path: string, want: string, got: unknown): TypeError {
  return new TypeError(`${fn}: pytree structures differ at ${path || "the root"}: expected ${want}, got ${describe(got)}`);
}

export { flatten as treeFlatten, unflatten as treeUnflatten };
