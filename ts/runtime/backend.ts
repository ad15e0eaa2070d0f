// The backend interface: the only way ts/ reaches a device. The CPU backend (wasm/) and
// the WebGPU backend (gpu/) implement it and register themselves in ./device.ts.
import type { DType, FusedKernel, ViewLayout } from "./kernel.js";

/** Memory on one device. Reference counting is done by the frontend (ts/runtime/buffer.ts). */
export interface DeviceBuffer {
  readonly backend: Backend;
  readonly nbytes: number;
}

/** A strided view of a buffer: element strides and offset. */
export interface BufferView extends ViewLayout {
  buffer: DeviceBuffer;
}

export interface MemoryInfo {
  bytesInUse: number;
  pooledBytes: number;
  pooledBlocks: number;
  memoryBytes: number;
}

export interface MatmulArgs {
  dtype: DType;
  batch: number;
  m: number;
  n: number;
  k: number;
  /** [batch, m, k] strides (batch stride 0 = broadcast). */
  a: { view: BufferView; batchStride: number; rowStride: number; colStride: number };
  b: { view: BufferView; batchStride: number; rowStride: number; colStride: number };
  /** Contiguous [batch, m, n]. */
  out: DeviceBuffer;
}

export interface ConvArgs {
  dtype: DType;
  /** lhs in [N, C, spatial...] order (strides over that order). */
  lhs: BufferView;
  lhsShape: number[];
  /** rhs in [O, I, spatial...] order. */
  rhs: BufferView;
  rhsShape: number[];
  windowStrides: number[];
  padding: [number, number][];
  lhsDilation: number[];
  rhsDilation: number[];
  featureGroupCount: number;
  batchGroupCount: number;
  /** Contiguous [N', O, spatial'...]. */
  out: DeviceBuffer;
  outShape: number[];
}

export interface Backend {
  readonly name: string;
  /** false where readback must be awaited (WebGPU): dataSync() then throws. */
  readonly syncReadback: boolean;

  alloc(nbytes: number): DeviceBuffer;
  free(buffer: DeviceBuffer): void;
  /** Copies bytes into the start of a buffer. */
  write(buffer: DeviceBuffer, data: ArrayBufferView): void;
  /** Copies nbytes from byteOffset out of a buffer (only where syncReadback). */
  readSync(buffer: DeviceBuffer, byteOffset: number, nbytes: number): Uint8Array;
  read(buffer: DeviceBuffer, byteOffset: number, nbytes: number): Promise<Uint8Array>;
  memoryInfo(): MemoryInfo;

  /** Runs a fused kernel over `shape`; outputs are contiguous over the output space. */
  runFused(kernel: FusedKernel, shape: number[], inputs: BufferView[], outputs: DeviceBuffer[]): void;

  // Routines.
  matmul(args: MatmulArgs): void;
  conv(args: ConvArgs): void;
  copy(dtype: DType, shape: number[], src: BufferView, dst: BufferView): void;
  fill(dtype: DType, dst: DeviceBuffer, count: number, value: number): void;
  /** Stable sort of rows of the contiguous key operands (lexicographic), permuting `operands`. */
  sort(args: {
    shape: number[]; // [rows, n]
    operands: { dtype: DType; src: DeviceBuffer; dst: DeviceBuffer }[];
    numKeys: number;
  }): void;
  cumulative(args: {
    op: "sum" | "prod" | "max" | "min";
    dtype: DType;
    shape: number[];
    axis: number;
    reverse: boolean;
    src: DeviceBuffer;
    dst: DeviceBuffer;
  }): void;
  gather(args: GatherArgs): void;
  scatter(args: ScatterArgs): void;
  searchsorted(args: {
    dtype: DType;
    sorted: DeviceBuffer;
    n: number;
    queries: DeviceBuffer;
    count: number;
    side: "left" | "right";
    out: DeviceBuffer;
  }): void;
  /**
   * Optional: the Threefry-2x32 block function on n uint32 (key, counter) pairs; each
   * operand holds n values (stride 1) or one (stride 0), at an element offset. Backends
   * without it get the primitive's composition of lax ops.
   */
  threefry2x32?(args: {
    n: number;
    inputs: { buffer: DeviceBuffer; offset: number; stride: 0 | 1 }[];
    y0: DeviceBuffer;
    y1: DeviceBuffer;
  }): void;
}

export interface GatherDimensionNumbers {
  offsetDims: number[];
  collapsedSliceDims: number[];
  startIndexMap: number[];
  operandBatchingDims: number[];
  startIndicesBatchingDims: number[];
}

export interface GatherArgs {
  dtype: DType;
  operand: DeviceBuffer;
  operandShape: number[];
  /** int32, index vector dim last. */
  indices: DeviceBuffer;
  indicesShape: number[];
  dnums: GatherDimensionNumbers;
  sliceSizes: number[];
  mode: "clip" | "fill";
  fillValue: number;
  out: DeviceBuffer;
  outShape: number[];
}

export interface ScatterDimensionNumbers {
  updateWindowDims: number[];
  insertedWindowDims: number[];
  scatterDimsToOperandDims: number[];
  operandBatchingDims: number[];
  scatterIndicesBatchingDims: number[];
}

export interface ScatterArgs {
  dtype: DType;
  /** Already holds a copy of the operand; updated in place. */
  out: DeviceBuffer;
  operandShape: number[];
  indices: DeviceBuffer;
  indicesShape: number[];
  updates: DeviceBuffer;
  updatesShape: number[];
  dnums: ScatterDimensionNumbers;
  combine: "set" | "add" | "mul" | "min" | "max";
  mode: "drop" | "clip";
}
