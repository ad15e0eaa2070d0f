// @jax-js/jax on its wasm backend. jax-js evaluates lazily and consumes arguments (`.ref`
// keeps them), so each run awaits blockUntilReady().
import { ADD_OPS } from "../cases.js";
import { randomData, type Peer, type Runner } from "./types.js";

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
    return undefined;
  },
};
