// jax-js programs for the small-network training cases and random.normal: one jit of
// valueAndGrad plus the adam update (as in the "mlp-step" case). jax-js consumes arguments, so
// values used more than once take .ref.
import { ADAM, CNN_FLAT, DIGITS, IRIS, digitsBatch, initWeights, irisBatch } from "./small_nets_spec.js";
import type { Runner } from "./types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JX = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type A = any;

/** A runner for full-batch adam on a flat list of parameters; `loss(params, x, y)` consumes its arguments. */
export function adamTrainer(jx: JX, lr: number, params0: A[], x: A, y: A, loss: (p: A[], x: A, y: A) => A): Runner {
  const np = jx.numpy;
  let params = params0;
  let m = params.map((p: A) => np.zerosLike(p.ref));
  let v = params.map((p: A) => np.zerosLike(p.ref));
  let t = 0;
  let last: A;
  const update = jx.jit((p: A[], mm: A[], vv: A[], xx: A, yy: A, c1: A, c2: A) => {
    const [l, g] = jx.valueAndGrad(loss)(jx.tree.ref(p), xx, yy);
    const out: A[][] = [[], [], []];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      const m2 = np.add(np.multiply(mm[i], ADAM.b1), np.multiply(gi.ref, 1 - ADAM.b1));
      const v2 = np.add(np.multiply(vv[i], ADAM.b2), np.multiply(np.multiply(gi.ref, gi), 1 - ADAM.b2));
      const stepSize = np.divide(np.multiply(np.divide(m2.ref, c1.ref), lr), np.add(np.sqrt(np.divide(v2.ref, c2.ref)), ADAM.eps));
      out[0].push(np.subtract(p[i], stepSize));
      out[1].push(m2);
      out[2].push(v2);
    }
    c1.dispose();
    c2.dispose();
    return [...out, l];
  });
  return {
    async run() {
      t++;
      const c1 = np.array(1 - ADAM.b1 ** t);
      const c2 = np.array(1 - ADAM.b2 ** t);
      const [p2, m2, v2, l] = update(params, m, v, x.ref, y.ref, c1, c2);
      params = p2;
      m = m2;
      v = v2;
      await l.blockUntilReady();
      last?.dispose();
      last = l;
    },
    dispose: () => [x, y, last, ...params, ...m, ...v].forEach((a) => a?.dispose()),
    loss: async () => (await last.ref.data())[0],
  };
}

export function jaxjsSmallNetCase(jx: JX, id: string): Runner | undefined {
  const np = jx.numpy;
  const weights = (shape: number[], fanIn: number, fanOut: number, seed: number) => np.array(initWeights(shape, fanIn, fanOut, seed)).reshape(shape);
  const xent = (logits: A, y: A) => np.negative(np.mean(np.sum(np.multiply(jx.nn.logSoftmax(logits), y), 1)));
  if (id === "iris-train-step") {
    const { x: xd, y: yd } = irisBatch();
    const x = np.array(xd).reshape([IRIS.n, IRIS.features]);
    const y = np.array(yd).reshape([IRIS.n, IRIS.classes]);
    const params = [
      weights([IRIS.features, IRIS.hidden], IRIS.features, IRIS.hidden, 201),
      np.zeros([IRIS.hidden]),
      weights([IRIS.hidden, IRIS.classes], IRIS.hidden, IRIS.classes, 202),
      np.zeros([IRIS.classes]),
    ];
    const loss = ([w1, b1, w2, b2]: A[], xx: A, yy: A) => {
      const h = jx.nn.relu(np.add(np.matmul(xx, w1), b1));
      return xent(np.add(np.matmul(h, w2), b2), yy);
    };
    return adamTrainer(jx, IRIS.lr, params, x, y, loss);
  }
  if (id === "digits-cnn-step") {
    // jax-js convolves only NCHW inputs with OIHW kernels: the same network in that layout.
    const { batch, side, conv1, conv2, hidden, classes } = DIGITS;
    const { x: xd, y: yd } = digitsBatch();
    const x = np.array(xd).reshape([batch, 1, side, side]);
    const y = np.array(yd).reshape([batch, classes]);
    const params = [
      weights([conv1, 1, 3, 3], 9, 9 * conv1, 211),
      np.zeros([conv1, 1, 1]),
      weights([conv2, conv1, 3, 3], 9 * conv1, 9 * conv2, 212),
      np.zeros([conv2, 1, 1]),
      weights([CNN_FLAT, hidden], CNN_FLAT, hidden, 213),
      np.zeros([hidden]),
      weights([hidden, classes], hidden, classes, 214),
      np.zeros([classes]),
    ];
    // 2×2 stride-2 pooling over the two trailing (spatial) axes with lax.reduceWindow.
    const pool = (h: A, reduce: (w: A) => A) => jx.lax.reduceWindow(h, reduce, [2, 2], [2, 2]);
    const loss = ([k1, c1, k2, c2, w1, b1, w2, b2]: A[], xx: A, yy: A) => {
      let h = jx.nn.relu(np.add(jx.lax.convGeneralDilated(xx, k1, [1, 1], "SAME"), c1));
      h = pool(h, (w: A) => np.mean(w));
      h = jx.nn.relu(np.add(jx.lax.convGeneralDilated(h, k2, [1, 1], "SAME"), c2));
      h = pool(h, (w: A) => np.max(w));
      h = jx.nn.relu(np.add(np.matmul(h.reshape([batch, CNN_FLAT]), w1), b1));
      return xent(np.add(np.matmul(h, w2), b2), yy);
    };
    return adamTrainer(jx, DIGITS.lr, params, x, y, loss);
  }
  if (id === "random-normal-10m") {
    const key = jx.random.key(0);
    return {
      async run() {
        const z = jx.random.normal(key.ref, [10_000_000]);
        await z.blockUntilReady();
        z.dispose();
      },
      dispose: () => key.dispose(),
    };
  }
  return undefined;
}
