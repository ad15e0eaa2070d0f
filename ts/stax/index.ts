// jax.example_libraries.stax for edgejax: neural-network layers as [initFun, applyFun] pairs.
export * from "./layer.js";
export { serial, parallel, shapeDependent, Identity, Flatten, FanOut, FanInSum, FanInConcat, Dropout } from "./combinators.js";
export { Dense, GeneralConv, Conv, GeneralConvTranspose, ConvTranspose, Conv1DTranspose, type ConvLayerOptions, type DenseOptions } from "./dense_conv.js";
export { convTranspose, convTransposeShape, convGeneralShape, type ConvTransposeOptions } from "./conv_transpose.js";
export { MaxPool, SumPool, AvgPool, type PoolOptions } from "./pooling.js";
export { BatchNorm, type BatchNormOptions } from "./normalization.js";
export { elementwise, Tanh, Relu, Exp, LogSoftmax, Softmax, Softplus, Sigmoid, Elu, LeakyRelu, Selu, Gelu } from "./elementwise.js";
// Names stax.py imports from jax.nn and jax.nn.initializers (reachable as stax.relu, stax.glorot_normal, ... in JAX).
export { relu, logSoftmax, softmax, softplus, sigmoid, elu, leakyRelu, selu, gelu, standardize } from "../nn/index.js";
export { glorotNormal, normal, ones, zeros } from "../nn/initializers.js";
