// jax.lax for edgejax: `import { lax } from "edgejax"`.
export * from "./api.js";
export { sort, cumsum, cumprod, cummax, cummin, cumlogsumexp } from "./sort.js";
export { dotGeneral, dot, type DotDimensionNumbers } from "./dot.js";
export { convGeneralDilated, conv, convDimensionNumbers, type ConvDimensionNumbers } from "./conv.js";
export { reduceWindow } from "./windowed.js";
export { gather, scatter, scatterAdd, scatterSub, scatterMul, scatterMin, scatterMax, dynamicSlice, dynamicUpdateSlice, dynamicSliceInDim, dynamicIndexInDim, dynamicUpdateSliceInDim, dynamicUpdateIndexInDim, type GatherDimensionNumbers, type ScatterDimensionNumbers, type GatherScatterMode } from "./indexing.js";
export { topK } from "./search.js";
export * from "./control_flow/index.js";
