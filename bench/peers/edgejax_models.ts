// edgejax programs for the transformation cases: jit, vmap(grad), the MLP training step.
import { grad, jit, numpy as np, tree, valueAndGrad, vmap, type Array } from "../../ts/index.js";
import { ADD_OPS } from "../cases.js";
import { MLP, mlpBatch, mlpInit } from "./mlp_spec.js";
import { randomData, type Runner } from "./types.js";

type Params = { w: Array[]; b: Array[] };
type State = { params: Params; m: Params; v: Params; t: Array };

function loss(p: Params, x: Array, y: Array): Array {
  let h = x;
  for (let i = 0; i < p.w.length; i++) {
    h = np.matmul(h, p.w[i]).add(p.b[i]);
    if (i + 1 < p.w.length) h = np.maximum(h, 0);
  }
  const m = np.max(h, { axis: 1, keepdims: true });
  const lse = np.log(np.sum(np.exp(h.sub(m)), { axis: 1, keepdims: true })).add(m);
  return np.mean(np.sum(y.mul(h.sub(lse)), 1)).neg();
}

/** One adam step over the whole state (a pytree), as a pure function. */
export function mlpStep(s: State, x: Array, y: Array): [State, Array] {
  const [l, g] = valueAndGrad(loss)(s.params, x, y);
  const t = s.t.add(1);
  const c1 = np.subtract(1, np.power(MLP.b1, t));
  const c2 = np.subtract(1, np.power(MLP.b2, t));
  const upd = (key: "w" | "b") => {
    const m = s.m[key].map((mi, i) => mi.mul(MLP.b1).add(g[key][i].mul(1 - MLP.b1)));
    const v = s.v[key].map((vi, i) => vi.mul(MLP.b2).add(g[key][i].mul(g[key][i]).mul(1 - MLP.b2)));
    const p = s.params[key].map((pi, i) => pi.sub(m[i].div(c1).mul(MLP.lr).div(np.sqrt(v[i].div(c2)).add(MLP.eps))));
    return { m, v, p };
  };
  const w = upd("w");
  const b = upd("b");
  return [{ params: { w: w.p, b: b.p }, m: { w: w.m, b: b.m }, v: { w: w.v, b: b.v }, t }, l];
}

export function mlpState(): State {
  const { w, b } = mlpInit();
  const params = { w: w.map(([d, s]) => np.array(d).reshape(s)), b: b.map(([d, s]) => np.array(d).reshape(s)) };
  const zeros = (ps: Array[]) => ps.map((p) => np.zerosLike(p));
  return { params, m: { w: zeros(params.w), b: zeros(params.b) }, v: { w: zeros(params.w), b: zeros(params.b) }, t: np.array(0, "float32") };
}

const arr = (shape: number[], seed: number) => np.array(randomData(shape.reduce((a, b) => a * b, 1), seed)).reshape(shape) as Array;
const sinc = (x: Array) => np.sin(x).div(x);

export function edgejaxTransformCase(id: string): Runner | undefined {
  if (id === "jit-sincos-5000") {
    const x = arr([5000, 5000], 3);
    const y = arr([5000], 4);
    const f = jit((a: Array, b: Array) => np.add(np.sin(a), np.cos(b)));
    return { run: () => f(x, y).dispose(), dispose: () => [x, y].forEach((a) => a.dispose()) };
  }
  if (id === "grad-loop-1000" || id === "vmap-grad-1000") {
    const xs = np.linspace(0.5, 10, 1000);
    const g = grad(sinc);
    if (id === "vmap-grad-1000") {
      const vg = vmap(g);
      return { run: () => vg(xs).dispose(), dispose: () => xs.dispose() };
    }
    const pts = globalThis.Array.from(randomData(1000, 11), (v: number) => 0.5 + 9.5 * v);
    return {
      run() {
        for (const p of pts) g(p).dispose();
      },
      dispose: () => xs.dispose(),
    };
  }
  if (id === "jit-long-first-call") {
    // A new jit each run: trace, simplify, plan fusion, compile and run a long program.
    const x = np.ones([64, 64]);
    const w = np.ones([64, 64]).mul(0.01);
    const layers = (a: Array) => {
      let h = a;
      for (let i = 0; i < 400; i++) h = np.tanh(np.add(np.matmul(h, w), np.mean(h, 0)));
      return np.sum(h);
    };
    return {
      run() {
        const out = jit(layers)(x);
        out.dataSync();
        out.dispose();
      },
      dispose: () => [x, w].forEach((a) => a.dispose()),
    };
  }
  if (id === "mlp-step" || id === "mlp-first-call") {
    const { x: xd, y: yd } = mlpBatch();
    const x = np.array(xd).reshape([MLP.batch, MLP.sizes[0]]);
    const y = np.array(yd).reshape([MLP.batch, MLP.sizes[MLP.sizes.length - 1]]);
    let state = mlpState();
    if (id === "mlp-first-call") {
      // A new jit each run: trace, fuse, compile and run the first step.
      return {
        run() {
          const step = jit((s: State, a: Array, b: Array) => mlpStep(s, a, b));
          const [next, l] = step(state, x, y);
          l.dataSync();
          tree.leaves(next).forEach((a) => (a as Array).dispose());
          l.dispose();
        },
        dispose: () => [x, y].forEach((a) => a.dispose()),
      };
    }
    const step = jit((s: State, a: Array, b: Array) => mlpStep(s, a, b), { donateArgnums: 0 });
    return {
      run() {
        const [next, l] = step(state, x, y);
        state = next;
        l.dispose();
      },
      dispose: () => [x, y].forEach((a) => a.dispose()),
    };
  }
  if (id === "jit-call-overhead") {
    const x = arr([100], 5);
    const f = jit((a: Array) => a.mul(2).add(1));
    return {
      run() {
        for (let i = 0; i < ADD_OPS; i++) f(x).dispose();
      },
      dispose: () => x.dispose(),
    };
  }
  return undefined;
}
