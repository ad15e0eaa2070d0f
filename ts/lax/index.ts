// jax.lax for edgejax: `import { lax } from "edgejax"`.
export * from "./api.js";
export { sort, cumsum, cumprod, cummax, cummin } from "./sort.js";
