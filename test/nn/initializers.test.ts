// nn.initializers (ts/nn/initializers.ts): JAX's documented example outputs (generated with
// the legacy threefry counters), fans, sample statistics against the target variance, the
// truncation bounds, orthogonality, shapes/dtypes, errors, and jit against eager.
import { afterEach, describe, expect, it } from "vitest";
import { Array, config, jit, nn, numpy as np, random } from "../../ts/index.js";
import { backends, expectArray, useBackend } from "../helpers.js";

const I = nn.initializers;
const vals = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);

/** Mean and (population) variance of the values. */
function moments(x: Array): [number, number] {
  const v = vals(x);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return [mean, v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length];
}

// The examples in the docstrings of jax/_src/nn/initializers.py: PRNGKey(42), shape (2, 3),
// float32. They were produced with JAX's legacy (non-partitionable) threefry counters.
const DOCS: [string, () => nn.initializers.Initializer, number[][]][] = [
  ["uniform(10)", () => I.uniform(10.0), [[7.298188, 8.691938, 8.7230015], [2.0818567, 1.8662417, 5.5022564]]],
  ["normal(5)", () => I.normal(5.0), [[3.0613258, 5.6129413, 5.6866574], [-4.063663, -4.4520254, 0.63115686]]],
  ["truncatedNormal(5)", () => I.truncatedNormal(5.0), [[2.9047365, 5.2338114, 5.29852], [-3.836303, -4.192359, 0.6022964]]],
  ["glorotUniform", () => I.glorotUniform(), [[0.50350785, 0.8088631, 0.81566876], [-0.6393332, -0.6865721, 0.11003882]]],
  ["glorotNormal", () => I.glorotNormal(), [[0.41770416, 0.75262755, 0.7619329], [-0.5516644, -0.6028657, 0.08661086]]],
  ["lecunUniform", () => I.lecunUniform(), [[0.56293887, 0.90433645, 0.9119454], [-0.71479625, -0.7676109, 0.12302713]]],
  ["lecunNormal", () => I.lecunNormal(), [[0.46700746, 0.8414632, 0.8518669], [-0.61677957, -0.67402434, 0.09683388]]],
  ["heUniform", () => I.heUniform(), [[0.79611576, 1.2789248, 1.2896855], [-1.0108745, -1.0855657, 0.17398663]]],
  ["heNormal", () => I.heNormal(), [[0.6604483, 1.1900088, 1.2047218], [-0.87225807, -0.95321447, 0.1369438]]],
  ["orthogonal", () => I.orthogonal(), [[3.9026976e-1, 7.2495741e-1, -5.6756169e-1], [8.8047469e-1, -4.7409311e-1, -1.3157725e-4]]],
];

describe.each(backends)("nn.initializers on %s", (backend) => {
  useBackend(backend);
  const partitionable = config.read("jax_threefry_partitionable");
  afterEach(() => config.update("jax_threefry_partitionable", partitionable));

  it.each(DOCS.map((d) => [d[0], d] as const))("%s reproduces JAX's documented example", (_, [, make, want]) => {
    config.update("jax_threefry_partitionable", false);
    // The uniform bits are exact; the normal samplers go through float32 erf_inv/log, whose
    // last-bit rounding differs between XLA and here: 1e-6 relative (about 8 ulp). The
    // orthogonal example's last entry comes out of a cancellation, hence the absolute 1e-6.
    expectArray(make()(random.PRNGKey(42), [2, 3], "float32"), want, { rtol: 1e-6, atol: 1e-6, dtype: "float32" });
  });

  it("deltaOrthogonal reproduces JAX's documented example", () => {
    config.update("jax_threefry_partitionable", false);
    const z = [0, 0, 0];
    const want = [[z, z, z], [[0.27858758, -0.7949833, -0.53887904], [0.9120717, 0.04322892, 0.40774566], [-0.30085585, -0.6050892, 0.73712474]], [z, z, z]];
    expectArray(I.deltaOrthogonal()(random.PRNGKey(42), [3, 3, 3], "float32"), want, { rtol: 1e-6, atol: 1e-6 });
  });

  it("zeros, ones and constant ignore the key", () => {
    const k = random.PRNGKey(0);
    expectArray(I.zeros(k, [2, 3], "float32"), [[0, 0, 0], [0, 0, 0]], { dtype: "float32" });
    expectArray(I.ones(k, [3, 2]), [[1, 1], [1, 1], [1, 1]], { dtype: "float32" });
    expectArray(I.constant(-7)(k, [2, 3]), [[-7, -7, -7], [-7, -7, -7]], { dtype: "float32" });
    expect(I.constant(2, "float16")(k, [1]).dtype).toBe("float16");
    expect(I.normal(1, "float16")(k, [4]).dtype).toBe("float16");
    expect(I.glorotNormal()(k, [4, 5], "float16").dtype).toBe("float16");
    expect(() => I.zeros(k, [2], "int32")).toThrow(/float dtype/);
  });

  it("fans: dense, convolution (receptive field), explicit and batch axes", () => {
    expect(I.computeFans([64, 32])).toEqual([64, 32]);
    expect(I.computeFans([3, 3, 16, 32])).toEqual([144, 288]);
    expect(I.computeFans([64, 8], 1, 0)).toEqual([8, 64]);
    expect(I.computeFans([4, 64, 32], -2, -1, 0)).toEqual([64, 32]);
    expect(I.computeFans([2, 3, 5, 7], [0, 1], 3)).toEqual([30, 35]);
    expect(() => I.computeFans([5])).toThrow(/at least 2D/);
    expect(() => I.varianceScaling(1, "fan_sum" as never, "normal")).toThrow(/invalid mode/);
    expect(() => I.varianceScaling(1, "fan_in", "cauchy" as never)).toThrow(/invalid distribution/);
    expect(() => I.glorotNormal()(random.PRNGKey(0), [5])).toThrow(/at least 2D/);
  });

  // 256·512 = 131072 samples: the sample variance's relative standard deviation is
  // sqrt(2/n) ≈ 0.4% for a normal (less for the truncated normal and the uniform), so 2% is
  // five standard deviations; the mean's standard deviation is σ/sqrt(n) ≈ 0.3% of σ.
  const stats: [string, () => nn.initializers.Initializer, number, "truncated" | "normal" | "uniform"][] = [
    ["glorotNormal", () => I.glorotNormal(), 2 / (256 + 512), "truncated"],
    ["glorotUniform", () => I.glorotUniform(), 2 / (256 + 512), "uniform"],
    ["heNormal", () => I.heNormal(), 2 / 256, "truncated"],
    ["heUniform", () => I.heUniform(), 2 / 256, "uniform"],
    ["lecunNormal", () => I.lecunNormal(), 1 / 256, "truncated"],
    ["lecunUniform", () => I.lecunUniform(), 1 / 256, "uniform"],
    ["varianceScaling(3, fan_out, normal)", () => I.varianceScaling(3, "fan_out", "normal"), 3 / 512, "normal"],
    ["varianceScaling(0.5, fan_in, truncated_normal)", () => I.varianceScaling(0.5, "fan_in", "truncated_normal"), 0.5 / 256, "truncated"],
  ];

  it.each(stats.map((s) => [s[0], s] as const))("%s: variance scale / fan, mean 0, support", (_, [, make, variance, dist]) => {
    const w = make()(random.PRNGKey(7), [256, 512]);
    expect(w.shape).toEqual([256, 512]);
    expect(w.dtype).toBe("float32");
    const [mean, v] = moments(w);
    expect(Math.abs(v / variance - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(variance / w.size));
    const maxAbs = vals(w).reduce((a, b) => Math.max(a, Math.abs(b)), 0);
    const sd = Math.sqrt(variance);
    // Truncation at two standard deviations of the *untruncated* normal, whose stddev is
    // sd / 0.8796...; the uniform lives in [-sqrt(3)·sd, sqrt(3)·sd).
    if (dist === "truncated") expect(maxAbs).toBeLessThanOrEqual((2 * sd) / 0.87962566103423978 + 1e-6);
    if (dist === "uniform") expect(maxAbs).toBeLessThanOrEqual(Math.sqrt(3) * sd + 1e-6);
    if (dist === "normal") expect(maxAbs).toBeGreaterThan(3 * sd); // untruncated tails appear in 131k samples
  });

  it("orthogonal: orthonormal columns or rows, column axis, scale", () => {
    const eye = (n: number) => globalThis.Array.from({ length: n }, (_, i) => globalThis.Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
    const k = random.PRNGKey(3);
    const tall = I.orthogonal()(k, [40, 12]);
    // Orthonormal to float32 working precision (Gram-Schmidt with re-orthogonalization).
    expectArray(np.matmul(tall.T, tall), eye(12), { atol: 2e-6 });
    const wide = I.orthogonal()(k, [12, 40]);
    expectArray(np.matmul(wide, wide.T), eye(12), { atol: 2e-6 });
    const conv = I.orthogonal(2.0)(k, [3, 3, 4, 8]);
    expect(conv.shape).toEqual([3, 3, 4, 8]);
    const m = conv.reshape([36, 8]);
    expectArray(np.matmul(m.T, m), eye(8).map((r) => r.map((v) => 4 * v)), { atol: 1e-5 });
    const byRows = I.orthogonal(1.0, 0)(k, [6, 10]);
    // columnAxis 0 of a [6, 10] shape: the 6 "columns" are the rows; they are orthonormal.
    expectArray(np.matmul(byRows, byRows.T), eye(6), { atol: 2e-6 });
    expect(() => I.orthogonal()(k, [5])).toThrow(/2D/);
  });

  it("deltaOrthogonal: zero except an orthogonal matrix at the spatial centre", () => {
    const w = I.deltaOrthogonal()(random.PRNGKey(1), [3, 3, 4, 4]);
    const centre = w.get("1, 1");
    expectArray(np.matmul(centre.T, centre), [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], { atol: 2e-6 });
    expect(Number(np.sum(np.abs(w)).item())).toBeCloseTo(Number(np.sum(np.abs(centre)).item()), 5);
    expect(() => I.deltaOrthogonal()(random.PRNGKey(1), [3, 4])).toThrow(/3D, 4D or 5D/);
    expect(() => I.deltaOrthogonal()(random.PRNGKey(1), [3, 5, 4])).toThrow(/fan_in/);
  });

  it("jit equals eager (the key traced)", () => {
    const k = random.PRNGKey(11);
    for (const make of [I.glorotNormal, I.heUniform, () => I.varianceScaling(2, "fan_avg", "normal"), () => I.orthogonal()]) {
      const init = make();
      const eager = init(k, [5, 4]);
      const compiled = jit((key: Array) => init(key, [5, 4]))(k);
      expectArray(compiled, eager.tolist() as never, { rtol: 1e-6, atol: 1e-7 });
    }
  });
});
