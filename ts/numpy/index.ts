// jax.numpy for edgejax: `import { numpy as np } from "edgejax"`. Names are JAX's, with
// multi-word names in camelCase (zeros_like -> zerosLike).
export { array, asarray, astype } from "./convert.js";
export {
  float32, float64, float16, int32, int16, int8, uint32, uint16, uint8, bool_ as bool, bool_,
} from "./dtypes.js";
export * from "./reductions.js";
export * from "./statistics.js";
export * from "./contractions.js";
export * from "./ufuncs.js";
export * from "./ufuncs_math.js";
export * from "./ufuncs_int.js";
export * from "./ufuncs_logic.js";
export * from "./sorting.js";
export * from "./setops.js";
export * from "./histogram.js";
export * from "./creation.js";
export * from "./manipulation.js";
export * from "./padding.js";
export * from "./indexing.js";
