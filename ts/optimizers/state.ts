// The optimizer state and the `optimizer` decorator of jax.example_libraries.optimizers.
//
// JAX's OptimizerState is a namedtuple (packed_state, tree_def, subtree_defs) registered as a
// pytree whose only children are the packed states; the tree definitions are static aux data.
// edgejax pytrees are plain lists, objects and null, so here the tree definitions are stored
// as *leafless* pytrees (every node a one-key object: {leaf: null}, {none: null},
// {list: [...]}, {dict: {...}}). They flatten to no leaves, so the state still has exactly
// the arrays as leaves, passes through jit, vmap and tree.map unchanged, and its structure
// (hence jit's cache key) records the parameter structure as JAX's aux data does.
import { ArrayBase } from "../array/base.js";
import { defaultFloat } from "../array/dtype.js";
import { toStorage } from "../numpy/convert.js";
import { fromBytes } from "../runtime/eager.js";
import { flatten, TreeDef, unflatten, type PyTree } from "../tree/index.js";

/** A tree definition as a pytree without leaves (JSON-safe too). */
export type EncodedTreeDef =
  | { leaf: null }
  | { none: null }
  | { list: EncodedTreeDef[] }
  | { dict: { [key: string]: EncodedTreeDef } };

export interface OptimizerState {
  /** Per parameter leaf (in tree order), the leaves of that parameter's state. */
  packedState: ArrayBase[][];
  /** The parameters' tree structure. */
  treeDef: EncodedTreeDef;
  /** Per parameter leaf, the structure of its state. */
  subtreeDefs: EncodedTreeDef[];
}

export type Step = number | ArrayBase;
export type InitFn = (params: PyTree) => OptimizerState;
export type UpdateFn = (step: Step, grads: PyTree, state: OptimizerState) => OptimizerState;
export type ParamsFn = (state: OptimizerState) => PyTree;

/** `[initFun, updateFun, getParams]`, also readable as `.initFn`, `.updateFn`, `.paramsFn`. */
export type Optimizer = [InitFn, UpdateFn, ParamsFn] & { initFn: InitFn; updateFn: UpdateFn; paramsFn: ParamsFn };

/** The per-array rules an optimizer is written with (JAX's opt_maker triple). */
export interface LeafRules<S extends PyTree> {
  init(x0: ArrayBase): S;
  update(step: Step, g: ArrayBase, state: S): S;
  getParams(state: S): ArrayBase;
}

export function encodeTreeDef(def: TreeDef): EncodedTreeDef {
  switch (def.kind) {
    case "leaf":
      return { leaf: null };
    case "none":
      return { none: null };
    case "list":
      return { list: def.children.map(encodeTreeDef) };
    case "dict": {
      const d: { [key: string]: EncodedTreeDef } = {};
      def.keys.forEach((k, i) => (d[k] = encodeTreeDef(def.children[i])));
      return { dict: d };
    }
  }
}

export function decodeTreeDef(fn: string, e: unknown): TreeDef {
  const bad = () => new TypeError(`${fn}: not an encoded tree definition: ${JSON.stringify(e)?.slice(0, 200)}`);
  if (e === null || typeof e !== "object" || Array.isArray(e)) throw bad();
  const keys = Object.keys(e);
  if (keys.length !== 1) throw bad();
  const v = (e as Record<string, unknown>)[keys[0]];
  switch (keys[0]) {
    case "leaf":
      return new TreeDef("leaf");
    case "none":
      return new TreeDef("none");
    case "list":
      if (!Array.isArray(v)) throw bad();
      return new TreeDef("list", v.map((c) => decodeTreeDef(fn, c)));
    case "dict": {
      if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad();
      const ks = Object.keys(v).sort();
      return new TreeDef("dict", ks.map((k) => decodeTreeDef(fn, (v as Record<string, unknown>)[k])), ks);
    }
    default:
      throw bad();
  }
}

/** A parameter leaf as an array: JS numbers become weak float scalars (parameters are floats). */
function paramLeaf(fn: string, x: unknown): ArrayBase {
  if (x instanceof ArrayBase) return x;
  if (typeof x === "number") return fromBytes(toStorage([x], defaultFloat()), [], defaultFloat(), true);
  throw new TypeError(`${fn}: parameter and gradient leaves must be arrays or numbers, got ${x === null ? "null" : typeof x}`);
}

function checkState(fn: string, state: unknown): OptimizerState {
  const s = state as OptimizerState;
  if (s === null || typeof s !== "object" || !Array.isArray(s.packedState) || !Array.isArray(s.subtreeDefs) || s.treeDef === undefined) {
    throw new TypeError(`${fn}: expected an optimizer state (the object initFun returns, with packedState, treeDef and subtreeDefs)`);
  }
  return s;
}

/**
 * JAX's `optimizer` decorator: turns per-array rules into `[init, update, getParams]` over any
 * pytree of parameters.
 */
export function optimizer<S extends PyTree>(name: string, rules: LeafRules<S>): Optimizer {
  const init: InitFn = (params) => {
    const [leaves, def] = flatten(params);
    const packed: ArrayBase[][] = [];
    const subtrees: EncodedTreeDef[] = [];
    for (const l of leaves) {
      const [stateLeaves, stateDef] = flatten(rules.init(paramLeaf(`optimizers.${name} init`, l)));
      packed.push(stateLeaves as ArrayBase[]);
      subtrees.push(encodeTreeDef(stateDef));
    }
    return { packedState: packed, treeDef: encodeTreeDef(def), subtreeDefs: subtrees };
  };

  const update: UpdateFn = (step, grads, state) => {
    const fn = `optimizers.${name} update`;
    const s = checkState(fn, state);
    const tree = decodeTreeDef(fn, s.treeDef);
    const [gradLeaves, gradDef] = flatten(grads);
    if (!gradDef.equals(tree)) {
      throw new TypeError(
        `${fn}: the gradient tree does not match the parameter tree structure the optimizer was initialized with: parameter tree ${tree} and grad tree ${gradDef}`,
      );
    }
    const packed: ArrayBase[][] = [];
    s.packedState.forEach((leaves, i) => {
      const sub = decodeTreeDef(fn, s.subtreeDefs[i]);
      const newState = rules.update(step, paramLeaf(fn, gradLeaves[i]), unflatten(sub, leaves) as S);
      const [newLeaves, newDef] = flatten(newState);
      if (!newDef.equals(sub)) {
        throw new TypeError(`${fn}: the update produced a state of structure ${newDef}, expected ${sub} (the structure init produced)`);
      }
      packed.push(newLeaves as ArrayBase[]);
    });
    return { packedState: packed, treeDef: s.treeDef, subtreeDefs: s.subtreeDefs };
  };

  const getParams: ParamsFn = (state) => {
    const fn = `optimizers.${name} getParams`;
    const s = checkState(fn, state);
    const params = s.packedState.map((leaves, i) => rules.getParams(unflatten(decodeTreeDef(fn, s.subtreeDefs[i]), leaves) as S));
    return unflatten(decodeTreeDef(fn, s.treeDef), params);
  };

  return Object.assign([init, update, getParams] as [InitFn, UpdateFn, ParamsFn], { initFn: init, updateFn: update, paramsFn: getParams });
}
