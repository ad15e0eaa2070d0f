// TensorFlow.js with its wasm backend (XNNPACK), one thread.
import { ADD_OPS } from "../cases.js";
import { randomData, type Peer, type Runner } from "./types.js";
import { coldStartRunner } from "./cold_start.js";
import { MLP, mlpBatch, mlpInit } from "./mlp_spec.js";
import { tfjsSmallNetCase } from "./tfjs_small_nets.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let tf: any;

export const tfjs: Peer = {
  name: "tfjs-wasm",
  async setup() {
    try {
      // The full package: tfjs-core alone has no gradients registered (the training case needs them).
      tf = await import("@tensorflow/tfjs");
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      wasm.setThreadsCount?.(1);
      await tf.setBackend("wasm");
      await tf.ready();
      return true;
    } catch (e) {
      return `unavailable: ${(e as Error).message}`;
    }
  },
  prepare(id): Runner | undefined {
    if (id === "cold-start") return coldStartRunner("tfjs-wasm");
    const t = (shape: number[], seed: number) => tf.tensor(randomData(shape.reduce((a, b) => a * b, 1), seed), shape);
    const make = (inputs: { dispose(): void }[], fn: () => { dispose(): void }): Runner => ({
      run: () => fn().dispose(),
      dispose: () => inputs.forEach((x) => x.dispose()),
    });
    const mm = /^matmul-(\d+)$/.exec(id);
    if (mm) {
      const n = Number(mm[1]);
      const a = t([n, n], 1);
      const b = t([n, n], 2);
      return make([a, b], () => tf.matMul(a, b));
    }
    if (id === "sincos-5000") {
      const x = t([5000, 5000], 3);
      const y = t([5000], 4);
      return make([x, y], () => tf.tidy(() => tf.add(tf.sin(x), tf.cos(y))));
    }
    if (id === "add-100") {
      const x = t([100], 5);
      return {
        run() {
          for (let i = 0; i < ADD_OPS; i++) tf.add(x, x).dispose();
        },
        dispose: () => x.dispose(),
      };
    }
    const red = /^sum-axis(\d)-4096$/.exec(id);
    if (red) {
      const x = t([4096, 4096], 6);
      return make([x], () => tf.sum(x, Number(red[1])));
    }
    if (id === "conv2d") {
      const x = t([1, 64, 64, 32], 7);
      const w = t([3, 3, 32, 32], 8);
      return make([x, w], () => tf.conv2d(x, w, 1, "same"));
    }
    if (id === "mlp-step") {
      // The same model with tf.variables and tf.train.adam: one minimize() per step.
      const { w, b } = mlpInit();
      const ws = w.map(([d, sh]) => tf.variable(tf.tensor(d, sh)));
      const bs = b.map(([d, sh]) => tf.variable(tf.tensor(d, sh)));
      const { x: xd, y: yd } = mlpBatch();
      const x = tf.tensor(xd, [MLP.batch, MLP.sizes[0]]);
      const y = tf.tensor(yd, [MLP.batch, MLP.sizes[MLP.sizes.length - 1]]);
      const opt = tf.train.adam(MLP.lr, MLP.b1, MLP.b2, MLP.eps);
      const loss = () =>
        tf.tidy(() => {
          let h = x;
          for (let i = 0; i < ws.length; i++) {
            h = tf.add(tf.matMul(h, ws[i]), bs[i]);
            if (i + 1 < ws.length) h = tf.relu(h);
          }
          return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(h)), 1)));
        });
      return {
        run: () => opt.minimize(loss, true)?.dispose(),
        dispose: () => [x, y, ...ws, ...bs].forEach((t) => t.dispose()),
      };
    }
    return tfjsSmallNetCase(tf, id);
  },
};
