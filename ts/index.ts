// edgejax: JAX for every JavaScript runtime. The public entry point: re-exports only.
import "../wasm/register.js";
import "./numpy/methods.js";

export * as numpy from "./numpy/index.js";
export * as lax from "./lax/index.js";
// `Array` is the abstract type of every array value (concrete arrays and tracers alike).
export { ArrayBase as Array } from "./array/base.js";
export type { DType } from "./array/dtype.js";
export { config } from "./config.js";
export { tidy, keep, memoryStats } from "./runtime/memory.js";
export { devices, setDefaultDevice as defaultDevice } from "./runtime/device.js";
export { devicePut } from "./runtime/placement.js";
export { initWasm as init } from "../wasm/instance.js";
export * as tree from "./tree/index.js";
export {
  grad, valueAndGrad, jvp, vjp, vjpWithAux, linearize, linearTranspose, jacfwd, jacrev, jacobian, hessian,
  vmap, jit, makeJaxpr, evalShape, blockUntilReady, disableJit,
  customJvp, customVjp, checkpoint, remat, checkpointPolicies, checkpointName,
  type CustomJvpFunction, type CustomVjpFunction, type CheckpointPolicy,
} from "./transforms/index.js";
export * as nn from "./nn/index.js";
export * as random from "./random/index.js";
export * as stax from "./stax/index.js";
export * as optimizers from "./optimizers/index.js";
