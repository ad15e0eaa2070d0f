// jax.nn for edgejax: activations, softmax-style functions and `nn.initializers`.
export * from "./activations.js";
export * from "./functions.js";
export * as initializers from "./initializers.js";
