// TensorFlow.js programs for the small-network training cases: tf.variables and
// tf.train.adam, one minimize() over the full batch per run (as in the "mlp-step" case).
import { ADAM, CNN_FLAT, DIGITS, IRIS, digitsBatch, initWeights, irisBatch } from "./small_nets_spec.js";
import type { Runner } from "./types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TF = any;

function trainer(tf: TF, lr: number, vars: { dispose(): void }[], data: { dispose(): void }[], logits: () => unknown, y: unknown): Runner {
  const opt = tf.train.adam(lr, ADAM.b1, ADAM.b2, ADAM.eps);
  const loss = () => tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(logits(), y), 1))));
  let last: TF;
  return {
    run() {
      last?.dispose();
      last = opt.minimize(loss, true);
    },
    dispose() {
      last?.dispose();
      opt.dispose();
      [...vars, ...data].forEach((t) => t.dispose());
    },
    loss: () => last.dataSync()[0],
  };
}

export function tfjsSmallNetCase(tf: TF, id: string): Runner | undefined {
  const variable = (shape: number[], fanIn: number, fanOut: number, seed: number) => tf.variable(tf.tensor(initWeights(shape, fanIn, fanOut, seed), shape));
  const bias = (n: number) => tf.variable(tf.zeros([n]));
  if (id === "iris-train-step") {
    const { x: xd, y: yd } = irisBatch();
    const x = tf.tensor(xd, [IRIS.n, IRIS.features]);
    const y = tf.tensor(yd, [IRIS.n, IRIS.classes]);
    const w1 = variable([IRIS.features, IRIS.hidden], IRIS.features, IRIS.hidden, 201);
    const b1 = bias(IRIS.hidden);
    const w2 = variable([IRIS.hidden, IRIS.classes], IRIS.hidden, IRIS.classes, 202);
    const b2 = bias(IRIS.classes);
    const logits = () => tf.logSoftmax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2));
    return trainer(tf, IRIS.lr, [w1, b1, w2, b2], [x, y], logits, y);
  }
  if (id === "digits-cnn-step") {
    const { batch, side, conv1, conv2, hidden, classes } = DIGITS;
    const { x: xd, y: yd } = digitsBatch();
    const x = tf.tensor(xd, [batch, side, side, 1]);
    const y = tf.tensor(yd, [batch, classes]);
    const k1 = variable([3, 3, 1, conv1], 9, 9 * conv1, 211);
    const c1 = bias(conv1);
    const k2 = variable([3, 3, conv1, conv2], 9 * conv1, 9 * conv2, 212);
    const c2 = bias(conv2);
    const w1 = variable([CNN_FLAT, hidden], CNN_FLAT, hidden, 213);
    const b1 = bias(hidden);
    const w2 = variable([hidden, classes], hidden, classes, 214);
    const b2 = bias(classes);
    // The wasm backend registers no Conv2DBackpropFilter kernel, but it has Conv3D and both of
    // its gradients: each 3×3 convolution runs as a 1×3×3 conv3d over a depth-1 volume.
    const conv = (h: unknown, k: TF, n: number, c: number) =>
      tf.reshape(tf.conv3d(tf.reshape(h, [batch, 1, n, n, c]), tf.reshape(k, [1, ...k.shape]), 1, "same"), [batch, n, n, k.shape[3]]);
    const half = side / 2;
    const logits = () => {
      let h = tf.avgPool(tf.relu(tf.add(conv(x, k1, side, 1), c1)), [2, 2], [2, 2], "valid");
      h = tf.maxPool(tf.relu(tf.add(conv(h, k2, half, conv1), c2)), [2, 2], [2, 2], "valid");
      h = tf.relu(tf.add(tf.matMul(tf.reshape(h, [batch, CNN_FLAT]), w1), b1));
      return tf.logSoftmax(tf.add(tf.matMul(h, w2), b2));
    };
    return trainer(tf, DIGITS.lr, [k1, c1, k2, c2, w1, b1, w2, b2], [x, y], logits, y);
  }
  return undefined;
}
