// jax.example_libraries.optimizers for edgejax: optimizers as [initFun, updateFun, getParams]
// triples over any pytree of parameters, learning-rate schedules, gradient utilities and
// (de)serialization of the optimizer state.
export { sgd, momentum, nesterov, adagrad, rmsprop, rmspropMomentum, adam, adamax, sm3 } from "./optimizers.js";
export {
  constant, exponentialDecay, inverseTimeDecay, polynomialDecay, piecewiseConstant, makeSchedule,
  type Schedule, type ScheduleValue,
} from "./schedules.js";
export { l2Norm, clipGrads } from "./utils.js";
export { JoinPoint, packOptimizerState, unpackOptimizerState } from "./serialization.js";
export {
  optimizer, type Optimizer, type OptimizerState, type InitFn, type UpdateFn, type ParamsFn, type Step,
  type LeafRules, type EncodedTreeDef,
} from "./state.js";
