// edgejax programs for the small-network training cases (stax networks trained with
// optimizers.adam inside one jit that donates the optimizer state, as in the tutorial) and for
// random.normal.
import { blockUntilReady, grad, jit, numpy as np, optimizers, random, stax, tidy, type Array } from "../../ts/index.js";
import { DIGITS, IRIS, digitsBatch, irisBatch } from "./small_nets_spec.js";
import type { Runner } from "./types.js";

type Net = ReturnType<typeof stax.serial>;

/** One full-batch adam step per run on (x, y) for a stax network with log-softmax outputs. */
function staxTrainer(net: Net, inputShape: number[], lr: number, x: Array, y: Array, seed: number): Runner {
  const [init, apply] = net;
  const [, params0] = init(random.PRNGKey(seed), [-1, ...inputShape]);
  const [optInit, optUpdate, getParams] = optimizers.adam(lr);
  const loss = (p: unknown, xb: Array, yb: Array) => np.mean(np.sum((apply(p as never, xb) as Array).mul(yb), 1)).neg();
  const step = jit((i: Array, state: unknown, xb: Array, yb: Array) => optUpdate(i, grad(loss)(getParams(state as never), xb, yb), state as never), {
    donateArgnums: 1,
  });
  let state = optInit(params0 as never);
  let t = 0;
  return {
    run() {
      const i = np.array(t++, "float32");
      state = step(i, state, x, y);
      i.dispose();
    },
    dispose: () => [x, y].forEach((a) => a.dispose()),
    loss: () => tidy(() => loss(getParams(state as never), x, y)).item(),
  };
}

export function edgejaxSmallNetCase(id: string): Runner | undefined {
  if (id === "iris-train-step") {
    const { x, y } = irisBatch();
    const net = stax.serial(stax.Dense(IRIS.hidden), stax.Relu, stax.Dense(IRIS.classes), stax.LogSoftmax);
    return staxTrainer(net, [IRIS.features], IRIS.lr, np.array(x).reshape([IRIS.n, IRIS.features]), np.array(y).reshape([IRIS.n, IRIS.classes]), 0);
  }
  if (id === "digits-cnn-step") {
    const { batch, side, conv1, conv2, hidden, classes } = DIGITS;
    const { x, y } = digitsBatch();
    const net = stax.serial(
      stax.Conv(conv1, [3, 3], { padding: "SAME" }), stax.Relu, stax.AvgPool([2, 2], { strides: [2, 2] }),
      stax.Conv(conv2, [3, 3], { padding: "SAME" }), stax.Relu, stax.MaxPool([2, 2], { strides: [2, 2] }),
      stax.Flatten, stax.Dense(hidden), stax.Relu, stax.Dense(classes), stax.LogSoftmax,
    );
    return staxTrainer(net, [side, side, 1], DIGITS.lr, np.array(x).reshape([batch, side, side, 1]), np.array(y).reshape([batch, classes]), 2);
  }
  if (id === "random-normal-10m") {
    const key = random.key(0);
    return {
      async run() {
        // tidy: eager random.normal leaves its intermediates alive otherwise (like the eager
        // sincos case; on CPU the result is ready when the call returns).
        const z = tidy(() => random.normal(key, [10_000_000]));
        await blockUntilReady(z);
        z.dispose();
      },
      dispose: () => key.dispose(),
    };
  }
  return undefined;
}
