// A small edgejax program that other runtimes run (test/runtime/runtimes.test.ts): `ej` is
// the published bundle's module; the results must equal what the same code gives in Node.
export function runProgram(ej) {
  const { numpy: np, jit, grad, vmap, random } = ej;
  const x = np.array([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], "float32");
  const y = np.arange(1, 9).astype("float32");
  const sinc = (v) => np.divide(np.sin(v), v);
  const m = np.reshape(np.arange(12).astype("float32"), [3, 4]);
  return {
    sinPlusCos: jit((a, b) => np.add(np.sin(a), np.cos(b)))(x, y).tolist(),
    gradSinc: grad(sinc)(2.0).item(),
    vmapGrad: vmap(grad(sinc))(np.array([1, 2, 3], "float32")).tolist(),
    matmul: np.matmul(m, np.transpose(m)).tolist(),
    sorted: np.sort(np.array([3, -1, 2, 0], "float32")).tolist(),
    bits: random.bits(random.key(0), [4]).tolist(),
    normal: random.normal(random.key(1), [3]).tolist(),
  };
}
