// @jax-js/jax on its wasm backend. jax-js evaluates lazily and consumes arguments (`.ref`
// keeps them), so each run awaits blockUntilReady().
import { ADD_OPS } from "../cases.js";
import { randomData, type Peer, type Runner } from "./types.js";
import { coldStartRunner } from "./cold_start.js";
import { MLP, mlpBatch, mlpInit } from "./mlp_spec.js";
import { adamTrainer, jaxjsSmallNetCase } from "./jaxjs_small_nets.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let jx: any;

export const jaxjs: Peer = {
  name: "jax-js",
  async setup() {
    try {
      jx = await import("@jax-js/jax");
      await jx.init("wasm");
      jx.defaultDevice("wasm");
      return true;
    } catch (e) {
      return `unavailable: ${(e as Error).message}`;
    }
  },
  prepare(id): Runner | undefined {
    if (id === "cold-start") return coldStartRunner("jax-js");
    const np = jx.numpy;
    const t = (shape: number[], seed: number) => np.array(randomData(shape.reduce((a, b) => a * b, 1), seed)).reshape(shape);
    const make = (inputs: { dispose(): void }[], fn: () => any): Runner => ({
      async run() {
        const y = fn();
        await y.blockUntilReady();
        y.dispose();
      },
      dispose: () => inputs.forEach((x) => x.dispose()),
    });
    const mm = /^matmul-(\d+)$/.exec(id);
    if (mm) {
      const n = Number(mm[1]);
      const a = t([n, n], 1);
      const b = t([n, n], 2);
      return make([a, b], () => np.matmul(a.ref, b.ref));
    }
    if (id === "sincos-5000") {
      const x = t([5000, 5000], 3);
      const y = t([5000], 4);
      return make([x, y], () => np.add(np.sin(x.ref), np.cos(y.ref)));
    }
    if (id === "add-100") {
      const x = t([100], 5);
      return {
        async run() {
          for (let i = 0; i < ADD_OPS; i++) {
            const y = np.add(x.ref, x.ref);
            await y.blockUntilReady();
            y.dispose();
          }
        },
        dispose: () => x.dispose(),
      };
    }
    const red = /^sum-axis(\d)-4096$/.exec(id);
    if (red) {
      const x = t([4096, 4096], 6);
      return make([x], () => np.sum(x.ref, Number(red[1])));
    }
    if (id === "conv2d" && jx.lax?.convGeneralDilated) {
      // jax-js supports only NCHW / OIHW: the same convolution in its native layout.
      const x = t([1, 32, 64, 64], 7);
      const w = t([32, 32, 3, 3], 8);
      return make([x, w], () => jx.lax.convGeneralDilated(x.ref, w.ref, [1, 1], "SAME"));
    }
    if (id === "jit-sincos-5000") {
      const x = t([5000, 5000], 3);
      const y = t([5000], 4);
      const f = jx.jit((a: any, b: any) => np.add(np.sin(a), np.cos(b)));
      return make([x, y], () => f(x.ref, y.ref));
    }
    if (id === "vmap-grad-1000" || id === "grad-loop-1000") {
      const sinc = (v: any) => np.divide(np.sin(v.ref), v);
      const g = jx.grad(sinc);
      if (id === "vmap-grad-1000") {
        const xs = np.linspace(0.5, 10, 1000);
        const vg = jx.vmap(g);
        return make([xs], () => vg(xs.ref));
      }
      const pts = Array.from(randomData(1000, 11), (v) => 0.5 + 9.5 * v);
      return {
        async run() {
          for (const p of pts) {
            const r = g(np.array(p));
            await r.blockUntilReady();
            r.dispose();
          }
        },
        dispose() {},
      };
    }
    if (id === "mlp-step") {
      // The same model and adam update inside one jit (the trainer the small-net cases use).
      const { w, b } = mlpInit();
      const params = w.flatMap(([d, sh], i) => [np.array(d).reshape(sh), np.array(b[i][0]).reshape(b[i][1])]);
      const { x: xd, y: yd } = mlpBatch();
      const x = np.array(xd).reshape([MLP.batch, MLP.sizes[0]]);
      const y = np.array(yd).reshape([MLP.batch, MLP.sizes[MLP.sizes.length - 1]]);
      // p = [w0, b0, w1, b1, ...]; jax-js consumes its arguments.
      const loss = (p: any[], xx: any, yy: any) => {
        let h = xx;
        for (let i = 0; i < p.length; i += 2) {
          h = np.add(np.matmul(h, p[i]), p[i + 1]);
          if (i + 2 < p.length) h = jx.nn.relu(h);
        }
        return np.negative(np.mean(np.sum(np.multiply(yy, jx.nn.logSoftmax(h)), 1)));
      };
      return adamTrainer(jx, MLP.lr, params, x, y, loss);
    }
    return jaxjsSmallNetCase(jx, id);
  },
};
