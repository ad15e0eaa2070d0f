// stax layer shapes, ported from JAX's tests/stax_test.py: for every layer, the output shape
// that initFun computes equals the shape of applyFun's result on random inputs of the input
// shape (and also when initFun is given -1 for the batch dimension, as stax users do).
import { describe, expect, it } from "vitest";
import { Array, random, stax } from "../../ts/index.js";
import { backends, useBackend } from "../helpers.js";
import { randArray } from "../transforms/check.js";

type Shapes = stax.Shapes;
type Layer = stax.Layer;

function randomInputs(shape: Shapes, seed = 1): stax.Inputs {
  if (shape.every((d) => typeof d === "number")) return randArray(shape as number[], -1, 1, seed, "float32");
  return (shape as Shapes[]).map((s, i) => randomInputs(s, seed + i + 1));
}

function shapesOf(x: stax.Inputs): Shapes {
  return x instanceof Array ? [...x.shape] : x.map(shapesOf);
}

/** Replaces -1 (unknown batch) by `batch` everywhere in a shape tree. */
function withBatch(s: Shapes, batch: number): Shapes {
  return s.every((d) => typeof d === "number") ? (s as number[]).map((d) => (d === -1 ? batch : d)) : (s as Shapes[]).map((x) => withBatch(x, batch));
}

/** The batch dimension (at `axis`) replaced by -1 in every shape of the tree. */
function unknownBatch(s: Shapes, axis: number): Shapes {
  return s.every((d) => typeof d === "number") ? (s as number[]).map((d, i) => (i === axis ? -1 : d)) : (s as Shapes[]).map((x) => unknownBatch(x, axis));
}

/** JAX's _CheckShapeAgreement (init key from split(PRNGKey(0)), apply with rng), plus the -1 batch variant. */
function checkShapeAgreement([init, apply]: Layer, inputShape: Shapes, batchAxis = 0): Shapes {
  const [rngKey, initKey] = random.split(random.PRNGKey(0));
  const [resultShape, params] = init(initKey, inputShape);
  const result = apply(params, randomInputs(inputShape), { rng: rngKey });
  expect(shapesOf(result)).toEqual(resultShape);
  const [unknownShape] = init(initKey, unknownBatch(inputShape, batchAxis));
  const batch = (inputShape as number[]).flat(Infinity as 1)[batchAxis] as number;
  expect(withBatch(unknownShape, batch)).toEqual(resultShape);
  return resultShape;
}

const product = <T>(...lists: T[][]): T[][] => lists.reduce<T[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);

describe.each(backends)("stax shapes (%s)", (backend) => {
  useBackend(backend);

  it("the issue's examples: Conv VALID/SAME with strides, ConvTranspose VALID", () => {
    expect(checkShapeAgreement(stax.Conv(3, [2, 3], { strides: [2, 1], padding: "VALID" }), [2, 10, 11, 1])).toEqual([2, 5, 9, 3]);
    expect(checkShapeAgreement(stax.Conv(3, [2, 3], { strides: [2, 1], padding: "SAME" }), [2, 10, 11, 1])).toEqual([2, 5, 11, 3]);
    expect(checkShapeAgreement(stax.ConvTranspose(2, [3, 3], { strides: [2, 2] }), [2, 10, 11, 1])).toEqual([2, 21, 23, 2]);
    // JAX's positional order (strides, padding) works too.
    expect(checkShapeAgreement(stax.Conv(3, [2, 3], [2, 1], "SAME"), [2, 10, 11, 1])).toEqual([2, 5, 11, 3]);
    // Padding names in any case for Conv and pools (as lax reads them); conv_transpose takes only "SAME"/"VALID".
    expect(checkShapeAgreement(stax.Conv(3, [2, 3], { padding: "same" }), [2, 10, 11, 1])).toEqual([2, 10, 11, 3]);
    expect(checkShapeAgreement(stax.MaxPool([2, 2], { padding: "same" }), [2, 5, 5, 1])).toEqual([2, 5, 5, 1]);
    expect(() => stax.ConvTranspose(2, [3, 3], { padding: "same" })[0](random.PRNGKey(0), [2, 5, 5, 1])).toThrow(/padding must be "SAME", "VALID"/);
  });

  it.each(product<any>([2, 3], [[1, 1], [2, 3]], ["SAME", "VALID"], [null, [2, 1]]))("Conv(%i, %j, %s, strides %j)", (channels, filter, padding, strides) => {
    checkShapeAgreement(stax.Conv(channels, filter, { strides, padding }), [2, 10, 11, 1]);
  });

  it.each(product<any>([2, 3], [[1, 1], [2, 3], [3, 3]], ["SAME", "VALID"], [null, [2, 1], [2, 2]]))(
    "ConvTranspose(%i, %j, %s, strides %j)",
    (channels, filter, padding, strides) => {
      const out = checkShapeAgreement(stax.ConvTranspose(channels, filter, { strides, padding }), [2, 10, 11, 1]) as number[];
      // "SAME" transposed convolutions scale the spatial size by the stride exactly.
      if (padding === "SAME") expect(out).toEqual([2, 10 * (strides?.[0] ?? 1), 11 * (strides?.[1] ?? 1), channels]);
    },
  );

  it.each(product<any>([2, 3], [[1], [2], [3]], ["SAME", "VALID"], [null, [1], [2]]))("Conv1DTranspose(%i, %j, %s, strides %j)", (channels, filter, padding, strides) => {
    checkShapeAgreement(stax.Conv1DTranspose(channels, filter, { strides, padding }), [2, 10, 1]);
  });

  it("GeneralConv and GeneralConvTranspose in other layouts (NCHW/OIHW, HWCN/OHWI/NWHC)", () => {
    expect(checkShapeAgreement(stax.GeneralConv(["NCHW", "OIHW", "NCHW"], 4, [3, 2], { strides: [2, 1], padding: "SAME" }), [2, 3, 9, 7])).toEqual([2, 4, 5, 7]);
    expect(checkShapeAgreement(stax.GeneralConv(["HWCN", "OHWI", "NWHC"], 4, [3, 2]), [9, 7, 3, 2], 3)).toEqual([2, 6, 7, 4]);
    expect(checkShapeAgreement(stax.GeneralConvTranspose(["NCHW", "OIHW", "NCHW"], 4, [3, 2], { strides: [2, 3] }), [2, 3, 5, 4])).toEqual([2, 4, 11, 12]);
    // Explicit (lo, hi) padding.
    expect(checkShapeAgreement(stax.Conv(2, [3, 3], { padding: [[1, 0], [2, 2]] }), [1, 6, 5, 1])).toEqual([1, 5, 7, 2]);
  });

  it.each(product<any>([3, 4], [[2, 3], [3, 4], [2, 5, 3]]))("Dense(%i) on %j", (outDim, inputShape) => {
    checkShapeAgreement(stax.Dense(outDim), inputShape);
  });

  it("BatchNorm NHWC, NCHW, without scale/center; params shapes", () => {
    const [init] = stax.BatchNorm();
    const [out, [beta, gamma]] = init(random.PRNGKey(0), [4, 5, 6, 7]) as [Shapes, Array[]];
    expect(out).toEqual([4, 5, 6, 7]);
    expect(beta.shape).toEqual([7]);
    expect(gamma.shape).toEqual([7]);
    checkShapeAgreement(stax.BatchNorm(), [4, 5, 6, 7]);
    const nchw = stax.BatchNorm({ axis: [0, 2, 3] });
    const [, [b2, g2]] = nchw[0](random.PRNGKey(0), [4, 5, 6, 7]) as [Shapes, Array[]];
    expect(b2.shape).toEqual([5]);
    expect(g2.shape).toEqual([5]);
    checkShapeAgreement(nchw, [4, 5, 6, 7]);
    const bare = stax.BatchNorm({ center: false, scale: false });
    expect(bare[0](random.PRNGKey(0), [4, 5, 6, 7])[1]).toEqual([[], []]);
    checkShapeAgreement(bare, [4, 5, 6, 7]);
    checkShapeAgreement(stax.BatchNorm({ axis: 0 }), [8, 3]);
  });

  it.each(product<any>(
    [["MaxPool", stax.MaxPool], ["SumPool", stax.SumPool], ["AvgPool", stax.AvgPool]],
    [[1, 1], [2, 3], [3, 2]],
    ["VALID", "SAME"],
    [null, [2, 1], [3, 2]],
  ))("%j window %j %s strides %j", ([, Pool], window, padding, strides) => {
    checkShapeAgreement(Pool(window, { strides, padding }), [2, 5, 6, 4]);
  });

  it("pools with spec NCHW, and 1-D pools", () => {
    expect(checkShapeAgreement(stax.MaxPool([2, 2], { strides: [2, 2], spec: "NCHW" }), [2, 3, 6, 4])).toEqual([2, 3, 3, 2]);
    expect(checkShapeAgreement(stax.AvgPool([2, 3], { padding: "SAME", spec: "NCHW" }), [2, 3, 5, 4])).toEqual([2, 3, 5, 4]);
    expect(checkShapeAgreement(stax.SumPool([3], { strides: [2] }), [2, 9, 3])).toEqual([2, 4, 3]);
  });

  const elementwise: [string, Layer][] = [
    ["Tanh", stax.Tanh], ["Relu", stax.Relu], ["Exp", stax.Exp], ["LogSoftmax", stax.LogSoftmax], ["Softmax", stax.Softmax],
    ["Softplus", stax.Softplus], ["Sigmoid", stax.Sigmoid], ["Elu", stax.Elu], ["LeakyRelu", stax.LeakyRelu], ["Selu", stax.Selu],
    ["Gelu", stax.Gelu], ["Identity", stax.Identity],
  ];
  it.each(product<any>(elementwise, [[2, 3], [2, 3, 4]]))("%j on %j", ([, layer], shape) => {
    expect(checkShapeAgreement(layer, shape)).toEqual(shape);
  });

  it.each([[[2, 3]], [[2, 3, 4]], [[2, 3, 4, 5]]])("Flatten on %j", (shape) => {
    expect(checkShapeAgreement(stax.Flatten, shape)).toEqual([2, shape.slice(1).reduce((a, b) => a * b, 1)]);
  });

  it.each([[[2, 3]], [[2, 3, 4]]])("Dropout on %j (train and test)", (shape) => {
    checkShapeAgreement(stax.Dropout(0.9), shape);
    checkShapeAgreement(stax.Dropout(0.9, "test"), shape);
  });

  it("FanOut, FanInSum, FanInConcat", () => {
    expect(checkShapeAgreement(stax.FanOut(3), [2, 3])).toEqual([[2, 3], [2, 3], [2, 3]]);
    expect(checkShapeAgreement(stax.FanInSum, [[2, 3], [2, 3]])).toEqual([2, 3]);
    expect(checkShapeAgreement(stax.FanInSum, [[2, 3, 4], [2, 3, 4], [2, 3, 4]])).toEqual([2, 3, 4]);
    expect(checkShapeAgreement(stax.FanInConcat(), [[2, 3, 4], [2, 3, 5]])).toEqual([2, 3, 9]);
    expect(checkShapeAgreement(stax.FanInConcat(1), [[2, 3, 4], [2, 1, 4]])).toEqual([2, 4, 4]);
    expect(checkShapeAgreement(stax.FanInConcat(-2), [[2, 3, 4], [2, 2, 4], [2, 5, 4]])).toEqual([2, 10, 4]);
  });

  it("serial, parallel and shapeDependent networks (a residual block, an inception-like concat)", () => {
    const residual = stax.serial(stax.FanOut(2), stax.parallel(stax.serial(stax.Conv(4, [3, 3], { padding: "SAME" }), stax.Relu), stax.Conv(4, [1, 1])), stax.FanInSum);
    expect(checkShapeAgreement(residual, [2, 6, 5, 3])).toEqual([2, 6, 5, 4]);
    const inception = stax.serial(
      stax.FanOut(3),
      stax.parallel(stax.Conv(2, [1, 1]), stax.MaxPool([3, 3], { padding: "SAME" }), stax.AvgPool([2, 2], { padding: "SAME" })),
      stax.FanInConcat(),
      stax.BatchNorm(),
      stax.Flatten,
      stax.Dense(5),
      stax.LogSoftmax,
    );
    expect(checkShapeAgreement(inception, [2, 6, 5, 3])).toEqual([2, 5]);
    expect(checkShapeAgreement(stax.parallel(stax.Dense(3), stax.Identity), [[2, 4], [2, 7]])).toEqual([[2, 3], [2, 7]]);
    // shapeDependent: a Dense layer as wide as the input.
    const same = stax.shapeDependent((s) => stax.Dense((s as number[])[1]));
    expect(checkShapeAgreement(same, [3, 7])).toEqual([3, 7]);
    expect(checkShapeAgreement(stax.serial(), [3, 7])).toEqual([3, 7]);
  });

  it("an MLP and a CNN in the style of JAX's examples", () => {
    const mlp = stax.serial(stax.Dense(16), stax.Relu, stax.Dense(16), stax.Relu, stax.Dense(10), stax.LogSoftmax);
    expect(checkShapeAgreement(mlp, [4, 28])).toEqual([4, 10]);
    const cnn = stax.serial(
      stax.Conv(8, [3, 3], { padding: "SAME" }), stax.Relu, stax.MaxPool([2, 2], { strides: [2, 2] }),
      stax.Conv(4, [3, 3], { strides: [2, 2] }), stax.Elu, stax.Dropout(0.5), stax.Flatten, stax.Dense(3), stax.Softmax,
    );
    expect(checkShapeAgreement(cnn, [2, 12, 10, 1])).toEqual([2, 3]);
    const decoder = stax.serial(stax.ConvTranspose(4, [3, 3], { strides: [2, 2], padding: "SAME" }), stax.Gelu, stax.Identity);
    expect(checkShapeAgreement(decoder, [2, 4, 3, 2])).toEqual([2, 8, 6, 4]);
  });
});
