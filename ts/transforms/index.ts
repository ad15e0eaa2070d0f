// The transformations: differentiation, vectorization, staging and compilation.
import "./common.js";
export { grad, valueAndGrad, jvp, vjp, vjpWithAux, linearize, linearTranspose, jacfwd, jacrev, jacobian, hessian } from "./ad.js";
export { vmap } from "./vmap.js";
export { jit } from "./jit.js";
export { makeJaxpr, evalShape, blockUntilReady, disableJit } from "./staging_api.js";
export { customJvp, customVjp, type CustomJvpFunction, type CustomVjpFunction, type CustomJvpOptions, type CustomVjpOptions } from "./custom.js";
export { checkpoint, remat, checkpointPolicies, checkpointName, type CheckpointPolicy, type CheckpointOptions } from "./checkpoint.js";
