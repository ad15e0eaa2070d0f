// The CPU backend: the kernel VM, GEMM, convolution and routines of the AssemblyScript
// module, behind the runtime's Backend interface.
import type {
  Backend, BufferView, ConvArgs, DeviceBuffer, GatherArgs, MatmulArgs, MemoryInfo, ScatterArgs,
} from "../ts/runtime/backend.js";
import { DTYPE_BYTES, type DType, type FusedKernel } from "../ts/runtime/kernel.js";
import { wasm, type WasmInstance } from "./instance.js";
import { runFused } from "./vm.js";
import { matmul } from "./gemm.js";
import * as routines from "./routines.js";
import { convGeneralDilated } from "./conv.js";

/** Resolves in a new macrotask (setImmediate where it exists, else a MessageChannel or setTimeout). */
function nextTask(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === "function") return new Promise((r) => g.setImmediate!(r));
  if (typeof g.MessageChannel === "function") {
    return new Promise((r) => {
      const ch = new g.MessageChannel!();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

export class CpuBuffer implements DeviceBuffer {
  constructor(
    readonly backend: CpuBackend,
    readonly ptr: number,
    readonly nbytes: number,
  ) {}
}

const ptrOf = (b: DeviceBuffer) => (b as CpuBuffer).ptr;

export class CpuBackend implements Backend {
  readonly name = "cpu";
  readonly syncReadback = true;
  private inst?: WasmInstance;

  /** The kernel instance, loaded on first use. */
  get wasm(): WasmInstance {
    return (this.inst ??= wasm());
  }

  alloc(nbytes: number): DeviceBuffer {
    // Zero-byte arrays still get a distinct (small) block so views and frees stay uniform.
    return new CpuBuffer(this, this.wasm.heap.alloc(Math.max(nbytes, 1)), nbytes);
  }
  free(buffer: DeviceBuffer): void {
    this.wasm.heap.free(ptrOf(buffer));
  }
  write(buffer: DeviceBuffer, data: ArrayBufferView): void {
    const heap = this.wasm.heap.views();
    heap.u8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ptrOf(buffer));
  }
  readSync(buffer: DeviceBuffer, byteOffset: number, nbytes: number): Uint8Array {
    const start = ptrOf(buffer) + byteOffset;
    return this.wasm.heap.views().u8.slice(start, start + nbytes);
  }
  /**
   * Copies the bytes now, and resolves after one turn of the event loop (a macrotask), as a
   * GPU readback would: code that awaits each step's data then lets finalizers run, which
   * only happens between tasks, and so keeps memory bounded without dispose().
   */
  async read(buffer: DeviceBuffer, byteOffset: number, nbytes: number): Promise<Uint8Array> {
    const bytes = this.readSync(buffer, byteOffset, nbytes);
    await nextTask();
    return bytes;
  }
  memoryInfo(): MemoryInfo {
    return this.wasm.heap.stats();
  }

  runFused(kernel: FusedKernel, shape: number[], inputs: BufferView[], outputs: DeviceBuffer[]): void {
    runFused(
      this.wasm,
      kernel,
      shape,
      inputs.map((v) => ({ ptr: ptrOf(v.buffer), layout: v })),
      outputs.map(ptrOf),
    );
  }

  matmul(a: MatmulArgs): void {
    const bpe = DTYPE_BYTES[a.dtype];
    matmul(this.wasm, {
      dtype: a.dtype as "float32" | "float64" | "int32",
      batch: a.batch,
      m: a.m,
      n: a.n,
      k: a.k,
      a: { ptr: ptrOf(a.a.view.buffer) + a.a.view.offset * bpe, batchStride: a.a.batchStride, rowStride: a.a.rowStride, colStride: a.a.colStride },
      b: { ptr: ptrOf(a.b.view.buffer) + a.b.view.offset * bpe, batchStride: a.b.batchStride, rowStride: a.b.rowStride, colStride: a.b.colStride },
      c: { ptr: ptrOf(a.out), batchStride: a.m * a.n, rowStride: a.n },
    });
  }

  conv(a: ConvArgs): void {
    const bpe = DTYPE_BYTES[a.dtype];
    convGeneralDilated(this.wasm, {
      dtype: a.dtype as "float32" | "float64" | "int32",
      lhs: { ptr: ptrOf(a.lhs.buffer) + a.lhs.offset * bpe, shape: a.lhsShape, strides: a.lhs.strides },
      rhs: { ptr: ptrOf(a.rhs.buffer) + a.rhs.offset * bpe, shape: a.rhsShape, strides: a.rhs.strides },
      out: { ptr: ptrOf(a.out) },
      windowStrides: a.windowStrides,
      padding: a.padding,
      lhsDilation: a.lhsDilation,
      rhsDilation: a.rhsDilation,
      featureGroupCount: a.featureGroupCount,
      batchGroupCount: a.batchGroupCount,
    });
  }

  copy(dtype: DType, shape: number[], src: BufferView, dst: BufferView): void {
    routines.copyStrided(this.wasm, dtype, shape,
      { ptr: ptrOf(src.buffer), strides: src.strides, offset: src.offset },
      { ptr: ptrOf(dst.buffer), strides: dst.strides, offset: dst.offset });
  }
  fill(dtype: DType, dst: DeviceBuffer, count: number, value: number): void {
    routines.fill(this.wasm, dtype, ptrOf(dst), count, value);
  }
  sort(args: Parameters<Backend["sort"]>[0]): void {
    routines.sort(this.wasm, {
      shape: args.shape,
      numKeys: args.numKeys,
      operands: args.operands.map((o) => ({ dtype: o.dtype, src: ptrOf(o.src), dst: ptrOf(o.dst) })),
    });
  }
  cumulative(args: Parameters<Backend["cumulative"]>[0]): void {
    routines.cumulative(this.wasm, { ...args, src: ptrOf(args.src), dst: ptrOf(args.dst) });
  }
  gather(a: GatherArgs): void {
    routines.gather(this.wasm, {
      dtype: a.dtype,
      operand: { ptr: ptrOf(a.operand), shape: a.operandShape },
      indices: { ptr: ptrOf(a.indices), shape: a.indicesShape },
      dimensionNumbers: a.dnums,
      sliceSizes: a.sliceSizes,
      mode: a.mode,
      fillValue: a.fillValue,
      out: ptrOf(a.out),
    });
  }
  scatter(a: ScatterArgs): void {
    routines.scatter(this.wasm, {
      dtype: a.dtype,
      op: a.combine,
      operand: { ptr: ptrOf(a.out), shape: a.operandShape },
      indices: { ptr: ptrOf(a.indices), shape: a.indicesShape },
      updates: { ptr: ptrOf(a.updates), shape: a.updatesShape },
      dimensionNumbers: a.dnums,
      mode: a.mode,
    });
  }
  searchsorted(args: Parameters<Backend["searchsorted"]>[0]): void {
    routines.searchsorted(this.wasm, {
      dtype: args.dtype,
      sorted: { ptr: ptrOf(args.sorted), n: args.n },
      queries: { ptr: ptrOf(args.queries), count: args.count },
      side: args.side,
      out: ptrOf(args.out),
    });
  }
  threefry2x32(args: Parameters<NonNullable<Backend["threefry2x32"]>>[0]): void {
    const [k0, k1, x0, x1] = args.inputs.map((o) => ({ ptr: ptrOf(o.buffer) + 4 * o.offset, stride: o.stride }));
    routines.threefry2x32(this.wasm, { n: args.n, k0, k1, x0, x1, y0: ptrOf(args.y0), y1: ptrOf(args.y1) });
  }
}
