// edgejax on its CPU backend (Wasm SIMD, one thread).
import { lax, numpy as np, tidy, type Array } from "../../ts/index.js";
import { ADD_OPS } from "../cases.js";
import { randomData, type Peer, type Runner } from "./types.js";
import { coldStartRunner } from "./cold_start.js";
import { edgejaxTransformCase } from "./edgejax_models.js";
import { edgejaxSmallNetCase } from "./edgejax_small_nets.js";

const arr = (shape: number[], seed: number) => np.array(randomData(shape.reduce((a, b) => a * b, 1), seed)).reshape(shape) as Array;

function runner(inputs: Array[], fn: () => Array): Runner {
  return {
    run: () => fn().dispose(),
    dispose: () => inputs.forEach((x) => x.dispose()),
  };
}

export const edgejax: Peer = {
  name: "edgejax",
  async setup() {
    return true;
  },
  prepare(id) {
    if (id === "cold-start") return coldStartRunner("edgejax");
    const mm = /^matmul-(\d+)$/.exec(id);
    if (mm) {
      const n = Number(mm[1]);
      const a = arr([n, n], 1);
      const b = arr([n, n], 2);
      return runner([a, b], () => np.matmul(a, b));
    }
    if (id === "sincos-5000") {
      const x = arr([5000, 5000], 3);
      const y = arr([5000], 4);
      return runner([x, y], () => tidy(() => np.add(np.sin(x), np.cos(y))));
    }
    if (id === "add-100") {
      const x = arr([100], 5);
      return {
        run() {
          for (let i = 0; i < ADD_OPS; i++) np.add(x, x).dispose();
        },
        dispose: () => x.dispose(),
      };
    }
    const red = /^sum-axis(\d)-4096$/.exec(id);
    if (red) {
      const x = arr([4096, 4096], 6);
      return runner([x], () => np.sum(x, Number(red[1])));
    }
    if (id === "conv2d") {
      const x = arr([1, 64, 64, 32], 7);
      const w = arr([3, 3, 32, 32], 8);
      return runner([x, w], () => lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }));
    }
    return edgejaxTransformCase(id) ?? edgejaxSmallNetCase(id);
  },
};
