// jax.lax for edgejax: `import { lax } from "edgejax"`.
export * from "./api.js";
