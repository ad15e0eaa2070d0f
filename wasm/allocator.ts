// The heap of the CPU backend: a pooled allocator over the kernel module's linear memory.
//
// Sizes are rounded up to size classes (64-byte steps below 1 KiB, then 8 classes per
// doubling, so at most 12.5% waste); a freed block goes to its class's free list and is
// handed out again before the heap grows. Fresh Wasm memory costs ~50 ms per 100 MB on
// first touch, so reusing blocks is what keeps steady-state loops fast.

const ALIGN = 64;
const PAGE = 65536;

export function sizeClass(nbytes: number): number {
  const n = Math.max(ALIGN, nbytes);
  if (n <= 1024) return Math.ceil(n / ALIGN) * ALIGN;
  const top = 2 ** Math.floor(Math.log2(n));
  const step = top / 8;
  return Math.ceil(n / step) * step;
}

export interface HeapStats {
  /** Bytes in blocks handed out and not yet freed (rounded to size classes). */
  bytesInUse: number;
  /** Bytes in freed blocks kept for reuse. */
  pooledBytes: number;
  pooledBlocks: number;
  /** Size of the linear memory. */
  memoryBytes: number;
}

export class HeapAllocator {
  private top: number;
  private readonly pools = new Map<number, number[]>();
  private readonly live = new Map<number, number>(); // ptr -> class size
  private inUse = 0;
  private pooled = 0;
  private pooledCount = 0;
  private buffer: ArrayBuffer;
  /** Views of the whole memory, refreshed after it grows (growth detaches the old buffer). */
  u8!: Uint8Array;
  i32!: Int32Array;
  f32!: Float32Array;

  constructor(
    readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.top = Math.ceil(heapBase / ALIGN) * ALIGN;
    this.buffer = memory.buffer;
    this.refreshViews();
  }

  private refreshViews(): void {
    this.buffer = this.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.f32 = new Float32Array(this.buffer);
  }

  /** The current ArrayBuffer of the memory (call after anything that may allocate). */
  get bytes(): ArrayBuffer {
    if (this.buffer !== this.memory.buffer) this.refreshViews();
    return this.buffer;
  }

  /** Makes sure u8/i32/f32 views are attached to the live buffer. */
  views(): this {
    if (this.buffer !== this.memory.buffer) this.refreshViews();
    return this;
  }

  /** Allocates `nbytes` (64-byte aligned). Throws a RangeError if memory cannot grow. */
  alloc(nbytes: number): number {
    const size = sizeClass(nbytes);
    const pool = this.pools.get(size);
    let ptr: number;
    if (pool && pool.length > 0) {
      ptr = pool.pop()!;
      this.pooled -= size;
      this.pooledCount--;
    } else {
      ptr = this.top;
      const end = ptr + size;
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        const pages = Math.ceil((end - have) / PAGE);
        try {
          this.memory.grow(pages);
        } catch {
          throw new RangeError(
            `edgejax: out of memory: cannot grow the CPU heap by ${pages * PAGE} bytes ` +
              `(heap is ${have} bytes, ${this.inUse} in use, ${this.pooled} pooled). ` +
              "Existing arrays are intact; dispose() arrays you no longer need or use tidy().",
          );
        }
        this.refreshViews();
      }
      this.top = end;
    }
    this.live.set(ptr, size);
    this.inUse += size;
    return ptr;
  }

  /** Returns a block to its pool. */
  free(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) throw new Error(`edgejax: internal error: double free of ${ptr}`);
    this.live.delete(ptr);
    this.inUse -= size;
    let pool = this.pools.get(size);
    if (!pool) this.pools.set(size, (pool = []));
    pool.push(ptr);
    this.pooled += size;
    this.pooledCount++;
  }

  /** Size in bytes of a live block (its size class). */
  blockSize(ptr: number): number {
    return this.live.get(ptr) ?? 0;
  }

  stats(): HeapStats {
    return {
      bytesInUse: this.inUse,
      pooledBytes: this.pooled,
      pooledBlocks: this.pooledCount,
      memoryBytes: this.memory.buffer.byteLength,
    };
  }
}
