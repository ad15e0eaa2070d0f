// Gradient utilities of jax.example_libraries.optimizers: the l2 norm of a pytree (for weight
// decay) and clipping a gradient tree to a maximum norm.
import { ArrayBase } from "../array/base.js";
import * as np from "../numpy/index.js";
import { leaves, map, type PyTree } from "../tree/index.js";

/** sqrt(Σ vdot(x, x)) over the tree's leaves. */
export function l2Norm(tree: PyTree): ArrayBase {
  let total: ArrayBase | number = 0;
  for (const x of leaves(tree)) total = np.add(total, np.vdot(x as ArrayBase, x as ArrayBase));
  return np.sqrt(total);
}

/** Scales every leaf by maxNorm / norm when the tree's l2 norm is at least maxNorm. */
export function clipGrads(gradTree: PyTree, maxNorm: number | ArrayBase): PyTree {
  const norm = l2Norm(gradTree);
  return map((g: ArrayBase) => np.where(np.less(norm, maxNorm), g, np.multiply(g, np.divide(maxNorm, norm))), gradTree);
}
