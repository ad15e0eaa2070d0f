// jax.random for edgejax: `import { random } from "edgejax"`. Threefry-2x32 keys with JAX's
// bits in both counter layouts (config flag jax_threefry_partitionable) and JAX's samplers.
export { PRNGKey, key, keyData, wrapKeyData, split, foldIn, bits, type Key, type Shape } from "./keys.js";
export { uniform, normal, truncatedNormal, exponential, gumbel, laplace, logistic, cauchy } from "./continuous.js";
export { bernoulli, rademacher, randint, permutation, choice, categorical, poisson } from "./discrete.js";
export { gamma, loggamma, beta, dirichlet, chisquare, t } from "./gamma.js";
export { multivariateNormal, orthogonal, ball } from "./multivariate.js";
