// Distribution tests for every sampler: Kolmogorov-Smirnov against the exact CDF (float64
// reference functions in ./stats.ts) and the first two moments; chi-square goodness of fit for
// discrete samplers. Seeds are fixed, so each test is deterministic; the levels (0.001 for KS
// and chi-square, 5 standard errors for moments) keep correct samplers passing while a wrong
// location, scale or shape at these sample sizes fails by a wide margin.
import { describe, expect, it } from "vitest";
import { type Array, numpy as np, random, vmap } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";
import * as S from "./stats.js";

const N = 20000;
const vals = (x: Array): Float64Array => Float64Array.from(x.dataSync() as ArrayLike<number>);

function expectKs(xs: ArrayLike<number>, cdf: (x: number) => number): void {
  const d = S.ksStatistic(xs, cdf);
  expect(d).toBeLessThan(S.ksCritical(xs.length));
}

/** Mean within 5 standard errors; variance within 5 standard errors given the excess kurtosis. */
function expectMoments(xs: ArrayLike<number>, mean: number, variance: number, excessKurtosis: number | null): void {
  const n = xs.length;
  expect(Math.abs(S.mean(xs) - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
  if (excessKurtosis !== null) {
    expect(Math.abs(S.variance(xs) - variance)).toBeLessThan(5 * variance * Math.sqrt((excessKurtosis + 2) / n));
  }
}

function expectChiSquare(counts: number[], probs: number[]): void {
  expect(S.chiSquare(counts, probs)).toBeLessThan(S.chiSquareCritical(counts.length - 1));
}

function countInts(xs: ArrayLike<number>, lo: number, hi: number): number[] {
  const c = new globalThis.Array<number>(hi - lo + 1).fill(0);
  let outside = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (v >= lo && v <= hi && Number.isInteger(v)) c[v - lo]++;
    else outside++;
  }
  expect(outside).toBe(0);
  return c;
}

describe.each(backends)("random distributions on %s", (backend) => {
  useBackend(backend);

  describe("continuous", () => {
    it("uniform(-2, 3)", () => {
      const xs = vals(random.uniform(random.key(1), [N], { minval: -2, maxval: 3 }));
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(-2);
      expect(Math.max(...xs)).toBeLessThan(3);
      expectKs(xs, (x) => (x + 2) / 5);
      expectMoments(xs, 0.5, 25 / 12, -1.2);
    });
    it("normal", () => {
      const xs = vals(random.normal(random.key(2), [N]));
      expectKs(xs, S.normalCdf);
      expectMoments(xs, 0, 1, 0);
    });
    it("truncatedNormal(-1, 2)", () => {
      const xs = vals(random.truncatedNormal(random.key(3), -1, 2, [N]));
      expect(Math.min(...xs)).toBeGreaterThan(-1);
      expect(Math.max(...xs)).toBeLessThan(2);
      const a = S.normalCdf(-1);
      const z = S.normalCdf(2) - a;
      expectKs(xs, (x) => (S.normalCdf(x) - a) / z);
    });
    it("exponential", () => {
      const xs = vals(random.exponential(random.key(4), [N]));
      expectKs(xs, (x) => 1 - Math.exp(-x));
      expectMoments(xs, 1, 1, 6);
    });
    it("gumbel", () => {
      const xs = vals(random.gumbel(random.key(5), [N]));
      expectKs(xs, (x) => Math.exp(-Math.exp(-x)));
      expectMoments(xs, 0.5772156649, (Math.PI * Math.PI) / 6, 2.4);
    });
    it("laplace", () => {
      const xs = vals(random.laplace(random.key(6), [N]));
      expectKs(xs, (x) => (x < 0 ? 0.5 * Math.exp(x) : 1 - 0.5 * Math.exp(-x)));
      expectMoments(xs, 0, 2, 3);
    });
    it("logistic", () => {
      const xs = vals(random.logistic(random.key(7), [N]));
      expectKs(xs, (x) => 1 / (1 + Math.exp(-x)));
      expectMoments(xs, 0, (Math.PI * Math.PI) / 3, 1.2);
    });
    it("cauchy (no moments: KS only)", () => {
      const xs = vals(random.cauchy(random.key(8), [N]));
      expectKs(xs, (x) => 0.5 + Math.atan(x) / Math.PI);
    });
    it.each([0.3, 1, 4.5])("gamma(%s)", (a) => {
      const n = 8000;
      const xs = vals(random.gamma(random.key(9), a, [n]));
      expectKs(xs, (x) => S.gammaP(a, x));
      expectMoments(xs, a, a, 6 / a);
    });
    it("gamma with an array of shapes broadcast against shape", () => {
      const xs = random.gamma(random.key(10), np.array([0.5, 8], "float32"), [4000, 2]);
      const cols = [0, 1].map((j) => vals(xs.get(`:, ${j}`)));
      expectKs(cols[0], (x) => S.gammaP(0.5, x));
      expectKs(cols[1], (x) => S.gammaP(8, x));
    });
    it("loggamma(0.2): log of Gamma(0.2) without underflow", () => {
      const xs = vals(random.loggamma(random.key(11), 0.2, [8000]));
      expect(xs.every(Number.isFinite)).toBe(true);
      expectKs(xs, (x) => S.gammaP(0.2, Math.exp(x)));
    });
    it("beta(0.8, 2.5)", () => {
      const xs = vals(random.beta(random.key(12), 0.8, 2.5, [6000]));
      expectKs(xs, (x) => S.betaI(0.8, 2.5, x));
      const m = 0.8 / 3.3;
      expectMoments(xs, m, (0.8 * 2.5) / (3.3 * 3.3 * 4.3), null);
    });
    it("dirichlet([0.5, 1.5, 3]): rows sum to 1, marginals are beta", () => {
      const alpha = [0.5, 1.5, 3];
      const x = random.dirichlet(random.key(13), np.array(alpha, "float32"), [5000]);
      const sums = vals(np.sum(x, -1));
      expect(sums.every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
      for (let j = 0; j < 3; j++) expectKs(vals(x.get(`:, ${j}`)), (v) => S.betaI(alpha[j], 5 - alpha[j], v));
    });
    it("chisquare(3)", () => {
      const xs = vals(random.chisquare(random.key(14), 3, [8000]));
      expectKs(xs, (x) => S.gammaP(1.5, x / 2));
      expectMoments(xs, 3, 6, 4);
    });
    it("t(10)", () => {
      const xs = vals(random.t(random.key(15), 10, [8000]));
      expectKs(xs, (x) => S.studentTCdf(10, x));
      expectMoments(xs, 0, 1.25, 1);
    });
    it("multivariateNormal: sample mean and covariance", () => {
      const mean = [1, -2, 0.5];
      const cov = [[2, 0.6, -0.4], [0.6, 1, 0.2], [-0.4, 0.2, 0.5]];
      const x = random.multivariateNormal(random.key(16), np.array(mean, "float32"), np.array(cov, "float32"), [N]);
      expect(x.shape).toEqual([N, 3]);
      const cols = [0, 1, 2].map((j) => vals(x.get(`:, ${j}`)));
      for (let i = 0; i < 3; i++) {
        expectMoments(cols[i], mean[i], cov[i][i], 0);
        for (let j = 0; j < i; j++) {
          let c = 0;
          const mi = S.mean(cols[i]);
          const mj = S.mean(cols[j]);
          for (let r = 0; r < N; r++) c += (cols[i][r] - mi) * (cols[j][r] - mj);
          c /= N;
          // se of a covariance: sqrt((s_ii s_jj + s_ij^2) / n)
          expect(Math.abs(c - cov[i][j])).toBeLessThan(5 * Math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] ** 2) / N));
        }
      }
    });
    it("orthogonal: Q^T Q = I and Haar (a coordinate of a column is uniform on [-1, 1] for n = 3)", () => {
      const q = random.orthogonal(random.key(17), 3, [4000]);
      expect(q.shape).toEqual([4000, 3, 3]);
      const qtq = vals(np.matmul(np.swapaxes(q, -1, -2), q));
      let worst = 0;
      for (let i = 0; i < qtq.length; i++) worst = Math.max(worst, Math.abs(qtq[i] - ((i % 9) % 4 === 0 ? 1 : 0)));
      expect(worst).toBeLessThan(1e-5);
      expectKs(vals(q.get(":, 0, 0")), (x) => (x + 1) / 2);
      expectKs(vals(q.get(":, 2, 1")), (x) => (x + 1) / 2);
      expect(random.orthogonal(random.key(17), 2, [], { m: 5 }).shape).toEqual([2, 5]);
    });
    it("ball(d=3): radius has CDF r^3, directions are centered", () => {
      const x = random.ball(random.key(18), 3, { shape: [8000] });
      const r = vals(np.sqrt(np.sum(np.square(x), -1)));
      expect(r.every((v) => v <= 1)).toBe(true);
      expectKs(r, (v) => v ** 3);
      expectMoments(vals(x.get(":, 0")), 0, 0.2, null);
    });
    it("ball(d=2, p=1): inside the L1 ball, radius CDF r^2", () => {
      const x = random.ball(random.key(19), 2, { p: 1, shape: [8000] });
      const r = vals(np.sum(np.abs(x), -1));
      expect(r.every((v) => v <= 1 + 1e-6)).toBe(true);
      expectKs(r, (v) => v ** 2);
    });
  });

  describe("discrete", () => {
    it("bernoulli(0.3)", () => {
      const xs = vals(random.bernoulli(random.key(20), 0.3, [N]).astype("int32"));
      expectChiSquare(countInts(xs, 0, 1), [0.7, 0.3]);
    });
    it("bernoulli with an array of probabilities", () => {
      const p = np.array([0.1, 0.9], "float32");
      const xs = random.bernoulli(random.key(21), p, [N, 2]).astype("int32");
      expectChiSquare(countInts(vals(xs.get(":, 0")), 0, 1), [0.9, 0.1]);
      expectChiSquare(countInts(vals(xs.get(":, 1")), 0, 1), [0.1, 0.9]);
    });
    it("rademacher", () => {
      const xs = vals(random.rademacher(random.key(22), [N]));
      const c = countInts(xs, -1, 1);
      expect(c[1]).toBe(0);
      expectChiSquare([c[0], c[2]], [0.5, 0.5]);
    });
    it("randint(-3, 7)", () => {
      const xs = vals(random.randint(random.key(23), [N], -3, 7));
      expectChiSquare(countInts(xs, -3, 6), new globalThis.Array(10).fill(0.1));
    });
    it("randint edge cases: maxval <= minval gives minval; bounds clip to the dtype", () => {
      expect(random.randint(random.key(0), [4], 5, 5).tolist()).toEqual([5, 5, 5, 5]);
      expect(random.randint(random.key(0), [4], 5, 2).tolist()).toEqual([5, 5, 5, 5]);
      const u8 = random.randint(random.key(0), [N], 0, 256, "uint8");
      expect(u8.dtype).toBe("uint8");
      expectChiSquare(countInts(vals(u8), 0, 255), new globalThis.Array(256).fill(1 / 256));
    });
    it.each([3.5, 25])("poisson(%s)", (lam) => {
      const xs = vals(random.poisson(random.key(24), lam, [N]));
      // Bins with expected count >= 5; the tails are pooled into the end bins.
      let lo = 0;
      const pmf = (k: number): number => Math.exp(k * Math.log(lam) - lam - S.lgamma(k + 1));
      while (pmf(lo) * N < 5 && lo < lam) lo++;
      let hi = Math.ceil(lam);
      while (pmf(hi + 1) * N >= 5) hi++;
      const probs: number[] = [];
      for (let k = lo; k <= hi; k++) probs.push(pmf(k));
      let below = 0;
      for (let k = 0; k < lo; k++) below += pmf(k);
      probs[0] += below;
      probs[probs.length - 1] += 1 - probs.reduce((a, b) => a + b, 0);
      const counts = new globalThis.Array<number>(probs.length).fill(0);
      for (const x of xs) counts[Math.min(Math.max(x, lo), hi) - lo]++;
      expectChiSquare(counts, probs);
      expectMoments(xs, lam, lam, 1 / lam);
    });
    it("poisson: rate 0 gives 0", () => {
      expect(random.poisson(random.key(0), np.array([0, 0], "float32")).tolist()).toEqual([0, 0]);
    });
    it("categorical: frequencies follow softmax(logits), along an axis and with a shape prefix", () => {
      const logits = [0, 1, 2, -1];
      const p = logits.map(Math.exp);
      const z = p.reduce((a, b) => a + b, 0);
      const probs = p.map((v) => v / z);
      const xs = vals(random.categorical(random.key(25), np.array(logits, "float32"), { shape: [N] }));
      expectChiSquare(countInts(xs, 0, 3), probs);
      const lg2 = np.stack([np.array(logits, "float32"), np.array([3, 0, 0, 0], "float32")], 1); // [4, 2], axis 0
      const ys = random.categorical(random.key(26), lg2, { axis: 0, shape: [N, 2] });
      expect(ys.shape).toEqual([N, 2]);
      expectChiSquare(countInts(vals(ys.get(":, 0")), 0, 3), probs);
    });
    it("categorical without replacement gives distinct categories", () => {
      const xs = random.categorical(random.key(27), np.zeros([6], "float32"), { shape: [6], replace: false });
      expect([...(xs.dataSync() as Int32Array)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    });
    it("permutation: a permutation, each position uniform", () => {
      const perms = vmap((k: Array) => random.permutation(k, 5))(random.split(random.key(28), 5000)) as Array;
      const rows = perms.tolist() as number[][];
      for (const r of rows) expect([...r].sort()).toEqual([0, 1, 2, 3, 4]);
      expectChiSquare(countInts(vals(perms.get(":, 0")), 0, 4), new globalThis.Array(5).fill(0.2));
      expectChiSquare(countInts(vals(perms.get(":, 3")), 0, 4), new globalThis.Array(5).fill(0.2));
    });
    it("permutation of an array along an axis, and independent", () => {
      const x = np.arange(12).reshape([3, 4]);
      const p = random.permutation(random.key(29), x, { axis: 1 });
      const rows = p.tolist() as number[][];
      // the same column permutation for every row
      expect(rows[1].map((v) => v - 4)).toEqual(rows[0]);
      const q = random.permutation(random.key(29), x, { axis: 1, independent: true }).tolist() as number[][];
      q.forEach((r, i) => expect([...r].sort((a, b) => a - b)).toEqual([0, 1, 2, 3].map((j) => 4 * i + j)));
    });
    it("choice: uniform with replacement, distinct without, weighted by p", () => {
      const a = vals(random.choice(random.key(30), 6, [N]));
      expectChiSquare(countInts(a, 0, 5), new globalThis.Array(6).fill(1 / 6));
      const b = random.choice(random.key(31), 10, { shape: [10], replace: false }).tolist() as number[];
      expect([...b].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const probs = [0.1, 0.2, 0.3, 0.4];
      const c = vals(random.choice(random.key(32), 4, { shape: [N], p: np.array(probs, "float32") }));
      expectChiSquare(countInts(c, 0, 3), probs);
      const d = random.choice(random.key(33), np.array([10, 20, 30, 40], "int32"), { shape: [3], replace: false, p: np.array(probs, "float32") });
      expect(new Set(d.tolist() as number[]).size).toBe(3);
      // rows of a 2-D array along axis 1
      const e = random.choice(random.key(34), np.arange(12).reshape([3, 4]), { shape: [2], axis: 1 });
      expect(e.shape).toEqual([3, 2]);
    });
  });
});
