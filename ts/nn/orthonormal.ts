// The Q factor of a thin QR decomposition with a positive diagonal in R, for the orthogonal
// initializer. For a full-rank A (m ≥ n) that Q is unique, so it equals JAX's
// `Q * sign(diag(R))` from LAPACK's Householder QR up to rounding. It is computed by
// Gram-Schmidt with one re-orthogonalization per column ("twice is enough": orthogonal to
// working precision for the well-conditioned Gaussian matrices the initializer draws),
// written with array operations so that it also traces under jit.
import type { ArrayBase } from "../array/base.js";
import * as np from "../numpy/index.js";

/** Orthonormal columns spanning A's columns, in order (A is m × n with m ≥ n). */
export function orthonormalColumns(a: ArrayBase): ArrayBase {
  const [m, n] = a.shape;
  if (a.ndim !== 2 || m < n) throw new RangeError(`nn.initializers.orthogonal: internal QR expects an m×n matrix with m >= n, got [${a.shape}]`);
  const cols: ArrayBase[] = [];
  for (let j = 0; j < n; j++) {
    let v: ArrayBase = np.take(a, j, { axis: 1 });
    if (j > 0) {
      const q = np.stack(cols, 1);
      for (let pass = 0; pass < 2; pass++) v = np.subtract(v, np.matmul(q, np.matmul(np.transpose(q), v)));
    }
    cols.push(np.divide(v, np.sqrt(np.dot(v, v))));
  }
  return n === 0 ? np.zerosLike(a) : np.stack(cols, 1);
}
