// jax.nn for edgejax: activations, softmax-style functions, dotProductAttention and `nn.initializers`.
export * from "./activations.js";
export * from "./functions.js";
export * from "./attention.js";
export * as initializers from "./initializers.js";
